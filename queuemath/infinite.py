r"""Infinite-server queues: M/M/inf and M/G/inf.

Nobody waits: every arrival starts service at once, so the number present
is the number of arrivals still in service.  In steady state it is Poisson
with mean :math:`a = \lambda E[S]` whatever the service law (insensitivity).
From an initial state of :math:`n_0` customers who start their services at
time 0, the number present at time t is Binomial(:math:`n_0`,
:math:`\bar G(t)`) plus an independent Poisson number with mean
:math:`\lambda\int_0^t \bar G(u)\,du` (the arrivals of (0, t] still there).

References
----------
.. [1] D. Gross, J. F. Shortle, J. M. Thompson, C. M. Harris, "Fundamentals
   of Queueing Theory," 4th ed., Wiley, 2008, secs. 2.7 and 6.1.9 (M/M/inf,
   M/G/inf and its transient law).  doi:10.1002/9781118625651
.. [2] S. G. Eick, W. A. Massey, W. Whitt, "The physics of the M_t/G/inf
   queue," Operations Research 41, 1993, 731-742.  doi:10.1287/opre.41.4.731
"""
import numpy as np

from . import _validate
from ._kernels import laws as _laws
from ._kernels import special as _special
from ._model import Parameter, QueueModel, SimulationSpec, quantity, require_arrivals

__all__ = ["MMInf", "MGInf"]


class _Infinite(QueueModel):
    """What M/M/inf and M/G/inf share: the Poisson law and its transient."""

    quantities = ("blocking", "p_wait", "p_empty", "throughput", "mean_in_system",
                  "mean_queue", "mean_wait", "mean_response_time", "offered_load",
                  "var_in_system", "var_queue", "var_wait")

    def _load(self):
        return self._lam * self._mean_service()

    @quantity
    def offered_load(self):
        r""":math:`a = \lambda E[S]`, also the mean number present. [erlang]

        Examples
        --------
        >>> from queuemath import MMInf
        >>> q = MMInf(3.0, 0.5)
        >>> round(q.offered_load, 6)
        6.0
        >>> q.offered_load == q.arrival_rate / q.service_rate
        True
        """
        return self._load()

    @quantity
    def blocking(self):
        """0: nobody is refused.

        Examples
        --------
        >>> from queuemath import MMInf
        >>> q = MMInf(3.0, 0.5)
        >>> round(q.blocking, 6)
        0.0
        >>> q.blocking == 0.0
        True
        """
        return np.zeros(np.shape(self._lam))

    @quantity
    def p_wait(self):
        """0: nobody waits.

        Examples
        --------
        >>> from queuemath import MMInf
        >>> q = MMInf(3.0, 0.5)
        >>> round(q.p_wait, 6)
        0.0
        """
        return np.zeros(np.shape(self._lam))

    @quantity
    def p_empty(self):
        r""":math:`e^{-a}`.

        Examples
        --------
        >>> import math
        >>> from queuemath import MMInf
        >>> q = MMInf(3.0, 0.5)
        >>> round(q.p_empty, 6)
        0.002479
        >>> math.isclose(q.p_empty, math.exp(-q.offered_load), rel_tol=1e-14)  # Poisson
        True
        """
        return np.exp(-self._load())

    @quantity
    def throughput(self):
        r""":math:`\lambda`. [1/s]

        Examples
        --------
        >>> import math
        >>> from queuemath import MMInf
        >>> q = MMInf(3.0, 0.5)
        >>> round(q.throughput, 6)
        3.0
        >>> math.isclose(q.throughput, q.arrival_rate * (1 - q.blocking), rel_tol=1e-14)
        True
        """
        return self._lam + 0.0

    @quantity
    def mean_in_system(self):
        """a, the mean of the Poisson law.

        Examples
        --------
        >>> import math
        >>> from queuemath import MMInf
        >>> q = MMInf(3.0, 0.5)
        >>> round(q.mean_in_system, 6)
        6.0
        >>> math.isclose(q.mean_in_system, q.throughput * q.mean_response_time, rel_tol=1e-13)  # Little
        True
        """
        return self._load()

    @quantity
    def var_in_system(self):
        """a, the variance of the Poisson law.

        Examples
        --------
        >>> from queuemath import MMInf
        >>> q = MMInf(3.0, 0.5)
        >>> round(q.var_in_system, 6)
        6.0
        >>> q.var_in_system == q.offered_load  # Poisson
        True
        """
        return self._load()

    @quantity
    def mean_queue(self):
        """0.

        Examples
        --------
        >>> import math
        >>> from queuemath import MMInf
        >>> q = MMInf(3.0, 0.5)
        >>> round(q.mean_queue, 6)
        0.0
        >>> math.isclose(q.mean_queue, q.throughput * q.mean_wait, rel_tol=1e-13)  # Little
        True
        """
        return np.zeros(np.shape(self._lam))

    @quantity
    def var_queue(self):
        """0.

        Examples
        --------
        >>> from queuemath import MMInf
        >>> q = MMInf(3.0, 0.5)
        >>> round(q.var_queue, 6)
        0.0
        """
        return np.zeros(np.shape(self._lam))

    @quantity
    def mean_wait(self):
        """0. [s]

        Examples
        --------
        >>> import math
        >>> from queuemath import MMInf
        >>> q = MMInf(3.0, 0.5)
        >>> round(q.mean_wait, 6)
        0.0
        >>> math.isclose(q.mean_wait, q.mean_queue / q.throughput, rel_tol=1e-13)  # Little
        True
        """
        return np.zeros(np.shape(self._lam))

    @quantity
    def var_wait(self):
        """0. [s^2]

        Examples
        --------
        >>> from queuemath import MMInf
        >>> q = MMInf(3.0, 0.5)
        >>> round(q.var_wait, 6)
        0.0
        """
        return np.zeros(np.shape(self._lam))

    @quantity
    def mean_response_time(self):
        """E[S]: the time in system is the service. [s]

        Examples
        --------
        >>> from queuemath import MMInf
        >>> q = MMInf(3.0, 0.5)
        >>> round(q.mean_response_time, 6)
        2.0
        >>> q.mean_response_time == 1 / 0.5
        True
        """
        return self._mean_service() + np.zeros(np.shape(self._lam))

    def _states(self, n):
        arr = _validate.as_float_array("n", n)
        if np.any((arr < 0) | (arr != np.floor(arr))):
            bad = arr[(arr < 0) | (arr != np.floor(arr))].ravel()[0]
            raise ValueError(f"n must hold whole numbers >= 0 (numbers present), got {bad!r}")
        return _validate.broadcast(n=arr, **{"the parameters": np.zeros(self._shape)})[0]

    def log_state_probabilities(self, n):
        r""":math:`\log P(N = n) = n\log a - a - \log n!` for the states asked,
        finite far below the smallest double (Loader's Poisson term).

        Parameters
        ----------
        n : array_like of int
            Numbers present, broadcast against the parameters.

        Examples
        --------
        The number present is Poisson with mean lambda/mu:

        >>> import numpy as np
        >>> from scipy import stats
        >>> from queuemath import MMInf
        >>> q = MMInf(3.0, 0.5)
        >>> n = [0, 6, 400]
        >>> bool(np.allclose(q.log_state_probabilities(n), stats.poisson(6.0).logpmf(n), rtol=1e-13))
        True
        """
        n = self._states(n)
        a = np.broadcast_to(self._load(), n.shape)
        pos = np.where(a > 0, a, 1.0)
        # Loader's term for n >= 1; p_0 = e^-a
        out = np.where(n == 0, -a, _special.log_poisson_pmf(np.maximum(n, 1.0), pos))
        out = np.where(a > 0, out, np.where(n == 0, 0.0, -np.inf))
        return self._output(out, "log_state_probabilities")

    def state_probabilities(self, n):
        """P(N = n) for the states asked (the Poisson law; see
        :meth:`log_state_probabilities`).

        Parameters
        ----------
        n : array_like of int
            Numbers present, broadcast against the parameters.

        Examples
        --------
        >>> import math
        >>> q = MMInf(3.0, 1.5)
        >>> bool(abs(q.state_probabilities(2) - 2 * math.exp(-2.0)) < 1e-15)
        True
        """
        with np.errstate(under="ignore"):
            return np.exp(self.log_state_probabilities(n))

    def _transient_parts(self, t, initial):
        t = self._argument("t", t, _validate.duration)
        n0 = _validate.integer("initial", initial, minimum=0)
        stay = self._survival(t)                      # P(S > t), each initial customer
        arrived = self._lam * self._integrated_survival(t)
        return t, n0, stay, arrived

    def transient_mean(self, t, *, initial=0):
        r""":math:`E[N(t)] = n_0 \bar G(t) + \lambda\int_0^t \bar G(u)\,du`
        from :math:`n_0` customers starting service at time 0.

        Parameters
        ----------
        t : array_like
            Time, at least 0. [s]
        initial : int
            :math:`n_0`, keyword only.

        Examples
        --------
        From empty, m(t) = A (1 - exp(-mu t)):

        >>> import math
        >>> from queuemath import MMInf
        >>> q = MMInf(3.0, 0.5)
        >>> math.isclose(q.transient_mean(2.0), 6.0 * (1 - math.exp(-0.5 * 2.0)), rel_tol=1e-14)
        True
        """
        _, n0, stay, arrived = self._transient_parts(t, initial)
        return self._output(n0 * stay + arrived, "transient_mean")

    def transient_state_probabilities(self, n, t, *, initial=0):
        r"""P(N(t) = n): Binomial(:math:`n_0`, :math:`\bar G(t)`) plus
        Poisson(:math:`\lambda\int_0^t \bar G`), summed over the split of n
        (positive terms).

        Parameters
        ----------
        n : int
            The number present asked for.
        t : array_like
            Time, at least 0. [s]
        initial : int
            :math:`n_0`, keyword only.

        Examples
        --------
        From empty the number present at time t is Poisson with mean m(t):

        >>> import numpy as np
        >>> from scipy import stats
        >>> from queuemath import MMInf
        >>> q = MMInf(3.0, 0.5)
        >>> p = [q.transient_state_probabilities(n, 2.0) for n in (0, 3, 10)]
        >>> bool(np.allclose(p, stats.poisson(q.transient_mean(2.0)).pmf([0, 3, 10]), rtol=1e-12))
        True
        """
        from scipy import stats
        n = int(_validate.integer("n", n, minimum=0))
        t, n0, stay, arrived = self._transient_parts(t, initial)
        n0 = int(n0)
        j = np.arange(min(n, n0) + 1)                  # initial customers still there
        shape = np.shape(stay)
        s = np.asarray(stay, dtype=float)[..., None]
        m = np.asarray(arrived, dtype=float)[..., None]
        terms = stats.binom.pmf(j, n0, s) * stats.poisson.pmf(n - j, m)
        return self._output(terms.sum(axis=-1).reshape(shape), "transient_state_probabilities")


class MMInf(_Infinite):
    r"""The M/M/inf queue: Poisson arrivals, exponential service, a server
    for everyone.

    Parameters
    ----------
    arrival_rate : array_like
        :math:`\lambda`, at least 0. [1/s]
    service_rate : array_like
        :math:`\mu`, greater than 0. [1/s]

    Attributes
    ----------
    blocking, p_wait, mean_queue, mean_wait, var_queue, var_wait
        0.
    p_empty, throughput, mean_in_system, var_in_system, mean_response_time, offered_load
        The Poisson law of mean :math:`a = \lambda/\mu`.

    See Also
    --------
    MGInf : any service law (the same steady state).
    ErlangA : with patience rate equal to the service rate, every customer
        leaves at rate mu whether served or not: the same law.

    References
    ----------
    .. [1] D. Gross, J. F. Shortle, J. M. Thompson, C. M. Harris,
       "Fundamentals of Queueing Theory," 4th ed., Wiley, 2008, sec. 2.7.
       doi:10.1002/9781118625651

    Examples
    --------
    >>> q = MMInf(5.0, 2.0)
    >>> float(q.mean_in_system), float(q.var_in_system)
    (2.5, 2.5)
    >>> import math
    >>> m = q.transient_mean(1.0, initial=10)       # 10 left of 10, plus new arrivals
    >>> bool(abs(m - (10 * math.exp(-2.0) + 2.5 * (1 - math.exp(-2.0)))) < 1e-14)
    True
    """

    arrival_rate = Parameter(r":math:`\lambda`. [1/s]")
    service_rate = Parameter(r":math:`\mu`. [1/s]")

    def __init__(self, arrival_rate, service_rate):
        lam = _validate.nonnegative("arrival_rate", arrival_rate)
        mu = _validate.positive("service_rate", service_rate)
        self._store(dict(arrival_rate=lam, service_rate=mu),
                    dict(arrival_rate=lam, service_rate=mu), raw=(arrival_rate, service_rate))
        self._lam, self._mu = self._params["arrival_rate"], self._params["service_rate"]

    @property
    def kendall(self):
        return "M/M/inf"

    def _mean_service(self):
        return 1.0 / self._mu

    def _survival(self, t):
        return np.exp(-self._mu * t)

    def _integrated_survival(self, t):
        return -np.expm1(-self._mu * t) / self._mu

    def simulation_spec(self):
        lam, mu = self._scalars("arrival_rate", "service_rate")
        require_arrivals(lam)
        # as many servers as can ever be busy at once: far beyond the
        # Poisson law's reach (mean + 40 sd + 100)
        a = lam / mu
        c = int(a + 40 * np.sqrt(a) + 100)
        return SimulationSpec("general", dict(arrival=_laws.ExponentialSampler(lam),
                                              service=_laws.ExponentialSampler(mu), c=c,
                                              k=np.inf, sources=None), c)


class MGInf(_Infinite):
    r"""The M/G/inf queue: Poisson arrivals, any service law, a server for
    everyone.

    Parameters
    ----------
    arrival_rate : array_like
        :math:`\lambda`, at least 0. [1/s]
    service_time : float or scipy.stats frozen distribution or PhaseType
        Keyword only: the service-time law (a number: constant). [s]

    See Also
    --------
    MMInf : exponential service.

    References
    ----------
    .. [1] D. Gross, J. F. Shortle, J. M. Thompson, C. M. Harris,
       "Fundamentals of Queueing Theory," 4th ed., Wiley, 2008, sec. 6.1.9.
       doi:10.1002/9781118625651

    Examples
    --------
    >>> q = MGInf(4.0, service_time=0.5)           # constant half-second services
    >>> float(q.mean_in_system)
    2.0
    >>> float(q.transient_mean(0.25))              # 4 x 0.25: none has left yet
    1.0
    """

    arrival_rate = Parameter(r":math:`\lambda`. [1/s]")
    service_time = Parameter("The service-time law (a float: constant). [s]", kind="law")

    def __init__(self, arrival_rate, *, service_time):
        self._lam, self._law = self._store_rate_and_law(arrival_rate, service_time)

    @property
    def kendall(self):
        return "M/D/inf" if _laws.is_constant(self._law) else "M/G/inf"

    def _mean_service(self):
        return _laws.mean(self._law)

    def _survival(self, t):
        if _laws.is_constant(self._law):
            return np.where(t < self._law, 1.0, 0.0)
        return self._law.sf(t)

    def _integrated_survival(self, t):
        """int_0^t P(S > u) du = E[min(S, t)]."""
        if _laws.is_constant(self._law):
            return np.minimum(t, self._law)
        from scipy import integrate
        flat = np.asarray(t, dtype=float).ravel()
        out = np.array([integrate.quad(lambda u: float(self._law.sf(u)), 0.0, ti, limit=200)[0]
                        if np.isfinite(ti) else self._mean_service() for ti in flat])
        return out.reshape(np.shape(t))

    def simulation_spec(self):
        lam, = self._scalars("arrival_rate")
        require_arrivals(lam)
        a = lam * self._mean_service()
        c = int(a + 40 * np.sqrt(a) + 100)
        return SimulationSpec("general", dict(arrival=_laws.ExponentialSampler(lam),
                                              service=_laws.Sampler(self._law), c=c,
                                              k=np.inf, sources=None), c)
