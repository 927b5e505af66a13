r"""Finite queues: M/M/c/K and its single-server case M/M/1/K.

K counts everyone in the system, those in service included: a server with c
workers and an accept queue of b places is M/M/c/K with K = c + b.  An
arrival that finds K present is refused; by PASTA its chance of refusal is the
stationary probability :math:`p_K`.
"""
from functools import cached_property

import numpy as np

from . import _validate
from ._kernels import finite as _kf
from ._kernels import special as _special
from ._kernels import waiting as _kw
from ._model import Parameter, QueueModel, SimulationSpec, quantity, require_arrivals

__all__ = ["MMcK", "MM1K"]


class MMcK(QueueModel):
    r"""The M/M/c/K queue: Poisson arrivals, c exponential servers, room for K.

    Parameters
    ----------
    arrival_rate : array_like
        :math:`\lambda`, at least 0. [1/s]
    service_rate : array_like
        :math:`\mu` of one server, greater than 0. [1/s]
    servers : array_like of int
        c, at least 1.
    capacity : array_like of int
        K, the most the system holds (in service included), at least c.

    Attributes
    ----------
    offered_load : float or ndarray
        :math:`A = \lambda/\mu`. [erlang]
    blocking : float or ndarray
        :math:`p_K`, the share of arrivals refused.
    log_blocking : float or ndarray
        :math:`\log p_K`, finite where ``blocking`` underflows.
    p_wait : float or ndarray
        :math:`P(c \le N < K)`: the share of arrivals admitted that find
        every server busy and wait.
    p_empty : float or ndarray
        :math:`p_0`.
    throughput : float or ndarray
        Admitted rate :math:`\lambda(1 - p_K)`, never above
        :math:`\lambda`. [1/s]
    utilization : float or ndarray
        Mean share of servers busy, :math:`\rho(1 - p_K)` with
        :math:`\rho = A/c`.
    mean_in_system : float or ndarray
        L, mean number present.
    mean_queue : float or ndarray
        :math:`L_q`, mean number waiting (not in service).
    mean_wait : float or ndarray
        :math:`W_q = L_q/(\lambda(1-p_K))`, per admitted customer; 0 where
        :math:`\lambda = 0`. [s]
    mean_response_time : float or ndarray
        :math:`W = W_q + 1/\mu`, per admitted customer. [s]

    Raises
    ------
    ValueError
        For a negative, NaN or infinite rate, a zero service rate, servers or
        capacity that are not integers >= 1, capacity < servers, shapes that
        do not broadcast, or an offered load :math:`\lambda/\mu` beyond the
        largest double.

    See Also
    --------
    MM1K : one server.
    MMc : no limit on the queue.
    ErlangA : customers who abandon the queue.
    MGcKApprox : a general service time (two-moment approximation).
    queuemath.tcp.ListenQueue : the accept queue of a listening socket.

    Notes
    -----
    With :math:`m = K - c`, the stationary law is
    :math:`p_n \propto A^n/n!` for :math:`n \le c` and
    :math:`p_{c+j} = p_c \rho^j` for :math:`0 \le j \le m` [1]_.  Relative to
    state c the states below c weigh :math:`Z = 1/B(c, A) - 1` (B the Erlang
    B blocking, see :func:`queuemath.erlang_b`) and the queue states weigh the
    geometric sum :math:`\sum_{j=0}^{m}\rho^j`.  Everything is combined in
    log space, relative to state c when :math:`\rho \le 1` and to state K
    when :math:`\rho > 1`, so no power :math:`\rho^m` overflows; the geometric
    sums use ``expm1``/``log1p`` of :math:`m\log\rho` and stay exact at and
    near :math:`\rho = 1`.  The mean of the queue part is
    :math:`h(y) - (m+1)h((m+1)y)` with :math:`y = -\log\rho` and
    :math:`h(y) = 1/(e^y - 1) - 1/y` (a Bernoulli series for small y), whose
    :math:`1/y` poles cancel analytically; the textbook
    :math:`\rho/(1-\rho) - (m+1)\rho^{m+1}/(1-\rho^{m+1})` loses every digit
    as :math:`\rho \to 1`.  Cost per point does not depend on c or K.

    References
    ----------
    .. [1] D. Gross, J. F. Shortle, J. M. Thompson, C. M. Harris,
       "Fundamentals of Queueing Theory," 4th ed., Wiley, 2008, sec. 2.5
       (finite queues, M/M/1/K and M/M/c/K).  doi:10.1002/9781118625651
    .. [2] L. Kleinrock, "Queueing Systems, Volume 1: Theory," Wiley, 1975,
       sec. 3.6.

    Examples
    --------
    >>> q = MMcK(arrival_rate=0.9, service_rate=1.0, servers=1, capacity=10)
    >>> round(q.blocking, 4)
    0.0508
    >>> round(MMcK(2.0, 1.0, 2, 2).blocking, 15)   # Erlang B(2, 2) = 2 / (1 + 2 + 2)
    0.4
    """

    quantities = ("blocking", "log_blocking", "p_wait", "p_empty", "throughput",
                  "utilization", "mean_in_system", "mean_queue", "mean_wait",
                  "mean_response_time", "offered_load", "var_in_system", "var_queue",
                  "var_wait")

    arrival_rate = Parameter(r":math:`\lambda`. [1/s]")
    service_rate = Parameter(r":math:`\mu` of one server. [1/s]")
    servers = Parameter("c, the number of servers.", kind="int")
    capacity = Parameter("K, the most the system holds.", kind="int")

    def __init__(self, arrival_rate, service_rate, servers, capacity):
        lam = _validate.nonnegative("arrival_rate", arrival_rate)
        mu = _validate.positive("service_rate", service_rate)
        c = _validate.integer("servers", servers, minimum=1)
        k = _validate.integer("capacity", capacity, minimum=1)
        self._store(self._shown(lam, mu, c, k),
                    dict(arrival_rate=lam, service_rate=mu, servers=c, capacity=k),
                    raw=(arrival_rate, service_rate, servers, capacity))
        p = self._params
        self._lam, self._mu, self._c, self._k = (p["arrival_rate"], p["service_rate"],
                                                 p["servers"], p["capacity"])
        _validate.at_least("capacity", self._k, "servers", self._c)
        self._a = _validate.offered_load(self._lam, self._mu)

    def _shown(self, lam, mu, c, k):
        return dict(arrival_rate=lam, service_rate=mu, servers=c.astype(np.int64),
                    capacity=k.astype(np.int64))

    @property
    def kendall(self):
        return f"M/M/{self._kendall_count('servers', 'c')}/{self._kendall_count('capacity', 'K')}"

    def simulation_spec(self):
        lam, mu, c, k = self._scalars("arrival_rate", "service_rate", "servers", "capacity")
        require_arrivals(lam)
        return SimulationSpec("markov", dict(lam=lam, mu=mu, c=c, k=k, sources=None), int(c))

    # -- kernel -----------------------------------------------------------
    @cached_property
    def _log_rho(self):
        # from the rates, not from A = lambda/mu rounded (see log_rho_rates)
        return _kf.log_rho_rates(self._lam, self._mu, self._c)

    @cached_property
    def _load_residual(self):
        return _special.load_residual(self._lam, self._mu, self._a)

    @cached_property
    def _logs(self):
        return _kf.mmck_logs(self._a, self._c, self._k, self._log_rho, self._load_residual)

    @cached_property
    def _wait_logs(self):
        # the wait laws' lighter kernel (a quantile needs three of the
        # law's pieces, not all of them; the low-side CDFs a fourth)
        return _kf.mmck_wait_logs(self._a, self._c, self._k, self._log_rho,
                                  self._load_residual)

    @cached_property
    def _blocking(self):
        # Blocking alone is the common question (and the inverses' probe):
        # it has a lighter kernel than the full set of quantities.
        return _kf.mmck_blocking(self._a, self._c, self._k, self._log_rho,
                                 self._load_residual)

    # -- quantities ---------------------------------------------------------
    @quantity
    def offered_load(self):
        r""":math:`A = \lambda/\mu`. [erlang]

        Examples
        --------
        >>> from queuemath import MMcK
        >>> q = MMcK(3.0, 1.0, 4, 10)
        >>> round(q.offered_load, 6)
        3.0
        >>> q.offered_load == q.arrival_rate / q.service_rate
        True
        """
        return self._a

    @quantity
    def log_blocking(self):
        r""":math:`\log p_K`, finite where ``blocking`` underflows.

        Examples
        --------
        >>> import math
        >>> from queuemath import MMcK
        >>> q = MMcK(3.0, 1.0, 4, 10)
        >>> round(q.log_blocking, 6)
        -3.716418
        >>> math.isclose(math.exp(q.log_blocking), q.blocking, rel_tol=1e-14)
        True
        """
        return self._blocking[0]

    @quantity
    def blocking(self):
        r""":math:`p_K`, the share of arrivals refused (PASTA).

        Examples
        --------
        >>> import math
        >>> from queuemath import MMcK
        >>> q = MMcK(3.0, 1.0, 4, 10)
        >>> round(q.blocking, 6)
        0.024321
        >>> math.isclose(q.blocking, q.state_probabilities()[-1], rel_tol=1e-12)  # PASTA
        True
        """
        return self._blocking[1]

    @quantity
    def p_wait(self):
        r""":math:`P(c \le N < K)`, the share of arrivals admitted that wait.

        Examples
        --------
        >>> import math
        >>> from queuemath import MMcK
        >>> q = MMcK(3.0, 1.0, 4, 10)
        >>> round(q.p_wait, 6)
        0.44932
        >>> math.isclose(q.p_wait, sum(q.state_probabilities()[q.servers:-1]), rel_tol=1e-12)
        True
        """
        with np.errstate(under="ignore"):
            return np.exp(self._logs["log_p_wait"])

    @quantity
    def p_empty(self):
        r""":math:`p_0`.

        Examples
        --------
        >>> import math
        >>> from queuemath import MMcK
        >>> q = MMcK(3.0, 1.0, 4, 10)
        >>> round(q.p_empty, 6)
        0.040489
        >>> math.isclose(q.p_empty, q.state_probabilities()[0], rel_tol=1e-12)
        True
        """
        zero = np.zeros(self._a.shape)
        with np.errstate(under="ignore"):
            return np.exp(_kf.log_state(self._a, self._c, self._k, zero, self._logs))

    @quantity
    def throughput(self):
        r"""Admitted rate :math:`\lambda(1 - p_K)`, at most :math:`\lambda`
        and :math:`c\mu`. [1/s]

        Examples
        --------
        >>> import math
        >>> from queuemath import MMcK
        >>> q = MMcK(3.0, 1.0, 4, 10)
        >>> round(q.throughput, 6)
        2.927037
        >>> math.isclose(q.throughput, q.arrival_rate * (1 - q.blocking), rel_tol=1e-14)
        True
        """
        # lambda (1 - p_K) at light load, mu times the busy servers near
        # saturation: each keeps its digits where it is used (see the
        # kernel's busy).  The bounds lambda and c mu hold in both.
        carried = _kf.busy(self._logs, self._c)
        bound = np.minimum(self._lam, self._c * self._mu)
        return np.minimum(np.where(carried > 0.5 * self._c, self._mu * carried,
                                   self._lam * _kf.admitted_share(self._logs)), bound)

    @quantity
    def utilization(self):
        r"""Mean share of servers busy, :math:`\rho(1 - p_K)`.

        Examples
        --------
        >>> import math
        >>> from queuemath import MMcK
        >>> q = MMcK(3.0, 1.0, 4, 10)
        >>> round(q.utilization, 6)
        0.731759
        >>> math.isclose(q.utilization, q.throughput / (q.servers * q.service_rate), rel_tol=1e-13)
        True
        """
        return _kf.busy(self._logs, self._c) / self._c

    @quantity
    def mean_queue(self):
        r""":math:`L_q`, mean number waiting.

        Examples
        --------
        >>> import math
        >>> from queuemath import MMcK
        >>> q = MMcK(3.0, 1.0, 4, 10)
        >>> round(q.mean_queue, 6)
        0.910183
        >>> math.isclose(q.mean_queue, q.throughput * q.mean_wait, rel_tol=1e-13)  # Little
        True
        """
        return _kf.mean_queue(self._logs)

    @quantity
    def mean_in_system(self):
        """L, mean number present.

        Examples
        --------
        >>> import math
        >>> from queuemath import MMcK
        >>> q = MMcK(3.0, 1.0, 4, 10)
        >>> round(q.mean_in_system, 6)
        3.83722
        >>> math.isclose(q.mean_in_system, q.throughput * q.mean_response_time, rel_tol=1e-13)  # Little
        True
        """
        return _kf.mean_in_system(self._logs, self._c)

    @quantity
    def mean_wait(self):
        r""":math:`W_q`, mean wait of an admitted customer. [s]

        Examples
        --------
        >>> import math
        >>> from queuemath import MMcK
        >>> q = MMcK(3.0, 1.0, 4, 10)
        >>> round(q.mean_wait, 6)
        0.310957
        >>> math.isclose(q.mean_wait, q.mean_queue / q.throughput, rel_tol=1e-13)  # Little
        True
        """
        return _kf.mean_wait(self._logs, self._lam)

    @quantity
    def mean_response_time(self):
        r""":math:`W_q + 1/\mu`, per admitted customer. [s]

        Examples
        --------
        >>> import math
        >>> from queuemath import MMcK
        >>> q = MMcK(3.0, 1.0, 4, 10)
        >>> round(q.mean_response_time, 6)
        1.310957
        >>> math.isclose(q.mean_response_time, q.mean_wait + 1 / q.service_rate, rel_tol=1e-13)
        True
        """
        return _kf.mean_wait(self._logs, self._lam) + 1 / self._mu

    @cached_property
    def _variances(self):
        return _kf.variances(self._a, self._c, self._k, self._logs)

    @quantity
    def var_in_system(self):
        r"""Variance of the number present N, from positive pieces: the idle
        servers :math:`(c - N)^+` (a truncated Poisson law) and the queue
        :math:`(N - c)^+` (a truncated geometric law) never overlap, so
        :math:`\mathrm{Var}\,N = \mathrm{Var}\,N_q + \mathrm{Var}\,I + 2E[I]E[N_q]`.

        Examples
        --------
        >>> import math
        >>> import numpy as np
        >>> from queuemath import MMcK
        >>> q = MMcK(3.0, 1.0, 4, 10)
        >>> round(q.var_in_system, 6)
        5.932388
        >>> p = q.state_probabilities()
        >>> n = np.arange(len(p))
        >>> math.isclose(q.var_in_system, (n - q.mean_in_system) ** 2 @ p, rel_tol=1e-10)
        True
        """
        return self._variances[0]

    @quantity
    def var_queue(self):
        r"""Variance of the number waiting :math:`N_q = (N - c)^+`.

        Examples
        --------
        >>> import math
        >>> import numpy as np
        >>> from queuemath import MMcK
        >>> q = MMcK(3.0, 1.0, 4, 10)
        >>> round(q.var_queue, 6)
        2.478412
        >>> p = q.state_probabilities()
        >>> n = np.arange(len(p))
        >>> math.isclose(q.var_queue, (np.maximum(n - q.servers, 0) - q.mean_queue) ** 2 @ p, rel_tol=1e-10)
        True
        """
        return self._variances[1]

    @quantity
    def var_wait(self):
        r"""Variance of the wait of an admitted customer: 0 with probability
        :math:`1 - P(W_q > 0)`, else :math:`J + 1` exponential phases of rate
        :math:`c\mu`, J the truncated geometric number found waiting. [s^2]

        Examples
        --------
        >>> from queuemath import MMcK
        >>> q = MMcK(3.0, 1.0, 4, 10)
        >>> round(q.var_wait, 6)
        0.263485
        """
        return self._variances[2] / (self._c * self._mu) ** 2

    def state_probabilities(self):
        r"""Stationary probabilities :math:`p_0, \dots, p_K`.

        Returns
        -------
        ndarray
            Shape ``(..., max(K) + 1)``: the parameters' broadcast shape and
            a last axis over the number present n.  Entries with n above a
            point's own K are 0.  Each sums to 1 within a few ulps.

        Examples
        --------
        >>> MM1K(1.0, 1.0, 2).state_probabilities()
        array([0.33333333, 0.33333333, 0.33333333])
        """
        return _kf.state_probabilities(self._a, self._c, self._k, self._logs)


    def arrival_state_probabilities(self):
        r"""What an arriving customer sees: :math:`p_0, \dots, p_K`.

        Arrivals are Poisson, so they see the time-average law (PASTA):
        this equals :meth:`state_probabilities`; the last entry is the share
        refused.  An admitted customer sees :math:`p_n/(1 - p_K)`,
        :math:`n < K`.

        Returns
        -------
        ndarray
            Shape ``(..., max(K) + 1)``, as :meth:`state_probabilities`.

        Examples
        --------
        Poisson arrivals see time averages (PASTA), so the law an arrival meets is the time-average law:

        >>> import numpy as np
        >>> q = MMcK(3.0, 1.0, 4, 10)
        >>> bool(np.allclose(q.arrival_state_probabilities(), q.state_probabilities(), rtol=1e-14))
        True
        """
        return self.state_probabilities()

    # -- time laws -------------------------------------------------------------
    def _wait_parts(self, shape):
        """(log rho, m, log K0, log P(W > 0 | admitted)) broadcast to ``shape``;
        K0 = p_c/(1 - p_K), so that P(W > t | admitted) = K0 S(c mu t)."""
        L, log_k0, log_w0, _ = self._wait_logs
        m = (self._k - self._c).astype(float)
        return [np.broadcast_to(v, shape) for v in (L, m, log_k0, log_w0)]

    def _log_wait_sf(self, t):
        t = np.asarray(t, dtype=float)
        L, m, log_k0, log_w0 = self._wait_parts(t.shape)
        c, mu = (np.broadcast_to(v, t.shape) for v in (self._c, self._mu))
        out = np.full(t.shape, -np.inf)
        live = (m > 0) & np.isfinite(log_w0)
        if live.any():
            x = c[live] * mu[live] * t[live]
            out[live] = np.minimum(log_k0[live] + _kw.log_s(L[live], m[live], x), log_w0[live])
        return out

    def log_wait_sf(self, t):
        r""":math:`\log P(W_q > t)` for an admitted customer, finite far below
        the smallest double.

        A customer admitted with :math:`c + j` present waits for
        :math:`j + 1` departures at rate :math:`c\mu` (FIFO), so

        .. math:: P(W_q > t) = \frac{p_c}{1-p_K}\,
                  \frac{e^{-(1-\rho)x}\,Q(m, \rho x) - \rho^m Q(m, x)}{1 - \rho},
                  \qquad x = c\mu t,\ m = K - c,

        with :math:`Q` the regularised upper incomplete gamma function [1]_.
        Cost per point does not depend on K.  Where the difference loses
        digits (:math:`\rho` near 1, the far tail) the same sum is taken
        from positive terms (see ``queuemath._kernels.waiting``).

        Parameters
        ----------
        t : array_like
            Time, at least 0 (``inf`` allowed), broadcast against the
            parameters. [s]

        Returns
        -------
        float or ndarray
            ``-inf`` where nobody waits (K = c, or no arrivals).

        References
        ----------
        .. [1] D. Gross, J. F. Shortle, J. M. Thompson, C. M. Harris,
           "Fundamentals of Queueing Theory," 4th ed., Wiley, 2008, sec. 2.5.
           doi:10.1002/9781118625651

        Examples
        --------
        >>> q = MM1K(0.9, 1.0, 10)
        >>> bool(abs(q.wait_sf(0.0) - q.p_wait / (1 - q.blocking)) < 1e-15)
        True
        """
        return self._output(self._log_wait_sf(self._argument("t", t, _validate.duration)), "log_wait_sf")

    def wait_sf(self, t):
        r""":math:`P(W_q > t)` for an admitted customer (see
        :meth:`log_wait_sf`); the unconditional share of arrivals admitted
        and waiting longer than t is this times ``1 - blocking``.

        Parameters
        ----------
        t : array_like
            Time, at least 0, broadcast against the parameters. [s]

        Examples
        --------
        The share of admitted customers who wait at all is ``wait_sf(0)``; it falls with t:

        >>> q = MMcK(3.0, 1.0, 4, 10)
        >>> abs(q.wait_sf(0.0) - q.p_wait / (1 - q.blocking)) < 1e-15
        True
        >>> [round(q.wait_sf(t), 4) for t in (0.0, 1.0, 5.0)]
        [0.4605, 0.1105, 0.0]
        """
        t = self._argument("t", t, _validate.duration)
        with np.errstate(under="ignore"):
            return self._output(np.exp(self._log_wait_sf(t)), "wait_sf")

    def wait_cdf(self, t):
        r""":math:`P(W_q \le t)` for an admitted customer: the atom
        :math:`1 - P(W_q > 0)` at 0 (admitted at once) plus the Erlang
        mixture (see :meth:`log_wait_sf`).

        Parameters
        ----------
        t : array_like
            Time, at least 0, broadcast against the parameters. [s]

        Examples
        --------
        >>> q = MMcK(3.0, 1.0, 4, 10)
        >>> round(float(q.wait_cdf(0.0)), 6) == round(1 - float(q.wait_sf(0.0)), 6)
        True

        Notes
        -----
        Where the law is below 1/2 (most admitted customers still waiting:
        an overloaded queue early on) it is not formed as 1 minus the tail,
        which would leave rounding of the tail's log in place of values far
        below it, but from positive terms: the atom
        :math:`P(N < c)/(1 - p_K)` plus the integral of the density from 0
        to t.
        """
        t = self._argument("t", t, _validate.duration)
        log_sf = np.asarray(self._log_wait_sf(t), dtype=float)
        out = np.array(-np.expm1(log_sf), dtype=float)
        low = log_sf > -np.log(2.0)
        if low.any():
            with np.errstate(under="ignore"):
                out[low] = np.exp(self._log_wait_cdf_low(t, low))
        return self._output(out, "wait_cdf")

    def _log_wait_cdf_low(self, t, where):
        """log P(Wq <= t | admitted) at the points ``where`` from positive
        terms: log of P(N < c)/(1 - p_K) + K0 int_0^x density."""
        shape = t.shape
        L, m, log_k0, _ = (v[where] for v in self._wait_parts(shape))
        c, mu = (np.broadcast_to(v, shape)[where] for v in (self._c, self._mu))
        log_none = log_k0 + np.broadcast_to(self._wait_logs[3], shape)[where]
        x = c * mu * t[where]
        part = np.full(x.shape, -np.inf)
        one = (m == 1) & (x > 0)
        part[one] = _special.log1mexp(-x[one])                 # int_0^x e^-u du
        many = (m > 1) & (x > 0)
        if many.any():
            part[many] = _kw.integrate_density(L[many], m[many], x[many])
        with np.errstate(invalid="ignore"):
            return np.minimum(np.logaddexp(log_none, log_k0 + part), 0.0)

    def wait_quantile(self, p):
        r"""The p-quantile of the wait of an admitted customer:
        the smallest t with :math:`P(W_q \le t) \ge p`.

        0 where at least a share p of admitted customers does not wait;
        ``inf`` at p = 1 where some wait.  Solved on :meth:`log_wait_sf`
        inside a bracket, by steps of the tail's own Taylor series, whose
        coefficients follow from the density :math:`\frac{p_c}{1-p_K}
        c\mu\, e^{-(1-\rho)x} Q(m, \rho x)` and one Poisson term by
        two-term recurrences (usually one evaluation of the tail a point;
        queues of at most 64 places by the tail's polynomial form).  Exact
        to the rounding of :meth:`log_wait_sf` at the answer.

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
        >>> q = MMcK(3.9, 1.0, 4, 200)
        >>> t = q.wait_quantile(0.99)
        >>> round(float(q.wait_cdf(t)), 12)
        0.99
        """
        p = self._argument("p", p, _validate.level)
        L, m, log_k0, log_w0 = self._wait_parts(p.shape)
        c, mu = (np.broadcast_to(v, p.shape) for v in (self._c, self._mu))
        out = np.zeros(p.shape)
        with np.errstate(divide="ignore"):
            log_tail = np.log1p(-p)                 # log(1 - p)
        waits = np.isfinite(log_w0) & (m > 0)
        out[waits & (p == 1)] = np.inf
        live = waits & (log_tail < log_w0) & (p < 1)
        if live.any():
            x = _kw.solve_log_s(L[live], m[live], log_tail[live] - log_k0[live])
            out[live] = x / (c[live] * mu[live])
        return self._output(out, "wait_quantile")

    def _log_response_sf(self, t):
        t = np.asarray(t, dtype=float)
        L, m, log_k0, log_w0 = self._wait_parts(t.shape)
        c, mu, k = (np.broadcast_to(v, t.shape).astype(float)
                    for v in (self._c, self._mu, self._k))
        out = np.empty(t.shape)
        with np.errstate(divide="ignore", invalid="ignore"):
            # nobody waits: the response time is the service time
            out[...] = -mu * t
            one = (c == 1) & (m > 0) & np.isfinite(log_w0)
            if one.any():
                # one server: n present ahead means n + 1 services, n < K,
                # from p_0, which is p_1 over rho
                out[one] = np.minimum(
                    log_k0[one] - L[one] + _kw.log_s(L[one], k[one], mu[one] * t[one]), 0.0)
            many = (c > 1) & (m > 0) & np.isfinite(log_w0)
            if many.any():
                x = c[many] * mu[many] * t[many]
                waited = log_k0[many] + _kw.log_s(L[many], m[many], x)
                # waits that ended before t, then the rest of the service
                ended = (log_k0[many] - x / c[many]
                         + _kw.log_convolved(L[many], m[many], c[many], x))
                straight = _special.log1mexp(log_w0[many]) - x / c[many]
                out[many] = np.minimum(np.logaddexp(np.logaddexp(waited, ended), straight), 0.0)
        return np.where(np.isinf(t), -np.inf, out)

    def response_time_cdf(self, t):
        r""":math:`P(W \le t)`, W the time in system (wait plus service) of
        an admitted customer.

        With one server, a customer admitted with n present leaves after
        n + 1 services: an Erlang mixture of the same form as the wait.  With
        c > 1, :math:`W = W_q + S` with S exponential and independent of
        :math:`W_q`: the tail is :math:`P(W_q > t) + P(W_q = 0)e^{-\mu t} +
        \int_0^t f_{W_q}(w) e^{-\mu(t-w)}\,dw`, the integral of a positive
        log-concave function taken by Gauss-Legendre panels.  Below 1/2 the
        CDF is not 1 minus that tail (which would leave its rounding, 1e-16
        absolute, in place of a small value) but a sum of positive terms:
        uniformized at :math:`c\mu`, the customer's own service is a
        geometric number of phases, so the time in system is a mixture of
        Erlang laws (kernel ``queuemath._kernels.waiting``,
        ``log_response_cdf_low``; about :math:`c\mu t` terms a point, used
        up to 1e5 of them).

        Parameters
        ----------
        t : array_like
            Time, at least 0, broadcast against the parameters. [s]

        Examples
        --------
        One server and room for one (M/M/1/1): nobody waits, so the response
        time is the service time, exponential at rate mu:

        >>> import math
        >>> q = MMcK(3.0, 2.0, 1, 1)
        >>> math.isclose(q.response_time_cdf(0.5), 1 - math.exp(-2.0 * 0.5), rel_tol=1e-14)
        True
        """
        t = self._argument("t", t, _validate.duration)
        log_sf = np.asarray(self._log_response_sf(t), dtype=float)
        out = np.array(-np.expm1(log_sf), dtype=float)
        # below 1/2, from positive terms where their count is bounded
        low = (log_sf > -np.log(2.0)) & (t > 0)
        if low.any():
            shape = t.shape
            L, m, log_k0, _ = (v[low] for v in self._wait_parts(shape))
            c, mu = (np.broadcast_to(v, shape)[low].astype(float) for v in (self._c, self._mu))
            x = c * mu * t[low]
            y = x * np.maximum(1.0, np.exp(L))
            short = (_special.poisson_reach(y) <= _kw.LOW_TERMS) & (m > 0)
            if short.any():
                log_none = (log_k0 + np.broadcast_to(self._wait_logs[3], shape)[low])[short]
                vals = _kw.log_response_cdf_low(L[short], m[short], c[short], x[short],
                                                log_k0[short], log_none)
                pos = np.flatnonzero(low.ravel())[short]
                flat = out.reshape(-1)
                with np.errstate(under="ignore"):
                    flat[pos] = np.exp(np.minimum(vals, 0.0))
        return self._output(out, "response_time_cdf")

    def response_time_quantile(self, p):
        r"""The p-quantile of the time in system of an admitted customer
        (see :meth:`response_time_cdf`); 0 at p = 0, ``inf`` at p = 1.

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
        >>> q = MM1K(0.9, 1.0, 10)
        >>> round(float(q.response_time_cdf(q.response_time_quantile(0.95))), 12)
        0.95
        """
        p = self._argument("p", p, _validate.level)
        out = _kw.response_quantile(self._log_response_sf, self._log_wait_sf, self._mu, p)
        return self._output(out, "response_time_quantile")

class MM1K(MMcK):
    r"""The M/M/1/K queue: one exponential server, room for K in all.

    Same quantities as :class:`MMcK` with ``servers=1``; for instance

    .. math:: p_K = \frac{(1-\rho)\rho^K}{1-\rho^{K+1}}, \qquad
              p_K = \frac{1}{K+1} \text{ at } \rho = 1,

    evaluated as :math:`\exp(K\log\rho)\,\mathrm{expm1}(\log\rho)/
    \mathrm{expm1}((K+1)\log\rho)` (or its mirror image for
    :math:`\rho > 1`), exact at, near and far from :math:`\rho = 1` and free
    of overflow for :math:`K = 10^7`.

    Parameters
    ----------
    arrival_rate : array_like
        :math:`\lambda`, at least 0. [1/s]
    service_rate : array_like
        :math:`\mu`, greater than 0. [1/s]
    capacity : array_like of int
        K, at least 1.

    See Also
    --------
    MMcK : several servers.

    References
    ----------
    .. [1] D. Gross, J. F. Shortle, J. M. Thompson, C. M. Harris,
       "Fundamentals of Queueing Theory," 4th ed., Wiley, 2008, sec. 2.5.1.
       doi:10.1002/9781118625651

    Examples
    --------
    >>> MM1K(1.0, 1.0, 9).blocking     # rho = 1: 1/(K+1)
    0.1
    """

    def __init__(self, arrival_rate, service_rate, capacity):
        super().__init__(arrival_rate, service_rate, 1, capacity)

    def _shown(self, lam, mu, c, k):
        return dict(arrival_rate=lam, service_rate=mu, capacity=k.astype(np.int64))

