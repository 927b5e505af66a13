"""Random points over the whole domain of every public quantity, each checked
against an mpmath reference written from the balance equations (mpref.py and
the references below), with warnings as errors.

``sweep(points, seed)`` draws ``points`` random inputs per family and returns,
for every public function, the worst error seen and the input that gave it.
The suite runs a fixed-seed sample (tests/test_adversarial.py); ``make fuzz``
runs a large budget and writes benchmarks/accuracy.md (benchmarks/fuzz.py).

Errors are relative (mpref.rel_err: a result below the normal doubles counts
as exact when it is within a subnormal ulp of the reference), and for log
forms absolute, relative once the log exceeds 1 in size (mpref.log_err: an
ulp of log p = -1e6 is itself 1e-10).  Inverses (server counts) are checked
by the bracket the answer must satisfy, error 0 or inf.

Nothing here calls queuemath to make a reference.
"""
import math
import warnings
from dataclasses import dataclass, field

import mpmath as mp
import numpy as np

import queuemath as qm

import mpref

#: The accuracy every public quantity must meet (relative; log forms absolute
#: up to |log| = 1, relative beyond).
TOLERANCE = 1e-12


def _loguniform(rng, lo, hi):
    return float(np.exp(rng.uniform(np.log(lo), np.log(hi))))


def _count(rng, hi):
    """An integer from 1 to hi, log-uniform."""
    return int(min(hi, np.floor(_loguniform(rng, 1, hi + 1))))


def _load(rng, scale):
    """An offered load anywhere (1e-300..1e300), or near `scale` servers:
    +-12 standard deviations, or rho = 1 +- 1e-9, or the analysts' 0.9..0.99."""
    kind = rng.integers(4)
    if kind == 0:
        return _loguniform(rng, 1e-300, 1e300)
    if kind == 1:
        return _loguniform(rng, 1e-6 * scale, 1e6 * scale)
    if kind == 2:
        return max(1e-3, scale + rng.uniform(-12, 12) * math.sqrt(scale))
    return scale * float(rng.choice([1 - 1e-9, 1.0, 1 + 1e-9, 0.9, 0.95, 0.99, 1.5]))


# -- references beyond mpref --------------------------------------------------

def mg1k_reference(lam, service, k, kind):
    """M/G/1/K from the departure-epoch chain (Gross et al. 2008, sec. 5.1.7):
    transition a_{j-i+1} from i >= 1 (from 0 as from 1), the top state
    absorbing the tail; time averages p_n = pi_n/(pi_0 + rho), n < K, and
    p_K = 1 - 1/(pi_0 + rho).  ``kind`` "constant" (a_j Poisson) or
    "exponential" (a_j geometric)."""
    rho_guess = lam * service
    # p_K ~ rho**K at light load: carry enough digits for 1 - 1/(pi_0 + rho)
    dps = 60 + int(k * max(0.0, -math.log10(rho_guess))) + 10
    with mp.workdps(dps):
        lam, s = mp.mpf(lam), mp.mpf(service)
        x = lam * s
        top = k - 1
        if kind == "constant":
            a = [mp.exp(-x) * x ** j / mp.factorial(j) for j in range(k + 1)]
        else:
            r = x / (1 + x)
            a = [(1 - r) * r ** j for j in range(k + 1)]
        P = mp.zeros(k, k)
        for i in range(k):
            src = max(i, 1)
            for j in range(src - 1, top):
                P[i, j] = a[j - src + 1]
            P[i, top] = 1 - mp.fsum(P[i, j] for j in range(top))
        # pi (P - I) = 0 with sum pi = 1: replace one equation by the sum
        A = (P - mp.eye(k)).T
        for j in range(k):
            A[top, j] = 1
        rhs = mp.zeros(k, 1)
        rhs[top] = 1
        pi = mp.lu_solve(A, rhs)
        rho = x
        norm = pi[0] + rho
        p = [pi[n] / norm for n in range(k)]
        pk = 1 - 1 / norm
        p.append(pk)
        lq = mp.fsum((n - 1) * p[n] for n in range(2, k + 1))
        l = mp.fsum(n * p[n] for n in range(k + 1))
        thr = lam * (1 - pk)
        return dict(blocking=pk, log_blocking=mp.log(pk), p_empty=p[0], throughput=thr,
                    utilization=1 - p[0], mean_in_system=l, mean_queue=lq,
                    mean_wait=lq / thr, mean_response_time=l / thr)


def engset_carried(n, c, beta):
    """Mean busy servers of the truncated binomial law (time averages)."""
    with mp.workdps(60):
        b = mp.mpf(beta)
        w = [mp.binomial(n, i) * b ** i for i in range(min(n, c) + 1)]
        return mp.fsum(i * wi for i, wi in enumerate(w)) / mp.fsum(w)


# -- the families ---------------------------------------------------------------

@dataclass
class Worst:
    error: float = 0.0
    point: tuple = ()
    got: float = math.nan
    ref: str = ""
    count: int = 0


@dataclass
class Tally:
    worst: dict = field(default_factory=dict)

    def add(self, name, got, ref, point, log=False):
        got = float(got)
        err = mpref.log_err(got, ref) if log else mpref.rel_err(got, ref)
        w = self.worst.setdefault(name, Worst())
        w.count += 1
        if not err <= w.error and (err > w.error or math.isnan(err)):
            w.error, w.point, w.got, w.ref = err, point, got, mp.nstr(ref, 17)

    def add_error(self, name, err, point):
        w = self.worst.setdefault(name, Worst())
        w.count += 1
        if not err <= w.error:
            w.error, w.point, w.got, w.ref = err, point, math.nan, "(worst state)"

    def add_bracket(self, name, ok, point, got):
        w = self.worst.setdefault(name, Worst())
        w.count += 1
        if not ok:
            w.error, w.point, w.got, w.ref = math.inf, point, float(got), "bracket violated"


def _erlang(rng, tally, big):
    c = _count(rng, 10**7 if big else 10**4)
    a = _load(rng, c)
    point = (c, a)
    log_b, _ = mpref.erlang_b_logs(c, a)
    tally.add("erlang_b", qm.erlang_b(c, a), mp.exp(log_b), point)
    tally.add("log_erlang_b", qm.log_erlang_b(c, a), log_b, point, log=True)
    log_c = mpref.erlang_c_log(c, a)
    tally.add("erlang_c", qm.erlang_c(c, a), mp.exp(log_c), point)
    tally.add("log_erlang_c", qm.log_erlang_c(c, a), log_c, point, log=True)
    # the inverse: the least n with B(n, a) <= target
    target = float(mp.exp(log_b)) if rng.integers(2) else _loguniform(rng, 1e-300, 0.99)
    # (the reference's incomplete gamma is slow beyond ~1e7 servers)
    if 0 < target < 1 and a < 1e6:
        n = int(qm.erlang_b_servers(a, target_blocking=target))
        # within TOLERANCE of the target either way counts as meeting it: a
        # target given as the double nearest B(n) is met by n or n + 1
        slack = mp.log1p(TOLERANCE)
        ok = mpref.erlang_b_logs(n, a)[0] <= mp.log(target) + slack and (
            n == 1 or mpref.erlang_b_logs(n - 1, a)[0] > mp.log(target) - slack)
        tally.add_bracket("erlang_b_servers", ok, (a, target), n)


MMCK_QUANTITIES = ("blocking", "log_blocking", "p_wait", "p_empty", "throughput",
                   "utilization", "mean_in_system", "mean_queue", "mean_wait",
                   "mean_response_time")


def _mmck(rng, tally, big):
    c = _count(rng, 10**6 if big else 10**3)
    m = int(rng.choice([0, 1, 2, _count(rng, 10**6 if big else 10**4)]))
    a = _load(rng, c)
    mu = _loguniform(rng, 1e-3, 1e3)
    lam = a * mu
    if not (0 < lam < 1e300):
        return
    point = (lam, mu, c, c + m)
    ref = mpref.mmck(lam, mu, c, c + m)
    for model, name in ((qm.MMcK(lam, mu, c, c + m), "MMcK"),) + (
            ((qm.MM1K(lam, mu, 1 + m), "MM1K"),) if c == 1 else ()):
        for q in MMCK_QUANTITIES:
            tally.add(f"{name}.{q}", getattr(model, q), ref[q], point, log=q.startswith("log"))
    if c + m <= 5000:
        # the state law, state by state from the balance equations
        with mp.workdps(mpref._dps(lam, mu, c, c + m) + 40):
            aa = mp.mpf(lam) / mp.mpf(mu)
            lw = [mp.mpf(0)]
            for n in range(1, c + m + 1):
                lw.append(lw[-1] + mp.log(aa) - mp.log(min(n, c)))
            top = max(lw)
            tot = mp.log(mp.fsum(mp.exp(x - top) for x in lw)) + top
            probs = qm.MMcK(lam, mu, c, c + m).state_probabilities()
            worst = max(mpref.rel_err(float(p), mp.exp(x - tot)) for p, x in zip(probs, lw))
        tally.add_error("MMcK.state_probabilities", worst, point)


def _mmc(rng, tally, big):
    c = _count(rng, 10**6 if big else 10**3)
    a = _load(rng, c)
    if not a < c:
        return
    mu = _loguniform(rng, 1e-3, 1e3)
    lam = a * mu
    if not lam / mu < c:
        return
    point = (lam, mu, c)
    q = qm.MMc(lam, mu, c)
    with mp.workdps(mpref._dps(c, a) + 40):
        # the load the model was given: lambda/mu exactly, not a
        aa = mp.mpf(lam) / mp.mpf(mu)
        log_b, log_z = mpref._b_exact_a(c, aa)
        log_c = -mp.log1p((c - aa) / c * mp.exp(log_z))
        pw = mp.exp(log_c)
        lq = pw * aa / (c - aa)          # C rho/(1 - rho)
        ref = dict(p_wait=pw, log_p_wait=log_c, mean_queue=lq, mean_wait=lq / (aa * mu),
                   mean_in_system=lq + aa, mean_response_time=lq / (aa * mu) + 1 / mp.mpf(mu))
    for name, r in ref.items():
        tally.add(f"MMc.{name}", getattr(q, name), r, point, log=name.startswith("log"))


def _engset(rng, tally, big):
    n = _count(rng, 10**6 if big else 10**3)
    c = _count(rng, n + 2)
    beta = _loguniform(rng, 1e-300, 1e300) if rng.integers(2) else _loguniform(rng, 1e-3, 1e3)
    point = (n, c, beta)
    m = qm.Engset(n, c, idle_source_load=beta)
    log_t, _ = mpref.engset_logs(n, c, beta)
    log_b, _ = mpref.engset_logs(n - 1, c, beta) if n > 1 else (-mp.inf, None)
    tally.add("Engset.time_congestion", m.time_congestion, mp.exp(log_t), point)
    tally.add("Engset.log_time_congestion", m.log_time_congestion, log_t, point, log=True)
    tally.add("Engset.blocking", m.blocking, mp.exp(log_b), point)
    tally.add("Engset.log_blocking", m.log_blocking, log_b, point, log=True)
    if n <= 300:
        tally.add("Engset.carried_load", m.carried_load, engset_carried(n, c, beta), point)


ERLANG_A_QUANTITIES = ("blocking", "p_wait", "p_abandon", "throughput", "utilization",
                       "mean_queue", "mean_in_system", "mean_wait")


def _erlang_a(rng, tally, big):
    c = _count(rng, 10**3)
    theta = _loguniform(rng, 1e-6, 1e6)
    mu = 1.0
    bounded = bool(rng.integers(2))
    if bounded:
        k = c + int(rng.choice([0, 1, _count(rng, 200)]))
        lam = _load(rng, c) * mu
    else:
        k = None
        # the reference sums the queue weights term by term above the peak
        lam = min(_load(rng, c), c * mu + 2000 * theta)
    if not 0 < lam < 1e300:
        return
    point = (lam, mu, c, theta, k)
    q = qm.ErlangA(lam, mu, c, k, patience_rate=theta)
    ref = mpref.erlang_a(lam, mu, c, theta, k)
    for name in ERLANG_A_QUANTITIES:
        tally.add(f"ErlangA.{name}", getattr(q, name), ref[name], point)
    if "log_blocking" in ref:
        tally.add("ErlangA.log_blocking", q.log_blocking, ref["log_blocking"], point, log=True)


MG1K_QUANTITIES = ("blocking", "log_blocking", "p_empty", "throughput", "utilization",
                   "mean_in_system", "mean_queue", "mean_wait", "mean_response_time")


def _mg1k(rng, tally, big):
    k = _count(rng, 30)
    lam = _loguniform(rng, 1e-10, 1e4) if rng.integers(3) else float(rng.choice([0.9, 0.99, 1.0]))
    kind = "constant" if rng.integers(2) else "exponential"
    service = 1.0
    from scipy import stats
    law = service if kind == "constant" else stats.expon(scale=service)
    q = qm.MG1K(lam, k, service_time=law)
    ref = mg1k_reference(lam, service, k, kind)
    point = (lam, k, kind)
    for name in MG1K_QUANTITIES:
        tally.add(f"MG1K.{name}", getattr(q, name), ref[name], point, log=name.startswith("log"))


def _sensitivity(rng, tally, big):
    c = _count(rng, 300)
    k = c + int(rng.choice([0, 1, _count(rng, 300)]))
    a = _load(rng, c)
    if not 0 < a < 1e300:
        return
    point = (a, 1.0, c, k)
    s = qm.blocking_sensitivity(a, 1.0, c, k)
    # blocking differences can be 1e-3000: carry the digits they need
    old = mpref.DPS
    mpref.DPS = 50 + int(min(4000, abs(math.log10(a)) * (k - c + 2)))
    try:
        r = mpref.mmck(a, 1.0, c, k)
        up = mpref.mmck(a, 1.0, c, k + 1)
        with mp.workdps(mpref.DPS + 40):
            el = k - r["mean_in_system"]
            tally.add("blocking_sensitivity.elasticity", s.elasticity, el, point)
            tally.add("blocking_sensitivity.d_arrival_rate", s.d_arrival_rate,
                      r["blocking"] * el / a, point)
            tally.add("blocking_sensitivity.one_more_place", s.one_more_place,
                      up["blocking"] - r["blocking"], point)
    finally:
        mpref.DPS = old


MGCK_QUANTITIES = ("blocking", "log_blocking", "throughput", "utilization", "mean_in_system",
                   "mean_queue", "mean_wait")


def _mgck_approx(rng, tally, big):
    """The two-moment approximation: exactly M/M/c/K at scv = 1 (checked
    against the balance equations), and for any scv the invariants a law
    must keep (an approximation has no exact value to compare with)."""
    c = _count(rng, 10**4)
    k = c + int(rng.choice([0, 1, 2, _count(rng, 10**5)]))
    a = _load(rng, c)
    mu = _loguniform(rng, 1e-3, 1e3)
    lam = a * mu
    if not 0 < lam < 1e300:
        return
    scv = 1.0 if rng.integers(2) else _loguniform(rng, 1e-3, 1e3)
    q = qm.MGcKApprox(lam, mu, c, k, service_scv=scv)
    point = (lam, mu, c, k, scv)
    v = {name: float(getattr(q, name)) for name in MGCK_QUANTITIES}
    ok = (all(not math.isnan(x) for x in v.values()) and 0 <= v["blocking"] <= 1
          and v["log_blocking"] <= 0 and 0 <= v["throughput"] <= min(lam, c * mu)
          and 0 <= v["utilization"] <= 1 and 0 <= v["mean_queue"] <= k - c
          and v["mean_queue"] <= v["mean_in_system"] <= k and 0 <= v["mean_wait"] < math.inf)
    tally.add_bracket("MGcKApprox.invariants", ok, point, 0.0)
    if scv == 1.0:
        ref = mpref.mmck(lam, mu, c, k)
        for name in MGCK_QUANTITIES:
            tally.add(f"MGcKApprox(scv=1).{name}", v[name], ref[name], point,
                      log=name.startswith("log"))


def _mmck_wait(rng, tally, big):
    """The FIFO wait law of M/M/c/K and its quantile: log_wait_sf against the
    state-by-state Erlang sum (mpref.mmck_wait_tail), and wait_quantile(p)
    by the reference tail at the answer, which must be log(1 - p).  Errors
    are absolute in log P per unit of the reference's condition number (how
    far one rounding of each input moves the value), so 1e-12 allows about
    4500 ulps of well-conditioned value.  wait_cdf at the same times,
    relative to the smaller of the law and its tail (below 1/2 it is summed
    from positive terms, not taken as 1 minus the tail), per unit of the
    same condition number."""
    c = _count(rng, 10**4 if big else 10**3)
    m = _count(rng, 10**5 if big else 10**4)
    a = _load(rng, c)
    if not (1e-12 * c < a < 1e6 * c):      # beyond, nobody or everybody waits m
        return
    lam, mu = a, 1.0
    q = qm.MMcK(lam, mu, c, c + m)
    p = float(rng.choice([0.5, 0.9, 0.99, 1 - 1e-9, rng.uniform(0, 1)]))
    point = (lam, mu, c, c + m, p)
    t = float(q.wait_quantile(p))
    if not math.isfinite(t):
        tally.add_error("MMcK.wait_quantile", math.inf, point)
        return
    ref, cond = mpref.mmck_wait_tail(lam, mu, c, c + m, t)
    if t == 0.0:
        # nobody needs to wait for this share: P(W > 0) <= 1 - p already
        ok = ref <= mp.log1p(-mp.mpf(p)) + TOLERANCE * cond
        tally.add_error("MMcK.wait_quantile", 0.0 if ok else math.inf, point)
        return
    tally.add_error("MMcK.wait_quantile",
                    float(abs(ref - mp.log1p(-mp.mpf(p)))) / cond, point)
    # the tail itself at the answer and at a time a few quantiles away
    for s in (t, t * float(rng.choice([0.1, 0.5, 2.0, 8.0]))):
        ref_s, cond_s = (ref, cond) if s == t else mpref.mmck_wait_tail(lam, mu, c, c + m, s)
        got = float(q.log_wait_sf(s))
        err = 0.0 if got == ref_s else float(abs(mp.mpf(got) - ref_s)) / cond_s
        tally.add_error("MMcK.log_wait_sf", err, point + (s,))
        # the law as 1 minus the reference's log tail keeps its relative
        # digits only well above the reference's precision (80 digits or
        # more: a law of 1e-111 came out 0): checked where above 1e-9
        cdf, ref_cdf = float(q.wait_cdf(s)), -mp.expm1(ref_s)
        if ref_cdf > 1e-9:
            err = float(abs(cdf - ref_cdf) / min(ref_cdf, mp.exp(ref_s))) / cond_s
            tally.add_error("MMcK.wait_cdf", err, point + (s,))


FAMILIES = {"erlang": _erlang, "mmck": _mmck, "mmc": _mmc, "engset": _engset,
            "erlang_a": _erlang_a, "mg1k": _mg1k, "sensitivity": _sensitivity,
            "mgck_approx": _mgck_approx, "mmck_wait": _mmck_wait}


def sweep(points, seed, big=False, families=None):
    """Worst error per public function over ``points`` random inputs per
    family (warnings raised as errors); ``big`` widens the domain to the
    largest sizes (slow references)."""
    tally = Tally()
    rng = np.random.default_rng(seed)
    for name, family in FAMILIES.items():
        if families and name not in families:
            continue
        for _ in range(points):
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                family(rng, tally, big)
    return tally.worst
