"""M/G/1/K by the embedded chain: against M/M/1/K, an mpmath M/D/1/K, the exact
gamma forms, and simulation."""
import mpmath as mp
import numpy as np
import pytest
from scipy import stats

import queuemath as qm
from queuemath.mg1k import MG1K
from mpref import rel_err

QUANTITIES = ("blocking", "p_empty", "throughput", "utilization", "mean_in_system",
              "mean_queue", "mean_wait", "mean_response_time")


@pytest.mark.parametrize("lam, k", [(0.9, 10), (0.5, 50), (2.0, 20), (1.0, 7), (0.1, 300),
                                    (1.0, 1)])
def test_exponential_service_equals_mm1k(lam, k):
    m, q = MG1K(lam, k, service_time=stats.expon(scale=1.0)), qm.MM1K(lam, 1.0, k)
    for name in QUANTITIES:
        assert rel_err(getattr(m, name), getattr(q, name)) <= 1e-12, name
    np.testing.assert_allclose(m.state_probabilities(), q.state_probabilities(), rtol=1e-12)


def _md1k_mpmath(lam, d, k):
    """M/D/1/K blocking from the embedded chain solved densely at 50 digits
    (Gross et al. 2008, sec. 5.1: p_K = 1 - 1/(pi_0 + rho))."""
    with mp.workdps(50):
        rho = mp.mpf(lam) * d
        a = [mp.exp(-rho) * rho**j / mp.factorial(j) for j in range(k + 1)]
        p = mp.zeros(k, k)
        for i in range(k):
            start = max(i - 1, 0)
            for col in range(start, k - 1):
                p[i, col] = a[col - start]
            p[i, k - 1] = 1 - sum(p[i, c] for c in range(k - 1))
        m = mp.zeros(k + 1, k)
        for i in range(k):
            for j in range(k):
                m[j, i] = p[i, j] - (1 if i == j else 0)
        for i in range(k):
            m[k, i] = 1
        rhs = mp.matrix([0] * k + [1])
        pi = mp.lu_solve(m.T * m, m.T * rhs)
        return 1 - 1 / (pi[0] + rho)


@pytest.mark.parametrize("lam, k", [(0.9, 5), (0.5, 12), (1.3, 8), (0.2, 15)])
def test_deterministic_service_against_mpmath(lam, k):
    assert rel_err(MG1K(lam, k, service_time=1.0).blocking, _md1k_mpmath(lam, 1.0, k)) <= 1e-11


class _AsQuadrature:
    """Hides a law's name, so MG1K takes the quadrature route."""

    def __init__(self, law):
        self.law = law

    def rvs(self, *args, **kwargs):
        return self.law.rvs(*args, **kwargs)

    def support(self):
        return self.law.support()

    def ppf(self, u):
        return self.law.ppf(u)

    def isf(self, u):
        return self.law.isf(u)

    def mean(self):
        return self.law.mean()


@pytest.mark.parametrize("law", [stats.gamma(2.5, scale=0.4), stats.expon(scale=1.0),
                                 stats.gamma(0.5, scale=2.0)])
@pytest.mark.parametrize("lam, k", [(0.9, 30), (1.5, 20), (0.5, 10)])
def test_quadrature_matches_exact_forms(law, lam, k):
    exact, quad = MG1K(lam, k, service_time=law), MG1K(lam, k, service_time=_AsQuadrature(law))
    assert exact.blocking > 1e-15
    for name in QUANTITIES:
        assert rel_err(getattr(quad, name), getattr(exact, name)) <= 1e-12, name


def test_lognormal_against_simulation():
    # crosscheck runs MG1K on the general FIFO engine (Poisson arrivals, the
    # law itself), which measures every customer's wait.  99.99% intervals
    # over 8 quantities: false-failure rate below 8e-4 (Bonferroni).
    law = stats.lognorm(s=1.0, scale=np.exp(-0.5))
    cc = qm.crosscheck(MG1K(0.9, 8, service_time=law), arrivals=600_000, seed=41,
                       confidence=0.9999)
    assert {r["quantity"] for r in cc.rows} >= {"blocking", "mean_in_system", "mean_wait"}
    assert cc.all_covered, cc


def test_invariants_and_large_capacity():
    m = MG1K(0.9, 2000, service_time=stats.lognorm(s=1.0, scale=np.exp(-0.5)))
    p = m.state_probabilities()
    assert abs(p.sum() - 1) <= 1e-12 and np.all(p >= 0)
    assert rel_err(m.mean_in_system, m.throughput * m.mean_response_time) <= 1e-12
    assert 0 < m.blocking < 1e-10
    # deterministic service queues less than exponential at the same load
    assert MG1K(0.9, 10, service_time=1.0).mean_queue < qm.MM1K(0.9, 1.0, 10).mean_queue


def test_arrays_broadcast_point_by_point():
    law = stats.lognorm(s=1.0, scale=0.6)
    grid = MG1K([[0.5], [0.9]], [3, 8], service_time=law)
    assert grid.blocking.shape == (2, 2)
    for i, lam in enumerate((0.5, 0.9)):
        for j, k in enumerate((3, 8)):
            one = MG1K(lam, k, service_time=law)
            assert grid.blocking[i, j] == one.blocking
            np.testing.assert_array_equal(grid.state_probabilities()[i, j, : k + 1],
                                          one.state_probabilities())
            assert np.all(grid.state_probabilities()[i, j, k + 1:] == 0)


def test_no_arrivals_is_an_empty_system():
    m = MG1K(0.0, 4, service_time=1.0)
    assert (m.blocking, m.p_empty, m.mean_in_system, m.mean_wait, m.utilization) == (0, 1, 0, 0, 0)


def test_a_rate_in_the_time_position_is_refused():
    # MG1K(0.9, 2.0, 5) once read 2.0 as a service *time*; now the service law is
    # keyword-only and the second position is the capacity.
    with pytest.raises(TypeError):
        MG1K(0.9, 2.0, 5)
    with pytest.raises(TypeError, match="service_time"):
        MG1K(0.9, 5)


@pytest.mark.parametrize("call, match", [
    (lambda: MG1K(-1.0, 5, service_time=1.0), "arrival_rate"),
    (lambda: MG1K(1.0, 5, service_time=-1.0), "service_time must be a finite number > 0"),
    (lambda: MG1K(1.0, 0, service_time=1.0), "capacity"),
    (lambda: MG1K(1.0, 2.5, service_time=1.0), "capacity"),
    (lambda: MG1K([1.0, 2.0], [3, 4, 5], service_time=1.0), "do not broadcast"),
    (lambda: MG1K(1.0, 5, service_time=stats.norm()), "service_time can return negative"),
    (lambda: MG1K(1.0, 5, service_time=stats.pareto(b=0.9)), "service_time must have a finite mean"),
    (lambda: MG1K(1.0, 5, service_time="1.0"), "service_time must be a number .* or a frozen"),
    (lambda: MG1K(0.9, 10, service_time=stats.gamma), "service_time must be a frozen scipy.stats "
                                                      "distribution, got the distribution family 'gamma'"),
])
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()
