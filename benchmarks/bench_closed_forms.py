"""Side-by-side benchmark of queuemath's closed forms against the usual peers.

Run with ``make bench`` (or ``.venv/bin/python benchmarks/bench_closed_forms.py``).
Every contender is timed in this one run on the same points, so the printed
ratios compare like with like on whatever machine runs it.  Accuracy is
measured against mpmath (50 digits) on a seeded subsample of the points.

Contenders (issue 3):
* Erlang B: the factorial/power textbook form, scipy.stats.poisson pmf/cdf
  ratio, the scalar recursion 1/B(k) = 1 + k/(A B(k-1)) in Python;
* Erlang C: pyworkforce's ErlangC (only if installed: ``pip install
  '.[bench]'``); line-solver is not benchmarked (it needs a Java runtime);
* M/M/1/K: the naive numpy power form (1-rho) rho**K / (1 - rho**(K+1)).
"""
import math
import statistics
import subprocess
import sys
import time
import warnings

import mpmath as mp
import numpy as np
from scipy import special, stats

import queuemath as qm

N_POINTS = 10**6
SEED = 20261125


def best_time(fn, repeat=3):
    best = math.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def bad_count(x):
    x = np.asarray(x, dtype=float)
    return int(np.sum(~np.isfinite(x) | (x < 0) | (x > 1)))


def mp_erlang_b(c, a):
    c = int(c)
    with mp.workdps(50 + int(math.log10(max(a, c, 1.0))) + 10):
        a = mp.mpf(a)
        lp = c * mp.log(a) - a - mp.loggamma(c + 1)
        lq = mp.log(mp.gammainc(c + 1, a, mp.inf, regularized=True))
        return mp.exp(lp - lq)


def max_rel_err(got, ref):
    """Largest relative error over the points whose reference is a normal
    double (below 2.2e-308 only log forms can be exact; those points are
    skipped here and covered by the test suite's log-form checks)."""
    worst = 0.0
    tiny = np.finfo(float).tiny
    for g, r in zip(got, ref):
        if r < tiny:
            continue
        if not np.isfinite(g):
            return math.inf
        worst = max(worst, float(abs((mp.mpf(float(g)) - r) / r)))
    return worst


def textbook_erlang_b(c, a):
    """(A^c/c!) / sum_k A^k/k!, vectorised over points, looping over k."""
    top = int(c.max())
    num = a ** c / special.factorial(c)
    den = np.zeros_like(a)
    for k in range(top + 1):
        den += np.where(k <= c, a ** k / special.factorial(k), 0.0)
    return num / den


def recursion_erlang_b(c, a):
    b = 1.0
    for k in range(1, int(c) + 1):
        b = a * b / (k + a * b)
    return b


def row(name, seconds, points, bad, err, base):
    rate = points / seconds
    ratio = f"{base / seconds * points / N_POINTS:8.2f}x" if base else "       -"
    err_s = "inf" if not np.isfinite(err) else f"{err:.1e}"
    print(f"  {name:38s} {rate:12.3e} pts/s {ratio}  bad={bad:<7d} max rel err={err_s}")


def erlang_b_section(kind, rng):
    if kind == "uniform":
        c = rng.integers(1, 10**4, N_POINTS, endpoint=True).astype(float)
    else:
        c = np.floor(np.exp(rng.uniform(0, np.log(10**4 + 1), N_POINTS)))
    a = rng.uniform(0.01, 2.0, N_POINTS) * c
    sub = rng.choice(N_POINTS, 200, replace=False)
    ref = [mp_erlang_b(c[i], a[i]) for i in sub]
    print(f"\nErlang B, {N_POINTS:.0e} points: servers {kind} on 1..1e4, load uniform on 0.01c..2c")
    t_qm, b_qm = best_time(lambda: qm.erlang_b(c, a))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t_sp, b_sp = best_time(lambda: stats.poisson.pmf(c, a) / stats.poisson.cdf(c, a))
        small = rng.choice(N_POINTS, 10**4, replace=False)
        t_tb, b_tb = best_time(lambda: textbook_erlang_b(c[small], a[small]), repeat=1)
    rec_pts = sub[:100]
    t_rc, b_rc = best_time(lambda: [recursion_erlang_b(c[i], a[i]) for i in rec_pts], repeat=1)
    print("  (ratio = queuemath's throughput over the contender's: above 1 means queuemath is faster)")
    row("queuemath.erlang_b", t_qm, N_POINTS, bad_count(b_qm),
        max_rel_err(b_qm[sub], ref), None)
    print(f"  {'':38s} -> {t_sp / t_qm:.2f}x scipy.stats.poisson pmf/cdf")
    row("scipy.stats.poisson pmf/cdf", t_sp, N_POINTS, bad_count(b_sp),
        max_rel_err(b_sp[sub], ref), None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tb_err = max_rel_err(textbook_erlang_b(c[sub[:50]], a[sub[:50]]), ref[:50])
    row("factorial/power textbook (1e4 pts)", t_tb, small.size, bad_count(b_tb), tb_err, None)
    row("scalar recursion, Python (100 pts)", t_rc, len(rec_pts), bad_count(b_rc),
        max_rel_err(b_rc, ref[:100]), None)
    print(f"  throughput ratios, queuemath over: scipy pmf/cdf {t_sp / t_qm:.2f}x, "
          f"textbook {(small.size / t_tb) and (N_POINTS / t_qm) / (small.size / t_tb):.0f}x, "
          f"recursion {(N_POINTS / t_qm) / (len(rec_pts) / t_rc):.0f}x")


def mm1k_section(rng):
    rho = rng.uniform(0.1, 2.0, N_POINTS)
    k = np.floor(np.exp(rng.uniform(0, np.log(10**4), N_POINTS)))
    print(f"\nM/M/1/K blocking, {N_POINTS:.0e} points: rho uniform on 0.1..2, K log-uniform on 1..1e4")
    t_qm, b_qm = best_time(lambda: qm.MM1K(rho, 1.0, k).blocking)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t_nv, b_nv = best_time(lambda: (1 - rho) * rho**k / (1 - rho ** (k + 1)))
    sub = rng.choice(N_POINTS, 200, replace=False)
    with mp.workdps(60):
        ref = []
        for i in sub:
            r, kk = mp.mpf(rho[i]), int(k[i])
            ref.append((1 - r) * r**kk / (1 - r ** (kk + 1)))
    row("queuemath.MM1K(...).blocking", t_qm, N_POINTS, bad_count(b_qm), max_rel_err(b_qm[sub], ref), None)
    row("naive numpy power form", t_nv, N_POINTS, bad_count(b_nv), max_rel_err(b_nv[sub], ref), None)
    print(f"  throughput ratio, queuemath over naive: {t_nv / t_qm:.2f}x (target >= 0.5x)")
    near = np.array([1 - 1e-9, 1 + 1e-9, 1.0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        naive_near = (1 - near) * near**1e6 / (1 - near ** (1e6 + 1))
    print(f"  at K = 1e6, rho = 1-1e-9, 1+1e-9, 1: queuemath {qm.MM1K(near, 1.0, 10**6).blocking}, "
          f"naive {naive_near}")


def single_point_section():
    print("\nOne Erlang B at c = 1e6, A = 1e6")
    t_qm, b_qm = best_time(lambda: qm.erlang_b(10**6, 1e6), repeat=20)
    t_rc, b_rc = best_time(lambda: recursion_erlang_b(10**6, 1e6), repeat=3)
    print(f"  queuemath {t_qm * 1e6:9.1f} us   scalar recursion {t_rc * 1e6:12.1f} us   "
          f"ratio {t_rc / t_qm:,.0f}x (target >= 1000x); values {b_qm:.15e} vs {b_rc:.15e}")


def erlang_c_peer_section(rng):
    try:
        from pyworkforce.queuing import ErlangC
    except ImportError:
        print("\nErlang C against pyworkforce: not installed (pip install '.[bench]')")
        return
    c = rng.integers(1, 500, 2000, endpoint=True)
    a = rng.uniform(0.01, 2.0, 2000) * c
    t_qm, b_qm = best_time(lambda: qm.erlang_c(c, a))
    # ErlangC(transactions, aht, asa, interval): intensity = transactions/interval*aht = a
    t_pw, b_pw = best_time(lambda: np.array([
        ErlangC(transactions=ai, aht=1.0, asa=1.0, interval=1).waiting_probability(int(ci))
        for ci, ai in zip(c, a)]), repeat=1)
    print("\nErlang C, 2000 points (servers 1..500, load 0.01c..2c) against pyworkforce")
    print(f"  queuemath {2000 / t_qm:.3e} pts/s, pyworkforce {2000 / t_pw:.3e} pts/s: "
          f"ratio {t_pw / t_qm:.0f}x; values outside [0, 1]: queuemath {bad_count(b_qm)}, "
          f"pyworkforce {bad_count(b_pw)}")


def import_section():
    def timed(code):
        runs = []
        for _ in range(7):
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True)
            runs.append(time.perf_counter() - t0)
        return statistics.median(runs)
    base = timed("import numpy, scipy.special")
    ours = timed("import queuemath")
    heavy = subprocess.run(
        [sys.executable, "-c", "import sys, queuemath; print([m for m in ('sympy', "
         "'matplotlib', 'scipy.stats') if m in sys.modules])"],
        capture_output=True, text=True, check=True).stdout.strip()
    print(f"\nimport queuemath {ours * 1e3:.0f} ms vs import numpy, scipy.special {base * 1e3:.0f} ms "
          f"(median of 7 interpreter starts): ratio {ours / base:.2f} (target <= 1.5); "
          f"heavy modules loaded: {heavy}")


def main():
    rng = np.random.default_rng(SEED)
    print(f"queuemath {qm.__version__}, numpy {np.__version__}, python {sys.version.split()[0]}")
    erlang_b_section("uniform", rng)
    erlang_b_section("log-uniform", rng)
    mm1k_section(rng)
    single_point_section()
    erlang_c_peer_section(rng)
    import_section()


if __name__ == "__main__":
    main()
