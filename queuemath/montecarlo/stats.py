"""Confidence intervals over independent replications, and the result types."""
from dataclasses import dataclass
import math

import numpy as np


@dataclass(frozen=True)
class Estimate:
    """A simulated quantity: mean over replications and its t interval."""

    mean: float
    low: float
    high: float
    half_width: float

    def covers(self, value):
        return bool(self.low <= value <= self.high)

    def __repr__(self):
        return f"Estimate(mean={self.mean:.6g}, low={self.low:.6g}, high={self.high:.6g})"


def estimate(per_replication, confidence):
    """Student-t interval for the mean of independent replication values.

    The replications are independent and (after warm-up) identically
    distributed, so their mean has a t distribution with R-1 degrees of
    freedom to the extent the per-replication values are near normal (each
    is itself an average over thousands of events).
    """
    from scipy.stats import t as student_t   # scipy.stats stays out of `import queuemath`
    x = np.asarray(per_replication, dtype=float)
    r = x.size
    mean = float(x.mean())
    if r < 2:
        return Estimate(mean, -math.inf, math.inf, math.inf)
    sd = float(x.std(ddof=1))
    hw = float(student_t.ppf(0.5 + confidence / 2, r - 1) * sd / math.sqrt(r))
    return Estimate(mean, mean - hw, mean + hw, hw)


class SimulationResult:
    """Estimates of every quantity of a simulated model.

    Each quantity is an attribute (``result.blocking``, ...) holding an
    :class:`Estimate`; ``arrivals`` is the number of arrivals actually
    measured (after warm-up), ``replications`` and ``confidence`` what was
    used.  ``to_dict()`` gives a plain table, ``to_pandas()`` a DataFrame
    (pandas only if installed), and Jupyter shows an HTML table.
    """

    def __init__(self, estimates, arrivals, replications, warmup, confidence, model,
                 per_replication=None):
        self._estimates = dict(estimates)
        #: {quantity: array of one value per replication}, for diagnostics
        self.per_replication = per_replication or {}
        self.arrivals = int(arrivals)
        self.replications = int(replications)
        self.warmup = int(warmup)
        self.confidence = float(confidence)
        self.model = model
        for name, est in self._estimates.items():
            setattr(self, name, est)

    @property
    def quantities(self):
        return tuple(self._estimates)

    def to_dict(self):
        """{quantity: {mean, low, high, half_width}}."""
        return {k: dict(mean=e.mean, low=e.low, high=e.high, half_width=e.half_width)
                for k, e in self._estimates.items()}

    def to_pandas(self):
        import pandas as pd   # optional dependency
        return pd.DataFrame(self.to_dict()).T

    def __repr__(self):
        lines = [f"SimulationResult({self.model!r}: {self.arrivals} arrivals, "
                 f"{self.replications} replications, {self.confidence:.0%} intervals)"]
        for k, e in self._estimates.items():
            lines.append(f"  {k:20s} {e.mean:.6g}  [{e.low:.6g}, {e.high:.6g}]")
        return "\n".join(lines)

    def _repr_html_(self):
        rows = "".join(
            f"<tr><td>{k}</td><td>{e.mean:.6g}</td><td>{e.low:.6g}</td><td>{e.high:.6g}</td></tr>"
            for k, e in self._estimates.items())
        return (f"<p>{self.model!r}: {self.arrivals} arrivals, {self.replications} "
                f"replications, {self.confidence:.0%} intervals</p><table><tr><th>quantity"
                f"</th><th>mean</th><th>low</th><th>high</th></tr>{rows}</table>")


class CrossCheck:
    """Closed form against simulation, one row per quantity."""

    def __init__(self, rows, result):
        self.rows = rows
        self.result = result

    @property
    def all_covered(self):
        return all(r["covered"] for r in self.rows)

    def to_dict(self):
        return {r["quantity"]: {k: v for k, v in r.items() if k != "quantity"} for r in self.rows}

    def to_pandas(self):
        import pandas as pd
        return pd.DataFrame(self.rows).set_index("quantity")

    @property
    def _note(self):
        # An approximation's rows marked NO measure its error, not a fault.
        if getattr(self.result.model, "approximate", False):
            return ("the closed form is an approximation: a row marked NO measures its "
                    "error for the simulated law")
        return ""

    def __repr__(self):
        head = f"{'quantity':20s} {'closed form':>14s} {'simulated':>14s} {'interval':>31s}  covered"
        lines = [self._note] if self._note else []
        lines.append(head)
        for r in self.rows:
            lines.append(f"{r['quantity']:20s} {r['closed_form']:14.6g} {r['estimate']:14.6g} "
                         f"[{r['low']:13.6g}, {r['high']:13.6g}]  {'yes' if r['covered'] else 'NO'}")
        return "\n".join(lines)

    def _repr_html_(self):
        rows = "".join(
            f"<tr><td>{r['quantity']}</td><td>{r['closed_form']:.6g}</td><td>{r['estimate']:.6g}"
            f"</td><td>[{r['low']:.6g}, {r['high']:.6g}]</td><td>{'yes' if r['covered'] else 'NO'}"
            "</td></tr>" for r in self.rows)
        note = f"<p>{self._note}</p>" if self._note else ""
        return (f"{note}<table><tr><th>quantity</th><th>closed form</th><th>simulated</th>"
                f"<th>interval</th><th>covered</th></tr>{rows}</table>")
