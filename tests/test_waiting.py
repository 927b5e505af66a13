"""Waiting- and response-time laws (issue 15): M/M/c/K, M/M/1/K, M/M/c.

References are mpmath sums over the arrival-seen states (tests/mpref.py),
not the closed form the code uses; tolerances are a few ulps times the
value's condition number (how much it moves when each input is rounded).
"""
import contextlib
import math

import mpmath as mp
import numpy as np
import pytest

import queuemath as qm
from mixed_points import mixed_mmck
from mpref import mmck_response_tail, mmck_wait_tail, rel_err, wait_sums

EPS = 2.0 ** -52


def _close(got, ref, cond, ulps=64):
    """|got - ref| within ulps x eps x the condition number (log form)."""
    return abs(mp.mpf(got) - ref) <= ulps * EPS * cond


# (arrival_rate, service_rate, servers, capacity, times): loads 0.5 to 1.5,
# 1 +- 1e-9 and exactly 1, c = 1, 170, 171, 1e4, K - c up to 1e6, tails far
# below the smallest double.
WAIT_POINTS = [
    *[(rho, 1.0, 1, k, (0.1, 1.0, 10.0, 100.0, 1e3))
      for rho in (0.5, 0.9, 0.99, 1.0, 1 - 1e-9, 1 + 1e-9, 1.5) for k in (2, 10, 1000)],
    (0.5, 1.0, 1, 10, (2000.0,)),                      # log P about -1900
    # the far-tail series from 1.25 (m - 1) on, and the quadrature just below
    *[(rho, 1.0, 1, 1001, (1200.0, 1300.0, 1600.0, 2100.0)) for rho in (0.6, 0.9, 1.5)],
    (0.95 * 170, 1.0, 170, 220, (0.01, 0.1, 0.5)),
    (171.0, 1.0, 171, 221, (0.01, 0.1, 0.5)),
    (0.99 * 1e4, 1.0, 10_000, 10_200, (1e-3, 1e-2, 3e-2)),
    ((1 - 1e-9) * 1e4, 1.0, 10_000, 10_200, (1e-3, 1e-2, 3e-2)),
    (4 * (1 - 1e-9), 1.0, 4, 100_004, (1e4, 2.5e4, 2.6e4, 5e4)),
    (4 * 1.001, 1.0, 4, 100_004, (2e4, 2.5e4, 3e4)),
    (4 * (1 + 1e-9), 1.0, 4, 100_004, (2.5e-4, 7500.0, 12_500.0)),   # peak inside
    (4.0, 1.0, 4, 1_000_004, (2.5e5,)),                # rho = 1, m = 1e6, x = m
    # the tilted mean in equal panels, |log rho| (m + x) from 2 to about 700
    *[(rho, 1.0, 1, 1001, (1000.0, 1100.0, 1200.0)) for rho in (0.999, 0.99, 1.001, 1.01)],
    (4 * (1 - 1e-4), 1.0, 4, 100_004, (2.5e4, 2.6e4)),
    (4 * 1.001, 1.0, 4, 100_004, (3e4,)), (4 * 1.003, 1.0, 4, 100_004, (3e4, 3.2e4)),
]
WAIT_CASES = [(lam, mu, c, k, t) for lam, mu, c, k, ts in WAIT_POINTS for t in ts]


@pytest.mark.parametrize("lam, mu, c, k, t", WAIT_CASES)
def test_wait_tail_matches_the_state_by_state_sum(lam, mu, c, k, t):
    q = qm.MMcK(lam, mu, c, k)
    ref, cond = mmck_wait_tail(lam, mu, c, k, t)
    got = q.log_wait_sf(t)
    assert _close(got, ref, cond), (got, float(ref), cond)
    if ref > -700:
        assert math.isclose(q.wait_sf(t), float(mp.exp(ref)), rel_tol=64 * EPS * cond)


@pytest.mark.parametrize("lam, mu, c, k, t", [
    (0.9, 1.0, 1, 10, 5.0), (1.0, 1.0, 1, 50, 30.0), (1.5, 1.0, 1, 20, 18.0),
    (1.8, 1.0, 2, 12, 3.0), (3.9, 1.0, 4, 60, 20.0), (4.0, 1.0, 4, 60, 40.0),
    (6.0, 1.0, 4, 40, 15.0), (0.95 * 170, 1.0, 170, 230, 0.3), (3.0, 2.0, 3, 3, 0.7),
])
def test_response_tail_matches_the_state_by_state_sum(lam, mu, c, k, t):
    ref = mmck_response_tail(lam, mu, c, k, t)
    got = qm.MMcK(lam, mu, c, k)._log_response_sf(np.array(float(t)))
    assert abs(mp.mpf(float(got)) - ref) <= 1e-13 * max(1, abs(ref)) * (1 + mu * t)
    assert math.isclose(qm.MMcK(lam, mu, c, k).response_time_cdf(t),
                        float(-mp.expm1(ref)), rel_tol=1e-12)


def test_wait_at_zero_is_the_admitted_share_that_waits():
    for q in (qm.MM1K(0.9, 1.0, 10), qm.MMcK(3.9, 1.0, 4, 200), qm.MMcK(9.0, 1.0, 10, 12),
              qm.MMcK(171.0, 1.0, 171, 300)):
        assert math.isclose(q.wait_sf(0.0), q.p_wait / (1 - q.blocking), rel_tol=1e-13)
        assert math.isclose(q.wait_cdf(0.0), 1 - q.p_wait / (1 - q.blocking), rel_tol=1e-12)
        assert q.wait_sf(np.inf) == 0.0 and q.wait_cdf(np.inf) == 1.0


def test_nobody_waits_without_room_or_arrivals():
    for q in (qm.MMcK(7.0, 1.0, 10, 10), qm.MMcK(0.0, 1.0, 2, 5)):
        assert q.log_wait_sf(1.0) == -np.inf and q.wait_cdf(0.0) == 1.0
        assert q.wait_quantile(0.999) == 0.0
    erlang_b = qm.MMcK(7.0, 2.0, 10, 10)
    # the response time is the service time alone
    assert math.isclose(erlang_b.response_time_cdf(1.0), -math.expm1(-2.0), rel_tol=1e-15)


QUANTILE_MODELS = [qm.MM1K(0.9, 1.0, 10), qm.MM1K(1.0, 1.0, 1000), qm.MM1K(1.5, 1.0, 50),
                   qm.MMcK(3.9, 1.0, 4, 200), qm.MMcK(0.99 * 170, 1.0, 170, 400),
                   qm.MMcK(4 * (1 - 1e-9), 1.0, 4, 100_004), qm.MMcK(2.0, 1.0, 1, 10)]


@pytest.mark.parametrize("q", QUANTILE_MODELS, ids=repr)
def test_quantiles_round_trip(q):
    no_wait = 1 - q.p_wait / (1 - q.blocking)
    ps = np.array([0.5, 0.9, 0.95, 0.99, 0.999, 1 - 1e-12])
    t = q.wait_quantile(ps)
    waits = ps > no_wait
    assert np.all(t[~waits] == 0)
    assert np.all(np.diff(t) >= 0)
    # log P(W > t) = log(1 - p) to the rounding of the law at t
    got = q.log_wait_sf(t[waits])
    assert np.allclose(got, np.log1p(-ps[waits]), rtol=0, atol=1e-11)
    assert q.wait_quantile(1.0) == np.inf and q.wait_quantile(0.0) == 0.0
    r = q.response_time_quantile(ps[:4])
    assert np.all(r >= t[:4])
    assert np.allclose(q.response_time_cdf(r), ps[:4], rtol=0, atol=1e-11)


def test_broadcasts_times_against_parameters():
    q = qm.MMcK(np.array([[0.5], [0.9], [1.2]]), 1.0, 2, np.array([4, 8, 16, 32]))
    t = q.wait_cdf(1.0)
    assert t.shape == (3, 4)
    grid = qm.MMcK(0.9, 1.0, 2, 8).wait_cdf(np.array([[0.0, 1.0], [2.0, 3.0]]))
    assert grid.shape == (2, 2) and np.all(np.diff(grid.ravel()) > 0)
    assert math.isclose(t[1, 1], qm.MMcK(0.9, 1.0, 2, 8).wait_cdf(1.0), rel_tol=1e-15)
    assert q.wait_quantile(0.99).shape == (3, 4)
    with pytest.raises(ValueError, match="do not broadcast"):
        q.wait_cdf(np.ones(5))


@pytest.mark.parametrize("call, match", [
    (lambda q: q.wait_cdf(-1.0), "t"), (lambda q: q.wait_sf(np.nan), "t"),
    (lambda q: q.wait_quantile(1.5), "p"), (lambda q: q.response_time_quantile(-0.1), "p"),
    (lambda q: q.log_wait_sf("soon"), "t"),
])
def test_bad_times_and_levels_are_named(call, match):
    for q in (qm.MMcK(3.0, 1.0, 4, 10), qm.MMc(3.0, 1.0, 4)):
        with pytest.raises(ValueError, match=match):
            call(q)


def test_mmc_time_laws():
    # pyworkforce's published example: 100 calls in 30 min, 3 min each
    # (A = 10 erlangs), 14 agents, 20 s target: service level 0.8884
    q = qm.MMc(10 / 180, 1 / 180, 14)
    assert round(q.wait_cdf(20.0), 4) == 0.8884
    assert q.wait_cdf(20.0) == q.service_level(20.0)
    # response time: e^{-mu t}(1 + C mu t (1 - e^{-z})/z), z = (c mu - lam - mu) t,
    # against mpmath at a point with z = 0 and a few others
    for lam, mu, c, t in [(1.0, 1.0, 2, 0.7), (3.9, 1.0, 4, 12.0), (3.0, 2.0, 2, 0.4),
                          (10.0, 1.0, 11, 3.0)]:
        with mp.workdps(40):
            cc = mp.mpf(qm.erlang_c(c, lam / mu))     # checked against mpmath in test_delay
            theta = c * mp.mpf(mu) - lam
            if theta == mu:
                ref = mp.exp(-mu * t) * (1 + cc * mu * t)
            else:
                ref = ((1 - cc) * mp.exp(-mu * t)
                       + cc * (theta * mp.exp(-mu * t) - mu * mp.exp(-theta * t)) / (theta - mu))
        got = -math.expm1(math.log1p(-qm.MMc(lam, mu, c).response_time_cdf(t)))
        assert math.isclose(1 - got, float(ref), rel_tol=1e-13)
    # the M/M/c/K laws tend to M/M/c's as K grows
    big = qm.MMcK(3.9, 1.0, 4, 4000)
    mmc = qm.MMc(3.9, 1.0, 4)
    for p in (0.5, 0.9, 0.99):
        assert math.isclose(big.wait_quantile(p), mmc.wait_quantile(p), rel_tol=1e-12)
        assert math.isclose(big.response_time_quantile(p), mmc.response_time_quantile(p),
                            rel_tol=1e-12)
    unstable = qm.MMc(5.0, 1.0, 4)
    assert unstable.wait_sf(100.0) == 1.0 and unstable.wait_quantile(0.5) == np.inf


def test_arrivals_see_the_time_average_law():
    q = qm.MMcK(3.9, 1.0, 4, 30)
    assert np.array_equal(q.arrival_state_probabilities(), q.state_probabilities())


# -- variances ----------------------------------------------------------------
VAR_POINTS = [(rho * c, 1.0, c, k)
              for rho in (0.01, 0.5, 0.9, 0.99, 1.0, 1 - 1e-9, 1 + 1e-9, 1.5, 20.0)
              for c, k in ((1, 1), (1, 2), (1, 10), (1, 1000), (4, 4), (4, 30), (10, 10),
                           (170, 200), (171, 171), (1000, 1100), (10_000, 10_100))]


def _rel(got, ref):
    ref = mp.mpf(ref)
    if abs(ref) < 1e-300:                  # below the doubles: 0 or subnormal
        return abs(got) if abs(got) > 1e-290 else 0.0
    return float(abs((mp.mpf(got) - ref) / ref))


@pytest.mark.parametrize("lam, mu, c, k", VAR_POINTS)
def test_variances_match_the_state_by_state_sums(lam, mu, c, k):
    from mpref import mmck_variances
    q = qm.MMcK(lam, mu, c, k)
    ref = mmck_variances(lam, mu, c, k)
    for got, r in zip((q.var_in_system, q.var_queue, q.var_wait), ref):
        assert _rel(got, r) < 1e-13, (got, float(r))


@pytest.mark.parametrize("lam, mu, c", [(0.5, 1.0, 1), (3.9, 1.0, 4), (9.5, 1.0, 10),
                                        (0.01, 1.0, 50), (0.99 * 170, 1.0, 170),
                                        (0.9, 2.0, 1)])
def test_mmc_variances_are_the_limit_of_the_state_sums(lam, mu, c):
    from mpref import mmck_variances
    rho = lam / (c * mu)
    k = c + int(math.ceil(120 / -math.log(rho)))     # rho^(K-c) < e^-120: nothing left
    q = qm.MMc(lam, mu, c)
    ref = mmck_variances(lam, mu, c, k)
    for got, r in zip((q.var_in_system, q.var_queue, q.var_wait), ref):
        assert _rel(got, r) < 1e-13, (got, float(r))
    assert qm.MMc(5.0, 1.0, 4).var_wait == np.inf


# -- the time to connect, retries included (tcp.ListenQueue) -------------------
def test_connect_time_law_of_a_listener():
    from queuemath import tcp
    q = tcp.ListenQueue(45.0, 50.0, 1, backlog=5, os="linux")
    b = q.blocking
    offsets, _ = tcp.retry_schedule("linux")
    # clients refused at all 7 attempts give up: the law stops short of 1
    assert np.isclose(q.connect_time_cdf(1e6), 1 - b ** (len(offsets) + 1), rtol=1e-14)
    assert q.connect_time_quantile(1 - b ** 8 / 2) == np.inf
    # the retry at o_1 = 1 s adds an atom B (1 - B) P(W = 0)
    jump = q.connect_time_cdf(1.0) - q.connect_time_cdf(1.0 - 1e-12)
    assert np.isclose(jump, b * (1 - b) * q.wait_cdf(0.0), rtol=1e-9)
    # nothing is ever refused: the accept delay alone
    big = tcp.ListenQueue(45.0, 50.0, 1, backlog=4096, os="linux")
    assert np.allclose(big.connect_time_cdf([0.01, 0.1, 0.5]), big.wait_cdf([0.01, 0.1, 0.5]),
                       rtol=1e-12)
    for p in (0.5, 0.9, 0.99, 0.999):
        t = q.connect_time_quantile(p)
        assert q.connect_time_cdf(t) >= p > q.connect_time_cdf(t * (1 - 1e-9))


def test_connect_time_law_against_independent_attempts():
    # The formula, by sampling its own assumption from first principles: each
    # attempt refused with probability B, else it finds n present with the
    # admitted arrival-seen law and waits Erlang(n - c + 1, c mu) (FIFO) when
    # n >= c.  200,000 clients: the binomial standard error of each share is
    # below 1.2e-3, and 5 of them bound the difference (false-failure rate
    # below 3e-6 over the 4 times).
    from queuemath import tcp
    q = tcp.ListenQueue(180.0, 50.0, 4, backlog=8, os="windows-nt-4.0-server")
    offsets = (0.0,) + tcp.retry_schedule("windows-nt-4.0-server")[0]
    rng = np.random.default_rng(2026)
    n = 200_000
    refused = rng.random((n, len(offsets))) < q.blocking
    first = np.argmin(refused, axis=1)
    connected = ~refused.all(axis=1)
    seen = q.arrival_state_probabilities()
    present = rng.choice(seen.size - 1, size=n, p=seen[:-1] / seen[:-1].sum())
    ahead = present - q.servers
    delay = np.where(ahead >= 0, rng.gamma(np.maximum(ahead, 0) + 1, 1 / (q.servers * 50.0)), 0.0)
    when = np.where(connected, np.asarray(offsets)[first] + delay, np.inf)
    for t in (0.05, 0.5, 0.75, 1.6):
        share = np.mean(when <= t)
        se = np.sqrt(share * (1 - share) / n)
        assert abs(share - q.connect_time_cdf(t)) <= 5 * se + 1e-12, (t, share)


def test_random_points_keep_the_laws_invariants():
    # 200 seeded points over the whole domain (c to 1e4, K - c to 1e6, load
    # 0.01 to 5 with a quarter within 1e-6 of 1): no NaN, probabilities in
    # [0, 1], the law rising in t, its log never above 0, and the p99
    # quantile's round trip.
    rng = np.random.default_rng(15)
    n = 200
    c = np.floor(np.exp(rng.uniform(0, np.log(1e4), n)))
    k = c + np.floor(np.exp(rng.uniform(0, np.log(1e6), n)))
    rho = np.exp(rng.uniform(np.log(0.01), np.log(5.0), n))
    near = rng.random(n) < 0.25
    rho[near] = 1 + rng.uniform(-1e-6, 1e-6, near.sum())
    q = qm.MMcK(rho * c, 1.0, c, k)
    t99 = q.wait_quantile(0.99)
    assert np.all(np.isfinite(t99)) and np.all(t99 >= 0)
    grid = t99[:, None] * np.array([0.0, 0.25, 0.5, 1.0, 2.0, 8.0])
    cdf = qm.MMcK((rho * c)[:, None], 1.0, c[:, None], k[:, None]).wait_cdf(grid)
    assert np.all((cdf >= 0) & (cdf <= 1)) and np.all(np.diff(cdf, axis=1) >= -1e-15)
    log_sf = qm.MMcK(rho * c, 1.0, c, k).log_wait_sf(t99)
    waits = q.p_wait / (1 - q.blocking) > 0.01
    assert np.all(log_sf <= 0)
    assert np.allclose(log_sf[waits], np.log(0.01), rtol=0, atol=1e-9)


def test_quantiles_at_every_level_over_the_domain_round_trip():
    # 5000 seeded points as the benchmark draws them (c to 1e4, K - c to 1e6,
    # load 0.5 to 1.5, a tenth within 1e-6 of 1), at levels from the median
    # to 1 - 1e-9: every search converges (a start that sent 0.1 % of the
    # medians to 1e189 once made it raise) and meets its level.
    lam, c, k = mixed_mmck(5000, 4)
    q = qm.MMcK(lam, 1.0, c, k)
    no_wait = 1 - q.p_wait / (1 - q.blocking)
    for p in (0.5, 0.9, 0.99, 1 - 1e-9):
        t = q.wait_quantile(p)
        waits = p > no_wait
        assert np.all(t[~waits] == 0) and np.all(np.isfinite(t))
        assert np.allclose(q.log_wait_sf(t)[waits], np.log1p(-p), rtol=0, atol=1e-9)


@pytest.mark.parametrize("lam, c, k, t", [(2.0, 1, 50, 0.0), (2.0, 1, 50, 5.0),
                                          (2.0, 1, 50, 20.0), (8.0, 4, 300, 10.0),
                                          (3.0, 1, 2000, 100.0), (1.5, 1, 5000, 1e3)])
def test_an_overloaded_queue_keeps_its_small_cdf(lam, c, k, t):
    # most admitted customers wait long: P(Wq <= t) is tiny, and must not
    # be 1 minus a tail that rounds (it was 4.5e-13 for a true 1e-1600)
    from mpref import mmck_wait_cdf
    cdf = mmck_wait_cdf(lam, 1.0, c, k, t)
    got = qm.MMcK(lam, 1.0, c, k).wait_cdf(t)
    if cdf < 1e-300:
        assert got < 1e-290
    else:
        assert abs(got - cdf) <= 1e-12 * cdf, (got, float(cdf))


# -- Erlang A: the wait of served customers --------------------------------------------

ERLANG_A_POINTS = [
    (4.5, 1.0, 4, 0.5, None, (0.1, 1.0, 5.0, 300.0)),      # 300: log P about -1350
    (3.2, 1.0, 4, 0.5, 8, (0.2, 2.0, 200.0)),
    (6.0, 1.0, 3, 2.0, None, (0.05, 0.5)),
    (2.0, 1.0, 1, 0.2, 12, (1.0, 10.0, 5000.0)),             # e^{-theta t} underflows
]


@pytest.mark.parametrize("lam, mu, c, theta, k, ts", ERLANG_A_POINTS)
def test_erlang_a_served_wait_matches_the_phase_type_absorption(lam, mu, c, theta, k, ts):
    from mpref import erlang_a_served
    q = qm.ErlangA(lam, mu, c, k, patience_rate=theta)
    ref = erlang_a_served(lam, mu, c, theta, k, list(ts))
    for t, r in zip(ts, ref["log_wait_sf"]):
        got = q.log_wait_sf(t)
        assert abs(got - float(r)) <= 1e-13 * (1 + abs(float(r))), (t, got, float(r))
    for name in ("var_in_system", "var_queue", "var_wait"):
        assert math.isclose(getattr(q, name), float(ref[name]), rel_tol=1e-13), name
    # served customers reach a server within t: service_level over its limit
    t = q.wait_quantile(0.9)
    assert math.isclose(q.wait_cdf(t), 0.9, rel_tol=1e-12)
    assert math.isclose(q.wait_cdf(t) + q.wait_sf(t), 1.0, rel_tol=1e-14)
    r = q.response_time_quantile(0.9)
    assert math.isclose(q.response_time_cdf(r), 0.9, rel_tol=1e-11)


@pytest.mark.parametrize("lam, mu, c, theta, k, t", [
    (4.5, 1.0, 4, 0.5, None, 2.5), (3.2, 1.0, 4, 0.5, 8, 1.0), (2.0, 1.0, 1, 0.2, 12, 6.0)])
def test_erlang_a_response_time_matches_the_phase_type_law(lam, mu, c, theta, k, t):
    from mpref import erlang_a_served
    q = qm.ErlangA(lam, mu, c, k, patience_rate=theta)
    ref = erlang_a_served(lam, mu, c, theta, k, t, mu_service=mu)["log_wait_sf"]
    assert abs(q.response_time_cdf(t) - float(-mp.expm1(ref))) < 1e-14


@pytest.mark.parametrize("k", [None, 12])
def test_erlang_a_without_patience_is_the_patient_queue(k):
    q = qm.ErlangA(3.2, 1.0, 4, k, patience_rate=0.0)
    ref = qm.MMc(3.2, 1.0, 4) if k is None else qm.MMcK(3.2, 1.0, 4, k)
    t = np.array([0.0, 0.5, 3.0])
    np.testing.assert_allclose(q.wait_sf(t), ref.wait_sf(t), rtol=1e-14)
    assert q.wait_quantile(0.95) == ref.wait_quantile(0.95)
    assert q.var_wait == ref.var_wait and q.var_queue == ref.var_queue


@pytest.mark.parametrize("lam, c", [(9.0, 10), (0.5, 1), (950.0, 1000)])
def test_long_queue_quantile_is_the_exponential_law(lam, c):
    # K - c = 1e5 places at rho <= 0.95: the cut-off queue is beyond reach,
    # so the quantile is M/M/c's, log(P(W > 0)/(1 - p))/(c mu - lam), taken
    # in closed form (the Chernoff-bounded fast path)
    q, ref = qm.MMcK(lam, 1.0, c, c + 100_000), qm.MMc(lam, 1.0, c)
    p = np.array([0.9, 0.99, 0.999999])
    expect = np.maximum(np.log(ref.p_wait / (1 - p)) / (c - lam), 0.0)   # 0: most never wait
    np.testing.assert_allclose(q.wait_quantile(p), expect, rtol=1e-13)


@pytest.mark.parametrize("lam, c, k, ts", [
    (6.0, 4, 30, [0.001, 0.01, 0.3]), (9.9, 10, 40, [1e-4, 0.05, 0.5]),
    (0.9, 1, 10, [0.01, 0.5]), (170 * 0.99, 170, 400, [1e-3, 0.5]),
    (4 * (1 + 1e-9), 4, 1000, [0.01, 1.0]), (60.0, 40, 100, [0.001, 0.2])])
def test_short_response_times_keep_their_digits(lam, c, k, ts):
    """A small P(T <= t) is a sum of positive terms, not 1 minus a tail near
    1 (which lost 8e-9 of 1.5e-7 before): against the state-by-state mpmath
    tail at 80 digits, down to 2e-14."""
    got = qm.MMcK(lam, 1.0, c, k).response_time_cdf(ts)
    for g, t in zip(got, ts):
        with mp.workdps(80):
            ref = -mp.expm1(mmck_response_tail(lam, 1.0, c, k, t))
        assert rel_err(g, ref) <= 1e-14


@contextlib.contextmanager
def _counting_searches():
    """Counts, while open, the points the wait-quantile search takes and
    its evaluations of log S (point by point), in all and by route: "poly"
    for the short queues' polynomials (a search without the local model's
    ``refine``), "routes" for the others."""
    from queuemath._kernels import waiting as kw
    count = {"searched": 0, "evaluations": 0, "poly": [0, 0], "routes": [0, 0]}
    solve = kw._falling

    def counting(evaluate, target, x0, *args, **kwargs):
        kind = count["routes" if kwargs.get("refine") is not None else "poly"]

        def ev(idx, x):
            count["evaluations"] += idx.size
            kind[1] += idx.size
            return evaluate(idx, x)
        if kwargs.get("rounds") is not None:
            # the first stage (solve_log_s's blocks): each point once; the
            # points left continue in a second call, counted in evaluations
            count["searched"] += target.size
            kind[0] += target.size
        return solve(ev, target, x0, *args, **kwargs)
    kw._falling = counting
    try:
        yield count
    finally:
        kw._falling = solve


def test_near_uniform_queues_start_their_quantile_search_close():
    # Where rho^m is within a few e-folds of 1 neither term of the closed
    # form dominates; the smoothed fluid law (_smoothed_guess) starts the
    # search.  On 2000 such points with 100 to 1e6 places and levels 0.5 to
    # 0.999 its median relative error is 5e-5 (bound 1e-2), and the search
    # from it takes 1.0015 evaluations of the tail on average (bound 1.1:
    # the local model's step, _local_model; 1.67 with steps of the
    # third-order series alone, 3.1 with Newton steps, 6.8 from the
    # mean-wait start it replaced).
    from queuemath._kernels import waiting as kw
    rng = np.random.default_rng(15)
    m = np.floor(np.exp(rng.uniform(np.log(100), np.log(1e6), 2000)))
    L = rng.uniform(-3, 30, m.size) / m
    p = rng.uniform(0.5, 0.999, m.size)
    target = kw._log_s0(L, m) + np.log1p(-p)
    with _counting_searches() as count:
        x = kw.solve_log_s(L, m, target)
    assert np.allclose(kw.log_s(L, m, x), target, rtol=0, atol=1e-10)
    guess = kw._smoothed_guess(L, m, target)
    # NaN: left to the other starts where four steps did not solve the
    # approximation (0.15 % of these points)
    assert np.isnan(guess).mean() < 0.01
    assert np.nanmedian(np.abs(guess / x - 1)) < 1e-2
    assert count["evaluations"] / m.size <= 1.1


def test_a_search_from_where_the_law_is_flat_crosses_a_wide_bracket_quickly():
    # A start far below the median of a steep law: log P(Z > (x - 4750)/200)
    # is flat there (slope ~1e-33), Newton's step lands near 1e35, and
    # halving [2375, 1e35] would take over 100 evaluations; bisection in
    # log x crosses it in a few, and the root (4750) is exact.
    from scipy.special import log_ndtr
    from queuemath._kernels import waiting as kw
    calls = []

    def evaluate(idx, x):
        calls.append(x.size)
        z = (4750.0 - x) / 200.0
        log_pdf = -0.5 * z * z - 0.5 * np.log(2 * np.pi)
        # phi/Phi, by Mills' ratio where the logs cancel
        hazard = np.where(z < -30, -z - 1 / z, np.exp(np.minimum(log_pdf - log_ndtr(z), 0.0)))
        return log_ndtr(z), -hazard / 200.0
    x = kw.solve_falling(evaluate, np.array([np.log(0.5)]), np.array([2375.0]))
    assert x[0] == pytest.approx(4750.0, rel=1e-14)
    assert len(calls) <= 30


def test_a_steep_tilt_near_the_full_queue_still_finds_its_median():
    # rho = 1.228, 4755 places (rho^m ~ e^975): the smoothed start's terms
    # cancel at such tilts; the search must still reach the median wait.
    q = qm.MM1K(np.exp(0.20514474170162883), 1.0, 1 + 4755)
    t = q.wait_quantile(np.array([0.5, 0.9]))
    assert np.allclose(q.log_wait_sf(t), np.log([0.5, 0.1]), rtol=0, atol=1e-11)


@pytest.mark.parametrize("rho, m, x", [(0.7, 5, 3.0), (0.9, 40, 30.0), (1 + 1e-9, 300, 250.0),
                                       (1.3, 300, 280.0), (1.3, 300, 400.0), (0.5, 2, 0.01)])
def test_the_search_steps_derivatives_are_those_of_the_state_by_state_sum(rho, m, x):
    # The quantile search steps by the inverse function's Taylor series,
    # from the first three derivatives of log S (_log_s_derivatives: the
    # density and one Poisson term).  Against mpmath's derivatives of log
    # sum_j rho^j Q(j + 1, x), summed state by state at 40 digits.
    from queuemath._kernels import waiting as kw
    L = np.array([np.log(rho)])
    mm, xx = np.array([float(m)]), np.array([x])
    ls, ld = kw.log_s_and_density(L, mm, xx)
    got = kw._log_s_derivatives(L, mm, xx, ls, ld)[:3]
    with mp.workdps(40):
        r = mp.mpf(rho)

        def log_s(u):
            return mp.log(mp.fsum(r ** j * mp.gammainc(j + 1, u, regularized=True)
                                  for j in range(m)))
        for order, g in enumerate(got, start=1):
            ref = mp.diff(log_s, mp.mpf(x), order)
            assert abs(g[0] - ref) <= 1e-10 * abs(ref) + 1e-12, (order, g[0], ref)


def _mp_log_s_and_density(rho, m, x):
    """log S(x) and log -S'(x) for m places, summed state by state at the
    working precision: S = sum_j rho^j Q(j + 1, x), -S' = sum_j rho^j p_j(x)."""
    r, x = mp.mpf(rho), mp.mpf(x)
    s = mp.fsum(r ** j * mp.gammainc(j + 1, x, regularized=True) for j in range(m))
    d = mp.fsum(r ** j * mp.exp(-x) * x ** j / mp.factorial(j) for j in range(m))
    return mp.log(s), mp.log(d)


@pytest.mark.parametrize("rho", [1.0, 1 + 1e-9, 1 - 1e-9, 0.3, 2.5, math.exp(5.0), math.exp(-5.0),
                                 math.exp(20.0), math.exp(-20.0)])
@pytest.mark.parametrize("m", [1, 2, 17, 64])
@pytest.mark.parametrize("x", [1e-300, 1e-8, 0.5, 30.0, 300.0])
def test_short_queues_polynomials_against_state_by_state_sums(rho, m, x):
    # Queues of at most 64 places are evaluated by two polynomials with
    # positive coefficients (_poly_logs, Horner's rule): against the sums
    # state by state at 40 digits, to Horner's bound for positive terms (2m
    # roundings of the sum) plus the rounding of -x and of log rho^j; rho
    # up to e^20 (the sums then taken over rho^63) and down to e^-20.  The
    # density is NaN only where its scaled sum underflows (the caller then
    # takes the closed form's term).
    from queuemath._kernels import waiting as kw
    L = np.array([math.log(rho)])
    ls, ld = kw._poly_logs(L, np.array([float(m)]), np.array([x]))
    with mp.workdps(40):
        rs, rd = _mp_log_s_and_density(rho, m, x)
    tol = 4 * EPS * (2 * m + x + m * abs(L[0])) + 4 * EPS * abs(float(rs))
    assert abs(ls[0] - float(rs)) <= tol
    if np.isnan(ld[0]):
        # the density's sum e^x (-S'), taken over rho^(m-1) > e^200,
        # underflowed
        assert (m - 1) * math.log(rho) > 200
        assert float(rd) + x - (m - 1) * math.log(rho) < -700
    else:
        assert abs(ld[0] - float(rd)) <= (4 * EPS * (2 * m + x + m * abs(L[0]))
                                          + 4 * EPS * abs(float(rd)))


@pytest.mark.parametrize("rho", [1.0, math.exp(5.0)])
def test_short_queues_polynomials_are_nan_where_they_overflow_and_the_search_falls_back(rho):
    # e^x S(x) grows as h_0 x^63/63! (h_0 over rho^63 where that is beyond
    # e^200): beyond the doubles at x of 1e5 to 2e6, which only a search's
    # overshoot reaches (answers lie within ~300, the level being at most
    # 1 - 2^-53).  There the polynomials give NaN
    # and the evaluation falls back to the other routes: a search started at
    # x = 1e7 ends where one started at the usual guess does, and its
    # residual against the state-by-state sum at 40 digits is f's rounding.
    from queuemath._kernels import waiting as kw
    L, m = np.array([math.log(rho)]), np.array([64.0])
    assert np.isnan(kw._poly_logs(L, m, np.array([1e7]))[0][0])
    target = kw._log_s0(L, m) + math.log(1e-9)
    usual = kw.solve_log_s(L, m, target)[0]
    far = kw._search_poly(L, m, target, np.array([1e7]))[0][0]
    assert far == pytest.approx(usual, rel=1e-14)
    with mp.workdps(40):
        rs, rd = _mp_log_s_and_density(rho, 64, far)
    resid, slope = float(rs) - target[0], float(mp.exp(rd - rs))
    assert abs(resid) <= 8 * EPS * (1 + abs(target[0]) + far * slope)


@pytest.mark.parametrize("rho, m, p", [(0.9, 1000, 0.99), (1.3, 300, 0.5), (1 + 1e-9, 300, 0.99),
                                       (1.0001, 100_000, 0.999), (0.999, 5000, 0.9),
                                       (1.05, 200, 1 - 1e-9)])
def test_the_local_models_single_step_lands_within_rounding(rho, m, p):
    # Queues of more than 64 places are solved from one evaluation of log S
    # where the local model (_local_model: S's Taylor series to up to 20
    # terms from two-term recurrences) says its step converged.  At hard
    # points (rho within 1e-9 of 1, 1e5 places, tails to 1e-9), where the
    # model claims one evaluation is enough, the answer's residual in
    # log S against 60-digit closed forms is within f's rounding.  Starts
    # with residuals from -0.4 to 0.3; at least two of the four converge
    # from one evaluation (all four but at the median of rho = 1.3, 300
    # places, where the series' radius is smaller and the model declines
    # the outer two).
    from queuemath._kernels import waiting as kw
    L, mm = np.array([math.log(rho)]), np.array([float(m)])
    target = kw._log_s0(L, mm) + math.log1p(-p)
    exact = kw.solve_log_s(L, mm, target)[0]
    ls, ld, _ = kw._routes(L, mm, np.array([exact]))
    slope = kw._log_s_derivatives(L, mm, np.array([exact]), ls, ld)[0][0]
    claimed = 0
    for aim in (-0.4, -0.1, 0.03, 0.3):
        # a start whose residual is about ``aim``
        x0 = exact + aim / slope
        ls, ld, _ = kw._routes(L, mm, np.array([x0]))
        d1, d2, d3, d2_err, lp = kw._log_s_derivatives(L, mm, np.array([x0]), ls, ld)
        g = ls - target
        if abs(g[0]) > 0.5:
            continue
        step, _ = kw._inverse_series(np.array([x0]), g, d1, d2, d3, d2_err, x0 - g / d1)
        noise = 8e-16 * (1.0 + abs(target[0]) + abs(x0 * d1[0]))
        new, done, _ = kw._local_model(np.array([x0]), g, target, L, mm, ld, lp, step - x0,
                                       np.array([noise]))
        if not done[0]:
            continue
        claimed += 1
        with mp.workdps(60):
            r, xx = mp.mpf(rho), mp.mpf(new[0])
            s = (mp.exp(-(1 - r) * xx) * mp.gammainc(m, r * xx, regularized=True)
                 - r ** m * mp.gammainc(m, xx, regularized=True)) / (1 - r)
            resid = float(mp.log(s) - mp.mpf(target[0]))
        # f's rounding at x0, as the search judges it, plus the evaluation's
        # own error at x0 (a few ulps of the large logs)
        assert abs(resid) <= noise + 8 * EPS * (1 + abs(target[0])), (aim, resid, noise)
    assert claimed >= 2


@pytest.mark.parametrize("lam, c, k, p", [(122237.83962725665, 3, 4099, 0.8519518240775896),
                                           (1801272.952284032, 821, 924, 0.999999999),
                                           (4.0e5, 2, 3000, 0.99), (9.0e4, 5, 1005, 0.5)])
def test_the_local_model_declines_where_the_density_is_known_to_few_digits(lam, c, k, p):
    # rho in the tens of thousands: the density's log is the difference of
    # (1 - rho) x and log Q(m, rho x), both near 1e8, so it keeps only ~8
    # digits, and its error, amplified by e^{(rho - 1) h} over the step, once
    # moved the local model's answer by 6e-12 (fuzz seed 24: 1.3e-14 per
    # unit of condition against 2e-16 for the series' step).  The model
    # now weighs that error and leaves such points to a second evaluation,
    # keeping the series' step (rho = 2194, fuzz seed 27: the model's
    # untrusted step left a residual of 8e-3, from which the series, whose
    # second derivative has the same cancellation, claimed convergence
    # 1.1e-10 off; the series now counts that derivative's error too).
    # The quantile against the state-by-state tail (mpref), per unit of its
    # condition number, is within a few ulps.  (The density's log there now
    # comes from its far-tail series, which keeps its digits; the guards
    # stay, for the other routes, and these points still check the answer.)
    q = qm.MMcK(lam, 1.0, c, k)
    t = float(q.wait_quantile(p))
    ref, cond = mmck_wait_tail(lam, 1.0, c, k, t)
    assert float(abs(ref - mp.log1p(-mp.mpf(p)))) / cond <= 8 * EPS



@pytest.mark.parametrize("p", [0.3, 0.5, 0.9])
def test_an_overloaded_queue_s_quantile_keeps_its_bracket_across_the_blocks(p):
    # rho = 4.5e5 (fuzz seed 27): the first round's step left the bracket,
    # so the point stood at its bisection (x = 204) when the search went on
    # after the blocks, and went on without the bracket: from where S is
    # flat (slope 1e-36) Newton's step went to 4e35, where the slope
    # overflowed and made the residual's rounding infinite, and the search
    # stopped there (wait_quantile(0.5) = 9e32 s).  The bracket now goes on
    # with the point, and an infinite slope settles nothing.  The quantile
    # against the state-by-state tail (mpref), per unit of its condition
    # number, and wait_cdf at it (whose positive-term route below 1/2
    # integrates the density, known to 8 digits there before its far-tail
    # series) against the same tail.
    lam, c, k = 212808603.56911495, 468, 877
    q = qm.MMcK(lam, 1.0, c, k)
    t = float(q.wait_quantile(p))
    ref, cond = mmck_wait_tail(lam, 1.0, c, k, t)
    assert float(abs(ref - mp.log1p(-mp.mpf(p)))) / cond <= 8 * EPS
    cdf = -mp.expm1(ref)
    assert float(abs(q.wait_cdf(t) - cdf) / cdf) <= 8 * EPS * cond



def test_a_search_continued_after_the_blocks_stays_in_its_bracket():
    # f(x) = -x, target -4, with a slope reported 1000 times too flat, so
    # that every Newton step leaves the bracket: the first round, from 6,
    # finds f below the target (6 is an upper end) and bisects to 3; the
    # search continued from 3 (as solve_log_s continues the points its
    # blocks left) must keep 6 as its upper end, where Newton's step would
    # go to 1003, and still find 4.
    from queuemath._kernels import waiting as kw
    seen = []

    def evaluate(idx, x):
        seen.append(x.copy())
        return -x, np.full(x.shape, -1e-3)
    x, live, bracket = kw._falling(evaluate, np.array([-4.0]), np.array([6.0]), rounds=1)
    assert live.tolist() == [0] and x[0] == 3.0 and bracket[1][0] == 6.0
    seen.clear()
    x, live, _ = kw._falling(evaluate, np.array([-4.0]), x, bracket=bracket)
    assert abs(x[0] - 4.0) <= 4 * EPS * 4.0 and live.size == 0
    assert max(s.max() for s in seen) <= 6.0


def test_a_slope_that_overflowed_settles_no_search():
    # f(x) = -x whose slope is reported as -inf beyond 1e30: from x0 = 1e35
    # the residual's rounding, 8e-16 (|f| + |x f'|), would be infinite there
    # and the search would stop at once; it must bisect down to x = 5.
    from queuemath._kernels import waiting as kw

    def evaluate(idx, x):
        return -x, np.where(x > 1e30, -np.inf, -1.0)
    x = kw.solve_falling(evaluate, np.array([-5.0]), np.array([1e35]))
    assert x[0] == 5.0


@pytest.mark.parametrize("rho, m, x", [(4.5e5, 409, 398.0), (2.5e3, 50_000, 60.0),
                                       (40.0, 1000, 300.0), (1e12, 5, 0.3)])
def test_the_density_far_beyond_the_queue_keeps_its_digits(rho, m, x):
    # e^{-(1 - rho) x} Q(m, rho x) with rho x far beyond m: its log as
    # (rho - 1) x + log Q(m, rho x) subtracts two terms of about (rho - 1) x
    # (1.8e8 at the first point, 8 digits left); the far-tail series keeps
    # it to a few ulps of its own size (against Poisson sums at 50 digits).
    from queuemath._kernels import waiting as kw
    L = math.log(rho)
    got = kw.log_density(np.array([L]), np.array([float(m)]), np.array([x]))[0]
    with mp.workdps(50):
        y = mp.exp(mp.mpf(L)) * x
        q = mp.fsum(mp.exp(-y + j * mp.log(y) - mp.loggamma(j + 1)) for j in range(m))
        ref = (mp.exp(mp.mpf(L)) - 1) * x + mp.log(q)
    assert abs(got - ref) <= 8 * EPS * (1 + abs(ref) + (m - 1) * L)


def test_search_answers_do_not_depend_on_the_block_they_are_solved_in(monkeypatch):
    # solve_log_s works in blocks of _BLOCK points (to stay in cache).  The
    # search and its steps are each point's own, but the special functions'
    # series and continued fractions stop once every point of a call has
    # converged, so a point may take one more term (below its rounding) in
    # another block: blocks of 7 agree with one block to 2 ulps.
    from queuemath._kernels import waiting as kw
    lam, c, k = mixed_mmck(3000, 21)
    q = qm.MMcK(lam, 1.0, c, k)
    whole = q.wait_quantile(0.99)
    monkeypatch.setattr(kw, "_BLOCK", 7)
    small = qm.MMcK(lam, 1.0, c, k).wait_quantile(0.99)
    assert np.array_equal(whole == 0, small == 0)
    assert np.allclose(small, whole, rtol=4.5e-16, atol=0)


def test_benchmark_points_take_one_evaluation_of_the_tail():
    # bench_waiting's law of points (servers to 1e4, queues to 1e6, loads
    # 0.5 to 1.5, a tenth within 1e-6 of 1) at p = 0.99.  Queues of more
    # than 64 places take 1.01 evaluations of log S per point searched
    # (bound 1.1): the local model's step converges from the first (1.98
    # with steps of the third-order series alone, 3.31 with Newton steps).
    # Shorter ones take 2.47 evaluations of their polynomials (bound 2.8),
    # each a sixth of the closed form's cost.  The answers round-trip.
    n = 20000
    lam, c, k = mixed_mmck(n, 16)
    q = qm.MMcK(lam, 1.0, c, k)
    with _counting_searches() as count:
        t = q.wait_quantile(0.99)
    assert count["searched"] > n / 2
    routes, poly = count["routes"], count["poly"]
    assert routes[0] > n / 4 and poly[0] > n / 8
    assert routes[1] / routes[0] <= 1.1
    assert poly[1] / poly[0] <= 2.8
    waits = t > 0        # elsewhere at least 99 % do not wait: 0
    assert np.allclose(q.log_wait_sf(t)[waits], np.log(0.01), rtol=0, atol=1e-10)


@pytest.mark.parametrize("n", [2, 3, 17, 171, 5000, 20001, 300000, 2_000_000])
@pytest.mark.parametrize("z", [-7.0, -5.9, -1.0, 0.0, 2.9, 3.1, 12.0])
def test_log_q_on_every_route_against_poisson_sums(n, z):
    # log Q(n, x) = log P(Poisson(x) <= n - 1), the wait law's building
    # block, on each of its routes: far below the mean (log1p of the small
    # tail), up to 3 sd above it (the log of Q itself), beyond (Poisson term
    # over Erlang B's continued fraction); x = n - 1 + z sqrt(n - 1).
    from queuemath._kernels import waiting as kw
    c = n - 1
    x = max(c + z * math.sqrt(c), 1e-3)
    got = kw.log_q(np.array([float(n)]), np.array([x]))[0]
    with mp.workdps(40):
        ref = mp.log(mp.gammainc(n, mp.mpf(x), mp.inf, regularized=True))
    # condition: log Q moves by x B(n-1, x) per unit relative change of x
    assert abs(got - ref) <= 8 * EPS * (abs(ref) + x * float(mp.exp(-ref)) *
                                        float(mp.exp(-mp.mpf(x)) * mp.mpf(x) ** c
                                              / mp.factorial(c)) + 1)


def test_tilted_rules_agree_with_rules_of_twice_the_nodes():
    # The tilted mean's Gauss-Legendre sizes are chosen from the rule's error
    # for an exponential integrand with a hundredfold margin; on 20000 points
    # over its whole domain (m from 65 to 1e6, |log rho| (m + x) from 1e-7 to
    # 1000) the answers must agree with rules of twice the nodes and panels
    # of half the variation to the rounding floor (measured 7e-14 relative
    # for both the sizes used and the larger ones they replaced).  Sizes
    # 100 times too coarse in v fail it; 10 times still pass (v bounds the
    # variation of log D from above).
    from queuemath._kernels import waiting as kw
    rng = np.random.default_rng(5)
    n = 20000
    m = np.floor(np.exp(rng.uniform(np.log(65), np.log(1e6), n)))
    v = np.exp(rng.uniform(np.log(1e-7), np.log(1000), n))
    x = m * np.exp(rng.uniform(-0.7, 0.7, n))
    L = v / (m + x) * rng.choice([-1, 1], n)
    got = kw._tilted(L, m, x)
    rules = kw._TILT_RULES, kw._TILT_PANEL_V, kw._TILT_PANEL_NODES
    try:
        kw._TILT_RULES = tuple((b, 2 * k) for b, k in rules[0])
        kw._TILT_PANEL_V, kw._TILT_PANEL_NODES = rules[1] / 2, 24
        ref = kw._tilted(L, m, x)
    finally:
        kw._TILT_RULES, kw._TILT_PANEL_V, kw._TILT_PANEL_NODES = rules
    assert np.all(np.abs(got - ref) <= 2e-13 * np.maximum(1.0, np.abs(ref)))


def _mp_log_s_window(L, m, x):
    """log S(x), rho = e^L, state by state (mpref.wait_sums) at 50 digits."""
    with mp.workdps(50):
        return mp.log(wait_sums(mp.exp(mp.mpf(L)), m, mp.mpf(x))[0])


def _tilted_points(n, seed, v_max=3.0):
    rng = np.random.default_rng(seed)
    m = np.floor(np.exp(rng.uniform(np.log(65), np.log(1e6), n)))
    v = np.exp(rng.uniform(np.log(1e-9), np.log(v_max), n))
    x = m * np.exp(rng.uniform(-0.7, 0.7, n))
    L = v / (m + x) * rng.choice([-1, 1], n)
    return L, m, x


def test_tilted_series_about_x_against_state_by_state_sums():
    # Near rho = 1 (|log rho| (m + x) below 3, the Gauss-Legendre rules'
    # domain) the tilted mean takes G at its nodes from G's Taylor series
    # about x (_tilted_center), one incomplete gamma function a point; on 40
    # points (m from 65 to 1e6, x within e^+-0.7 of m) against sums state by
    # state at 50 digits, to 64 ulps of 1 + |log S|.  Most points must take
    # the series (it declines only where G falls by half across the nodes or
    # its terms decay slowly, v near 3).  Measured: 3e-15 at most, but for
    # x about 1.3 m at m ~ 70, where the idle ratio of the Erlang loss
    # system, which G above m is taken from, keeps 4e-14 (the node rule has
    # the same error there).
    from queuemath._kernels import waiting as kw
    L, m, x = _tilted_points(40, 11)
    got = kw._tilted(L, m, x)
    taken = 0
    for at, nodes, weights in kw._tilt_rules(np.abs(L) * (m + x)):
        terms = kw._TILT_SERIES_TERMS[nodes.size]
        taken += np.isfinite(kw._tilted_center(L[at], m[at], x[at], nodes, weights, terms)).sum()
    assert taken >= 36
    for i in range(L.size):
        ref = _mp_log_s_window(L[i], int(m[i]), x[i])
        assert abs(got[i] - ref) <= 64 * EPS * (1 + abs(ref)), (L[i], m[i], x[i])


def test_tilted_series_declines_rather_than_err_when_cut_short():
    # With too few terms for the wider rules the series must decline (NaN,
    # the nodes then evaluate G themselves), not return a cut sum: every
    # value it still gives agrees with the node rule's, and the widest rule
    # declines most of its points at 4 terms.
    from queuemath._kernels import waiting as kw
    L, m, x = _tilted_points(4000, 12)
    declined = {}
    for at, nodes, weights in kw._tilt_rules(np.abs(L) * (m + x)):
        short = kw._tilted_center(L[at], m[at], x[at], nodes, weights, 4)
        full = kw._tilted_nodes(L[at], m[at], x[at], nodes, weights)
        ok = np.isfinite(short)
        assert np.all(np.abs(short[ok] - full[ok]) <= 2e-13 * np.maximum(1.0, np.abs(full[ok])))
        declined[nodes.size] = 1 - ok.mean()
    assert declined[10] > 0.5
