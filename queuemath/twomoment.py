r"""A two-moment approximation for M/G/c/K: service time known by its mean and
squared coefficient of variation only.

No closed form exists for M/G/c/K with c > 1; the exact single-server case is
:class:`queuemath.MG1K`.  This is an engineering approximation: its error,
measured against simulation, is stated in the class docstring and
reproduced by ``benchmarks/bench_mgck_approx.py`` (about 2 minutes).
"""
from functools import cached_property

import numpy as np

from . import _special, _validate
from ._model import RateModel


class MGcKApprox(RateModel):
    r"""Two-moment approximation of the M/G/c/K queue.

    Parameters
    ----------
    arrival_rate : array_like
        :math:`\lambda`, at least 0. [1/s]
    service_rate : array_like
        :math:`\mu = 1/E[S]` of one server, greater than 0. [1/s]
    servers : array_like of int
        c, at least 1.
    capacity : array_like of int
        K >= c, everyone in the system.
    service_scv : array_like
        Squared coefficient of variation :math:`c_s^2 = Var[S]/E[S]^2` of the
        service time, at least 0 (0 deterministic, 1 exponential).

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

    ====================================  ======  ===============  =====
    points                                median  90th percentile  worst
    ====================================  ======  ===============  =====
    blocking >= 1e-2, :math:`c_s^2 \le 2`   6%      18%              52%
    blocking >= 1e-2, :math:`c_s^2 = 4`     22%     41%              101%
    blocking < 1e-2 (all laws)            25%     120%             4x
    ====================================  ======  ===============  =====

    The large errors are overestimates with several servers and very
    variable service (on the safe side for dimensioning), and small
    blocking at light load, where the tail of the queue depends on more of
    the service law than two moments.  For one server use the exact
    :class:`queuemath.MG1K`; where the answer matters, simulate (``GGcK``).

    References
    ----------
    .. [1] H. C. Tijms, "A First Course in Stochastic Models," Wiley, 2003,
       sec. 9.8 (finite-capacity queues; the rejection probability from the
       infinite-capacity state probabilities).
    .. [2] A. M. Lee, P. A. Longton, "Queueing processes associated with
       airline passenger check-in," Operational Research Quarterly 10, 1959,
       56-71; the (1 + c_s^2)/2 factor on the M/M/c mean queue.

    Examples
    --------
    >>> from queuemath import MMcK
    >>> q = MGcKApprox(4.0, 1.0, 5, 8, service_scv=1.0)       # exponential
    >>> bool(abs(q.blocking / MMcK(4.0, 1.0, 5, 8).blocking - 1) < 1e-12)
    True
    >>> float(MGcKApprox(4.0, 1.0, 5, 8, service_scv=0.0).blocking) < float(q.blocking)
    True
    """

    def __init__(self, arrival_rate, service_rate, servers, capacity, service_scv):
        k = _validate.integer("capacity", capacity, minimum=1)
        scv = _validate.nonnegative("service_scv", service_scv)
        self._k, self._scv = self._init_rates(arrival_rate, service_rate, servers,
                                              capacity=k, service_scv=scv)
        _validate.at_least("capacity", self._k, "servers", self._c)

    @classmethod
    def from_distribution(cls, arrival_rate, service, servers, capacity):
        """The approximation for a scipy.stats frozen service law (its mean
        and variance are all it uses)."""
        mean, var = (float(v) for v in service.stats(moments="mv"))
        if not (mean > 0 and np.isfinite(var)):
            raise ValueError(f"service needs a positive mean and a finite variance, got {service!r}")
        return cls(arrival_rate, 1.0 / mean, servers, capacity, var / mean ** 2)

    @property
    def capacity(self):
        return _validate.scalar(self._k.astype(np.int64))

    @property
    def service_scv(self):
        return _validate.scalar(self._scv)

    def _repr_fields(self):
        return super()._repr_fields() + [("capacity", _validate.show(self._k, int)),
                                         ("service_scv", _validate.show(self._scv))]

    @cached_property
    def _law(self):
        a, c, m = self._a, self._c, self._k - self._c
        k = (1.0 + self._scv) / 2.0
        _, log_z, _ = _special.log_erlang_b_parts(c, a)
        with np.errstate(divide="ignore", invalid="ignore"):
            L = np.log(a) - np.log(c)                       # log rho
            # eta/(1-eta) = k rho/(1-rho) below rho = 1, eta = rho^(1/k) above
            le = np.where(L < 0, np.log(k) + L - np.log(k + (1 - k) * -np.expm1(L)), L / k)
            le = np.where(a == 0, -np.inf, le)
            # f = (1 - eta)/(1 - rho), 1/k at rho = 1
            f = np.where(L == 0, 1.0 / k, np.expm1(le) / np.expm1(L))
            f = np.where(a == 0, 1.0, f)
            up = le <= 0
            lo, hi = np.minimum(le, 0.0), -np.maximum(le, 0.0)
            # log sum_{j<m} eta^j, pivoted at the larger end
            log_q = np.where(up, _special.log_geometric_sum(lo, m),
                             (m - 1) * le + _special.log_geometric_sum(hi, m))
            mean_q = np.where(up, _special.truncated_geometric_mean(lo, np.maximum(m - 1, 0)),
                              (m - 1) - _special.truncated_geometric_mean(hi, np.maximum(m - 1, 0)))
            pivot = m * np.maximum(le, 0.0)                 # log max(1, eta^m)
            parts = np.stack([log_z - pivot, np.log(f) + log_q - pivot,
                              np.where(a == 0, -np.inf, m * le) - pivot])
            top = parts.max(axis=0)
            log_total = top + np.log(np.exp(parts - top).sum(axis=0))
            log_pk = parts[2] - log_total
            lq = (np.exp(parts[1] - log_total) * np.where(m > 1, mean_q, 0.0)
                  + m * np.exp(log_pk))
        log_pk = np.where(a == 0, -np.inf, log_pk)        # no arrivals: none refused
        lq = np.where((m == 0) | (a == 0), 0.0, lq)
        return log_pk, lq

    @property
    def log_blocking(self):
        return _validate.scalar(self._law[0])

    @property
    def blocking(self):
        return _validate.scalar(np.exp(self._law[0]))

    @property
    def throughput(self):
        return _validate.scalar(self._lam * -np.expm1(self._law[0]))

    @property
    def utilization(self):
        return _validate.scalar(np.minimum(self._a * -np.expm1(self._law[0]) / self._c, 1.0))

    @property
    def mean_queue(self):
        return _validate.scalar(self._law[1])

    @property
    def mean_in_system(self):
        return _validate.scalar(self._a * -np.expm1(self._law[0]) + self._law[1])

    @property
    def mean_wait(self):
        with np.errstate(invalid="ignore", divide="ignore"):
            w = self._law[1] / (self._lam * -np.expm1(self._law[0]))
        return _validate.scalar(np.where(self._lam == 0, 0.0, w))
