"""Erlang C and M/M/c against mpmath and their invariants."""
import math

import mpmath as mp
import numpy as np
import pytest
from hypothesis import given, strategies as st
from numpy.testing import assert_equal

import queuemath as qm
from mpref import erlang_c_log, log_err, rel_err

TOL = 1e-12
HARD = [(c, a) for c in (1, 2, 15, 170, 171, 1000, 10**6, 10**7)
        for a in (1e-300, 1e-8, 0.5 * c, c - math.sqrt(c), c * (1 - 1e-9),
                  c * (1 - 1e-12), c - 1e-9 * min(c, 1))
        if 0 < a < c]


@pytest.mark.parametrize("servers, offered_load", HARD)
def test_erlang_c_matches_mpmath(servers, offered_load):
    ref = erlang_c_log(servers, offered_load)
    assert log_err(qm.log_erlang_c(servers, offered_load), ref) <= TOL
    if mp.exp(ref) >= np.finfo(float).tiny:
        assert rel_err(qm.erlang_c(servers, offered_load), mp.exp(ref)) <= TOL


@pytest.mark.parametrize("servers, offered_load", HARD)
def test_mmc_matches_mpmath(servers, offered_load):
    q = qm.MMc(offered_load, 1.0, servers)
    c, a = servers, mp.mpf(offered_load)
    with mp.workdps(60):
        p_wait = mp.exp(erlang_c_log(servers, offered_load))
        lq = p_wait * a / (c - a)
        ref = dict(p_wait=p_wait, mean_queue=lq, mean_wait=lq / a,
                   mean_in_system=lq + a, utilization=a / c,
                   mean_response_time=lq / a + 1)
    for name, r in ref.items():
        got = getattr(q, name)
        if r >= np.finfo(float).tiny:
            assert rel_err(got, r) <= TOL, name
        else:
            assert got < np.finfo(float).tiny, name
    for t in (0.0, 0.5, 30.0):
        with mp.workdps(60):
            sl = 1 - p_wait * mp.exp(-(c - a) * t)
        assert rel_err(q.service_level(t), sl) <= TOL


def test_unstable_limits():
    for a in (2.0, 2.5, 1e300):
        q = qm.MMc(a, 1.0, 2)
        assert_equal(q.p_wait, 1.0)
        assert_equal(q.log_p_wait, 0.0)
        assert_equal(q.mean_queue, np.inf)
        assert_equal(q.mean_wait, np.inf)
        assert_equal(q.mean_response_time, np.inf)
        assert_equal(q.mean_in_system, np.inf)
        assert_equal(q.utilization, 1.0)
        assert_equal(q.service_level(10.0), 0.0)
    assert_equal(qm.erlang_c([1, 5], [1.0, 7.0]), [1.0, 1.0])


def test_exact_small_cases():
    # c = 2, A = 1: B = 1/5, C = 2B/(2 - 1 + B) = 1/3 (hand derivation).
    assert rel_err(qm.erlang_c(2, 1.0), mp.mpf(1) / 3) <= 1e-15
    # c = 1: C = rho (M/M/1).
    for rho in (1e-300, 0.25, 0.999999):
        assert rel_err(qm.erlang_c(1, rho), rho) <= TOL
    q = qm.MMc(0.5, 1.0, 1)   # M/M/1, rho = 1/2: Lq = rho^2/(1-rho) = 1/2
    assert rel_err(q.mean_queue, 0.5) <= 1e-15
    assert rel_err(q.mean_response_time, 2.0) <= 1e-15
    assert_equal(qm.erlang_c(4, 0.0), 0.0)
    assert_equal(qm.log_erlang_c(4, 0.0), -np.inf)
    z = qm.MMc(0.0, 1.0, 3)
    assert_equal([z.mean_queue, z.mean_wait, z.p_wait], [0.0, 0.0, 0.0])


@given(st.integers(1, 10**6), st.floats(0, 2e6))
def test_erlang_c_is_a_probability_and_above_b(servers, load):
    cc = qm.erlang_c(servers, load)
    assert 0.0 <= cc <= 1.0
    if load < servers:
        assert qm.log_erlang_c(servers, load) >= qm.log_erlang_b(servers, load) - 1e-15


@given(st.integers(1, 1000), st.floats(0.001, 0.999))
def test_mmc_littles_law(servers, rho):
    q = qm.MMc(rho * servers, 2.0, servers)
    assert rel_err(q.mean_queue, q.arrival_rate * q.mean_wait) <= TOL or q.mean_queue < 1e-300
    assert rel_err(q.mean_in_system, q.arrival_rate * q.mean_response_time) <= TOL
    assert 0.0 <= q.service_level(0.0) <= q.service_level(1.0) <= 1.0


def test_shapes_and_keywords():
    q = qm.MMc(arrival_rate=[[1.0], [2.0]], service_rate=1.0, servers=[3, 4, 5])
    assert q.p_wait.shape == (2, 3)
    assert q.service_level(np.array([0.0, 1.0, 2.0])).shape == (2, 3)
    assert np.ndim(qm.erlang_c(servers=3, offered_load=1.0)) == 0
    assert qm.log_erlang_c(servers=3, offered_load=1.0) < 0
