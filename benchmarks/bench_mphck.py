"""MPHcK's level reduction against a sparse direct solve of the same chain
(issue 16), side by side in one run.

    python benchmarks/bench_mphck.py

For each (servers, capacity, service law) at load 0.9: seconds for
``MPHcK(...).state_probabilities()`` and for ``scipy.sparse.linalg.spsolve``
on the whole generator (one balance equation replaced by the normalisation),
their ratio, the number of states, the largest relative gap between the two
level laws where the sparse solve's level probability is above 1e-6 and
1e-12 (the sparse solve's error is absolute, ~1e-16 times the condition),
and how many levels the sparse solve returns as 0 or negative while the
reduction keeps them positive (probabilities it lost).  MPHcK's own
accuracy is measured against MMcK's closed form and a 50-digit chain in
tests/test_mphck.py.
"""
import time

import numpy as np
from scipy import sparse
from scipy.sparse.linalg import spsolve

import queuemath as qm
from queuemath._kernels import phase as _phase


def generator(lam, law, c, k):
    """The whole chain as a sparse matrix (the kernel's level blocks laid
    out), and the level of each state."""
    p = law.phases
    levels = [_phase._Level(b, p) for b in range(c + 1)]
    moves = [_phase._moves(levels[b], law.T) for b in range(c + 1)]
    ends = [None] + [_phase._ends(levels[b], levels[b - 1], law.exit_rates)
                     for b in range(1, c + 1)]
    starts = [_phase._starts(levels[b], levels[b + 1], law.alpha) for b in range(c)]
    restart = ends[c] @ starts[c - 1] if k > c else None
    sizes = [levels[min(n, c)].size for n in range(k + 1)]
    offsets = np.concatenate([[0], np.cumsum(sizes)])
    rows, cols, vals = [], [], []

    def put(block, n_from, n_to):
        b = sparse.coo_matrix(block)
        rows.append(b.row + offsets[n_from])
        cols.append(b.col + offsets[n_to])
        vals.append(b.data)
    for n in range(k + 1):
        b = min(n, c)
        put(moves[b], n, n)
        if n < k:
            put(lam * (starts[n] if n < c else np.eye(sizes[n])), n, n + 1)
        if n >= 1:
            put(ends[n] if n <= c else restart, n, n - 1)
    q = sparse.coo_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                          shape=(offsets[-1], offsets[-1])).tocsr()
    q = q - sparse.diags(np.asarray(q.sum(axis=1)).ravel())
    level = np.repeat(np.arange(k + 1), sizes)
    return q, level


def sparse_levels(lam, law, c, k):
    q, level = generator(lam, law, c, k)
    a = q.T.tocsr()
    # the first balance equation becomes the normalisation
    a = sparse.vstack([sparse.csr_matrix(np.ones((1, q.shape[0]))), a[1:]])
    rhs = np.zeros(q.shape[0])
    rhs[0] = 1.0
    pi = spsolve(a.tocsc(), rhs)
    return np.bincount(level, weights=pi, minlength=k + 1), q.shape[0]


def main():
    print(f"{'c':>4} {'K':>6} {'law':>8} {'states':>8} {'MPHcK s':>8} {'spsolve s':>9} "
          f"{'ratio':>6} {'gap>1e-6':>8} {'gap>1e-12':>9} {'lost':>5}")
    laws = {"scv0.5": qm.PhaseType.fit(1.0, 0.5), "h2_scv4": qm.PhaseType.fit(1.0, 4.0),
            "e3": qm.PhaseType.erlang(3, 1.0)}
    for c, k in [(5, 50), (5, 500), (5, 5000), (20, 200), (20, 1000), (50, 100), (50, 300)]:
        for name, law in laws.items():
            lam = 0.9 * c
            if (k + 1) * (c + 1) ** (law.phases - 1) > 120_000:
                continue             # beyond what the sparse solve does in a minute
            t0 = time.perf_counter()
            mine = qm.MPHcK(lam, c, k, service_time=law).state_probabilities()
            t_mine = time.perf_counter() - t0
            t0 = time.perf_counter()
            ref, states = sparse_levels(lam, law, c, k)
            t_ref = time.perf_counter() - t0
            gaps = [np.max(np.abs(mine[ref > f] / ref[ref > f] - 1)) for f in (1e-6, 1e-12)]
            lost = int(np.sum((ref <= 0) & (mine > 0)))
            print(f"{c:>4} {k:>6} {name:>8} {states:>8} {t_mine:>8.3f} {t_ref:>9.3f} "
                  f"{t_ref / t_mine:>6.1f} {gaps[0]:>8.1e} {gaps[1]:>9.1e} {lost:>5}")


if __name__ == "__main__":
    main()
