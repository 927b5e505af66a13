r"""Open networks of queues: Jackson's product form, and finite buffers.

Customers arrive from outside at each station as Poisson streams, are
served (exponentially, c_i servers, first come first served), and move on
by a routing matrix or leave.  Without capacities the stationary law is the
product of M/M/c laws at the rates that solve the traffic equations
(Jackson 1957).  A finite capacity breaks the product form; small networks
are then solved exactly as a Markov chain, larger ones simulated.
"""
from functools import cached_property

import numpy as np

from .. import _validate
from .._kernels import netchain as _chain
from .._model import Parameter, QueueModel, SimulationSpec, quantity
from ..delay import MMc
from . import _checks

__all__ = ["OpenNetwork"]


class OpenNetwork(QueueModel):
    r"""An open network of exponential multi-server stations (Jackson).

    Parameters
    ----------
    arrival_rates : array_like
        :math:`\gamma_i`, the rate of arrivals from outside at each station,
        at least 0, some positive; the last axis is the stations, leading
        axes (optional) are points solved together. [1/s]
    service_rates : array_like
        :math:`\mu_i` of one server at each station, greater than 0;
        broadcast against ``arrival_rates``. [1/s]
    servers : array_like of int
        Servers per station, at least 1, or ``inf`` (a delay station); a
        scalar is used for every station.
    routing : array_like
        :math:`P_{ij}`, the probability that a customer leaving station i
        goes next to station j; each row sums to at most 1, the rest of it
        leaves the network.
    capacity : array_like of int, keyword-only, optional
        K_i, the most station i holds (in service included, at least its
        servers; inf for no limit).  A customer arriving at or routed to a
        full station is lost (blocking with loss).  With capacities the
        network is solved exactly as a Markov chain while it has at most
        20 000 states, and simulated beyond (``qm.simulate``).
    names : sequence of str, keyword-only, optional
        Station names for tables and messages.

    Attributes
    ----------
    throughput : float or ndarray
        Customers leaving the network served per unit time; the total
        external arrival rate without capacities. [1/s]
    mean_in_system : float or ndarray
        Mean number in the network.
    mean_response_time : float or ndarray
        Mean time in the network of an admitted customer, end to end
        (Little's law: mean number / rate admitted). [s]
    blocking : float or ndarray
        The share of external arrivals lost, at the door or at a full
        station later on (0 without capacities).
    visit_ratios : ndarray
        :math:`V_i = \lambda_i / \sum_j \gamma_j`, mean visits to each station
        per customer.
    station_arrival_rate, station_utilization, station_mean_in_system,
    station_mean_queue, station_response_time, station_throughput : ndarray
        Per station, in the last axis: :math:`\lambda_i` (traffic
        equations), mean share of servers busy (mean number in service for a
        delay station), mean number present and waiting, mean time per
        visit, completions per unit time.
    station_blocking : ndarray
        With capacities: the share of arrivals at each station refused.

    Raises
    ------
    ValueError
        Naming the parameter: negative or NaN rates, no arrivals at all,
        servers not a count or inf, routing entries outside [0, 1] or rows
        summing above 1, a routing that traps customers (they never leave),
        capacity below servers, and, without capacities, a station that
        saturates (:math:`\lambda_i \ge c_i \mu_i`), named with its load.

    See Also
    --------
    queuemath.networks.ClosedNetwork : a fixed population (clients that think).
    queuemath.MMc : one station of the product.

    Notes
    -----
    The traffic equations :math:`\lambda = \gamma + P^T \lambda` are solved
    once per routing, :math:`\lambda = \gamma (I - P)^{-1}`; each station's
    quantities are then those of :class:`queuemath.MMc` at
    :math:`\lambda_i`, exact to double precision near saturation (Jackson's
    theorem; Burke's theorem for the tandem).  End-to-end means follow from
    Little's law.  Response-time distributions beyond the mean are not
    products along a path when the routing has feedback, and are not given.

    References
    ----------
    .. [1] J. R. Jackson, "Networks of waiting lines", Operations Research
       5(4), 518-521, 1957. https://doi.org/10.1287/opre.5.4.518
    .. [2] P. J. Burke, "The output of a queuing system", Operations
       Research 4(6), 699-704, 1956. https://doi.org/10.1287/opre.4.6.699
    .. [3] G. Bolch, S. Greiner, H. de Meer, K. S. Trivedi, *Queueing
       Networks and Markov Chains*, 2nd ed., Wiley, 2006, sec. 7.1.
       https://doi.org/10.1002/0471791571

    Examples
    --------
    The login path: a listener (fast), 4 workers, an authentication service
    that one login in five calls twice, then out:

    >>> import queuemath as qm
    >>> net = qm.networks.OpenNetwork([3.0, 0, 0], [50.0, 1.0, 10.0], [1, 4, 1],
    ...                               [[0, 1, 0], [0, 0, 0.4], [0, 0.5, 0]])
    >>> net.station_arrival_rate.round(4)      # the workers see 3/(1 - 0.2) per second
    array([3.  , 3.75, 1.5 ])
    >>> round(net.mean_response_time, 3)     # end to end, by Little's law
    5.655

    A saturating station is named:

    >>> qm.networks.OpenNetwork([4.5, 0], [50.0, 1.0], [1, 4], [[0, 1], [0, 0]])
    Traceback (most recent call last):
    ...
    ValueError: station 1 saturates: arrival rate 4.5 >= servers * service_rate = 4 (load 1.125); ...
    """

    quantities = ("blocking", "throughput", "mean_in_system", "mean_response_time")
    point_parameters = ()
    descriptions = {
        "throughput": "customers leaving the network served per unit time",
        "mean_in_system": "mean number in the network",
        "mean_response_time": "mean time in the network of an admitted customer",
        "blocking": "share of external arrivals lost (refused at some station)",
    }

    arrival_rates = Parameter("gamma_i [1/s]", kind="value")
    service_rates = Parameter("mu_i [1/s]", kind="value")
    servers = Parameter("servers per station (inf: delay)", kind="value")
    routing = Parameter("P_ij", kind="value")
    capacity = Parameter("K_i (inf: no limit)", kind="value")

    def __init__(self, arrival_rates, service_rates, servers, routing, *, capacity=None,
                 names=None):
        gamma = _validate.nonnegative("arrival_rates", arrival_rates)
        mu = _validate.positive("service_rates", service_rates)
        if gamma.ndim == 0:
            raise ValueError("arrival_rates must be one rate per station (the last axis), got "
                             "a single number")
        gamma, mu = _validate.broadcast(arrival_rates=gamma, service_rates=mu)
        m = gamma.shape[-1]
        c = _checks.servers_vector(servers, m)
        p = _checks.routing_matrix(routing, m)
        if names is not None:
            names = [str(v) for v in names]
            if len(names) != m:
                raise ValueError(f"names has {len(names)} entries for {m} stations")
        self._names = names
        if np.any(gamma.sum(axis=-1) <= 0):
            raise ValueError("arrival_rates are all 0: no customer enters the network")
        visits = _checks.visit_matrix(p, names)
        lam = gamma @ visits
        if capacity is None:
            k = np.full(m, np.inf)
        else:
            k = _checks.capacity_vector(capacity, c, names)
        self._finite = bool(np.any(np.isfinite(k)))
        if not self._finite:
            self._check_stable(lam, mu, c, names)
        elif gamma.ndim > 1:
            raise ValueError("a network with capacities takes one point (1-D arrival_rates and "
                             "service_rates): each is a Markov chain of its own")
        self._params = dict(arrival_rates=gamma, service_rates=mu, servers=c, routing=p,
                            capacity=k)
        for arr in (gamma, mu, c, p, k, lam):
            arr.flags.writeable = False
        self._lam = lam
        self._given = dict(arrival_rates=gamma, service_rates=mu, servers=c, routing=p,
                           capacity=None if capacity is None else k)
        self._index = None
        self._shape = gamma.shape[:-1]
        self._m = m
        self.closed_form = not self._finite or self._chain_size() <= _chain.MAX_STATES

    @staticmethod
    def _check_stable(lam, mu, c, names):
        cap = c * mu
        over = np.isfinite(c) & (lam >= cap)
        if np.any(over):
            idx = tuple(np.argwhere(over)[0])
            i = idx[-1]
            where = "" if lam.ndim == 1 else f" (at point {idx[:-1]})"
            raise ValueError(
                f"{_checks.station_name(i, names)} saturates: arrival rate "
                f"{_validate.fmt(lam[idx])} >= servers * service_rate = {_validate.fmt(cap[idx])}"
                f" (load {lam[idx] / cap[idx]:.4g}){where}; the network has no stationary law: "
                "add servers or capacity there, or lower arrival_rates")

    # -- product form -----------------------------------------------------------
    @cached_property
    def _stations(self):
        """An MMc per station (delay stations as one server, replaced below)."""
        c = self._params["servers"]
        finite = np.isfinite(c)
        return MMc(self._lam, self._params["service_rates"], np.where(finite, c, 1.0)), finite

    def _per_station(self, name):
        if self._finite:
            return self._exact[name]
        q, finite = self._stations
        lam, mu = self._lam, self._params["service_rates"]
        delay = {"mean_in_system": lam / mu, "utilization": lam / mu, "mean_queue": 0.0 * lam,
                 "mean_response_time": 1.0 / mu + 0.0 * lam}
        return np.where(finite, np.asarray(getattr(q, name), dtype=float), delay[name])

    @property
    def station_arrival_rate(self):
        r"""\lambda_i from the traffic equations (arrivals offered to each
        station, refused ones included). [1/s]

        Examples
        --------
        The traffic equations: half of station 0's output feeds back to it:

        >>> net = OpenNetwork([1.0, 0.0], [4.0, 4.0], [1, 1], [[0.5, 0.5], [0.0, 0.0]])
        >>> net.station_arrival_rate
        array([2., 1.])
        """
        if self._finite:
            return self._exact["arrivals"]
        return self._lam.copy()

    @property
    def visit_ratios(self):
        """Mean visits to each station per customer entering:
        station_arrival_rate / total external arrival rate.

        Examples
        --------
        >>> net = OpenNetwork([1.0, 0.0], [4.0, 4.0], [1, 1], [[0.5, 0.5], [0.0, 0.0]])
        >>> net.visit_ratios
        array([2., 1.])
        """
        return self.station_arrival_rate / self._params["arrival_rates"].sum(axis=-1)[..., None]

    @property
    def station_utilization(self):
        """Mean share of servers busy (delay station: mean number in service).

        Examples
        --------
        >>> net = OpenNetwork([1.0, 0.0], [4.0, 4.0], [1, 1], [[0.5, 0.5], [0.0, 0.0]])
        >>> net.station_utilization
        array([0.5 , 0.25])
        """
        return self._per_station("utilization")

    @property
    def station_mean_in_system(self):
        """Mean number present at each station.

        Examples
        --------
        Each station is an M/M/1 queue at its own arrival rate:

        >>> import numpy as np
        >>> net = OpenNetwork([1.0, 0.0], [4.0, 4.0], [1, 1], [[0.5, 0.5], [0.0, 0.0]])
        >>> rho = net.station_utilization
        >>> bool(np.allclose(net.station_mean_in_system, rho / (1 - rho), rtol=1e-14))
        True
        """
        return self._per_station("mean_in_system")

    @property
    def station_mean_queue(self):
        """Mean number waiting at each station.

        Examples
        --------
        >>> import numpy as np
        >>> net = OpenNetwork([1.0, 0.0], [4.0, 4.0], [1, 1], [[0.5, 0.5], [0.0, 0.0]])
        >>> busy = net.station_utilization                # one server each
        >>> bool(np.allclose(net.station_mean_queue, net.station_mean_in_system - busy, rtol=1e-14))
        True
        """
        return self._per_station("mean_queue")

    @property
    def station_response_time(self):
        """Mean time per visit at each station (admitted visits). [s]

        Examples
        --------
        >>> import numpy as np
        >>> net = OpenNetwork([1.0, 0.0], [4.0, 4.0], [1, 1], [[0.5, 0.5], [0.0, 0.0]])
        >>> bool(np.allclose(net.station_response_time, 1 / (4.0 - net.station_arrival_rate), rtol=1e-14))
        True
        """
        return self._per_station("mean_response_time")

    @property
    def station_throughput(self):
        """Completions per unit time at each station. [1/s]

        Examples
        --------
        >>> net = OpenNetwork([1.0, 0.0], [4.0, 4.0], [1, 1], [[0.5, 0.5], [0.0, 0.0]])
        >>> net.station_throughput
        array([2., 1.])
        """
        if self._finite:
            return self._exact["throughput"]
        return self._lam.copy()

    @property
    def station_blocking(self):
        """Share of the arrivals at each station that find it full (0
        without capacities).

        Examples
        --------
        >>> net = OpenNetwork([1.0, 0.0], [2.0, 4.0], [1, 1], [[0.0, 1.0], [0.0, 0.0]], capacity=[5, 2])
        >>> net.station_blocking.round(6)
        array([0.015873, 0.044548])
        """
        if self._finite:
            return self._exact["blocking"]
        return np.zeros_like(self._lam)

    @quantity
    def blocking(self):
        """Share of external arrivals lost, at the door or later on.

        Examples
        --------
        Without buffers nobody is refused; with room for 5 and 2 at the stations:

        >>> tandem = [[0.0, 1.0], [0.0, 0.0]]
        >>> OpenNetwork([1.0, 0.0], [2.0, 4.0], [1, 1], tandem).blocking
        0.0
        >>> round(OpenNetwork([1.0, 0.0], [2.0, 4.0], [1, 1], tandem, capacity=[5, 2]).blocking, 6)
        0.059714
        """
        return self._network("blocking")

    @quantity
    def throughput(self):
        """Customers leaving served per unit time. [1/s]

        Examples
        --------
        >>> net = OpenNetwork([1.0, 0.5], [2.0, 4.0], [1, 1], [[0.0, 1.0], [0.0, 0.0]])
        >>> net.throughput
        1.5
        """
        return self._network("throughput")

    @quantity
    def mean_in_system(self):
        """Mean number in the network.

        Examples
        --------
        A tandem of M/M/1 stations holds the sum of their means, rho/(1 - rho) each:

        >>> import math
        >>> net = OpenNetwork([1.0, 0.0], [2.0, 4.0], [1, 1], [[0.0, 1.0], [0.0, 0.0]])
        >>> math.isclose(net.mean_in_system, 0.5 / 0.5 + 0.25 / 0.75, rel_tol=1e-14)
        True
        """
        return self._network("mean_in_system")

    @quantity
    def mean_response_time(self):
        """Mean time in the network of an admitted customer. [s]

        Examples
        --------
        Little's law over the whole network:

        >>> import math
        >>> net = OpenNetwork([1.0, 0.0], [2.0, 4.0], [1, 1], [[0.0, 1.0], [0.0, 0.0]])
        >>> math.isclose(net.mean_response_time, net.mean_in_system / net.throughput, rel_tol=1e-14)
        True
        """
        return self._network("mean_response_time")

    def _network(self, name):
        if self._finite:
            return np.asarray(self._exact["net_" + name])
        gamma = self._params["arrival_rates"].sum(axis=-1)
        if name == "throughput":
            return gamma
        if name == "blocking":
            return np.zeros_like(gamma)
        total = self.station_mean_in_system.sum(axis=-1)
        return total if name == "mean_in_system" else total / gamma

    # -- finite buffers -------------------------------------------------------------
    def _levels(self):
        return [int(v) for v in np.where(np.isfinite(self._params["capacity"]),
                                         self._params["capacity"], -1)]

    def _chain_size(self):
        k = self._params["capacity"]
        if not np.all(np.isfinite(k)):
            return np.inf
        return _chain.count_states(k)

    @cached_property
    def _exact(self):
        size = self._chain_size()
        if size > _chain.MAX_STATES:
            what = ("a station without capacity among stations with one" if not np.isfinite(size)
                    else f"{size:.4g} states")
            raise ValueError(
                f"this network with capacities has {what}: beyond the exact chain's "
                f"{_chain.MAX_STATES} states; estimate it with queuemath.simulate(model)")
        p = self._params
        ch = _chain.build(p["arrival_rates"], p["service_rates"], p["servers"], p["capacity"],
                          p["routing"], self._levels())
        pi = ch.pi
        out = ch.station_means()
        mean_n, done = out["mean_in_system"], out["throughput"]
        entering = float(pi @ ch.entering)
        with np.errstate(divide="ignore", invalid="ignore"):
            resp = np.where(done > 0, mean_n / np.where(done > 0, done, 1),
                            1 / p["service_rates"])
        total_n = float(mean_n.sum())
        return dict(out, mean_queue=pi @ np.maximum(ch.states - ch.busy, 0),
                    mean_response_time=resp,
                    net_blocking=float(pi @ ch.lost) / float(p["arrival_rates"].sum()),
                    net_throughput=float(pi @ ch.exits), net_mean_in_system=total_n,
                    net_mean_response_time=total_n / entering if entering > 0 else 0.0)

    # -- tables and the contract -------------------------------------------------
    def stations(self):
        """Per-station results as a pandas DataFrame (one point).

        Examples
        --------
        A tandem of two M/M/1 stations: each is an M/M/1 queue at the external rate:

        >>> import queuemath as qm
        >>> net = OpenNetwork([1.0, 0.0], [2.0, 4.0], [1, 1], [[0.0, 1.0], [0.0, 0.0]])
        >>> t = net.stations()
        >>> list(t.index)
        [0, 1]
        >>> bool(abs(t['mean_in_system'].iloc[0] - qm.MMc(1.0, 2.0, 1).mean_in_system) < 1e-14)
        True
        """
        import pandas as pd
        if self._shape != ():
            raise ValueError(f"stations() takes one point; this network has shape {self._shape}")
        idx = pd.Index(self._names if self._names else range(self._m), name="station")
        cols = dict(arrival_rate=self.station_arrival_rate, servers=self._params["servers"],
                    visit_ratio=self.visit_ratios, utilization=self.station_utilization,
                    mean_in_system=self.station_mean_in_system,
                    mean_queue=self.station_mean_queue,
                    response_time=self.station_response_time,
                    throughput=self.station_throughput)
        if self._finite:
            cols["capacity"] = self._params["capacity"]
            cols["blocking"] = self.station_blocking
        return pd.DataFrame(cols, index=idx)

    @property
    def kendall(self):
        kind = "with finite buffers " if self._finite else "(Jackson) "
        return f"open network {kind}of {self._m} stations"

    def quantity_value(self, name):
        """The value of a quantity or of a station's row of a simulation
        (``utilization[1]``, ``mean_in_system[0]``, ``blocking[2]``).

        Examples
        --------
        >>> net = OpenNetwork([1.0, 0.0], [2.0, 4.0], [1, 1], [[0.0, 1.0], [0.0, 0.0]])
        >>> net.quantity_value('utilization[1]'), net.quantity_value('throughput')
        (0.25, 1.0)
        """
        return _checks.station_row(self, name)

    def simulation_spec(self):
        """The network as the Monte Carlo engine runs it (one point).

        Examples
        --------
        >>> net = OpenNetwork([1.0, 0.0], [2.0, 4.0], [1, 1], [[0.0, 1.0], [0.0, 0.0]])
        >>> net.simulation_spec().engine
        'network'
        """
        if self._shape != ():
            raise ValueError(f"OpenNetwork has arrival_rates of shape "
                             f"{self._params['arrival_rates'].shape}: simulate takes one network")
        p = self._params
        what = ("utilization", "mean_in_system") + (("blocking",) if self._finite else ())
        return SimulationSpec("network", dict(
            external=np.array(p["arrival_rates"]), mu=np.array(p["service_rates"]),
            c=np.array(p["servers"]), k=np.array(p["capacity"]), routing=np.array(p["routing"]),
            population=-1, reference=-1, queue_mask=np.ones(self._m, dtype=bool), offset=0,
            rows=_checks.station_rows(p["servers"], what),
            fixed=() if self._finite else ("blocking",)), 1)
