"""Erlang A (M/M/c+M, M/M/c/K+M): mpmath references, limits, identities,
Monte Carlo, bad input."""
import heapq
import math
import warnings

import numpy as np
import pytest
from scipy import stats

import queuemath as qm
from queuemath import ErlangA

import mpref

QUANTITIES = ("blocking", "p_wait", "p_abandon", "throughput", "utilization", "mean_queue",
              "mean_in_system", "mean_wait")

# (arrival_rate, service_rate, servers, patience_rate, capacity): light,
# heavy and critical loads; patience from 1e-9 to 1e4 of the service rate;
# every route of the kernel (fraction, incomplete gamma, tail subtraction,
# window sums, geometric at theta = 0).
POINTS = [
    (2.0, 1.0, 1, 1.0, None),
    (10.0, 1.0, 8, 0.5, None),
    (100.0, 1.0, 90, 0.01, None),          # below the mean: the fraction
    (100.0, 1.0, 110, 0.01, None),
    (1000.0, 1.0, 990, 1e-3, None),        # near the mean: incomplete gamma
    (1e4, 1.0, 9000, 0.05, None),          # overload: queue ~ (lam - c mu)/theta
    (5.0, 1.0, 10, 100.0, None),           # patience far faster than service
    (1e-3, 1.0, 3, 1e-5, None),            # tiny load
    (1e5, 1.0, 1e5, 1e-4, None),           # rho = 1 exactly, a = 1e9
    (1e5 * (1 + 1e-9), 1.0, 1e5, 1e-4, None),   # rho = 1 + 1e-9
    (1e5 * (1 - 1e-9), 1.0, 1e5, 1e-4, None),
    (170.0, 1.0, 170, 0.3, None),
    (171.0, 1.0, 171, 0.3, None),
    (1e6, 1.0, 10**6, 2.0, None),          # a million servers
    (3.0, 1.0, 2, 0.7, 6),
    (30.0, 1.0, 20, 0.2, 40),
    (9.0, 1.0, 10, 0.02, 14),
    (300.0, 1.0, 200, 0.2, 260),           # mass at the top: window
    (2e4, 1.0, 9000, 1.0, 9100),
    (9e3, 1.0, 9000, 1e-2, 9500),          # critical, tail subtraction
    (50.0, 1.0, 40, 0.5, 40 + 10**6),      # capacity 1e6 beyond the servers
    (60.0, 1.0, 40, 1e-3, 40 + 10**6),     # ... and filled to the brim
    (0.9, 1.0, 1, 0.0, 10),                # patient: M/M/1/K
    (0.8, 1.0, 3, 0.0, None),              # patient: M/M/c
]


@pytest.mark.parametrize("point", POINTS, ids=lambda p: "-".join(map(str, p)))
def test_against_mpmath(point):
    lam, mu, c, theta, cap = point
    q = ErlangA(lam, mu, c, cap, patience_rate=theta)
    ref = mpref.erlang_a(*point)
    for name in QUANTITIES:
        got = float(getattr(q, name))
        if abs(ref[name]) < 1e-300:     # below the doubles: 0 is the right answer
            assert got < 1e-290, name
        else:
            assert mpref.rel_err(got, ref[name]) < 1e-12, name
    if "log_blocking" in ref:
        assert mpref.log_err(float(q.log_blocking), ref["log_blocking"]) < 1e-14


# mpmath's regularized incomplete beta is slow for the large a of the finite
# points' sums: those with up to a few hundred queue places and a <= 1e5.
SL_POINTS = [p for p in POINTS
             if p[4] is None or (p[4] - p[2] <= 400 and (p[3] == 0 or p[2] * p[1] <= 1e5 * p[3]))]
SL_POINTS = [p for p in SL_POINTS if p[0] != 1e5 * (1 + 1e-9)]   # 8 s a reference
SL_POINTS += [(60.0, 1.0, 40, 1e-3, 400), (1e4 * (1 + 1e-9), 1.0, 10**4, 1e-2, None)]


@pytest.mark.parametrize("point", SL_POINTS, ids=lambda p: "-".join(map(str, p)))
@pytest.mark.parametrize("t_scale", [1e-3, 0.3, 10.0])
def test_service_level_against_mpmath(point, t_scale):
    t = t_scale / point[1]
    ref = mpref.erlang_a(*point, t=t)["service_level"]
    lam, mu, c, theta, cap = point
    got = float(ErlangA(lam, mu, c, cap, patience_rate=theta).service_level(t))
    if ref < 1e-300:          # below the doubles: 0 (or a subnormal) is right
        assert got < 1e-290
    else:
        assert mpref.rel_err(got, ref) < 1e-12


def test_patient_limit_is_exact():
    """theta = 0: the M/M/c and M/M/c/K formulas, to rounding."""
    lam, mu, c = np.array([0.5, 3.9, 95.0]), 1.0, np.array([1, 4, 100])
    a, m = ErlangA(lam, mu, c, patience_rate=0.0), qm.MMc(lam, mu, c)
    np.testing.assert_allclose(a.p_wait, m.p_wait, rtol=1e-14)
    np.testing.assert_allclose(a.mean_queue, m.mean_queue, rtol=1e-13)
    np.testing.assert_allclose(a.mean_wait, m.mean_wait, rtol=1e-13)
    np.testing.assert_allclose(a.service_level(0.7), m.service_level(0.7), rtol=1e-13)
    k = c + np.array([0, 7, 300])
    lam = np.array([0.5, 6.0, 100.0])     # below, above and at rho = 1
    a, m = ErlangA(lam, mu, c, k, patience_rate=0.0), qm.MMcK(lam, mu, c, k)
    for name in ("blocking", "throughput", "mean_queue", "mean_in_system", "mean_wait"):
        np.testing.assert_allclose(getattr(a, name), getattr(m, name), rtol=1e-13, err_msg=name)


@pytest.mark.parametrize("capacity", [None, 30])
def test_small_patience_tends_to_patient_queue(capacity):
    """The difference shrinks in proportion to theta (first order)."""
    base = (qm.MMc(18.0, 1.0, 20) if capacity is None else qm.MMcK(18.0, 1.0, 20, capacity))
    gaps = []
    for theta in (1e-3, 1e-5, 1e-7):
        q = ErlangA(18.0, 1.0, 20, capacity, patience_rate=theta)
        gaps.append(abs(q.mean_queue / base.mean_queue - 1))
    assert gaps[0] > 0
    assert gaps[1] == pytest.approx(gaps[0] / 100, rel=0.05)
    assert gaps[2] == pytest.approx(gaps[0] / 1e4, rel=0.05)


@pytest.mark.parametrize("c", [1, 3, 25])
def test_patience_equal_to_service_is_infinite_server(c):
    """theta = mu makes every death rate n mu: N ~ Poisson(A) (M/M/inf)."""
    A = 7.5
    q = ErlangA(A, 1.0, c, patience_rate=1.0)
    n = np.arange(200)
    pmf = stats.poisson.pmf(n, A)
    assert q.mean_queue == pytest.approx((np.maximum(n - c, 0) * pmf).sum(), rel=1e-13)
    assert q.p_wait == pytest.approx(stats.poisson.sf(c - 1, A), rel=1e-13)


def test_flow_and_service_level_identities():
    rng = np.random.default_rng(5)
    n = 400
    c = np.floor(10 ** rng.uniform(0, 4, n))
    mu = 10 ** rng.uniform(-2, 2, n)
    lam = c * mu * 10 ** rng.uniform(-1.5, 1, n)
    theta = mu * 10 ** rng.uniform(-6, 2, n)
    k = c + np.floor(10 ** rng.uniform(0, 5, n))
    for cap in (None, k):
        q = ErlangA(lam, mu, c, cap, patience_rate=theta)
        # the admitted are served or abandon
        np.testing.assert_allclose(lam * (1 - q.blocking), q.throughput + theta * q.mean_queue,
                                   rtol=1e-12)
        # t = 0: served at once = found a free server; t -> inf: every one served
        np.testing.assert_allclose(q.service_level(0.0), 1 - q.p_wait - q.blocking,
                                   rtol=1e-12, atol=1e-15)
        never = q.service_level(np.inf)
        np.testing.assert_allclose(never, 1 - q.blocking - q.p_abandon, rtol=1e-11, atol=1e-15)
        ts = np.array([0.0, 0.1, 1.0, 10.0])[:, None] / mu
        sl = q.service_level(ts)
        assert (np.diff(sl, axis=0) >= -1e-15).all()


def test_domain_sweep_is_finite_and_in_range():
    rng = np.random.default_rng(11)
    n = 2000
    c = np.floor(10 ** rng.uniform(0, 6, n))
    mu = 10 ** rng.uniform(-3, 3, n)
    lam = c * mu * 10 ** rng.uniform(-3, 1, n)
    theta = mu * 10 ** rng.uniform(-9, 4, n)
    t = 10 ** rng.uniform(-4, 2, n) / mu
    k = c + np.floor(10 ** rng.uniform(0, 6, n))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for cap in (None, k):
            q = ErlangA(lam, mu, c, cap, patience_rate=theta)
            for name in QUANTITIES + ("service_level",):
                v = q.service_level(t) if name == "service_level" else getattr(q, name)
                assert np.isfinite(v).all(), name
                assert (v >= 0).all(), name
                if name in ("blocking", "p_wait", "p_abandon", "utilization", "service_level"):
                    assert (v <= 1).all(), name
            np.testing.assert_allclose(lam * (1 - q.blocking),
                                       q.throughput + theta * q.mean_queue, rtol=1e-12)


def test_broadcast_and_scalars():
    q = ErlangA([[5.0], [9.0]], 1.0, [4, 8, 12], capacity=20, patience_rate=0.5)
    assert q.blocking.shape == (2, 3)
    assert q.service_level([[0.5], [1.0]]).shape == (2, 3)
    one = ErlangA(9.0, 1.0, 8, capacity=20, patience_rate=0.5)
    assert type(one.blocking) is float      # a Python number, not a numpy scalar
    assert one.blocking == q.blocking[1, 1]
    assert ErlangA(9.0, 1.0, 8, patience_rate=0.5).blocking == 0.0
    assert ErlangA(9.0, 1.0, 8, patience_rate=0.5).capacity is None
    assert "patience_rate=0.5" in repr(one)


def test_zero_arrivals():
    q = ErlangA(0.0, 1.0, 3, capacity=5, patience_rate=0.5)
    assert (q.blocking, q.p_wait, q.p_abandon, q.mean_queue, q.throughput) == (0, 0, 0, 0, 0)
    assert q.service_level(1.0) == 1.0


@pytest.mark.parametrize("call, words", [
    (lambda: ErlangA(1.0, 1.0, 2, patience_rate=-0.1), "patience_rate"),
    (lambda: ErlangA(1.0, 1.0, 2, patience_rate=math.nan), "patience_rate"),
    (lambda: ErlangA(1.0, 1.0, 2, capacity=1, patience_rate=0.1), "capacity must be >= servers"),
    (lambda: ErlangA(1.0, 1.0, 2.5, patience_rate=0.1), "servers"),
    (lambda: ErlangA(1.0, 1.0, 2, capacity=3.5, patience_rate=0.1), "capacity"),
    (lambda: ErlangA(5.0, 1.0, 2, patience_rate=0.0), "patience_rate=0 without a capacity"),
    (lambda: ErlangA(1e300, 1.0, 2, patience_rate=1e-300), "arrival_rate / patience_rate"),
    (lambda: ErlangA([1.0, 2.0], 1.0, [1, 2, 3], patience_rate=0.1), "do not broadcast"),
    (lambda: ErlangA(1.0, 1.0, 2, patience_rate=0.1).service_level(-1.0), "target_time"),
])
def test_bad_input_names_the_parameter(call, words):
    with pytest.raises(ValueError, match=words):
        call()


# -- Monte Carlo ----------------------------------------------------------

STRICT = 0.9999


@pytest.mark.parametrize("model", [ErlangA(10.0, 1.0, 8, patience_rate=0.5),
                                   ErlangA(3.0, 1.0, 2, 6, patience_rate=0.7),
                                   ErlangA(12.0, 1.0, 10, 14, patience_rate=0.2)], ids=repr)
def test_crosscheck_with_patience(model):
    """99.99% intervals: at most 8 quantities a model, so the chance of a
    false failure is below 8e-4 per model (the quantities are correlated,
    which only lowers it)."""
    cc = qm.crosscheck(model, arrivals=400_000, seed=41, confidence=STRICT)
    assert cc.all_covered, cc


def _simulate_service_level(lam, mu, c, theta, t, customers, seed):
    """Plain event simulation of M/M/c+M with FIFO queue and per-customer
    patience: share of arrivals that reach a server within t.  Independent
    of the package (its own heapq loop and draws)."""
    rng = np.random.default_rng(seed)
    now, busy = 0.0, 0
    queue = []            # (arrival time, deadline) in FIFO order
    head = 0
    events = [(rng.exponential(1 / lam), 0)]        # (time, kind) 0 arrival 1 departure
    hits = arrivals = 0
    while arrivals < customers:
        now, kind = heapq.heappop(events)
        if kind == 0:
            arrivals += 1
            heapq.heappush(events, (now + rng.exponential(1 / lam), 0))
            if busy < c:
                busy += 1
                hits += 1
                heapq.heappush(events, (now + rng.exponential(1 / mu), 1))
            else:
                queue.append((now, now + rng.exponential(1 / theta)))
        else:
            busy -= 1
            # the first waiting customer still patient takes the server
            while head < len(queue) and queue[head][1] < now:
                head += 1
            if head < len(queue):
                arrived, _ = queue[head]
                head += 1
                busy += 1
                hits += now - arrived <= t
                heapq.heappush(events, (now + rng.exponential(1 / mu), 1))
    return hits / arrivals


def test_service_level_by_independent_simulation():
    """Ten independent replications of 20 000 customers, Student-t 99.99%
    interval over them: a false failure has chance 1e-4 (each replication
    starts empty; at ~2 s per service cycle that bias is far below the
    interval's half-width of ~0.005)."""
    lam, mu, c, theta, t = 10.0, 1.0, 8, 0.5, 0.4
    exact = float(ErlangA(lam, mu, c, patience_rate=theta).service_level(t))
    shares = [_simulate_service_level(lam, mu, c, theta, t, 20_000, seed) for seed in range(10)]
    mean = np.mean(shares)
    half = stats.t.ppf(0.5 + STRICT / 2, len(shares) - 1) * np.std(shares, ddof=1) / np.sqrt(10)
    assert abs(mean - exact) < half


def test_random_points_against_mpmath():
    """80 seeded random configurations across every route (c 1..60, rho 0.2
    to 3, patience 0.01 to 10 of the service rate, half with a capacity up
    to 300 places beyond the servers), every quantity and the service level
    at a random time: within 1e-12 of mpmath (worst seen 1.8e-13)."""
    rng = np.random.default_rng(123)
    for _ in range(80):
        c = int(rng.integers(1, 60))
        mu = float(10 ** rng.uniform(-1, 1))
        lam = float(10 ** rng.uniform(-0.7, 0.5)) * c * mu
        theta = float(mu * 10 ** rng.uniform(-2, 1))
        k = None if rng.uniform() < 0.5 else c + int(rng.integers(0, 300))
        t = float(10 ** rng.uniform(-2, 1) / mu)
        ref = mpref.erlang_a(lam, mu, c, theta, k, t=t)
        q = ErlangA(lam, mu, c, k, patience_rate=theta)
        got = {name: float(getattr(q, name)) for name in QUANTITIES}
        got["service_level"] = float(q.service_level(t))
        for name, value in got.items():
            if abs(ref[name]) > 1e-300:
                assert mpref.rel_err(value, ref[name]) < 1e-12, (name, lam, mu, c, theta, k, t)
