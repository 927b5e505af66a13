"""M/M/c/K/N, the finite-source queue (issue 15): FiniteSourceMMcK.

References are mpmath sums of the law's defining product state by state
(tests/mpref.py), not the binomial/Poisson split the code uses; the
tolerance is a few ulps times each value's condition number, measured in
mpmath by moving beta = gamma/mu by one rounding.
"""
import math

import mpmath as mp
import numpy as np
import pytest

import queuemath as qm
from mpref import (finite_source, finite_source_admitted, finite_source_response_tail,
                   finite_source_wait_tail)

EPS = 2.0 ** -52

# (gamma, mu, N, c, K): small and large populations, K = c (Engset), K = N
# (machine repair), c = 1, c > N, c = N, loads from idle to saturated, the
# total load N beta / c at 1 and 1 +- 1e-9, beta from 1e-9 to 1e3.
POINTS = [
    (0.1, 1.0, 20, 2, 5), (0.3, 1.0, 40, 4, 20), (0.05, 1.0, 1000, 20, 600),
    (0.06, 1.0, 200, 10, None), (5.0, 1.0, 100, 3, None), (0.5, 1.0, 30, 40, None),
    (1e-5, 1.0, 5, 1, None), (1e-9, 1.0, 2000, 5, None), (1e3, 1.0, 300, 50, 120),
    (0.2, 2.0, 1, 1, None), (0.7, 1.0, 2, 1, 2), (0.4, 1.0, 6, 6, None),
    (0.01, 1.0, 100, 1, 50), ((1 - 1e-9) / 100, 1.0, 10_000, 100, 400),
    ((1 + 1e-9) / 100, 1.0, 10_000, 100, 400), (1 / 100, 1.0, 10_000, 100, 10_000),
    (0.5, 1.0, 171, 170, None), (2.0, 1.0, 171, 170, 171),
    (1e-4, 1.0, 1_000_000, 100, 1_000_000), (1.01e-4, 1.0, 1_000_000, 100, 1_100),
]
NAMES = ("mean_in_system", "mean_queue", "var_in_system", "var_queue", "time_congestion")


def _cond(fn, gamma, mu, *args):
    """1 + |d log f / d log beta|: how far one rounding of beta moves f."""
    with mp.workdps(60):
        h = mp.mpf(2) ** -40
        f0, f1 = fn(mp.mpf(gamma), mu, *args), fn(mp.mpf(gamma) * (1 + h), mu, *args)
        return f0, f1, h


@pytest.mark.parametrize("gamma, mu, n, c, k", POINTS)
def test_law_and_moments_match_the_state_by_state_sums(gamma, mu, n, c, k):
    q = qm.FiniteSourceMMcK(gamma, mu, n, c, k)
    with mp.workdps(60):
        ref = finite_source(gamma, mu, n, c, k)
        moved = finite_source(mp.mpf(gamma) * (1 + mp.mpf(2) ** -40), mu, n, c, k)
    for name in ("log_p_full", "log_blocking"):
        r, r1 = ref[name], moved[name]
        got = getattr(q, name)
        if mp.isinf(r):
            assert got == -math.inf
            continue
        cond = 1 + abs(r) + float(abs(r1 - r) * 2 ** 40)
        assert abs(mp.mpf(got) - r) <= 64 * EPS * cond, (name, got, float(r), cond)
    for name in NAMES:
        r, r1 = ref[name], moved[name]
        got = getattr(q, name)
        if r == 0:
            assert got == 0
            continue
        cond = 1 + float(abs((r1 - r) / r) * 2 ** 40)
        assert abs(mp.mpf(got) - r) <= 64 * EPS * cond * abs(r), (name, got, float(r), cond)
    busy = ref["busy"]
    assert abs(mp.mpf(q.utilization) - busy / c) <= 64 * EPS * busy / c * (
        1 + float(abs(moved["busy"] - busy) / busy * 2 ** 40))


@pytest.mark.parametrize("gamma, mu, n, c, k", [p for p in POINTS if p[2] <= 2000])
def test_identities_hold(gamma, mu, n, c, k):
    q = qm.FiniteSourceMMcK(gamma, mu, n, c, k)
    probs = q.state_probabilities()
    assert abs(probs.sum() - 1) < 1e-13 and probs.min() >= 0
    seen = q.arrival_state_probabilities()
    assert abs(seen.sum() - 1) < 1e-13
    kk = len(probs) - 1
    np.testing.assert_allclose(seen[-1], q.blocking, rtol=1e-12, atol=1e-300)
    # arrival theorem: pi_n proportional to (N - n) p_n
    weighted = (n - np.arange(kk + 1)) * probs
    np.testing.assert_allclose(seen, weighted / weighted.sum(), rtol=1e-10, atol=1e-300)
    # the attempt rate gamma (N - L), and throughput = attempts admitted
    lam = gamma * (n - q.mean_in_system)
    assert math.isclose(q.attempt_rate, lam, rel_tol=1e-12)
    assert math.isclose(q.throughput, lam * (1 - q.blocking), rel_tol=1e-12)
    assert q.throughput <= q.attempt_rate and q.blocking <= 1
    # Little's law against the arrival-seen waits
    a, ps = finite_source_admitted(gamma, mu, n, c, k)
    wq = float(mp.fsum(p * (m - c + 1) for m, p in zip(range(a, a + len(ps)), ps) if m >= c))
    assert math.isclose(q.mean_wait, wq / (c * mu), rel_tol=1e-12, abs_tol=1e-300)
    assert math.isclose(float(q.wait_sf(0.0)), q.p_wait / (1 - q.blocking),
                        rel_tol=1e-12, abs_tol=1e-300)


@pytest.mark.parametrize("n, c, beta", [(20, 2, 0.1), (50, 10, 0.3), (1000, 30, 0.02),
                                        (5, 5, 2.0), (3, 7, 0.5), (10**6, 500, 4e-4)])
def test_equals_engset_at_capacity_servers(n, c, beta):
    q = qm.FiniteSourceMMcK(beta, 1.0, n, c, c)
    e = qm.Engset(n, c, idle_source_load=beta)
    assert math.isclose(q.blocking, e.blocking, rel_tol=1e-12)
    assert math.isclose(q.time_congestion, e.time_congestion, rel_tol=1e-12)
    assert math.isclose(q.utilization * c, e.carried_load, rel_tol=1e-12)
    assert q.mean_queue == 0 and q.mean_wait == 0


def test_tends_to_mmck_as_the_population_grows():
    # N sources at gamma = lam/N: the request stream tends to Poisson(lam);
    # the gap is O(K/N)
    lam, c, k = 3.6, 4, 30
    ref = qm.MMcK(lam, 1.0, c, k)
    for n in (10**5, 10**7):
        q = qm.FiniteSourceMMcK(lam / n, 1.0, n, c, k)
        for name in ("blocking", "mean_queue", "mean_wait", "var_queue"):
            assert math.isclose(getattr(q, name), getattr(ref, name), rel_tol=40 * k / n), name


WAIT_POINTS = [
    (0.3, 1.0, 40, 4, 20, (0.0, 0.5, 3.0, 10.0)), (0.05, 1.0, 1000, 20, 600, (0.1, 1.0, 5.0)),
    (0.01, 1.0, 100, 1, 50, (1.0, 30.0, 200.0)), (5.0, 1.0, 100, 3, None, (1.0, 20.0, 60.0)),
    (0.06, 1.0, 200, 10, None, (0.2, 2.0, 3000.0)),           # tail far below 1e-300
    (1e3, 1.0, 300, 50, 120, (0.1, 1.0)), (0.5, 1.0, 171, 170, None, (0.01, 0.1)),
    ((1 + 1e-9) / 100, 1.0, 10_000, 100, 400, (0.5, 2.0, 4.0)),
]
WAIT_CASES = [(g, mu, n, c, k, t) for g, mu, n, c, k, ts in WAIT_POINTS for t in ts]


@pytest.mark.parametrize("gamma, mu, n, c, k, t", WAIT_CASES)
def test_wait_tail_matches_the_state_by_state_sum(gamma, mu, n, c, k, t):
    q = qm.FiniteSourceMMcK(gamma, mu, n, c, k)
    with mp.workdps(60):
        ref = finite_source_wait_tail(gamma, mu, n, c, k, t)
        moved = finite_source_wait_tail(gamma * (1 + 2.0 ** -40), mu, n, c, k, t)
    got = q.log_wait_sf(t)
    if mp.isinf(ref):
        assert got == -math.inf
        return
    x = c * mu * t
    cond = 1 + abs(ref) + x + float(abs(moved - ref)) * 2 ** 40
    assert abs(mp.mpf(got) - ref) <= 64 * EPS * cond, (got, float(ref), cond)


@pytest.mark.parametrize("gamma, mu, n, c, k, t", [
    (0.3, 1.0, 40, 4, 20, 2.0), (0.3, 1.0, 40, 4, 20, 9.0), (0.01, 1.0, 30, 1, 20, 15.0),
    (0.2, 1.0, 12, 2, 8, 0.5), (0.5, 2.0, 3, 1, None, 1.0), (5.0, 1.0, 10, 3, None, 4.0)])
def test_response_tail_matches_the_convolution(gamma, mu, n, c, k, t):
    q = qm.FiniteSourceMMcK(gamma, mu, n, c, k)
    ref = finite_source_response_tail(gamma, mu, n, c, k, t)
    got = q.response_time_cdf(t)
    assert abs(got - float(-mp.expm1(ref))) <= 2e-15, (got, float(-mp.expm1(ref)))


@pytest.mark.parametrize("gamma, mu, n, c, k", [
    (0.3, 1.0, 40, 4, 20), (0.05, 1.0, 1000, 20, 600), (5.0, 1.0, 100, 3, None),
    (0.01, 1.0, 100, 1, 50), (1.01e-4, 1.0, 1_000_000, 100, 1_100)])
def test_quantiles_round_trip(gamma, mu, n, c, k):
    q = qm.FiniteSourceMMcK(gamma, mu, n, c, k)
    p = np.array([0.0, 0.5, 0.9, 0.95, 0.99, 0.999999])
    t = q.wait_quantile(p)
    w0 = float(q.wait_sf(0.0))
    for pi, ti in zip(p, t):
        if 1 - pi >= w0:
            assert ti == 0
        else:
            assert math.isclose(float(q.wait_cdf(ti)), pi, rel_tol=1e-11), (pi, ti)
    r = q.response_time_quantile(p[1:])
    np.testing.assert_allclose(q.response_time_cdf(r), p[1:], rtol=1e-11)
    assert q.wait_quantile(1.0) == math.inf


def test_wait_cdf_below_one_half_keeps_its_digits():
    # saturated: nearly every admitted request waits, and early on the law is
    # tiny; 1 minus the tail would leave the tail's rounding
    q = qm.FiniteSourceMMcK(5.0, 1.0, 100, 3, None)
    t = 1e-3
    a, ps = finite_source_admitted(5.0, 1.0, 100, 3, None, full=True)
    x = 3 * mp.mpf(t)
    ref = mp.fsum(p * (1 if m < 3 else mp.gammainc(m - 3 + 1, 0, x, regularized=True))
                  for m, p in zip(range(a, a + len(ps)), ps))
    assert ref < 1e-100
    assert math.isclose(q.wait_cdf(t), float(ref), rel_tol=1e-12)


def test_broadcasts_over_parameters_and_times():
    q = qm.FiniteSourceMMcK([0.1, 0.2, 0.3], 1.0, 50, 3, [[10], [20]])
    assert q.blocking.shape == (2, 3)
    t = q.wait_quantile(0.9)
    assert t.shape == (2, 3)
    for i in range(2):
        for j in range(3):
            one = qm.FiniteSourceMMcK([0.1, 0.2, 0.3][j], 1.0, 50, 3, [10, 20][i])
            assert q.blocking[i, j] == one.blocking
            assert t[i, j] == one.wait_quantile(0.9)
    assert q.state_probabilities().shape == (2, 3, 21)
    assert q.wait_sf(np.array([[[0.0]], [[1.0]]])).shape == (2, 2, 3)


@pytest.mark.parametrize("kwargs, name", [
    (dict(arrival_rate=-1.0), "arrival_rate"), (dict(arrival_rate=np.nan), "arrival_rate"),
    (dict(service_rate=0.0), "service_rate"), (dict(sources=0), "sources"),
    (dict(sources=2.5), "sources"), (dict(servers=0), "servers"),
    (dict(capacity=1, servers=2), "capacity")])
def test_bad_input_names_the_parameter(kwargs, name):
    args = dict(arrival_rate=0.1, service_rate=1.0, sources=10, servers=1, capacity=None)
    args.update(kwargs)
    with pytest.raises(ValueError, match=name):
        qm.FiniteSourceMMcK(**args)
    with pytest.raises(ValueError, match="t"):
        qm.FiniteSourceMMcK(0.1, 1.0, 10, 1).wait_sf(-1.0)
    with pytest.raises(ValueError, match="p"):
        qm.FiniteSourceMMcK(0.1, 1.0, 10, 1).wait_quantile(1.5)


def test_no_arrivals_and_a_capacity_above_the_population():
    q = qm.FiniteSourceMMcK(0.0, 1.0, 10, 2, 5)
    assert q.blocking == 0 and q.throughput == 0 and q.p_empty == 1 and q.mean_wait == 0
    assert q.wait_quantile(0.99) == 0
    big = qm.FiniteSourceMMcK(0.3, 1.0, 10, 2, 50)
    same = qm.FiniteSourceMMcK(0.3, 1.0, 10, 2)
    assert big.mean_queue == same.mean_queue and big.blocking == 0
    assert big.kendall == "M/M/2/10/10"


def test_attempt_rate_keeps_its_digits_when_requests_swamp_the_servers():
    # beta = 1e300: the system is full (L = K = 10) almost surely, so N - L
    # = 90 exactly to double precision; 1 - blocking is far below an ulp of 1
    q = qm.FiniteSourceMMcK(1e300, 1.0, 100, 2, 10)
    assert math.isclose(q.attempt_rate, 1e300 * 90, rel_tol=1e-14)
    assert q.throughput == 2.0 and q.blocking == 1.0
    q = qm.FiniteSourceMMcK(1e3, 1.0, 10**7, 10, 20)
    assert math.isclose(q.attempt_rate, 1e3 * (10**7 - q.mean_in_system), rel_tol=1e-14)
