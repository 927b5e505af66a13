"""Regenerate the report's artefacts (``python -m queuemath report``).

Today the report is two tables about the seed scenario of the field report:
``seed_scenario.csv``, the steady state of a server whose accept queue holds 5
connections (the Lotus Notes backlog on Windows NT) against one that holds
200 (the NT Server maximum), at loads from light to overloaded; and
``seed_storm.csv``, the morning login storm itself (exact transient and
simulated client retries).  Later work adds figures and the PDF.
"""
import csv
import io
from pathlib import Path

import numpy as np

from .finite import MMcK

#: Offered load per worker, rho = arrival_rate / (workers * service_rate).
SEED_LOADS = (0.5, 0.8, 0.9, 0.95, 0.99, 1.0, 1.05, 1.2, 1.5, 2.0, 5.0)
SEED_WORKERS = (1, 8)
SEED_BACKLOGS = (5, 200)
SEED_SERVICE_RATE = 1.0


def seed_scenario_rows():
    """Rows of the seed-scenario table: load, workers and blocking per backlog.

    Capacity K = workers + backlog (the accept queue holds ``backlog``
    completed connections besides the ones being served).
    """
    rows = []
    for workers in SEED_WORKERS:
        for rho in SEED_LOADS:
            lam = rho * workers * SEED_SERVICE_RATE
            row = {"workers": workers, "load_per_worker": rho,
                   "arrival_rate_per_s": lam, "service_rate_per_s": SEED_SERVICE_RATE}
            for b in SEED_BACKLOGS:
                q = MMcK(lam, SEED_SERVICE_RATE, workers, workers + b)
                row[f"blocking_backlog_{b}"] = float(q.blocking)
                row[f"log10_blocking_backlog_{b}"] = float(q.log_blocking) / np.log(10)
            rows.append(row)
    return rows


def _format(value):
    # Fixed formats keep the file byte-identical from run to run.
    if isinstance(value, int):
        return str(value)
    return f"{value:.6e}"


def write_seed_table(path):
    return _write_rows(seed_scenario_rows(), path)


#: The login storm of the field report: clients logging in within a few
#: seconds to a server that completes one login per 20 ms per worker.
STORM = dict(clients=300, duration=2.0, service_rate=50.0, workers=1)
STORM_CASES = (("windows-nt-4.0-server", 5), ("windows-nt-4.0-server", 200),
               ("linux", 128), ("linux", 4096))


def storm_rows(replications=400, seed=20261125):
    """Exact refused share of first attempts, and the simulated experience of
    the clients with their retries, for each (os, backlog) of STORM_CASES."""
    from . import tcp
    rows = []
    for os_name, backlog in STORM_CASES:
        exact = tcp.login_storm(os=os_name, backlog=backlog, **STORM)
        sim = tcp.simulate_storm(os=os_name, backlog=backlog, seed=seed,
                                 replications=replications, **STORM)
        q = sim.delay_quantiles
        rows.append({"os": os_name, "backlog": backlog,
                     "accept_queue": int(tcp.accept_queue_capacity(backlog, os=os_name)),
                     "first_attempts_refused_share": exact.refused_share,
                     "refusals_end_s": exact.refusals_end,
                     "clients_failed_share": sim.failed_share,
                     "first_try_share": sim.first_try_share,
                     "connect_delay_p50_s": q["p50"], "connect_delay_p99_s": q["p99"],
                     "connect_delay_max_s": q["max"]})
    return rows


def _write_rows(rows, path):
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(list(rows[0]))
    for row in rows:
        writer.writerow([v if isinstance(v, str) else _format(v) for v in row.values()])
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(buf.getvalue())
    return path


def main(root="."):
    root = Path(root)
    out = write_seed_table(root / "paper" / "tables" / "seed_scenario.csv")
    print(f"report: wrote {out}")
    out = _write_rows(storm_rows(), root / "paper" / "tables" / "seed_storm.csv")
    print(f"report: wrote {out}")
    return 0
