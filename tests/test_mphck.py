"""M/PH/c/K by linear level reduction (issue 16): against a dense chain with
the servers told apart at 50 digits, M/M/c/K for exponential service, M/G/1/K
for one server, and simulation; the phase-type laws and their fits."""
import math

import mpmath as mp
import numpy as np
import pytest
from scipy import stats

import queuemath as qm
from mpref import log_err, mphck_levels, rel_err

PH = qm.PhaseType
LAWS = {
    "erlang2": PH.erlang(2, 1.0),
    "h2_scv4": PH.fit(1.0, 4.0),
    "mix_scv0.3": PH.fit(1.0, 0.3),
    "coxian": PH([0.7, 0.3, 0.0], [[-3.0, 1.0, 0.5], [0.2, -2.0, 1.0], [0.0, 0.0, -1.5]]),
}


# (law, lam, c, k), leaving out the pairs whose chain of told-apart servers
# ((phases + 1)^c states a level) is too big to solve at 50 digits here
DENSE = [(name, lam, c, k) for name in LAWS
         for lam, c, k in [(0.9, 1, 6), (2.5, 3, 6), (4.0, 2, 5), (0.3, 2, 4), (3.0, 3, 3)]
         if (LAWS[name].phases + 1) ** c <= 30]


@pytest.mark.parametrize("name, lam, c, k", DENSE)
def test_levels_against_dense_chain(name, lam, c, k):
    law = LAWS[name]
    ref = mphck_levels(lam, law.alpha.tolist(), law.T.tolist(), c, k)
    q = qm.MPHcK(lam, c, k, service_time=law)
    got = q.state_probabilities()
    for n in range(k + 1):
        assert rel_err(float(got[n]), ref[n]) <= 1e-13, n
    assert log_err(float(q.log_blocking), mp.log(ref[k])) <= 1e-13
    mean = mp.fsum(n * ref[n] for n in range(k + 1))
    assert rel_err(q.mean_in_system, mean) <= 1e-13
    assert rel_err(q.throughput, lam * (1 - ref[k])) <= 1e-13


@pytest.mark.parametrize("lam, c, k", [(3.0, 4, 10), (0.9, 1, 10), (9.9, 10, 200), (10.0, 10, 60),
                                       (2.0, 5, 5), (0.01, 3, 300), (170 * 0.95, 170, 400),
                                       (0.5, 2, 2000)])
def test_exponential_service_is_mmck(lam, c, k):
    q = qm.MPHcK(lam, c, k, service_time=PH.exponential(1.0))
    m = qm.MMcK(lam, 1.0, c, k)
    # each level's matrix carries a few ulps, and the levels multiply: the
    # error grows with K (2.7e-12 measured at c = 170, K = 400, load 0.95)
    tol = 1e-14 * (k + 10)
    for name in ("blocking", "p_wait", "p_empty", "throughput", "utilization", "mean_in_system",
                 "mean_queue", "mean_wait", "var_in_system", "var_queue"):
        assert rel_err(getattr(q, name), getattr(m, name)) <= tol, name
    assert log_err(q.log_blocking, m.log_blocking) <= tol


def test_scipy_exponential_and_erlang_are_taken_exactly():
    e = qm.MPHcK(2.0, 2, 8, service_time=stats.expon(scale=0.8))
    assert rel_err(e.blocking, qm.MMcK(2.0, 1.25, 2, 8).blocking) <= 1e-14
    g = qm.MPHcK(2.0, 2, 8, service_time=stats.gamma(3, scale=0.25))
    assert rel_err(g.blocking, qm.MPHcK(2.0, 2, 8, service_time=PH.erlang(3, 0.75)).blocking) <= 1e-15


@pytest.mark.parametrize("name", list(LAWS))
@pytest.mark.parametrize("lam, k", [(0.9, 10), (1.0, 30), (3.0, 12)])
def test_one_server_is_mg1k(name, lam, k):
    law = LAWS[name]
    q, g = qm.MPHcK(lam, 1, k, service_time=law), qm.MG1K(lam, k, service_time=law)
    for attr in ("blocking", "mean_in_system", "mean_wait", "var_in_system", "utilization"):
        assert rel_err(getattr(q, attr), getattr(g, attr)) <= 1e-12, attr


def test_rare_blocking_in_logs():
    # load 0.8 with 50 servers and room for 20000: p_K ~ e^-5867, far below
    # the smallest double; the level reduction settles after ~100 levels
    law = PH.fit(1.0, 0.5)
    q = qm.MPHcK(40.0, 50, 20000, service_time=law)
    assert q.blocking == 0.0 and np.isfinite(q.log_blocking)
    # the same configuration cut at 2000: p_K shrinks by the law's decay
    # rate per level, which is the same at every distance from K
    near = qm.MPHcK(40.0, 50, 2000, service_time=law).log_blocking
    far = qm.MPHcK(40.0, 50, 3000, service_time=law).log_blocking
    assert (q.log_blocking - near) / 18000 == pytest.approx((far - near) / 1000, rel=1e-9)
    # against the dense chain where both reach: a light load, 40 levels
    law2 = LAWS["h2_scv4"]
    ref = mphck_levels(0.02, law2.alpha.tolist(), law2.T.tolist(), 1, 40, dps=110)
    got = qm.MPHcK(0.02, 1, 40, service_time=law2).log_blocking
    assert ref[40] < mp.mpf("1e-40")
    assert log_err(got, mp.log(ref[40])) <= 1e-13


def test_broadcasts_point_by_point():
    law = LAWS["h2_scv4"]
    q = qm.MPHcK(np.array([[1.0], [3.0]]), [2, 4], 10, service_time=law)
    assert q.blocking.shape == (2, 2)
    for i, lam in enumerate((1.0, 3.0)):
        for j, c in enumerate((2, 4)):
            assert q.blocking[i, j] == qm.MPHcK(lam, c, 10, service_time=law).blocking
    assert qm.MPHcK(0.0, 2, 5, service_time=law).p_empty == 1.0


def test_against_simulation():
    # the general engine draws each service from the chain of phases; 99.99 %
    # intervals over at most 9 quantities: false failure below 9e-4
    q = qm.MPHcK(3.0, 4, 10, service_time=LAWS["h2_scv4"])
    cc = qm.crosscheck(q, arrivals=400_000, seed=16, confidence=0.9999)
    assert {"blocking", "mean_queue"} <= {r["quantity"] for r in cc.rows}
    assert cc.all_covered, cc


def test_bad_input_is_named():
    law = LAWS["erlang2"]
    for call, match in [
        (lambda: qm.MPHcK(-1.0, 2, 5, service_time=law), "arrival_rate"),
        (lambda: qm.MPHcK(1.0, 0, 5, service_time=law), "servers"),
        (lambda: qm.MPHcK(1.0, 3, 2, service_time=law), "capacity"),
        (lambda: qm.MPHcK(1.0, 2.5, 5, service_time=law), "servers"),
        (lambda: qm.MPHcK(1.0, 2, 5, service_time=stats.lognorm(1.0)), "service_time.*from_law"),
        (lambda: qm.MPHcK(1.0, 2, 5, service_time=1.0), "service_time"),
        (lambda: PH([0.5, 0.4], [[-1, 0], [0, -1]]), "alpha must sum to 1"),
        (lambda: PH([1.0], [[1.0]]), "T must be < 0 on the diagonal"),
        (lambda: PH([1.0, 0.0], [[-1.0, -0.5], [0.0, -1.0]]), r"T\[0, 1\]"),
        (lambda: PH([1.0, 0.0], [[-1.0, 2.0], [0.0, -1.0]]), "row 0"),
        (lambda: PH([1.0, 0.0], [[-1.0, 1.0], [1.0, -1.0]]), "singular"),
        (lambda: PH([1.0], [[-1.0, 0.0]]), "T must be a 1 x 1"),
    ]:
        with pytest.raises(ValueError, match=match):
            call()


# -- the phase-type laws ---------------------------------------------------------

def test_law_functions_against_closed_forms():
    e = PH.erlang(3, 1.5)                       # rate 2 per phase
    x = np.array([0.0, 0.4, 1.5, 6.0])
    g = stats.gamma(3, scale=0.5)
    np.testing.assert_allclose(e.sf(x), g.sf(x), rtol=1e-13)
    np.testing.assert_allclose(e.pdf(x), g.pdf(x), rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(e.cdf([1e-6, 0.01]), g.cdf([1e-6, 0.01]), rtol=1e-12)
    assert e.mean() == pytest.approx(1.5, rel=1e-15) and e.var() == pytest.approx(0.75, rel=1e-14)
    assert e.moment(3) == pytest.approx(g.moment(3), rel=1e-13)
    p = np.array([1e-20, 0.3, 0.99])
    np.testing.assert_allclose(e.ppf(p), g.ppf(p), rtol=1e-12)
    np.testing.assert_allclose(e.isf([1e-25, 0.5]), g.isf([1e-25, 0.5]), rtol=1e-12)


@pytest.mark.parametrize("scv", [0.02, 0.3, 0.5, 0.999, 1.0, 1.5, 4.0, 25.0])
def test_two_moment_fit_matches_both_moments(scv):
    law = PH.fit(2.5, scv)
    assert law.mean() == pytest.approx(2.5, rel=1e-13)
    assert law.var() / law.mean() ** 2 == pytest.approx(scv, rel=1e-12)
    assert law.fit_report["scv"] == pytest.approx(scv, rel=1e-12)


def test_fit_below_the_phase_budget_says_so():
    law = PH.fit(1.0, 0.001, max_phases=50)
    assert law.phases == 50 and law.fit_report["scv"] == pytest.approx(0.02, rel=1e-12)
    const = PH.from_law(2.0, max_phases=100)
    assert const.fit_report["cdf_gap"] > 0.4       # a step is no phase-type law


def test_fit_of_a_scipy_law_states_its_error():
    law = stats.lognorm(s=1.0, scale=0.6)
    ph = PH.from_law(law)
    assert ph.mean() == pytest.approx(law.mean(), rel=1e-12)
    rep = ph.fit_report
    x = law.ppf(np.linspace(1e-6, 1 - 1e-6, 400))
    assert rep["cdf_gap"] == pytest.approx(np.max(np.abs(ph.cdf(x) - law.cdf(x))), rel=1e-12)
    assert 0.01 < rep["cdf_gap"] < 0.5 and math.isfinite(rep["third_moment_error"])


def test_sampling_matches_the_law():
    # 200 000 draws against the CDF on a grid: by the Dvoretzky-Kiefer-Wolfowitz
    # inequality the gap exceeds sqrt(log(2/1e-3)/(2n)) = 0.0062 with
    # probability below 1e-3
    law = LAWS["coxian"]
    x = np.sort(law.rvs(200_000, random_state=3))
    grid = law.ppf(np.linspace(0.02, 0.98, 25))
    empirical = np.searchsorted(x, grid, side="right") / x.size
    assert np.max(np.abs(empirical - law.cdf(grid))) < math.sqrt(math.log(2 / 1e-3) / (2 * x.size))
