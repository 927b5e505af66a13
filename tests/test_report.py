"""`python -m queuemath report` writes the seed-scenario table reproducibly."""
import csv
import os
import subprocess
import sys
from pathlib import Path

import queuemath as qm
from queuemath import report


def test_seed_table_is_byte_identical_and_consistent(tmp_path):
    first = report.write_seed_table(tmp_path / "a.csv").read_bytes()
    second = report.write_seed_table(tmp_path / "b.csv").read_bytes()
    assert first == second
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


def test_command_line(tmp_path):
    # Run from an empty folder; the package is found as installed (or, in a
    # bare checkout, through PYTHONPATH).
    env = dict(os.environ, PYTHONPATH=str(Path(qm.__file__).parents[1]))
    out = subprocess.run([sys.executable, "-m", "queuemath", "report"], cwd=tmp_path,
                         capture_output=True, text=True, check=True, env=env)
    assert "seed_scenario.csv" in out.stdout and "seed_storm.csv" in out.stdout
    assert (tmp_path / "paper" / "tables" / "seed_scenario.csv").exists()
    storm = list(csv.DictReader((tmp_path / "paper" / "tables" / "seed_storm.csv").read_text()
                                .splitlines()))
    nt5, nt200 = storm[0], storm[1]
    assert (nt5["backlog"], nt200["backlog"]) == ("5", "200")
    assert float(nt5["clients_failed_share"]) > 0.3 > float(nt200["clients_failed_share"])
    # the committed table is what the command regenerates, byte for byte
    committed = Path(qm.__file__).parents[1] / "paper" / "tables" / "seed_storm.csv"
    if committed.exists():
        assert committed.read_bytes() == (tmp_path / "paper" / "tables" / "seed_storm.csv").read_bytes()
    bad = subprocess.run([sys.executable, "-m", "queuemath", "nonsense"], cwd=tmp_path,
                         capture_output=True, text=True, env=env)
    assert bad.returncode == 2 and "usage" in bad.stderr


def test_import_stays_light():
    code = ("import sys, queuemath; "
            "print(' '.join(m for m in ('sympy', 'matplotlib', 'scipy.stats') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
