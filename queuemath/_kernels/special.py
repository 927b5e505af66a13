"""Special functions behind the closed forms (private kernel).

Everything here works on float64 arrays that are already validated and
broadcast, and returns natural logarithms so that the public functions can
offer both the plain and the ``log_`` form without a second evaluation.

The two building blocks are

* the Poisson and binomial point probabilities in Loader's saddle-point form,
  which never forms ``A**c`` or ``c!`` and keeps full relative accuracy for
  counts up to 2**53 [1]_, and
* the ratio ``R = cdf(c) / pmf(c)`` of a truncated Poisson or binomial law,
  whose inverse is the Erlang B (or Engset) blocking.  Near and below the
  mean the cdf is taken from scipy's regularised incomplete gamma / beta
  functions; far above the mean, where the cdf underflows, ``R`` comes from a
  continued fraction whose partial numerators are all positive [2]_, [3]_.

References
----------
.. [1] C. Loader, "Fast and Accurate Computation of Binomial Probabilities",
   2000.  (The algorithm behind R's ``dbinom``/``dpois``.)
.. [2] W. H. Press et al., "Numerical Recipes", 3rd ed., Cambridge, 2007,
   sec. 6.2 (Legendre continued fraction for the incomplete gamma function,
   evaluated by the modified Lentz method, sec. 5.2).
.. [3] NIST Digital Library of Mathematical Functions, eq. 8.17.22
   (continued fraction for the incomplete beta function).
"""
import numpy as np
from scipy import special

from . import temme as _temme

__all__ = ["stirlerr", "bd0", "log_poisson_pmf", "log_binom_pmf", "log_rise",
           "log_erlang_b_parts", "log_erlang_b_continuous", "log_expm1", "log1mexp", "log_engset_parts",
           "log_geometric_sum", "truncated_geometric_mean", "legendre_cf_and_slope",
           "log_idle_ratio", "load_residual", "rate_gap", "two_prod", "CF_SIGMAS"]

_LOG_SQRT_2PI = 0.91893853320467274178

# stirlerr(n) = log(n!) - (n + 1/2) log(n) + n - log(sqrt(2 pi)) for n = 1..15,
# evaluated at 40 digits with mpmath; for larger n the asymptotic series below
# is accurate to a few units in the last place.
_STIRLERR_TABLE = np.array([
    0.0,  # n = 0 is never used: counts of zero are handled by the callers
    0.08106146679532726, 0.0413406959554093, 0.02767792568499834,
    0.020790672103765093, 0.016644691189821193, 0.013876128823070748,
    0.01189670994589177, 0.010411265261972096, 0.009255462182712733,
    0.00833056343336287, 0.007573675487951841, 0.00694284010720953,
    0.006408994188004207, 0.0059513701127588475, 0.005554733551962801,
])

_TINY = 1e-300


def _stirlerr_series(n):
    # Stirling's series B_2k / (2k (2k-1) n^(2k-1)), six terms: for n > 15
    # the first omitted term is below 2e-18.
    nn = 1.0 / (n * n)
    acc = (1.0 / 156) * nn - 691.0 / 360360
    acc *= nn
    acc += 1.0 / 1188
    acc *= nn
    acc -= 1.0 / 1680
    acc *= nn
    acc += 1.0 / 1260
    acc *= nn
    acc -= 1.0 / 360
    acc *= nn
    acc += 1.0 / 12
    acc /= n
    return acc


def stirlerr(n):
    """Remainder of Stirling's series, log(n!) - log(sqrt(2 pi n) (n/e)**n).

    n: float ndarray or numpy float scalar, n >= 1.
    """
    small = n <= 15
    if not small.any():
        return _stirlerr_series(n)
    if n.size == 1 and n.flat[0] == int(n.flat[0]):
        return _STIRLERR_TABLE[n.astype(np.intp)]
    shape = n.shape
    n = n.ravel()
    out = np.empty(n.shape)
    # Index arrays, not boolean masks: gathering through a random mask costs
    # ten times more than through its indices.
    i_small = np.flatnonzero(small.ravel())
    i_big = np.flatnonzero(~small.ravel())
    ns = n[i_small]
    exact = ns == np.floor(ns)
    if exact.all():
        out[i_small] = _STIRLERR_TABLE[ns.astype(np.intp)]
    else:
        # Integer counts come from the table; other small arguments (used by
        # no public function yet) fall back on gammaln.
        out[i_small] = np.where(
            exact, _STIRLERR_TABLE[np.clip(ns, 0, 15).astype(np.intp)],
            special.gammaln(ns + 1) - (ns + 0.5) * np.log(np.where(ns > 0, ns, 1))
            + ns - _LOG_SQRT_2PI)
    if i_big.size:
        out[i_big] = _stirlerr_series(n[i_big])
    return out.reshape(shape)


def _bd0_series(x, d, v, terms):
    # v (x-m) + 2 x v^3 sum_{j<terms} v^(2j) / (2j+3), by Horner in v^2.
    # Plain arithmetic, so it serves arrays and numpy scalars alike.
    v2 = v * v
    acc = v2 * (1.0 / (2 * terms + 1)) + 1.0 / (2 * terms - 1)
    for j in range(terms - 2, 0, -1):
        acc *= v2
        acc += 1.0 / (2 * j + 1)
    acc *= v2
    acc *= v
    acc *= 2 * x
    acc += d * v
    return acc


def _bd0_mid(x, d, v):
    # atanh(v) - v loses 3/v**2 ulps to cancellation (<= 300 at |v| = 0.1),
    # but that term is at most |v|/3 of bd0 here, so bd0 keeps ~1e-15
    # relative accuracy at a fraction of the series' cost.
    return d * v + 2 * x * (np.arctanh(v) - v)


def _bd0_far(x, m, d):
    with np.errstate(over="ignore", under="ignore"):
        ratio = d / m
        quotient = x / m
    # Above m, log1p(d/m) keeps the digits that log(x) - log(m) loses to
    # rounding of two nearby logs; where d/m overflows (x = 1e7, m = 1e-305)
    # the difference of logs is exact enough, the terms being huge.  Below
    # m/2, d/m is -1 + x/m and carries x/m only to an ulp of 1 (log1p(-1) at
    # x = 2, m = 2e20): log(x/m) itself is exact there, or the difference of
    # logs where x/m underflows.
    with np.errstate(divide="ignore", invalid="ignore"):
        above = np.where(np.isfinite(ratio), np.log1p(np.where(ratio > -0.5, ratio, 0.0)),
                         np.log(x) - np.log(m))
        below = np.where(quotient >= np.finfo(float).tiny,
                         np.log(np.where(quotient > 0, quotient, 1.0)), np.log(x) - np.log(m))
    log_ratio = np.where(ratio > -0.5, above, below)
    return x * log_ratio + m - x


def bd0(x, m):
    """Deviance term x log(x/m) + m - x, accurate when x is close to m.

    Needs x > 0 and m > 0: float arrays of one shape, or numpy float scalars.

    log(x/m) = 2 atanh(v) expanded in v = (x-m)/(x+m) makes
    bd0 = v (x-m) + 2x sum_{j>=1} v**(2j+1)/(2j+1), free of the cancellation
    between x log(x/m) and x - m that costs digits when x/m is near 1.  The
    terms shrink by v**2: 8 of them reach 1e-17 for |v| < 0.1; for
    0.1 <= |v| < 0.5 atanh is called directly; beyond, x/m is outside
    [1/3, 3] and the direct form loses at most a couple of bits.
    """
    d = x - m
    with np.errstate(over="ignore", invalid="ignore"):
        v = d / (x + m)
    av = np.abs(v)
    if np.all(av < 0.1):
        return _bd0_series(x, d, v, 8)
    if x.size == 1:   # one group: no gathering
        return _bd0_mid(x, d, v) if av.flat[0] < 0.5 else _bd0_far(x, m, d)
    shape = x.shape
    x, m, d, v, av = x.ravel(), m.ravel(), d.ravel(), v.ravel(), av.ravel()
    out = np.empty(x.shape)
    g1 = np.flatnonzero(av < 0.1)
    g2 = np.flatnonzero((av >= 0.1) & (av < 0.5))
    far = np.flatnonzero(av >= 0.5)
    if g1.size:
        out[g1] = _bd0_series(x[g1], d[g1], v[g1], 8)
    if g2.size:
        out[g2] = _bd0_mid(x[g2], d[g2], v[g2])
    if far.size:
        out[far] = _bd0_far(x[far], m[far], d[far])
    return out.reshape(shape)


def log_poisson_pmf(k, mean):
    """log P(X = k) for X ~ Poisson(mean); k >= 1, mean > 0."""
    return -stirlerr(k) - bd0(k, mean) - 0.5 * np.log(2 * np.pi * k)


def poisson_reach(mean):
    r"""The count :math:`\lceil m + 12\sqrt m + 60\rceil` past which a
    Poisson(m) law holds less than :math:`e^{-70}` of its mass: where the
    uniformization sums stop (an int for a float, an int array for an
    array)."""
    top = np.ceil(np.asarray(mean, dtype=float) + 12.0 * np.sqrt(mean) + 60.0).astype(np.int64)
    return int(top) if top.ndim == 0 else top


def log_poisson_all(k, mean):
    """log P(X = k) for X ~ Poisson(mean), any k >= 0 and mean >= 0 that
    broadcast (Loader's form for k >= 1, mean > 0: relative 1e-15 where
    k log(mean) - mean - log k! loses k log(mean) ulps)."""
    k, mean = np.broadcast_arrays(np.asarray(k, dtype=float), np.asarray(mean, dtype=float))
    out = np.where(k == 0, -mean, -np.inf)
    on = (k >= 1) & (mean > 0)
    if on.any():
        out = out.copy()
        out[on] = log_poisson_pmf(k[on], mean[on])
    return out


def log_rise(n, m):
    """log((n+1)(n+2)...(n+m) / n**m) for n >= 1, m >= 0 (float arrays).

    Stirling's form bd0(n+m, n) + log1p(m/n)/2 + stirlerr(n+m) - stirlerr(n):
    every term is of the size of the result, so nothing large cancels (the
    difference of two log-gamma values would lose |log Gamma| ulps)."""
    n, m = np.broadcast_arrays(np.asarray(n, dtype=float), np.asarray(m, dtype=float))
    out = np.zeros(n.shape)
    on = m > 0
    if on.any():
        nn, mm = n[on], m[on]
        out[on] = (bd0(nn + mm, nn) + 0.5 * np.log1p(mm / nn)
                   + stirlerr(nn + mm) - stirlerr(nn))
    return out


def log_binom_pmf(k, n, p, q):
    """log P(X = k) for X ~ Binomial(n, p), 0 < k < n, with q = 1 - p given
    separately so that neither is formed by cancellation."""
    return (stirlerr(n) - stirlerr(k) - stirlerr(n - k)
            - bd0(k, n * p) - bd0(n - k, n * q)
            + 0.5 * (np.log(n) - np.log(2 * np.pi) - np.log(k) - np.log(n - k)))


def _lentz(b0, a, b, size, terms, block=8):
    """Evaluate b0 + a(1)/(b(1) + a(2)/(b(2) + ...)) elementwise.

    ``a(n, idx)`` and ``b(n, idx)`` return the n-th partial numerator and
    denominator at the points ``idx`` (modified Lentz method, Thompson and
    Barnett 1986).  A point stops when its last factor is 1 to machine
    precision or its fraction terminates (a(n) == 0); the still-running points
    are gathered only every ``block`` steps, which keeps indexing off the hot
    path.
    """
    f = np.where(b0 == 0, _TINY, b0).astype(float)
    C = f.copy()
    D = np.zeros(size)
    idx = np.arange(size)
    n = 1
    while idx.size and n <= terms:
        fi, Ci, Di = f[idx], C[idx], D[idx]
        live = np.ones(idx.size, dtype=bool)
        # Points frozen inside a block keep iterating on throw-away values
        # (they are masked out below); those may overflow harmlessly.
        with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
            for _ in range(block):
                an = a(n, idx)
                bn = b(n, idx)
                Dn = bn + an * Di
                Dn = 1.0 / np.where(Dn == 0, _TINY, Dn)
                Cn = bn + an / Ci
                Cn = np.where(Cn == 0, _TINY, Cn)
                delta = np.where(live & (an != 0), Cn * Dn, 1.0)
                fi *= delta
                Ci = np.where(live, Cn, Ci)
                Di = np.where(live, Dn, Di)
                # Two ulps of 1: a converged product C*D can sit an ulp below
                # 1 for ever (C ~ beta, D ~ 1/beta with beta = 1e155).
                live &= (an != 0) & (np.abs(delta - 1.0) > 2.5e-16)
                n += 1
        f[idx], C[idx], D[idx] = fi, Ci, Di
        idx = idx[live]
    if idx.size:  # pragma: no cover - the routing keeps this unreachable
        raise FloatingPointError("continued fraction did not converge")
    return f


# Above the Poisson (binomial) mean by more than this many standard
# deviations the continued fractions converge in a bounded number of steps
# whatever the size of c; below it the incomplete gamma (beta) function is at
# least ~1e-3, far from underflow.
CF_SIGMAS = 3.0
_CF_SIGMAS = CF_SIGMAS
_CF_TERMS = 400
# Up to this many servers (and loads >= 1) the finite recursion is cheaper
# than any special function.
_SMALL_C = 16


def _legendre_cf(c, a):
    """f = b0 + a1/(b1 + a2/(b2 + ...)), b_n = a - c + 1 + 2n, a_n = n (c - n).

    Then R(c-1) = a / f and 1/B(c, a) = 1 + c/f.  Called only where
    z = (a - c)/sqrt(c) >= 3.  The Lentz iteration stops (consecutive
    convergents equal to 1e-16) within 55 steps for z >= 3, 27 for z >= 5,
    17 for z >= 8 and 10 for z >= 16, for every c from 2 to 1e7 (measured;
    the count tends to a limit as c grows at fixed z), and the convergents
    of a fraction with positive terms bracket its value, so evaluating
    60/30/20/13 levels from the bottom up gives the value to rounding, at 5
    flops a level and with no data-dependent control flow.  a_n = 0 for
    n >= c: the fraction is then finite and exact.
    """
    z = (a - c) / np.sqrt(c)
    depth = np.where(z >= 16, 13, np.where(z >= 8, 20, np.where(z >= 5, 30, 60)))
    if np.ndim(depth) == 0 or np.all(depth == depth.flat[0]):
        return _legendre_bottom_up(c, a, int(np.max(depth)))
    # Points grouped by the depth they need (index gathers are cheap; 60
    # levels for every point would not be).
    f = np.empty(np.shape(c))
    for d in (13, 20, 30, 60):
        idx = np.flatnonzero(depth == d)
        if idx.size:
            f[idx] = _legendre_bottom_up(c[idx], a[idx], d)
    return f


def _legendre_bottom_up(c, a, depth):
    base = a - c + 1
    f = base + 2.0 * depth
    for n in range(depth, 0, -1):
        f = np.maximum(c - n, 0.0) * n / f + (base + 2.0 * (n - 1))
    return f


def legendre_cf_and_slope(c, a, depth=60):
    """(f, df/da) of Legendre's fraction (see _legendre_cf), for a - c >=
    3 sqrt(c): the fraction evaluated bottom up at a fixed depth together
    with its derivative by forward differentiation of every level,
    f_n' = 1 - n (c - n) f_{n+1}' / f_{n+1}**2."""
    base = a - c + 1
    f = base + 2.0 * depth
    fp = np.ones(np.shape(f))
    for n in range(depth, 0, -1):
        num = np.maximum(c - n, 0.0) * n
        fp = 1.0 - (num / f) * (fp / f)
        f = num / f + (base + 2.0 * (n - 1))
    return f, fp


def _idle_terms(c, a, power):
    """sum_{j=1}^{c} j**power t_j, t_j = c!/((c-j)! a**j), term by term (c <= 64)."""
    t = np.ones(c.shape)
    d = np.zeros(c.shape)
    for j in range(1, int(c.max()) + 1):
        t = t * np.maximum(c - j + 1, 0.0) / a
        d += j ** power * t
    return d


def _idle_routes(c, a):
    """The idle moments' routes: light (a <= c, positive terms), few (c <=
    64, term by term), cf (a >= c + 3 sqrt(c), Legendre's fraction), mid
    (the subtraction in between)."""
    light = a <= c
    few = ~light & (c <= 64)
    cf = ~light & ~few & (a - c >= _CF_SIGMAS * np.sqrt(c))
    return light, few, cf, ~light & ~few & ~cf


def legendre_cf_slope_curvature(c, a, depth=60):
    """(f, f', f'') of Legendre's fraction in a, by forward differentiation
    of every level (see legendre_cf_and_slope), for a - c >= 3 sqrt(c)."""
    base = a - c + 1
    f = base + 2.0 * depth
    fp = np.ones(np.shape(f))
    fpp = np.zeros(np.shape(f))
    for n in range(depth, 0, -1):
        num = np.maximum(c - n, 0.0) * n
        fpp = -num * (fpp / f - 2.0 * fp * fp / (f * f)) / f
        fp = 1.0 - (num / f) * (fp / f)
        f = num / f + (base + 2.0 * (n - 1))
    return f, fp, fpp


def log_idle_square_ratio(c, a, log_z=None):
    """log D2, D2 = sum_{n<c} (c - n)**2 a**n/n! / (a**c/c!) for a > 0 (the
    second moment of the idle servers, relative to state c; see
    log_idle_ratio for D, the first).

    With Z and D, D2 = (c - a) D + a Z (from the Poisson factorial moments
    sum n w_n = a Z, sum n(n-1) w_n = a**2 Z - a c, w_n = a**n c!/(n! a**c)),
    positive terms for a <= c.  Above c: term by term for c <= 64; from
    Legendre's fraction, D2 = -a dD/da = a**2 c (2 f'**2 - f f'')/f**3 - D,
    for a >= c + 3 sqrt(c); the subtraction in between.
    """
    c = np.asarray(c, dtype=float)
    a = np.asarray(a, dtype=float)
    if log_z is None:
        _, log_z, _ = log_erlang_b_parts(c, a)
    log_d = log_idle_ratio(c, a, log_z)
    out = np.empty(c.shape)
    light, few, cf, mid = _idle_routes(c, a)
    with np.errstate(divide="ignore"):
        if light.any():
            out[light] = np.logaddexp(np.log(c[light] - a[light]) + log_d[light],
                                      np.log(a[light]) + log_z[light])
    if few.any():
        out[few] = np.log(_idle_terms(c[few], a[few], 2))
    if cf.any():
        cc, aa = c[cf], a[cf]
        f, fp, fpp = legendre_cf_slope_curvature(cc, aa)
        d2 = aa * aa * cc * (2 * fp * fp - f * fpp) / (f * f * f) - np.exp(log_d[cf])
        out[cf] = np.log(d2)
    if mid.any():
        cc, aa = c[mid], a[mid]
        out[mid] = np.log(aa * np.exp(log_z[mid]) - (aa - cc) * np.exp(log_d[mid]))
    return out


def geometric_mean(log_ratio, top):
    """Mean of j on {0, ..., top} with weights r**j for r = exp(log_ratio) on
    either side of 1: truncated_geometric_mean below, its mirror image
    top - (mean with ratio 1/r) above."""
    L = np.asarray(log_ratio, dtype=float)
    return np.where(L <= 0, truncated_geometric_mean(np.minimum(L, 0.0), top),
                    top - truncated_geometric_mean(-np.maximum(L, 0.0), top))


def truncated_geometric_var(log_ratio, top):
    """Variance of j on {0, ..., top} with weights r**j, r = exp(log_ratio)
    <= 1: k(y) - n**2 k(n y), n = top + 1, y = -log r, with
    k(y) = 1/(4 sinh(y/2)**2) - 1/y**2 = -h'(y) (h of
    truncated_geometric_mean): the 1/y**2 poles cancel analytically, so it
    tends to (n**2 - 1)/12 as r -> 1 with full precision.  For y >= 1/2 the
    moments are summed directly instead (k itself would cancel)."""
    L = np.asarray(log_ratio, dtype=float)
    n = np.asarray(top, dtype=float) + 1
    L, n = np.broadcast_arrays(L, n)
    y = -L

    def k(v):
        out = np.empty(v.shape)
        small = v < 0.5          # the 8-term series' error < 1e-17 there
        if small.any():
            v2 = v[small] ** 2
            acc = np.zeros(v2.shape)
            for i in reversed(range(len(_H_COEF))):
                acc = acc * v2 - (2 * i + 1) * _H_COEF[i]
            out[small] = acc
        big = ~small
        if big.any():
            with np.errstate(over="ignore"):
                out[big] = 0.25 / np.sinh(0.5 * v[big]) ** 2 - 1.0 / v[big] ** 2
        return out
    out = np.zeros(L.shape)
    near = y < 0.5
    if near.any():
        with np.errstate(invalid="ignore", over="ignore"):
            out[near] = k(y[near]) - n[near] ** 2 * k(n[near] * y[near])
    steep = (y >= 0.5) & np.isfinite(y) & (n > 1)
    if steep.any():
        # r <= e^-1/2: the weight sits on the first values; two passes over
        # at most 84 of them (the rest below e^-42) add positive terms only
        yy, nn = y[steep], n[steep]
        j = np.arange(84.0)[:, None]
        w = np.where(j < nn, np.exp(-j * yy), 0.0)
        mean = (j * w).sum(axis=0) / w.sum(axis=0)
        out[steep] = ((j - mean) ** 2 * w).sum(axis=0) / w.sum(axis=0)
    return np.maximum(out, 0.0)


def log_idle_ratio(c, a, log_z=None):
    """log D, D = sum_{n<c} (c - n) a**n/n! / (a**c/c!) for a > 0: the
    Erlang loss system's mean idle servers c - a(1 - B) divided by B.

    D = c + (c - a) Z (Z = 1/B - 1) adds positive terms for a <= c; above c
    that form cancels (D ~ c/a while both terms are ~ c), so D is summed
    term by term for c <= 64 (t_j = c!/((c-j)! a**j), at most 64 terms),
    taken from the slope of Legendre's fraction, D = -a dZ/da = a c f'/f**2,
    for a >= c + 3 sqrt(c), and from the subtraction only in between, where
    it loses at most a factor ~10 (c/D there is below 10).  ``log_z``, log Z
    of log_erlang_b_parts, if the caller has it already.
    """
    c = np.asarray(c, dtype=float)
    a = np.asarray(a, dtype=float)
    if log_z is None:
        _, log_z, _ = log_erlang_b_parts(c, a)
    out = np.empty(c.shape)
    light, few, cf, mid = _idle_routes(c, a)
    with np.errstate(divide="ignore"):
        if light.any():
            out[light] = np.logaddexp(np.log(c[light]),
                                      np.log(c[light] - a[light]) + log_z[light])
    if few.any():
        out[few] = np.log(_idle_terms(c[few], a[few], 1))
    if cf.any():
        cc, aa = c[cf], a[cf]
        f, fp = legendre_cf_and_slope(cc, aa)
        out[cf] = np.log(aa) + np.log(cc) + np.log(fp) - 2 * np.log(f)
    if mid.any():
        cc, aa = c[mid], a[mid]
        out[mid] = np.log(cc - (aa - cc) * np.exp(log_z[mid]))
    return out


def _eb_zero(c, a, want_all):
    return (np.full(c.shape, -np.inf), np.full(c.shape, np.inf), np.zeros(c.shape))


def _eb_one(c, a, want_all):
    # B(1, a) = a/(1+a): the M/M/1/K fast path needs no special function.
    log_a = np.log(a)
    # -log1p(1/a) keeps log B's relative precision when B is near 1; below
    # a = 1 the difference of logs is exact enough and 1/a cannot overflow
    # (a may be subnormal).
    big = a >= 1
    lb = np.where(big, -np.log1p(1 / np.where(big, a, 1.0)), log_a - np.log1p(a))
    if not want_all:
        return lb, None, None
    return lb, -log_a, np.log1p(a)


def _eb_small(c, a, want_all):
    # Few servers, load >= 1: the textbook recursion 1/B(k) = 1 + (k/a)/B(k-1)
    # adds positive terms only, cannot overflow (1/B <= e c!), and is exact to
    # a few ulps; Z = (c/a) R(c-1) keeps 1 - B exact near B = 1.
    r = np.ones(c.shape)
    prev = np.ones(c.shape)
    for k in range(1, int(c.max()) + 1):
        prev = np.where(k == c, r, prev)
        r = np.where(k <= c, 1 + (k / a) * r, r)
    lb = -np.log1p(c / a * prev)
    if not want_all:
        return lb, None, None
    # log sum_{n<=c} a^n/n! = log R + c log a - log c!; a >= 1 so the terms do
    # not cancel.
    return (lb, np.log(c) - np.log(a) + np.log(prev),
            -lb + c * np.log(a) - special.gammaln(c + 1))


def _eb_cf(c, a, want_all):
    f = _legendre_cf(c, a)
    lb = -np.log1p(c / f)
    if not want_all:
        return lb, None, None
    # log(a**c/c!) by Stirling's series: every term but the small ones is
    # positive here (a > c), so nothing cancels, even at a = 1e300.
    return (lb, np.log(c) - np.log(f),
            c * np.log1p((a - c) / c) + c - 0.5 * np.log(2 * np.pi * c) - stirlerr(c) - lb)


def _eb_inc(c, a, want_all):
    lp = log_poisson_pmf(c, a)
    # log P(X <= c) = log1p(-P(X > c)).  Where the upper tail is below 1e-17
    # it changes log B by less than that, and the geometric bound
    # P(X > c) <= pmf(c+1) / (1 - A/(c+2)) says so without calling the
    # incomplete gamma function (most of the cost) for loads well below c.
    with np.errstate(divide="ignore", invalid="ignore"):
        log_tail = lp + np.log(a) - np.log(c + 1) - np.log1p(-a / (c + 2))
    is_light = (a < c + 2) & (log_tail < -39.0)
    if is_light.all():
        log_q = -np.exp(log_tail)
    elif not is_light.any():
        # P(X <= c) here is at least ~1e-3 (A < c + 3 sqrt(c)); gamma_q
        # keeps it exact where scipy's is not (c >= 2e4 near the mean).
        log_q = np.log(_temme.gamma_q(c + 1, a))
    else:
        light, heavy = np.flatnonzero(is_light), np.flatnonzero(~is_light)
        log_q = np.empty(c.shape)
        log_q[light] = -np.exp(log_tail[light])
        log_q[heavy] = np.log(_temme.gamma_q(c[heavy] + 1, a[heavy]))
    lb = lp - log_q
    if not want_all:
        return lb, None, None
    return lb, log_expm1(-lb), a + log_q


def _eb_conditions(c, a):
    """Route conditions in priority order: 0 zero load, 1 one server,
    2 recursion, 3 continued fraction; a point meeting none takes route 4,
    the incomplete gamma function."""
    return (a == 0, c == 1, (c <= _SMALL_C) & (a >= 1),
            a - c >= _CF_SIGMAS * np.sqrt(c))


def _eb_route(c, a):
    route = np.full(c.shape, 4, dtype=np.int8)
    for number, cond in reversed(list(enumerate(_eb_conditions(c, a)))):
        route[cond] = number
    return route


_EB_ROUTES = (_eb_zero, _eb_one, _eb_small, _eb_cf, _eb_inc)


def log_erlang_b_parts(c, a, want_all=True, da=None):
    """See _log_erlang_b_parts.  ``da``, if given, is the part of the load
    that rounding left out of the double ``a`` (the load is a + da, e.g.
    lambda/mu, see load_residual): the results move by their first-order
    change.  Without it the rounding of a (an ulp) would move log B by
    c - A(1 - B) ulps: 1e-11 at c = 1e5 far below saturation.

    d log B/da = (c/a - 1) + B and d log Z/da = -((c/a - 1) + (c/a)/Z) add
    positive terms for a <= c; above c they cancel (to 1e-24 from terms of
    1 at A = 1e12, c = 1) and are B D/a and -D/(a Z) instead, D from
    log_idle_ratio (c - A(1 - B) = B D).  d log S/da = 1 - B."""
    parts = _log_erlang_b_parts(c, a, want_all)
    if da is None:
        return parts
    lb, lz, ls = parts
    c, a, da = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (c, a, da)))
    shape = c.shape
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        ok = (a > 0) & (da != 0)
        ca = np.where(ok, c / np.where(ok, a, 1.0), 0.0)
        g_b = (ca - 1) + np.exp(lb)
        g_z = np.zeros(shape) if lz is None else (ca - 1) + ca * np.exp(-lz)
        heavy = np.flatnonzero((ok & (a > c)).ravel())
        if heavy.size:
            g_b, g_z = g_b.reshape(-1).copy(), g_z.reshape(-1).copy()
            ch, ah = c.reshape(-1)[heavy], a.reshape(-1)[heavy]
            # log Z is at hand (before its correction, as log_idle_ratio takes it)
            log_d = (log_idle_ratio(ch, ah, None if lz is None else lz.reshape(-1)[heavy])
                     - np.log(ah))
            g_b[heavy] = np.exp(lb.reshape(-1)[heavy] + log_d)
            if lz is not None:
                g_z[heavy] = np.exp(log_d - lz.reshape(-1)[heavy])
            g_b, g_z = g_b.reshape(shape), g_z.reshape(shape)
        d = np.where(ok, da, 0.0)
        lb = lb + np.where(ok, g_b, 0.0) * d
        if lz is not None:
            lz = lz - np.where(ok, g_z, 0.0) * d
            ls = ls + -np.expm1(parts[0]) * d
    return lb, lz, ls


def load_residual(lam, mu, a):
    """lambda/mu - a for a = fl(lambda/mu), from Dekker's exact product
    a mu = s + e: (lambda - s - e)/mu, exact to rounding."""
    s, e = two_prod(a, mu)
    with np.errstate(invalid="ignore", over="ignore"):
        r = ((lam - s) - e) / mu
    return np.where(np.isfinite(r), r, 0.0)


def rate_gap(lam, mu, c):
    """(s, c mu - lam) with s = fl(c mu) and the difference formed from
    Dekker's exact product c mu = s + e as (s - lam) + e: exact to one
    rounding near rho = 1, where s - lam is exact (Sterbenz) and the
    quotient lam/mu rounded first would keep few digits of the offset."""
    s, e = two_prod(c, mu)
    with np.errstate(invalid="ignore"):
        return s, (s - lam) + e


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


def _log_erlang_b_parts(c, a, want_all=True):
    """Return (log B, log Z, log S) for c servers and offered load a, where

    * B = pmf(c)/cdf(c) of Poisson(a), the Erlang B blocking,
    * Z = 1/B - 1 = sum_{n<c} (a**n/n!) / (a**c/c!), and
    * S = sum_{n<=c} a**n/n! = exp(a) cdf(c).

    c >= 1 and a >= 0, float arrays of one shape.  log Z keeps full relative
    accuracy also where B is within an ulp of 1, so 1 - B = Z B is exact.
    With ``want_all=False`` only log B is computed (the others are None),
    which is all that erlang_b needs.

    Each point takes one of five routes (see _eb_route); the routes are
    evaluated on index-gathered subsets (gathering through a random boolean
    mask costs ten times more than through its indices), and a call with a
    single route skips the gathering altogether.
    """
    c = np.asarray(c, dtype=float)
    a = np.asarray(a, dtype=float)
    shape = c.shape
    if c.size == 1:
        # One point: numpy scalars cost a fifth of 1-element arrays per
        # operation, which matters for the interactive single call.
        cs, as_ = c.reshape(-1)[0], a.reshape(-1)[0]
        number = next((i for i, cond in enumerate(_eb_conditions(cs, as_)) if cond), 4)
        parts = _EB_ROUTES[number](cs, as_, want_all)
        return tuple(None if x is None else np.reshape(x, shape) for x in parts)
    c, a = c.ravel(), a.ravel()
    route = _eb_route(c, a)
    first = route[0]
    if (route == first).all():
        parts = _EB_ROUTES[first](c, a, want_all)
        return tuple(None if x is None else np.reshape(x, shape) for x in parts)
    outs = [np.empty(c.shape) for _ in range(3 if want_all else 1)]
    for number, fn in enumerate(_EB_ROUTES):
        idx = np.flatnonzero(route == number)
        if idx.size:
            for out, part in zip(outs, fn(c[idx], a[idx], want_all)):
                out[idx] = part
    outs = [o.reshape(shape) for o in outs]
    return tuple(outs) if want_all else (outs[0], None, None)


def log_erlang_b_continuous(x, a):
    """(log B, log Z) of Erlang B continued to real server counts x > 0:
    1/B(x, a) = a^-x e^a Gamma(x+1, a), the incomplete-gamma continuation.

    Integer x take the integer kernel (so both agree to the bit there);
    other x take the same incomplete-gamma route below the mean, and above
    it Legendre's fraction for Gamma(x, a), whose numerators n (x - n) turn
    negative past n = x: evaluated by the Lentz method with its own stopping
    rule rather than at a fixed depth.
    """
    x = np.asarray(x, dtype=float)
    a = np.asarray(a, dtype=float)
    shape = x.shape
    x, a = x.ravel(), a.ravel()
    log_b = np.empty(x.shape)
    log_z = np.empty(x.shape)
    whole = x == np.floor(x)
    if whole.any():
        lb, lz, _ = log_erlang_b_parts(x[whole], a[whole])
        log_b[whole], log_z[whole] = lb, lz
    frac = ~whole
    zero = frac & (a == 0)
    log_b[zero], log_z[zero] = -np.inf, np.inf
    cf = np.flatnonzero(frac & ~zero & (a - x >= _CF_SIGMAS * np.sqrt(np.maximum(x, 1.0))))
    inc = np.flatnonzero(frac & ~zero & ~(a - x >= _CF_SIGMAS * np.sqrt(np.maximum(x, 1.0))))
    if cf.size:
        xc, ac = x[cf], a[cf]
        cp = xc - 1
        f = _lentz(ac - cp, lambda n, i: n * (xc[i] - n), lambda n, i: ac[i] - cp[i] + 2 * n,
                   xc.size, _CF_TERMS)
        log_b[cf] = -np.log1p(xc / f)
        log_z[cf] = np.log(xc) - np.log(f)
    if inc.size:
        lb, lz, _ = _eb_inc(x[inc], a[inc], True)
        log_b[inc], log_z[inc] = lb, lz
    return log_b.reshape(shape), log_z.reshape(shape)


def log1mexp(x):
    """log(1 - exp(x)) for x <= 0, exact at both ends (Maechler 2012):
    log(-expm1(x)) near 0, where 1 - e^x is small, and log1p(-exp(x)) beyond
    -log 2, where it is close to 1 and its log is small."""
    x = np.asarray(x, dtype=float)
    with np.errstate(divide="ignore"):   # x = 0 gives -inf, as it should
        near = x > -0.6931471805599453
        return np.where(near, np.log(-np.expm1(np.where(near, x, -1.0))),
                        np.log1p(-np.exp(np.where(near, -1.0, x))))


def log_expm1(y):
    """log(exp(y) - 1) for y > 0 without overflow or cancellation."""
    y = np.asarray(y, dtype=float)
    with np.errstate(divide="ignore"):  # y = inf gives inf, as it should
        return y + np.log(-np.expm1(-y))


def log_engset_parts(n, c, beta):
    """Return (log E, log Z) for the truncated binomial law of Engset's model:
    n sources, c servers, idle-source load beta, E = time congestion and
    Z = 1/E - 1 = sum_{i<c} C(n,i) beta**i / (C(n,c) beta**c); a third
    output is log(beta * Z), exact also where beta is huge and Z tiny (it
    gives the carried load beta (1 - E) without cancellation).

    Integers n >= 1 and c >= 1, beta >= 0, float arrays of one shape.  Where
    c > n the congestion is 0; where c == n it is (beta/(1+beta))**n.
    """
    n = np.asarray(n, dtype=float)
    c = np.asarray(c, dtype=float)
    beta = np.asarray(beta, dtype=float)
    log_e = np.empty(n.shape)
    log_z = np.empty(n.shape)
    log_bz = np.empty(n.shape)
    with np.errstate(divide="ignore", over="ignore"):
        # log(beta/(1+beta)): -log1p(1/beta) keeps its relative precision
        # when beta is huge and p is within an ulp of 1; below 1 (where 1/beta
        # would overflow for a subnormal beta) log(beta) - log1p(beta).
        log_p = np.where(beta >= 1, -np.log1p(1 / np.maximum(beta, 1.0)),
                         np.log(beta) - np.log1p(beta))
    p = beta / (1 + beta)
    q = 1 / (1 + beta)

    zero = beta == 0
    log_e[zero], log_z[zero], log_bz[zero] = -np.inf, np.inf, np.inf
    over = ~zero & (c > n)
    log_e[over], log_z[over], log_bz[over] = -np.inf, np.inf, np.inf
    full = ~zero & (c == n)
    if np.any(full):
        le = n[full] * log_p[full]
        log_e[full] = le
        # Z is ((1+beta)/beta)**n less 1
        lz = log_expm1(-le)
        log_z[full] = lz
        bf = beta[full]
        with np.errstate(over="ignore"):
            lin = np.log(bf * np.expm1(-le))
        # Where Z is tiny (beta huge) the product beta * Z is formed directly;
        # elsewhere the two logs do not cancel.
        log_bz[full] = np.where(-le < 1, lin, np.log(bf) + lz)
    rest = ~zero & ~over & ~full
    mean = n * p
    sd = np.sqrt(n * p * q)
    cf = rest & (c < mean) & ((mean - c >= _CF_SIGMAS * sd) | (c <= 25))
    inc = rest & ~cf
    if np.any(cf):
        nn, cc, bb = n[cf], c[cf], beta[cf]
        cp = cc - 1
        # R(c') = cdf/pmf = 2F1(-c', 1; n-c'+1; -1/beta) by Gauss's continued
        # fraction, even part: all partial numerators positive, and written in
        # gamma = beta * alpha so that no power of beta is ever formed.
        # beta/R(c') = g0 + a1/(g1 + a2/(g2 + ...)).

        def gam_even(m, i):  # beta * alpha_{2m}
            return m * (nn[i] + m) / ((nn[i] - cp[i] + 2 * m - 1) * (nn[i] - cp[i] + 2 * m))

        def gam_odd(m, i):  # beta * alpha_{2m+1}
            return -((cp[i] - m) * (nn[i] - cp[i] + m)
                     / ((nn[i] - cp[i] + 2 * m) * (nn[i] - cp[i] + 2 * m + 1)))

        all_i = np.arange(cc.size)
        t = _lentz(bb + gam_odd(0, all_i),
                   lambda m, i: -gam_odd(m - 1, i) * gam_even(m, i),
                   lambda m, i: bb[i] + gam_even(m, i) + gam_odd(m, i),
                   cc.size, _CF_TERMS)
        # Z(c) = c / ((n-c+1) beta) * R(c-1) = c / ((n-c+1) * t)
        log_zz = np.log(cc) - np.log(nn - cc + 1) - np.log(t)
        log_z[cf] = log_zz
        log_bz[cf] = np.log(cc) - np.log(nn - cc + 1) - np.log(t / bb)
        log_e[cf] = -np.logaddexp(0.0, log_zz)
    if np.any(inc):
        nn, cc, pp, qq = n[inc], c[inc], p[inc], q[inc]
        # The incomplete beta function is sensitive to a relative error in its
        # argument x through the factor x**a; handing it the smaller of p and
        # q (each correct to an ulp) keeps that error at the size the problem
        # itself has, where 1 - p formed from a tiny p would not.
        small_p = pp <= qq
        cdf = np.where(small_p,
                       special.betaincc(cc + 1, nn - cc, np.where(small_p, pp, 0.5)),
                       special.betainc(nn - cc, cc + 1, np.where(small_p, 0.5, qq)))
        le = log_binom_pmf(cc, nn, pp, qq) - np.log(cdf)
        log_e[inc] = le
        lz = log_expm1(-le)
        log_z[inc] = lz
        # beta <= ~10 n on this route, so these logs are moderate.
        log_bz[inc] = np.log(beta[inc]) + lz
    return log_e, log_z, log_bz


def log_geometric_sum(log_ratio, terms):
    """log(sum_{j=0}^{terms-1} r**j) for r = exp(log_ratio) <= 1.

    Stable at r = 1 (gives log(terms)), as r -> 1 (expm1 on both sides) and for
    r = 0 (gives 0 for terms >= 1); terms = 0 gives -inf.
    """
    L = np.asarray(log_ratio, dtype=float)
    m = np.asarray(terms, dtype=float)
    L, m = np.broadcast_arrays(L, m)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = log1mexp(m * L) - log1mexp(L)
    out = np.where(L == 0, np.log(np.where(m > 0, m, 1.0)), out)
    out = np.where(m == 0, -np.inf, out)
    # r = 0: only the j = 0 term survives (0**0 = 1).
    out = np.where((L == -np.inf) & (m > 0), 0.0, out)
    return out


# Bernoulli-number series of h(y) = 1/expm1(y) - 1/y, |y| < 1:
# -1/2 + y/12 - y^3/720 + y^5/30240 - y^7/1209600 + ...
_H_COEF = (1.0 / 12, -1.0 / 720, 1.0 / 30240, -1.0 / 1209600,
           1.0 / 47900160, -691.0 / 1307674368000, 1.0 / 74724249600,
           -3617.0 / 10670622842880000)


def _h_small(y):
    y2 = y * y
    s = 0.0
    for coef in reversed(_H_COEF):
        s = s * y2 + coef
    return -0.5 + y * s


def truncated_geometric_mean(log_ratio, top):
    """Mean of j on {0, ..., top} with weights r**j, r = exp(log_ratio) <= 1.

    Written as h(y) - (top+1) h((top+1) y), y = -log r, where
    h(y) = 1/expm1(y) - 1/y; the 1/y poles of the textbook form
    r/(1-r) - (top+1) r**(top+1)/(1-r**(top+1)) cancel analytically, so the
    result keeps full precision as r -> 1 (where it tends to top/2).
    """
    L = np.asarray(log_ratio, dtype=float)
    m1 = np.asarray(top, dtype=float) + 1
    L, m1 = np.broadcast_arrays(L, m1)
    y = -L
    Y = m1 * y
    out = np.empty(L.shape)
    small = Y < 1
    if np.any(small):
        out[small] = _h_small(y[small]) - m1[small] * _h_small(Y[small])
    big = ~small
    if np.any(big):
        with np.errstate(over="ignore", divide="ignore"):
            # y = inf (r = 0) gives 0 - 0; expm1(Y) = inf makes the tail 0.
            out[big] = 1 / np.expm1(y[big]) - m1[big] / np.expm1(Y[big])
    return out
