r"""The TCP accept queue in steady state: per-OS backlog rules, overflow
behaviour, :class:`ListenQueue` and :func:`min_backlog`.

A listening server with ``workers`` threads calling ``accept()`` and handling
one connection each, and an accept queue that holds the completed connections
no worker has taken yet, is an M/M/c/K queue with c = workers and
K = workers + accept-queue capacity.  What that capacity is for a given
``listen(backlog)`` differs by operating system, and so does what happens to
a connection attempt that finds the queue full.

Sourced facts encoded here (kernel sources and Microsoft KB articles, listed
under References):

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

from .. import _validate
from .._kernels import finite as _kf
from .._kernels import search as _search
from .._model import Parameter, QueueModel
from ..finite import MMcK

__all__ = ["accept_queue_capacity", "os_max_backlog", "os_family", "ListenQueue", "min_backlog",
           "BacklogAdvice", "KNOWN_OS", "OVERFLOW"]

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
#: The systems whose backlog rules are known, as the ``os=`` arguments spell them.
KNOWN_OS = tuple(_OS)

#: What a connection attempt meets when the accept queue is full.
OVERFLOW = {"linux": "drop", "bsd": "drop", "windows": "reset"}


def _os_info(os):
    key = str(os).lower()
    if key not in _OS:
        raise ValueError(f"os must be one of {', '.join(KNOWN_OS)}; got {os!r}")
    return _OS[key]


def os_family(os):
    """The family of an OS name: "linux", "bsd" or "windows" (a ValueError
    lists the known names for an unknown one).

    See Also
    --------
    OVERFLOW : What each family does with a full queue.
    retry_schedule : The client's retries in each family.

    References
    ----------
    .. [1] Microsoft, KB Q181350, "Clients Fail to Connect to Notes Server
       Running on Windows NT Server" (the field report); KB Q127144, "Windows NT
       WinSock Listen (Backlog) Parameter Limit"; KB Q113576.
    .. [2] Linux ``include/net/sock.h`` (``sk_acceptq_is_full``: a strict
       ``>``, so the queue holds backlog + 1) and ``net/ipv4/tcp_input.c``
       (``tcp_conn_request``: a SYN meeting a full queue is dropped); commit
       19f92a030ca6, "net: increase SOMAXCONN to 4096" (Linux 5.4).
    .. [3] 4.4BSD and FreeBSD ``sonewconn`` (``sys/kern/uipc_socket.c``):
       refused beyond ``3 * qlimit / 2``.

    Examples
    --------
    >>> os_family("macos"), OVERFLOW[os_family("windows-nt-4.0-server")]
    ('bsd', 'reset')
    """
    return _os_info(os)[0]


def _somaxconn(family, default, somaxconn):
    if family == "windows":
        if somaxconn is not None:
            raise ValueError("somaxconn applies to Linux and BSD only, got "
                             f"somaxconn={somaxconn!r} for a Windows edition")
        return None
    if somaxconn is None:
        return float(default)
    value = _validate.integer("somaxconn", somaxconn, minimum=0)
    if value.ndim:
        raise ValueError(f"somaxconn must be a single integer, got shape {value.shape}")
    return float(value)


@_validate.pandas_io
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

    See Also
    --------
    os_max_backlog : The largest backlog each system honours.
    ListenQueue : The accept queue as an M/M/c/K queue.
    min_backlog : The backlog for a refusal target.

    References
    ----------
    .. [1] Microsoft, KB Q181350, "Clients Fail to Connect to Notes Server
       Running on Windows NT Server" (the field report); KB Q127144, "Windows NT
       WinSock Listen (Backlog) Parameter Limit"; KB Q113576.
    .. [2] Linux ``include/net/sock.h`` (``sk_acceptq_is_full``: a strict
       ``>``, so the queue holds backlog + 1) and ``net/ipv4/tcp_input.c``
       (``tcp_conn_request``: a SYN meeting a full queue is dropped); commit
       19f92a030ca6, "net: increase SOMAXCONN to 4096" (Linux 5.4).
    .. [3] 4.4BSD and FreeBSD ``sonewconn`` (``sys/kern/uipc_socket.c``):
       refused beyond ``3 * qlimit / 2``.

    Examples
    --------
    >>> accept_queue_capacity(5, os="linux"), accept_queue_capacity(0, os="linux")
    (6, 1)
    >>> accept_queue_capacity(5, os="freebsd")
    8
    >>> accept_queue_capacity(1000, os="windows-nt-4.0-server")
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
    return q.astype(np.int64)


def os_max_backlog(os="linux", somaxconn=None):
    """The largest backlog that still changes the queue (the OS clamps above).

    Returns
    -------
    int

    See Also
    --------
    accept_queue_capacity : The queue a backlog gives.
    KNOWN_OS : The systems known.

    References
    ----------
    .. [1] Microsoft, KB Q181350, "Clients Fail to Connect to Notes Server
       Running on Windows NT Server" (the field report); KB Q127144, "Windows NT
       WinSock Listen (Backlog) Parameter Limit"; KB Q113576.
    .. [2] Linux ``include/net/sock.h`` (``sk_acceptq_is_full``: a strict
       ``>``, so the queue holds backlog + 1) and ``net/ipv4/tcp_input.c``
       (``tcp_conn_request``: a SYN meeting a full queue is dropped); commit
       19f92a030ca6, "net: increase SOMAXCONN to 4096" (Linux 5.4).
    .. [3] 4.4BSD and FreeBSD ``sonewconn`` (``sys/kern/uipc_socket.c``):
       refused beyond ``3 * qlimit / 2``.

    Examples
    --------
    >>> os_max_backlog("linux"), os_max_backlog("windows-nt-4.0-server")
    (4096, 200)
    """
    family, cap, default = _os_info(os)
    smax = _somaxconn(family, default, somaxconn)
    return _max_backlog(family, cap, smax)


def _max_backlog(family, cap, smax):
    return int(cap if family == "windows" else smax)


def _alias(name, value, alias, alias_value, required=True):
    """One parameter that may also be given under an alias (workers for
    servers, target_refusal for target_blocking)."""
    if value is not None and alias_value is not None:
        raise ValueError(f"give {name} or its alias {alias}, not both; got {name}={value!r} "
                         f"and {alias}={alias_value!r}")
    value = alias_value if value is None else value
    if value is None and required:
        raise ValueError(f"{name} is required (or its alias {alias})")
    return value


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


def _forward(name):
    def get(self):
        return self._output(np.asarray(getattr(self.model, name)), name)
    get.__name__ = name
    get.__doc__ = getattr(MMcK, name).__doc__
    return property(get, doc=get.__doc__)


def _forward_method(name):
    def call(self, value):
        return getattr(self.model, name)(value)
    call.__name__ = name
    arg = "0.99" if name.endswith("quantile") else "0.05"
    call.__doc__ = (f"{name} of the accept queue's M/M/c/K (see "
                    f":meth:`queuemath.MMcK.{name}`): the law of an accepted connection.\n\n"
                    f"Examples\n--------\n"
                    f">>> from queuemath import MMcK\n"
                    f">>> q = ListenQueue(45.0, 50.0, 1, backlog=5, os='linux')   # room for 1 + 6\n"
                    f">>> q.{name}({arg}) == MMcK(45.0, 50.0, 1, 7).{name}({arg})\n"
                    f"True\n")
    return call


#: The time laws of an accepted connection's wait in the accept queue (its
#: accept delay) and of its time to be served, as MMcK has them.
TIME_LAWS = ("wait_sf", "log_wait_sf", "wait_cdf", "wait_quantile", "response_time_cdf",
             "response_time_quantile")


class ListenQueue(QueueModel):
    r"""A listening socket's accept queue as an M/M/c/K queue.

    A server with c worker threads calling ``accept()`` and handling one
    connection each, and an accept queue holding the completed connections
    no worker has taken yet, is M/M/c/K with c = servers and
    K = servers + the accept queue's capacity for the ``listen()`` backlog on
    the given OS (:func:`accept_queue_capacity`).

    Parameters
    ----------
    arrival_rate : array_like
        Connection attempts per second, at least 0. [1/s]
    service_rate : array_like
        Connections one worker handles per second, greater than 0. [1/s]
    servers : array_like of int
        Worker threads accepting and serving, at least 1 (alias:
        ``workers=``).
    backlog : array_like of int
        Keyword only: the ``listen()`` backlog, at least 0.
    os : str, default "linux"
        See :func:`accept_queue_capacity` for the names.
    somaxconn : int, optional
        Linux/BSD system limit, if not the default.
    workers : array_like of int, optional
        Alias of ``servers``.

    Attributes
    ----------
    accept_queue : int or ndarray
        Completed connections the queue holds (:func:`accept_queue_capacity`).
    capacity : int or ndarray
        K = servers + accept_queue.
    blocking : float or ndarray
        Share of connection attempts that find the queue full (M/M/c/K
        blocking, by PASTA).  On Windows each is refused with a reset; on
        Linux and BSD the SYN is dropped and the client retries later.
        Alias: ``refusal_probability``.
    log_blocking : float or ndarray
        Alias: ``log_refusal_probability``.
    mean_wait : float or ndarray
        Mean time an admitted connection waits in the accept queue before a
        worker accepts it.  Alias: ``mean_accept_delay``. [s]
    overflow : str
        ``"reset"`` (Windows) or ``"drop"`` (Linux, BSD).
    model : MMcK
        The queue itself.

    The other quantities (``throughput``, ``utilization``, ``p_wait``, ...)
    are those of :class:`queuemath.MMcK`.

    See Also
    --------
    min_backlog : the backlog for a refusal target.
    queuemath.tcp.login_storm : a burst of connections, exactly.

    Notes
    -----
    The model takes the first attempt of each client as the arrival stream;
    retries add load, which :func:`queuemath.tcp.simulate_storm` simulates.

    References
    ----------
    .. [1] Microsoft, KB Q181350, "Clients Fail to Connect to Notes Server
       Running on Windows NT Server" (the field report); KB Q127144, "Windows NT
       WinSock Listen (Backlog) Parameter Limit"; KB Q113576.
    .. [2] Linux ``include/net/sock.h`` (``sk_acceptq_is_full``: a strict
       ``>``, so the queue holds backlog + 1) and ``net/ipv4/tcp_input.c``
       (``tcp_conn_request``: a SYN meeting a full queue is dropped); commit
       19f92a030ca6, "net: increase SOMAXCONN to 4096" (Linux 5.4).
    .. [3] 4.4BSD and FreeBSD ``sonewconn`` (``sys/kern/uipc_socket.c``):
       refused beyond ``3 * qlimit / 2``.
    .. [4] D. Gross, J. F. Shortle, J. M. Thompson, C. M. Harris, "Fundamentals
       of Queueing Theory," 4th ed., Wiley, 2008, sec. 2.6 (M/M/c/K).
       doi:10.1002/9781118625651

    Examples
    --------
    >>> q = ListenQueue(45.0, 50.0, 1, backlog=5, os="windows-nt-4.0-server")
    >>> round(q.blocking, 4), q.overflow, q.capacity
    (0.1019, 'reset', 6)
    """

    quantities = MMcK.quantities
    descriptions = {"blocking": "share of connection attempts refused",
                    "mean_wait": "mean wait of an accepted connection in the accept queue"}

    arrival_rate = Parameter("Connection attempts per second. [1/s]")
    service_rate = Parameter("Connections one worker handles per second. [1/s]")
    servers = Parameter("Worker threads (alias workers).", kind="int")
    backlog = Parameter("The listen() backlog.", kind="int")
    os = Parameter("The operating system's name (see accept_queue_capacity).", kind="value")
    somaxconn = Parameter("The system's somaxconn, if not the default.", kind="value")

    for _name in MMcK.quantities:
        locals()[_name] = _forward(_name)
    for _name in TIME_LAWS:
        locals()[_name] = _forward_method(_name)
    del _name

    def __init__(self, arrival_rate, service_rate, servers=None, *, backlog, os="linux",
                 somaxconn=None, workers=None):
        servers = _alias("servers", servers, "workers", workers)
        family, _, _ = _os_info(os)
        self._overflow = OVERFLOW[family]
        lam = _validate.nonnegative("arrival_rate", arrival_rate)
        mu = _validate.positive("service_rate", service_rate)
        c = _validate.integer("servers", servers, minimum=1)
        b = _validate.integer("backlog", backlog, minimum=0)
        given = dict(arrival_rate=lam, service_rate=mu, servers=c.astype(np.int64),
                     backlog=b.astype(np.int64), os=str(os).lower(), somaxconn=somaxconn)
        self._store(given, dict(arrival_rate=lam, service_rate=mu, servers=c, backlog=b),
                    raw=(arrival_rate, service_rate, servers, backlog),
                    laws=dict(os=str(os).lower(), somaxconn=somaxconn))
        p = self._params
        queue = accept_queue_capacity(p["backlog"], os=os, somaxconn=somaxconn)
        self._queue = np.asarray(queue, dtype=float)
        self._model = MMcK(p["arrival_rate"], p["service_rate"], p["servers"],
                          p["servers"] + self._queue)

    @property
    def kendall(self):
        return self.model.kendall

    def simulation_spec(self):
        return self.model.simulation_spec()

    @property
    def model(self):
        """The :class:`queuemath.MMcK` queue this accept queue is.

        Examples
        --------
        >>> q = ListenQueue(45.0, 50.0, 1, backlog=5, os='linux')
        >>> q.model
        MMcK(arrival_rate=45.0, service_rate=50.0, servers=1, capacity=7)
        """
        return self._model

    @property
    def overflow(self):
        """What an attempt meets when the queue is full: "reset" (Windows) or
        "drop" (Linux, BSD).

        Examples
        --------
        >>> ListenQueue(45.0, 50.0, 1, backlog=5, os='linux').overflow
        'drop'
        >>> ListenQueue(45.0, 50.0, 1, backlog=5, os='windows-nt-4.0-server').overflow
        'reset'
        """
        return self._overflow

    @property
    def workers(self):
        """Alias of ``servers``.

        Examples
        --------
        >>> ListenQueue(45.0, 50.0, workers=3, backlog=5).workers
        3
        """
        return self.servers

    @property
    def accept_queue(self):
        """Completed connections the accept queue holds.

        Examples
        --------
        Linux holds one more than the backlog, BSD half as many again:

        >>> ListenQueue(45.0, 50.0, 1, backlog=5, os='linux').accept_queue
        6
        >>> ListenQueue(45.0, 50.0, 1, backlog=5, os='freebsd').accept_queue
        8
        """
        return self._output(self._queue.astype(np.int64), "accept_queue")

    @property
    def capacity(self):
        """K = servers + accept_queue.

        Examples
        --------
        >>> ListenQueue(45.0, 50.0, 4, backlog=5, os='linux').capacity
        10
        """
        return self._output(np.asarray(self.model.capacity), "capacity")

    @property
    def refusal_probability(self):
        """Alias of ``blocking``: share of attempts that find the queue full.

        Examples
        --------
        >>> q = ListenQueue(45.0, 50.0, 1, backlog=5, os='linux')
        >>> q.refusal_probability == q.blocking
        True
        """
        return self.blocking

    @property
    def log_refusal_probability(self):
        """Alias of ``log_blocking``.

        Examples
        --------
        >>> q = ListenQueue(45.0, 50.0, 1, backlog=5, os='linux')
        >>> q.log_refusal_probability == q.log_blocking
        True
        """
        return self.log_blocking

    @property
    def mean_accept_delay(self):
        """Alias of ``mean_wait``: mean wait of an accepted connection. [s]

        Examples
        --------
        >>> q = ListenQueue(45.0, 50.0, 1, backlog=5, os='linux')
        >>> q.mean_accept_delay == q.mean_wait
        True
        """
        return self.mean_wait

    def state_probabilities(self):
        """The M/M/c/K stationary law (see :meth:`queuemath.MMcK.state_probabilities`).

        Examples
        --------
        The connections present, workers and accept queue together; Linux holds
        backlog + 1:

        >>> import numpy as np
        >>> from queuemath import MMcK
        >>> q = ListenQueue(45.0, 50.0, 1, backlog=5, os='linux')
        >>> p = q.state_probabilities()
        >>> len(p), bool(np.allclose(p, MMcK(45.0, 50.0, 1, 7).state_probabilities(), rtol=1e-14))
        (8, True)
        """
        return self.model.state_probabilities()

    def arrival_state_probabilities(self):
        """What a connection attempt finds (PASTA: the stationary law).

        Examples
        --------
        Poisson attempts see time averages:

        >>> import numpy as np
        >>> q = ListenQueue(45.0, 50.0, 1, backlog=5, os='linux')
        >>> bool(np.allclose(q.arrival_state_probabilities(), q.state_probabilities(), rtol=1e-14))
        True
        """
        return self.model.arrival_state_probabilities()

    def with_retries(self, *, client=None):
        r"""The same listener with its clients' retries: a
        :class:`queuemath.RetrialMMcK` on the OS's retry schedule.

        A refused attempt (a reset on Windows, a dropped SYN on Linux and
        BSD) comes back: the schedule of :func:`retry_schedule` has n
        retries, the first after :math:`d_1` seconds.  The retrial model
        retries after an exponential time of mean :math:`d_1` (most refused
        clients get in at their first retry), with the probability q that
        gives a client the schedule's law of attempts when each is refused
        with the model's own probability B: the fixed point :math:`q =
        (1 - B^n)/(1 - B^{n+1})` (then the share who give up is
        :math:`B^{n+1}` and the mean attempts :math:`(1-B^{n+1})/(1-B)`, as
        on the schedule with independent refusals).  Unlike the closed form
        without retries, it has a stationary law at any load (every client
        gives up in the end), so it answers above load 1 too.

        Measured against :func:`simulate_storm` (a 300-s Poisson stream,
        40 replications, the schedule's fixed delays; ``tests/test_tcp.py``
        keeps two points): the share of attempts refused, model vs
        simulation (standard error about 0.004): NT 4.0 Server, 45/s
        against one worker of 50/s, backlog 5: 0.266 vs 0.248; Linux, same:
        0.198 vs 0.200; Linux 60/s, backlog 20 (load 1.2): 0.774 vs 0.732;
        Linux 30/s, backlog 3: 0.041 vs 0.041; NT Server 180/s, four
        workers, backlog 8: 0.098 vs 0.113.  Ignoring the retries gives
        0.102, 0.084, 0.169, 0.033 and 0.049.

        Parameters
        ----------
        client : str, optional
            The clients' stack, as in :func:`retry_schedule`.

        Returns
        -------
        queuemath.RetrialMMcK
            Scalar parameters only.

        Examples
        --------
        >>> q = ListenQueue(45.0, 50.0, 1, backlog=5, os="windows-nt-4.0-server")
        >>> r = q.with_retries()
        >>> bool(r.blocking > q.blocking), round(r.mean_attempts, 2)
        (True, 1.36)
        """
        from ..retrial import RetrialMMcK
        from .storm import retry_schedule      # storm imports this module
        lam, mu, c = self._scalars("arrival_rate", "service_rate", "servers")
        offsets, _ = retry_schedule(self.os, client=client)
        k = int(c) + int(self._queue)
        if not offsets:
            return RetrialMMcK(lam, mu, int(c), k, retry_rate=1.0, retry_probability=0.0)
        from scipy.optimize import brentq
        n = len(offsets)
        nu = 1.0 / float(offsets[0])

        def share(b):                    # the schedule's retry probability at refusal b
            return (1 - b ** n) / (1 - b ** (n + 1))

        def gap(q):                      # increasing in q: B(q) rises, share(B) falls
            try:
                b = float(RetrialMMcK(lam, mu, int(c), k, retry_rate=nu,
                                      retry_probability=q).blocking)
            except ValueError:
                return np.inf            # an overloaded orbit with no law: above the root
            return q - share(b)
        # bracket the root from below, halving 1 - q; then, where the top end
        # has no law, bisect down to one that has
        lo, hi, g_hi = 0.0, None, None
        for step in range(1, 60):
            q = 1.0 - 0.5 ** step
            g = gap(q)
            if g >= 0:
                hi, g_hi = q, g
                break
            lo = q
        while not np.isfinite(g_hi):
            mid = 0.5 * (lo + hi)
            g = gap(mid)
            if g >= 0:
                hi, g_hi = mid, g
            else:
                lo = mid
        q = brentq(gap, lo, hi, xtol=1e-12, rtol=1e-12)
        return RetrialMMcK(lam, mu, int(c), k, retry_rate=nu, retry_probability=q)

    def _attempts(self, client):
        from .storm import retry_schedule      # storm imports this module
        offsets, _ = retry_schedule(self.os, client=client)
        return np.array((0.0,) + tuple(float(o) for o in offsets))

    def connect_time_cdf(self, t, *, client=None):
        r"""P(a client is connected within t of its first SYN), retries
        included: the field report's "could not connect for minutes" as a
        law.

        Attempt j (0 for the first) goes out at the OS retry offset
        :math:`o_j` (:func:`queuemath.tcp.retry_schedule`: Linux drops the
        SYN and the client retransmits with exponential backoff; Windows
        resets and a Windows client retries a few times).  Each attempt is
        assumed to meet an independent stationary state, so it is refused
        with probability B = ``blocking`` and, if admitted, waits the accept
        delay W (:meth:`accept_delay_cdf`):

        .. math:: P(T \le t) = \sum_j B^j (1 - B)\, P(W \le t - o_j).

        The law is defective: a client refused at every attempt gives up,
        with probability :math:`B^{n+1}`.  The independence assumption is
        the steady-state one, and it is optimistic: a retry comes back after
        the OS's offset into a queue that is still full more often than B
        says, and the retries add load.  Measured against
        :func:`queuemath.tcp.simulate_storm` (Poisson clients over 100 s,
        Linux retries, 40 replications): with a relaxation time well below
        the first retry offset (25/s against 50/s, backlog 3, B = 1.6 %) the
        share connected at the first attempt is 0.9841 here and 0.9827
        [0.9810, 0.9843] simulated, but a refused client is refused again
        with probability 0.05, not 0.016; at 45/s against 50/s (relaxation
        about 7 s, backlog 20, B = 1.1 %) the first attempt connects 0.989
        here and 0.978 [0.973, 0.982] simulated, and a retry is refused 8
        times in 10.  ``tests/test_tcp.py`` keeps both measurements.

        Parameters
        ----------
        t : array_like
            Time since the first SYN, at least 0. [s]
        client : str, optional
            The client's stack, as :func:`queuemath.tcp.retry_schedule`.

        Examples
        --------
        >>> q = ListenQueue(45.0, 50.0, 1, backlog=5, os="linux")
        >>> round(float(q.connect_time_cdf(0.5)), 4)        # connected within 0.5 s
        0.916
        >>> round(float(q.connect_time_cdf(1.5)), 4)        # ... or after one retransmit
        0.9929
        """
        t = _validate.duration("t", t)
        b = np.asarray(self.model.blocking, dtype=float)
        t, b = _validate.broadcast(t=t, arrival_rate=b)
        offsets = self._attempts(client)
        total = np.zeros(t.shape)
        for j, o in enumerate(offsets):
            late = np.maximum(t - o, 0.0)
            share = np.asarray(self.model.wait_cdf(late), dtype=float)
            total = total + np.where(t >= o, b ** j * (1 - b) * share, 0.0)
        return self._output(total, "connect_time_cdf")

    def connect_time_quantile(self, p, *, client=None):
        """The p-quantile of the time to connect (see :meth:`connect_time_cdf`);
        ``inf`` where a share p is never reached (clients that give up).

        Parameters
        ----------
        p : array_like
            Level in [0, 1].
        client : str, optional
            The client's stack, as :func:`queuemath.tcp.retry_schedule`.

        Examples
        --------
        >>> q = ListenQueue(45.0, 50.0, 1, backlog=5, os="linux")
        >>> round(float(q.connect_time_quantile(0.99)), 3)    # seconds
        1.16
        """
        p = _validate.level("p", p)
        b = np.asarray(self.model.blocking, dtype=float)
        p, b = _validate.broadcast(p=p, arrival_rate=b)
        offsets = self._attempts(client)
        with np.errstate(divide="ignore", invalid="ignore"):
            reached = -np.expm1(len(offsets) * np.log(b))      # 1 - B^(n+1)
        never = p > reached
        q = np.where(never, 0.0, np.minimum(p / np.where(reached > 0, reached, 1.0), 1.0))
        lo = np.zeros(p.shape)
        hi = offsets[-1] + np.asarray(self.model.wait_quantile(q), dtype=float)
        hi = np.where(np.isfinite(hi), hi, offsets[-1] + 1.0)
        for _ in range(200):
            mid = 0.5 * (lo + hi)
            ok = np.asarray(self.connect_time_cdf(mid, client=client)) >= p
            lo, hi = np.where(ok, lo, mid), np.where(ok, mid, hi)
            if np.all(hi - lo <= 4e-16 * hi):
                break
        out = np.where(never, np.inf, np.where(p == 0, 0.0, hi))
        return self._output(out, "connect_time_quantile")

    def accept_delay_cdf(self, t):
        """P(accept delay <= t) of an accepted connection: its wait in the
        accept queue until a worker calls accept() (alias of ``wait_cdf``,
        see :meth:`queuemath.MMcK.log_wait_sf`). [t in s]

        Examples
        --------
        >>> q = ListenQueue(45.0, 50.0, 1, backlog=5, os='linux')
        >>> q.accept_delay_cdf(0.1) == q.wait_cdf(0.1)
        True
        """
        return self.model.wait_cdf(t)

    def accept_delay_quantile(self, p):
        """The p-quantile of the accept delay of an accepted connection
        (alias of ``wait_quantile``). [s]

        Examples
        --------
        >>> q = ListenQueue(180.0, 50.0, 4, backlog=128)
        >>> round(float(q.accept_delay_cdf(q.accept_delay_quantile(0.99))), 9)
        0.99
        """
        return self.model.wait_quantile(p)


class BacklogAdvice(namedtuple("BacklogAdvice",
                               "backlog accept_queue blocking sufficient os_max_backlog")):
    """Answer of :func:`min_backlog`.

    backlog: the smallest backlog meeting the target, or the OS maximum where
    none does; accept_queue: the queue it gives; blocking: the refusal
    probability at that backlog (alias ``refusal_probability``); sufficient:
    whether the target is met; os_max_backlog: the largest backlog the OS
    honours.

    See Also
    --------
    min_backlog : The function that returns it.
    StormAdvice : The same for a storm.

    Examples
    --------
    >>> advice = min_backlog(45.0, 50.0, 1, target_blocking=1e-6, os="windows-nt-4.0-server")
    >>> advice.backlog, advice.accept_queue, advice.sufficient, advice.os_max_backlog
    (109, 109, True, 200)
    >>> advice.blocking < 1e-6
    True
    """

    __slots__ = ()

    @property
    def refusal_probability(self):
        """Alias of ``blocking``.

        Examples
        --------
        >>> a = min_backlog(45.0, 50.0, 1, target_blocking=1e-6, os='linux')
        >>> a.refusal_probability == a.blocking
        True
        """
        return self.blocking

    @property
    def accept_queue_capacity(self):
        """The accept queue's capacity (alias of ``accept_queue``).

        Examples
        --------
        >>> a = min_backlog(45.0, 50.0, 1, target_blocking=1e-6, os='linux')
        >>> a.backlog, a.accept_queue_capacity
        (108, 109)
        """
        return self.accept_queue


@_validate.pandas_io
def min_backlog(arrival_rate, service_rate, servers=None, *, target_blocking=None,
                os="linux", somaxconn=None, workers=None, target_refusal=None):
    r"""The smallest ``listen()`` backlog whose refusal probability is at most
    the target: "what backlog do I need?".

    Parameters
    ----------
    arrival_rate, service_rate : array_like
        As in :class:`ListenQueue`. [1/s]
    servers : array_like of int
        Workers, at least 1 (alias ``workers=``).
    target_blocking : array_like
        Keyword only: largest acceptable share of refused attempts, in (0, 1)
        (alias ``target_refusal=``).
    os, somaxconn
        As in :func:`accept_queue_capacity`.

    Returns
    -------
    BacklogAdvice
        Where no backlog the OS allows suffices (the OS clamps it, or the
        load is beyond what any queue can absorb), ``sufficient`` is False and
        ``backlog`` is the OS maximum, with its refusal probability: the cap
        is reported, not exceeded.

    See Also
    --------
    queuemath.min_capacity : The same as a capacity, without the OS rules.
    min_backlog_for_storm : The backlog for a burst rather than the steady state.
    ListenQueue : The model inverted.

    References
    ----------
    .. [1] Microsoft, KB Q181350, "Clients Fail to Connect to Notes Server
       Running on Windows NT Server" (the field report); KB Q127144, "Windows NT
       WinSock Listen (Backlog) Parameter Limit"; KB Q113576.
    .. [2] Linux ``include/net/sock.h`` (``sk_acceptq_is_full``: a strict
       ``>``, so the queue holds backlog + 1) and ``net/ipv4/tcp_input.c``
       (``tcp_conn_request``: a SYN meeting a full queue is dropped); commit
       19f92a030ca6, "net: increase SOMAXCONN to 4096" (Linux 5.4).
    .. [3] 4.4BSD and FreeBSD ``sonewconn`` (``sys/kern/uipc_socket.c``):
       refused beyond ``3 * qlimit / 2``.

    Examples
    --------
    >>> a = min_backlog(45.0, 50.0, 1, target_blocking=1e-6, os="windows-nt-4.0-server")
    >>> a.backlog, a.sufficient
    (109, True)
    >>> a = min_backlog(45.0, 50.0, 1, target_blocking=1e-6, os="windows-nt-4.0-workstation")
    >>> a.backlog, a.sufficient, round(a.refusal_probability, 3)
    (5, False, 0.102)
    """
    servers = _alias("servers", servers, "workers", workers)
    target = _alias("target_blocking", target_blocking, "target_refusal", target_refusal)
    family, cap, default = _os_info(os)
    smax = _somaxconn(family, default, somaxconn)
    lam = _validate.nonnegative("arrival_rate", arrival_rate)
    mu = _validate.positive("service_rate", service_rate)
    c = _validate.integer("servers", servers, minimum=1)
    t = _validate.probability("target_blocking", target)
    lam, mu, c, t = _validate.broadcast(arrival_rate=lam, service_rate=mu, servers=c,
                                        target_blocking=t)
    a = _validate.offered_load(lam, mu)
    limit = _max_backlog(family, cap, smax)
    max_queue = np.asarray(accept_queue_capacity(np.full(a.shape, limit), os=os,
                                                 somaxconn=somaxconn), dtype=float)
    log_pk, pk = _kf.mmck_blocking_rates(lam, mu, a, c, c + max_queue)
    enough = _search.meets(log_pk, t, pk)
    queue = max_queue.copy()
    if enough.any():
        # Smallest accept queue q (>= the OS minimum) that meets the target.
        q_min = np.asarray(accept_queue_capacity(np.zeros(a.shape), os=os,
                                                 somaxconn=somaxconn), dtype=float)

        def ok(q, mask):
            out = np.ones(q.shape, dtype=bool)
            sel = mask & enough
            if sel.any():
                lp, p = _kf.mmck_blocking_rates(lam[sel], mu[sel], a[sel], c[sel],
                                                c[sel] + q[sel])
                out[sel] = _search.meets(lp, t[sel], p)
            return out
        q_found = _search.smallest_integer(ok, q_min - 1, {"arrival_rate": lam},
                                           "queue").astype(float)
        queue = np.where(enough, np.minimum(q_found, max_queue), max_queue)
    backlog, _, _ = _backlog_for(queue, family, cap, smax)
    backlog = np.where(enough, backlog, limit)
    queue = np.asarray(accept_queue_capacity(backlog, os=os, somaxconn=somaxconn), dtype=float)
    _, refusal = _kf.mmck_blocking_rates(lam, mu, a, c, c + queue)
    return BacklogAdvice(backlog.astype(np.int64), queue.astype(np.int64), refusal, enough,
                         np.asarray(limit, dtype=np.int64))
