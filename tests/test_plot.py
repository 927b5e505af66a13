"""queuemath.plot: axes returned, labelled, drawn on the given axes; bad input named."""
import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import queuemath as qm  # noqa: E402
from queuemath import plot, tcp  # noqa: E402


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _labelled(ax):
    assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title()


def test_each_function_draws_on_the_given_axes():
    _, ax = plt.subplots()
    assert plot.blocking_vs_load([0.5, 1.0, 1.5], [2, 6], ax=ax) is ax
    _labelled(ax)
    assert len(ax.get_lines()) == 2
    # the curve is the closed form
    np.testing.assert_allclose(ax.get_lines()[1].get_ydata(), qm.MM1K([0.5, 1.0, 1.5], 1.0, 6).blocking)
    for draw in (lambda a: plot.erlang_b_curves([1, 5], [1.0, 2.0, 3.0], ax=a),
                 lambda a: plot.dimensioning([10.0, 40.0, 60.0], 50.0, 1e-3, ax=a),
                 lambda a: plot.state_distribution(qm.MMcK(2.0, 1.0, 2, 5), ax=a),
                 lambda a: plot.crosscheck_curve([0.5, 1.0], 1, 4, arrivals=20_000, ax=a),
                 lambda a: plot.storm_transient([tcp.login_storm(50, 1.0, 50.0, 1, 2)], ["b"], ax=a)):
        _, ax = plt.subplots()
        assert draw(ax) is ax
        _labelled(ax)
        assert ax.get_legend() is not None


def test_new_figure_when_no_axes():
    ax = plot.erlang_b_curves([2], [1.0, 2.0])
    assert ax.figure is not None


@pytest.mark.parametrize("call, match", [
    (lambda: plot.blocking_vs_load([], [2]), "loads must not be empty"),
    (lambda: plot.blocking_vs_load([0.5], [1], servers=2), "capacities must be >= servers"),
    (lambda: plot.blocking_vs_load([[0.5, 1.0]], [2]), "loads must be one-dimensional"),
    (lambda: plot.erlang_b_curves([0], [1.0]), "servers"),
    (lambda: plot.state_distribution(qm.MMc(1.0, 2.0, 1)), "model must be an MMcK"),
    (lambda: plot.state_distribution(qm.MMcK([1.0, 2.0], 1.0, 1, 3)), "scalar parameters"),
    (lambda: plot.storm_transient([], []), "results must not be empty"),
    (lambda: plot.storm_transient([tcp.login_storm(5, 1.0, 50.0, 1, 2)], ["a", "b"]),
     "labels has 2 entries for 1 results"),
])
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()
