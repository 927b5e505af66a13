"""What the simulator can run: the closed-form models and two general ones."""
import math

import numpy as np

from .. import _validate
from ..abandonment import ErlangA
from ..delay import MMc
from ..finite import MMcK
from ..loss import Engset

LIMITED = ("blocking", "throughput", "utilization", "mean_in_system", "mean_queue",
           "mean_wait", "mean_response_time")
UNLIMITED = ("p_wait", "throughput", "utilization", "mean_in_system", "mean_queue",
             "mean_wait", "mean_response_time")
ENGSET = ("blocking", "time_congestion", "carried_load")
IMPATIENT = ("p_wait", "p_abandon", "throughput", "utilization", "mean_in_system",
             "mean_queue", "mean_wait")


class Constant:
    """A deterministic time with the frozen-distribution methods the
    simulator uses (``rvs``, ``support``, ``mean``); GGcK makes one of a
    plain number."""

    def __init__(self, value):
        self.value = float(value)

    def rvs(self, size=None, random_state=None):
        return np.full(size, self.value)

    def support(self):
        return (self.value, self.value)

    def mean(self):
        return self.value

    def __repr__(self):
        return f"Constant({self.value!r})"


def _distribution(name, dist):
    if isinstance(dist, (int, float, np.integer, np.floating)) and not isinstance(dist, bool):
        return Constant(float(_validate.positive(name, dist)))
    if not callable(getattr(dist, "rvs", None)):
        raise ValueError(f"{name} must be a scipy.stats frozen distribution (with rvs), got {dist!r}")
    support = getattr(dist, "support", None)
    if callable(support):
        low = float(support()[0])
        if not low >= 0:
            raise ValueError(f"{name} can return negative times: its support starts at {low!r}")
    return dist


class Draw:
    """Picklable sampler: ``Draw(dist)(generator, size)`` -> array of times."""

    def __init__(self, dist):
        self.dist = dist

    def __call__(self, gen, size):
        return np.asarray(self.dist.rvs(size=size, random_state=gen), dtype=float)


class GGcK:
    r"""G/G/c/K for simulation: renewal arrivals, general service, FIFO.

    Parameters
    ----------
    arrival : scipy.stats frozen distribution or float
        Interarrival times, non-negative; a number is a constant time. [s]
    service : scipy.stats frozen distribution or float
        Service times, non-negative; a number is a constant time (M/D/c/K). [s]
    servers : int
        c, at least 1.
    capacity : int or None
        K >= c, everyone in the system; None for no limit (G/G/c).

    Examples
    --------
    >>> from scipy import stats
    >>> m = GGcK(stats.expon(scale=1/0.9), stats.lognorm(s=1.0, scale=np.exp(-0.5)), 1, 10)
    >>> m.servers, m.capacity
    (1, 10)
    """

    def __init__(self, arrival, service, servers, capacity=None):
        self.arrival = _distribution("arrival", arrival)
        self.service = _distribution("service", service)
        self.servers = int(_validate.integer("servers", servers))
        if capacity is not None:
            capacity = int(_validate.integer("capacity", capacity))
            _validate.at_least("capacity", np.array(capacity), "servers", np.array(self.servers))
        self.capacity = capacity

    def __repr__(self):
        return (f"GGcK(arrival={_dist_name(self.arrival)}, service={_dist_name(self.service)}, "
                f"servers={self.servers}, capacity={self.capacity})")


class FiniteSourceGGcK:
    r"""Finite-source G/G/c/K: ``sources`` clients, each thinking for a general
    time before its next request, general service, FIFO; a request that finds
    the system full is lost and its source thinks again (Engset-like).

    Parameters
    ----------
    think : scipy.stats frozen distribution
        Idle (think) time of one source before a request. [s]
    service : scipy.stats frozen distribution or float
        Service times; a number is a constant time. [s]
    servers : int
        c, at least 1.
    sources : int
        N, at least 1.
    capacity : int or None
        K >= c; None means ``servers`` (a loss system, as in Engset's model).
    """

    def __init__(self, think, service, servers, sources, capacity=None):
        self.think = _distribution("think", think)
        self.service = _distribution("service", service)
        self.servers = int(_validate.integer("servers", servers))
        self.sources = int(_validate.integer("sources", sources))
        capacity = self.servers if capacity is None else int(_validate.integer("capacity", capacity))
        _validate.at_least("capacity", np.array(capacity), "servers", np.array(self.servers))
        self.capacity = capacity

    def __repr__(self):
        return (f"FiniteSourceGGcK(think={_dist_name(self.think)}, "
                f"service={_dist_name(self.service)}, servers={self.servers}, "
                f"sources={self.sources}, capacity={self.capacity})")


def _dist_name(dist):
    name = getattr(getattr(dist, "dist", None), "name", type(dist).__name__)
    args = ", ".join([repr(a) for a in getattr(dist, "args", ())]
                     + [f"{k}={v!r}" for k, v in getattr(dist, "kwds", {}).items()])
    return f"{name}({args})"


def _scalar_model(model, *names):
    values = []
    for name in names:
        arr = getattr(model, "_" + name)
        if arr.size != 1:
            raise ValueError(f"simulate takes a model with scalar parameters; {name} has shape "
                             f"{arr.shape}")
        values.append(float(arr.reshape(-1)[0]))
    return values


def to_spec(model):
    """(engine name, engine keyword arguments, quantity names, servers)."""
    if isinstance(model, MMcK):
        lam, mu, c, k = _scalar_model(model, "lam", "mu", "c", "k")
        _positive_arrivals(lam)
        return "markov", dict(lam=lam, mu=mu, c=c, k=k, sources=None), LIMITED, c
    if isinstance(model, MMc):
        lam, mu, c = _scalar_model(model, "lam", "mu", "c")
        _positive_arrivals(lam)
        if lam >= c * mu:
            raise ValueError(
                f"an unstable M/M/c (arrival_rate={lam!r} >= servers * service_rate="
                f"{c * mu!r}) has no stationary law to estimate")
        return "markov", dict(lam=lam, mu=mu, c=c, k=math.inf, sources=None), UNLIMITED, c
    if isinstance(model, ErlangA):
        lam, mu, c, theta, k = _scalar_model(model, "lam", "mu", "c", "theta", "k")
        _positive_arrivals(lam)
        if theta == 0 and not np.isfinite(k) and lam >= c * mu:
            raise ValueError("a patient M/M/c with arrival_rate >= servers * service_rate "
                             "has no stationary law to estimate")
        names = IMPATIENT if not np.isfinite(k) else ("blocking",) + IMPATIENT
        return "markov", dict(lam=lam, mu=mu, c=c, k=k, sources=None, theta=theta), names, c
    if isinstance(model, Engset):
        n, c, beta = _scalar_model(model, "n", "c", "beta")
        if beta <= 0:
            raise ValueError("idle_source_load must be > 0 to simulate, got 0")
        # time in units of the mean holding time: mu = 1, request rate beta
        return "markov", dict(lam=beta, mu=1.0, c=c, k=c, sources=n), ENGSET, c
    if isinstance(model, GGcK):
        k = math.inf if model.capacity is None else model.capacity
        names = UNLIMITED if model.capacity is None else LIMITED
        return ("general", dict(arrival=Draw(model.arrival), service=Draw(model.service),
                                c=model.servers, k=k, sources=None), names, model.servers)
    if isinstance(model, FiniteSourceGGcK):
        names = ("blocking",) + ENGSET[1:] + LIMITED[1:]
        return ("general", dict(arrival=Draw(model.think), service=Draw(model.service),
                                c=model.servers, k=model.capacity, sources=model.sources),
                names, model.servers)
    raise ValueError(
        "model must be one of MM1K, MMcK, MMc, Engset, ErlangA, GGcK, FiniteSourceGGcK; got "
        f"{type(model).__name__}")


def _positive_arrivals(lam):
    if not lam > 0:
        raise ValueError(f"arrival_rate must be > 0 to simulate, got {lam!r}")
