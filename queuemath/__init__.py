"""queuemath: exact, vectorised queueing formulas for capacity analysts.

Closed forms for loss and finite-queue systems (Erlang B and C, M/M/1/K,
M/M/c/K, M/M/c, Engset, Erlang A with impatient customers, M/G/1/K), the
waiting- and response-time laws with their percentiles, and the inverses
(servers, capacity, load, staffing for time targets), accurate to double
precision from one server to millions, at any
load, in log form where the plain value underflows; a Monte Carlo module
that cross-checks them (:func:`simulate`, :func:`crosscheck`); every model
on one contract (``quantities``, ``summary()``, :func:`compare`).

``import queuemath`` loads numpy and scipy.special only; ``qm.tcp``,
``qm.networks``, ``qm.plot`` and ``qm.symbolic`` are imported on first use.
"""
import importlib

from ._model import QueueModel, compare
from .abandonment import ErlangA
from .delay import MMc, erlang_c, log_erlang_c
from .explore import explore
from .dimension import (blocking_sensitivity, capacity_frontier, erlang_b_load, erlang_b_servers,
                        erlang_c_servers, max_arrival_rate, min_capacity)
from .finite import MM1K, MMcK
from .general import FiniteSourceGGcK, GGcK
from .ggc import GGcApprox
from .loss import Engset, erlang_b, log_erlang_b
from .infinite import MGInf, MMInf
from .mg1 import MG1
from .mg1k import MG1K
from .mphck import MPHcK
from .phasetype import PhaseType
from .population import FiniteSourceMMcK
from .retrial import RetrialMMcK, extended_erlang_b
from .staffing import max_capacity_for_wait, servers_for_mean_wait, servers_for_service_level
from .montecarlo import crosscheck, simulate
from .transient import birth_death_transient
from .twomoment import MGcKApprox

__version__ = "0.4.0.dev0"

__all__ = [
    "QueueModel", "compare", "simulate", "crosscheck",
    "MM1K", "MMcK", "MMc", "Engset", "ErlangA", "MG1K", "MGcKApprox", "GGcK",
    "FiniteSourceGGcK", "FiniteSourceMMcK", "MPHcK", "PhaseType",
    "MMInf", "MGInf", "MG1", "GGcApprox", "RetrialMMcK", "extended_erlang_b",
    "erlang_b", "log_erlang_b", "erlang_c", "log_erlang_c",
    "erlang_b_servers", "erlang_b_load", "erlang_c_servers", "min_capacity",
    "max_arrival_rate", "capacity_frontier", "blocking_sensitivity",
    "servers_for_service_level", "servers_for_mean_wait", "max_capacity_for_wait",
    "birth_death_transient", "explore",
]

#: Subpackages imported on first use: tcp, networks, plot (matplotlib) and
#: symbolic (sympy) stay out of ``import queuemath``.
_LAZY = ("tcp", "plot", "symbolic", "networks")


def __getattr__(name):
    if name in _LAZY:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'queuemath' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_LAZY))
