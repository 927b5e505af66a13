r"""Waiting-time laws of M/G/1/K (private kernel; see ``queuemath.MG1K``).

Every admitted customer sees the departure-epoch law :math:`\pi_0, \dots,
\pi_{K-1}` (PASTA, with p_n/(1 - p_K) = pi_n).  Who finds n present waits
for the rest R of the service in progress and n - 1 whole services.  A
service that starts with i present (rate :math:`\theta\pi'_i`, with
:math:`\pi'_1 = \pi_0 + \pi_1` for the arrivals to an empty system and
:math:`\pi'_i = \pi_i` above) has, after x of it, n present with the Poisson
probability of n - i arrivals in x; so an admitted customer finds n present
with the service in progress at age x and its rest in dy with density

.. math:: \lambda \sum_{i=1}^{n} \pi'_i\, e^{-\lambda x}
          \frac{(\lambda x)^{n-i}}{(n-i)!}\, g(x + y).

Three consequences are used here.

* **Moments, any law.**  With :math:`\int_0^s e^{-\lambda x}\frac{(\lambda
  x)^m}{m!}(s-x)^j\,dx = \frac{j!}{\lambda^{j+1}} \sum_{l} \binom{l-m-1}{j}
  P(\mathrm{Poisson}(\lambda s) \ge l)`, the partial moments of R given n are
  convolutions of :math:`\pi'` with suffix sums of :math:`\bar A_l = P(\text{at
  least } l \text{ arrivals in a service})`, the tails the embedded chain
  already has: positive terms only.
* **Constant service D.**  :math:`W = nD - x`, so with :math:`n^* =
  \lfloor t/D \rfloor + 1` and :math:`a = n^*D - t`,
  :math:`P(W > t) = \sum_{n > n^*} \pi_n + \sum_{i \le n^*} \pi'_i P(n^*-i+1,
  \lambda a)` (P the regularised lower incomplete gamma function): positive
  terms, O(n*) of them.
* **Erlang service** (gamma with an integer shape k): the number of service
  phases left in the system is itself a Markov chain (an arrival adds k, each
  phase ends at rate 1/scale), whose cut equations give its law as a
  recursion of positive terms; who finds j phases waits an Erlang(j) time.

References
----------
.. [1] D. Gross, J. F. Shortle, J. M. Thompson, C. M. Harris, *Fundamentals
   of Queueing Theory*, 4th ed., Wiley, 2008, sec. 5.1 (M/G/1/K) and sec.
   4.3.1 (the Erlang service chain of phases).  doi:10.1002/9781118625651
.. [2] H. Takagi, *Queueing Analysis, Vol. 2: Finite Systems*,
   North-Holland, 1993, sec. 2.2 (M/G/1/K: the law seen by arrivals and the
   elapsed service).
"""
import numpy as np
from scipy import special

from . import population as _population
from . import waiting as _kw

__all__ = ["wait_moments", "ConstantWait", "ErlangWait", "erlang_shape"]


def erlang_shape(form, value):
    """(k, scale) for a gamma law with an integer shape (and the exponential,
    k = 1), else None."""
    if form == "expon":
        return 1, value
    if form == "gamma":
        shape, scale = value
        if shape == np.round(shape) and 1 <= shape <= 10_000:
            return int(shape), scale
    return None


def _suffix(x):
    """sum_{l >= j} x_l for every j, with a 0 past the end (positive terms,
    summed from the small end)."""
    return np.append(np.cumsum(x[::-1])[::-1], 0.0)


def wait_moments(lam, pi, tail, mean, var):
    """(E[W], Var W) of an admitted customer's wait, for any service law.

    ``pi``: departure law pi_0..pi_{K-1}; ``tail``: Abar_l for l = 0.. far
    past K (negligible beyond); ``mean``, ``var``: of the service time."""
    k = pi.size
    if k == 1 or lam == 0:
        return 0.0, 0.0
    prime = pi[1:].copy()
    prime[0] += pi[0]                          # pi'_1 .. pi'_{K-1}
    after = _suffix(tail)                      # sum_{l >= j} Abar_l
    after2 = _suffix(after)                    # sum_{l >= j} after_l
    m = np.arange(k - 1)
    # partial moments of the rest R with n = 1..K-1 present
    m0 = np.convolve(prime, tail[np.minimum(m + 1, tail.size - 1)])[: k - 1]
    m1 = np.convolve(prime, after[np.minimum(m + 2, after.size - 1)])[: k - 1] / lam
    m2 = 2 * np.convolve(prime, after2[np.minimum(m + 3, after2.size - 1)])[: k - 1] / lam ** 2
    ahead = np.arange(k - 1, dtype=float)      # whole services ahead: n - 1
    w = float(np.sum(m1 + ahead * mean * m0))
    d = ahead * mean - w
    # E[(R + T + (n-1)E[S] - w)^2] with T the centred whole services
    central = m2 + 2 * d * m1 + d * d * m0 + ahead * var * m0
    return w, float(np.sum(central) + pi[0] * w * w)


def _log_pmf(j, y):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(y > 0, special.xlogy(j, y) - y - special.gammaln(j + 1),
                        np.where(j == 0, 0.0, -np.inf))


def _solve(log_sf, log_density, log_tail, x0):
    """t with log_sf(t) = log_tail (arrays), by bracketed Newton."""
    def evaluate(idx, x):
        ls = log_sf(idx, x)
        with np.errstate(invalid="ignore", over="ignore"):
            # past the longest wait the tail is 0: no slope, so the search
            # bisects back into its bracket
            slope = np.where(np.isfinite(ls), -np.exp(log_density(idx, x) - ls), np.nan)
        return ls, slope
    return _kw.solve_falling(evaluate, log_tail, x0)


class ConstantWait:
    """M/D/1/K: the wait law from the log departure law (see the notes)."""

    def __init__(self, lam, d, log_pi):
        self.lam, self.d, self.k = float(lam), float(d), log_pi.size
        self.log_pi = log_pi
        prime = log_pi[1:].copy()
        prime[0] = np.logaddexp(log_pi[0], log_pi[1]) if log_pi.size > 1 else -np.inf
        self.log_prime = prime                                  # i = 1..K-1
        self.log_suffix = np.append(np.logaddexp.accumulate(log_pi[::-1])[::-1], -np.inf)
        self.log_p0 = float(log_pi[0])
        self.longest = (self.k - 1) * self.d          # sup of the waits

    def _split(self, t):
        """(n*, a) with n* = floor(t/D) + 1 and a = n* D - t in (0, D]."""
        t = np.where(np.isfinite(t), t, self.k * self.d)      # past every wait
        n = np.floor(t / self.d) + 1
        a = n * self.d - t
        low = a <= 0                               # t/D rounded down a level
        n, a = np.where(low, n + 1, n), np.where(low, a + self.d, a)
        return n, np.minimum(a, self.d)

    def _by_level(self, t, fn):
        """fn(v, i, a) for the times t at each level n* = v (-inf past the
        longest wait), i = 1..v, a the rests of those times' services."""
        t = np.asarray(t, dtype=float)
        out = np.full(t.shape, -np.inf)
        n, a = self._split(t)
        for v in np.unique(n[n <= self.k - 1]):
            at = n == v
            out[at] = fn(v, np.arange(1, int(v) + 1, dtype=float), a[at][:, None])
        return out

    def log_sf(self, t):
        def level(v, i, a):
            terms = self.log_prime[: int(v)][None, :] + _population.log_lower_gamma(
                (v - i + 1)[None, :] + 0 * a, self.lam * a)
            return np.logaddexp(special.logsumexp(terms, axis=1), self.log_suffix[int(v) + 1])
        return np.minimum(self._by_level(t, level), 0.0)

    def log_density(self, t):
        def level(v, i, a):
            terms = self.log_prime[: int(v)][None, :] + _log_pmf(v - i, self.lam * a)
            return np.log(self.lam) + special.logsumexp(terms, axis=1)
        return self._by_level(t, level)

    #: beyond this many levels the low CDF is 1 - sf (an O(n*^2) sum below)
    LOW_LEVELS = 1024

    def log_cdf(self, t):
        """log P(W <= t): 1 - sf where that is above 1/2, else the positive
        terms sum_{n < n*} pi_n + sum_i pi'_i (P(k_i, rho) - P(k_i, lam a)),
        each difference being P(N(lam a) < k_i <= N(rho)) =
        sum_{j < k_i} pmf(j; lam a) P(k_i - j, lam u), u = t - (n* - 1) D."""
        t = np.asarray(t, dtype=float)
        ls = self.log_sf(t)
        with np.errstate(divide="ignore"):
            out = np.log(-np.expm1(ls))
        n, a = self._split(t)
        low = (ls > -np.log(2.0)) & (n <= min(self.k - 1, self.LOW_LEVELS))
        for v in np.unique(n[low]):
            at = low & (n == v)
            v = int(v)
            ya = self.lam * a[at]
            yu = np.maximum(self.lam * self.d - ya, 0.0)
            m = np.arange(v)                                     # m = i + j - 1
            # conv_m = sum_{i=1}^{m+1} pi'_i pmf(m + 1 - i; lam a), m = 0..v-1
            ii = np.arange(1, v + 1)
            jj = (m[:, None] + 1 - ii[None, :]).astype(float)
            log_conv = np.array([special.logsumexp(
                np.where(jj >= 0, self.log_prime[:v][None, :] + _log_pmf(np.maximum(jj, 0), y),
                         -np.inf), axis=1) for y in ya])         # (times, m)
            # k_i - j = v + 1 - (i + j) = v - m
            log_p = _population.log_lower_gamma((v - m)[None, :] + 0 * yu[:, None],
                                                yu[:, None])
            part = special.logsumexp(log_conv + log_p, axis=1)
            out[at] = np.logaddexp(np.logaddexp.reduce(self.log_pi[:v]), part)
        return np.minimum(out, 0.0)

    def quantile(self, p):
        """t with P(W <= t) = p (an array of levels in (P(W = 0), 1))."""
        log_tail = np.log1p(-p)
        # the level whose interval holds the answer: S_{n*} >= 1 - p > S_{n*+1}
        n = np.searchsorted(-self.log_suffix[1:], -log_tail, side="right")
        x0 = (np.clip(n, 1, self.k - 1) - 0.5) * self.d
        return _solve(lambda idx, x: self.log_sf(x), lambda idx, x: self.log_density(x),
                      log_tail, x0)


class ErlangWait:
    """M/E_k/1/K through the chain of phases left (see the notes)."""

    def __init__(self, lam, shape, scale, capacity):
        k, K = int(shape), int(capacity)
        self.lam, self.shape, self.rate = float(lam), k, 1.0 / float(scale)
        top = k * K
        admit = k * (K - 1)                    # admitted while at most this many
        log_r = np.log(self.lam) - np.log(self.rate)
        log_p = np.full(top + 1, -np.inf)
        log_p[0] = 0.0
        for j in range(1, top + 1):
            lo, hi = max(0, j - k), min(j - 1, admit)
            if hi >= lo:
                log_p[j] = log_r + np.logaddexp.reduce(log_p[lo:hi + 1])
        log_total = np.logaddexp.reduce(log_p)
        log_admit = np.logaddexp.reduce(log_p[: admit + 1])
        self.log_blocking = (np.logaddexp.reduce(log_p[admit + 1:]) - log_total
                             if top > admit else -np.inf)
        self.log_q = log_p[: admit + 1] - log_admit         # what admitted arrivals see
        self.log_p0 = float(self.log_q[0])
        self.j = np.arange(admit + 1, dtype=float)
        self.longest = np.inf

    def _mix(self, t, shift, upper):
        """log sum_j q_j Q(j + shift, x) (upper) or P(j + shift, x), x = t/scale,
        over the phases j with j + shift >= 1."""
        t = np.asarray(t, dtype=float)
        x = (self.rate * t).ravel()
        n = self.j + shift
        keep = n >= 1
        n, lq = n[keep], self.log_q[keep]
        # t = inf: every wait has ended
        out = np.full(x.size, -np.inf if upper else special.logsumexp(lq))
        step = max(1, 2_000_000 // max(n.size, 1))
        for s in range(0, x.size, step):
            xs = x[s: s + step, None]
            fin = np.isfinite(xs[:, 0])
            xs = np.where(fin[:, None], xs, 0.0)
            nn = np.broadcast_to(n[None, :], (xs.shape[0], n.size))
            xx = np.broadcast_to(xs, nn.shape)
            g = (_kw.log_q(nn, xx) if upper else _population.log_lower_gamma(nn, xx))
            out[s: s + step] = np.where(fin, special.logsumexp(lq[None, :] + g, axis=1),
                                        out[s: s + step])
        return out.reshape(t.shape)

    def _log_density(self, t, shift):
        """log of the density of Erlang(j + shift) times mixed over j."""
        t = np.asarray(t, dtype=float)
        keep = self.j + shift >= 1
        terms = self.log_q[keep][None, :] + _log_pmf(self.j[keep][None, :] + shift - 1,
                                                      (self.rate * t).ravel()[:, None])
        return (np.log(self.rate) + special.logsumexp(terms, axis=1)).reshape(t.shape)

    def _log_cdf(self, t, shift):
        """log P(time <= t): 1 - sf above 1/2, else the positive terms (the
        atom at 0 of those with no phase ahead, then the Erlang laws)."""
        ls = np.minimum(self._mix(t, shift, True), 0.0)
        with np.errstate(divide="ignore"):
            out = np.log(-np.expm1(ls))
        low = ls > -np.log(2.0)
        if low.any():
            part = self._mix(np.asarray(t)[low], shift, False)
            out[low] = np.logaddexp(self.log_p0, part) if shift == 0 else part
        return np.minimum(out, 0.0)

    def log_sf(self, t):
        return np.minimum(self._mix(t, 0, True), 0.0)

    def log_density(self, t):
        return self._log_density(t, 0)

    def log_cdf(self, t):
        return self._log_cdf(t, 0)

    def log_response_sf(self, t):
        return np.minimum(self._mix(t, self.shape, True), 0.0)

    def log_response_density(self, t):
        return self._log_density(t, self.shape)

    def log_response_cdf(self, t):
        return self._log_cdf(t, self.shape)

    def _mean_phases(self, shift):
        return float(np.exp(special.logsumexp(self.log_q, b=self.j + shift)))

    def quantile(self, p):
        log_tail = np.log1p(-p)
        x0 = np.full(p.shape, max(self._mean_phases(0), 1.0) / self.rate)
        return _solve(lambda idx, x: self.log_sf(x), lambda idx, x: self.log_density(x),
                      log_tail, x0)

    def response_quantile(self, p):
        log_tail = np.log1p(-p)
        x0 = np.full(p.shape, self._mean_phases(self.shape) / self.rate)
        return _solve(lambda idx, x: self.log_response_sf(x),
                      lambda idx, x: self.log_response_density(x), log_tail, x0)
