"""Exact storm transients (issue 17): uniformization (compiled, positive
terms) against the BDF route (scipy's solve_ivp with the sparse
tridiagonal Jacobian, queuemath 0.3's solver), side by side in one run.

    python benchmarks/bench_transient.py

The storm of the issue: 3 s at 10,000 attempts/s (five times 2000/s) into
16 workers of 200/s, accept queues of growing capacity; the expected
refused share over the storm and the final law from both, their largest
difference, and seconds.  Then the burst inverses of the issue's new-user
question, timed once each (numba's compiled sweep already cached), target
under 10 s.  Writes benchmarks/bench_transient.csv.
"""
import csv
import time
from pathlib import Path

import numpy as np

from queuemath import tcp
from queuemath._kernels import transient as tr

HERE = Path(__file__).resolve().parent
RATE, T, MU, C = 10_000.0, 3.0, 200.0, 16


def case(queue):
    k = C + queue
    n = np.arange(k + 1)
    birth, death = np.full(k + 1, RATE), MU * np.minimum(n, C)
    p0 = np.zeros(k + 1)
    p0[0] = 1.0
    tr.uniformized(birth, death, p0, 1e-3)            # compiled once, outside the timing
    t0 = time.perf_counter()
    law, area = tr.uniformized(birth, death, p0, T)
    fast = time.perf_counter() - t0
    t0 = time.perf_counter()
    probs, offered, lost = tr.solve(lambda t: birth, lambda t: death, p0, np.array([0.0, T]), [])
    slow = time.perf_counter() - t0
    return dict(queue=queue, states=k + 1, share_uniformized=RATE * area[-1] / (RATE * T),
                share_bdf=lost[-1] / offered[-1], max_law_difference=float(np.abs(probs[-1] - law).max()),
                seconds_uniformized=fast, seconds_bdf=slow, ratio=slow / fast)


def main():
    rows = [case(q) for q in (64, 512, 1024, 4097)]
    with open(HERE / "bench_transient.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        for r in rows:
            w.writerow({k: (f"{v:.6g}" if isinstance(v, float) else v) for k, v in r.items()})
    for r in rows:
        print(f"queue {r['queue']:5d}: uniformized {r['seconds_uniformized']:.3f} s, BDF "
              f"{r['seconds_bdf']:.1f} s, ratio {r['ratio']:.0f}; refused share "
              f"{r['share_uniformized']:.10f} vs {r['share_bdf']:.10f}; "
              f"law difference {r['max_law_difference']:.1e}")
    # the new user's question: min_backlog(2000, 200, 16, 1e-5) in steady state,
    # then a 3-s burst at five times the rate
    for name, call in [
            ("min_backlog_for_storm (30000 in 3 s, 16 workers)",
             lambda: tcp.min_backlog_for_storm(RATE * T, T, MU, C, target_refused=1e-5)),
            ("min_workers_for_storm (30000 in 3 s, backlog 4096)",
             lambda: tcp.min_workers_for_storm(RATE * T, T, MU, 4096, target_refused=1e-5)),
            ("min_backlog_for_storm (30000 in 3 s, 45 workers)",
             lambda: tcp.min_backlog_for_storm(RATE * T, T, MU, 45, target_refused=1e-5))]:
        t0 = time.perf_counter()
        answer = call()
        print(f"{name}: {time.perf_counter() - t0:.2f} s -> {answer}")


if __name__ == "__main__":
    main()
