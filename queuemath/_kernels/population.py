r"""The finite-source queue M/M/c/K/N, one point at a time (private kernel;
see ``queuemath.FiniteSourceMMcK`` Notes).

Per point: N sources, c servers, room for K <= N, :math:`\beta = \gamma/\mu`
(one idle source's request rate over the service rate) and
:math:`r = c\mu/\gamma = c/\beta`.  With s = min(c, N), the unnormalised
law relative to state s is

* n <= s: :math:`T_n/T_s = b(n)/b(s)`, b the Binomial(N, beta/(1+beta)) law;
* n >= s: :math:`T_n/T_s = \pi(N-n; r)/\pi(N-s; r)`, :math:`\pi` the
  Poisson(r) law (the queue is a Poisson law in the number of idle sources),

so the whole law is log-concave in n: its successive ratios
:math:`(N-n)\beta/\min(n+1, c)` fall.  Every sum over states (normaliser,
moments, the Erlang mixtures of the waiting time) is a sum of a log-concave
sequence; it is taken over the window of terms around its largest one,
found by bisection on the sign of the increments, and walked outwards in
blocks until the terms are below :math:`e^{-60}` of the neighbour of the
largest (so that moments about the mode keep their digits also where the law
is concentrated on one state).  The window holds O(sqrt(variance)) states,
never the whole population.  Terms come from Loader's saddle-point forms
(stirlerr and bd0) taken relative to one another, so no large log-gamma
values cancel.

References
----------
.. [1] D. Gross, J. F. Shortle, J. M. Thompson, C. M. Harris, *Fundamentals
   of Queueing Theory*, 4th ed., Wiley, 2008, sec. 2.7 (finite-source
   queues).  doi:10.1002/9781118625651
.. [2] C. Loader, "Fast and accurate computation of binomial probabilities,"
   2000 (the stirlerr/bd0 forms).
"""
import numpy as np

from . import impatience as _impatience
from . import special as _special

__all__ = ["Chain", "log_sum_concave", "log_lower_gamma", "pois_diff", "window_stats",
           "region_moments"]

CUT = -60.0
_BLOCK = 2048


def log_sum_concave(f, lo, hi, start=None):
    """log sum_{n=lo}^{hi} exp(f(n)) for f concave on the integers (f takes a
    float array of integers and returns an array), with the window of terms
    used: (log sum, n, f(n), argmax).  -inf for an empty range."""
    if hi < lo:
        return -np.inf, np.empty(0), np.empty(0), lo
    top = _argmax(f, lo, hi, start)
    ftop = f(np.array([float(top)]))[0]
    if not np.isfinite(ftop):
        return -np.inf, np.empty(0), np.empty(0), top
    parts_n, parts_f = [np.array([float(top)])], [np.array([ftop])]
    for step in (1, -1):
        end = hi if step > 0 else lo
        cur = top
        floor = None
        while cur != end:
            nxt = min(cur + _BLOCK, end) if step > 0 else max(cur - _BLOCK, end)
            ns = np.arange(cur + step, nxt + step, step, dtype=float)
            fs = f(ns)
            if floor is None:
                # below e^-60 of the neighbour of the top: the moments about
                # the top keep their digits even where that neighbour is
                # itself far below the top (a law on one state)
                floor = min(ftop, fs[0]) + CUT
            keep = fs >= floor
            if not keep.all():
                cut = int(np.argmin(keep)) + 1    # the first term below, too
                parts_n.append(ns[:cut])
                parts_f.append(fs[:cut])
                break
            parts_n.append(ns)
            parts_f.append(fs)
            cur = nxt
    n = np.concatenate(parts_n)
    fs = np.concatenate(parts_f)
    order = np.argsort(n)
    n, fs = n[order], fs[order]
    with np.errstate(under="ignore"):
        total = ftop + np.log(np.exp(fs - ftop).sum())
    return total, n, fs, top


def window_stats(n, logw):
    """(log mass, anchor, mean's offset from the anchor, variance) of the
    weights exp(logw) on the states n, the anchor being the largest term's
    state: the mean is kept as anchor + offset so that distances to c keep
    their digits."""
    k = int(np.argmax(logw))
    top, anchor = logw[k], float(n[k])
    with np.errstate(under="ignore"):
        w = np.exp(logw - top)
    total = w.sum()
    w = w / total
    d = ((n - anchor) * w).sum()
    return top + np.log(total), anchor, d, (((n - anchor) - d) ** 2 * w).sum()


def region_moments(low, queue, c):
    """Moments of a law on 0..K from its two regions' ``window_stats``, the
    states below c (``low``) and those from c on (``queue``), combined by
    the law of total variance (positive pieces only): dict of P(N < c),
    P(N >= c) (as logs), busy, idle, L_q, L, Var N, Var N_q, and the queue's
    own mean (of N - c given N >= c) and variance."""
    (l_low, t_low, d_low, v_low), (l_q, t_q, d_q, v_q) = low, queue
    log_norm = np.logaddexp(l_low, l_q)
    with np.errstate(under="ignore"):
        p_low = np.exp(l_low - log_norm)
        p_q = np.exp(l_q - log_norm)
    idle = p_low * ((c - t_low) - d_low)      # c - mean of the states below c
    queued = (t_q - c) + d_q                  # mean of N - c given N >= c
    busy = c - idle if idle < 0.5 * c else p_low * (t_low + d_low) + c * p_q
    lq = p_q * queued
    gap = (t_q - t_low) + (d_q - d_low)
    var_n = p_low * v_low + p_q * v_q + p_low * p_q * gap ** 2
    var_q = p_q * v_q + p_low * p_q * queued ** 2
    return dict(log_low=l_low - log_norm, log_queue=l_q - log_norm, busy=busy,
                idle=idle, mean_queue=lq, mean_in_system=busy + lq,
                var_in_system=var_n, var_queue=var_q, queue_mean=queued,
                queue_var=v_q)


def _argmax(f, lo, hi, start=None):
    """Argmax of a concave f on the integers lo..hi, by bisection on the sign
    of f(n+1) - f(n); ``start`` (a guess) is checked first."""
    if start is not None:
        s = int(min(max(start, lo), hi))
        probe = np.array([s - 1, s, s + 1], dtype=float)
        inside = (probe >= lo) & (probe <= hi)
        v = np.full(3, -np.inf)
        v[inside] = f(probe[inside])
        if v[1] >= v[0] and v[1] >= v[2] and np.isfinite(v[1]):
            return s
    a, b = int(lo), int(hi)
    while a < b:
        mid = (a + b) // 2
        v = f(np.array([mid, mid + 1], dtype=float))
        if v[1] > v[0]:
            a = mid + 1
        else:
            b = mid
    return a


def log_lower_gamma(a, y):
    """log P(a, y) = log P(Poisson(y) >= a), a >= 1 integer-valued, y >= 0
    (float arrays of one shape): Loader's term times the positive series
    sum_j y^j/((a+1)...(a+j)) of the Erlang A kernel (its continued fraction
    below the mean, the incomplete gamma function near and above)."""
    a, y = np.broadcast_arrays(np.asarray(a, dtype=float), np.asarray(y, dtype=float))
    out = np.full(a.shape, -np.inf)
    on = y > 0
    if on.any():
        aa, yy = a[on], y[on]
        rho = yy / aa
        omr = (aa - yy) / aa
        rel, ref, _ = _impatience.upper(rho, omr, 1.0 / aa, aa, yy)
        with np.errstate(invalid="ignore"):
            val = (_impatience.log_pois_peak(aa) - _special.bd0(aa, yy)) + (rel + ref)
        out[on] = np.minimum(val, 0.0)
    return out


def _log_fall(k, m):
    """sum_{i<m} log(k/(k-i)) = m log k - log(k!/(k-m)!) >= 0 for integers
    0 <= m <= k: with k0 = k - m >= 1, bd0(k0, k) - log(k/k0)/2 +
    stirlerr(k0) - stirlerr(k) (every term small where the result is); at
    k0 = 0, k - log(2 pi k)/2 - stirlerr(k)."""
    k, m = np.broadcast_arrays(np.asarray(k, dtype=float), np.asarray(m, dtype=float))
    out = np.zeros(k.shape)
    k0 = k - m
    mid = (m > 0) & (k0 >= 1)
    if mid.any():
        kk, k0m = k[mid], k0[mid]
        out[mid] = (_special.bd0(k0m, kk) - 0.5 * np.log(kk / k0m)
                    + _special.stirlerr(k0m) - _special.stirlerr(kk))
    whole = (m > 0) & (k0 < 1)
    if whole.any():
        kk = k[whole]
        out[whole] = kk - 0.5 * np.log(2 * np.pi * kk) - _special.stirlerr(kk)
    return out


def pois_diff(k, k0, log_mean):
    """log pi(k) - log pi(k0), pi the Poisson law of mean e^log_mean, for
    integer-valued k (array) and k0 (scalar or array) >= 0.  Both at or above
    the mean: m log(r/k0) - log_rise(k0, m) (m = k - k0 > 0), two terms <= 0;
    both at or below: m log(r/k) + log_fall(k, m), two terms >= 0; so nothing
    cancels however far from the mean.  Straddling the mean (near it):
    Loader's terms, whose deviance parts are then small."""
    k, k0 = np.broadcast_arrays(np.asarray(k, dtype=float), np.asarray(k0, dtype=float))
    flip = k < k0
    hi = np.where(flip, k0, k)
    lo = np.where(flip, k, k0)
    m = hi - lo
    r = np.exp(min(log_mean, 709.0))
    out = np.zeros(k.shape)
    above = (m > 0) & (lo >= r)
    below = (m > 0) & (hi <= r) & ~above
    across = (m > 0) & ~above & ~below
    with np.errstate(divide="ignore", invalid="ignore"):
        if above.any():
            l0, mm = lo[above], m[above]
            out[above] = mm * (log_mean - np.log(l0)) - _special.log_rise(l0, mm)
        if below.any():
            h, mm = hi[below], m[below]
            out[below] = mm * (log_mean - np.log(h)) + _log_fall(h, mm)
        if across.any():
            h, l0 = hi[across], lo[across]
            out[across] = _log_pois(h, r) - _log_pois(l0, r)
    return np.where(flip, -out, out)


def _log_pois(k, r):
    out = np.full(k.shape, -r)
    some = k >= 1
    if some.any():
        out[some] = _special.log_poisson_pmf(k[some], np.full(int(some.sum()), r))
    return out


class Chain:
    """The stationary law of one M/M/c/K/N point (Python scalars):
    ``sources`` N >= 0, ``servers`` c >= 1, ``capacity`` K with
    min(c, N) <= K <= N, ``beta`` = gamma/mu > 0."""

    def __init__(self, sources, servers, capacity, beta):
        self.n = float(sources)
        self.c = float(servers)
        self.k = float(capacity)
        self.s = min(self.c, self.n)
        self.beta = float(beta)
        self.trivial = self.n == 0 or self.beta == 0
        if self.trivial:
            self.mode = 0        # all mass at n = 0
            return
        b = self.beta
        self.p = b / (1.0 + b)
        self.q = 1.0 / (1.0 + b)
        self.log_q = -np.log1p(b)
        self.log_p = -np.log1p(1.0 / b) if b >= 1 else np.log(b) - np.log1p(b)
        with np.errstate(over="ignore"):
            self.r = min(self.c / b, np.finfo(float).max)
        self.log_r = np.log(self.c) - np.log(b)
        self.mode = self._mode()

    # -- terms ------------------------------------------------------------------
    def _same_side(self, x, x0):
        """log T_x / T_x0 for x (array) and x0 (scalar) on one side of s:
        the binomial law below s as a product of two Poisson laws (means Np
        and Nq, in x and N - x), the queue above s as a Poisson law in N - x."""
        n = self.n
        if x0 <= self.s and np.all(x <= self.s):
            return (pois_diff(x, x0, np.log(n) + self.log_p)
                    + pois_diff(n - x, n - x0, np.log(n) + self.log_q))
        return pois_diff(n - x, n - x0, self.log_r)

    def _mode(self):
        # binomial mode floor((N+1)p) below s; above, the ratio (N-n+1)/r
        # stays >= 1 up to n = N + 1 - r; checked by _argmax's probe
        low = np.floor((self.n + 1) * self.p)
        if low < self.s:
            guess = low
        else:
            guess = np.clip(np.floor(self.n + 1 - self.r), self.s, self.k)
        return _argmax(self._from_s, 0, int(self.k), int(guess))

    def _from_s(self, x):
        """log T_x / T_s (used to locate the mode)."""
        x = np.asarray(x, dtype=float)
        out = np.empty(x.shape)
        lo = x <= self.s
        if lo.any():
            out[lo] = self._same_side(x[lo], self.s)
        if (~lo).any():
            out[~lo] = self._same_side(x[~lo], self.s)
        return out

    def log_rel(self, x):
        """log T_x / T_mode for integer-valued x in 0..K (float array): one
        family's terms relative to one another (crossing s adds that state's
        term relative to the mode, small wherever the crossing matters)."""
        x = np.asarray(x, dtype=float)
        if self.trivial:
            return np.where(x == 0, 0.0, -np.inf)
        out = np.empty(x.shape)
        m, s = float(self.mode), self.s
        near = (x <= s) if m <= s else (x >= s)
        if near.any():
            out[near] = self._same_side(x[near], m)
        if (~near).any():
            out[~near] = self._same_side(x[~near], s) + self._same_side(np.array([s]), m)[0]
        return out

    # -- sums over the two regions ----------------------------------------------
    def _region(self, lo, hi):
        """``window_stats`` of the states lo..hi (log mass relative to the
        mode)."""
        if hi < lo:
            return -np.inf, float(lo), 0.0, 0.0
        if self.trivial:
            return (0.0, 0.0, 0.0, 0.0) if lo == 0 else (-np.inf, float(lo), 0.0, 0.0)
        total, n, fs, _ = log_sum_concave(self.log_rel, lo, hi, self.mode)
        if not np.isfinite(total):
            return -np.inf, float(lo), 0.0, 0.0
        return window_stats(n, fs)

    @property
    def parts(self):
        try:
            return self._parts
        except AttributeError:
            pass
        c, k = self.c, self.k
        idle_top = int(min(c - 1, k))
        low = self._region(0, idle_top)
        queue = self._region(int(c), int(k))
        log_norm = np.logaddexp(low[0], queue[0])
        self._parts = (low, queue, log_norm)
        return self._parts

    def log_prob(self, x):
        """log p_x for integer-valued x in 0..K."""
        return self.log_rel(np.asarray(x, dtype=float)) - self.parts[2]

    def moments(self):
        """``region_moments`` of the law."""
        low, queue, _ = self.parts
        return region_moments(low, queue, self.c)

    def states(self):
        """p_0..p_K as an array."""
        x = np.arange(int(self.k) + 1, dtype=float)
        with np.errstate(under="ignore"):
            return np.exp(self.log_prob(x))

    # -- Erlang mixtures over the queue states ------------------------------------
    def log_mixture(self, log_factor):
        """log sum_{n=c}^{K} p_n F(n - c), F = exp(log_factor(j)) log-concave
        in j (a float array of j = n - c)."""
        c, k = self.c, self.k
        if c > k or self.trivial:
            return -np.inf

        def f(x):
            return self.log_rel(x) + log_factor(x - c)
        total = log_sum_concave(f, int(c), int(k), None)[0]
        return total - self.parts[2]
