r"""Impatient customers: the Erlang A model, M/M/c+M, and M/M/c/K+M.

A connecting client whose handshake is not accepted within its own timeout
gives up: it *abandons* the accept queue.  With exponential patience this is
Palm's Erlang A model, a birth-death chain whose death rate in state n is
:math:`\min(n, c)\mu + (n - c)^+\theta`.
"""
from functools import cached_property

import numpy as np
from scipy import special

from . import _impatience as _ia
from . import _special, _validate
from ._model import RateModel


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


class ErlangA(RateModel):
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
    patience_rate : array_like
        :math:`\theta`, at least 0; 0 is the patient M/M/c (or M/M/c/K)
        queue, which without a capacity needs :math:`\lambda < c\mu`. [1/s]
    capacity : array_like of int, optional
        K, the most the system holds (in service included), at least c.
        None (the default) for an unlimited waiting room.

    Attributes
    ----------
    blocking : float or ndarray
        :math:`p_K`, the share of arrivals refused; 0 without a capacity.
    log_blocking : float or ndarray
        :math:`\log p_K`, finite where ``blocking`` underflows.
    p_wait : float or ndarray
        Share of arrivals admitted that find every server busy and wait.
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

    ``service_level(t)`` is the share of arrivals admitted that reach a
    server within t.  A customer that finds j others waiting reaches a
    server after :math:`j+1` exponential stages of rates
    :math:`c\mu + i\theta`, and is still there with probability
    :math:`E[e^{-\theta V}]`; with :math:`U = e^{-\theta V} \sim
    \mathrm{Beta}(a, j+1)` the sum over j collapses (unbounded queue) to
    :math:`a\int_{e^{-\theta t}}^1 u^a e^{x(1-u)}\,du`, an incomplete gamma
    difference evaluated on the side of the mode that does not cancel.  With
    a capacity the same terms,
    :math:`\frac{a}{a+j+1} I_{1-e^{-\theta t}}(j+1, a+1)`, are summed over
    the window.

    References
    ----------
    .. [1] C. Palm, "Research on telephone traffic carried by full
       availability groups," Tele 1, 1957 (Erlang A).
    .. [2] O. Garnett, A. Mandelbaum, M. Reiman, "Designing a call center with
       impatient customers," Manufacturing & Service Operations Management
       4(3), 2002, 208-227.
    .. [3] NIST Digital Library of Mathematical Functions, eq. 8.9.2
       (https://dlmf.nist.gov/8.9.E2).
    .. [4] D. Gross, J. F. Shortle, J. M. Thompson, C. M. Harris,
       "Fundamentals of Queueing Theory," 4th ed., Wiley, 2008, sec. 2.10
       (balking and reneging).

    Examples
    --------
    With patience as fast as service the chain is M/M/inf, so
    :math:`L_q = E[(N-1)^+] = A - 1 + e^{-A}`:

    >>> q = ErlangA(arrival_rate=2.0, service_rate=1.0, servers=1, patience_rate=1.0)
    >>> bool(abs(q.mean_queue - (1 + np.exp(-2.0))) < 1e-15)
    True
    >>> round(float(q.p_abandon), 12)       # theta L_q / lambda
    0.567667641618
    >>> from queuemath import MM1K
    >>> float(ErlangA(0.9, 1.0, 1, 0.0, capacity=10).blocking)   # patient: M/M/1/K
    0.0508...
    """

    def __init__(self, arrival_rate, service_rate, servers, patience_rate, capacity=None):
        theta = _validate.nonnegative("patience_rate", patience_rate)
        if capacity is None:
            k = np.array(np.inf)
        else:
            k = _validate.integer("capacity", capacity, minimum=1)
        self._theta, self._k = self._init_rates(arrival_rate, service_rate, servers,
                                                patience_rate=theta, capacity=k)
        if capacity is not None:
            _validate.at_least("capacity", self._k, "servers", self._c)
        self._bounded = capacity is not None
        cmu, err = _ia.two_prod(self._c, self._mu)
        if np.any(~np.isfinite(cmu)):
            idx = tuple(np.argwhere(~np.isfinite(cmu))[0])
            raise ValueError(f"servers * service_rate overflows a double, got servers="
                             f"{self._c[idx]!r} with service_rate={self._mu[idx]!r}")
        self._cmu = cmu
        # 1 - rho = (c mu - lambda)/(c mu) with c mu's rounding error kept.
        self._omr = ((cmu - self._lam) + err) / cmu
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
    def patience_rate(self):
        return _validate.scalar(self._theta)

    @property
    def capacity(self):
        return None if not self._bounded else _validate.scalar(self._k.astype(np.int64))

    def _repr_fields(self):
        fields = super()._repr_fields() + [("patience_rate", _validate.show(self._theta))]
        if self._bounded:
            fields.append(("capacity", _validate.show(self._k, int)))
        return fields

    # -- kernel -----------------------------------------------------------
    @cached_property
    def _parts(self):
        """Flat log-space pieces (see Notes): log S_m relative to state c, and
        everything else relative to S_m, so that shares keep their digits
        when S_m is astronomically large (overload with patient customers)."""
        shape = self._lam.shape
        rho, omr, eps, a, x = (v.ravel() for v in (self._rho, self._omr, self._eps,
                                                     self._a_pat, self._x))
        m = (self._k - self._c).ravel()
        n = rho.size
        _, log_z, _ = _special.log_erlang_b_parts(self._c.ravel(), self._a.ravel())
        lw = np.zeros(n)           # log((S_m - t_m)/S_m): admitted and waiting
        lt = np.full(n, -np.inf)   # log(t_m/S_m): refused
        q = np.empty(n)            # D_m/S_m, the mean queue given N >= c
        tail = np.zeros(n)         # (t_m + sum_{j>m} t_j)/S: what the capacity cuts off
        patient = eps == 0
        infinite = ~np.isfinite(m)
        zero_m = m == 0
        ref = np.zeros(n)          # log S_m = log_s_rel + ref (see _impatience.upper)
        log_s_rel = np.empty(n)
        if infinite.any():
            log_s_rel[infinite], ref[infinite], q[infinite] = _ia.upper(
                rho[infinite], omr[infinite], eps[infinite], a[infinite], x[infinite])
        # K = c: the loss system.
        log_s_rel[zero_m], lw[zero_m], lt[zero_m], q[zero_m], tail[zero_m] = 0.0, -np.inf, 0.0, 0.0, 1.0
        # Patient, finite: geometric sums (M/M/c/K), each ratio from sums <= m+1.
        geo = patient & ~infinite & ~zero_m
        if geo.any():
            L = _ia.log_rho(rho[geo], omr[geo])
            mm = m[geo]
            up, dn = np.minimum(L, 0), -np.maximum(L, 0)
            with np.errstate(invalid="ignore", divide="ignore"):
                g1, g0 = (_special.log_geometric_sum(up, mm + 1),
                          _special.log_geometric_sum(up, mm))
                h1, h0 = (_special.log_geometric_sum(dn, mm + 1),
                          _special.log_geometric_sum(dn, mm))
                rising = L > 0
                log_s_rel[geo] = np.where(rising, mm * L + h1, g1)
                lw[geo] = np.where(rising, dn + h0 - h1, g0 - g1)
                lt[geo] = np.where(rising, -h1, np.where(rho[geo] == 0, -np.inf, mm * L - g1))
                q[geo] = np.where(rising, mm - _special.truncated_geometric_mean(dn, mm),
                                  _special.truncated_geometric_mean(up, mm))
            tail[geo] = 1.0
        imp = ~patient & ~infinite & ~zero_m
        if imp.any():
            idx = np.flatnonzero(imp)
            log_s_rel[idx], ref[idx], lw[idx], lt[idx], q[idx], tail[idx] = _finite_impatient(
                rho[idx], omr[idx], eps[idx], a[idx], x[idx], m[idx])
        log_s = log_s_rel + ref
        with np.errstate(invalid="ignore"):
            r_z = log_z - log_s                    # log(Z/S_m)
        l1 = np.logaddexp(0.0, r_z)                # log(total/S_m)
        return dict(shape=shape, log_s=log_s, log_s_rel=log_s_rel, ref=ref, r_z=r_z, l1=l1, lw=lw,
                    lt=lt, q=q, tail=tail)

    def _get(self, arr):
        return _validate.scalar(arr.reshape(self._parts["shape"]))

    def _share(self, key):
        """log of (the queue part named ``key``)/(total weight)."""
        p = self._parts
        return np.where(self._lam.ravel() == 0, -np.inf, p[key] - p["l1"])

    # -- quantities ---------------------------------------------------------
    @property
    def log_blocking(self):
        return self._get(self._share("lt"))

    @property
    def blocking(self):
        return self._get(np.exp(self._share("lt")))

    @property
    def p_wait(self):
        return self._get(np.exp(self._share("lw")))

    def _mean_queue(self):
        p = self._parts
        return np.where(self._lam.ravel() == 0, 0.0, p["q"] * np.exp(-p["l1"]))

    @property
    def mean_queue(self):
        return self._get(self._mean_queue())

    @property
    def p_abandon(self):
        lam = self._lam.ravel()
        with np.errstate(invalid="ignore", divide="ignore"):
            pa = self._theta.ravel() * self._mean_queue() / lam
        return self._get(np.where(lam == 0, 0.0, pa))

    def _busy(self):
        p = self._parts
        c = self._c.ravel()
        with np.errstate(invalid="ignore", over="ignore"):
            # (c (S_m - 1) + A Z)/total: both terms >= 0 (A Z >= c), nothing cancels.
            busy = (c * -np.expm1(-p["log_s"]) * np.exp(-p["l1"])
                    + self._a.ravel() * np.exp(p["r_z"] - p["l1"]))
        return np.where(self._lam.ravel() == 0, 0.0, np.minimum(busy, c))

    @property
    def throughput(self):
        return self._get(self._mu.ravel() * self._busy())

    @property
    def utilization(self):
        return self._get(self._busy() / self._c.ravel())

    @property
    def mean_in_system(self):
        return self._get(self._busy() + self._mean_queue())

    @property
    def mean_wait(self):
        lam = self._lam.ravel()
        with np.errstate(invalid="ignore", divide="ignore"):
            wq = self._mean_queue() / (lam * -np.expm1(self._share("lt")))
        return self._get(np.where(lam == 0, 0.0, wq))

    def service_level(self, target_time):
        r"""Share of arrivals admitted that reach a server within ``target_time``.

        Refused and abandoning customers count as not served in time; at
        :math:`\theta = 0` without a capacity this is
        :meth:`queuemath.MMc.service_level`.  See the class Notes.

        Parameters
        ----------
        target_time : array_like
            t, at least 0, broadcast against the model's parameters; ``inf``
            gives the share of arrivals ever served. [s]

        Returns
        -------
        float or ndarray
        """
        t = _validate._as_float_array("target_time", target_time)
        bad = np.isnan(t) | (t < 0)
        if np.any(bad):
            _validate._first_bad("target_time", t, bad, "a number >= 0 (inf allowed)")
        shape = np.broadcast_shapes(self._parts["shape"], t.shape)
        t = np.broadcast_to(t, shape).ravel()
        params = [np.broadcast_to(v, shape).ravel() for v in
                  (self._rho, self._omr, self._eps, self._a_pat, self._x, self._theta,
                   self._cmu, self._lam, self._k - self._c)]
        rho, omr, eps, a, x, theta, cmu, lam, m = params
        p = {k: np.broadcast_to(v.reshape(self._parts["shape"]), shape).ravel()
             for k, v in self._parts.items() if k != "shape"}
        n = t.size
        log_qs = np.full(n, -np.inf)    # log(sum_{j<m} t_j P(served within t) / S_m)
        cut = p["tail"] > 1e-17
        patient = eps == 0
        active = (lam > 0) & (t > 0)
        closed = active & ~cut & ~patient
        if closed.any():
            k = closed
            log_qs[k] = _ia.served_within(rho[k], omr[k], eps[k], a[k], x[k], theta[k],
                                          cmu[k], lam[k], t[k], p["ref"][k]) - p["log_s_rel"][k]
        mmc = active & ~cut & patient
        if mmc.any():
            k = mmc
            # M/M/c: (1 - e^{-(c mu - lam) t}) / (1 - rho), over S = 1/(1 - rho)
            log_qs[k] = np.log(-np.expm1(-cmu[k] * t[k] * omr[k]))
        for i in np.flatnonzero(active & cut):
            log_qs[i] = _windowed_service(rho[i], omr[i], eps[i], a[i], m[i], theta[i],
                                          cmu[i], t[i])
        with np.errstate(divide="ignore", invalid="ignore"):
            # (Z + served)/total with every weight taken relative to S_m
            sl = np.exp(np.logaddexp(p["r_z"], log_qs) - p["l1"])
        sl = np.where(lam == 0, 1.0, np.minimum(sl, 1.0))
        return _validate.scalar(sl.reshape(shape))


def _windowed_service(rho, omr, eps, a, m, theta, cmu, t):
    """log(sum_{j<m} t_j P(served within t | j waiting ahead) / S_m), one
    point, from one window over 0..m (the state m arrival is refused)."""
    if m == 0:
        return -np.inf

    def terms(cut):
        j, lw, _ = _ia.window(rho, omr, eps, a, m, cut)
        if eps == 0:
            g = special.gammainc(j + 1, cmu * t)
        else:
            g = a / (a + j + 1) * special.betainc(j + 1, a + 1, -np.expm1(-theta * t))
        g = np.where(j < m, g, 0.0)
        with np.errstate(divide="ignore"):
            return lw, lw + np.log(g)
    lw, lwg = terms(_ia.TAIL_CUT)
    # The chance of being served in time falls with the queue ahead, so the
    # terms peak below the mode of the weights when it is small: widen the
    # window until every state whose term could matter is in (g <= 1, so a
    # weight e^-60 below the largest term is negligible).
    reach = lwg.max() + _ia.TAIL_CUT
    if reach < _ia.TAIL_CUT:
        lw, lwg = terms(reach)
    top = lwg.max()
    with np.errstate(divide="ignore"):
        return top + np.log(np.exp(lwg - top).sum()) - np.log(np.exp(lw).sum())


def _finite_impatient(rho, omr, eps, a, x, m):
    """(log S_m - ref, ref, log(W/S_m), log(t_m/S_m), D_m/S_m, cut-off share)
    for 0 < m < inf and theta > 0: the unbounded sums less their tail beyond
    m where that tail is at most half (and carries at most 0.9 of the mean),
    otherwise the window sum (ref 0)."""
    ls_rel, ref, qq = _ia.upper(rho, omr, eps, a, x)
    ls = ls_rel + ref
    lt = _ia.log_t(rho, omr, eps, a, m)
    r1, o1, e1, a1 = _ia.shifted(rho, omr, eps, a, m + 1)
    ls1_rel, ref1, q1 = _ia.upper(r1, o1, e1, a1, x)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        log_tail = _ia.log_t(rho, omr, eps, a, m + 1) + ls1_rel + ref1
        frac = np.exp(log_tail - ls)
        share = np.where(qq > 0, frac * (m + 1 + q1) / qq, 0.0)
        cut = np.exp(np.logaddexp(lt, log_tail) - ls)
        ls_m = ls_rel + np.log1p(-frac)
        q_m = np.where(frac > 0, (qq - frac * (m + 1 + q1)) / (1 - frac), qq)
        lt_m = lt - (ls_m + ref)
        lw_m = np.log1p(-np.exp(lt_m))
    easy = (frac <= 0.5) & (share <= 0.9) | (frac < 1e-17)
    for i in np.flatnonzero(~easy):
        ls_m[i], lw_m[i], lt_m[i], q_m[i] = _ia.window_sums(rho[i], omr[i], eps[i], a[i], m[i])
        ref[i] = 0.0
    return ls_m, ref, lw_m, lt_m, q_m, cut
