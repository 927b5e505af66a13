"""Monte Carlo module: coverage, agreement with closed forms, reproducibility.

Every statistical assertion uses a fixed seed, so a run either passes or
fails the same way everywhere; each states the probability that it would
fail for a correct simulator (its false-failure rate).
"""
import os
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pytest
from scipy import stats

import queuemath as qm
from queuemath.montecarlo.stats import estimate

# -- coverage ----------------------------------------------------------------
# 3000 independent runs of 10 replications each.  If the intervals cover with
# probability exactly 0.95, the number covering is Binomial(3000, 0.95) and
# |share - 0.95| > 0.02 has probability below 1e-6 (computed below).
RUNS, REPS_PER_RUN, PER_REP, WARMUP = 3000, 10, 1000, 100


def _false_failure_rate():
    lo, hi = np.floor((0.93) * RUNS), np.ceil((0.97) * RUNS)
    b = stats.binom(RUNS, 0.95)
    return b.cdf(lo - 1) + b.sf(hi)


def test_coverage_test_is_sharp_enough():
    assert _false_failure_rate() < 1e-6


@pytest.mark.parametrize("model, quantities, seed", [
    (qm.MM1K(0.9, 1.0, 10), ("blocking", "mean_in_system"), 11),
    (qm.MMcK(3.2, 1.0, 4, 8), ("blocking", "mean_queue"), 12),
    (qm.MMcK(7.0, 1.0, 10, 10), ("blocking",), 13),          # Erlang B
    (qm.Engset(20, 5, idle_source_load=0.3), ("blocking", "carried_load"), 14),
])
def test_interval_coverage(model, quantities, seed):
    res = qm.simulate(model, arrivals=RUNS * REPS_PER_RUN * PER_REP,
                      replications=RUNS * REPS_PER_RUN, warmup=WARMUP, seed=seed)
    for name in quantities:
        exact = float(getattr(model, name))
        groups = res.per_replication[name].reshape(RUNS, REPS_PER_RUN)
        covered = sum(estimate(g, 0.95).covers(exact) for g in groups)
        assert abs(covered / RUNS - 0.95) <= 0.02, (name, covered / RUNS)


# -- agreement with closed forms --------------------------------------------
# 99.99% intervals: at most 9 quantities, so a correct simulator fails one of
# them with probability below 9e-4 (Bonferroni).
STRICT = 0.9999


@pytest.mark.parametrize("model", [qm.MM1K(0.9, 1.0, 10), qm.MMcK(3.2, 1.0, 4, 8),
                                   qm.MMc(3.0, 1.0, 4), qm.Engset(20, 5, idle_source_load=0.3)])
def test_crosscheck_covers_closed_forms(model):
    cc = qm.crosscheck(model, arrivals=400_000, seed=21, confidence=STRICT)
    assert cc.all_covered, cc


def test_general_engine_with_exponential_laws_matches_mm1k():
    # Independent of the Markov engine: per-customer FIFO waits.
    model = qm.GGcK(servers=1, capacity=10, interarrival_time=stats.expon(scale=1 / 0.9),
                    service_time=stats.expon(scale=1.0))
    res = qm.simulate(model, arrivals=400_000, seed=22, confidence=STRICT)
    exact = qm.MM1K(0.9, 1.0, 10)
    for name in res.quantities:
        assert getattr(res, name).covers(float(getattr(exact, name))), name


def test_general_engine_multi_server_unlimited_matches_mmc():
    model = qm.GGcK(servers=4, interarrival_time=stats.expon(scale=1 / 3.0),
                    service_time=stats.expon(scale=1.0))
    res = qm.simulate(model, arrivals=400_000, seed=23, confidence=STRICT)
    exact = qm.MMc(3.0, 1.0, 4)
    for name in res.quantities:
        assert getattr(res, name).covers(float(getattr(exact, name))), name


def test_finite_sources_with_exponential_think_times_match_engset():
    model = qm.FiniteSourceGGcK(sources=20, servers=5, think_time=stats.expon(scale=1 / 0.3),
                                service_time=stats.expon(scale=1.0))
    res = qm.simulate(model, arrivals=300_000, seed=24, confidence=STRICT)
    exact = qm.Engset(20, 5, idle_source_load=0.3)
    for name in ("blocking", "time_congestion", "carried_load"):
        assert getattr(res, name).covers(float(getattr(exact, name))), name


def _md1k_blocking(lam, d, k):
    """M/D/1/K blocking from the embedded Markov chain at departures
    (Gross, Shortle, Thompson, Harris, Fundamentals of Queueing Theory, 4th
    ed., 2008, sec. 5.1.10): pi over 0..K-1, then p_K = 1 - 1/(pi_0 + rho)."""
    from scipy.special import gammaln
    rho = lam * d
    j = np.arange(k + 1)
    a = np.exp(j * np.log(rho) - rho - gammaln(j + 1))   # arrivals in one service
    p = np.zeros((k, k))
    for i in range(k):
        start = max(i - 1, 0)
        for col in range(start, k - 1):
            p[i, col] = a[col - start]
        p[i, k - 1] = 1 - p[i, : k - 1].sum()
    # solve pi (P - I) = 0 with sum(pi) = 1
    m = np.vstack([(p - np.eye(k)).T, np.ones(k)])
    rhs = np.zeros(k + 1)
    rhs[-1] = 1
    pi = np.linalg.lstsq(m, rhs, rcond=None)[0]
    return 1 - 1 / (pi[0] + rho)


def test_md1k_matches_embedded_chain():
    lam, d, k = 0.9, 1.0, 5
    exact = _md1k_blocking(lam, d, k)
    model = qm.GGcK(lam, 1, k, service_time=d)   # Poisson arrivals; a number: constant service
    res = qm.simulate(model, arrivals=400_000, seed=25, confidence=STRICT)
    assert res.blocking.covers(exact)
    # deterministic service blocks less than exponential at the same load
    assert exact < float(qm.MM1K(lam, 1 / d, k).blocking)


# -- precision and reproducibility -------------------------------------------
def test_half_width_shrinks_like_one_over_root_work():
    # Four times the work per replication should halve the half-width.  With
    # 256 replications on each side the ratio of the two sample standard
    # deviations is sqrt(F(255, 255)) times its true value 2, and it leaves
    # [1.5, 2.7] with probability about 4e-6 (log F has sd 0.125).
    m = qm.MM1K(0.9, 1.0, 10)
    small = qm.simulate(m, arrivals=256 * 2000, replications=256, seed=31)
    big = qm.simulate(m, arrivals=256 * 8000, replications=256, seed=32)
    ratio = small.blocking.half_width / big.blocking.half_width
    assert 1.5 <= ratio <= 2.7


def test_same_seed_same_numbers_with_or_without_a_process_pool():
    m = qm.MMcK(3.2, 1.0, 4, 8)
    kw = dict(arrivals=40_000, replications=20, seed=7)
    a = qm.simulate(m, **kw)
    with ProcessPoolExecutor(2) as pool:
        b = qm.simulate(m, executor=pool, **kw)
    assert a.to_dict() == b.to_dict()
    c = qm.simulate(m, **dict(kw, seed=8))
    assert c.to_dict() != a.to_dict()


def test_same_numbers_on_a_dask_cluster(monkeypatch):
    # The docstring's promise, kept: simulate(executor=client.get_executor())
    # on dask.distributed worker processes gives the serial run's numbers.
    distributed = pytest.importorskip("dask.distributed")
    import queuemath.montecarlo as sim
    monkeypatch.setattr(sim, "_CHUNK", 4)         # 8 blocks, spread over both workers
    m = qm.MMcK(3.2, 1.0, 4, 8)
    kw = dict(arrivals=60_000, replications=30, seed=7)
    serial = qm.simulate(m, **kw)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        remote = qm.simulate(m, executor=client.get_executor(), **kw)
        pids = set(client.run(os.getpid).values())
    assert len(pids) == 2 and os.getpid() not in pids      # two other processes
    assert remote.to_dict() == serial.to_dict()
    for name in serial.quantities:
        np.testing.assert_array_equal(remote.per_replication[name], serial.per_replication[name])


def test_replications_do_not_depend_on_their_neighbours(monkeypatch):
    import queuemath.montecarlo as sim
    m = qm.GGcK(servers=2, capacity=6, interarrival_time=stats.expon(scale=1.0),
                service_time=stats.lognorm(s=0.5))
    kw = dict(arrivals=5_000, replications=10, seed=3)
    whole = qm.simulate(m, **kw).per_replication["blocking"]
    monkeypatch.setattr(sim, "_CHUNK", 3)      # split into blocks of 3, 3, 3, 1
    split = qm.simulate(m, **kw).per_replication["blocking"]
    np.testing.assert_array_equal(whole, split)


def test_result_table_and_display():
    r = qm.simulate(qm.MM1K(0.5, 1.0, 3), arrivals=20_000, seed=1)
    d = r.to_dict()
    assert set(d) == set(r.quantities)
    assert set(d["blocking"]) == {"mean", "low", "high", "half_width"}
    assert r.arrivals >= 20_000 and r.replications == 16
    assert "<table>" in r._repr_html_() and "blocking" in repr(r)
    cc = qm.crosscheck(qm.MM1K(0.5, 1.0, 3), arrivals=20_000, seed=1)
    assert "covered" in repr(cc) and "<table>" in cc._repr_html_()


def test_progress_bar_reports_and_changes_nothing(capsys):
    kw = dict(arrivals=5_000, replications=20, seed=1)
    quiet = qm.simulate(qm.MM1K(0.5, 1.0, 3), **kw)
    assert capsys.readouterr().err == ""
    shown = qm.simulate(qm.MM1K(0.5, 1.0, 3), progress=True, **kw)
    err = capsys.readouterr().err
    assert "20/20" in err and "replication" in err       # the bar reached the end
    assert shown.to_dict() == quiet.to_dict()


# -- bad input ---------------------------------------------------------------
@pytest.mark.parametrize("call, match", [
    (lambda: qm.simulate("MM1K"), "model must be a queuemath model"),
    (lambda: qm.simulate(qm.MM1K(0.9, 1.0, 5), arrivals=0), "arrivals"),
    (lambda: qm.simulate(qm.MM1K(0.9, 1.0, 5), replications=-2), "replications"),
    (lambda: qm.simulate(qm.MM1K(0.9, 1.0, 5), confidence=1.0), "confidence"),
    (lambda: qm.simulate(qm.MM1K(0.9, 1.0, 5), warmup=-1), "warmup"),
    (lambda: qm.simulate(qm.MM1K([0.5, 0.9], 1.0, 5)), "scalar parameters"),
    (lambda: qm.simulate(qm.MM1K(0.0, 1.0, 5)), "arrival_rate must be > 0"),
    (lambda: qm.simulate(qm.MMc(5.0, 1.0, 2)), "unstable"),
    (lambda: qm.GGcK(servers=1, capacity=2, interarrival_time=[1, 2], service_time=1.0),
     "interarrival_time must be a number .* or a frozen scipy.stats"),
    (lambda: qm.GGcK(servers=1, capacity=2, interarrival_time=stats.norm(), service_time=1.0),
     "interarrival_time can return negative"),
    (lambda: qm.GGcK(1.0, 0, 2, service_time=1.0), "servers"),
    (lambda: qm.GGcK(1.0, 3, 2, service_time=1.0), "capacity must be >= servers"),
    (lambda: qm.GGcK(1.0, 1, 2, service_time=1.0, interarrival_time=1.0), "not both"),
    (lambda: qm.GGcK(servers=1, service_time=1.0), "either arrival_rate"),
    (lambda: qm.GGcK([1.0, 2.0], 1, service_time=1.0), "arrival_rate must be a single number"),
    (lambda: qm.FiniteSourceGGcK(1.0, 5, 1, service_time=stats.uniform(-1, 2)),
     "service_time can return"),
    (lambda: qm.FiniteSourceGGcK(1.0, 0, 1, service_time=1.0), "sources"),
    (lambda: qm.FiniteSourceGGcK(1.0, service_time=1.0), "sources is required"),
    (lambda: qm.crosscheck(qm.GGcK(1.0, 1, 2, service_time=1.0)), "no closed form"),
    (lambda: qm.GGcK(1.0, 1, 2, service_time=-1.0), "service_time must be a finite number > 0"),
])
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()
