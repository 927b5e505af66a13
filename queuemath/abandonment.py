r"""Impatient customers: the Erlang A model, M/M/c+M, and M/M/c/K+M.

A connecting client whose handshake is not accepted within its own timeout
gives up: it *abandons* the accept queue.  With exponential patience this is
Palm's Erlang A model, a birth-death chain whose death rate in state n is
:math:`\min(n, c)\mu + (n - c)^+\theta`.
"""
import warnings
from functools import cached_property

import numpy as np

from . import _validate
from ._kernels import impatience as _ia
from ._kernels import served as _served
from ._kernels import special as _special
from ._kernels import waiting as _kw
from ._model import Parameter, QueueModel, SimulationSpec, quantity, require_arrivals

__all__ = ["ErlangA"]


def _ratio(name_num, num, name_den, den):
    """num/den for validated rates; a ValueError names both where it overflows."""
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        out = np.where(den > 0, num / np.where(den > 0, den, 1.0), np.inf)
    bad = ~np.isfinite(out) & (den > 0)
    if np.any(bad):
        idx = tuple(np.argwhere(bad)[0])
        raise ValueError(f"{name_num} / {name_den} overflows a double, got "
                         f"{name_num}={num[idx]!r} with {name_den}={den[idx]!r}")
    return out


class ErlangA(QueueModel):
    r"""Erlang A: Poisson arrivals, c exponential servers, exponential patience.

    M/M/c+M, or M/M/c/K+M when ``capacity`` is given: a waiting customer
    abandons at rate :math:`\theta` (its patience is exponential with mean
    :math:`1/\theta`); one in service stays to the end.  An arrival that finds
    K present is refused.

    Parameters
    ----------
    arrival_rate : array_like
        :math:`\lambda`, at least 0. [1/s]
    service_rate : array_like
        :math:`\mu` of one server, greater than 0. [1/s]
    servers : array_like of int
        c, at least 1.
    capacity : array_like of int, optional
        K, the most the system holds (in service included), at least c.
        None (the default) for an unlimited waiting room.
    patience_rate : array_like
        :math:`\theta`, at least 0 (keyword only); 0 is the patient M/M/c
        (or M/M/c/K) queue, which without a capacity needs
        :math:`\lambda < c\mu`. [1/s]

    Attributes
    ----------
    blocking : float or ndarray
        :math:`p_K`, the share of arrivals refused; 0 without a capacity.
    log_blocking : float or ndarray
        :math:`\log p_K`, finite where ``blocking`` underflows.
    p_wait : float or ndarray
        Share of all arrivals that are admitted and find every server busy,
        :math:`P(c \le N < K)`.
    p_abandon : float or ndarray
        Share of arrivals that abandon, :math:`\theta L_q/\lambda`.
    throughput : float or ndarray
        Rate of customers served, :math:`\mu E[\min(N, c)]
        = \lambda(1 - p_K) - \theta L_q`. [1/s]
    utilization : float or ndarray
        Mean share of servers busy.
    mean_queue : float or ndarray
        :math:`L_q`, mean number waiting.
    mean_in_system : float or ndarray
        Mean number present.
    mean_wait : float or ndarray
        :math:`W_q = L_q/(\lambda(1 - p_K))`, the mean time an admitted
        customer spends waiting, whether it is served or abandons. [s]

    Raises
    ------
    ValueError
        For a negative, NaN or infinite rate, a zero service rate, servers or
        capacity that are not integers >= 1, capacity < servers, shapes that
        do not broadcast, :math:`\lambda/\theta` or :math:`c\mu/\theta`
        beyond the largest double, or :math:`\theta = 0` without a capacity
        at :math:`\lambda \ge c\mu` (no stationary law).

    Notes
    -----
    Relative to state c, the states below c weigh :math:`Z = 1/B(c, A) - 1`
    (B the Erlang B blocking, :func:`queuemath.erlang_b`) and queue state
    :math:`c+j` weighs :math:`t_j = x^j/((a+1)\cdots(a+j))` with
    :math:`x = \lambda/\theta` and :math:`a = c\mu/\theta`: the Poisson(x)
    point mass at :math:`a+j` over the one at a [1]_ [2]_.  Hence, without a
    capacity,

    .. math:: S = \sum_j t_j = \frac{P(a, x)}{x^a e^{-x}/\Gamma(a+1)},
              \qquad \sum_j j\,t_j = S(x - a) + a,

    with P the regularized lower incomplete gamma function.  Below the mean
    (:math:`x \le a - 3\sqrt a`, or :math:`\rho = \lambda/(c\mu) \le 1/2`),
    where P underflows and the second identity cancels, both come from the
    continued fraction of DLMF 8.9.2 [3]_ divided through by a and
    contracted so that every step adds positive terms; it tends to the M/M/c
    queue as :math:`\theta \to 0` and is exact at :math:`\theta = 0`.  Above,
    scipy's ``gammainc`` and Loader's saddle-point Poisson mass.  With a
    capacity, :math:`S_m = \sum_{j \le m} t_j` (m = K - c) is S less the tail
    :math:`t_{m+1}S(a+m+1, x)` where that tail is at most half of S, and
    otherwise the sum of the queue states that carry the mass (those within
    :math:`e^{-60}` of the largest), built outwards from the mode by
    log-ratios: its cost grows like :math:`\min(K - c, \sqrt{\lambda/\theta})`
    there, and nothing is truncated that a double could see.

    ``service_level(t)`` is the share of all arrivals that are admitted and
    reach a server within t.  A customer that finds j others waiting reaches a
    server after :math:`j+1` exponential stages of rates
    :math:`c\mu + i\theta`, and is still there with probability
    :math:`E[e^{-\theta V}]`; with :math:`U = e^{-\theta V} \sim
    \mathrm{Beta}(a, j+1)` the sum over j collapses (unbounded queue) to
    :math:`a\int_{e^{-\theta t}}^1 u^a e^{x(1-u)}\,du`, an incomplete gamma
    difference evaluated on the side of the mode that does not cancel.  With
    a capacity the same terms,
    :math:`\frac{a}{a+j+1} I_{1-e^{-\theta t}}(j+1, a+1)`, are summed over
    the window.

    See Also
    --------
    MMc, MMcK : patient customers (``patience_rate=0``).

    References
    ----------
    .. [1] C. Palm, "Research on telephone traffic carried by full
       availability groups," Tele 1, 1957 (Erlang A).
    .. [2] O. Garnett, A. Mandelbaum, M. Reiman, "Designing a call center with
       impatient customers," Manufacturing & Service Operations Management
       4(3), 2002, 208-227.  doi:10.1287/msom.4.3.208.7753
    .. [3] NIST Digital Library of Mathematical Functions, eq. 8.9.2
       (https://dlmf.nist.gov/8.9.E2).
    .. [4] D. Gross, J. F. Shortle, J. M. Thompson, C. M. Harris,
       "Fundamentals of Queueing Theory," 4th ed., Wiley, 2008, sec. 2.10
       (balking and reneging).

    Examples
    --------
    With patience as fast as service the chain is M/M/inf, so
    :math:`L_q = E[(N-1)^+] = A - 1 + e^{-A}`:

    >>> import math
    >>> q = ErlangA(arrival_rate=2.0, service_rate=1.0, servers=1, patience_rate=1.0)
    >>> abs(q.mean_queue - (1 + math.exp(-2.0))) < 1e-15
    True
    >>> round(q.p_abandon, 12)       # theta L_q / lambda
    0.567667641618
    >>> round(ErlangA(0.9, 1.0, 1, 10, patience_rate=0.0).blocking, 6)   # patient: M/M/1/10
    0.050814
    """

    quantities = ("blocking", "log_blocking", "p_wait", "p_abandon", "throughput",
                  "utilization", "mean_in_system", "mean_queue", "mean_wait", "offered_load",
                  "var_in_system", "var_queue", "var_wait")
    descriptions = {"p_wait": "share of arrivals that are admitted and wait for a server",
                    "throughput": "customers served per unit time (abandonments excluded)",
                    "mean_wait": "mean time an admitted customer waits (served or not)",
                    "var_wait": "variance of the wait of a served customer"}

    arrival_rate = Parameter(r":math:`\lambda`. [1/s]")
    service_rate = Parameter(r":math:`\mu` of one server. [1/s]")
    servers = Parameter("c, the number of servers.", kind="int")
    capacity = Parameter("K, the most the system holds; None for no limit.", kind="int")
    patience_rate = Parameter(r":math:`\theta`, the abandonment rate of a waiting customer. [1/s]")

    def __init__(self, arrival_rate, service_rate, servers, capacity=None, *, patience_rate):
        lam = _validate.nonnegative("arrival_rate", arrival_rate)
        mu = _validate.positive("service_rate", service_rate)
        c = _validate.integer("servers", servers, minimum=1)
        theta = _validate.nonnegative("patience_rate", patience_rate)
        bounded = capacity is not None
        k = _validate.integer("capacity", capacity, minimum=1) if bounded else np.array(np.inf)
        self._store(dict(arrival_rate=lam, service_rate=mu, servers=c.astype(np.int64),
                         capacity=k.astype(np.int64) if bounded else None,
                         patience_rate=theta),
                    dict(arrival_rate=lam, service_rate=mu, servers=c, capacity=k,
                         patience_rate=theta),
                    raw=(arrival_rate, service_rate, servers, capacity, patience_rate))
        p = self._params
        self._lam, self._mu, self._c = p["arrival_rate"], p["service_rate"], p["servers"]
        self._k, self._theta = p["capacity"], p["patience_rate"]
        if bounded:
            _validate.at_least("capacity", self._k, "servers", self._c)
        else:
            self._params["capacity"] = None     # no limit: the parameter reads None
        self._bounded = bounded
        self._a = _validate.offered_load(self._lam, self._mu)
        cmu, gap = _special.rate_gap(self._lam, self._mu, self._c)
        if np.any(~np.isfinite(cmu)):
            idx = tuple(np.argwhere(~np.isfinite(cmu))[0])
            raise ValueError(f"servers * service_rate overflows a double, got servers="
                             f"{self._c[idx]!r} with service_rate={self._mu[idx]!r}")
        self._cmu = cmu
        # 1 - rho = (c mu - lambda)/(c mu) with c mu's rounding error kept.
        self._omr = gap / cmu
        self._rho = self._lam / cmu
        self._eps = self._theta / cmu
        unstable = (self._theta == 0) & ~np.isfinite(self._k) & (self._omr <= 0)
        if np.any(unstable):
            idx = tuple(np.argwhere(unstable)[0])
            raise ValueError(
                "patience_rate=0 without a capacity needs arrival_rate < servers * "
                f"service_rate, got arrival_rate={self._lam[idx]!r}, servers="
                f"{int(self._c[idx])}, service_rate={self._mu[idx]!r}")
        self._x = _ratio("arrival_rate", self._lam, "patience_rate", self._theta)
        self._a_pat = _ratio("servers * service_rate", cmu, "patience_rate", self._theta)

    @property
    def kendall(self):
        c = self._kendall_count("servers", "c")
        if not self._bounded:
            return f"M/M/{c}+M"
        return f"M/M/{c}/{self._kendall_count('capacity', 'K')}+M"

    def simulation_spec(self):
        lam, mu, c, theta = self._scalars("arrival_rate", "service_rate", "servers",
                                          "patience_rate")
        # _scalars has checked the shape; the capacity (inf without one) is not
        # a stored parameter when there is none, so it is read directly
        k = float(self._k)
        require_arrivals(lam)
        return SimulationSpec("markov", dict(lam=lam, mu=mu, c=c, k=k, sources=None,
                                             theta=theta), int(c))

    # -- kernel -----------------------------------------------------------
    @cached_property
    def _parts(self):
        """Flat log-space pieces (see _kernels.impatience.parts)."""
        flat = [v.ravel() for v in (self._rho, self._omr, self._eps, self._a_pat, self._x,
                                    self._c, self._a, self._k - self._c)]
        return _ia.parts(*flat)

    def _get(self, arr):
        return arr.reshape(self._lam.shape)

    def _share(self, key):
        """log of (the queue part named ``key``)/(total weight)."""
        p = self._parts
        return np.where(self._lam.ravel() == 0, -np.inf, p[key] - p["l1"])

    def _admitted(self):
        """1 - p_K as the share of the states below K, (Z + S_m - t_m)/total:
        a sum of positive parts, exact also where p_K rounds to 1."""
        p = self._parts
        with np.errstate(invalid="ignore"):
            share = np.exp(np.logaddexp(p["r_z"], p["lw"]) - p["l1"])
        return np.where(self._lam.ravel() == 0, 1.0, np.minimum(share, 1.0))

    # -- quantities ---------------------------------------------------------
    @quantity
    def offered_load(self):
        r""":math:`A = \lambda/\mu`. [erlang]

        Examples
        --------
        >>> from queuemath import ErlangA
        >>> q = ErlangA(3.0, 1.0, 4, patience_rate=0.5)
        >>> round(q.offered_load, 6)
        3.0
        >>> q.offered_load == q.arrival_rate / q.service_rate
        True
        """
        return self._a

    @quantity
    def log_blocking(self):
        r""":math:`\log p_K`; ``-inf`` without a capacity.

        Examples
        --------
        >>> import math
        >>> from queuemath import ErlangA
        >>> q = ErlangA(3.0, 1.0, 4, patience_rate=0.5)
        >>> round(q.log_blocking, 6)
        -inf
        >>> math.isclose(math.exp(q.log_blocking), q.blocking, rel_tol=1e-14)
        True
        """
        return self._get(self._share("lt"))

    @quantity
    def blocking(self):
        r""":math:`p_K`, the share of arrivals refused; 0 without a capacity.

        Examples
        --------
        >>> from queuemath import ErlangA
        >>> q = ErlangA(3.0, 1.0, 4, patience_rate=0.5)
        >>> round(q.blocking, 6)
        0.0
        """
        return self._get(np.exp(self._share("lt")))

    @quantity
    def p_wait(self):
        """Share of all arrivals that are admitted and wait for a server.

        Examples
        --------
        >>> from queuemath import ErlangA
        >>> q = ErlangA(3.0, 1.0, 4, patience_rate=0.5)
        >>> round(q.p_wait, 6)
        0.391616
        """
        return self._get(np.exp(self._share("lw")))

    def _mean_queue(self):
        # a mean over 0..K-c whose last ulp can round past K - c at overload
        return np.minimum(np.exp(self._log_mean_queue()), (self._k - self._c).ravel())

    def _log_mean_queue(self):
        # L_q may underflow where W_q = L_q/lambda and theta L_q/lambda do
        # not (lambda = 1e-116): those are formed from the log
        p = self._parts
        with np.errstate(divide="ignore"):
            return np.where(self._lam.ravel() == 0, -np.inf, np.log(p["q"]) - p["l1"])

    @quantity
    def mean_queue(self):
        r""":math:`L_q`, mean number waiting.

        Examples
        --------
        >>> import math
        >>> from queuemath import ErlangA
        >>> q = ErlangA(3.0, 1.0, 4, patience_rate=0.5)
        >>> round(q.mean_queue, 6)
        0.480336
        >>> math.isclose(q.mean_queue, q.arrival_rate * (1 - q.blocking) * q.mean_wait, rel_tol=1e-13)
        True
        """
        return self._get(self._mean_queue())

    @quantity
    def p_abandon(self):
        r"""Share of arrivals that abandon, :math:`\theta L_q/\lambda`.

        Examples
        --------
        >>> import math
        >>> from queuemath import ErlangA
        >>> q = ErlangA(3.0, 1.0, 4, patience_rate=0.5)
        >>> round(q.p_abandon, 6)
        0.080056
        >>> math.isclose(q.p_abandon * q.arrival_rate, q.patience_rate * q.mean_queue, rel_tol=1e-13)
        True
        """
        lam = self._lam.ravel()
        with np.errstate(invalid="ignore", divide="ignore"):
            pa = np.exp(np.log(self._theta.ravel()) + self._log_mean_queue() - np.log(lam))
        return self._get(np.where(lam == 0, 0.0, np.minimum(pa, 1.0)))

    def _busy(self):
        p = self._parts
        c = self._c.ravel()
        with np.errstate(invalid="ignore", over="ignore"):
            # (c (S_m - 1) + A Z)/total: both terms >= 0 (A Z >= c), nothing cancels.
            busy = (c * -np.expm1(-p["log_s"]) * np.exp(-p["l1"])
                    + self._a.ravel() * np.exp(p["r_z"] - p["l1"]))
        return np.where(self._lam.ravel() == 0, 0.0, np.minimum(busy, c))

    @quantity
    def throughput(self):
        r"""Rate of customers served, :math:`\mu E[\min(N, c)]`. [1/s]

        Examples
        --------
        >>> import math
        >>> from queuemath import ErlangA
        >>> q = ErlangA(3.0, 1.0, 4, patience_rate=0.5)
        >>> round(q.throughput, 6)
        2.759832
        >>> math.isclose(q.throughput, q.arrival_rate * (1 - q.blocking - q.p_abandon), rel_tol=1e-13)
        True
        """
        lam = self._lam.ravel()
        # The served rate is at most the admitted rate lambda (1 - p_K); the
        # bound is restored where the sum above rounds an ulp beyond it.
        return self._get(np.minimum(self._mu.ravel() * self._busy(), lam * self._admitted()))

    @quantity
    def utilization(self):
        """Mean share of servers busy.

        Examples
        --------
        >>> import math
        >>> from queuemath import ErlangA
        >>> q = ErlangA(3.0, 1.0, 4, patience_rate=0.5)
        >>> round(q.utilization, 6)
        0.689958
        >>> math.isclose(q.utilization, q.throughput / (q.servers * q.service_rate), rel_tol=1e-13)
        True
        """
        return self._get(self._busy() / self._c.ravel())

    @quantity
    def mean_in_system(self):
        """Mean number present.

        Examples
        --------
        >>> from queuemath import ErlangA
        >>> q = ErlangA(3.0, 1.0, 4, patience_rate=0.5)
        >>> round(q.mean_in_system, 6)
        3.240168
        """
        return self._get(self._busy() + self._mean_queue())

    @quantity
    def mean_wait(self):
        r""":math:`W_q = L_q/(\lambda(1 - p_K))`, per admitted customer. [s]

        Examples
        --------
        >>> import math
        >>> from queuemath import ErlangA
        >>> q = ErlangA(3.0, 1.0, 4, patience_rate=0.5)
        >>> round(q.mean_wait, 6)
        0.160112
        >>> math.isclose(q.mean_wait, q.mean_queue / (q.arrival_rate * (1 - q.blocking)), rel_tol=1e-13)
        True
        """
        lam = self._lam.ravel()
        with np.errstate(invalid="ignore", divide="ignore"):
            wq = np.exp(self._log_mean_queue() - np.log(lam) - np.log(self._admitted()))
        return self._get(np.where(lam == 0, 0.0, wq))

    def service_level(self, target_time):
        r"""Share of all arrivals that are admitted and reach a server within
        ``target_time``.

        The denominator is every arrival: refused customers and those who
        abandon count as not served in time.  Divide by ``1 - blocking`` for
        the share of admitted customers.  At :math:`\theta = 0` without a
        capacity this is :meth:`queuemath.MMc.service_level`.  See the class
        Notes for the method.

        Parameters
        ----------
        target_time : array_like
            t, at least 0, broadcast against the model's parameters; ``inf``
            gives the share of arrivals ever served. [s]

        Returns
        -------
        float or ndarray

        Examples
        --------
        Callers who hang up shorten the queue for the rest: the same staff answers more within 20 s:

        >>> from queuemath import MMc
        >>> a = ErlangA(10 / 180, 1 / 180, 12, patience_rate=1 / 300).service_level(20.0)
        >>> c = MMc(10 / 180, 1 / 180, 12).service_level(20.0)
        >>> round(a, 4), round(c, 4)
        (0.7723, 0.6402)
        """
        t = _validate.as_float_array("target_time", target_time)
        bad = np.isnan(t) | (t < 0)
        if np.any(bad):
            _validate.first_bad("target_time", t, bad, "a number >= 0 (inf allowed)")
        shape = np.broadcast_shapes(self._lam.shape, t.shape)
        t = np.broadcast_to(t, shape).ravel()
        params = [np.broadcast_to(v, shape).ravel() for v in
                  (self._rho, self._omr, self._eps, self._a_pat, self._x, self._theta,
                   self._cmu, self._lam, self._k - self._c)]
        p = {k: np.broadcast_to(v.reshape(self._lam.shape), shape).ravel()
             for k, v in self._parts.items()}
        sl = _ia.service_level(*params, t, p)
        return self._output(sl.reshape(shape), "service_level")

    # -- laws of the served customers' wait ------------------------------------------
    def _flat(self, arr):
        return np.broadcast_to(arr, self._lam.shape).ravel()

    @cached_property
    def _served(self):
        """Per point: None (no arrivals), an MMc/MMcK (patient: theta = 0) or
        the kernel's ServedWait."""
        from .delay import MMc
        from .finite import MMcK
        p = self._parts
        out = []
        for i in range(self._lam.size):
            lam, mu, c = (float(self._flat(v)[i]) for v in (self._lam, self._mu, self._c))
            theta, k = float(self._flat(self._theta)[i]), float(self._flat(self._k)[i])
            if lam == 0:
                out.append(None)
            elif theta == 0:
                out.append(MMc(lam, mu, int(c)) if not np.isfinite(k) else
                           MMcK(lam, mu, int(c), int(k)))
            else:
                log_z = float(p["r_z"][i] + p["log_s"][i])
                out.append(_served.ServedWait(
                    *(float(self._flat(v)[i]) for v in (self._rho, self._omr, self._eps,
                                                         self._a_pat, self._x, self._theta,
                                                         self._cmu)),
                    k - c, log_z))
        return out

    def _each_time(self, name, value, check, fn):
        """``fn(i, v)`` for each entry v of the argument and its point i."""
        arr, idx = self._argument_points(name, value, check)
        out = [fn(i, float(v)) for i, v in zip(idx.ravel(), arr.ravel())]
        return np.array(out, dtype=float).reshape(arr.shape)

    def _point_log_sf(self, i, t):
        s = self._served[i]
        if s is None:
            return -np.inf
        if isinstance(s, _served.ServedWait):
            return min(s.log_tail(t) - s.log_served(), 0.0)
        return float(s.log_wait_sf(t))

    def log_wait_sf(self, t):
        r""":math:`\log P(W > t)`, W the wait of a *served* customer (one who
        reaches a server; those refused or who abandon are left out), finite
        far below the smallest double.

        A customer admitted with j waiting ahead reaches a server after the
        hypoexponential time V with rates :math:`c\mu + i\theta`, i = j..0,
        if its patience lasts; :math:`e^{-\theta V}` is Beta(a, j + 1)
        distributed (a = :math:`c\mu/\theta`), so
        :math:`P(V > t, \text{served}) = \frac{a}{a+j+1}
        I_{e^{-\theta t}}(a+1, j+1)`, and without a capacity the sum over j
        has a closed form in the incomplete gamma function (see
        ``queuemath._kernels.served``).  With ``patience_rate=0`` this is
        the M/M/c or M/M/c/K wait.

        Parameters
        ----------
        t : array_like
            Time, at least 0, broadcast against the parameters. [s]

        References
        ----------
        .. [1] O. Garnett, A. Mandelbaum, M. Reiman, "Designing a call center
           with impatient customers," Manufacturing & Service Operations
           Management 4(3), 2002, 208-227.  doi:10.1287/msom.4.3.208.7753

        Examples
        --------
        >>> q = ErlangA(4.5, 1.0, 4, patience_rate=0.5)
        >>> t = q.wait_quantile(0.9)
        >>> round(float(q.wait_cdf(t)), 12)
        0.9
        """
        return self._output(self._each_time("t", t, _validate.duration, self._point_log_sf),
                            "log_wait_sf")

    def wait_sf(self, t):
        r""":math:`P(W > t)` for a served customer (see :meth:`log_wait_sf`).

        Parameters
        ----------
        t : array_like
            Time, at least 0, broadcast against the parameters. [s]

        Examples
        --------
        Without abandonment (``patience_rate=0``) the served customers' wait is Erlang C's:

        >>> from queuemath import MMc
        >>> q = ErlangA(3.0, 1.0, 4, patience_rate=0.0)
        >>> abs(q.wait_sf(2.0) - MMc(3.0, 1.0, 4).wait_sf(2.0)) < 1e-15
        True
        >>> ErlangA(3.0, 1.0, 4, patience_rate=0.5).wait_sf(2.0) < q.wait_sf(2.0)   # the impatient leave
        True
        """
        with np.errstate(under="ignore"):
            return self._output(np.exp(self._each_time("t", t, _validate.duration,
                                                        self._point_log_sf)), "wait_sf")

    def wait_cdf(self, t):
        r""":math:`P(W \le t)` for a served customer:
        ``service_level(t) / service_level(inf)``, both sums of positive
        terms (the share of all arrivals served within t over the share
        ever served).

        Parameters
        ----------
        t : array_like
            Time, at least 0, broadcast against the parameters. [s]

        Examples
        --------
        >>> q = ErlangA(10.0, 1.0, 10, patience_rate=0.5)
        >>> abs(q.wait_cdf(1.0) + q.wait_sf(1.0) - 1) < 1e-15
        True
        >>> round(q.wait_cdf(1.0), 4)
        0.9831
        """
        t = self._argument("t", t, _validate.duration)
        within = np.asarray(self.service_level(t), dtype=float)
        ever = np.asarray(self.service_level(np.full(t.shape, np.inf)), dtype=float)
        with np.errstate(invalid="ignore", divide="ignore"):
            out = np.where(ever > 0, np.minimum(within / ever, 1.0), 1.0)
        return self._output(out, "wait_cdf")

    def _point_quantile(self, i, p):
        s = self._served[i]
        if s is None or p == 0:
            return 0.0
        if not isinstance(s, _served.ServedWait):
            return float(s.wait_quantile(p))
        log_w0 = s.log_tail(0.0) - s.log_served()
        target = np.log1p(-p) if p < 1 else -np.inf
        if target >= log_w0:
            return 0.0
        if p == 1:
            return np.inf
        served = s.log_served()

        def evaluate(idx, x):
            f = np.array([s.log_tail(v) - served for v in x])
            d = np.array([s.log_density(v) - served for v in x])
            return f, -np.exp(d - f)
        x0 = np.array([max(log_w0 - target, 0.1) / s.cmu])
        return float(_kw.solve_falling(evaluate, np.array([target]), x0)[0])

    def wait_quantile(self, p):
        r"""The p-quantile of the wait of a served customer: the smallest t with
        :math:`P(W \le t) \ge p`; 0 where at least a share p of the served
        did not wait, ``inf`` at p = 1 where some wait.

        Parameters
        ----------
        p : array_like
            Level in [0, 1], broadcast against the parameters.

        Returns
        -------
        float or ndarray
            [s]

        Examples
        --------
        >>> q = ErlangA(10.0, 1.0, 10, patience_rate=0.5)
        >>> t = q.wait_quantile(0.9)
        >>> round(t, 4), abs(q.wait_cdf(t) - 0.9) < 1e-12
        (0.5963, True)
        """
        return self._output(self._each_time("p", p, _validate.level, self._point_quantile),
                            "wait_quantile")

    def _point_log_response_sf(self, i, t):
        s, mu = self._served[i], float(self._flat(self._mu)[i])
        if s is None:
            return -mu * t
        if not isinstance(s, _served.ServedWait):
            return float(np.log1p(-s.response_time_cdf(t))) if t < np.inf else -np.inf
        if np.isinf(t):
            return -np.inf
        from scipy import integrate
        served = s.log_served()
        log_sf = s.log_tail(t) - served
        log_none = s.log_z - served - mu * t      # reached a server at once
        # waits that ended at v < t, then the rest of the service
        peak = max(s.log_density(v) - served - mu * (t - v) for v in (0.0, 0.5 * t, t))

        def f(v):
            return np.exp(s.log_density(v) - served - mu * (t - v) - peak)
        with warnings.catch_warnings():
            # quad warns when the last digits of 1e-13 are out of reach (a
            # piece far below the rest): the sum keeps its ~1e-12 accuracy
            warnings.simplefilter("ignore", integrate.IntegrationWarning)
            ended, _ = integrate.quad(f, 0.0, t, epsabs=0.0, epsrel=1e-13, limit=200)
        with np.errstate(divide="ignore"):
            log_ended = peak + np.log(ended)
        return min(np.logaddexp(np.logaddexp(log_sf, log_none), log_ended), 0.0)

    def _log_response_sf(self, t):
        return self._each_time("t", t, _validate.duration, self._point_log_response_sf)

    def response_time_cdf(self, t):
        r""":math:`P(W + S \le t)` for a served customer, S its service time:
        :math:`P(W > t) + P(W = 0)e^{-\mu t} + \int_0^t f_W(v)e^{-\mu(t-v)}dv`
        (adaptive quadrature of the served wait's density).

        Parameters
        ----------
        t : array_like
            Time, at least 0, broadcast against the parameters. [s]

        Examples
        --------
        >>> q = ErlangA(10.0, 1.0, 10, patience_rate=0.5)
        >>> [round(q.response_time_cdf(t), 4) for t in (0.5, 1.0, 3.0)]
        [0.2705, 0.535, 0.9366]
        """
        return self._output(-np.expm1(self._log_response_sf(t)), "response_time_cdf")

    def response_time_quantile(self, p):
        r"""The p-quantile of the time in system of a served customer (see
        :meth:`response_time_cdf`); 0 at p = 0, ``inf`` at p = 1.

        Parameters
        ----------
        p : array_like
            Level in [0, 1], broadcast against the parameters.

        Returns
        -------
        float or ndarray
            [s]

        Examples
        --------
        >>> q = ErlangA(10.0, 1.0, 10, patience_rate=0.5)
        >>> t = q.response_time_quantile(0.95)
        >>> abs(q.response_time_cdf(t) - 0.95) < 1e-12
        True
        """
        p = self._argument("p", p, _validate.level)
        wait = lambda t: self._each_time("t", t, _validate.duration,  # noqa: E731
                                         self._point_log_sf)
        out = _kw.response_quantile(self._log_response_sf, wait,
                                    np.broadcast_to(self._mu, p.shape), p)
        return self._output(out, "response_time_quantile")

    @cached_property
    def _variances(self):
        out = np.zeros((3, self._lam.size))
        for i, s in enumerate(self._served):
            if s is None:
                continue
            if not isinstance(s, _served.ServedWait):
                out[:, i] = [s.var_in_system, s.var_queue, s.var_wait]
                continue
            c = float(self._flat(self._c)[i])
            a_off = float(self._flat(self._a)[i])
            out[:2, i] = _served.law_variances(s, c, a_off)
            out[2, i] = s.wait_moments()[1]
        return out

    @quantity
    def var_in_system(self):
        """Variance of the number present (time average).

        Examples
        --------
        >>> from queuemath import ErlangA
        >>> q = ErlangA(3.0, 1.0, 4, patience_rate=0.5)
        >>> round(q.var_in_system, 6)
        3.876999
        """
        return self._get(self._variances[0])

    @quantity
    def var_queue(self):
        """Variance of the number waiting (time average).

        Examples
        --------
        >>> from queuemath import ErlangA
        >>> q = ErlangA(3.0, 1.0, 4, patience_rate=0.5)
        >>> round(q.var_queue, 6)
        1.1583
        """
        return self._get(self._variances[1])

    @quantity
    def var_wait(self):
        r"""Variance of the wait of a served customer (the law of
        :meth:`wait_cdf`; ``mean_wait`` is over every admitted customer,
        served or not). [s^2]

        Examples
        --------
        >>> from queuemath import ErlangA
        >>> q = ErlangA(3.0, 1.0, 4, patience_rate=0.5)
        >>> round(q.var_wait, 6)
        0.086531
        """
        return self._get(self._variances[2])
