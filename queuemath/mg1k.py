r"""M/G/1/K: Poisson arrivals, one server with a general service time, room for K.

The method, in :class:`MG1K`'s terms (the kernel is
``queuemath._kernels.embedded``).

Solved exactly through the Markov chain embedded at departures: if
:math:`a_k` is the probability of k arrivals during one service, the
departure-epoch distribution :math:`\pi` on 0..K-1 satisfies the level-crossing
balance

.. math:: a_0 \pi_n = \pi_0 \bar A_n + \sum_{i=1}^{n-1} \pi_i \bar A_{n-i+1},
          \qquad \bar A_k = \sum_{j \ge k} a_j,

a recursion of positive terms only (the state-reduction, or GTH, form of
the chain's balance equations: no subtraction, so no loss of digits for large
K, unlike the textbook recursion in :math:`a_j`) [1]_.  The time-average law
follows by :math:`p_n = \pi_n (1 - p_K)`, and the blocking from the refused
arrivals per service, :math:`b = \sum_i \pi_i E[(N - (K - \max(i,1)))^+]`, as
:math:`p_K = b/(1+b)` (again positive terms: exact also when it is tiny).

The arrivals during a service are mixed Poisson.  For a deterministic
service (a number), exponential and gamma laws :math:`a_k` and
:math:`\bar A_k` have closed forms (Poisson, geometric, negative binomial);
for any other scipy.stats law they come from Gauss-Legendre quadrature in the
law's quantile, :math:`E[f(S)] = \int_0^1 f(G^{-1}(u))\,du`, on panels that
crowd towards both tails.

References
----------
.. [1] D. Gross, J. F. Shortle, J. M. Thompson, C. M. Harris, "Fundamentals of
   Queueing Theory," 4th ed., Wiley, 2008, sec. 5.1 (M/G/1/K via the embedded
   chain, and p_K = 1 - 1/(pi_0 + rho)).  doi:10.1002/9781118625651
.. [2] W. K. Grassmann, M. I. Taksar, D. P. Heyman, "Regenerative analysis and
   steady state distributions for Markov chains," Operations Research 33,
   1985, 1107-1116.  doi:10.1287/opre.33.5.1107
"""
from functools import cached_property

import numpy as np

from . import _validate
from ._kernels import embedded as _emb
from ._kernels import laws as _laws
from ._kernels import mg1k_wait as _mw
from ._kernels import phase_wait as _pw
from ._model import Parameter, QueueModel, SimulationSpec, quantity, require_arrivals

__all__ = ["MG1K"]


class MG1K(QueueModel):
    r"""The M/G/1/K queue, exact via the embedded Markov chain.

    Parameters
    ----------
    arrival_rate : array_like
        :math:`\lambda`, at least 0. [1/s]
    capacity : array_like of int
        K >= 1, everyone in the system.
    service_time : float or scipy.stats frozen distribution
        Keyword only: a number for a constant service time (M/D/1/K), or the
        law of the service times (non-negative, finite mean), e.g.
        ``scipy.stats.lognorm(s=1.0, scale=0.6)``. [s]

    Attributes
    ----------
    blocking, log_blocking, p_empty, throughput, utilization, mean_in_system,
    mean_queue, mean_wait, mean_response_time, offered_load
        As for :class:`queuemath.MMcK` (per admitted customer for times).
    var_in_system, var_queue, var_wait
        Variances, for any service law.

    Methods
    -------
    state_probabilities(), arrival_state_probabilities()
        The time-average law and what arrivals see (the same, by PASTA).
    wait_sf(t), log_wait_sf(t), wait_cdf(t), wait_quantile(p),
    response_time_cdf(t), response_time_quantile(p)
        The time laws of admitted customers, exact for a constant,
        exponential or Erlang (gamma with an integer shape) service time;
        another law raises a ValueError naming ``service_time``.

    Raises
    ------
    ValueError
        For a negative, NaN or infinite arrival rate, a capacity that is not
        an integer >= 1, shapes that do not broadcast, or a service time that
        is neither a positive number nor a frozen scipy.stats law of
        non-negative times with a finite mean (an unfrozen law such as
        ``scipy.stats.gamma`` is named as such).

    See Also
    --------
    MM1K : exponential service in closed form.
    MGcKApprox : several servers (two-moment approximation).
    GGcK : general arrivals too, by simulation.

    Notes
    -----
    Arrays of arrival rates and capacities broadcast; each point is solved
    on its own (one service law for all).  Cost O(K^2) in dot products for
    the recursion, plus, for a quadrature law, Poisson terms within 40
    standard deviations of each of 1024 nodes (K = 1e4 with a lognormal law:
    0.8 s).  Exact laws (a number, ``expon``, ``gamma``) agree with mpmath
    to ~1e-13.  The quadrature, measured against the exact gamma and
    exponential forms in ``tests/test_mg1k.py``, agrees to 1e-13 wherever
    the blocking is above 1e-15; far below that (1e-23, 1e-42) it depends on
    the service law's tail beyond probability e^-60, which the nodes do not
    reach, and errs by up to ~1e-3 relative (0.2 % at 1e-23).

    References
    ----------
    .. [1] H. C. Tijms, "A First Course in Stochastic Models," Wiley, 2003,
       sec. 9.4 (M/G/1/K by the embedded Markov chain).  doi:10.1002/047001363X
    .. [2] D. Gross, J. F. Shortle, J. M. Thompson, C. M. Harris, "Fundamentals
       of Queueing Theory," 4th ed., Wiley, 2008, sec. 6.1.
       doi:10.1002/9781118625651

    Examples
    --------
    >>> from scipy import stats
    >>> round(MG1K(0.9, 10, service_time=stats.expon(scale=1.0)).blocking, 6)  # = MM1K
    0.050814
    >>> round(MG1K(0.9, 5, service_time=1.0).blocking, 4)                      # M/D/1/5
    0.0644
    """

    quantities = ("blocking", "log_blocking", "p_empty", "throughput", "utilization",
                  "mean_in_system", "mean_queue", "mean_wait", "mean_response_time",
                  "offered_load", "var_in_system", "var_queue", "var_wait")

    arrival_rate = Parameter(r":math:`\lambda`. [1/s]")
    capacity = Parameter("K, the most the system holds.", kind="int")
    service_time = Parameter("The service-time law (a float: constant). [s]", kind="law")

    def __init__(self, arrival_rate, capacity, *, service_time):
        lam = _validate.nonnegative("arrival_rate", arrival_rate)
        k = _validate.integer("capacity", capacity, minimum=1)
        law = _laws.as_law("service_time", service_time)
        self._store(dict(arrival_rate=lam, capacity=k.astype(np.int64), service_time=law),
                    dict(arrival_rate=lam, capacity=k), raw=(arrival_rate, capacity),
                    laws=dict(service_time=law))
        self._lam, self._k, self._law = (self._params["arrival_rate"], self._params["capacity"],
                                         law)
        self._mean = _laws.mean(law)

    @property
    def kendall(self):
        s = "D" if _laws.is_constant(self._law) else (
            "M" if _laws.exponential_scale(self._law) is not None else "G")
        return f"M/{s}/1/{self._kendall_count('capacity', 'K')}"

    def simulation_spec(self):
        lam, k = self._scalars("arrival_rate", "capacity")
        require_arrivals(lam)
        return SimulationSpec("general", dict(arrival=_laws.ExponentialSampler(lam),
                                              service=_laws.Sampler(self._law), c=1, k=k,
                                              sources=None), 1)

    @cached_property
    def _solution(self):
        """(probabilities (..., max K + 1), b = p_K/(1 - p_K), rho), one solve
        per distinct (arrival rate, capacity)."""
        shape = self._lam.shape
        lam, k = self._lam.ravel(), self._k.ravel().astype(np.int64)
        kmax = int(k.max())
        probs = np.zeros((lam.size, kmax + 1))
        blocking = np.empty(lam.size)
        rho = np.empty(lam.size)
        done = {}
        # the arrivals during a service (a quadrature for most laws) once per
        # rate, as far out as its largest capacity needs
        widest = {}
        for li, ki in zip(lam, k):
            widest[float(li)] = max(widest.get(float(li), 0), int(ki))
        counted = {}
        for i, (li, ki) in enumerate(zip(lam, k)):
            key = (float(li), int(ki))
            if key not in done:
                if key[0] > 0 and key[0] not in counted:
                    counted[key[0]] = _emb.counts(key[0], self._law, widest[key[0]])
                done[key] = _emb.solve(key[0], self._law, key[1], counted.get(key[0]))
            p, b, r = done[key]
            probs[i, : p.size], blocking[i], rho[i] = p, b, r
        return probs.reshape(shape + (kmax + 1,)), blocking.reshape(shape), rho.reshape(shape)

    def state_probabilities(self):
        """p_0, ..., p_K along a last axis of length max(K) + 1 (0 above a
        point's own K).

        Examples
        --------
        With exponential service M/G/1/K is M/M/1/K:

        >>> import numpy as np
        >>> from scipy import stats
        >>> from queuemath import MM1K
        >>> q = MG1K(0.8, 5, service_time=stats.expon(scale=1.0))
        >>> bool(np.allclose(q.state_probabilities(), MM1K(0.8, 1.0, 5).state_probabilities(), rtol=1e-12))
        True
        """
        return self._solution[0].copy()

    @quantity
    def offered_load(self):
        r""":math:`\rho = \lambda E[S]`. [erlang]

        Examples
        --------
        >>> from queuemath import MG1K
        >>> q = MG1K(0.8, 5, service_time=1.0)
        >>> round(q.offered_load, 6)
        0.8
        """
        return self._lam * self._mean

    @quantity
    def blocking(self):
        """The share of arrivals refused.

        Examples
        --------
        >>> import math
        >>> from queuemath import MG1K
        >>> q = MG1K(0.8, 5, service_time=1.0)
        >>> round(q.blocking, 6)
        0.03529
        >>> math.isclose(q.blocking, q.state_probabilities()[-1], rel_tol=1e-12)  # PASTA
        True
        """
        b = self._solution[1]
        return b / (1 + b)

    @quantity
    def log_blocking(self):
        """log of blocking, exact also as blocking -> 1.

        Examples
        --------
        >>> import math
        >>> from queuemath import MG1K
        >>> q = MG1K(0.8, 5, service_time=1.0)
        >>> round(q.log_blocking, 6)
        -3.344144
        >>> math.isclose(math.exp(q.log_blocking), q.blocking, rel_tol=1e-14)
        True
        """
        b = self._solution[1]
        with np.errstate(divide="ignore"):
            return np.where(b > 1, -np.log1p(1 / np.maximum(b, 1.0)), np.log(b) - np.log1p(b))

    @quantity
    def p_empty(self):
        """p_0.

        Examples
        --------
        >>> import math
        >>> from queuemath import MG1K
        >>> q = MG1K(0.8, 5, service_time=1.0)
        >>> round(q.p_empty, 6)
        0.228232
        >>> math.isclose(q.p_empty, q.state_probabilities()[0], rel_tol=1e-12)
        True
        """
        return self._solution[0][..., 0]

    def _throughput(self):
        probs, b, rho = self._solution
        admitted = self._lam / (1 + b)
        # lambda (1 - p_K) keeps its digits at light load; near saturation
        # (1 - p_0)/E[S] does, and it cannot round above the server's rate.
        return np.where(rho / (1 + b) < 0.5, admitted, (1 - probs[..., 0]) / self._mean)

    @quantity
    def throughput(self):
        r"""Admitted rate :math:`\lambda(1 - p_K) = (1 - p_0)/E[S]`. [1/s]

        Examples
        --------
        >>> import math
        >>> from queuemath import MG1K
        >>> q = MG1K(0.8, 5, service_time=1.0)
        >>> round(q.throughput, 6)
        0.771768
        >>> math.isclose(q.throughput, q.arrival_rate * (1 - q.blocking), rel_tol=1e-14)
        True
        """
        return self._throughput()

    def _utilization(self):
        probs, b, rho = self._solution
        busy = rho / (1 + b)
        # Both forms are exact in theory; rho (1 - p_K) keeps its digits at
        # light load, 1 - p_0 near saturation, where it also cannot round
        # above 1.
        return np.where(busy < 0.5, busy, 1 - probs[..., 0])

    @quantity
    def utilization(self):
        r"""Share of time the server is busy, :math:`\rho(1 - p_K) = 1 - p_0`.

        Examples
        --------
        >>> import math
        >>> from queuemath import MG1K
        >>> q = MG1K(0.8, 5, service_time=1.0)
        >>> round(q.utilization, 6)
        0.771768
        >>> math.isclose(q.utilization, 1 - q.p_empty, rel_tol=1e-13)
        True
        """
        return self._utilization()

    def _mean_in_system(self):
        probs = self._solution[0]
        return probs @ np.arange(probs.shape[-1])

    @quantity
    def mean_in_system(self):
        """Mean number present.

        Examples
        --------
        >>> import math
        >>> from queuemath import MG1K
        >>> q = MG1K(0.8, 5, service_time=1.0)
        >>> round(q.mean_in_system, 6)
        1.705349
        >>> math.isclose(q.mean_in_system, q.throughput * q.mean_response_time, rel_tol=1e-13)  # Little
        True
        """
        return self._mean_in_system()

    def _mean_queue(self):
        # sum of (n - 1) p_n over n >= 2: positive terms, so nothing cancels
        # at light load (L - utilization would)
        probs = self._solution[0]
        return probs @ np.maximum(np.arange(probs.shape[-1]) - 1.0, 0.0)

    @quantity
    def mean_queue(self):
        """Mean number waiting.

        Examples
        --------
        >>> import math
        >>> from queuemath import MG1K
        >>> q = MG1K(0.8, 5, service_time=1.0)
        >>> round(q.mean_queue, 6)
        0.933582
        >>> math.isclose(q.mean_queue, q.throughput * q.mean_wait, rel_tol=1e-13)  # Little
        True
        """
        return self._mean_queue()

    def _mean_wait(self):
        thr = self._throughput()
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(self._lam == 0, 0.0, self._mean_queue() / thr)

    @quantity
    def mean_wait(self):
        """Mean wait of an admitted customer (Little's law). [s]

        Examples
        --------
        >>> import math
        >>> from queuemath import MG1K
        >>> q = MG1K(0.8, 5, service_time=1.0)
        >>> round(q.mean_wait, 6)
        1.209667
        >>> math.isclose(q.mean_wait, q.mean_queue / q.throughput, rel_tol=1e-13)  # Little
        True
        """
        return self._mean_wait()

    @quantity
    def mean_response_time(self):
        """Mean time in system of an admitted customer. [s]

        Examples
        --------
        >>> import math
        >>> from queuemath import MG1K
        >>> q = MG1K(0.8, 5, service_time=1.0)
        >>> round(q.mean_response_time, 6)
        2.209667
        >>> math.isclose(q.mean_response_time, q.mean_wait + 1.0, rel_tol=1e-13)
        True
        """
        return self._mean_wait() + self._mean

    # -- second moments ---------------------------------------------------------
    def _central(self, values):
        """sum_n (v_n - mean)^2 p_n over the time-average law: positive terms."""
        probs = self._solution[0]
        v = values(np.arange(probs.shape[-1], dtype=float))
        mean = probs @ v
        return np.sum(probs * (v - mean[..., None]) ** 2, axis=-1)

    @quantity
    def var_in_system(self):
        """Variance of the number present (time average).

        Examples
        --------
        >>> import math
        >>> import numpy as np
        >>> from queuemath import MG1K
        >>> q = MG1K(0.8, 5, service_time=1.0)
        >>> round(q.var_in_system, 6)
        1.949144
        >>> p = q.state_probabilities()
        >>> n = np.arange(len(p))
        >>> math.isclose(q.var_in_system, (n - q.mean_in_system) ** 2 @ p, rel_tol=1e-10)
        True
        """
        return self._central(lambda n: n)

    @quantity
    def var_queue(self):
        """Variance of the number waiting, :math:`(N - 1)^+`.

        Examples
        --------
        >>> from queuemath import MG1K
        >>> q = MG1K(0.8, 5, service_time=1.0)
        >>> round(q.var_queue, 6)
        1.346855
        """
        return self._central(lambda n: np.maximum(n - 1, 0.0))

    @cached_property
    def _wait_moments(self):
        law = self._law
        var = 0.0 if _laws.is_constant(law) else float(law.var())
        out = np.empty(self._lam.size)
        probs, b = self._flat_solution()
        done = {}
        for i, (li, ki) in enumerate(zip(self._lam.ravel(), self._k.ravel())):
            key = (float(li), int(ki))
            if key not in done:
                # the solved law (left by departures) and the arrival-count
                # tails; the embedded solve is not repeated
                _, tail, mean = _emb.counts(key[0], law, key[1])
                pi = probs[i, : key[1]] * (1 + b[i])
                done[key] = _mw.wait_moments(key[0], pi, tail, mean, var)
            out[i] = done[key][1]
        return out.reshape(self._lam.shape)

    @quantity
    def var_wait(self):
        r"""Variance of the wait of an admitted customer, for any service
        law: from the law an admitted customer sees (n present, the service
        in progress at age x), whose partial moments are sums of the tails
        of the arrivals during a service (see
        ``queuemath._kernels.mg1k_wait``). [s^2]

        References
        ----------
        .. [1] H. Takagi, "Queueing Analysis, Vol. 2: Finite Systems,"
           North-Holland, 1993, sec. 2.2.

        Examples
        --------
        >>> from queuemath import MG1K
        >>> q = MG1K(0.8, 5, service_time=1.0)
        >>> round(q.var_wait, 6)
        1.283854
        """
        return self._wait_moments

    def arrival_state_probabilities(self):
        r"""What an arriving customer sees: :math:`p_0, \dots, p_K` (PASTA:
        the time-average law, :meth:`state_probabilities`); the last entry
        is the share refused, and an admitted customer sees
        :math:`p_n/(1 - p_K)`, n < K (the law left behind by departures).

        Examples
        --------
        Poisson arrivals see time averages:

        >>> import numpy as np
        >>> q = MG1K(0.8, 5, service_time=1.0)
        >>> bool(np.allclose(q.arrival_state_probabilities(), q.state_probabilities(), rtol=1e-12))
        True
        """
        return self.state_probabilities()

    # -- time laws ----------------------------------------------------------------
    @cached_property
    def _time_laws(self):
        """One wait law per point: ``MM1K`` for exponential service, the
        kernel's constant or Erlang law, or a ValueError naming the law."""
        form, value = _emb.law_form(self._law)
        if form == "expon":
            from .finite import MM1K
            return MM1K(self._lam, 1.0 / value, self._k)
        erlang = _mw.erlang_shape(form, value)
        if form == "phase":
            return self._phase_laws(*value)
        if form != "constant" and erlang is None:
            raise ValueError(
                f"service_time: the waiting-time law of M/G/1/K is exact here for a constant, "
                f"exponential, Erlang (gamma with an integer shape) or phase-type "
                f"(qm.PhaseType, which PhaseType.from_law fits to any law) service time, not "
                f"{_laws.describe(self._law)}; its moments are var_wait and mean_wait, and "
                f"qm.simulate(model, wait_times=[...]) estimates the law itself")
        laws, done = [], {}
        probs, b = self._flat_solution()
        for i, (li, ki) in enumerate(zip(self._lam.ravel(), self._k.ravel())):
            key = (float(li), int(ki))
            if key not in done:
                if key[0] == 0 or key[1] == 1:
                    done[key] = None                 # nobody ever waits
                elif erlang is not None:
                    done[key] = _mw.ErlangWait(key[0], erlang[0], erlang[1], key[1])
                else:
                    done[key] = _mw.ConstantWait(key[0], value,
                                                 self._log_departure(*key, probs[i], b[i]))
            laws.append(done[key])
        return laws

    def _phase_laws(self, alpha, T, exit_rates):
        """A phase-type law: M/PH/1/K's wait kernel, one per distinct point."""
        laws, done = [], {}
        for li, ki in zip(self._lam.ravel(), self._k.ravel()):
            key = (float(li), int(ki))
            if key not in done:
                done[key] = _pw.PhaseWait.at(alpha, T, exit_rates, key[0], 1, key[1])
            laws.append(done[key])
        return laws

    def _flat_solution(self):
        """The solved laws and b = p_K/(1 - p_K), one row per flat point."""
        probs, b, _ = self._solution
        return probs.reshape(-1, probs.shape[-1]), b.ravel()

    def _log_departure(self, lam, k, probs, b):
        """log pi_0..pi_{K-1} for a constant service: from the solved law
        (``probs``, ``b`` of the point) where no entry underflows, else the
        embedded recursion in logs with the tails' logs (log P(Poisson(rho)
        >= l))."""
        if probs[:k].min() > 1e-290:
            return np.log(probs[:k]) + np.log1p(b)
        return _emb.log_departure_law(lam * self._law, k)

    def _per_point(self, name, value, check, fn, empty, arg="t"):
        """``fn(law, v)`` on the entries v of the argument that go with each
        point (``empty`` where nobody waits); the exponential law goes to
        ``MM1K``'s method of the same name."""
        laws = self._time_laws
        if not isinstance(laws, list):
            return getattr(laws, name)(value)
        return self._each_point(name, value, check, laws, fn, empty, arg)

    def log_wait_sf(self, t):
        r""":math:`\log P(W_q > t)` for an admitted customer, finite far below
        the smallest double.

        Constant service D: who finds n present after the service in
        progress has run x waits :math:`nD - x`; summing the law of (n, x)
        seen by admitted customers,

        .. math:: P(W_q > t) = \sum_{n > n^*} \pi_n + \sum_{i=1}^{n^*}
                  \pi'_i\, P(n^* - i + 1, \lambda a),\quad
                  n^* = \lfloor t/D \rfloor + 1,\ a = n^* D - t,

        with :math:`\pi` the law left by departures (= seen by admitted
        arrivals), :math:`\pi'_1 = \pi_0 + \pi_1`, :math:`\pi'_i = \pi_i`,
        and P the regularised lower incomplete gamma function: positive
        terms, O(n*) of them.  Erlang service (``scipy.stats.gamma`` with an
        integer shape k): who finds j service phases left waits an
        Erlang(j) time, the phases' law from the chain of phases.  A
        phase-type law (:class:`queuemath.PhaseType`): the one-server case
        of :meth:`MPHcK.log_wait_sf`.  Exponential service:
        :meth:`MM1K.log_wait_sf`.

        Parameters
        ----------
        t : array_like
            Time, at least 0, broadcast against the parameters. [s]

        Raises
        ------
        ValueError
            For another service law (its wait law is not implemented; the
            moments ``mean_wait`` and ``var_wait`` hold for every law).

        References
        ----------
        .. [1] D. Gross, J. F. Shortle, J. M. Thompson, C. M. Harris,
           "Fundamentals of Queueing Theory," 4th ed., Wiley, 2008, secs.
           4.3.1 and 5.1.  doi:10.1002/9781118625651
        .. [2] H. Takagi, "Queueing Analysis, Vol. 2: Finite Systems,"
           North-Holland, 1993, sec. 2.2.

        Examples
        --------
        >>> q = MG1K(0.9, 5, service_time=1.0)         # M/D/1/5
        >>> bool(abs(q.wait_sf(0.0) - (1 - q.p_empty / (1 - q.blocking))) < 1e-14)
        True
        """
        return self._per_point("log_wait_sf", t, _validate.duration,
                               lambda law, v: law.log_sf(v), lambda v: np.full(v.shape, -np.inf))

    def wait_sf(self, t):
        """:math:`P(W_q > t)` for an admitted customer (see :meth:`log_wait_sf`);
        times ``1 - blocking`` for the share of all arrivals.

        Parameters
        ----------
        t : array_like
            Time, at least 0. [s]

        Examples
        --------
        A constant service time waits less than an exponential one of the same mean:

        >>> from scipy import stats
        >>> d = MG1K(0.8, 5, service_time=1.0)
        >>> m = MG1K(0.8, 5, service_time=stats.expon(scale=1.0))
        >>> round(d.wait_sf(1.0), 4), round(m.wait_sf(1.0), 4)
        (0.4735, 0.4872)
        """
        with np.errstate(under="ignore"):
            return self._output(np.exp(np.asarray(self.log_wait_sf(t))), "wait_sf")

    def wait_cdf(self, t):
        r""":math:`P(W_q \le t)` for an admitted customer; below 1/2 from
        positive terms, not as 1 minus the tail.

        Parameters
        ----------
        t : array_like
            Time, at least 0. [s]

        Examples
        --------
        >>> q = MG1K(0.8, 5, service_time=1.0)
        >>> abs(q.wait_cdf(1.5) + q.wait_sf(1.5) - 1) < 1e-15
        True
        """
        def fn(law, v):
            with np.errstate(under="ignore"):
                return np.exp(law.log_cdf(v))
        return self._per_point("wait_cdf", t, _validate.duration, fn, lambda v: np.ones(v.shape))

    def _quantile(self, law, p, response):
        """Quantiles of one point's wait (or time in system) law."""
        out = np.zeros(p.shape)
        out[p == 1] = law.longest          # (K - 1) D for a constant service
        if response and hasattr(law, "response_quantile"):
            live = (p > 0) & (p < 1)
            if live.any():
                out[live] = law.response_quantile(p[live])
            return out
        with np.errstate(divide="ignore"):
            live = (np.log1p(-p) < law.log_sf(np.array([0.0]))[0]) & (p < 1)
        if live.any():
            out[live] = law.quantile(p[live])
        # a constant service: the time in system is the wait plus D
        return out + (self._mean if response else 0.0)

    def wait_quantile(self, p):
        """The p-quantile of an admitted customer's wait: 0 where at least a
        share p does not wait, ``inf`` at p = 1 where some wait (see
        :meth:`log_wait_sf`; bracketed Newton on the log tail).

        Parameters
        ----------
        p : array_like
            Level in [0, 1]. [s]

        Examples
        --------
        >>> q = MG1K(0.9, 10, service_time=1.0)
        >>> t = q.wait_quantile(0.95)
        >>> round(float(q.wait_cdf(t)), 12)
        0.95
        """
        return self._per_point("wait_quantile", p, _validate.level,
                               lambda law, v: self._quantile(law, v, False),
                               lambda v: np.zeros(v.shape), arg="p")

    def response_time_cdf(self, t):
        r""":math:`P(T \le t)` for an admitted customer, T = wait + its own
        service: the wait law shifted by D for a constant service, Erlang
        laws of j + k phases for an Erlang one, the customer's own phases
        after the wait's for a phase-type one.

        Parameters
        ----------
        t : array_like
            Time, at least 0. [s]

        Examples
        --------
        With a constant service time of 1 s, nobody is through in less than 1 s:

        >>> q = MG1K(0.8, 5, service_time=1.0)
        >>> q.response_time_cdf(0.99), round(q.response_time_cdf(1.0), 4)
        (0.0, 0.2366)
        """
        def fn(law, v):
            if hasattr(law, "log_response_cdf"):          # Erlang, phase-type
                with np.errstate(under="ignore"):
                    return np.exp(law.log_response_cdf(v))
            with np.errstate(under="ignore"):
                return np.where(v >= self._mean, np.exp(law.log_cdf(np.maximum(v - self._mean, 0))),
                                0.0)
        return self._per_point("response_time_cdf", t, _validate.duration, fn,
                               lambda v: self._alone_cdf(v))

    def _alone_cdf(self, v):
        """P(S <= t): the response time of one who never waits."""
        if _laws.is_constant(self._law):
            return np.where(v >= self._mean, 1.0, 0.0)
        return self._law.cdf(v)

    def response_time_quantile(self, p):
        """The p-quantile of an admitted customer's time in system (see
        :meth:`response_time_cdf`).

        Parameters
        ----------
        p : array_like
            Level in [0, 1]. [s]

        Examples
        --------
        >>> q = MG1K(0.8, 5, service_time=1.0)
        >>> t = q.response_time_quantile(0.95)
        >>> round(t, 4), abs(q.response_time_cdf(t) - 0.95) < 1e-9
        (4.439, True)
        """
        def empty(v):
            if _laws.is_constant(self._law):
                return np.full(v.shape, self._mean)
            return self._law.ppf(v)
        return self._per_point("response_time_quantile", p, _validate.level,
                               lambda law, v: self._quantile(law, v, True), empty, arg="p")
