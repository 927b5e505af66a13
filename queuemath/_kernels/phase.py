r"""M/PH/c/K as a level-structured Markov chain (private kernel; see
``queuemath.MPHcK``).

Level n is the number present; the phase of a level is the vector k of
busy servers in each service phase (:math:`\sum_i k_i = \min(n, c)`), so a
level holds :math:`\binom{b + p - 1}{p - 1}` states for b busy servers and p
phases.  With A_n (up: an arrival), D_n (within: phase changes, and the
diagonal) and B_n (down: a completion, after which a waiting customer starts
in phase j with probability :math:`\alpha_j`), the stationary row vectors
satisfy :math:`\pi_{n-1}A_{n-1} + \pi_n D_n + \pi_{n+1}B_{n+1} = 0`.

Linear level reduction from the top: :math:`\pi_n = \pi_{n-1}R_{n-1}` with

.. math:: R_{n-1} = A_{n-1} M_n^{-1},\qquad M_n = -(D_n + R_n B_{n+1}),
          \quad R_K B_{K+1} = 0,

:math:`M_n` being minus the generator of the chain censored to levels <= n,
restricted to level n.  Its diagonal is taken from positive terms only
(Grassmann-Taksar-Heyman): the censored chain's rows sum to minus the rate
down, :math:`M_n\mathbf 1 = B_n\mathbf 1`, so :math:`(M_n)_{ii} = (B_n\mathbf
1)_i + \sum_{j\ne i} (D_n + R_nB_{n+1})_{ij}` with no subtraction.  The
levels are then products of non-negative matrices, carried with a log scale,
so small probabilities keep their relative precision.  Above c the blocks do
not depend on n, and R_n converges (geometrically, away from load 1) as n
falls from K: once two successive R agree within 16 ulps in every entry, the
rest reuse it.  Cost: O(s^3) per level reduced (s states per level), O(s^2) per level
afterwards; memory O(s^2) per distinct R.

References
----------
.. [1] G. Latouche, V. Ramaswami, "Introduction to Matrix Analytic Methods in
   Stochastic Modeling," SIAM, 1999, ch. 10 (linear level reduction).
   doi:10.1137/1.9780898719734
.. [2] W. K. Grassmann, M. I. Taksar, D. P. Heyman, "Regenerative analysis and
   steady state distributions for Markov chains," Operations Research 33,
   1985, 1107-1116.  doi:10.1287/opre.33.5.1107
"""
import itertools

import numpy as np

__all__ = ["compositions", "full_level", "reduce_level", "solve"]

#: R has settled when no entry moves by more than 16 ulps from one level to
#: the next (the iteration ends in a last-digit wobble of a few ulps)
_SETTLED = 16 * 2.220446049250313e-16


def compositions(b, p):
    """All vectors of p non-negative integers summing to b, as rows."""
    rows = [np.bincount(c, minlength=p) for c in
            itertools.combinations_with_replacement(range(p), b)]
    return np.array(rows, dtype=np.int64).reshape(len(rows), p)


class _Level:
    """The states with b busy servers, and the lookup of a composition."""

    def __init__(self, b, p):
        self.k = compositions(b, p)
        self.base = b + 1
        self.keys = self.k @ (self.base ** np.arange(p))
        self.order = np.argsort(self.keys)
        self.sorted = self.keys[self.order]

    @property
    def size(self):
        return self.k.shape[0]

    def index(self, k):
        keys = k @ (self.base ** np.arange(k.shape[1]))
        return self.order[np.searchsorted(self.sorted, keys)]


def _moves(level, T):
    """Phase changes within a level: rate k_i T_ij to k - e_i + e_j."""
    s, p = level.size, T.shape[0]
    out = np.zeros((s, s))
    for i in range(p):
        for j in range(p):
            if i == j or T[i, j] == 0:
                continue
            src = np.flatnonzero(level.k[:, i] > 0)
            k = level.k[src].copy()
            k[:, i] -= 1
            k[:, j] += 1
            np.add.at(out, (src, level.index(k)), level.k[src, i] * T[i, j])
    return out


def _ends(level, lower, exit_rates):
    """Completions without a start: rate k_i t_i to k - e_i (one level down)."""
    out = np.zeros((level.size, lower.size))
    for i, t in enumerate(exit_rates):
        if t == 0:
            continue
        src = np.flatnonzero(level.k[:, i] > 0)
        k = level.k[src].copy()
        k[:, i] -= 1
        np.add.at(out, (src, lower.index(k)), level.k[src, i] * t)
    return out


def _starts(level, upper, alpha):
    """A customer starts service in phase j with probability alpha_j."""
    out = np.zeros((level.size, upper.size))
    for j, a in enumerate(alpha):
        if a == 0:
            continue
        k = level.k.copy()
        k[:, j] += 1
        np.add.at(out, (np.arange(level.size), upper.index(k)), a)
    return out


def reduce_level(A, D_off, B_below, B_next, R_next):
    """R = A M^-1 with M = -(D + R_next B_next) and its diagonal from
    positive terms (module notes); ``D_off`` is D without its diagonal."""
    off = D_off if R_next is None else D_off + R_next @ B_next
    m = -off
    np.fill_diagonal(m, 0.0)
    diag = B_below.sum(axis=1) + off.sum(axis=1) - np.diag(off)
    m[np.diag_indices_from(m)] = diag
    return np.linalg.solve(m.T, A.T).T


def solve(lam, alpha, T, exit_rates, c, k, vectors=False):
    """log P(N = n), n = 0..K, for M/PH/c/K at arrival rate ``lam`` > 0;
    with ``vectors``, also the law of the servers' phases at each level n =
    c..K (rows summing to 1, in :func:`full_level`'s order)."""
    p = alpha.size
    top = min(c, k)
    levels = [_Level(b, p) for b in range(top + 1)]
    moves = [_moves(levels[b], T) for b in range(top + 1)]
    ends = [None] + [_ends(levels[b], levels[b - 1], exit_rates) for b in range(1, top + 1)]
    starts = [_starts(levels[b], levels[b + 1], alpha) for b in range(top)]
    full = levels[top]
    # above c: a completion in phase i starts the next customer in phase j
    if k > c:
        restart = _ends(full, levels[c - 1], exit_rates) @ starts[c - 1]
    eye = np.eye(full.size)

    def blocks(n):
        """(A_{n-1}, D_n off its diagonal, B_n, B_{n+1}) for level n >= 1."""
        b = min(n, c)
        a_prev = lam * (starts[n - 1] if n - 1 < c else eye)
        b_n = ends[n] if n <= c else restart
        b_next = None if n == k else (ends[n + 1] if n + 1 <= c else restart)
        return a_prev, moves[b], b_n, b_next

    reducers = {}           # R_{n-1} for the levels reduced one by one
    steady = None           # (level below which R is constant, R)
    r_next = None
    for n in range(k, 0, -1):
        a_prev, d_off, b_n, b_next = blocks(n)
        if steady is not None and n > c:
            continue
        r = reduce_level(a_prev, d_off, b_n, b_next, r_next)
        if n > c + 1 and r_next is not None and r.shape == r_next.shape and np.all(
                np.abs(r - r_next) <= _SETTLED * np.abs(r_next) + 1e-300):
            steady = (n - 1, r)              # R_{m} = r for every c <= m <= n - 1
            r_next = r
            continue
        reducers[n - 1] = r
        r_next = r
    # levels upward from pi_0 = 1, each a non-negative product, with a log scale
    log_mass = np.empty(k + 1)
    log_mass[0] = 0.0
    v, scale = np.ones(1), 0.0
    rows = np.zeros((k - c + 1, full.size)) if vectors and k >= c else None
    for n in range(1, k + 1):
        r = reducers.get(n - 1)
        if r is None:
            r = steady[1]
        v = v @ r
        top_v = v.max()
        if top_v <= 0:
            log_mass[n:] = -np.inf
            break
        v = v / top_v
        scale += np.log(top_v)
        log_mass[n] = scale + np.log(v.sum())
        if rows is not None and n >= c:
            rows[n - c] = v / v.sum()
    big = log_mass.max()
    log_mass = log_mass - (big + np.log(np.exp(log_mass - big).sum()))
    return (log_mass, rows) if vectors else log_mass


def full_level(alpha, T, exit_rates, c):
    """The blocks of the level with every server busy: (phase changes,
    completion rate of each state, completion followed by a start, the
    states' compositions), the states in :func:`solve`'s order."""
    p = alpha.size
    full, below = _Level(c, p), _Level(c - 1, p)
    ends = _ends(full, below, exit_rates)
    return _moves(full, T), ends.sum(axis=1), ends @ _starts(below, full, alpha), full.k
