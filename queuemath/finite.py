r"""Finite queues: M/M/c/K and its single-server case M/M/1/K.

K counts everyone in the system, those in service included: a server with c
workers and an accept queue of b places is M/M/c/K with K = c + b.  An
arrival that finds K present is refused; by PASTA its chance of refusal is the
stationary probability :math:`p_K`.
"""
from functools import cached_property

import numpy as np

from . import _special, _validate
from ._model import RateModel


class MMcK(RateModel):
    r"""The M/M/c/K queue: Poisson arrivals, c exponential servers, room for K.

    Parameters
    ----------
    arrival_rate : array_like
        :math:`\lambda`, at least 0. [1/s]
    service_rate : array_like
        :math:`\mu` of one server, greater than 0. [1/s]
    servers : array_like of int
        c, at least 1.
    capacity : array_like of int
        K, the most the system holds (in service included), at least c.

    Attributes
    ----------
    offered_load : float or ndarray
        :math:`A = \lambda/\mu`. [erlang]
    blocking : float or ndarray
        :math:`p_K`, the share of arrivals refused.
    log_blocking : float or ndarray
        :math:`\log p_K`, finite where ``blocking`` underflows.
    p_empty : float or ndarray
        :math:`p_0`.
    throughput : float or ndarray
        Admitted rate :math:`\lambda(1 - p_K)`. [1/s]
    utilization : float or ndarray
        Mean share of servers busy, :math:`\rho(1 - p_K)` with
        :math:`\rho = A/c`.
    mean_in_system : float or ndarray
        L, mean number present.
    mean_queue : float or ndarray
        :math:`L_q`, mean number waiting (not in service).
    mean_wait : float or ndarray
        :math:`W_q = L_q/(\lambda(1-p_K))`, per admitted customer; 0 where
        :math:`\lambda = 0`. [s]
    mean_response_time : float or ndarray
        :math:`W = W_q + 1/\mu`, per admitted customer. [s]

    Raises
    ------
    ValueError
        For a negative, NaN or infinite rate, a zero service rate, servers or
        capacity that are not integers >= 1, capacity < servers, shapes that
        do not broadcast, or an offered load :math:`\lambda/\mu` beyond the
        largest double.

    Notes
    -----
    With :math:`m = K - c`, the stationary law is
    :math:`p_n \propto A^n/n!` for :math:`n \le c` and
    :math:`p_{c+j} = p_c \rho^j` for :math:`0 \le j \le m` [1]_.  Relative to
    state c the states below c weigh :math:`Z = 1/B(c, A) - 1` (B the Erlang
    B blocking, see :func:`queuemath.erlang_b`) and the queue states weigh the
    geometric sum :math:`\sum_{j=0}^{m}\rho^j`.  Everything is combined in
    log space, relative to state c when :math:`\rho \le 1` and to state K
    when :math:`\rho > 1`, so no power :math:`\rho^m` overflows; the geometric
    sums use ``expm1``/``log1p`` of :math:`m\log\rho` and stay exact at and
    near :math:`\rho = 1`.  The mean of the queue part is
    :math:`h(y) - (m+1)h((m+1)y)` with :math:`y = -\log\rho` and
    :math:`h(y) = 1/(e^y - 1) - 1/y` (a Bernoulli series for small y), whose
    :math:`1/y` poles cancel analytically; the textbook
    :math:`\rho/(1-\rho) - (m+1)\rho^{m+1}/(1-\rho^{m+1})` loses every digit
    as :math:`\rho \to 1`.  Cost per point does not depend on c or K.

    References
    ----------
    .. [1] D. Gross, J. F. Shortle, J. M. Thompson, C. M. Harris,
       "Fundamentals of Queueing Theory," 4th ed., Wiley, 2008, sec. 2.5
       (finite queues, M/M/1/K and M/M/c/K).
    .. [2] L. Kleinrock, "Queueing Systems, Volume 1: Theory," Wiley, 1975,
       sec. 3.6.

    Examples
    --------
    >>> q = MMcK(arrival_rate=0.9, service_rate=1.0, servers=1, capacity=10)
    >>> round(float(q.blocking), 4)
    0.0508
    >>> q = MMcK(arrival_rate=2.0, service_rate=1.0, servers=2, capacity=2)
    >>> round(float(q.blocking), 15)   # Erlang B(2, 2) = 2 / (1 + 2 + 2)
    0.4
    """

    def __init__(self, arrival_rate, service_rate, servers, capacity):
        k = _validate.integer("capacity", capacity, minimum=1)
        (self._k,) = self._init_rates(arrival_rate, service_rate, servers, capacity=k)
        _validate.at_least("capacity", self._k, "servers", self._c)

    @property
    def capacity(self):
        return _validate.scalar(self._k.astype(np.int64))

    # -- kernel -----------------------------------------------------------
    @cached_property
    def _logs(self):
        return _mmck_logs(self._a, self._c, self._k)

    @cached_property
    def _blocking(self):
        # Blocking alone is the common question (and the inverse's probe):
        # it has a lighter kernel than the full set of quantities.
        return _mmck_blocking(self._a, self._c, self._k)

    @property
    def log_blocking(self):
        return _validate.scalar(self._blocking[0])

    @property
    def blocking(self):
        return _validate.scalar(self._blocking[1])

    @property
    def p_empty(self):
        return _validate.scalar(np.exp(self._logs["log_p0"]))

    def _busy(self):
        return _busy(self._logs, self._c)

    @property
    def throughput(self):
        # Little's law on the servers: admitted rate = mu * mean busy.
        return _validate.scalar(self._mu * self._busy())

    @property
    def utilization(self):
        return _validate.scalar(self._busy() / self._c)

    @property
    def mean_queue(self):
        return _validate.scalar(self._mean_queue())

    def _mean_queue(self):
        return _mean_queue(self._logs)

    @property
    def mean_in_system(self):
        return _validate.scalar(_mean_in_system(self._logs, self._c))

    @property
    def mean_wait(self):
        return _validate.scalar(self._mean_wait())

    def _mean_wait(self):
        logs = self._logs
        with np.errstate(divide="ignore", invalid="ignore"):
            # Little's law on the admitted stream; at lambda = 0 the queue is
            # empty and the limit of W_q is 0.
            log_w = (logs["log_p_ge_c"] + np.log(logs["queue_mean"])
                     - np.log(self._lam) - logs["log_admit"])
        return np.where((self._lam == 0) | (logs["queue_mean"] == 0), 0.0, np.exp(log_w))

    @property
    def mean_response_time(self):
        return _validate.scalar(self._mean_wait() + 1 / self._mu)

    def state_probabilities(self):
        r"""Stationary probabilities :math:`p_0, \dots, p_K`.

        Returns
        -------
        ndarray
            Shape ``(..., max(K) + 1)``: the parameters' broadcast shape and
            a last axis over the number present n.  Entries with n above a
            point's own K are 0.

        Examples
        --------
        >>> MM1K(1.0, 1.0, 2).state_probabilities()
        array([0.33333333, 0.33333333, 0.33333333])
        """
        return _mmck_state_probabilities(self._a, self._c, self._k, self._logs)

    def _repr_fields(self):
        return super()._repr_fields() + [("capacity", _validate.show(self._k, int))]


class MM1K(MMcK):
    r"""The M/M/1/K queue: one exponential server, room for K in all.

    Same quantities as :class:`MMcK` with ``servers=1``; for instance

    .. math:: p_K = \frac{(1-\rho)\rho^K}{1-\rho^{K+1}}, \qquad
              p_K = \frac{1}{K+1} \text{ at } \rho = 1,

    evaluated as :math:`\exp(K\log\rho)\,\mathrm{expm1}(\log\rho)/
    \mathrm{expm1}((K+1)\log\rho)` (or its mirror image for
    :math:`\rho > 1`), exact at, near and far from :math:`\rho = 1` and free
    of overflow for :math:`K = 10^7`.

    Parameters
    ----------
    arrival_rate : array_like
        :math:`\lambda`, at least 0. [1/s]
    service_rate : array_like
        :math:`\mu`, greater than 0. [1/s]
    capacity : array_like of int
        K, at least 1.

    References
    ----------
    .. [1] D. Gross, J. F. Shortle, J. M. Thompson, C. M. Harris,
       "Fundamentals of Queueing Theory," 4th ed., Wiley, 2008, sec. 2.5.1.

    Examples
    --------
    >>> round(float(MM1K(1.0, 1.0, 9).blocking), 15)   # rho = 1: 1/(K+1)
    0.1
    """

    def __init__(self, arrival_rate, service_rate, capacity):
        super().__init__(arrival_rate, service_rate, 1, capacity)

    def _repr_fields(self):
        return [f for f in super()._repr_fields() if f[0] != "servers"]


def _log_rho(a, c):
    """log(a/c), accurate near a = c (where it matters for rho**m)."""
    with np.errstate(divide="ignore"):
        near = (a >= 0.5 * c) & (a <= 2 * c)
        # a - c is exact for a within a factor 2 of c (Sterbenz), so log1p
        # keeps the relative precision that log(a) - log(c) would lose.
        return np.where(near, np.log1p((a - c) / c), np.log(a) - np.log(c))


def _log_rho_sum(L, m):
    """log(sum_{j=1}^{m} rho**j), rho = exp(L); -inf for m = 0."""
    with np.errstate(invalid="ignore"):
        # ratio <= 1 side: rho * g(rho, m); rho > 1: rho**m g(1/rho, m).
        return np.where(L <= 0, L + _special.log_geometric_sum(np.minimum(L, 0), m),
                        m * L + _special.log_geometric_sum(-np.maximum(L, 0), m))


def _mm1k_blocking(a, k):
    """(log p_K, p_K) of M/M/1/K in closed form, rho = a.

    p_K = rho**K (1 - rho)/(1 - rho**(K+1)) for rho < 1 and its mirror image
    (1 - 1/rho)/(1 - rho**-(K+1)) for rho > 1, both as
    exp(K min(L, 0)) expm1(l)/expm1((K+1) l) with L = log rho, l = -|L|:
    no power overflows, and expm1 keeps every digit as rho -> 1.
    """
    with np.errstate(divide="ignore"):
        L = np.log(a)        # a = 0 gives -inf, and then p_K = 0 below
    l = -np.abs(L)
    e1 = -np.expm1(l)
    ek = -np.expm1((k + 1) * l)
    lead = k * np.minimum(L, 0.0)
    at_one = L == 0
    with np.errstate(invalid="ignore", divide="ignore"):
        pk = np.exp(lead) * e1 / ek
        log_pk = lead + np.log(e1) - np.log(ek)
    pk = np.where(at_one, 1 / (k + 1), pk)
    log_pk = np.where(at_one, -np.log1p(k), log_pk)
    return log_pk, pk


def _mmck_blocking(a, c, k):
    """(log p_K, p_K) of M/M/c/K; see MMcK Notes."""
    if np.all(c == 1):
        return _mm1k_blocking(a, k)
    m = k - c
    _, log_z, _ = _special.log_erlang_b_parts(c, a)
    L = _log_rho(a, c)
    with np.errstate(invalid="ignore", divide="ignore"):
        # Pivot c for rho <= 1, pivot K for rho > 1 (m L would cancel there).
        g = _special.log_geometric_sum(-np.abs(L), m + 1)
        log_pk = m * np.minimum(L, 0.0) - np.logaddexp(log_z - m * np.maximum(L, 0.0), g)
    log_pk = np.where(a == 0, -np.inf, log_pk)
    pk = np.exp(log_pk)
    ones = c == 1
    if ones.any():
        lp1, p1 = _mm1k_blocking(a[ones], k[ones])
        log_pk[ones], pk[ones] = lp1, p1
    return log_pk, pk


def _mmck_logs(a, c, k):
    """Log-space pieces of the M/M/c/K law (see MMcK Notes)."""
    m = k - c
    log_b, log_z, log_s = _special.log_erlang_b_parts(c, a)
    L = _log_rho(a, c)
    le1 = L <= 0
    Lm = np.minimum(L, 0.0)      # log of the ratio <= 1 used on each side
    Lp = -np.maximum(L, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        # Pivot c (rho <= 1): W = Z + g(rho, m+1), p_K = rho**m / W.
        g_c = _special.log_geometric_sum(Lm, m + 1)
        log_w_c = np.logaddexp(log_z, g_c)
        # Pivot K (rho > 1): W = Z rho**-m + g(1/rho, m+1), p_K = 1 / W.
        zk = log_z - m * np.maximum(L, 0.0)
        g_k = _special.log_geometric_sum(Lp, m + 1)
        log_w_k = np.logaddexp(zk, g_k)

        log_pk = np.where(le1, m * Lm - log_w_c, -log_w_k)
        admit_k = np.logaddexp(zk, Lp + _special.log_geometric_sum(Lp, m)) - log_w_k
        admit_c = np.log1p(-np.exp(np.where(le1, log_pk, -np.inf)))
        log_admit = np.where(le1, admit_c, admit_k)
        log_p_ge_c = np.where(le1, g_c - log_w_c, g_k - log_w_k)
        # P(n <= c) = 1 / (1 + B sum_{j=1}^m rho**j)
        log_p_le_c = -np.logaddexp(0.0, log_b + _log_rho_sum(L, m))
    log_p0 = log_p_le_c - log_s
    qm = np.where(le1, _special.truncated_geometric_mean(Lm, m),
                  m - _special.truncated_geometric_mean(Lp, m))
    zero = a == 0
    # A = 0: everything sits in state 0 (the formulas above give 0 * inf).
    log_admit = np.where(zero, 0.0, log_admit)
    log_p_ge_c = np.where(zero, -np.inf, log_p_ge_c)
    log_p_le_c = np.where(zero, 0.0, log_p_le_c)
    log_p0 = np.where(zero, 0.0, log_p0)
    qm = np.where(zero, 0.0, qm)
    with np.errstate(divide="ignore"):
        log_busy = np.log(a) + log_admit   # carried load A (1 - p_K)
    return dict(log_s=log_s, L=L, log_admit=log_admit, log_p_ge_c=log_p_ge_c, log_p_le_c=log_p_le_c,
                log_p0=log_p0, queue_mean=qm, log_busy=log_busy,
                log_w_c=log_w_c, log_w_k=log_w_k)


def _busy(logs, c):
    # Mean busy servers A (1 - p_K).  At loads like 1e200 the log-space
    # product rounds a few ulps above c, which no server count can be; the
    # physical bound is restored here rather than reported.
    return np.minimum(np.exp(logs["log_busy"]), c)


def _mean_queue(logs):
    return np.exp(logs["log_p_ge_c"]) * logs["queue_mean"]


def _mean_in_system(logs, c):
    """L = busy servers + mean queue, from _mmck_logs."""
    return _busy(logs, c) + _mean_queue(logs)


def _mmck_state_probabilities(a, c, k, logs):
    kmax = int(np.max(k))
    n = np.arange(kmax + 1, dtype=float)
    shape = a.shape + (kmax + 1,)
    A, C, K = (np.broadcast_to(x[..., None], shape) for x in (a, c, k))
    N = np.broadcast_to(n, shape)
    L = np.broadcast_to(logs["L"][..., None], shape)
    out = np.zeros(shape)
    # n <= c: p_n = P(n <= c) * Poisson(n; A) / P(X <= c), with
    # log P(X <= c) = log S - A written per route to avoid forming A twice.
    low = (N <= C) & (A > 0)
    if np.any(low):
        nn, aa = N[low], A[low]
        log_pmf = np.where(nn == 0, -aa,
                           _special.log_poisson_pmf(np.maximum(nn, 1), aa))
        log_s = np.broadcast_to(logs["log_s"][..., None], shape)[low]
        le = np.broadcast_to(logs["log_p_le_c"][..., None], shape)[low]
        # log pmf(n) - log cdf(c) = log pmf(n) + A - log S; pmf(n) e^A is
        # A**n/n!, taken from Loader's form so that A cancels exactly.
        out[low] = np.exp(le + log_pmf + aa - log_s)
    high = (N > C) & (N <= K) & (A > 0)
    if np.any(high):
        nn, cc, kk, LL = N[high], C[high], K[high], L[high]
        w_c = np.broadcast_to(logs["log_w_c"][..., None], shape)[high]
        w_k = np.broadcast_to(logs["log_w_k"][..., None], shape)[high]
        out[high] = np.exp(np.where(LL <= 0, (nn - cc) * LL - w_c, -(kk - nn) * LL - w_k))
    zero = (A == 0) & (N == 0)
    out[zero] = 1.0
    return out
