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

from . import _special, _validate
from .delay import _log_erlang_c
from .finite import MMcK, _mean_in_system, _mmck_blocking, _mmck_logs

_LIMIT = 2.0 ** 53


def _smallest_integer(ok, lo, names, what):
    """Smallest n > lo with ok(n) True, elementwise, for ok monotone in n.

    ``lo`` is known to fail (or is the bound below the domain).  Doubling
    steps find a passing value, then bisection closes the gap; every probe is
    one vectorised forward evaluation.
    """
    lo = lo.astype(float).copy()
    step = np.ones_like(lo)
    hi = lo + step
    passed = ok(hi, np.ones(lo.shape, dtype=bool))
    while not np.all(passed):
        todo = ~passed
        lo = np.where(todo, hi, lo)
        step = np.where(todo, 2 * step, step)
        hi = np.where(todo, np.minimum(lo + step, _LIMIT), hi)
        over = todo & (lo >= _LIMIT)
        if np.any(over):
            idx = tuple(np.argwhere(over)[0])
            detail = ", ".join(f"{n}={_validate._fmt(v[idx])}" for n, v in names.items())
            raise ValueError(f"no {what} up to 2**53 meets the target ({detail})")
        passed = passed | ok(hi, todo)
    # Invariant: ok(lo) is False (or lo is the lower bound), ok(hi) is True.
    while True:
        gap = hi - lo > 1
        if not np.any(gap):
            break
        mid = np.floor(lo + (hi - lo) / 2)
        good = ok(mid, gap)
        hi = np.where(gap & good, mid, hi)
        lo = np.where(gap & ~good, mid, lo)
    return hi.astype(np.int64)


def _meets(log_value, target, plain=None):
    """The probability is <= target, judged as the user sees it.

    Where the target is a normal double the comparison is made on the plain
    value (``plain``, or exp(log_value)), which is what erlang_b, erlang_c
    and MMcK.blocking return, so the answer agrees with them even at a tie;
    below that only the log form carries the value.
    """
    tiny = np.finfo(float).tiny
    if plain is None:
        with np.errstate(under="ignore"):
            plain = np.exp(log_value)
    return np.where(target >= tiny, plain <= target, log_value <= np.log(target))


def erlang_b_servers(offered_load, target_blocking, continuous=False):
    r"""Smallest number of servers c with Erlang B blocking at most the target.

    Parameters
    ----------
    offered_load : array_like
        A, at least 0. [erlang]
    target_blocking : array_like
        Largest acceptable blocking, strictly between 0 and 1.

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
    >>> int(erlang_b_servers(10.0, 0.05))
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
    return _validate.scalar(np.where(a == 0, 0.0, hi))


def erlang_c_servers(offered_load, target_p_wait):
    r"""Smallest number of servers c with Erlang C waiting probability at most
    the target.

    Parameters
    ----------
    offered_load : array_like
        A, at least 0. [erlang]
    target_p_wait : array_like
        Largest acceptable probability of waiting, strictly between 0 and 1.

    Returns
    -------
    servers : int or ndarray of int
        The smallest c >= 1 with :math:`C(c, A) \le` target; always c > A.

    Raises
    ------
    ValueError
        For a negative, NaN or infinite load, a target outside (0, 1), shapes
        that do not broadcast, or an answer beyond 2**53.

    References
    ----------
    .. [1] V. B. Iversen, "Teletraffic Engineering and Network Planning,"
       Technical University of Denmark, 2015, ch. 9.

    Examples
    --------
    >>> int(erlang_c_servers(10.0, 0.2))
    14
    """
    # C = 1 for every c <= A, so the search starts at floor(A).
    return _fewest_servers(_log_erlang_c, offered_load, target_p_wait, "target_p_wait",
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
            out[mask] = _meets(log_prob(n[mask], a[mask]), t[mask])
        return out

    lo = np.floor(a) if start is None else np.full(a.shape, float(start))
    res = _smallest_integer(ok, lo, {"offered_load": a, target_name: t}, "server count")
    return _validate.scalar(res)


def erlang_b_load(servers, target_blocking):
    r"""Offered load at which c servers block exactly the target share.

    Parameters
    ----------
    servers : array_like of int
        c, at least 1.
    target_blocking : array_like
        Blocking, strictly between 0 and 1.

    Returns
    -------
    offered_load : float or ndarray
        The A with :math:`B(c, A) =` target. [erlang]

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
    >>> round(float(erlang_b_load(15, 0.036497)), 3)
    10.0
    """
    c = _validate.integer("servers", servers, minimum=1)
    t = _validate.probability("target_blocking", target_blocking)
    c, t = _validate.broadcast(servers=c, target_blocking=t)
    log_t = np.log(t)
    lo = (log_t + gammaln(c + 1)) / c          # log A with A^c/c! = t: B <= t
    hi = np.log(c) - np.log1p(-t)              # log A with 1 - c/A = t: B > t
    return _validate.scalar(_solve_load(_erlang_b_and_slope(c), log_t, lo, hi))


def _erlang_b_and_slope(c):
    def fn(a):
        log_b, log_z, _ = _special.log_erlang_b_parts(c, a)
        # d log B / d log A = c - A (1 - B), and A (1 - B) = A Z B.
        return log_b, c - np.exp(np.log(a) + log_z + log_b)
    return fn


def _solve_load(log_prob_and_slope, log_t, lo, hi):
    """The A with log_prob(A) = log_t, for a probability rising in A whose
    log-log slope is known: safeguarded Newton inside [exp(lo), exp(hi)].

    The iterate is kept as A itself, not log A: a Newton step multiplies A by
    exp(-step), so the root is found to an ulp of A, not of log A (which
    would cost |log A| ulps, 1e-13 at A = 1e-200).
    """
    a = np.exp(0.5 * (lo + hi))
    for _ in range(200):
        log_p, slope = log_prob_and_slope(a)
        f = log_p - log_t
        x = np.log(a)
        lo = np.where(f < 0, np.maximum(lo, x), lo)
        hi = np.where(f > 0, np.minimum(hi, x), hi)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            step = f / slope
            newton = a * np.exp(-step)
        inside = (x - step > lo) & (x - step < hi) & np.isfinite(newton) & (newton > 0)
        nxt = np.where(inside, newton, np.exp(0.5 * (lo + hi)))
        done = (np.abs(step) <= 2e-16) | (f == 0)
        a = np.where(done, a, nxt)
        if np.all(done):
            break
    return a


def _mmck_mean_in_system(a, c, k):
    return _mean_in_system(_mmck_logs(a, c, k), c)


def max_arrival_rate(service_rate, servers, capacity, target_blocking):
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
        In (0, 1).

    Returns
    -------
    arrival_rate : float or ndarray
        The :math:`\lambda` with :math:`p_K = ` target. [1/s]

    Notes
    -----
    :math:`p_K` rises with the load, and in closed form
    :math:`\partial \log p_K / \partial \log A = K - L` (every state's
    weight is :math:`A^n` over a constant, so the log-derivative of the
    normaliser is the mean number present L), so the root is found by the
    same safeguarded Newton iteration as :func:`erlang_b_load`, bracketed by
    :math:`p_K \le A^K/(c!\,c^{K-c})` and :math:`p_K \ge 1 - c/A`.

    Examples
    --------
    >>> lam = max_arrival_rate(1.0, 1, 10, 0.0508137313274124)
    >>> round(float(lam), 9)          # M/M/1/10 blocks 5.08 % at rho = 0.9
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
        return _mmck_blocking(a, c, k)[0], k - _mmck_mean_in_system(a, c, k)

    return _validate.scalar(_solve_load(fn, log_t, lo, hi) * mu)


def min_capacity(arrival_rate, service_rate, target_blocking, servers=1):
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
    target_blocking : array_like
        Largest acceptable refusal probability, strictly between 0 and 1.
    servers : array_like of int, default 1
        c, at least 1.

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

    Examples
    --------
    >>> int(min_capacity(0.9, 1.0, 0.01))   # 0.1*0.9**23/(1-0.9**24) = 0.0096
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
            f"service_rate={mu[idx]!r}, servers={_validate._fmt(c[idx])}): no "
            f"finite capacity gives blocking <= {t[idx]!r}")

    def ok(k, mask):
        out = np.ones(k.shape, dtype=bool)
        if np.any(mask):
            log_pk, pk = _mmck_blocking(a[mask], c[mask], k[mask])
            out[mask] = _meets(log_pk, t[mask], pk)
        return out

    res = _smallest_integer(ok, c - 1, {"arrival_rate": lam, "service_rate": mu,
                            "servers": c, "target_blocking": t}, "capacity")
    return _validate.scalar(res)


CapacityFrontier = namedtuple("CapacityFrontier", "servers capacity waiting_places feasible")
CapacityFrontier.__doc__ = """Answer of :func:`capacity_frontier`, one entry per server count.

servers: the server counts; capacity: the smallest K meeting the target
(``inf`` where no finite K does); waiting_places: capacity - servers (the
backlog's share, ``inf`` likewise); feasible: where a finite K exists."""


def capacity_frontier(arrival_rate, service_rate, target_blocking, servers):
    r"""The workers-versus-backlog trade-off: for each number of servers, the
    smallest capacity K with M/M/c/K blocking at most the target.

    Parameters
    ----------
    arrival_rate, service_rate : float
        :math:`\lambda` and :math:`\mu` of one server. [1/s]
    target_blocking : float
        In (0, 1).
    servers : array_like of int
        The server counts to consider, each at least 1.

    Returns
    -------
    CapacityFrontier
        Server counts whose load exceeds what any capacity can hold at the
        target (:math:`\rho > 1` with target :math:`\le 1 - 1/\rho`) get
        ``inf`` rather than an error, so a whole range can be scanned.

    Examples
    --------
    >>> f = capacity_frontier(3.0, 1.0, 1e-3, [2, 3, 4, 6])
    >>> f.capacity.tolist()
    [inf, 1001.0, 21.0, 12.0]
    """
    lam = float(_validate.nonnegative("arrival_rate", arrival_rate))
    mu = float(_validate.positive("service_rate", service_rate))
    t = float(_validate.probability("target_blocking", target_blocking))
    c = np.atleast_1d(_validate.integer("servers", servers, minimum=1))
    a = lam / mu
    feasible = ~((a > c) & (t <= (a - c) / a))
    cap = np.full(c.shape, np.inf)
    if feasible.any():
        cap[feasible] = min_capacity(lam, mu, t, servers=c[feasible])
    return CapacityFrontier(c.astype(np.int64), cap, cap - c, feasible)


Sensitivity = namedtuple("Sensitivity", "d_arrival_rate elasticity one_more_server one_more_place")
Sensitivity.__doc__ = """Answer of :func:`blocking_sensitivity`.

d_arrival_rate: exact derivative of the blocking in the arrival rate [s];
elasticity: d log p_K / d log lambda = K - L; one_more_server: blocking with
one more server and the same waiting room (c+1, K+1) minus now; one_more_place:
blocking with one more waiting place (c, K+1) minus now."""


def blocking_sensitivity(arrival_rate, service_rate, servers, capacity):
    r"""How M/M/c/K blocking responds to load, servers and capacity.

    The load derivative is exact: every state's weight is :math:`A^n` over a
    constant, so :math:`\partial \log p_K/\partial \log A = K - L` with L the
    mean number present, and :math:`\partial p_K/\partial\lambda =
    p_K (K - L)/\lambda`.  Servers and capacity are integers: their effects
    are the differences of one more.

    Returns
    -------
    Sensitivity

    Examples
    --------
    >>> s = blocking_sensitivity(1.0, 1.0, 1, 1)    # B = A/(1+A): dB/dA = 1/4
    >>> float(s.d_arrival_rate)
    0.25
    """
    q = MMcK(arrival_rate, service_rate, servers, capacity)
    lam, mu, c, k = q._lam, q._mu, q._c, q._k
    a = q._a
    mean_n = _mmck_mean_in_system(a, c, k)
    elasticity = k - mean_n
    pk = q._blocking[1]
    with np.errstate(divide="ignore", invalid="ignore"):
        deriv = pk * elasticity / lam
    # At lambda = 0 only K = 1 (then c = 1) has a non-zero slope: B = A/(1+A).
    deriv = np.where(lam == 0, np.where(k == 1, 1 / mu, 0.0), deriv)
    more_server = _mmck_blocking(a, c + 1, k + 1)[1] - pk
    more_place = _mmck_blocking(a, c, k + 1)[1] - pk
    return Sensitivity(_validate.scalar(deriv), _validate.scalar(elasticity),
                       _validate.scalar(more_server), _validate.scalar(more_place))
