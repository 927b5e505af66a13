r"""Observe a live listener (Linux): its accept queue, the kernel's overflow
counters and the rate of attempts, and what the model makes of them.

Sources, all read without privileges and without external tools:

* the accept queue of each listening socket, by a ``sock_diag`` netlink
  dump (what ``ss -ltn`` shows): for a listener the kernel reports the
  queue's current length (``idiag_rqueue``, ``sk_ack_backlog``; ss's Recv-Q)
  and its limit (``idiag_wqueue``, ``sk_max_ack_backlog``: the backlog after
  the ``somaxconn`` clamp; ss's Send-Q).  The queue holds limit + 1 (the
  full test is ``sk_ack_backlog > sk_max_ack_backlog``);
* ``/proc/net/netstat`` (TcpExt ``ListenOverflows``, ``ListenDrops``): a SYN
  that meets a full accept queue is dropped and counted in both
  (``tcp_conn_request``), as is a final ACK that meets one;
* ``/proc/net/snmp`` (Tcp ``PassiveOpens``): connections whose handshake
  completed into a child socket.

The counters are the network namespace's, not the socket's: other
listeners in the same namespace add to them (a container, or a namespace
of its own, isolates them).  Attempts are estimated as completed handshakes
plus overflows; a client whose SYN was dropped and who retransmits it
counts again, as it loads the queue again.

References
----------
.. [1] Linux ``net/ipv4/tcp_input.c`` (``tcp_conn_request``),
   ``net/ipv4/tcp_minisocks.c`` / ``tcp_ipv4.c`` (the accept-queue check
   when the handshake completes), ``net/ipv4/tcp_diag.c``
   (``tcp_diag_get_info``: rqueue and wqueue of a listener),
   ``include/net/sock.h`` (``sk_acceptq_is_full``).
.. [2] ``man 7 sock_diag``; ``ss(8)``.
"""
import os
import socket
import struct
import time

import numpy as np

__all__ = ["Observation", "observe", "listeners", "counters"]

_SOCK_DIAG_BY_FAMILY, _NLMSG_DONE, _NLMSG_ERROR = 20, 3, 2
_NETLINK_SOCK_DIAG = 4
_TCP_LISTEN = 10
_HEADER = struct.Struct("=IHHII")              # nlmsghdr
_REQUEST = struct.Struct("=BBBBI48s")          # inet_diag_req_v2 (sockid zeroed)


def listeners(port=None):
    """[(family, port, queue length, limit)] of the TCP listeners in this
    network namespace (IPv4 and IPv6), by a sock_diag netlink dump; only
    ``port``'s where given.  Linux only (a ValueError elsewhere).

    See Also
    --------
    observe : Watch one of them over a window.

    References
    ----------
    .. [1] Linux ``sock_diag(7)`` (``inet_diag``: a listener's
       ``idiag_rqueue`` and ``idiag_wqueue`` are its accept queue's length and
       limit, as ``ss -ltn`` shows them).
    .. [2] Linux ``net/ipv4/proc.c``: ``ListenOverflows``, ``ListenDrops``
       (``/proc/net/netstat``), ``PassiveOpens`` (``/proc/net/snmp``).

    Examples
    --------
    >>> import socket
    >>> server = socket.socket()
    >>> server.bind(("127.0.0.1", 0))
    >>> server.listen(7)
    >>> port = server.getsockname()[1]
    >>> listeners(port)[0][1:] == (port, 0, 7)
    True
    >>> server.close()
    """
    if not hasattr(socket, "AF_NETLINK"):
        raise ValueError("observing a listener needs Linux (netlink sock_diag)")
    out = []
    with socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, _NETLINK_SOCK_DIAG) as nl:
        for family in (socket.AF_INET, socket.AF_INET6):
            body = _REQUEST.pack(family, socket.IPPROTO_TCP, 0, 0, 1 << _TCP_LISTEN, b"\0" * 48)
            head = _HEADER.pack(_HEADER.size + len(body), _SOCK_DIAG_BY_FAMILY,
                                0x1 | 0x300, 1, 0)               # NLM_F_REQUEST | NLM_F_DUMP
            nl.send(head + body)
            done = False
            while not done:
                data = nl.recv(1 << 16)
                offset = 0
                while offset + _HEADER.size <= len(data):
                    length, kind, _, _, _ = _HEADER.unpack_from(data, offset)
                    if kind == _NLMSG_DONE:
                        done = True
                        break
                    if kind == _NLMSG_ERROR:
                        raise ValueError("the kernel refused the sock_diag dump")
                    msg = data[offset + _HEADER.size: offset + length]
                    sport = struct.unpack_from(">H", msg, 4)[0]
                    rqueue, wqueue = struct.unpack_from("=II", msg, 56)
                    if port is None or sport == port:
                        out.append((family, sport, rqueue, wqueue))
                    offset += (length + 3) & ~3
    return out


def _table(path, prefix):
    with open(path) as f:
        lines = [line.split() for line in f if line.startswith(prefix)]
    out = {}
    for names, values in zip(lines[0::2], lines[1::2]):
        out.update({n: int(v) for n, v in zip(names[1:], values[1:])})
    return out


def counters():
    """{"ListenOverflows", "ListenDrops", "PassiveOpens"} now, this network
    namespace's (``/proc/net/netstat`` and ``/proc/net/snmp``).

    See Also
    --------
    observe : Reads these at both ends of its window.

    References
    ----------
    .. [1] Linux ``sock_diag(7)`` (``inet_diag``: a listener's
       ``idiag_rqueue`` and ``idiag_wqueue`` are its accept queue's length and
       limit, as ``ss -ltn`` shows them).
    .. [2] Linux ``net/ipv4/proc.c``: ``ListenOverflows``, ``ListenDrops``
       (``/proc/net/netstat``), ``PassiveOpens`` (``/proc/net/snmp``).

    Examples
    --------
    >>> c = counters()
    >>> sorted(c), all(v >= 0 for v in c.values())
    (['ListenDrops', 'ListenOverflows', 'PassiveOpens'], True)
    """
    ext = _table("/proc/net/netstat", "TcpExt:")
    tcp = _table("/proc/net/snmp", "Tcp:")
    return {"ListenOverflows": ext.get("ListenOverflows", 0),
            "ListenDrops": ext.get("ListenDrops", 0),
            "PassiveOpens": tcp.get("PassiveOpens", 0)}


class Observation:
    """What :func:`observe` saw.

    Attributes
    ----------
    port, duration, samples
        The listener's port, the window [s], queue samples taken.
    arrival_rate
        Attempts per second seen: completed handshakes plus overflows. [1/s]
    overflow_rate
        Overflows per second (``ListenOverflows``). [1/s]
    handshake_rate
        Completed handshakes per second (``PassiveOpens``). [1/s]
    measured_refusal
        Overflows over attempts.
    backlog_limit, accept_queue_capacity
        The listener's effective backlog (after the somaxconn clamp) and the
        completed connections its queue holds (limit + 1).
    queue_length_distribution
        Share of samples with 0, 1, ..., capacity connections waiting.
    predicted_refusal
        The M/M/c/K refusal probability for the rate seen, the given
        ``workers`` and ``service_rate`` and this queue (None without them).

    See Also
    --------
    observe : The function that returns it.

    Examples
    --------
    >>> import socket
    >>> server = socket.socket()
    >>> server.bind(("127.0.0.1", 0))
    >>> server.listen(16)
    >>> obs = observe(server.getsockname()[1], 0.2, workers=1, service_rate=50.0)
    >>> obs.accept_queue_capacity, float(sum(obs.queue_length_distribution))
    (17, 1.0)
    >>> server.close()
    """

    def __init__(self, port, duration, samples, lengths, limit, before, after, workers,
                 service_rate):
        self.port, self.duration, self.samples = port, float(duration), int(samples)
        overflows = after["ListenOverflows"] - before["ListenOverflows"]
        opens = after["PassiveOpens"] - before["PassiveOpens"]
        attempts = opens + overflows
        self.attempts, self.overflows = int(attempts), int(overflows)
        self.handshake_rate = opens / self.duration
        self.arrival_rate = attempts / self.duration
        self.overflow_rate = overflows / self.duration
        self.measured_refusal = overflows / attempts if attempts else 0.0
        self.backlog_limit = int(limit)
        self.accept_queue_capacity = int(limit) + 1
        counts = np.bincount(np.minimum(lengths, self.accept_queue_capacity),
                             minlength=self.accept_queue_capacity + 1)
        self.queue_length_distribution = counts / max(counts.sum(), 1)
        self.predicted_refusal = None
        if workers is not None and service_rate is not None and self.arrival_rate > 0:
            from ..finite import MMcK
            c = int(workers)
            self.predicted_refusal = float(MMcK(self.arrival_rate, float(service_rate), c,
                                                c + self.accept_queue_capacity).blocking)

    def to_dict(self):
        """The fields as a plain dict (what ``queuemath observe --json`` prints).

        Examples
        --------
        >>> import socket
        >>> server = socket.socket()
        >>> server.bind(('127.0.0.1', 0))
        >>> server.listen(5)
        >>> d = observe(server.getsockname()[1], 0.1).to_dict()
        >>> d['accept_queue_capacity'], d['backlog_limit']
        (6, 5)
        >>> server.close()
        """
        return dict(port=self.port, duration=self.duration, samples=self.samples,
                    attempts=self.attempts, overflows=self.overflows,
                    arrival_rate=self.arrival_rate, overflow_rate=self.overflow_rate,
                    handshake_rate=self.handshake_rate,
                    measured_refusal=self.measured_refusal, backlog_limit=self.backlog_limit,
                    accept_queue_capacity=self.accept_queue_capacity,
                    queue_length_distribution=self.queue_length_distribution.tolist(),
                    predicted_refusal=self.predicted_refusal)

    def __repr__(self):
        pred = (f", predicted_refusal={self.predicted_refusal:.3g}"
                if self.predicted_refusal is not None else "")
        return (f"Observation(port={self.port}, arrival_rate={self.arrival_rate:.4g}/s, "
                f"overflow_rate={self.overflow_rate:.4g}/s, measured_refusal="
                f"{self.measured_refusal:.3g}, accept_queue_capacity="
                f"{self.accept_queue_capacity}{pred})")


def observe(port, duration=10.0, *, interval=0.01, workers=None, service_rate=None):
    """Watch the listener on ``port`` for ``duration`` seconds (Linux).

    Samples its accept queue every ``interval`` seconds (netlink
    sock_diag), and the namespace's overflow and handshake counters at both
    ends of the window (see the module notes for what they count).

    Parameters
    ----------
    port : int
        The listening port (IPv4 or IPv6).
    duration : float, default 10
        The window. [s]
    interval : float, default 0.01
        Between queue samples. [s]
    workers, service_rate : optional
        The server's worker count and one worker's rate [1/s]: with both,
        ``predicted_refusal`` is the model's value (M/M/c/K) for the rate
        seen.

    Returns
    -------
    Observation

    Raises
    ------
    ValueError
        Not Linux, or no listener on ``port``.

    See Also
    --------
    listeners : The listeners in this namespace.
    counters : The kernel's counters observe reads.
    min_backlog : What to do with what it saw.

    References
    ----------
    .. [1] Linux ``sock_diag(7)`` (``inet_diag``: a listener's
       ``idiag_rqueue`` and ``idiag_wqueue`` are its accept queue's length and
       limit, as ``ss -ltn`` shows them).
    .. [2] Linux ``net/ipv4/proc.c``: ``ListenOverflows``, ``ListenDrops``
       (``/proc/net/netstat``), ``PassiveOpens`` (``/proc/net/snmp``).

    Examples
    --------
    A listener of its own, with nobody connecting (Linux):

    >>> import socket
    >>> server = socket.socket()
    >>> server.bind(("127.0.0.1", 0))
    >>> server.listen(5)
    >>> obs = observe(server.getsockname()[1], 0.2)
    >>> obs.accept_queue_capacity, obs.backlog_limit
    (6, 5)
    >>> server.close()
    """
    port = int(port)
    if not 0 < port < 65536:
        raise ValueError(f"port must be in 1..65535, got {port}")
    duration = float(duration)
    interval = float(interval)
    if not duration > 0 or not interval > 0:
        raise ValueError(f"duration and interval must be > 0, got {duration!r}, {interval!r}")
    if not os.path.exists("/proc/net/netstat"):
        raise ValueError("observing a listener needs Linux (/proc/net/netstat)")
    found = listeners(port)
    if not found:
        raise ValueError(f"port: no TCP listener on port {port} in this network namespace")
    limit = max(f[3] for f in found)
    lengths = []
    before = counters()
    start = time.monotonic()
    end = start + duration
    while True:
        lengths.append(sum(f[2] for f in listeners(port)))
        now = time.monotonic()
        if now >= end:
            break
        time.sleep(min(interval, end - now))
    after = counters()
    return Observation(port, time.monotonic() - start, len(lengths), np.asarray(lengths),
                       limit, before, after, workers, service_rate)
