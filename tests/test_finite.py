"""M/M/1/K and M/M/c/K against mpmath at hard points, and their invariants."""
import mpmath as mp
import numpy as np
import pytest
from hypothesis import given, strategies as st
from numpy.testing import assert_allclose, assert_equal

import queuemath as qm
from mpref import log_err, mmck, rel_err

TOL = 1e-12
QUANTITIES = ("blocking", "throughput", "utilization", "mean_in_system", "mean_queue",
              "mean_wait", "mean_response_time", "p_empty", "p_wait")

RHOS = (1e-300, 1e-6, 0.5, 1 - 1e-9, 1 - 1e-12, 1.0, 1 + 1e-12, 1 + 1e-9, 2.0, 1e10, 1e290)
CASES = [(c, m, rho) for c, m in [(1, 0), (1, 1), (1, 9), (1, 10**6), (1, 10**7),
                                  (2, 5), (170, 0), (171, 30), (171, 10**6),
                                  (10**6, 0), (10**6, 200), (10**6, 10**6)]
         for rho in RHOS
         if not (c == 10**6 and rho in (1e-300, 1e290))]


@pytest.mark.parametrize("servers, waiting, rho", CASES)
def test_mmck_matches_mpmath(servers, waiting, rho):
    lam = rho * servers          # service_rate 1: the load is exact
    q = qm.MMcK(lam, 1.0, servers, servers + waiting)
    ref = mmck(lam, 1.0, servers, servers + waiting)
    assert log_err(q.log_blocking, ref["log_blocking"]) <= TOL
    tiny = np.finfo(float).tiny
    for name in QUANTITIES:
        got = getattr(q, name)
        r = ref[name]
        if abs(r) >= tiny:
            assert rel_err(got, r) <= TOL, name
        else:
            assert abs(got) < tiny, name


@pytest.mark.parametrize("lam, mu, c, k", [
    (0.9, 1.0, 1, 10), (3.3, 0.7, 4, 12), (1e-3, 2.5, 3, 3), (250.0, 0.1, 2000, 2600),
    (7.0, 1.0, 10, 10)])
def test_mmck_general_rates(lam, mu, c, k):
    q = qm.MMcK(lam, mu, c, k)
    # The model sees A = fl(lam / mu); the reference gets the same load.
    a = lam / mu
    ref = mmck(a, 1.0, c, k)
    for name in ("blocking", "utilization", "mean_in_system", "mean_queue", "p_empty"):
        if ref[name] >= np.finfo(float).tiny:
            assert rel_err(getattr(q, name), ref[name]) <= TOL, name
        else:   # p_empty = 6e-1120 at A = 2500: underflows, as it should
            assert getattr(q, name) < np.finfo(float).tiny, name
    assert rel_err(q.mean_wait, ref["mean_queue"] / (mp.mpf(lam) * (1 - ref["blocking"]))) <= TOL
    assert rel_err(q.mean_response_time, q.mean_wait + 1 / mu) <= 1e-15


def test_mm1k_textbook_form():
    # p_K = (1 - rho) rho^K / (1 - rho^(K+1)) at moderate rho, where the
    # power form itself is accurate.
    for rho, k in [(0.5, 3), (0.9, 10), (1.5, 4), (0.99, 50)]:
        expected = (1 - rho) * rho**k / (1 - rho ** (k + 1))
        assert rel_err(qm.MM1K(rho, 1.0, k).blocking, expected) <= 1e-13


def test_mm1k_at_rho_one_is_uniform():
    for k in (1, 2, 9, 10**6, 10**7):
        q = qm.MM1K(2.5, 2.5, k)
        assert rel_err(q.blocking, mp.mpf(1) / (k + 1)) <= 1e-14
        assert rel_err(q.mean_in_system, mp.mpf(k) / 2) <= 1e-14
    assert_allclose(qm.MM1K(1.0, 1.0, 3).state_probabilities(), [0.25] * 4, rtol=1e-15)


def test_mm1k_equals_mmck_with_one_server():
    lam = np.array([0.1, 0.9, 1.0, 1.1, 30.0])
    a, b = qm.MM1K(lam, 1.0, 7), qm.MMcK(lam, 1.0, 1, 7)
    for name in QUANTITIES:
        assert_equal(getattr(a, name), getattr(b, name))
    assert_equal(a.state_probabilities(), b.state_probabilities())


def test_zero_arrivals_exact():
    q = qm.MMcK(0.0, 1.0, 3, 8)
    assert_equal(q.blocking, 0.0)
    assert_equal(q.log_blocking, -np.inf)
    assert_equal(q.p_empty, 1.0)
    assert_equal(q.throughput, 0.0)
    assert_equal(q.mean_in_system, 0.0)
    assert_equal(q.mean_wait, 0.0)
    assert_equal(q.mean_response_time, 1.0)
    assert_equal(q.state_probabilities(), [1.0] + [0.0] * 8)


def test_huge_load_refuses_almost_everything_but_throughput_is_exact():
    # A = 1e300, c = 3: the servers still finish 3 per second.
    # (Computed in logs of size ~700, so a few hundred ulps is the budget.)
    q = qm.MMcK(1e300, 1.0, 3, 10)
    assert q.blocking == 1.0
    assert rel_err(q.throughput, 3.0) <= TOL
    assert rel_err(q.utilization, 1.0) <= TOL
    assert rel_err(q.mean_in_system, 10.0) <= TOL


def test_state_probabilities_shape_and_consistency():
    q = qm.MMcK([0.5, 4.0, 12.0], 1.0, [1, 3, 5], [4, 6, 9])
    p = q.state_probabilities()
    assert p.shape == (3, 10)
    assert_allclose(p.sum(axis=-1), 1.0, rtol=1e-14)
    assert_allclose(p[np.arange(3), [4, 6, 9]], q.blocking, rtol=1e-14)
    assert_allclose(p[:, 0], q.p_empty, rtol=1e-14)
    assert_equal(p[0, 5:], 0.0)           # beyond that point's K
    n = np.arange(10)
    assert_allclose((p * n).sum(axis=-1), q.mean_in_system, rtol=1e-13)


@pytest.mark.parametrize("lam, c, k", [
    (0.7, 2, 8), (170.0, 171, 200), (5.0, 4, 4), (1e4, 10**4, 2 * 10**4),
    # high loads, where log pmf(n) + A - log S lost |A| ulps (1e-4 at A = 1e12)
    (1e12, 1, 1), (1e15, 3, 3), (1e20, 1, 3), (1e5, 1, 40), (1e5, 10**5, 10**5 + 10),
    (2e3, 2000, 2500), (2e3, 1500, 1600), (1e-12, 5, 12), (1 - 1e-9, 170, 400), (0.9, 1, 2000)])
def test_state_probabilities_match_mpmath(lam, c, k):
    p = qm.MMcK(lam, 1.0, c, k).state_probabilities()
    with mp.workdps(60 + int(np.log10(max(lam, 1.0)) * min(k, 60))):
        # w_n = prod_{i<=n} A / min(i, c), summed state by state (balance equations)
        a = mp.mpf(lam)
        w = [mp.mpf(1)]
        for n in range(1, k + 1):
            w.append(w[-1] * a / min(n, c))
        tot = mp.fsum(w)
        states = range(k + 1) if k <= 2000 else sorted({0, 1, c - 1, c, (c + k) // 2, k})
        for n in states:
            ref = w[n] / tot
            if ref >= np.finfo(float).tiny:
                assert rel_err(p[n], ref) <= TOL, n
            else:
                assert p[n] < 1e-300, n


@given(st.floats(1e-6, 1e4), st.integers(1, 200), st.integers(0, 500))
def test_mmck_invariants(lam, c, m):
    q = qm.MMcK(lam, 1.0, c, c + m)
    assert 0 <= q.blocking <= 1 and 0 <= q.p_empty <= 1
    assert 0 <= q.utilization <= 1 + 1e-15
    # Little's law on the admitted stream, and L = busy + L_q.
    assert rel_err(q.mean_in_system, q.throughput * q.mean_response_time) <= 1e-13
    assert rel_err(q.mean_in_system, q.utilization * c + q.mean_queue) <= 1e-13
    assert q.mean_queue <= m * (1 + 1e-15)


@given(st.floats(1e-3, 1e3), st.integers(1, 50), st.integers(0, 100))
def test_blocking_monotone(lam, c, m):
    # Strict in exact arithmetic; a change below an ulp of the value (e.g.
    # 4**-27 relative at rho = 4) may round either way, hence the slack.
    base = qm.MMcK(lam, 1.0, c, c + m).log_blocking
    slack = 4e-16 * max(1.0, abs(base))
    assert qm.MMcK(lam * 1.01, 1.0, c, c + m).log_blocking > base - slack   # more load
    assert qm.MMcK(lam, 1.0, c, c + m + 1).log_blocking < base + slack      # more room
    assert qm.MMcK(lam, 1.0, c + 1, c + m + 1).log_blocking < base + slack  # more servers


@given(st.floats(0, 1e5), st.integers(1, 10**5))
def test_capacity_equal_servers_is_erlang_b(lam, c):
    q = qm.MMcK(lam, 1.0, c, c)
    assert rel_err(q.blocking, qm.erlang_b(c, lam)) <= 1e-14 or q.blocking == 0


@given(st.floats(0.01, 0.95), st.integers(1, 100))
def test_large_capacity_tends_to_mmc(rho, c):
    # With K = c + 2e4 the tail beyond K weighs at most rho**2e4 < 1e-440.
    q, inf = qm.MMcK(rho * c, 1.0, c, c + 20000), qm.MMc(rho * c, 1.0, c)
    assert rel_err(q.mean_queue, inf.mean_queue) <= 1e-12 or inf.mean_queue < 1e-300
    assert rel_err(q.mean_wait, inf.mean_wait) <= 1e-12 or inf.mean_wait < 1e-300
    assert rel_err(q.utilization, inf.utilization) <= 1e-13


def test_broadcast_and_keywords():
    q = qm.MMcK(arrival_rate=np.array([[1.0], [2.0]]), service_rate=1.0,
                servers=[1, 2, 3], capacity=5)
    assert q.blocking.shape == (2, 3)
    assert np.ndim(qm.MM1K(arrival_rate=1.0, service_rate=2.0, capacity=3).blocking) == 0
    assert repr(qm.MM1K(1.0, 2.0, 3)) == "MM1K(arrival_rate=1.0, service_rate=2.0, capacity=3)"
