"""Inverses: exact at integer boundaries and round trips of the forward forms."""
import numpy as np
import pytest
from hypothesis import given, strategies as st

import queuemath as qm
from mpref import erlang_b_logs, mmck, rel_err


@pytest.mark.parametrize("load, target", [
    (10.0, 0.05), (0.0, 0.5), (1e-300, 2e-300), (1e-300, 5e-301), (100.0, 0.01), (1e4, 1e-6),
    (1e6, 0.01), (1e6, 1e-300), (170.5, 0.02), (3.0, 0.999)])
def test_erlang_b_servers_boundary_exact(load, target):
    c = int(qm.erlang_b_servers(load, target_blocking=target))
    if load == 0:
        assert c == 1
        return
    # Checked with mpmath, not with the function being inverted.
    assert erlang_b_logs(c, load)[0] <= np.log(target)
    if c > 1:
        assert erlang_b_logs(c - 1, load)[0] > np.log(target)


@given(st.floats(0, 1e5), st.floats(1e-12, 0.9))
def test_erlang_b_servers_property(load, target):
    c = qm.erlang_b_servers(load, target_blocking=target)
    assert qm.erlang_b(c, load) <= target
    assert c == 1 or qm.erlang_b(c - 1, load) > target


@given(st.floats(0, 1e5), st.floats(1e-12, 0.9))
def test_erlang_c_servers_property(load, target):
    c = qm.erlang_c_servers(load, target_p_wait=target)
    assert c > load and qm.erlang_c(c, load) <= target
    assert c == 1 or qm.erlang_c(c - 1, load) > target


@given(st.integers(1, 10**6), st.floats(1e-200, 0.999))
def test_erlang_b_load_round_trip(servers, target):
    a = qm.erlang_b_load(servers, target_blocking=target)
    # B changes with A at rate (c - A(1-B)) in log-log terms; a root correct
    # to a few ulps gives B to that many ulps times this slope, and
    # erlang_b itself is exp(log B), which carries |log B| ulps.
    slope = servers - a * (1 - target)
    # 32 ulps: where the slope is ~1 (A just above c) the search's bracket
    # is set by log B's own rounding, ~10 ulps of B (68940 servers, B =
    # 0.238: 18 ulps, found by hypothesis)
    budget = 32 * 1.1e-16 * (max(1.0, slope) + abs(np.log(target)))
    assert rel_err(qm.erlang_b(servers, a), target) <= budget


def test_erlang_b_load_known_value():
    # Erlang B tables: 15 circuits at 10 erlang lose 3.65 %.
    assert abs(qm.erlang_b_load(15, target_blocking=0.0364969454723708) - 10.0) < 1e-9


@given(st.floats(0, 50), st.floats(0.01, 2.0), st.floats(1e-9, 0.5), st.integers(1, 20))
def test_min_capacity_property(lam, mu, target, servers):
    a = lam / mu
    if a > servers and target <= (a - servers) / a:
        with pytest.raises(ValueError, match="target_blocking"):
            qm.min_capacity(lam, mu, servers, target_blocking=target)
        return
    k = qm.min_capacity(lam, mu, servers, target_blocking=target)
    assert k >= servers
    assert qm.MMcK(lam, mu, servers, k).blocking <= target
    assert k == servers or qm.MMcK(lam, mu, servers, k - 1).blocking > target


def test_min_capacity_hand_value_and_vector():
    # M/M/1/K at rho = 0.9: p_22 = 0.0108 > 0.01 >= p_23 = 0.00963.
    assert qm.min_capacity(0.9, 1.0, target_blocking=0.01) == 23
    ks = qm.min_capacity([0.5, 0.9, 1.0], 1.0, 1, target_blocking=0.0101)
    assert ks.dtype == np.int64 and ks.shape == (3,)
    # rho = 1: p_K = 1/(K+1): 1/100 <= 0.0101 < 1/99.
    assert ks[2] == 99
    assert qm.min_capacity(arrival_rate=1.0, service_rate=1.0,
                           target_blocking=1.0000001e-6) == 999999


def test_min_capacity_infeasible_names_the_floor():
    with pytest.raises(ValueError, match="floor 1 - 1/rho"):
        qm.min_capacity(2.0, 1.0, 1, target_blocking=0.4)    # floor is 0.5


def test_servers_too_many_is_an_error():
    with pytest.raises(ValueError, match="2\\*\\*53"):
        qm.erlang_b_servers(1e300, target_blocking=0.5)


def test_vectorised_inverses():
    c = qm.erlang_b_servers(np.array([[1.0], [10.0]]), target_blocking=[0.1, 0.01])
    assert c.shape == (2, 2) and c.dtype == np.int64
    assert np.all(np.diff(c, axis=1) >= 0)
    a = qm.erlang_b_load([1, 2, 10], target_blocking=0.1)
    assert a.shape == (3,) and np.all(np.diff(a) > 0)
    assert qm.erlang_c_servers(offered_load=10.0, target_p_wait=0.2) == 14
    assert qm.erlang_b_servers(offered_load=10.0, target_blocking=0.05) == 15


# -- issue 8: load inverse for M/M/c/K, frontier, sensitivities ----------------

@pytest.mark.parametrize("mu, c, k, target", [
    (1.0, 1, 10, 0.0508137313274124), (2.0, 4, 12, 1e-3), (0.5, 10, 10, 0.01),
    (1.0, 170, 171, 1e-6), (1.0, 1, 1, 1e-300), (3.0, 5, 60, 0.2)])
def test_max_arrival_rate_round_trip(mu, c, k, target):
    lam = qm.max_arrival_rate(mu, c, k, target_blocking=target)
    ref = mmck(lam, mu, c, k)["blocking"]          # mpmath at the root found
    slope = k - float(mmck(lam, mu, c, k)["mean_in_system"])
    assert rel_err(float(ref), target) <= 8 * 1.1e-16 * (max(1.0, slope) + abs(np.log(target)))


def test_max_arrival_rate_is_the_largest():
    lam = qm.max_arrival_rate(1.0, 2, 6, target_blocking=0.05)
    assert qm.MMcK(lam * (1 - 1e-9), 1.0, 2, 6).blocking <= 0.05
    assert qm.MMcK(lam * (1 + 1e-9), 1.0, 2, 6).blocking > 0.05


def test_capacity_frontier():
    f = qm.capacity_frontier(3.0, 1.0, [2, 3, 4, 6, 8], target_blocking=1e-3)
    assert f.feasible.tolist() == [False, True, True, True, True]
    assert f["capacity"].isna().tolist() == [True, False, False, False, False]
    assert str(f["capacity"].dtype) == "Int64"          # integers, not floats
    for c, k in zip(f.servers[1:], f.capacity[1:]):
        assert qm.MMcK(3.0, 1.0, c, int(k)).blocking <= 1e-3
        assert int(k) == c or qm.MMcK(3.0, 1.0, c, int(k) - 1).blocking > 1e-3
    assert np.all(np.diff(f.waiting_places[1:].to_numpy(dtype=float)) <= 0)   # more workers, less backlog


def test_capacity_frontier_broadcasts_over_arrival_rates():
    # the user's case: a range of arrival rates against a few worker counts
    f = qm.capacity_frontier([[1.0], [3.0]], 1.0, [2, 4], target_blocking=1e-3)
    assert len(f) == 4 and f.arrival_rate.tolist() == [1.0, 1.0, 3.0, 3.0]
    for _, row in f.iterrows():
        expect = qm.min_capacity(row.arrival_rate, 1.0, row.servers, target_blocking=1e-3) \
            if row.feasible else None
        assert (row.capacity if row.feasible else None) == expect


@pytest.mark.parametrize("lam, mu, c, k", [(0.9, 1.0, 1, 10), (3.2, 1.0, 4, 8), (7.0, 1.0, 10, 10),
                                           (50.0, 2.0, 20, 40), (1e-3, 1.0, 2, 3)])
def test_blocking_sensitivity_matches_mpmath_derivative(lam, mu, c, k):
    import mpmath as mp
    s = qm.blocking_sensitivity(lam, mu, c, k)
    with mp.workdps(40):
        exact = mp.diff(lambda x: mmck(x, mu, c, k)["blocking"], mp.mpf(lam))
    assert rel_err(s.d_arrival_rate, exact) <= 1e-12
    base = qm.MMcK(lam, mu, c, k).blocking
    # one more place is a product (exact); one more server the difference
    exact_place = mmck(lam, mu, c, k + 1)["blocking"] - mmck(lam, mu, c, k)["blocking"]
    assert rel_err(s.one_more_place, exact_place) <= 1e-13
    assert s.one_more_server == qm.MMcK(lam, mu, c + 1, k + 1).blocking - base
    assert s.one_more_place < 0 and s.one_more_server < 0


def test_sensitivity_at_zero_load():
    assert qm.blocking_sensitivity(0.0, 2.0, 1, 1).d_arrival_rate == 0.5
    assert qm.blocking_sensitivity(0.0, 2.0, 1, 3).d_arrival_rate == 0.0


@pytest.mark.parametrize("call, match", [
    (lambda: qm.max_arrival_rate(1.0, 3, 2, target_blocking=0.1), "capacity must be >= servers"),
    (lambda: qm.max_arrival_rate(0.0, 1, 2, target_blocking=0.1), "service_rate"),
    (lambda: qm.max_arrival_rate(1.0, 1, 2, target_blocking=1.0), "target_blocking"),
    (lambda: qm.capacity_frontier(1.0, 1.0, [0, 1], target_blocking=0.1), "servers"),
])
def test_issue8_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()


@pytest.mark.parametrize("load, target", [(10.0, 0.05), (1.0, 0.01), (100.0, 0.01), (1e4, 1e-6),
                                          (0.5, 0.3)])
def test_continuous_servers_root(load, target):
    x = qm.erlang_b_servers(load, target_blocking=target, continuous=True)
    c = qm.erlang_b_servers(load, target_blocking=target)
    assert c - 1 < x <= c
    assert rel_err(qm.erlang_b(x, load, continuous=True), target) <= 1e-12
