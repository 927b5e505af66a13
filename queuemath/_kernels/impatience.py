"""Kernels of the Erlang A model, M/M/c+M and M/M/c/K+M (private kernel; see
``queuemath.ErlangA`` Notes).

Notation (per point): rho = lam/(c mu), eps = theta/(c mu), a = c mu/theta
= 1/eps, x = lam/theta = rho a, omr = 1 - rho computed without cancellation.
Relative to state c, queue state c+j weighs t_j = x^j/((a+1)...(a+j)),
which is the Poisson(x) point mass at a+j over the one at a: the queue is a
Poisson law on the lattice a, a+1, ... .  Every function returns logs or
ratios relative to state c, so nothing overflows for any load.
"""
import numpy as np
from scipy import special

from . import special as _special
from . import temme as _temme

__all__ = ["parts", "service_level", "TAIL_CUT", "log_rho", "log_t", "upper",
           "shifted", "window", "window_sums", "served_within"]

_CF_DEPTH = 64      # levels of the positive fraction (see _upper_cf)
_CF_SIGMAS = 3.0    # fraction used for x <= a - 3 sqrt(a) (or rho <= 1/2)
TAIL_CUT = -60.0   # window terms below e^-60 of the largest are dropped
_CHUNK = 4096
_GL_X, _GL_W = np.polynomial.legendre.leggauss(24)


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
    log_s = np.log1p(u) - np.log(omr + u)
    q = rho * (1.0 + r) / (1.0 + u)
    return log_s, np.zeros(rho.shape), q


def log_pois_peak(a):
    """log pois(a; x) + bd0(a, x), which does not depend on x:
    -stirlerr(a) - log(2 pi a)/2 (Loader), or a log a - a - log Gamma(a+1)."""
    a = np.asarray(a, dtype=float)
    out = np.empty(a.shape)
    big = a >= 1
    if big.any():
        out[big] = -_special.stirlerr(a[big]) - 0.5 * np.log(2 * np.pi * a[big])
    small = ~big
    if small.any():
        out[small] = special.xlogy(a[small], a[small]) - a[small] - special.gammaln(a[small] + 1)
    return out


def _upper_inc(omr, a, x):
    """Near and above the mean: S = P(a, x)/pois(a; x) and
    D/S = x - a + a/S (x - a = -omr a; below the mean this subtraction costs
    at most ~6x here, x >= a - 3 sqrt(a)).

    Above the mean log S is about bd0(a, x), which is huge when a is
    (3e9 for a = 1e9, x = 2a): returned apart as ``ref``, with
    log S - ref = log P(a, x) - log_pois_peak(a) of ordinary size, so that
    ratios to S keep their digits.

    Near the mean S varies on the scale sqrt(a) of x - a, finer than the
    spacing of the doubles x and a themselves when a is large (at a = 1e9 an
    ulp of x moves S by 3e-12).  The offset x - a is known to full precision
    as -omr a, so the first-order correction
    (d log S/dx) ((x - a)_exact - (x - a)_rounded), with
    d log S/dx = 1 - (a/x)(1 - 1/S), restores those digits.
    """
    above = x >= a
    # log pois(a; x) = log_pois_peak(a) - bd0(a, x): above the mean bd0 goes
    # to ref, below it (ordinary size) stays in the relative part
    b = _special.bd0(np.maximum(a, 1e-300), np.maximum(x, 1e-300))
    ref = np.where(above, b, 0.0)
    rel = np.log(_temme.gamma_p(a, x)) - log_pois_peak(a) + np.where(above, 0.0, b)
    log_s = rel + ref
    # Only within ~64 sqrt(a) of the mean: further out S changes by O(1) per
    # unit of x - a, the rounding of -omr a is as large as that of x - a, and
    # the correction would only make S disagree with the other functions of
    # the same rounded (a, x) it is later divided by.
    near = np.abs(x - a) <= 64.0 * np.sqrt(a)
    dx = np.where(near, -omr * a - (x - a), 0.0)
    with np.errstate(over="ignore"):
        # d log S/dx, and above the mean its part beyond d bd0(a, x)/dx =
        # 1 - a/x (which moves ref: the peak is measured at the exact x too)
        rel = rel + dx * np.where(above, (a / x) * np.exp(-log_s),
                                  1.0 - (a / x) * -np.expm1(-log_s))
    ref = ref + np.where(above, dx * (1.0 - a / x), 0.0)
    q = -omr * a + a * np.exp(-(rel + ref))
    return rel, ref, q


def upper(rho, omr, eps, a, x):
    """(log S - ref, ref, D/S) for the unbounded queue: S = sum_j t_j,
    D = sum_j j t_j, and ref = bd0(a, x) above the mean (0 elsewhere) so that
    log S = (log S - ref) + ref keeps the ordinary-sized part exact.
    eps = 0 needs rho < 1."""
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


def window(rho, omr, eps, a, m, cut=TAIL_CUT):
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
    if star == m and m >= 1:
        # Mode at the top: the states below K, whose share is 1 - p_K, may
        # all lie below the cut (1e-250 of t_m at lambda = 1e250).  Their
        # own walk from m - 1 down gives that share to full precision.
        _, dn_w = _walk(omr, eps, m - 1, 0, -1, TAIL_CUT)
        below = -_increments(omr, eps, np.float64(m)) + np.log1p(np.exp(dn_w).sum())
        lw_ratio = below - np.logaddexp(0.0, below)
        lt_ratio = -np.logaddexp(0.0, below)
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


def served_within(rho, omr, eps, a, x, theta, cmu, lam, t, ref):
    """Unbounded queue, eps > 0: sum_j t_j P(state c+j arrival is served
    within t) = a * int_{u0}^1 u^a e^{x(1-u)} du, u0 = e^{-theta t}, returned
    in log form less ``ref`` (upper()'s: bd0(a, x) above the mean, where the
    integrand is measured from its peak h(a) instead of from h(x) = 0).

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
    peaked = ref > 0
    if peaked.any():
        # from the peak: h(z) - h(a) = -bd0(a, z), of ordinary size near it
        with np.errstate(invalid="ignore"):
            y = np.maximum(x + d_y, 1e-300)
            h_y = np.where(peaked, -_special.bd0(np.maximum(a, 1e-300), y), h_y)
        h_a = np.where(peaked, 0.0, h_a)
    h_x = -ref
    total = np.full(n, -np.inf)
    below = d_a >= 0                              # x <= a: h rises all the way
    above = d_y >= d_a                            # y >= a: h falls all the way
    # (has piece, d1, d2, h1, h2, rising): [y, min(x, a)] and [max(y, a), x]
    pieces = ((~above, d_y, np.where(below, 0.0, d_a), h_y, np.where(below, h_x, h_a), True),
              (~below, np.where(above, d_y, d_a), np.zeros(n), np.where(above, h_y, h_a),
               h_x, False))
    for has, d1, d2, h1, h2, rising in pieces:
        idx = np.flatnonzero(has & (d1 < d2))
        if not idx.size:
            continue
        part = np.empty(idx.size)
        narrow = np.abs(h2[idx] - h1[idx]) < 0.5
        if narrow.any():
            k = idx[narrow]
            ak, xk, sk, pk = a[k, None], x[k, None], (omr / rho)[k, None], peaked[k, None]
            level = h1[k]           # integrand measured from its value at d1

            def f(d, ak=ak, xk=xk, sk=sk, pk=pk, level=level):
                # h(x + d) = a (log1p(d/x) - d/x) + d (a - x)/x, or from the peak
                with np.errstate(invalid="ignore"):
                    from_peak = -_special.bd0(np.broadcast_to(ak, d.shape).copy(),
                                              np.maximum(xk + d, 1e-300))
                h = np.where(pk, from_peak, ak * log1p_minus(d / xk) + d * sk)
                return np.exp(h - level[:, None])
            part[narrow] = level + np.log(_gl(f, d1[k], d2[k]))
        wide = ~narrow
        if wide.any():
            k = idx[wide]
            part[wide] = _log_piece(a[k], x[k], d1[k], d2[k], d_a[k], h1[k], h2[k], rising)
        total[idx] = np.logaddexp(total[idx], part)
    # times a, over x (see the docstring)
    return total - np.log(x) + np.log(a)


def _log_piece(a, x, d1, d2, d_a, h1, h2, increasing):
    """log int_{z1}^{z2} exp(h(z)) dz on one side of the mode, z = x + d.

    The end points z are doubles, rounded; what the functions of (a+1, z)
    are sensitive to is the offset z - (a+1), known exactly as d - d_a - 1:
    the increasing side hands it to ``upper`` as 1 - z/(a+1), the decreasing
    side corrects log Q/pois to first order, d/dz = 1 - (s/z)(1 + 1/Zc)."""
    s = a + 1.0

    def point(d):
        z = np.where(d == d_a, a, x + d)     # the mode's own z is a itself
        return z, (d - d_a - 1.0) - (z - s)  # exact offset less the rounded one

    if increasing:
        # int = L(z2) - L(z1), L(z) = z e^h(z) P(a+1, z)/pois(a+1; z)/(a+1)
        def log_l(d, h):
            z, _ = point(d)
            ls_rel, ls_ref, _ = upper(z / s, (1.0 + d_a - d) / s, 1.0 / s, s, z)
            with np.errstate(divide="ignore"):     # L(0) = 0 (t = inf)
                return np.log(z) + h + ls_rel + ls_ref - np.log(s)
        l2, l1 = log_l(d2, h2), log_l(d1, h1)
        return l2 + np.log1p(-np.exp(l1 - l2))

    # int = U(z1) - U(z2), U(z) = z e^h(z) Q(a+1, z)/pois(a+1; z)/(a+1)
    def log_u(d, h):
        z, dz = point(d)
        _, lz = _special.log_erlang_b_continuous(s, z)
        lz = lz + dz * (1.0 - (s / z) * (1.0 + np.exp(-lz)))
        return np.log(z) + h + lz - np.log(s)
    u1, u2 = log_u(d1, h1), log_u(d2, h2)
    return u1 + np.log1p(-np.exp(u2 - u1))


# -- the whole model -----------------------------------------------------------

def parts(rho, omr, eps, a, x, c, offered, m):
    """Log-space pieces of the Erlang A law for flat arrays of one size
    (rho = lam/(c mu), omr = 1 - rho, eps = theta/(c mu), a = c mu/theta,
    x = lam/theta, c servers, offered = lam/mu, m = K - c, inf without a
    capacity): log S_m relative to state c, and everything else relative to
    S_m, so that shares keep their digits when S_m is astronomically large
    (overload with patient customers).  Keys: log_s, log_s_rel, ref, r_z
    (log Z/S_m), l1 (log total/S_m), lw (log waiting/S_m), lt (log refused/S_m),
    q (mean queue given N >= c), tail (share the capacity cuts off)."""
    n = rho.size
    _, log_z, _ = _special.log_erlang_b_parts(c, offered)
    lw = np.zeros(n)           # log((S_m - t_m)/S_m): admitted and waiting
    lt = np.full(n, -np.inf)   # log(t_m/S_m): refused
    q = np.empty(n)            # D_m/S_m, the mean queue given N >= c
    tail = np.zeros(n)         # (t_m + sum_{j>m} t_j)/S: what the capacity cuts off
    patient = eps == 0
    infinite = ~np.isfinite(m)
    zero_m = m == 0
    ref = np.zeros(n)          # log S_m = log_s_rel + ref (see upper)
    log_s_rel = np.empty(n)
    if infinite.any():
        log_s_rel[infinite], ref[infinite], q[infinite] = upper(
            rho[infinite], omr[infinite], eps[infinite], a[infinite], x[infinite])
    # K = c: the loss system.
    log_s_rel[zero_m], lw[zero_m], lt[zero_m], q[zero_m], tail[zero_m] = 0.0, -np.inf, 0.0, 0.0, 1.0
    # Patient, finite: geometric sums (M/M/c/K), each ratio from sums <= m+1.
    geo = patient & ~infinite & ~zero_m
    if geo.any():
        L = log_rho(rho[geo], omr[geo])
        mm = m[geo]
        up, dn = np.minimum(L, 0), -np.maximum(L, 0)
        with np.errstate(invalid="ignore", divide="ignore"):
            g1, g0 = (_special.log_geometric_sum(up, mm + 1),
                      _special.log_geometric_sum(up, mm))
            h1, h0 = (_special.log_geometric_sum(dn, mm + 1),
                      _special.log_geometric_sum(dn, mm))
            rising = L > 0
            log_s_rel[geo] = np.where(rising, mm * L + h1, g1)
            lw[geo] = np.where(rising, dn + h0 - h1, g0 - g1)
            lt[geo] = np.where(rising, -h1, np.where(rho[geo] == 0, -np.inf, mm * L - g1))
            q[geo] = np.where(rising, mm - _special.truncated_geometric_mean(dn, mm),
                              _special.truncated_geometric_mean(up, mm))
        tail[geo] = 1.0
    imp = ~patient & ~infinite & ~zero_m
    if imp.any():
        idx = np.flatnonzero(imp)
        log_s_rel[idx], ref[idx], lw[idx], lt[idx], q[idx], tail[idx] = _finite_impatient(
            rho[idx], omr[idx], eps[idx], a[idx], x[idx], m[idx])
    log_s = log_s_rel + ref
    with np.errstate(invalid="ignore"):
        r_z = log_z - log_s                    # log(Z/S_m)
    l1 = np.logaddexp(0.0, r_z)                # log(total/S_m)
    return dict(log_s=log_s, log_s_rel=log_s_rel, ref=ref, r_z=r_z, l1=l1, lw=lw,
                lt=lt, q=q, tail=tail)


def service_level(rho, omr, eps, a, x, theta, cmu, lam, m, t, p):
    """Share of all arrivals admitted and served within t, for flat arrays of
    one size and the matching flat ``parts`` dict ``p`` (see
    ``queuemath.ErlangA.service_level``)."""
    n = t.size
    log_qs = np.full(n, -np.inf)    # log(sum_{j<m} t_j P(served within t) / S_m)
    cut = p["tail"] > 1e-17
    patient = eps == 0
    active = (lam > 0) & (t > 0)
    closed = active & ~cut & ~patient
    if closed.any():
        k = closed
        log_qs[k] = served_within(rho[k], omr[k], eps[k], a[k], x[k], theta[k],
                                  cmu[k], lam[k], t[k], p["ref"][k]) - p["log_s_rel"][k]
    mmc = active & ~cut & patient
    if mmc.any():
        k = mmc
        # M/M/c: (1 - e^{-(c mu - lam) t}) / (1 - rho), over S = 1/(1 - rho)
        log_qs[k] = np.log(-np.expm1(-cmu[k] * t[k] * omr[k]))
    for i in np.flatnonzero(active & cut):
        log_qs[i] = _windowed_service(rho[i], omr[i], eps[i], a[i], m[i], theta[i],
                                      cmu[i], t[i])
    with np.errstate(divide="ignore", invalid="ignore"):
        # (Z + served)/total with every weight taken relative to S_m
        sl = np.exp(np.logaddexp(p["r_z"], log_qs) - p["l1"])
    return np.where(lam == 0, 1.0, np.minimum(sl, 1.0))


def _windowed_service(rho, omr, eps, a, m, theta, cmu, t):
    """log(sum_{j<m} t_j P(served within t | j waiting ahead) / S_m), one
    point, from one window over 0..m (the state m arrival is refused)."""
    if m == 0:
        return -np.inf

    def terms(cut):
        j, lw, _ = window(rho, omr, eps, a, m, cut)
        if eps == 0:
            g = special.gammainc(j + 1, cmu * t)
        else:
            g = a / (a + j + 1) * special.betainc(j + 1, a + 1, -np.expm1(-theta * t))
        g = np.where(j < m, g, 0.0)
        with np.errstate(divide="ignore"):
            return lw, lw + np.log(g)
    lw, lwg = terms(TAIL_CUT)
    # The chance of being served in time falls with the queue ahead, so the
    # terms peak below the mode of the weights when it is small: widen the
    # window until every state whose term could matter is in (g <= 1, so a
    # weight e^-60 below the largest term is negligible).
    reach = lwg.max() + TAIL_CUT
    if reach < TAIL_CUT:
        lw, lwg = terms(reach)
    top = lwg.max()
    with np.errstate(divide="ignore"):
        return top + np.log(np.exp(lwg - top).sum()) - np.log(np.exp(lw).sum())


def _finite_impatient(rho, omr, eps, a, x, m):
    """(log S_m - ref, ref, log(W/S_m), log(t_m/S_m), D_m/S_m, cut-off share)
    for 0 < m < inf and theta > 0: the unbounded sums less their tail beyond
    m where that tail is at most half (and carries at most 0.9 of the mean),
    otherwise the window sum (ref 0)."""
    ls_rel, ref, qq = upper(rho, omr, eps, a, x)
    ls = ls_rel + ref
    lt = log_t(rho, omr, eps, a, m)
    r1, o1, e1, a1 = shifted(rho, omr, eps, a, m + 1)
    ls1_rel, ref1, q1 = upper(r1, o1, e1, a1, x)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        log_tail = log_t(rho, omr, eps, a, m + 1) + ls1_rel + ref1
        frac = np.exp(log_tail - ls)
        share = np.where(qq > 0, frac * (m + 1 + q1) / qq, 0.0)
        cut = np.exp(np.logaddexp(lt, log_tail) - ls)
        ls_m = ls_rel + np.log1p(-frac)
        q_m = np.where(frac > 0, (qq - frac * (m + 1 + q1)) / (1 - frac), qq)
        lt_m = lt - (ls_m + ref)
        lw_m = np.log1p(-np.exp(lt_m))
    easy = (frac <= 0.5) & (share <= 0.9) | (frac < 1e-17)
    for i in np.flatnonzero(~easy):
        ls_m[i], lw_m[i], lt_m[i], q_m[i] = window_sums(rho[i], omr[i], eps[i], a[i], m[i])
        ref[i] = 0.0
    return ls_m, ref, lw_m, lt_m, q_m, cut
