r"""Monte Carlo simulation: cross-check every closed form, simulate the rest.

``simulate(model)`` runs independent replications of a queue and returns an
estimate with a confidence interval for every quantity the model has;
``crosscheck(model)`` sets them beside the closed forms.  Any model of the
package can be simulated: it names its engine and the engine's arguments in
its public ``simulation_spec()``, and its quantities in ``quantities``; the
quantities that have an estimator (:data:`ESTIMATORS`) are estimated.
Exponential models run on a compiled birth-death engine, general ones
(``MG1K``, ``MGcKApprox``, ``GGcK``, ``FiniteSourceGGcK``) on a FIFO event
engine that advances many replications in lockstep with numpy (see
:mod:`queuemath.montecarlo.engine`).  How long to run comes from the model's
relaxation time (:mod:`queuemath.montecarlo.plan`), the warm-up and the
intervals from the data (:mod:`queuemath.montecarlo.stats`).

Scale-out uses any :class:`concurrent.futures.Executor`: a local
``ProcessPoolExecutor``, or on a cluster dask.distributed's::

    from dask.distributed import Client
    client = Client("scheduler-address:8786")
    result = qm.simulate(model, arrivals=10**9, executor=client.get_executor())

Replications are seeded one by one (``SeedSequence(seed).spawn``), so the
numbers do not depend on the executor or on how many workers it has.
"""
import math
import warnings

import numpy as np

from .. import _validate
from .._model import QueueModel
from . import engine as _engine
from .plan import relaxation
from .stats import (ESTIMATORS, WAIT_PREFIX, CrossCheck, Estimate, SimulationResult,
                    SimulationWarning, analyse, wait_name, replications_needed, troubles)

__all__ = ["simulate", "crosscheck", "ESTIMATORS", "Estimate", "SimulationResult",
           "CrossCheck", "SimulationWarning", "relaxation"]

_CHUNK = 1024   # replications per task: large enough for lockstep to pay off

#: The run plan (see the README's "How the Monte Carlo module decides how long
#: to run"): each replication spans WARM + RUN relaxation times, cut into
#: BATCHES batches; at least MIN_REPLICATIONS replications, each at least
#: MIN_ARRIVALS arrivals.
RUN, WARM, BATCHES = 10.0, 3.0, 50
MIN_REPLICATIONS, MIN_ARRIVALS, MAX_REPLICATIONS = 20, 2000, 4096
#: Default budgets of a precision-driven run: the compiled Markov engine
#: does ~5e7 events/s, the general (numpy) engine ~2e6 arrivals/s.
MAX_ARRIVALS = {"markov": 100_000_000, "retrial": 100_000_000, "network": 50_000_000,
                "general": 10_000_000}
#: How many times a run whose checks fail is restarted with replications
#: twice as long; how many fresh stages a precision-driven run may run after
#: its main stage.
LENGTHEN, TOPUPS = 2, 4
#: Standard errors added to a stage's sample skewness when it sizes the next
#: stage by Cochran's rule (stats.replications_needed).
SKEW_MARGIN = 1.0


def _positive_int(name, value):
    arr = _validate.integer(name, value, minimum=1)
    if arr.ndim:
        raise ValueError(f"{name} must be a single integer, got an array of shape {arr.shape}")
    return int(arr)


def _run_chunk(kind, kwargs, seeds, batches, batch_size, tick=None, start=None):
    if kind == "markov":
        return _engine.run_markov(seeds=seeds, batches=batches, batch_steps=batch_size,
                                  tick=tick, **kwargs, **(start or {}))
    if kind == "retrial":
        kwargs = {key: v for key, v in kwargs.items() if key != "orbit_levels"}
        return _engine.run_retrial(seeds=seeds, batches=batches, batch_steps=batch_size,
                                   tick=tick, **kwargs, **(start or {}))
    if kind == "network":
        # ``fixed`` tells simulate what not to estimate; the engine has no use for it
        kwargs = {key: v for key, v in kwargs.items() if key != "fixed"}
        return _engine.run_network(seeds=seeds, batches=batches, batch_steps=batch_size,
                                   tick=tick, **kwargs, **(start or {}))
    return _engine.run_general(seeds=seeds, batches=batches, batch_arrivals=batch_size,
                               tick=tick, **kwargs)


def _estimated(model, spec, quantities):
    """The model's quantities that a simulation estimates: those with an
    estimator, less those that cannot happen: blocking without a capacity,
    waiting without room to wait (Erlang B), abandonment without patience."""
    a = spec.arguments
    if spec.engine == "network":
        # a closed network without think time has all N at its stations
        names = tuple(q for q in model.quantities if q in ESTIMATORS
                      and q not in a.get("fixed", ()))
    else:
        unlimited = not np.isfinite(a.get("k", np.inf))
        no_room = a.get("k", np.inf) <= a["c"]
        skip = set()
        if unlimited:
            skip.add("blocking")
        if no_room:
            skip |= {"p_wait", "mean_queue", "mean_wait"}
        if not a.get("theta"):
            skip.add("p_abandon")
        names = tuple(q for q in model.quantities if q in ESTIMATORS and q not in skip)
    if quantities is None:
        return names
    asked = (quantities,) if isinstance(quantities, str) else tuple(quantities)
    for q in asked:
        if q not in names:
            raise ValueError(f"quantities: {q!r} is not estimated for {type(model).__name__}; "
                             f"choose from {', '.join(names)}")
    return tuple(q for q in names if q in asked)


def _wait_riders(model, spec, wait_times):
    """(names, engine argument) of the waiting-time law's estimates at the
    times asked (see simulate's ``wait_times``)."""
    if wait_times is None:
        return (), None
    times = np.atleast_1d(np.asarray(_validate.duration("wait_times", wait_times), dtype=float))
    if times.ndim != 1 or not np.isfinite(times).all():
        raise ValueError(f"wait_times must be a sequence of finite times >= 0, got {wait_times!r}")
    a = spec.arguments
    if a.get("k", np.inf) <= a["c"]:
        raise ValueError(f"wait_times: nobody waits in {model!r} (capacity = servers)")
    if spec.engine == "retrial":
        raise ValueError(f"wait_times: {type(model).__name__} has no waiting-time law to check")
    times = np.unique(times)
    names = [wait_name(t) for t in times]
    if len(set(names)) != len(names):
        raise ValueError(f"wait_times: times closer than 6 significant digits, got {wait_times!r}")
    if spec.engine != "markov":
        return tuple(names), dict(names=names, times=times)
    return tuple(names), dict(names=names, table=_wait_table(a, times))


def _wait_table(a, times):
    """P(wait <= t_i, served | j waiting ahead) for j = 0, 1, ... until every
    entry is below 1e-17 (or the queue's last place)."""
    from scipy import special
    cmu = a["c"] * a["mu"]
    theta = float(a.get("theta") or 0.0)
    room = a.get("k", np.inf) - a["c"]
    top = cmu * float(times.max())
    rows = int(top + 10 * math.sqrt(top) + 50)
    while True:
        rows = int(min(rows, room)) if np.isfinite(room) else rows
        j = np.arange(rows, dtype=float)[:, None]
        if theta > 0:
            s = cmu / theta
            table = s / (s + j + 1) * special.betainc(j + 1, s + 1, -np.expm1(-theta * times))
        else:
            table = special.gammainc(j + 1, cmu * times)
        if rows >= room or table[-1].max() < 1e-17:
            return table
        rows *= 2


def _VARIANCE_MARGIN(replications):
    """(n-1)/chi2_{0.1, n-1}: the factor from a variance estimate on n
    replications to its upper 90 % confidence bound."""
    from scipy.special import chdtri
    n = max(int(replications), 2)
    return (n - 1) / float(chdtri(n - 1, 0.9))


def _met(est, target):
    return est.status == "ok" and est.half_width <= target * abs(est.mean)


def simulate(model, *, arrivals=None, rel_precision=0.01, max_arrivals=None, quantities=None,
             replications=None, warmup=None, seed=None, confidence=0.95, executor=None,
             progress=False, stationary_start=True, wait_times=None):
    r"""Estimate every quantity of ``model`` by simulation, with intervals.

    By default the run is as long as the precision asked needs: a pilot
    sizes a fresh main stage (and, while the target is missed, further fresh
    stages, each sized from the one before) until every quantity's interval
    half-width is within ``rel_precision`` of its estimate, or
    ``max_arrivals`` are spent (the result then names the quantities that
    fell short).  Each replication
    starts empty and is as long as the model's relaxation time requires
    (:func:`queuemath.montecarlo.relaxation`); the warm-up discarded is what
    the data say (MSER); a share never observed gets an upper bound, not a
    zero-width interval.

    Parameters
    ----------
    model : any queuemath model
        With scalar parameters (MM1K, MMcK, MMc, Engset, ErlangA, MG1K,
        MGcKApprox, GGcK, FiniteSourceGGcK, tcp.ListenQueue, ...).  Erlang B
        is ``MMcK`` with capacity = servers.
    arrivals : int, optional
        A fixed budget instead of a precision target: total arrivals,
        warm-up included, split evenly over the replications.  If it is
        less than the model needs for honest intervals (20 replications
        of 13 relaxation times, and as many replications as Cochran's rule
        asks for their skewness) the run is raised to that and a
        :class:`~queuemath.montecarlo.SimulationWarning` says so.
    rel_precision : float, default 0.01
        Target half-width of every interval relative to its estimate, in
        (0, 1); ignored when ``arrivals`` is given.
    max_arrivals : int, optional
        Budget of a precision-driven run; default 1e8 for exponential models
        (compiled engine, a few seconds) and 1e7 for general laws.
    quantities : str or sequence of str, optional
        The quantities to estimate (and hold to ``rel_precision``); default
        all of the model's that a simulation can estimate.
    replications : int, optional
        Independent replications, at least 2; default chosen from the budget
        (10 to 4096).
    warmup : int, optional
        Arrivals discarded at the start of each replication; default chosen
        from the data by MSER (White 1997).
    seed : int or numpy.random.SeedSequence, optional
        Seed of the whole run; None draws fresh entropy.
    confidence : float, default 0.95
        Level of the Student-t intervals over replications, in (0, 1).
    executor : concurrent.futures.Executor, optional
        Runs blocks of replications; results are identical with or without.
    progress : bool, default False
        Show a progress bar in arrivals (tqdm; a widget in Jupyter when
        ipywidgets is installed, ``pip install 'queuemath[notebook]'``).
    stationary_start : bool, default True
        Exponential models start each replication from the stationary law
        of their chain, computed from its rates by detailed balance (the
        retrial queue and networks of at most 2e4 states: a sparse solve),
        not from the closed form being checked, weighted by each state's
        total event rate (the law of the engine's jump chain); False starts
        them empty, and the warm-up is then what the data say.
    wait_times : sequence of float, optional
        Times t at which the waiting-time law is estimated too, as
        ``wait_cdf(t)`` (rows named like ``wait_cdf(0.731)``): the share of
        admitted customers (of served ones with abandonment) whose wait is
        at most t.  The general engine counts measured waits; the
        exponential engine adds each admitted customer's chance of a wait of
        at most t given the queue it finds (Erlang, or with patience the
        Beta law of the served, see ``ErlangA.log_wait_sf``): conditional
        Monte Carlo, which has less variance and checks the law of the
        state seen and the FIFO mixture built on it.  These estimates ride
        on the run: they do not set its length, its warm-up or its checks,
        and asking for them changes no other number.

    Returns
    -------
    SimulationResult
        One :class:`~queuemath.montecarlo.Estimate` per quantity (``mean``, ``low``, ``high``,
        ``half_width``, ``status``): ``blocking`` (refused over arrivals),
        ``p_wait`` (admitted and waiting over arrivals), ``p_abandon``
        (abandonments over arrivals), ``throughput`` (customers served per
        unit time), ``utilization``, ``mean_in_system``, ``mean_queue``,
        ``mean_wait``, ``mean_response_time``, ``time_congestion`` and
        ``carried_load`` (Engset: time in units of the mean holding time);
        and ``arrivals``, ``replications``, ``warmup``, ``relaxation_time``,
        ``shortfall``, ``troubles``.

    Warns
    -----
    SimulationWarning
        When the budget ends short of ``rel_precision``, when the run is
        longer than the ``arrivals`` asked, and when the checks (warm-up at
        its limit, drift between the halves of the replications, batches
        correlated over much of a replication) still fail after the
        replications were made longer.

    See Also
    --------
    crosscheck : The estimates beside a model's closed forms.
    queuemath.montecarlo.relaxation : The time scale the run is planned on.
    queuemath.tcp.simulate_storm : A storm with retries (a transient, not a steady state).

    Notes
    -----
    Exponential models run on a compiled birth-death engine that credits
    each state with its mean holding time (discrete-time conversion:
    Hordijk, Iglehart & Schassberger 1976); general laws on a FIFO event
    engine.  Memory is proportional to replications times batches, never
    to arrivals.  ``tests/test_coverage.py`` measures the intervals'
    coverage at loads 0.5 to 0.99 (``make coverage`` runs the full budget).

    References
    ----------
    .. [1] W. Whitt, "Planning queueing simulations", Management Science
       35(11), 1341-1366, 1989. https://doi.org/10.1287/mnsc.35.11.1341
    .. [2] K. P. White Jr., "An effective truncation heuristic for bias
       reduction in simulation output", Simulation 69(6), 323-334, 1997.
       https://doi.org/10.1177/003754979706900601
    .. [3] A. Hordijk, D. L. Iglehart, R. Schassberger, "Discrete time
       methods for simulating continuous time Markov chains", Advances in
       Applied Probability 8(4), 772-788, 1976. https://doi.org/10.2307/1425934

    Examples
    --------
    >>> import queuemath as qm
    >>> r = qm.simulate(qm.MM1K(0.9, 1.0, 10), arrivals=200_000, seed=1)
    >>> r.blocking.low < float(qm.MM1K(0.9, 1.0, 10).blocking) < r.blocking.high
    True
    >>> r = qm.simulate(qm.MMc(3.9, 1.0, 4), rel_precision=0.05, seed=1)
    >>> r.mean_wait.half_width <= 0.05 * r.mean_wait.mean
    True
    """
    if not isinstance(model, QueueModel):
        raise ValueError(f"model must be a queuemath model (MM1K, MMcK, GGcK, ...), got "
                         f"{model!r}")
    spec = model.simulation_spec()
    kind, kwargs, servers = spec.engine, spec.arguments, spec.servers
    names = _estimated(model, spec, quantities)
    riders, waits = _wait_riders(model, spec, wait_times)
    if kind == "network":
        # a network's per-station rows ride on the run, like wait_cdf rows
        riders = riders + tuple(kwargs["rows"])
    if waits is not None:
        kwargs = dict(kwargs, waits=waits)
    conf = float(_validate.probability("confidence", confidence))
    if replications is not None:
        replications = _positive_int("replications", replications)
        if replications < 2:
            # one replication has no spread to estimate: its interval would be
            # (-inf, inf), which covers everything and says nothing
            raise ValueError(f"replications must be at least 2 for a confidence interval, "
                             f"got {replications}")
    if warmup is not None:
        warmup = int(_validate.integer("warmup", warmup, minimum=0))
    sequential = arrivals is None
    if sequential:
        target = float(_validate.probability("rel_precision", rel_precision))
        budget = _positive_int("max_arrivals",
                               MAX_ARRIVALS[kind] if max_arrivals is None else max_arrivals)
    else:
        arrivals = _positive_int("arrivals", arrivals)
        budget, target = arrivals, None
    ss = _validate.seed_sequence(seed)

    plan = relaxation(spec)
    start = (dict(start_cdf=plan.start_cdf, first_state=plan.first_state)
             if kind in ("markov", "retrial") and stationary_start else None)
    if kind == "network":
        start = (dict(start_cdf=plan.start_cdf, start_states=plan.start_states)
                 if stationary_start and plan.start_cdf is not None else None)
    relax = math.ceil((RUN + WARM) * plan.relaxation_time * plan.arrival_rate)
    need = max(MIN_ARRIVALS, relax)
    notes = []
    if sequential:
        reps = replications or MIN_REPLICATIONS
        # long enough that the replications the budget allows fit in memory
        per_rep = max(need, math.ceil(budget / MAX_REPLICATIONS))
        if reps * per_rep > budget:
            raise ValueError(
                f"max_arrivals={budget} is too small for {model!r}: its relaxation time is "
                f"{plan.relaxation_time:.4g} (about {plan.relaxation_time * plan.arrival_rate:.3g}"
                f" arrivals), so {reps} replications of {RUN + WARM:g} relaxation times need "
                f"{reps * per_rep} arrivals; raise max_arrivals or lower the load")
    elif replications is not None:
        reps, per_rep = replications, -(-arrivals // replications)
        if per_rep < relax:
            notes.append(f"replications of {per_rep} arrivals are shorter than the "
                         f"{relax} ({RUN + WARM:g} relaxation times) this model needs")
    else:
        reps = int(min(MAX_REPLICATIONS, max(MIN_REPLICATIONS, arrivals // need)))
        per_rep = max(relax, -(-arrivals // reps))
        if per_rep == relax and reps * relax > arrivals:
            notes.append(f"ran {reps * per_rep} arrivals, more than the {arrivals} asked: "
                         f"{model!r} relaxes in {plan.relaxation_time:.4g} time units, and "
                         f"honest intervals need {MIN_REPLICATIONS} replications of "
                         f"{RUN + WARM:g} relaxation times")

    bar = None
    if progress:
        from tqdm.auto import tqdm
        bar = tqdm(total=0, unit="arrival", unit_scale=True, desc=type(model).__name__)

    def run(count, length):
        batch = -(-length // BATCHES)
        size = math.ceil(batch * plan.events_per_arrival) if kind != "general" else batch
        seeds = ss.spawn(count)
        if bar is not None:
            bar.total += count * batch * BATCHES
            bar.refresh()
        chunk = _CHUNK if kind == "general" else max(1, min(_CHUNK, -(-count // 16)))
        blocks = [seeds[i:i + chunk] for i in range(0, count, chunk)]
        parts = []
        if executor is None:
            tick = (lambda n: bar.update(n)) if bar is not None else None
            for block in blocks:
                parts.append(_run_chunk(kind, kwargs, block, BATCHES, size, tick, start))
        else:
            futures = [executor.submit(_run_chunk, kind, kwargs, block, BATCHES, size, None,
                                       start)
                       for block in blocks]
            for fut in futures:
                parts.append(fut.result())
                if bar is not None:
                    bar.update(float(parts[-1]["counted"].sum()))
        if bar is not None:
            # the plan counted arrivals expected; the stage is done whatever came
            bar.total = bar.n
            bar.refresh()
        return {key: np.concatenate([p[key] for p in parts]) for key in parts[0]}

    def cut_of(tallies):
        if warmup is None:
            return None
        per_batch = tallies["counted"].sum() / tallies["counted"].size
        return math.ceil(warmup / per_batch) if per_batch > 0 else 0

    tallies = run(reps, per_rep)
    spent = reps * per_rep
    lengthened = 0
    # A precision-driven run sizes its main stage from a pilot and then
    # discards the pilot: deciding when to stop from the very data that make
    # the interval (stop when the spread looks small) costs coverage.
    stage = "pilot" if sequential else "done"
    topups = 0
    skewed_note = []
    while True:
        # a start from empty (general laws) is at least WARM relaxation times away
        floor = 0 if start else min(BATCHES // 2, math.ceil(
            BATCHES * WARM * plan.relaxation_time * plan.arrival_rate / per_rep))
        result = analyse(tallies, names, servers, conf, cut_of(tallies), floor, riders)
        doubts = troubles(result)
        have = tallies["counted"].shape[0]
        longer = {"warmup", "drift", "correlated"} & set(doubts)
        if longer and sequential and lengthened < LENGTHEN and \
                spent + 2 * have * per_rep <= budget:
            # the data contradict the plan: replications twice as long, afresh
            per_rep *= 2
            lengthened += 1
            tallies = run(have, per_rep)
            spent += have * per_rep
            continue
        if stage == "done":
            if sequential or "skew" not in doubts or topups >= TOPUPS:
                break
            # a fixed budget too small for the skewness of its replications:
            # honest intervals need more of them (Cochran's rule), so run them
            topups += 1
            extra = min(replications_needed(result, names), MAX_REPLICATIONS) - have
            if extra <= 0:
                break
            if not skewed_note:
                skewed_note.append(f"ran more replications than the {arrivals} arrivals "
                                   f"asked allow: their values are skewed and a t interval "
                                   f"needs more of them (Cochran's rule)")
            more = run(extra, per_rep)
            tallies = {k: np.concatenate([tallies[k], more[k]]) for k in tallies}
            continue
        est = result.estimates
        # A stage is judged on the precision asked only.  Its own skewness
        # sizes the next stage (Cochran's rule) but never rejects it: runs
        # accepted for a small sample skewness are those without an outlier,
        # whose spread is underestimated (measured: 0.937 coverage for Erlang
        # B at 0.95 against 0.95 for fixed-size runs of replications as long).
        if stage != "pilot" and all(_met(est[q], target) for q in names):
            break
        grow = max([(est[q].half_width / (target * abs(est[q].mean))) ** 2
                    if est[q].status == "ok" else 4.0 for q in names], default=0.0)
        # Size the next stage for the variance's upper 90 % bound, not its
        # estimate, so that it meets the target at once in most runs, and
        # Cochran's rule one standard error above the sample skewness, which
        # a small stage underestimates where it matters most
        want = max(math.ceil(have * min(grow * _VARIANCE_MARGIN(have), 16.0)),
                   min(replications_needed(result, names, margin=SKEW_MARGIN), 16 * have))
        room = (budget - spent) // per_rep
        fresh = min(max(want, MIN_REPLICATIONS), room)
        if stage != "pilot":
            topups += 1
        if fresh < MIN_REPLICATIONS or topups > TOPUPS or (stage != "pilot" and fresh <= have):
            break     # no room for a larger fresh stage: this one is all there is
        # Every stage is fresh and sized from the ones before it only:
        # appending to a stage until its spread looks small enough would stop
        # on the runs whose spread was underestimated.
        stage = "main"
        tallies = run(fresh, per_rep)
        spent += fresh * per_rep
    if bar is not None:
        bar.close()

    reps = tallies["counted"].shape[0]
    est = result.estimates
    shortfall = tuple(q for q in names if not _met(est[q], target)) if sequential else ()
    if shortfall:
        notes.append(f"{spent} arrivals (budget {budget}) spent short of the relative "
                     f"precision {target:g} for {', '.join(shortfall)}")
    notes.extend(skewed_note)
    notes.extend(doubts.values())
    for note in notes:
        warnings.warn(f"{type(model).__name__}: {note}", SimulationWarning, stacklevel=2)
    counted = tallies["counted"]
    measured = int(counted[:, result.cut:].sum())
    warm = int(round(counted[:, :result.cut].sum() / reps))
    return SimulationResult(est, measured, reps, warm, conf, model, result.per_replication,
                            relaxation_time=plan.relaxation_time,
                            rel_precision=target if sequential else None, shortfall=shortfall,
                            troubles=tuple(doubts.values()), batches=tallies)


def _wait_check_times(model):
    """The model's wait quantiles at 50, 95 and 99 % where positive (rounded
    to the 6 digits of the row names), or None where nobody waits."""
    try:
        t = np.asarray(model.wait_quantile([0.5, 0.95, 0.99]), dtype=float)
    except ValueError:
        return None
    t = t[np.isfinite(t) & (t > 0)]
    return [float(f"{v:.6g}") for v in t] or None


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

    See Also
    --------
    simulate : The simulation behind it.
    queuemath.plot.crosscheck_curve : The blocking cross-check as a figure.

    References
    ----------
    .. [1] W. Whitt, "Planning queueing simulations," Management Science 35,
       1989, 1341-1366.  doi:10.1287/mnsc.35.11.1341
    .. [2] K. P. White, "An effective truncation heuristic for bias reduction
       in simulation output," Simulation 69, 1997, 323-334 (MSER).
    .. [3] P. Hall, "Theoretical comparison of bootstrap confidence intervals,"
       Annals of Statistics 16, 1988, 927-953.  doi:10.1214/aos/1176350933

    Examples
    --------
    >>> import queuemath as qm
    >>> cc = qm.crosscheck(qm.MMcK(7.0, 1.0, 10, 10), arrivals=200_000, seed=2)
    >>> [r["quantity"] for r in cc.rows][:3]     # Erlang B: nobody waits
    ['blocking', 'throughput', 'utilization']
    """
    if isinstance(model, QueueModel) and not model.closed_form:
        raise ValueError(f"{type(model).__name__} has no closed form to cross-check "
                         f"({model!r}); simulate(model) estimates its quantities")
    if "wait_times" not in simulate_kwargs and hasattr(model, "wait_quantile"):
        simulate_kwargs = dict(simulate_kwargs, wait_times=_wait_check_times(model))
    result = simulate(model, **simulate_kwargs)
    # each wait_cdf row's own time, not the 6 digits of its name
    asked = simulate_kwargs.get("wait_times")
    times = {wait_name(t): float(t) for t in np.atleast_1d(asked if asked is not None else [])}
    rows = []
    for name in result.quantities:
        if name.startswith(WAIT_PREFIX):
            exact = float(model.wait_cdf(times[name]))
        else:
            exact = model.quantity_value(name)
        est = getattr(result, name)
        rows.append(dict(quantity=name, closed_form=exact, estimate=est.mean, low=est.low,
                         high=est.high, covered=est.covers(exact), status=est.status))
    return CrossCheck(rows, result)
