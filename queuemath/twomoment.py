r"""A two-moment approximation for M/G/c/K: service time known by its mean and
squared coefficient of variation only.

No closed form exists for M/G/c/K with c > 1; the exact single-server case is
:class:`queuemath.MG1K`.  This is an engineering approximation: its error,
measured against simulation, is stated in the class docstring and
reproduced by ``benchmarks/bench_mgck_approx.py`` (about 2 minutes).
"""
from functools import cached_property

import numpy as np

from . import _validate
from ._kernels import finite as _kf
from ._kernels import laws as _laws
from ._kernels import twomoment as _k2
from ._model import Parameter, QueueModel, SimulationSpec, quantity, require_arrivals

__all__ = ["MGcKApprox"]


class MGcKApprox(QueueModel):
    r"""Two-moment approximation of the M/G/c/K queue.

    Parameters
    ----------
    arrival_rate : array_like
        :math:`\lambda`, at least 0. [1/s]
    service_rate : array_like, optional
        :math:`\mu = 1/E[S]` of one server, greater than 0; with
        ``service_scv``. [1/s]
    servers : array_like of int
        c, at least 1.
    capacity : array_like of int
        K >= c, everyone in the system.
    service_scv : array_like, optional
        Keyword only: squared coefficient of variation
        :math:`c_s^2 = Var[S]/E[S]^2` of the service time, at least 0
        (0 deterministic, 1 exponential); with ``service_rate``.
    service_time : float or scipy.stats frozen distribution, optional
        Keyword only, instead of ``service_rate`` and ``service_scv``: the
        service-time law (a number for a constant time), of which the
        approximation uses the mean and variance. [s]

    Attributes
    ----------
    blocking, log_blocking, throughput, utilization, mean_queue,
    mean_in_system, mean_wait
        As for :class:`queuemath.MMcK` (``throughput`` is the admitted rate).

    Notes
    -----
    Tijms' relation between finite and infinite waiting rooms [1]_ (exact for
    M/G/1/K and M/M/c/K),

    .. math:: p_K \approx \frac{(1-\rho)\,P_\infty(N \ge K)}
                              {1 - \rho\,P_\infty(N \ge K)},

    with the infinite-room M/G/c tail of the two-moment (Lee-Longton,
    Allen-Cunneen) kind [2]_: :math:`P_\infty(N \ge c) = C(c, A)` (Erlang C)
    and a geometric queue whose mean is the M/M/c one times
    :math:`k = (1 + c_s^2)/2`, i.e. ratio :math:`\eta` with
    :math:`\eta/(1-\eta) = k\rho/(1-\rho)`.  Written as weights relative to
    state c — states below c as in M/M/c/K (summing to
    :math:`Z = 1/B(c, A) - 1`), queue states :math:`j < K - c` weighing
    :math:`\eta^j (1-\eta)/(1-\rho)` and state K weighing
    :math:`\eta^{K-c}` — the same law extends to :math:`\rho \ge 1`, where
    :math:`\eta = \rho^{1/k}` (the heavy-traffic exponent; both forms agree
    to first order at :math:`\rho = 1`).  It is exact for exponential
    service (:math:`c_s^2 = 1`: this is :class:`queuemath.MMcK`) and for
    K = c (Erlang B is insensitive to the service law).

    Measured error (``python benchmarks/bench_mgck_approx.py``, table in
    ``benchmarks/mgck_approx_error.csv``): c = 1, 2, 5, 10; K - c = 1, 3,
    10; :math:`\rho` = 0.5, 0.8, 1, 1.2; deterministic, gamma
    (:math:`c_s^2 = 0.5`) and lognormal (:math:`c_s^2` = 2 and 4) service,
    192 points, each against 400 000 simulated arrivals (``GGcK``) or, for
    c = 1, the exact :class:`queuemath.MG1K`.  Relative error of the blocking:

    =====================================  ======  ===============  =====
    points                                 median  90th percentile  worst
    =====================================  ======  ===============  =====
    blocking >= 1e-2, :math:`c_s^2 \le 2`  6%      18%              52%
    blocking >= 1e-2, :math:`c_s^2 = 4`    22%     41%              101%
    blocking < 1e-2 (all laws)             25%     120%             4x
    =====================================  ======  ===============  =====

    The large errors are overestimates with several servers and very
    variable service (on the safe side for dimensioning), and small
    blocking at light load, where the tail of the queue depends on more of
    the service law than two moments.  For one server use the exact
    :class:`queuemath.MG1K`; where the answer matters, simulate (``GGcK``).

    Against the exact :class:`queuemath.MPHcK` for phase-type laws of the
    same two moments (``python benchmarks/mgck_vs_mphck.py``, table in
    ``benchmarks/mgck_vs_mphck.csv``; c = 1 to 50, K - c = 1 to 30, load
    0.5 to 1.2, no simulation noise), relative error of the blocking:

    ==========================================  =======  =====
    points                                      median   worst
    ==========================================  =======  =====
    blocking >= 1e-2, :math:`c_s^2` = 0.2, 0.5  3-5%     19%
    blocking >= 1e-2, :math:`c_s^2` = 2         7%       36%
    blocking >= 1e-2, :math:`c_s^2` = 4         15%      2x
    1e-6 <= blocking < 1e-2                     10-73%   6.5x
    blocking < 1e-6                             0.6-10x  160x
    ==========================================  =======  =====

    So it is a fast path worth keeping where the blocking is 1e-2 or more
    and the service no more variable than exponential (a few percent,
    whatever c, also where c is beyond the exact chain's reach); for
    rare blocking or bursty service use :class:`queuemath.MPHcK` with a
    fitted law (``PhaseType.from_law``).

    References
    ----------
    .. [1] H. C. Tijms, "A First Course in Stochastic Models," Wiley, 2003,
       sec. 9.8 (finite-capacity queues; the rejection probability from the
       infinite-capacity state probabilities).
    .. [2] A. M. Lee, P. A. Longton, "Queueing processes associated with
       airline passenger check-in," Operational Research Quarterly 10, 1959,
       56-71; the (1 + c_s^2)/2 factor on the M/M/c mean queue.
       doi:10.2307/3006758

    ``simulate`` runs the service law given, or, from ``service_scv``, a
    gamma law of that mean and scv (a constant time at scv 0): a
    ``crosscheck`` then measures the approximation's error for that law.

    See Also
    --------
    MPHcK : several servers, exact for a phase-type service law.
    MG1K : one server, exact.
    MMcK : exponential service, exact.
    GGcK : any laws, by simulation.

    Examples
    --------
    >>> from queuemath import MMcK
    >>> q = MGcKApprox(4.0, 1.0, 5, 8, service_scv=1.0)       # exponential
    >>> abs(q.blocking / MMcK(4.0, 1.0, 5, 8).blocking - 1) < 1e-12
    True
    >>> MGcKApprox(4.0, 1.0, 5, 8, service_scv=0.0).blocking < q.blocking
    True
    >>> MGcKApprox(4.0, servers=5, capacity=8, service_time=1.0).blocking == \
    ...     MGcKApprox(4.0, 1.0, 5, 8, service_scv=0.0).blocking
    True
    """

    quantities = ("blocking", "log_blocking", "throughput", "utilization", "mean_in_system",
                  "mean_queue", "mean_wait", "offered_load")
    approximate = True

    arrival_rate = Parameter(r":math:`\lambda`. [1/s]")
    service_rate = Parameter(r":math:`\mu = 1/E[S]`. [1/s]")
    servers = Parameter("c, the number of servers.", kind="int")
    capacity = Parameter("K, the most the system holds.", kind="int")
    service_scv = Parameter("Squared coefficient of variation of the service time.")
    service_time = Parameter("The service-time law, where one was given. [s]", kind="law")

    def __init__(self, arrival_rate, service_rate=None, servers=None, capacity=None, *,
                 service_scv=None, service_time=None):
        for name, value in (("servers", servers), ("capacity", capacity)):
            if value is None:
                raise ValueError(f"{name} is required")
        lam = _validate.nonnegative("arrival_rate", arrival_rate)
        c = _validate.integer("servers", servers, minimum=1)
        k = _validate.integer("capacity", capacity, minimum=1)
        if service_time is not None:
            if service_rate is not None or service_scv is not None:
                raise ValueError("give either service_time (a law) or service_rate with "
                                 f"service_scv, not both; got service_time={service_time!r} "
                                 f"with service_rate={service_rate!r}, "
                                 f"service_scv={service_scv!r}")
            law = _laws.as_law("service_time", service_time)
            scv_value = _laws.scv(law)
            if not np.isfinite(scv_value):
                raise ValueError("service_time must have a finite variance for a two-moment "
                                 f"approximation, got {_laws.describe(law)}")
            mu = np.array(1.0 / _laws.mean(law))
            scv = np.array(scv_value)
            given = dict(arrival_rate=lam, servers=c.astype(np.int64),
                         capacity=k.astype(np.int64), service_time=law)
        else:
            if service_rate is None or service_scv is None:
                raise ValueError("give service_rate with service_scv, or service_time (a "
                                 f"law); got service_rate={service_rate!r}, "
                                 f"service_scv={service_scv!r}")
            law = None
            mu = _validate.positive("service_rate", service_rate)
            scv = _validate.nonnegative("service_scv", service_scv)
            given = dict(arrival_rate=lam, service_rate=mu, servers=c.astype(np.int64),
                         capacity=k.astype(np.int64), service_scv=scv)
        self._store(given, dict(arrival_rate=lam, service_rate=mu, servers=c, capacity=k,
                                service_scv=scv),
                    raw=(arrival_rate, service_rate, servers, capacity, service_scv),
                    laws=dict(service_time=law))
        p = self._params
        self._lam, self._mu, self._c, self._k, self._scv = (
            p["arrival_rate"], p["service_rate"], p["servers"], p["capacity"], p["service_scv"])
        _validate.at_least("capacity", self._k, "servers", self._c)
        self._a = _validate.offered_load(self._lam, self._mu)

    @classmethod
    def from_distribution(cls, arrival_rate, servers, capacity, *, service_time):
        """Same as ``MGcKApprox(arrival_rate, servers=servers, capacity=capacity,
        service_time=service_time)``.

        Examples
        --------
        Exponential service is exact (scv 1):

        >>> from scipy import stats
        >>> from queuemath import MMcK
        >>> q = MGcKApprox.from_distribution(4.0, 5, 8, service_time=stats.expon(scale=1.0))
        >>> abs(q.blocking / MMcK(4.0, 1.0, 5, 8).blocking - 1) < 1e-12
        True
        """
        return cls(arrival_rate, servers=servers, capacity=capacity, service_time=service_time)

    @property
    def kendall(self):
        scv = self._params["service_scv"]
        s = "D" if np.all(scv == 0) else ("M" if np.all(scv == 1) else "G")
        return (f"M/{s}/{self._kendall_count('servers', 'c')}/"
                f"{self._kendall_count('capacity', 'K')}")

    def simulation_spec(self):
        lam, mu, c, k, scv = self._scalars("arrival_rate", "service_rate", "servers",
                                           "capacity", "service_scv")
        require_arrivals(lam)
        law = self._params["service_time"]
        if law is None:
            if scv == 0:
                law = 1.0 / mu
            else:
                from scipy import stats
                law = stats.gamma(1.0 / scv, scale=scv / mu)
        return SimulationSpec("general", dict(arrival=_laws.ExponentialSampler(lam),
                                              service=_laws.Sampler(law), c=int(c), k=k,
                                              sources=None), int(c))

    @cached_property
    def _law(self):
        return _k2.law(self._a, self._c, self._k, self._scv,
                       _kf.log_rho_rates(self._lam, self._mu, self._c))

    @quantity
    def offered_load(self):
        r""":math:`A = \lambda/\mu`. [erlang]

        Examples
        --------
        >>> from queuemath import MGcKApprox
        >>> q = MGcKApprox(3.0, 1.0, 4, 10, service_scv=0.5)
        >>> round(q.offered_load, 6)
        3.0
        >>> q.offered_load == q.arrival_rate / q.service_rate
        True
        """
        return self._a

    @quantity
    def log_blocking(self):
        """log of blocking.

        Examples
        --------
        >>> import math
        >>> from queuemath import MGcKApprox
        >>> q = MGcKApprox(3.0, 1.0, 4, 10, service_scv=0.5)
        >>> round(q.log_blocking, 6)
        -4.22412
        >>> math.isclose(math.exp(q.log_blocking), q.blocking, rel_tol=1e-14)
        True
        """
        return self._law[0]

    @quantity
    def blocking(self):
        """Approximate share of arrivals refused.

        Examples
        --------
        >>> from queuemath import MGcKApprox
        >>> q = MGcKApprox(3.0, 1.0, 4, 10, service_scv=0.5)
        >>> round(q.blocking, 6)
        0.014638
        """
        return np.exp(self._law[0])

    def _carried(self):
        # A (1 - p_K), at most c: where the approximation's law would carry
        # more than the servers can (overload, scv far from 1) the servers'
        # pace is the answer, not the formula's excess.
        return np.minimum(self._a * np.exp(self._law[2]), self._c)

    @quantity
    def throughput(self):
        r"""Admitted rate :math:`\lambda(1 - p_K)`, at most :math:`\lambda` and
        :math:`c\mu`. [1/s]

        Examples
        --------
        >>> import math
        >>> from queuemath import MGcKApprox
        >>> q = MGcKApprox(3.0, 1.0, 4, 10, service_scv=0.5)
        >>> round(q.throughput, 6)
        2.956085
        >>> math.isclose(q.throughput, q.arrival_rate * (1 - q.blocking), rel_tol=1e-14)
        True
        """
        return np.minimum(self._lam * np.exp(self._law[2]), self._c * self._mu)

    @quantity
    def utilization(self):
        """Mean share of servers busy.

        Examples
        --------
        >>> import math
        >>> from queuemath import MGcKApprox
        >>> q = MGcKApprox(3.0, 1.0, 4, 10, service_scv=0.5)
        >>> round(q.utilization, 6)
        0.739021
        >>> math.isclose(q.utilization, q.throughput / (q.servers * q.service_rate), rel_tol=1e-13)
        True
        """
        return self._carried() / self._c

    @quantity
    def mean_queue(self):
        """Mean number waiting.

        Examples
        --------
        >>> import math
        >>> from queuemath import MGcKApprox
        >>> q = MGcKApprox(3.0, 1.0, 4, 10, service_scv=0.5)
        >>> round(q.mean_queue, 6)
        0.801331
        >>> math.isclose(q.mean_queue, q.throughput * q.mean_wait, rel_tol=1e-13)  # Little
        True
        """
        return self._mean_queue()

    def _mean_queue(self):
        # a mean of queue lengths 0..K-c, whose last ulp can round past K - c
        # at overload: the model's bound is restored where only rounding
        # crosses it
        return np.minimum(np.exp(self._law[1]), self._k - self._c)

    @quantity
    def mean_in_system(self):
        """Mean number present.

        Examples
        --------
        >>> from queuemath import MGcKApprox
        >>> q = MGcKApprox(3.0, 1.0, 4, 10, service_scv=0.5)
        >>> round(q.mean_in_system, 6)
        3.757416
        """
        return np.minimum(self._carried() + self._mean_queue(), self._k)

    @quantity
    def mean_wait(self):
        """Mean wait of an admitted customer. [s]

        Examples
        --------
        >>> import math
        >>> from queuemath import MGcKApprox
        >>> q = MGcKApprox(3.0, 1.0, 4, 10, service_scv=0.5)
        >>> round(q.mean_wait, 6)
        0.271078
        >>> math.isclose(q.mean_wait, q.mean_queue / q.throughput, rel_tol=1e-13)  # Little
        True
        """
        with np.errstate(invalid="ignore", divide="ignore"):
            w = np.exp(self._law[1] - np.log(self._lam) - self._law[2])
        return np.where(self._lam == 0, 0.0, w)
