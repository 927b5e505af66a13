r"""Dimensioning: the inverse questions an analyst asks of the closed forms.

How many servers keep blocking (or waiting) below a target, what load a given
number of servers absorbs, and what capacity (workers + backlog) makes
refusals rare.  Integer answers are the smallest integer that meets the
target, found by exponential then binary search on the exact forward
functions, so they are right at the integer boundary whenever the forward
value is; the load inverse is a safeguarded Newton iteration on
:math:`\log A`.
"""
import numpy as np

from scipy.special import gammaln

from . import _special, _validate
from .delay import _log_erlang_c
from .finite import _mmck_blocking

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


def erlang_b_servers(offered_load, target_blocking):
    r"""Smallest number of servers c with Erlang B blocking at most the target.

    Parameters
    ----------
    offered_load : array_like
        A, at least 0. [erlang]
    target_blocking : array_like
        Largest acceptable blocking, strictly between 0 and 1.

    Returns
    -------
    servers : int or ndarray of int
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
    return _fewest_servers(_log_erlang_b, offered_load, target_blocking, "target_blocking",
                           start=0)


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
    # The iterate is kept as A itself, not log A: a Newton step multiplies A
    # by exp(-step), so the root is found to an ulp of A, not of log A
    # (which would cost |log A| ulps, 1e-13 at A = 1e-200).
    a = np.exp(0.5 * (lo + hi))
    for _ in range(200):
        log_b, log_z, _ = _special.log_erlang_b_parts(c, a)
        f = log_b - log_t
        x = np.log(a)
        lo = np.where(f < 0, np.maximum(lo, x), lo)
        hi = np.where(f > 0, np.minimum(hi, x), hi)
        # d log B / d log A = c - A (1 - B), and A (1 - B) = A Z B.
        slope = c - np.exp(x + log_z + log_b)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            step = f / slope
            newton = a * np.exp(-step)
        inside = (x - step > lo) & (x - step < hi) & np.isfinite(newton) & (newton > 0)
        nxt = np.where(inside, newton, np.exp(0.5 * (lo + hi)))
        done = (np.abs(step) <= 2e-16) | (f == 0)
        a = np.where(done, a, nxt)
        if np.all(done):
            break
    return _validate.scalar(a)


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
