r"""G/G/c approximations from two moments: Allen-Cunneen, Kingman, Whitt.

All three scale a known mean wait by the variability of the arrivals and
services, given as squared coefficients of variation :math:`c_a^2` (of the
times between arrivals) and :math:`c_s^2` (of the service times):

* ``"allen-cunneen"``: :math:`W_q \approx \frac{c_a^2 + c_s^2}{2}\,
  W_q^{M/M/c}`, with :math:`W_q^{M/M/c} = C(c, a)/(c\mu - \lambda)` (Erlang
  C) [1]_;
* ``"kingman"``: Kingman's heavy-traffic formula for one server,
  :math:`W_q \approx \frac{c_a^2+c_s^2}{2}\frac{\rho}{1-\rho}E[S]`, with
  Sakasegawa's power of :math:`\rho` for c servers,
  :math:`W_q \approx \frac{c_a^2+c_s^2}{2}\,
  \frac{\rho^{\sqrt{2(c+1)}-1}}{c(1-\rho)}\,E[S]` [2]_ [3]_;
* ``"whitt"``: Allen-Cunneen times Whitt's correction
  :math:`\phi(\rho, c_a^2, c_s^2, c)` (his eqs. 2.24-2.25), which is 1 for
  Poisson arrivals and exponential service and brings in the known
  behaviour of deterministic and bursty laws [4]_.

Their error against simulation is measured on a grid by
``benchmarks/ggc_approx_error.py`` and stated in :class:`GGcApprox`.

References
----------
.. [1] A. O. Allen, "Probability, Statistics, and Queueing Theory with
   Computer Science Applications," 2nd ed., Academic Press, 1990, sec. 6.
.. [2] J. F. C. Kingman, "The single server queue in heavy traffic," Proc.
   Cambridge Philosophical Society 57, 1961, 902-904.
   doi:10.1017/S0305004100036094
.. [3] H. Sakasegawa, "An approximation formula L_q = alpha rho^beta/(1 -
   rho)," Annals of the Institute of Statistical Mathematics 29, 1977,
   67-75.  doi:10.1007/BF02532775
.. [4] W. Whitt, "Approximations for the GI/G/m queue," Production and
   Operations Management 2, 1993, 114-161.
   doi:10.1111/j.1937-5956.1993.tb00094.x
"""
import numpy as np

from . import _validate
from ._kernels import laws as _laws
from ._model import Parameter, QueueModel, SimulationSpec, quantity
from .delay import erlang_c

__all__ = ["GGcApprox"]

METHODS = ("allen-cunneen", "kingman", "whitt")


def _whitt_phi(rho, ca2, cs2, c):
    """Whitt's (1993) correction factor, eqs. 2.24-2.25."""
    with np.errstate(divide="ignore", invalid="ignore"):
        gamma = np.minimum(0.24, (1 - rho) * (c - 1) * (np.sqrt(4 + 5 * c) - 2) / (16 * c * rho))
    phi1 = 1 + gamma
    phi3 = (1 - 4 * gamma) * np.exp(-2 * (1 - rho) / (3 * rho))
    phi4 = np.minimum(1.0, (phi1 + phi3) / 2)
    mean_scv = (ca2 + cs2) / 2
    psi = np.where(mean_scv >= 1, 1.0, phi4 ** (2 * (1 - mean_scv)))
    with np.errstate(divide="ignore", invalid="ignore"):
        above = (4 * (ca2 - cs2) * phi1 + cs2 * psi) / (4 * ca2 - 3 * cs2)
        below = ((cs2 - ca2) * phi3 + (cs2 + 3 * ca2) * psi) / (2 * (ca2 + cs2))
    return np.where(ca2 == cs2, psi, np.where(ca2 > cs2, above, below))


def _gamma_law(mean, scv):
    """A law with the given mean and scv for simulation: constant at scv 0,
    else gamma (shape 1/scv)."""
    from scipy import stats
    if scv == 0:
        return float(mean)
    return stats.gamma(1.0 / scv, scale=mean * scv)


class GGcApprox(QueueModel):
    r"""Two-moment approximations of the G/G/c queue (no capacity limit).

    Parameters
    ----------
    arrival_rate : array_like
        :math:`\lambda`, greater than 0. [1/s]
    service_rate : array_like
        :math:`\mu` of one server, greater than 0. [1/s]
    servers : array_like of int
        c >= 1.
    arrival_scv, service_scv : array_like
        Keyword only: squared coefficients of variation (variance / mean^2)
        of the times between arrivals and of the service times, >= 0 (1 and
        1: M/M/c, where Allen-Cunneen and Whitt are exact, and Kingman for
        one server).
    method : {"whitt", "allen-cunneen", "kingman"}
        Keyword only (see the module notes).

    Attributes
    ----------
    mean_wait, mean_queue, mean_response_time, mean_in_system
        The approximation; ``inf`` where :math:`\rho = \lambda/(c\mu) \ge 1`.
    utilization, throughput, offered_load
        Exact: :math:`\min(\rho, 1)`, :math:`\min(\lambda, c\mu)`, :math:`\lambda/\mu`.

    See Also
    --------
    GGcK : The same queue by simulation.
    MMc : The exact M/M/c queue (both scv 1).
    MG1 : The exact M/G/1 queue.

    Notes
    -----
    Error of mean_wait against simulation (``python
    benchmarks/ggc_approx_error.py``, 112 points: gamma laws of the given
    moments, c = 1, 2, 5, 10, load 0.5, 0.8, 0.9, 0.95, seven (arrival,
    service) scv pairs from 0.25 to 4, each simulated to 2 % precision;
    table in ``benchmarks/ggc_approx_error.csv``), relative error:

    =================  ======  ===============  =====  ================
    method             median  90th percentile  worst  median at c = 10
    =================  ======  ===============  =====  ================
    ``whitt``          3.3%    28%              6.4x   6%
    ``allen-cunneen``  6.3%    53%              14x    14%
    ``kingman``        6.6%    69%              31x    13%
    =================  ======  ===============  =====  ================

    The worst cases are light loads (0.5) with bursty arrivals (scv 4),
    where the mean wait is small and mostly set by the law's shape; at
    loads 0.9 and above every method is within about 20 %, Whitt's within
    ~10 %.  Whitt's is the default.  The simulation behind ``crosscheck``
    uses the same gamma laws (constant at scv 0); other laws of the same
    two moments wait differently, which no two-moment formula can see.

    References
    ----------
    .. [1] A. O. Allen, "Probability, Statistics, and Queueing Theory with
       Computer Science Applications," 2nd ed., Academic Press, 1990.
    .. [2] J. F. C. Kingman, "The single server queue in heavy traffic,"
       Proc. Cambridge Philosophical Society 57, 1961, 902-904.
       doi:10.1017/S0305004100036094
    .. [3] H. Sakasegawa, "An approximation formula L_q = alpha rho^beta/(1 -
       rho)," Annals of the Institute of Statistical Mathematics 29, 1977,
       67-75.  doi:10.1007/BF02532775
    .. [4] W. Whitt, "Approximations for the GI/G/m queue," Production and
       Operations Management 2, 1993, 114-161.
       doi:10.1111/j.1937-5956.1993.tb00094.x

    Examples
    --------
    >>> import queuemath as qm
    >>> m = GGcApprox(3.0, 1.0, 4, arrival_scv=1.0, service_scv=1.0)
    >>> bool(abs(m.mean_wait - qm.MMc(3.0, 1.0, 4).mean_wait) < 1e-15)   # M/M/c: exact
    True
    >>> d = GGcApprox(3.0, 1.0, 4, arrival_scv=1.0, service_scv=0.0, method="allen-cunneen")
    >>> bool(abs(d.mean_wait - qm.MMc(3.0, 1.0, 4).mean_wait / 2) < 1e-15)
    True
    """

    quantities = ("throughput", "utilization", "mean_in_system", "mean_queue", "mean_wait",
                  "mean_response_time", "offered_load")
    approximate = True

    arrival_rate = Parameter(r":math:`\lambda`. [1/s]")
    service_rate = Parameter(r":math:`\mu` of one server. [1/s]")
    servers = Parameter("c, the number of servers.", kind="int")
    arrival_scv = Parameter("Squared coefficient of variation of the times between arrivals.")
    service_scv = Parameter("Squared coefficient of variation of the service times.")

    def __init__(self, arrival_rate, service_rate, servers, *, arrival_scv, service_scv,
                 method="whitt"):
        lam = _validate.positive("arrival_rate", arrival_rate)
        mu = _validate.positive("service_rate", service_rate)
        c = _validate.integer("servers", servers, minimum=1)
        ca2 = _validate.nonnegative("arrival_scv", arrival_scv)
        cs2 = _validate.nonnegative("service_scv", service_scv)
        if method not in METHODS:
            raise ValueError(f"method must be one of {', '.join(map(repr, METHODS))}, "
                             f"got {method!r}")
        self.method = method
        self._store(dict(arrival_rate=lam, service_rate=mu, servers=c.astype(np.int64),
                         arrival_scv=ca2, service_scv=cs2),
                    dict(arrival_rate=lam, service_rate=mu, servers=c, arrival_scv=ca2,
                         service_scv=cs2),
                    raw=(arrival_rate, service_rate, servers, arrival_scv, service_scv))
        p = self._params
        self._lam, self._mu, self._c = p["arrival_rate"], p["service_rate"], p["servers"]
        self._ca2, self._cs2 = p["arrival_scv"], p["service_scv"]

    @property
    def kendall(self):
        return f"G/G/{self._kendall_count('servers', 'c')}"

    def simulation_spec(self):
        lam, mu, c, ca2, cs2 = self._scalars("arrival_rate", "service_rate", "servers",
                                             "arrival_scv", "service_scv")
        return SimulationSpec("general", dict(
            arrival=_laws.Sampler(_gamma_law(1.0 / lam, ca2)),
            service=_laws.Sampler(_gamma_law(1.0 / mu, cs2)), c=int(c), k=np.inf,
            sources=None), int(c))

    def _rho(self):
        return self._lam / (self._c * self._mu)

    @quantity
    def offered_load(self):
        r""":math:`a = \lambda/\mu`. [erlang]

        Examples
        --------
        >>> from queuemath import GGcApprox
        >>> q = GGcApprox(3.0, 1.0, 4, arrival_scv=1.0, service_scv=0.5)
        >>> round(q.offered_load, 6)
        3.0
        >>> q.offered_load == q.arrival_rate / q.service_rate
        True
        """
        return self._lam / self._mu

    @quantity
    def utilization(self):
        r""":math:`\min(\rho, 1)`, exact.

        Examples
        --------
        >>> import math
        >>> from queuemath import GGcApprox
        >>> q = GGcApprox(3.0, 1.0, 4, arrival_scv=1.0, service_scv=0.5)
        >>> round(q.utilization, 6)
        0.75
        >>> math.isclose(q.utilization, q.throughput / (q.servers * q.service_rate), rel_tol=1e-13)
        True
        """
        return np.minimum(self._rho(), 1.0)

    @quantity
    def throughput(self):
        r""":math:`\min(\lambda, c\mu)`, exact. [1/s]

        Examples
        --------
        >>> from queuemath import GGcApprox
        >>> q = GGcApprox(3.0, 1.0, 4, arrival_scv=1.0, service_scv=0.5)
        >>> round(q.throughput, 6)
        3.0
        >>> q.throughput == q.arrival_rate
        True
        """
        return np.minimum(self._lam, self._c * self._mu)

    @quantity
    def mean_wait(self):
        """The approximate mean wait (see the module notes). [s]

        Examples
        --------
        >>> import math
        >>> from queuemath import GGcApprox
        >>> q = GGcApprox(3.0, 1.0, 4, arrival_scv=1.0, service_scv=0.5)
        >>> round(q.mean_wait, 6)
        0.389977
        >>> math.isclose(q.mean_wait, q.mean_queue / q.throughput, rel_tol=1e-13)  # Little
        True
        """
        rho = self._rho()
        stable = rho < 1
        scv = (self._ca2 + self._cs2) / 2
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            if self.method == "kingman":
                wq = (scv * rho ** (np.sqrt(2 * (self._c + 1)) - 1)
                      / (self._c * (1 - rho)) / self._mu)
            else:
                mmc = erlang_c(self._c, self._lam / self._mu) / (self._c * self._mu - self._lam)
                wq = scv * mmc
                if self.method == "whitt":
                    wq = wq * _whitt_phi(rho, self._ca2, self._cs2, self._c)
        return np.where(stable, wq, np.inf)

    @quantity
    def mean_queue(self):
        r""":math:`L_q = \lambda W_q`.

        Examples
        --------
        >>> import math
        >>> from queuemath import GGcApprox
        >>> q = GGcApprox(3.0, 1.0, 4, arrival_scv=1.0, service_scv=0.5)
        >>> round(q.mean_queue, 6)
        1.16993
        >>> math.isclose(q.mean_queue, q.throughput * q.mean_wait, rel_tol=1e-13)  # Little
        True
        """
        return self._lam * self.mean_wait

    @quantity
    def mean_response_time(self):
        """:math:`W_q + 1/\\mu`. [s]

        Examples
        --------
        >>> import math
        >>> from queuemath import GGcApprox
        >>> q = GGcApprox(3.0, 1.0, 4, arrival_scv=1.0, service_scv=0.5)
        >>> round(q.mean_response_time, 6)
        1.389977
        >>> math.isclose(q.mean_response_time, q.mean_wait + 1 / q.service_rate, rel_tol=1e-13)
        True
        """
        return self.mean_wait + 1.0 / self._mu

    @quantity
    def mean_in_system(self):
        r""":math:`L_q + \lambda/\mu`.

        Examples
        --------
        >>> import math
        >>> from queuemath import GGcApprox
        >>> q = GGcApprox(3.0, 1.0, 4, arrival_scv=1.0, service_scv=0.5)
        >>> round(q.mean_in_system, 6)
        4.16993
        >>> math.isclose(q.mean_in_system, q.throughput * q.mean_response_time, rel_tol=1e-13)  # Little
        True
        """
        return self.mean_queue + self._lam / self._mu
