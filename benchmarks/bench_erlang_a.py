"""ErlangA against the textbook evaluation: summing the birth-death chain's
weights state by state up to a truncation point (what calculators and most
code do), vectorised with numpy over the same points.

Points: 20 000 log-uniform (c 1..1000, rho 0.1..3, patience 1e-3..10 of
the service rate, no capacity).  The truncated sum runs to N = c + 2000
states in log space (so it cannot overflow); it is correct only where the
queue's mass lies below N; the script counts where it is off by more than
1e-6 from ErlangA (itself checked by the flow identity
lam = throughput + theta L_q and, in the tests, against mpmath).

    .venv/bin/python benchmarks/bench_erlang_a.py
"""
import time

import numpy as np

from queuemath import ErlangA

N_EXTRA = 2000


def truncated(lam, mu, c, theta):
    """(p_abandon, mean_queue) by summing states 0..c+N_EXTRA in log space."""
    n = np.arange(c.max() + N_EXTRA + 1, dtype=float)[None, :]
    cc, ll, mm, tt = (v[:, None] for v in (c, lam, mu, theta))
    death = np.minimum(n, cc) * mm + np.maximum(n - cc, 0) * tt
    steps = np.where(n[:, 1:] <= cc + N_EXTRA, np.log(ll) - np.log(death[:, 1:]), -np.inf)
    logw = np.concatenate([np.zeros((len(c), 1)), np.cumsum(steps, axis=1)], axis=1)
    logw -= logw.max(axis=1, keepdims=True)
    w = np.exp(logw)
    w /= w.sum(axis=1, keepdims=True)
    lq = (np.maximum(n - cc, 0) * w).sum(axis=1)
    return theta * lq / lam, lq


def main():
    rng = np.random.default_rng(0)
    m = 20_000
    c = np.floor(10 ** rng.uniform(0, 3, m))
    mu = np.ones(m)
    lam = c * 10 ** rng.uniform(-1, np.log10(3), m)
    theta = 10 ** rng.uniform(-3, 1, m)
    t0 = time.perf_counter()
    q = ErlangA(lam, mu, c, patience_rate=theta)
    pa, lq = q.p_abandon, q.mean_queue
    t_qm = time.perf_counter() - t0
    t0 = time.perf_counter()
    chunks = [truncated(*(v[i:i + 500] for v in (lam, mu, c, theta))) for i in range(0, m, 500)]
    t_tr = time.perf_counter() - t0
    pa_tr = np.concatenate([x[0] for x in chunks])
    served = (lam - q.throughput - theta * lq) / lam
    with np.errstate(invalid="ignore", divide="ignore"):
        bad_tr = ~(np.abs(pa_tr / pa - 1) <= 1e-6)       # NaN counts as wrong
    print(f"{m} points: queuemath {t_qm:.3f} s, truncated sum (N = c + {N_EXTRA}) {t_tr:.3f} s, "
          f"ratio {t_tr / t_qm:.1f}x")
    print(f"queuemath flow identity worst {np.abs(served).max():.1e}; truncated sum off by > 1e-6 "
          f"at {bad_tr.sum()} points (queue mass beyond its truncation)")


if __name__ == "__main__":
    main()
