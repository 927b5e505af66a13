"""qm.explore: sliders over a model's parameters drive its table and verdict."""
import pytest

import queuemath as qm

pytest.importorskip("ipywidgets")


def test_sliders_rebuild_the_model_and_its_table():
    ex = qm.explore(qm.MMcK(3.6, 1.0, 4, 8), target=0.01)
    assert set(ex.sliders) == {"arrival_rate", "service_rate", "servers", "capacity"}
    assert ex.verdict == "misses"                       # blocking 0.097 > 0.01
    ex.sliders["capacity"].value = 16
    ex.sliders["servers"].value = 6
    want = qm.MMcK(3.6, 1.0, 6, 16)
    assert ex.model.blocking == want.blocking
    assert ex.table.loc["blocking", "value"] == want.blocking
    assert ex.verdict == ("meets" if want.blocking <= 0.01 else "misses") == "meets"
    ex.sliders["arrival_rate"].value = 10.0              # overload: misses again
    assert ex.verdict == "misses"
    assert ex.table.loc["throughput", "value"] == qm.MMcK(10.0, 1.0, 6, 16).throughput
    ex.target.value = 0.9
    assert ex.verdict == "meets"


def test_a_combination_the_model_refuses_is_reported_not_shown():
    ex = qm.explore(qm.MMcK(3.6, 1.0, 4, 8), servers=(1, 40))
    before = ex.model
    ex.sliders["servers"].value = 12                     # more servers than capacity 8
    assert "capacity" in str(ex.error) and ex.model is before
    ex.sliders["capacity"].value = 14
    assert ex.error is None and ex.model.servers == 12


def test_other_models_keep_their_fixed_parameters():
    ex = qm.explore(qm.tcp.ListenQueue(45.0, 50.0, 1, backlog=5, os="linux"), backlog=(1, 4096))
    assert "os" not in ex.sliders and "backlog" in ex.sliders
    ex.sliders["backlog"].value = 50
    assert ex.model.os == "linux"
    assert ex.model.blocking == qm.tcp.ListenQueue(45.0, 50.0, 1, backlog=50, os="linux").blocking


@pytest.mark.parametrize("call, match", [
    (lambda: qm.explore("MMcK"), "queuemath model"),
    (lambda: qm.explore(qm.MMcK([1.0, 2.0], 1.0, 2, 4)), "scalar parameters"),
    (lambda: qm.explore(qm.MMcK(1.0, 1.0, 2, 4), quantity="nope"), "quantity must be"),
    (lambda: qm.explore(qm.MMcK(1.0, 1.0, 2, 4), target=2.0), "target"),
    (lambda: qm.explore(qm.MMcK(1.0, 1.0, 2, 4), servers=(5, 1)), "low < high"),
    (lambda: qm.explore(qm.MMcK(1.0, 1.0, 2, 4), patience=(0, 1)), "not a parameter"),
])
def test_bad_arguments_are_named(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_in_a_kernel_the_output_follows_the_sliders():
    pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    from nbformat.v4 import new_code_cell, new_notebook
    book = new_notebook(cells=[
        new_code_cell("import queuemath as qm\n"
                      "ex = qm.explore(qm.MMcK(3.6, 1.0, 4, 8), target=0.01)\n"
                      "ex.sliders['capacity'].value = 16\n"
                      "ex.sliders['servers'].value = 6"),
        new_code_cell("outs = ex.output.outputs\n"
                      "text = ''.join(o.get('text', '') for o in outs)\n"
                      "html = ''.join(o.get('data', {}).get('text/html', '') for o in outs)\n"
                      "pngs = sum('image/png' in o.get('data', {}) for o in outs)\n"
                      "print(text.strip().splitlines()[0], 'blocking' in html, pngs)"),
    ], metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                "language": "python"}})
    nbclient.NotebookClient(book, timeout=120, kernel_name="python3").execute()
    printed = book.cells[1].outputs[0]["text"].strip()
    want = qm.MMcK(3.6, 1.0, 6, 16).blocking
    assert printed == f"blocking = {want:.4g}: meets the target 0.01 True 1"
