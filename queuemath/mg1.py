r"""M/G/1: Poisson arrivals, one server, any service law, unlimited room.

The Pollaczek-Khinchine formulas give the means from the service law's first
two moments, and Takacs' recursion the wait's second moment from the third;
the waiting-time law comes from its Laplace-Stieltjes transform

.. math:: W^*(s) = \frac{(1-\rho)\,s}{s - \lambda(1 - B^*(s))},

inverted numerically (Abate and Whitt's Euler algorithm; kernel
``queuemath._kernels.transform``).

References
----------
.. [1] D. Gross, J. F. Shortle, J. M. Thompson, C. M. Harris, "Fundamentals
   of Queueing Theory," 4th ed., Wiley, 2008, sec. 6.1 (Pollaczek-Khinchine,
   Takacs' moments, the waiting-time transform).  doi:10.1002/9781118625651
.. [2] J. Abate, W. Whitt, "A unified framework for numerically inverting
   Laplace transforms," INFORMS Journal on Computing 18, 2006, 408-421.
   doi:10.1287/ijoc.1050.0137
"""
import numpy as np

from . import _validate
from ._kernels import laws as _laws
from ._kernels import transform as _transform
from ._model import Parameter, QueueModel, SimulationSpec, quantity, require_arrivals

__all__ = ["MG1"]

#: M/D/1's time laws go through M/D/1/K up to this many places (an O(K^2)
#: solve); beyond (load within ~1e-3 of 1) through the inversion
_MD1_MAX_LEVELS = 16384


def _moment(law, k):
    """E[S^k] for k = 2 (from the variance, which scipy gives as inf where
    it diverges) or 3 (inf where the integral diverges)."""
    if _laws.is_constant(law):
        return law ** k
    if k == 2:
        m, v = (float(x) for x in law.stats(moments="mv"))
        return v + m * m
    import warnings
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        value = float(law.moment(k))
    return value if np.isfinite(value) and value > 0 else np.inf


class MG1(QueueModel):
    r"""The M/G/1 queue (FIFO, no capacity limit).

    Parameters
    ----------
    arrival_rate : array_like
        :math:`\lambda`, at least 0. [1/s]
    service_time : float or scipy.stats frozen distribution or PhaseType
        Keyword only: the service-time law (a number: constant, M/D/1). [s]

    Attributes
    ----------
    p_wait, utilization
        :math:`\rho = \lambda E[S]` (1 where unstable).
    p_empty
        :math:`1 - \rho` (0 where unstable).
    throughput
        :math:`\min(\lambda, 1/E[S])`. [1/s]
    mean_wait, mean_queue, mean_response_time, mean_in_system
        Pollaczek-Khinchine: :math:`W_q = \lambda E[S^2]/(2(1-\rho))`,
        :math:`L_q = \lambda W_q`; ``inf`` where :math:`\rho \ge 1`.
    var_wait
        Takacs: :math:`\lambda E[S^3]/(3(1-\rho)) + W_q^2`. [s^2]

    See Also
    --------
    MG1K : a capacity, exact by the embedded chain.
    MMc : exponential service in closed form.

    Notes
    -----
    The time laws (:meth:`wait_cdf`, :meth:`wait_sf`, :meth:`wait_quantile`,
    :meth:`response_time_cdf`, :meth:`response_time_quantile`) come from a
    numerical inversion whose error is absolute: against M/M/1's exponential
    law below 1e-10 (``tests/test_mg1.py``); tails smaller than that are not
    resolved, and there is no ``log_wait_sf``.  The inversion blurs where
    the law's density jumps, as M/D/1's does at every multiple of D (errors
    of 1e-3 there), so a constant service takes M/D/1/K's exact law instead,
    with K large enough that fewer than 1e-18 of customers find K present
    (up to 16384 places; the inversion beyond, within ~1e-3 of load 1).

    References
    ----------
    .. [1] D. Gross, J. F. Shortle, J. M. Thompson, C. M. Harris,
       "Fundamentals of Queueing Theory," 4th ed., Wiley, 2008, sec. 6.1.
       doi:10.1002/9781118625651
    .. [2] J. Abate, W. Whitt, "A unified framework for numerically
       inverting Laplace transforms," INFORMS Journal on Computing 18,
       2006, 408-421.  doi:10.1287/ijoc.1050.0137

    Examples
    --------
    >>> q = MG1(0.8, service_time=1.0)               # M/D/1: half of M/M/1's wait
    >>> float(q.mean_wait)
    2.0000000000000004
    >>> round(float(q.wait_cdf(0.0)), 12)           # those who find it empty
    0.2
    """

    quantities = ("p_wait", "p_empty", "throughput", "utilization", "mean_in_system",
                  "mean_queue", "mean_wait", "mean_response_time", "offered_load", "var_wait")

    arrival_rate = Parameter(r":math:`\lambda`. [1/s]")
    service_time = Parameter("The service-time law (a float: constant). [s]", kind="law")

    def __init__(self, arrival_rate, *, service_time):
        self._lam, self._law = self._store_rate_and_law(arrival_rate, service_time)
        self._m1 = _laws.mean(self._law)
        self._md1k_cache = {}
        self._m2 = _moment(self._law, 2)
        if not np.isfinite(self._m2):
            raise ValueError(f"service_time must have a finite second moment for M/G/1's "
                             f"means, got {_laws.describe(self._law)}")

    @property
    def kendall(self):
        return "M/D/1" if _laws.is_constant(self._law) else "M/G/1"

    def simulation_spec(self):
        lam, = self._scalars("arrival_rate")
        require_arrivals(lam)
        return SimulationSpec("general", dict(arrival=_laws.ExponentialSampler(lam),
                                              service=_laws.Sampler(self._law), c=1,
                                              k=np.inf, sources=None), 1)

    def _rho(self):
        return self._lam * self._m1

    def _stable(self):
        return self._rho() < 1

    @quantity
    def offered_load(self):
        r""":math:`\rho = \lambda E[S]`. [erlang]

        Examples
        --------
        >>> from queuemath import MG1
        >>> q = MG1(0.8, service_time=1.0)
        >>> round(q.offered_load, 6)
        0.8
        """
        return self._rho()

    @quantity
    def utilization(self):
        """Share of time the server is busy, :math:`\\min(\\rho, 1)`.

        Examples
        --------
        >>> import math
        >>> from queuemath import MG1
        >>> q = MG1(0.8, service_time=1.0)
        >>> round(q.utilization, 6)
        0.8
        >>> math.isclose(q.utilization, q.arrival_rate * 1.0, rel_tol=1e-14)
        True
        """
        return np.minimum(self._rho(), 1.0)

    @quantity
    def p_wait(self):
        """Share of arrivals that wait: :math:`\\rho` (PASTA), 1 where unstable.

        Examples
        --------
        >>> from queuemath import MG1
        >>> q = MG1(0.8, service_time=1.0)
        >>> round(q.p_wait, 6)
        0.8
        """
        return np.minimum(self._rho(), 1.0)

    @quantity
    def p_empty(self):
        r""":math:`1 - \rho`, 0 where unstable.

        Examples
        --------
        >>> import math
        >>> from queuemath import MG1
        >>> q = MG1(0.8, service_time=1.0)
        >>> round(q.p_empty, 6)
        0.2
        >>> math.isclose(q.p_empty, 1 - q.utilization, rel_tol=1e-14)
        True
        """
        return np.maximum(1 - self._rho(), 0.0)

    @quantity
    def throughput(self):
        r""":math:`\min(\lambda, 1/E[S])`. [1/s]

        Examples
        --------
        >>> from queuemath import MG1
        >>> q = MG1(0.8, service_time=1.0)
        >>> round(q.throughput, 6)
        0.8
        >>> q.throughput == q.arrival_rate
        True
        """
        return np.minimum(self._lam, 1.0 / self._m1)

    def _wq(self):
        rho = self._rho()
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(self._stable(), self._lam * self._m2 / (2 * (1 - rho)), np.inf)

    @quantity
    def mean_wait(self):
        r"""Pollaczek-Khinchine: :math:`\lambda E[S^2]/(2(1-\rho))`. [s]

        Examples
        --------
        >>> import math
        >>> from queuemath import MG1
        >>> q = MG1(0.8, service_time=1.0)
        >>> round(q.mean_wait, 6)
        2.0
        >>> math.isclose(q.mean_wait, 0.8 * 1.0 / (2 * (1 - 0.8)), rel_tol=1e-14)  # Pollaczek-Khinchine
        True
        """
        return self._wq()

    @quantity
    def mean_queue(self):
        r""":math:`L_q = \lambda W_q`.

        Examples
        --------
        >>> import math
        >>> from queuemath import MG1
        >>> q = MG1(0.8, service_time=1.0)
        >>> round(q.mean_queue, 6)
        1.6
        >>> math.isclose(q.mean_queue, q.throughput * q.mean_wait, rel_tol=1e-13)  # Little
        True
        """
        return np.where(self._stable(), self._lam * self._wq(), np.inf)

    @quantity
    def mean_response_time(self):
        """:math:`W_q + E[S]`. [s]

        Examples
        --------
        >>> from queuemath import MG1
        >>> q = MG1(0.8, service_time=1.0)
        >>> round(q.mean_response_time, 6)
        3.0
        """
        return self._wq() + self._m1

    @quantity
    def mean_in_system(self):
        r""":math:`L_q + \rho`.

        Examples
        --------
        >>> import math
        >>> from queuemath import MG1
        >>> q = MG1(0.8, service_time=1.0)
        >>> round(q.mean_in_system, 6)
        2.4
        >>> math.isclose(q.mean_in_system, q.throughput * q.mean_response_time, rel_tol=1e-13)  # Little
        True
        """
        return np.where(self._stable(), self._lam * self._wq() + self._rho(), np.inf)

    @quantity
    def var_wait(self):
        r"""Takacs: :math:`E[W_q^2] = 2W_q^2 + \lambda E[S^3]/(3(1-\rho))`, so
        Var :math:`W_q = W_q^2 + \lambda E[S^3]/(3(1-\rho))`; ``inf`` where
        unstable or :math:`E[S^3]` is. [s^2]

        Examples
        --------
        >>> from queuemath import MG1
        >>> q = MG1(0.8, service_time=1.0)
        >>> round(q.var_wait, 6)
        5.333333
        """
        m3 = _moment(self._law, 3)
        wq = self._wq()
        rho = self._rho()
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(self._stable(), wq * wq + self._lam * m3 / (3 * (1 - rho)), np.inf)

    # -- time laws ------------------------------------------------------------------
    def _tail(self, t, response):
        """P(W > t) (or of the time in system) at the model's points."""
        lam = np.broadcast_to(self._lam, t.shape)
        return self._tail_at(t, lam, lam * self._m1, response)

    def _md1k(self, lam):
        """The M/D/1/K standing in for M/D/1 at this arrival rate (None
        beyond _MD1_MAX_LEVELS), found once per rate: a quantile search
        evaluates the tail many times."""
        if lam not in self._md1k_cache:
            from .mg1k import MG1K
            k = 64
            while True:
                q = MG1K(lam, k, service_time=self._law)
                if q.blocking < 1e-18 or k >= _MD1_MAX_LEVELS:
                    break
                k *= 2
            self._md1k_cache[lam] = q if q.blocking < 1e-18 else None
        return self._md1k_cache[lam]

    def _constant_tail(self, t, lam, response):
        """M/D/1 exactly: the M/D/1/K law of admitted customers (the M/D/1
        law given fewer than K present, by the truncation property of the
        embedded chain) with K doubled until P(N >= K) < 1e-18."""
        q = self._md1k(lam)
        if q is None:
            return None
        d = self._law
        shift = np.maximum(t - d, 0.0) if response else t
        tail = np.asarray(q.wait_sf(shift), dtype=float)
        return np.where(t < d, 1.0, tail) if response else tail

    def _tail_at(self, t, lam, rho, response):
        """P(W > t) (or the time in system T) for arrays t, lam, rho of one
        shape, by inverting (1 - W*(s))/s (or (1 - W*(s) B*(s))/s); exactly
        for a constant service (see _constant_tail)."""
        out = np.where(rho >= 1, 1.0, 0.0)
        pos = (t > 0) & (rho < 1) & (lam > 0)
        law = self._law
        if _laws.is_constant(law) and pos.any():
            for li in np.unique(lam[pos]):
                at = pos & (lam == li)
                exact = self._constant_tail(t[at], float(li), response)
                if exact is not None:
                    out[at] = exact
                    pos = pos & ~at

        def transform(s):
            li, ri = lam[pos][:, None], rho[pos][:, None]
            b = _transform.lst(law, s)
            w = (1 - ri) * s / (s - li * (1 - b))
            if response:
                w = w * b
            return (1 - w) / s
        if pos.any():
            out[pos] = _transform.euler(transform, t[pos])
        # at t = 0: a share rho waits (PASTA); everyone spends some time in system
        zero = (t == 0) & (rho < 1)
        out[zero] = 1.0 if response else rho[zero]
        idle = (lam == 0) & (t > 0)
        if idle.any():
            out[idle] = self._service_sf(t[idle]) if response else 0.0
        return np.clip(out, 0.0, 1.0)

    def _service_sf(self, t):
        if _laws.is_constant(self._law):
            return np.where(t < self._law, 1.0, 0.0)
        return self._law.sf(t)

    def wait_sf(self, t):
        r""":math:`P(W_q > t)` (numerical inversion; absolute error below
        ~1e-8, see the class notes); 1 where unstable.

        Parameters
        ----------
        t : array_like
            Time, at least 0, broadcast against the parameters. [s]

        Examples
        --------
        Exponential service gives M/M/1, P(W > t) = rho exp(-(mu - lambda) t):

        >>> import math
        >>> from scipy import stats
        >>> q = MG1(0.8, service_time=stats.expon(scale=1.0))
        >>> abs(q.wait_sf(2.0) - 0.8 * math.exp(-0.2 * 2.0)) < 1e-9
        True
        """
        t = self._argument("t", t, _validate.duration)
        return self._output(self._tail(t, False), "wait_sf")

    def wait_cdf(self, t):
        r""":math:`P(W_q \le t)`: the atom :math:`1-\rho` at 0 and the
        inverted transform after.

        Parameters
        ----------
        t : array_like
            Time, at least 0. [s]

        Examples
        --------
        >>> q = MG1(0.8, service_time=1.0)
        >>> round(q.wait_cdf(0.0), 6)  # 1 - rho: nobody waits when the server is free
        0.2
        """
        t = self._argument("t", t, _validate.duration)
        return self._output(1.0 - self._tail(t, False), "wait_cdf")

    def response_time_cdf(self, t):
        r""":math:`P(T \le t)`, T = wait + own service (transform
        :math:`W^*(s)B^*(s)`).

        Parameters
        ----------
        t : array_like
            Time, at least 0. [s]

        Examples
        --------
        Exponential service: the response time of M/M/1 is exponential at mu -
        lambda:

        >>> import math
        >>> from scipy import stats
        >>> q = MG1(0.8, service_time=stats.expon(scale=1.0))
        >>> abs(q.response_time_cdf(3.0) - (1 - math.exp(-0.2 * 3.0))) < 1e-9
        True
        """
        t = self._argument("t", t, _validate.duration)
        return self._output(1.0 - self._tail(t, True), "response_time_cdf")

    def _quantile(self, p, response):
        p = self._argument("p", p, _validate.level)
        lam = np.broadcast_to(self._lam, p.shape)
        rho = lam * self._m1
        out = np.zeros(p.shape)
        for idx in np.ndindex(p.shape):
            pi, li, ri = float(p[idx]), float(lam[idx]), float(rho[idx])
            if ri >= 1:
                out[idx] = np.inf if pi > 0 else 0.0
            elif pi == 0 or (not response and pi <= 1 - ri):
                out[idx] = 0.0                       # a share p never waits
            elif pi == 1:
                out[idx] = np.inf
            elif li == 0:
                # nobody queues: the time in system is the service itself
                out[idx] = (self._law if _laws.is_constant(self._law)
                            else float(self._law.ppf(pi))) if response else 0.0
            elif response and _laws.is_constant(self._law):
                # the time in system is the wait plus D, atoms and all
                out[idx] = self._quantile_one(pi, li, ri, False) + self._law
            else:
                out[idx] = self._quantile_one(pi, li, ri, response)
        return out

    def _quantile_one(self, pi, li, ri, response):
        """Brent's method on the tail at one point (0 where a share p never
        waits)."""
        from scipy.optimize import brentq
        if not response and pi <= 1 - ri:
            return 0.0

        def gap(x):
            one = np.array([x])
            return float(self._tail_at(one, np.array([li]), np.array([ri]),
                                       response)[0]) - (1 - pi)
        scale = self._m1 + li * self._m2 / (2 * (1 - ri))
        lo, hi = 1e-9 * scale, scale
        if gap(lo) <= 0:
            return lo
        while gap(hi) > 0:
            hi *= 2
        return brentq(gap, lo, hi, xtol=1e-14, rtol=1e-12)

    def wait_quantile(self, p):
        """The p-quantile of the wait: 0 where at least a share p does not
        wait; ``inf`` at p = 1 or where unstable.  Brent's method on the
        inverted tail (relative precision ~1e-8).

        Parameters
        ----------
        p : array_like
            Level in [0, 1]. [s]

        Examples
        --------
        >>> import math
        >>> from scipy import stats
        >>> q = MG1(0.8, service_time=stats.expon(scale=1.0))
        >>> abs(q.wait_quantile(0.99) - math.log(0.8 / 0.01) / 0.2) < 1e-6
        True
        """
        return self._output(self._quantile(p, False), "wait_quantile")

    def response_time_quantile(self, p):
        """The p-quantile of the time in system.

        Parameters
        ----------
        p : array_like
            Level in [0, 1]. [s]

        Examples
        --------
        >>> import math
        >>> from scipy import stats
        >>> q = MG1(0.8, service_time=stats.expon(scale=1.0))
        >>> abs(q.response_time_quantile(0.95) - math.log(20.0) / 0.2) < 1e-6
        True
        """
        return self._output(self._quantile(p, True), "response_time_quantile")
