"""The model contract: every public model declares its quantities, shows
itself, simulates itself and speaks the same parameter language.

One parametrised test per promise, over every public model (the list below
must name them all: a test finds every QueueModel subclass the package
exports and fails on one that is missing here).
"""
import ast
import inspect
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import queuemath as qm
from queuemath import tcp
from queuemath._model import QueueModel

PACKAGE = Path(qm.__file__).parent

# One scalar instance of every public model, at loads an analyst sizes for.
MODELS = [
    qm.MM1K(0.9, 1.0, 10),
    qm.MMcK(3.6, 1.0, 4, 8),
    qm.MMc(3.0, 1.0, 4),
    qm.Engset(20, 5, idle_source_load=0.3),
    qm.ErlangA(4.5, 1.0, 4, patience_rate=0.5),
    qm.ErlangA(3.2, 1.0, 4, 8, patience_rate=0.5),
    qm.MG1K(0.9, 8, service_time=stats.gamma(2.0, scale=0.5)),
    qm.MG1K(0.9, 5, service_time=1.0),
    qm.MGcKApprox(3.2, 1.0, 4, 8, service_scv=0.5),
    qm.GGcK(0.9, 1, 10, service_time=stats.lognorm(s=1.0, scale=0.6)),
    qm.GGcK(servers=2, interarrival_time=stats.gamma(2.0, scale=0.4),
            service_time=stats.expon(scale=1.0)),
    qm.FiniteSourceGGcK(0.3, 20, 5, service_time=stats.expon(scale=1.0)),
    qm.FiniteSourceMMcK(0.3, 1.0, 20, 5, 8),
    qm.MPHcK(3.0, 4, 10, service_time=qm.PhaseType.fit(1.0, 4.0)),
    qm.MMInf(5.0, 2.0),
    qm.MGInf(4.0, service_time=stats.gamma(2.0, scale=0.25)),
    qm.MG1(0.8, service_time=stats.gamma(2.0, scale=0.5)),
    qm.GGcApprox(3.0, 1.0, 4, arrival_scv=0.5, service_scv=2.0),
    qm.RetrialMMcK(4.0, 1.0, 5, 5, retry_rate=2.0, retry_probability=0.8),
    tcp.ListenQueue(45.0, 50.0, 1, backlog=5, os="windows-nt-4.0-server"),
    qm.networks.OpenNetwork([2.7, 0.3], [10.0, 1.0], [1, 4], [[0, 1], [0.1, 0]]),
    qm.networks.OpenNetwork([2.7, 0.3], [10.0, 1.0], [1, 4], [[0, 1], [0.1, 0]],
                            capacity=[5, 8]),
    qm.networks.ClosedNetwork([0.4, 1.2], [1, 2], 6, think_time=3.0),
]
IDS = [repr(m) for m in MODELS]
CLOSED = [m for m in MODELS if m.closed_form]
SIMULATED = MODELS            # every model has a Monte Carlo engine


def _public_model_classes():
    found = set()
    for namespace in (qm, tcp, qm.networks):
        for name in dir(namespace):
            obj = getattr(namespace, name)
            if inspect.isclass(obj) and issubclass(obj, QueueModel) and obj is not QueueModel:
                found.add(obj)
    return found


def test_every_public_model_is_in_this_file():
    assert _public_model_classes() == {type(m) for m in MODELS}


# -- quantities ----------------------------------------------------------------

@pytest.mark.parametrize("model", MODELS, ids=IDS)
def test_quantities_are_declared_once_and_are_properties(model):
    cls = type(model)
    q = cls.quantities
    assert isinstance(q, tuple) and q and len(set(q)) == len(q)
    if model.closed_form:
        for name in q:
            prop = inspect.getattr_static(cls, name)
            assert isinstance(prop, property), name
            assert prop.__doc__, f"{cls.__name__}.{name} has no docstring"
            value = getattr(model, name)
            assert type(value) in (float, int), (name, type(value))   # no np.float64(...) noise


@pytest.mark.parametrize("model", CLOSED, ids=[repr(m) for m in CLOSED])
def test_summary_is_one_row_per_quantity(model):
    table = model.summary()
    assert isinstance(table, pd.DataFrame)
    assert tuple(table.index) == model.quantities
    assert list(table.columns) == ["value", "unit", "description"]
    for name in model.quantities:
        expect = getattr(model, name)
        got = table.loc[name, "value"]
        assert got == expect or (math.isnan(got) and math.isnan(expect)), name
    share = [n for n in ("blocking", "p_wait") if n in model.quantities]
    if share:                  # (GGcApprox has neither: only means)
        assert table.loc[share[0], "description"].startswith("share of")


# Small budgets on purpose (plumbing and reproducibility): the
# SimulationWarning they earn is tested in tests/test_simulate.py.
SMALL_BUDGET = pytest.mark.filterwarnings("ignore::queuemath.montecarlo.SimulationWarning")


@SMALL_BUDGET
@pytest.mark.parametrize("model", [m for m in MODELS if not m.closed_form],
                         ids=[repr(m) for m in MODELS if not m.closed_form])
def test_summary_of_a_simulated_model_has_intervals_and_is_reproducible(model):
    table = model.summary(arrivals=40_000)
    assert list(table.columns) == ["value", "low", "high", "unit", "description"]
    assert set(table.index) <= set(model.quantities) and len(table) >= 6
    assert (table["low"] <= table["value"]).all() and (table["value"] <= table["high"]).all()
    assert table.equals(model.summary(arrivals=40_000))            # seed 0 by default
    with pytest.raises(ValueError, match="no closed form to cross-check"):
        qm.crosscheck(model)


def test_summary_of_an_array_model_is_one_row_per_point():
    q = qm.MMcK([1.0, 2.0, 3.0], 1.0, [[2], [4]], 6)
    table = q.summary()
    assert len(table) == 6 and table.index.name == "point"
    assert list(table.columns[:4]) == ["arrival_rate", "service_rate", "servers", "capacity"]
    np.testing.assert_array_equal(table["blocking"], q.blocking.ravel())
    np.testing.assert_array_equal(table["servers"], [2, 2, 2, 4, 4, 4])


# -- simulate and crosscheck -----------------------------------------------------

@SMALL_BUDGET
@pytest.mark.parametrize("model", SIMULATED, ids=[repr(m) for m in SIMULATED])
def test_every_model_simulates(model):
    res = qm.simulate(model, arrivals=40_000, seed=3)
    assert res.quantities
    for name in set(res.quantities) - set(model.quantities):
        # a network's per-station rows, which the model values too
        assert name.split("[")[0] in ("utilization", "mean_in_system", "blocking")
        assert math.isfinite(model.quantity_value(name))
    for name in res.quantities:
        est = getattr(res, name)
        assert est.low <= est.mean <= est.high
    # the same seed gives the same numbers
    assert qm.simulate(model, arrivals=40_000, seed=3).to_dict() == res.to_dict()


# 99.99% intervals over at most 9 quantities per model: a correct closed form
# fails with probability below 9e-4 per model, below 1e-2 over the ten here.
@SMALL_BUDGET
@pytest.mark.parametrize("model", [m for m in SIMULATED if m.closed_form and not m.approximate],
                         ids=[repr(m) for m in SIMULATED if m.closed_form and not m.approximate])
def test_crosscheck_covers_every_exact_model(model):
    cc = qm.crosscheck(model, arrivals=400_000, seed=11, confidence=0.9999)
    names = [r["quantity"] for r in cc.rows]
    own = [n for n in names if not n.startswith("wait_cdf(")]
    assert own == list(qm.simulate(model, arrivals=1000, seed=1).quantities)
    # and the waiting-time law at its 50/95/99 % quantiles, where some wait
    waits = names[len(own):]
    assert len(waits) == (3 if hasattr(model, "wait_quantile") and
                          float(model.wait_quantile(0.5)) > 0 else len(waits))
    assert cc.all_covered, cc


@SMALL_BUDGET
def test_crosscheck_of_an_approximation_measures_its_error():
    # M/G/c/K by two moments is off by a few percent here (docstring's table);
    # crosscheck simulates the law itself and says so row by row.
    model = qm.MGcKApprox(3.2, 1.0, 4, 8, service_scv=0.0)
    cc = qm.crosscheck(model, arrivals=100_000, seed=5)
    rows = {r["quantity"]: r for r in cc.rows}
    assert abs(rows["blocking"]["closed_form"] / rows["blocking"]["estimate"] - 1) < 0.5
    assert repr(cc).startswith("the closed form is an approximation")
    assert not repr(qm.crosscheck(qm.MM1K(0.5, 1.0, 3), arrivals=10_000, seed=1)).startswith("the")


@pytest.mark.parametrize("model, match", [
    (qm.MMcK([1.0, 2.0], 1.0, 2, 4), "MMcK has arrival_rate of shape \\(2,\\): simulate takes"),
    (qm.MG1K([0.5, 0.9], 4, service_time=1.0), "MG1K has arrival_rate of shape"),
    (qm.MMc(1.0, 1.0, [1, 2]), "MMc has servers of shape"),
    (qm.MM1K(0.0, 1.0, 3), "arrival_rate must be > 0 to simulate"),
], ids=["mmck", "mg1k", "mmc", "no arrivals"])
def test_simulate_names_the_public_parameter(model, match):
    with pytest.raises(ValueError, match=match):
        qm.simulate(model)


# -- compare ---------------------------------------------------------------------------

def test_compare_sets_models_side_by_side():
    models = CLOSED
    table = qm.compare(models)
    assert len(set(table.columns)) == len(table.columns) == len(models)
    assert [c.split(" #")[0] for c in table.columns] == [m.kendall for m in models]
    for col, m in zip(table.columns, models):
        for name in m.quantities:
            got, expect = table.loc[name, col], getattr(m, name)
            assert got == expect or (math.isnan(got) and math.isnan(expect)), (col, name)
    # parameters first, the positional ones in their order
    assert list(table.index[:4]) == ["arrival_rate", "service_rate", "sources", "servers"]
    # a quantity a model does not have is NaN, not a number: M/M/1/K never abandons
    assert math.isnan(table.loc["p_abandon", table.columns[0]])


def test_compare_names_and_errors():
    a, b = qm.MM1K(45.0, 50.0, 6), qm.MM1K(45.0, 50.0, 201)
    t = qm.compare([a, b], names=["backlog 5", "backlog 200"])
    assert list(t.columns) == ["backlog 5", "backlog 200"]
    assert t.loc["blocking", "backlog 5"] == a.blocking
    assert list(qm.compare([a, a]).columns) == ["M/M/1/6", "M/M/1/6 #2"]
    sim = qm.compare([a, qm.GGcK(45.0, 1, 6, service_time=0.02)])
    assert sim.loc["blocking", "M/D/1/6"] < a.blocking       # constant service refuses less
    for call, match in [
        (lambda: qm.compare([]), "models must not be empty"),
        (lambda: qm.compare([a, "M/M/1"]), r"models\[1\] must be a queuemath model"),
        (lambda: qm.compare([qm.MM1K([1.0, 2.0], 1.0, 3)]), r"models\[0\] .* shape \(2,\)"),
        (lambda: qm.compare([a, b], names=["x"]), "names has 1 entries for 2 models"),
        (lambda: qm.compare([a, b], names=["x", "x"]), "names must be distinct"),
    ]:
        with pytest.raises(ValueError, match=match):
            call()


# -- showing itself -------------------------------------------------------------------------

@pytest.mark.parametrize("model", MODELS, ids=IDS)
def test_repr_shows_every_parameter_and_html_shows_the_table(model):
    text = repr(model)
    for name, value in model.parameters.items():
        if value is not None:
            assert f"{name}=" in text, name
    html = model._repr_html_()
    assert model.kendall.replace("&", "&amp;") in html and "<table" in html
    if model.closed_form:
        assert all(q in html for q in model.quantities)


def test_repr_is_the_constructor_call():
    ns = dict(vars(qm), lognorm=stats.lognorm, gamma=stats.gamma)
    for model in (qm.MMcK(3.2, 1.0, 4, 8), qm.ErlangA(3.2, 1.0, 4, 8, patience_rate=0.5),
                  qm.Engset(20, 5, idle_source_load=0.3), qm.MG1K(0.9, 5, service_time=1.0),
                  qm.GGcK(0.9, 1, 10, service_time=stats.lognorm(s=1.0, scale=0.6))):
        again = eval(repr(model), ns)
        assert repr(again) == repr(model)
    assert repr(qm.GGcK(0.9, 2, 4, service_time=1.0)) == \
        "GGcK(arrival_rate=0.9, servers=2, capacity=4, service_time=1.0)"
    assert repr(qm.MG1K(0.9, 5, service_time=stats.lognorm(s=1, scale=0.6))) == \
        "MG1K(arrival_rate=0.9, capacity=5, service_time=lognorm(s=1, scale=0.6))"


def test_repr_of_a_large_grid_is_short():
    grid = qm.MMcK(np.linspace(0.1, 20.0, 100_000)[:, None], 1.0, np.arange(1, 11), 30)
    text = repr(grid)
    assert len(text) < 1000, len(text)
    assert "arrival_rate=[[0.1], [0.100199], ..., [19.999801], [20.]]" in text
    assert "servers=[1, 2, ..., 9, 10]" in text
    full = repr(qm.MMcK(np.random.default_rng(0).uniform(0.1, 20.0, (100_000, 10)), 1.0, 4, 30))
    assert len(full) < 1000 and " ," not in full and "[ " not in full


def test_kendall_notation():
    assert [m.kendall for m in MODELS] == [
        "M/M/1/10", "M/M/4/8", "M/M/4", "M/M/5/5/20", "M/M/4+M", "M/M/4/8+M", "M/G/1/8",
        "M/D/1/5", "M/G/4/8", "M/G/1/10", "G/M/2", "M/M/5/5/20", "M/M/5/8/20", "M/PH/4/10",
        "M/M/inf", "M/G/inf", "M/G/1", "G/G/4", "M/M/5/5 (retrials)", "M/M/1/6",
        "open network (Jackson) of 2 stations", "open network with finite buffers of 2 stations",
        "closed network of 2 stations"]
    assert qm.MMcK(1.0, 1.0, [1, 2], 4).kendall == "M/M/c/4"


# -- parameters: read-only, one meaning per position, pandas in and out -------------------------

@pytest.mark.parametrize("model", MODELS, ids=IDS)
def test_parameters_are_read_only(model):
    for name in model.parameters:
        with pytest.raises(AttributeError, match="read-only"):
            setattr(model, name, 1.0)
    grid = qm.MMcK([1.0, 2.0], 1.0, 2, 4)
    with pytest.raises(ValueError, match="read-only"):
        grid.arrival_rate[0] = 5.0
    assert grid.blocking[0] == qm.MMcK(1.0, 1.0, 2, 4).blocking


CANON = ("arrival_rate", "service_rate", "sources", "servers", "capacity")
NETWORK_POSITIONS = {qm.networks.OpenNetwork: ["arrival_rates", "service_rates", "servers", "routing"],
                     qm.networks.ClosedNetwork: ["service_demands", "servers", "population"]}
ERLANG_TABLES = {"erlang_b": ("servers", "offered_load"), "log_erlang_b": ("servers", "offered_load"),
                 "erlang_c": ("servers", "offered_load"), "log_erlang_c": ("servers", "offered_load"),
                 "erlang_b_servers": ("offered_load",), "erlang_c_servers": ("offered_load",),
                 "erlang_b_load": ("servers",)}
MODEL_FUNCTIONS = [qm.min_capacity, qm.max_arrival_rate, qm.capacity_frontier,
                   qm.blocking_sensitivity, tcp.min_backlog]


def _positional(fn):
    return [p.name for p in inspect.signature(fn).parameters.values()
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.name != "self"]


def _is_in_order(names):
    idx = [CANON.index(n) if n in CANON else -1 for n in names]
    return -1 not in idx and idx == sorted(idx)


@pytest.mark.parametrize("cls", sorted(_public_model_classes(), key=lambda c: c.__name__),
                         ids=lambda c: c.__name__)
def test_constructor_positions_mean_the_same_everywhere(cls):
    names = _positional(cls.__init__)
    if cls in NETWORK_POSITIONS:
        # networks take per-station vectors, in the order their issue spells out
        assert names == NETWORK_POSITIONS[cls], names
    else:
        assert names and _is_in_order(names), names
    keyword_only = [p.name for p in inspect.signature(cls.__init__).parameters.values()
                    if p.kind == p.KEYWORD_ONLY]
    for name in ("service_time", "interarrival_time", "think_time", "patience_rate",
                 "idle_source_load", "service_scv", "backlog"):
        assert name not in names, f"{cls.__name__}: {name} must be keyword-only"
    if cls not in NETWORK_POSITIONS:     # a network's capacity= extends the signature
        assert all(n not in CANON for n in keyword_only if n != "servers"), keyword_only


@pytest.mark.parametrize("fn", MODEL_FUNCTIONS + [getattr(qm, n) for n in ERLANG_TABLES],
                         ids=lambda f: f.__name__)
def test_function_positions_and_keyword_only_targets(fn):
    names = _positional(fn)
    if fn.__name__ in ERLANG_TABLES:
        assert tuple(names) == ERLANG_TABLES[fn.__name__]      # the tables' order
    else:
        assert _is_in_order(names), names
    params = inspect.signature(fn).parameters.values()
    for p in params:
        if p.name.startswith("target_") or p.name == "continuous":
            assert p.kind == p.KEYWORD_ONLY, p.name


def test_a_time_is_never_read_where_a_rate_is_meant():
    # The old MG1K(0.9, 2.0, 5) read 2.0 as a service time; now a law must be named.
    mm = qm.MM1K(0.9, 2.0, 5)
    law = qm.MG1K(0.9, 5, service_time=stats.expon(scale=0.5))
    assert abs(law.blocking / mm.blocking - 1) < 1e-12
    for call in (lambda: qm.MG1K(0.9, 2.0, 5), lambda: qm.ErlangA(1.0, 1.0, 2, 0.5, 0.5),
                 lambda: qm.Engset(5, 2, 0.3), lambda: qm.erlang_b_servers(10.0, 0.01),
                 lambda: qm.MGcKApprox(1.0, 1.0, 2, 4, 0.5)):
        with pytest.raises(TypeError):
            call()


def test_pandas_in_pandas_out():
    idx = pd.Index(["mon", "tue", "wed"], name="day")
    lam = pd.Series([30.0, 45.0, 49.0], index=idx)
    q = qm.MM1K(lam, 50.0, 6)
    assert isinstance(q.blocking, pd.Series) and q.blocking.index.equals(idx)
    assert q.blocking.name == "blocking"
    np.testing.assert_array_equal(q.blocking.to_numpy(), qm.MM1K(lam.to_numpy(), 50.0, 6).blocking)
    assert q.arrival_rate.index.equals(idx)
    assert q.summary().index.equals(idx)
    frame = pd.DataFrame({"servers": [1, 2, 3], "load": [0.5, 1.0, 2.5]}, index=idx)
    b = qm.erlang_b(frame["servers"], frame["load"])
    assert isinstance(b, pd.Series) and b.index.equals(idx) and b["tue"] == qm.erlang_b(2, 1.0)
    c = qm.min_capacity(lam, 50.0, target_blocking=1e-3)
    assert c.index.equals(idx) and c.dtype.kind == "i"
    sens = qm.blocking_sensitivity(lam, 50.0, 1, 6)
    assert sens.elasticity.index.equals(idx)
    assert qm.ErlangA(lam, 50.0, 1, 6, patience_rate=1.0).blocking.index.equals(idx)
    assert tcp.ListenQueue(lam, 50.0, 1, backlog=5).blocking.index.equals(idx)
    assert qm.MMc(lam, 50.0, 1).service_level(0.1).index.equals(idx)
    other = pd.Series([1.0, 2.0, 3.0], index=["a", "b", "c"])
    with pytest.raises(ValueError, match="share one index"):
        qm.MM1K(lam, other, 6)


def test_results_are_python_numbers():
    assert type(qm.erlang_b(3, 2.0)) is float
    assert type(qm.erlang_b_servers(10.0, target_blocking=0.05)) is int
    assert type(qm.MMcK(3.2, 1.0, 4, 8).capacity) is int
    assert type(tcp.min_backlog(45.0, 50.0, 1, target_blocking=1e-6).sufficient) is bool
    assert repr(qm.MM1K(1.0, 1.0, 9).blocking) == "0.1"


TIME_LAWS = ("wait_sf", "wait_cdf", "log_wait_sf", "response_time_cdf", "service_level",
             "wait_quantile", "response_time_quantile")


@pytest.mark.parametrize("model", [m for m in MODELS if m.closed_form], ids=lambda m: repr(m))
def test_time_laws_and_quantities_of_scalar_models_are_python_numbers(model):
    """Scalar parameters and a scalar argument give a Python float (MG1K's
    and MPHcK's wait_sf gave numpy.float64)."""
    if model.shape != ():
        pytest.skip("array parameters")
    for name in TIME_LAWS:
        if hasattr(model, name):
            value = getattr(model, name)(0.5)
            assert type(value) is float, (name, type(value))
    for name in model.quantities:
        value = getattr(model, name)
        assert type(value) in (float, int, bool) or np.ndim(value) == 1, (name, type(value))


# -- invariants hold exactly ----------------------------------------------------------------------

HARD = dict(arrival_rate=np.array([1e-300, 1e-12, 0.5, 0.9, 0.95, 0.99, 1 - 1e-9, 1.0, 1 + 1e-9,
                                   1.5, 10.0, 1e5, 1e12, 1e20]))


@pytest.mark.parametrize("make", [
    lambda lam, c: qm.MMcK(lam * c, 1.0, c, c + np.array([0, 1, 5, 200, 10**6])[:, None, None]),
    lambda lam, c: qm.MM1K(lam, 1.0, np.array([1, 2, 10, 10**6])[:, None, None]),
    lambda lam, c: qm.ErlangA(lam * c, 1.0, c, patience_rate=0.5),
    lambda lam, c: qm.ErlangA(lam * c, 1.0, c, c + 5, patience_rate=0.5),
    lambda lam, c: qm.MGcKApprox(lam * c, 1.0, c, c + 5, service_scv=0.5),
    lambda lam, c: qm.MMc(lam * c, 1.0, c),
], ids=["mmck", "mm1k", "erlang_a", "erlang_a_k", "mgck_approx", "mmc"])
def test_throughput_never_exceeds_arrivals_and_probabilities_stay_in_range(make):
    lam = HARD["arrival_rate"][:, None]
    c = np.array([1, 2, 170, 171])[None, :]
    q = make(lam, c)
    arrivals = np.broadcast_to(np.asarray(q.arrival_rate), np.shape(q.throughput))
    assert np.all(q.throughput <= arrivals)                     # exactly, not to 1e-12
    servers = np.broadcast_to(np.asarray(q.servers) * np.asarray(q.service_rate),
                              np.shape(q.throughput))
    assert np.all(q.throughput <= servers)
    for name in ("blocking", "p_wait", "p_abandon", "utilization", "p_empty"):
        if name in q.quantities:
            v = np.asarray(getattr(q, name))
            assert np.all((v >= 0) & (v <= 1)), name


def test_throughput_at_a_vanishing_load_is_the_arrival_rate():
    assert qm.MM1K(1e-300, 1.0, 5).throughput <= 1e-300
    assert qm.MMcK(1e-300, 1.0, 3, 9).throughput <= 1e-300
    assert qm.MG1K(1e-300, 5, service_time=1.0).throughput <= 1e-300


@pytest.mark.parametrize("lam, c, k", [
    (1e12, 1, 1), (1e15, 3, 3), (1e20, 1, 3), (1e5, 1, 40), (1e5, 100_000, 100_010),
    (0.9, 1, 2000), (1 - 1e-9, 170, 400), (3.6, 4, 8), (1e-12, 5, 12), (2e3, 2000, 2500),
])
def test_state_probabilities_sum_to_one_within_a_few_ulps(lam, c, k):
    p = qm.MMcK(lam, 1.0, c, k).state_probabilities()
    assert np.all(np.isfinite(p)) and np.all((p >= 0) & (p <= 1))
    assert abs(math.fsum(p) - 1) <= 4 * np.finfo(float).eps * max(1.0, math.log2(p.size))
    # and each is right, not merely normalised: the top state is the blocking
    assert abs(p[-1] - qm.MMcK(lam, 1.0, c, k).blocking) <= 1e-13 * max(p[-1], 1e-300) + 1e-300


# -- a house a newcomer can walk through ----------------------------------------------------------

def _modules():
    return sorted(p for p in PACKAGE.rglob("*.py"))


def test_kernel_modules_declare_their_names():
    for path in sorted((PACKAGE / "_kernels").glob("*.py")):
        if path.name == "__init__.py":
            continue
        tree = ast.parse(path.read_text())
        names = [t.id for node in tree.body if isinstance(node, ast.Assign) for t in node.targets
                 if isinstance(t, ast.Name)]
        assert "__all__" in names, path.name


NAMEDTUPLE_API = {"_fields", "_replace", "_asdict", "_make"}


def _private(name):
    return name.startswith("_") and not name.startswith("__")


def _defined_here(tree):
    """Private names a module defines itself: functions, classes, their
    attributes and methods, and attributes it assigns (self._x = ...)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            names.add(node.attr)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
    return names


def test_no_module_reaches_into_another_modules_private_names():
    # Private modules (_validate, _model, _kernels.*) may be imported whole;
    # a private *name* of another module may not, nor a private attribute
    # that the reading module does not define itself (q._lam read in
    # dimension.py was the case this guards against).
    modules = {p.stem for p in _modules()} | {"_kernels"}
    bad = []
    for path in _modules():
        tree = ast.parse(path.read_text())
        own = _defined_here(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith(
                    "queuemath")):
                bad += [f"{path.name}: from {node.module} import {a.name}" for a in node.names
                        if _private(a.name) and a.name not in modules]
            if isinstance(node, ast.Attribute) and _private(node.attr) and node.attr not in own \
                    and node.attr not in NAMEDTUPLE_API \
                    and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")):
                bad.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: .{node.attr}")
    assert bad == [], "\n".join(bad)


def test_import_stays_light_and_subpackages_load_on_use():
    code = ("import sys, queuemath as qm; "
            "print(' '.join(m for m in ('sympy', 'matplotlib', 'scipy.stats', 'pandas', "
            "'queuemath.tcp', 'queuemath.plot') if m in sys.modules)); "
            "qm.tcp; qm.plot; "
            "print('queuemath.tcp' in sys.modules, 'queuemath.plot' in sys.modules, "
            "'tcp' in dir(qm))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    first, second = out.stdout.splitlines()
    assert first == ""
    assert second == "True True True"


def test_there_is_a_license_for_the_declared_licence():
    text = (PACKAGE.parent / "LICENSE").read_text()
    assert "BSD 3-Clause" in text or "Redistribution and use in source and binary forms" in text
    project = (PACKAGE.parent / "pyproject.toml").read_text()
    # an SPDX expression (PEP 639), and the file it names shipped with it
    assert 'license = "BSD-3-Clause"' in project and 'license-files = ["LICENSE"]' in project
