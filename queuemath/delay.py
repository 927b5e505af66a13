r"""Delay systems without a waiting-room limit: Erlang C and the M/M/c queue.

For an accept queue these give the limit of an unbounded backlog: the
probability that a connection waits at all, and how long.
"""
from functools import cached_property

import numpy as np

from . import _special, _validate
from ._model import RateModel


def _log_erlang_c(c, a, continuous=False):
    r"""log C(c, A); 0 where A >= c (every arrival waits)."""
    if continuous:
        log_b, log_z = _special.log_erlang_b_continuous(c, a)
    else:
        log_b, log_z, _ = _special.log_erlang_b_parts(c, a)
    stable = a < c
    # 1/C = 1 + (1 - rho)(1 - B)/B = 1 + ((c - A)/c) Z, all terms >= 0, so
    # log C = -log(1 + exp(log((c-A)/c) + log Z)) loses nothing, even as
    # rho -> 1 where C -> 1 (c - A is exact there by Sterbenz).
    with np.errstate(divide="ignore", invalid="ignore"):
        x = np.log(np.where(stable, c - a, 1.0)) - np.log(c) + log_z
        out = -np.logaddexp(0.0, x)
    out = np.where(stable, out, 0.0)
    return np.where(a == 0, -np.inf, out)


def log_erlang_c(servers, offered_load, continuous=False):
    r"""Natural logarithm of the Erlang C probability of waiting.

    Parameters
    ----------
    servers : array_like of int
        Number of servers c, at least 1.
    offered_load : array_like
        A = arrival_rate / service_rate, at least 0. [erlang]

    Returns
    -------
    log_p_wait : float or ndarray
        log C(c, A): 0 where A >= c, ``-inf`` where A = 0.

    See Also
    --------
    erlang_c

    Examples
    --------
    >>> float(log_erlang_c(3, 5.0))
    0.0
    """
    c, a = _validate.servers_and_load(servers, offered_load, continuous)
    return _validate.scalar(_log_erlang_c(c, a, continuous))


def erlang_c(servers, offered_load, continuous=False):
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
    >>> round(float(erlang_c(2, 1.0)), 15)   # 2 B / (2 - 1 + B), B = 1/5
    0.333333333333333
    >>> float(erlang_c(2, 3.0))              # unstable: every arrival waits
    1.0
    """
    c, a = _validate.servers_and_load(servers, offered_load, continuous)
    return _validate.scalar(np.exp(_log_erlang_c(c, a, continuous)))


class MMc(RateModel):
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
    .. [2] V. B. Iversen, "Teletraffic Engineering and Network Planning,"
       Technical University of Denmark, 2015, ch. 9.

    Examples
    --------
    >>> q = MMc(arrival_rate=1.0, service_rate=1.0, servers=2)
    >>> round(float(q.mean_wait), 15)      # C/(c mu - lambda) = (1/3)/1
    0.333333333333333
    >>> round(float(q.service_level(0.0)), 15)
    0.666666666666667
    """

    def __init__(self, arrival_rate, service_rate, servers):
        self._init_rates(arrival_rate, service_rate, servers)

    @cached_property
    def _log_c(self):
        return _log_erlang_c(self._c, self._a)

    @property
    def _stable(self):
        return self._a < self._c

    @property
    def log_p_wait(self):
        return _validate.scalar(self._log_c)

    @property
    def p_wait(self):
        return _validate.scalar(np.exp(self._log_c))

    @property
    def utilization(self):
        return _validate.scalar(np.where(self._stable, self._a / self._c, 1.0))

    @property
    def throughput(self):
        # Every arrival is served when stable; unstable, the servers' pace.
        return _validate.scalar(np.where(self._stable, self._lam, self._c * self._mu))

    def _mean_queue(self):
        stable = self._stable
        with np.errstate(divide="ignore", invalid="ignore"):
            # C A / (c - A); c - A is exact near rho = 1 (Sterbenz).
            lq = np.exp(self._log_c + np.log(self._a) - np.log(self._c - self._a))
        lq = np.where(self._a == 0, 0.0, lq)
        return np.where(stable, lq, np.inf)

    @property
    def mean_queue(self):
        return _validate.scalar(self._mean_queue())

    def _mean_wait(self):
        stable = self._stable
        with np.errstate(divide="ignore", invalid="ignore"):
            # C / (c mu - lambda) written as C / (mu (c - A)).
            wq = np.exp(self._log_c - np.log(self._mu) - np.log(self._c - self._a))
        wq = np.where(self._a == 0, 0.0, wq)
        return np.where(stable, wq, np.inf)

    @property
    def mean_wait(self):
        return _validate.scalar(self._mean_wait())

    @property
    def mean_response_time(self):
        return _validate.scalar(self._mean_wait() + 1 / self._mu)

    @property
    def mean_in_system(self):
        return _validate.scalar(self._mean_queue() + self._a)

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
        """
        t = _validate.nonnegative("target_time", target_time)
        log_c, mu, c, a, t = _validate.broadcast(
            p_wait=self._log_c, service_rate=self._mu, servers=self._c,
            offered_load=self._a, target_time=t)
        stable = a < c
        with np.errstate(invalid="ignore"):
            sl = -np.expm1(log_c - mu * np.where(stable, c - a, 0.0) * t)
        return _validate.scalar(np.where(stable, sl, 0.0))
