r"""Closed product-form networks: exact and approximate mean value analysis
(private kernel; see ``queuemath.networks.ClosedNetwork``).

Exact single-class solution, every population 0..N in one pass
----------------------------------------------------------------
The normalising constant of a network of stations with factors
:math:`f_i(n)` is the convolution :math:`G = f_0 * f_1 * \dots`, and the
throughput at population n is :math:`X(n) = G(n-1)/G(n)`.  The constants
themselves overflow (:math:`D^N` at N = 1e5) and their logarithms lose
digits in proportion to their size, so the kernel carries only the ratios
:math:`\rho(n) = G(n-1)/G(n)` and adds one station at a time:

* all delay stations (and the think time) together: :math:`f(n) = Z^n/n!`,
  :math:`\rho(n) = n/Z`; a station with at least N servers is a delay
  station for every population up to N;
* a single-server station of demand a, :math:`G'(n) = G(n) + a G'(n-1)`:
  with :math:`w(n) = G(n)/G'(n) \in (0, 1]`,
  :math:`w(n) = w(n-1)/(w(n-1) + a\rho(n))` and
  :math:`\rho'(n) = \rho(n)/(w(n-1) + a\rho(n))`;
* a station of c servers: its factor's generating function is
  :math:`A(z)/(1 - az)`, a = D/c, with
  :math:`A_j = D^j/j!\,(1 - j/c) > 0` for j < c (and :math:`A_c = 0`):
  a single-server station of demand a, then a polynomial of positive
  coefficients, carried as the probability vector
  :math:`q_j(n) = A_j \prod_{l<j}\rho(n-l) / \sum_k (\dots)`.

Every step is a sum, product or quotient of positive numbers: no
cancellation, no overflow, relative error a few units of roundoff per
station and population (measured against 60-digit convolutions in
``tests/test_networks.py``).  Mean queue lengths follow from the
throughputs: :math:`Q_i(n) = D_i X(n)(1 + Q_i(n-1))` for a single server
(the MVA step of Reiser & Lavenberg), and for c servers
:math:`Q_i(n) = D_i X(n) + W_i(n)` with the waiting
:math:`W_i(n) = (D_i/c) X(n) (P_i(\text{all busy} \mid n-1) + W_i(n-1))`,
where :math:`P_i(\text{all busy} \mid n) = D_i \rho_H(n-c+1) q_{c-1}(n)` is
read off the polynomial step when station i is the last one added (one pass
per multi-server station).  This avoids the marginal probability
:math:`p_i(0 \mid n) = 1 - \sum_{j \ge 1} p_i(j \mid n)` of load-dependent
MVA, whose subtraction is the known instability of that algorithm.

References
----------
.. [1] M. Reiser, S. S. Lavenberg, "Mean-value analysis of closed
   multichain queuing networks", J. ACM 27(2), 313-322, 1980.
   https://doi.org/10.1145/322186.322195
.. [2] J. P. Buzen, "Computational algorithms for closed queueing networks
   with exponential servers", Comm. ACM 16(9), 527-531, 1973.
   https://doi.org/10.1145/362342.362345
.. [3] P. J. Schweitzer, "Approximate analysis of multiclass closed
   networks of queues", Proc. Int. Conf. Stochastic Control and
   Optimization, Amsterdam, 1979; Y. Bard, "Some extensions to multiclass
   queueing network analysis", 1979.
.. [4] A. Seidmann, P. J. Schweitzer, S. Shalev-Oren, "Computerized closed
   queueing network models of flexible manufacturing systems", Large Scale
   Systems 12, 91-107, 1987 (the multi-server approximation).
"""
import numpy as np

__all__ = ["exact", "schweitzer", "multiclass_exact", "multiclass_schweitzer", "bounds"]


def _split(demands, servers, n_max):
    """Stations by kind: (delay demand total, single-server indices,
    multi-server indices); a station with c >= n_max servers never queues."""
    single, multi = [], []
    delay = 0.0
    for i, (d, c) in enumerate(zip(demands, servers)):
        if d == 0:
            continue
        if not np.isfinite(c) or c >= n_max:
            delay += d
        elif c == 1:
            single.append(i)
        else:
            multi.append(i)
    return delay, single, multi


def exact(demands, servers, think, n_max):
    """Exact MVA for populations 0..n_max: (X (n_max+1,), Q (M, n_max+1)).

    ``demands`` (M,) >= 0, ``servers`` (M,) >= 1 (inf: delay station),
    ``think`` >= 0; some demand or the think time is positive."""
    from . import _mva_jit as jit
    demands = np.asarray(demands, dtype=float)
    servers = np.asarray(servers, dtype=float)
    m = demands.size
    n_max = int(n_max)
    if n_max == 0:
        return np.zeros(1), np.zeros((m, 1))
    delay, single, multi = _split(demands, servers, n_max)
    z = think + delay
    n = np.arange(n_max + 1, dtype=float)
    if z > 0:
        base = n / z
        empty = False
    else:
        base = np.zeros(n_max + 1)
        empty = True
    for i in single:
        base = jit.add_single(base, float(demands[i]), empty)
        empty = False
    busy = {}
    rho = base
    if multi:
        scratch = np.zeros(n_max + 1)
        for i in multi:
            # station i last: its all-busy probabilities are exact
            seq, first = base, empty
            for j in multi:
                if j != i:
                    seq = jit.add_multi(seq, float(demands[j]), int(servers[j]), first, scratch)
                    first = False
            b = np.zeros(n_max + 1)
            rho = jit.add_multi(seq, float(demands[i]), int(servers[i]), first, b)
            busy[i] = b
    x = rho.copy()
    x[0] = 0.0
    q = np.zeros((m, n_max + 1))
    for i in range(m):
        d = float(demands[i])
        if d == 0:
            continue
        if i in busy:
            q[i] = jit.mva_queues(x, d, int(servers[i]), busy[i])
        elif i in single:
            q[i] = jit.mva_queues(x, d, 1, np.zeros(1))
        else:
            q[i] = d * x
    return x, q


def _seidmann(demands, servers):
    """(queueing demand, delay demand) per station: a c-server station of
    demand D as a single server of demand D/c and a delay of D (c-1)/c."""
    finite = np.isfinite(servers)
    c = np.where(finite, servers, 1.0)
    queue = np.where(finite, demands / c, 0.0)
    return queue, demands - queue


def schweitzer(demands, servers, think, populations, tol=1e-13, max_iter=100_000):
    """Bard-Schweitzer approximate MVA (multi-server stations by Seidmann's
    approximation) at each population in ``populations`` (1-D array of
    ints >= 0): (X, Q (M, len))."""
    demands = np.asarray(demands, dtype=float)
    queue, extra = _seidmann(demands, np.asarray(servers, dtype=float))
    pops = np.asarray(populations, dtype=float)
    m = demands.size
    q = np.outer(queue > 0, pops) / max(int(np.count_nonzero(queue > 0)), 1)
    x = np.zeros(pops.size)
    shrink = np.where(pops > 0, (pops - 1) / np.where(pops > 0, pops, 1), 0.0)
    for _ in range(max_iter):
        r = queue[:, None] * (1 + shrink * q) + extra[:, None]
        with np.errstate(divide="ignore", invalid="ignore"):
            x = np.where(pops > 0, pops / (think + r.sum(axis=0)), 0.0)
        new = np.where(queue[:, None] > 0, x * queue[:, None] * (1 + shrink * q), 0.0)
        if np.all(np.abs(new - q) <= tol * np.maximum(new, 1e-300)):
            q = new
            break
        q = new
    else:
        raise RuntimeError("Schweitzer's iteration did not converge")
    q = q + x * extra[:, None]
    return x, q.reshape(m, pops.size)


def multiclass_exact(demands, servers, think, pops):
    """Exact multi-class MVA: (X (R,), Q (R, M)) at population ``pops`` (R,).
    Multi-server stations are not product-form-solvable this way: the
    caller refuses them."""
    from . import _mva_jit as jit
    demands = np.ascontiguousarray(demands, dtype=float)
    servers = np.asarray(servers, dtype=float)
    delay = ~np.isfinite(servers)
    return jit.multiclass(demands, delay, np.ascontiguousarray(think, dtype=float),
                          np.asarray(pops, dtype=np.int64))


def multiclass_schweitzer(demands, servers, think, pops, tol=1e-13, max_iter=100_000):
    """Bard-Schweitzer AMVA for R classes: Q_i(N - e_r) ~ Q_i - Q_ir / N_r."""
    demands = np.asarray(demands, dtype=float)
    r_cls, m = demands.shape
    queue, extra = _seidmann(demands, np.broadcast_to(np.asarray(servers, dtype=float), (m,)))
    pops = np.asarray(pops, dtype=float)
    think = np.asarray(think, dtype=float)
    qr = np.where(queue > 0, pops[:, None] / max(m, 1), 0.0)
    x = np.zeros(r_cls)
    for _ in range(max_iter):
        total = qr.sum(axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            own = np.where(pops[:, None] > 0, qr / np.where(pops > 0, pops, 1)[:, None], 0.0)
        res = queue * (1 + total[None, :] - own) + extra
        with np.errstate(divide="ignore", invalid="ignore"):
            x = np.where(pops > 0, pops / (think + res.sum(axis=1)), 0.0)
        new = x[:, None] * queue * (1 + total[None, :] - own)
        if np.all(np.abs(new - qr) <= tol * np.maximum(new, 1e-300)):
            qr = new
            break
        qr = new
    else:
        raise RuntimeError("Schweitzer's iteration did not converge")
    return x, qr + x[:, None] * extra


def bounds(demands, servers, think, populations):
    """Asymptotic and balanced-job bounds on the throughput at each
    population: dict of arrays (lower, upper for each).

    Asymptotic (Denning & Buzen 1978): N/(N D + Z) <= X <= min(N/(D + Z),
    1/D_max), D the total demand, D_max the largest per server.  Balanced
    job bounds (Zahorjan et al. 1982), for single-server and delay stations
    only (the multi-server ones get the asymptotic bounds): lower
    N/(D + Z + (N-1) D_max/(1 + Z/(N D))), upper
    N/(D + Z + (N-1) D_avg/(1 + Z/D)), D_avg = D/M over the queueing
    stations."""
    demands = np.asarray(demands, dtype=float)
    servers = np.asarray(servers, dtype=float)
    pops = np.asarray(populations, dtype=float)
    finite = np.isfinite(servers)
    qd = demands[finite]
    z = think + demands[~finite].sum()
    d_total = qd.sum()
    d_max = (qd / servers[finite]).max(initial=0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        abl = pops / (pops * d_total + z)
        abu = np.minimum(pops / (d_total + z), 1 / d_max if d_max > 0 else np.inf)
    out = dict(asymptotic_lower=abl, asymptotic_upper=abu)
    if np.all(servers[finite] == 1) and d_total > 0:
        busy = qd[qd > 0]
        d_avg = busy.mean()
        dm = busy.max()
        with np.errstate(divide="ignore", invalid="ignore"):
            lo = pops / (d_total + z + (pops - 1) * dm / (1 + z / (pops * d_total)))
            hi = pops / (d_total + z + (pops - 1) * d_avg / (1 + z / d_total))
        out["balanced_lower"] = np.where(pops > 0, lo, 0.0)
        out["balanced_upper"] = np.where(pops > 0, np.minimum(hi, 1 / dm), 0.0)
    else:
        out["balanced_lower"], out["balanced_upper"] = abl, abu
    out["asymptotic_lower"] = np.where(pops > 0, abl, 0.0)
    out["asymptotic_upper"] = np.where(pops > 0, abu, 0.0)
    return out
