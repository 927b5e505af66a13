"""A real listener on loopback under a Poisson stream of clients, watched by
``tcp.observe`` (run by tests/test_observe.py as its own process).

    python tests/live_listener.py RATE SERVICE_RATE BACKLOG SECONDS SEED

Prints one JSON object: the observation, the attempts the clients made in
the window, and whether the run had a network namespace of its own (an
unprivileged user + network namespace where the kernel allows it, so that
no other socket touches the counters; else the host's, unchanged).  No
system setting is changed: the namespace is private and dies with the
process.  Clients close an attempt after 0.3 s, before Linux's first SYN
retransmission (1 s), so each client is one attempt.
"""
import collections
import ctypes
import fcntl
import json
import random
import socket
import struct
import sys
import threading
import time

CLONE_NEWUSER, CLONE_NEWNET = 0x10000000, 0x40000000
SIOCSIFFLAGS, IFF_UP, IFF_LOOPBACK, IFF_RUNNING = 0x8914, 0x1, 0x8, 0x40


def attempt(port):
    """A client socket whose connection to loopback ``port`` is under way
    (non-blocking: a refused or queued attempt does not wait)."""
    c = socket.socket()
    c.setblocking(False)
    try:
        c.connect(("127.0.0.1", port))
    except BlockingIOError:
        pass
    return c


def private_namespace():
    """A user + network namespace of this process's own, loopback up."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0:
        return False
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            fcntl.ioctl(s, SIOCSIFFLAGS,
                        struct.pack("16sH14x", b"lo", IFF_UP | IFF_LOOPBACK | IFF_RUNNING))
        except OSError:
            return False
    return True


def main(rate, service_rate, backlog, seconds, seed):
    isolated = private_namespace()
    from queuemath import tcp                      # after the namespace: nothing is cached
    rng = random.Random(seed)
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(backlog)
    port = server.getsockname()[1]
    stop = threading.Event()

    def worker():
        server.settimeout(0.05)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            time.sleep(rng.expovariate(service_rate))
            conn.close()

    made = []

    def clients():
        open_ = collections.deque()
        t = time.monotonic()
        while not stop.is_set():
            t += rng.expovariate(rate)
            now = time.monotonic()
            if t > now:
                time.sleep(t - now)
            c = attempt(port)
            made.append(time.monotonic())
            open_.append((time.monotonic(), c))
            while open_ and open_[0][0] < time.monotonic() - 0.3:
                open_.popleft()[1].close()
        for _, c in open_:
            c.close()

    threads = [threading.Thread(target=worker), threading.Thread(target=clients)]
    for th in threads:
        th.start()
    try:
        time.sleep(0.5)                             # past the start
        t0 = time.monotonic()
        obs = tcp.observe(port, seconds, workers=1, service_rate=service_rate)
        t1 = time.monotonic()
    finally:
        stop.set()
        for th in threads:
            th.join()
    offered = sum(1 for x in made if t0 <= x <= t1)
    print(json.dumps(dict(obs.to_dict(), offered=offered, window=t1 - t0, isolated=isolated)))


if __name__ == "__main__":
    r, mu, b, s, seed = sys.argv[1:]
    main(float(r), float(mu), int(b), float(s), int(seed))
