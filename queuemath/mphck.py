r"""M/PH/c/K: Poisson arrivals, c servers with phase-type service, room for K.

Exact, as a Markov chain whose level is the number present and whose phase
is the count of busy servers in each service phase, solved level by level
(kernel ``queuemath._kernels.phase``: linear level reduction with the
diagonal from positive terms, levels carried with a log scale).  Phase-type
laws approximate any service law (``PhaseType.from_law`` states the fit's
error), so this is the exact counterpart of :class:`MGcKApprox`'s two-moment
approximation for a service law given as a phase-type one.

References
----------
.. [1] M. F. Neuts, "Matrix-Geometric Solutions in Stochastic Models," Johns
   Hopkins University Press, 1981, ch. 3 (the M/PH/c queue).
.. [2] G. Latouche, V. Ramaswami, "Introduction to Matrix Analytic Methods in
   Stochastic Modeling," SIAM, 1999, ch. 10.  doi:10.1137/1.9780898719734
"""
from functools import cached_property

import numpy as np

from . import _validate
from ._kernels import laws as _laws
from ._kernels import phase as _phase
from ._kernels import phase_wait as _pw
from ._model import Parameter, QueueModel, SimulationSpec, quantity, require_arrivals
from .phasetype import PhaseType

__all__ = ["MPHcK"]


def _as_phase_type(law):
    """A PhaseType as is; scipy's exponential and integer-shape gamma laws
    converted exactly; anything else a ValueError naming service_time."""
    if isinstance(law, PhaseType):
        return law
    name = getattr(getattr(law, "dist", None), "name", None)
    args, kwds = getattr(law, "args", ()), dict(getattr(law, "kwds", {}))
    if name in ("expon", "gamma", "erlang") and kwds.get("loc", 0) == 0:
        shape = 1.0 if name == "expon" else float(args[0] if args else kwds.get("a", 1.0))
        if shape == round(shape) and 1 <= shape <= 1000:
            return PhaseType.erlang(int(shape), float(law.mean()))
    raise ValueError(
        f"service_time must be a phase-type law (qm.PhaseType), or scipy's expon or a gamma "
        f"law with an integer shape, got {_laws.describe(law) if law is not None else None}; "
        f"fit one with qm.PhaseType.from_law(law) or qm.PhaseType.fit(mean, scv), which "
        f"state the fit's error")


class MPHcK(QueueModel):
    r"""The M/PH/c/K queue, exact.

    Parameters
    ----------
    arrival_rate : array_like
        :math:`\lambda`, at least 0. [1/s]
    servers : array_like of int
        c >= 1.
    capacity : array_like of int
        K >= c, everyone in the system.
    service_time : PhaseType
        Keyword only: the service-time law, a :class:`queuemath.PhaseType`
        (``scipy.stats.expon`` and ``gamma`` with an integer shape are taken
        exactly as one). [s]

    Attributes
    ----------
    blocking, log_blocking, p_wait, p_empty, throughput, utilization,
    mean_in_system, mean_queue, mean_wait, mean_response_time, offered_load,
    var_in_system, var_queue, var_wait
        As for :class:`queuemath.MMcK` (per admitted customer for times).

    Methods
    -------
    wait_sf, log_wait_sf, wait_cdf, wait_quantile, response_time_cdf,
    response_time_quantile
        The FIFO waiting- and response-time laws of an admitted customer
        (kernel ``queuemath._kernels.phase_wait``: the wait is the absorption
        time of the full level's completions, summed by uniformization with
        positive terms; see :meth:`log_wait_sf`).

    Raises
    ------
    ValueError
        For a negative or NaN arrival rate, servers or capacity that are not
        integers >= 1, capacity below servers, shapes that do not broadcast,
        or a service law that is not phase-type (fit one first).

    See Also
    --------
    PhaseType : the service law, its fits and their errors.
    MMcK : exponential service in closed form (the same numbers).
    MG1K : one server, any service law (the same numbers for c = 1).
    MGcKApprox : the two-moment approximation, for servers beyond reach.

    Notes
    -----
    A level with b busy servers holds :math:`\binom{b+p-1}{p-1}` states for
    p phases.  Cost: O(s^3) for each of the c lowest levels and for the
    levels above c until the level-reduction matrix settles (a few hundred
    at load 0.99; all of them near load 1), O(s^2) per level after; points
    of an array are solved one by one.  Small probabilities keep their
    relative precision (no subtraction anywhere; log scale per level), so
    ``log_blocking`` stays finite far below 1e-300; the rounding of each
    level's matrix (a few ulps) multiplies along the levels, so the relative
    error grows with K: 1e-15 to 1e-14 for tens of levels, 2.7e-12 measured
    at c = 170, K = 400, load 0.95 (against :class:`MMcK`'s closed form, in
    ``tests/test_mphck.py``).

    References
    ----------
    .. [1] M. F. Neuts, "Matrix-Geometric Solutions in Stochastic Models,"
       Johns Hopkins University Press, 1981, ch. 3.
    .. [2] G. Latouche, V. Ramaswami, "Introduction to Matrix Analytic
       Methods in Stochastic Modeling," SIAM, 1999, ch. 10.
       doi:10.1137/1.9780898719734

    Examples
    --------
    >>> import queuemath as qm
    >>> q = MPHcK(3.0, 4, 10, service_time=qm.PhaseType.exponential(1.0))
    >>> bool(abs(q.blocking - qm.MMcK(3.0, 1.0, 4, 10).blocking) < 1e-15)
    True
    >>> h2 = qm.PhaseType.fit(1.0, 4.0)          # mean 1, scv 4: more blocking
    >>> bool(MPHcK(3.0, 4, 10, service_time=h2).blocking > qm.MMcK(3.0, 1.0, 4, 10).blocking)
    True
    """

    quantities = ("blocking", "log_blocking", "p_wait", "p_empty", "throughput",
                  "utilization", "mean_in_system", "mean_queue", "mean_wait",
                  "mean_response_time", "offered_load", "var_in_system", "var_queue",
                  "var_wait")

    arrival_rate = Parameter(r":math:`\lambda`. [1/s]")
    servers = Parameter("c, the number of servers.", kind="int")
    capacity = Parameter("K, the most the system holds.", kind="int")
    service_time = Parameter("The phase-type service-time law. [s]", kind="law")

    def __init__(self, arrival_rate, servers, capacity, *, service_time):
        lam = _validate.nonnegative("arrival_rate", arrival_rate)
        c = _validate.integer("servers", servers, minimum=1)
        k = _validate.integer("capacity", capacity, minimum=1)
        _validate.at_least("capacity", k, "servers", c)
        law = _as_phase_type(service_time)
        self._store(dict(arrival_rate=lam, servers=c.astype(np.int64),
                         capacity=k.astype(np.int64), service_time=law),
                    dict(arrival_rate=lam, servers=c, capacity=k),
                    raw=(arrival_rate, servers, capacity), laws=dict(service_time=law))
        p = self._params
        self._lam, self._c, self._k, self._law = (p["arrival_rate"], p["servers"],
                                                  p["capacity"], law)
        self._mean = law.mean()

    @property
    def kendall(self):
        return (f"M/PH/{self._kendall_count('servers', 'c')}/"
                f"{self._kendall_count('capacity', 'K')}")

    def simulation_spec(self):
        lam, c, k = self._scalars("arrival_rate", "servers", "capacity")
        require_arrivals(lam)
        return SimulationSpec("general", dict(arrival=_laws.ExponentialSampler(lam),
                                              service=_laws.Sampler(self._law), c=int(c),
                                              k=float(k), sources=None), int(c))

    @cached_property
    def _solved(self):
        """One solve per distinct point: the flat points' keys, and {key:
        (log P(N = n), n = 0..K; the servers' phase laws at levels c..K)}."""
        lam, c, k = (v.ravel() for v in np.broadcast_arrays(self._lam, self._c, self._k))
        law = self._law
        keys = [(float(li), int(ci), int(ki)) for li, ci, ki in zip(lam, c, k)]
        done = {}
        for key in keys:
            if key in done:
                continue
            if key[0] == 0:
                row = np.full(key[2] + 1, -np.inf)
                row[0] = 0.0
                done[key] = (row, None)
            else:
                done[key] = _phase.solve(key[0], law.alpha, law.T, law.exit_rates, key[1],
                                         key[2], vectors=True)
        return keys, done

    @cached_property
    def _log_law(self):
        """log P(N = n) along a last axis of length max(K) + 1 (-inf above a
        point's own K)."""
        keys, done = self._solved
        kmax = int(self._k.max())
        out = np.full((len(keys), kmax + 1), -np.inf)
        for i, key in enumerate(keys):
            out[i, : key[2] + 1] = done[key][0]
        return out.reshape(self._lam.shape + (kmax + 1,))

    def _probs(self):
        with np.errstate(under="ignore"):
            return np.exp(self._log_law)

    def _at(self, log_values, n):
        """log_values[..., n] with n the per-point index array."""
        return np.take_along_axis(log_values, n[..., None].astype(np.int64), axis=-1)[..., 0]

    def state_probabilities(self):
        """P(N = n), n = 0..max(K), along a last axis (0 above a point's K).

        Examples
        --------
        Exponential service (one phase) gives M/M/c/K:

        >>> import numpy as np
        >>> from queuemath import MMcK, PhaseType
        >>> q = MPHcK(3.0, 4, 10, service_time=PhaseType.exponential(1.0))
        >>> exact = MMcK(3.0, 1.0, 4, 10).state_probabilities()
        >>> bool(np.allclose(q.state_probabilities(), exact, rtol=1e-12))
        True
        """
        return self._probs()

    def arrival_state_probabilities(self):
        """What an arriving customer sees: the time-average law (PASTA); the
        last entry is the share refused, and an admitted customer sees
        :math:`p_n/(1 - p_K)`, n < K.

        Examples
        --------
        Poisson arrivals see time averages:

        >>> import numpy as np
        >>> from queuemath import PhaseType
        >>> q = MPHcK(3.0, 4, 10, service_time=PhaseType.erlang(3, 1.0))
        >>> bool(np.allclose(q.arrival_state_probabilities(), q.state_probabilities(), rtol=1e-12))
        True
        """
        return self._probs()

    @quantity
    def log_blocking(self):
        """log of the share of arrivals refused, :math:`\\log p_K` (PASTA).

        Examples
        --------
        >>> import math
        >>> from queuemath import MPHcK, PhaseType
        >>> q = MPHcK(3.0, 4, 10, service_time=PhaseType.erlang(2, 1.0))
        >>> round(q.log_blocking, 6)
        -4.176122
        >>> math.isclose(math.exp(q.log_blocking), q.blocking, rel_tol=1e-14)
        True
        """
        return self._at(self._log_law, np.broadcast_to(self._k, self._log_law.shape[:-1]))

    @quantity
    def blocking(self):
        """The share of arrivals refused, :math:`p_K`.

        Examples
        --------
        >>> import math
        >>> from queuemath import MPHcK, PhaseType
        >>> q = MPHcK(3.0, 4, 10, service_time=PhaseType.erlang(2, 1.0))
        >>> round(q.blocking, 6)
        0.015358
        >>> math.isclose(q.blocking, q.state_probabilities()[-1], rel_tol=1e-12)  # PASTA
        True
        """
        with np.errstate(under="ignore"):
            return np.exp(self.log_blocking)

    def _n(self):
        return np.arange(self._log_law.shape[-1], dtype=float)

    def _admit(self):
        """1 - p_K as the sum of the other states (no subtraction)."""
        probs = self._probs()
        below = self._n() < np.broadcast_to(self._k, probs.shape[:-1])[..., None]
        return np.sum(np.where(below, probs, 0.0), axis=-1)

    @quantity
    def p_wait(self):
        r""":math:`P(c \le N < K)`, the share of arrivals admitted that wait.

        Examples
        --------
        >>> import math
        >>> from queuemath import MPHcK, PhaseType
        >>> q = MPHcK(3.0, 4, 10, service_time=PhaseType.erlang(2, 1.0))
        >>> round(q.p_wait, 6)
        0.466031
        >>> math.isclose(q.p_wait, sum(q.state_probabilities()[q.servers:-1]), rel_tol=1e-12)
        True
        """
        probs = self._probs()
        n = self._n()
        c = np.broadcast_to(self._c, probs.shape[:-1])[..., None]
        k = np.broadcast_to(self._k, probs.shape[:-1])[..., None]
        return np.sum(np.where((n >= c) & (n < k), probs, 0.0), axis=-1)

    @quantity
    def p_empty(self):
        """:math:`p_0`.

        Examples
        --------
        >>> import math
        >>> from queuemath import MPHcK, PhaseType
        >>> q = MPHcK(3.0, 4, 10, service_time=PhaseType.erlang(2, 1.0))
        >>> round(q.p_empty, 6)
        0.038543
        >>> math.isclose(q.p_empty, q.state_probabilities()[0], rel_tol=1e-12)
        True
        """
        return self._probs()[..., 0]

    @quantity
    def offered_load(self):
        r""":math:`\lambda E[S]`. [erlang]

        Examples
        --------
        >>> from queuemath import MPHcK, PhaseType
        >>> q = MPHcK(3.0, 4, 10, service_time=PhaseType.erlang(2, 1.0))
        >>> round(q.offered_load, 6)
        3.0
        """
        return self._lam * self._mean

    @quantity
    def throughput(self):
        r""":math:`\lambda(1 - p_K)`. [1/s]

        Examples
        --------
        >>> import math
        >>> from queuemath import MPHcK, PhaseType
        >>> q = MPHcK(3.0, 4, 10, service_time=PhaseType.erlang(2, 1.0))
        >>> round(q.throughput, 6)
        2.953926
        >>> math.isclose(q.throughput, q.arrival_rate * (1 - q.blocking), rel_tol=1e-14)
        True
        """
        return self._lam * self._admit()

    def _busy(self):
        probs = self._probs()
        c = np.broadcast_to(self._c, probs.shape[:-1])[..., None]
        return np.sum(probs * np.minimum(self._n(), c), axis=-1)

    @quantity
    def utilization(self):
        r"""Mean share of servers busy, :math:`E[\min(N, c)]/c` (=
        :math:`\lambda(1-p_K)E[S]/c`).

        Examples
        --------
        >>> import math
        >>> from queuemath import MPHcK, PhaseType
        >>> q = MPHcK(3.0, 4, 10, service_time=PhaseType.erlang(2, 1.0))
        >>> round(q.utilization, 6)
        0.738482
        >>> math.isclose(q.utilization, q.throughput * 1.0 / 4, rel_tol=1e-13)
        True
        """
        return self._busy() / self._c

    @quantity
    def mean_in_system(self):
        """Mean number present.

        Examples
        --------
        >>> import math
        >>> from queuemath import MPHcK, PhaseType
        >>> q = MPHcK(3.0, 4, 10, service_time=PhaseType.erlang(2, 1.0))
        >>> round(q.mean_in_system, 6)
        3.773725
        >>> math.isclose(q.mean_in_system, q.throughput * q.mean_response_time, rel_tol=1e-13)  # Little
        True
        """
        return self._probs() @ self._n()

    def _queue(self):
        probs = self._probs()
        c = np.broadcast_to(self._c, probs.shape[:-1])[..., None]
        return np.maximum(self._n() - c, 0.0), probs

    @quantity
    def mean_queue(self):
        """Mean number waiting.

        Examples
        --------
        >>> import math
        >>> from queuemath import MPHcK, PhaseType
        >>> q = MPHcK(3.0, 4, 10, service_time=PhaseType.erlang(2, 1.0))
        >>> round(q.mean_queue, 6)
        0.819798
        >>> math.isclose(q.mean_queue, q.throughput * q.mean_wait, rel_tol=1e-13)  # Little
        True
        """
        q, probs = self._queue()
        return np.sum(probs * q, axis=-1)

    @quantity
    def mean_wait(self):
        """Mean wait of an admitted customer (Little's law). [s]

        Examples
        --------
        >>> import math
        >>> from queuemath import MPHcK, PhaseType
        >>> q = MPHcK(3.0, 4, 10, service_time=PhaseType.erlang(2, 1.0))
        >>> round(q.mean_wait, 6)
        0.277528
        >>> math.isclose(q.mean_wait, q.mean_queue / q.throughput, rel_tol=1e-13)  # Little
        True
        """
        thr = self.throughput
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(self._lam == 0, 0.0, self.mean_queue / thr)

    @quantity
    def mean_response_time(self):
        """Mean time in system of an admitted customer. [s]

        Examples
        --------
        >>> import math
        >>> from queuemath import MPHcK, PhaseType
        >>> q = MPHcK(3.0, 4, 10, service_time=PhaseType.erlang(2, 1.0))
        >>> round(q.mean_response_time, 6)
        1.277528
        >>> math.isclose(q.mean_response_time, q.mean_wait + 1.0, rel_tol=1e-13)
        True
        """
        return self.mean_wait + self._mean

    @quantity
    def var_in_system(self):
        """Variance of the number present, as a sum of squares.

        Examples
        --------
        >>> import math
        >>> import numpy as np
        >>> from queuemath import MPHcK, PhaseType
        >>> q = MPHcK(3.0, 4, 10, service_time=PhaseType.erlang(2, 1.0))
        >>> round(q.var_in_system, 6)
        5.274305
        >>> p = q.state_probabilities()
        >>> n = np.arange(len(p))
        >>> math.isclose(q.var_in_system, (n - q.mean_in_system) ** 2 @ p, rel_tol=1e-10)
        True
        """
        probs = self._probs()
        n = self._n()
        mean = probs @ n
        return np.sum(probs * (n - mean[..., None]) ** 2, axis=-1)

    @quantity
    def var_queue(self):
        """Variance of the number waiting, as a sum of squares.

        Examples
        --------
        >>> import math
        >>> import numpy as np
        >>> from queuemath import MPHcK, PhaseType
        >>> q = MPHcK(3.0, 4, 10, service_time=PhaseType.erlang(2, 1.0))
        >>> round(q.var_queue, 6)
        2.087644
        >>> p = q.state_probabilities()
        >>> n = np.arange(len(p))
        >>> math.isclose(q.var_queue, (np.maximum(n - q.servers, 0) - q.mean_queue) ** 2 @ p, rel_tol=1e-10)
        True
        """
        q, probs = self._queue()
        mean = np.sum(probs * q, axis=-1)
        return np.sum(probs * (q - mean[..., None]) ** 2, axis=-1)

    # -- time laws ----------------------------------------------------------------
    @cached_property
    def _time_laws(self):
        """One :class:`PhaseWait` per flat point (None where nobody waits)."""
        keys, done = self._solved
        law, made, out = self._law, {}, []
        for key in keys:
            if key not in made:
                made[key] = _pw.PhaseWait.at(law.alpha, law.T, law.exit_rates, *key,
                                             solved=done[key])
            out.append(made[key])
        return out

    @staticmethod
    def _variance(w):
        if w is None:
            return 0.0
        first, second = w.moments()
        return second - first ** 2

    @quantity
    def var_wait(self):
        r"""Variance of an admitted customer's wait, from the moments of its
        law (:math:`E[W] = \sum_l a_l/\Lambda`, :math:`E[W^2] = 2\sum_l
        (l+1)a_l/\Lambda^2`; see :meth:`log_wait_sf`). [s^2]

        Examples
        --------
        >>> from queuemath import MPHcK, PhaseType
        >>> q = MPHcK(3.0, 4, 10, service_time=PhaseType.erlang(2, 1.0))
        >>> round(q.var_wait, 6)
        0.1897
        """
        out = np.array([self._variance(w) for w in self._time_laws])
        return np.maximum(out.reshape(self._lam.shape), 0.0)

    def log_wait_sf(self, t):
        r""":math:`\log P(W_q > t)` for an admitted customer (FIFO), finite
        far below the smallest double.

        Who finds n >= c present starts at the (n - c + 1)-th completion;
        until then every server is busy, and each completion starts one of
        those ahead in phase j with probability :math:`\alpha_j`.  The wait
        is the absorption time of that chain (completions still needed, the
        servers' phases), started from the law admitted arrivals see
        (PASTA: the stationary levels and their phase laws).  Uniformized at
        the full level's largest rate :math:`\Lambda`,

        .. math:: P(W_q > t) = \sum_l e^{-\Lambda t}
                  \frac{(\Lambda t)^l}{l!}\, a_l,

        :math:`a_l` the mass still waiting after l steps: positive terms,
        each row of the chain on its own log scale.  Cost O(J s^2) per step
        (J places in the queue, s phase states of the full level), about
        :math:`\Lambda t + 12\sqrt{\Lambda t} + 60` steps, kept for later
        calls at the same point.

        Parameters
        ----------
        t : array_like
            Time, at least 0, broadcast against the parameters. [s]

        References
        ----------
        .. [1] M. F. Neuts, "Matrix-Geometric Solutions in Stochastic
           Models," Johns Hopkins University Press, 1981, sec. 3.9.
        .. [2] W. K. Grassmann, "Transient solutions in Markovian queueing
           systems," Computers & Operations Research 4, 1977, 47-53.
           doi:10.1016/0305-0548(77)90007-7

        Examples
        --------
        >>> import queuemath as qm
        >>> q = MPHcK(3.0, 4, 10, service_time=qm.PhaseType.exponential(1.0))
        >>> bool(abs(q.wait_sf(0.5) / qm.MMcK(3.0, 1.0, 4, 10).wait_sf(0.5) - 1) < 1e-13)
        True
        """
        return self._each_point("log_wait_sf", t, _validate.duration, self._time_laws,
                                lambda w, v: w.log_sf(v), lambda v: np.full(v.shape, -np.inf))

    def wait_sf(self, t):
        """:math:`P(W_q > t)` for an admitted customer (see
        :meth:`log_wait_sf`); times ``1 - blocking`` for all arrivals.

        Parameters
        ----------
        t : array_like
            Time, at least 0. [s]

        Examples
        --------
        Less variable service (Erlang-3) waits less than exponential service of the
        same mean:

        >>> from queuemath import PhaseType
        >>> e3 = MPHcK(3.0, 4, 10, service_time=PhaseType.erlang(3, 1.0))
        >>> ex = MPHcK(3.0, 4, 10, service_time=PhaseType.exponential(1.0))
        >>> e3.wait_sf(1.0) < ex.wait_sf(1.0)
        True
        """
        with np.errstate(under="ignore"):
            return self._output(np.exp(np.asarray(self.log_wait_sf(t))), "wait_sf")

    def wait_cdf(self, t):
        r""":math:`P(W_q \le t)` for an admitted customer; below 1/2 from
        positive terms (those who never wait, and the masses started by each
        step of :meth:`log_wait_sf`'s sum), not as 1 minus the tail.

        Parameters
        ----------
        t : array_like
            Time, at least 0. [s]

        Examples
        --------
        >>> from queuemath import PhaseType
        >>> q = MPHcK(3.0, 4, 10, service_time=PhaseType.erlang(3, 1.0))
        >>> abs(q.wait_cdf(1.0) + q.wait_sf(1.0) - 1) < 1e-14
        True
        """
        def fn(w, v):
            with np.errstate(under="ignore"):
                return np.exp(w.log_cdf(v))
        return self._each_point("wait_cdf", t, _validate.duration, self._time_laws, fn,
                                lambda v: np.ones(v.shape))

    def _quantile(self, w, p, response):
        out = np.full(p.shape, np.inf)
        with np.errstate(divide="ignore"):
            log_tail = np.log1p(-p)
        if response:
            live = p < 1
            zero = p == 0
        else:
            start = w.log_sf(np.array([0.0]))[0]
            live = (log_tail < start) & (p < 1)
            zero = ~live & (p < 1) | (p == 0)
        out[zero] = 0.0
        live &= p > 0
        if live.any():
            out[live] = w.response_quantile(p[live]) if response else w.quantile(p[live])
        return out

    def wait_quantile(self, p):
        """The p-quantile of an admitted customer's wait: 0 where at least a
        share p does not wait, ``inf`` at p = 1 where some wait (bracketed
        Newton on :meth:`log_wait_sf`).

        Parameters
        ----------
        p : array_like
            Level in [0, 1].

        Examples
        --------
        >>> import queuemath as qm
        >>> q = MPHcK(3.0, 4, 10, service_time=qm.PhaseType.fit(1.0, 0.5))
        >>> t = q.wait_quantile(0.95)
        >>> round(float(q.wait_cdf(t)), 12)
        0.95
        """
        return self._each_point("wait_quantile", p, _validate.level, self._time_laws,
                                lambda w, v: self._quantile(w, v, False),
                                lambda v: np.zeros(v.shape), arg="p")

    def response_time_cdf(self, t):
        r""":math:`P(T \le t)` for an admitted customer, T = wait + its own
        phase-type service (the customer's phases continue the chain of
        :meth:`log_wait_sf`; positive terms below 1/2).

        Parameters
        ----------
        t : array_like
            Time, at least 0. [s]

        Examples
        --------
        >>> from queuemath import MMcK, PhaseType
        >>> q = MPHcK(3.0, 4, 10, service_time=PhaseType.exponential(1.0))
        >>> abs(q.response_time_cdf(2.0) - MMcK(3.0, 1.0, 4, 10).response_time_cdf(2.0)) < 1e-12
        True
        """
        def fn(w, v):
            with np.errstate(under="ignore"):
                return np.exp(w.log_response_cdf(v))
        return self._each_point("response_time_cdf", t, _validate.duration, self._time_laws,
                                fn, lambda v: self._law.cdf(v))

    def response_time_quantile(self, p):
        """The p-quantile of an admitted customer's time in system (see
        :meth:`response_time_cdf`).

        Parameters
        ----------
        p : array_like
            Level in [0, 1].

        Examples
        --------
        >>> from queuemath import PhaseType
        >>> q = MPHcK(3.0, 4, 10, service_time=PhaseType.erlang(3, 1.0))
        >>> t = q.response_time_quantile(0.99)
        >>> abs(q.response_time_cdf(t) - 0.99) < 1e-9
        True
        """
        return self._each_point("response_time_quantile", p, _validate.level, self._time_laws,
                                lambda w, v: self._quantile(w, v, True),
                                lambda v: self._law.ppf(v), arg="p")
