"""The M/M/c/K law in log space (private kernel; see ``queuemath.MMcK`` Notes).

Arguments are validated, broadcast float arrays: ``a`` the offered load
lambda/mu, ``c`` the servers, ``k`` the capacity (k >= c).  With m = k - c the
law is p_n ~ a**n/n! for n <= c and p_{c+j} = p_c rho**j (rho = a/c).  Every
piece is taken relative to state c when rho <= 1 and to state k when rho > 1,
so no power rho**m overflows and nothing large cancels.
"""
import numpy as np

from . import special as _special
from . import temme as _temme

__all__ = ["variances", "mmc_variances", "truncated_poisson_var", "log_rho", "log_rho_rates",
           "mmck_blocking_rates", "log_rho_sum", "mm1k_blocking",
           "mmck_blocking", "mmck_logs", "mmck_wait_logs", "busy", "admitted_share", "log_capacity_slack",
           "mean_queue", "mean_in_system", "mean_wait", "log_state", "state_probabilities"]


def log_rho(a, c):
    """log(a/c), accurate near a = c (where it matters for rho**m)."""
    with np.errstate(divide="ignore"):
        near = (a >= 0.5 * c) & (a <= 2 * c)
        # a - c is exact for a within a factor 2 of c (Sterbenz), so log1p
        # keeps the relative precision that log(a) - log(c) would lose.
        return np.where(near, np.log1p((a - c) / c), np.log(a) - np.log(c))


def log_rho_rates(lam, mu, c):
    """log(lam/(c mu)) from the rates themselves.

    Within a factor 2 of rho = 1 as log1p((lam - c mu)/(c mu)), the
    difference formed exactly (Dekker's product gives c mu as s + e, and
    lam - s is exact by Sterbenz): at rho = 1 + 1e-12 the quotient lam/mu
    rounded first would keep only 4 digits of the offset, and the law's
    condition number there is the capacity (1e6 places: 1e-10).
    """
    s, gap = _special.rate_gap(lam, mu, c)
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        near = (lam >= 0.5 * s) & (lam <= 2 * s)
        far = np.log(lam) - np.log(c) - np.log(mu)
        return np.where(near, np.log1p(-gap / np.where(near, s, 1.0)), far)


def log_rho_sum(L, m, first=1):
    """log(sum_{j=first}^{first+m-1} rho**j), rho = exp(L), either side of
    rho = 1; -inf for m = 0."""
    with np.errstate(invalid="ignore"):
        # ratio <= 1 side: rho**first g(rho, m); rho > 1: rho**last g(1/rho, m).
        return np.where(L <= 0, first * L + _special.log_geometric_sum(np.minimum(L, 0), m),
                        (first + m - 1) * L + _special.log_geometric_sum(-np.maximum(L, 0), m))


def mm1k_blocking(a, k, L=None):
    """(log p_K, p_K) of M/M/1/K in closed form, rho = a.

    p_K = rho**K (1 - rho)/(1 - rho**(K+1)) for rho < 1 and its mirror image
    (1 - 1/rho)/(1 - rho**-(K+1)) for rho > 1, both as
    exp(K min(L, 0)) expm1(l)/expm1((K+1) l) with L = log rho, l = -|L|:
    no power overflows, and expm1 keeps every digit as rho -> 1.
    """
    if L is None:
        with np.errstate(divide="ignore"):
            L = np.log(a)        # a = 0 gives -inf, and then p_K = 0 below
    l = -np.abs(L)
    e1 = -np.expm1(l)
    ek = -np.expm1((k + 1) * l)
    lead = k * np.minimum(L, 0.0)
    at_one = L == 0
    with np.errstate(invalid="ignore", divide="ignore"):
        pk = np.exp(lead) * e1 / ek
        # log(1 - e^l) as log1p(-e^l) where e^l is small: as rho -> inf,
        # p_K -> 1 and log p_K keeps its relative precision.
        log_pk = lead + _special.log1mexp(l) - _special.log1mexp((k + 1) * l)
    pk = np.where(at_one, 1 / (k + 1), pk)
    log_pk = np.where(at_one, -np.log1p(k), log_pk)
    return log_pk, pk


def mmck_blocking(a, c, k, L=None, da=None):
    """(log p_K, p_K) of M/M/c/K; the lighter kernel behind blocking alone.
    ``L``, log rho, if the caller has it more exactly (log_rho_rates), and
    ``da`` the rounding left out of a (special.load_residual)."""
    if np.all(c == 1):
        return mm1k_blocking(a, k, L)
    m = k - c
    _, log_z, _ = _special.log_erlang_b_parts(c, a, da=da)
    if L is None:
        L = log_rho(a, c)
    with np.errstate(invalid="ignore", divide="ignore"):
        # Pivot c for rho <= 1, pivot K for rho > 1 (m L would cancel there).
        g = _special.log_geometric_sum(-np.abs(L), m + 1)
        log_pk = m * np.minimum(L, 0.0) - np.logaddexp(log_z - m * np.maximum(L, 0.0), g)
    log_pk = np.where(a == 0, -np.inf, log_pk)
    pk = np.exp(log_pk)
    ones = c == 1
    if ones.any():
        lp1, p1 = mm1k_blocking(a[ones], k[ones], np.broadcast_to(L, a.shape)[ones])
        log_pk[ones], pk[ones] = lp1, p1
    return log_pk, pk


def mmck_blocking_rates(lam, mu, a, c, k):
    """mmck_blocking from the rates: log rho and the rounding of
    a = fl(lam/mu) taken from lam and mu (as MMcK does), so that searches
    and the model agree to the bit."""
    return mmck_blocking(a, c, k, log_rho_rates(lam, mu, c), _special.load_residual(lam, mu, a))


def mmck_logs(a, c, k, L=None, da=None):
    """Log-space pieces of the M/M/c/K law, as a dict:

    L (log rho), log_z (log of the states below c relative to state c),
    log_w_c / log_w_k (log of the total weight relative to state c / K),
    log_admit (log(1 - p_K)), log_p_ge_c, log_p_le_c, log_p_wait
    (log P(c <= N < K)), queue_mean (mean of N - c given N >= c),
    log_busy (log of the carried load A (1 - p_K)).
    """
    m = k - c
    log_b, log_z, _ = _special.log_erlang_b_parts(c, a, da=da)
    if L is None:
        L = log_rho(a, c)
    le1 = L <= 0
    Lm = np.minimum(L, 0.0)      # log of the ratio <= 1 used on each side
    Lp = -np.maximum(L, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        # Pivot c (rho <= 1): W = Z + g(rho, m+1), p_K = rho**m / W.
        g_c = _special.log_geometric_sum(Lm, m + 1)
        log_w_c = np.logaddexp(log_z, g_c)
        # Pivot K (rho > 1): W = Z rho**-m + g(1/rho, m+1), p_K = 1 / W.
        zk = log_z - m * np.maximum(L, 0.0)
        g_k = _special.log_geometric_sum(Lp, m + 1)
        log_w_k = np.logaddexp(zk, g_k)

        log_pk = np.where(le1, m * Lm - log_w_c, -log_w_k)
        upper_k = Lp + _special.log_geometric_sum(Lp, m)      # states c..K-1, pivot K
        admit_k = np.logaddexp(zk, upper_k) - log_w_k
        admit_c = np.log1p(-np.exp(np.where(le1, log_pk, -np.inf)))
        log_admit = np.where(le1, admit_c, admit_k)
        log_p_ge_c = np.where(le1, g_c - log_w_c, g_k - log_w_k)
        log_p_wait = np.where(le1, _special.log_geometric_sum(Lm, m) - log_w_c,
                              upper_k - log_w_k)
        # P(n <= c) = 1 / (1 + B sum_{j=1}^m rho**j)
        log_p_le_c = -np.logaddexp(0.0, log_b + log_rho_sum(L, m))
    qm = _special.geometric_mean(L, m)
    zero = a == 0
    # A = 0: everything sits in state 0 (the formulas above give 0 * inf).
    log_admit = np.where(zero, 0.0, log_admit)
    log_p_ge_c = np.where(zero, -np.inf, log_p_ge_c)
    log_p_wait = np.where(zero | (m == 0), -np.inf, log_p_wait)
    log_p_le_c = np.where(zero, 0.0, log_p_le_c)
    qm = np.where(zero, 0.0, qm)
    with np.errstate(divide="ignore"):
        log_busy = np.log(a) + log_admit   # carried load A (1 - p_K)
    with np.errstate(invalid="ignore"):
        log_pc = np.where(le1, -log_w_c, -m * L - log_w_k)
    return dict(a=a, c=c, log_pc=log_pc, da=np.zeros(a.shape) if da is None else da,
                log_b=log_b,
                L=L, log_z=log_z, log_admit=log_admit, log_p_ge_c=log_p_ge_c,
                log_p_le_c=log_p_le_c, log_p_wait=log_p_wait, queue_mean=qm,
                log_busy=log_busy, log_w_c=log_w_c, log_w_k=log_w_k)


def mmck_wait_logs(a, c, k, L=None, da=None):
    """(L, log K0, log P(W > 0 | admitted), log Z) of M/M/c/K: what the
    wait laws need, K0 = p_c/(1 - p_K), and Z (see mmck_logs), so that K0 Z
    = P(N < c)/(1 - p_K) (the wait laws' lighter kernel, as mmck_blocking
    is blocking's).

    Relative to the pivot (state c for rho <= 1, state K above) the waiting
    states c..K-1 weigh G = g(r, m) r^[rho > 1] (r = min(rho, 1/rho)), the
    states below c weigh Z rho^-m[rho > 1], and p_c is rho^-m[rho > 1] over
    the total: both ratios are taken over the admitted states' weight, so
    the total never forms and every sum has positive terms only."""
    m = k - c
    _, log_z, _ = _special.log_erlang_b_parts(c, a, da=da)
    if L is None:
        L = log_rho(a, c)
    Lp = np.maximum(L, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        log_wait = _special.log_geometric_sum(-np.abs(L), m) - Lp
        log_admit = np.logaddexp(log_z - m * Lp, log_wait)
        log_k0 = -m * Lp - log_admit
        log_w0 = np.minimum(log_wait - log_admit, 0.0)
    log_w0 = np.where((a == 0) | (m == 0), -np.inf, log_w0)
    return L, log_k0, log_w0, log_z


def log_capacity_slack(a, c, k, logs):
    """log(K - L) = log sum_{n<K} (K - n) p_n, L the mean number present.

    Formed as a ratio of sums of positive terms relative to the pivot of the
    side (state c for rho <= 1, state K above): the queue states give
    G (m - T) (pivot c) or G T (pivot K), with G a geometric sum and T the
    mean of its truncated geometric law, and the states below c give
    m Z + D (log_idle_ratio), so nothing cancels as L -> K.
    """
    m = k - c
    L, log_z = logs["L"], logs["log_z"]
    log_d = _special.log_idle_ratio(c, np.where(a > 0, a, 1.0))
    with np.errstate(divide="ignore", invalid="ignore"):
        low = np.logaddexp(np.log(m) + log_z, log_d)             # m Z + D
        Lm, Lp = np.minimum(L, 0.0), -np.maximum(L, 0.0)
        queue_c = (_special.log_geometric_sum(Lm, m + 1)
                   + np.log(m - _special.truncated_geometric_mean(Lm, m)))
        queue_k = (_special.log_geometric_sum(Lp, m + 1)
                   + np.log(_special.truncated_geometric_mean(Lp, m)))
        # Pivot c, everything over Z: m Z + D = (K - A) Z + c there, and the
        # ratio of two logs of size log Z (2000 at light load) would cost
        # log Z ulps.
        low_c = np.log((k - a) + c * np.exp(-log_z))
        out_c = (np.logaddexp(queue_c - log_z, low_c)
                 - np.logaddexp(0.0, _special.log_geometric_sum(Lm, m + 1) - log_z))
        out = np.where(L <= 0, out_c, np.logaddexp(queue_k, m * Lp + low) - logs["log_w_k"])
    return np.where(a == 0, np.log(k), out)


def admitted_share(logs):
    """1 - p_K, at most 1 exactly (exp of a log that is <= 0)."""
    return np.exp(np.minimum(logs["log_admit"], 0.0))


def busy(logs, c):
    """Mean busy servers A (1 - p_K).

    Near saturation as c - E[idle servers], E[idle] = p_c D with D from
    log_idle_ratio: A (1 - p_K) = exp(log A + log(1 - p_K)) would carry the
    rounding of a log of size |log(1 - p_K)| (7e-14 at A = 1e271), while
    the idle servers are a small correction to c.  The bound c is restored
    where rounding alone could cross it."""
    c = np.broadcast_to(c, logs["a"].shape)
    carried = np.exp(logs["log_busy"])
    heavy = np.flatnonzero((carried > 0.5 * c).ravel())
    if heavy.size:
        carried = carried.copy().reshape(-1)
        cc = c.reshape(-1)[heavy]
        idle = np.exp(logs["log_pc"].reshape(-1)[heavy]
                      + _special.log_idle_ratio(cc, logs["a"].reshape(-1)[heavy]))
        carried[heavy] = cc - idle
        carried = carried.reshape(c.shape)
    return np.minimum(carried, c)


def mean_queue(logs):
    return np.exp(logs["log_p_ge_c"]) * logs["queue_mean"]


def mean_in_system(logs, c):
    """L = busy servers + mean queue."""
    return busy(logs, c) + mean_queue(logs)


def mean_wait(logs, lam):
    """W_q = L_q / (lambda (1 - p_K)) by Little's law on the admitted stream;
    0 where lambda = 0 (the limit: nobody waits)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        log_w = (logs["log_p_ge_c"] + np.log(logs["queue_mean"])
                 - np.log(lam) - logs["log_admit"])
    return np.where((lam == 0) | (logs["queue_mean"] == 0), 0.0, np.exp(log_w))


def _log_cdf_at_c(a, c, log_z):
    """log P(X <= c), X ~ Poisson(a), for 0 < a <= c.

    Near the mean as log pmf(c) + log(1 + Z) (1/B = cdf/pmf = 1 + Z, all of
    moderate size there); far below it the upper tail P(X > c) is tiny and
    log1p(-tail) is exact whatever the tail's own relative accuracy."""
    far = a < c - 6.0 * np.sqrt(c)
    out = np.empty(a.shape)
    if far.any():
        out[far] = np.log1p(-_temme.gamma_p(c[far] + 1, a[far]))
    near = ~far
    if near.any():
        out[near] = (_special.log_poisson_pmf(c[near], a[near])
                     + np.logaddexp(0.0, log_z[near]))
    return out


def _log_ratio(n, a):
    """log(n/a), accurate near n = a."""
    near = (n >= 0.5 * a) & (n <= 2 * a)
    return np.where(near, np.log1p((n - a) / a), np.log(n) - np.log(a))


def log_state(a, c, k, n, logs):
    """log p_n for arrays a, c, k, n of one shape (n in 0..k) and the dict
    ``logs`` of :func:`mmck_logs` flattened to that shape.

    States below c: for rho <= 1 the normalised Poisson form
    p_n = P(N <= c) pmf(n; a)/cdf(c; a), whose pieces are all of moderate size
    where p_n is representable; for rho > 1 relative to state c,
    p_n = p_c (c!/n!) a**(n-c) with log(c!/n!) - (c-n) log a =
    (c-n) log(n/a) + log_rise(n, c-n).  (The earlier form
    log pmf(n) + a - log sum_{i<=c} a**i/i! added and took away a itself, and
    lost |a| ulps: 1e-4 at a = 1e12.)  Queue states from the pivot of their
    side.  -inf above a point's own K.
    """
    out = np.full(a.shape, -np.inf)
    L = logs["L"]
    le1 = L <= 0
    with np.errstate(divide="ignore", invalid="ignore"):
        log_pc = np.where(le1, -logs["log_w_c"], -(k - c) * L - logs["log_w_k"])
    zero = a == 0
    out[zero & (n == 0)] = 0.0
    live = ~zero
    low_p = live & (n <= c) & le1
    if low_p.any():
        aa, cc, nn = a[low_p], c[low_p], n[low_p]
        with np.errstate(divide="ignore"):
            log_pmf = np.where(nn == 0, -aa, _special.log_poisson_pmf(np.maximum(nn, 1), aa))
        # pmf(n)/cdf(c) moves by (n/a - 1 + B) da with the rounding da of a
        fix = (nn / aa - 1 + np.exp(logs["log_b"][low_p])) * logs["da"][low_p]
        out[low_p] = (logs["log_p_le_c"][low_p] + log_pmf
                      - _log_cdf_at_c(aa, cc, logs["log_z"][low_p]) + fix)
    low_q = live & (n <= c) & ~le1
    if low_q.any():
        aa, cc, nn = a[low_q], c[low_q], n[low_q]
        mm = cc - nn
        with np.errstate(divide="ignore", invalid="ignore"):
            # log(c!/(n! a**(c-n))) by Stirling's series for both factorials,
            # (c-n) log(c/a) + (n + 1/2) log(c/n) - (c-n) + stirlerr(c) -
            # stirlerr(n): its largest terms are at most c - n and 0.37 c,
            # where (c-n) log(n/a) + log_rise(n, c-n) would add and take away
            # terms of 2-3 c (6e-13 at c = 992, n = 242); n = 0 is
            # c log(c/a) - c + log(2 pi c)/2 + stirlerr(c).
            n1 = np.maximum(nn, 1)
            rel = np.where(nn == 0,
                           cc * _log_ratio(cc, aa) - cc + 0.5 * np.log(2 * np.pi * cc)
                           + _special.stirlerr(cc),
                           mm * _log_ratio(cc, aa) + (n1 + 0.5) * _log_ratio(cc, n1) - mm
                           + _special.stirlerr(cc) - _special.stirlerr(n1))
        out[low_q] = rel - mm / aa * logs["da"][low_q] + log_pc[low_q]
    high = live & (n > c) & (n <= k)
    if high.any():
        nn, cc, kk, LL = n[high], c[high], k[high], L[high]
        out[high] = np.where(LL <= 0, (nn - cc) * LL - logs["log_w_c"][high],
                             -(kk - nn) * LL - logs["log_w_k"][high])
    return out


def state_probabilities(a, c, k, logs):
    """p_0..p_K along a new last axis of length max(k) + 1 (0 above a
    point's own K), normalised by their sum: each is accurate to a few ulps
    (see log_state), so the division moves them by no more than that and
    makes the sum 1 to the rounding of the sum itself."""
    kmax = int(np.max(k))
    shape = a.shape + (kmax + 1,)
    n = np.broadcast_to(np.arange(kmax + 1, dtype=float), shape)
    A, C, K = (np.broadcast_to(x[..., None], shape) for x in (a, c, k))
    flat = {name: np.broadcast_to(v[..., None], shape) for name, v in logs.items()}
    with np.errstate(under="ignore"):
        p = np.exp(log_state(A, C, K, n, flat))
    return p / p.sum(axis=-1, keepdims=True)


def truncated_poisson_var(a, c, log_b, log_z, log_d1, log_d2):
    """Variance of the Poisson(a) law truncated to {0..c}: a (1 - B - B**2 D)
    on the light side (a <= c), where every piece is of the size of the
    result; (D2 (1 + Z) - D**2)/(1 + Z)**2 on the heavy side, where the law
    sits near c (relative to state c: D, D2 the idle moments, Z the states
    below)."""
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        d1 = np.exp(log_d1)
        light = a * (-np.expm1(log_b + np.log1p(np.exp(log_b + log_d1))))
        t0 = np.exp(np.logaddexp(0.0, log_z))
        heavy = (np.exp(log_d2) * t0 - d1 * d1) / (t0 * t0)
    return np.maximum(np.where(a <= c, light, heavy), 0.0)


def variances(a, c, k, logs):
    """(Var N, Var N_q, Var W_q * (c mu)**2) of M/M/c/K, W_q the wait of an
    admitted customer (in units of 1/(c mu)), from positive pieces:

    * N_q = (N - c)^+ is 0 or, given N >= c, a truncated geometric J on
      {0..m}: Var = P_g Var J + P_g (1 - P_g) (E J)**2, 1 - P_g = p_c Z;
    * I = (c - N)^+ is 0 or, given N <= c, c - X with X truncated Poisson:
      Var I = P_lo Var X + P_lo (1 - P_lo) (D/(1+Z))**2, 1 - P_lo = p_c rho G(m);
    * Var N = Var N_q + Var I + 2 E[I] E[N_q] (I N_q = 0);
    * an admitted customer waits with probability w0, J' + 1 phases with J'
      truncated geometric on {0..m-1}: Var = w0 (Var J' + E J' + 1)
      + w0 (1 - w0) (E J' + 1)**2.
    """
    m = (k - c).astype(float)
    L = logs["L"]
    Lm = -np.abs(L)                  # the variance is the same mirrored
    log_pc, log_z, log_b = logs["log_pc"], logs["log_z"], logs["log_b"]
    zero = a == 0
    aa = np.where(zero, 1.0, a)
    log_d1 = _special.log_idle_ratio(c, aa, log_z)
    log_d2 = _special.log_idle_square_ratio(c, aa, log_z)
    with np.errstate(over="ignore", invalid="ignore", under="ignore", divide="ignore"):
        p_g = np.exp(logs["log_p_ge_c"])
        not_g = np.exp(log_pc + log_z)
        mean_j = logs["queue_mean"]
        var_j = _special.truncated_geometric_var(Lm, m)
        var_q = p_g * var_j + p_g * not_g * mean_j ** 2
        log_t0 = np.logaddexp(0.0, log_z)            # 1 + Z, which may overflow
        p_lo = np.exp(log_pc + log_t0)
        # P(N > c) = p_c sum_{j=1}^{m} rho^j
        not_lo = np.where(m > 0, np.exp(log_pc + log_rho_sum(L, m)), 0.0)
        var_x = truncated_poisson_var(aa, c, log_b, log_z, log_d1, log_d2)
        e_idle_lo = np.exp(log_d1 - log_t0)
        var_i = p_lo * var_x + p_lo * not_lo * e_idle_lo ** 2
        e_i = np.exp(log_pc + log_d1)
        var_n = var_q + var_i + 2 * e_i * p_g * mean_j
        w0 = np.exp(np.minimum(logs["log_p_wait"] - logs["log_admit"], 0.0))
        not_w0 = np.exp(log_pc + log_z - logs["log_admit"])
        mean_jw = _special.geometric_mean(L, m - 1)
        var_jw = _special.truncated_geometric_var(Lm, m - 1)
        var_w = np.where(m > 0, w0 * (var_jw + mean_jw + 1) + w0 * not_w0 * (mean_jw + 1) ** 2,
                         0.0)
    return tuple(np.where(zero, 0.0, v) for v in (var_n, var_q, var_w))


def mmc_variances(a, c, gap, log_c):
    """(Var N, Var N_q, Var W_q (c mu - lambda)**2) of a stable M/M/c
    (``gap`` = c - A from the rates, ``log_c`` = log Erlang C), as
    :func:`variances` with m infinite: N_q is 0 or geometric,
    Var N_q = C rho (1 + rho (1 - C))/(1 - rho)**2; the wait is 0 or
    exponential, Var W_q = C (2 - C)/(c mu - lambda)**2; the idle servers as
    in :func:`variances`, with p_c = C (1 - rho) and P(N > c) = C rho."""
    zero = a == 0
    aa = np.where(zero, 1.0, a)
    log_b, log_z, _ = _special.log_erlang_b_parts(c, aa)
    log_d1 = _special.log_idle_ratio(c, aa, log_z)
    log_d2 = _special.log_idle_square_ratio(c, aa, log_z)
    with np.errstate(over="ignore", invalid="ignore", under="ignore", divide="ignore"):
        cc = np.exp(log_c)
        rho = aa / c
        omr = gap / c                                   # 1 - rho from the rates
        var_q = cc * rho * (1 + rho * (1 - cc)) / omr ** 2
        e_q = cc * rho / omr
        p_c = cc * omr
        log_t0 = np.logaddexp(0.0, log_z)            # 1 + Z, which may overflow
        var_x = truncated_poisson_var(aa, c, log_b, log_z, log_d1, log_d2)
        e_idle_lo = np.exp(log_d1 - log_t0)
        # P(N <= c) = 1 - C rho, exact as such unless C rho is near 1
        p_lo = np.where(cc * rho < 0.5, -np.expm1(log_c + np.log(rho)),
                        np.exp(np.log(p_c) + log_t0))
        var_i = p_lo * var_x + p_lo * cc * rho * e_idle_lo ** 2
        var_n = var_q + var_i + 2 * gap * e_q
        var_w = cc * (2 - cc)
    return tuple(np.where(zero, 0.0, v) for v in (var_n, var_q, var_w))

