r"""Time laws of Erlang A's served customers, one point at a time (private
kernel; see ``queuemath.ErlangA``).

Notation as in :mod:`queuemath._kernels.impatience`: relative to state c the
queue state c + j weighs :math:`t_j = x^j/((a+1)\cdots(a+j))`, a = c mu/theta,
x = lam/theta.  A customer admitted with j waiting ahead reaches a server
after the hypoexponential time V with rates :math:`c\mu + i\theta`,
i = j, ..., 0, if its own patience T ~ Exp(theta) lasts.  With
:math:`u_0 = e^{-\theta t}` and :math:`e^{-\theta V} \sim` Beta(a, j+1)
(the rates are an arithmetic progression),

.. math:: P(V > t, T > V) = \frac{a}{a+j+1}\, I_{u_0}(a+1, j+1),
          \qquad P(T > V) = \frac{a}{a+j+1},

and without a capacity the sum over j collapses:
:math:`\sum_j t_j P(V > t, T > V) = \frac{a}{a+1} u_0^{a+1} e^{x(1-u_0)}
R(a+1, x u_0)`, R the positive series of ``impatience.upper``; its t
derivative is :math:`-c\mu\, u_0^{a+1} e^{x(1-u_0)}`.  The moments of the
served wait use :math:`E[V e^{-\theta V}] = \frac{a}{a+j+1} H_1` and
:math:`E[V^2 e^{-\theta V}] = \frac{a}{a+j+1}(H_1^2 + H_2)` with
:math:`H_k = \sum_{i=1}^{j+1} (c\mu + i\theta)^{-k}`.

References
----------
.. [1] O. Garnett, A. Mandelbaum, M. Reiman, "Designing a call center with
   impatient customers," Manufacturing & Service Operations Management 4(3),
   2002, 208-227 (the served customers' wait).  doi:10.1287/msom.4.3.208.7753
.. [2] NIST Digital Library of Mathematical Functions, sec. 8.17 (incomplete
   beta function) and 5.15 (polygamma).
"""
import numpy as np
from scipy import special

from . import impatience as _ia
from . import population as _pop
from . import special as _special

__all__ = ["ServedWait", "log_betainc"]

_DIRECT = 200_000     # harmonic sums up to this many terms are added directly
_CF_ITER = 20_000


def log_betainc(p, q, x, log_x=None):
    """log I_x(p, q) for p, q > 0, 0 <= x <= 1 (float arrays of one shape):
    scipy's value where it is above 1e-290, else the continued fraction of
    DLMF 8.17.22 in log form (there x is below the mean p/(p+q), where it
    converges).  ``log_x`` (optional, same shape): log x where x itself may
    underflow (x = e^{-theta t} far out)."""
    p, q, x = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (p, q, x)))
    log_x = np.log(np.where(x > 0, x, 1.0)) if log_x is None else np.broadcast_to(log_x, p.shape)
    with np.errstate(under="ignore"):
        val = special.betainc(p, q, x)
    out = np.full(p.shape, -np.inf)
    big = val > 1e-290
    with np.errstate(divide="ignore"):
        out[big] = np.log(val[big])
    tiny = ~big & np.isfinite(log_x)
    if tiny.any():
        out[tiny] = _log_betainc_cf(p[tiny], q[tiny], x[tiny], log_x[tiny])
    return out


def _log_betainc_cf(a, b, x, log_x):
    # Lentz on the fraction of Numerical Recipes' betacf (DLMF 8.17.22);
    # prefactor x^a (1-x)^b / (a B(a, b)) in logs
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c = np.ones(a.shape)
    d = 1.0 - qab * x / qap
    d = np.where(np.abs(d) < tiny, tiny, d)
    d = 1.0 / d
    h = d.copy()
    for m in range(1, _CF_ITER):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = np.where(np.abs(d) < tiny, tiny, d)
        c = 1.0 + aa / c
        c = np.where(np.abs(c) < tiny, tiny, c)
        d = 1.0 / d
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = np.where(np.abs(d) < tiny, tiny, d)
        c = 1.0 + aa / c
        c = np.where(np.abs(c) < tiny, tiny, c)
        d = 1.0 / d
        delta = d * c
        h *= delta
        if np.all(np.abs(delta - 1.0) < 1e-16):
            break
    with np.errstate(divide="ignore"):
        pre = a * log_x + b * np.log1p(-x) - np.log(a) - _log_beta(a, b)
    return pre + np.log(h)


def _log_beta(p, q):
    """log B(p, q) for p >= q-ish sizes without the cancellation of log-gamma
    differences when p is huge: log Gamma(q) - log(p (p+1) ... (p+q-1)) for
    integer q, through log_rise."""
    qi = np.round(q)
    integer = (qi == q) & (q >= 1) & (p >= 1)
    out = special.betaln(p, q)
    if integer.any():
        pp, qq = p[integer], q[integer]
        # p (p+1) ... (p+q-1) = p^q rise, log rise = log_rise(p, q-1)
        out[integer] = special.gammaln(qq) - (qq * np.log(pp) + _special.log_rise(pp, qq - 1))
    return out


def _harmonic(cmu, theta, j, power):
    """H(j) = sum_{i=1}^{j+1} (c mu + i theta)^-power for an increasing
    integer array j (one point): the first value by a direct sum (or the
    polygamma difference far out), the rest by cumulative sums."""
    j0 = int(j[0])
    if j0 + 1 <= _DIRECT:
        i = np.arange(1, j0 + 2, dtype=float)
        base = np.sum((cmu + i * theta) ** -power)
    else:
        z1 = cmu / theta + 1.0
        if power == 1:
            base = (special.digamma(z1 + j0 + 1) - special.digamma(z1)) / theta
        else:
            base = (special.polygamma(1, z1) - special.polygamma(1, z1 + j0 + 1)) / theta ** 2
    steps = (cmu + (j[1:] + 1.0) * theta) ** -power
    return np.concatenate([[base], base + np.cumsum(steps)])


class ServedWait:
    """One point of Erlang A with theta > 0: ``m`` = K - c (inf without a
    capacity), ``log_z`` = log of the states below c relative to state c."""

    def __init__(self, rho, omr, eps, a, x, theta, cmu, m, log_z):
        self.rho, self.omr, self.eps, self.a, self.x = rho, omr, eps, a, x
        self.theta, self.cmu, self.m, self.log_z = theta, cmu, m, log_z
        self.infinite = not np.isfinite(m)

    def _weights(self, cut):
        j, lw, log_star = _ia.window(self.rho, self.omr, self.eps, self.a, self.m, cut)
        keep = j < self.m          # the state K arrival is refused
        return j[keep], lw[keep] + log_star

    def _log_sum(self, log_g):
        """log sum_{j<m} t_j g_j, log g_j <= 0 given by ``log_g(j)``; the window
        is widened until it holds every term within e^-60 of the largest."""
        cut = _ia.TAIL_CUT
        while True:
            j, lt = self._weights(cut)
            if j.size == 0:
                return -np.inf
            terms = lt + log_g(j)
            top = terms.max()
            if not np.isfinite(top):
                return -np.inf
            peak = lt.max()
            reach = top - peak + _ia.TAIL_CUT
            if reach >= cut:
                return top + np.log(np.exp(terms - top).sum())
            cut = reach

    def _log_served_share(self, j):
        return np.log(self.a) - np.log(self.a + j + 1.0)

    def log_tail(self, t):
        """log sum_{j<m} t_j P(V > t, served | j), relative to state c."""
        if np.isinf(t):
            return -np.inf
        if self.infinite:
            a, x, theta = self.a, self.x, self.theta
            y = x * np.exp(-theta * t)
            s = a + 1.0
            if y > 0:
                rel, ref, _ = _ia.upper(np.array([y / s]), np.array([(s - y) / s]),
                                        np.array([1.0 / s]), np.array([s]), np.array([y]))
                log_r = float(rel[0] + ref[0])
            else:
                log_r = 0.0
            return (np.log(a) - np.log1p(a) - (self.cmu + theta) * t
                    + x * -np.expm1(-theta * t) + log_r)
        u0 = np.exp(-self.theta * t)
        return self._log_sum(lambda j: self._log_served_share(j)
                             + log_betainc(self.a + 1.0, j + 1.0, np.full(j.shape, u0),
                                           np.full(j.shape, -self.theta * t)))

    def log_density(self, t):
        """log of minus the t derivative of the tail (relative to state c)."""
        theta = self.theta
        lead = -(self.cmu + theta) * t          # log u0^{a+1}
        if self.infinite:
            return np.log(self.cmu) + lead + self.x * -np.expm1(-theta * t)
        if t == 0:
            # only j = 0 has density at 0: a/(a+1) Beta(a+1, 1) pdf at 1 times theta
            return np.log(self.cmu)
        a = self.a
        log_1mu = np.log(-np.expm1(-theta * t))

        def log_f(j):
            # a/(a+j+1) u0^a (1-u0)^j / B(a+1, j+1) theta u0
            return (np.log(a) - np.log(a + j + 1.0) + lead + j * log_1mu
                    - _log_beta(np.full(j.shape, a + 1.0), j + 1.0) + np.log(theta))
        return self._log_sum(log_f)

    def log_served(self):
        """log of the served customers' weight relative to state c."""
        return np.logaddexp(self.log_z, self.log_tail(0.0))

    def wait_moments(self):
        """(E[W | served], Var[W | served]), the variance centred term by term
        (those served at once contribute m^2, the others (H_1 - m)^2 + H_2),
        so that a concentrated law keeps its digits."""
        j, lt = self._weights(_ia.TAIL_CUT)
        if j.size == 0:
            return 0.0, 0.0
        lw = lt + self._log_served_share(j)
        top = lw.max()
        w = np.exp(lw - top)
        h1 = _harmonic(self.cmu, self.theta, j, 1)
        h2 = _harmonic(self.cmu, self.theta, j, 2)
        scale = np.exp(top - self.log_served())
        mean = scale * (w * h1).sum()
        at_once = np.exp(self.log_z - self.log_served())
        var = at_once * mean ** 2 + scale * (w * ((h1 - mean) ** 2 + h2)).sum()
        return mean, var

def law_variances(s, c, offered):
    """(Var N, Var N_q) of Erlang A (theta > 0) for the ServedWait point
    ``s``, c servers and offered load lam/mu: the states below c (Poisson
    terms relative to state c) and the queue states (the window of t_j, j =
    0..m) as the two regions of ``population.region_moments``."""
    j, lw, log_star = _ia.window(s.rho, s.omr, s.eps, s.a, s.m, _ia.TAIL_CUT)
    lq, tq, dq, vq = _pop.window_stats(j, lw + log_star)
    if c > 1:
        log_a = np.log(offered)
        _, n, fs, _ = _pop.log_sum_concave(
            lambda v: _pop.pois_diff(v, float(c), log_a), 0, int(c) - 1)
        low = _pop.window_stats(n, fs)
    else:
        low = (s.log_z, 0.0, 0.0, 0.0)
    m = _pop.region_moments(low, (lq, c + tq, dq, vq), c)
    return m["var_in_system"], m["var_queue"]
