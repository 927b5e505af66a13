r"""M/M/c/K with retrials (private kernel; see ``queuemath.RetrialMMcK``).

The state is (n present at the station, j in orbit).  Level j holds n =
0..K; a refused attempt (a primary arrival or a retry finding n = K) joins or
stays in the orbit with probability q, else leaves; each orbit customer
retries at rate nu.  The chain is level-dependent quasi-birth-death in j,
truncated at an orbit size J, and solved by the linear level reduction of
the phase-type kernel (``phase.reduce_level``: the diagonal from positive
terms), level 0 by the Grassmann-Taksar-Heyman elimination, the levels
upward as non-negative products with a log scale.

The truncation: J starts at 64 and doubles until the mass the chain puts
beyond J, bounded from the decay of its last levels (a geometric tail with
the ratio of the last two level masses), is below 1e-14, and the top level
itself below 1e-16 (the truncated chain refuses joins at J, which moves at
most that mass).  Orbits that grow without bound (q = 1 at loads the
servers cannot carry) stop the doubling, at 2**20 levels or 5e7 kept matrix
entries, with a ValueError.

References
----------
.. [1] J. R. Artalejo, A. Gomez-Corral, "Retrial Queueing Systems: A
   Computational Approach," Springer, 2008, ch. 1 and 3 (M/M/c retrial
   queues, truncation of the orbit).  doi:10.1007/978-3-540-78725-9
.. [2] W. K. Grassmann, M. I. Taksar, D. P. Heyman, "Regenerative analysis and
   steady state distributions for Markov chains," Operations Research 33,
   1985, 1107-1116.  doi:10.1287/opre.33.5.1107
"""
import numpy as np

from . import phase as _phase

__all__ = ["solve", "gth"]

_FIRST, _LIMIT = 64, 2 ** 20
_MEMORY = 5e7          # matrix entries kept for the upward pass (400 MB)
_TAIL, _TOP = 1e-14, 1e-16


def gth(q):
    """The stationary row vector of a small generator q (rows summing to 0),
    by Grassmann-Taksar-Heyman elimination: positive terms only."""
    a = np.array(q, dtype=float)
    n = a.shape[0]
    np.fill_diagonal(a, 0.0)
    for k in range(n - 1, 0, -1):
        out = a[k, :k].sum()
        a[:k, :k] += np.outer(a[:k, k], a[k, :k]) / out
        a[:k, k] /= out
    pi = np.zeros(n)
    pi[0] = 1.0
    for k in range(1, n):
        pi[k] = pi[:k] @ a[:k, k]
    return pi / pi.sum()


def _blocks(lam, mu, c, k, nu, q):
    """(local off-diagonal D, up A_j, down B_j) as functions of the level."""
    n = np.arange(k + 1)
    local = np.zeros((k + 1, k + 1))
    local[n[:-1], n[:-1] + 1] = lam
    local[n[1:], n[1:] - 1] = np.minimum(n[1:], c) * mu

    def up(j):
        a = np.zeros((k + 1, k + 1))
        a[k, k] = lam * q
        return a

    def down(j):
        b = np.zeros((k + 1, k + 1))
        b[n[:-1], n[:-1] + 1] = j * nu
        b[k, k] = j * nu * (1 - q)
        return b
    return local, up, down


def _solve_truncated(lam, mu, c, k, nu, q, top):
    local, up, down = _blocks(lam, mu, c, k, nu, q)
    reducers = {}
    r_next = None
    for j in range(top, 0, -1):
        b_next = None if j == top else down(j + 1)
        r = _phase.reduce_level(up(j - 1), local, down(j), b_next, r_next)
        reducers[j - 1] = r
        r_next = r
    g0 = local + r_next @ down(1) if top > 0 else local.copy()
    np.fill_diagonal(g0, 0.0)
    np.fill_diagonal(g0, -g0.sum(axis=1))
    v = gth(g0)
    log_levels = np.empty(top + 1)
    vectors = np.empty((top + 1, k + 1))
    scale = 0.0
    log_levels[0] = 0.0
    vectors[0] = v
    for j in range(1, top + 1):
        v = v @ reducers[j - 1]
        big = v.max()
        if big <= 0:
            vectors[j:] = 0.0
            log_levels[j:] = -np.inf
            break
        v = v / big
        scale += np.log(big)
        vectors[j] = v / v.sum()
        log_levels[j] = scale + np.log(v.sum())
    peak = log_levels.max()
    mass = np.exp(log_levels - peak)
    mass /= mass.sum()
    return mass, vectors


def solve(lam, mu, c, k, nu, q):
    """(P(j) for j = 0..J, P(n | j) rows, J) with the truncation of the
    module notes."""
    top = _FIRST
    while True:
        mass, rows = _solve_truncated(lam, mu, c, k, nu, q, top)
        last, before = mass[-1], mass[-2]
        ratio = last / before if before > 0 else 0.0
        beyond = last * ratio / (1 - ratio) if ratio < 1 else np.inf
        if last < _TOP and beyond < _TAIL:
            return mass, rows, top
        if top * 2 > _LIMIT or 2 * top * (k + 1) ** 2 > _MEMORY:
            if ratio >= 1 or q == 1:
                raise ValueError(
                    f"the orbit grows without bound (retry_probability={q!r}: the servers "
                    f"cannot carry arrival_rate={lam!r}); no stationary law")
            raise ValueError(
                f"the orbit needs more than {top} levels to leave out less than {_TAIL:g} "
                f"(retry_rate={nu!r} is slow against the arrivals); beyond this kernel's "
                f"memory bound of {_MEMORY:g} matrix entries")
        top *= 2
