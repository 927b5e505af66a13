"""Adversarial hardening: random points over the whole domain against mpmath,
hypothesis properties with warnings as errors, and every case issue 13
reported, each against its exact value or its named error.

The sweep sample is deterministic (fixed seed): it cannot fail by chance,
only by an error above 1e-12 at one of its points.  ``make fuzz`` runs the
same families with a large budget and writes benchmarks/accuracy.md.
"""
import math
import warnings

import mpmath as mp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import queuemath as qm

import adversary
import mpref

SEED = 20261203


def _report(worst):
    bad = {k: w for k, w in worst.items() if not w.error <= adversary.TOLERANCE}
    return "\n".join(f"{k}: error {w.error:.3g} at {w.point}: got {w.got!r}, exact {w.ref}"
                     for k, w in bad.items())


@pytest.mark.parametrize("family", sorted(adversary.FAMILIES))
def test_sweep_sample(family):
    worst = adversary.sweep(30, SEED, families=[family])
    assert worst, "the family produced no points"
    assert not _report(worst), _report(worst)


@pytest.mark.parametrize("family", ["erlang", "mmck", "mmc", "engset"])
def test_sweep_sample_at_the_largest_sizes(family):
    # servers and sources to 1e6-1e7, queues to 1e6
    worst = adversary.sweep(12, SEED + 1, big=True, families=[family])
    assert not _report(worst), _report(worst)


# -- the reported cases, one by one -------------------------------------------

def test_erlang_b_at_eight_million_servers():
    c, a = 8520456, 8507257.842371799
    exact = 4.91760268142108e-09
    assert abs(qm.erlang_b(c, a) - exact) / exact < 1e-13
    log_b, _ = mpref.erlang_b_logs(c, a)
    assert mpref.log_err(qm.log_erlang_b(c, a), log_b) < 1e-15
    assert qm.erlang_b_servers(a, target_blocking=4.9176024e-09) == 8520457


@pytest.mark.parametrize("lam,c,k", [(1e12, 1, 1), (1e15, 3, 3), (1e20, 1, 3), (1e5, 1, 3),
                                     (1e16, 3, 3), (1e5, 3, 3)])
def test_state_probabilities_at_high_load(lam, c, k):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        probs = qm.MMcK(lam, 1.0, c, k).state_probabilities()
    with mp.workdps(60):
        w = [mp.mpf(1)]
        for n in range(1, k + 1):
            w.append(w[-1] * mp.mpf(lam) / min(n, c))
        total = mp.fsum(w)
        for p, wn in zip(probs, w):
            assert mpref.rel_err(float(p), wn / total) < 1e-13
    assert abs(math.fsum(probs) - 1) <= 4e-16 * (k + 1)
    assert np.all(probs <= 1)


@pytest.mark.parametrize("model", [
    lambda lam, k: qm.MMcK(lam, 1.0, 2, k),
    lambda lam, k: qm.MM1K(lam, 1.0, k),
    lambda lam, k: qm.ErlangA(lam, 1.0, 2, k, patience_rate=0.0),
    lambda lam, k: qm.MGcKApprox(lam, 1.0, 2, k, service_scv=1.0),
])
@pytest.mark.parametrize("lam", [1e5, 1e12, 1e16, 1e300])
def test_log_blocking_as_blocking_tends_to_one(model, lam):
    for k in (2, 3, 4):
        got = model(lam, k).log_blocking
        c = 1 if model(1.0, 2).kendall.startswith("M/M/1/") else 2
        ref = mpref.mmck(lam, 1.0, c, k)["log_blocking"]
        assert mpref.rel_err(got, ref) < 1e-13, (k, got, ref)
    # and it never rises with capacity (their gap may be below an ulp)
    assert model(lam, 4).log_blocking <= model(lam, 3).log_blocking <= model(lam, 2).log_blocking


def test_erlang_a_heavy_overload():
    # lambda/(c mu) = 2e16: served mu (1 - p_0) ~ 1, so 1 - p_abandon ~ 5e-17,
    # below half an ulp of 1 (the reference would sum 2e16 queue weights)
    q = qm.ErlangA(2e16, 1.0, 1, patience_rate=1.0)
    assert q.p_abandon == 1.0 and q.throughput == pytest.approx(1.0, rel=1e-15)
    assert q.mean_queue == pytest.approx(2e16 - 1, rel=1e-14)     # (lambda - mu)/theta
    q = qm.ErlangA(2.0, 1.0, 1, patience_rate=1e308)
    assert math.isfinite(q.p_abandon) and 0 <= q.p_abandon <= 1
    for lam in (1e16, 1e100, 1e250):
        q = qm.ErlangA(lam, 1.0, 3, 5, patience_rate=1.0)
        ref = mpref.erlang_a(lam, 1.0, 3, 1.0, k=5)
        for name in ("blocking", "mean_queue", "throughput", "p_wait", "mean_wait"):
            # admitted share ~ 1e-250 through its log: |log| ulps, 1.3e-13
            assert mpref.rel_err(getattr(q, name), ref[name]) < 1e-12, (lam, name)
        assert q.mean_queue <= 2


@pytest.mark.parametrize("lam", [500.0, 800.0, 1e4, 1e6])
def test_mg1k_constant_service_in_a_storm(lam):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        q = qm.MG1K(lam, 5, service_time=1.0)
        ref = adversary.mg1k_reference(lam, 1.0, 5, "constant")
        for name in adversary.MG1K_QUANTITIES:
            got = getattr(q, name)
            err = (mpref.log_err(got, ref[name]) if name.startswith("log")
                   else mpref.rel_err(got, ref[name]))
            assert err < 1e-12, (name, got, ref[name])
    assert q.utilization <= 1 and q.throughput <= 1


@pytest.mark.parametrize("lam", [1e-16, 1e-10])
def test_mg1k_light_load(lam):
    q = qm.MG1K(lam, 5, service_time=1.0)
    ref = adversary.mg1k_reference(lam, 1.0, 5, "constant")
    assert mpref.rel_err(q.mean_wait, ref["mean_wait"]) < 1e-13
    assert q.mean_wait > 0


@pytest.mark.parametrize("lam,k,kind", [(4.54901e-10, 29, "constant"),
                                         (1e-12, 25, "exponential")])
def test_mg1k_blocking_near_the_bottom_of_the_doubles(lam, k, kind):
    # found by make fuzz: blocking ~1e-302, whose next tail terms (1e-313)
    # underflow one by one although they move it by 1.5e-11
    from scipy import stats
    law = 1.0 if kind == "constant" else stats.expon(scale=1.0)
    ref = adversary.mg1k_reference(lam, 1.0, k, kind)
    assert mpref.rel_err(qm.MG1K(lam, k, service_time=law).blocking, ref["blocking"]) < 1e-13


def test_mgck_approx_overload_and_scv_one():
    for lam in (1e10, 1e100, 1e250):
        q = qm.MGcKApprox(lam, 1.0, 3, 5, service_scv=2.0)
        assert 0 < q.throughput <= 3.0 and 0 < q.mean_wait < math.inf
        assert q.mean_queue <= 2
    q = qm.MGcKApprox(8.9999993, 1.0, 9, 20, service_scv=0.01)
    assert q.throughput <= 9.0
    for point in [(2.9, 1.0, 3, 5), (5.564582147007946e+86, 0.3534281660194841, 901, 34594)]:
        q = qm.MGcKApprox(*point, service_scv=1.0)
        ref = mpref.mmck(*point)
        for name in ("blocking", "throughput", "mean_queue", "mean_wait"):
            assert mpref.rel_err(getattr(q, name), ref[name]) < 1e-13, name


@pytest.mark.parametrize("a", [1e8, 1e12, 1e100])
def test_sensitivity_without_cancellation(a):
    s = qm.blocking_sensitivity(a, 1.0, 1, 1)
    with mp.workdps(400):
        A = mp.mpf(a)
        # M/M/1/1: B = A/(1+A), K - L = 1/(1+A), B(2) - B(1) = -A/((1+A)(1+A+A^2))
        assert mpref.rel_err(s.elasticity, 1 / (1 + A)) < 1e-13
        assert mpref.rel_err(s.d_arrival_rate, 1 / (1 + A) ** 2) < 1e-13
        assert mpref.rel_err(s.one_more_place, -A / ((1 + A) * (1 + A + A * A))) < 1e-13


def test_engset_extremes():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert qm.Engset(3, 3, idle_source_load=1e308).carried_load == pytest.approx(3.0,
                                                                                      rel=1e-15)
        assert qm.Engset(10**7, 10, idle_source_load=1e308).carried_load <= 10
        assert qm.Engset(1, 1, idle_source_load=5e-324).log_time_congestion == \
            pytest.approx(math.log(5e-324), rel=1e-15)
        assert qm.Engset(5, 3, idle_source_load=5e-324).blocking == 0.0
        qm.capacity_frontier(0.0, 1.0, [1, 2], target_blocking=1e-3)
        qm.MMcK(1e16, 1.0, 3, 3).state_probabilities()


# -- where the domain ends: named errors, never foreign ones ------------------

@pytest.mark.parametrize("call,match", [
    (lambda: qm.MMcK(1, 1, 2**53, 2**53 + 1), "capacity.*2\\*\\*53"),
    (lambda: qm.erlang_b([2**60], 1.0), "servers.*2\\*\\*53"),
    (lambda: qm.MMcK(10**400, 1, 1, 2), "arrival_rate.*401 digits"),
    (lambda: qm.erlang_b(np.ma.masked_array([1, 2], [0, 1]), 1.0), "servers.*masked"),
    (lambda: qm.simulate(qm.MM1K(1, 1, 3), seed="abc"), "seed"),
    (lambda: qm.crosscheck(qm.MM1K(0.9, 1, 5), replications=1), "replications.*at least 2"),
    (lambda: qm.tcp.login_storm(100, 1.0, 10.0, 2, 5, threshold=float("nan")), "threshold"),
    (lambda: qm.tcp.login_storm(100, 5e-324, 10.0, 2, 5), "duration.*too short"),
])
def test_named_errors(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_masked_array_without_masked_entries_is_its_data():
    assert np.array_equal(qm.erlang_b(np.ma.masked_array([1, 2], [0, 0]), 1.0),
                          qm.erlang_b([1, 2], 1.0))


def test_a_storm_on_the_smallest_time_scales():
    # 100 attempts in 1e-300 s: the first 8 take the places, 92 are refused
    r = qm.tcp.login_storm(100, 1e-300, 10.0, 2, 5)
    assert r.expected_refused == pytest.approx(92.0, rel=1e-8)


# -- properties ------------------------------------------------------------------

loads = st.floats(1e-300, 1e300)
counts = st.integers(1, 2000)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(loads, counts, st.integers(0, 2000))
def test_log_blocking_falls_with_capacity(a, c, m):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        lb = qm.MMcK(a, 1.0, c, [c + m, c + m + 1, c + m + 2]).log_blocking
    assert lb[0] >= lb[1] >= lb[2] and lb[0] <= 0


@settings(max_examples=150, deadline=None, derandomize=True)
@given(loads, st.integers(1, 200), st.integers(0, 200))
def test_state_law_sums_to_one(a, c, m):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p = qm.MMcK(a, 1.0, c, c + m).state_probabilities()
    assert np.all((p >= 0) & (p <= 1))
    assert abs(math.fsum(p) - 1) <= 4e-16 * (c + m + 1)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(st.floats(1e-200, 1e200), st.floats(1e-3, 1e3), st.integers(1, 500),
       st.integers(0, 500), st.floats(1e-6, 1e6))
def test_invariants_of_every_markov_model(lam, mu, c, m, theta):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        models = [qm.MMcK(lam, mu, c, c + m), qm.ErlangA(lam, mu, c, c + m, patience_rate=theta),
                  qm.ErlangA(lam, mu, c, c + m, patience_rate=0.0),
                  qm.MGcKApprox(lam, mu, c, c + m, service_scv=theta / (1 + theta) * 4)]
        for q in models:
            assert 0 <= q.blocking <= 1 and q.log_blocking <= 0
            assert 0 <= q.throughput <= min(lam, c * mu)
            assert 0 <= q.utilization <= 1
            assert 0 <= q.mean_queue <= m and q.mean_in_system <= c + m
            assert 0 <= q.mean_wait < math.inf
