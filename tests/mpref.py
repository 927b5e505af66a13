"""Arbitrary-precision reference values (mpmath), computed inside the tests.

Nothing here calls queuemath: each function sums the defining series or uses
mpmath's incomplete gamma function at a working precision raised with the
size of the arguments, so the reference carries at least 40 correct digits.
Inputs are the exact binary values of the doubles the tests pass in.
"""
import itertools
import math
from fractions import Fraction

import mpmath as mp

DPS = 50


def _dps(*xs):
    big = max([1.0] + [abs(float(x)) for x in xs])
    return DPS + int(math.log10(big)) + 10


def erlang_b_logs(c, a):
    """(log B, log Z) with B = Erlang B, Z = 1/B - 1, both as mpf."""
    c = int(c)
    with mp.workdps(_dps(c, a)):
        return _b_exact_a(c, mp.mpf(a))


def erlang_c_log(c, a):
    c = int(c)
    if a >= c:
        return mp.mpf(0)
    log_b, log_z = erlang_b_logs(c, a)
    with mp.workdps(_dps(c, a)):
        a = mp.mpf(a)
        # 1/C = 1 + (c - a)/c * Z
        return -mp.log1p((c - a) / c * mp.exp(log_z))


def mmck(lam, mu, c, k):
    """Dict of every M/M/c/K quantity as mpf (plain and log blocking)."""
    c, k = int(c), int(k)
    m = k - c
    with mp.workdps(_dps(lam, mu, c, k) + 40):
        lam, mu = mp.mpf(lam), mp.mpf(mu)
        a = lam / mu
        rho = a / c
        log_b, log_z = _b_exact_a(c, a)
        # Weights relative to state c: below c sum to Z, queue states rho^j.
        if rho == 1:
            g = mp.mpf(m + 1)            # sum_{j=0}^{m} rho^j
            gj = mp.mpf(m) * (m + 1) / 2  # sum_{j=0}^{m} j rho^j
        else:
            g = (1 - rho ** (m + 1)) / (1 - rho)
            gj = rho * (1 - (m + 1) * rho ** m + m * rho ** (m + 1)) / (1 - rho) ** 2
        z = mp.exp(log_z)
        w = z + g
        pk = rho ** m / w
        log_pk = m * mp.log(rho) - mp.log(w)
        p_ge_c = g / w
        lq = gj / w
        busy_below = a * z / w                  # sum_{n<=c} n w_n = A Z
        busy = busy_below + c * (g - 1) / w     # states above c keep c busy
        lsys = busy_below + c * (g - 1) / w + lq
        admit = 1 - pk
        thr = lam * admit
        # p_0 = (c!/a^c) / W
        log_p0 = mp.loggamma(c + 1) - c * mp.log(a) - mp.log(w)
        p_wait = (g - rho ** m) / w             # states c..K-1: admitted, all busy
        return dict(blocking=pk, log_blocking=log_pk, throughput=thr, p_wait=p_wait,
                    utilization=busy / c, mean_in_system=lsys, mean_queue=lq,
                    mean_wait=lq / thr, mean_response_time=lsys / thr,
                    p_empty=mp.exp(log_p0), p_ge_c=p_ge_c)


def _b_exact_a(c, a):
    """erlang_b_logs for an mpf load (used inside mmck's raised precision)."""
    if c <= 3000 or a >= 10 * c:
        total_z = mp.mpf(0)
        t = mp.mpf(1)
        peak = mp.mpf(1)
        for j in range(c):
            t = t * (c - j) / a
            total_z += t
            peak = max(peak, t)
            if t < peak * mp.mpf(10) ** (-(DPS + 5)):
                break
        return -mp.log1p(total_z), mp.log(total_z)
    lp = c * mp.log(a) - a - mp.loggamma(c + 1)
    lq = mp.log(mp.gammainc(c + 1, a, mp.inf, regularized=True))
    log_b = lp - lq
    return log_b, mp.log(-mp.expm1(log_b)) - log_b


def engset_logs(n, c, beta):
    """(log E, log Z) of the truncated binomial, E = C(n,c) b^c / sum_{i<=c}."""
    n, c = int(n), int(c)
    if c > n:
        return -mp.inf, mp.inf
    with mp.workdps(DPS + 10):
        b = mp.mpf(beta)
        p = b / (1 + b)
        mode = int(mp.floor((n + 1) * p))
        if c <= mode + 1:
            # Terms C(n, c-j)/C(n, c) b^-j fall from j = 0 on: sum from the top.
            total_z = mp.mpf(0)
            t = mp.mpf(1)
            for j in range(c):
                t = t * (c - j) / ((n - c + 1 + j) * b)
                total_z += t
                if t < total_z * mp.mpf(10) ** (-(DPS + 5)):
                    break
            return -mp.log1p(total_z), mp.log(total_z) if total_z > 0 else -mp.inf
        # c lies above the mode: sum the weights outward from the mode (where
        # the mass is) instead of walking down from c through every state.
        def log_w(i):
            return (mp.loggamma(n + 1) - mp.loggamma(i + 1) - mp.loggamma(n - i + 1)
                    + i * mp.log(b))
        total = mp.mpf(1)           # weights relative to state `mode`
        t = mp.mpf(1)
        for i in range(mode, 0, -1):   # downward: w(i-1)/w(i) = i/((n-i+1) b)
            t = t * i / ((n - i + 1) * b)
            total += t
            if t < total * mp.mpf(10) ** (-(DPS + 5)):
                break
        t = mp.mpf(1)
        for i in range(mode, c):       # upward to c: w(i+1)/w(i) = (n-i) b/(i+1)
            t = t * (n - i) * b / (i + 1)
            total += t
            if t < total * mp.mpf(10) ** (-(DPS + 5)):
                break
        log_e = log_w(c) - log_w(mode) - mp.log(total)
        return log_e, mp.log(-mp.expm1(log_e)) - log_e


def rel_err(got, ref):
    """Relative error of a float against an mpf (0 when both are 0 or equal inf)."""
    if isinstance(ref, Fraction):
        ref = mp.mpf(ref.numerator) / ref.denominator
    ref = mp.mpf(ref)
    if ref == 0:
        return abs(got)
    if abs(ref) < 2.2250738585072014e-308:
        # below the normal doubles the relative precision fades: the error
        # counts relative to the smallest normal double
        return float(abs(mp.mpf(got) - ref) / mp.mpf(2.2250738585072014e-308))
    if mp.isinf(ref):
        return 0.0 if got == ref else math.inf
    return float(abs((mp.mpf(got) - ref) / ref))


def log_err(got, ref):
    """Error of a log-form value: absolute, relative once |ref| > 1."""
    ref = mp.mpf(ref)
    if mp.isinf(ref):
        return 0.0 if got == ref else math.inf
    return float(abs(mp.mpf(got) - ref) / max(1, abs(ref)))


def erlang_a(lam, mu, c, theta, k=None, t=None):
    """Dict of Erlang A quantities as mpf (M/M/c+M, M/M/c/K+M), by the
    defining sums of the birth-death chain, relative to state c.

    Unbounded queues use S = 1F1(1; a+1; x) = a x^-a e^x gamma(a, x) and
    D = sum_j j t_j = S (x - a) + a (a = c mu/theta, x = lam/theta);
    finite queues sum the K - c + 1 queue weights one by one.  ``t`` adds the
    service level: sum_j p_{c+j} a/(a+j+1) I_{1-e^{-theta t}}(j+1, a+1), or
    for the unbounded queue a int_{e^{-theta t}}^1 u^a e^{x(1-u)} du by
    mpmath's quadrature.
    """
    c = int(c)
    with mp.workdps(_dps(lam, mu, c, theta, k or 1) + 40):
        lam, mu, theta = mp.mpf(lam), mp.mpf(mu), mp.mpf(theta)
        A = lam / mu
        cmu = c * mu
        log_b, log_z = _b_exact_a(c, A)
        z = mp.exp(log_z)
        if k is None and theta == 0:
            rho = lam / cmu
            s, d = 1 / (1 - rho), rho / (1 - rho) ** 2
            tm = mp.mpf(0)
            w_wait = s
        elif k is None:
            a, x = cmu / theta, lam / theta
            # S = 1F1(1; a+1; x) = a x^-a e^x gamma(a, x); the identity
            # D = S (x - a) + a cancels by at most ~a/(x - a) for x > a/2,
            # far inside the digits.
            if x > a:
                # mpmath's incomplete gamma gives up here: sum the weights
                # directly (they rise to j ~ x - a, then fall).
                s, d, tj, j = mp.mpf(1), mp.mpf(0), mp.mpf(1), 0
                while j < x - a or tj > s * mp.mpf(10) ** (-(DPS + 5)):
                    j += 1
                    tj = tj * x / (a + j)
                    s += tj
                    d += j * tj
            elif x <= a / 2:
                # the terms fall at least by half each: sum S and D directly
                # (D = S (x - a) + a would cancel S - 1 ~ x/a against a: at
                # x = 1e-86 every digit)
                s, d, tj, j = mp.mpf(1), mp.mpf(0), mp.mpf(1), 0
                while tj > s * mp.mpf(10) ** (-(DPS + 5)):
                    j += 1
                    tj = tj * x / (a + j)
                    s += tj
                    d += j * tj
            else:
                s = mp.hyp1f1(1, a + 1, x, maxterms=10**7)
                d = s * (x - a) + a
            tm = mp.mpf(0)
            w_wait = s
        else:
            m = int(k) - c
            s, d, tj = mp.mpf(0), mp.mpf(0), mp.mpf(1)
            ts = []
            for j in range(m + 1):
                if j:
                    tj = tj * lam / (cmu + j * theta)
                ts.append(tj)
                s += tj
                d += j * tj
                # past the peak (ratio < 1) the rest is below the precision:
                # the weight of state m is then its own product, in logs
                if j and lam < cmu + j * theta and tj < s * mp.mpf(10) ** (-(DPS + 20)):
                    break
            if j < m:
                if theta == 0:
                    log_tm = m * mp.log(lam / cmu)
                else:   # prod_{i<=m} lam/(c mu + i theta) by log-gamma
                    log_tm = (m * mp.log(lam / theta) - mp.loggamma(cmu / theta + m + 1)
                              + mp.loggamma(cmu / theta + 1))
                tm = mp.exp(log_tm)
                ts.extend([mp.mpf(0)] * (m - j))
            else:
                tm = tj
            w_wait = s - tm
        total = z + s
        lq = d / total
        busy = (c * (s - 1) + A * z) / total
        out = dict(blocking=tm / total, p_wait=w_wait / total, mean_queue=lq,
                   p_abandon=theta * lq / lam, throughput=mu * busy,
                   utilization=busy / c, mean_in_system=busy + lq,
                   mean_wait=lq / (lam * (1 - tm / total)))
        if k is not None and tm > 0:
            out["log_blocking"] = mp.log(tm) - mp.log(total)
        if t is not None:
            t = mp.mpf(t)
            if k is None:
                if theta == 0:
                    served = (1 - mp.exp(-(cmu - lam) * t)) / (1 - lam / cmu)
                else:
                    # a/x int_y^x (z/x)^a e^(x-z) dz, y = x e^(-theta t): the
                    # integrand is log-concave with its peak at z = a, where
                    # the tanh-sinh rule gets a breakpoint.
                    y = x * mp.exp(-theta * t)
                    pts = [y, a, x] if y < a < x else [y, x]
                    served = a / x * mp.quad(lambda z: mp.exp(a * mp.log(z / x) + x - z), pts)
            else:
                served = mp.mpf(0)
                for j in range(m):
                    # P(served in time) <= 1 and falls with j: a weight far
                    # below the sum so far cannot contribute any more
                    if ts[j] < served * mp.mpf(10) ** (-(DPS + 5)):
                        continue
                    if theta == 0:
                        g = mp.gammainc(j + 1, 0, cmu * t, regularized=True)
                    else:
                        a = cmu / theta
                        g = a / (a + j + 1) * mp.betainc(j + 1, a + 1, 0, -mp.expm1(-theta * t),
                                                         regularized=True)
                    served += ts[j] * g
            out["service_level"] = (z + served) / total
        return out


def _queue_weights(lam, mu, c, k):
    """(rho, Z, m) as mpf: weights of the M/M/c/K states relative to state c,
    Z the states below c summed, rho^j the queue state c + j."""
    c, k = int(c), int(k)
    lam, mu = mp.mpf(lam), mp.mpf(mu)
    a = lam / mu
    _, log_z = _b_exact_a(c, a)
    return a / c, mp.exp(log_z), k - c


def wait_sums(rho, m, x):
    """(S(x), -S'(x)) at the working precision: S = sum_i pmf(i; x)
    sum_{j=i}^{m-1} rho^j and -S' = sum_i pmf(i; x) rho^i (i < m), summed
    term by term over the Poisson terms within 45 sqrt(x) + 50 of their
    mode (the rest below e^-1000 of the peak).  rho, x: mpf."""
    spread = 45 * mp.sqrt(max(x, 1)) + 50
    lo = int(max(0, min(x, m - 1) - spread))
    hi = int(min(m - 1, x + spread))
    term = mp.exp(-x + lo * mp.log(x) - mp.loggamma(lo + 1)) if x > 0 else mp.mpf(lo == 0)
    total = dens = mp.mpf(0)
    for i in range(lo, hi + 1):
        if i > lo:
            term = term * x / i
        tail = (m - i) if rho == 1 else (rho ** i - rho ** m) / (1 - rho)
        total += term * tail
        dens += term * rho ** i
    return total, dens

def mmck_wait_tail(lam, mu, c, k, t):
    """State by state: (log P(Wq > t | admitted), condition number) for FIFO
    M/M/c/K.  An admitted customer who finds c + j present waits
    Erlang(j + 1, c mu), whose tail is P(Poisson(x) <= j), x = c mu t; so the
    tail is sum_i pmf(i; x) sum_{j=i}^{m-1} rho^j over the Poisson terms,
    summed term by term where pmf(i; x) is above e^-1000 of its peak.  The
    condition number 1 + |log P| + x h + |log rho| (m - 1) (h the hazard in
    units of x) bounds how much the value moves under one rounding of each
    input."""
    c, k = int(c), int(k)
    with mp.workdps(_dps(lam, mu, c, k, t) + 20):
        rho, z, m = _queue_weights(lam, mu, c, k)
        if m == 0:
            return -mp.inf, 1.0
        x = c * mp.mpf(mu) * mp.mpf(t)
        if rho == 1:
            admitted = z + m
        else:
            admitted = z + (1 - rho ** m) / (1 - rho)
        total, dens = wait_sums(rho, m, x)
        if total == 0:
            return -mp.inf, 1.0
        log_p = mp.log(total) - mp.log(admitted)
        cond = 1 + abs(log_p) + x * dens / total + abs(mp.log(rho)) * (m - 1)
        return log_p, float(cond)


def mmck_response_tail(lam, mu, c, k, t):
    """State by state: log P(W > t | admitted), W = wait + service, FIFO
    M/M/c/K.  From n < c present: the service alone, e^{-mu t}.  From c + j
    present (c > 1): Erlang(j + 1, c mu) + Exp(mu), whose tail is
    Q(j+1, c mu t) + e^{-mu t} (c/(c-1))^{j+1} P(j+1, (c-1) mu t) (the
    convolution integral done by hand); with c = 1, Erlang(j + 2, mu)."""
    c, k = int(c), int(k)
    with mp.workdps(_dps(lam, mu, c, k, t) + 30):
        rho, z, m = _queue_weights(lam, mu, c, k)
        mu_, t_ = mp.mpf(mu), mp.mpf(t)
        total = z * mp.exp(-mu_ * t_)
        admitted = z
        for j in range(m):
            w = rho ** j
            if c == 1:
                r = mp.gammainc(j + 2, mu_ * t_, mp.inf, regularized=True)
            else:
                r = (mp.gammainc(j + 1, c * mu_ * t_, mp.inf, regularized=True)
                     + mp.exp(-mu_ * t_) * (mp.mpf(c) / (c - 1)) ** (j + 1)
                     * mp.gammainc(j + 1, 0, (c - 1) * mu_ * t_, regularized=True))
            total += w * r
            admitted += w
        return mp.log(total) - mp.log(admitted)


def mmck_variances(lam, mu, c, k):
    """(Var N, Var N_q, Var W_q) of M/M/c/K as mpf, state by state: the
    weights a^n/n! (n <= c) and a^c/c! rho^(n-c) summed with n and n^2; the
    wait of a customer admitted with c + j present is Erlang(j + 1, c mu),
    mean (j + 1)/(c mu), second moment (j + 1)(j + 2)/(c mu)^2."""
    c, k = int(c), int(k)
    with mp.workdps(_dps(lam, mu, c, k) + 30):
        lam, mu = mp.mpf(lam), mp.mpf(mu)
        a = lam / mu
        rho = a / c
        # weights relative to state c, from c downwards and upwards
        w = {c: mp.mpf(1)}
        for n in range(c - 1, -1, -1):
            w[n] = w[n + 1] * (n + 1) / a
        for n in range(c + 1, k + 1):
            w[n] = w[n - 1] * rho
        total = mp.fsum(w.values())
        e1 = mp.fsum(n * v for n, v in w.items()) / total
        e2 = mp.fsum(n * n * v for n, v in w.items()) / total
        q1 = mp.fsum((n - c) * v for n, v in w.items() if n > c) / total
        q2 = mp.fsum((n - c) ** 2 * v for n, v in w.items() if n > c) / total
        admitted = total - w[k]
        theta = c * mu
        w1 = mp.fsum((n - c + 1) * v for n, v in w.items() if c <= n < k) / admitted / theta
        w2 = (mp.fsum((n - c + 1) * (n - c + 2) * v for n, v in w.items() if c <= n < k)
              / admitted / theta ** 2)
        return e2 - e1 ** 2, q2 - q1 ** 2, w2 - w1 ** 2


def mmck_wait_cdf(lam, mu, c, k, t):
    """State by state: P(Wq <= t | admitted) of FIFO M/M/c/K as mpf, from
    positive terms: the states below c (nobody waits) plus, for c + j
    present, P(Erlang(j + 1, c mu) <= t) = P(Poisson(x) >= j + 1), summed
    downwards from j = m - 1 by adding Poisson terms."""
    c, k = int(c), int(k)
    with mp.workdps(_dps(lam, mu, c, k, t) + 20):
        rho, z, m = _queue_weights(lam, mu, c, k)
        x = c * mp.mpf(mu) * mp.mpf(t)
        admitted = z + (m if rho == 1 else (1 - rho ** m) / (1 - rho))
        if m == 0 or x == 0:
            return z / admitted
        upper = mp.gammainc(m, 0, x, regularized=True)      # P(Poisson(x) >= m)
        pmf = mp.exp(-x + (m - 1) * mp.log(x) - mp.loggamma(m))   # at m - 1
        total = mp.mpf(0)
        for j in range(m - 1, -1, -1):
            total += rho ** j * upper                      # upper = P(Poisson >= j + 1)
            upper += pmf                                   # now P(Poisson >= j)
            pmf = pmf * j / x                              # pmf at j - 1
        return (z + total) / admitted


# -- M/M/c/K/N (finite sources) ---------------------------------------------

def _fs_log_term(n, big_n, c, log_beta):
    """log of prod_{i<n} (N - i) beta / min(i + 1, c): the defining product
    of the birth-death chain, by log-gamma."""
    n = int(n)
    low = min(n, c)
    return (mp.loggamma(big_n + 1) - mp.loggamma(big_n - n + 1) - mp.loggamma(low + 1)
            - (n - low) * mp.log(c) + n * log_beta)


def finite_source_law(big_n, c, k, beta, full=False):
    """(first state, log weights of the window, log normaliser) of the
    M/M/c/K/N law (K <= N) by its defining product, summed over the states
    whose weight is within e^-150 of the largest (the window is widened
    until both ends are below that, or reach 0 and K); ``full``: every
    state 0..K."""
    big_n, c, k = int(big_n), int(c), int(k)
    log_beta = mp.log(mp.mpf(beta))
    # the mode: the last n whose ratio (N - n + 1) beta / min(n, c) is >= 1
    lo, hi = 0, k
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if (big_n - mid + 1) * mp.mpf(beta) / min(mid, c) >= 1:
            lo = mid
        else:
            hi = mid - 1
    mode = lo
    top = _fs_log_term(mode, big_n, c, log_beta)
    h = 64
    while True:
        a, b = max(0, mode - h), min(k, mode + h)
        ok_a = a == 0 or _fs_log_term(a, big_n, c, log_beta) < top - 150
        ok_b = b == k or _fs_log_term(b, big_n, c, log_beta) < top - 150
        if full:
            a, b = 0, k
            break
        if ok_a and ok_b:
            break
        h *= 2
    logs = []
    cur = _fs_log_term(a, big_n, c, log_beta) - top
    for n in range(a, b + 1):
        logs.append(cur)
        if n < b:
            cur += mp.log((big_n - n) * mp.mpf(beta) / min(n + 1, c))
    norm = mp.log(mp.fsum(mp.exp(v) for v in logs))
    return a, logs, norm, top


def finite_source(gamma, mu, big_n, c, k=None):
    """Dict of M/M/c/K/N quantities as mpf, from the law summed state by
    state: log p_K, P(N >= c), log call congestion (the law with N - 1 sources), L,
    L_q, Var N, Var N_q, busy servers, log P(wait | admitted)."""
    big_n, c = int(big_n), int(c)
    k = big_n if k is None else min(int(k), big_n)
    with mp.workdps(_dps(big_n, k) + 30):
        beta = mp.mpf(gamma) / mp.mpf(mu)
        a, logs, norm, _ = finite_source_law(big_n, c, k, beta)
        ps = [mp.exp(v - norm) for v in logs]
        ns = range(a, a + len(ps))
        mean = mp.fsum(n * p for n, p in zip(ns, ps))
        lq = mp.fsum(max(n - c, 0) * p for n, p in zip(ns, ps))
        out = dict(
            log_p_full=(logs[-1] - norm if a + len(ps) - 1 == k else
                                 _fs_log_term(k, big_n, c, mp.log(beta))
                                 - _fs_log_term(a, big_n, c, mp.log(beta)) + logs[0] - norm),
            mean_in_system=mean, mean_queue=lq,
            var_in_system=mp.fsum((n - mean) ** 2 * p for n, p in zip(ns, ps)),
            var_queue=mp.fsum((max(n - c, 0) - lq) ** 2 * p for n, p in zip(ns, ps)),
            busy=mp.fsum(min(n, c) * p for n, p in zip(ns, ps)),
            time_congestion=mp.fsum(p for n, p in zip(ns, ps) if n >= c))
        if k <= big_n - 1:
            a1, l1, n1, t1 = finite_source_law(big_n - 1, c, k, beta)
            lb = _fs_log_term(k, big_n - 1, c, mp.log(beta)) - t1 - n1
            out["log_blocking"] = lb
        else:
            out["log_blocking"] = -mp.inf
        return out


def finite_source_admitted(gamma, mu, big_n, c, k=None, full=False):
    """(first state, probabilities) of what an admitted request sees: the law
    with N - 1 sources on 0..K-1 (arrival theorem), as mpf."""
    big_n, c = int(big_n), int(c)
    k = big_n if k is None else min(int(k), big_n)
    beta = mp.mpf(gamma) / mp.mpf(mu)
    if big_n == 1:
        return 0, [mp.mpf(1)]
    a, logs, norm, _ = finite_source_law(big_n - 1, c, min(k - 1, big_n - 1), beta, full)
    return a, [mp.exp(v - norm) for v in logs]


def finite_source_wait_tail(gamma, mu, big_n, c, k, t):
    """log P(Wq > t | admitted), state by state: sum over the admitted
    arrival-seen law of P(Erlang(n - c + 1, c mu) > t)."""
    with mp.workdps(_dps(big_n, t) + 30):
        a, ps = finite_source_admitted(gamma, mu, big_n, c, k)
        x = int(c) * mp.mpf(mu) * mp.mpf(t)
        total = mp.fsum(p * mp.gammainc(n - c + 1, x, mp.inf, regularized=True)
                        for n, p in zip(range(a, a + len(ps)), ps) if n >= c)
        return mp.log(total) if total > 0 else -mp.inf


def finite_source_response_tail(gamma, mu, big_n, c, k, t):
    """log P(W > t | admitted), W = wait + service: from n < c the service
    alone; from n >= c, P(Erlang(j + 1, c mu) + Exp(mu) > t), j = n - c, by
    numerical integration of the convolution (no closed form)."""
    with mp.workdps(30):
        a, ps = finite_source_admitted(gamma, mu, big_n, c, k)
        mu_, t_, cmu = mp.mpf(mu), mp.mpf(t), int(c) * mp.mpf(mu)
        total = mp.mpf(0)
        for n, p in zip(range(a, a + len(ps)), ps):
            if n < c:
                total += p * mp.exp(-mu_ * t_)
                continue
            j = n - c
            dens = lambda u: cmu ** (j + 1) * u ** j * mp.exp(-cmu * u) / mp.factorial(j)  # noqa: E731
            conv = mp.quad(lambda u: dens(u) * mp.exp(-mu_ * (t_ - u)), [0, t_])
            total += p * (mp.gammainc(j + 1, cmu * t_, mp.inf, regularized=True) + conv)
        return mp.log(total)


# -- Erlang A: the served customers' wait -------------------------------------

def erlang_a_law(lam, mu, c, theta, k=None, cut=70):
    """p_0, p_1, ... of Erlang A by the birth-death product (to K, or while
    the weights are above 10^-cut of the largest)."""
    lam, mu, theta = mp.mpf(lam), mp.mpf(mu), mp.mpf(theta)
    w = [mp.mpf(1)]
    n = 0
    while True:
        n += 1
        if k is not None and n > k:
            break
        w.append(w[-1] * lam / (min(n, c) * mu + max(n - c, 0) * theta))
        if k is None and n > c and w[-1] < mp.mpf(10) ** -cut * max(w):
            break
    z = mp.fsum(w)
    return [v / z for v in w]


def _hypo(mu, c, theta, j):
    """Rates lambda_i = c mu + i theta (i = 0..j) of the stages a customer
    with j waiting ahead passes before reaching a server, and the partial
    fraction weights C_i = prod_{k != i} lambda_k/(lambda_k - lambda_i) of
    their sum's density, f_V(v) = sum_i C_i lambda_i e^{-lambda_i v}."""
    lam = [c * mu + i * theta for i in range(j + 1)]
    weights = []
    for i, li in enumerate(lam):
        w = mp.mpf(1)
        for k, lk in enumerate(lam):
            if k != i:
                w *= lk / (lk - li)
        weights.append(w)
    return lam, weights


def erlang_a_served(lam, mu, c, theta, k=None, t=None, mu_service=None):
    """First principles for the served customers of Erlang A: with j ahead
    the time to reach a server V is hypoexponential (partial fractions of its
    density, at a precision raised for their alternating terms) and the
    customer is served if its Exp(theta) patience outlasts V:
    P(V > t, served) = int_t^inf f_V(v) e^{-theta v} dv, E[V^n e^{-theta V}]
    likewise.  With ``mu_service`` the response time R = V + S of the served
    instead: P(R > t, served) adds int_0^t f_V(v) e^{-theta v}
    e^{-mu (t - v)} dv.  Returns a dict: log P(W > t | served) (or of R),
    the served wait's mean and variance, Var N and Var N_q."""
    p0 = erlang_a_law(lam, mu, c, theta, k, cut=45)
    ts = [] if t is None else list(t) if isinstance(t, (list, tuple)) else [t]
    with mp.workdps(40 + 2 * len(p0)):
        p = erlang_a_law(lam, mu, c, theta, k, cut=45)
        mu_, th = mp.mpf(mu), mp.mpf(theta)
        ns = range(len(p))
        mean_n = mp.fsum(n * v for n, v in zip(ns, p))
        mean_q = mp.fsum(max(n - c, 0) * v for n, v in zip(ns, p))
        out = dict(var_in_system=mp.fsum((n - mean_n) ** 2 * v for n, v in zip(ns, p)),
                   var_queue=mp.fsum((max(n - c, 0) - mean_q) ** 2 * v for n, v in zip(ns, p)))
        served = m1 = m2 = mp.mpf(0)
        tails = [mp.mpf(0) for _ in ts]
        for n, v in zip(ns, p):
            if k is not None and n >= k:
                continue                    # refused
            if n < c:
                served += v
                for i, t_ in enumerate(ts):
                    tails[i] += v * (mp.exp(-mp.mpf(mu_service) * t_) if mu_service else 0)
                continue
            rates, weights = _hypo(mu_, c, th, n - c)
            for li, ci in zip(rates, weights):
                g = li + th
                served += v * ci * li / g
                m1 += v * ci * li / g ** 2
                m2 += v * ci * 2 * li / g ** 3
                for i, t_ in enumerate(ts):
                    t_ = mp.mpf(t_)
                    tails[i] += v * ci * li / g * mp.exp(-g * t_)
                    if mu_service:
                        ms = mp.mpf(mu_service)
                        d = g - ms
                        inner = t_ if d == 0 else -mp.expm1(-d * t_) / d
                        tails[i] += v * ci * li * mp.exp(-ms * t_) * inner
        mean_w = m1 / served
        out["mean_wait_served"] = mean_w
        out["var_wait"] = m2 / served - mean_w ** 2
        logs = [mp.log(x / served) if x > 0 else -mp.inf for x in tails]
        if t is not None:
            out["log_wait_sf"] = logs if isinstance(t, (list, tuple)) else logs[0]
        return out


def _md1k_dps(rho, k, *more):
    return _dps(rho, k, *more) + int(k * max(0.0, -math.log10(rho))) + k


def _stationary(q):
    """The stationary vector of a generator given off its diagonal (an mp
    matrix, filled in place): the diagonal from the row sums, one balance
    equation replaced by the normalisation, solved by LU at the working
    precision."""
    size = q.rows
    for i in range(size):
        q[i, i] = -mp.fsum(q[i, j] for j in range(size) if j != i)
    m = q.T
    for j in range(size):
        m[0, j] = 1
    return mp.lu_solve(m, mp.matrix([1] + [0] * (size - 1)))


def md1k_departure(lam, d, k):
    """M/D/1/K: the law left by departures, pi_0..pi_{K-1}, from the
    embedded chain's transition matrix solved densely (one balance equation
    replaced by the normalisation; Gross et al. 2008, sec. 5.1), at a
    precision that covers the law's range (pi_n ~ rho^n at light load: the
    solve's absolute error must stay below the smallest)."""
    with mp.workdps(_md1k_dps(lam * d, k)):
        rho = mp.mpf(lam) * mp.mpf(d)
        a = [mp.exp(-rho) * rho**j / mp.factorial(j) for j in range(k + 1)]
        p = mp.zeros(k, k)
        for i in range(k):
            start = max(i - 1, 0)          # a departure leaving i: then i - 1 + arrivals
            for col in range(start, k - 1):
                p[i, col] = a[col - start]
            p[i, k - 1] = 1 - mp.fsum(p[i, c] for c in range(k - 1))
        m = p.T - mp.eye(k)
        for j in range(k):
            m[0, j] = 1
        rhs = mp.matrix([1] + [0] * (k - 1))
        return [x for x in mp.lu_solve(m, rhs)]


def md1k_wait_tail(lam, d, k, t):
    """P(W > t | admitted) for M/D/1/K by integrating, over the age x of the
    service in progress, the law an admitted arrival sees (n present, age x):
    lam sum_i pi'_i Poisson(n - i; lam x), wait n D - x."""
    pi = md1k_departure(lam, d, k)
    with mp.workdps(_md1k_dps(lam * d, k, t)):
        lam, d, t = mp.mpf(lam), mp.mpf(d), mp.mpf(t)
        prime = [None, pi[0] + pi[1]] + pi[2:]
        total = mp.mpf(0)
        for n in range(1, k):
            # waits n D - x > t for ages x < n D - t
            top = min(d, n * d - t)
            if top <= 0:
                continue
            def f(x, n=n):
                return lam * mp.fsum(prime[i] * mp.exp(-lam * x) * (lam * x) ** (n - i)
                                     / mp.factorial(n - i) for i in range(1, n + 1))
            total += mp.quad(f, [0, top])
        return total


def md1_wait_cdf(lam, d, t):
    """Erlang's M/D/1 waiting-time law (no capacity limit, rho < 1):
    P(W <= t) = (1 - rho) sum_{j <= t/D} e^{-lam (j D - t)} (lam (j D - t))^j / j!
    (Erlang 1909; Gross et al. 2008, sec. 6.1.7), at a precision that
    absorbs the alternating terms' cancellation."""
    with mp.workdps(DPS + int(2 * lam * t) + 20):
        lam, d, t = mp.mpf(lam), mp.mpf(d), mp.mpf(t)
        s = mp.fsum(mp.exp(-lam * (j * d - t)) * (lam * (j * d - t)) ** j / mp.factorial(j)
                    for j in range(int(mp.floor(t / d)) + 1))
        return (1 - lam * d) * s


def mek1k(lam, shape, rate, k, t, response=False):
    """M/E_k/1/K (Erlang service of ``shape`` phases, each of rate ``rate``):
    P(W > t | admitted) (or the time in system) from the chain of (number
    present, phases left of the service in progress) solved densely, and the
    blocking, and the wait's first two moments; who finds n present with ph
    phases left waits (n-1) shape + ph phases."""
    states = [(0, 0)] + [(n, ph) for n in range(1, k + 1) for ph in range(1, shape + 1)]
    index = {s: i for i, s in enumerate(states)}
    size = len(states)
    with mp.workdps(_dps(lam, rate, k, t)):
        lam, rate = mp.mpf(lam), mp.mpf(rate)
        q = mp.zeros(size, size)
        for (n, ph), i in index.items():
            if n < k:
                q[i, index[(n + 1, shape if n == 0 else ph)]] += lam
            if n > 0:
                nxt = (n, ph - 1) if ph > 1 else ((n - 1, shape) if n > 1 else (0, 0))
                q[i, index[nxt]] += rate
        p = _stationary(q)
        admitted = [(s, p[i]) for s, i in index.items() if s[0] < k]
        norm = mp.fsum(w for _, w in admitted)
        blocking = 1 - norm
        extra = shape if response else 0

        def ahead(s):
            return 0 if s[0] == 0 else (s[0] - 1) * shape + s[1]
        tail = mp.fsum(w * mp.gammainc(ahead(s) + extra, rate * t, mp.inf, regularized=True)
                       for s, w in admitted if ahead(s) + extra > 0) / norm
        m1 = mp.fsum(w * ahead(s) for s, w in admitted) / norm / rate
        m2 = mp.fsum(w * ahead(s) * (ahead(s) + 1) for s, w in admitted) / norm / rate**2
        return tail, blocking, m1, m2


def md1k_wait_moments(lam, d, k):
    """(E[W], E[W^2]) of an admitted M/D/1/K customer, integrating (n D -
    x)^j over the law seen by admitted arrivals (see md1k_wait_tail)."""
    pi = md1k_departure(lam, d, k)
    with mp.workdps(_md1k_dps(lam * d, k)):
        lam, d = mp.mpf(lam), mp.mpf(d)
        prime = [None, pi[0] + pi[1]] + pi[2:]
        moments = []
        for j in (1, 2):
            total = mp.mpf(0)
            for n in range(1, k):
                def f(x, n=n, j=j):
                    return (n * d - x) ** j * lam * mp.fsum(
                        prime[i] * mp.exp(-lam * x) * (lam * x) ** (n - i) / mp.factorial(n - i)
                        for i in range(1, n + 1))
                total += mp.quad(f, [0, d])
            moments.append(total)
        return moments


def mphck_levels(lam, alpha, T, c, k, dps=DPS, states_too=False):
    """M/PH/c/K: P(N = n), n = 0..K, from the chain of (number present, the
    phase of each server, 0 when idle) with the servers told apart (an
    arrival takes the lowest idle one), solved densely at 50 digits: a
    larger state space than the counts the code uses, built from the
    definitions alone (``dps`` digits: raise it past the range of the law
    for tiny probabilities, the solve's error being absolute)."""
    p = len(alpha)
    states = []
    for n in range(k + 1):
        busy = min(n, c)
        for ph in itertools.product(range(p + 1), repeat=c):
            if sum(1 for x in ph if x) == busy:
                states.append((n, ph))
    index = {s: i for i, s in enumerate(states)}
    size = len(states)
    with mp.workdps(dps):
        lam = mp.mpf(lam)
        a = [mp.mpf(x) for x in alpha]
        t = [[mp.mpf(x) for x in row] for row in T]
        exits = [-mp.fsum(row) for row in t]
        q = mp.zeros(size, size)
        for (n, ph), i in index.items():
            if n < k:
                if n < c:
                    free = ph.index(0)
                    for j in range(p):
                        nxt = list(ph)
                        nxt[free] = j + 1
                        q[i, index[(n + 1, tuple(nxt))]] += lam * a[j]
                else:
                    q[i, index[(n + 1, ph)]] += lam
            for s_, x in enumerate(ph):
                if not x:
                    continue
                for j in range(p):
                    if j != x - 1 and t[x - 1][j] != 0:
                        nxt = list(ph)
                        nxt[s_] = j + 1
                        q[i, index[(n, tuple(nxt))]] += t[x - 1][j]
                if exits[x - 1] != 0:
                    if n > c:
                        for j in range(p):
                            nxt = list(ph)
                            nxt[s_] = j + 1
                            q[i, index[(n - 1, tuple(nxt))]] += exits[x - 1] * a[j]
                    else:
                        nxt = list(ph)
                        nxt[s_] = 0
                        q[i, index[(n - 1, tuple(nxt))]] += exits[x - 1]
        pi = _stationary(q)
        levels = [mp.mpf(0)] * (k + 1)
        for (n, _), i in index.items():
            levels[n] += pi[i]
        if states_too:
            return levels, {s: pi[i] for s, i in index.items()}
        return levels


def mphck_time_tails(lam, alpha, T, c, k, ts, dps=40):
    """M/PH/c/K, FIFO: (P(W > t) for t in ts, P(W + S > t) for t in ts,
    E[W], Var W) of an admitted customer, from the stationary law of
    :func:`mphck_levels`'s chain (servers told apart; PASTA) and the tagged
    customer's own absorbing chain (r customers still ahead, each server's
    phase; then its own phase once it starts), by matrix exponentials at
    ``dps`` digits: neither the counts of busy servers nor uniformization
    the code uses."""
    p = len(alpha)
    with mp.workdps(dps):
        _, pi = mphck_levels(lam, alpha, T, c, k, dps=dps, states_too=True)
        a = [mp.mpf(x) for x in alpha]
        t = [[mp.mpf(x) for x in row] for row in T]
        exits = [-mp.fsum(row) for row in t]
        waiting = [(r, ph) for r in range(k - c) for ph in itertools.product(range(1, p + 1),
                                                                             repeat=c)]
        states = waiting + [("own", j) for j in range(p)]
        index = {s: i for i, s in enumerate(states)}
        size = len(states)
        q = mp.zeros(size, size)
        for (r, ph), i in [(s, index[s]) for s in waiting]:
            for s_, x in enumerate(ph):
                for j in range(p):
                    if j != x - 1 and t[x - 1][j] != 0:
                        nxt = list(ph)
                        nxt[s_] = j + 1
                        q[i, index[(r, tuple(nxt))]] += t[x - 1][j]
                for j in range(p):
                    if r > 0:
                        nxt = list(ph)
                        nxt[s_] = j + 1
                        q[i, index[(r - 1, tuple(nxt))]] += exits[x - 1] * a[j]
                    else:
                        q[i, index[("own", j)]] += exits[x - 1] * a[j]
        for j in range(p):
            for m in range(p):
                if m != j:
                    q[index[("own", j)], index[("own", m)]] += t[j][m]
        for i in range(size):
            out = mp.fsum(q[i, m] for m in range(size) if m != i)
            own = states[i][0] == "own"
            q[i, i] = -(out + (exits[states[i][1]] if own else 0))
        admitted = mp.fsum(v for (n, _), v in pi.items() if n < k)
        x0 = [mp.mpf(0)] * size
        for (n, ph), v in pi.items():
            if n >= k:
                continue
            if n < c:
                for j in range(p):
                    x0[index[("own", j)]] += v * a[j] / admitted
            else:
                x0[index[(n - c, ph)]] += v / admitted
        x0 = mp.matrix([x0])
        in_wait = mp.matrix([[1] if s[0] != "own" else [0] for s in states])
        ones = mp.matrix([[1]] * size)
        wait, response = [], []
        for t_ in ts:
            e = mp.expm(q * mp.mpf(t_))
            wait.append((x0 * e * in_wait)[0])
            response.append((x0 * e * ones)[0])
        # moments of the wait: the waiting states alone, absorbed on leaving
        nw = len(waiting)
        sub = mp.matrix(nw, nw)
        for i in range(nw):
            for m in range(nw):
                sub[i, m] = -q[i, m]
        x = mp.matrix([[x0[0, i] for i in range(nw)]])
        first = x * mp.lu_solve(sub, mp.matrix([[1]] * nw))
        second = 2 * x * mp.lu_solve(sub, mp.lu_solve(sub, mp.matrix([[1]] * nw)))
        mean = first[0]
        return wait, response, mean, second[0] - mean ** 2


def retrial_mmck(lam, mu, c, k, nu, q, orbit, dps=40):
    """M/M/c/K with retrials: (blocking, customer loss, mean orbit) from the
    chain of (n at the station, j in orbit) cut at j = ``orbit`` (joins
    refused there), solved densely at ``dps`` digits with the transitions
    written from the model's definition."""
    states = [(n, j) for j in range(orbit + 1) for n in range(k + 1)]
    index = {s: i for i, s in enumerate(states)}
    size = len(states)
    with mp.workdps(dps):
        lam, mu, nu, q = (mp.mpf(x) for x in (lam, mu, nu, q))
        m = mp.zeros(size, size)
        for (n, j), i in index.items():
            if n < k:
                m[i, index[(n + 1, j)]] += lam                 # a first attempt gets in
                if j > 0:
                    m[i, index[(n + 1, j - 1)]] += j * nu       # a retry gets in
            else:
                if j < orbit:
                    m[i, index[(n, j + 1)]] += lam * q         # refused, joins the orbit
                if j > 0:
                    m[i, index[(n, j - 1)]] += j * nu * (1 - q)  # refused retry gives up
            if n > 0:
                m[i, index[(n - 1, j)]] += min(n, c) * mu
        pi = _stationary(m)
        p = {s: pi[i] for s, i in index.items()}
        full = mp.fsum(p[(k, j)] for j in range(orbit + 1))
        full_orbit = mp.fsum(j * p[(k, j)] for j in range(orbit + 1))
        mean_orbit = mp.fsum(j * p[(n, j)] for (n, j) in states)
        attempts = lam + nu * mean_orbit
        refused = lam * full + nu * full_orbit
        return refused / attempts, (1 - q) * refused / lam, mean_orbit


def birth_death_law(birth, death, p0, t, dps=40):
    """p0 expm(Q t) for a birth-death chain with constant rates (``birth[n]``
    up from n < N, ``death[n]`` down from n > 0), and the integral of
    p_N over [0, t] (from the augmented generator), at ``dps`` digits."""
    size = len(p0)
    with mp.workdps(dps):
        q = mp.zeros(size + 1, size + 1)
        for n in range(size):
            if n < size - 1:
                q[n, n + 1] = mp.mpf(birth[n])
            if n > 0:
                q[n, n - 1] = mp.mpf(death[n])
            q[n, n] = -mp.fsum(q[n, m] for m in range(size) if m != n)
        # an extra state that accumulates the time spent in N: d/dt acc = p_N
        q[size - 1, size] = 1
        e = mp.expm(q * mp.mpf(t))
        row = mp.matrix([[mp.mpf(x) for x in p0] + [0]])
        out = row * e
        law = [out[0, n] for n in range(size)]
        # the extra column does not leak mass: the time in N is its own entry
        return law, out[0, size]


# -- networks ------------------------------------------------------------------

def _station_factor(d, c, n):
    """D^n / beta(n), beta(n) = min(n, c)! c^(n - c)+ (c = None: delay)."""
    d = mp.mpf(d)
    if c is None:
        return d ** n / mp.factorial(n)
    return d ** n / (mp.factorial(min(n, c)) * mp.mpf(c) ** max(n - c, 0))


def closed_network_states(demands, servers, think, population, dps=40):
    """(X, [Q_i]) of a single-class closed product-form network by summing
    the product-form law over every state (n_0 thinking, n_1..n_M at the
    stations, summing to N).  X is the completion rate at a station with a
    positive demand, sum pi(s) min(n_i, c_i)/D_i: the definition of
    throughput, not G(N-1)/G(N).  ``servers`` entries None for delay."""
    m = len(demands)
    with mp.workdps(dps):
        weights, states = [], []
        for s in itertools.product(range(population + 1), repeat=m):
            rest = population - sum(s)
            if rest < 0:
                continue
            w = (mp.mpf(think) ** rest / mp.factorial(rest)) if think > 0 else (
                mp.mpf(1) if rest == 0 else mp.mpf(0))
            for d, c, n in zip(demands, servers, s):
                w *= _station_factor(d, c, n) if d > 0 else (1 if n == 0 else 0)
            if w:
                weights.append(w)
                states.append(s)
        g = mp.fsum(weights)
        probs = [w / g for w in weights]
        i = next(j for j, d in enumerate(demands) if d > 0)
        ci = servers[i]
        x = mp.fsum(p * (s[i] if ci is None else min(s[i], ci)) for p, s in zip(probs, states)) \
            / mp.mpf(demands[i])
        q = [mp.fsum(p * s[j] for p, s in zip(probs, states)) for j in range(m)]
        return x, q


def closed_network_convolution(demands, servers, think, population, dps=60):
    """(X, [Q_i]) from the normalising constants G = f_0 * f_1 * ... (the
    definition of G, convolved term by term): X = G(N-1)/G(N),
    Q_i = sum_k k f_i(k) G_{-i}(N-k) / G(N)."""
    big = population
    with mp.workdps(dps):
        fs = [[_station_factor(d, c, n) for n in range(big + 1)] for d, c in zip(demands, servers)]
        z = [mp.mpf(think) ** n / mp.factorial(n) for n in range(big + 1)]

        def conv(a, b):
            return [mp.fsum(a[k] * b[n - k] for k in range(n + 1)) for n in range(big + 1)]
        g = z
        for f in fs:
            g = conv(g, f)
        q = []
        for i in range(len(fs)):
            others = z
            for j, f in enumerate(fs):
                if j != i:
                    others = conv(others, f)
            q.append(mp.fsum(k * fs[i][k] * others[big - k] for k in range(big + 1)) / g[big])
        return g[big - 1] / g[big], q


def open_network_chain(external, mu, servers, capacity, routing, dps=30):
    """Stationary law of an open network with finite buffers (loss at a full
    station) built state by state from its transitions and solved densely
    at ``dps`` digits: (states, pi)."""
    m = len(mu)
    states = list(itertools.product(*[range(k + 1) for k in capacity]))
    index = {s: i for i, s in enumerate(states)}
    size = len(states)
    with mp.workdps(dps):
        q = mp.zeros(size, size)
        for s in states:
            a = index[s]
            for i in range(m):
                if external[i] > 0 and s[i] < capacity[i]:
                    t = list(s)
                    t[i] += 1
                    q[a, index[tuple(t)]] += mp.mpf(external[i])
            for j in range(m):
                rate = mp.mpf(mu[j]) * min(s[j], servers[j])
                if rate == 0:
                    continue
                out = mp.mpf(1)
                for i in range(m):
                    p = mp.mpf(routing[j][i])
                    out -= p
                    if p == 0 or i == j:
                        continue
                    t = list(s)
                    t[j] -= 1
                    if s[i] < capacity[i]:
                        t[i] += 1
                    q[a, index[tuple(t)]] += rate * p
                if out > 0:
                    t = list(s)
                    t[j] -= 1
                    q[a, index[tuple(t)]] += rate * out
        for a in range(size):
            q[a, a] = -mp.fsum(q[a, b] for b in range(size) if b != a)
        lhs = q.T
        for b in range(size):
            lhs[size - 1, b] = 1
        rhs = mp.zeros(size, 1)
        rhs[size - 1] = 1
        pi = mp.lu_solve(lhs, rhs)
        return states, [pi[i] for i in range(size)]


def mmc_mean_in_system(lam, mu, c, dps=40):
    """Mean number in an M/M/c queue by summing the stationary series (the
    geometric tail in closed form)."""
    with mp.workdps(dps):
        lam, mu = mp.mpf(lam), mp.mpf(mu)
        a = lam / mu
        rho = a / c
        head = [a ** n / mp.factorial(n) for n in range(c)]
        tail0 = a ** c / mp.factorial(c)
        norm = mp.fsum(head) + tail0 / (1 - rho)
        mean = mp.fsum(n * h for n, h in enumerate(head))
        # sum_{n >= c} n tail0 rho^(n-c) = tail0 (c/(1-rho) + rho/(1-rho)^2)
        mean += tail0 * (c / (1 - rho) + rho / (1 - rho) ** 2)
        return mean / norm
