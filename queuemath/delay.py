r"""Delay systems without a waiting-room limit: Erlang C and the M/M/c queue.

For an accept queue these give the limit of an unbounded backlog: the
probability that a connection waits at all, and how long.
"""
from functools import cached_property

import numpy as np

from . import _validate
from ._kernels import erlang as _ke
from ._kernels import finite as _kf
from ._kernels import special as _special
from ._kernels import waiting as _kw
from ._model import Parameter, QueueModel, SimulationSpec, quantity, require_arrivals

__all__ = ["erlang_c", "log_erlang_c", "MMc"]


@_validate.pandas_io
def log_erlang_c(servers, offered_load, *, continuous=False):
    r"""Natural logarithm of the Erlang C probability of waiting.

    Parameters
    ----------
    servers : array_like of int
        Number of servers c, at least 1.
    offered_load : array_like
        A = arrival_rate / service_rate, at least 0. [erlang]
    continuous : bool, default False
        Real ``servers`` > 0 allowed, as in :func:`erlang_c`.

    Returns
    -------
    log_p_wait : float or ndarray
        log C(c, A): 0 where A >= c, ``-inf`` where A = 0.

    See Also
    --------
    erlang_c

    References
    ----------
    .. [1] V. B. Iversen, "Teletraffic Engineering and Network Planning,"
       Technical University of Denmark, 2015., ch. 9 (Erlang's C-formula).

    Examples
    --------
    >>> log_erlang_c(3, 5.0)      # unstable: every arrival waits
    0.0
    """
    c, a = _validate.servers_and_load(servers, offered_load, continuous)
    return _ke.log_erlang_c(c, a, continuous)


@_validate.pandas_io
def erlang_c(servers, offered_load, *, continuous=False):
    r"""Probability that an arrival waits in the M/M/c queue (Erlang C).

    Parameters
    ----------
    servers : array_like of int
        Number of servers c, at least 1.
    offered_load : array_like
        A = arrival_rate / service_rate, at least 0. [erlang]
    continuous : bool, default False
        Real ``servers`` > 0 allowed, through the continued Erlang B
        (see :func:`queuemath.erlang_b`).

    Returns
    -------
    p_wait : float or ndarray
        C(c, A) in [0, 1].  Where :math:`A \ge c` the queue is unstable and
        every arrival eventually waits: the value is exactly 1.

    Raises
    ------
    ValueError
        If servers is not an integer >= 1, offered_load is negative, NaN or
        infinite, or the shapes do not broadcast.

    See Also
    --------
    log_erlang_c : The same in log form.
    erlang_c_servers : The servers for a waiting-probability target.
    MMc : Every quantity of the M/M/c queue, its waiting-time law included.
    ErlangA : Impatient customers.

    Notes
    -----
    .. math:: C(c, A) = \frac{c\,B(c, A)}{c - A + A\,B(c, A)}, \qquad A < c,

    with B the Erlang B blocking (:func:`erlang_b`).  It is evaluated as
    :math:`-\log C = \log(1 + \tfrac{c-A}{c} Z)` with
    :math:`Z = 1/B - 1` taken to full relative precision from the Erlang B
    kernel, a sum of non-negative terms: no cancellation near
    :math:`\rho = 1` and no value outside [0, 1] anywhere.

    References
    ----------
    .. [1] V. B. Iversen, "Teletraffic Engineering and Network Planning,"
       Technical University of Denmark, 2015, ch. 9 (Erlang's C-formula).
    .. [2] L. Kleinrock, "Queueing Systems, Volume 1: Theory," Wiley, 1975,
       sec. 3.5.

    Examples
    --------
    >>> round(erlang_c(2, 1.0), 15)   # 2 B / (2 - 1 + B), B = 1/5
    0.333333333333333
    >>> erlang_c(2, 3.0)              # unstable: every arrival waits
    1.0
    """
    c, a = _validate.servers_and_load(servers, offered_load, continuous)
    return np.exp(_ke.log_erlang_c(c, a, continuous))


class MMc(QueueModel):
    r"""The M/M/c queue: Poisson arrivals, c exponential servers, no limit.

    Parameters
    ----------
    arrival_rate : array_like
        :math:`\lambda`, at least 0. [1/s]
    service_rate : array_like
        :math:`\mu` of one server, greater than 0. [1/s]
    servers : array_like of int
        c, at least 1.

    Attributes
    ----------
    offered_load : float or ndarray
        :math:`A = \lambda/\mu`. [erlang]
    p_wait : float or ndarray
        Erlang C, :math:`C(c, A)`; 1 where unstable.
    log_p_wait : float or ndarray
        Its natural logarithm.
    utilization : float or ndarray
        :math:`\rho = A/c`, and 1 where :math:`\rho \ge 1` (every server busy
        for ever).
    throughput : float or ndarray
        :math:`\lambda`, or :math:`c\mu` where unstable. [1/s]
    mean_queue : float or ndarray
        :math:`L_q = C\,A/(c - A)`; ``inf`` where unstable.
    mean_wait : float or ndarray
        :math:`W_q = C/(c\mu - \lambda)`; ``inf`` where unstable. [s]
    mean_response_time : float or ndarray
        :math:`W_q + 1/\mu`; ``inf`` where unstable. [s]
    mean_in_system : float or ndarray
        :math:`L_q + A`; ``inf`` where unstable.

    See Also
    --------
    MMcK : a limited waiting room.
    ErlangA : customers who abandon the queue.
    erlang_c : the waiting probability alone.

    Notes
    -----
    An unstable system (:math:`\lambda \ge c\mu`) has no stationary law; the
    attributes give the limits a growing queue tends to: every arrival waits
    (``p_wait`` 1), the means are infinite, ``service_level`` is 0.  They are
    never a number outside [0, 1] for a probability, and never negative.

    References
    ----------
    .. [1] D. Gross, J. F. Shortle, J. M. Thompson, C. M. Harris,
       "Fundamentals of Queueing Theory," 4th ed., Wiley, 2008, sec. 2.3.
       doi:10.1002/9781118625651
    .. [2] V. B. Iversen, "Teletraffic Engineering and Network Planning,"
       Technical University of Denmark, 2015, ch. 9.

    Examples
    --------
    >>> q = MMc(arrival_rate=1.0, service_rate=1.0, servers=2)
    >>> round(q.mean_wait, 15)      # C/(c mu - lambda) = (1/3)/1
    0.333333333333333
    >>> round(q.service_level(0.0), 15)
    0.666666666666667
    """

    quantities = ("p_wait", "log_p_wait", "throughput", "utilization", "mean_in_system",
                  "mean_queue", "mean_wait", "mean_response_time", "offered_load",
                  "var_in_system", "var_queue", "var_wait")

    arrival_rate = Parameter(r":math:`\lambda`. [1/s]")
    service_rate = Parameter(r":math:`\mu` of one server. [1/s]")
    servers = Parameter("c, the number of servers.", kind="int")

    def __init__(self, arrival_rate, service_rate, servers):
        lam = _validate.nonnegative("arrival_rate", arrival_rate)
        mu = _validate.positive("service_rate", service_rate)
        c = _validate.integer("servers", servers, minimum=1)
        self._store(dict(arrival_rate=lam, service_rate=mu, servers=c.astype(np.int64)),
                    dict(arrival_rate=lam, service_rate=mu, servers=c),
                    raw=(arrival_rate, service_rate, servers))
        p = self._params
        self._lam, self._mu, self._c = p["arrival_rate"], p["service_rate"], p["servers"]
        self._a = _validate.offered_load(self._lam, self._mu)

    @property
    def kendall(self):
        return f"M/M/{self._kendall_count('servers', 'c')}"

    def simulation_spec(self):
        lam, mu, c = self._scalars("arrival_rate", "service_rate", "servers")
        require_arrivals(lam)
        if lam >= c * mu:
            raise ValueError(
                f"an unstable M/M/c (arrival_rate={lam!r} >= servers * service_rate="
                f"{c * mu!r}) has no stationary law to estimate")
        return SimulationSpec("markov", dict(lam=lam, mu=mu, c=c, k=np.inf, sources=None),
                              int(c))

    @cached_property
    def _gap(self):
        """c - A = (c mu - lambda)/mu with c mu - lambda formed exactly
        (Dekker's product): near rho = 1, c - fl(lambda/mu) keeps only the
        digits the rounding of A left (1e-7 relative at rho = 1 - 1e-9)."""
        s, gap = _special.rate_gap(self._lam, self._mu, self._c)
        with np.errstate(over="ignore", invalid="ignore"):
            near = (self._lam >= 0.5 * s) & (self._lam <= 2 * s)
            exact = gap / self._mu
        return np.where(near, exact, self._c - self._a)

    @cached_property
    def _log_c(self):
        return _ke.log_erlang_c(self._c, self._a, c_minus_a=self._gap,
                                da=_special.load_residual(self._lam, self._mu, self._a))

    @property
    def _stable(self):
        return self._gap > 0

    @quantity
    def offered_load(self):
        r""":math:`A = \lambda/\mu`. [erlang]

        Examples
        --------
        >>> from queuemath import MMc
        >>> q = MMc(3.0, 1.0, 4)
        >>> round(q.offered_load, 6)
        3.0
        >>> q.offered_load == q.arrival_rate / q.service_rate
        True
        """
        return self._a

    @quantity
    def log_p_wait(self):
        """log of Erlang C.

        Examples
        --------
        >>> import math
        >>> from queuemath import MMc
        >>> q = MMc(3.0, 1.0, 4)
        >>> round(q.log_p_wait, 6)
        -0.674455
        >>> math.isclose(math.exp(q.log_p_wait), q.p_wait, rel_tol=1e-14)
        True
        """
        return self._log_c

    @quantity
    def p_wait(self):
        """Erlang C, the share of arrivals that wait; 1 where unstable.

        Examples
        --------
        >>> from queuemath import MMc
        >>> q = MMc(3.0, 1.0, 4)
        >>> round(q.p_wait, 6)
        0.509434
        """
        return np.exp(self._log_c)

    @quantity
    def utilization(self):
        r""":math:`\rho = A/c`; 1 where unstable.

        Examples
        --------
        >>> import math
        >>> from queuemath import MMc
        >>> q = MMc(3.0, 1.0, 4)
        >>> round(q.utilization, 6)
        0.75
        >>> math.isclose(q.utilization, q.throughput / (q.servers * q.service_rate), rel_tol=1e-13)
        True
        """
        return np.where(self._stable, np.minimum(self._a / self._c, 1.0), 1.0)

    @quantity
    def throughput(self):
        r""":math:`\lambda`; :math:`c\mu` where unstable. [1/s]

        Examples
        --------
        >>> from queuemath import MMc
        >>> q = MMc(3.0, 1.0, 4)
        >>> round(q.throughput, 6)
        3.0
        >>> q.throughput == q.arrival_rate
        True
        """
        # Every arrival is served when stable; unstable, the servers' pace.
        return np.where(self._stable, self._lam, self._c * self._mu)

    def _mean_queue(self):
        with np.errstate(divide="ignore", invalid="ignore"):
            # C A / (c - A), c - A from the rates (see _gap)
            lq = np.exp(self._log_c + np.log(self._a) - np.log(self._gap))
        lq = np.where(self._a == 0, 0.0, lq)
        return np.where(self._stable, lq, np.inf)

    @quantity
    def mean_queue(self):
        r""":math:`L_q`; ``inf`` where unstable.

        Examples
        --------
        >>> import math
        >>> from queuemath import MMc
        >>> q = MMc(3.0, 1.0, 4)
        >>> round(q.mean_queue, 6)
        1.528302
        >>> math.isclose(q.mean_queue, q.throughput * q.mean_wait, rel_tol=1e-13)  # Little
        True
        """
        return self._mean_queue()

    def _mean_wait(self):
        with np.errstate(divide="ignore", invalid="ignore"):
            # C / (c mu - lambda) written as C / (mu (c - A)).
            wq = np.exp(self._log_c - np.log(self._mu) - np.log(self._gap))
        wq = np.where(self._a == 0, 0.0, wq)
        return np.where(self._stable, wq, np.inf)

    @quantity
    def mean_wait(self):
        r""":math:`W_q`; ``inf`` where unstable. [s]

        Examples
        --------
        >>> import math
        >>> from queuemath import MMc
        >>> q = MMc(3.0, 1.0, 4)
        >>> round(q.mean_wait, 6)
        0.509434
        >>> math.isclose(q.mean_wait, q.mean_queue / q.throughput, rel_tol=1e-13)  # Little
        True
        """
        return self._mean_wait()

    @quantity
    def mean_response_time(self):
        r""":math:`W_q + 1/\mu`; ``inf`` where unstable. [s]

        Examples
        --------
        >>> import math
        >>> from queuemath import MMc
        >>> q = MMc(3.0, 1.0, 4)
        >>> round(q.mean_response_time, 6)
        1.509434
        >>> math.isclose(q.mean_response_time, q.mean_wait + 1 / q.service_rate, rel_tol=1e-13)
        True
        """
        return self._mean_wait() + 1 / self._mu

    @quantity
    def mean_in_system(self):
        r""":math:`L_q + A`; ``inf`` where unstable.

        Examples
        --------
        >>> import math
        >>> from queuemath import MMc
        >>> q = MMc(3.0, 1.0, 4)
        >>> round(q.mean_in_system, 6)
        4.528302
        >>> math.isclose(q.mean_in_system, q.throughput * q.mean_response_time, rel_tol=1e-13)  # Little
        True
        """
        return self._mean_queue() + self._a

    @cached_property
    def _variances(self):
        stable = self._stable
        out = _kf.mmc_variances(np.where(stable, self._a, 0.0), self._c,
                                np.where(stable, self._gap, 1.0), self._log_c)
        return [np.where(stable, v, np.inf) for v in out]

    @quantity
    def var_in_system(self):
        r"""Variance of the number present; ``inf`` where unstable.

        Examples
        --------
        >>> from queuemath import MMc
        >>> q = MMc(3.0, 1.0, 4)
        >>> round(q.var_in_system, 6)
        12.890708
        """
        return self._variances[0]

    @quantity
    def var_queue(self):
        r"""Variance of the number waiting,
        :math:`C\rho(1 + \rho(1 - C))/(1-\rho)^2`; ``inf`` where unstable.

        Examples
        --------
        >>> from queuemath import MMc
        >>> q = MMc(3.0, 1.0, 4)
        >>> round(q.var_queue, 6)
        8.362407
        """
        return self._variances[1]

    @quantity
    def var_wait(self):
        r"""Variance of the wait, :math:`C(2 - C)/(c\mu - \lambda)^2`;
        ``inf`` where unstable. [s^2]

        Examples
        --------
        >>> from queuemath import MMc
        >>> q = MMc(3.0, 1.0, 4)
        >>> round(q.var_wait, 6)
        0.759345
        """
        with np.errstate(divide="ignore", invalid="ignore"):
            return self._variances[2] / (self._mu * self._gap) ** 2

    def service_level(self, target_time):
        r"""Probability that an arrival waits at most ``target_time``.

        .. math:: P(W_q \le t) = 1 - C\,e^{-(c\mu - \lambda)t},

        evaluated as :math:`-\mathrm{expm1}(\log C - \mu(c-A)t)`, exact when
        C is close to 1 and t is small.  0 where the system is unstable.

        Parameters
        ----------
        target_time : array_like
            t, at least 0, broadcast against the model's parameters. [s]

        Returns
        -------
        float or ndarray

        Examples
        --------
        pyworkforce's published example: 10 erlangs, 14 agents, 20 s target with 3-minute calls:

        >>> round(MMc(10 / 180, 1 / 180, 14).service_level(20.0), 4)
        0.8884
        """
        t = _validate.nonnegative("target_time", target_time)
        log_c, mu, c, a, t = _validate.broadcast(
            p_wait=self._log_c, service_rate=self._mu, servers=self._c,
            offered_load=self._a, target_time=t)
        stable = a < c
        with np.errstate(invalid="ignore"):
            sl = -np.expm1(log_c - mu * np.where(stable, c - a, 0.0) * t)
        return self._output(np.where(stable, sl, 0.0), "service_level")

    # -- time laws -------------------------------------------------------------
    def _log_wait_sf(self, t):
        log_c, mu, gap = (np.broadcast_to(v, t.shape)
                          for v in (self._log_c, self._mu, self._gap))
        stable = gap > 0
        with np.errstate(invalid="ignore"):
            # C exp(-(c mu - lambda) t), the rate from the rates (see _gap)
            out = log_c - mu * np.where(stable, gap, 0.0) * t
        out = np.where(t == np.inf, np.where(stable, -np.inf, 0.0), out)
        return np.where(stable, out, 0.0)

    def log_wait_sf(self, t):
        r""":math:`\log P(W_q > t) = \log C - (c\mu - \lambda)t`, finite far
        below the smallest double; 0 where unstable (every wait grows without
        bound).

        Parameters
        ----------
        t : array_like
            Time, at least 0 (``inf`` allowed), broadcast against the
            parameters. [s]

        References
        ----------
        .. [1] D. Gross, J. F. Shortle, J. M. Thompson, C. M. Harris,
           "Fundamentals of Queueing Theory," 4th ed., Wiley, 2008, sec. 2.3.

        Examples
        --------
        Far in the tail, where ``wait_sf`` underflows to 0, the log form keeps its digits:

        >>> import math
        >>> q = MMc(3.0, 1.0, 4)
        >>> q.wait_sf(800.0)
        0.0
        >>> math.isclose(q.log_wait_sf(800.0), math.log(q.p_wait) - 800.0, rel_tol=1e-14)
        True
        """
        return self._output(self._log_wait_sf(self._argument("t", t, _validate.duration)),
                            "log_wait_sf")

    def wait_sf(self, t):
        r""":math:`P(W_q > t) = C e^{-(c\mu-\lambda)t}` (see :meth:`log_wait_sf`).

        Examples
        --------
        Erlang C's tail: P(W > t) = C(c, A) exp(-(c mu - lambda) t):

        >>> import math
        >>> q = MMc(3.0, 1.0, 4)
        >>> math.isclose(q.wait_sf(2.0), q.p_wait * math.exp(-(4 * 1.0 - 3.0) * 2.0), rel_tol=1e-13)
        True
        """
        t = self._argument("t", t, _validate.duration)
        with np.errstate(under="ignore"):
            return self._output(np.exp(self._log_wait_sf(t)), "wait_sf")

    def wait_cdf(self, t):
        r""":math:`P(W_q \le t)`, the service level of :meth:`service_level`.

        Examples
        --------
        >>> q = MMc(3.0, 1.0, 4)
        >>> q.wait_cdf(0.0) == 1 - q.p_wait
        True
        >>> abs(q.wait_cdf(2.0) + q.wait_sf(2.0) - 1) < 1e-15
        True
        """
        t = self._argument("t", t, _validate.duration)
        return self._output(-np.expm1(self._log_wait_sf(t)), "wait_cdf")

    def wait_quantile(self, p):
        r"""Smallest t with :math:`P(W_q \le t) \ge p`:
        :math:`\max(0, \log(C/(1-p))/(c\mu - \lambda))`; ``inf`` where
        unstable (p > 0) or at p = 1.

        Parameters
        ----------
        p : array_like
            Level in [0, 1], broadcast against the parameters.

        Examples
        --------
        >>> q = MMc(3.9, 1.0, 4)
        >>> round(float(q.wait_cdf(q.wait_quantile(0.99))), 12)
        0.99
        """
        p = self._argument("p", p, _validate.level)
        log_c, mu, gap = (np.broadcast_to(v, p.shape)
                          for v in (self._log_c, self._mu, self._gap))
        with np.errstate(divide="ignore", invalid="ignore"):
            t = (log_c - np.log1p(-p)) / (mu * gap)
        t = np.where(p == 1, np.inf, np.maximum(t, 0.0))
        t = np.where(gap > 0, t, np.where(p > 0, np.inf, 0.0))
        return self._output(np.where(np.isnan(t), 0.0, t), "wait_quantile")

    def _log_response_sf(self, t):
        log_c, mu, gap = (np.broadcast_to(v, t.shape)
                          for v in (self._log_c, self._mu, self._gap))
        # P(W > t) = e^{-mu t} [1 + C mu t psi(z)], z = (c mu - lambda - mu) t,
        # psi(z) = (1 - e^-z)/z: the wait's exponential convolved with the
        # service's, written so that c mu - lambda = mu costs no digits
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            z = mu * (gap - 1.0) * t
            log_psi = np.where(z > 0, _special.log1mexp(-np.abs(z)) - np.log(np.abs(z)),
                               _special.log_expm1(np.abs(z)) - np.log(np.abs(z)))
            log_psi = np.where(z == 0, 0.0, log_psi)
            extra = log_c + np.log(mu * t) + log_psi
            out = -mu * t + np.logaddexp(0.0, extra)
        out = np.where(t == 0, 0.0, out)
        out = np.where(t == np.inf, -np.inf, out)
        return np.where(gap > 0, np.minimum(out, 0.0), 0.0)

    def response_time_cdf(self, t):
        r""":math:`P(W \le t)` for the time in system :math:`W = W_q + S`:

        .. math:: P(W > t) = e^{-\mu t}\left(1 + C\mu t\,
                  \frac{1 - e^{-(c\mu - \lambda - \mu)t}}{(c\mu - \lambda - \mu)t}\right),

        the limit :math:`e^{-\mu t}(1 + C\mu t)` where
        :math:`c\mu - \lambda = \mu`.  0 where unstable.

        Parameters
        ----------
        t : array_like
            Time, at least 0, broadcast against the parameters. [s]

        References
        ----------
        .. [1] D. Gross, J. F. Shortle, J. M. Thompson, C. M. Harris,
           "Fundamentals of Queueing Theory," 4th ed., Wiley, 2008, sec. 2.3.

        Examples
        --------
        For one server the response time is exponential at rate mu - lambda:

        >>> import math
        >>> q = MMc(3.0, 4.0, 1)
        >>> math.isclose(q.response_time_cdf(0.5), 1 - math.exp(-(4.0 - 3.0) * 0.5), rel_tol=1e-14)
        True
        """
        t = self._argument("t", t, _validate.duration)
        return self._output(-np.expm1(self._log_response_sf(t)), "response_time_cdf")

    def response_time_quantile(self, p):
        r"""Smallest t with :math:`P(W \le t) \ge p` (see
        :meth:`response_time_cdf`); ``inf`` where unstable or at p = 1.

        Parameters
        ----------
        p : array_like
            Level in [0, 1], broadcast against the parameters.

        Examples
        --------
        For one server, the p-quantile of an exponential law at rate mu - lambda:

        >>> import math
        >>> q = MMc(3.0, 4.0, 1)
        >>> math.isclose(q.response_time_quantile(0.99), -math.log(0.01) / (4.0 - 3.0), rel_tol=1e-13)
        True
        """
        p = self._argument("p", p, _validate.level)
        out = _kw.response_quantile(self._log_response_sf, self._log_wait_sf, self._mu, p,
                                    defined=self._gap > 0)
        return self._output(out, "response_time_quantile")

