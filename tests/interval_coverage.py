"""Coverage of the Monte Carlo intervals with the settings a user gets.

One run of the procedure is ``qm.simulate(model, seed=s, rel_precision=REL,
quantities=...)``: every choice in it is the default one (replication
length from the relaxation time, stationary start or warm-up floor, MSER cut
with its test, pooled ratio intervals, Cochran's rule, sequential stopping)
except the precision target, which is looser than the default 0.01 so that
runs stop earlier -- the harder case for coverage -- and the coverage of
many runs is affordable.  Quantities rarer than RARE are left out: their
runs end in an upper bound (tested on its own in tests/test_simulate.py) and
would spend the whole budget.  ``groups`` runs with independent seeds give
the share of 95 % intervals that hold the exact value; it must be within
0.95 +- 0.02.

If the true coverage is exactly 0.95, the count of covering runs is
Binomial(groups, 0.95); :func:`false_failure_rate` is the probability that
it leaves the band (per quantity).

Used by ``tests/test_coverage.py`` (a fixed-seed sample) and
``benchmarks/coverage_matrix.py`` (``make coverage``: every load and model of
issue 14).
"""
import math
import warnings

import numpy as np
from scipy import stats

import queuemath as qm
from queuemath import montecarlo as mc

TARGET, BAND = 0.95, 0.02
LOADS = (0.5, 0.9, 0.95, 0.975, 0.99)
REL, RARE = 0.1, 1e-3


def observable(model):
    """The quantities a run estimates, less those rarer than RARE."""
    names = [q for q in model.quantities if q in mc.ESTIMATORS]
    return tuple(q for q in names if abs(float(getattr(model, q))) >= RARE)


def false_failure_rate(groups, target=TARGET, band=BAND):
    b = stats.binom(groups, target)
    lo, hi = math.ceil((target - band) * groups), math.floor((target + band) * groups)
    return float(b.cdf(lo - 1) + b.sf(hi))


def coverage(model, groups, seed, exact=None):
    """{quantity: (share of ``groups`` default runs whose interval holds the
    exact value, share of runs whose estimate was not a plain t interval)}.
    ``exact`` (a model) gives the exact values when ``model`` itself has none
    (a general-law model with exponential laws)."""
    exact = exact or model
    seeds = np.random.SeedSequence(seed).spawn(groups)
    wanted = observable(exact)
    hits = bounds = None
    with warnings.catch_warnings():
        # a run may say its intervals are doubtful; coverage counts them as given
        warnings.simplefilter("ignore", mc.SimulationWarning)
        for s in seeds:
            r = qm.simulate(model, seed=s, rel_precision=REL,
                            quantities=[q for q in wanted if q in model.quantities])
            if hits is None:
                hits, bounds = dict.fromkeys(r.quantities, 0), dict.fromkeys(r.quantities, 0)
            for q in r.quantities:
                est = getattr(r, q)
                # quantity_value: a network's per-station rows too
                hits[q] += est.covers(exact.quantity_value(q))
                bounds[q] += est.status != "ok"
    return {q: (hits[q] / groups, bounds[q] / groups) for q in hits}


def band(groups):
    """BAND, or wider for fewer than 1000 groups: wide enough that a true
    coverage of 0.95 leaves it with probability below 4e-3."""
    return max(BAND, 2.9 * math.sqrt(TARGET * (1 - TARGET) / groups))


def within(share, marked, groups=1000):
    """The test of one quantity: two-sided band for t intervals; where some
    runs gave an upper bound or a 'few events' interval (conservative by
    construction), only the lower side."""
    if marked > 0:
        return share >= TARGET - band(groups)
    return abs(share - TARGET) <= band(groups)


def models(load):
    """[(model, exact model or None)]: the models of issue 14 at one load rho
    (per server), the retrial queue, and the general FIFO engine with
    exponential laws against M/M/1/K and with phase-type service against
    M/PH/c/K."""
    out = [qm.MM1K(load, 1.0, k) for k in (2, 10, 100, 1000)]
    out += [qm.MMc(4 * load, 1.0, 4), qm.MMcK(4 * load, 1.0, 4, 20),
            qm.MMcK(10 * load, 1.0, 10, 10),                            # Erlang B
            qm.Engset(20, 10, idle_source_load=load / (2 - load)),      # offered ~ load per server
            qm.ErlangA(10 * load, 1.0, 10, patience_rate=0.2)]
    # issue 16: retrials (their own engine; first attempts at the load) and
    # phase-type service (the general engine, the model its own reference)
    out += [qm.RetrialMMcK(4 * load, 1.0, 4, 6, retry_rate=1.0, retry_probability=0.8)]
    out = [(m, None) for m in out]
    # issue 18: networks (their own engine; per-station rows ride on the run)
    out += [(m, None) for m in networks(load)]
    general = qm.GGcK(servers=1, capacity=10, interarrival_time=stats.expon(scale=1 / load),
                      service_time=stats.expon(scale=1.0))
    phase = qm.MPHcK(4 * load, 4, 20, service_time=qm.PhaseType.fit(1.0, 0.5))
    return out + [(general, qm.MM1K(load, 1.0, 10)), (phase, phase)]


def networks(load):
    """An open Jackson tandem with feedback whose busiest station is at
    ``load``, a tandem with finite buffers, and a closed network whose
    bottleneck is busy ``load`` of the time (its think time solved for it)."""
    from scipy.optimize import brentq
    nets = qm.networks
    # station 0 sees gamma + 0.2 * 0.2 of its own output, gamma / 0.96: at
    # service rate 1 it is the busiest, at ``load``
    jackson = nets.OpenNetwork([load * 0.96, 0, 0], [1.0, 2.0, 1.5], [1, 2, 1],
                               [[0, 1, 0], [0, 0, 0.2], [0.2, 0, 0]])
    buffers = nets.OpenNetwork([load, 0], [1.0, 1.25], [1, 1], [[0, 1], [0, 0]],
                               capacity=[8, 6])
    demands, servers, pop = [0.2, 1.2, 0.3], [1, 2, 1], 40

    def busy(z):
        x = nets.ClosedNetwork(demands, servers, pop, think_time=z).throughput
        return x * 1.2 / 2 - load
    think = brentq(busy, 1e-6, 1e4)
    closed = nets.ClosedNetwork(demands, servers, pop, think_time=think)
    return [jackson, buffers, closed]
