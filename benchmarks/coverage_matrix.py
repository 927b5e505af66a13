"""Coverage of the default Monte Carlo intervals at every load and model of
issue 14 (tests/interval_coverage.py says what one run is), written to
benchmarks/coverage.md.

    make coverage                                  # 1000 runs per model
    python benchmarks/coverage_matrix.py --groups 200     # a quicker look
    python benchmarks/coverage_matrix.py --loads 0.5,0.9  # some loads only
    python benchmarks/coverage_matrix.py --models MM1K,Engset  # some models only

Exits non-zero if any quantity's coverage leaves 0.95 +- 0.02.  Same seed
and groups, same file.  Models run in parallel (--workers, default 2).
"""
import argparse
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

import interval_coverage as cv  # noqa: E402


def _run(job):
    load, index, groups, seed = job
    model, exact = cv.models(load)[index]
    if exact is not None:
        # the general engine is ~30 times slower: a quarter of the runs, a
        # band widened to keep the same false-failure rate
        groups = max(100, groups // 4)
    t0 = time.perf_counter()
    shares = cv.coverage(model, groups, seed + index, exact)
    return load, repr(model), shares, groups, time.perf_counter() - t0


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--groups", type=int, default=1000)
    ap.add_argument("--loads", default=",".join(str(x) for x in cv.LOADS))
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--models", default="",
                    help="comma-separated class names (MM1K,MMc,...): only these models")
    ap.add_argument("--out", default=str(HERE / "coverage.md"))
    args = ap.parse_args(argv)
    loads = [float(x) for x in args.loads.split(",")]
    only = {m for m in args.models.split(",") if m}
    jobs = [(load, i, args.groups, args.seed) for load in loads
            for i, (model, _) in enumerate(cv.models(load))
            if not only or type(model).__name__ in only]
    rows, bad = [], []
    with ProcessPoolExecutor(args.workers) as pool:
        for load, name, shares, groups, secs in pool.map(_run, jobs):
            worst = min(s for s, _ in shares.values())
            for q, (s, marked) in shares.items():
                if not cv.within(s, marked, groups):
                    bad.append((load, name, q, s))
            cells = ", ".join(f"{q} {s:.3f}" + ("*" if m else "") for q, (s, m) in shares.items())
            rows.append(f"| {load} | `{name}` | {groups} | {worst:.3f} | {cells} | {secs:.0f} |")
            print(rows[-1], flush=True)
    fr = cv.false_failure_rate(args.groups)
    text = [
        "# Coverage of the default 95% intervals (make coverage)",
        "",
        f"{args.groups} runs per model, seed {args.seed}; each run is `simulate(model, seed=s, "
        f"rel_precision={cv.REL}, quantities=...)` (tests/interval_coverage.py). Band "
        f"{cv.TARGET} +- {cv.BAND}: a true coverage of exactly 0.95 leaves it with "
        f"probability {fr:.1e} per quantity (the general engine's fewer runs: band "
        f"+- {cv.band(max(100, args.groups // 4)):.3f}, the same rate). * : some runs "
        "ended in an upper bound or a 'few events' interval (conservative by "
        "construction): only the lower side is tested.",
        "",
        "| load | model | runs | worst | coverage per quantity | seconds |",
        "|---|---|---|---|---|---|",
        *rows,
        "",
        f"Outside the band: {len(bad)}" + ("" if not bad else ": " + "; ".join(
            f"{n} {q} at {load}: {s:.3f}" for load, n, q, s in bad)),
        "",
    ]
    Path(args.out).write_text("\n".join(text))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
