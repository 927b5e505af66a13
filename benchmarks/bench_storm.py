"""Login-storm Monte Carlo (issue 14): queuemath's compiled storm against a
plain heapq event loop (the algorithm of queuemath 0.2, per-client arrays),
side by side in one run, and the 1e6-client storm the issue asks for.

    python benchmarks/bench_storm.py

Prints seconds per replication, the ratio, peak traced memory, and the
seconds for 1e6 clients x 200 replications (target: under 60 s).
"""
import heapq
import time
import tracemalloc

import numpy as np

from queuemath import tcp


def heapq_storm(first_times, services, c, k, offsets):
    """One replication, per-client arrays (queuemath 0.2's loop)."""
    n = len(first_times)
    delay = np.full(n, np.inf)
    attempts = np.zeros(n, dtype=np.int64)
    events = [(t, 0, i, 0) for i, t in enumerate(first_times)]
    heapq.heapify(events)
    present = busy = waiting = served = 0
    while events:
        t, kind, who, tries = heapq.heappop(events)
        if kind == 1:
            present -= 1
            if waiting:
                waiting -= 1
                heapq.heappush(events, (t + services[served], 1, -1, 0))
                served += 1
            else:
                busy -= 1
            continue
        attempts[who] = tries + 1
        if present < k:
            present += 1
            delay[who] = t - first_times[who]
            if busy < c:
                busy += 1
                heapq.heappush(events, (t + services[served], 1, -1, 0))
                served += 1
            else:
                waiting += 1
        elif tries < len(offsets):
            heapq.heappush(events, (first_times[who] + offsets[tries], 0, who, tries + 1))
    return delay, attempts


def heapq_run(clients, duration, mu, c, k, offsets, reps, seed):
    out = []
    for ss in np.random.SeedSequence(seed).spawn(reps):
        g = np.random.Generator(np.random.PCG64(ss))
        first = np.sort(g.uniform(0.0, duration, clients))
        services = g.exponential(1.0 / mu, clients)
        out.append(heapq_storm(first, services, c, k, offsets))
    return out


def measure(fn, *args, **kwargs):
    tracemalloc.start()
    t0 = time.perf_counter()
    result = fn(*args, **kwargs)
    secs = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return result, secs, peak


def main():
    offsets = tcp.retry_schedule("windows-nt-4.0-server")[0]
    tcp.simulate_storm(100, 1.0, 50.0, 1, 5, seed=0, replications=1)    # compile once
    print("storm: NT Server, resets 0.5 s apart; 1 worker; accept queue 5 (clients/s "
          "three times the service rate)")
    for clients, reps in ((10_000, 20), (100_000, 5)):
        duration, mu = 10.0, clients / 30.0
        _, t_q, m_q = measure(tcp.simulate_storm, clients, duration, mu, 1, 5,
                              os="windows-nt-4.0-server", seed=1, replications=reps)
        _, t_h, m_h = measure(heapq_run, clients, duration, mu, 1, 6, offsets, reps, 1)
        print(f"  {clients:>7} clients x {reps:>2} replications: queuemath {t_q / reps:8.4f} s/rep "
              f"(peak {m_q / 1e6:6.1f} MB), heapq {t_h / reps:8.4f} s/rep (peak "
              f"{m_h / 1e6:6.1f} MB): {t_h / t_q:5.0f}x faster")
    clients = 1_000_000
    s, secs, peak = measure(tcp.simulate_storm, clients, 60.0, clients / 90.0, 1, 128,
                            os="windows-nt-4.0-server", seed=1, replications=200)
    print(f"  1e6 clients x 200 replications: {secs:.1f} s (target < 60 s), peak traced memory "
          f"{peak / 1e6:.1f} MB; {s}")


if __name__ == "__main__":
    main()
