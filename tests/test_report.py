"""`python -m queuemath report`: every artefact regenerated, byte for byte the
same on a second run, and a clear one-line error when a piece is missing."""
import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import queuemath as qm
from queuemath import report

ROOT = Path(qm.__file__).parents[1]
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
    (root / "paper" / "tables").mkdir(parents=True)
    shutil.copy(ROOT / "paper" / "report.typ", root / "paper" / "report.typ")
    shutil.copy(ROOT / "paper" / "tables" / "kernel_dynamic.csv",
                root / "paper" / "tables" / "kernel_dynamic.csv")


def _run(root):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("SOURCE_DATE_EPOCH", None)
    return subprocess.run([sys.executable, "-m", "queuemath", "report"], cwd=root,
                          capture_output=True, text=True, env=env)


def test_report_regenerates_byte_identical(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for root in (a, b):
        _paper_sources(root)
        out = _run(root)
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
    (tmp_path / "paper" / "tables" / "kernel_dynamic.csv").unlink()
    out = _run(tmp_path)
    assert out.returncode == 1
    assert out.stderr.strip().splitlines()[-1].startswith(
        "report: error: paper/tables/kernel_dynamic.csv is missing")


def test_report_typst_error_is_one_line(tmp_path):
    (tmp_path / "report.typ").write_text("#let x = \n#undefined-thing\n")
    with pytest.raises(report.ReportError) as info:
        report.compile_pdf(tmp_path)
    message = str(info.value)
    assert message.startswith("typst could not compile") and "\n" not in message


def test_usage():
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    bad = subprocess.run([sys.executable, "-m", "queuemath", "nonsense"], capture_output=True,
                         text=True, env=env)
    assert bad.returncode == 2 and "usage" in bad.stderr


def test_import_stays_light():
    code = ("import sys, queuemath; "
            "print(' '.join(m for m in ('sympy', 'matplotlib', 'scipy.stats') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
