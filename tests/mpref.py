"""Arbitrary-precision reference values (mpmath), computed inside the tests.

Nothing here calls queuemath: each function sums the defining series or uses
mpmath's incomplete gamma function at a working precision raised with the
size of the arguments, so the reference carries at least 40 correct digits.
Inputs are the exact binary values of the doubles the tests pass in.
"""
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
        return dict(blocking=pk, log_blocking=log_pk, throughput=thr,
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
    if mp.isinf(ref):
        return 0.0 if got == ref else math.inf
    return float(abs((mp.mpf(got) - ref) / ref))


def log_err(got, ref):
    """Error of a log-form value: absolute, relative once |ref| > 1."""
    ref = mp.mpf(ref)
    if mp.isinf(ref):
        return 0.0 if got == ref else math.inf
    return float(abs(mp.mpf(got) - ref) / max(1, abs(ref)))
