r"""Loss systems: Erlang's B formula (M/M/c/c) and Engset's finite-source model.

A loss system has no waiting room: an arrival that finds every server busy is
refused.  For a listening socket this is the limit case of a backlog of zero
extra places; the general M/M/c/K model is in :mod:`queuemath.finite`.
"""
from functools import cached_property

import numpy as np

from . import _special, _validate


def log_erlang_b(servers, offered_load, continuous=False):
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

    Examples
    --------
    >>> float(log_erlang_b(1000, 1.0)) < -5000
    True
    """
    c, a = _validate.servers_and_load(servers, offered_load, continuous)
    if continuous:
        return _validate.scalar(_special.log_erlang_b_continuous(c, a)[0])
    return _validate.scalar(_special.log_erlang_b_parts(c, a, want_all=False)[0])


def erlang_b(servers, offered_load, continuous=False):
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

    Notes
    -----
    .. math:: B(c, A) = \frac{A^c/c!}{\sum_{k=0}^{c} A^k/k!}
              = \frac{P(X = c)}{P(X \le c)}, \quad X \sim \mathrm{Poisson}(A)

    The ratio is evaluated in log space and never forms :math:`A^c` or
    :math:`c!`, so the cost per point does not depend on c:

    * for :math:`A \le c + 3\sqrt{c}` the Poisson point probability comes
      from Loader's saddle-point form [2]_ and :math:`P(X \le c)` from the
      regularised incomplete gamma function ``scipy.special.gammaincc``
      (here at least about 1e-3, far from underflow);
    * for larger A, :math:`1/B = 1 + (c/A)\,R` with :math:`R = A/f` and f the
      Legendre continued fraction of the incomplete gamma function [3]_,
      whose partial numerators :math:`n(c-n)` and denominators
      :math:`A - c + 1 + 2n` are all positive; it converges in a few dozen
      steps whatever c is, and keeps :math:`1 - B` exact when B is near 1.

    Measured against mpmath at 50 digits (``tests/test_loss.py``) the relative
    error stays below 1e-13 from c = 1 to 1e7 and A = 1e-300 to 1e300.

    References
    ----------
    .. [1] V. B. Iversen, "Teletraffic Engineering and Network Planning,"
       Technical University of Denmark, 2015, ch. 4 (Erlang's B-formula).
    .. [2] C. Loader, "Fast and Accurate Computation of Binomial
       Probabilities," 2000.
    .. [3] W. H. Press, S. A. Teukolsky, W. T. Vetterling, B. P. Flannery,
       "Numerical Recipes," 3rd ed., Cambridge University Press, 2007,
       sec. 6.2, eq. 6.2.7.

    Examples
    --------
    >>> round(float(erlang_b(15, 10.0)), 6)
    0.036497
    >>> round(float(erlang_b(2, 1.0)), 15)    # (1/2) / (1 + 1 + 1/2)
    0.2
    """
    c, a = _validate.servers_and_load(servers, offered_load, continuous)
    if continuous:
        return _validate.scalar(np.exp(_special.log_erlang_b_continuous(c, a)[0]))
    return _validate.scalar(np.exp(_special.log_erlang_b_parts(c, a, want_all=False)[0]))


class Engset:
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
        the service rate, at least 0. [erlang]

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
    >>> round(float(m.time_congestion), 15), float(m.blocking)   # 2/3 and 1/2
    (0.666666666666667, 0.5)
    """

    def __init__(self, sources, servers, idle_source_load):
        n = _validate.integer("sources", sources, minimum=1)
        c = _validate.integer("servers", servers, minimum=1)
        beta = _validate.nonnegative("idle_source_load", idle_source_load)
        n, c, beta = _validate.broadcast(sources=n, servers=c, idle_source_load=beta)
        self._n, self._c, self._beta = n, c, beta
        self.total_offered_load = None

    @classmethod
    def from_total_offered_load(cls, sources, servers, total_offered_load):
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
            E, at least 0 and below ``sources``. [erlang]

        Returns
        -------
        Engset
            With ``idle_source_load`` the solved :math:`\beta` and
            ``total_offered_load`` the given E.

        Examples
        --------
        >>> m = Engset.from_total_offered_load(10, 3, 2.0)
        >>> alpha = 0.2
        >>> beta = float(m.idle_source_load)
        >>> abs(beta - alpha / (1 - alpha * (1 - float(m.blocking)))) < 1e-15
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
                f"1 erlang), got total_offered_load={_validate._fmt(e[idx])} with "
                f"sources={_validate._fmt(n[idx])}")
        alpha = e / n
        beta = _solve_engset_beta(n, c, alpha)
        model = cls(n, c, beta)
        model.total_offered_load = _validate.scalar(e)
        return model

    @property
    def sources(self):
        return _validate.scalar(self._n.astype(np.int64))

    @property
    def servers(self):
        return _validate.scalar(self._c.astype(np.int64))

    @property
    def idle_source_load(self):
        return _validate.scalar(self._beta)

    @cached_property
    def _call(self):
        # (log B, log Z, log beta Z) of the call congestion, computed once.
        return _call_congestion_parts(self._n, self._c, self._beta)

    @property
    def log_blocking(self):
        return _validate.scalar(self._call[0])

    @property
    def blocking(self):
        return _validate.scalar(np.exp(self._call[0]))

    @cached_property
    def _log_time(self):
        return _special.log_engset_parts(self._n, self._c, self._beta)[0]

    @property
    def time_congestion(self):
        return _validate.scalar(np.exp(self._log_time))

    @property
    def log_time_congestion(self):
        return _validate.scalar(self._log_time)

    @property
    def carried_load(self):
        log_b, _, log_bz = self._call
        n, beta = self._n, self._beta
        # x = beta (1 - B) = (beta Z) B: finite and exact even where B rounds
        # to 1 (beta = 1e300 gives x = c/(N-c), carried load c).
        x = beta.copy()
        lost = (log_b > -np.inf) & (beta > 0)
        x[lost] = np.exp(log_bz[lost] + log_b[lost])
        return _validate.scalar(n * x / (1 + x))

    def __repr__(self):
        return (f"Engset(sources={_validate.show(self._n, int)}, "
                f"servers={_validate.show(self._c, int)}, "
                f"idle_source_load={_validate.show(self._beta)})")


def _call_congestion_parts(n, c, beta):
    """(log B, log Z, log beta Z) of the call congestion E(N-1, c, beta)."""
    others = n - 1
    log_b = np.full(n.shape, -np.inf)
    log_z = np.full(n.shape, np.inf)
    log_bz = np.full(n.shape, np.inf)
    some = others >= 1
    if np.any(some):
        parts = _special.log_engset_parts(others[some], c[some], beta[some])
        log_b[some], log_z[some], log_bz[some] = parts
    return log_b, log_z, log_bz


def _solve_engset_beta(n, c, alpha):
    """Root of beta (1 - alpha (1 - B(beta))) = alpha, elementwise."""
    beta = np.zeros(alpha.shape)
    todo = alpha > 0
    if not np.any(todo):
        return beta
    nn, cc, al = n[todo], c[todo], alpha[todo]
    lo = al.copy()              # B = 1 would give beta = alpha
    hi = al / (1 - al)          # B = 0 would give beta = alpha/(1-alpha)
    log_al = np.log(al)
    # Bisection until the bracket holds no double between its ends; the
    # midpoint is geometric while the ends are far apart, so the worst case
    # (alpha near 1, bracket spanning 300 decades) takes about 65 steps.
    for _ in range(200):
        wide = hi > 2 * lo
        mid = np.where(wide, np.sqrt(lo * hi), lo + 0.5 * (hi - lo))
        open_ = (mid > lo) & (mid < hi)
        if not np.any(open_):
            break
        _, log_z, _ = _call_congestion_parts(nn, cc, mid)
        # beta (1 - alpha (1 - B)) - alpha, in logs.
        f = np.log(mid) + np.log1p(-al * _one_minus_b(log_z)) - log_al
        up = f > 0
        hi = np.where(open_ & up, mid, hi)
        lo = np.where(open_ & ~up, mid, lo)
    # Of the two neighbours, take the one with the smaller residual.
    beta[todo] = np.where(_residual(nn, cc, al, lo) <= _residual(nn, cc, al, hi), lo, hi)
    return beta


def _residual(n, c, alpha, beta):
    _, log_z, _ = _call_congestion_parts(n, c, beta)
    return np.abs(beta * (1 - alpha * _one_minus_b(log_z)) - alpha)


def _one_minus_b(log_z):
    """1 - B = 1/(1 + 1/Z) from log Z: exact near B = 1, 1 where B = 0."""
    return np.exp(-np.logaddexp(0.0, -log_z))
