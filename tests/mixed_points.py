"""The law of M/M/c/K points that ``benchmarks/bench_waiting.py`` times and
the tests of what it measures draw from: servers log-uniform in 1..1e4,
queue places log-uniform in 1..1e6, load per server uniform in 0.5..1.5,
a tenth of them within 1e-6 of 1."""
import numpy as np


def mixed_mmck(n, seed):
    """(arrival_rate, servers, capacity) of ``n`` points at service rate 1."""
    rng = np.random.default_rng(seed)
    c = np.floor(np.exp(rng.uniform(0, np.log(1e4), n)))
    m = np.floor(np.exp(rng.uniform(0, np.log(1e6), n)))
    rho = rng.uniform(0.5, 1.5, n)
    near = rng.random(n) < 0.1
    rho[near] = 1 + rng.uniform(-1e-6, 1e-6, near.sum())
    return rho * c, c, c + m
