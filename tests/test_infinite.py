"""M/M/inf and M/G/inf (issue 16): the Poisson law against mpmath, the
transient law against its definition, Erlang A with patience = service
rate, and simulation."""
import math

import mpmath as mp
import numpy as np
import pytest
from scipy import integrate, stats

import queuemath as qm
from mpref import log_err, rel_err


@pytest.mark.parametrize("a", [1e-3, 2.5, 1e4, 1e7])
def test_poisson_law_against_mpmath(a):
    q = qm.MMInf(a * 2.0, 2.0)
    n = np.array([0, 1, 5, 1000, int(a), 10 * int(a) + 3])
    got = q.log_state_probabilities(n)
    for ni, gi in zip(n, got):
        with mp.workdps(60):
            ref = int(ni) * mp.log(mp.mpf(a)) - mp.mpf(a) - mp.loggamma(int(ni) + 1)
        assert log_err(gi, ref) <= 1e-14, ni
    assert q.mean_in_system == pytest.approx(a, rel=1e-15) and q.var_in_system == q.mean_in_system


def test_erlang_a_with_patience_equal_to_service_rate_is_mminf():
    # every customer leaves at rate mu, served or not: the number present is M/M/inf's
    for lam, mu, c in [(5.0, 2.0, 3), (40.0, 1.0, 10), (0.5, 1.0, 1)]:
        e, m = qm.ErlangA(lam, mu, c, patience_rate=mu), qm.MMInf(lam, mu)
        assert rel_err(e.mean_in_system, m.mean_in_system) <= 1e-13


def test_transient_from_an_initial_population():
    q = qm.MMInf(5.0, 2.0)
    t = np.array([0.0, 0.3, 1.0, 40.0])
    stay = np.exp(-2.0 * t)
    np.testing.assert_allclose(q.transient_mean(t, initial=10), 10 * stay + 2.5 * (1 - stay),
                               rtol=1e-14)
    assert q.transient_state_probabilities(10, 0.0, initial=10) == 1.0
    # the law at time t sums to 1, and forgets the start far out
    total = sum(q.transient_state_probabilities(n, 1.0, initial=10) for n in range(60))
    assert total == pytest.approx(1.0, abs=1e-14)
    assert q.transient_state_probabilities(3, 40.0, initial=10) == pytest.approx(
        float(q.state_probabilities(3)), rel=1e-12)
    # by the definition: Binomial(10, e^-2) + Poisson(2.5 (1 - e^-2)) at t = 1
    s, m = math.exp(-2.0), 2.5 * (1 - math.exp(-2.0))
    ref = sum(math.comb(10, j) * s ** j * (1 - s) ** (10 - j) * math.exp(-m) * m ** (4 - j)
              / math.factorial(4 - j) for j in range(5))
    assert q.transient_state_probabilities(4, 1.0, initial=10) == pytest.approx(ref, rel=1e-13)


def test_mginf_is_insensitive_and_its_transient_follows_the_law():
    law = stats.lognorm(s=1.0, scale=0.5)
    g = qm.MGInf(4.0, service_time=law)
    assert g.mean_in_system == pytest.approx(4.0 * law.mean(), rel=1e-14)
    assert g.kendall == "M/G/inf"
    for t in (0.2, 1.0, 5.0):
        ref = 4.0 * integrate.quad(law.sf, 0, t)[0]      # lam E[min(S, t)]
        assert g.transient_mean(t) == pytest.approx(ref, rel=1e-10)
    d = qm.MGInf(4.0, service_time=0.5)
    np.testing.assert_allclose(d.transient_mean([0.25, 0.5, 3.0], initial=2),
                               [1.0 + 2, 2.0, 2.0], rtol=1e-15)


@pytest.mark.parametrize("model", [qm.MMInf(5.0, 2.0),
                                   qm.MGInf(4.0, service_time=stats.gamma(0.5, scale=1.0))],
                         ids=repr)
def test_against_simulation(model):
    # 99.99 % intervals over at most 6 quantities: false failure below 6e-4
    cc = qm.crosscheck(model, arrivals=300_000, seed=19, confidence=0.9999)
    assert cc.all_covered, cc


def test_bad_input_is_named():
    q = qm.MMInf(1.0, 1.0)
    for call, match in [(lambda: qm.MMInf(-1.0, 1.0), "arrival_rate"),
                        (lambda: qm.MMInf(1.0, 0.0), "service_rate"),
                        (lambda: q.state_probabilities(-1), "n"),
                        (lambda: q.state_probabilities(1.5), "n"),
                        (lambda: q.transient_mean(-1.0), "t"),
                        (lambda: q.transient_mean(1.0, initial=-2), "initial"),
                        (lambda: qm.MGInf(1.0, service_time=-2.0), "service_time")]:
        with pytest.raises(ValueError, match=match):
            call()
