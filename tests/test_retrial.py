"""Retrials (issue 16): the M/M/c/K retrial chain against a dense 50-digit
solve written from the definitions, the MMcK identity, the orbit's
truncation, Extended Erlang B's error against the exact chain, and the
Monte Carlo engine of the retrial chain against all of it."""
import warnings

import numpy as np
import pytest

import queuemath as qm
from mpref import rel_err, retrial_mmck
from queuemath._kernels import retrial as _kernel


@pytest.mark.parametrize("lam, c, k, nu, q", [(3.0, 4, 4, 2.0, 0.8),
                                              (0.2, 1, 3, 3.0, 1.0), (6.0, 4, 4, 10.0, 0.3)])
def test_against_dense_chain(lam, c, k, nu, q):
    r = qm.RetrialMMcK(lam, 1.0, c, k, retry_rate=nu, retry_probability=q)
    # the dense reference cut at 30 in orbit: with q < 1 retries give up at a
    # rate that grows with the orbit (its mass falls faster than
    # geometrically); with q = 1 the orbit falls by lam/(c mu) = 0.2 a level
    # once the station stays full: what the cut leaves out is below 1e-20
    blocking, loss, orbit = retrial_mmck(lam, 1.0, c, k, nu, q, orbit=30)
    assert rel_err(r.blocking, blocking) <= 1e-12
    assert rel_err(r.mean_orbit, orbit) <= 1e-12
    if q < 1:
        assert rel_err(r.customer_loss, loss) <= 1e-12
    else:
        assert r.customer_loss == 0.0


@pytest.mark.parametrize("lam, c, k", [(4.0, 5, 5), (3.6, 4, 8), (0.9, 1, 10)])
def test_no_retries_is_mmck(lam, c, k):
    r = qm.RetrialMMcK(lam, 1.0, c, k, retry_rate=1.0, retry_probability=0.0)
    m = qm.MMcK(lam, 1.0, c, k)
    for name in ("blocking", "throughput", "mean_in_system", "mean_queue", "mean_wait",
                 "p_empty", "utilization"):
        assert rel_err(getattr(r, name), getattr(m, name)) <= 1e-13, name
    assert r.customer_loss == pytest.approx(m.blocking, rel=1e-13)
    assert r.mean_orbit == 0.0 and r.mean_attempts == 1.0


def test_conservation_and_truncation():
    r = qm.RetrialMMcK(20.0, 1.0, 20, 20, retry_rate=0.1, retry_probability=0.9)
    assert rel_err(r.throughput, 20.0 * (1 - r.customer_loss)) <= 1e-12
    assert rel_err(r.mean_attempts, 1 + 0.1 * r.mean_orbit / 20.0) <= 1e-13
    # the cut the kernel chose against one twice as far out
    top = r.orbit_truncation
    mass, rows = _kernel._solve_truncated(20.0, 1.0, 20, 20, 0.1, 0.9, 2 * top)
    assert mass[top + 1:].sum() < 1e-14
    assert rel_err(r.mean_orbit, float(np.arange(mass.size) @ mass)) <= 1e-12


def test_extended_erlang_b_error_as_documented():
    # the fixed point treats recalls as fresh Poisson traffic: close when
    # retries come long after the servers have turned over, far off when fast
    assert qm.extended_erlang_b(10, 7.0, 0.0) == qm.erlang_b(10, 7.0)
    slow = qm.RetrialMMcK(20.0, 1.0, 20, 20, retry_rate=0.1, retry_probability=0.9).blocking
    fast = qm.RetrialMMcK(20.0, 1.0, 20, 20, retry_rate=50.0, retry_probability=0.9).blocking
    eeb = qm.extended_erlang_b(20, 20.0, 0.9)
    assert abs(eeb / slow - 1) < 0.02
    assert 0.25 < 1 - eeb / fast < 0.4


def test_bad_input_and_instability():
    for call, match in [
        (lambda: qm.RetrialMMcK(1.0, 1.0, 2, 4, retry_rate=0.0, retry_probability=0.5),
         "retry_rate"),
        (lambda: qm.RetrialMMcK(1.0, 1.0, 2, 4, retry_rate=1.0, retry_probability=1.5),
         "retry_probability"),
        (lambda: qm.RetrialMMcK(1.0, 1.0, 4, 2, retry_rate=1.0, retry_probability=0.5),
         "capacity"),
        (lambda: qm.RetrialMMcK([1.0, 2.0], 1.0, 2, [4, 5, 6], retry_rate=1.0,
                                retry_probability=0.5), "capacity"),
        (lambda: qm.RetrialMMcK([1.0, 2.0], 1.0, 2, 4, retry_rate=1.0,
                                retry_probability=0.5).state_probabilities(), "one point"),
        (lambda: qm.simulate(qm.RetrialMMcK([1.0, 2.0], 1.0, 2, 4, retry_rate=1.0,
                                            retry_probability=0.5)), "arrival_rate"),
        (lambda: qm.RetrialMMcK(6.0, 1.0, 5, 5, retry_rate=1.0, retry_probability=1.0).blocking,
         "grows without bound"),
        (lambda: qm.extended_erlang_b(5, 3.0, 1.0), "recall"),
        (lambda: qm.simulate(qm.RetrialMMcK(0.0, 1.0, 2, 4, retry_rate=1.0,
                                            retry_probability=0.5)), "arrival_rate"),
        (lambda: qm.simulate(qm.RetrialMMcK(1.0, 1.0, 2, 4, retry_rate=1.0,
                                            retry_probability=0.5), wait_times=[1.0]),
         "wait_times"),
    ]:
        with pytest.raises(ValueError, match=match):
            call()


# a stationary start can still earn the warm-up check's warning by chance
# (a paired t beyond 3 over nine quantities, about 1 % of runs): that check
# is tested for every engine in tests/test_simulate.py; coverage is the point
@pytest.mark.filterwarnings("ignore::queuemath.montecarlo.SimulationWarning")
@pytest.mark.parametrize("lam, mu, c, k, nu, q", [(4.0, 1.0, 5, 5, 2.0, 0.8),
                                                  (3.0, 1.0, 4, 6, 0.5, 0.9)])
def test_simulation_covers_the_exact_chain(lam, mu, c, k, nu, q):
    """The compiled retrial engine (independent of the kernel: it plays the
    chain's events) against the closed form, 99.9 % intervals: the false-
    failure rate of one row is 1e-3, about 1 % for the nine rows of one
    model if they were independent (they are positively correlated)."""
    r = qm.RetrialMMcK(lam, mu, c, k, retry_rate=nu, retry_probability=q)
    check = qm.crosscheck(r, arrivals=400_000, seed=16, confidence=0.999)
    rows = check.to_dict()
    assert {"blocking", "customer_loss", "mean_orbit", "mean_attempts"} <= set(rows)
    assert check.all_covered, check
    for q, row in rows.items():
        assert row["high"] > row["low"], q              # no zero-width interval


def test_simulation_plan_and_reproducibility():
    from queuemath.montecarlo import relaxation
    r = qm.RetrialMMcK(3.0, 1.0, 4, 6, retry_rate=0.5, retry_probability=0.9)
    plan = relaxation(r.simulation_spec())
    # attempts per unit time: first attempts plus the orbit's retries (exact)
    assert rel_err(plan.arrival_rate, 3.0 * r.mean_attempts) <= 1e-9
    # without an orbit the chain is M/M/c/K, a reversible birth-death chain,
    # whose integrated autocorrelation times are at most 1/gap
    r0 = qm.RetrialMMcK(3.0, 1.0, 4, 6, retry_rate=0.5, retry_probability=0.0)
    bd = relaxation(qm.MMcK(3.0, 1.0, 4, 6).simulation_spec())
    tau0 = relaxation(r0.simulation_spec()).relaxation_time
    # (the truncated chain's states with an orbit are transient: it empties
    # at the retry rate, 1/0.5 = 2 time units, which the plan takes too)
    assert bd.relaxation_time <= tau0 <= max(bd.relaxation_time, 1 / 0.5) * (1 + 1e-6)
    # the slow orbit (retries every 2 time units) sets the scale
    assert plan.relaxation_time > 2.0
    # a small budget on purpose (reproducibility is what is checked here):
    # the SimulationWarning it may earn is tested in tests/test_simulate.py
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", qm.montecarlo.SimulationWarning)
        a = qm.simulate(r, arrivals=50_000, seed=5)
        b = qm.simulate(r, arrivals=50_000, seed=5)
    assert a.mean_orbit.mean == b.mean_orbit.mean and a.blocking.high == b.blocking.high


def test_arrays_broadcast_point_by_point():
    lam = np.array([[1.0], [3.0]])
    q = np.array([0.0, 0.5, 1.0])
    r = qm.RetrialMMcK(lam, 1.0, 4, 6, retry_rate=0.7, retry_probability=q)
    assert r.blocking.shape == (2, 3) and r.orbit_truncation.shape == (2, 3)
    for i in range(2):
        for j in range(3):
            one = qm.RetrialMMcK(float(lam[i, 0]), 1.0, 4, 6, retry_rate=0.7,
                                 retry_probability=float(q[j]))
            for name in r.quantities:
                assert getattr(r, name)[i, j] == getattr(one, name), name
    # q = 0: M/M/c/K, point by point
    np.testing.assert_allclose(r.blocking[:, 0], qm.MMcK(lam[:, 0], 1.0, 4, 6).blocking,
                               rtol=1e-13)
    assert r.kendall == "M/M/4/6 (retrials)"
