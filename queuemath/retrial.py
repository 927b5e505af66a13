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
    arrival_rate : float
        :math:`\lambda` of first attempts, >= 0. [1/s]
    service_rate : float
        :math:`\mu` of one server, > 0. [1/s]
    servers : int
        c >= 1.
    capacity : int
        K >= c, at the station (servers and waiting places).
    retry_rate : float
        Keyword only: :math:`\nu`, the rate at which each customer in orbit
        tries again, > 0. [1/s]
    retry_probability : float
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
    Scalar parameters (the chain is solved per point).  Cost O(J (K+1)^3)
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
        for name, v in (("arrival_rate", lam), ("service_rate", mu), ("servers", c),
                        ("capacity", k), ("retry_rate", nu), ("retry_probability", q)):
            if np.ndim(v):
                raise ValueError(f"{name} must be a single number for RetrialMMcK (the chain "
                                 f"is solved per point), got shape {np.shape(v)}")
        given = dict(arrival_rate=lam, service_rate=mu, servers=c.astype(np.int64),
                     capacity=k.astype(np.int64), retry_rate=nu, retry_probability=q)
        self._store(given, dict(arrival_rate=lam, service_rate=mu, servers=c, capacity=k,
                                retry_rate=nu, retry_probability=q))
        self._lam, self._mu, self._nu, self._q = float(lam), float(mu), float(nu), float(q)
        self._c, self._k = int(c), int(k)
        if self._q == 1 and self._lam >= self._c * self._mu:
            # nobody leaves unserved: the servers must carry every first attempt
            raise ValueError(
                f"the orbit grows without bound: with retry_probability=1 every customer is "
                f"served in the end, and arrival_rate={self._lam!r} >= servers x service_rate "
                f"= {self._c * self._mu!r}; no stationary law")

    @property
    def kendall(self):
        return f"M/M/{self._c}/{self._k} (retrials)"

    def simulation_spec(self):
        require_arrivals(self._lam)
        return SimulationSpec("retrial", dict(lam=self._lam, mu=self._mu, c=self._c, k=self._k,
                                              nu=self._nu, q=self._q,
                                              orbit_levels=self.orbit_truncation), self._c)

    @cached_property
    def _law(self):
        if self._lam == 0:
            rows = np.zeros((1, self._k + 1))
            rows[0, 0] = 1.0
            return np.ones(1), rows, 0
        return _retrial.solve(self._lam, self._mu, self._c, self._k, self._nu, self._q)

    @property
    def orbit_truncation(self):
        """J, the orbit size the chain was cut at (see the kernel's notes)."""
        return self._law[2]

    def _joint(self):
        mass, rows, _ = self._law
        return mass[:, None] * rows            # P(j, n)

    def _rates(self):
        """(attempt rate, refused-attempt rate, give-up rate)."""
        joint = self._joint()
        j = np.arange(joint.shape[0])
        full = joint[:, self._k]
        retries = self._nu * (j @ joint.sum(axis=1))
        refused = self._lam * full.sum() + self._nu * (j @ full)
        return self._lam + retries, refused, (1 - self._q) * refused

    @quantity
    def blocking(self):
        """The share of attempts refused (first and repeated)."""
        attempts, refused, _ = self._rates()
        return refused / attempts if attempts > 0 else 0.0

    @quantity
    def customer_loss(self):
        """The share of customers who finally leave unserved."""
        if self._lam == 0:
            return 0.0
        return self._rates()[2] / self._lam

    @quantity
    def mean_attempts(self):
        """Attempts per customer, first included."""
        if self._lam == 0:
            return 1.0
        return self._rates()[0] / self._lam

    @quantity
    def mean_orbit(self):
        """Mean number in orbit."""
        mass = self._law[0]
        return float(np.arange(mass.size) @ mass)

    def _station(self):
        return self._joint().sum(axis=0)         # P(n)

    @quantity
    def p_empty(self):
        """P(nobody at the station)."""
        return float(self._station()[0])

    @quantity
    def throughput(self):
        """Customers served per unit time, :math:`\\mu E[\\min(N, c)]`. [1/s]"""
        n = np.arange(self._k + 1)
        return float(self._mu * (np.minimum(n, self._c) @ self._station()))

    @quantity
    def utilization(self):
        """Mean share of servers busy."""
        return self.throughput / (self._c * self._mu)

    @quantity
    def mean_in_system(self):
        """Mean number at the station."""
        return float(np.arange(self._k + 1) @ self._station())

    @quantity
    def mean_queue(self):
        """Mean number waiting at the station."""
        n = np.arange(self._k + 1)
        return float(np.maximum(n - self._c, 0) @ self._station())

    @quantity
    def mean_wait(self):
        """Mean wait at the station of an admitted attempt (Little). [s]"""
        thr = self.throughput
        return self.mean_queue / thr if thr > 0 else 0.0

    def state_probabilities(self):
        """P(n at the station, j in orbit) as an array of shape (J + 1, K + 1)."""
        return self._joint()
