"""Compiled loops of the closed-network solvers (numba; imported only when a
closed network is solved, so ``import queuemath`` never loads numba).

Every loop is a recursion over the population in which each new value is a
sum, product or quotient of positive numbers: no subtraction, so each step
adds at most a few roundings of relative size and nothing overflows (the
sequences are ratios of normalising constants, not the constants).  See
:mod:`queuemath._kernels.mva` for the derivation.
"""
import numba
import numpy as np

__all__ = ["add_single", "add_multi", "mva_queues", "multiclass"]


@numba.njit(cache=True)
def add_single(rho, a, empty):
    """Ratios G'(n-1)/G'(n) after adding a single-server station of demand
    ``a`` to a network whose ratios are ``rho`` (``rho[0]`` unused);
    ``empty``: the network so far has no station (G(n) = 0 for n >= 1).

    With u(n) = G'(n)/G(n) and w = 1/u: w(n) = w(n-1) / (w(n-1) + a rho(n)),
    rho'(n) = rho(n) / (w(n-1) + a rho(n)).
    """
    n_max = rho.size - 1
    out = np.empty(n_max + 1)
    out[0] = 0.0
    if empty:
        for n in range(1, n_max + 1):
            out[n] = 1.0 / a
        return out
    w = 1.0
    for n in range(1, n_max + 1):
        s = w + a * rho[n]
        out[n] = rho[n] / s
        w = w / s
    return out


@numba.njit(cache=True)
def add_multi(rho, demand, c, empty, busy_all):
    """Ratios after adding a station of ``c`` >= 2 servers and demand
    ``demand`` (its factor D^n / (min(n, c)! c^(n-c)+) = A(z) / (1 - a z),
    a = D/c, A_j = D^j/j! (1 - j/c) for j < c: a geometric part, then a
    polynomial of positive coefficients).

    The polynomial part keeps q_j(n) = A_j P_j(n) / y(n) (P_j(n) = prod of
    the j ratios below n, y = G'/G_H): a probability vector updated by
    positive steps.  ``busy_all`` (length N + 1) receives P(all c busy | n)
    = D rho_H(n - c + 1) q_{c-1}(n), exact when this station is the last
    one added.
    """
    n_max = rho.size - 1
    h = add_single(rho, demand / c, empty)
    q = np.zeros(c)
    q[0] = 1.0
    r = np.zeros(c)
    out = np.empty(n_max + 1)
    out[0] = 0.0
    busy_all[0] = 0.0
    for n in range(1, n_max + 1):
        top = c - 1 if n > c - 1 else n
        r[0] = q[0]
        s = r[0]
        for j in range(1, top + 1):
            # A_j / A_{j-1} = D (c - j) / (j (c - j + 1))
            r[j] = demand * (c - j) / (j * (c - j + 1.0)) * h[n] * q[j - 1]
            s += r[j]
        for j in range(top + 1, c):
            r[j] = 0.0
        for j in range(c):
            q[j] = r[j] / s
        out[n] = h[n] / s
        busy_all[n] = demand * h[n - c + 1] * q[c - 1] if n >= c else 0.0
    return out


@numba.njit(cache=True)
def mva_queues(x, demand, c, busy_all):
    """Mean number at a station, n = 0..N, from the throughputs ``x``:
    single server (c = 1): Q(n) = D X(n) (1 + Q(n-1)) (the MVA step);
    c >= 2: D X(n) busy servers plus the waiting W(n) = (D/c) X(n)
    (P(all busy | n-1) + W(n-1))."""
    n_max = x.size - 1
    out = np.zeros(n_max + 1)
    if c == 1:
        for n in range(1, n_max + 1):
            out[n] = demand * x[n] * (1.0 + out[n - 1])
        return out
    w = 0.0
    a = demand / c
    for n in range(1, n_max + 1):
        w = a * x[n] * (busy_all[n - 1] + w)
        out[n] = demand * x[n] + w
    return out


@numba.njit(cache=True)
def multiclass(demands, delay, think, pops):
    """Exact multi-class MVA (Reiser & Lavenberg 1980) over the lattice of
    population vectors 0 <= n <= pops, single-server and delay stations.
    ``demands`` (R, M); ``delay`` (M,) booleans; ``think`` (R,).  Returns
    (X (R,), Q (R, M)) at the full population.  Lattice points in mixed
    radix; each is computed from its R lower neighbours."""
    R, M = demands.shape
    radix = np.ones(R, dtype=np.int64)
    size = 1
    for r in range(R):
        radix[r] = size
        size *= pops[r] + 1
    qtot = np.zeros((size, M))
    xs = np.zeros(R)
    qr = np.zeros((R, M))
    n = np.zeros(R, dtype=np.int64)
    for idx in range(1, size):
        rem = idx
        for r in range(R - 1, -1, -1):
            n[r] = rem // radix[r]
            rem -= n[r] * radix[r]
        for r in range(R):
            xs[r] = 0.0
            for i in range(M):
                qr[r, i] = 0.0
            if n[r] == 0:
                continue
            below = idx - radix[r]
            total = think[r]
            for i in range(M):
                if delay[i]:
                    rt = demands[r, i]
                else:
                    rt = demands[r, i] * (1.0 + qtot[below, i])
                qr[r, i] = rt
                total += rt
            xs[r] = n[r] / total if total > 0 else np.inf
        for i in range(M):
            acc = 0.0
            for r in range(R):
                if n[r] > 0:
                    qr[r, i] = xs[r] * qr[r, i]
                    acc += qr[r, i]
            qtot[idx, i] = acc
    return xs.copy(), qr.copy()
