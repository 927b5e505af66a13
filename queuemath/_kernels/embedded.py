"""M/G/1/K through the Markov chain embedded at departures (private kernel;
see ``queuemath.MG1K`` for the method and references).

One point at a time: ``solve(lam, law, k)`` for a scalar arrival rate, a law
(a float for a constant time, or a frozen scipy.stats distribution) and an
integer capacity.
"""
import numpy as np
from scipy import special

from . import population as _population
from . import temme as _temme

__all__ = ["arrival_counts", "counts", "law_form", "quantile_nodes", "solve", "log_departure_law"]

_PANELS, _NODES = 64, 16


_LOGIT_REACH = 60.0   # quantile nodes reach tail probabilities of e^-60 ~ 1e-26


def quantile_nodes(service):
    """Service times and weights for E[f(S)] = int_0^1 f(G^-1(u)) du, with
    u = expit(t) and Gauss-Legendre panels evenly spaced in t: both tails
    get as many nodes as the bulk.  The upper half uses isf(1 - u), which
    keeps tail probabilities far below an ulp of 1."""
    x, w = np.polynomial.legendre.leggauss(_NODES)
    edges = np.linspace(-_LOGIT_REACH, _LOGIT_REACH, _PANELS + 1)
    lo, hi = edges[:-1, None], edges[1:, None]
    t = ((lo + hi) / 2 + (hi - lo) / 2 * x[None, :]).ravel()
    wt = ((hi - lo) / 2 * w[None, :]).ravel()
    dens = special.expit(t) * special.expit(-t)           # du/dt
    lower = t < 0
    s = np.empty(t.size)
    s[lower] = service.ppf(special.expit(t[lower]))
    s[~lower] = service.isf(special.expit(-t[~lower]))
    weight = wt * dens
    ok = np.isfinite(s)
    # the mass beyond the reach (2 e^-60) is left out, as the docs say
    return s[ok], weight[ok] / weight[ok].sum()


def law_form(law):
    """Which closed form the arrivals during one service have: ("constant",
    time), ("expon", mean), ("gamma", (shape, scale)), ("phase", (alpha, T,
    exit rates)) for a phase-type law, or ("general", None)."""
    if isinstance(law, float):
        return "constant", law
    if all(hasattr(law, n) for n in ("alpha", "T", "exit_rates")):
        return "phase", (law.alpha, law.T, law.exit_rates)
    name = getattr(getattr(law, "dist", None), "name", None)
    args, kwds = getattr(law, "args", ()), getattr(law, "kwds", {})
    if name == "expon" and not args and set(kwds) <= {"scale"}:
        return "expon", float(law.mean())
    if name == "gamma" and len(args) + len(kwds) >= 1 and kwds.get("loc", 0) == 0:
        shape = float(args[0] if args else kwds["a"])
        scale = float(kwds.get("scale", args[2] if len(args) > 2 else 1.0))
        return "gamma", (shape, scale)
    return "general", None


def arrival_counts(lam, service, top):
    """(a_k for k < top, Abar_k for k <= top, mean service) for the arrivals
    during one service."""
    k = np.arange(top + 1, dtype=float)
    form, value = law_form(service)
    if form == "constant":
        x = lam * service
        a = np.exp(special.xlogy(k, x) - x - special.gammaln(k + 1))
        tail = np.where(k == 0, 1.0, _temme.gamma_p(np.maximum(k, 1), np.full(k.shape, x)))
        return a[:-1], tail, float(service)
    mean = float(service.mean())
    if form == "expon":
        r = lam * mean / (1 + lam * mean)       # P(an arrival before the service ends)
        # 1 - r as 1/(1 + lam E[S]): formed as 1 - r it would keep the
        # rounding of r, 7e-13 relative at rho = 6400
        return r ** k[:-1] / (1 + lam * mean), r ** k, mean
    if form == "phase":
        # w_k = alpha N^k, N = lam (lam I - T)^-1 >= 0: the phase at the k-th
        # arrival still in service; Abar_k = w_k 1, a_k = w_k (lam I - T)^-1 t
        alpha, t, exits = value
        inv = np.linalg.inv(lam * np.eye(alpha.size) - t)
        step, leave = lam * inv, inv @ exits
        w = alpha.copy()
        tail = np.empty(top + 1)
        a = np.empty(top)
        for i in range(top + 1):
            tail[i] = w.sum()
            if i < top:
                a[i] = w @ leave
                w = w @ step
        return a, np.minimum(tail, 1.0), float(alpha @ np.linalg.solve(-t, np.ones(alpha.size)))
    if form == "gamma":
        shape, scale = value
        q = lam * scale / (1 + lam * scale)     # negative binomial
        log_a = (special.gammaln(k + shape) - special.gammaln(k + 1) - special.gammaln(shape)
                 - shape * np.log1p(lam * scale) + special.xlogy(k, q))
        tail = np.where(k == 0, 1.0, special.betainc(np.maximum(k, 1), shape, q))
        return np.exp(log_a[:-1]), tail, mean
    s, w = quantile_nodes(service)
    x = lam * s
    # Every node's window must fit: beyond the largest, all tails are 0.
    top = int(max(top, np.ceil(x.max() + 40 * np.sqrt(x.max()) + 51)))
    a = np.zeros(top)
    tail = np.zeros(top + 1)
    # Each node's Poisson law lives within its mean +- 40 standard
    # deviations: below that window its tail probability is 1 (to 1e-300),
    # above it every term is 0, so only the window is evaluated.
    sd = np.sqrt(x)
    lo = np.maximum(1, np.floor(x - 40 * sd - 40)).astype(np.int64)
    hi = np.minimum(top, np.ceil(x + 40 * sd + 50)).astype(np.int64)
    for xj, wj, l, h in zip(x, w, lo, hi):
        if l > top:
            continue
        kk = np.arange(l, h + 1, dtype=float)
        tail[l:h + 1] += wj * _temme.gamma_p(kk, np.full(kk.shape, xj))
        ka = np.arange(0 if l == 1 else l, min(h, top - 1) + 1, dtype=float)
        if ka.size:
            a[ka.astype(np.int64)] += wj * np.exp(special.xlogy(ka, xj) - xj
                                                  - special.gammaln(ka + 1))
    # The nodes whose window starts above k contribute their whole weight to
    # tail[k]: summed from a sorted suffix (positive terms only, so exactly 0
    # once no node qualifies; a +w/-w difference array would leave 1e-32).
    order = np.argsort(lo)
    suffix = np.concatenate([np.cumsum(w[order][::-1])[::-1], [0.0]])
    k = np.arange(1, top + 1)
    tail[1:] += suffix[np.searchsorted(lo[order], k, side="right")]
    tail[0] = 1.0
    return a, tail, mean


def _excess(tail, ms, rho):
    """E[(N - m)^+] = sum_{k > m} Abar_k for each m in ms (an int array).

    ``tail`` runs far enough out that what is left beyond it is negligible
    (see MG1K._solution); where m is below the mean the identity
    E[(N-m)^+] = rho - m + sum_{1<=k<=m} P(N < k) is used instead, whose
    terms do not cancel badly there.
    """
    after = np.concatenate([np.cumsum(tail[::-1])[::-1], [0.0]])   # after[j] = sum_{k>=j}
    below = np.concatenate([[0.0], np.cumsum(1 - tail[1:])])      # below[m] = sum_{1..m}
    direct = after[np.minimum(ms + 1, tail.size)]
    identity = rho - ms + below[np.minimum(ms, below.size - 1)]
    return np.where(ms >= rho, direct, identity)


def counts(lam, law, k):
    """arrival_counts with the tails run far enough out for sums past K."""
    top = 2 * k + 64
    while True:
        a, tail, mean = arrival_counts(lam, law, top)
        if tail[-1] <= 1e-18 * tail[k] or tail[-1] < 1e-300 or top > 64 * k + 4096:
            return a, tail, mean
        top = max(2 * top, tail.size)


def solve(lam, law, k, counted=None):
    """(p_0..p_K, b = p_K/(1 - p_K), rho) for one M/G/1/K point: ``lam`` >= 0 a float,
    ``law`` a float or frozen distribution, ``k`` >= 1 an int; ``counted``
    (optional) is ``counts(lam, law, k2)`` for some k2 >= k, made once for
    the capacities of one arrival rate (its tails reach at least as far)."""
    if lam == 0:
        probs = np.zeros(k + 1)
        probs[0] = 1.0
        return probs, 0.0, 0.0
    # Tails far enough out for the refused-arrivals sums: a quadrature
    # law reports its own reach (beyond it every tail is exactly 0); the
    # closed forms are extended until the last tail is below 1e-18 of the
    # tail at K (or underflows).
    a, tail, mean = counts(lam, law, k) if counted is None else counted
    rho = lam * mean
    if a[0] < 1e-250:
        pi = _log_recursion(k, tail, _log_no_arrival(lam, law))
    else:
        pi = _recursion(k, tail, a[0])
    ms = k - np.maximum(np.arange(k), 1)
    excess = _excess(tail, ms, rho)
    if tail[k] < 1e-200:
        # The tails past K underflow one by one (2e-313 after 1e-302 at
        # rho = 4.5e-10, K = 29) while their sum is still a double: summed
        # in logs where the law allows, so none is lost.
        log_after = _log_after(lam, law, tail.size - 1)
        if log_after is not None:
            far = ms >= rho
            excess[far] = np.exp(log_after[np.minimum(ms[far] + 1, tail.size)])
    # b = p_K / (1 - p_K), refused per admitted arrival: p_K = b/(1+b) and
    # 1 - p_K = 1/(1+b) both follow without cancellation
    b = float(pi @ excess)
    probs = np.append(pi / (1 + b), b / (1 + b))
    return probs, b, rho


def _log_after(lam, law, top):
    """log sum_{k>=j} P(N >= k) for j = 0..top+1 (-inf at top+1), from the
    log point probabilities, for a constant or exponential service time
    (None for other laws).  Beyond ``top`` the terms are negligible, as for
    the plain tails."""
    k = np.arange(top + 1, dtype=float)
    form, value = law_form(law)
    if form == "constant":
        x = lam * value
        log_pmf = special.xlogy(k, x) - x - special.gammaln(k + 1)
    elif form == "expon":
        m = lam * value
        log_pmf = k * (np.log(m) - np.log1p(m)) - np.log1p(m)
    else:
        return None
    log_tail = np.logaddexp.accumulate(log_pmf[::-1])[::-1]
    log_after = np.logaddexp.accumulate(log_tail[::-1])[::-1]
    return np.append(log_after, -np.inf)


def _log_no_arrival(lam, law):
    """log a_0 = log E[exp(-lam S)], the chance of no arrival during a service,
    as a log (a_0 itself underflows at rho ~ 700 with constant service)."""
    form, value = law_form(law)
    if form == "constant":
        return -lam * value
    if form == "expon":
        return -np.log1p(lam * value)
    if form == "gamma":
        shape, scale = value
        return -shape * np.log1p(lam * scale)
    if form == "phase":
        alpha, t, exits = value
        return float(np.log(alpha @ np.linalg.solve(lam * np.eye(alpha.size) - t, exits)))
    s, w = quantile_nodes(law)
    return float(special.logsumexp(np.log(w) - lam * s))


def _recursion(k, tail, a0):
    pi = np.zeros(k)
    pi[0] = 1.0
    # level crossing: a0 pi_n = pi_0 Abar_n + sum_{i=1}^{n-1} pi_i Abar_{n-i+1}
    for n in range(1, k):
        acc = pi[0] * tail[n]
        if n > 1:
            acc += pi[1:n] @ tail[n:1:-1]
        pi[n] = acc / a0
        if pi[n] > 1.0:
            # The recursion is homogeneous: keep the largest term at 1, so
            # that one step (a factor up to n/a0, 1e217 at rho = 500 with
            # constant service) cannot overflow.
            pi[: n + 1] /= pi[n]
    return pi / pi.sum()


def _log_recursion(k, tail, log_a0):
    """The same recursion in logs, for a_0 below 1e-250: each step then
    multiplies by ~1/a_0, beyond any rescaling of doubles.  All terms are
    positive, so the log-sum-exp loses nothing."""
    with np.errstate(divide="ignore"):
        log_tail = np.log(tail)
    log_pi = np.full(k, -np.inf)
    log_pi[0] = 0.0
    for n in range(1, k):
        terms = log_pi[:n] + np.concatenate([[log_tail[n]], log_tail[n:1:-1]])
        log_pi[n] = special.logsumexp(terms) - log_a0
    pi = np.exp(log_pi - log_pi.max())
    return pi / pi.sum()


def log_departure_law(rho, k):
    """log pi_0..pi_{K-1} for a constant service time (rho = lam D), where
    the linear law underflows: the level-crossing recursion in logs, with the
    tails' logs log P(Poisson(rho) >= l) (which underflow one by one as
    doubles long before their logs leave the range)."""
    l = np.arange(1, k + 1, dtype=float)
    log_tail = np.concatenate([[0.0], _population.log_lower_gamma(l, np.full(l.shape, rho))])
    log_pi = np.full(k, -np.inf)
    log_pi[0] = 0.0
    for n in range(1, k):
        # a0 pi_n = pi_0 Abar_n + sum_{i=1}^{n-1} pi_i Abar_{n-i+1}
        terms = log_pi[:n] + np.concatenate([[log_tail[n]], log_tail[n:1:-1]])
        log_pi[n] = special.logsumexp(terms) + rho
    return log_pi - special.logsumexp(log_pi)
