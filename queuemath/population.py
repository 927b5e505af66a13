r"""Finite populations with a queue: M/M/c/K/N.

N clients (sources) each send a request at rate :math:`\gamma` while idle
(thinking); c servers; room for K in all.  A request that finds K present is
refused and its source goes back to thinking.  At K = c this is Engset's loss
system, without a limit (K = N) the machine-repair model M/M/c//N.  The
field report's storm is of this kind: a few hundred clients behind one
listener.
"""
from functools import cached_property

import numpy as np

from . import _validate
from ._kernels import population as _kp
from ._kernels import special as _special
from ._kernels import waiting as _kw
from ._model import Parameter, QueueModel, SimulationSpec, quantity, require_arrivals

__all__ = ["FiniteSourceMMcK"]


class FiniteSourceMMcK(QueueModel):
    r"""The M/M/c/K/N queue: N sources, c exponential servers, room for K.

    Parameters
    ----------
    arrival_rate : array_like
        :math:`\gamma`, the request rate of one idle source, at least 0. [1/s]
    service_rate : array_like
        :math:`\mu` of one server, greater than 0. [1/s]
    sources : array_like of int
        N, the population, at least 1.
    servers : array_like of int
        c, at least 1.
    capacity : array_like of int, optional
        K, the most the system holds (in service included), at least c.
        None (the default) means no limit but the population (the
        machine-repair model); a K above N is the same as K = N.

    Attributes
    ----------
    blocking : float or ndarray
        Call congestion: the share of requests refused.  By the arrival
        theorem a request sees the system with one source fewer, so this is
        that system's :math:`p_K` [1]_; 0 without a limit.
    log_blocking : float or ndarray
        log of ``blocking``, finite far below the smallest double.
    time_congestion : float or ndarray
        :math:`P(N \ge c)`, the share of time every server is busy
        (Engset's time congestion at K = c).
    log_time_congestion : float or ndarray
        log of ``time_congestion``.
    p_full : float or ndarray
        :math:`p_K`, the share of time the system is full: above the call
        congestion, as a full system has fewer idle sources to request; 0
        where K > N.
    log_p_full : float or ndarray
        log of ``p_full``, finite far below the smallest double.
    p_wait : float or ndarray
        The share of requests admitted that find every server busy.
    p_empty : float or ndarray
        :math:`p_0`.
    throughput : float or ndarray
        Admitted (= served) rate :math:`\mu E[\min(N, c)]`. [1/s]
    attempt_rate : float or ndarray
        Rate of requests, refused ones included,
        :math:`\gamma(N - L)`; ``throughput`` is this times
        ``1 - blocking``. [1/s]
    utilization : float or ndarray
        Mean share of servers busy.
    mean_in_system, mean_queue : float or ndarray
        L and :math:`L_q`, time averages.
    mean_wait, mean_response_time : float or ndarray
        Per admitted request, by Little's law on the admitted stream. [s]
    var_in_system, var_queue : float or ndarray
        Variances of the number present and of the number waiting.
    var_wait : float or ndarray
        Variance of the wait of an admitted request. [s^2]

    Raises
    ------
    ValueError
        For a negative, NaN or infinite rate, a zero service rate, sources,
        servers or capacity that are not integers >= 1, capacity < servers,
        or shapes that do not broadcast.

    See Also
    --------
    Engset : the same population without a queue (K = c).
    MMcK : infinitely many sources.
    FiniteSourceGGcK : general think and service times, by simulation.

    Notes
    -----
    The stationary law is, relative to state c,
    :math:`p_n \propto \binom{N}{n}\beta^n` for :math:`n \le c` and
    :math:`p_n \propto \frac{N!}{(N-n)!\,c!\,c^{n-c}}\beta^n` for
    :math:`c \le n \le K`, with :math:`\beta = \gamma/\mu` [1]_: a truncated
    binomial law below c and, above c, a Poisson law of mean
    :math:`r = c\mu/\gamma` in the number of idle sources N - n.  The law is
    log-concave in n, and every sum over it (normaliser, means, variances,
    the Erlang mixtures of the waiting time) is taken over the window of
    states that carry it, around its largest term, from Loader's
    saddle-point forms of the binomial and Poisson terms written relative to
    one another (see ``queuemath._kernels.population``): populations of
    10^7 cost a few thousand terms per point, not 10^7, and nothing
    overflows.  Points of an array are computed one at a time.

    An admitted request sees the system with one source fewer restricted to
    fewer than K present (arrival theorem); one that finds n >= c present
    waits for n - c + 1 departures at rate :math:`c\mu` (FIFO).

    References
    ----------
    .. [1] D. Gross, J. F. Shortle, J. M. Thompson, C. M. Harris,
       "Fundamentals of Queueing Theory," 4th ed., Wiley, 2008, sec. 2.7
       (finite-source queues) and sec. 2.5.  doi:10.1002/9781118625651
    .. [2] V. B. Iversen, "Teletraffic Engineering and Network Planning,"
       Technical University of Denmark, 2015, ch. 8 (Engset; the arrival
       theorem for finite sources).

    Examples
    --------
    >>> q = FiniteSourceMMcK(0.1, 1.0, 20, 2, 5)
    >>> bool(q.blocking < q.p_full)
    True
    >>> from queuemath import Engset
    >>> e = Engset(20, 2, idle_source_load=0.1)
    >>> bool(abs(FiniteSourceMMcK(0.1, 1.0, 20, 2, 2).blocking - e.blocking) < 1e-15)
    True
    """

    quantities = ("blocking", "log_blocking", "time_congestion", "log_time_congestion",
                  "p_full", "log_p_full", "p_wait", "p_empty", "throughput", "attempt_rate",
                  "utilization",
                  "mean_in_system", "mean_queue", "mean_wait", "mean_response_time",
                  "var_in_system", "var_queue", "var_wait")
    descriptions = {"blocking": "share of requests refused (call congestion)",
                    "time_congestion": "share of time every server is busy",
                    "p_wait": "share of requests that are admitted and wait for a server"}

    arrival_rate = Parameter(r":math:`\gamma`, request rate of one idle source. [1/s]")
    service_rate = Parameter(r":math:`\mu` of one server. [1/s]")
    sources = Parameter("N, the number of sources.", kind="int")
    servers = Parameter("c, the number of servers.", kind="int")
    capacity = Parameter("K, the most the system holds (None: N).", kind="int")

    def __init__(self, arrival_rate, service_rate, sources, servers, capacity=None):
        lam = _validate.nonnegative("arrival_rate", arrival_rate)
        mu = _validate.positive("service_rate", service_rate)
        n = _validate.integer("sources", sources, minimum=1)
        c = _validate.integer("servers", servers, minimum=1)
        numeric = dict(arrival_rate=lam, service_rate=mu, sources=n, servers=c)
        if capacity is not None:
            k = _validate.integer("capacity", capacity, minimum=1)
            numeric["capacity"] = k
        self._store(dict(arrival_rate=lam, service_rate=mu, sources=n.astype(np.int64),
                         servers=c.astype(np.int64),
                         capacity=None if capacity is None else k.astype(np.int64)),
                    numeric, raw=(arrival_rate, service_rate, sources, servers, capacity))
        p = self._params
        self._lam, self._mu, self._n, self._c = (p["arrival_rate"], p["service_rate"],
                                                 p["sources"], p["servers"])
        if capacity is None:
            k = self._n
        else:
            k = p["capacity"]
            _validate.at_least("capacity", k, "servers", self._c)
        # a limit above the population never binds; below c (c > N) the
        # population is the limit
        self._k = np.minimum(k, self._n)
        self._reachable = np.broadcast_to(k <= self._n, self._shape).ravel()
        self._params["capacity"] = self._k
        with np.errstate(over="ignore"):
            self._beta = self._lam / self._mu
        if np.any(np.isinf(self._beta)):
            idx = tuple(np.argwhere(np.isinf(self._beta))[0])
            raise ValueError("arrival_rate/service_rate overflows: arrival_rate="
                             f"{_validate.fmt(self._lam[idx])}, service_rate="
                             f"{_validate.fmt(self._mu[idx])}")

    @property
    def kendall(self):
        return (f"M/M/{self._kendall_count('servers', 'c')}/"
                f"{self._kendall_count('capacity', 'K')}/{self._kendall_count('sources', 'N')}")

    def simulation_spec(self):
        lam, mu, n, c, k = self._scalars("arrival_rate", "service_rate", "sources", "servers",
                                         "capacity")
        require_arrivals(lam)
        return SimulationSpec("markov", dict(lam=lam, mu=mu, c=c, k=k, sources=n), int(c))

    # -- the three laws of each point ---------------------------------------------
    def _flat(self, name):
        return np.broadcast_to(self._params[name], self._shape).ravel()

    @cached_property
    def _points(self):
        """Per point: (A, B, C) chains: the system (time averages), the system
        with one source fewer (what a request sees; its p_K is the call
        congestion; None where K = N, nothing refused), and that one below K
        (what an admitted request sees)."""
        out = []
        for n, c, k, beta in zip(self._flat("sources"), self._flat("servers"),
                                 np.broadcast_to(self._k, self._shape).ravel(),
                                 np.broadcast_to(self._beta, self._shape).ravel()):
            a = _kp.Chain(n, c, k, beta)
            b = _kp.Chain(n - 1, c, k, beta) if k <= n - 1 else None
            adm = _kp.Chain(n - 1, c, min(k - 1, n - 1), beta)
            out.append((a, b, adm, a.moments(), adm.moments()))
        return out

    def _each(self, fn):
        return np.array([fn(*pt) for pt in self._points], dtype=float).reshape(self._shape)

    @cached_property
    def _log_blocking(self):
        return self._each(lambda a, b, *_: -np.inf if b is None else
                          b.log_prob(np.array([b.k]))[0])

    # -- quantities ---------------------------------------------------------------
    @quantity
    def log_blocking(self):
        """log of the call congestion.

        Examples
        --------
        >>> import math
        >>> from queuemath import FiniteSourceMMcK
        >>> q = FiniteSourceMMcK(0.1, 1.0, 20, 2, 6)
        >>> round(q.log_blocking, 6)
        -2.657868
        >>> math.isclose(math.exp(q.log_blocking), q.blocking, rel_tol=1e-14)
        True
        """
        return self._log_blocking

    @quantity
    def blocking(self):
        """Call congestion: the share of requests refused.

        Examples
        --------
        >>> import math
        >>> from queuemath import FiniteSourceMMcK
        >>> q = FiniteSourceMMcK(0.1, 1.0, 20, 2, 6)
        >>> round(q.blocking, 6)
        0.070097
        >>> math.isclose(q.blocking, q.arrival_state_probabilities()[-1], rel_tol=1e-12)
        True
        """
        with np.errstate(under="ignore"):
            return np.exp(self._log_blocking)

    @cached_property
    def _log_time_congestion(self):
        return self._moment("log_queue")

    @quantity
    def log_time_congestion(self):
        """log of the share of time every server is busy.

        Examples
        --------
        >>> import math
        >>> from queuemath import FiniteSourceMMcK
        >>> q = FiniteSourceMMcK(0.1, 1.0, 20, 2, 6)
        >>> round(q.log_time_congestion, 6)
        -0.352508
        >>> math.isclose(math.exp(q.log_time_congestion), q.time_congestion, rel_tol=1e-14)
        True
        """
        return self._log_time_congestion

    @quantity
    def time_congestion(self):
        """Share of time every server is busy, :math:`P(N \\ge c)`.

        Examples
        --------
        >>> import math
        >>> from queuemath import FiniteSourceMMcK
        >>> q = FiniteSourceMMcK(0.1, 1.0, 20, 2, 6)
        >>> round(q.time_congestion, 6)
        0.702923
        >>> math.isclose(q.time_congestion, sum(q.state_probabilities()[q.servers:]), rel_tol=1e-12)
        True
        """
        with np.errstate(under="ignore"):
            return np.exp(self._log_time_congestion)

    @quantity
    def log_p_full(self):
        """log of the share of time the system is full.

        Examples
        --------
        >>> import math
        >>> from queuemath import FiniteSourceMMcK
        >>> q = FiniteSourceMMcK(0.1, 1.0, 20, 2, 6)
        >>> round(q.log_p_full, 6)
        -2.449228
        >>> math.isclose(math.exp(q.log_p_full), q.p_full, rel_tol=1e-14)
        True
        """
        return self._log_p_full

    @quantity
    def p_full(self):
        """:math:`p_K`, the share of time the system is full (0 where K > N).

        Examples
        --------
        >>> import math
        >>> from queuemath import FiniteSourceMMcK
        >>> q = FiniteSourceMMcK(0.1, 1.0, 20, 2, 6)
        >>> round(q.p_full, 6)
        0.08636
        >>> math.isclose(q.p_full, q.state_probabilities()[-1], rel_tol=1e-12)
        True
        """
        with np.errstate(under="ignore"):
            return np.exp(self._log_p_full)

    @cached_property
    def _log_p_full(self):
        # a limit above the population is never reached
        logs = [a.log_prob(np.array([a.k]))[0] if ok else -np.inf
                for (a, *_), ok in zip(self._points, self._reachable)]
        return np.array(logs, dtype=float).reshape(self._shape)

    @cached_property
    def _log_admitted(self):
        # log(1 - B), from the log of B
        with np.errstate(divide="ignore"):
            return np.where(np.isinf(self._log_blocking), 0.0,
                            _special.log1mexp(np.minimum(self._log_blocking, -1e-300)))

    @quantity
    def p_wait(self):
        """Share of requests admitted that find every server busy.

        Examples
        --------
        >>> import math
        >>> from queuemath import FiniteSourceMMcK
        >>> q = FiniteSourceMMcK(0.1, 1.0, 20, 2, 6)
        >>> round(q.p_wait, 6)
        0.596909
        >>> math.isclose(q.p_wait, sum(q.arrival_state_probabilities()[q.servers:-1]), rel_tol=1e-12)
        True
        """
        with np.errstate(under="ignore"):
            return np.exp(self._log_admitted + self._moment("log_queue", which=4))

    @quantity
    def p_empty(self):
        """:math:`p_0`.

        Examples
        --------
        >>> import math
        >>> from queuemath import FiniteSourceMMcK
        >>> q = FiniteSourceMMcK(0.1, 1.0, 20, 2, 6)
        >>> round(q.p_empty, 6)
        0.099026
        >>> math.isclose(q.p_empty, q.state_probabilities()[0], rel_tol=1e-12)
        True
        """
        with np.errstate(under="ignore"):
            return self._each(lambda a, *_: np.exp(a.log_prob(np.array([0.0]))[0]))

    @cached_property
    def _busy(self):
        return self._moment("busy")

    @quantity
    def throughput(self):
        r"""Served rate :math:`\mu E[\min(N, c)]`, at most :math:`c\mu`. [1/s]

        Examples
        --------
        >>> import math
        >>> from queuemath import FiniteSourceMMcK
        >>> q = FiniteSourceMMcK(0.1, 1.0, 20, 2, 6)
        >>> round(q.throughput, 6)
        1.603898
        >>> math.isclose(q.throughput, q.attempt_rate * (1 - q.blocking), rel_tol=1e-13)
        True
        """
        # served <= attempted exactly: where nothing is refused the two are
        # equal and their roundings differ by an ulp
        return np.minimum(np.minimum(self._mu * self._busy, self._c * self._mu),
                          self._lam * self._idle_sources)

    @quantity
    def attempt_rate(self):
        r"""Rate of requests, :math:`\gamma(N - L)`, refused ones included. [1/s]

        :math:`N - L` is not formed by subtraction (it is tiny beside N when
        requests are far faster than service): :math:`(N - n)T_n(N) = N
        T_n(N-1)` makes it N times the ratio of the normalisers of the
        system with one source fewer (to min(K, N - 1)) and of the system.

        Examples
        --------
        >>> import math
        >>> from queuemath import FiniteSourceMMcK
        >>> q = FiniteSourceMMcK(0.1, 1.0, 20, 2, 6)
        >>> round(q.attempt_rate, 6)
        1.724802
        >>> math.isclose(q.attempt_rate, q.arrival_rate * (q.sources - q.mean_in_system), rel_tol=1e-13)
        True
        """
        return self._lam * self._idle_sources

    @cached_property
    def _idle_sources(self):
        def one(a, b, adm, ma, mc):
            if a.trivial:
                return a.n
            x = b if b is not None else adm       # the states 0..min(K, N-1) of N - 1
            m = float(x.mode)
            return (a.n - m) * float(np.exp(x.parts[2] - a.parts[2]
                                            + a.log_rel(np.array([m]))[0]))
        return self._each(one)

    @quantity
    def utilization(self):
        """Mean share of servers busy.

        Examples
        --------
        >>> import math
        >>> from queuemath import FiniteSourceMMcK
        >>> q = FiniteSourceMMcK(0.1, 1.0, 20, 2, 6)
        >>> round(q.utilization, 6)
        0.801949
        >>> math.isclose(q.utilization, q.throughput / (q.servers * q.service_rate), rel_tol=1e-13)
        True
        """
        return self._busy / self._c

    def _moment(self, name, which=3):
        """A moment of each point's law (3: the system's; 4: what an admitted
        request sees)."""
        return self._each(lambda *pt: pt[which][name])

    @quantity
    def mean_in_system(self):
        """L, mean number present.

        Examples
        --------
        >>> import math
        >>> from queuemath import FiniteSourceMMcK
        >>> q = FiniteSourceMMcK(0.1, 1.0, 20, 2, 6)
        >>> round(q.mean_in_system, 6)
        2.751981
        >>> math.isclose(q.mean_in_system, q.throughput * q.mean_response_time, rel_tol=1e-13)  # Little
        True
        """
        return self._moment("mean_in_system")

    @quantity
    def mean_queue(self):
        r""":math:`L_q`, mean number waiting.

        Examples
        --------
        >>> import math
        >>> from queuemath import FiniteSourceMMcK
        >>> q = FiniteSourceMMcK(0.1, 1.0, 20, 2, 6)
        >>> round(q.mean_queue, 6)
        1.148083
        >>> math.isclose(q.mean_queue, q.throughput * q.mean_wait, rel_tol=1e-13)  # Little
        True
        """
        return self._moment("mean_queue")

    @cached_property
    def _mean_wait(self):
        with np.errstate(invalid="ignore", divide="ignore"):
            w = self._moment("mean_queue") / (self._mu * self._busy)
        return np.where(self._busy > 0, w, 0.0)

    @quantity
    def mean_wait(self):
        r""":math:`W_q = L_q/\text{throughput}`, per admitted request. [s]

        Examples
        --------
        >>> import math
        >>> from queuemath import FiniteSourceMMcK
        >>> q = FiniteSourceMMcK(0.1, 1.0, 20, 2, 6)
        >>> round(q.mean_wait, 6)
        0.715808
        >>> math.isclose(q.mean_wait, q.mean_queue / q.throughput, rel_tol=1e-13)  # Little
        True
        """
        return self._mean_wait

    @quantity
    def mean_response_time(self):
        r""":math:`W_q + 1/\mu`, per admitted request. [s]

        Examples
        --------
        >>> import math
        >>> from queuemath import FiniteSourceMMcK
        >>> q = FiniteSourceMMcK(0.1, 1.0, 20, 2, 6)
        >>> round(q.mean_response_time, 6)
        1.715808
        >>> math.isclose(q.mean_response_time, q.mean_wait + 1 / q.service_rate, rel_tol=1e-13)
        True
        """
        return self._mean_wait + 1 / self._mu

    @quantity
    def var_in_system(self):
        r"""Variance of the number present, from the two regions' own
        variances and means (law of total variance: positive pieces).

        Examples
        --------
        >>> import math
        >>> import numpy as np
        >>> from queuemath import FiniteSourceMMcK
        >>> q = FiniteSourceMMcK(0.1, 1.0, 20, 2, 6)
        >>> round(q.var_in_system, 6)
        3.191833
        >>> p = q.state_probabilities()
        >>> n = np.arange(len(p))
        >>> math.isclose(q.var_in_system, (n - q.mean_in_system) ** 2 @ p, rel_tol=1e-10)
        True
        """
        return self._moment("var_in_system")

    @quantity
    def var_queue(self):
        r"""Variance of the number waiting :math:`(N - c)^+`.

        Examples
        --------
        >>> import math
        >>> import numpy as np
        >>> from queuemath import FiniteSourceMMcK
        >>> q = FiniteSourceMMcK(0.1, 1.0, 20, 2, 6)
        >>> round(q.var_queue, 6)
        1.84506
        >>> p = q.state_probabilities()
        >>> n = np.arange(len(p))
        >>> math.isclose(q.var_queue, (np.maximum(n - q.servers, 0) - q.mean_queue) ** 2 @ p, rel_tol=1e-10)
        True
        """
        return self._moment("var_queue")

    @quantity
    def var_wait(self):
        r"""Variance of the wait of an admitted request: 0 with the
        probability of finding a free server, else J + 1 phases of rate
        :math:`c\mu`, J the number found waiting. [s^2]

        Examples
        --------
        >>> from queuemath import FiniteSourceMMcK
        >>> q = FiniteSourceMMcK(0.1, 1.0, 20, 2, 6)
        >>> round(q.var_wait, 6)
        0.831607
        """
        def one(a, b, adm, ma, mc):
            pq = float(np.exp(mc["log_queue"]))
            phases = mc["queue_mean"] + 1.0
            p_low = float(np.exp(mc["log_low"]))
            return pq * phases + pq * mc["queue_var"] + pq * p_low * phases ** 2
        return self._each(one) / (self._c * self._mu) ** 2

    # -- laws of the number present -------------------------------------------------
    def _stack(self, laws, top):
        out = np.zeros((len(laws), top + 1))
        for i, law in enumerate(laws):
            out[i, :law.size] = law
        return out.reshape(self._shape + (top + 1,))

    def state_probabilities(self):
        r"""Stationary probabilities :math:`p_0, \dots, p_K` (time averages).

        Returns
        -------
        ndarray
            Shape ``(..., max(K) + 1)``; entries above a point's own K are 0.

        Examples
        --------
        >>> FiniteSourceMMcK(1.0, 1.0, 2, 1).state_probabilities()   # 1 : 2 : 2
        array([0.2, 0.4, 0.4])
        """
        top = int(np.max(self._k))
        return self._stack([pt[0].states() for pt in self._points], top)

    def arrival_state_probabilities(self):
        r"""What a request sees: :math:`\pi_0, \dots, \pi_K`, the law of the
        system with one source fewer (arrival theorem), :math:`\pi_n \propto
        (N - n) p_n`; the last entry is the call congestion (0 where K = N).
        An admitted request sees :math:`\pi_n/(1 - \pi_K)`, n < K.

        Returns
        -------
        ndarray
            Shape ``(..., max(K) + 1)``, as :meth:`state_probabilities`.

        Examples
        --------
        The arrival theorem: an arriving source sees the time-average law of the
        system with one source fewer:

        >>> import numpy as np
        >>> q = FiniteSourceMMcK(0.1, 1.0, 20, 2, 6)
        >>> seen = q.arrival_state_probabilities()
        >>> fewer = FiniteSourceMMcK(0.1, 1.0, 19, 2, 6).state_probabilities()
        >>> bool(np.allclose(seen, fewer, rtol=1e-12))
        True
        """
        top = int(np.max(self._k))
        laws = [(pt[1] if pt[1] is not None else pt[2]).states() for pt in self._points]
        return self._stack(laws, top)

    # -- time laws ------------------------------------------------------------------
    def _point_wait(self, i, x):
        """log P(Wq > t | admitted) at x = c mu t for point i."""
        adm = self._points[i][2]
        if np.isinf(x):
            return -np.inf
        return adm.log_mixture(lambda j: _kw.log_q(j + 1, np.full(j.shape, x)))

    def _point_density(self, i, x):
        """log of sum_n pi_n pois(n - c; x): the wait's density over c mu."""
        adm = self._points[i][2]

        def f(j):
            xs = np.full(j.shape, x)
            out = np.where(j == 0, -xs, 0.0)
            pos = j >= 1
            if pos.any():
                if x > 0:
                    out[pos] = _special.log_poisson_pmf(j[pos], xs[pos])
                else:
                    out[pos] = -np.inf
            return out
        return adm.log_mixture(f)

    def _log_wait_sf(self, t):
        t, idx = self._argument_points("t", t, _validate.duration)
        cmu = np.broadcast_to(self._c * self._mu, t.shape)
        out = np.array([self._point_wait(i, x) for i, x in zip(idx.ravel(), (cmu * t).ravel())])
        return out.reshape(t.shape)

    def log_wait_sf(self, t):
        r""":math:`\log P(W_q > t)` for an admitted request, finite far below
        the smallest double: :math:`\sum_{n \ge c} \pi_n Q(n - c + 1,
        c\mu t)`, :math:`\pi` the admitted arrival-seen law and Q the
        regularised upper incomplete gamma function, summed over the window
        of states that carry it (a log-concave sequence).

        Parameters
        ----------
        t : array_like
            Time, at least 0, broadcast against the parameters. [s]

        Examples
        --------
        >>> q = FiniteSourceMMcK(0.2, 1.0, 30, 3, 10)
        >>> bool(abs(q.wait_sf(0.0) - q.p_wait / (1 - q.blocking)) < 1e-14)
        True
        """
        return self._output(self._log_wait_sf(t), "log_wait_sf")

    def wait_sf(self, t):
        r""":math:`P(W_q > t)` for an admitted request (see
        :meth:`log_wait_sf`); times ``1 - blocking`` for all requests.

        Parameters
        ----------
        t : array_like
            Time, at least 0, broadcast against the parameters. [s]

        Examples
        --------
        >>> q = FiniteSourceMMcK(0.1, 1.0, 20, 2, 6)
        >>> [round(q.wait_sf(t), 4) for t in (0.0, 0.5, 2.0)]
        [0.6419, 0.4474, 0.1012]
        """
        with np.errstate(under="ignore"):
            return self._output(np.exp(self._log_wait_sf(t)), "wait_sf")

    def wait_cdf(self, t):
        r""":math:`P(W_q \le t)` for an admitted request.  Below 1/2 it is
        formed from positive terms, the atom :math:`P(N < c)` plus
        :math:`\sum_n \pi_n P(n - c + 1, c\mu t)` (P the regularised lower
        incomplete gamma function), not as 1 minus the tail.

        Parameters
        ----------
        t : array_like
            Time, at least 0, broadcast against the parameters. [s]

        Examples
        --------
        >>> q = FiniteSourceMMcK(0.1, 1.0, 20, 2, 6)
        >>> abs(q.wait_cdf(0.5) + q.wait_sf(0.5) - 1) < 1e-15
        True
        """
        t, idx = self._argument_points("t", t, _validate.duration)
        log_sf = self._log_wait_sf(t)
        out = np.array(-np.expm1(log_sf), dtype=float).ravel()
        x_all = (np.broadcast_to(self._c * self._mu, t.shape) * t).ravel()
        for pos in np.flatnonzero(log_sf.ravel() > -np.log(2.0)):
            i, x = idx.ravel()[pos], x_all[pos]
            adm, mc = self._points[i][2], self._points[i][4]
            part = adm.log_mixture(lambda j, x=x: _kp.log_lower_gamma(j + 1, np.full(j.shape, x)))
            with np.errstate(under="ignore"):
                out[pos] = np.exp(min(np.logaddexp(mc["log_low"], part), 0.0))
        return self._output(out.reshape(t.shape), "wait_cdf")

    def wait_quantile(self, p):
        r"""The p-quantile of the wait of an admitted request: the smallest t
        with :math:`P(W_q \le t) \ge p`; 0 where at least a share p does not
        wait, ``inf`` at p = 1 where some wait.  Newton's method on
        :meth:`log_wait_sf` inside a bracket.

        Parameters
        ----------
        p : array_like
            Level in [0, 1], broadcast against the parameters.

        Returns
        -------
        float or ndarray
            [s]

        Examples
        --------
        >>> q = FiniteSourceMMcK(0.3, 1.0, 40, 4, 20)
        >>> round(float(q.wait_cdf(q.wait_quantile(0.95))), 12)
        0.95
        """
        p, idx = self._argument_points("p", p, _validate.level)
        pf, idf = p.ravel(), idx.ravel()
        log_w0 = np.array([self._points[i][4]["log_queue"] for i in idf])
        out = np.zeros(pf.shape)
        with np.errstate(divide="ignore"):
            target = np.log1p(-pf)
        out[(pf == 1) & np.isfinite(log_w0)] = np.inf
        live = np.flatnonzero((target < log_w0) & (pf < 1))
        if live.size:
            pts = idf[live]

            def evaluate(sub, x):
                f = np.array([self._point_wait(pts[s], xx) for s, xx in zip(sub, x)])
                d = np.array([self._point_density(pts[s], xx) for s, xx in zip(sub, x)])
                return f, -np.exp(d - f)
            phases = np.array([self._points[i][4]["queue_mean"] + 1.0 for i in pts])
            x0 = phases * np.maximum(log_w0[live] - target[live], 0.1)
            x = _kw.solve_falling(evaluate, target[live], x0)
            cmu = np.broadcast_to(self._c * self._mu, p.shape).ravel()[live]
            out[live] = x / cmu
        return self._output(out.reshape(p.shape), "wait_quantile")

    def _log_response_sf(self, t):
        t, idx = self._argument_points("t", t, _validate.duration)
        c = np.broadcast_to(self._c, t.shape).ravel()
        mu = np.broadcast_to(self._mu, t.shape).ravel()
        out = np.empty(t.size)
        for pos, (i, tt) in enumerate(zip(idx.ravel(), t.ravel())):
            if np.isinf(tt):
                out[pos] = -np.inf
                continue
            adm, mc = self._points[i][2], self._points[i][4]
            cc, s = c[pos], mu[pos] * tt
            straight = mc["log_low"] - s          # found a free server
            if cc == 1:
                waited = adm.log_mixture(lambda j, s=s: _kw.log_q(j + 2, np.full(j.shape, s)))
                out[pos] = min(np.logaddexp(straight, waited), 0.0)
                continue
            x = cc * s
            waited = adm.log_mixture(lambda j, x=x: _kw.log_q(j + 1, np.full(j.shape, x)))
            # waits that ended before t, then the rest of the service:
            # e^{-mu t} (c/(c-1))^{j+1} P(j+1, (c-1) mu t)
            lg = -np.log1p(-1.0 / cc)
            y = (cc - 1) * s

            def ended_terms(j, lg=lg, y=y):
                return (j + 1) * lg + _kp.log_lower_gamma(j + 1, np.full(j.shape, y))
            ended = -s + adm.log_mixture(ended_terms)
            out[pos] = min(np.logaddexp(np.logaddexp(straight, waited), ended), 0.0)
        return out.reshape(t.shape)

    def response_time_cdf(self, t):
        r""":math:`P(W \le t)`, W the time in system (wait plus service) of an
        admitted request: with J + 1 waiting phases of rate :math:`c\mu`,
        :math:`P(W > t \mid J) = Q(J+1, c\mu t) + e^{-\mu t}
        (\tfrac{c}{c-1})^{J+1} P(J+1, (c-1)\mu t)` (c > 1; Q(J + 2, \mu t)
        for one server), positive terms mixed over the arrival-seen law.

        Parameters
        ----------
        t : array_like
            Time, at least 0, broadcast against the parameters. [s]

        Examples
        --------
        With as many servers as sources nobody waits: the response time is the
        service time:

        >>> import math
        >>> q = FiniteSourceMMcK(0.1, 2.0, 3, 3)
        >>> math.isclose(q.response_time_cdf(0.4), 1 - math.exp(-2.0 * 0.4), rel_tol=1e-13)
        True
        """
        return self._output(-np.expm1(self._log_response_sf(t)), "response_time_cdf")

    def response_time_quantile(self, p):
        r"""The p-quantile of the time in system of an admitted request (see
        :meth:`response_time_cdf`); 0 at p = 0, ``inf`` at p = 1.

        Parameters
        ----------
        p : array_like
            Level in [0, 1], broadcast against the parameters.

        Returns
        -------
        float or ndarray
            [s]

        Examples
        --------
        >>> q = FiniteSourceMMcK(0.1, 1.0, 20, 2, 6)
        >>> t = q.response_time_quantile(0.9)
        >>> abs(q.response_time_cdf(t) - 0.9) < 1e-12
        True
        """
        p = self._argument("p", p, _validate.level)
        out = _kw.response_quantile(self._log_response_sf, self._log_wait_sf,
                                    np.broadcast_to(self._mu, p.shape), p)
        return self._output(out, "response_time_quantile")
