"""The two-moment M/G/c/K approximation (MGcKApprox) against the exact
M/PH/c/K (MPHcK) for phase-type laws of the same two moments (issue 16).

Grid: c = 1, 2, 5, 10, 20, 50; K - c = 1, 3, 10, 30; rho = 0.5, 0.8, 0.95,
1.0, 1.2; service mean 1 with scv 0.2 (Erlang mixture, 5 phases; c <= 10),
0.5 (Erlang mixture, 2 phases), 2 and 4 (two-phase hyperexponential,
balanced means).  Every value is exact (no simulation noise), so the grid
reaches blocking far below what the earlier simulated grid could
(benchmarks/mgck_approx_error.csv).  Writes benchmarks/mgck_vs_mphck.csv and
prints the error summary quoted in MGcKApprox's docstring.

    .venv/bin/python benchmarks/mgck_vs_mphck.py
"""
import csv
import pathlib

import numpy as np

import queuemath as qm

SCVS = (0.2, 0.5, 2.0, 4.0)
SERVERS = (1, 2, 5, 10, 20, 50)
EXTRA = (1, 3, 10, 30)
RHOS = (0.5, 0.8, 0.95, 1.0, 1.2)
OUT = pathlib.Path(__file__).with_name("mgck_vs_mphck.csv")


def main():
    rows = []
    for scv in SCVS:
        law = qm.PhaseType.fit(1.0, scv)
        for c in SERVERS:
            if law.phases > 2 and c > 10:
                continue              # C(c + 4, 4) states a level: beyond a quick grid
            for extra in EXTRA:
                k = c + extra
                for rho in RHOS:
                    lam = rho * c
                    exact = float(qm.MPHcK(lam, c, k, service_time=law).blocking)
                    approx = float(qm.MGcKApprox(lam, 1.0, c, k, service_scv=scv).blocking)
                    rows.append(dict(scv=scv, servers=c, capacity=k, rho=rho,
                                     exact=f"{exact:.6g}", approx=f"{approx:.6g}",
                                     rel_err=f"{approx / exact - 1:.6g}"))
    with OUT.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    err = np.array([float(r["rel_err"]) for r in rows])
    exact = np.array([float(r["exact"]) for r in rows])
    scv = np.array([r["scv"] for r in rows])
    c = np.array([r["servers"] for r in rows])
    print(f"{len(rows)} points written to {OUT.name}")
    for label, sel in [("blocking >= 1e-2", exact >= 1e-2),
                       ("1e-6 <= blocking < 1e-2", (exact >= 1e-6) & (exact < 1e-2)),
                       ("blocking < 1e-6", exact < 1e-6)]:
        for s in SCVS:
            m = sel & (scv == s)
            if m.any():
                a = np.abs(err[m])
                print(f"{label:>24}  scv {s:>3}: n={m.sum():>3}  median |err| {np.median(a):.3f}  "
                      f"max {a.max():.3f}")
    for cc in SERVERS:
        m = (c == cc) & (exact >= 1e-2)
        if m.any():
            print(f"c = {cc:>2}, blocking >= 1e-2: median |err| {np.median(np.abs(err[m])):.3f}, "
                  f"max {np.max(np.abs(err[m])):.3f}")


if __name__ == "__main__":
    main()
