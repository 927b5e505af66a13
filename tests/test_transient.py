"""Transients of birth-death chains (issue 17: fast exact storms): the
uniformized solver against a 40-digit matrix exponential (every state,
tiny probabilities included), against the BDF route it replaces for
constant rates, and the storm dimensioning built on it."""
import numpy as np
import pytest

import queuemath as qm
from mpref import birth_death_law, rel_err
from queuemath import tcp
from queuemath._kernels import transient as _kernel


@pytest.mark.parametrize("lam, mu, c, k, t", [(3.0, 1.0, 2, 6, 0.01), (3.0, 1.0, 2, 6, 2.0),
                                              (40.0, 5.0, 3, 12, 0.7), (0.5, 2.0, 1, 5, 10.0)])
def test_uniformized_against_matrix_exponential(lam, mu, c, k, t):
    n = np.arange(k + 1)
    birth, death = np.full(k + 1, lam), mu * np.minimum(n, c)
    p0 = np.zeros(k + 1)
    p0[0] = 1.0
    law, area = _kernel.uniformized(birth, death, p0, t)
    ref, ref_area = birth_death_law(birth, death, p0, t)
    for got, want in zip(law, ref):
        # relative, even for p_K ~ 1e-20 at t = 0.01 (an ODE's absolute
        # tolerance would leave noise there)
        assert rel_err(got, want) <= 1e-13
    assert rel_err(area[-1], ref_area) <= 1e-12
    assert abs(law.sum() - 1) <= 1e-14 and abs(area.sum() - t) <= 1e-12 * t


def test_piecewise_matches_the_ode_route():
    """A storm with a background and a start from a non-empty queue: the
    uniformized route and BDF (relative tolerance 1e-10) agree."""
    k, c, mu = 30, 4, 10.0
    n = np.arange(k + 1)

    def birth(t):
        return np.full(k + 1, 5.0 + (120.0 if t < 1.5 else 0.0))
    death = mu * np.minimum(n, c)
    times = np.linspace(0.0, 6.0, 25)
    fast = qm.birth_death_transient(birth, death, times, initial=7, breaks=[1.5],
                                    piecewise_constant=True)
    slow = qm.birth_death_transient(birth, death, times, initial=7, breaks=[1.5])
    np.testing.assert_allclose(fast.state_probabilities, slow.state_probabilities, atol=1e-9)
    np.testing.assert_allclose(fast.expected_refused, slow.expected_refused, rtol=1e-8,
                               atol=1e-12)
    np.testing.assert_allclose(fast.expected_births, slow.expected_births, rtol=1e-9)


def test_storm_refusals_and_the_burst_apart_from_the_background():
    r = tcp.login_storm(300, 2.0, 50.0, 1, 5, os="windows-nt-4.0-server")
    attempts, refused = tcp.storm_refusals(300, 2.0, 50.0, 1, 5)
    assert attempts == 300.0 and rel_err(refused, r.expected_refused) <= 1e-9
    assert rel_err(r.storm_refused, refused) <= 1e-12
    busy = tcp.login_storm(300, 2.0, 50.0, 1, 5, os="windows-nt-4.0-server",
                           background_rate=20.0, horizon=60.0)
    # averaged over the window the burst looks smaller than it is
    assert busy.refused_share < 0.25 and busy.storm_refused_share > 0.6
    assert busy.storm_attempts == 300.0
    assert tcp.login_storm(300, 2.0, 50.0, 1, 5, rate_function=lambda t: 10.0,
                           horizon=5.0).storm_refused is None


@pytest.mark.parametrize("args, target", [((300, 2.0, 50.0, 1), 0.05), ((6000, 3.0, 200.0, 16), 1e-5),
                                          ((2000, 1.0, 300.0, 8), 1e-3)])
def test_min_backlog_for_storm_is_the_smallest(args, target):
    clients, duration, mu, c = args
    a = tcp.min_backlog_for_storm(*args, target_refused=target, os="linux")
    assert a.sufficient and a.refused_share <= target
    share = tcp.storm_refusals(clients, duration, mu, c, a.accept_queue_capacity)
    assert share[1] / share[0] == pytest.approx(a.refused_share, rel=1e-12)
    below = tcp.accept_queue_capacity(a.backlog - 1, os="linux")
    if a.backlog > 0 and below < a.accept_queue_capacity:
        att, ref = tcp.storm_refusals(clients, duration, mu, c, below)
        assert ref / att > target


def test_no_backlog_suffices_says_so():
    """The new user's storm: 3 s at five times min_backlog's 2000/s into 16
    workers of 200/s: 10,000/s against 3,200/s fills any queue Linux allows."""
    a = tcp.min_backlog_for_storm(30000, 3.0, 200.0, 16, target_refused=1e-5, os="linux")
    assert not a.sufficient and a.backlog == a.os_max_backlog == 4096
    assert 0.5 < a.refused_share < 0.6                    # the fluid excess: (6800 * 3 - 4097)/30000
    w = tcp.min_workers_for_storm(30000, 3.0, 200.0, 4096, target_refused=1e-5, os="linux")
    assert w.sufficient and w.refused_share <= 1e-5
    att, ref = tcp.storm_refusals(30000, 3.0, 200.0, w.workers - 1, w.accept_queue_capacity)
    assert ref / att > 1e-5
    few = tcp.min_workers_for_storm(30000, 3.0, 200.0, 16, target_refused=1e-5, max_workers=20)
    assert not few.sufficient and few.workers == 20


def test_bad_storm_input_is_named():
    for call, name in [
        (lambda: tcp.min_backlog_for_storm(300, 2.0, 50.0, 1, target_refused=1.5), "target_refused"),
        (lambda: tcp.min_backlog_for_storm(300, 2.0, 50.0, 0, target_refused=0.1), "workers"),
        (lambda: tcp.min_workers_for_storm(-1, 2.0, 50.0, 5, target_refused=0.1), "clients"),
        (lambda: tcp.min_workers_for_storm(300, 0.0, 50.0, 5, target_refused=0.1), "duration"),
        (lambda: tcp.storm_refusals(300, 2.0, 50.0, 1, -1), "capacity"),
    ]:
        with pytest.raises(ValueError, match=name):
            call()
