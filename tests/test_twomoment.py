"""The two-moment M/G/c/K approximation: its exact cases, its measured error
against the exact M/G/1/K and against simulation, and its numerics."""
import warnings

import numpy as np
import pytest
from scipy import stats

import queuemath as qm
from queuemath.twomoment import MGcKApprox

LOGNORMAL2 = stats.lognorm(s=np.sqrt(np.log(3.0)), scale=np.exp(-np.log(3.0) / 2))   # scv 2


def test_exponential_service_is_mmck():
    lam = np.array([0.01, 2.0, 5.0, 5.0 * (1 + 1e-9), 9.0, 40.0])
    for c, k in [(1, 1), (1, 12), (5, 5), (5, 9), (5, 5000)]:
        q, e = MGcKApprox(lam, 1.0, c, k, service_scv=1.0), qm.MMcK(lam, 1.0, c, k)
        np.testing.assert_allclose(q.log_blocking, e.log_blocking, rtol=1e-12, atol=1e-13)
        np.testing.assert_allclose(q.mean_queue, e.mean_queue, rtol=1e-11, atol=1e-300)
        # 1 - p_K taken from log p_K: a few hundred ulps where p_K is near 1
        np.testing.assert_allclose(q.throughput, e.throughput, rtol=1e-12)


@pytest.mark.parametrize("scv", [0.0, 0.5, 4.0])
def test_no_waiting_room_is_erlang_b(scv):
    a = np.array([0.3, 4.0, 50.0])
    np.testing.assert_allclose(MGcKApprox(a, 1.0, 7, 7, service_scv=scv).blocking, qm.erlang_b(7, a),
                               rtol=1e-13)


@pytest.mark.parametrize("law, scv, bound", [(1.0, 0.0, 0.08), (stats.gamma(2.0, scale=0.5), 0.5, 0.05),
                                              (LOGNORMAL2, 2.0, 0.2)])
def test_single_server_error_against_exact_mg1k(law, scv, bound):
    """The error the docstring states for c = 1, blocking >= 1e-2 (rho 0.5
    to 2, K 2 to 20), measured here against the exact embedded chain."""
    rho = np.array([0.5, 0.8, 0.9, 1.0, 1.1, 1.2, 1.5, 2.0])[:, None]
    k = np.array([2, 3, 4, 6, 11, 20])
    exact = qm.MG1K(rho, k, service_time=law).blocking
    got = MGcKApprox(rho, 1.0, 1, k, service_scv=scv).blocking
    worst = np.max(np.abs(got / exact - 1), where=exact >= 1e-2, initial=0.0)
    assert 0 < worst < bound


def test_multi_server_error_against_simulation():
    """c = 5, K = 8, rho = 0.9 (off the benchmark's grid), lognormal scv 2:
    within the docstring's worst case for scv <= 2 (52%) of the simulated
    blocking, interval included (99.99%: a false failure has chance < 1e-4
    beyond the approximation's own error)."""
    lam, c, k = 4.5, 5, 8
    model = MGcKApprox(lam, servers=c, capacity=k, service_time=LOGNORMAL2)
    # simulate() runs the law itself on the FIFO engine
    sim = qm.simulate(model, arrivals=400_000, seed=77, confidence=0.9999)
    got = model.blocking
    assert sim.blocking.low * 0.48 < got < sim.blocking.high * 1.52


def test_more_variable_service_blocks_more_in_heavy_traffic():
    b = [float(MGcKApprox(9.5, 1.0, 10, 14, service_scv=s).blocking) for s in (0.0, 0.5, 1.0, 2.0, 4.0)]
    assert np.all(np.diff(b) > 0)


def test_extremes_are_finite():
    rng = np.random.default_rng(3)
    n = 3000
    c = np.floor(10 ** rng.uniform(0, 6, n))
    k = c + np.floor(10 ** rng.uniform(0, 7, n)) * (rng.uniform(size=n) < 0.9)
    lam = c * 10 ** rng.uniform(-4, 2, n)
    scv = 10 ** rng.uniform(-3, 2, n)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        q = MGcKApprox(lam, 1.0, c, k, service_scv=scv)
        for name in ("blocking", "log_blocking", "throughput", "utilization", "mean_queue",
                     "mean_in_system", "mean_wait"):
            v = getattr(q, name)
            assert not np.isnan(v).any(), name
            assert np.isfinite(v).all() or name == "log_blocking", name
        assert ((q.blocking >= 0) & (q.blocking <= 1)).all()
        assert (q.mean_queue >= 0).all() and (q.mean_queue <= k - c + 1e-9 * k).all()
    assert MGcKApprox(0.0, 1.0, 3, 6, service_scv=0.5).blocking == 0.0


def test_from_distribution_and_repr():
    q = MGcKApprox.from_distribution(3.0, 2, 6, service_time=stats.gamma(4.0, scale=0.5))
    assert q.service_rate == 0.5 and q.service_scv == pytest.approx(0.25)
    assert repr(q) == ("MGcKApprox(arrival_rate=3.0, servers=2, capacity=6, "
                       "service_time=gamma(4.0, scale=0.5))")
    same = MGcKApprox(3.0, 0.5, 2, 6, service_scv=0.25)
    assert abs(q.blocking / same.blocking - 1) < 1e-12
    assert repr(same) == ("MGcKApprox(arrival_rate=3.0, service_rate=0.5, servers=2, "
                          "capacity=6, service_scv=0.25)")
    with pytest.raises(ValueError, match="finite variance"):
        MGcKApprox.from_distribution(1.0, 2, 4, service_time=stats.pareto(1.5))
    with pytest.raises(ValueError, match="not both"):
        MGcKApprox(1.0, 1.0, 2, 4, service_time=1.0)
    with pytest.raises(ValueError, match="service_rate with service_scv"):
        MGcKApprox(1.0, 1.0, 2, 4)
    with pytest.raises(TypeError):                 # the scv is keyword only
        MGcKApprox(1.0, 1.0, 2, 4, 0.5)


@pytest.mark.parametrize("call, words", [
    (lambda: MGcKApprox(1.0, 1.0, 2, 4, service_scv=-0.5), "service_scv"),
    (lambda: MGcKApprox(1.0, 1.0, 3, 2, service_scv=0.5), "capacity must be >= servers"),
    (lambda: MGcKApprox(1.0, 0.0, 3, 4, service_scv=0.5), "service_rate"),
])
def test_bad_input(call, words):
    with pytest.raises(ValueError, match=words):
        call()
