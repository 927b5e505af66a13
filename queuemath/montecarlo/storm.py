"""Event simulation of a login storm with client retries (queuemath.tcp).

A plain heap-ordered event loop per replication: a storm has a few hundred
clients and a few thousand events, so lockstep vectorisation would not pay.
Each replication draws from its own Generator (``SeedSequence.spawn``).
"""
import heapq

import numpy as np

_ATTEMPT, _DEPARTURE = 0, 1


def run_storm(first_times, services, c, k, offsets):
    """One replication.  ``first_times``: sorted first-attempt times;
    ``services``: service times in order of service start; ``offsets``: times
    of the retries after a client's first attempt (a client whose last retry
    fails gives up).  Returns (delay, attempts, connected)."""
    n_clients = len(first_times)
    delay = np.full(n_clients, np.inf)
    attempts = np.zeros(n_clients, dtype=np.int64)
    events = [(t, _ATTEMPT, i, 0) for i, t in enumerate(first_times)]
    heapq.heapify(events)
    present = busy = waiting = served = 0
    while events:
        t, kind, who, tries = heapq.heappop(events)
        if kind == _DEPARTURE:
            present -= 1
            if waiting:
                waiting -= 1
                heapq.heappush(events, (t + services[served], _DEPARTURE, -1, 0))
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
                heapq.heappush(events, (t + services[served], _DEPARTURE, -1, 0))
                served += 1
            else:
                waiting += 1
        elif tries < len(offsets):
            heapq.heappush(events, (first_times[who] + offsets[tries], _ATTEMPT, who, tries + 1))
    connected = np.isfinite(delay)
    return delay, attempts, connected


def simulate(n_clients, duration, mu, c, k, offsets, seeds, poisson):
    delays, tries, ok = [], [], []
    for ss in seeds:
        gen = np.random.Generator(np.random.PCG64(ss))
        n = int(gen.poisson(n_clients)) if poisson else int(round(n_clients))
        first = np.sort(gen.uniform(0.0, duration, n))
        services = gen.exponential(1.0 / mu, n)
        d, a, conn = run_storm(first, services, c, k, offsets)
        delays.append(d)
        tries.append(a)
        ok.append(conn)
    return delays, tries, ok
