"""G/G/c approximations (issue 16): exact where they must be (M/M/c), each
formula as published, and the named errors.  Their error against
simulation is measured in benchmarks/ggc_approx_error.py."""
import numpy as np
import pytest

import queuemath as qm
from mpref import rel_err

G = qm.GGcApprox


@pytest.mark.parametrize("lam, c", [(0.5, 1), (3.0, 4), (9.5, 10), (0.9, 1)])
def test_exact_for_mmc(lam, c):
    mmc = qm.MMc(lam, 1.0, c)
    for method in ("allen-cunneen", "whitt"):
        m = G(lam, 1.0, c, arrival_scv=1.0, service_scv=1.0, method=method)
        assert rel_err(m.mean_wait, mmc.mean_wait) <= 1e-14, method
    if c == 1:
        k = G(lam, 1.0, 1, arrival_scv=1.0, service_scv=1.0, method="kingman")
        assert rel_err(k.mean_wait, mmc.mean_wait) <= 1e-14


def test_formulas_as_published():
    lam, mu, c, ca2, cs2 = 3.0, 1.0, 4, 0.5, 2.0
    mmc = qm.MMc(lam, mu, c).mean_wait
    ac = G(lam, mu, c, arrival_scv=ca2, service_scv=cs2, method="allen-cunneen").mean_wait
    assert rel_err(ac, (ca2 + cs2) / 2 * mmc) <= 1e-14
    rho = lam / (c * mu)
    king = G(lam, mu, c, arrival_scv=ca2, service_scv=cs2, method="kingman").mean_wait
    assert rel_err(king, (ca2 + cs2) / 2 * rho ** (np.sqrt(2 * (c + 1)) - 1)
                   / (c * (1 - rho)) / mu) <= 1e-14
    # Whitt (1993) eq. 2.25, ca2 < cs2: phi = (cs2 - ca2)/(2(ca2+cs2)) phi3
    # + (cs2 + 3 ca2)/(2(ca2+cs2)) psi, psi = 1 here (mean scv >= 1)
    gamma = min(0.24, (1 - rho) * (c - 1) * (np.sqrt(4 + 5 * c) - 2) / (16 * c * rho))
    phi3 = (1 - 4 * gamma) * np.exp(-2 * (1 - rho) / (3 * rho))
    phi = (cs2 - ca2) / (2 * (ca2 + cs2)) * phi3 + (cs2 + 3 * ca2) / (2 * (ca2 + cs2))
    wh = G(lam, mu, c, arrival_scv=ca2, service_scv=cs2, method="whitt").mean_wait
    assert rel_err(wh, phi * ac) <= 1e-14
    # and for ca2 > cs2, eq. 2.24 with psi = phi4^(2(1 - mean scv)) below 1
    ca2, cs2 = 0.8, 0.2
    phi1 = 1 + gamma
    phi4 = min(1.0, (phi1 + phi3) / 2)
    psi = phi4 ** (2 * (1 - (ca2 + cs2) / 2))
    phi = 4 * (ca2 - cs2) / (4 * ca2 - 3 * cs2) * phi1 + cs2 / (4 * ca2 - 3 * cs2) * psi
    wh = G(lam, mu, c, arrival_scv=ca2, service_scv=cs2).mean_wait
    assert rel_err(wh, phi * (ca2 + cs2) / 2 * mmc) <= 1e-14


def test_exact_quantities_and_instability():
    m = G(5.0, 1.0, 4, arrival_scv=0.5, service_scv=0.5)
    assert m.utilization == 1.0 and m.throughput == 4.0 and np.isinf(m.mean_wait)
    s = G(3.0, 1.0, 4, arrival_scv=0.5, service_scv=0.5)
    assert s.mean_in_system == pytest.approx(s.mean_queue + 3.0, rel=1e-15)
    assert s.mean_queue == pytest.approx(3.0 * s.mean_wait, rel=1e-15)


@pytest.mark.filterwarnings("ignore::queuemath.montecarlo.stats.SimulationWarning")
def test_crosscheck_says_it_is_an_approximation():
    cc = qm.crosscheck(G(3.0, 1.0, 4, arrival_scv=0.5, service_scv=2.0), arrivals=100_000, seed=4)
    assert repr(cc).startswith("the closed form is an approximation")


def test_bad_input_is_named():
    for call, match in [
        (lambda: G(3.0, 1.0, 4, arrival_scv=-1.0, service_scv=1.0), "arrival_scv"),
        (lambda: G(3.0, 1.0, 4, arrival_scv=1.0, service_scv=np.nan), "service_scv"),
        (lambda: G(3.0, 1.0, 0, arrival_scv=1.0, service_scv=1.0), "servers"),
        (lambda: G(3.0, 1.0, 4, arrival_scv=1.0, service_scv=1.0, method="magic"), "method"),
        (lambda: G(0.0, 1.0, 4, arrival_scv=1.0, service_scv=1.0), "arrival_rate"),
    ]:
        with pytest.raises(ValueError, match=match):
            call()
