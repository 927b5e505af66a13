r"""Staffing for time targets: how many servers answer in time, and how long
a queue may grow before its waits break a percentile budget.

The blocking and waiting-probability inverses are in
:mod:`queuemath.dimension`; here the targets are times: a service level
("80 % answered within 20 s"), a mean wait, a percentile of the wait.  Each
answer is the smallest (or largest) integer that meets the target, found by
exponential then binary search on the exact forward function, so it agrees
with what the model itself reports at the integer boundary.
"""
import numpy as np

from . import _validate
from ._kernels import erlang as _ke
from ._kernels import search as _search

__all__ = ["servers_for_service_level", "servers_for_mean_wait", "max_capacity_for_wait"]


@_validate.pandas_io
def servers_for_service_level(arrival_rate, service_rate, *, target_time, target_level,
                              patience_rate=0.0):
    r"""Smallest number of servers c with :math:`P(W_q \le t) \ge` the target
    level (M/M/c), or with Erlang A's service level at least the target when
    customers abandon.

    Parameters
    ----------
    arrival_rate : array_like
        :math:`\lambda`, at least 0. [1/s]
    service_rate : array_like
        :math:`\mu` of one server, greater than 0. [1/s]
    target_time : array_like
        t, the answer time of the service level, at least 0 (keyword only). [s]
    target_level : array_like
        The share to be answered within t, strictly between 0 and 1.
    patience_rate : array_like, default 0
        :math:`\theta`; above 0 the model is Erlang A (M/M/c+M) and the
        service level is the share of *all* arrivals served within t (those
        who abandon count as not served in time), as
        :meth:`queuemath.ErlangA.service_level` gives it.

    Returns
    -------
    servers : int or ndarray of int
        Without patience, always c > A = :math:`\lambda/\mu` (below, the queue
        grows without bound and the service level is 0).

    Raises
    ------
    ValueError
        For bad rates, a negative or NaN time, a level outside (0, 1), shapes
        that do not broadcast, or an answer beyond 2**53.

    See Also
    --------
    queuemath.erlang_c_servers : a target on the probability of waiting.
    servers_for_mean_wait : a target on the mean wait.

    Notes
    -----
    :math:`P(W_q \le t) = 1 - C(c, A)\,e^{-(c\mu - \lambda)t}` rises with c, so
    the search starts at :math:`\lfloor A \rfloor` (unstable, level 0).

    References
    ----------
    .. [1] G. Koole, *Call Center Optimization*, MG books, 2013, ch. 5
       (staffing with the Erlang C and Erlang A formulas).
    .. [2] V. B. Iversen, "Teletraffic Engineering and Network Planning,"
       Technical University of Denmark, 2015, ch. 9.

    Examples
    --------
    >>> # 100 calls per 30 min of 3 min each (A = 10), 80 % within 20 s
    >>> servers_for_service_level(100 / 1800, 1 / 180, target_time=20.0, target_level=0.8)
    14
    """
    lam = _validate.nonnegative("arrival_rate", arrival_rate)
    mu = _validate.positive("service_rate", service_rate)
    t = _validate.nonnegative("target_time", target_time)
    level = _validate.probability("target_level", target_level)
    theta = _validate.nonnegative("patience_rate", patience_rate)
    lam, mu, t, level, theta = _validate.broadcast(
        arrival_rate=lam, service_rate=mu, target_time=t, target_level=level,
        patience_rate=theta)
    a = _validate.offered_load(lam, mu)
    patient = theta == 0

    def ok(n, mask):
        out = np.ones(n.shape, dtype=bool)
        m = mask & patient
        if np.any(m):
            nn, aa = n[m], a[m]
            with np.errstate(invalid="ignore"):
                log_late = _ke.log_erlang_c(nn, aa) - (nn * mu[m] - lam[m]) * t[m]
            sl = np.where(nn > aa, -np.expm1(np.minimum(log_late, 0.0)), 0.0)
            out[m] = sl >= level[m]
        m = mask & ~patient
        if np.any(m):
            from .abandonment import ErlangA
            sl = ErlangA(lam[m], mu[m], n[m], patience_rate=theta[m]).service_level(t[m])
            out[m] = np.asarray(sl) >= level[m]
        return out

    lo = np.where(patient, np.floor(a), 0.0)
    return _search.smallest_integer(
        ok, lo, {"arrival_rate": lam, "service_rate": mu, "target_time": t,
                 "target_level": level}, "server count")


@_validate.pandas_io
def servers_for_mean_wait(arrival_rate, service_rate, *, target_wait):
    r"""Smallest number of servers c with the M/M/c mean wait
    :math:`W_q = C(c, A)/(c\mu - \lambda)` at most the target.

    Parameters
    ----------
    arrival_rate : array_like
        :math:`\lambda`, at least 0. [1/s]
    service_rate : array_like
        :math:`\mu` of one server, greater than 0. [1/s]
    target_wait : array_like
        Largest acceptable mean wait, greater than 0 (keyword only). [s]

    Returns
    -------
    servers : int or ndarray of int
        Always c > A.

    See Also
    --------
    servers_for_service_level : a percentile-style target.

    References
    ----------
    .. [1] D. Gross, J. F. Shortle, J. M. Thompson, C. M. Harris,
       "Fundamentals of Queueing Theory," 4th ed., Wiley, 2008, sec. 2.3.

    Examples
    --------
    >>> servers_for_mean_wait(10 / 180, 1 / 180, target_wait=20.0)
    13
    """
    lam = _validate.nonnegative("arrival_rate", arrival_rate)
    mu = _validate.positive("service_rate", service_rate)
    target = _validate.positive("target_wait", target_wait)
    lam, mu, target = _validate.broadcast(arrival_rate=lam, service_rate=mu,
                                          target_wait=target)
    a = _validate.offered_load(lam, mu)

    def ok(n, mask):
        out = np.ones(n.shape, dtype=bool)
        if np.any(mask):
            nn, aa = n[mask], a[mask]
            with np.errstate(invalid="ignore", divide="ignore"):
                wq = np.exp(_ke.log_erlang_c(nn, aa) - np.log(nn * mu[mask] - lam[mask]))
            out[mask] = (nn > aa) & ((lam[mask] == 0) | (wq <= target[mask]))
        return out

    return _search.smallest_integer(
        ok, np.floor(a), {"arrival_rate": lam, "service_rate": mu, "target_wait": target},
        "server count")


@_validate.pandas_io
def max_capacity_for_wait(arrival_rate, service_rate, servers=1, *, target_time,
                          target_level=0.99):
    r"""Largest capacity K whose M/M/c/K wait percentile is within a budget:
    the other side of the backlog trade-off.

    A longer queue refuses fewer connections but makes the admitted ones wait
    longer: :func:`queuemath.min_capacity` gives the smallest K for a
    refusal target, this the largest K whose ``target_level`` quantile of
    the wait of admitted customers is at most ``target_time``.  A K between
    the two meets both.

    Parameters
    ----------
    arrival_rate : array_like
        :math:`\lambda`, at least 0. [1/s]
    service_rate : array_like
        :math:`\mu` of one server, greater than 0. [1/s]
    servers : array_like of int, default 1
        c, at least 1.
    target_time : array_like
        The wait budget, at least 0 (keyword only). [s]
    target_level : array_like, default 0.99
        The percentile of the wait held to the budget, in (0, 1).

    Returns
    -------
    capacity : int or ndarray of int
        The largest K >= c meeting the budget (K = c, no queue, always does:
        nobody waits); 2**53 where every K does (the wait percentile stays
        within the budget however long the queue, as below load 1 it can).

    See Also
    --------
    min_capacity : The refusal side of the trade-off.
    MMcK.wait_quantile : The waiting-time percentile this keeps within the budget.
    servers_for_service_level : Servers rather than capacity.

    Notes
    -----
    The wait percentile of admitted customers grows with K (a customer
    admitted to a longer queue can find more ahead), so the search is for
    the first K that fails, less one.

    References
    ----------
    .. [1] D. Gross, J. F. Shortle, J. M. Thompson, C. M. Harris, "Fundamentals
       of Queueing Theory," 4th ed., Wiley, 2008, sec. 2.5-2.6.
       doi:10.1002/9781118625651
    .. [2] V. B. Iversen, "Teletraffic Engineering and Network Planning,"
       Technical University of Denmark, 2015., ch. 12 (waiting-time distributions).

    Examples
    --------
    >>> max_capacity_for_wait(0.9, 1.0, target_time=20.0, target_level=0.99)
    16
    """
    from .finite import MMcK
    lam = _validate.nonnegative("arrival_rate", arrival_rate)
    mu = _validate.positive("service_rate", service_rate)
    c = _validate.integer("servers", servers, minimum=1)
    t = _validate.nonnegative("target_time", target_time)
    level = _validate.probability("target_level", target_level)
    lam, mu, c, t, level = _validate.broadcast(
        arrival_rate=lam, service_rate=mu, servers=c, target_time=t, target_level=level)
    a = _validate.offered_load(lam, mu)
    # An unbounded queue below load 1 has the M/M/c percentile as its limit:
    # within budget there, every K meets it.
    with np.errstate(divide="ignore", invalid="ignore"):
        limit_log = (_ke.log_erlang_c(c.astype(float), a) - np.log1p(-level)) / (c * mu - lam)
    every = (a < c) & (np.maximum(limit_log, 0.0) <= t)

    def fails(k, mask):
        out = np.ones(k.shape, dtype=bool)
        if np.any(mask):
            q = MMcK(lam[mask], mu[mask], c[mask], k[mask]).wait_quantile(level[mask])
            out[mask] = np.asarray(q) > t[mask]
        return out

    names = {"arrival_rate": lam, "service_rate": mu, "servers": c, "target_time": t}
    out = np.full(lam.shape, float(_search.LIMIT))
    todo = ~every
    if np.any(todo):
        first_bad = _search.smallest_integer(
            lambda k, m: fails(k, m & todo) | ~todo, c.astype(float),
            names, "capacity")
        out = np.where(todo, first_bad - 1, out)
    return out.astype(np.int64)
