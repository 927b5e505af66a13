"""Waiting-time quantiles at scale (issue 15): ``MMcK(...).wait_quantile(0.99)``
on mixed points against ``MMcK(...).blocking`` on the same points, side by
side in one run (the issue's target: within 3x).

    python benchmarks/bench_waiting.py [points]       # default 1e6

Points: servers log-uniform in 1..1e4, queue places log-uniform in 1..1e6,
load per server uniform in 0.5..1.5 (a tenth of them within 1e-6 of 1).
Prints the best of three timings of each, taken in turn after one untimed
full-size call of each (and a warm-up that pays lazy imports), their
ratio, and how many evaluations of the wait tail took the far-tail series
or the panel quadrature rather than the closed form.
"""
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import queuemath as qm  # noqa: E402
from mixed_points import mixed_mmck  # noqa: E402  (the tests draw the same law)
from queuemath._kernels import waiting as _kw  # noqa: E402


def _interleaved(calls, repeat):
    """Least of ``repeat`` timings of each call, the calls taken in turn
    (after one untimed full-size call of each): the allocator has then grown
    its heap for both, so neither pays the other's first page faults.
    Timing one call three times and then the other let the first run on a
    fresh heap: blocking took 0.47 s that way and 0.40 s after a quantile
    call, which flattered the ratio by 15 %."""
    outs = [call() for call in calls]
    best = [float("inf")] * len(calls)
    for _ in range(repeat):
        for i, call in enumerate(calls):
            t0 = time.perf_counter()
            outs[i] = call()
            best[i] = min(best[i], time.perf_counter() - t0)
    return best, outs


def main(n, repeat=3):
    lam, c, k = mixed_mmck(n, 15)
    # first calls pay lazy imports and caches: warm both up on a slice
    qm.MMcK(lam[:1000], 1.0, c[:1000], k[:1000]).wait_quantile(0.99)
    calls = {"quad": 0, "series": 0}
    quad, series = _kw._quadrature, _kw._series

    def count_quad(L, *a, **kw):
        calls["quad"] += L.size
        return quad(L, *a, **kw)

    def count_series(L, *a, **kw):
        if not kw.get("density"):     # the wait tail's, not the density's
            calls["series"] += L.size
        return series(L, *a, **kw)
    _kw._quadrature, _kw._series = count_quad, count_series
    (t_block, t_quant), (blocking, quantile) = _interleaved(
        [lambda: qm.MMcK(lam, 1.0, c, k).blocking,
         lambda: qm.MMcK(lam, 1.0, c, k).wait_quantile(0.99)], repeat)
    _kw._quadrature, _kw._series = quad, series
    print(f"{n} points: blocking {t_block:.2f} s, wait_quantile(0.99) {t_quant:.2f} s, "
          f"ratio {t_quant / t_block:.2f}x (target 3x; best of {repeat} each, interleaved)")
    print(f"wait-tail evaluations by quadrature {calls['quad'] // (repeat + 1)}, by series "
          f"{calls['series'] // (repeat + 1)} (over all Newton steps); blocking finite "
          f"{np.isfinite(blocking).all()}, "
          f"quantiles finite {np.isfinite(quantile).mean():.3f}")


if __name__ == "__main__":
    main(int(float(sys.argv[1])) if len(sys.argv) > 1 else 1_000_000)
