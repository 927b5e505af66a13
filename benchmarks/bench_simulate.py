"""Monte Carlo speed, side by side in one run: queuemath.simulate, a plain
heapq event loop, SimPy and Ciw (issue 4).

For M/M/1/K (lambda 0.9, mu 1, K 10) and M/M/c/c (c 10, A 7) it prints
arrivals simulated per second and the wall time each needs for a 95% interval
on blocking whose half-width is 1% of the estimate: a pilot run measures the
spread, the run length is scaled by (half-width / target)^2, and the timed
run is that one.  Ciw and SimPy are optional (``pip install '.[bench]'``).
Also the general engine (lognormal service) against the exponential path.
"""
import heapq
import math
import random
import sys
import time

import numpy as np
from scipy import stats

import queuemath as qm

REPS = 10
SEED = 20261125


def heapq_mmck(lam, mu, c, k, n, seed):
    """Plain Python event loop with a heap of departure times."""
    rnd = random.Random(seed)
    t, busy, queue, blocked = 0.0, 0, 0, 0
    deps = []
    next_arr = rnd.expovariate(lam)
    for _ in range(n):
        while deps and deps[0] <= next_arr:
            t = heapq.heappop(deps)
            if queue:
                queue -= 1
                heapq.heappush(deps, t + rnd.expovariate(mu))
            else:
                busy -= 1
        t = next_arr
        if busy + queue >= k:
            blocked += 1
        elif busy < c:
            busy += 1
            heapq.heappush(deps, t + rnd.expovariate(mu))
        else:
            queue += 1
        next_arr = t + rnd.expovariate(lam)
    return blocked / n


def simpy_mmck(lam, mu, c, k, n, seed):
    import simpy
    rnd = random.Random(seed)
    env = simpy.Environment()
    servers = simpy.Resource(env, capacity=c)
    state = dict(present=0, blocked=0, arrived=0)

    def customer():
        with servers.request() as req:
            yield req
            yield env.timeout(rnd.expovariate(mu))
        state["present"] -= 1

    def source():
        while state["arrived"] < n:
            yield env.timeout(rnd.expovariate(lam))
            state["arrived"] += 1
            if state["present"] >= k:
                state["blocked"] += 1
            else:
                state["present"] += 1
                env.process(customer())

    env.process(source())
    env.run()
    return state["blocked"] / n


def ciw_mmck(lam, mu, c, k, n, seed):
    import ciw
    net = ciw.create_network(arrival_distributions=[ciw.dists.Exponential(lam)],
                             service_distributions=[ciw.dists.Exponential(mu)],
                             number_of_servers=[c], queue_capacities=[k - c])
    ciw.seed(seed)
    sim = ciw.Simulation(net)
    sim.simulate_until_max_time(n / lam)
    recs = sim.get_all_records()
    rejected = sum(r.record_type == "rejection" for r in recs)
    return rejected / max(1, len(recs))


def _interval(values):
    x = np.asarray(values)
    hw = stats.t.ppf(0.975, x.size - 1) * x.std(ddof=1) / math.sqrt(x.size)
    return x.mean(), hw


def python_contender(fn, args, pilot):
    t0 = time.perf_counter()
    vals = [fn(*args, pilot, SEED + i) for i in range(REPS)]
    rate = REPS * pilot / (time.perf_counter() - t0)
    mean, hw = _interval(vals)
    n = max(pilot, int(pilot * (hw / (0.01 * mean)) ** 2))
    t0 = time.perf_counter()
    vals = [fn(*args, n, SEED + 100 + i) for i in range(REPS)]
    wall = time.perf_counter() - t0
    return rate, wall, _interval(vals), REPS * n


def queuemath_contender(model, pilot):
    t0 = time.perf_counter()
    r = qm.simulate(model, arrivals=pilot, seed=SEED, replications=4096)
    rate = r.arrivals / (time.perf_counter() - t0)
    hw, mean = r.blocking.half_width, r.blocking.mean
    n = max(pilot, int(pilot * (hw / (0.01 * mean)) ** 2))
    reps = int(min(4096, max(16, n // 2000)))
    t0 = time.perf_counter()
    r = qm.simulate(model, arrivals=n, seed=SEED + 1, replications=reps)
    wall = time.perf_counter() - t0
    return rate, wall, (r.blocking.mean, r.blocking.half_width), r.arrivals


def section(title, model, args, exact):
    print(f"\n{title}: exact blocking {exact:.6g}")
    rows = [("queuemath.simulate", queuemath_contender(model, 4_000_000))]
    rows.append(("heapq event loop", python_contender(heapq_mmck, args, 200_000)))
    for name, fn, pilot in (("SimPy", simpy_mmck, 20_000), ("Ciw", ciw_mmck, 5_000)):
        try:
            __import__(name.lower())
        except ImportError:
            print(f"  {name}: not installed (pip install '.[bench]')")
            continue
        rows.append((name, python_contender(fn, args, pilot)))
    ours_rate, ours_wall = rows[0][1][0], rows[0][1][1]
    print(f"  {'':20s} {'arrivals/s':>12s} {'speed ratio':>12s} {'time to 1%':>11s} "
          f"{'ratio':>8s}  estimate")
    for name, (rate, wall, (mean, hw), n) in rows:
        print(f"  {name:20s} {rate:12.3e} {ours_rate / rate:11.1f}x {wall:10.2f}s "
              f"{wall / ours_wall:7.1f}x  {mean:.5f} +- {hw:.5f} ({n:.2e} arrivals)")


def general_section():
    lam = 0.9
    exp_model = qm.MM1K(lam, 1.0, 10)
    logn = qm.GGcK(lam, 1, 10, service_time=stats.lognorm(s=1.0, scale=math.exp(-0.5)))
    t0 = time.perf_counter()
    a = qm.simulate(exp_model, arrivals=2_000_000, replications=1024, seed=1)
    t_exp = time.perf_counter() - t0
    t0 = time.perf_counter()
    b = qm.simulate(logn, arrivals=2_000_000, replications=1024, seed=1)
    t_gen = time.perf_counter() - t0
    print(f"\nGeneral engine (lognormal service, mean 1, GGcK) against the exponential path: "
          f"{b.arrivals / t_gen:.3e} vs {a.arrivals / t_exp:.3e} arrivals/s, "
          f"{t_gen / t_exp:.1f}x slower (target <= 5x)")


def main():
    print(f"queuemath {qm.__version__}, python {sys.version.split()[0]}")
    section("M/M/1/K, lambda 0.9, mu 1, K 10", qm.MM1K(0.9, 1.0, 10), (0.9, 1.0, 1, 10),
            float(qm.MM1K(0.9, 1.0, 10).blocking))
    section("M/M/c/c, c 10, A 7", qm.MMcK(7.0, 1.0, 10, 10), (7.0, 1.0, 10, 10),
            float(qm.erlang_b(10, 7.0)))
    general_section()


if __name__ == "__main__":
    main()
