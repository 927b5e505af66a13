r"""The TCP accept queue: per-OS backlog rules, overflow behaviour, client
retries, and login-storm transients.

A listening server with ``workers`` threads calling ``accept()`` and handling
one connection each, and an accept queue that holds the completed connections
no worker has taken yet, is an M/M/c/K queue with c = workers and
K = workers + accept-queue capacity.  What that capacity is for a given
``listen(backlog)`` differs by operating system, and so does what happens to
a connection attempt that finds the queue full.

Sourced facts encoded here (see also ``shared/reference/tcp-backlog.md``):

* Linux: the queue is full when ``sk_ack_backlog > sk_max_ack_backlog`` (a
  strict ``>``, ``include/net/sock.h``, ``sk_acceptq_is_full``; kept on purpose,
  commit 64a146513f8f), so it holds ``min(backlog, somaxconn) + 1``;
  ``net.core.somaxconn`` is 4096 since Linux 5.4 (commit 19f92a030ca6) and
  128 before.  A SYN meeting a full queue is dropped silently
  (``tcp_conn_request``); the client retransmits its SYN after 1, 2, 4, ... s
  (``tcp_syn_retries`` = 6: tries at 0, 1, 3, 7, 15, 31, 63 s, failure at
  127 s); since Linux 6.5 ``tcp_syn_linear_timeouts`` = 4 makes the first four
  retries 1 s apart (0, 1, 2, 3, 4, 5, 7, 11, 19, 35, 67 s; ~131 s).
* 4.4BSD, FreeBSD, macOS: ``sonewconn`` refuses when the queue exceeds
  ``3 * qlimit / 2`` (integer arithmetic), so it holds ``floor(3 b / 2) + 1``
  with b clamped to ``kern.ipc.somaxconn`` (128).  Overflow drops the SYN.
* Windows: the backlog is clamped silently to the edition's maximum (KB
  Q127144, Q113576): NT 3.1 SP3 60, NT 3.5/3.51 100, NT 4.0 Workstation 5,
  NT 4.0 Server 200, Windows 2000 Professional 5, Windows 2000 Server 200.
  A full queue answers with a TCP reset (KB Q181350, Q113576), and the client
  stack re-sends its SYN after a reset a few times at a fixed interval (KB
  175523: 3 extra tries by default; the interval, about 0.5 s, is
  unconfirmed and a parameter here).

References
----------
.. [1] Microsoft KB Q181350, "Clients Fail to Connect to Notes Server Running
   on Windows NT Server"; KB Q127144, "Windows NT WinSock Listen (Backlog)
   Parameter Limit"; KB Q113576; KB 175523, "Winsock TCP Connection
   Performance to Unused Ports".
.. [2] Linux, ``include/net/sock.h`` (``sk_acceptq_is_full``),
   ``net/ipv4/tcp_input.c`` (``tcp_conn_request``),
   ``Documentation/networking/ip-sysctl``.
.. [3] M. K. McKusick et al., "The Design and Implementation of the 4.4BSD
   Operating System," Addison-Wesley, 1996 (``sonewconn``); FreeBSD
   ``sys/kern/uipc_socket.c``.
"""
from collections import namedtuple

import numpy as np

from . import _validate
from .finite import MMcK, _mmck_blocking

# name: (family, largest effective backlog or None, default somaxconn)
_OS = {
    "linux": ("linux", None, 4096),
    "linux-pre-5.4": ("linux", None, 128),
    "freebsd": ("bsd", None, 128),
    "macos": ("bsd", None, 128),
    "4.4bsd": ("bsd", None, 128),
    "windows-nt-3.1-sp3": ("windows", 60, None),
    "windows-nt-3.5": ("windows", 100, None),
    "windows-nt-3.51": ("windows", 100, None),
    "windows-nt-4.0-workstation": ("windows", 5, None),
    "windows-nt-4.0-server": ("windows", 200, None),
    "windows-2000-professional": ("windows", 5, None),
    "windows-2000-server": ("windows", 200, None),
}
KNOWN_OS = tuple(_OS)

#: What a connection attempt meets when the accept queue is full.
OVERFLOW = {"linux": "drop", "bsd": "drop", "windows": "reset"}


def _os_info(os):
    key = str(os).lower()
    if key not in _OS:
        raise ValueError(f"os must be one of {', '.join(KNOWN_OS)}; got {os!r}")
    return _OS[key]


def _somaxconn(family, default, somaxconn):
    if family == "windows":
        if somaxconn is not None:
            raise ValueError("somaxconn applies to Linux and BSD only, got "
                             f"somaxconn={somaxconn!r} for a Windows edition")
        return None
    if somaxconn is None:
        return float(default)
    return _validate.integer("somaxconn", somaxconn, minimum=0)


def accept_queue_capacity(backlog, os="linux", somaxconn=None):
    r"""How many completed connections wait for ``accept()`` after
    ``listen(backlog)``.

    Parameters
    ----------
    backlog : array_like of int
        The ``listen()`` argument, at least 0.
    os : str, default "linux"
        One of ``"linux"`` (somaxconn 4096, Linux >= 5.4),
        ``"linux-pre-5.4"`` (somaxconn 128), ``"freebsd"``, ``"macos"``,
        ``"4.4bsd"``, ``"windows-nt-3.1-sp3"``, ``"windows-nt-3.5"``,
        ``"windows-nt-3.51"``, ``"windows-nt-4.0-workstation"``,
        ``"windows-nt-4.0-server"``, ``"windows-2000-professional"``,
        ``"windows-2000-server"``.
    somaxconn : int, optional
        The system's ``net.core.somaxconn`` (Linux) or ``kern.ipc.somaxconn``
        (BSD), if not the default; not used for Windows.

    Returns
    -------
    int or ndarray of int
        Linux: ``min(backlog, somaxconn) + 1``; BSD:
        ``floor(3 min(backlog, somaxconn) / 2) + 1``; Windows:
        ``min(backlog, edition maximum)``.

    Examples
    --------
    >>> int(accept_queue_capacity(5, os="linux")), int(accept_queue_capacity(0, os="linux"))
    (6, 1)
    >>> int(accept_queue_capacity(5, os="freebsd"))
    8
    >>> int(accept_queue_capacity(1000, os="windows-nt-4.0-server"))
    200
    """
    family, cap, default = _os_info(os)
    smax = _somaxconn(family, default, somaxconn)
    b = _validate.integer("backlog", backlog, minimum=0)
    if family == "linux":
        q = np.minimum(b, smax) + 1
    elif family == "bsd":
        q = np.floor(3 * np.minimum(b, smax) / 2) + 1
    else:
        q = np.minimum(b, cap)
    return _validate.scalar(q.astype(np.int64))


def os_max_backlog(os="linux", somaxconn=None):
    """The largest backlog that still changes the queue (the OS clamps above)."""
    family, cap, default = _os_info(os)
    smax = _somaxconn(family, default, somaxconn)
    return int(cap if family == "windows" else smax)


def _backlog_for(queue, family, cap, smax):
    """Smallest backlog whose accept queue holds at least ``queue``."""
    if family == "linux":
        b = np.maximum(queue - 1, 0)
    elif family == "bsd":
        # floor(3b/2) + 1 >= q  <=>  b >= 2(q-1)/3
        b = np.ceil(2 * np.maximum(queue - 1, 0) / 3)
    else:
        b = queue
    limit = cap if family == "windows" else smax
    return b, b <= limit, limit


class ListenQueue:
    r"""A listening socket's accept queue as an M/M/c/K queue.

    Parameters
    ----------
    arrival_rate : array_like
        Connection attempts per second, at least 0. [1/s]
    service_rate : array_like
        Connections one worker handles per second, greater than 0. [1/s]
    workers : array_like of int
        Threads accepting and serving, at least 1.
    backlog : array_like of int
        The ``listen()`` backlog, at least 0.
    os : str, default "linux"
        See :func:`accept_queue_capacity` for the names.
    somaxconn : int, optional
        Linux/BSD system limit, if not the default.

    Attributes
    ----------
    accept_queue : int or ndarray
        Completed connections the queue holds (:func:`accept_queue_capacity`).
    capacity : int or ndarray
        K = workers + accept_queue.
    refusal_probability : float or ndarray
        Share of connection attempts that find the queue full (M/M/c/K
        blocking, by PASTA).  On Windows each is refused with a reset; on
        Linux and BSD the SYN is dropped and the client retries later.
    log_refusal_probability : float or ndarray
    mean_accept_delay : float or ndarray
        Mean time an admitted connection waits in the accept queue before a
        worker accepts it (M/M/c/K ``mean_wait``). [s]
    overflow : str
        ``"reset"`` (Windows) or ``"drop"`` (Linux, BSD).
    model : MMcK
        The queue, for every other quantity (throughput, utilization, ...).

    Notes
    -----
    The model takes the first attempt of each client as the arrival stream;
    retries add load, which :func:`queuemath.tcp.simulate_storm` simulates.

    Examples
    --------
    >>> q = ListenQueue(45.0, 50.0, workers=1, backlog=5, os="windows-nt-4.0-server")
    >>> round(float(q.refusal_probability), 4), q.overflow
    (0.1019, 'reset')
    """

    def __init__(self, arrival_rate, service_rate, workers, backlog, os="linux",
                 somaxconn=None):
        family, _, _ = _os_info(os)
        self.os = str(os).lower()
        self.overflow = OVERFLOW[family]
        queue = np.asarray(accept_queue_capacity(backlog, os=os, somaxconn=somaxconn))
        c = _validate.integer("workers", workers, minimum=1)
        c, queue = _validate.broadcast(workers=c, backlog=queue.astype(float))
        self.model = MMcK(arrival_rate, service_rate, c, c + queue)
        self.accept_queue = _validate.scalar(queue.astype(np.int64))
        self.capacity = self.model.capacity

    @property
    def refusal_probability(self):
        return self.model.blocking

    @property
    def log_refusal_probability(self):
        return self.model.log_blocking

    @property
    def mean_accept_delay(self):
        return self.model.mean_wait

    def __repr__(self):
        return (f"ListenQueue(accept_queue={_validate.show(self.accept_queue, int)}, "
                f"os={self.os!r}, model={self.model!r})")


BacklogAdvice = namedtuple(
    "BacklogAdvice", "backlog accept_queue refusal_probability sufficient os_max_backlog")
BacklogAdvice.__doc__ = """Answer of :func:`min_backlog`.

backlog: the smallest backlog meeting the target, or the OS maximum where
none does; accept_queue: the queue it gives; refusal_probability: at that
backlog; sufficient: whether the target is met; os_max_backlog: the largest
backlog the OS honours."""


def min_backlog(arrival_rate, service_rate, workers, target_refusal, os="linux",
                somaxconn=None):
    r"""The smallest ``listen()`` backlog whose refusal probability is at most
    the target: "what backlog do I need?".

    Parameters
    ----------
    arrival_rate, service_rate : array_like
        As in :class:`ListenQueue`. [1/s]
    workers : array_like of int
        At least 1.
    target_refusal : array_like
        Largest acceptable share of refused attempts, in (0, 1).
    os, somaxconn
        As in :func:`accept_queue_capacity`.

    Returns
    -------
    BacklogAdvice
        Where no backlog the OS allows suffices (the OS clamps it, or the
        load is beyond what any queue can absorb), ``sufficient`` is False and
        ``backlog`` is the OS maximum, with its refusal probability: the cap
        is reported, not exceeded.

    Examples
    --------
    >>> a = min_backlog(45.0, 50.0, 1, 1e-6, os="windows-nt-4.0-server")
    >>> int(a.backlog), bool(a.sufficient)
    (109, True)
    >>> a = min_backlog(45.0, 50.0, 1, 1e-6, os="windows-nt-4.0-workstation")
    >>> int(a.backlog), bool(a.sufficient), round(float(a.refusal_probability), 3)
    (5, False, 0.102)
    """
    from .dimension import _smallest_integer, _meets
    family, cap, default = _os_info(os)
    smax = _somaxconn(family, default, somaxconn)
    lam = _validate.nonnegative("arrival_rate", arrival_rate)
    mu = _validate.positive("service_rate", service_rate)
    c = _validate.integer("workers", workers, minimum=1)
    t = _validate.probability("target_refusal", target_refusal)
    lam, mu, c, t = _validate.broadcast(arrival_rate=lam, service_rate=mu, workers=c,
                                        target_refusal=t)
    a = _validate.offered_load(lam, mu)
    limit = cap if family == "windows" else smax
    max_queue = np.asarray(accept_queue_capacity(np.full(a.shape, limit), os=os,
                                                 somaxconn=somaxconn), dtype=float)
    log_pk, pk = _mmck_blocking(a, c, c + max_queue)
    enough = _meets(log_pk, t, pk)
    queue = max_queue.copy()
    if enough.any():
        # Smallest accept queue q (>= the OS minimum) that meets the target.
        q_min = np.asarray(accept_queue_capacity(np.zeros(a.shape), os=os,
                                                 somaxconn=somaxconn), dtype=float)

        def ok(q, mask):
            out = np.ones(q.shape, dtype=bool)
            sel = mask & enough
            if sel.any():
                lp, p = _mmck_blocking(a[sel], c[sel], c[sel] + q[sel])
                out[sel] = _meets(lp, t[sel], p)
            return out
        q_found = _smallest_integer(ok, q_min - 1, {"arrival_rate": lam}, "queue").astype(float)
        queue = np.where(enough, np.minimum(q_found, max_queue), max_queue)
    backlog, _, _ = _backlog_for(queue, family, cap, smax)
    backlog = np.where(enough, backlog, limit)
    queue = np.asarray(accept_queue_capacity(backlog, os=os, somaxconn=somaxconn), dtype=float)
    _, refusal = _mmck_blocking(a, c, c + queue)
    return BacklogAdvice(_validate.scalar(backlog.astype(np.int64)),
                         _validate.scalar(queue.astype(np.int64)),
                         _validate.scalar(refusal), _validate.scalar(enough), limit)


# -- login storms: the transient ----------------------------------------------

class StormResult:
    """Outcome of :func:`login_storm` (exact transient of the queue).

    Attributes: ``times`` [s]; ``refusal_probability`` (chance that an attempt
    at each time finds the queue full); ``mean_in_system``;
    ``expected_attempts`` and ``expected_refused`` (over the whole horizon);
    ``refused_share``; ``refusals_end``: the first time after which the
    refusal probability stays below ``threshold`` (0 if it never reaches
    it); ``capacity``.
    """

    def __init__(self, times, probs, attempts, refused, threshold, capacity):
        self.times = times
        self.state_probabilities = probs
        self.refusal_probability = probs[:, -1]
        self.mean_in_system = probs @ np.arange(probs.shape[1])
        self.expected_attempts = float(attempts)
        self.expected_refused = float(refused)
        self.refused_share = float(refused / attempts) if attempts > 0 else 0.0
        self.threshold = threshold
        self.capacity = int(capacity)
        above = np.flatnonzero(self.refusal_probability >= threshold)
        self.refusals_end = float(times[above[-1] + 1]) if above.size and above[-1] + 1 < times.size \
            else (float(times[-1]) if above.size else 0.0)

    def __repr__(self):
        return (f"StormResult(capacity={self.capacity}, expected_attempts="
                f"{self.expected_attempts:.6g}, expected_refused={self.expected_refused:.6g}, "
                f"refusals_end={self.refusals_end:.4g} s)")


def login_storm(clients, duration, service_rate, workers, backlog, os="linux", somaxconn=None,
                background_rate=0.0, rate_function=None, horizon=None, points=401,
                threshold=1e-3, initial=0):
    r"""A login storm into the accept queue, solved exactly as a transient.

    ``clients`` first attempts arrive as a Poisson stream of rate
    ``clients / duration`` during ``[0, duration)`` (plus a constant
    ``background_rate``), or at any rate :math:`\lambda(t)` given as
    ``rate_function``, into an initially empty M/M/c/K queue with
    K = workers + accept-queue capacity.  The forward (Kolmogorov) equations
    :math:`p'(t) = p(t) Q(t)` of the birth-death chain, together with the
    expected numbers of attempts and refusals
    :math:`\int \lambda(t) p_K(t)\,dt`, are integrated by
    ``scipy.integrate.solve_ivp`` (BDF, relative tolerance 1e-10, the sparse
    tridiagonal Jacobian given), piece by piece so that no step straddles the
    end of the storm.

    Parameters
    ----------
    clients : float
        N, expected first attempts in the storm, at least 0.
    duration : float
        T, the storm's length, greater than 0. [s]
    service_rate : float
        Connections one worker handles per second. [1/s]
    workers : int
        At least 1.
    backlog : int
        The ``listen()`` backlog.
    os, somaxconn
        As in :func:`accept_queue_capacity`.
    background_rate : float, default 0
        Steady attempts besides the storm. [1/s]
    rate_function : callable, optional
        :math:`\lambda(t)` in attempts per second, replacing the storm's
        shape (``clients`` and ``duration`` then only set the default
        horizon); must be non-negative.
    horizon : float, optional
        End of the computation; default three storm lengths plus ten mean
        service times per queued place.
    points : int, default 401
        Times at which the state is reported.
    threshold : float, default 1e-3
        Refusal probability below which refusals count as stopped.
    initial : int or array_like, default 0
        The state at t = 0: a number present (e.g. a backlog already
        half full when the storm begins), or a probability vector over
        0..K (e.g. a stationary distribution).

    Returns
    -------
    StormResult

    Notes
    -----
    First attempts only: retries by refused clients (Windows) or dropped
    SYNs retransmitted (Linux, BSD) come back later and add load; see
    :func:`simulate_storm`.  Poisson arrivals at rate N/T stand for N clients
    logging in at independent uniform times in [0, T] (the same mean count);
    the simulation uses the uniform times themselves.

    Examples
    --------
    >>> r = login_storm(300, 2.0, 50.0, 1, 5, os="windows-nt-4.0-server")
    >>> round(r.expected_refused)          # of 300 first attempts
    195
    >>> r = login_storm(300, 2.0, 50.0, 1, 200, os="windows-nt-4.0-server")
    >>> round(r.expected_refused)
    8
    """
    from scipy import sparse
    from scipy.integrate import solve_ivp
    n_clients = float(_validate.nonnegative("clients", clients))
    t_storm = float(_validate.positive("duration", duration))
    mu = float(_validate.positive("service_rate", service_rate))
    c = int(_validate.integer("workers", workers, minimum=1))
    bg = float(_validate.nonnegative("background_rate", background_rate))
    q = int(accept_queue_capacity(backlog, os=os, somaxconn=somaxconn))
    k = c + q
    if horizon is None:
        horizon = 3 * t_storm + 10 * (q + 1) / (c * mu)
    horizon = float(_validate.positive("horizon", horizon))
    npts = int(_validate.integer("points", points, minimum=2))

    if rate_function is None:
        def rate(t):
            return bg + (n_clients / t_storm if t < t_storm else 0.0)
        breaks = [0.0, min(t_storm, horizon), horizon]
    else:
        grid = np.linspace(0.0, horizon, 4 * npts)
        values = np.asarray([rate_function(x) for x in grid], dtype=float)
        if not np.all(np.isfinite(values)) or np.any(values < 0):
            bad = grid[np.flatnonzero(~(values >= 0) | ~np.isfinite(values))[0]]
            raise ValueError(f"rate_function must return finite rates >= 0, got "
                             f"{rate_function(bad)!r} at t={bad!r}")

        def rate(t):
            return float(rate_function(t))
        breaks = [0.0, horizon]
    breaks = sorted(set(breaks))
    states = np.arange(k + 1)
    death = mu * np.minimum(states, c)

    def generator_t(lam):
        # Q^T for p' = Q^T p: births lam (below K), deaths mu min(n, c).
        birth = np.where(states < k, lam, 0.0)
        diag = -(birth + death)
        return sparse.diags([birth[:-1], diag, death[1:]], [-1, 0, 1], format="csc")

    def rhs(t, y):
        lam = rate(t)
        p = y[:-2]
        dp = generator_t(lam) @ p
        return np.concatenate([dp, [lam, lam * p[-1]]])

    def jac(t, y):
        a = generator_t(rate(t))
        lam = rate(t)
        top = sparse.hstack([a, sparse.csc_matrix((k + 1, 2))])
        row1 = sparse.csc_matrix((1, k + 3))
        last = np.zeros(k + 3)
        last[k] = lam
        row2 = sparse.csc_matrix(last)
        return sparse.vstack([top, row1, row2]).tocsc()

    times = np.linspace(0.0, horizon, npts)
    y = np.zeros(k + 3)
    y[:-2] = _initial_state(initial, k)
    out = np.zeros((npts, k + 1))
    out[0] = y[:-2]
    for lo, hi in zip(breaks[:-1], breaks[1:]):
        inside = (times > lo) & (times < hi)
        t_eval = np.concatenate([times[inside], [hi]])
        sol = solve_ivp(rhs, (lo, hi), y, method="BDF", t_eval=t_eval, jac=jac,
                        rtol=1e-10, atol=1e-13, max_step=(hi - lo) / 20)
        if not sol.success:  # pragma: no cover
            raise RuntimeError(f"the transient solver failed: {sol.message}")
        out[inside] = sol.y[:-2, :-1].T
        out[times == hi] = sol.y[:-2, -1]
        y = sol.y[:, -1]
    probs = np.clip(out, 0.0, 1.0)   # the solver's own tolerance may leave -1e-14
    return StormResult(times, probs, y[-2], y[-1], threshold, k)


def _initial_state(initial, k):
    arr = np.asarray(initial, dtype=float)
    if arr.ndim == 0:
        n0 = _validate.integer("initial", initial, minimum=0)
        if n0 > k:
            raise ValueError(f"initial must be a number present in 0..K={k}, got {int(n0)}")
        p = np.zeros(k + 1)
        p[int(n0)] = 1.0
        return p
    if arr.shape != (k + 1,) or not np.all(np.isfinite(arr)) or np.any(arr < 0) \
            or abs(arr.sum() - 1) > 1e-9:
        raise ValueError(f"initial must be a probability vector over 0..K={k} "
                         f"(length {k + 1}, summing to 1), got shape {arr.shape}")
    return arr


# -- what clients do after a refusal or a dropped SYN ----------------------------

#: Retries after a dropped SYN (no answer), as offsets from the first SYN [s],
#: and when the client gives up: Linux ``tcp_syn_retries`` = 6 with a 1 s RTO
#: doubling; Linux >= 6.5 with ``tcp_syn_linear_timeouts`` = 4 (as measured on
#: a 6.x kernel); Windows 2000/2003 ``TcpMaxConnectRetransmissions`` = 2 with a
#: 3 s initial RTO doubling.
SYN_RETRIES = {
    "linux": ((1, 3, 7, 15, 31, 63), 127.0),
    "linux-6.5": ((1, 2, 3, 4, 5, 7, 11, 19, 35, 67), 131.0),
    "windows": ((3, 9), 21.0),
}


def retry_schedule(os="linux", client=None, reset_interval=0.5, reset_retries=3):
    """When a client whose attempt overflowed the server's queue tries again.

    Parameters
    ----------
    os : str
        The server's OS (see :func:`accept_queue_capacity`): it decides
        whether the attempt is refused with a reset (Windows) or its SYN
        dropped (Linux, BSD).
    client : {"linux", "linux-6.5", "windows"}, optional
        The client's stack; default "windows" for a Windows server, else
        "linux".
    reset_interval : float, default 0.5
        Windows clients re-send a SYN after a reset at this fixed interval
        (KB 175523; the value is unconfirmed, hence a parameter). [s]
    reset_retries : int, default 3
        How many times (KB 175523's registry default).

    Returns
    -------
    (offsets, give_up) : (tuple of float, float)
        Retry times after the first attempt, and when the client stops.

    Examples
    --------
    >>> retry_schedule("windows-nt-4.0-server")
    ((0.5, 1.0, 1.5), 1.5)
    >>> retry_schedule("linux")
    ((1, 3, 7, 15, 31, 63), 127.0)
    """
    family, _, _ = _os_info(os)
    if client is None:
        client = "windows" if family == "windows" else "linux"
    if client not in SYN_RETRIES:
        raise ValueError(f"client must be one of {', '.join(SYN_RETRIES)}; got {client!r}")
    if OVERFLOW[family] == "reset":
        if client != "windows":
            return (), 0.0      # a Linux connect() fails at once on a reset
        interval = float(_validate.positive("reset_interval", reset_interval))
        n = int(_validate.integer("reset_retries", reset_retries, minimum=0))
        offsets = tuple(interval * (i + 1) for i in range(n))
        return offsets, (offsets[-1] if offsets else 0.0)
    return SYN_RETRIES[client]


class StormSimulation:
    """Outcome of :func:`simulate_storm`, pooled over replications.

    ``connect_delay``: time from a client's first attempt to its admission
    into the accept queue, for the clients that got in [s]; ``attempts``:
    attempts each client made; ``failed_share``: clients that gave up;
    ``first_try_share``; ``attempt_shares``: share of clients admitted at
    attempt 1, 2, ...; ``refused_attempts``: mean refused or dropped
    attempts per replication; ``delay_quantiles``: 50/90/99% and max.
    """

    def __init__(self, delays, tries, connected, replications):
        d = np.concatenate(delays)
        a = np.concatenate(tries)
        ok = np.concatenate(connected)
        self.replications = replications
        self.clients = int(d.size)
        self.connect_delay = d[ok]
        self.attempts = a
        self.failed_share = float(1 - ok.mean()) if d.size else 0.0
        self.first_try_share = float(np.mean(ok & (a == 1))) if d.size else 0.0
        top = int(a.max()) if a.size else 0
        self.attempt_shares = tuple(float(np.mean(ok & (a == i))) for i in range(1, top + 1))
        self.refused_attempts = float((a.sum() - ok.sum()) / replications)
        self.per_replication_refused = np.array(
            [t.sum() - c.sum() for t, c in zip(tries, connected)], dtype=float)
        qs = np.quantile(self.connect_delay, [0.5, 0.9, 0.99]) if ok.any() else [np.nan] * 3
        self.delay_quantiles = dict(p50=float(qs[0]), p90=float(qs[1]), p99=float(qs[2]),
                                    max=float(self.connect_delay.max()) if ok.any() else np.nan)

    def __repr__(self):
        q = self.delay_quantiles
        return (f"StormSimulation({self.replications} replications: first try "
                f"{self.first_try_share:.1%}, failed {self.failed_share:.1%}, delay p50 "
                f"{q['p50']:.3g} s, p99 {q['p99']:.3g} s, max {q['max']:.3g} s)")


def simulate_storm(clients, duration, service_rate, workers, backlog, os="linux",
                   somaxconn=None, client=None, retries=True, replications=200, seed=None,
                   poisson=False, reset_interval=0.5, reset_retries=3):
    r"""Monte Carlo of a login storm with the clients' retries.

    ``clients`` clients make their first attempt at independent uniform
    times in ``[0, duration)`` (``poisson=True``: a Poisson number of them,
    i.e. a Poisson stream, as :func:`login_storm` assumes); an attempt that
    finds the accept queue full is refused (Windows server) or its SYN is
    dropped (Linux, BSD), and the client tries again on its schedule
    (:func:`retry_schedule`) until it gets in or gives up.  Workers serve
    exponential times at ``service_rate``.

    Returns
    -------
    StormSimulation
        Time-to-connect distribution, attempts, and failures.

    Examples
    --------
    >>> s = simulate_storm(300, 2.0, 50.0, 1, 5, os="windows-nt-4.0-server", seed=1,
    ...                    replications=20)
    >>> s.failed_share > 0.3
    True
    """
    from .montecarlo import storm as _storm
    n = float(_validate.nonnegative("clients", clients))
    t_storm = float(_validate.positive("duration", duration))
    mu = float(_validate.positive("service_rate", service_rate))
    c = int(_validate.integer("workers", workers, minimum=1))
    q = int(accept_queue_capacity(backlog, os=os, somaxconn=somaxconn))
    reps = int(_validate.integer("replications", replications, minimum=1))
    offsets, _ = retry_schedule(os, client, reset_interval, reset_retries)
    if not retries:
        offsets = ()
    ss = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    delays, tries, ok = _storm.simulate(n, t_storm, mu, c, c + q, offsets, ss.spawn(reps),
                                        poisson)
    return StormSimulation(delays, tries, ok, reps)


class FluidStorm:
    """Outcome of :func:`fluid_storm`: ``times``, ``level`` (the fluid number
    present), ``expected_refused``, ``refusals_end`` (when the level leaves K
    for good; 0 if it never reaches K)."""

    def __init__(self, times, level, refused, refusals_end, capacity):
        self.times, self.level = times, level
        self.expected_refused = float(refused)
        self.refusals_end = float(refusals_end)
        self.capacity = int(capacity)

    def __repr__(self):
        return (f"FluidStorm(capacity={self.capacity}, expected_refused="
                f"{self.expected_refused:.6g}, refusals_end={self.refusals_end:.4g} s)")


def fluid_storm(clients, duration, service_rate, workers, backlog, os="linux", somaxconn=None,
                horizon=None, points=401):
    r"""Fluid (deterministic ODE) approximation of :func:`login_storm`.

    The number present is treated as a continuous level x(t):
    :math:`x' = \lambda(t) - \mu\min(x, c)` below K; at K the excess
    :math:`\lambda(t) - \mu\min(K, c)` is refused.  Cheap and transparent,
    and good when the storm overloads the server well beyond its capacity:
    the refusals are then the deterministic excess (seed scenario with
    backlog 5, 150 attempts/s against 50/s: fluid 193.2 refused, exact
    194.0; 3000 clients in 10 s, backlog 16: 2482.1 against 2482.4).  It is
    poor where randomness decides: a storm that only just fills the queue
    (backlog 200 in the seed scenario: fluid 0 refused, exact 7.4), and
    loads near capacity, where the real queue fills by chance long before the
    mean does.  ``tests/test_tcp.py`` checks both regimes against the exact
    transient (:func:`login_storm`).

    Parameters and defaults are those of :func:`login_storm` (uniform storm).

    Returns
    -------
    FluidStorm
    """
    n = float(_validate.nonnegative("clients", clients))
    t_storm = float(_validate.positive("duration", duration))
    mu = float(_validate.positive("service_rate", service_rate))
    c = int(_validate.integer("workers", workers, minimum=1))
    k = c + int(accept_queue_capacity(backlog, os=os, somaxconn=somaxconn))
    if horizon is None:
        horizon = 3 * t_storm + 10 * (k - c + 1) / (c * mu)
    horizon = float(_validate.positive("horizon", horizon))
    times = np.linspace(0.0, horizon, int(_validate.integer("points", points, minimum=2)))
    lam = n / t_storm
    # Explicit Euler on a grid 200 times finer than the report; halving the
    # step moves the seed scenario's refused count by about 3e-5 relative,
    # far below the fluid model's own error.
    level = np.zeros(times.size)
    x, t, refused, last_full = 0.0, 0.0, 0.0, 0.0
    fine = np.linspace(0.0, horizon, 200 * times.size)
    dt = fine[1] - fine[0]
    j = 0
    for i, tf in enumerate(fine):
        rate = lam if tf < t_storm else 0.0
        out = mu * min(x, c)
        if x >= k and rate > out:
            refused += (rate - out) * dt
            last_full = tf + dt
        else:
            x = min(k, max(0.0, x + (rate - out) * dt))
        while j < times.size and times[j] <= tf + 1e-12:
            level[j] = x
            j += 1
    level[j:] = x
    return FluidStorm(times, level, refused, last_full, k)
