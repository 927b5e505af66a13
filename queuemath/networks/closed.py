r"""Closed product-form networks: a fixed population of customers (clients
that think, log in and come back) cycling through queueing stations.

Solved by exact mean value analysis for every population from 1 to N in one
pass, without the normalising constants' overflow or load-dependent MVA's
cancellation (see :mod:`queuemath._kernels.mva`), by Bard-Schweitzer
approximate MVA on request, for a few classes by exact multi-class MVA, and
bounded by the asymptotic and balanced-job bounds.
"""
from functools import cached_property

import numpy as np

from .. import _validate
from .._kernels import mva as _mva
from .._kernels import netchain as _chain
from .._model import Parameter, QueueModel, SimulationSpec, quantity
from . import _checks

__all__ = ["ClosedNetwork"]

_METHODS = ("exact", "schweitzer")
#: Lattice points beyond which exact multi-class MVA is refused (memory:
#: stations x points doubles; use method="schweitzer").
_MAX_LATTICE = 20_000_000


class ClosedNetwork(QueueModel):
    r"""A closed product-form queueing network solved by mean value analysis.

    A population of N customers cycles for ever: each thinks for a mean
    ``think_time`` (a delay station: the clients at their desks), then
    visits the queueing stations, spending a total mean service
    ``service_demands[i]`` at station i per cycle (visits times mean
    service time), and thinks again.  Stations serve first-come
    first-served with exponential service (or processor sharing, or are
    delay stations with ``servers=inf``): the BCMP conditions under which
    the network has a product-form law and mean value analysis is exact.

    Parameters
    ----------
    service_demands : array_like
        :math:`D_i = V_i S_i`, the service time a customer needs at each
        station per cycle, at least 0; one value per station, or a
        (classes, stations) matrix for several classes. [s]
    servers : array_like of int
        Servers per station, at least 1, or ``inf`` for a delay (infinite
        server) station; a scalar is used for every station.
    population : array_like of int
        N, the customers in the network, at least 0.  One class: a count or
        an array of counts (every population is solved in one pass; the
        results have its shape).  Several classes: one count per class.
    think_time : float or array_like, keyword-only, default 0
        Z, the mean time a customer spends outside the stations between two
        cycles (per class with several classes). [s]
    method : {"exact", "schweitzer"}, keyword-only
        Exact MVA (default) or Bard-Schweitzer's approximation (multi-server
        stations then by Seidmann's approximation).
    visits : array_like, keyword-only, optional
        Mean visits per cycle :math:`V_i` to each station, to report
        per-visit response times and station throughputs; default those
        of ``routing``, or 1.
    names : sequence of str, keyword-only, optional
        Station names for tables and messages.
    routing : array_like, keyword-only, optional
        One class with think time: :math:`P_{ij}`, where a customer goes
        after station i (the rest of the row: back to thinking), and
        ``entry`` (default the first station) where it starts its cycle.
        The visits :math:`V = \mathrm{entry}\,(I - P)^{-1}` then give each
        visit's mean service time :math:`D_i / V_i`.  The product-form
        results depend on the demands only; the routing shapes the
        simulation and, with capacities, the blocking.  Default: after
        thinking a customer visits one station, i with probability
        1/M' (M' stations with a demand).
    entry : array_like, keyword-only, optional
        Probabilities of the first station of a cycle (sum 1).
    capacity : array_like of int, keyword-only, optional
        One class with think time and one population: K_i, the most
        station i holds (in service included; inf: no limit).  A customer
        arriving at a full station is refused and goes back to thinking
        (a refused login is tried again later).  Product form no longer
        holds: the network is solved exactly as a Markov chain while it
        has at most 20 000 states, and simulated beyond.

    Attributes
    ----------
    throughput : float or ndarray
        X(N), cycles completed per unit time (logins per second). [1/s]
    blocking : float or ndarray
        With capacities: the share of cycles started (login attempts)
        refused at a full station; 0 without.
    mean_response_time : float or ndarray
        R(N) = N/X(N) - Z, the mean time per cycle at the stations; with
        capacities, per attempt admitted at its first station (those
        refused further on included), by Little's law. [s]
    mean_in_system : float or ndarray
        Mean number of customers at the stations (not thinking).
    station_utilization, station_mean_in_system, station_residence_time,
    station_throughput, station_response_time : ndarray
        Per station, in the last axis: mean share of servers busy (for a
        delay station the mean number in service, JMT's convention), mean
        number present, time per cycle at the station (Q_i/X), completions
        per unit time (X V_i), time per visit.
    bottleneck : int
        The station with the largest demand per server, which caps the
        throughput at :math:`c_i/D_i` as N grows.

    Raises
    ------
    ValueError
        Naming the parameter: negative or NaN demands, servers not a count
        or inf, a negative population, a network with nothing to do
        (every demand and the think time 0), exact multi-class MVA with a
        multi-server station (not a product-form recursion here) or too
        many population vectors.

    See Also
    --------
    queuemath.networks.OpenNetwork : open Jackson networks.
    queuemath.FiniteSourceMMcK : one station with think time, exactly.

    Notes
    -----
    One class: X, Q and R for every population 0..N come from one pass,
    O(N M) for single-server and delay stations and O(N c K M) with K
    multi-server stations of c servers; each step is a sum, product or
    quotient of positive numbers, so populations of 1e5 and more keep
    double precision (``tests/test_networks.py`` measures it against
    60-digit normalising constants).  Several classes: the recursion of
    Reiser & Lavenberg over every population vector.

    References
    ----------
    .. [1] M. Reiser, S. S. Lavenberg, "Mean-value analysis of closed
       multichain queuing networks", J. ACM 27(2), 313-322, 1980.
       https://doi.org/10.1145/322186.322195
    .. [2] E. D. Lazowska, J. Zahorjan, G. S. Graham, K. C. Sevcik,
       *Quantitative System Performance*, Prentice-Hall, 1984, ch. 5-7
       (bounds, MVA, the multiple-server station).
    .. [3] F. Baskett, K. M. Chandy, R. R. Muntz, F. G. Palacios, "Open,
       closed, and mixed networks of queues with different classes of
       customers", J. ACM 22(2), 248-260, 1975.
       https://doi.org/10.1145/321879.321887
    .. [4] J. Zahorjan, K. C. Sevcik, D. L. Eager, B. Galler, "Balanced job
       bound analysis of queueing networks", Comm. ACM 25(2), 134-141, 1982.
       https://doi.org/10.1145/358396.358447
    .. [5] R. Jain, *The Art of Computer Systems Performance Analysis*,
       Wiley, 1991, ch. 34 (MVA, Schweitzer's approximation, balanced job
       bounds; example 34.2).

    Examples
    --------
    Jain (1991, example 34.2): a timesharing system, think time 4 s, a CPU
    (16 visits of 0.125 s), disk A (10 of 0.3 s), disk B (5 of 0.2 s); his
    table 34.1 gives X = 0.175/s and R = 7.400 s at N = 2, and 0.333/s and
    56.016 s at N = 20:

    >>> import queuemath as qm
    >>> net = qm.networks.ClosedNetwork([2.0, 3.0, 1.0], 1, [2, 20], think_time=4.0,
    ...                                 visits=[16, 10, 5])
    >>> net.throughput.round(3), net.mean_response_time.round(3)
    (array([0.175, 0.333]), array([ 7.4  , 56.016]))
    >>> net.station_response_time[0].round(3)      # per visit at N = 2, as in his table
    array([0.15, 0.39, 0.22])
    >>> net.bottleneck                             # disk A caps X at 1/3
    1
    """

    quantities = ("blocking", "throughput", "mean_response_time", "mean_in_system")
    point_parameters = ("population",)
    descriptions = {
        "blocking": "share of cycles started (attempts) refused at a full station",
        "throughput": "cycles completed per unit time",
        "mean_response_time": "mean time per cycle at the stations (think time excluded)",
        "mean_in_system": "mean number at the stations (not thinking)",
    }

    service_demands = Parameter("D_i [s] per cycle")
    servers = Parameter("servers per station (inf: delay)", kind="value")
    population = Parameter("customers", kind="int")
    think_time = Parameter("Z [s]", kind="value")
    routing = Parameter("P_ij (None: one station per cycle)", kind="value")
    entry = Parameter("first station's probabilities", kind="value")
    capacity = Parameter("K_i (None: no limit)", kind="value")

    def __init__(self, service_demands, servers, population, *, think_time=0.0,
                 method="exact", visits=None, names=None, routing=None, entry=None,
                 capacity=None):
        demands = _validate.nonnegative("service_demands", service_demands)
        if demands.ndim not in (1, 2):
            raise ValueError(f"service_demands must be one value per station, or a (classes, "
                             f"stations) matrix, got shape {demands.shape}")
        self._multi = demands.ndim == 2
        classes, m = (demands.shape if self._multi else (1, demands.size))
        servers_arr = _checks.servers_vector(servers, m)
        if method not in _METHODS:
            raise ValueError(f"method must be one of {_METHODS}, got {method!r}")
        if names is not None:
            names = [str(v) for v in names]
            if len(names) != m:
                raise ValueError(f"names has {len(names)} entries for {m} stations")
        self._names = names
        pops = _validate.integer("population", population, minimum=0)
        think = _validate.nonnegative("think_time", think_time)
        if self._multi:
            if pops.shape != (classes,):
                raise ValueError(f"population must be one count per class ({classes}) with "
                                 f"a (classes, stations) matrix of demands, got shape "
                                 f"{pops.shape}")
            think = np.broadcast_to(think, (classes,)) if think.ndim == 0 else think
            if think.shape != (classes,):
                raise ValueError(f"think_time must be one time or one per class ({classes}), "
                                 f"got shape {think.shape}")
            idle = (demands.sum(axis=1) == 0) & (think == 0) & (pops > 0)
            if np.any(idle):
                r = int(np.argmax(idle))
                raise ValueError(f"class {r} has no service demand and no think time: its "
                                 "customers would cycle infinitely fast")
            if method == "exact":
                multi = np.isfinite(servers_arr) & (servers_arr > 1) & (demands.sum(axis=0) > 0)
                if np.any(multi):
                    i = int(np.argmax(multi))
                    raise ValueError(
                        f"servers: {_checks.station_name(i, names)} has "
                        f"{_validate.fmt(servers_arr[i])} servers; exact multi-class MVA here "
                        "takes single-server and delay stations (method='schweitzer' "
                        "approximates multi-server ones)")
                points = float(np.prod(pops + 1))
                if points > _MAX_LATTICE:
                    raise ValueError(f"population {pops.astype(int).tolist()} has {points:.3g} "
                                     f"population vectors, more than exact MVA's "
                                     f"{_MAX_LATTICE:.0e}: use method='schweitzer'")
            shape = ()
        else:
            if think.ndim != 0:
                raise ValueError(f"think_time must be a single time for one class, got shape "
                                 f"{think.shape}")
            if demands.sum() == 0 and float(think) == 0 and np.any(pops > 0):
                raise ValueError("service_demands are all 0 and think_time is 0: the customers "
                                 "would cycle infinitely fast")
            shape = pops.shape
        v = (np.ones(m) if visits is None else
             _checks.station_vector("visits", visits, _validate.positive, m))
        layout = self._layout(demands, routing, entry, capacity, servers_arr, think, pops,
                              names)
        self._params = dict(service_demands=demands, servers=servers_arr, population=pops,
                            think_time=think if self._multi else float(think))
        self._visits = v
        self._method = method
        self._given = dict(service_demands=demands, servers=servers_arr,
                           population=pops.astype(np.int64) if pops.ndim else int(pops),
                           think_time=(think if self._multi else float(think)))
        if method != "exact":
            self._given["method"] = method
        self._routing, self._entry, self._capacity, self._route_visits = layout
        if visits is None and self._route_visits is not None:
            # the routing says how often each station is visited per cycle
            v = self._route_visits
            self._visits = v
        self._params.update(routing=self._routing, entry=self._entry, capacity=self._capacity)
        for key, val in (("routing", routing), ("entry", entry), ("capacity", capacity)):
            if val is not None:
                self._given[key] = getattr(self, "_" + key)
        self._index = None
        self._shape = shape
        self._m = m
        for arr in (demands, servers_arr, pops, v):
            arr.flags.writeable = False
        self.closed_form = self._capacity is None or self._chain_size() <= _chain.MAX_STATES

    def _layout(self, demands, routing, entry, capacity, servers, think, pops, names):
        """(routing, entry, capacity, the visits per cycle the routing
        gives) checked; None for those not given."""
        m = demands.shape[-1]
        if routing is None and entry is None and capacity is None:
            return None, None, None, None
        if self._multi or pops.ndim or float(think) <= 0:
            what = "routing" if routing is not None else "entry" if entry is not None \
                else "capacity"
            raise ValueError(f"{what} is for one class with think time > 0 at one population "
                             "(a refused or finished cycle goes back to thinking)")
        p = (None if routing is None else _checks.routing_matrix(routing, m))
        if entry is not None:
            e = _checks.station_vector("entry", entry, _validate.nonnegative, m)
            if abs(e.sum() - 1) > 1e-12:
                raise ValueError(f"entry must sum to 1, got {e.sum()!r}")
        else:
            e = None if p is None else np.eye(m)[0]
        visits = None
        if p is not None:
            visits = e @ _checks.visit_matrix(p, names)
            bad = (demands > 0) & (visits <= 1e-300)
            if np.any(bad):
                i = int(np.argmax(bad))
                raise ValueError(f"service_demands: {_checks.station_name(i, names)} has a "
                                 "demand but the routing never visits it")
            bad = (demands == 0) & (visits > 1e-300)
            if np.any(bad):
                i = int(np.argmax(bad))
                raise ValueError(f"service_demands: {_checks.station_name(i, names)} is "
                                 "visited but has no demand (a zero service time)")
        k = None
        if capacity is not None:
            k = _checks.capacity_vector(capacity, servers, names)
        return p, e, k, visits

    def _chain_levels(self):
        """(population, the most each of the chain's stations can hold): the
        clients thinking first, then the model's stations."""
        pop = int(self._params["population"])
        return pop, [pop] + [int(min(v, pop)) for v in self._capacity]

    def _chain_size(self):
        pop, levels = self._chain_levels()
        return _chain.count_states(levels, pop)

    def _chain_layout(self):
        """The network as the engine and the chain see it: station 0 the
        clients thinking (a delay station), then the model's stations."""
        d = self._params["service_demands"]
        c = self._params["servers"]
        z = self._params["think_time"]
        m = self._m
        size = m + 1
        routing = np.zeros((size, size))
        if self._routing is None:
            active = np.flatnonzero(d > 0)
            routing[0, 1 + active] = 1.0 / active.size
            routing[1 + active, 0] = 1.0
            visits = np.zeros(m)
            visits[active] = 1.0 / active.size
        else:
            routing[0, 1:] = self._entry
            routing[1:, 1:] = self._routing
            routing[1:, 0] = np.clip(1 - self._routing.sum(axis=1), 0.0, 1.0)
            visits = self._route_visits
        mu = np.ones(size)
        active = d > 0
        mu[1:][active] = visits[active] / d[active]
        mu[0] = 1.0 / z
        servers = np.r_[np.inf, c]
        k = np.r_[np.inf, self._capacity if self._capacity is not None else np.full(m, np.inf)]
        return mu, servers, k, routing

    @cached_property
    def _exact_chain(self):
        size = self._chain_size()
        if size > _chain.MAX_STATES:
            raise ValueError(
                f"this network with capacities has {size:.4g} states, beyond the exact "
                f"chain's {_chain.MAX_STATES}; estimate it with queuemath.simulate(model)")
        pop, levels = self._chain_levels()
        mu, servers, k, routing = self._chain_layout()
        ch = _chain.build(np.zeros(self._m + 1), mu, servers, k, routing, levels, pop,
                          refuse_to=0)
        pi = ch.pi
        done = ch.busy * mu
        attempts = float(pi @ done[:, 0])
        back = float(pi @ (done[:, 1:] @ routing[1:, 0]))
        free = ~(ch.states[:, 1:] >= k[None, 1:])
        entering = float(pi @ (done[:, 0] * (free @ routing[0, 1:])))
        # the model's stations are the chain's from 1 on (0: the clients thinking)
        per = {k: v[1:] for k, v in ch.station_means().items()}
        total = float(per["mean_in_system"].sum())
        return dict(throughput=back, blocking=float(pi @ ch.lost) / attempts,
                    mean_in_system=total, mean_response_time=total / entering,
                    station_mean_in_system=per["mean_in_system"],
                    station_blocking=per["blocking"], station_throughput=per["throughput"],
                    station_utilization=per["utilization"])

    # -- the solution ---------------------------------------------------------
    @cached_property
    def _solution(self):
        """(X, Q): X of the model's shape, Q of shape + (M,)."""
        if self._capacity is not None:
            ex = self._exact_chain
            return np.asarray(ex["throughput"]), ex["station_mean_in_system"]
        d, c = self._params["service_demands"], self._params["servers"]
        z, pops = self._params["think_time"], self._params["population"]
        if self._multi:
            if self._method == "exact":
                x, q = _mva.multiclass_exact(d, c, z, pops)
            else:
                x, q = _mva.multiclass_schweitzer(d, c, z, pops)
            self._class = (x, q)
            return np.asarray(x.sum()), q.sum(axis=0)
        flat = pops.ravel().astype(np.int64)
        if self._method == "exact":
            x_all, q_all = _mva.exact(d, c, z, int(flat.max(initial=0)))
            x, q = x_all[flat], q_all[:, flat]
        else:
            uniq, inv = np.unique(flat, return_inverse=True)
            xu, qu = _mva.schweitzer(d, c, z, uniq)
            x, q = xu[inv], qu[:, inv]
        return x.reshape(self._shape), np.moveaxis(q, 0, -1).reshape(self._shape + (self._m,))

    @cached_property
    def _per_class(self):
        _ = self._solution          # solving keeps the per-class values
        return self._class

    @quantity
    def throughput(self):
        """X(N), cycles per unit time (every class together). [1/s]

        Examples
        --------
        One customer alone cycles once per think time plus demands:

        >>> import math
        >>> net = ClosedNetwork([0.5, 0.2], [1, 1], 1, think_time=2.0)
        >>> math.isclose(net.throughput, 1 / (2.0 + 0.5 + 0.2), rel_tol=1e-14)
        True
        """
        return self._solution[0]

    @quantity
    def blocking(self):
        """Share of cycles started that a full station refuses (0 without
        capacities).

        Examples
        --------
        >>> ClosedNetwork([0.5, 0.2], [1, 1], 10, think_time=2.0).blocking
        0.0
        """
        if self._capacity is not None:
            return np.asarray(self._exact_chain["blocking"])
        return np.zeros(self._shape)

    @quantity
    def mean_in_system(self):
        """Mean number at the stations (thinking customers excluded).

        Examples
        --------
        Customers not thinking (Little's law on the think station):

        >>> import math
        >>> net = ClosedNetwork([0.5, 0.2], [1, 1], 10, think_time=2.0)
        >>> math.isclose(net.mean_in_system, 10 - net.throughput * 2.0, rel_tol=1e-13)
        True
        """
        return self._solution[1].sum(axis=-1)

    @quantity
    def mean_response_time(self):
        """R(N) = (mean number at the stations) / X(N): time per cycle at
        the stations, N/X - Z for one class; 0 at population 0. [s]

        Examples
        --------
        The response-time law, R = N/X - Z:

        >>> import math
        >>> net = ClosedNetwork([0.5, 0.2], [1, 1], 10, think_time=2.0)
        >>> math.isclose(net.mean_response_time, 10 / net.throughput - 2.0, rel_tol=1e-13)
        True
        """
        if self._capacity is not None:
            return np.asarray(self._exact_chain["mean_response_time"])
        x, q = self._solution
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(x > 0, q.sum(axis=-1) / np.where(x > 0, x, 1.0), 0.0)

    # -- per station ------------------------------------------------------------
    @property
    def station_mean_in_system(self):
        """Mean number present at each station (last axis).

        Examples
        --------
        >>> import math
        >>> net = ClosedNetwork([0.5, 0.2], [1, 1], 10, think_time=2.0)
        >>> math.isclose(float(net.station_mean_in_system.sum()), net.mean_in_system, rel_tol=1e-13)
        True
        """
        return self._solution[1].copy()

    @property
    def station_utilization(self):
        """X D_i / c_i: mean share of servers busy; for a delay station the
        mean number in service (X D_i).

        Examples
        --------
        The utilization law, U = X D:

        >>> import numpy as np
        >>> net = ClosedNetwork([0.5, 0.2], [1, 1], 10, think_time=2.0)
        >>> bool(np.allclose(net.station_utilization, net.throughput * np.array([0.5, 0.2]), rtol=1e-14))
        True
        """
        if self._capacity is not None:
            return self._exact_chain["station_utilization"].copy()
        x = self._solution[0][..., None]
        d = self._stations_demand()
        c = self._params["servers"]
        return x * d / np.where(np.isfinite(c), c, 1.0)

    def _stations_demand(self):
        d = self._params["service_demands"]
        return d.sum(axis=0) if self._multi else d

    @property
    def station_residence_time(self):
        """Q_i / X: time per cycle spent at each station. [s]

        Examples
        --------
        Residence times add up to the response time:

        >>> import math
        >>> net = ClosedNetwork([0.5, 0.2], [1, 1], 10, think_time=2.0)
        >>> math.isclose(float(net.station_residence_time.sum()), net.mean_response_time, rel_tol=1e-13)
        True
        """
        x, q = self._solution
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(x[..., None] > 0, q / np.where(x > 0, x, 1.0)[..., None], 0.0)

    @property
    def station_throughput(self):
        """X V_i: completions per unit time at each station (V_i = 1 unless
        ``visits`` was given). [1/s]

        Examples
        --------
        >>> net = ClosedNetwork([0.5, 0.2], [1, 1], 10, think_time=2.0, visits=[2, 1])
        >>> net.station_throughput / net.throughput
        array([2., 1.])
        """
        if self._capacity is not None:
            return self._exact_chain["station_throughput"].copy()
        return self._solution[0][..., None] * self._visits

    @property
    def station_blocking(self):
        """Share of the arrivals at each station refused (0 without
        capacities).

        Examples
        --------
        >>> ClosedNetwork([0.5, 0.2], [1, 1], 10, think_time=2.0).station_blocking
        array([0., 0.])
        """
        if self._capacity is not None:
            return self._exact_chain["station_blocking"].copy()
        return np.zeros(self._shape + (self._m,))

    @property
    def station_response_time(self):
        """Time per visit at each station: residence time / V_i. [s]

        Examples
        --------
        Per visit: the residence time over the visits:

        >>> import numpy as np
        >>> net = ClosedNetwork([0.5, 0.2], [1, 1], 10, think_time=2.0, visits=[2, 1])
        >>> bool(np.allclose(net.station_response_time * [2, 1], net.station_residence_time, rtol=1e-14))
        True
        """
        return self.station_residence_time / self._visits

    @property
    def class_throughput(self):
        """Several classes: X_r, cycles per unit time of each class. [1/s]

        Examples
        --------
        Two classes, one row of demands each:

        >>> net = ClosedNetwork([[0.5, 0.2], [0.1, 0.4]], [1, 1], [5, 5], think_time=[2.0, 1.0])
        >>> net.class_throughput.shape, bool(abs(net.class_throughput.sum() - net.throughput) < 1e-12)
        ((2,), True)
        """
        self._require_classes("class_throughput")
        return self._per_class[0].copy()

    @property
    def class_response_time(self):
        """Several classes: R_r = N_r / X_r - Z_r. [s]

        Examples
        --------
        The response-time law per class, R_r = N_r/X_r - Z_r:

        >>> import numpy as np
        >>> net = ClosedNetwork([[0.5, 0.2], [0.1, 0.4]], [1, 1], [5, 5], think_time=[2.0, 1.0])
        >>> law = np.array([5, 5]) / net.class_throughput - [2.0, 1.0]
        >>> bool(np.allclose(net.class_response_time, law, rtol=1e-12))
        True
        """
        self._require_classes("class_response_time")
        x, q = self._per_class
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(x > 0, q.sum(axis=1) / np.where(x > 0, x, 1.0), 0.0)

    @property
    def class_station_mean_in_system(self):
        """Several classes: mean number of class r at station i, (R, M).

        Examples
        --------
        >>> import numpy as np
        >>> net = ClosedNetwork([[0.5, 0.2], [0.1, 0.4]], [1, 1], [5, 5], think_time=[2.0, 1.0])
        >>> q = net.class_station_mean_in_system
        >>> q.shape, bool(np.allclose(q.sum(axis=0), net.station_mean_in_system, rtol=1e-12))
        ((2, 2), True)
        """
        self._require_classes("class_station_mean_in_system")
        return self._per_class[1].copy()

    def _require_classes(self, what):
        if not self._multi:
            raise ValueError(f"{what} is for several classes; this network has one "
                             "(see throughput)")

    @property
    def bottleneck(self):
        """Index of the station with the largest demand per server (a delay
        station never is one).

        Examples
        --------
        The index of the station with the largest demand:

        >>> ClosedNetwork([0.5, 0.2], [1, 1], 10, think_time=2.0).bottleneck
        0
        """
        d = self._stations_demand()
        c = self._params["servers"]
        per = np.where(np.isfinite(c), d / np.where(np.isfinite(c), c, 1.0), -1.0)
        return int(np.argmax(per))

    def stations(self):
        """Per-station results as a pandas DataFrame (one population).

        Examples
        --------
        >>> net = ClosedNetwork([0.5, 0.2], [1, 1], 10, think_time=2.0)
        >>> t = net.stations()
        >>> list(t.columns)[:3]
        ['servers', 'service_demand', 'utilization']
        """
        import pandas as pd
        self._require_point("stations()")
        idx = pd.Index(self._names if self._names else range(self._m), name="station")
        cols = dict(
            servers=self._params["servers"], service_demand=self._stations_demand(),
            utilization=self.station_utilization, mean_in_system=self.station_mean_in_system,
            residence_time=self.station_residence_time, throughput=self.station_throughput)
        if self._capacity is not None:
            cols.update(capacity=self._capacity, blocking=self.station_blocking)
        return pd.DataFrame(cols, index=idx)

    def _require_point(self, what):
        if self._shape != ():
            raise ValueError(f"{what} takes one population; this network has population of "
                             f"shape {self._shape}")

    def table(self):
        """Every population from 0 to N (the largest asked), one class: a
        DataFrame of throughput, response time, number at the stations and
        each station's mean number (``Q[i]``) and utilisation (``U[i]``),
        beside the asymptotic and balanced-job bounds on the throughput.

        Examples
        --------
        Every population from 0 to N in one pass; throughput rises towards the
        bottleneck's 1/D_max:

        >>> net = ClosedNetwork([0.5, 0.2], [1, 1], 10, think_time=2.0)
        >>> t = net.table()
        >>> len(t), float(t['throughput'].iloc[0])
        (11, 0.0)
        >>> bool(t['throughput'].is_monotonic_increasing), bool(t['throughput'].iloc[-1] < 1 / 0.5)
        (True, True)
        """
        import pandas as pd
        if self._multi or self._capacity is not None:
            raise ValueError("table() is for one class without capacities (product form); "
                             "several classes and finite buffers are solved at one population")
        n_max = int(self._params["population"].max(initial=0))
        pops = np.arange(n_max + 1)
        net = ClosedNetwork(self._params["service_demands"], self._params["servers"], pops,
                            think_time=self._params["think_time"], method=self._method,
                            visits=self._visits, names=self._names)
        cols = dict(throughput=net.throughput, mean_response_time=net.mean_response_time,
                    mean_in_system=net.mean_in_system)
        labels = self._names or range(self._m)
        q, u = net.station_mean_in_system, net.station_utilization
        for i, lab in enumerate(labels):
            cols[f"Q[{lab}]"] = q[:, i]
        for i, lab in enumerate(labels):
            cols[f"U[{lab}]"] = u[:, i]
        cols.update(self._bounds(pops))
        return pd.DataFrame(cols, index=pd.Index(pops, name="population"))

    def _bounds(self, pops):
        d = self._params["service_demands"]
        if self._multi or self._capacity is not None:
            raise ValueError("bounds() are for one class without capacities (product form)")
        return _mva.bounds(d, self._params["servers"], self._params["think_time"], pops)

    def bounds(self):
        """Asymptotic and balanced-job bounds on the throughput at the
        model's populations: a dict of arrays ``asymptotic_lower``,
        ``asymptotic_upper``, ``balanced_lower``, ``balanced_upper`` (with a
        multi-server station the balanced ones are the asymptotic ones).

        Examples
        --------
        >>> import queuemath as qm
        >>> net = qm.networks.ClosedNetwork([2.0, 3.0, 1.0], 1, 5, think_time=4.0)
        >>> b = net.bounds()
        >>> float(b["balanced_lower"]) <= net.throughput <= float(b["balanced_upper"])
        True
        """
        out = self._bounds(self._params["population"])
        return {k: self._output(v) for k, v in out.items()}

    # -- contract -----------------------------------------------------------
    @property
    def kendall(self):
        kind = "multi-class " if self._multi else ""
        buffers = " with finite buffers" if self._capacity is not None else ""
        return f"closed {kind}network{buffers} of {self._m} stations"

    def quantity_value(self, name):
        """The value of a quantity or of a station's row of a simulation
        (``utilization[1]``, ``mean_in_system[0]``).

        Examples
        --------
        >>> net = ClosedNetwork([0.5, 0.2], [1, 1], 10, think_time=2.0)
        >>> net.quantity_value('throughput') == net.throughput
        True
        """
        return _checks.station_row(self, name)

    def simulation_spec(self):
        """One class, one population: the network as the Monte Carlo
        engine runs it: the clients thinking are station 0 (a delay
        station), then the model's stations on ``routing`` (by default
        one station per cycle, i with probability 1/M'), each visit's
        service time D_i / V_i; a cycle starts at each think completion.
        Without think time a customer goes from station to station (i
        with probability 1/M') and each visit is a cycle.

        Examples
        --------
        >>> net = ClosedNetwork([0.5, 0.2], [1, 1], 10, think_time=2.0)
        >>> net.simulation_spec().engine
        'network'
        """
        if self._multi:
            raise ValueError("ClosedNetwork with several classes has no simulation yet")
        self._require_point("simulate")
        d = self._params["service_demands"]
        c = self._params["servers"]
        z = self._params["think_time"]
        pop = int(self._params["population"])
        if pop < 1:
            raise ValueError("population must be >= 1 to simulate")
        m = self._m
        what = ("utilization", "mean_in_system") + (
            ("blocking",) if self._capacity is not None else ())
        rows = _checks.station_rows(c, what)
        fixed = () if self._capacity is not None else ("blocking",)
        if z > 0:
            mu, servers, k, routing = self._chain_layout()
            return SimulationSpec("network", dict(
                external=np.zeros(m + 1), mu=mu, c=servers, k=k, routing=routing,
                population=pop, reference=0, refuse_to=0,
                queue_mask=np.r_[False, np.ones(m, dtype=bool)], offset=1, rows=rows,
                fixed=fixed), 1)
        # no think time: after each station a customer goes to station i
        # with probability 1/M'; a cycle is one station visit
        active = np.flatnonzero(d > 0)
        p = 1.0 / active.size
        mu = np.ones(m)
        mu[active] = p / d[active]
        routing = np.zeros((m, m))
        routing[np.ix_(active, active)] = p
        return SimulationSpec("network", dict(
            external=np.zeros(m), mu=mu, c=c.copy(), k=np.full(m, np.inf), routing=routing,
            population=pop, reference=-1, queue_mask=np.ones(m, dtype=bool), offset=0,
            rows=rows, fixed=fixed + ("mean_in_system",)), 1)

