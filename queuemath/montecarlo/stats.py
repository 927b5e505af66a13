"""Output analysis: warm-up from the data, intervals over replications, and
the result types.

Every replication is a series of batches.  The warm-up cut is the MSER rule
(White 1997; White, Cobb & Spratt 2000) applied to the batch series averaged
over the replications: the cut d that minimises the squared standard error
of the mean of what is kept, sum_{j>d} (Y_j - mean_d)^2 / (n - d)^2, searched
over the first half of the run (a minimum at that limit means the transient
is not over); it is taken where the independent replications confirm that
the part it discards differs from the rest (paired t beyond ``CUT_T``).
Every quantity is a ratio of two tallies; its estimate is the pooled ratio
over the kept batches of all replications, with a delta-method Student-t
interval over the independent replications, widened where the symmetric
bootstrap-t (Hall 1988) says the replications' skewness needs it.  Checks
guard it: the mean
change between the two halves of the kept batches (a drift that the
interval would hide), the share of a replication's length its batches stay
correlated over, and Cochran's rule (enough replications for the skewness
of their values, which is large for queue lengths near saturation).

References
----------
.. [1] K. P. White Jr., "An effective truncation heuristic for bias
   reduction in simulation output", Simulation 69(6), 323-334, 1997.
   https://doi.org/10.1177/003754979706900601
.. [2] K. P. White Jr., M. J. Cobb, S. C. Spratt, "A comparison of five
   steady-state truncation heuristics for simulation", Proc. Winter
   Simulation Conference, 755-760, 2000.
   https://doi.org/10.1109/WSC.2000.899870
.. [3] K. Hoad, S. Robinson, R. Davies, "Automating warm-up length
   estimation", J. Operational Research Society 61(9), 1389-1403, 2010.
   https://doi.org/10.1057/jors.2009.87
.. [4] A. M. Law, *Simulation Modeling and Analysis*, 5th ed., McGraw-Hill,
   2015, sec. 9.5.3 (ratio estimators) and 9.5.1 (MSER).
.. [5] W. G. Cochran, *Sampling Techniques*, 3rd ed., Wiley, 1977, sec. 2.15
   (n > 25 G1^2 for a near-normal mean); R. A. Sugden, T. M. F. Smith,
   R. P. Jones, "Cochran's rule for simple random sampling", JRSS B 62(4),
   787-793, 2000 (n > 28 + 25 G1^2). https://doi.org/10.1111/1467-9868.00264
.. [6] P. Hall, "On symmetric bootstrap confidence intervals", JRSS B 50(1),
   35-45, 1988 (two-sided coverage error O(n^-2) against the t interval's
   O(n^-1)). https://doi.org/10.1111/j.2517-6161.1988.tb01711.x
.. [7] D. N. Joanes, C. A. Gill, "Comparing measures of sample skewness and
   kurtosis", J. Royal Statistical Society D 47(1), 183-189, 1998 (the
   standard error of the sample skewness).
   https://doi.org/10.1111/1467-9884.00122
"""
from dataclasses import dataclass
import math

import numpy as np

__all__ = ["ESTIMATORS", "RATIOS", "SHARES", "wait_name", "WAIT_PREFIX", "Estimate",
           "SimulationResult", "CrossCheck", "SimulationWarning", "estimate", "ratio_estimate",
           "mser", "analyse"]


class SimulationWarning(UserWarning):
    """A simulation's numbers need care: budget spent short of the precision
    asked, replications too short for the model, or too few events.

    See Also
    --------
    SimulationResult : Its ``troubles`` and ``shortfall`` repeat the warnings.

    References
    ----------
    .. [1] W. Whitt, "Planning queueing simulations," Management Science 35,
       1989, 1341-1366.  doi:10.1287/mnsc.35.11.1341
    .. [2] K. P. White, "An effective truncation heuristic for bias reduction
       in simulation output," Simulation 69, 1997, 323-334 (MSER).
    .. [3] P. Hall, "Theoretical comparison of bootstrap confidence intervals,"
       Annals of Statistics 16, 1988, 927-953.  doi:10.1214/aos/1176350933

    Examples
    --------
    A budget too small for the precision asked is spent and said so:

    >>> import warnings
    >>> import queuemath as qm
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     r = qm.simulate(qm.MM1K(0.9, 1.0, 20), rel_precision=1e-4,
    ...                     max_arrivals=200_000, seed=1)
    >>> any(issubclass(w.category, SimulationWarning) for w in caught), r.shortfall != ()
    (True, True)
    """


#: Every quantity is a ratio of two tallies (see
#: :mod:`queuemath.montecarlo.engine`): {quantity: (numerator, denominator)},
#: each a function of the tallies ``d`` and the servers ``c``.
RATIOS = {
    "blocking": (lambda d, c: d["blocked"], lambda d, c: d["counted"]),
    "p_wait": (lambda d, c: d["waited"], lambda d, c: d["counted"]),
    "p_abandon": (lambda d, c: d["abandoned"], lambda d, c: d["counted"]),
    # customers who leave served: those admitted less those who abandon
    "throughput": (lambda d, c: d["admitted"] - d["abandoned"], lambda d, c: d["window"]),
    "utilization": (lambda d, c: d["area_busy"], lambda d, c: c * d["window"]),
    "mean_in_system": (lambda d, c: d["area_n"], lambda d, c: d["window"]),
    "mean_queue": (lambda d, c: d["area_q"], lambda d, c: d["window"]),
    "mean_wait": (lambda d, c: d["wait_sum"], lambda d, c: d["served"]),
    "mean_response_time": (lambda d, c: d["response_sum"], lambda d, c: d["served"]),
    "time_congestion": (lambda d, c: d["area_full"], lambda d, c: d["window"]),
    "carried_load": (lambda d, c: d["area_busy"], lambda d, c: d["window"]),
    # retrials: per customer (first attempt), and the orbit's time average
    "customer_loss": (lambda d, c: d["lost"], lambda d, c: d["primary"]),
    "mean_attempts": (lambda d, c: d["counted"], lambda d, c: d["primary"]),
    "mean_orbit": (lambda d, c: d["area_orbit"], lambda d, c: d["window"]),
}


def _ratio(num, den):
    return lambda d, c: num(d, c) / den(d, c)


#: How each quantity is estimated from tallies summed over batches and
#: replications: ``ESTIMATORS[q](d, c)`` is numerator / denominator.
ESTIMATORS = {q: _ratio(*nd) for q, nd in RATIOS.items()}

#: The waiting-time law at a time t is estimated beside the quantities as
#: ``wait_cdf(t)``: the tally of that name (each admitted customer's chance,
#: or indicator, of a wait of at most t) over ``wait_base`` (the customers
#: whose waits are counted).
WAIT_PREFIX = "wait_cdf("


def wait_name(t):
    """The name of the estimate of P(W <= t): ``wait_cdf(0.731)``."""
    return f"{WAIT_PREFIX}{float(t):.6g})"


def _parts(q):
    if q.startswith(WAIT_PREFIX):
        return (lambda d, c: d[q]), (lambda d, c: d["wait_base"])
    if q in RATIOS:
        return RATIOS[q]
    # a row an engine tallies itself (a network's ``utilization[2]``)
    return (lambda d, c: d[q + " num"]), (lambda d, c: d[q + " den"])


def is_share(q):
    """A quantity in [0, 1] (a network row shares its base name's kind)."""
    return q.split("[", 1)[0] in SHARES


def _estimator(q):
    return _ratio(*_parts(q))


#: Quantities that are shares, in [0, 1]: when none of the events they count
#: is seen, a bounded variable still has an honest upper confidence bound.
SHARES = frozenset({"blocking", "p_wait", "p_abandon", "utilization", "time_congestion",
                    "customer_loss"})

#: Fewer replications than this that saw the event at all: the t interval of
#: a share is marked unreliable (its replications' values are mostly 0).
FEW = 5


@dataclass(frozen=True)
class Estimate:
    """A simulated quantity: mean over replications and its interval.

    ``status`` is "ok" (a Student-t interval), "upper bound" (no event seen:
    ``high`` is a one-sided upper confidence bound, ``low`` 0), "few events"
    (a t interval from fewer than 5 replications that saw the event; treat
    with care), or "undefined" (no interval can be computed; ``note`` says
    why).  ``note`` explains anything but "ok".

    See Also
    --------
    SimulationResult : Holds one per quantity.
    queuemath.tcp.StormSimulation.interval : A storm's estimates.

    References
    ----------
    .. [1] W. Whitt, "Planning queueing simulations," Management Science 35,
       1989, 1341-1366.  doi:10.1287/mnsc.35.11.1341
    .. [2] K. P. White, "An effective truncation heuristic for bias reduction
       in simulation output," Simulation 69, 1997, 323-334 (MSER).
    .. [3] P. Hall, "Theoretical comparison of bootstrap confidence intervals,"
       Annals of Statistics 16, 1988, 927-953.  doi:10.1214/aos/1176350933

    Examples
    --------
    >>> import queuemath as qm
    >>> est = qm.simulate(qm.MM1K(0.5, 1.0, 4), rel_precision=0.05, seed=3).blocking
    >>> est.low < est.mean < est.high, est.status
    (True, 'ok')
    >>> est.half_width <= 0.05 * est.mean
    True
    """

    mean: float
    low: float
    high: float
    half_width: float
    status: str = "ok"
    note: str = ""

    def covers(self, value):
        """Whether ``value`` lies in [low, high].

        Examples
        --------
        >>> import queuemath as qm
        >>> q = qm.MM1K(0.5, 1.0, 4)
        >>> est = qm.simulate(q, rel_precision=0.05, seed=3).blocking
        >>> est.covers(q.blocking)
        True
        """
        return bool(self.low <= value <= self.high)

    def __repr__(self):
        extra = f", status={self.status!r}" if self.status != "ok" else ""
        return (f"Estimate(mean={self.mean:.6g}, low={self.low:.6g}, high={self.high:.6g}"
                f"{extra})")

    def text(self):
        """``mean [low, high]``, or what stands in for it.

        Examples
        --------
        >>> import queuemath as qm
        >>> est = qm.simulate(qm.MM1K(0.5, 1.0, 4), rel_precision=0.05, seed=3).blocking
        >>> est.text().startswith(f'{est.mean:.6g}')
        True
        """
        if self.status == "upper bound":
            return f"none seen; < {self.high:.3g}"
        if self.status == "undefined":
            return f"{self.mean:.6g}  (no interval: {self.note})"
        tail = "  (few events)" if self.status == "few events" else ""
        return f"{self.mean:.6g}  [{self.low:.6g}, {self.high:.6g}]{tail}"


def _t_quantile(confidence, dof):
    from scipy.special import stdtrit     # Student's t quantile, without scipy.stats
    return float(stdtrit(dof, 0.5 + confidence / 2))


def estimate(per_replication, confidence, share=False):
    """Interval for the mean of independent replication values.

    The replications are independent and (after warm-up) identically
    distributed, so their mean has a t distribution with R-1 degrees of
    freedom to the extent the per-replication values are near normal (each
    is itself an average over many relaxation times).  A share whose event
    was never seen gets the exact one-sided bound for a variable in [0, 1]:
    if its mean were above 1 - alpha^(1/R), R replications would all be 0
    with probability below alpha.  A zero-width interval is never returned.
    """
    x = np.asarray(per_replication, dtype=float)
    r = x.size
    alpha = 1.0 - confidence
    if r < 2:
        return Estimate(float(x.mean()) if r else math.nan, -math.inf, math.inf, math.inf,
                        "undefined", "one replication has no spread")
    if not np.isfinite(x).all():
        bad = int((~np.isfinite(x)).sum())
        return Estimate(math.nan, -math.inf, math.inf, math.inf, "undefined",
                        f"undefined in {bad} of {r} replications (nothing to average)")
    mean = float(x.mean())
    if share and not x.any():
        bound = float(-math.expm1(math.log(alpha) / r))
        return Estimate(0.0, 0.0, bound, bound, "upper bound",
                        f"not seen in {r} replications; one-sided {confidence:.0%} upper "
                        "bound")
    return _t_interval(mean, float(x.std(ddof=1)) / math.sqrt(r), r, confidence, share,
                       int(np.count_nonzero(x)))


#: The symmetric bootstrap-t critical value: resamples, and the range of
#: replication counts it is used for.  Below MIN_BOOTSTRAP the bootstrap
#: itself is unreliable; above MAX_BOOTSTRAP the t interval's O(1/R) error
#: is below 0.1 point for skewness up to 2, and resampling would cost more
#: than it corrects.
RESAMPLES, MIN_BOOTSTRAP, MAX_BOOTSTRAP = 2000, 10, 1000


def resample_weights(r, data):
    """(RESAMPLES, r) multinomial weights, each row a resample of r
    replications, seeded from ``data`` (bytes): the same replications always
    give the same interval, whatever the executor."""
    import hashlib
    digest = hashlib.blake2b(data, digest_size=16).digest()
    rng = np.random.default_rng(int.from_bytes(digest, "little"))
    idx = rng.integers(0, r, size=(RESAMPLES, r))
    idx += np.arange(RESAMPLES)[:, None] * r
    return np.bincount(idx.ravel(), minlength=RESAMPLES * r).reshape(RESAMPLES, r).astype(float)


def _bootstrap_t(y, x, confidence, weights):
    """Symmetric bootstrap-t critical value for the pooled ratio sum y / sum x
    (Hall 1988): the ``confidence`` quantile of |R* - R| / se* over the
    resamples ``weights``, each with its own delta-method standard error.
    It corrects the t interval's O(1/R) coverage error from the skewness
    and kurtosis of the replications' values (a t interval at Cochran's
    count still falls about a point short), to O(1/R^2)."""
    n = y.size
    ratio = y.sum() / x.sum()
    z = y - ratio * x          # centred: the resampled sums below keep their digits
    sx = weights @ x
    d = (weights @ z) / sx                     # R* - R
    ss = weights @ (z * z) - 2.0 * d * (weights @ (z * x)) + d * d * (weights @ (x * x))
    with np.errstate(divide="ignore", invalid="ignore"):
        se = np.sqrt(np.maximum(ss, 0.0) / (n - 1)) / (math.sqrt(n) * sx / n)
        t = np.abs(d) / se
    t = t[~np.isnan(t)]                        # a resample of one repeated value
    return float(np.quantile(t, confidence)) if t.size else math.inf


def _t_interval(center, se, r, confidence, share, seen, crit=None):
    """Student-t interval with R - 1 degrees of freedom around ``center``
    (or ``crit`` standard errors, if wider); never of zero width; a share is
    clipped to [0, 1] and marked when seen in fewer than FEW replications."""
    if se == 0.0:
        return Estimate(center, -math.inf, math.inf, math.inf, "undefined",
                        f"the same value in all {r} replications")
    hw = float(max(_t_quantile(confidence, r - 1), crit or 0.0) * se)
    low, high = center - hw, center + hw
    status, note = "ok", ""
    if share:
        low, high = max(low, 0.0), min(high, 1.0)
        if seen < FEW:
            status, note = "few events", f"seen in only {seen} of {r} replications"
    return Estimate(center, low, high, hw, status, note)


def ratio_estimate(numerators, denominators, confidence, share=False, weights=None):
    """Interval for a ratio of expectations E[Y]/E[X] from independent
    replications (Y_i, X_i): the pooled ratio sum Y / sum X, whose bias is
    O(1/(R n)) where the mean of the replications' own ratios has O(1/n),
    with the delta-method standard error sd(Y_i - r X_i)/(sqrt(R) mean X)
    (the classical ratio estimator; Law 2015, sec. 9.5.3).  Between
    MIN_BOOTSTRAP and MAX_BOOTSTRAP replications the interval is the wider
    of Student's t and the symmetric bootstrap-t (:func:`_bootstrap_t`,
    resamples ``weights`` from :func:`resample_weights`, by default seeded
    from the data).  Shares never seen, or seen in few replications, are
    treated as in :func:`estimate`.
    """
    y = np.asarray(numerators, dtype=float)
    x = np.asarray(denominators, dtype=float)
    r = y.size
    if r < 2 or not (np.isfinite(y).all() and np.isfinite(x).all()) or x.sum() <= 0:
        with np.errstate(divide="ignore", invalid="ignore"):
            return estimate(y / x, confidence, share)
    if share and not y.any():
        with np.errstate(divide="ignore", invalid="ignore"):
            return estimate(np.zeros(r), confidence, share)
    ratio = float(y.sum() / x.sum())
    z = y - ratio * x
    se = float(z.std(ddof=1)) / (math.sqrt(r) * float(x.mean()))
    seen = int(np.count_nonzero(y))
    crit = None
    if MIN_BOOTSTRAP <= r <= MAX_BOOTSTRAP and se > 0 and not (share and seen < FEW):
        if weights is None:
            weights = resample_weights(r, y.tobytes() + x.tobytes())
        crit = _bootstrap_t(y, x, confidence, weights)
    return _t_interval(ratio, se, r, confidence, share, seen, crit)


def mser(series):
    """MSER cut of a series: the d in [0, n/2] minimising
    sum_{j >= d} (y_j - mean(y[d:]))^2 / (n - d)^2 (White 1997)."""
    y = np.asarray(series, dtype=float)
    n = y.size
    y = y - y.mean()                        # centred: no cancellation below
    s1 = np.cumsum(y[::-1])[::-1]
    s2 = np.cumsum((y * y)[::-1])[::-1]
    m = n - np.arange(n)
    stat = (s2 - s1 * s1 / m) / (m * m)
    return int(np.argmin(stat[: n // 2 + 1]))


@dataclass(frozen=True)
class Analysis:
    """What :func:`analyse` found."""

    estimates: dict
    per_replication: dict
    cut: int                 # batches discarded at the start of every replication
    cut_at_limit: bool       # the MSER minimum sat at the half-run limit
    drift: dict              # {quantity: t statistic of the second half less the first}
    correlated: dict         # {quantity: batches a replication's batches stay correlated over}
    batches: int
    skew: dict = None        # {quantity: skewness of the replications' linearised values}


#: Cochran's rule as refined by Sugden, Smith & Jones (2000): the mean of n
#: values is near enough normal for a t interval when n > 28 + 25 G1^2, G1
#: their skewness (Cochran 1977, sec. 2.15).
COCHRAN = 25.0
COCHRAN_BASE = 28


def skewness_se(n):
    """Standard error of the sample skewness of n normal values, as
    statistics packages report it (that of the adjusted G1; Joanes & Gill
    1998): 0.51 at n = 20, slightly above that of the g1 used here."""
    return math.sqrt(6.0 * n * (n - 1) / ((n - 2) * (n + 1) * (n + 3))) if n > 2 else math.inf


def replications_needed(analysis, names=None, margin=0.0):
    """Replications Cochran's rule asks for, over ``names`` (default all),
    at the sample skewness plus ``margin`` of its standard errors.

    A pilot of 20 replications of a heavy-tailed queue length mostly misses
    the rare long excursions that make it skewed: its sample skewness is
    biased low, and a stage sized from it is too small exactly when the
    stage, drawn from the same law, needs the most replications (measured:
    M/M/1/1000 at load 0.975, skewness 2.0 over all runs, pilots' median
    1.3; coverage 0.915 sized at the point estimate, 0.939 one standard
    error above it, for 22 % more replications)."""
    skew = analysis.skew or {}
    g = [abs(skew[q]) for q in (names or skew) if q in skew]
    if not g:
        return 0
    n = next(iter(analysis.per_replication.values())).size
    top = max(g) + margin * skewness_se(n) if margin else max(g)
    return COCHRAN_BASE + math.ceil(COCHRAN * top ** 2)


#: A drift t statistic beyond this is flagged (two-sided p ~ 1e-4 at 20 dof).
DRIFT_T = 4.8


def _ratios(tallies, names, servers, lo, hi):
    kept = {k: v[:, lo:hi].sum(axis=1) for k, v in tallies.items()}
    with np.errstate(divide="ignore", invalid="ignore"):
        return {q: np.asarray(_estimator(q)(kept, servers), dtype=float) for q in names}


#: MSER's cut is taken only where the replications show that what it would
#: discard differs from the rest: a paired t statistic beyond this (two-sided
#: p ~ 0.007 at 20 replications).  MSER alone, on stationary output, cuts
#: at chance excursions and biases what is left.
CUT_T = 3.0


def analyse(tallies, names, servers, confidence, cut=None, floor=0, riders=()):
    """Warm-up cut, estimates and checks from per-batch tallies
    ({tally: array (replications, batches)}); ``cut`` (batches) fixes the
    warm-up instead of MSER; ``floor`` (batches) is discarded in any case
    (a start far from the stationary law).  ``riders`` (``wait_cdf(t)``
    names) are estimated from the same batches but take no part in the cut
    or the checks, so that asking for them changes no other number."""
    reps, nb = tallies["counted"].shape
    at_limit = False
    if cut is None:
        ens = {k: v.sum(axis=0)[None, :] for k, v in tallies.items()}
        cut = floor
        with np.errstate(divide="ignore", invalid="ignore"):
            for q in names:
                y = np.asarray(_estimator(q)(ens, servers), dtype=float)[0][floor:]
                if not (np.isfinite(y).all() and np.ptp(y) > 0):
                    continue
                d = floor + mser(y)
                if d <= cut:
                    continue
                diff = (_ratios(tallies, [q], servers, floor, d)[q]
                        - _ratios(tallies, [q], servers, d, nb)[q])
                sd = diff.std(ddof=1) if np.isfinite(diff).all() else 0.0
                if sd > 0 and abs(diff.mean()) > CUT_T * sd / math.sqrt(reps):
                    at_limit |= d >= floor + (nb - floor) // 2 - 1
                    cut = d
    cut = int(min(cut, nb - 2))
    kept = {k: v[:, cut:].sum(axis=1) for k, v in tallies.items()}
    half = cut + (nb - cut) // 2
    first = _ratios(tallies, names, servers, cut, half)
    second = _ratios(tallies, names, servers, half, nb)
    est, per, drift, corr, skew = {}, {}, {}, {}, {}
    n_kept = nb - cut
    # one set of resamples for every quantity: they share the replications
    own = sorted(k for k in kept if not k.startswith(WAIT_PREFIX) and k != "wait_base")
    weights = (resample_weights(reps, b"".join(kept[k].tobytes() for k in own))
               if MIN_BOOTSTRAP <= reps <= MAX_BOOTSTRAP else None)
    for q in names:
        num, den = _parts(q)
        y, x = num(kept, servers), den(kept, servers)
        with np.errstate(divide="ignore", invalid="ignore"):
            per[q] = np.asarray(y / x, dtype=float)
            batch = num(tallies, servers)[:, cut:] / den(tallies, servers)[:, cut:]
        est[q] = ratio_estimate(y, x, confidence, is_share(q), weights)
        if est[q].status == "ok" and x.sum() > 0:
            z = y - (y.sum() / x.sum()) * x
            m2 = float(np.mean((z - z.mean()) ** 2))
            if m2 > 0:
                skew[q] = float(np.mean((z - z.mean()) ** 3) / m2 ** 1.5)
        diff = second[q] - first[q]
        if np.isfinite(diff).all() and diff.std(ddof=1) > 0:
            drift[q] = float(diff.mean() / (diff.std(ddof=1) / math.sqrt(reps)))
        if np.isfinite(batch).all():
            within = float(batch.var(axis=1, ddof=1).mean())
            if within > 0:
                # batches the replication mean's variance is worth: 1 for
                # independent batches, more when neighbours correlate
                corr[q] = float(n_kept * batch.mean(axis=1).var(ddof=1) / within)
    for q in riders:
        num, den = _parts(q)
        y, x = num(kept, servers), den(kept, servers)
        with np.errstate(divide="ignore", invalid="ignore"):
            per[q] = np.asarray(y / x, dtype=float)
        est[q] = ratio_estimate(y, x, confidence, q.startswith(WAIT_PREFIX) or is_share(q),
                                weights)
    return Analysis(est, per, cut, bool(at_limit), drift, corr, nb, skew)


def troubles(analysis):
    """{kind: sentence} on what makes an analysis doubtful (empty when
    sound): "warmup", "drift", "correlated" (replications too short: make
    them longer), "skew" (too few replications for their skewness)."""
    out = {}
    if analysis.cut_at_limit:
        out["warmup"] = ("the warm-up (MSER) reached half of each replication: the initial "
                         "transient may not be over")
    drifting = [q for q, t in analysis.drift.items() if abs(t) > DRIFT_T]
    if drifting:
        out["drift"] = (f"the replications drift between the halves of their measured part "
                        f"({', '.join(drifting)})")
    kept = analysis.batches - analysis.cut
    slow = [q for q, g in analysis.correlated.items() if g > kept / 5]
    if slow:
        out["correlated"] = (f"batches stay correlated over more than a fifth of a "
                             f"replication ({', '.join(slow)})")
    reps = next(iter(analysis.per_replication.values())).size if analysis.per_replication else 0
    # plain Cochran here: a fixed budget is warned of where skew, not the
    # refinement's base of 28, asks for more
    need = replications_needed(analysis) - COCHRAN_BASE
    if reps and need > reps:
        worst = max(analysis.skew, key=lambda q: abs(analysis.skew[q]))
        out["skew"] = (f"the replications' values are skewed ({worst}: "
                       f"{analysis.skew[worst]:.2g}); a t interval needs {need} replications "
                       f"(Cochran's rule), not {reps}")
    return out


class SimulationResult:
    """Estimates of every quantity of a simulated model.

    Each quantity is an attribute (``result.blocking``, ...) holding an
    :class:`~queuemath.montecarlo.Estimate`.  ``arrivals``: arrivals measured (after warm-up);
    ``replications``, ``confidence``; ``warmup``: arrivals discarded at the
    start of each replication (the MSER cut, on average);
    ``relaxation_time`` of the model, from which the replications' length
    was chosen; ``shortfall``: the quantities whose interval is wider than
    ``rel_precision`` asked (empty when every target was met, or none was
    set); ``troubles``: sentences on anything that makes the intervals
    doubtful (empty when the checks pass); ``per_replication``
    ({quantity: each replication's own ratio}) and ``batches`` ({tally:
    array (replications, batches)}) for diagnostics.  ``to_dict()`` gives a
    plain table, ``to_pandas()`` a DataFrame, and Jupyter shows an HTML
    table.

    See Also
    --------
    queuemath.simulate : Returns it.
    CrossCheck : The same beside a model's closed forms.

    References
    ----------
    .. [1] W. Whitt, "Planning queueing simulations," Management Science 35,
       1989, 1341-1366.  doi:10.1287/mnsc.35.11.1341
    .. [2] K. P. White, "An effective truncation heuristic for bias reduction
       in simulation output," Simulation 69, 1997, 323-334 (MSER).
    .. [3] P. Hall, "Theoretical comparison of bootstrap confidence intervals,"
       Annals of Statistics 16, 1988, 927-953.  doi:10.1214/aos/1176350933

    Examples
    --------
    >>> import queuemath as qm
    >>> r = qm.simulate(qm.MMcK(3.0, 1.0, 4, 10), rel_precision=0.05, seed=3)
    >>> r.quantities[:3]
    ('blocking', 'p_wait', 'throughput')
    >>> r.shortfall, r.troubles
    ((), ())
    >>> list(r.to_pandas().columns)
    ['mean', 'low', 'high', 'half_width', 'status']
    """

    def __init__(self, estimates, arrivals, replications, warmup, confidence, model,
                 per_replication=None, *, relaxation_time=math.nan, rel_precision=None,
                 shortfall=(), troubles=(), batches=None):
        self._estimates = dict(estimates)
        self.per_replication = per_replication or {}
        self.arrivals = int(arrivals)
        self.replications = int(replications)
        self.warmup = int(warmup)
        self.confidence = float(confidence)
        self.model = model
        self.relaxation_time = float(relaxation_time)
        self.rel_precision = rel_precision
        self.shortfall = tuple(shortfall)
        self.troubles = tuple(troubles)
        self.batches = batches or {}
        for name, est in self._estimates.items():
            setattr(self, name, est)

    @property
    def quantities(self):
        """The quantities estimated, in the model's order.

        Examples
        --------
        >>> import queuemath as qm
        >>> qm.simulate(qm.MM1K(0.5, 1.0, 4), rel_precision=0.05, seed=3).quantities[:3]
        ('blocking', 'p_wait', 'throughput')
        """
        return tuple(self._estimates)

    def to_dict(self):
        """{quantity: {mean, low, high, half_width, status}}.

        Examples
        --------
        >>> import queuemath as qm
        >>> r = qm.simulate(qm.MM1K(0.5, 1.0, 4), rel_precision=0.05, seed=3)
        >>> sorted(r.to_dict()['blocking'])
        ['half_width', 'high', 'low', 'mean', 'status']
        """
        return {k: dict(mean=e.mean, low=e.low, high=e.high, half_width=e.half_width,
                        status=e.status)
                for k, e in self._estimates.items()}

    def to_pandas(self):
        """The table as a DataFrame: one row per quantity, columns ``mean``,
        ``low``, ``high``, ``half_width``, ``status``.

        Examples
        --------
        >>> import queuemath as qm
        >>> r = qm.simulate(qm.MM1K(0.5, 1.0, 4), rel_precision=0.05, seed=3)
        >>> r.to_pandas().index.tolist()[:3]
        ['blocking', 'p_wait', 'throughput']
        """
        import pandas as pd   # optional dependency
        return pd.DataFrame(self.to_dict()).T

    def _notes(self):
        notes = []
        if self.shortfall:
            notes.append(f"short of the {self.rel_precision:g} relative precision asked: "
                         f"{', '.join(self.shortfall)}")
        notes.extend(self.troubles)
        notes.extend(f"{k}: {e.note}" for k, e in self._estimates.items() if e.note)
        return notes

    def _head(self):
        return (f"{self.model!r}: {self.arrivals} arrivals, {self.replications} "
                f"replications, warm-up {self.warmup} arrivals each, "
                f"{self.confidence:.0%} intervals")

    def __repr__(self):
        lines = [f"SimulationResult({self._head()})"]
        for k, e in self._estimates.items():
            lines.append(f"  {k:20s} {e.text()}")
        lines.extend(f"  note: {n}" for n in self._notes())
        return "\n".join(lines)

    def _repr_html_(self):
        import html
        rows = "".join(
            f"<tr><td>{k}</td><td>{e.mean:.6g}</td><td>{e.low:.6g}</td><td>{e.high:.6g}</td>"
            f"<td>{html.escape(e.status)}</td></tr>" for k, e in self._estimates.items())
        notes = "".join(f"<li>{html.escape(n)}</li>" for n in self._notes())
        notes = f"<ul>{notes}</ul>" if notes else ""
        return (f"<p>{html.escape(self._head())}</p><table><tr><th>quantity</th><th>mean</th>"
                f"<th>low</th><th>high</th><th>status</th></tr>{rows}</table>{notes}")


class CrossCheck:
    """Closed form against simulation, one row per quantity.

    See Also
    --------
    queuemath.crosscheck : Returns it.
    SimulationResult : The simulation alone.

    References
    ----------
    .. [1] W. Whitt, "Planning queueing simulations," Management Science 35,
       1989, 1341-1366.  doi:10.1287/mnsc.35.11.1341
    .. [2] K. P. White, "An effective truncation heuristic for bias reduction
       in simulation output," Simulation 69, 1997, 323-334 (MSER).
    .. [3] P. Hall, "Theoretical comparison of bootstrap confidence intervals,"
       Annals of Statistics 16, 1988, 927-953.  doi:10.1214/aos/1176350933

    Examples
    --------
    >>> import queuemath as qm
    >>> cc = qm.crosscheck(qm.MM1K(0.8, 1.0, 6), rel_precision=0.05, seed=4)
    >>> cc.to_pandas().columns[:4].tolist()
    ['closed_form', 'estimate', 'low', 'high']
    """

    def __init__(self, rows, result):
        self.rows = rows
        self.result = result

    @property
    def all_covered(self):
        """Whether every interval holds the closed form's value.

        Examples
        --------
        >>> import queuemath as qm
        >>> qm.crosscheck(qm.MM1K(0.5, 1.0, 4), rel_precision=0.05, seed=3).all_covered
        True
        """
        return all(r["covered"] for r in self.rows)

    def to_dict(self):
        """{quantity: {closed_form, estimate, low, high, covered, status}}.

        Examples
        --------
        >>> import queuemath as qm
        >>> cc = qm.crosscheck(qm.MM1K(0.5, 1.0, 4), rel_precision=0.05, seed=3)
        >>> row = cc.to_dict()['blocking']
        >>> row['low'] <= row['estimate'] <= row['high']
        True
        """
        return {r["quantity"]: {k: v for k, v in r.items() if k != "quantity"} for r in self.rows}

    def to_pandas(self):
        """The table as a DataFrame indexed by quantity.

        Examples
        --------
        >>> import queuemath as qm
        >>> cc = qm.crosscheck(qm.MM1K(0.5, 1.0, 4), rel_precision=0.05, seed=3)
        >>> bool(cc.to_pandas().loc['blocking', 'closed_form'] == qm.MM1K(0.5, 1.0, 4).blocking)
        True
        """
        import pandas as pd
        return pd.DataFrame(self.rows).set_index("quantity")

    @property
    def _note(self):
        # An approximation's rows marked NO measure its error, not a fault.
        if getattr(self.result.model, "approximate", False):
            return ("the closed form is an approximation: a row marked NO measures its "
                    "error for the simulated law")
        return ""

    def _notes(self):
        return ([self._note] if self._note else []) + self.result._notes()

    def __repr__(self):
        head = (f"{'quantity':20s} {'closed form':>14s} {'simulated':>14s} {'interval':>31s}  "
                "covered")
        lines = ([self._note] if self._note else []) + [head]
        for r in self.rows:
            mark = "yes" if r["covered"] else "NO"
            if r["status"] != "ok":
                mark += f" ({r['status']})"
            lines.append(f"{r['quantity']:20s} {r['closed_form']:14.6g} {r['estimate']:14.6g} "
                         f"[{r['low']:13.6g}, {r['high']:13.6g}]  {mark}")
        lines.extend(f"note: {n}" for n in self.result._notes())
        return "\n".join(lines)

    def _repr_html_(self):
        import html
        rows = "".join(
            f"<tr><td>{r['quantity']}</td><td>{r['closed_form']:.6g}</td><td>{r['estimate']:.6g}"
            f"</td><td>[{r['low']:.6g}, {r['high']:.6g}]</td><td>{'yes' if r['covered'] else 'NO'}"
            f"</td><td>{html.escape(r['status'])}</td></tr>" for r in self.rows)
        notes = "".join(f"<li>{html.escape(n)}</li>" for n in self._notes())
        notes = f"<ul>{notes}</ul>" if notes else ""
        return (f"<table><tr><th>quantity</th><th>closed form</th><th>simulated</th>"
                f"<th>interval</th><th>covered</th><th>status</th></tr>{rows}</table>{notes}")
