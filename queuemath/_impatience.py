"""Kernels of the Erlang A model (M/M/c+M and M/M/c/K+M); see ErlangA Notes.

Notation (per point): rho = lam/(c mu), eps = theta/(c mu), a = c mu/theta
= 1/eps, x = lam/theta = rho a, omr = 1 - rho computed without cancellation.
Relative to state c, queue state c+j weighs t_j = x^j/((a+1)...(a+j)),
which is the Poisson(x) point mass at a+j over the one at a: the queue is a
Poisson law on the lattice a, a+1, ... .  Every function returns logs or
ratios relative to state c, so nothing overflows for any load.
"""
import numpy as np
from scipy import special

from . import _special

_CF_DEPTH = 64      # levels of the positive fraction (see _upper_cf)
_CF_SIGMAS = 3.0    # fraction used for x <= a - 3 sqrt(a) (or rho <= 1/2)
_TAIL_CUT = -60.0   # window terms below e^-60 of the largest are dropped
_CHUNK = 4096
_GL_X, _GL_W = np.polynomial.legendre.leggauss(24)


def two_prod(p, q):
    """(s, e) with s = fl(p q) and s + e = p q exactly (Dekker)."""
    s = p * q
    with np.errstate(over="ignore", invalid="ignore"):
        f = 134217729.0                       # 2**27 + 1, Veltkamp split
        tp, tq = f * p, f * q
        ph, qh = tp - (tp - p), tq - (tq - q)
        pl, ql = p - ph, q - qh
        e = ((ph * qh - s) + ph * ql + pl * qh) + pl * ql
    return s, np.where(np.isfinite(e), e, 0.0)


def log_pois(s, x):
    """log(x^s e^-x / Gamma(s+1)) for real s >= 0, x >= 0."""
    s = np.asarray(s, dtype=float)
    x = np.asarray(x, dtype=float)
    s, x = np.broadcast_arrays(s, x)
    out = np.empty(s.shape)
    big = (s >= 1) & (x > 0)
    if big.any():
        out[big] = _special.log_poisson_pmf(s[big], x[big])
    small = ~big
    if small.any():
        out[small] = special.xlogy(s[small], x[small]) - x[small] - special.gammaln(s[small] + 1)
    return out


def log_rising(a, eps, m):
    """sum_{i=1}^{m} log1p(i eps) = log((a+1)...(a+m) / a^m), 0 where eps = 0.

    Stirling's form log Gamma(a+m+1) - log Gamma(a+1) - m log a
    = bd0(a+m, a) + log1p(m/a)/2 + stirlerr(a+m) - stirlerr(a): no large
    terms cancel."""
    a, eps, m = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (a, eps, m)))
    out = np.zeros(a.shape)
    on = (eps > 0) & (m > 0)
    if on.any():
        aa, mm = a[on], m[on]
        out[on] = (_special.bd0(aa + mm, aa) + 0.5 * np.log1p(mm / aa)
                   + _special.stirlerr(aa + mm) - _special.stirlerr(aa))
    return out


def log_rho(rho, omr):
    """log(rho), from 1 - rho where rho is near 1."""
    with np.errstate(divide="ignore"):
        return np.where(np.abs(omr) < 0.5, np.log1p(-omr), np.log(rho))


def _upper_cf(rho, omr, eps):
    """DLMF 8.9.2's fraction for gamma(a, x), divided through by a and
    contracted so that every operation adds positive terms:

        G_k = N_k / T_k,  T_k = 1 + (2k+1) eps + (k+1) rho eps / G_{k+1},
        N_k = omr + eps (4k+1 - k rho + 2k(2k+1) eps)
              + (1 + 2k eps)(k+1) rho eps / G_{k+1},

    and R = rho/G_1.  Evaluated bottom-up from depth 64 (tail started at
    G = 1 + omr): against 50-digit hypergeometric sums the result is exact
    to 2.5e-16 for every x <= a - 3 sqrt(a) or rho <= 1/2 tried (a from 0.01
    to 1e6); depth 32 leaves 3e-12.  At eps = 0 it gives R = rho/(1 - rho)
    (the M/M/c queue).
    """
    g = 1.0 + omr
    for k in range(_CF_DEPTH, 0, -1):
        re = (k + 1) * rho * eps / g
        t = 1.0 + (2 * k + 1) * eps + re
        n = omr + eps * (4 * k + 1 - k * rho + 2 * k * (2 * k + 1) * eps) + (1 + 2 * k * eps) * re
        g = n / t
    r = rho / g
    u = eps * (1.0 + r)
    with np.errstate(divide="ignore"):
        log_s = np.log1p(u) - np.log(omr + u)
        log_s1 = np.log(rho) - np.log(omr + u)     # S - 1 = rho/(omr + u)
    q = rho * (1.0 + r) / (1.0 + u)
    return log_s, log_s1, q


def _upper_inc(omr, a, x):
    """Near and above the mean: S = P(a, x)/pois(a; x), S - 1 =
    P(a+1, x)/pois(a; x), and D/S = x - a + a/S (x - a = -omr a; below the
    mean this subtraction costs at most ~6x here, x >= a - 3 sqrt(a))."""
    lp = log_pois(a, x)
    log_s = np.log(special.gammainc(a, x)) - lp
    log_s1 = np.log(special.gammainc(a + 1, x)) - lp
    q = -omr * a + a * np.exp(-log_s)
    return log_s, log_s1, q


def upper(rho, omr, eps, a, x):
    """(log S, log(S-1), D/S) for the unbounded queue:
    S = sum_j t_j, D = sum_j j t_j.  eps = 0 needs rho < 1."""
    rho, omr, eps, a, x = np.broadcast_arrays(rho, omr, eps, a, x)
    shape = rho.shape
    outs = [np.empty(shape) for _ in range(3)]
    with np.errstate(invalid="ignore"):
        cf = (eps == 0) | (rho <= 0.5) | (omr >= _CF_SIGMAS * np.sqrt(eps))
    for mask, fn, args in ((cf, _upper_cf, (rho, omr, eps)), (~cf, _upper_inc, (omr, a, x))):
        if mask.any():
            for out, part in zip(outs, fn(*(v[mask] for v in args))):
                out[mask] = part
    return tuple(outs)


def shifted(rho, omr, eps, a, k):
    """Parameters of the queue seen from state c+k (a -> a+k)."""
    d = 1.0 + k * eps
    return rho / d, (omr + k * eps) / d, eps / d, a + k


def log_t(rho, omr, eps, a, j):
    """log t_j = j log rho - sum_{i<=j} log1p(i eps); 0 at j = 0."""
    with np.errstate(invalid="ignore"):
        lt = j * log_rho(rho, omr) - log_rising(a, eps, j)
    return np.where(j == 0, 0.0, lt)


# -- the window of queue states that carry the mass -------------------------

def _increments(omr, eps, j):
    """log(t_j / t_{j-1}) = log(x/(a+j)) = log1p(-(omr + j eps)/(1 + j eps))."""
    with np.errstate(divide="ignore"):
        return np.log1p(-(omr + j * eps) / (1.0 + j * eps))


def _walk(omr, eps, start, stop, step, cut):
    """Log weights relative to state ``start`` walking towards ``stop``
    (inclusive) until they fall below ``cut``; returns (j, log w)."""
    js, ws = [], []
    level = 0.0
    j0 = start
    while j0 != stop:
        j1 = min(j0 + _CHUNK, stop) if step > 0 else max(j0 - _CHUNK, stop)
        if step > 0:
            j = np.arange(j0 + 1, j1 + 1, dtype=float)
            lw = level + np.cumsum(_increments(omr, eps, j))
        else:
            j = np.arange(j0 - 1, j1 - 1, -1, dtype=float)
            lw = level - np.cumsum(_increments(omr, eps, j + 1))
        keep = lw >= cut
        if not keep.all():
            n = int(np.argmin(keep))
            js.append(j[:n])
            ws.append(lw[:n])
            break
        js.append(j)
        ws.append(lw)
        level = lw[-1]
        j0 = j1
    if not js:
        return np.empty(0), np.empty(0)
    return np.concatenate(js), np.concatenate(ws)


def window(rho, omr, eps, a, m, cut=_TAIL_CUT):
    """Queue states 0..m that carry the mass, for one point:
    (j, log(t_j/t_star), log t_star), j* the anchor.

    The anchor is the mode j* = clip(floor(x - a), 0, m) (t_j rises while
    x >= a + j); weights are built outwards from it by summing the log ratios
    log(x/(a+j)), which are small near the mode, and dropped below e^-60 of
    the mode (``cut``), far below double resolution of any sum here."""
    if eps == 0:
        star = m if omr < 0 else 0
    else:
        star = float(np.clip(np.floor(-omr / eps), 0, m))
    up_j, up_w = _walk(omr, eps, star, m, +1, cut)
    dn_j, dn_w = _walk(omr, eps, star, 0, -1, cut)
    j = np.concatenate([dn_j[::-1], [star], up_j])
    lw = np.concatenate([dn_w[::-1], [0.0], up_w])
    # the anchor's own weight apart: added to the relative ones it would
    # round them to its ulp (1e-10 at log t* ~ 1e6)
    return j, lw, log_t(rho, omr, eps, a, np.float64(star))


def window_sums(rho, omr, eps, a, m):
    """(log S_m, log((S_m - t_m)/S_m), log(t_m/S_m), D_m/S_m) by summing the
    window (one point); the ratios come from the window's own weights, so
    they keep their digits when S_m is astronomically large."""
    j, lw, log_star = window(rho, omr, eps, a, m)
    w = np.exp(lw)                            # the anchor is the largest: 1
    s = w.sum()
    star = j[np.argmax(lw)]
    q = star + ((j - star) * w).sum() / s     # the mean as mode + small offset
    with np.errstate(divide="ignore"):
        log_s = log_star + np.log(s)
        lw_ratio = np.log(w[j < m].sum()) - np.log(s)
        if j[-1] == m:
            lt_ratio = np.log(w[-1]) - np.log(s)
        else:   # t_m below e^-60 of the mode: its own closed form
            lt_ratio = log_t(rho, omr, eps, a, np.float64(m)) - log_s
    return log_s, lw_ratio, lt_ratio, q


# -- service level -----------------------------------------------------------

def _gl(f, lo, hi):
    """Gauss-Legendre (24 nodes) of f over [lo, hi], vectorised over points."""
    half = 0.5 * (hi - lo)
    mid = 0.5 * (hi + lo)
    z = mid[:, None] + half[:, None] * _GL_X[None, :]
    return half * (f(z) * _GL_W[None, :]).sum(axis=1)


def log1p_minus(r):
    """log1p(r) - r without cancellation: for |r| < 0.1 through
    log1p(r) = 2 atanh(v), v = r/(2+r), as 2 (atanh v - v) - r^2/(2+r), a
    sum of terms of one sign each."""
    r = np.asarray(r, dtype=float)
    out = np.empty(r.shape)
    small = np.abs(r) < 0.1
    if small.any():
        rs = r[small]
        v = rs / (2 + rs)
        v2 = v * v
        acc = np.zeros(rs.shape)
        for k in range(12, -1, -1):        # v^2 < 0.003: 13 terms reach 1e-32
            acc = acc * v2 + 1.0 / (2 * k + 3)
        out[small] = 2 * v * v2 * acc - rs * rs / (2 + rs)
    big = ~small
    if big.any():
        out[big] = np.log1p(r[big]) - r[big]
    return out


def _phi_minus_one(v):
    """(1 - e^-v)/v - 1 for v >= 0, exact also for small v."""
    out = np.empty(v.shape)
    small = v < 0.1
    vs = v[small]
    acc = np.zeros(vs.shape)
    for k in range(14, 0, -1):             # -sum_{k>=1} (-v)^k/(k+1)!
        acc = acc * -vs + 1.0 / special.factorial(k + 1)
    out[small] = -vs * acc
    vb = v[~small]
    out[~small] = -np.expm1(-vb) / vb - 1.0
    return out


def served_within(rho, omr, eps, a, x, theta, cmu, lam, t):
    """Unbounded queue, eps > 0: sum_j t_j P(state c+j arrival is served
    within t) = a * int_{u0}^1 u^a e^{x(1-u)} du, u0 = e^{-theta t}, returned
    in log form.

    With z = x u the integral is int_y^x exp(h(z)) dz / x, y = x u0 and
    h(z) = log((z/x)^a e^(x-z)): the Gamma(a+1) density, mode a, over its
    value at x.  Each piece of [y, x] on one side of the mode is a difference
    of incomplete gamma functions in the orientation that does not cancel
    (lower functions below the mode, upper ones above: by log-concavity the
    subtracted part is at most e^-1/2 of the other once h changes by 1/2 over
    the piece), or, where h changes by less, Gauss-Legendre quadrature in the
    offset d = z - x, so that no end point is rounded to a large z.
    """
    n = rho.size
    s0 = -np.expm1(-theta * t)
    # End points as offsets from x (x - y = x s0, a - x = omr a: both exact
    # to rounding, unlike y and a themselves near x).
    d_y = -x * s0
    d_a = omr * a
    # h(y) = a log(1 - s0) + x s0 = c mu t ((phi - 1) - phi omr) with
    # phi = s0/(theta t): in rates (no overflow as theta -> 0) and with the
    # parts that cancel near t = 0 taken apart.
    pm1 = _phi_minus_one(theta * t)
    h_y = cmu * t * (pm1 - (1.0 + pm1) * omr)
    h_a = _special.bd0(a, x)                      # h(a) = a log(a/x) + x - a
    total = np.full(n, -np.inf)
    below = d_a >= 0                              # x <= a: h rises all the way
    above = d_y >= d_a                            # y >= a: h falls all the way
    # (has piece, d1, d2, h1, h2, rising): [y, min(x, a)] and [max(y, a), x]
    pieces = ((~above, d_y, np.where(below, 0.0, d_a), h_y, np.where(below, 0.0, h_a), True),
              (~below, np.where(above, d_y, d_a), np.zeros(n), np.where(above, h_y, h_a),
               np.zeros(n), False))
    for has, d1, d2, h1, h2, rising in pieces:
        idx = np.flatnonzero(has & (d1 < d2))
        if not idx.size:
            continue
        part = np.empty(idx.size)
        narrow = np.abs(h2[idx] - h1[idx]) < 0.5
        if narrow.any():
            k = idx[narrow]
            ak, xk, sk = a[k, None], x[k, None], (omr / rho)[k, None]
            # h(x + d) = a (log1p(d/x) - d/x) + d (a - x)/x
            val = _gl(lambda d: np.exp(ak * log1p_minus(d / xk) + d * sk), d1[k], d2[k])
            part[narrow] = np.log(val)
        wide = ~narrow
        if wide.any():
            k = idx[wide]
            # the mode's own z is a itself, not x + (a - x) rounded
            z1 = np.where(d1[k] == d_a[k], a[k], x[k] + d1[k])
            z2 = np.where(d2[k] == d_a[k], a[k], x[k] + d2[k])
            part[wide] = _log_piece(a[k], z1, z2, h1[k], h2[k], rising)
        total[idx] = np.logaddexp(total[idx], part)
    # a * (integral / x)
    return total - np.log(x) + np.log(a)


def _log_piece(a, z1, z2, h1, h2, increasing):
    """log int_{z1}^{z2} exp(h(z)) dz on one side of the mode."""
    s = a + 1.0
    if increasing:
        # int = L(z2) - L(z1), L(z) = z e^h(z) P(a+1, z)/pois(a+1; z)/(a+1)
        def log_l(z, h):
            rho_s = z / s
            omr_s = (s - z) / s
            ls, _, _ = upper(rho_s, omr_s, 1.0 / s, s, z)
            with np.errstate(divide="ignore"):     # L(0) = 0 (t = inf)
                return np.log(z) + h + ls - np.log(s)
        l2, l1 = log_l(z2, h2), log_l(z1, h1)
        return l2 + np.log1p(-np.exp(l1 - l2))
    # int = U(z1) - U(z2), U(z) = z e^h(z) Q(a+1, z)/pois(a+1; z)/(a+1)
    def log_u(z, h):
        _, lz = _special.log_erlang_b_continuous(s, z)
        return np.log(z) + h + lz - np.log(s)
    u1, u2 = log_u(z1, h1), log_u(z2, h2)
    return u1 + np.log1p(-np.exp(u2 - u1))
