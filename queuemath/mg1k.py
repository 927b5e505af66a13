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
                  "offered_load")

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
        for i, (li, ki) in enumerate(zip(lam, k)):
            key = (float(li), int(ki))
            if key not in done:
                done[key] = _emb.solve(key[0], self._law, key[1])
            p, b, r = done[key]
            probs[i, : p.size], blocking[i], rho[i] = p, b, r
        return probs.reshape(shape + (kmax + 1,)), blocking.reshape(shape), rho.reshape(shape)

    def state_probabilities(self):
        """p_0, ..., p_K along a last axis of length max(K) + 1 (0 above a
        point's own K)."""
        return self._solution[0].copy()

    @quantity
    def offered_load(self):
        r""":math:`\rho = \lambda E[S]`. [erlang]"""
        return self._lam * self._mean

    @quantity
    def blocking(self):
        """The share of arrivals refused."""
        b = self._solution[1]
        return b / (1 + b)

    @quantity
    def log_blocking(self):
        """log of blocking, exact also as blocking -> 1."""
        b = self._solution[1]
        with np.errstate(divide="ignore"):
            return np.where(b > 1, -np.log1p(1 / np.maximum(b, 1.0)), np.log(b) - np.log1p(b))

    @quantity
    def p_empty(self):
        """p_0."""
        return self._solution[0][..., 0]

    def _throughput(self):
        probs, b, rho = self._solution
        admitted = self._lam / (1 + b)
        # lambda (1 - p_K) keeps its digits at light load; near saturation
        # (1 - p_0)/E[S] does, and it cannot round above the server's rate.
        return np.where(rho / (1 + b) < 0.5, admitted, (1 - probs[..., 0]) / self._mean)

    @quantity
    def throughput(self):
        r"""Admitted rate :math:`\lambda(1 - p_K) = (1 - p_0)/E[S]`. [1/s]"""
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
        r"""Share of time the server is busy, :math:`\rho(1 - p_K) = 1 - p_0`."""
        return self._utilization()

    def _mean_in_system(self):
        probs = self._solution[0]
        return probs @ np.arange(probs.shape[-1])

    @quantity
    def mean_in_system(self):
        """Mean number present."""
        return self._mean_in_system()

    def _mean_queue(self):
        # sum of (n - 1) p_n over n >= 2: positive terms, so nothing cancels
        # at light load (L - utilization would)
        probs = self._solution[0]
        return probs @ np.maximum(np.arange(probs.shape[-1]) - 1.0, 0.0)

    @quantity
    def mean_queue(self):
        """Mean number waiting."""
        return self._mean_queue()

    def _mean_wait(self):
        thr = self._throughput()
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(self._lam == 0, 0.0, self._mean_queue() / thr)

    @quantity
    def mean_wait(self):
        """Mean wait of an admitted customer (Little's law). [s]"""
        return self._mean_wait()

    @quantity
    def mean_response_time(self):
        """Mean time in system of an admitted customer. [s]"""
        return self._mean_wait() + self._mean
