"""The report builder (`make report` runs paper/build.py): every artefact
regenerated, byte for byte the same on a second run, a clear one-line error
when a piece is missing, and no global state touched."""
import csv
import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import queuemath as qm

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "paper" / "build.py"
_spec = importlib.util.spec_from_file_location("paper_build", BUILD)
report = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(report)
ARTEFACTS = ["tables/seed_scenario.csv", "tables/seed_storm.csv", "tables/crosscheck.csv",
             "generated/formulas.typ", "figures/blocking_vs_load.svg", "figures/erlang_b.svg",
             "figures/dimensioning.svg", "figures/state_distribution.svg",
             "figures/crosscheck.svg", "figures/storm.svg", "report.pdf"]


def test_seed_table_is_consistent(tmp_path):
    first = report.write_seed_table(tmp_path / "a.csv").read_bytes()
    rows = list(csv.DictReader(first.decode().splitlines()))
    assert len(rows) == len(report.SEED_LOADS) * len(report.SEED_WORKERS)
    for row in rows:
        b5, b200 = float(row["blocking_backlog_5"]), float(row["blocking_backlog_200"])
        assert 0 <= b200 <= b5 <= 1
        lam, c = float(row["arrival_rate_per_s"]), int(row["workers"])
        expect = qm.MMcK(lam, 1.0, c, c + 5).blocking
        assert abs(b5 - expect) <= 5e-7 * expect     # six significant digits
    # At rho = 1 with one worker, K = 6 and K = 201: 1/7 and 1/202.
    one = next(r for r in rows if r["workers"] == "1" and float(r["load_per_worker"]) == 1.0)
    assert one["blocking_backlog_5"] == f"{1 / 7:.6e}"
    assert one["blocking_backlog_200"] == f"{1 / 202:.6e}"


def _paper_sources(root):
    (root / "paper" / "measured").mkdir(parents=True)
    shutil.copy(ROOT / "paper" / "report.typ", root / "paper" / "report.typ")
    shutil.copy(ROOT / "paper" / "measured" / "kernel_dynamic.csv",
                root / "paper" / "measured" / "kernel_dynamic.csv")


def _start(root):
    env = dict(os.environ)
    env.pop("SOURCE_DATE_EPOCH", None)
    return subprocess.Popen([sys.executable, str(BUILD), "--paper", str(root / "paper")],
                            cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env)


def _finish(proc):
    stdout, stderr = proc.communicate()
    return subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)


def _run(root):
    return _finish(_start(root))


def test_report_regenerates_byte_identical(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    # two independent builds side by side (the suite runs on one core of two)
    for root in (a, b):
        _paper_sources(root)
    for out in [_finish(p) for p in [_start(a), _start(b)]]:
        assert out.returncode == 0, out.stderr
        for name in ARTEFACTS:
            assert f"paper/{name}" in out.stdout          # one progress line each
    for name in ARTEFACTS:
        assert (a / "paper" / name).read_bytes() == (b / "paper" / name).read_bytes(), name
    storm = list(csv.DictReader((a / "paper" / "tables" / "seed_storm.csv").read_text()
                                .splitlines()))
    nt5, nt200 = storm[0], storm[1]
    assert (nt5["backlog"], nt200["backlog"]) == ("5", "200")
    assert float(nt5["clients_failed_share"]) > 0.3 > float(nt200["clients_failed_share"])
    assert (a / "paper" / "report.pdf").read_bytes()[:5] == b"%PDF-"
    # the committed tables are what the command regenerates
    for name in ("tables/seed_scenario.csv", "tables/seed_storm.csv", "tables/crosscheck.csv"):
        committed = ROOT / "paper" / name
        if committed.exists():
            assert committed.read_bytes() == (a / "paper" / name).read_bytes(), name


def test_report_errors_name_the_missing_piece(tmp_path):
    _paper_sources(tmp_path)
    (tmp_path / "paper" / "measured" / "kernel_dynamic.csv").unlink()
    out = _run(tmp_path)
    assert out.returncode == 1
    assert out.stderr.strip().splitlines()[-1].startswith(
        "report: error: paper/measured/kernel_dynamic.csv is missing")
    # nothing was generated before the check failed
    assert not (tmp_path / "paper" / "tables").exists()


def test_report_typst_error_is_one_line(tmp_path):
    (tmp_path / "report.typ").write_text("#let x = \n#undefined-thing\n")
    with pytest.raises(report.ReportError) as info:
        report.compile_pdf(tmp_path)
    message = str(info.value)
    assert message.startswith("typst could not compile") and "\n" not in message


def test_builder_leaves_matplotlib_state_alone(tmp_path):
    # The figures are drawn on Figure objects: no backend is forced, pyplot
    # is not imported and no figure is left open in the caller's session.
    code = (f"import importlib.util, sys, matplotlib; b = matplotlib.get_backend(); "
            f"s = importlib.util.spec_from_file_location('b', {str(BUILD)!r}); "
            "m = importlib.util.module_from_spec(s); s.loader.exec_module(m); "
            "from pathlib import Path; "
            "m.STORM = dict(m.STORM, clients=20); "
            f"paths = list(m.make_figures(Path({str(tmp_path)!r}))); "
            "print(len(paths), matplotlib.get_backend() == b, 'matplotlib.pyplot' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=dict(os.environ, MPLBACKEND="template"))
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["6", "True", "False"]


def test_builder_is_not_in_the_package():
    assert not (ROOT / "queuemath" / "report.py").exists()
    with pytest.raises(ImportError):
        importlib.import_module("queuemath.report")


def test_import_stays_light():
    code = ("import sys, queuemath; "
            "print(' '.join(m for m in ('sympy', 'matplotlib', 'scipy.stats') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
