"""Exact MVA (issue 18): queuemath's ClosedNetwork against a straightforward
Python MVA, the textbook load-dependent MVA, and LINE's ``pfqn_mva`` and
``pfqn_mvams`` (line-solver's native Python, installed by ``make bench``),
side by side in one run.

    python benchmarks/bench_mva.py

Cases: population 1e4 and 20 stations (a think time, 19 single-server
stations and one of 4 servers), and the same with single-server stations
only (where every peer is exact).  For each solver: seconds, the ratio
queuemath / solver of throughputs (above 1: queuemath is faster), and the
largest relative error of X(N) and of the station queue lengths against a
reference: the single-server case prints the gap to the Python loop (the
same recursion, both in doubles: a gap, not an error; the suite measures
queuemath against 60-digit constants); the multi-server case compares both
with a 30-digit mpmath MVA at N = 300 (queuemath is timed at 1e4).  The
textbook load-dependent MVA computes p_i(0|n) = 1 - sum_j p_i(j|n), whose
cancellation is the known instability of that algorithm.
"""
import time

import numpy as np

import queuemath as qm


def python_mva(demands, think, n_max):
    """Single-server and delay-free MVA, one population after another."""
    q = [0.0] * len(demands)
    x = 0.0
    for n in range(1, n_max + 1):
        r = [d * (1 + qi) for d, qi in zip(demands, q)]
        x = n / (think + sum(r))
        q = [x * ri for ri in r]
    return x, np.array(q)


def textbook_ld_mva(demands, servers, think, n_max):
    """Load-dependent MVA with marginal probabilities (Lazowska et al.,
    ch. 8 style): p_i(j|n) = D_i X(n)/alpha_i(j) p_i(j-1|n-1) for j >= 1 and
    p_i(0|n) = 1 - sum_{j>=1} p_i(j|n)."""
    m = len(demands)
    p = [np.zeros(n_max + 1) for _ in range(m)]
    for i in range(m):
        p[i][0] = 1.0
    x = 0.0
    q = np.zeros(m)
    for n in range(1, n_max + 1):
        r = np.zeros(m)
        for i in range(m):
            j = np.arange(1, n + 1)
            alpha = np.minimum(j, servers[i])
            r[i] = demands[i] * np.sum(j / alpha * p[i][j - 1])
        x = n / (think + r.sum())
        for i in range(m):
            j = np.arange(1, n + 1)
            alpha = np.minimum(j, servers[i])
            new = np.zeros(n_max + 1)
            new[1:n + 1] = demands[i] * x / alpha * p[i][0:n]
            new[0] = 1.0 - new[1:n + 1].sum()
            p[i] = new
            q[i] = float(np.dot(np.arange(n_max + 1), new))
    return x, q


def mp_mva(demands, servers, think, n_max, dps=30):
    """The same recursion at 30 digits (the accuracy reference)."""
    import mpmath as mp
    with mp.workdps(dps):
        m = len(demands)
        d = [mp.mpf(v) for v in demands]
        p = [[mp.mpf(1)] + [mp.mpf(0)] * n_max for _ in range(m)]
        x = mp.mpf(0)
        for n in range(1, n_max + 1):
            r = [d[i] * mp.fsum(mp.mpf(j) / min(j, servers[i]) * p[i][j - 1]
                                for j in range(1, n + 1)) for i in range(m)]
            x = n / (mp.mpf(think) + mp.fsum(r))
            for i in range(m):
                new = [mp.mpf(0)] * (n_max + 1)
                for j in range(1, n + 1):
                    new[j] = d[i] * x / min(j, servers[i]) * p[i][j - 1]
                new[0] = 1 - mp.fsum(new[1:])
                p[i] = new
        q = [mp.fsum(j * p[i][j] for j in range(n_max + 1)) for i in range(m)]
        return x, q


def timed(fn, repeat=1):
    best = np.inf
    out = None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def line_solver():
    """LINE's own Python MVA (line-solver 3: no Java needed for these):
    (pfqn_mva, pfqn_mvams) or None where it is not installed."""
    try:
        from line_solver.api.pfqn import pfqn_mva, pfqn_mvams
        return pfqn_mva, pfqn_mvams
    except Exception:  # not installed
        return None


def main():
    rng = np.random.default_rng(18)
    m, n, think = 20, 10_000, 5.0
    demands = rng.uniform(0.05, 1.0, m)
    print(f"queuemath {qm.__version__}: exact MVA, population {n}, {m} stations, think {think}")

    # -- single-server stations: everyone is exact -----------------------------------
    ClosedNetwork = qm.networks.ClosedNetwork
    _ = ClosedNetwork(demands, 1, 10, think_time=think).throughput    # compile once
    t_q, x_q = timed(lambda: ClosedNetwork(demands, 1, n, think_time=think).throughput, 3)
    net = ClosedNetwork(demands, 1, n, think_time=think)
    t_py, (x_py, q_py) = timed(lambda: python_mva(list(demands), think, n))
    print("\nsingle-server stations")
    print(f"  queuemath ClosedNetwork        {t_q:9.4f} s")
    print(f"  Python MVA loop                {t_py:9.4f} s   ratio {t_py / t_q:7.1f}x   "
          f"|dX|/X = {abs(x_q / x_py - 1):.1e}, max |dQ|/Q = "
          f"{np.max(np.abs(net.station_mean_in_system / q_py - 1)):.1e}")
    line = line_solver()
    if line is None:
        print("  LINE pfqn_mva                  not installed (pip install '.[bench]')")
    else:
        t_l, res = timed(lambda: line[0](demands[:, None], np.array([n]), np.array([think])))
        x_l = float(np.ravel(res[0])[0])
        q_l = np.ravel(res[2])
        print(f"  LINE pfqn_mva                  {t_l:9.4f} s   ratio {t_l / t_q:7.1f}x   "
              f"|dX|/X = {abs(x_q / x_l - 1):.1e}, max |dQ|/Q = "
              f"{np.max(np.abs(net.station_mean_in_system / q_l - 1)):.1e}")

    # -- one 4-server station: load-dependent MVA --------------------------------------
    servers = np.ones(m)
    servers[0] = 4
    dem = demands.copy()
    dem[0] = 3.0                                     # the multi-server station is the bottleneck
    _ = ClosedNetwork(dem, servers, 10, think_time=think).throughput
    t_q, _ = timed(lambda: ClosedNetwork(dem, servers, n, think_time=think).throughput, 3)
    small = 300
    t_ld, (x_ld, q_ld) = timed(lambda: textbook_ld_mva(dem, servers, think, small))
    ref_x, ref_q = mp_mva(list(dem), [int(s) for s in servers], think, small)
    ours = ClosedNetwork(dem, servers, small, think_time=think)
    err_ours = max(abs(float(ours.station_mean_in_system[i]) / float(ref_q[i]) - 1)
                   for i in range(m))
    err_ld = max(abs(float(q_ld[i]) / float(ref_q[i]) - 1) for i in range(m))
    print("\none 4-server station (load-dependent)")
    print(f"  queuemath ClosedNetwork        {t_q:9.4f} s at N = {n}")
    print(f"  textbook load-dependent MVA    {t_ld:9.4f} s at N = {small} only (O(N^2 M))")
    if line is not None:
        def run_line(pop):
            return line[1](np.zeros(1), dem[:, None], np.array([pop]), np.array([think]),
                           None, servers)
        t_l, res = timed(lambda: run_line(small))
        x_l = float(np.ravel(res[0])[0])
        q_l = np.ravel(res[1])
        err_l = max(abs(float(q_l[i]) / float(ref_q[i]) - 1) for i in range(m))
        t_big, _ = timed(lambda: run_line(n)) if t_l < 2 else (np.nan, None)
        print(f"  LINE pfqn_mvams                {t_l:9.4f} s at N = {small}, {t_big:.4f} s at "
              f"N = {n}; at N = {small}: X {abs(x_l / float(ref_x) - 1):.1e}, max |dQ|/Q "
              f"{err_l:.1e}")
    print(f"  accuracy at N = {small} against a 30-digit MVA: X {abs(ours.throughput / float(ref_x) - 1):.1e}"
          f" (queuemath) vs {abs(x_ld / float(ref_x) - 1):.1e} (textbook); max |dQ|/Q "
          f"{err_ours:.1e} vs {err_ld:.1e}")


if __name__ == "__main__":
    main()
