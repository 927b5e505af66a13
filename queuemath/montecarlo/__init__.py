r"""Monte Carlo simulation: cross-check every closed form, simulate the rest.

``simulate(model)`` runs independent replications of a queue and returns an
estimate with a confidence interval for every quantity the model has;
``crosscheck(model)`` sets them beside the closed forms.  Exponential models
run on a lean Markov-chain engine, general ones (:class:`GGcK`,
:class:`FiniteSourceGGcK`) on a FIFO event engine; both advance many
replications in lockstep with numpy (see :mod:`queuemath.montecarlo.engine`).

Scale-out uses any :class:`concurrent.futures.Executor`: a local
``ProcessPoolExecutor``, or on a cluster dask.distributed's::

    from dask.distributed import Client
    client = Client("scheduler-address:8786")
    result = qm.simulate(model, arrivals=10**9, executor=client.get_executor())

Replications are seeded one by one (``SeedSequence(seed).spawn``), so the
numbers do not depend on the executor or on how many workers it has.
"""
import math

import numpy as np

from .. import _validate
from . import engine as _engine
from .models import FiniteSourceGGcK, GGcK, to_spec
from .stats import CrossCheck, Estimate, SimulationResult, estimate

__all__ = ["simulate", "crosscheck", "GGcK", "FiniteSourceGGcK", "Estimate",
           "SimulationResult", "CrossCheck"]

_CHUNK = 1024   # replications per task: large enough for lockstep to pay off


def _positive_int(name, value):
    arr = _validate.integer(name, value, minimum=1)
    if arr.ndim:
        raise ValueError(f"{name} must be a single integer, got an array of shape {arr.shape}")
    return int(arr)


def _run_chunk(kind, kwargs, seeds, per_rep, warmup):
    run = _engine.run_markov if kind == "markov" else _engine.run_general
    return run(seeds=seeds, per_rep=per_rep, warmup=warmup, **kwargs)


def simulate(model, *, arrivals=1_000_000, replications=None, warmup=None, seed=None,
             confidence=0.95, executor=None, progress=False):
    r"""Estimate every quantity of ``model`` by simulation, with intervals.

    Parameters
    ----------
    model : MM1K, MMcK, MMc, Engset, ErlangA, GGcK or FiniteSourceGGcK
        With scalar parameters.  Erlang B is ``MMcK`` with capacity = servers.
    arrivals : int, default 1_000_000
        Total arrivals measured after warm-up, split evenly across the
        replications (rounded up, so ``result.arrivals`` may be a little more).
    replications : int, optional
        Independent replications; default ``arrivals // 2000`` clipped to
        [16, 4096], so each runs about 2000 arrivals.
    warmup : int, optional
        Arrivals discarded at the start of each replication (which starts
        empty); default a tenth of a replication's measured arrivals.
    seed : int or numpy.random.SeedSequence, optional
        Seed of the whole run; None draws fresh entropy.
    confidence : float, default 0.95
        Level of the Student-t intervals over replications, in (0, 1).
    executor : concurrent.futures.Executor, optional
        Runs blocks of replications; results are identical with or without.
    progress : bool, default False
        Show a tqdm progress bar over blocks of replications.

    Returns
    -------
    SimulationResult
        ``arrivals``, ``replications`` and one :class:`Estimate` per quantity
        (``mean``, ``low``, ``high``, ``half_width``): ``blocking`` (or
        ``p_wait`` without a capacity), ``throughput``, ``utilization``,
        ``mean_in_system``, ``mean_queue``, ``mean_wait``,
        ``mean_response_time``; ErlangA: ``blocking`` (with a capacity),
        ``p_wait``, ``p_abandon`` (abandonments over arrivals), ``throughput``
        (customers served per unit time), ``utilization``, ``mean_in_system``,
        ``mean_queue``, ``mean_wait``; Engset: ``blocking`` (call congestion),
        ``time_congestion``, ``carried_load`` (time in units of the mean
        holding time).

    Notes
    -----
    Memory is proportional to the number of replications in a block, never
    to the number of arrivals.  The intervals assume the replications'
    estimates are near normal, which holds once each replication has a few
    thousand events; the coverage tests in ``tests/test_simulate.py``
    measure it.

    Examples
    --------
    >>> import queuemath as qm
    >>> r = qm.simulate(qm.MM1K(0.9, 1.0, 10), arrivals=200_000, seed=1)
    >>> r.blocking.low < float(qm.MM1K(0.9, 1.0, 10).blocking) < r.blocking.high
    True
    """
    kind, kwargs, names, servers = to_spec(model)
    arrivals = _positive_int("arrivals", arrivals)
    if replications is None:
        replications = int(min(4096, max(16, arrivals // 2000)))
    replications = _positive_int("replications", replications)
    per_rep = -(-arrivals // replications)
    if warmup is None:
        warmup = per_rep // 10
    warmup = int(_validate.integer("warmup", warmup, minimum=0))
    conf = float(_validate.probability("confidence", confidence))
    ss = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    seeds = ss.spawn(replications)
    blocks = [seeds[i:i + _CHUNK] for i in range(0, replications, _CHUNK)]
    bar = None
    if progress:
        from tqdm.auto import tqdm
        bar = tqdm(total=replications, unit="replication", desc=type(model).__name__)
    parts = []
    if executor is None:
        for block in blocks:
            parts.append(_run_chunk(kind, kwargs, block, per_rep, warmup))
            if bar is not None:
                bar.update(len(block))
    else:
        futures = [executor.submit(_run_chunk, kind, kwargs, block, per_rep, warmup)
                   for block in blocks]
        for fut, block in zip(futures, blocks):
            parts.append(fut.result())
            if bar is not None:
                bar.update(len(block))
    if bar is not None:
        bar.close()
    d = {key: np.concatenate([p[key] for p in parts]) for key in parts[0]}
    per = _per_replication(d, names, servers, kind)
    estimates = {name: estimate(per[name], conf) for name in names}
    return SimulationResult(estimates, int(d["counted"].sum()), replications, warmup, conf,
                            model, per)


def _per_replication(d, names, servers, kind):
    window = d["window"]
    served = d["admitted"] if kind == "markov" else d["started"]
    # customers who leave served: those admitted less those who abandon
    done = d["admitted"] - d.get("abandoned", 0.0)
    table = dict(
        blocking=d["blocked"] / d["counted"],
        p_wait=d["waited"] / d["counted"],
        p_abandon=d.get("abandoned", np.zeros_like(window)) / d["counted"],
        throughput=done / window,
        utilization=d["area_busy"] / (servers * window),
        mean_in_system=d["area_n"] / window,
        mean_queue=d["area_q"] / window,
        mean_wait=d["wait_sum"] / served,
        mean_response_time=d["response_sum"] / served,
        time_congestion=d["area_full"] / window,
        carried_load=d["area_busy"] / window,
    )
    return {name: table[name] for name in names}


def crosscheck(model, **simulate_kwargs):
    r"""Closed form beside simulation for every quantity of ``model``.

    Parameters
    ----------
    model : MM1K, MMcK, MMc, Engset or ErlangA
        A model with closed forms and scalar parameters.
    **simulate_kwargs
        Passed to :func:`simulate` (``arrivals``, ``seed``, ...).

    Returns
    -------
    CrossCheck
        ``rows``: quantity, closed_form, estimate, low, high, covered;
        ``all_covered``; ``to_dict()``; prints as a table.

    Examples
    --------
    >>> import queuemath as qm
    >>> cc = qm.crosscheck(qm.MMcK(7.0, 1.0, 10, 10), arrivals=200_000, seed=2)
    >>> [r["quantity"] for r in cc.rows][:2]
    ['blocking', 'throughput']
    """
    if isinstance(model, (GGcK, FiniteSourceGGcK)):
        raise ValueError(f"model has no closed form to cross-check: {model!r}")
    result = simulate(model, **simulate_kwargs)
    rows = []
    for name in result.quantities:
        exact = float(getattr(model, name))
        est = getattr(result, name)
        rows.append(dict(quantity=name, closed_form=exact, estimate=est.mean, low=est.low,
                         high=est.high, covered=est.covers(exact)))
    return CrossCheck(rows, result)
