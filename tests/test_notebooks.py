"""Every notebook runs top to bottom in a fresh kernel, is stored clean, and
shows its figures (the notebooks set no matplotlib backend: in Jupyter the
inline backend draws each figure into the cell's output)."""
import json
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOKS = sorted((Path(__file__).parents[1] / "notebooks").glob("*.ipynb"))
# notebooks that draw, and how many figures each shows
FIGURES = {"01_quickstart.ipynb": 1, "02_dimensioning.ipynb": 1, "05_login_storm.ipynb": 1,
           "06_workers_vs_backlog.ipynb": 2, "07_waiting_times.ipynb": 1,
           "08_is_my_server_at_risk.ipynb": 2, "09_login_network.ipynb": 2}


def test_there_are_notebooks():
    assert [p.name[:2] for p in NOTEBOOKS] == ["01", "02", "03", "04", "05", "06", "07", "08", "09"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stored_without_outputs_and_sets_no_backend(path):
    cells = json.loads(path.read_text())["cells"]
    assert all(not c.get("outputs") and not c.get("execution_count")
               for c in cells if c["cell_type"] == "code")
    code = "".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    assert "matplotlib.use(" not in code and "%matplotlib" not in code


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_in_a_fresh_kernel_and_shows_its_figures(path):
    book = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(book, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": str(path.parent)}})
    client.execute()     # raises CellExecutionError on any failing cell
    images = sum("image/png" in out.get("data", {})
                 for cell in book.cells if cell.cell_type == "code" for out in cell.outputs)
    assert images >= FIGURES.get(path.name, 0), f"{path.name} showed {images} figures"
    # the tables show as HTML in Jupyter (summary(), compare(), models themselves)
    if path.name in ("01_quickstart.ipynb", "03_monte_carlo.ipynb"):
        assert any("text/html" in out.get("data", {})
                   for cell in book.cells if cell.cell_type == "code" for out in cell.outputs)
