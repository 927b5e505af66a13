r"""Monte Carlo simulation: cross-check every closed form, simulate the rest.

``simulate(model)`` runs independent replications of a queue and returns an
estimate with a confidence interval for every quantity the model has;
``crosscheck(model)`` sets them beside the closed forms.  Any model of the
package can be simulated: it names its engine and the engine's arguments in
its public ``simulation_spec()``, and its quantities in ``quantities``; the
quantities that have an estimator below are estimated.  Exponential models
run on a lean Markov-chain engine, general ones (``MG1K``, ``MGcKApprox``,
``GGcK``, ``FiniteSourceGGcK``) on a FIFO event engine; both advance many
replications in lockstep with numpy (see :mod:`queuemath.montecarlo.engine`).

Scale-out uses any :class:`concurrent.futures.Executor`: a local
``ProcessPoolExecutor``, or on a cluster dask.distributed's::

    from dask.distributed import Client
    client = Client("scheduler-address:8786")
    result = qm.simulate(model, arrivals=10**9, executor=client.get_executor())

Replications are seeded one by one (``SeedSequence(seed).spawn``), so the
numbers do not depend on the executor or on how many workers it has.
"""
import numpy as np

from .. import _validate
from .._model import QueueModel
from . import engine as _engine
from .stats import CrossCheck, Estimate, SimulationResult, estimate

__all__ = ["simulate", "crosscheck", "ESTIMATORS", "Estimate", "SimulationResult",
           "CrossCheck"]

_CHUNK = 1024   # replications per task: large enough for lockstep to pay off


def _seed_sequence(seed):
    if isinstance(seed, np.random.SeedSequence):
        return seed
    try:
        return np.random.SeedSequence(seed)
    except (TypeError, ValueError):
        raise ValueError(f"seed must be None, an integer >= 0, a sequence of them or a "
                         f"numpy.random.SeedSequence, got {seed!r}") from None


def _positive_int(name, value):
    arr = _validate.integer(name, value, minimum=1)
    if arr.ndim:
        raise ValueError(f"{name} must be a single integer, got an array of shape {arr.shape}")
    return int(arr)


def _run_chunk(kind, kwargs, seeds, per_rep, warmup):
    run = _engine.run_markov if kind == "markov" else _engine.run_general
    return run(seeds=seeds, per_rep=per_rep, warmup=warmup, **kwargs)


#: How each quantity is estimated from one replication's tallies (see
#: :mod:`queuemath.montecarlo.engine`): ``d`` the tallies, ``c`` the servers.
ESTIMATORS = {
    "blocking": lambda d, c: d["blocked"] / d["counted"],
    "p_wait": lambda d, c: d["waited"] / d["counted"],
    "p_abandon": lambda d, c: d["abandoned"] / d["counted"],
    # customers who leave served: those admitted less those who abandon
    "throughput": lambda d, c: (d["admitted"] - d["abandoned"]) / d["window"],
    "utilization": lambda d, c: d["area_busy"] / (c * d["window"]),
    "mean_in_system": lambda d, c: d["area_n"] / d["window"],
    "mean_queue": lambda d, c: d["area_q"] / d["window"],
    "mean_wait": lambda d, c: d["wait_sum"] / d["served"],
    "mean_response_time": lambda d, c: d["response_sum"] / d["served"],
    "time_congestion": lambda d, c: d["area_full"] / d["window"],
    "carried_load": lambda d, c: d["area_busy"] / d["window"],
}


def _estimated(model, spec):
    """The model's quantities that a simulation estimates: those with an
    estimator, less blocking where nothing can be refused (no capacity)."""
    unlimited = not np.isfinite(spec.arguments.get("k", np.inf))
    return tuple(q for q in model.quantities
                 if q in ESTIMATORS and not (q == "blocking" and unlimited)
                 and not (q == "p_abandon" and not spec.arguments.get("theta")))


def simulate(model, *, arrivals=1_000_000, replications=None, warmup=None, seed=None,
             confidence=0.95, executor=None, progress=False):
    r"""Estimate every quantity of ``model`` by simulation, with intervals.

    Parameters
    ----------
    model : any queuemath model
        With scalar parameters (MM1K, MMcK, MMc, Engset, ErlangA, MG1K,
        MGcKApprox, GGcK, FiniteSourceGGcK, tcp.ListenQueue, ...).  Erlang B
        is ``MMcK`` with capacity = servers.
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
        (``mean``, ``low``, ``high``, ``half_width``), for each of the
        model's ``quantities`` that has an estimator in :data:`ESTIMATORS`
        (``blocking`` only with a capacity): ``blocking`` (refused over
        arrivals), ``p_wait`` (admitted and waiting over arrivals),
        ``p_abandon`` (abandonments over arrivals), ``throughput`` (customers
        served per unit time), ``utilization``, ``mean_in_system``,
        ``mean_queue``, ``mean_wait``, ``mean_response_time``,
        ``time_congestion`` and ``carried_load`` (Engset: time in units of
        the mean holding time).

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
    if not isinstance(model, QueueModel):
        raise ValueError(f"model must be a queuemath model (MM1K, MMcK, GGcK, ...), got "
                         f"{model!r}")
    spec = model.simulation_spec()
    kind, kwargs, servers = spec.engine, spec.arguments, spec.servers
    names = _estimated(model, spec)
    arrivals = _positive_int("arrivals", arrivals)
    if replications is None:
        replications = int(min(4096, max(16, arrivals // 2000)))
    replications = _positive_int("replications", replications)
    if replications < 2:
        # one replication has no spread to estimate: its interval would be
        # (-inf, inf), which covers everything and says nothing
        raise ValueError(f"replications must be at least 2 for a confidence interval, got "
                         f"{replications}")
    per_rep = -(-arrivals // replications)
    if warmup is None:
        warmup = per_rep // 10
    warmup = int(_validate.integer("warmup", warmup, minimum=0))
    conf = float(_validate.probability("confidence", confidence))
    ss = _seed_sequence(seed)
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
    per = {name: ESTIMATORS[name](d, servers) for name in names}
    estimates = {name: estimate(per[name], conf) for name in names}
    return SimulationResult(estimates, int(d["counted"].sum()), replications, warmup, conf,
                            model, per)


def crosscheck(model, **simulate_kwargs):
    r"""Closed form beside simulation for every quantity of ``model``.

    Parameters
    ----------
    model : any queuemath model with closed forms
        With scalar parameters.  For an approximation (``MGcKApprox``) the
        table measures the approximation's error.
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
    >>> [r["quantity"] for r in cc.rows][:3]
    ['blocking', 'p_wait', 'throughput']
    """
    if isinstance(model, QueueModel) and not model.closed_form:
        raise ValueError(f"{type(model).__name__} has no closed form to cross-check "
                         f"({model!r}); simulate(model) estimates its quantities")
    result = simulate(model, **simulate_kwargs)
    rows = []
    for name in result.quantities:
        exact = float(getattr(model, name))
        est = getattr(result, name)
        rows.append(dict(quantity=name, closed_form=exact, estimate=est.mean, low=est.low,
                         high=est.high, covered=est.covers(exact)))
    return CrossCheck(rows, result)
