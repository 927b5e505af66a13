"""MG1K's level-crossing recursion against a dense linear solve of the same
embedded chain (issue 8), lognormal service (mean 1, s = 1), lambda = 0.9.

Both use the same arrival-count probabilities; the dense route builds the
K x K transition matrix and solves pi (P - I) = 0 with normalisation.
"""
import time

import numpy as np
from scipy import stats

from queuemath._kernels.embedded import arrival_counts
from queuemath.mg1k import MG1K

LAW = stats.lognorm(s=1.0, scale=np.exp(-0.5))
LAM = 0.9


def dense_blocking(k):
    a, tail, mean = arrival_counts(LAM, LAW, k + 1)
    p = np.zeros((k, k))
    for i in range(k):
        start = max(i - 1, 0)
        width = k - 1 - start
        p[i, start:k - 1] = a[:width]
        p[i, k - 1] = tail[width]
    m = (p - np.eye(k)).T
    m[-1, :] = 1.0
    rhs = np.zeros(k)
    rhs[-1] = 1.0
    pi = np.linalg.solve(m, rhs)
    return 1 - 1 / (pi[0] + LAM * mean)


def main():
    print(f"{'K':>6s} {'MG1K':>10s} {'dense solve':>12s} {'ratio':>8s}  blocking (MG1K, dense)")
    for k in (500, 1000, 2000, 4000):
        t0 = time.perf_counter()
        b1 = float(MG1K(LAM, k, service_time=LAW).blocking)
        t1 = time.perf_counter() - t0
        t0 = time.perf_counter()
        b2 = dense_blocking(k)
        t2 = time.perf_counter() - t0
        print(f"{k:6d} {t1:9.3f}s {t2:11.3f}s {t2 / t1:7.1f}x  {b1:.6e}, {b2:.6e}")
    t0 = time.perf_counter()
    b = float(MG1K(LAM, 10_000, service_time=LAW).blocking)
    print(f"K = 10000: MG1K {time.perf_counter() - t0:.3f} s (blocking {b:.6e}); the dense "
          "solve is O(K^3) and not run at this size")


if __name__ == "__main__":
    main()
