"""queuemath: exact, vectorised queueing formulas for capacity analysts.

Closed forms for loss and finite-queue systems (Erlang B and C, M/M/1/K,
M/M/c/K, M/M/c, Engset, Erlang A with impatient customers) and their inverses, accurate to double precision
from one server to millions, at any load, in log form where the plain value
underflows.  ``import queuemath`` loads numpy and scipy.special only.
"""
from .abandonment import ErlangA
from .delay import MMc, erlang_c, log_erlang_c
from .dimension import (blocking_sensitivity, capacity_frontier, erlang_b_load, erlang_b_servers,
                        erlang_c_servers, max_arrival_rate, min_capacity)
from .finite import MM1K, MMcK
from .loss import Engset, erlang_b, log_erlang_b
from .mg1k import MG1K
from .twomoment import MGcKApprox
from .montecarlo import FiniteSourceGGcK, GGcK, crosscheck, simulate

__version__ = "0.1.0"

__all__ = [
    "Engset", "ErlangA", "MG1K", "MGcKApprox", "MM1K", "MMc", "MMcK", "GGcK", "FiniteSourceGGcK", "simulate", "crosscheck",
    "erlang_b", "erlang_b_load", "erlang_b_servers", "erlang_c", "erlang_c_servers",
    "log_erlang_b", "log_erlang_c", "min_capacity", "max_arrival_rate", "capacity_frontier",
    "blocking_sensitivity",
]


def __getattr__(name):
    # queuemath.symbolic needs sympy: imported on first use, not by `import queuemath`.
    if name == "symbolic":
        import importlib
        return importlib.import_module(".symbolic", __name__)
    raise AttributeError(f"module 'queuemath' has no attribute {name!r}")
