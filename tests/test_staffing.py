"""Staffing for time targets (issue 15): the searches against brute force
over the forward functions the models report."""
import numpy as np
import pytest

import queuemath as qm


def _first(ok, start=1):
    n = start
    while not ok(n):
        n += 1
    return n


@pytest.mark.parametrize("lam, mu, t, level", [
    (100 / 1800, 1 / 180, 20.0, 0.8), (10.0, 1.0, 0.1, 0.9), (0.5, 1.0, 0.0, 0.3),
    (95.0, 1.0, 0.05, 0.99), (1e-3, 1.0, 1.0, 0.999), (170.0, 1.0, 0.01, 0.95),
])
def test_service_level_staffing_is_the_smallest_that_meets_the_target(lam, mu, t, level):
    c = qm.servers_for_service_level(lam, mu, target_time=t, target_level=level)
    assert c == _first(lambda n: n > lam / mu and qm.MMc(lam, mu, n).wait_cdf(t) >= level)


def test_pyworkforce_example():
    # 100 calls per 30 min, 3 min each, 80 % within 20 s: 14 agents (0.8884)
    assert qm.servers_for_service_level(100 / 1800, 1 / 180, target_time=20.0,
                                        target_level=0.8) == 14


@pytest.mark.parametrize("theta", [1 / 300, 0.2, 5.0])
def test_with_patience_it_is_erlang_a_service_level(theta):
    lam, mu, t, level = 9.0, 1.0, 0.2, 0.85
    c = qm.servers_for_service_level(lam, mu, target_time=t, target_level=level,
                                     patience_rate=theta)
    assert c == _first(lambda n: qm.ErlangA(lam, mu, n, patience_rate=theta)
                       .service_level(t) >= level)


@pytest.mark.parametrize("lam, mu, target", [(10 / 180, 1 / 180, 20.0), (3.9, 1.0, 0.5),
                                             (950.0, 1.0, 1e-3), (0.0, 1.0, 1.0)])
def test_mean_wait_staffing(lam, mu, target):
    c = qm.servers_for_mean_wait(lam, mu, target_wait=target)
    assert c == _first(lambda n: n > lam / mu and qm.MMc(lam, mu, n).mean_wait <= target)


def test_staffing_broadcasts_and_names_bad_input():
    c = qm.servers_for_service_level(np.array([5.0, 10.0, 20.0]), 1.0, target_time=0.5,
                                     target_level=np.array([[0.8], [0.95]]))
    assert c.shape == (2, 3) and np.all(np.diff(c, axis=1) > 0) and np.all(c[1] >= c[0])
    with pytest.raises(ValueError, match="target_level"):
        qm.servers_for_service_level(5.0, 1.0, target_time=1.0, target_level=1.0)
    with pytest.raises(ValueError, match="target_time"):
        qm.servers_for_service_level(5.0, 1.0, target_time=-1.0, target_level=0.8)
    with pytest.raises(ValueError, match="target_wait"):
        qm.servers_for_mean_wait(5.0, 1.0, target_wait=0.0)
    with pytest.raises(ValueError, match="patience_rate"):
        qm.servers_for_service_level(5.0, 1.0, target_time=1.0, target_level=0.8,
                                     patience_rate=np.nan)


@pytest.mark.parametrize("lam, c, t, level", [(0.9, 1, 20.0, 0.99), (3.9, 4, 5.0, 0.95),
                                              (1.5, 1, 10.0, 0.9), (40.0, 40, 0.2, 0.99)])
def test_max_capacity_for_wait_is_the_last_within_budget(lam, c, t, level):
    k = qm.max_capacity_for_wait(lam, 1.0, c, target_time=t, target_level=level)
    assert qm.MMcK(lam, 1.0, c, k).wait_quantile(level) <= t
    assert qm.MMcK(lam, 1.0, c, k + 1).wait_quantile(level) > t
    # every shorter queue meets the budget too (the percentile grows with K)
    qs = qm.MMcK(lam, 1.0, c, np.arange(c, k + 1)).wait_quantile(level)
    assert np.all(np.diff(qs) >= 0) and np.all(qs <= t)


def test_max_capacity_for_wait_without_limit():
    # below load 1 the M/M/1 p99 is log(rho/0.01)/(mu - lam) = 4.5 at rho 0.5:
    # every K meets a 20 s budget
    assert qm.max_capacity_for_wait(0.5, 1.0, target_time=20.0) == 2 ** 53
