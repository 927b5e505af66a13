"""The two-moment M/G/c/K approximation (private kernel; see
``queuemath.MGcKApprox`` for the method, references and measured error)."""
import numpy as np

from . import special as _special

__all__ = ["law"]


def law(a, c, capacity, scv):
    """(log p_K, L_q, log(1 - p_K)) of the two-moment M/G/c/K approximation
    (see ``queuemath.MGcKApprox`` Notes) for offered load a, servers c,
    capacity and the service time's squared coefficient of variation.  The
    admitted share is the weight of the states below K over the total, a sum
    of positive parts, so it keeps its digits where p_K rounds to 1."""
    m = capacity - c
    k = (1.0 + scv) / 2.0
    _, log_z, _ = _special.log_erlang_b_parts(c, a)
    with np.errstate(divide="ignore", invalid="ignore"):
        L = np.log(a) - np.log(c)                       # log rho
        # eta/(1-eta) = k rho/(1-rho) below rho = 1, eta = rho^(1/k) above
        le = np.where(L < 0, np.log(k) + L - np.log(k + (1 - k) * -np.expm1(L)), L / k)
        le = np.where(a == 0, -np.inf, le)
        # f = (1 - eta)/(1 - rho), 1/k at rho = 1
        f = np.where(L == 0, 1.0 / k, np.expm1(le) / np.expm1(L))
        f = np.where(a == 0, 1.0, f)
        up = le <= 0
        lo, hi = np.minimum(le, 0.0), -np.maximum(le, 0.0)
        # log sum_{j<m} eta^j, pivoted at the larger end
        log_q = np.where(up, _special.log_geometric_sum(lo, m),
                         (m - 1) * le + _special.log_geometric_sum(hi, m))
        mean_q = np.where(up, _special.truncated_geometric_mean(lo, np.maximum(m - 1, 0)),
                          (m - 1) - _special.truncated_geometric_mean(hi, np.maximum(m - 1, 0)))
        pivot = m * np.maximum(le, 0.0)                 # log max(1, eta^m)
        parts = np.stack([log_z - pivot, np.log(f) + log_q - pivot,
                          np.where(a == 0, -np.inf, m * le) - pivot])
        below = np.logaddexp(parts[0], parts[1])         # states under K
        log_total = np.logaddexp(below, parts[2])
        # p_K = 1/(1 + below/top) and 1 - p_K = 1/(1 + top/below): each
        # formed from the ratio, so neither loses digits as it nears 1
        rel = below - parts[2]
        log_pk = -np.logaddexp(0.0, rel)
        log_admit = -np.logaddexp(0.0, -rel)
        lq = (np.exp(parts[1] - log_total) * np.where(m > 1, mean_q, 0.0)
              + m * np.exp(log_pk))
    log_pk = np.where(a == 0, -np.inf, log_pk)        # no arrivals: none refused
    log_admit = np.where(a == 0, 0.0, np.minimum(log_admit, 0.0))
    lq = np.where((m == 0) | (a == 0), 0.0, lq)
    return log_pk, lq, log_admit
