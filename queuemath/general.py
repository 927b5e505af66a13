r"""Queues with general laws that have no closed form: estimated by simulation.

:class:`GGcK` (renewal or Poisson arrivals, general service, c servers, room
for K) and :class:`FiniteSourceGGcK` (N sources with general think times) are
models like the others (``summary()``, ``compare``, ``repr``), whose
quantities :func:`queuemath.simulate` estimates with confidence intervals on
the FIFO event engine.
"""
import numpy as np

from . import _validate
from ._kernels import laws as _laws
from ._model import Parameter, QueueModel, SimulationSpec

__all__ = ["GGcK", "FiniteSourceGGcK"]


def _letter(law):
    if law is None:
        return "M"
    if _laws.is_constant(law):
        return "D"
    return "M" if _laws.exponential_scale(law) is not None else "G"


def _count(name, value, minimum=1):
    if value is None:
        raise ValueError(f"{name} is required")
    arr = _validate.integer(name, value, minimum=minimum)
    if arr.ndim:
        raise ValueError(f"{name} must be a single integer, got an array of shape {arr.shape}")
    return arr


def _sampler(rate, law):
    """Exponential times at ``rate`` where one was given, else draws from ``law``."""
    return _laws.ExponentialSampler(float(rate)) if rate is not None else _laws.Sampler(law)


def _arrivals(arrival_rate, law_name, law):
    """(rate or None, law or None): exactly one of a Poisson rate or a law."""
    if (arrival_rate is None) == (law is None):
        raise ValueError(f"give either arrival_rate (Poisson arrivals) or {law_name} (a "
                         f"law), not both nor neither; got arrival_rate={arrival_rate!r}, "
                         f"{law_name}={law!r}")
    if arrival_rate is not None:
        lam = _validate.positive("arrival_rate", arrival_rate)
        if lam.ndim:
            raise ValueError("arrival_rate must be a single number for a simulated model, "
                             f"got an array of shape {lam.shape}")
        return lam, None
    return None, _laws.as_law(law_name, law)


class GGcK(QueueModel):
    r"""G/G/c/K: renewal arrivals, general service, c FIFO servers, room for K.

    Simulation only: ``summary()`` and :func:`queuemath.simulate` estimate
    the quantities with confidence intervals (the FIFO event engine measures
    each customer's wait).

    Parameters
    ----------
    arrival_rate : float, optional
        :math:`\lambda` of Poisson arrivals (M/G/c/K), greater than 0; or give
        ``interarrival_time``. [1/s]
    servers : int, default 1
        c, at least 1.
    capacity : int, optional
        K >= c, everyone in the system; None for no limit (G/G/c).
    service_time : float or scipy.stats frozen distribution
        Keyword only: the service-time law; a number is a constant time. [s]
    interarrival_time : float or scipy.stats frozen distribution, optional
        Keyword only, instead of ``arrival_rate``: the law of the times
        between arrivals (a renewal process). [s]

    Attributes
    ----------
    quantities : tuple of str
        What :func:`queuemath.simulate` estimates: ``blocking`` (with a
        capacity), ``p_wait``, ``throughput``, ``utilization``,
        ``mean_in_system``, ``mean_queue``, ``mean_wait``,
        ``mean_response_time``.

    See Also
    --------
    MG1K : Poisson arrivals and one server, exact.
    MGcKApprox : Poisson arrivals, a two-moment approximation.

    References
    ----------
    .. [1] W. Whitt, "Planning queueing simulations," Management Science 35,
       1989, 1341-1366 (run lengths from the relaxation time).
       doi:10.1287/mnsc.35.11.1341
    .. [2] K. P. White, "An effective truncation heuristic for bias reduction
       in simulation output," Simulation 69, 1997, 323-334 (MSER).

    Examples
    --------
    >>> from scipy import stats
    >>> m = GGcK(0.9, 1, 10, service_time=stats.lognorm(s=1.0, scale=0.6))
    >>> m
    GGcK(arrival_rate=0.9, servers=1, capacity=10, service_time=lognorm(s=1.0, scale=0.6))
    >>> m.kendall, m.servers, m.capacity
    ('M/G/1/10', 1, 10)
    """

    quantities = ("blocking", "p_wait", "throughput", "utilization", "mean_in_system",
                  "mean_queue", "mean_wait", "mean_response_time")
    closed_form = False

    arrival_rate = Parameter(r":math:`\lambda` of Poisson arrivals, if given. [1/s]")
    servers = Parameter("c, the number of servers.", kind="int")
    capacity = Parameter("K; None for no limit.", kind="int")
    service_time = Parameter("The service-time law. [s]", kind="law")
    interarrival_time = Parameter("The interarrival-time law, if given. [s]", kind="law")

    def __init__(self, arrival_rate=None, servers=1, capacity=None, *, service_time,
                 interarrival_time=None):
        lam, arrival_law = _arrivals(arrival_rate, "interarrival_time", interarrival_time)
        c = _count("servers", servers)
        k = None if capacity is None else _count("capacity", capacity)
        if k is not None:
            _validate.at_least("capacity", k, "servers", c)
        law = _laws.as_law("service_time", service_time)
        numeric = dict(servers=c)
        if lam is not None:
            numeric["arrival_rate"] = lam
        if k is not None:
            numeric["capacity"] = k
        self._store(dict(arrival_rate=lam, servers=c.astype(np.int64),
                         capacity=None if k is None else k.astype(np.int64),
                         service_time=law, interarrival_time=arrival_law),
                    numeric, laws=dict(service_time=law, interarrival_time=arrival_law))
        self._params.setdefault("arrival_rate", None)
        self._params.setdefault("capacity", None)

    @property
    def kendall(self):
        arrivals = _letter(self._params["interarrival_time"])
        tail = "" if self._params["capacity"] is None else f"/{int(self._params['capacity'])}"
        return (f"{arrivals}/{_letter(self._params['service_time'])}/"
                f"{int(self._params['servers'])}{tail}")

    def simulation_spec(self):
        p = self._params
        k = np.inf if p["capacity"] is None else float(p["capacity"])
        c = int(p["servers"])
        return SimulationSpec("general", dict(
            arrival=_sampler(p["arrival_rate"], p["interarrival_time"]),
            service=_laws.Sampler(p["service_time"]), c=c, k=k, sources=None), c)


class FiniteSourceGGcK(QueueModel):
    r"""Finite-source G/G/c/K: ``sources`` clients, each thinking for a general
    time before its next request, general service, FIFO; a request that finds
    the system full is lost and its source thinks again (Engset-like).

    Simulation only, like :class:`GGcK`.

    Parameters
    ----------
    arrival_rate : float, optional
        Request rate of one thinking source (exponential think times),
        greater than 0; or give ``think_time``. [1/s]
    sources : int
        N, at least 1.
    servers : int, default 1
        c, at least 1.
    capacity : int, optional
        K >= c; None means ``servers`` (a loss system, as in Engset's model).
    service_time : float or scipy.stats frozen distribution
        Keyword only: the service-time law; a number is a constant time. [s]
    think_time : float or scipy.stats frozen distribution, optional
        Keyword only, instead of ``arrival_rate``: the law of one source's
        think (idle) time before a request. [s]

    Attributes
    ----------
    quantities : tuple of str
        What :func:`queuemath.simulate` estimates: ``blocking`` (share of
        requests lost), ``time_congestion``, ``carried_load`` (in busy
        servers), ``throughput``, ``utilization``, ``mean_in_system``,
        ``mean_queue``, ``mean_wait``, ``mean_response_time``.

    See Also
    --------
    Engset : exponential times and no queue, exact.

    References
    ----------
    .. [1] W. Whitt, "Planning queueing simulations," Management Science 35,
       1989, 1341-1366.  doi:10.1287/mnsc.35.11.1341
    .. [2] V. B. Iversen, "Teletraffic Engineering and Network Planning,"
       Technical University of Denmark, 2015, ch. 8 (finite sources).

    Examples
    --------
    >>> from scipy import stats
    >>> FiniteSourceGGcK(0.3, 20, 5, service_time=stats.expon(scale=1.0)).kendall
    'M/M/5/5/20'
    """

    quantities = ("blocking", "time_congestion", "carried_load", "throughput", "utilization",
                  "mean_in_system", "mean_queue", "mean_wait", "mean_response_time")
    closed_form = False
    descriptions = {"blocking": "share of requests lost (call congestion)"}

    arrival_rate = Parameter("Request rate of one thinking source, if given. [1/s]")
    sources = Parameter("N, the number of sources.", kind="int")
    servers = Parameter("c, the number of servers.", kind="int")
    capacity = Parameter("K, the most the system holds.", kind="int")
    service_time = Parameter("The service-time law. [s]", kind="law")
    think_time = Parameter("The think-time law, if given. [s]", kind="law")

    def __init__(self, arrival_rate=None, sources=None, servers=1, capacity=None, *,
                 service_time, think_time=None):
        lam, think = _arrivals(arrival_rate, "think_time", think_time)
        n = _count("sources", sources)
        c = _count("servers", servers)
        k = c if capacity is None else _count("capacity", capacity)
        _validate.at_least("capacity", k, "servers", c)
        law = _laws.as_law("service_time", service_time)
        numeric = dict(sources=n, servers=c, capacity=k)
        if lam is not None:
            numeric["arrival_rate"] = lam
        self._store(dict(arrival_rate=lam, sources=n.astype(np.int64),
                         servers=c.astype(np.int64), capacity=k.astype(np.int64),
                         service_time=law, think_time=think),
                    numeric, laws=dict(service_time=law, think_time=think))
        self._params.setdefault("arrival_rate", None)

    @property
    def kendall(self):
        p = self._params
        return (f"{_letter(p['think_time'])}/{_letter(p['service_time'])}/{int(p['servers'])}/"
                f"{int(p['capacity'])}/{int(p['sources'])}")

    def simulation_spec(self):
        p = self._params
        c = int(p["servers"])
        return SimulationSpec("general", dict(
            arrival=_sampler(p["arrival_rate"], p["think_time"]),
            service=_laws.Sampler(p["service_time"]), c=c, k=float(p["capacity"]),
            sources=int(p["sources"])), c)
