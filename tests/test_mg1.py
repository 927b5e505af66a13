"""M/G/1 (issue 16): Pollaczek-Khinchine and Takacs against M/M/1 and the
exact M/G/1/K chain with a long queue, the inverted waiting-time law against
M/M/1's exponential law, Erlang's M/D/1 formula and the exact M/E_2/1/K law,
and simulation."""
import numpy as np
import pytest
from scipy import stats

import queuemath as qm
from mpref import md1_wait_cdf, rel_err


@pytest.mark.parametrize("lam", [0.3, 0.8, 0.95])
def test_exponential_service_is_mm1(lam):
    q, m = qm.MG1(lam, service_time=stats.expon()), qm.MMc(lam, 1.0, 1)
    for name in ("mean_wait", "mean_queue", "mean_in_system", "mean_response_time", "p_wait",
                 "var_wait"):
        assert rel_err(getattr(q, name), getattr(m, name)) <= 1e-13, name
    t = np.array([0.05, 0.5, 2.0, 10.0, 40.0])
    # the inversion's error is absolute, ~1e-10 (module notes of the transform kernel)
    np.testing.assert_allclose(q.wait_sf(t), m.wait_sf(t), rtol=0, atol=2e-10)
    np.testing.assert_allclose(q.response_time_cdf(t), m.response_time_cdf(t), rtol=0, atol=2e-10)


@pytest.mark.parametrize("lam", [0.5, 0.9])
@pytest.mark.parametrize("t", [0.3, 1.0, 1.5, 4.2, 9.7])
def test_constant_service_is_erlangs_md1(lam, t):
    q = qm.MG1(lam, service_time=1.0)
    assert rel_err(float(q.wait_cdf(t)), md1_wait_cdf(lam, 1.0, t)) <= 1e-12


@pytest.mark.parametrize("law", [1.0, stats.gamma(2, scale=0.5)], ids=["D", "E2"])
@pytest.mark.parametrize("lam", [0.5, 0.9])
def test_against_the_exact_chain_with_a_long_queue(law, lam):
    # M/G/1/K with K so large that fewer than 1e-18 find it full is M/G/1
    k = 64
    while qm.MG1K(lam, k, service_time=law).blocking > 1e-18:
        k *= 2
    ref = qm.MG1K(lam, k, service_time=law)
    q = qm.MG1(lam, service_time=law)
    assert rel_err(q.mean_wait, ref.mean_wait) <= 1e-12
    assert rel_err(q.var_wait, ref.var_wait) <= 1e-10
    t = np.array([0.2, 1.0, 3.0, 12.0])
    np.testing.assert_allclose(q.wait_sf(t), ref.wait_sf(t), rtol=0, atol=1e-9)


@pytest.mark.parametrize("law", [1.0, stats.gamma(2, scale=0.5), stats.lognorm(s=0.8, scale=0.7)],
                         ids=["D", "E2", "lognorm"])
def test_quantile_round_trip(law):
    q = qm.MG1(0.7, service_time=law)
    p = np.array([0.1, 0.5, 0.9, 0.99])
    t = q.wait_quantile(p)
    no_wait = 1 - q.p_wait
    assert np.all(t[p <= no_wait] == 0)
    np.testing.assert_allclose(q.wait_cdf(t[p > no_wait]), p[p > no_wait], atol=1e-9)
    r = q.response_time_quantile(p)
    # a constant service keeps the atom: T = D for the share 1 - rho who never wait
    expect = np.maximum(p, no_wait) if law == 1.0 else p
    np.testing.assert_allclose(q.response_time_cdf(r), expect, atol=1e-9)


def test_lognormal_against_simulation():
    # 99.99 % intervals over at most 10 rows: false failure below 1e-3
    cc = qm.crosscheck(qm.MG1(0.7, service_time=stats.lognorm(s=0.8, scale=0.7)),
                       arrivals=400_000, seed=23, confidence=0.9999)
    assert any(r["quantity"].startswith("wait_cdf(") for r in cc.rows)
    assert cc.all_covered, cc


def test_unstable_and_bad_input():
    q = qm.MG1(1.2, service_time=1.0)
    assert np.isinf(q.mean_wait) and q.p_wait == 1.0 and q.throughput == 1.0
    assert q.wait_sf(5.0) == 1.0 and np.isinf(q.wait_quantile(0.5))
    with pytest.raises(ValueError, match="arrival_rate"):
        qm.MG1(-1.0, service_time=1.0)
    with pytest.raises(ValueError, match="service_time"):
        qm.MG1(1.0, service_time=stats.pareto(1.5))        # no finite second moment
    with pytest.raises(ValueError, match="p"):
        qm.MG1(0.5, service_time=1.0).wait_quantile(2.0)
