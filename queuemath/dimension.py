r"""Dimensioning: the inverse questions an analyst asks of the closed forms.

How many servers keep blocking (or waiting) below a target, what load a given
number of servers absorbs, and what capacity (workers + backlog) makes
refusals rare.  Integer answers are the smallest integer that meets the
target, found by exponential then binary search on the exact forward
functions, so they are right at the integer boundary whenever the forward
value is; the load inverse is a safeguarded Newton iteration on
:math:`\log A`.
"""
from collections import namedtuple

import numpy as np
from scipy.special import gammaln

from . import _validate
from ._kernels import erlang as _ke
from ._kernels import finite as _kf
from ._kernels import search as _search
from ._kernels import special as _special

__all__ = ["erlang_b_servers", "erlang_b_load", "erlang_c_servers", "min_capacity",
           "max_arrival_rate", "capacity_frontier", "blocking_sensitivity", "Sensitivity"]


@_validate.pandas_io
def erlang_b_servers(offered_load, *, target_blocking, continuous=False):
    r"""Smallest number of servers c with Erlang B blocking at most the target.

    Parameters
    ----------
    offered_load : array_like
        A, at least 0. [erlang]
    target_blocking : array_like
        Largest acceptable blocking, strictly between 0 and 1 (keyword only).
    continuous : bool, default False
        Return instead the real x > 0 with :math:`B(x, A) =` target for the
        incomplete-gamma continuation of B (see :func:`erlang_b`), found by
        bisection between the integers around it to the last bit.

    Returns
    -------
    servers : int or ndarray of int (float with ``continuous``)
        The smallest c >= 1 with :math:`B(c, A) \le` target; so
        :math:`B(c-1, A) >` target when c > 1.

    Raises
    ------
    ValueError
        For a negative, NaN or infinite load, a target outside (0, 1), shapes
        that do not broadcast, or an answer beyond 2**53.

    See Also
    --------
    erlang_b : The blocking this inverts.
    erlang_b_load : The other inverse: the load at a target.
    min_capacity : Servers and waiting places (M/M/c/K).

    Notes
    -----
    The answer agrees with :func:`erlang_b` as it rounds: where
    :math:`B(c, A)` equals the target to within an ulp, the rounding of the
    forward value decides.  B falls strictly as c rises; the search compares
    :math:`\log B(c, A)` with :math:`\log` target, so targets far below 1e-308
    work too.  About :math:`2\log_2 c` evaluations of the forward function.

    References
    ----------
    .. [1] V. B. Iversen, "Teletraffic Engineering and Network Planning,"
       Technical University of Denmark, 2015, ch. 4.

    Examples
    --------
    >>> erlang_b_servers(10.0, target_blocking=0.05)
    15
    """
    c = _fewest_servers(_log_erlang_b, offered_load, target_blocking, "target_blocking",
                        start=0)
    if not continuous:
        return c
    a = _validate.nonnegative("offered_load", offered_load)
    t = _validate.probability("target_blocking", target_blocking)
    a, t, c = np.broadcast_arrays(a, t, np.asarray(c, dtype=float))
    log_t = np.log(t)
    # B falls strictly in x and B(c) <= t < B(c - 1) (B(0) = 1): bisect.
    lo, hi = c - 1.0, c.astype(float)
    for _ in range(80):
        mid = 0.5 * (lo + hi)
        open_ = (mid > lo) & (mid < hi)
        if not open_.any():
            break
        low_b = _special.log_erlang_b_continuous(np.where(mid > 0, mid, 0.5), a)[0] > log_t
        lo = np.where(open_ & low_b, mid, lo)
        hi = np.where(open_ & ~low_b, mid, hi)
    return np.where(a == 0, 0.0, hi)


@_validate.pandas_io
def erlang_c_servers(offered_load, *, target_p_wait):
    r"""Smallest number of servers c with Erlang C waiting probability at most
    the target.

    Parameters
    ----------
    offered_load : array_like
        A, at least 0. [erlang]
    target_p_wait : array_like
        Largest acceptable probability of waiting, strictly between 0 and 1
        (keyword only).

    Returns
    -------
    servers : int or ndarray of int
        The smallest c >= 1 with :math:`C(c, A) \le` target; always c > A.

    Raises
    ------
    ValueError
        For a negative, NaN or infinite load, a target outside (0, 1), shapes
        that do not broadcast, or an answer beyond 2**53.

    See Also
    --------
    erlang_c : The waiting probability this inverts.
    servers_for_service_level : Servers for a waiting-time target.
    servers_for_mean_wait : Servers for a mean-wait target.

    References
    ----------
    .. [1] V. B. Iversen, "Teletraffic Engineering and Network Planning,"
       Technical University of Denmark, 2015, ch. 9.

    Examples
    --------
    >>> erlang_c_servers(10.0, target_p_wait=0.2)
    14
    """
    # C = 1 for every c <= A, so the search starts at floor(A).
    return _fewest_servers(_ke.log_erlang_c, offered_load, target_p_wait, "target_p_wait",
                           start=None)


def _log_erlang_b(c, a):
    return _special.log_erlang_b_parts(c, a, want_all=False)[0]


def _fewest_servers(log_prob, offered_load, target, target_name, start):
    """Smallest c with exp(log_prob(c, A)) <= target (see _smallest_integer)."""
    a = _validate.nonnegative("offered_load", offered_load)
    t = _validate.probability(target_name, target)
    a, t = _validate.broadcast(offered_load=a, **{target_name: t})

    def ok(n, mask):
        out = np.ones(n.shape, dtype=bool)
        if np.any(mask):
            out[mask] = _search.meets(log_prob(n[mask], a[mask]), t[mask])
        return out

    lo = np.floor(a) if start is None else np.full(a.shape, float(start))
    return _search.smallest_integer(ok, lo, {"offered_load": a, target_name: t}, "server count")


@_validate.pandas_io
def erlang_b_load(servers, *, target_blocking):
    r"""Offered load at which c servers block exactly the target share.

    Parameters
    ----------
    servers : array_like of int
        c, at least 1.
    target_blocking : array_like
        Blocking, strictly between 0 and 1 (keyword only).

    Returns
    -------
    offered_load : float or ndarray
        The A with :math:`B(c, A) =` target. [erlang]

    See Also
    --------
    erlang_b : The blocking this inverts.
    erlang_b_servers : The other inverse: the servers for a load.
    max_arrival_rate : The same with waiting places (M/M/c/K).

    Notes
    -----
    B rises strictly with A, and :math:`\partial\log B/\partial\log A =
    c - A(1 - B) > 0` in closed form, so Newton's method on
    :math:`x = \log A` converges quadratically; it is safeguarded by the
    bracket :math:`A^c/c! \ge B` (lower) and :math:`B > 1 - c/A` (upper),
    bisecting whenever a step leaves the bracket.  Converged to a few ulps of
    :math:`\log A`.

    References
    ----------
    .. [1] V. B. Iversen, "Teletraffic Engineering and Network Planning,"
       Technical University of Denmark, 2015, ch. 4.

    Examples
    --------
    >>> round(erlang_b_load(15, target_blocking=0.036497), 3)
    10.0
    """
    c = _validate.integer("servers", servers, minimum=1)
    t = _validate.probability("target_blocking", target_blocking)
    c, t = _validate.broadcast(servers=c, target_blocking=t)
    log_t = np.log(t)
    lo = (log_t + gammaln(c + 1)) / c          # log A with A^c/c! = t: B <= t
    hi = np.log(c) - np.log1p(-t)              # log A with 1 - c/A = t: B > t
    return _search.solve_load(_erlang_b_and_slope(c), log_t, lo, hi)


def _erlang_b_and_slope(c):
    def fn(a):
        log_b, log_z, _ = _special.log_erlang_b_parts(c, a)
        # d log B / d log A = c - A (1 - B), and A (1 - B) = A Z B.
        return log_b, c - np.exp(np.log(a) + log_z + log_b)
    return fn


@_validate.pandas_io
def max_arrival_rate(service_rate, servers, capacity, *, target_blocking):
    r"""The largest arrival rate an M/M/c/K queue takes with blocking at most
    the target: the load a given worker count and backlog absorb.

    Parameters
    ----------
    service_rate : array_like
        :math:`\mu` of one server, greater than 0. [1/s]
    servers : array_like of int
        c, at least 1.
    capacity : array_like of int
        K >= c.
    target_blocking : array_like
        In (0, 1) (keyword only).

    Returns
    -------
    arrival_rate : float or ndarray
        The :math:`\lambda` at which :math:`p_K` equals the target. [1/s]

    See Also
    --------
    min_capacity : The capacity for an arrival rate.
    erlang_b_load : The same without waiting places (Erlang B).
    blocking_sensitivity : The load derivative used by the Newton steps.

    Notes
    -----
    :math:`p_K` rises with the load, and in closed form
    :math:`\partial \log p_K / \partial \log A = K - L` (every state's
    weight is :math:`A^n` over a constant, so the log-derivative of the
    normaliser is the mean number present L), so the root is found by the
    same safeguarded Newton iteration as :func:`erlang_b_load`, bracketed by
    :math:`p_K \le A^K/(c!\,c^{K-c})` and :math:`p_K \ge 1 - c/A`.

    References
    ----------
    .. [1] D. Gross, J. F. Shortle, J. M. Thompson, C. M. Harris, "Fundamentals
       of Queueing Theory," 4th ed., Wiley, 2008, sec. 2.5-2.6.
       doi:10.1002/9781118625651

    Examples
    --------
    >>> lam = max_arrival_rate(1.0, 1, 10, target_blocking=0.0508137313274124)
    >>> round(lam, 9)          # M/M/1/10 blocks 5.08 % at rho = 0.9
    0.9
    """
    mu = _validate.positive("service_rate", service_rate)
    c = _validate.integer("servers", servers, minimum=1)
    k = _validate.integer("capacity", capacity, minimum=1)
    t = _validate.probability("target_blocking", target_blocking)
    mu, c, k, t = _validate.broadcast(service_rate=mu, servers=c, capacity=k, target_blocking=t)
    _validate.at_least("capacity", k, "servers", c)
    log_t = np.log(t)
    lo = (log_t + gammaln(c + 1) + (k - c) * np.log(c)) / k
    hi = np.log(c) - np.log1p(-t)

    def fn(a):
        return (_kf.mmck_blocking(a, c, k)[0],
                k - _kf.mean_in_system(_kf.mmck_logs(a, c, k), c))

    return _search.solve_load(fn, log_t, lo, hi) * mu


@_validate.pandas_io
def min_capacity(arrival_rate, service_rate, servers=1, *, target_blocking):
    r"""Smallest capacity K (servers + waiting places) with M/M/c/K blocking at
    most the target.

    For an accept queue, K - servers is the backlog the operating system must
    hold; see :mod:`queuemath.tcp` (when available) for how a ``listen()``
    backlog maps to that number on each OS.

    Parameters
    ----------
    arrival_rate : array_like
        :math:`\lambda`, at least 0. [1/s]
    service_rate : array_like
        :math:`\mu` of one server, greater than 0. [1/s]
    servers : array_like of int, default 1
        c, at least 1.
    target_blocking : array_like
        Largest acceptable refusal probability, strictly between 0 and 1
        (keyword only).

    Returns
    -------
    capacity : int or ndarray of int
        The smallest K >= c with :math:`p_K \le` target.

    Raises
    ------
    ValueError
        For bad rates or target, and where no finite K suffices: with
        :math:`\rho = \lambda/(c\mu) > 1` the blocking falls only to
        :math:`1 - 1/\rho` as K grows, so a target at or below that floor
        cannot be met (the message names the point and the floor).

    See Also
    --------
    MMcK : The model whose blocking this inverts.
    max_arrival_rate : The load a capacity absorbs at a target.
    capacity_frontier : The smallest capacity for each number of servers.
    max_capacity_for_wait : The largest capacity a waiting-time budget allows.
    queuemath.tcp.min_backlog : The same as a ``listen()`` backlog, with the OS rules.

    References
    ----------
    .. [1] D. Gross, J. F. Shortle, J. M. Thompson, C. M. Harris, "Fundamentals
       of Queueing Theory," 4th ed., Wiley, 2008, sec. 2.5-2.6.
       doi:10.1002/9781118625651
    .. [2] V. B. Iversen, "Teletraffic Engineering and Network Planning,"
       Technical University of Denmark, 2015., ch. 9.

    Examples
    --------
    >>> min_capacity(0.9, 1.0, target_blocking=0.01)   # 0.1*0.9**23/(1-0.9**24) = 0.0096
    23
    """
    lam = _validate.nonnegative("arrival_rate", arrival_rate)
    mu = _validate.positive("service_rate", service_rate)
    t = _validate.probability("target_blocking", target_blocking)
    c = _validate.integer("servers", servers, minimum=1)
    lam, mu, t, c = _validate.broadcast(arrival_rate=lam, service_rate=mu,
                                        target_blocking=t, servers=c)
    a = _validate.offered_load(lam, mu)
    over = a > c
    floor = np.zeros(a.shape)
    floor[over] = (a[over] - c[over]) / a[over]
    bad = t <= floor
    if np.any(bad):
        idx = tuple(np.argwhere(bad)[0])
        raise ValueError(
            "target_blocking is at or below the blocking floor 1 - 1/rho = "
            f"{floor[idx]!r} of an overloaded system (arrival_rate={lam[idx]!r}, "
            f"service_rate={mu[idx]!r}, servers={_validate.fmt(c[idx])}): no "
            f"finite capacity gives blocking <= {t[idx]!r}")

    def ok(k, mask):
        out = np.ones(k.shape, dtype=bool)
        if np.any(mask):
            log_pk, pk = _kf.mmck_blocking_rates(lam[mask], mu[mask], a[mask], c[mask], k[mask])
            out[mask] = _search.meets(log_pk, t[mask], pk)
        return out

    return _search.smallest_integer(ok, c - 1, {"arrival_rate": lam, "service_rate": mu,
                                    "servers": c, "target_blocking": t}, "capacity")


def capacity_frontier(arrival_rate, service_rate, servers, *, target_blocking):
    r"""The workers-versus-backlog trade-off: for each number of servers, the
    smallest capacity K with M/M/c/K blocking at most the target.

    Parameters
    ----------
    arrival_rate, service_rate : array_like
        :math:`\lambda` and :math:`\mu` of one server. [1/s]
    servers : array_like of int
        The server counts to consider, each at least 1.
    target_blocking : array_like
        In (0, 1) (keyword only).

    Returns
    -------
    pandas.DataFrame
        One row per point of the broadcast parameters (C order), with
        columns ``arrival_rate``, ``service_rate``, ``servers``,
        ``target_blocking``, ``capacity`` and ``waiting_places`` (capacity -
        servers, the backlog's share), both integers, ``<NA>`` where no
        finite capacity meets the target (:math:`\rho > 1` with target
        :math:`\le 1 - 1/\rho`; such points are reported, not raised, so a
        whole range can be scanned), and ``feasible``.

    See Also
    --------
    min_capacity : One point of the frontier.
    max_capacity_for_wait : The waiting-time side of the trade-off.

    References
    ----------
    .. [1] D. Gross, J. F. Shortle, J. M. Thompson, C. M. Harris, "Fundamentals
       of Queueing Theory," 4th ed., Wiley, 2008, sec. 2.5-2.6.
       doi:10.1002/9781118625651

    Examples
    --------
    >>> f = capacity_frontier(3.0, 1.0, [2, 3, 4, 6], target_blocking=1e-3)
    >>> f["capacity"].tolist()
    [<NA>, 1001, 21, 12]
    """
    import pandas as pd
    lam = _validate.nonnegative("arrival_rate", arrival_rate)
    mu = _validate.positive("service_rate", service_rate)
    c = _validate.integer("servers", servers, minimum=1)
    t = _validate.probability("target_blocking", target_blocking)
    lam, mu, c, t = (np.atleast_1d(v).ravel() for v in _validate.broadcast(
        arrival_rate=lam, service_rate=mu, servers=c, target_blocking=t))
    a = _validate.offered_load(lam, mu)
    # above c the blocking never falls below 1 - c/A, whatever the capacity
    feasible = ~((a > c) & (t * a <= a - c))
    cap = np.zeros(c.shape, dtype=np.int64)
    if feasible.any():
        cap[feasible] = np.atleast_1d(min_capacity(lam[feasible], mu[feasible], c[feasible],
                                                   target_blocking=t[feasible]))
    capacity = pd.array(cap, dtype="Int64")
    capacity[~feasible] = pd.NA
    return pd.DataFrame({"arrival_rate": lam, "service_rate": mu,
                         "servers": c.astype(np.int64), "target_blocking": t,
                         "capacity": capacity,
                         "waiting_places": capacity - pd.array(c.astype(np.int64),
                                                               dtype="Int64"),
                         "feasible": feasible})


Sensitivity = namedtuple("Sensitivity", "d_arrival_rate elasticity one_more_server one_more_place")
Sensitivity.__doc__ = """Answer of :func:`blocking_sensitivity`.

d_arrival_rate: exact derivative of the blocking in the arrival rate [s];
elasticity: d log p_K / d log lambda = K - L; one_more_server: blocking with
one more server and the same waiting room (c+1, K+1) minus now; one_more_place:
blocking with one more waiting place (c, K+1) minus now."""


@_validate.pandas_io
def blocking_sensitivity(arrival_rate, service_rate, servers, capacity):
    r"""How M/M/c/K blocking responds to load, servers and capacity.

    The load derivative is exact: every state's weight is :math:`A^n` over a
    constant, so :math:`\partial \log p_K/\partial \log A = K - L` with L the
    mean number present, and :math:`\partial p_K/\partial\lambda =
    p_K (K - L)/\lambda`.  K - L is summed as :math:`\sum_{n<K} (K-n) p_n`
    from positive parts (never as K minus L, which loses every digit as
    L -> K: at A = 1e12 on M/M/1/1 the true value is 1e-12).

    Servers and capacity are integers: their effects are the differences of
    one more.  One more place is a product, not a difference,
    :math:`p_K(K) - p_{K+1}(K+1) = p_K(K)\,p_c(K+1)\,D/c` with
    :math:`D = \sum_{n<c}(c-n)\,w_n/w_c` (the weights above c differ by
    :math:`\rho` per state, which leaves only the states below c), so it keeps
    its relative precision; one more server is the difference of two
    blockings, exact to 1e-16 absolute but not relative where the two agree
    to many digits (both near 1).

    Returns
    -------
    Sensitivity

    See Also
    --------
    MMcK : The model differentiated.
    max_arrival_rate : Uses this derivative to invert the blocking.

    References
    ----------
    .. [1] D. Gross, J. F. Shortle, J. M. Thompson, C. M. Harris, "Fundamentals
       of Queueing Theory," 4th ed., Wiley, 2008, sec. 2.5-2.6.
       doi:10.1002/9781118625651

    Examples
    --------
    >>> s = blocking_sensitivity(1.0, 1.0, 1, 1)    # B = A/(1+A): dB/dA = 1/4
    >>> float(s.d_arrival_rate)
    0.25
    """
    lam = _validate.nonnegative("arrival_rate", arrival_rate)
    mu = _validate.positive("service_rate", service_rate)
    c = _validate.integer("servers", servers, minimum=1)
    k = _validate.integer("capacity", capacity, minimum=1)
    lam, mu, c, k = _validate.broadcast(arrival_rate=lam, service_rate=mu, servers=c,
                                        capacity=k)
    _validate.at_least("capacity", k, "servers", c)
    a = _validate.offered_load(lam, mu)
    # log rho and the rounding of A from the rates, as MMcK takes them
    da = _special.load_residual(lam, mu, a)
    logs = _kf.mmck_logs(a, c, k, _kf.log_rho_rates(lam, mu, c), da)
    log_slack = _kf.log_capacity_slack(a, c, k, logs)
    elasticity = np.exp(log_slack)
    log_pk, pk = _kf.mmck_blocking_rates(lam, mu, a, c, k)
    with np.errstate(divide="ignore", invalid="ignore"):
        deriv = np.exp(log_pk + log_slack - np.log(lam))
    # At lambda = 0 only K = 1 (then c = 1) has a non-zero slope: B = A/(1+A).
    deriv = np.where(lam == 0, np.where(k == 1, 1 / mu, 0.0), deriv)
    more_server = _kf.mmck_blocking_rates(lam, mu, a, c + 1, k + 1)[1] - pk
    # B(K) - B(K+1) = B(K) p_c(K+1) D / c with D = sum_{n<c} (c-n) w_n/w_c
    # (the weights above c differ by rho per state, which leaves only the
    # states below c): a product, exact where the difference would cancel.
    up = _kf.mmck_logs(a, c, k + 1, logs["L"], da)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_pc_up = np.where(up["L"] <= 0, -up["log_w_c"],
                             -(k + 1 - c) * up["L"] - up["log_w_k"])
        log_d = _special.log_idle_ratio(c, np.where(a > 0, a, 1.0))
        more_place = -np.exp(log_pk + log_pc_up + log_d - np.log(c))
    more_place = np.where(a == 0, 0.0, more_place)
    return Sensitivity(deriv, elasticity, more_server, more_place)
