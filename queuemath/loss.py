r"""Loss systems: Erlang's B formula (M/M/c/c) and Engset's finite-source model.

A loss system has no waiting room: an arrival that finds every server busy is
refused.  For a listening socket this is the limit case of a backlog of zero
extra places; the general M/M/c/K model is in :mod:`queuemath.finite`.
"""
from functools import cached_property

import numpy as np

from . import _validate
from ._kernels import erlang as _ke
from ._kernels import special as _special
from ._model import Parameter, QueueModel, SimulationSpec, quantity

__all__ = ["erlang_b", "log_erlang_b", "Engset"]


@_validate.pandas_io
def log_erlang_b(servers, offered_load, *, continuous=False):
    r"""Natural logarithm of the Erlang B blocking probability.

    Finite and accurate where :func:`erlang_b` underflows to 0 (blocking far
    below 1e-308), and accurate to relative precision near 0 where the
    blocking is within an ulp of 1.

    Parameters
    ----------
    servers : array_like of int
        Number of servers c, at least 1.
    offered_load : array_like
        Offered traffic A = arrival_rate / service_rate, at least 0. [erlang]
    continuous : bool, default False
        Real ``servers`` allowed, as in :func:`erlang_b`.

    Returns
    -------
    log_blocking : float or ndarray
        log B(c, A); ``-inf`` where A = 0.

    See Also
    --------
    erlang_b

    References
    ----------
    .. [1] V. B. Iversen, "Teletraffic Engineering and Network Planning,"
       Technical University of Denmark, 2015., ch. 4 (Erlang's B-formula).

    Examples
    --------
    >>> log_erlang_b(1000, 1.0) < -5000      # B = 1e-2568 underflows; its log does not
    True
    """
    c, a = _validate.servers_and_load(servers, offered_load, continuous)
    if continuous:
        return _special.log_erlang_b_continuous(c, a)[0]
    return _special.log_erlang_b_parts(c, a, want_all=False)[0]


@_validate.pandas_io
def erlang_b(servers, offered_load, *, continuous=False):
    r"""Blocking probability of the M/M/c/c loss system (Erlang B).

    Parameters
    ----------
    servers : array_like of int
        Number of servers c, at least 1.
    offered_load : array_like
        Offered traffic A = arrival_rate / service_rate, at least 0. [erlang]
    continuous : bool, default False
        Accept any real ``servers`` > 0 through the incomplete-gamma
        continuation :math:`1/B(x, A) = A^{-x} e^{A}\,\Gamma(x+1, A)`, which
        equals the usual B at integers (the staffing literature's
        "fractional servers").

    Returns
    -------
    blocking : float or ndarray
        Share of arrivals lost, B(c, A); 0 where A = 0.

    Raises
    ------
    ValueError
        If servers is not an integer >= 1, offered_load is negative, NaN or
        infinite, or the shapes do not broadcast.

    See Also
    --------
    log_erlang_b : The same in log form, for blocking below 1e-308.
    erlang_b_servers : The servers for a blocking target.
    erlang_b_load : The load a number of servers carries at a target.
    Engset : Finite sources.
    MMcK : A waiting room as well as servers.

    Notes
    -----
    .. math:: B(c, A) = \frac{A^c/c!}{\sum_{k=0}^{c} A^k/k!}
              = \frac{P(X = c)}{P(X \le c)}, \quad X \sim \mathrm{Poisson}(A)

    The ratio is evaluated in log space and never forms :math:`A^c` or
    :math:`c!`, so the cost per point does not depend on c:

    * for :math:`A \le c + 3\sqrt{c}` the Poisson point probability comes
      from Loader's saddle-point form [2]_ and :math:`P(X \le c)` from the
      regularised incomplete gamma function (here at least about 1e-3, far
      from underflow): ``scipy.special.gammaincc`` below 2e4 servers, and
      from 2e4 up, within 20 % of the mean, Temme's uniform asymptotic
      expansion [4]_ with whichever tail is the smaller computed directly
      (scipy's is off by up to 3e-7 relative there; the expansion's
      truncation error is below 1e-21, its rounding measured below 3e-14);
      far below the mean, where :math:`P(X > c)` is below 1e-17, a geometric
      bound says it cannot change the result;
    * for larger A, :math:`1/B = 1 + (c/A)\,R` with :math:`R = A/f` and f the
      Legendre continued fraction of the incomplete gamma function [3]_,
      whose partial numerators :math:`n(c-n)` and denominators
      :math:`A - c + 1 + 2n` are all positive; it converges in a few dozen
      steps whatever c is, and keeps :math:`1 - B` exact when B is near 1.

    Measured against mpmath at 50 digits (``tests/test_loss.py``,
    ``tests/test_adversarial.py``; ``make fuzz`` writes the worst case to
    ``benchmarks/accuracy.md``) the relative error stays below 1e-13 from
    c = 1 to 1e7 and A = 1e-300 to 1e300.

    References
    ----------
    .. [1] V. B. Iversen, "Teletraffic Engineering and Network Planning,"
       Technical University of Denmark, 2015, ch. 4 (Erlang's B-formula).
    .. [2] C. Loader, "Fast and Accurate Computation of Binomial
       Probabilities," 2000.
    .. [3] W. H. Press, S. A. Teukolsky, W. T. Vetterling, B. P. Flannery,
       "Numerical Recipes," 3rd ed., Cambridge University Press, 2007,
       sec. 6.2, eq. 6.2.7.
    .. [4] NIST Digital Library of Mathematical Functions, sec. 8.12
       (uniform asymptotic expansions of the incomplete gamma functions),
       https://dlmf.nist.gov/8.12

    Examples
    --------
    >>> round(erlang_b(15, 10.0), 6)
    0.036497
    >>> round(erlang_b(2, 1.0), 15)    # (1/2) / (1 + 1 + 1/2)
    0.2
    """
    c, a = _validate.servers_and_load(servers, offered_load, continuous)
    if continuous:
        return np.exp(_special.log_erlang_b_continuous(c, a)[0])
    return np.exp(_special.log_erlang_b_parts(c, a, want_all=False)[0])


class Engset(QueueModel):
    r"""Engset's finite-source loss system: N sources, c servers, no queue.

    Each idle source requests service at rate :math:`\gamma`; holding times are
    exponential with rate :math:`\mu`; a request that finds all c servers busy
    is lost and the source goes back to idle.

    Parameters
    ----------
    sources : array_like of int
        Number of sources N, at least 1.
    servers : array_like of int
        Number of servers c, at least 1.  c >= N means nothing is ever lost.
    idle_source_load : array_like
        :math:`\beta = \gamma/\mu`, the request rate of one idle source over
        the service rate, at least 0 (keyword only). [erlang]

    Attributes
    ----------
    blocking : float or ndarray
        Call congestion: the share of requests lost,
        :math:`B = E(N-1, c, \beta)` (a requesting source sees the other N-1).
    log_blocking : float or ndarray
        Natural log of ``blocking``, finite where ``blocking`` underflows.
    time_congestion : float or ndarray
        Share of time all c servers are busy, :math:`E(N, c, \beta)`.
    log_time_congestion : float or ndarray
        Natural log of ``time_congestion``.
    carried_load : float or ndarray
        Mean number of busy servers,
        :math:`N\beta(1-B)/(1+\beta(1-B))`. [erlang]
    total_offered_load : float or ndarray or None
        E, where the model was built by :meth:`from_total_offered_load`.

    See Also
    --------
    erlang_b : infinitely many sources.
    FiniteSourceGGcK : general think and service times, by simulation.

    Notes
    -----
    .. math:: E(N, c, \beta) = \frac{\binom{N}{c}\beta^c}
              {\sum_{i=0}^{c}\binom{N}{i}\beta^i}

    is a truncated binomial law with :math:`p = \beta/(1+\beta)`.  It is
    evaluated like Erlang B: near and above the binomial mean by Loader's
    point probability over the regularised incomplete beta function (handed
    the smaller of p and 1-p, whose relative rounding is an ulp), and far
    below the mean by the even part of Gauss's continued fraction for
    :math:`{}_2F_1(-c, 1; N-c+1; -1/\beta)`, whose numerators are positive and
    whose terms never form a power of :math:`\beta`.

    Offered-load conventions differ between sources; this class takes the
    idle-source load.  :meth:`from_total_offered_load` converts from the
    calculator convention.

    References
    ----------
    .. [1] V. B. Iversen, "Teletraffic Engineering and Network Planning,"
       Technical University of Denmark, 2015, ch. 8 (Engset's formula,
       time, call and traffic congestion).
    .. [2] NIST Digital Library of Mathematical Functions, sec. 15.7
       (Gauss's continued fraction).

    Examples
    --------
    >>> m = Engset(sources=2, servers=1, idle_source_load=1.0)
    >>> round(m.time_congestion, 15), m.blocking      # 2/3 and 1/2
    (0.666666666666667, 0.5)
    """

    quantities = ("blocking", "log_blocking", "time_congestion", "log_time_congestion",
                  "carried_load")
    descriptions = {"blocking": "share of requests lost (call congestion)"}

    sources = Parameter("N, the number of sources.", kind="int")
    servers = Parameter("c, the number of servers.", kind="int")
    idle_source_load = Parameter(r":math:`\beta`, request rate of an idle source over the "
                                 "service rate. [erlang]")

    def __init__(self, sources, servers, *, idle_source_load):
        n = _validate.integer("sources", sources, minimum=1)
        c = _validate.integer("servers", servers, minimum=1)
        beta = _validate.nonnegative("idle_source_load", idle_source_load)
        self._store(dict(sources=n.astype(np.int64), servers=c.astype(np.int64),
                         idle_source_load=beta),
                    dict(sources=n, servers=c, idle_source_load=beta),
                    raw=(sources, servers, idle_source_load))
        p = self._params
        self._n, self._c, self._beta = p["sources"], p["servers"], p["idle_source_load"]
        self._total = None

    @classmethod
    def from_total_offered_load(cls, sources, servers, *, total_offered_load):
        r"""Build the model from the total offered load, calculator convention.

        In the convention of common Engset calculators (erlang.com; Wikipedia,
        "Engset formula") the offered load :math:`E` counts blocked attempts:
        each source offers :math:`\alpha = E/N` erlang while idle or blocked.
        The idle-source load then solves the fixed point

        .. math:: \beta = \frac{\alpha}{1 - \alpha(1 - B(\beta))},

        with :math:`B(\beta)` the call congestion.  The right side rises with
        :math:`\beta` more slowly than the left, so there is one root in
        :math:`[\alpha, \alpha/(1-\alpha)]`; it is found by bisection on
        :math:`\log\beta` to the last bit.  The teletraffic-handbook
        convention (Iversen ch. 8) instead takes
        :math:`A = N\beta/(1+\beta)`; convert with that formula directly.

        Parameters
        ----------
        sources : array_like of int
            Number of sources N, at least 1.
        servers : array_like of int
            Number of servers c, at least 1.
        total_offered_load : array_like
            E, at least 0 and below ``sources`` (keyword only). [erlang]

        Returns
        -------
        Engset
            With ``idle_source_load`` the solved :math:`\beta` and
            ``total_offered_load`` the given E.

        Examples
        --------
        >>> m = Engset.from_total_offered_load(10, 3, total_offered_load=2.0)
        >>> alpha = 0.2
        >>> beta = m.idle_source_load
        >>> abs(beta - alpha / (1 - alpha * (1 - m.blocking))) < 1e-15
        True
        """
        n = _validate.integer("sources", sources, minimum=1)
        c = _validate.integer("servers", servers, minimum=1)
        e = _validate.nonnegative("total_offered_load", total_offered_load)
        n, c, e = _validate.broadcast(sources=n, servers=c, total_offered_load=e)
        bad = e >= n
        if np.any(bad):
            idx = tuple(np.argwhere(bad)[0])
            raise ValueError(
                "total_offered_load must be < sources (each source offers less than "
                f"1 erlang), got total_offered_load={_validate.fmt(e[idx])} with "
                f"sources={_validate.fmt(n[idx])}")
        beta = _ke.solve_engset_beta(n, c, e / n)
        index = _validate.pandas_index(sources, servers, total_offered_load)
        model = cls(n, c, idle_source_load=beta if index is None else
                    _validate.output(beta, index))
        model._total = e
        return model

    @property
    def total_offered_load(self):
        """E, where the model was built from it (else None). [erlang]

        Examples
        --------
        >>> Engset.from_total_offered_load(20, 4, total_offered_load=2.0).total_offered_load
        2.0
        >>> Engset(20, 4, idle_source_load=0.1).total_offered_load is None
        True
        """
        return None if self._total is None else self._output(self._total, "total_offered_load")

    @property
    def kendall(self):
        c = self._kendall_count("servers", "c")
        return f"M/M/{c}/{c}/{self._kendall_count('sources', 'N')}"

    def simulation_spec(self):
        n, c, beta = self._scalars("sources", "servers", "idle_source_load")
        if beta <= 0:
            raise ValueError("idle_source_load must be > 0 to simulate, got 0")
        # time in units of the mean holding time: mu = 1, request rate beta
        return SimulationSpec("markov", dict(lam=beta, mu=1.0, c=c, k=c, sources=n), int(c))

    @cached_property
    def _call(self):
        # (log B, log Z, log beta Z) of the call congestion, computed once.
        return _ke.engset_call_parts(self._n, self._c, self._beta)

    @quantity
    def log_blocking(self):
        """log of the call congestion.

        Examples
        --------
        >>> import math
        >>> from queuemath import Engset
        >>> q = Engset(20, 4, idle_source_load=0.1)
        >>> round(q.log_blocking, 6)
        -2.733959
        >>> math.isclose(math.exp(q.log_blocking), q.blocking, rel_tol=1e-14)
        True
        """
        return self._call[0]

    @quantity
    def blocking(self):
        """Call congestion: the share of requests lost.

        Examples
        --------
        >>> from queuemath import Engset
        >>> q = Engset(20, 4, idle_source_load=0.1)
        >>> round(q.blocking, 6)
        0.064962
        """
        return np.exp(self._call[0])

    @cached_property
    def _log_time(self):
        return _special.log_engset_parts(self._n, self._c, self._beta)[0]

    @quantity
    def time_congestion(self):
        """Share of time all servers are busy.

        Examples
        --------
        >>> from queuemath import Engset
        >>> q = Engset(20, 4, idle_source_load=0.1)
        >>> round(q.time_congestion, 6)
        0.074259
        >>> q.blocking < q.time_congestion  # an arriving source sees one source fewer
        True
        """
        return np.exp(self._log_time)

    @quantity
    def log_time_congestion(self):
        """log of the time congestion.

        Examples
        --------
        >>> import math
        >>> from queuemath import Engset
        >>> q = Engset(20, 4, idle_source_load=0.1)
        >>> round(q.log_time_congestion, 6)
        -2.600202
        >>> math.isclose(math.exp(q.log_time_congestion), q.time_congestion, rel_tol=1e-14)
        True
        """
        return self._log_time

    @quantity
    def carried_load(self):
        """Mean number of busy servers. [erlang]

        Examples
        --------
        >>> from queuemath import Engset
        >>> q = Engset(20, 4, idle_source_load=0.1)
        >>> round(q.carried_load, 6)
        1.710169
        """
        log_b, _, log_bz = self._call
        n, beta = self._n, self._beta
        # x = beta (1 - B) = (beta Z) B: finite and exact even where B rounds
        # to 1 (beta = 1e300 gives x = c/(N-c), carried load c).
        # Where B < 1/2, beta (1 - B) directly: the log form adds and takes
        # away log B (-3e4 at beta = 1e-221), which would cost its ulps.
        near_one = (log_b > -np.log(2)) & (beta > 0)
        with np.errstate(over="ignore", invalid="ignore"):   # the branch not taken
            x = np.where(near_one, np.exp(log_bz + log_b), beta * -np.expm1(log_b))
        # n x/(1+x), as n/(1 + 1/x) for large x (n x overflows at 1e308)
        big = x > 1
        small = np.where(big, 0.0, x)
        carried = np.where(big, n / (1 + 1 / np.where(big, x, 1.0)), n * small / (1 + small))
        # a mean of 0..min(N, c) busy servers; x carries the rounding of two
        # logs, which near saturation can lift it an ulp or two past c
        return np.minimum(carried, np.minimum(n, self._c))
