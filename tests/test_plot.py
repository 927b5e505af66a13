"""queuemath.plot: axes returned, labelled, drawn on the given axes, several
configurations on one axes told apart; bad input named."""
import numpy as np
import pytest
from scipy import stats

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")       # the tests set the backend; the library never does
import matplotlib.pyplot as plt  # noqa: E402

import queuemath as qm  # noqa: E402
from queuemath import plot, tcp  # noqa: E402


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _labelled(ax):
    assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title()


def _legend(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


def test_blocking_curves_are_the_closed_form_against_the_arrival_rate():
    _, ax = plt.subplots()
    rates = [0.5, 1.0, 1.5]
    assert plot.blocking_vs_load(rates, 1.0, 1, [2, 6], ax=ax) is ax
    _labelled(ax)
    assert "arrival rate" in ax.get_xlabel()
    assert len(ax.get_lines()) == 2
    np.testing.assert_array_equal(ax.get_lines()[0].get_xdata(), rates)
    np.testing.assert_allclose(ax.get_lines()[1].get_ydata(), qm.MM1K(rates, 1.0, 6).blocking)


def test_several_configurations_on_one_axes_are_told_apart():
    # 4 workers + backlog 10 against 8 workers + backlog 2 at equal arrival rates:
    # each curve names its workers, the second call keeps the first title, and the
    # curves sit at the same x (a per-worker load axis would shift one of them).
    _, ax = plt.subplots()
    rates = np.linspace(10.0, 38.0, 8)
    plot.blocking_vs_load(rates, 5.0, 4, [14], ax=ax, label="backlog")
    title = ax.get_title()
    plot.blocking_vs_load(rates, 5.0, 8, [10], ax=ax, label="backlog")
    assert ax.get_title() == title
    assert _legend(ax) == ["4 workers, backlog 10", "8 workers, backlog 2"]
    four, eight = ax.get_lines()
    np.testing.assert_array_equal(four.get_xdata(), eight.get_xdata())
    # at equal arrival rate 8 workers + 2 places refuse less than 4 + 10 at high load
    assert eight.get_ydata()[-1] < four.get_ydata()[-1]
    # one call with a server count per curve draws the same curves
    _, ax2 = plt.subplots()
    plot.blocking_vs_load(rates, 5.0, [4, 8], [14, 10], ax=ax2, label="backlog")
    for a, b in zip(ax.get_lines(), ax2.get_lines()):
        np.testing.assert_array_equal(a.get_ydata(), b.get_ydata())


@pytest.mark.parametrize("draw, lines", [
    (lambda a: plot.erlang_b_curves([1, 5], [1.0, 2.0, 3.0], ax=a), 2),
    (lambda a: plot.dimensioning([10.0, 40.0, 60.0], 50.0, target_blocking=1e-3, ax=a), 2),
    (lambda a: plot.crosscheck_curve([0.5, 1.0], 1.0, 1, 4, arrivals=20_000, ax=a), 1),
    (lambda a: plot.storm_transient([tcp.login_storm(50, 1.0, 50.0, 1, 2)], ["b"], ax=a), 1),
], ids=["erlang_b", "dimensioning", "crosscheck", "storm"])
@pytest.mark.filterwarnings("ignore::queuemath.montecarlo.SimulationWarning")   # a small budget
def test_each_function_draws_on_the_given_axes(draw, lines):
    _, ax = plt.subplots()
    assert draw(ax) is ax
    _labelled(ax)
    assert len(ax.get_lines()) >= lines
    assert len(_legend(ax)) >= 1


@pytest.mark.parametrize("model", [
    qm.MMcK(2.0, 1.0, 2, 5), qm.MM1K(0.9, 1.0, 6), qm.MG1K(0.9, 6, service_time=stats.gamma(2.0, scale=0.5)),
    tcp.ListenQueue(2.0, 1.0, 2, backlog=3, os="windows-nt-4.0-server"),
], ids=repr)
def test_state_distribution_of_any_model_with_a_state_law(model):
    _, ax = plt.subplots()
    assert plot.state_distribution(model, ax=ax) is ax
    heights = np.concatenate([[bar.get_height() for bar in c] for c in ax.containers])
    np.testing.assert_allclose(heights, model.state_probabilities())
    assert model.kendall in ax.get_title()


def test_new_figure_when_no_axes():
    _, given = plt.subplots()
    ax = plot.erlang_b_curves([2], [1.0, 2.0])
    assert ax is not given and ax.figure is not given.figure
    assert len(ax.get_lines()) == 1 and len(given.get_lines()) == 0


@pytest.mark.parametrize("call, match", [
    (lambda: plot.blocking_vs_load([], 1.0, 1, [2]), "arrival_rates must not be empty"),
    (lambda: plot.blocking_vs_load([0.5], 1.0, 2, [1]), "capacities must be >= servers"),
    (lambda: plot.blocking_vs_load([[0.5, 1.0]], 1.0, 1, [2]), "arrival_rates must be one-dimensional"),
    (lambda: plot.blocking_vs_load([0.5], 1.0, [1, 2, 3], [4, 5]), "servers must be one count or one per"),
    (lambda: plot.blocking_vs_load([0.5], 1.0, 1, [4], label="K"), "label must be"),
    (lambda: plot.erlang_b_curves([0], [1.0]), "servers"),
    (lambda: plot.state_distribution(qm.MMc(1.0, 2.0, 1)), "model must have state_probabilities"),
    (lambda: plot.state_distribution(qm.MMcK([1.0, 2.0], 1.0, 1, 3)), "scalar parameters"),
    (lambda: plot.storm_transient([], []), "results must not be empty"),
    (lambda: plot.storm_transient([tcp.login_storm(5, 1.0, 50.0, 1, 2)], ["a", "b"]),
     "labels has 2 entries for 1 results"),
])
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()
