"""The two-moment M/G/c/K approximation (private kernel; see
``queuemath.MGcKApprox`` for the method, references and measured error)."""
import numpy as np

from . import special as _special

__all__ = ["law"]


def law(a, c, capacity, scv, L=None):
    """(log p_K, log L_q, log(1 - p_K)) of the two-moment M/G/c/K approximation
    (see ``queuemath.MGcKApprox`` Notes) for offered load a, servers c,
    capacity and the service time's squared coefficient of variation.  The
    admitted share is the weight of the states below K over the total, a sum
    of positive parts, so it keeps its digits where p_K rounds to 1.  ``L``,
    log rho, if the caller has it more exactly (finite.log_rho_rates)."""
    m = capacity - c
    k = (1.0 + scv) / 2.0
    _, log_z, _ = _special.log_erlang_b_parts(c, a)
    with np.errstate(divide="ignore", invalid="ignore"):
        if L is None:                                   # log rho
            L = np.log(a) - np.log(c)
        # eta/(1-eta) = k rho/(1-rho) below rho = 1, eta = rho^(1/k) above
        le = np.where(L < 0, np.log(k) + L - np.log(k + (1 - k) * -np.expm1(L)), L / k)
        le = np.where(a == 0, -np.inf, le)
        # log f, f = (1 - eta)/(1 - rho), 1/k at rho = 1: as a difference
        # of logs, since at overload e^le - 1 alone overflows (le = 2 log rho
        # for scv -> 0, rho = 1e200)
        pos = L > 0
        log_f = np.where(pos, _special.log_expm1(np.where(pos, le, 1.0))
                         - _special.log_expm1(np.where(pos, L, 1.0)),
                         _special.log1mexp(np.where(pos, -1.0, le))
                         - _special.log1mexp(np.where(pos, -1.0, L)))
        log_f = np.where(L == 0, -np.log(k), log_f)
        log_f = np.where(a == 0, 0.0, log_f)
        up = le <= 0
        lo, hi = np.minimum(le, 0.0), -np.maximum(le, 0.0)
        mean_q = np.where(up, _special.truncated_geometric_mean(lo, np.maximum(m - 1, 0)),
                          (m - 1) - _special.truncated_geometric_mean(hi, np.maximum(m - 1, 0)))
        # The weights relative to the larger of state c and state K (pivot
        # eta^m when eta > 1), each formed relative to it directly: m le is
        # 6e6 at rho = 1e86, m = 3e4, and (m-1) le - m le would keep its
        # rounding (7e-10).  sum_{j<m} eta^j is eta^(m-1) g(1/eta, m).
        pivot = m * np.maximum(le, 0.0)                 # log max(1, eta^m)
        parts = np.stack([log_z - pivot,
                          log_f + np.where(up, _special.log_geometric_sum(lo, m),
                                           -le + _special.log_geometric_sum(hi, m)),
                          np.where(a == 0, -np.inf, np.where(up, m * le, 0.0))])
        below = np.logaddexp(parts[0], parts[1])         # states under K
        log_total = np.logaddexp(below, parts[2])
        # p_K = 1/(1 + below/top) and 1 - p_K = 1/(1 + top/below): each
        # formed from the ratio, so neither loses digits as it nears 1
        rel = below - parts[2]
        log_pk = -np.logaddexp(0.0, rel)
        log_admit = -np.logaddexp(0.0, -rel)
        # log L_q: L_q itself underflows at light load where W_q = L_q/lambda
        # does not
        log_lq = np.logaddexp(parts[1] - log_total + np.log(np.where(m > 1, mean_q, 0.0)),
                              np.log(m) + log_pk)
    log_pk = np.where(a == 0, -np.inf, log_pk)        # no arrivals: none refused
    log_admit = np.where(a == 0, 0.0, np.minimum(log_admit, 0.0))
    log_lq = np.where((m == 0) | (a == 0), -np.inf, log_lq)
    return log_pk, log_lq, log_admit
