"""Erlang C and Engset's call congestion (private kernel).

Arguments are validated, broadcast float arrays; see ``queuemath.erlang_c``
and ``queuemath.Engset`` for the formulas and references.
"""
import numpy as np

from . import special as _special

__all__ = ["log_erlang_c", "engset_call_parts", "solve_engset_beta"]


def log_erlang_c(c, a, continuous=False, c_minus_a=None, da=None):
    r"""log C(c, A); 0 where A >= c (every arrival waits).  ``c_minus_a``,
    c - A, if the caller has it more exactly than c - fl(A); ``da`` the
    rounding left out of A (special.load_residual)."""
    if continuous:
        log_b, log_z = _special.log_erlang_b_continuous(c, a)
    else:
        log_b, log_z, _ = _special.log_erlang_b_parts(c, a, da=da)
    stable = a < c
    # 1/C = 1 + (1 - rho)(1 - B)/B = 1 + ((c - A)/c) Z, all terms >= 0, so
    # log C = -log(1 + exp(log((c-A)/c) + log Z)) loses nothing, even as
    # rho -> 1 where C -> 1 (c - A is exact there by Sterbenz).
    with np.errstate(divide="ignore", invalid="ignore"):
        gap = c - a if c_minus_a is None else c_minus_a
        x = np.log(np.where(stable, gap, 1.0)) - np.log(c) + log_z
        out = -np.logaddexp(0.0, x)
    out = np.where(stable, out, 0.0)
    return np.where(a == 0, -np.inf, out)


def engset_call_parts(n, c, beta):
    """(log B, log Z, log beta Z) of the call congestion E(N-1, c, beta)."""
    others = n - 1
    log_b = np.full(n.shape, -np.inf)
    log_z = np.full(n.shape, np.inf)
    log_bz = np.full(n.shape, np.inf)
    some = others >= 1
    if np.any(some):
        parts = _special.log_engset_parts(others[some], c[some], beta[some])
        log_b[some], log_z[some], log_bz[some] = parts
    return log_b, log_z, log_bz


def solve_engset_beta(n, c, alpha):
    """Root of beta (1 - alpha (1 - B(beta))) = alpha, elementwise."""
    beta = np.zeros(alpha.shape)
    todo = alpha > 0
    if not np.any(todo):
        return beta
    nn, cc, al = n[todo], c[todo], alpha[todo]
    lo = al.copy()              # B = 1 would give beta = alpha
    hi = al / (1 - al)          # B = 0 would give beta = alpha/(1-alpha)
    log_al = np.log(al)
    # Bisection until the bracket holds no double between its ends; the
    # midpoint is geometric while the ends are far apart, so the worst case
    # (alpha near 1, bracket spanning 300 decades) takes about 65 steps.
    for _ in range(200):
        wide = hi > 2 * lo
        mid = np.where(wide, np.sqrt(lo * hi), lo + 0.5 * (hi - lo))
        open_ = (mid > lo) & (mid < hi)
        if not np.any(open_):
            break
        _, log_z, _ = engset_call_parts(nn, cc, mid)
        # beta (1 - alpha (1 - B)) - alpha, in logs.
        f = np.log(mid) + np.log1p(-al * _one_minus_b(log_z)) - log_al
        up = f > 0
        hi = np.where(open_ & up, mid, hi)
        lo = np.where(open_ & ~up, mid, lo)
    # Of the two neighbours, take the one with the smaller residual.
    beta[todo] = np.where(_residual(nn, cc, al, lo) <= _residual(nn, cc, al, hi), lo, hi)
    return beta


def _residual(n, c, alpha, beta):
    _, log_z, _ = engset_call_parts(n, c, beta)
    return np.abs(beta * (1 - alpha * _one_minus_b(log_z)) - alpha)


def _one_minus_b(log_z):
    """1 - B = 1/(1 + 1/Z) from log Z: exact near B = 1, 1 where B = 0."""
    return np.exp(-np.logaddexp(0.0, -log_z))
