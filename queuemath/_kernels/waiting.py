r"""Waiting-time laws of FIFO Markovian queues (private kernel).

An admitted customer of M/M/c/K who finds c + j present (0 <= j < m = K - c)
waits for j + 1 departures at the rate c mu of the busy servers: an
Erlang(j + 1, c mu) time.  The arrival-seen law of the queue states is
:math:`\propto \rho^j`, so in units of :math:`x = c\mu t` the tail of the wait
is a multiple of

.. math::

    S(x) = \sum_{j=0}^{m-1} \rho^j Q(j+1, x)
         = \frac{e^{-(1-\rho)x}\, Q(m, \rho x) - \rho^m Q(m, x)}{1 - \rho},

with :math:`Q(n, x) = P(\mathrm{Poisson}(x) < n)` the regularised upper
incomplete gamma function (swap the sums: :math:`\sum_{i<m} e^{-x}x^i/i!
\sum_{j=i}^{m-1}\rho^j`).  Its derivative is :math:`-e^{-(1-\rho)x}Q(m,\rho
x)`, the density of the wait (far beyond m at rho well above 1 by its own
far-tail series: its two logs there are each about (rho - 1) x).  The
closed form costs two incomplete gamma functions whatever m, but it is a
difference: exact where its two terms differ by a factor of two or more,
and evaluated otherwise (rho near 1, and the far tail where both terms tend
to the same Poisson term) from sums of positive terms only:

* m <= 64: the swapped sum itself, e^-x times a polynomial of degree m - 1
  with positive coefficients, by Horner's rule (_poly_logs);
* far tail, :math:`x, \rho x \ge 1.25(m-1)`: :math:`S = p_{m-1}(x)\rho^{m-1}
  \sum_l (m-1)_l (\rho x)^{-l} \sum_{i \le l} \rho^i`, the terms shrinking
  by 0.8 or more each (at most 200 terms);
* |log rho| (m + x) below 1024: the tilted mean, an integral over log rho
  of a positive integrand whose log moves by at most that much (_tilted;
  below 3 its few nodes take G from one series about x);
* elsewhere: :math:`S(x) = \int_x^\infty e^{-(1-\rho)u} Q(m, \rho u)\,du`, a
  log-concave integrand, by Gauss-Legendre panels over which its log moves
  by about 2 (a bounded number of panels: O(1) per point).

Quantiles solve log S(x) = target.  Queues of at most 64 places are taken
by the two polynomials with positive coefficients that e^x S and e^x (-S')
are (_poly_logs, a sixth of the closed form's cost); the others by their
routes above, each evaluation followed by a step of S's own Taylor series,
whose coefficients two-term recurrences give from the density and one
Poisson term (_local_model): from the usual starts one evaluation a point.

:math:`\log Q(n, x)` comes from the Erlang B kernel, :math:`\log Q(n, x) =
\log p_{n-1}(x) - \log B(n-1, x)` (Loader's Poisson term and Erlang B, exact
for millions of servers), or :math:`\log(1 - P(n, x))` far below the mean.

References
----------
.. [1] D. Gross, J. F. Shortle, J. M. Thompson, C. M. Harris, *Fundamentals
   of Queueing Theory*, 4th ed., Wiley, 2008, sec. 2.5 (waiting times in
   finite queues: a mixture of Erlang laws over the arrival-seen states).
.. [2] NIST Digital Library of Mathematical Functions, sec. 8.2 and 8.4
   (incomplete gamma functions and Poisson sums). https://dlmf.nist.gov/8.4
"""
import functools

import numpy as np

from . import finite as _finite
from . import population as _population
from . import special as _special
from . import temme as _temme

__all__ = ["log_q", "log_s", "log_s_and_density", "log_density", "log_convolved", "integrate_density",
           "solve_log_s", "solve_falling", "response_quantile", "log_response_cdf_low", "LOW_TERMS"]

#: The response time's positive-term CDF takes at most this many terms a
#: point (about c mu t + 12 sqrt(c mu t) + 60)
LOW_TERMS = 100_000

_LN2 = 0.6931471805599453
#: the closed form's two terms may be this close in log (a ratio e^-0.1):
#: the difference then keeps all but 3.4 bits of the terms' precision
_DIRECT_GAP = -0.1
_GL_T, _GL_W = np.polynomial.legendre.leggauss(20)
_TAIL = 40.0        # panels stop when what is left is below e^-40 of the total
_PANELS = 400       # a bound the step rule never reaches (about 60 at most)


def log_q(n, x):
    """log Q(n, x) = log P(Poisson(x) <= n - 1), n >= 1 integer-valued, x >= 0
    (float arrays of one shape)."""
    n, x = np.broadcast_arrays(np.asarray(n, dtype=float), np.asarray(x, dtype=float))
    shape = n.shape
    n, x = n.ravel(), x.ravel()
    out = np.zeros(n.shape)
    one = np.flatnonzero((n == 1) & (x > 0))
    out[one] = -x[one]
    # the routes' points by index (scattered boolean masks cost numpy
    # several times as much)
    rest = np.flatnonzero((n > 1) & (x > 0))
    nr, xr = n[rest], x[rest]
    c = nr - 1
    root = np.sqrt(c)
    route = np.where(xr < c - 6.0 * root, 0, np.where(xr - c < _special.CF_SIGMAS * root, 1, 2))
    far, mid, near = (np.flatnonzero(route == k) for k in range(3))
    if far.size:
        # Q close to 1: log1p of the small tail P keeps every digit
        out[rest[far]] = np.log1p(-_temme.gamma_p(nr[far], xr[far]))
    # Up to the continued fraction's route Q is above ~1e-3: its log
    # directly (Erlang B's incomplete-gamma route would form log p - log B
    # = log p - (log p - log Q), two Poisson terms to cancel)
    if mid.size:
        out[rest[mid]] = np.log(_temme.gamma_q(nr[mid], xr[mid]))
    if near.size:
        cc, xx = c[near], xr[near]
        lb = _special.log_erlang_b_parts(cc, xx, want_all=False)[0]
        out[rest[near]] = _special.log_poisson_pmf(cc, xx) - lb
    out[np.isinf(x)] = -np.inf
    return out.reshape(shape)


def log_density(L, m, x):
    """log of -dS/dx = e^{-(1-rho)x} Q(m, rho x).  Where rho x is far beyond
    m and (rho - 1) x dwarfs the answer, the two terms of that form (each
    about (rho - 1) x) would cancel, leaving 8 digits at rho = 4.5e5: there
    the far-tail series p_(m-1)(x) rho^(m-1) sum_i (m-1)!/(m-1-i)! (rho
    x)^-i, from positive terms of moderate size."""
    L, m, x = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (L, m, x)))
    with np.errstate(over="ignore", invalid="ignore"):
        y, tilt = np.exp(L) * x, np.expm1(L) * x
        out = np.asarray(tilt + log_q(m, y), dtype=float)
        far = (m > 1) & (y >= _SERIES_FROM * (m - 1)) & (tilt > 16.0 * (m + x))
    if far.any():
        out = out.copy()
        out[far] = _series(L[far], m[far], x[far], density=True)
    return out


def _log_s0(L, m):
    """log S(0) = log sum_{j<m} rho^j, either side of rho = 1."""
    return _finite.log_rho_sum(L, m, first=0)


#: The far-tail series is used where x and rho x are at least this many
#: times m - 1: its terms then shrink by 0.8 or more each, so _SERIES_TERMS
#: of them leave less than 1e-17 (0.8**200 * 200 < 1e-17).
_SERIES_FROM, _SERIES_TERMS = 1.25, 200


def _series(L, m, x, density=False):
    """Far tail (x, rho x >= 1.25 (m - 1)): log S by its positive series,
    see the module notes; with ``density``, the log density e^{-(1-rho)x}
    Q(m, rho x) = p_(m-1)(x) rho^(m-1) sum_l (m-1)!/(m-1-l)! (rho x)^-l, the
    same terms without S's geometric sums (for rho x >= 1.25 (m - 1)).
    Stops once the last terms added are below 1e-17 of the sum."""
    rho = np.exp(L)
    y = rho * x
    total = np.ones(x.shape)
    a = np.ones(x.shape)
    g = np.ones(x.shape)
    for l in range(_SERIES_TERMS):
        a = a * np.maximum(m - 1 - l, 0.0) / y
        if not density:
            g = 1.0 + rho * g
        term = a * g
        total = total + term
        if l >= 8 and np.all(term <= 1e-17 * total):
            break
    return _special.log_poisson_pmf(m - 1, x) + (m - 1) * L + np.log(total)


_FEW = 64     # up to this many queue places the sum is a polynomial (_poly_logs)

#: Gauss-Legendre sizes for the tilted mean by the log-variation bound v it
#: must cover: the n-node rule's error for e^(v t) on [0, 1], v^(2n) (n!)^4 /
#: ((2n + 1) ((2n)!)^3) relative, stays below 1e-20 (1e-18 with a hundredfold
#: margin for the integrand's curvature, which is a 1/m share of its slope
#: squared).  Measured on 2e5 points against rules of twice the nodes: the
#: same 7e-14 rounding floor as the rules' earlier sizes (by v^(2n)/(2n)!).
_TILT_RULES = ((8e-5, 2), (5e-3, 3), (4e-2, 4), (0.4, 6), (3.0, 10))
#: Beyond that the interval is cut into 2^k or 3 2^k equal panels (the
#: fewest of those) over each of which log D moves by at most 8, each taken
#: by a 14-node rule (the same bound: 1.1e-20); up to this v (128 panels),
#: beyond it the quadrature in u.
_TILT_PANEL_V, _TILT_PANEL_NODES, _TILT_MAX = 8.0, 14, 1024.0


@functools.cache
def _gauss_legendre(n):
    """The n-node rule on [0, 1]: (nodes, weights summing to 1); cached,
    as the search asks for the same few rules on every call."""
    t, w = np.polynomial.legendre.leggauss(n)
    nodes, weights = 0.5 * (1.0 + t), 0.5 * w
    nodes.flags.writeable = weights.flags.writeable = False
    return nodes, weights


def _tilt_rules(v):
    """[(points, nodes in [0, 1], weights summing to 1)] for the tilted mean,
    grouping the points by the rule their bound v needs."""
    groups = []
    lower = 0.0
    for bound, n in _TILT_RULES:
        at = np.flatnonzero((v >= lower) & (v < bound))
        lower = bound
        if at.size:
            groups.append((at,) + _gauss_legendre(n))
    wide = np.flatnonzero(v >= _TILT_RULES[-1][0])
    if wide.size == 0:
        return groups
    t, w = _gauss_legendre(_TILT_PANEL_NODES)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.maximum(v[wide] / _TILT_PANEL_V, 1.0)
        twos = 2.0 ** np.ceil(np.log2(r))
        threes = 3.0 * 2.0 ** np.ceil(np.log2(r / 3.0))
        count = np.where(threes >= 3.0, np.minimum(twos, threes), twos)
    for panels in np.unique(count):
        at = wide[count == panels]
        panels = int(panels)
        start = np.arange(panels)[:, None]
        nodes = ((start + t[None, :]) / panels).ravel()
        groups.append((at, nodes, np.tile(w / panels, panels)))
    return groups


#: Terms of the series of G about x (_tilted_center) for each rule, by its
#: node count; panels keep their nodes
_TILT_SERIES_TERMS = {2: 6, 3: 6, 4: 8, 6: 12, 10: 18}


def _tilted(L, m, x):
    r"""log S(x) for rho near 1, from positive terms only: by the fundamental
    theorem of calculus in l = log rho' from 0 to L,

    .. math:: S(x) = \rho^m \frac{L}{e^L - 1}\,
              \frac1L\int_0^L e^{(e^l - 1)x - ml}\, G(x e^l)\,dl
              = \rho^m \frac{L}{e^L - 1}\, p_m(x)\,
              \frac1L\int_0^L D(m, x e^l)\,dl,

    with :math:`G(z) = E[(m - \mathrm{Poisson}(z))^+]`, p_m the Poisson
    term and :math:`D(m, z) = \sum_{n<m} (m-n) z^{n-m} m!/n!` the Erlang
    loss system's idle servers over its blocking.  log D moves by at most
    v = |L| (m + x) over the interval, so a Gauss-Legendre rule of a few
    nodes (``_TILT_RULES``) takes the mean for v < 3, and 2^k or 3 2^k equal
    panels of ``_TILT_PANEL_NODES`` nodes, over each of which it moves by at
    most 8, up to ``_TILT_MAX``.  A rule's nodes take G from its series
    about x (_tilted_center: one incomplete gamma function a point instead
    of one a node) where that series converges fast enough, else (and on
    panels) each from its own evaluation."""
    v = np.abs(L) * (m + x)
    out = np.full(L.shape, np.nan)
    for at, nodes, weights in _tilt_rules(v):
        La, ma, xa = L[at], m[at], x[at]
        terms = _TILT_SERIES_TERMS.get(nodes.size)
        if terms:
            log_mean = _tilted_center(La, ma, xa, nodes, weights, terms)
        else:
            log_mean = np.full(at.size, np.nan)
        back = np.flatnonzero(np.isnan(log_mean))
        if back.size:
            log_mean[back] = _tilted_nodes(La[back], ma[back], xa[back], nodes, weights)
        with np.errstate(invalid="ignore", divide="ignore"):
            log_ratio = np.where(La == 0, 0.0, np.log(La / np.expm1(np.where(La == 0, 1.0, La))))
        out[at] = ma * La + log_ratio + log_mean
    return out


def _log_g(m, z):
    """(log G(z), Q(m, z)/G(z), p_(m-1)(z)/G(z)), G(z) = E[(m - Poisson(z))^+]
    = (m - z) Q(m, z) + z p_(m-1)(z): from those two positive terms at or
    below m (there p_m(z) D(m, z) would add and cancel logs of size m
    log(m/z)); above m, where they cancel, G = p_m(z) D(m, z) with Q =
    p_m(z) Z (Erlang B's Z = 1/B - 1 = Q(m, z)/p_m(z)) and z p_(m-1) = m p_m,
    logs of moderate size."""
    log_g, q_hat, p_hat = (np.empty(z.shape) for _ in range(3))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
        low = np.flatnonzero(z <= m)
        if low.size:
            ml, zl = m[low], z[low]
            lq, lp = log_q(ml, zl), _special.log_poisson_pmf(ml - 1, zl)
            lg = np.logaddexp(np.log(ml - zl) + lq, np.log(zl) + lp)
            log_g[low], q_hat[low], p_hat[low] = lg, np.exp(lq - lg), np.exp(lp - lg)
        high = np.flatnonzero(~(z <= m))
        if high.size:
            mh, zh = m[high], z[high]
            _, log_z, _ = _special.log_erlang_b_parts(mh, zh)
            log_dd = _special.log_idle_ratio(mh, zh, log_z)
            log_g[high] = _special.log_poisson_pmf(mh, zh) + log_dd
            q_hat[high] = np.exp(log_z - log_dd)
            p_hat[high] = np.exp(np.log(mh / zh) - log_dd)
    return log_g, q_hat, p_hat


def _tilted_center(L, m, x, nodes, weights, terms):
    r"""The tilted mean's log, log mean_i e^{(e^l_i - 1)x - m l_i} G(x e^l_i),
    with G at the nodes z = x e^l = x + s from its Taylor series about x:
    G' = -Q(m, z), G'' = p_(m-1)(z), so that

    .. math:: \frac{G(x + s)}{G(x)} = 1 - \hat q s + \hat p s^2
              \sum_k \frac{\pi_k s^k}{(k+1)(k+2)},

    :math:`\hat q = Q/G`, :math:`\hat p = p_{m-1}/G` at x and pi_k the
    Taylor coefficients of p_(m-1)(x + s)/p_(m-1)(x), from x (k+1)
    pi_(k+1) = (m - 1 - x - k) pi_k - pi_(k-1) (z p' = (m - 1 - z) p).
    ``terms`` terms; NaN (the nodes' own evaluations, _tilted_nodes, then)
    where the last two terms at the farthest node are not both below 1e-18
    of G(x) (the series' terms decay as those of an entire function beyond
    |s| |m - 1 - x|/x <= v, so the rest is smaller still), or where G
    changes by half or more across the nodes (its rounding then grows).
    Measured against the nodes' own evaluations on 2e4 points over the
    rules' domain: within 2e-14 of 1 + |log| (tests/test_waiting.py checks
    it against state-by-state sums)."""
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        # about x itself, a double: about the middle x e^(L/2), the rounding
        # of that point (an ulp of x) would move log G by Q/G ulps of x
        # (measured: 2e-13 at x = 1.5e5 just above m)
        log_g0, q_hat, p_hat = _log_g(m, x)
        s = x[:, None] * np.expm1(L[:, None] * nodes[None, :])
        a, inv = m - 1.0 - x, 1.0 / x
        pi_prev, pi = np.zeros(x.shape), np.ones(x.shape)
        coef = [0.5 * pi]
        for k in range(terms - 1):
            pi, pi_prev = ((a - k) * pi - pi_prev) * (inv / (k + 1)), pi
            coef.append(pi * (1.0 / ((k + 2) * (k + 3))))
        acc = np.repeat(coef[-1][:, None], nodes.size, axis=1)
        for c in coef[-2::-1]:
            acc *= s
            acc += c[:, None]
        u = s * (p_hat[:, None] * s * acc - q_hat[:, None])
        far = np.abs(s).max(axis=1)
        # the last two terms at the farthest node: p_hat s^2 c_k s^k
        last = p_hat * far ** terms * np.maximum(np.abs(coef[-1]) * far, np.abs(coef[-2]))
        ell = L[:, None] * nodes[None, :]
        pre = np.expm1(ell) * x[:, None] - m[:, None] * ell
        log_mean = log_g0 + np.log((np.exp(pre) * (1.0 + u)) @ weights)
        ok = (last <= 1e-18) & (np.abs(u).max(axis=1) <= 0.5) & np.isfinite(log_mean)
    return np.where(ok, log_mean, np.nan)


def _tilted_nodes(L, m, x, nodes, weights):
    """The tilted mean's log (see _tilted_center) from G's own evaluation at
    each node (_log_g)."""
    ell = L[:, None] * nodes[None, :]
    z = x[:, None] * np.exp(ell)
    pre = np.expm1(ell) * x[:, None] - m[:, None] * ell
    log_g = _log_g(np.broadcast_to(m[:, None], z.shape).ravel(), z.ravel())[0]
    log_d = pre + log_g.reshape(z.shape)
    top = log_d.max(axis=1)
    return top + np.log(np.exp(log_d - top[:, None]) @ weights)


def _poly_logs(L, m, x):
    r"""(log S(x), log of -dS/dx) for m <= _FEW, the points sorted by m
    descending, from the two polynomials with positive coefficients

    .. math:: e^x S(x) = \sum_{i<m} h_i \frac{x^i}{i!}, \quad
              e^x (-S'(x)) = \sum_{i<m} \rho^i \frac{x^i}{i!}, \quad
              h_i = \sum_{j=i}^{m-1} \rho^j,

    by Horner's rule in the form P_i = h_i + x P_(i+1)/(i + 1): every
    operation adds or multiplies positive numbers, so each value keeps all
    but a few ulps whatever rho (no difference of the closed form's two
    terms), for about 8 m operations a point (the longest queues first:
    term i concerns only the points with m > i, a prefix).  Where rho^(m-1)
    is beyond e^200 the coefficients are taken over it, so that none
    exceeds m.  Each is NaN where its sum overflows all the same (h_0
    x^(m-1)/(m-1)! beyond the doubles: x from 1e5 to 2e6 at 64 places), or,
    scaled, where the density's underflows (x below about rho^-1), for the
    caller's other routes."""
    top = int(m[0]) if m.size else 0
    live = np.searchsorted(-m, -np.arange(top, dtype=float), side="left")   # m > i
    p = np.zeros(x.shape)
    r = np.zeros(x.shape)
    h = np.zeros(x.shape)
    # log of the scale rho^(m-1), where rho^(m-1) could overflow (the sums
    # are otherwise left unscaled: the shift's own rounding costs ulps)
    shift = (m - 1) * np.maximum(L, 0.0)
    shift = np.where(shift > 200.0, shift, 0.0)
    scaled = bool(np.any(shift))
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        for i in range(top - 1, -1, -1):
            k = live[i]
            e = np.exp(i * L[:k] - shift[:k]) if scaled else np.exp(i * L[:k])
            h[:k] += e
            t = x[:k] / (i + 1)
            pk, rk = p[:k], r[:k]
            pk *= t
            pk += h[:k]
            rk *= t
            rk += e
    with np.errstate(divide="ignore", invalid="ignore"):
        ls, ld = np.log(p) + (shift - x), np.log(r) + (shift - x)
    ls[~np.isfinite(ls)] = np.nan
    ld[~np.isfinite(ld)] = np.nan
    return ls, ld


def _longest_first(m):
    """The order _poly_logs takes its points in: m descending, stably.  m
    <= _FEW: small integer keys, which numpy's stable sort takes by radix."""
    return np.argsort(-m.astype(np.int16), kind="stable")


def _phi(L, m, u):
    """log integrand, its slope and curvature at u (the integrand is
    e^{-(1-rho)u} Q(m, rho u); d/du log Q(m, y) = -B(m-1, y))."""
    rho = np.exp(L)
    y = rho * u
    c = m - 1
    lb = _special.log_erlang_b_parts(c, np.maximum(y, 1e-300), want_all=False)[0]
    b = np.exp(lb)
    slope = np.expm1(L) - rho * b
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        # d B / d a = B (c/a - 1 + B)
        db = np.where(b > 0, b * (np.exp(np.log(c) - np.log(np.maximum(y, 1e-300))) - 1 + b),
                      0.0)
    curv = -rho * rho * db
    return log_density(L, m, u), slope, curv


def _peak(L, m, kappa, lo, hi):
    """Where the log-concave integrand peaks on [lo, hi]: its slope
    kappa - (1 - rho) - rho B(m - 1, rho u) falls with u, so bisect on it."""
    rho = np.exp(L)
    slope = lambda u: kappa + np.expm1(L) - rho * np.exp(          # noqa: E731
        _special.log_erlang_b_parts(m - 1, np.maximum(rho * u, 1e-300), want_all=False)[0])
    width = np.sqrt(np.maximum(m - 1, 1.0)) / rho
    up = slope(lo) > 0                       # rising at lo: the peak is further on
    a, b = lo.copy(), np.where(np.isfinite(hi), hi, np.maximum(2 * (m - 1) / rho, lo) + 1)
    # an infinite end: the slope is negative past about m/rho (B near 1)
    for _ in range(200):
        mid = 0.5 * (a + b)
        rising = slope(mid) > 0
        a, b = np.where(rising, mid, a), np.where(rising, b, mid)
        if np.all(b - a <= 1e-3 * np.minimum(np.maximum(1.0, b), width) + (b <= a)):
            break
    return np.where(up, np.minimum(a, hi), lo)


def _march(L, m, kappa, start, stop, direction):
    """log of the integral of the integrand from ``start`` towards ``stop``
    (direction +1 or -1), starting at its peak so that it only falls: panels
    over which its log moves by about 2, until the rest is below e^-40 of the
    total (at most f/|slope| for a log-concave function) or ``stop``."""
    n = start.size
    u = start.astype(float).copy()
    total = np.full(n, -np.inf)
    live = np.flatnonzero((stop - u) * direction > 0)
    rho = np.exp(L)
    centre = (m - 1) / rho                # where Q(m, rho u) falls from 1 to 0
    width = np.sqrt(np.maximum(m - 1, 1.0)) / rho
    for _ in range(_PANELS):
        if live.size == 0:
            return total
        Ll, ml, ul, kl = L[live], m[live], u[live], kappa[live]
        _, slope, curv = _phi(Ll, ml, ul)
        slope = slope + kl
        with np.errstate(divide="ignore"):
            h = 2.0 / np.maximum(np.maximum(np.abs(slope), np.sqrt(np.abs(curv))), 1e-300)
        # never jump over the fall of Q: at most half the way to it
        gap = (centre[live] - ul) * direction
        h = np.where(gap > width[live], np.minimum(h, np.maximum(0.5 * gap, width[live])), h)
        # near the fall, panels no longer than the distance to it (so that
        # they grow geometrically away from it), and a width at most
        h = np.minimum(h, np.maximum(np.abs(gap), width[live]))
        h = np.minimum(h, (stop[live] - ul) * direction)
        nodes = ul[:, None] + direction * 0.5 * h[:, None] * (1.0 + _GL_T)
        shape = nodes.shape
        lf = log_density(np.broadcast_to(Ll[:, None], shape).ravel(),
                         np.broadcast_to(ml[:, None], shape).ravel(),
                         nodes.ravel()).reshape(shape) + kl[:, None] * nodes
        top = lf.max(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            panel = top + np.log(0.5 * h * (np.exp(lf - top[:, None]) @ _GL_W))
        panel = np.where(np.isfinite(top), panel, -np.inf)
        total[live] = np.logaddexp(total[live], panel)
        u[live] = ul + direction * h
        end_phi, end_slope, _ = _phi(Ll, ml, u[live])
        end_phi = end_phi + kl * u[live]
        end_slope = (end_slope + kl) * direction
        with np.errstate(divide="ignore", invalid="ignore"):
            rest = end_phi - np.log(np.abs(end_slope))
        done = (((end_slope < 0) & (rest < total[live] - _TAIL)) | ~np.isfinite(end_phi)
                | ((stop[live] - u[live]) * direction <= 0))
        live = live[~done]
    raise RuntimeError("waiting-time quadrature did not converge")   # pragma: no cover


def _quadrature(L, m, x, end=None, kappa=None):
    """log of the integral of e^{kappa u} times the density from x to ``end``
    (default infinity): outwards from the integrand's peak (it stays
    log-concave for any kappa), see _march."""
    stop = np.full(x.size, np.inf) if end is None else end.astype(float)
    kap = np.zeros(x.size) if kappa is None else kappa.astype(float)
    peak = _peak(L, m, kap, x.astype(float), stop)
    ahead = _march(L, m, kap, peak, stop, 1.0)
    behind = _march(L, m, kap, peak, x.astype(float), -1.0)
    return np.logaddexp(ahead, behind)


def integrate_density(L, m, x):
    """log of int_0^x e^{-(1-rho)u} Q(m, rho u) du (m >= 2, x > 0): the
    waits that end by x, from positive terms only."""
    return _quadrature(L, m, np.zeros(x.size), end=np.asarray(x, dtype=float))


def log_convolved(L, m, c, x):
    """log of int_0^x e^{u/c} e^{-(1-rho)u} Q(m, rho u) du: the waits that end
    before x, each followed by the rest of the tagged service (rate mu = c mu
    / c in units of c mu t); used for the response time."""
    L, m, c, x = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (L, m, c, x)))
    shape = L.shape
    out = np.full(L.size, -np.inf)
    pos = np.flatnonzero((x > 0).ravel())
    if pos.size:
        out[pos] = _quadrature(L.ravel()[pos], m.ravel()[pos], np.zeros(pos.size),
                               end=x.ravel()[pos], kappa=1.0 / c.ravel()[pos])
    return out.reshape(shape)


def log_s(L, m, x):
    """log S(x) for log rho = L, m >= 1 queue places (float arrays of one
    shape, x >= 0); see the module notes for the routes."""
    return log_s_and_density(L, m, x, density=False)[0]


def log_s_and_density(L, m, x, density=True):
    """(log S(x), log of -dS/dx): the closed form's first term is the
    density, so where it is taken the density costs nothing more
    (``density=False``: the second is left NaN where it would cost)."""
    return _routes(L, m, x, density)[:2]


def _routes(L, m, x, density=True, closed=True):
    """log_s_and_density, and where the closed form's terms were too close
    to take it; ``closed`` (per point) False skips its attempt (a search
    whose point failed it at the last step: two incomplete gamma functions
    spent for nothing)."""
    L, m, x, closed = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (L, m, x)),
                                          np.asarray(closed, dtype=bool))
    shape = L.shape
    L, m, x, closed = L.ravel(), m.ravel(), x.ravel(), closed.ravel()
    close = np.zeros(L.shape, dtype=bool)
    out = np.empty(L.shape)
    log_d = np.full(L.shape, np.nan)
    todo = np.ones(L.shape, dtype=bool)
    zero = x == 0
    out[zero] = _log_s0(L[zero], m[zero])
    todo &= ~zero
    one = todo & (m == 1)
    out[one] = -x[one]                    # S = Q(1, x) = e^-x whatever rho
    todo &= ~one
    inf = todo & np.isinf(x)
    out[inf] = -np.inf
    todo &= ~inf
    # |d(t1 - t2)/dL| = |e^L x (1 - B(m-1, e^L x)) - m| <= e^|L| x + m for
    # the two terms' logs t1, t2 below: where |L| times that bound is under
    # the gap the closed form needs, its terms are too close (mean value
    # theorem) and are not computed
    with np.errstate(over="ignore", invalid="ignore"):
        sure = todo & (np.abs(L) * (np.exp(np.abs(L)) * x + m) < -_DIRECT_GAP)
    close |= sure
    if (todo & closed & ~sure).any():
        # the closed form where its two terms differ by a factor 2 or more
        idx = np.flatnonzero(todo & closed & ~sure)
        Li, mi, xi = L[idx], m[idx], x[idx]
        delta = -np.expm1(Li)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            t1 = log_density(Li, mi, xi)     # delta (-x) + log Q(m, rho x)
            t2 = mi * Li + log_q(mi, xi)
            below = Li < 0
            diff = np.where(below, t2 - t1, t1 - t2)
            big = np.where(below, t1, t2)
            direct = big + _special.log1mexp(np.minimum(diff, 0.0)) - np.log(np.abs(delta))
        ok = (diff <= _DIRECT_GAP) & (Li != 0) & np.isfinite(direct)
        out[idx[ok]] = direct[ok]
        # the first term is the density whether or not the difference is
        # taken (log_density's own expression, bit for bit)
        dens = np.isfinite(t1)
        log_d[idx[dens]] = t1[dens]
        todo[idx[ok]] = False
        # too close: the terms' gap, not an overflow at an extreme x
        close[idx[(diff > _DIRECT_GAP) & np.isfinite(diff)]] = True
    few = np.flatnonzero(todo & (m <= _FEW))
    if few.size:
        # the polynomials, longest queues first; where their sums overflow
        # (x in the millions) the routes below
        few = few[_longest_first(m[few])]
        ls, ld = _poly_logs(L[few], m[few], x[few])
        fine = np.isfinite(ls)
        out[few[fine]] = ls[fine]
        # the density's sum where it did not overflow (elsewhere the closed
        # form's first term, or log_density below)
        log_d[few] = np.where(np.isnan(ld), log_d[few], ld)
        todo[few[fine]] = False
    if todo.any():
        idx = np.flatnonzero(todo)
        Li, mi, xi = L[idx], m[idx], x[idx]
        res = np.full(idx.size, np.nan)
        far = (xi >= _SERIES_FROM * (mi - 1)) & (np.exp(Li) * xi >= _SERIES_FROM * (mi - 1))
        if far.any():
            res[far] = _series(Li[far], mi[far], xi[far])
        tilt = ~far & (np.abs(Li) * (mi + xi) < _TILT_MAX)
        if tilt.any():
            res[tilt] = _tilted(Li[tilt], mi[tilt], xi[tilt])
        quad = np.isnan(res)
        if quad.any():
            res[quad] = _quadrature(Li[quad], mi[quad], xi[quad])
        out[idx] = res
    rest = np.flatnonzero(np.isnan(log_d)) if density else ()
    if len(rest):
        log_d[rest] = log_density(L[rest], m[rest], x[rest])
    return out.reshape(shape), log_d.reshape(shape), close.reshape(shape)


def solve_falling(evaluate, target, x0, iterations=200, regime=1e-4, refine=None):
    """x >= 0 with f(x) = target for functions f falling in x, elementwise
    (target < f(0) everywhere): ``evaluate(idx, x)`` gives (f, df/dx) at x
    for the points ``idx``.  Newton's method kept inside a bracket, with
    bisection (doubling while no upper end is known) where a step would
    leave it; stops at a relative step of 4 ulps, at a residual within f's
    rounding, or after a Newton step that the last two residuals show
    converging quadratically to below a tenth of that rounding (the
    residual after it, about |g_k|^3/|g_(k-1)|^2, is then not evaluated),
    once the residual before was below ``regime`` (scalar or per point):
    where the ratio of the last two residuals is Newton's constant.

    An ``evaluate`` that also returns f'', f''' and the error of f'' gets
    steps of the inverse function's Taylor series instead (_inverse_series:
    residuals fall as their fourth power), which stop without a further
    evaluation once the series' own remainder is below f's rounding: one
    evaluation a point fewer than Newton's stop, which needs two
    residuals.  ``refine(idx, x, g, values, step, converged, noise)`` may
    then replace those steps and flags (solve_log_s: the local model's step,
    from whatever ``evaluate`` returned beyond those five; ``noise``, f's
    rounding, as the search counts it)."""
    return _falling(evaluate, target, x0, iterations, regime, refine)[0]


def _falling(evaluate, target, x0, iterations=200, regime=1e-4, refine=None, rounds=None,
             bracket=None):
    """solve_falling's search: (x, the points not converged after
    ``rounds`` rounds (none without ``rounds``), x holding where they
    stand, and (lo, hi), every point's bracket).  ``bracket``: the (lo, hi)
    a search continued from x0 had found (without it, [0, inf)); a point
    whose step left the bracket stands at a bisection, and only the bracket
    keeps the continued search from stepping back out of it."""
    target = np.asarray(target, dtype=float).ravel()
    x = np.asarray(x0, dtype=float).ravel().copy()
    if bracket is None:
        lo, hi = np.zeros(x.shape), np.full(x.shape, np.inf)
    else:
        lo, hi = (np.asarray(b, dtype=float).ravel().copy() for b in bracket)
    before = np.full(x.shape, np.nan)      # |residual| before the last Newton step
    regime = np.broadcast_to(np.asarray(regime, dtype=float), x.shape)
    live = np.arange(x.size)
    for step in range(iterations):
        if live.size == 0 or step == rounds:
            return x, live, (lo, hi)
        xl = x[live]
        values = evaluate(live, xl)
        f, df = values[:2]
        tl = target[live]
        g = f - tl
        # the bracket, gathered once a step
        lol, hil = lo[live], hi[live]
        lol = np.where(g > 0, np.maximum(lol, xl), lol)
        hil = np.where(g <= 0, np.minimum(hil, xl), hil)
        lo[live], hi[live] = lol, hil
        # a residual within the rounding of f (about eps (|f| + |x f'|)) is
        # converged: x cannot be pinned down further from f's digits (a
        # slope that overflowed says nothing of them)
        ag = np.abs(g)
        with np.errstate(over="ignore", invalid="ignore"):
            xdf = np.abs(xl * df)
        noise = 8e-16 * (1.0 + np.abs(tl) + np.where(np.isfinite(xdf), xdf, 0.0))
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            new = xl - g / df
        series = np.zeros(xl.shape, dtype=bool)
        if len(values) > 2:
            new, series = _inverse_series(xl, g, df, *values[2:5], new)
            if refine is not None:
                new, series = refine(live, xl, g, values, new, series, noise)
        # Across a wide bracket (a Newton step from where f is flat lands near
        # 1e35, and from there Newton on a steep tail only halves its
        # distance a step) bisect in log x, and take no Newton step beyond
        # that midpoint: the bracket then narrows geometrically
        wide = (hil > 16.0 * lol) & (lol > 0)
        with np.errstate(over="ignore", invalid="ignore"):
            geometric = np.sqrt(lol * hil)
        inside = ((new > lol) & (new < hil) & np.isfinite(new)
                  & ~(wide & (new > geometric)))
        bounded = np.isfinite(hil)
        mid = np.where(bounded, np.where(wide, geometric, 0.5 * (lol + hil)), 2 * lol + 1)
        settled = ag <= noise
        newton = inside & ~settled
        bl = before[live]
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            next_g = ag ** 3 / bl ** 2
        # only once the residual before was already small (the asymptotic
        # regime, where the ratio estimates Newton's constant)
        quadratic = (newton & (bl <= regime[live]) & (ag < 1e-2 * bl)
                     & (next_g <= 0.1 * noise))
        quadratic |= newton & series
        before[live] = np.where(newton, ag, np.nan)
        new = np.where(settled, xl, np.where(inside, new, mid))
        x[live] = new
        done = (settled | quadratic | (np.abs(new - xl) <= 4e-16 * np.abs(new))
                | (hil - lol <= 4e-16 * np.where(bounded, hil, -1)))
        live = live[~done]
    raise RuntimeError("quantile search did not converge")   # pragma: no cover


def _inverse_series(x, g, d1, d2, d3, d2_err, newton):
    """The step of the inverse function's Taylor series to third order,
    x - t1 - t2 - t3 with t1 = g/f', t2 = g^2 f''/(2 f'^3) and t3 = g^3 (3
    f''^2 - f' f''')/(6 f'^5) (g the residual), where its terms fall by
    half or more each (elsewhere ``newton``); converged where, besides,
    the remainder estimated as the next term (t3 times the larger ratio of
    consecutive terms, or t2 times the first ratio squared, whichever is
    larger; about g over the series' radius per term), plus what the error
    ``d2_err`` of f'' moves t2 by, is below a tenth of f's rounding: (step,
    converged)."""
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        t1 = g / d1
        h = g / d1 ** 2
        t2 = 0.5 * h * t1 * d2
        t3 = h * h * t1 * (3.0 * d2 * d2 - d1 * d3) / 6.0
        r2, r3 = np.abs(t2 / t1), np.abs(t3 / t2)
        fall = (r2 <= 0.5) & (r3 <= 0.5) & np.isfinite(t3)
        step = np.where(fall, x - t1 - t2 - t3, newton)
        # the next term by either extrapolation: t3 alone could be small by
        # an accident of its two parts cancelling
        rest = (np.maximum(np.abs(t3) * np.maximum(r2, r3), np.abs(t2) * r2 * r2)
                + 0.5 * np.abs(h * t1) * d2_err) * np.abs(d1)
        noise = 8e-16 * np.abs(x * d1)
        done = fall & (rest <= 0.1 * noise) & (np.abs(g) <= 1e-2)
    return step, done


#: Terms of the local model's series (_local_model)
_MODEL_TERMS = 20
_MODEL_CHECKS = (7, 11, 15)


def _local_model(x, g, target, L, m, ld, lp, h1, noise):
    r"""The step to log S(x + h) = target from S's own Taylor series at x,
    to _MODEL_TERMS terms, where the inverse series' step h1 is at hand:
    (x + h, converged, trusted: whether the step may replace the inverse
    series' where it did not converge).

    With D = -S' (log ``ld``), w = rho^m p_{m-1}(x)/D(x) (``lp`` = log
    p_{m-1}(x)) and delta = 1 - rho, D' = -delta D - rho^m p_{m-1} and
    x p_{m-1}' = (m - 1 - x) p_{m-1} give the Taylor coefficients of
    D(x + s)/D(x) = sum d_k s^k and p_{m-1}(x + s)/p_{m-1}(x) = sum pi_k s^k
    by two-term recurrences,

    .. math:: (k+1) d_{k+1} = -\delta d_k - w \pi_k, \qquad
              x (k+1) \pi_{k+1} = (m - 1 - x - k) \pi_k - \pi_{k-1},

    so that S(x + h) = S(x) - D(x) sum_k d_k h^(k+1)/(k+1) costs no special
    function.  In units of h1 (t = h/h1, terms b_k = d_k h1^k/(k+1)) the
    series is solved by one third-order step from t = 1, whose error is
    the fourth power of h1's.  Converged where the series' last terms and
    that step's remainder, in units of log S, are below a tenth of f's
    rounding ``noise``, and the residual g is at most 1/2 (the model
    differences S(x) and D(x) h, whose rounding it scales by e^g - 1).

    A point's series stops at the first of _MODEL_CHECKS where its last two
    terms are far below its rounding (its length is its own, whatever else
    is in the call).  w is a ratio of logs that may be large (|log D| up to
    |(1 - rho) x| where rho x is far beyond m, e.g. rho = 4e4: 8 digits
    left): its error perturbs D' = -delta D - w D(x) p/p(x), which moves
    F(1) by about that perturbation integrated over the step, grown by
    e^(-delta h1); not converged where that drift is beyond f's rounding."""
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        em1 = np.expm1(L)                           # -delta = rho - 1
        w = np.exp(m * L + lp - ld)
        a = h1 / x
        scale = np.exp(ld - target) * np.abs(h1)
        # per point: -delta h1, -w h1, m - 1 - x, a = h1/x, h1 a, and the
        # bar a term must be under for the series to stop there
        fixed = np.stack([em1 * h1, -w * h1, (m - 1.0) - x, a, h1 * a,
                          1e-3 * noise / scale])
        dh, wh, k0, aa, ah, bar = fixed
        # d_k, pi_k, pi_(k-1); F(1) and its first three derivatives, sum
        # |b_k| (the sums' rounding), and the last two terms b_k
        d, pi, pi_prev = np.ones_like(x), np.ones_like(x), np.zeros_like(x)
        f0, f1, f2, f3 = np.ones_like(x), np.ones_like(x), np.zeros_like(x), np.zeros_like(x)
        big, last, prev = np.ones_like(x), np.ones_like(x), np.ones_like(x)
        out = np.empty((7, x.size))
        terms = np.empty(x.size)
        at = np.arange(x.size)
        for k in range(_MODEL_TERMS - 1):
            j = k + 1
            # (k + 1) d_(k+1) = -delta h1 d_k - w h1 pi_k and (k + 1) pi_(k+1)
            # = (m - 1 - x - k) a pi_k - h1 a pi_(k-1)
            d, pi, pi_prev = ((dh * d + wh * pi) * (1.0 / j),
                              ((k0 - k) * aa * pi - ah * pi_prev) * (1.0 / j), pi)
            # the sums, b_k = d_k/(k + 1)
            b = d * (1.0 / (j + 1))
            f0 += b
            f1 += d
            f2 += j * d
            f3 += (j * (j - 1)) * d
            big += np.abs(b)
            last, prev = b, last
            if j in _MODEL_CHECKS or j == _MODEL_TERMS - 1:
                stop = ~(np.maximum(np.abs(b), 0.1 * np.abs(prev)) > bar)
                if j == _MODEL_TERMS - 1:
                    stop[:] = True
                if stop.any():
                    # compacted by index (take): a boolean mask as scattered
                    # as these costs numpy five times as much
                    keep, stop = np.flatnonzero(~stop), np.flatnonzero(stop)
                    state = np.stack((f0, f1, f2, f3, big, last, prev, d, pi, pi_prev))
                    out[:, at[stop]] = state[:7].take(stop, axis=1)
                    terms[at[stop]] = j + 1
                    at = at[keep]
                    if at.size == 0:
                        break
                    f0, f1, f2, f3, big, last, prev, d, pi, pi_prev = state.take(keep, axis=1)
                    dh, wh, k0, aa, ah, bar = fixed = fixed.take(keep, axis=1)
        f0, f1, f2, f3, big, last, prev = out
        # F(t) = sum b_k t^(k+1) = J/h1 at t = 1 + dt
        r = f0 - (-np.expm1(-g) * np.exp(target + g - ld)) / h1
        q1 = r / f1
        qh = r / (f1 * f1)
        q2 = 0.5 * qh * q1 * f2
        q3 = qh * qh * q1 * (3.0 * f2 * f2 - f1 * f3) / 6.0
        t = 1.0 - q1 - q2 - q3
        step_rest = np.maximum(np.abs(q3) * np.abs(q3 / q2), np.abs(q2) * (q2 / q1) ** 2)
        rest = np.abs(last) * np.abs(t) ** terms + 0.1 * np.abs(prev) + step_rest + 2e-16 * big
        w_err = 2.2e-16 * (np.abs(m * L) + np.abs(lp) + np.abs(ld) + np.abs(em1 * x))
        drift = 0.5 * w_err * np.abs(w * h1) * np.maximum(1.0, np.exp(em1 * h1))
        new = x + t * h1
        trusted = (drift * scale <= noise) & np.isfinite(new)
        done = trusted & (rest * scale <= 0.1 * noise) & (np.abs(g) <= 0.5) & (np.abs(q1) <= 0.5)
    return new, done, trusted


#: A term is left out of S where a bound puts it below e^-40 (4e-18) of S.
_NEGLIGIBLE = -40.0


def _log_poisson_tail_bound(y, m):
    """Chernoff bound on log P(Poisson(y) >= m): -(y h(m/y)), h(u) = u log u
    - u + 1, for m above the mean y, else 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        u = m / y
        bound = -y * (u * np.log(u) - u + 1)
    return np.where((m > y) & np.isfinite(bound), bound, 0.0)


def _fast(L, m, target):
    """(answers, first guesses) for the quantile.

    rho < 1 and a queue too long to matter: S = e^{-(1-rho)x}/(1-rho), an
    exponential law (M/M/c), inverted in closed form; the answer is kept
    where Chernoff bounds put the left-out parts below e^-40 of S at it
    (NaN elsewhere).  rho > 1 is left to _full_queue_guess: the full
    queue's term alone, S ~ rho^m Q(m, x)/(rho - 1), inverted, only as a
    first guess (the other term is rarely negligible there: their ratio is
    about B(m-1, x)/(rho B(m-1, rho x)), Erlang B at x near m), and only
    where no better start is at hand."""
    x = np.full(L.shape, np.nan)
    guess = np.full(L.shape, np.nan)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
        # points picked by index throughout: scattered boolean masks cost
        # numpy several times as much
        below = np.flatnonzero((L < 0) & (m > 1))
        if below.size:
            Lb, mb = L[below], m[below]
            d = -np.expm1(Lb)
            xa = -(target[below] + np.log(d)) / d
            rho_x = np.exp(Lb) * xa
            ok = ((xa >= 0)
                  & (_log_poisson_tail_bound(rho_x, mb) < _NEGLIGIBLE)
                  & (mb * Lb + d * xa < _NEGLIGIBLE))
            x[below[np.flatnonzero(ok)]] = xa[ok]
            guess[below] = xa
    return x, guess


def _full_queue_guess(L, m, target, exact_below=100):
    """First guess for rho > 1 (see _fast): the full queue's term alone,
    x with Q(m, x) = e^tau, by the Wilson-Hilferty cube-root normal law of
    the Gamma(m) quantile where m >= 100 (a tenth of the inverse incomplete
    gamma function's cost; measured against it for m from 100 to 1e6 and
    tails to e^-690: 1.5e-5 sd off at the median, up to 9 sd in the
    farthest tails at the smallest m, where the bracketed search absorbs
    it), by that function below (NaN where the term cannot reach the
    target)."""
    from scipy.special import gammainccinv, ndtri_exp
    with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
        tau = target - m * L + np.log(np.expm1(L))     # log Q(m, x)
        fine = (tau < 0) & (tau > -700) & (L > 0) & (m > 1)
        tau = np.where(fine, tau, -1.0)
        many = m >= exact_below
        out = np.empty(m.shape)
        z = -ndtri_exp(tau[many])
        mm = m[many]
        out[many] = mm * (1.0 - 1.0 / (9.0 * mm) + z / (3.0 * np.sqrt(mm))) ** 3
        out[~many] = gammainccinv(m[~many], np.exp(tau[~many]))
        return np.where(fine, out, np.nan)


_RT2PI = 2.5066282746310002


def _smoothed_guess(L, m, target, steps=4):
    r"""First guess for log S(x) = target where the queue's arrival-seen law
    is near uniform or tilted towards the full queue (rho^m from e^-3 to
    e^1000), where neither term of the closed form dominates or the full
    queue's term alone misses the spread of the Erlang laws: the number
    ahead J as a continuous density :math:`\propto e^{Ly}` on [1/2, m + 1/2]
    (J + 1 the Erlang's mean) and the Erlang(J + 1) wait as normal with
    variance x, so that

    .. math::

        S(x) \approx e^{-L}\int_{1/2}^{m+1/2} e^{Ly}\,
                   \Phi\left(\frac{y - x}{\sqrt x}\right) dy,

    in closed form by parts (Phi and exponentials).  A few safeguarded
    Newton steps from the fluid answer (no smoothing) solve it; its
    derivative is taken at fixed sqrt(x), close enough for a guess.
    Measured on the benchmark's points with m > 64: median relative error
    7e-4 for rho^m in e^-3..e^30, against 0.6 for the mean-wait start it
    replaced there.  Returns the point evaluated closest to the
    approximation's root where that was within 0.1 in log S (its terms
    cancel for steep tilts, L sqrt(x) beyond about 10), else NaN."""
    from scipy.special import ndtr
    top = m + 0.5
    with np.errstate(all="ignore"):
        arg = -L * np.exp(target + L - L * top)
        fluid = np.where(np.abs(L) * top < 1e-8, top - np.exp(target), top + np.log1p(arg) / L)
        x = np.where(np.isfinite(fluid) & (fluid > 0.5), fluid, 0.5 * top)
        lo, hi = np.zeros_like(x), np.full_like(x, np.inf)
        best, best_g = np.full_like(x, np.nan), np.full_like(x, np.inf)
        for _ in range(steps):
            s = np.sqrt(x)
            k = L * s
            a, b = (0.5 - x) / s, (top - x) / s
            pb = ndtr(b)
            # the lower end's terms only where they are above e^-70 of the
            # upper end's (most points have x far above 1/2)
            pa, na, phi_a, ea = (np.zeros_like(x) for _ in range(4))
            low = np.flatnonzero(a > -12.0)
            if low.size:
                al, kl = a[low], k[low]
                pa[low], na[low] = ndtr(al), ndtr(al - kl)
                phi_a[low] = np.exp(-0.5 * al * al) / _RT2PI
                ea[low] = np.exp(kl * al) * pa[low]
            ek = np.exp(0.5 * k * k) * (ndtr(b - k) - na)
            i = (np.exp(k * b) * pb - ea - ek) / k
            slope = -ek / (s * i)
            # the kappa -> 0 limit, without the cancellation
            flat = np.flatnonzero(np.abs(k) < 1e-5)
            if flat.size:
                bf, af = b[flat], a[flat]
                i[flat] = (bf * pb[flat] + np.exp(-0.5 * bf * bf) / _RT2PI) - (af * pa[flat] + phi_a[flat])
                slope[flat] = -(pb[flat] - pa[flat]) / (s[flat] * i[flat])
            g = np.log(s) + L * (x - 1) + np.log(i) - target
            lo = np.where(g > 0, np.maximum(lo, x), lo)
            hi = np.where(g <= 0, np.minimum(hi, x), hi)
            closer = np.abs(g) < best_g
            best, best_g = np.where(closer, x, best), np.where(closer, np.abs(g), best_g)
            new = x - g / slope
            out = ~((new > lo) & (new < hi) & np.isfinite(new))
            new = np.where(out, np.where(np.isfinite(hi), 0.5 * (lo + hi), 2 * x + 1), new)
            x = np.where(np.isfinite(g), new, x)
    return np.where((best_g < 0.1) & (best > 0), best, np.nan)


def _log_s_derivatives(L, m, x, ls, ld, lp=None):
    """First three derivatives of log S at x from log S, the log density and
    one Poisson term: with u = -S'/S and A = rho^m p_{m-1}(x)/S (at most rho),
    S''/S = (1 - rho) u + A and S'''/S = -(1 - rho) S''/S + A ((m - 1)/x -
    1), since the density's slope is d/dx e^{-(1-rho)x} Q(m, rho x) = -(1 -
    rho) e^{-(1-rho)x} Q(m, rho x) - rho^m p_{m-1}(x).  ``lp``: log p_{m-1}(x)
    where the caller has it.

    Returns (f', f'', f''', the error of f'', lp).  f'' differences (1 - rho)
    u and A, which nearly cancel where rho is large; its error is their
    sizes times those of u and A, ratios of logs whose errors are ulps of
    their sizes, and of |(1 - rho) x| for the density's (the closed form's
    first term differences (1 - rho) x and log Q(m, rho x))."""
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        if lp is None:
            lp = np.where(m > 1, _special.log_poisson_pmf(np.maximum(m - 1, 1.0), x), -x)
        u = np.exp(ld - ls)
        a = np.exp(m * L + lp - ls)
        em1 = np.expm1(L)
        s2 = -em1 * u + a
        s3 = em1 * s2 + a * ((m - 1) / x - 1)
        big_ls = np.abs(ls) + 1.0
        s2_err = 4.4e-16 * (np.abs(em1 * u) * (np.abs(ld) + big_ls + 2 * np.abs(em1 * x))
                            + a * (np.abs(m * L) + np.abs(lp) + big_ls))
        return -u, s2 - u * u, s3 + 3 * u * s2 - 2 * u ** 3, s2_err, lp


#: Points per block of the search: its working arrays then stay closer to
#: the processor (solve_log_s on the 7.8e5 of bench_waiting's 1e6 points
#: that reach it, best of 3: 0.62 s in blocks of 2^17, 0.65 s of 2^16,
#: 0.71 s of 2^18, 0.78 s at once)
_BLOCK = 1 << 17


def solve_log_s(L, m, target):
    """The x >= 0 with log S(x) = target (< log S(0)), elementwise: in
    closed form where the queue is too long to matter (see _fast), else by
    a bracketed search (steps of the inverse function's series, and of S's
    local model after an evaluation by _routes) from the best guess at
    hand; queues of at most _FEW places by their polynomials (_poly_logs).

    The starts and the first _BLOCK_ROUNDS rounds of the searches run in
    blocks of _BLOCK points; the few points left then continue together,
    whose searches would otherwise pay their numpy calls' fixed cost once a
    block (measured: 41 small evaluations, 0.07 s, at 1e6 points)."""
    L, m, target = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (L, m, target)))
    shape = L.shape
    L, m, target = L.ravel(), m.ravel(), target.ravel()
    out = np.empty(L.shape)
    left = {"poly": [], "routes": []}
    for start in range(0, L.size, _BLOCK):
        block = slice(start, start + _BLOCK)
        out[block], pending = _solve_block(L[block], m[block], target[block])
        for kind, (idx, x, lo, hi) in pending.items():
            left[kind].append((idx + start, x, lo, hi))
    for kind, parts in left.items():
        if parts:
            idx, x0, lo, hi = (np.concatenate(p) for p in zip(*parts))
            search = _search_poly if kind == "poly" else _search_routes
            out[idx] = search(L[idx], m[idx], target[idx], x0, bracket=(lo, hi))[0]
    return out.reshape(shape)


#: Rounds of the searches taken block by block (see solve_log_s)
_BLOCK_ROUNDS = 1


def _solve_block(L, m, target):
    """solve_log_s's first stage on flat arrays: (answers, {kind: (points,
    x, lo, hi)} for the points whose search has not converged in
    _BLOCK_ROUNDS rounds, with where it stands and its bracket)."""
    out, guess = _fast(L, m, target)
    rest = np.isnan(out)
    pending = {}
    poly = np.flatnonzero(rest & (m <= _FEW))
    if poly.size:
        x0 = _plain_guess(L[poly], m[poly], target[poly], guess[poly], exact_below=0)
        out[poly], live, (lo, hi) = _search_poly(L[poly], m[poly], target[poly], x0, _BLOCK_ROUNDS)
        pending["poly"] = (poly[live], out[poly[live]], lo[live], hi[live])
        rest[poly] = False
    rest = np.flatnonzero(rest)
    if rest.size == 0:
        return out, pending
    L, m, target = L[rest], m[rest], target[rest]
    # where one term of S nearly is all, that term's answer
    x0 = guess[rest]
    # near rho = 1 (rho^m between e^-3 and e^1000), the smoothed fluid law:
    # for long queues beyond e^30 it is still 3 times closer than the full
    # queue's term alone (1.3e-3 against 4e-3 at the median)
    lm = L * m
    near = np.flatnonzero((lm >= -3.0) & (lm < 1000.0))
    if near.size:
        sg = _smoothed_guess(L[near], m[near], target[near])
        x0[near] = np.where(np.isfinite(sg), sg, x0[near])
    x0 = _plain_guess(L, m, target, x0)
    out[rest], live, (lo, hi) = _search_routes(L, m, target, x0, _BLOCK_ROUNDS)
    pending["routes"] = (rest[live], out[rest[live]], lo[live], hi[live])
    return out, pending


def _search_routes(L, m, target, x0, rounds=None, bracket=None):
    """The search for m > _FEW from x0, by _routes and the local model:
    (x, points not converged after ``rounds`` rounds (none when ``rounds``
    is None), (lo, hi)); see _falling."""
    # a point whose closed form failed (its terms too close) is taken by
    # the positive-term routes from then on
    closed = np.ones(L.shape, dtype=bool)

    def evaluate(idx, x):
        Li, mi = L[idx], m[idx]
        ls, ld, close = _routes(Li, mi, x, closed=closed[idx])
        closed[idx] &= ~close
        return (ls,) + _log_s_derivatives(Li, mi, x, ls, ld) + (ld,)

    def refine(idx, x, g, values, new, series, noise):
        # the local model where the series' step fell short of converging
        at = np.flatnonzero(~series & np.isfinite(new) & (np.abs(g) <= 0.5))
        if at.size:
            lp, ld = values[5][at], values[6][at]
            step, done, trusted = _local_model(x[at], g[at], target[idx[at]], L[idx[at]],
                                               m[idx[at]], ld, lp, new[at] - x[at], noise[at])
            new = new.copy()
            series = series.copy()
            # a model whose coefficients are not known well enough (see
            # _local_model) keeps the series' step
            new[at] = np.where(trusted, step, new[at])
            series[at] = done
        return new, series
    # Long queues' tails are smooth enough that Newton's constant is read
    # from residuals of 1e-2 (measured: 0.3 evaluations a point fewer, the
    # same answers to 1e-14); short queues are _search_poly's, with 1e-4
    return _falling(evaluate, target, x0, regime=1e-2, refine=refine, rounds=rounds,
                    bracket=bracket)


def _plain_guess(L, m, target, x0, exact_below=100):
    """x0 where it is set (positive), else the full queue's term's answer
    (rho > 1), else the mean wait of those who wait (J + 1 phases, J the
    truncated geometric number ahead), the right scale on either side of
    1.  Fills x0 in place."""
    above = np.flatnonzero(~(x0 > 0) & (L > 0))
    if above.size:
        g = _full_queue_guess(L[above], m[above], target[above], exact_below)
        x0[above] = np.where(g > 0, g, np.nan)
    bare = np.flatnonzero(~(x0 > 0))
    if bare.size:
        Lb, mb = L[bare], m[bare]
        jm = _special.geometric_mean(Lb, mb - 1)
        x0[bare] = (1.0 + jm) * np.maximum(_log_s0(Lb, mb) - target[bare], 0.1)
    return x0


def _search_poly(L, m, target, x0, rounds=None, bracket=None):
    """The search for m <= _FEW from x0 (as _search_routes): evaluations by
    _poly_logs (_routes where its sums overflow), a sixth of the closed
    form's cost and exact to a few ulps, so the search may take one more of
    them from a plainer start.  The points are taken longest queues first,
    the order _poly_logs needs."""
    from scipy.special import gammaln
    order = _longest_first(m)
    Lo, mo, lg = L[order], m[order], gammaln(m[order])

    def evaluate(idx, x):
        Li, mi = Lo[idx], mo[idx]
        ls, ld = _poly_logs(Li, mi, x)
        bad = np.isnan(ls) | np.isnan(ld)
        if bad.any():
            ls[bad], ld[bad], _ = _routes(Li[bad], mi[bad], x[bad])
        with np.errstate(divide="ignore", invalid="ignore"):
            lp = np.where(mi > 1, (mi - 1) * np.log(x) - x - lg[idx], -x)
        return (ls,) + _log_s_derivatives(Li, mi, x, ls, ld, lp)
    if bracket is not None:
        bracket = tuple(b[order] for b in bracket)
    xs, live, found = _falling(evaluate, target[order], x0[order], regime=1e-4, rounds=rounds,
                               bracket=bracket)
    out, lo, hi = np.empty(xs.shape), np.empty(xs.shape), np.empty(xs.shape)
    out[order], lo[order], hi[order] = xs, found[0], found[1]
    return out, np.sort(order[live]), (lo, hi)


def response_quantile(log_response_sf, log_wait_sf, mu, p, defined=None):
    """p-quantiles of the time in system W = Wq + S, S exponential of rate
    ``mu`` (an array of p's shape), for levels ``p`` of any shape: 0 at p = 0,
    ``inf`` at p = 1 and where ``defined`` is False (an unstable queue).
    ``log_response_sf(t)`` and ``log_wait_sf(t)`` take arrays of p's shape.
    Newton on log P(W > t), whose slope is -mu (1 - P(Wq > t)/P(W > t)),
    from the quantile of S alone."""
    shape = p.shape
    pf = p.ravel()
    ok = np.ones(pf.shape, dtype=bool) if defined is None else np.broadcast_to(
        defined, shape).ravel()
    out = np.where((pf == 1) | (~ok & (pf > 0)), np.inf, 0.0)
    live = np.flatnonzero((pf > 0) & (pf < 1) & ok)
    if live.size:
        m = np.broadcast_to(mu, shape).ravel()[live]
        target = np.log1p(-pf[live])

        def evaluate(idx, t):
            grid = np.zeros(pf.shape)
            grid[live[idx]] = t
            grid = grid.reshape(shape)
            lt = log_response_sf(grid).ravel()[live[idx]]
            lw = log_wait_sf(grid).ravel()[live[idx]]
            return lt, -m[idx] * -np.expm1(np.minimum(lw - lt, 0.0))
        out[live] = solve_falling(evaluate, target, -target / m)
    return out.reshape(shape)


def _log_geometric(n, log_r):
    """log sum_{j<n} r^j (n >= 1) without cancellation."""
    n, log_r = np.broadcast_arrays(np.asarray(n, dtype=float), np.asarray(log_r, dtype=float))
    out = np.log(n).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        below = log_r < 0
        out = np.where(below, _special.log1mexp(np.where(below, n * log_r, -1.0))
                       - _special.log1mexp(np.where(below, log_r, -1.0)), out)
        above = log_r > 0
        out = np.where(above, n * log_r + _special.log1mexp(np.where(above, -n * log_r, -1.0))
                       - log_r - _special.log1mexp(np.where(above, -log_r, -1.0)), out)
    return out


def log_response_cdf_low(L, m, c, x, log_k0, log_none):
    r"""log P(T <= t | admitted) for M/M/c/K from positive terms, x = c mu t
    (1-d float arrays; m >= 1 queue places; ``log_k0`` = log p_c/(1 - p_K),
    ``log_none`` = log P(N < c)/(1 - p_K)).

    Uniformized at c mu, the tagged service (rate mu) is a geometric number
    G >= 1 of phases of rate c mu (P(G = g) = p (1-p)^{g-1}, p = 1/c), so
    who waits behind j others leaves after N = j + 1 + G phases:

    .. math:: P(T \le t) = \frac{P(N<c)}{1-p_K}(1 - e^{-\mu t}) + \sum_{N \ge 2}
              w_N P(N, x),\quad w_N = K_0\, p \sum_{j=0}^{\min(m-1, N-2)} \rho^j
              (1-p)^{N-2-j},

    P the regularised lower incomplete gamma function (terms past
    :math:`y + 12\sqrt y + 60`, :math:`y = x\max(1, \rho)`, are below
    :math:`e^{-70}` of the largest).  One server: :math:`w_N = K_0 \rho^{N-2}`.
    """
    out = np.full(x.size, -np.inf)
    rho_up = np.maximum(1.0, np.exp(L))
    y = x * rho_up
    top = _special.poisson_reach(y)
    order = np.argsort(top)
    start = 0
    while start < order.size:
        # points of similar length together, at most 2**21 terms a block
        width = int(top[order[start]])
        stop = start + 1
        while stop < order.size and int(top[order[stop]]) * (stop + 1 - start) <= (1 << 21):
            stop += 1
        idx = order[start:stop]
        width = int(top[idx].max())
        n = np.arange(2, width + 1, dtype=float)[None, :]
        Li, mi, ci, xi = (v[idx][:, None] for v in (L, m, c, x))
        with np.errstate(divide="ignore", invalid="ignore"):
            one = ci == 1
            log_q1 = np.log1p(-1.0 / np.where(one, 2.0, ci))
            geo = _log_geometric(np.minimum(mi, n - 1), Li - log_q1)
            many = (log_k0[idx][:, None] - np.log(ci) + (n - 2) * log_q1 + geo)
            single = np.where(n - 2 <= mi - 1, log_k0[idx][:, None] + (n - 2) * Li, -np.inf)
            log_w = np.where(one, single, many)
            terms = log_w + _population.log_lower_gamma(np.broadcast_to(n, log_w.shape),
                                                        np.broadcast_to(xi, log_w.shape))
            terms = np.where(n <= top[idx][:, None], terms, -np.inf)
            big = terms.max(axis=1)
            safe = np.where(np.isfinite(big), big, 0.0)
            waited = safe + np.log(np.exp(terms - safe[:, None]).sum(axis=1))
            waited = np.where(np.isfinite(big), waited, -np.inf)
            none = log_none[idx] + _special.log1mexp(-x[idx] / c[idx])
        out[idx] = np.logaddexp(none, waited)
        start = stop
    return out
