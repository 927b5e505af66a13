r"""Refused customers who come back: the M/M/c/K retrial queue, and the
Extended Erlang B fixed point of the telephone-traffic tables.

In the field report every refused client tried again.  ``RetrialMMcK``
models that exactly: a refused attempt (first or repeated) joins an orbit
with probability ``retry_probability`` and retries after an exponential
time of rate ``retry_rate``, else leaves for good (kernel
``queuemath._kernels.retrial``: the two-dimensional chain truncated where
what is left out is below 1e-14).  ``extended_erlang_b`` is the classical
shortcut: recalled traffic added to the offered load until Erlang B stops
moving; its error against the exact chain is measured in
``tests/test_retrial.py`` and stated below.

References
----------
.. [1] J. R. Artalejo, A. Gomez-Corral, "Retrial Queueing Systems: A
   Computational Approach," Springer, 2008.  doi:10.1007/978-3-540-78725-9
.. [2] J. Jewett, J. Shrago, B. Yomtov, "Designing Optimal Voice Networks
   for Businesses, Government, and Telephone Companies," Telephony
   Publishing, 1980 (the Extended Erlang B tables).
"""
from functools import cached_property

import numpy as np

from . import _validate
from ._kernels import retrial as _retrial
from ._model import Parameter, QueueModel, SimulationSpec, quantity, require_arrivals
from .loss import erlang_b

__all__ = ["RetrialMMcK", "extended_erlang_b"]


def extended_erlang_b(servers, offered_load, recall):
    r"""Extended Erlang B: the blocking when a share ``recall`` of the
    blocked attempts is offered again.

    The total offered load :math:`A^*` solves :math:`A^* = A + r A^* B(c,
    A^*)` (fixed-point iteration from :math:`A^* = A`, which increases to
    the smallest solution); the result is :math:`B(c, A^*)`, the share of
    attempts refused.  The recalls are assumed to meet the servers as
    Poisson traffic at once, which they do not (they come back while the
    servers are still busy).  Against the exact retrial chain
    (:class:`RetrialMMcK` with capacity = servers, retry_probability =
    recall; ``tests/test_retrial.py``): c = 20, A = 20, r = 0.9 gives 0.406
    where the chain gives 0.411 with retries ten times slower than service
    (-1 %) and 0.594 with retries fifty times faster (-32 %); c = 5, A = 4,
    r = 0.8, retries twice as fast as service: 0.310 against 0.387 (-20 %).
    It underestimates the refusals of quick retriers, the field report's
    case.

    Parameters
    ----------
    servers : array_like of int
        c >= 1.
    offered_load : array_like
        A, the first attempts' load, >= 0. [erlang]
    recall : array_like
        r in [0, 1), the share of blocked attempts that try again.

    Returns
    -------
    float or ndarray
        The share of attempts refused.

    See Also
    --------
    RetrialMMcK : The exact retrial model it approximates (and its error).
    erlang_b : Without retries.

    References
    ----------
    .. [1] J. Jewett, J. Shrago, B. Yomtov, "Designing Optimal Voice Networks
       for Businesses, Government, and Telephone Companies," Telephony
       Publishing, 1980.

    Examples
    --------
    >>> bool(extended_erlang_b(10, 7.0, 0.0) == erlang_b(10, 7.0))
    True
    >>> bool(extended_erlang_b(10, 7.0, 0.5) > erlang_b(10, 7.0))
    True
    """
    c = _validate.integer("servers", servers, minimum=1)
    a = _validate.nonnegative("offered_load", offered_load)
    r = _validate.level("recall", recall)
    if np.any(r >= 1):
        raise ValueError(f"recall must be below 1 (every blocked attempt retrying forever has "
                         f"no fixed point), got {float(np.max(r))!r}")
    c, a, r = _validate.broadcast(servers=c, offered_load=a, recall=r)
    total = a.copy()
    for _ in range(100_000):
        b = erlang_b(c, total)
        new = a + r * total * b
        if np.all(np.abs(new - total) <= 1e-15 * np.maximum(new, 1e-300)):
            total = new
            break
        total = new
    return erlang_b(c, total)


class RetrialMMcK(QueueModel):
    r"""The M/M/c/K queue with retrials.

    Parameters
    ----------
    arrival_rate : array_like
        :math:`\lambda` of first attempts, >= 0. [1/s]
    service_rate : array_like
        :math:`\mu` of one server, > 0. [1/s]
    servers : array_like of int
        c >= 1.
    capacity : array_like of int
        K >= c, at the station (servers and waiting places).
    retry_rate : array_like
        Keyword only: :math:`\nu`, the rate at which each customer in orbit
        tries again, > 0. [1/s]
    retry_probability : array_like
        Keyword only: q in [0, 1], the chance that a refused attempt goes
        to (or stays in) the orbit rather than leaving.

    Attributes
    ----------
    blocking
        The share of attempts (first and repeated) refused.
    customer_loss
        The share of customers who finally leave unserved.
    mean_orbit, mean_attempts
        Mean number in orbit; attempts per customer.
    throughput, utilization, p_empty, mean_in_system, mean_queue, mean_wait
        At the station (``mean_wait`` of a customer once admitted). [1/s], [s]

    Raises
    ------
    ValueError
        Naming the parameter; or where the orbit grows without bound
        (q = 1 with more first attempts than the servers can carry).

    See Also
    --------
    MMcK : no retrials (``retry_probability=0``).
    extended_erlang_b : the tables' fixed point.

    Notes
    -----
    Parameters broadcast; the chain is solved once per distinct point.  Cost
    O(J (K+1)^3)
    for an orbit truncated at J, memory O(J (K+1)^2).

    References
    ----------
    .. [1] J. R. Artalejo, A. Gomez-Corral, "Retrial Queueing Systems: A
       Computational Approach," Springer, 2008, ch. 3.
       doi:10.1007/978-3-540-78725-9

    Examples
    --------
    >>> import queuemath as qm
    >>> q = RetrialMMcK(4.0, 1.0, 5, 5, retry_rate=2.0, retry_probability=0.0)
    >>> bool(abs(q.blocking - qm.erlang_b(5, 4.0)) < 1e-14)
    True
    >>> r = RetrialMMcK(4.0, 1.0, 5, 5, retry_rate=2.0, retry_probability=0.8)
    >>> bool(r.customer_loss < qm.erlang_b(5, 4.0) < r.blocking)
    True
    """

    quantities = ("blocking", "customer_loss", "throughput", "utilization", "p_empty",
                  "mean_in_system", "mean_queue", "mean_wait", "mean_orbit", "mean_attempts")
    closed_form = True

    arrival_rate = Parameter(r":math:`\lambda` of first attempts. [1/s]")
    service_rate = Parameter(r":math:`\mu` of one server. [1/s]")
    servers = Parameter("c, the number of servers.", kind="int")
    capacity = Parameter("K, the most the station holds.", kind="int")
    retry_rate = Parameter(r":math:`\nu`, each orbiting customer's retry rate. [1/s]")
    retry_probability = Parameter("q, the chance that a refused attempt retries.")

    def __init__(self, arrival_rate, service_rate, servers, capacity, *, retry_rate,
                 retry_probability):
        lam = _validate.nonnegative("arrival_rate", arrival_rate)
        mu = _validate.positive("service_rate", service_rate)
        c = _validate.integer("servers", servers, minimum=1)
        k = _validate.integer("capacity", capacity, minimum=1)
        _validate.at_least("capacity", k, "servers", c)
        nu = _validate.positive("retry_rate", retry_rate)
        q = _validate.level("retry_probability", retry_probability)
        given = dict(arrival_rate=lam, service_rate=mu, servers=c.astype(np.int64),
                     capacity=k.astype(np.int64), retry_rate=nu, retry_probability=q)
        self._store(given, dict(arrival_rate=lam, service_rate=mu, servers=c, capacity=k,
                                retry_rate=nu, retry_probability=q),
                    raw=(arrival_rate, service_rate, servers, capacity))
        p = self._params
        # one tuple of numbers per flat point: the chain is solved per point
        self._keys = list(zip(*(np.broadcast_to(p[n], self._shape).ravel().tolist()
                                for n in ("arrival_rate", "service_rate", "servers", "capacity",
                                          "retry_rate", "retry_probability"))))
        for lam_, mu_, c_, _, _, q_ in self._keys:
            if q_ == 1 and lam_ >= c_ * mu_:
                # nobody leaves unserved: the servers must carry every first attempt
                raise ValueError(
                    f"the orbit grows without bound: with retry_probability=1 every customer "
                    f"is served in the end, and arrival_rate={lam_!r} >= servers x "
                    f"service_rate = {c_ * mu_!r}; no stationary law")

    @property
    def kendall(self):
        return (f"M/M/{self._kendall_count('servers', 'c')}/"
                f"{self._kendall_count('capacity', 'K')} (retrials)")

    def simulation_spec(self):
        lam, mu, c, k, nu, q = self._scalars("arrival_rate", "service_rate", "servers",
                                             "capacity", "retry_rate", "retry_probability")
        require_arrivals(lam)
        return SimulationSpec("retrial", dict(lam=lam, mu=mu, c=int(c), k=int(k), nu=nu, q=q,
                                              orbit_levels=int(self.orbit_truncation)), int(c))

    @cached_property
    def _points(self):
        """One solved point per distinct parameter set: {key: dict of its
        numbers}, and the flat points' keys."""
        done = {}
        for key in self._keys:
            if key not in done:
                done[key] = _point(*key)
        return done

    def _each(self, name):
        done = self._points
        return np.array([done[key][name] for key in self._keys],
                        dtype=float).reshape(self._shape)

    @property
    def orbit_truncation(self):
        """J, the orbit size the chain was cut at (see the kernel's notes);
        an array for array parameters.

        Examples
        --------
        >>> q = RetrialMMcK(3.0, 1.0, 4, 6, retry_rate=2.0, retry_probability=0.8)
        >>> q.orbit_truncation + 1 == len(q.state_probabilities())
        True
        """
        out = self._each("truncation").astype(np.int64)
        return int(out) if out.ndim == 0 else out

    @quantity
    def blocking(self):
        """The share of attempts refused (first and repeated).

        Examples
        --------
        >>> from queuemath import RetrialMMcK
        >>> q = RetrialMMcK(3.0, 1.0, 4, 6, retry_rate=2.0, retry_probability=0.8)
        >>> round(q.blocking, 6)
        0.206514
        """
        return self._each("blocking")

    @quantity
    def customer_loss(self):
        """The share of customers who finally leave unserved.

        Examples
        --------
        >>> from queuemath import RetrialMMcK
        >>> q = RetrialMMcK(3.0, 1.0, 4, 6, retry_rate=2.0, retry_probability=0.8)
        >>> round(q.customer_loss, 6)
        0.049477
        """
        return self._each("customer_loss")

    @quantity
    def mean_attempts(self):
        """Attempts per customer, first included.

        Examples
        --------
        >>> from queuemath import RetrialMMcK
        >>> q = RetrialMMcK(3.0, 1.0, 4, 6, retry_rate=2.0, retry_probability=0.8)
        >>> round(q.mean_attempts, 6)
        1.197908
        """
        return self._each("mean_attempts")

    @quantity
    def mean_orbit(self):
        """Mean number in orbit.

        Examples
        --------
        >>> from queuemath import RetrialMMcK
        >>> q = RetrialMMcK(3.0, 1.0, 4, 6, retry_rate=2.0, retry_probability=0.8)
        >>> round(q.mean_orbit, 6)
        0.296861
        """
        return self._each("mean_orbit")

    @quantity
    def p_empty(self):
        """P(nobody at the station).

        Examples
        --------
        >>> from queuemath import RetrialMMcK
        >>> q = RetrialMMcK(3.0, 1.0, 4, 6, retry_rate=2.0, retry_probability=0.8)
        >>> round(q.p_empty, 6)
        0.042581
        """
        return self._each("p_empty")

    @quantity
    def throughput(self):
        """Customers served per unit time, :math:`\\mu E[\\min(N, c)]`. [1/s]

        Examples
        --------
        >>> import math
        >>> from queuemath import RetrialMMcK
        >>> q = RetrialMMcK(3.0, 1.0, 4, 6, retry_rate=2.0, retry_probability=0.8)
        >>> round(q.throughput, 6)
        2.851569
        >>> math.isclose(q.throughput, q.arrival_rate * (1 - q.customer_loss), rel_tol=1e-13)
        True
        """
        return self._each("throughput")

    @quantity
    def utilization(self):
        """Mean share of servers busy.

        Examples
        --------
        >>> import math
        >>> from queuemath import RetrialMMcK
        >>> q = RetrialMMcK(3.0, 1.0, 4, 6, retry_rate=2.0, retry_probability=0.8)
        >>> round(q.utilization, 6)
        0.712892
        >>> math.isclose(q.utilization, q.throughput / (q.servers * q.service_rate), rel_tol=1e-13)
        True
        """
        return self._each("throughput") / (self._params["servers"] * self._params["service_rate"])

    @quantity
    def mean_in_system(self):
        """Mean number at the station.

        Examples
        --------
        >>> from queuemath import RetrialMMcK
        >>> q = RetrialMMcK(3.0, 1.0, 4, 6, retry_rate=2.0, retry_probability=0.8)
        >>> round(q.mean_in_system, 6)
        3.261891
        """
        return self._each("mean_in_system")

    @quantity
    def mean_queue(self):
        """Mean number waiting at the station.

        Examples
        --------
        >>> import math
        >>> from queuemath import RetrialMMcK
        >>> q = RetrialMMcK(3.0, 1.0, 4, 6, retry_rate=2.0, retry_probability=0.8)
        >>> round(q.mean_queue, 6)
        0.410321
        >>> math.isclose(q.mean_queue, q.throughput * q.mean_wait, rel_tol=1e-13)  # Little
        True
        """
        return self._each("mean_queue")

    @quantity
    def mean_wait(self):
        """Mean wait at the station of an admitted attempt (Little). [s]

        Examples
        --------
        >>> import math
        >>> from queuemath import RetrialMMcK
        >>> q = RetrialMMcK(3.0, 1.0, 4, 6, retry_rate=2.0, retry_probability=0.8)
        >>> round(q.mean_wait, 6)
        0.143893
        >>> math.isclose(q.mean_wait, q.mean_queue / q.throughput, rel_tol=1e-13)  # Little
        True
        """
        return self._each("mean_wait")

    def state_probabilities(self):
        """P(j in orbit, n at the station) as an array of shape (J + 1, K + 1);
        scalar parameters only (J differs from point to point).

        Examples
        --------
        >>> q = RetrialMMcK(3.0, 1.0, 4, 6, retry_rate=2.0, retry_probability=0.8)
        >>> p = q.state_probabilities()
        >>> p.ndim, abs(float(p.sum()) - 1) < 1e-12
        (2, True)
        """
        if self._shape != ():
            raise ValueError(f"state_probabilities: RetrialMMcK has parameters of shape "
                             f"{self._shape}; the orbit's truncation differs by point, so ask "
                             f"one point at a time")
        mass, rows, _ = _solve(*self._keys[0])
        return mass[:, None] * rows


def _solve(lam, mu, c, k, nu, q):
    c, k = int(c), int(k)
    if lam == 0:
        rows = np.zeros((1, k + 1))
        rows[0, 0] = 1.0
        return np.ones(1), rows, 0
    return _retrial.solve(lam, mu, c, k, nu, q)


def _point(lam, mu, c, k, nu, q):
    """Every quantity of one point from its joint law P(j in orbit, n)."""
    c, k = int(c), int(k)
    mass, rows, top = _solve(lam, mu, c, k, nu, q)
    joint = mass[:, None] * rows
    j = np.arange(joint.shape[0])
    full = joint[:, k]
    retries = nu * (j @ joint.sum(axis=1))
    refused = lam * full.sum() + nu * (j @ full)
    attempts = lam + retries
    station = joint.sum(axis=0)
    n = np.arange(k + 1)
    thr = float(mu * (np.minimum(n, c) @ station))
    queue = float(np.maximum(n - c, 0) @ station)
    return dict(truncation=top,
                blocking=refused / attempts if attempts > 0 else 0.0,
                customer_loss=(1 - q) * refused / lam if lam > 0 else 0.0,
                mean_attempts=attempts / lam if lam > 0 else 1.0,
                mean_orbit=float(j @ mass), p_empty=float(station[0]), throughput=thr,
                mean_in_system=float(n @ station), mean_queue=queue,
                mean_wait=queue / thr if thr > 0 else 0.0)
