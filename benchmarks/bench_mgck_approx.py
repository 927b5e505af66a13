"""Error of the two-moment M/G/c/K approximation (MGcKApprox) against
simulation on a grid (issue 8).

Grid: c = 1, 2, 5, 10; K - c = 1, 3, 10; rho = 0.5, 0.8, 1.0, 1.2; service
deterministic (scv 0), gamma (scv 0.5), lognormal (scv 2 and 4), mean 1.
Each point is simulated with queuemath's GGcK engine (Poisson arrivals,
seed fixed) with 400 000 measured arrivals; where c = 1 the exact MG1K
value is used instead.  Writes benchmarks/mgck_approx_error.csv and prints
the error summary quoted in MGcKApprox's docstring.

    .venv/bin/python benchmarks/bench_mgck_approx.py
"""
import csv
import pathlib

import numpy as np
from scipy import stats

import queuemath as qm
from queuemath.twomoment import MGcKApprox

LAWS = {
    "deterministic": (1.0, 0.0),
    "gamma": (stats.gamma(2.0, scale=0.5), 0.5),
    "lognormal2": (stats.lognorm(s=np.sqrt(np.log(3.0)), scale=np.exp(-np.log(3.0) / 2)), 2.0),
    "lognormal4": (stats.lognorm(s=np.sqrt(np.log(5.0)), scale=np.exp(-np.log(5.0) / 2)), 4.0),
}
SERVERS = (1, 2, 5, 10)
EXTRA = (1, 3, 10)
RHOS = (0.5, 0.8, 1.0, 1.2)
OUT = pathlib.Path(__file__).with_name("mgck_approx_error.csv")


def truth(law, c, k, lam, seed):
    """(value, low, high, source) of the blocking probability."""
    if c == 1:
        v = float(qm.MG1K(lam, k, service_time=law).blocking)
        return v, v, v, "MG1K exact"
    model = qm.GGcK(lam, c, k, service_time=law)     # Poisson arrivals; a number: constant service
    r = qm.simulate(model, arrivals=400_000, seed=seed)
    return r.blocking.mean, r.blocking.low, r.blocking.high, "GGcK simulation"


def main():
    rows = []
    seed = 0
    for name, (law, scv) in LAWS.items():
        for c in SERVERS:
            for extra in EXTRA:
                for rho in RHOS:
                    seed += 1
                    k = c + extra
                    lam = rho * c
                    v, lo, hi, src = truth(law, c, k, lam, seed)
                    ap = float(MGcKApprox(lam, 1.0, c, k, service_scv=scv).blocking)
                    rows.append(dict(law=name, scv=scv, servers=c, capacity=k, rho=rho,
                                     truth=v, low=lo, high=hi, source=src, approx=ap,
                                     rel_err=ap / v - 1 if v > 0 else float("nan")))
    with OUT.open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        for r in rows:
            w.writerow({k: (f"{v:.6g}" if isinstance(v, float) else v) for k, v in r.items()})
    # points where no arrival was refused in the simulation have no
    # relative error (their blocking is below ~1e-5); they are counted apart
    err = np.array([r["rel_err"] for r in rows])
    print(f"{np.isnan(err).sum()} points with no refusal simulated (blocking < ~1e-5)")
    truth_v = np.array([r["truth"] for r in rows])
    scv = np.array([r["scv"] for r in rows])
    rho = np.array([r["rho"] for r in rows])
    print(f"{len(rows)} points; |relative error| of the blocking:")
    for label, sel in [("all", np.ones(len(rows), bool)),
                       ("blocking >= 1e-2", truth_v >= 1e-2),
                       ("blocking >= 1e-2, scv <= 2", (truth_v >= 1e-2) & (scv <= 2)),
                       ("blocking >= 1e-2, scv = 4", (truth_v >= 1e-2) & (scv == 4)),
                       ("rho >= 0.8, scv <= 2", (rho >= 0.8) & (scv <= 2)),
                       ("blocking < 1e-2", truth_v < 1e-2)]:
        e = np.abs(err[sel & ~np.isnan(err)])
        print(f"  {label:30s} n={e.size:3d}  median {np.median(e):.3f}  90% {np.quantile(e, 0.9):.3f}"
              f"  max {e.max():.3f}")
    print(f"table: {OUT}")


if __name__ == "__main__":
    main()
