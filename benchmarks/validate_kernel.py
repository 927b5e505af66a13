"""Dynamic check of the accept-queue model against the real Linux kernel.

A server on loopback listens with a small backlog; ``WORKERS`` threads each
accept() a connection, hold it for an exponential time (mean 1/MU) and close
it.  A client thread opens connections as a Poisson stream at loads 0.5 to
1.5 of the workers' capacity; an attempt counts as refused when its
handshake has not completed within ``TIMEOUT`` (Linux drops a SYN that meets a
full accept queue, whatever ``tcp_abort_on_overflow`` says, and the client's
first retransmission comes only after 1 s).  The measured share is compared
with ``ListenQueue(...).refusal_probability`` (M/M/c/K with
K = workers + min(backlog, somaxconn) + 1) and a 95% Wilson interval.

Bounded in time and count, loopback only, no system setting changed.  Runs in
a private network namespace (``unshare -rn``) when that works, otherwise on
127.0.0.1.  Writes ``paper/measured/kernel_dynamic.csv`` (measured data: it
differs run to run, so ``make report`` does not regenerate it).

Usage: ``.venv/bin/python benchmarks/validate_kernel.py`` (``make validate-kernel``).
"""
import csv
import math
import os
import selectors
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np

from queuemath import tcp

WORKERS, MU, BACKLOG = 2, 20.0, 3          # 50 ms mean service, queue of 4
LOADS = (0.5, 0.8, 1.0, 1.2, 1.5)
SECONDS = 25.0                              # per load
TIMEOUT = 0.25                              # "accepted promptly" [s]
SEED = 20261125


def _server(stop, rng_seed, port_box):
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.bind(("127.0.0.1", 0))
    srv.listen(BACKLOG)
    srv.settimeout(0.1)
    port_box.append(srv.getsockname()[1])
    lock = threading.Lock()
    rng = np.random.default_rng(rng_seed)

    def worker():
        while not stop.is_set():
            try:
                conn, _ = srv.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with lock:
                hold = rng.exponential(1 / MU)
            time.sleep(hold)
            conn.close()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(WORKERS)]
    for t in threads:
        t.start()
    return srv, threads


def run_load(load, seed):
    lam = load * WORKERS * MU
    stop = threading.Event()
    port_box = []
    srv, threads = _server(stop, seed, port_box)
    port = port_box[0]
    rng = np.random.default_rng(seed + 1)
    sel = selectors.DefaultSelector()
    pending = {}
    attempts = refused = 0
    t0 = time.monotonic()
    next_t = t0 + rng.exponential(1 / lam)
    while True:
        now = time.monotonic()
        if now - t0 >= SECONDS and not pending:
            break
        if now >= next_t and now - t0 < SECONDS:
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setblocking(False)
            s.connect_ex(("127.0.0.1", port))
            sel.register(s, selectors.EVENT_WRITE)
            pending[s] = now
            attempts += 1
            next_t += rng.exponential(1 / lam)
        wait = max(0.0, min(next_t - time.monotonic(), 0.005))
        for key, _ in sel.select(timeout=wait):
            s = key.fileobj
            sel.unregister(s)
            started = pending.pop(s)
            err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if err or time.monotonic() - started > TIMEOUT:
                refused += 1
            s.close()
        now = time.monotonic()
        for s, started in list(pending.items()):
            if now - started > TIMEOUT:
                sel.unregister(s)
                pending.pop(s)
                s.close()
                refused += 1
    stop.set()
    srv.close()
    for t in threads:
        t.join(timeout=2)
    return lam, attempts, refused


def wilson(k, n, z=1.96):
    p = k / n
    den = 1 + z * z / n
    mid = (p + z * z / (2 * n)) / den
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    return mid - half, mid + half


def main():
    somaxconn = int(Path("/proc/sys/net/core/somaxconn").read_text())
    rows = []
    print(f"workers {WORKERS}, service rate {MU}/s, backlog {BACKLOG} (accept queue "
          f"{tcp.accept_queue_capacity(BACKLOG, os='linux', somaxconn=somaxconn)}), "
          f"{SECONDS:.0f} s per load, timeout {TIMEOUT} s, namespace: "
          f"{os.environ.get('QM_NETNS', 'host loopback')}")
    print(f"{'load':>5s} {'rate/s':>7s} {'attempts':>8s} {'measured':>9s} {'95% interval':>19s} "
          f"{'model':>8s}  inside")
    for i, load in enumerate(LOADS):
        lam, n, k = run_load(load, SEED + 10 * i)
        lo, hi = wilson(k, n)
        model = tcp.ListenQueue(lam, MU, WORKERS, backlog=BACKLOG, os="linux",
                                somaxconn=somaxconn).blocking
        inside = lo <= model <= hi
        print(f"{load:5.2f} {lam:7.1f} {n:8d} {k / n:9.4f} [{lo:8.4f}, {hi:8.4f}] {model:8.4f}  "
              f"{'yes' if inside else 'NO'}")
        rows.append(dict(load=load, arrival_rate=lam, attempts=n, refused=k,
                         measured=k / n, low=lo, high=hi, model=model, inside=inside))
    out = Path(__file__).resolve().parents[1] / "paper" / "measured" / "kernel_dynamic.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(f"wrote {out}")


if __name__ == "__main__":
    if os.environ.get("QM_NETNS") is None and shutil.which("unshare") and shutil.which("ip"):
        env = dict(os.environ, QM_NETNS="unshare -rn")
        cmd = ["unshare", "-rn", "sh", "-c",
               f"ip link set lo up && exec {sys.executable} {os.path.abspath(__file__)}"]
        if subprocess.run(cmd, env=env).returncode == 0:
            sys.exit(0)
        print("private namespace unavailable; running on the host loopback", file=sys.stderr)
        os.environ["QM_NETNS"] = "host loopback"
    main()
