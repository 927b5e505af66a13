"""Error of the G/G/c approximations (GGcApprox: Allen-Cunneen, Kingman,
Whitt) against simulation on a grid (issue 16).

Grid: c = 1, 2, 5, 10; load 0.5, 0.8, 0.9, 0.95; (arrival scv, service scv)
in (0.25, 0.25), (1, 0.25), (0.25, 1), (0.5, 2), (2, 2), (1, 4), (4, 1);
gamma laws of those moments (mean service 1).  Each point is simulated by
queuemath's general FIFO engine to 2 % relative precision on the mean wait
(seed fixed; the interval is in the CSV).  Writes
benchmarks/ggc_approx_error.csv and prints the summary quoted in the
README of benchmarks.

    .venv/bin/python benchmarks/ggc_approx_error.py
"""
import csv
import pathlib

import numpy as np

import queuemath as qm

SERVERS = (1, 2, 5, 10)
LOADS = (0.5, 0.8, 0.9, 0.95)
SCVS = ((0.25, 0.25), (1.0, 0.25), (0.25, 1.0), (0.5, 2.0), (2.0, 2.0), (1.0, 4.0), (4.0, 1.0))
OUT = pathlib.Path(__file__).with_name("ggc_approx_error.csv")


def main():
    rows = []
    seed = 0
    for c in SERVERS:
        for rho in LOADS:
            for ca2, cs2 in SCVS:
                seed += 1
                lam = rho * c
                model = qm.GGcApprox(lam, 1.0, c, arrival_scv=ca2, service_scv=cs2)
                r = qm.simulate(model, quantities=["mean_wait"], rel_precision=0.02,
                                max_arrivals=20_000_000, seed=seed)
                est = r.mean_wait
                row = dict(servers=c, rho=rho, arrival_scv=ca2, service_scv=cs2,
                           simulated=f"{est.mean:.6g}", low=f"{est.low:.6g}",
                           high=f"{est.high:.6g}")
                for method in ("allen-cunneen", "kingman", "whitt"):
                    w = float(qm.GGcApprox(lam, 1.0, c, arrival_scv=ca2, service_scv=cs2,
                                           method=method).mean_wait)
                    row[method] = f"{w / est.mean - 1:.4g}"
                rows.append(row)
                print(row, flush=True)
    with OUT.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    for method in ("allen-cunneen", "kingman", "whitt"):
        err = np.abs([float(r[method]) for r in rows])
        print(f"{method:>14}: median |err| {np.median(err):.3f}, 90th pct {np.percentile(err, 90):.3f}, "
              f"max {err.max():.3f}")
        for c in SERVERS:
            e = np.abs([float(r[method]) for r in rows if r["servers"] == c])
            print(f"{'':>14}  c = {c:>2}: median {np.median(e):.3f}, max {e.max():.3f}")


if __name__ == "__main__":
    main()
