"""The whole valid domain: no NaN, no warning, no value outside its range.

Seeded log-uniform sweeps over servers 1..1e7, capacity up to 1e7 and loads
1e-300..1e300 (warnings are errors in this suite, see pyproject.toml).
"""
import numpy as np
import pytest

import queuemath as qm

RNG = np.random.default_rng(20261125)
N = 4000


def _loguniform(lo, hi, n):
    return np.exp(RNG.uniform(np.log(lo), np.log(hi), n))


SERVERS = np.floor(_loguniform(1, 1e7, N))
LOADS = np.concatenate([_loguniform(1e-300, 1e300, N // 2),
                        SERVERS[: N // 2] * RNG.choice([1 - 1e-12, 1.0, 1 + 1e-12, 0.5, 2.0], N // 2)])
EXTRA = np.floor(np.concatenate([_loguniform(1, 1e7, N // 2), RNG.integers(0, 3, N // 2)]))


def _probability(x):
    assert np.all(np.isfinite(x)) and np.all((x >= 0) & (x <= 1))


def _mean(x, allow_inf=False):
    assert not np.any(np.isnan(x)) and np.all(x >= 0)
    if not allow_inf:
        assert np.all(np.isfinite(x))


def test_erlang_b_and_c_sweep():
    _probability(qm.erlang_b(SERVERS, LOADS))
    _probability(qm.erlang_c(SERVERS, LOADS))
    for lg in (qm.log_erlang_b(SERVERS, LOADS), qm.log_erlang_c(SERVERS, LOADS)):
        assert not np.any(np.isnan(lg)) and np.all(lg <= 0)
        assert np.all(np.isfinite(lg))          # loads are > 0 here


def test_mmck_sweep():
    q = qm.MMcK(LOADS, 1.0, SERVERS, SERVERS + EXTRA)
    for name in ("blocking", "p_empty", "utilization"):
        _probability(getattr(q, name))
    assert np.all(np.isfinite(q.log_blocking)) and np.all(q.log_blocking <= 0)
    for name in ("throughput", "mean_in_system", "mean_queue", "mean_wait", "mean_response_time"):
        _mean(getattr(q, name))
    assert np.all(q.mean_queue <= EXTRA * (1 + 1e-12))
    assert np.all(q.mean_in_system <= (SERVERS + EXTRA) * (1 + 1e-12))


def test_mmc_sweep():
    q = qm.MMc(LOADS, 1.0, SERVERS)
    _probability(q.p_wait)
    _probability(q.utilization)
    _probability(q.service_level(1.0))
    for name in ("mean_queue", "mean_wait", "mean_response_time", "mean_in_system"):
        _mean(getattr(q, name), allow_inf=True)
    unstable = LOADS >= SERVERS
    assert np.all(np.isinf(q.mean_queue[unstable])) and np.all(np.isfinite(q.mean_queue[~unstable]))


@pytest.mark.parametrize("sources_max", [50, 1e4, 1e7])
def test_engset_sweep(sources_max):
    n = np.floor(_loguniform(1, sources_max, N))
    c = np.maximum(1, np.floor(n * RNG.uniform(0, 1.2, N)))
    beta = _loguniform(1e-300, 1e300, N)
    m = qm.Engset(n, c, idle_source_load=beta)
    _probability(m.blocking)
    _probability(m.time_congestion)
    # Call congestion (N-1 sources seen) never exceeds time congestion.
    lt, lb = m.log_time_congestion, m.log_blocking
    finite = np.isfinite(lt)
    assert np.all(lb[~finite] == -np.inf)            # c > N: nothing is ever lost
    assert np.all(lb[finite] <= lt[finite] + 1e-12 * np.maximum(1, np.abs(lt[finite])))
    carried = m.carried_load
    assert np.all(np.isfinite(carried)) and np.all(carried >= 0)
    assert np.all(carried <= np.minimum(n, c) * (1 + 1e-12))


def test_inverses_sweep():
    a = _loguniform(1e-300, 1e7, 300)
    t = _loguniform(1e-300, 0.5, 300)
    c = qm.erlang_b_servers(a, target_blocking=t)
    assert np.all(c >= 1)
    cc = qm.erlang_c_servers(a, target_p_wait=t)
    assert np.all(cc > a)
    lam = _loguniform(1e-6, 1e4, 300)
    k = qm.min_capacity(lam, 1.0, np.floor(lam) + 1, target_blocking=np.maximum(t, 1e-12))
    assert np.all(k >= np.floor(lam) + 1)
