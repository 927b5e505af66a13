"""M/PH/c/K time laws (issue 16: "the time laws" of MMcK for MPHcK): against
a 40-digit reference with the servers told apart and matrix exponentials
(tests/mpref.py), MMcK's closed forms for exponential service, MG1K's own
kernels for one server (Erlang laws; the embedded chain's moments), and the
edges of the quantiles."""
import numpy as np
import pytest
from scipy import stats

import queuemath as qm
from mpref import mphck_time_tails, rel_err

PH = qm.PhaseType
LAWS = {
    "h2_scv4": PH.fit(1.0, 4.0),
    "mix_scv0.3": PH.fit(1.0, 0.3),
    "coxian": PH([0.7, 0.3, 0.0], [[-3.0, 1.0, 0.5], [0.2, -2.0, 1.0], [0.0, 0.0, -1.5]]),
}
TIMES = [0.0, 0.05, 0.5, 2.0, 8.0, 25.0]


# (law, lam, c, k) whose told-apart waiting chain (phases^c (K - c) states)
# a 40-digit expm solves in a few seconds
DENSE = [(name, lam, c, k) for name in LAWS
         for lam, c, k in [(0.9, 1, 6), (2.5, 2, 6), (1.9, 2, 9)]
         if LAWS[name].phases ** c * (k - c) <= 30]


@pytest.mark.parametrize("name, lam, c, k", DENSE)
def test_against_dense_chain(name, lam, c, k):
    law = LAWS[name]
    wait, response, mean, var = mphck_time_tails(lam, law.alpha, law.T, c, k, TIMES)
    q = qm.MPHcK(lam, c, k, service_time=law)
    for got, ref in zip(q.wait_sf(TIMES), wait):
        assert rel_err(got, ref) <= 1e-12
    for got, ref in zip(q.log_wait_sf(TIMES), wait):
        assert abs(got - float(np.log(float(ref)))) <= 1e-12
    for got, ref in zip(q.wait_cdf(TIMES), wait):
        assert rel_err(got, 1 - ref) <= 1e-13
    for got, ref in zip(q.response_time_cdf(TIMES), response):
        # (a fitted alpha's float entries may sum to 1 - 1e-17: an atom the
        # reference sees at t = 0)
        assert rel_err(got, 1 - ref) <= 1e-12 or abs(got - (1 - ref)) <= 1e-16
    assert rel_err(q.mean_wait, mean) <= 1e-12
    assert rel_err(q.var_wait, var) <= 1e-11
    if c == 1:
        # M/G/1/K takes a phase-type law's time laws from the same kernel
        m = qm.MG1K(lam, k, service_time=law)
        for got, ref in zip(m.wait_sf(TIMES), wait):
            assert rel_err(got, ref) <= 1e-12
        # its variance comes from the embedded chain's moments: independent
        assert rel_err(m.var_wait, q.var_wait) <= 1e-11


@pytest.mark.parametrize("lam, c, k", [(3.6, 4, 10), (9.9, 10, 200), (4.0, 4, 60),
                                       (4.0 * (1 + 1e-9), 4, 60), (6.0, 4, 30), (0.05, 3, 8)])
def test_exponential_service_is_mmck(lam, c, k):
    q = qm.MPHcK(lam, c, k, service_time=PH.exponential(1.0))
    e = qm.MMcK(lam, 1.0, c, k)
    t = np.array([0.0, 0.01, 0.3, 1.0, 4.0, 15.0])
    np.testing.assert_allclose(q.log_wait_sf(t), e.log_wait_sf(t), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(q.wait_cdf(t), e.wait_cdf(t), rtol=1e-12)
    np.testing.assert_allclose(q.response_time_cdf(t[1:]), e.response_time_cdf(t[1:]),
                               rtol=1e-12)
    np.testing.assert_allclose(q.var_wait, e.var_wait, rtol=1e-11)
    p = np.array([0.5, 0.9, 0.99, 0.999])
    np.testing.assert_allclose(q.wait_quantile(p), e.wait_quantile(p), rtol=1e-11, atol=1e-14)
    np.testing.assert_allclose(q.response_time_quantile(p), e.response_time_quantile(p),
                               rtol=1e-11)


def test_far_tail_in_logs():
    """Tails far below the smallest double keep their digits (each row of
    the chain on its own scale): against MMcK's closed-form log tail."""
    q = qm.MPHcK(3.0, 4, 200, service_time=PH.exponential(1.0))
    e = qm.MMcK(3.0, 1.0, 4, 200)
    t = np.array([100.0, 400.0, 900.0])
    got, ref = q.log_wait_sf(t), e.log_wait_sf(t)
    assert ref[-1] < -745                           # exp() of it underflows
    np.testing.assert_allclose(got, ref, rtol=1e-12)
    assert q.wait_sf(900.0) == 0.0


def test_one_server_erlang_is_mg1k():
    """M/E3/1/K: MG1K's Erlang kernel (the chain of phases left) is an
    independent computation of the same law."""
    law = stats.gamma(3, scale=1 / 3)
    for lam, k in [(0.9, 12), (1.0, 30), (2.0, 8)]:
        m, q = qm.MG1K(lam, k, service_time=law), qm.MPHcK(lam, 1, k, service_time=law)
        t = np.array([0.1, 1.0, 5.0, 20.0])
        np.testing.assert_allclose(q.log_wait_sf(t), m.log_wait_sf(t), rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(q.response_time_cdf(t), m.response_time_cdf(t), rtol=1e-12)
        np.testing.assert_allclose(q.wait_quantile(0.99), m.wait_quantile(0.99), rtol=1e-11)


def test_quantiles_and_edges():
    q = qm.MPHcK(3.0, 4, 10, service_time=LAWS["h2_scv4"])
    waits = 1 - float(q.wait_sf(0.0))                # admitted who never wait
    assert waits == pytest.approx(1 - q.p_wait / (1 - q.blocking), rel=1e-13)
    p = np.concatenate([[0.0, waits / 2], waits + (1 - waits) * np.array([0.3, 0.9, 0.99]), [1.0]])
    w = q.wait_quantile(p)
    assert w[0] == 0.0 and w[1] == 0.0 and w[-1] == np.inf
    np.testing.assert_allclose(q.wait_cdf(w[2:5]), p[2:5], rtol=1e-12)
    r = q.response_time_quantile(p[1:5])
    np.testing.assert_allclose(q.response_time_cdf(r), p[1:5], rtol=1e-12)
    assert np.all(np.diff(q.wait_cdf(np.linspace(0, 30, 50))) >= 0)
    # no room to wait, and no arrivals: nobody waits
    for none in (qm.MPHcK(3.0, 4, 4, service_time=LAWS["h2_scv4"]),
                 qm.MPHcK(0.0, 2, 6, service_time=LAWS["h2_scv4"])):
        assert none.wait_sf(1.0) == 0.0 and none.log_wait_sf(1.0) == -np.inf
        assert none.wait_quantile(0.99) == 0.0 and none.var_wait == 0.0
        assert none.response_time_cdf(1.0) == pytest.approx(LAWS["h2_scv4"].cdf(1.0), rel=1e-14)


def test_broadcasts_point_by_point():
    law = LAWS["mix_scv0.3"]
    lam = np.array([2.0, 3.5])
    t = np.array([[0.2], [1.0], [4.0]])
    q = qm.MPHcK(lam, 4, 12, service_time=law)
    got = q.wait_sf(t)
    assert got.shape == (3, 2)
    for j, lj in enumerate(lam):
        np.testing.assert_array_equal(got[:, j], qm.MPHcK(lj, 4, 12, service_time=law).wait_sf(t[:, 0]))
    assert q.var_wait.shape == (2,)


def test_bad_arguments_are_named():
    q = qm.MPHcK(3.0, 4, 10, service_time=LAWS["h2_scv4"])
    for call, name in [(lambda: q.wait_sf(-1.0), "t"), (lambda: q.wait_cdf(np.nan), "t"),
                       (lambda: q.wait_quantile(1.5), "p"),
                       (lambda: q.response_time_quantile(-0.1), "p"),
                       (lambda: qm.MPHcK([1.0, 2.0], 4, 10, service_time=LAWS["h2_scv4"])
                        .wait_sf([1.0, 2.0, 3.0]), "t")]:
        with pytest.raises(ValueError, match=name):
            call()
