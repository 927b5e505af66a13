"""Build the report: every table, figure and formula, then ``report.pdf``.

Run by ``make report`` as ``python paper/build.py`` (``--paper DIR`` builds
another copy of the sources).  It lives beside the report, not in the
package: the field report's constants below are the report's, not the
library's.  Tables: ``seed_scenario.csv`` (the steady state of a server whose
accept queue holds 5 connections, the Lotus Notes backlog on Windows NT,
against 200, the NT Server maximum), ``seed_storm.csv`` (the morning login
storm: exact transient and simulated client retries) and ``crosscheck.csv``.
Measured data (``measured/kernel_dynamic.csv``, from ``make
validate-kernel``) is read, never written.  Same sources, same bytes: SVGs
with a fixed hash salt and no date, CSVs with fixed formats, the PDF with a
fixed timestamp (``SOURCE_DATE_EPOCH`` honoured).
"""
import argparse
import csv
import io
import os
import sys
from pathlib import Path

import numpy as np

from queuemath import MMcK

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
    from queuemath import tcp
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


# -- figures -------------------------------------------------------------------

#: A fixed salt and no date make the SVG bytes a function of the data only.
_STYLE = {"svg.hashsalt": "queuemath", "svg.fonttype": "path", "font.size": 10}


def _axes():
    """Axes on a figure of its own, without pyplot: no global backend is set,
    and no figure is left open."""
    from matplotlib.figure import Figure
    return Figure(figsize=(6.0, 3.8)).add_subplot()


def _save(ax, path):
    path.parent.mkdir(parents=True, exist_ok=True)
    fig = ax.figure
    fig.tight_layout()
    fig.savefig(path, format="svg", metadata={"Date": None})
    return path


def make_figures(figdir):
    """Every figure of the report, as SVG; yields the paths as written."""
    import matplotlib
    from queuemath import plot, tcp
    with matplotlib.rc_context(_STYLE):
        rates = np.linspace(2.5, 100.0, 80)
        yield _save(plot.blocking_vs_load(rates, 50.0, 1, [1 + 5, 1 + 16, 1 + 200],
                                          label="backlog", ax=_axes()),
                    figdir / "blocking_vs_load.svg")
        yield _save(plot.erlang_b_curves([1, 2, 5, 10, 20, 50], np.linspace(0.1, 60, 200),
                                         ax=_axes()), figdir / "erlang_b.svg")
        yield _save(plot.dimensioning(np.linspace(2.5, 60, 48), 50.0, target_blocking=1e-6,
                                      os="windows-nt-4.0-server", ax=_axes()),
                    figdir / "dimensioning.svg")
        yield _save(plot.state_distribution(MMcK(3.2, 1.0, 4, 12), ax=_axes()),
                    figdir / "state_distribution.svg")
        yield _save(plot.crosscheck_curve(np.linspace(0.3, 1.8, 7), 1.0, 1, 6,
                                          seed=20261125, ax=_axes()),
                    figdir / "crosscheck.svg")
        storms = [tcp.login_storm(os="windows-nt-4.0-server", backlog=b, horizon=4.0,
                                  points=801, **STORM) for b in (5, 200)]
        yield _save(plot.storm_transient(storms, ["NT backlog 5", "NT backlog 200"],
                                         ax=_axes()), figdir / "storm.svg")


# -- generated text for the report ------------------------------------------------

def _typst_math(expr):
    """A sympy expression in typst math syntax (Greek names are typst symbols)."""
    import sympy as sp
    return sp.sstr(expr).replace("**", "^").replace("*", " ")


def formulas():
    """Closed forms derived by queuemath.symbolic, as typst math."""
    from queuemath import symbolic as qs
    m1 = qs.MM1K()
    eb = qs.ErlangB(servers=2)
    mc = qs.MMcK(servers=2, capacity=4)
    en = qs.Engset(sources=4, servers=2)
    return {
        "mm1k_blocking": _typst_math(m1.in_load(m1.generic(m1.blocking))),
        "mm1k_unit_load": _typst_math(m1.blocking_at_unit_load()),
        "mm1k_large_k": _typst_math(m1.large_capacity_limit("mean_in_system")),
        "erlang_b_2": _typst_math(eb.in_offered_load(eb.blocking)),
        "mm2k4_blocking": _typst_math(mc.in_offered_load(mc.blocking)),
        "engset_4_2": _typst_math(en.blocking),
    }


def write_formulas(path):
    lines = ["// Generated by `make report` (paper/build.py) from queuemath.symbolic; do not edit."]
    for name, text in formulas().items():
        # $...$ without inner spaces: inline math, usable inside a sentence
        lines.append(f"#let {name.replace('_', '-')} = ${text}$")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")
    return path


def crosscheck_rows():
    from queuemath import MMc, crosscheck
    # near saturation, where a fixed run length fails: run to 2% precision
    cc = crosscheck(MMc(3.9, 1.0, 4), rel_precision=0.02, seed=20261125)
    return [dict(quantity=r["quantity"], closed_form=r["closed_form"], estimate=r["estimate"],
                 low=r["low"], high=r["high"], covered="yes" if r["covered"] else "no")
            for r in cc.rows]


# -- the whole report -------------------------------------------------------------

class ReportError(RuntimeError):
    """A piece of the report is missing or failed; the message says which."""


def compile_pdf(paper):
    import typst
    source = paper / "report.typ"
    # SOURCE_DATE_EPOCH is honoured; without it the date is fixed, so the PDF
    # bytes depend on the sources only.
    stamp = int(os.environ.get("SOURCE_DATE_EPOCH", "1764028800"))   # 2025-11-25
    try:
        typst.compile(str(source), output=str(paper / "report.pdf"), root=str(paper),
                      ignore_system_fonts=True, timestamp=stamp)
    except Exception as exc:   # typst reports the file and line in its message
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
        raise ReportError(f"typst could not compile {source}: {first}") from None
    return paper / "report.pdf"


def _check_inputs(paper):
    """Fail before any work when a piece the report needs is absent."""
    try:
        import matplotlib  # noqa: F401
        import typst  # noqa: F401
    except ImportError as exc:
        raise ReportError(f"the {exc.name} package is missing: pip install "
                          "'queuemath[report]' (make report installs it)") from None
    for need, how in (("report.typ", "the report's source"),
                      ("measured/kernel_dynamic.csv",
                       "measured, not generated: run make validate-kernel")):
        if not (paper / need).exists():
            raise ReportError(f"paper/{need} is missing ({how})")


def main(argv=None):
    parser = argparse.ArgumentParser(description="Regenerate the report's artefacts.")
    parser.add_argument("--paper", type=Path, default=Path(__file__).resolve().parent,
                        help="the paper directory (default: this script's)")
    paper = parser.parse_args(argv).paper
    try:
        _check_inputs(paper)
        out = write_seed_table(paper / "tables" / "seed_scenario.csv")
        print(f"report: wrote {out}", flush=True)
        out = _write_rows(storm_rows(), paper / "tables" / "seed_storm.csv")
        print(f"report: wrote {out}", flush=True)
        out = _write_rows(crosscheck_rows(), paper / "tables" / "crosscheck.csv")
        print(f"report: wrote {out}", flush=True)
        out = write_formulas(paper / "generated" / "formulas.typ")
        print(f"report: wrote {out}", flush=True)
        for out in make_figures(paper / "figures"):
            print(f"report: wrote {out}", flush=True)
        out = compile_pdf(paper)
        print(f"report: wrote {out}", flush=True)
    except ReportError as exc:
        print(f"report: error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
