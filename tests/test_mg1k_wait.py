"""Waiting- and response-time laws of M/G/1/K (issue 15): the constant
service's closed form against an mpmath integral of the law admitted
arrivals see and against Erlang's M/D/1 formula, the Erlang service's chain
of phases against a dense chain of (number, phase) at 50 digits, the
exponential law against M/M/1/K, and the variances of any law."""
import numpy as np
import pytest
from scipy import integrate, stats

import queuemath as qm
from mpref import (log_err, md1_wait_cdf, md1k_wait_moments, md1k_wait_tail, mek1k, rel_err)

MG1K = qm.MG1K


@pytest.mark.parametrize("lam, k", [(0.9, 10), (1.0, 8), (1.0 + 1e-9, 8), (1.0 - 1e-9, 8),
                                    (5.0, 12), (0.05, 15), (0.99, 20)])
@pytest.mark.parametrize("frac", [0.0, 0.5, 0.999])
def test_constant_service_tail_against_mpmath(lam, k, frac):
    t = frac * (k - 1)                            # the waits end by (K - 1) D
    q = MG1K(lam, k, service_time=1.0)
    ref = md1k_wait_tail(lam, 1.0, k, t)
    assert rel_err(float(q.wait_sf(t)), ref) <= 2e-12
    assert rel_err(float(q.wait_cdf(t)), 1 - ref) <= 2e-12


def test_constant_service_far_tail_in_logs():
    # rho = 1e-11: the tail near the longest wait is ~1e-300 and beyond; the
    # law left by departures underflows, so its logs come from the recursion
    lam, k = 1e-11, 30
    q = MG1K(lam, k, service_time=1.0)
    for t in (27.6,):
        ref = md1k_wait_tail(lam, 1.0, k, t)
        assert ref < 1e-300
        assert log_err(float(q.log_wait_sf(t)), mp_log(ref)) <= 1e-13


def mp_log(x):
    import mpmath as mp
    return mp.log(x)


@pytest.mark.parametrize("t", [0.3, 1.0, 1.5, 4.2, 9.7])
def test_long_queue_is_erlangs_md1(t):
    # rho = 0.5 and K = 200: what the capacity cuts off is below 1e-40
    q = MG1K(0.5, 200, service_time=1.0)
    assert rel_err(float(q.wait_cdf(t)), md1_wait_cdf(0.5, 1.0, t)) <= 1e-12


def test_low_cdf_from_positive_terms():
    # rho = 5: nearly everyone waits about (K - 1) D; P(W <= t) far below 1
    # early on is not 1 minus a tail near 1
    q = MG1K(5.0, 12, service_time=1.0)
    for t in (0.0, 0.4, 3.5, 9.0):
        ref = 1 - md1k_wait_tail(5.0, 1.0, 12, t)
        assert ref < 1e-3
        assert rel_err(float(q.wait_cdf(t)), ref) <= 1e-11


@pytest.mark.parametrize("lam, shape, k", [(0.9, 3, 10), (1.0, 2, 6), (4.0, 4, 8),
                                           (0.2, 5, 12)])
def test_erlang_service_against_dense_chain(lam, shape, k):
    law = stats.gamma(shape, scale=1.0 / shape)      # mean 1
    q = MG1K(lam, k, service_time=law)
    for t in (0.0, 0.4, 2.5, 3.0 * k):
        tail, blocking, m1, m2 = mek1k(lam, shape, float(shape), k, t)
        assert rel_err(float(q.wait_sf(t)), tail) <= 1e-12
        resp = mek1k(lam, shape, float(shape), k, t, response=True)[0]
        assert abs(float(q.response_time_cdf(t)) - (1 - float(resp))) <= 1e-14
    assert rel_err(q.blocking, blocking) <= 1e-12
    assert rel_err(q.var_wait, m2 - m1 ** 2) <= 1e-11
    assert rel_err(q.mean_wait, m1) <= 1e-12


@pytest.mark.parametrize("lam, k", [(0.9, 10), (3.0, 25), (1.0, 40)])
def test_exponential_service_time_laws_are_mm1k(lam, k):
    q, m = MG1K(lam, k, service_time=stats.expon()), qm.MM1K(lam, 1.0, k)
    t = np.array([0.0, 0.5, 3.0, 40.0])
    np.testing.assert_allclose(q.wait_sf(t), m.wait_sf(t), rtol=1e-13)
    np.testing.assert_allclose(q.response_time_cdf(t), m.response_time_cdf(t), rtol=1e-13)
    for name in ("var_wait", "var_in_system", "var_queue"):
        assert rel_err(getattr(q, name), getattr(m, name)) <= 1e-11, name


@pytest.mark.parametrize("lam, k", [(0.9, 10), (1.0, 6), (3.0, 9), (0.3, 12)])
def test_constant_service_moments_against_mpmath(lam, k):
    q = MG1K(lam, k, service_time=1.0)
    m1, m2 = md1k_wait_moments(lam, 1.0, k)
    assert rel_err(q.mean_wait, m1) <= 1e-12          # Little's law, another route
    assert rel_err(q.var_wait, m2 - m1 ** 2) <= 1e-11


class _Hidden:
    """A law under another name: MG1K takes its quadrature route."""

    def __init__(self, law):
        self.law = law

    def __getattr__(self, name):
        return getattr(self.law, name)


@pytest.mark.parametrize("lam, k", [(0.9, 10), (2.0, 30)])
def test_quadrature_law_variance_matches_closed_form(lam, k):
    law = stats.gamma(3, scale=1 / 3)
    q, h = MG1K(lam, k, service_time=law), MG1K(lam, k, service_time=_Hidden(law))
    assert rel_err(h.var_wait, q.var_wait) <= 1e-9


@pytest.mark.parametrize("law", [1.0, stats.gamma(3, scale=1 / 3)])
@pytest.mark.parametrize("lam, k", [(0.9, 10), (1.0, 30), (4.0, 12), (0.1, 8)])
def test_quantile_round_trip(law, lam, k):
    q = MG1K(lam, k, service_time=law)
    p = np.array([0.5, 0.9, 0.95, 0.99, 0.999])
    t = q.wait_quantile(p)
    w0 = 1 - float(q.wait_sf(0.0))
    expect = np.where(p <= w0, w0, p)      # 0 where that many never wait
    np.testing.assert_allclose(np.where(t > 0, q.wait_cdf(t), w0), expect, rtol=1e-11)
    r = q.response_time_quantile(p)
    # a constant service keeps the atom: T = D for everyone who does not wait
    np.testing.assert_allclose(q.response_time_cdf(r), expect if law == 1.0 else p, rtol=1e-11)


def test_constant_service_longest_wait():
    q = MG1K(0.9, 10, service_time=2.0)
    assert q.wait_quantile(1.0) == 18.0                # (K - 1) D
    assert q.response_time_quantile(1.0) == 20.0
    assert float(q.wait_sf(18.0)) == 0.0 and float(q.wait_cdf(18.0)) == 1.0
    assert np.isinf(MG1K(0.9, 10, service_time=stats.gamma(2)).wait_quantile(1.0))


def test_nobody_waits():
    q = MG1K(0.9, 1, service_time=1.0)
    assert q.wait_quantile(0.99) == 0.0 and float(q.wait_cdf(0.0)) == 1.0
    assert q.response_time_quantile(0.5) == 1.0


def test_broadcasts_over_parameters_and_times():
    q = MG1K(np.array([[0.5], [0.9]]), np.array([5, 10, 20]), service_time=1.0)
    t = q.wait_sf(1.5)
    assert t.shape == (2, 3)
    for i, lam in enumerate((0.5, 0.9)):
        for j, k in enumerate((5, 10, 20)):
            assert t[i, j] == pytest.approx(float(MG1K(lam, k, service_time=1.0).wait_sf(1.5)),
                                            rel=1e-15)
    assert q.wait_quantile(np.array([0.5, 0.9, 0.99])[:, None, None]).shape == (3, 2, 3)


def test_variance_by_integrating_the_tail():
    q = MG1K(1.3, 15, service_time=stats.gamma(2, scale=0.5))
    m1 = integrate.quad(lambda t: float(q.wait_sf(t)), 0, 80, limit=200)[0]
    m2 = integrate.quad(lambda t: 2 * t * float(q.wait_sf(t)), 0, 80, limit=200)[0]
    assert m1 == pytest.approx(q.mean_wait, rel=1e-9)
    assert m2 - m1 ** 2 == pytest.approx(q.var_wait, rel=1e-8)


def test_other_laws_say_what_is_missing():
    q = MG1K(0.9, 10, service_time=stats.lognorm(s=1.0, scale=0.6))
    for call in (lambda: q.wait_sf(1.0), lambda: q.wait_quantile(0.9),
                 lambda: q.response_time_cdf(1.0)):
        with pytest.raises(ValueError, match="service_time.*lognorm"):
            call()
    assert np.isfinite(q.var_wait) and q.var_wait > 0      # the moments hold for any law
    with pytest.raises(ValueError, match="t"):
        MG1K(0.9, 10, service_time=1.0).wait_sf(-1.0)
    with pytest.raises(ValueError, match="p"):
        MG1K(0.9, 10, service_time=1.0).wait_quantile(1.5)


@pytest.mark.parametrize("law", [1.0, stats.gamma(3, scale=1 / 3)], ids=["D", "E3"])
def test_wait_law_against_simulation(law):
    # the general FIFO engine measures every admitted customer's wait;
    # crosscheck compares the law at its own 50/95/99 % quantiles.  99.99 %
    # intervals over at most 14 rows: false failure below 1.4e-3 per law.
    q = MG1K(0.95, 8, service_time=law)
    cc = qm.crosscheck(q, arrivals=400_000, seed=15, confidence=0.9999)
    waits = [r for r in cc.rows if r["quantity"].startswith("wait_cdf(")]
    assert len(waits) == 3
    assert cc.all_covered, cc
