r"""How long to simulate: the relaxation time of the model.

A queue started empty forgets its start, and its time averages settle, on
the scale of its relaxation time :math:`\tau`: for a birth-death chain the
inverse of the spectral gap of its generator, the slowest rate at which the
law of the state approaches the stationary one (Keilson 1979; for M/M/1,
:math:`\tau = 1/(\sqrt{\mu} - \sqrt{\lambda})^2`, which grows like
:math:`4/(\mu (1-\rho)^2)` as :math:`\rho \to 1`).  Whitt (1989) plans
queueing simulations on this scale: a run must be many relaxation times long
for its average to be near normal and its initial bias small.

Exponential models are birth-death chains and their gap is computed exactly
(a symmetric tridiagonal eigenvalue, on the states that carry all but
:math:`e^{-60}` of the stationary mass).  For general laws the gap of the
birth-death chain with the same mean rates is scaled by the heavy-traffic
factor :math:`(c_a^2 + c_s^2)/2` of Whitt (1989), at least 1; the run's own
data then check it (:mod:`queuemath.montecarlo`: warm-up by MSER, drift
test).

A network's chain is planned the same way when it has at most 2e4 states
(its own stationary law, from a sparse solve of its rates, starts each
replication); a larger one on the sum of its stations' relaxation times,
each station's birth-death chain at the traffic equations' rates, started
empty and judged by its data like the general engine.

The retrial queue's chain (number present, number in orbit) is not a
birth-death chain and need not be reversible, so it has no symmetric
spectrum to read a gap from.  Its time scale is the larger of the inverse real part of the non-zero
eigenvalue of its generator nearest 0 (sparse shift-and-invert Arnoldi: how
fast the start is forgotten) and the integrated autocorrelation times
:math:`\tau_f = \pi(\bar f h)/\pi(\bar f^2)` of the number present, the
orbit and a full station (:math:`\bar f = f - \pi f`, :math:`Qh = -\bar f`
the Poisson equation of the generator: what a time average's variance needs;
Asmussen & Glynn 2007), on the orbit truncation of the model's own kernel.

References
----------
.. [1] W. Whitt, "Planning queueing simulations", Management Science 35(11),
   1341-1366, 1989. https://doi.org/10.1287/mnsc.35.11.1341
.. [2] J. Keilson, *Markov Chain Models: Rarity and Exponentiality*,
   Springer, 1979, ch. 5 (spectral representation of birth-death chains).
.. [3] P. Morse, "Stochastic properties of waiting lines", Operations
   Research 3(3), 255-261, 1955 (the M/M/1 relaxation time).
.. [4] S. Asmussen, P. W. Glynn, "Stochastic Simulation: Algorithms and
   Analysis," Springer, 2007, ch. IV.1 (the time-average variance constant
   from the Poisson equation).  doi:10.1007/978-0-387-69033-9
"""
from dataclasses import dataclass
import math

import numpy as np

__all__ = ["RunPlan", "relaxation"]

_TAIL = 60.0            # states beyond e^-60 of the stationary mode are left out
_MAX_STATES = 1 << 22   # beyond this the infinite queue's bound alone is used


@dataclass(frozen=True)
class RunPlan:
    """What a run needs to know about the model's time scale.

    ``relaxation_time`` :math:`\tau` [model time]; ``arrival_rate`` the
    long-run rate of arrivals, refused ones included [1/time];
    ``events_per_arrival`` events of the Markov chain per arrival (1 for the
    general engine, which counts arrivals).
    """

    relaxation_time: float
    arrival_rate: float
    events_per_arrival: float = 1.0
    #: Exponential models: the stationary law of the engine's jump chain
    #: (the chain's own law, from its rates, weighted by each state's total
    #: event rate) on states ``first_state`` onwards, as cumulative sums; a
    #: replication starts from a draw of it.
    start_cdf: np.ndarray = None
    first_state: int = 0
    #: Networks: the states (rows: numbers at each station) ``start_cdf`` is over.
    start_states: np.ndarray = None


def _chain(lam, mu, c, k, sources, theta):
    """Birth and death rates on the states that matter, and their lowest state."""
    top_k = math.inf if k is None else float(k)
    if sources is not None:
        top_k = min(top_k, float(sources))
    top = int(top_k) if math.isfinite(top_k) else 2 * int(c) + 64
    while True:
        b, d = _rates(lam, mu, c, theta, sources, top)
        lp = _log_pi(b, d)
        # an infinite queue is cut where its last state is negligible and the
        # rates fall off
        if math.isfinite(top_k) or top >= _MAX_STATES or (
                lp[-1] < lp.max() - _TAIL and b[-1] < d[-1]):
            break
        top *= 2
    keep = np.flatnonzero(lp >= lp.max() - _TAIL)
    lo, hi = int(keep[0]), int(keep[-1])
    return b[lo:hi + 1], d[lo:hi + 1], lp[lo:hi + 1], lo


def _rates(lam, mu, c, theta, sources, top):
    n = np.arange(top + 1, dtype=float)
    b = lam * (sources - n) if sources is not None else np.full(n.size, float(lam))
    d = mu * np.minimum(n, c) + (theta or 0.0) * np.maximum(n - c, 0.0)
    return b, d


def _log_pi(b, d):
    with np.errstate(divide="ignore"):
        steps = np.log(b[:-1]) - np.log(d[1:])
    return np.concatenate([[0.0], np.cumsum(steps)])


def _gap(b, d):
    """Smallest non-zero rate of the chain restricted to these states
    (reflected at both ends), from its symmetrised generator."""
    from scipy.linalg import eigvalsh_tridiagonal
    if b.size < 2:
        return float(b[0] + d[0]) if b.size else math.inf
    bb, dd = b.copy(), d.copy()
    bb[-1], dd[0] = 0.0, 0.0
    scale = float(np.max(bb + dd))
    diag = (bb + dd) / scale
    off = -np.sqrt(bb[:-1] * dd[1:]) / scale
    w = eigvalsh_tridiagonal(diag, off, select="i", select_range=(1, 1))
    return float(w[0]) * scale


#: States of the retrial chain beyond which the plan cuts the orbit shorter
#: than the model's kernel does (the plan needs a time scale, not digits).
_RETRIAL_STATES = 400_000


def _retrial_generator(lam, mu, c, k, nu, q, levels):
    """The truncated retrial chain's generator (sparse; state j * (k+1) + n;
    joins refused at the top orbit level) and its rows' total rates."""
    from scipy import sparse
    width = k + 1
    j, n = np.divmod(np.arange((levels + 1) * width), width)
    rows, cols, vals = [], [], []

    def add(mask, dj, dn, rate):
        idx = np.flatnonzero(mask & (rate > 0))
        rows.append(idx)
        cols.append(idx + dj * width + dn)
        vals.append(rate[idx] if np.ndim(rate) else np.full(idx.size, rate))
    lam_v = np.full(j.size, float(lam))
    add(n < k, 0, 1, lam_v)                                      # first attempt admitted
    add((n == k) & (j < levels), 1, 0, lam_v * q)                # refused, joins the orbit
    add((n < k) & (j > 0), -1, 1, nu * j.astype(float))         # retry admitted
    add((n == k) & (j > 0), -1, 0, nu * (1 - q) * j)             # refused retry gives up
    add(n > 0, 0, -1, mu * np.minimum(n, c).astype(float))       # completion
    r, cc, v = (np.concatenate(x) for x in (rows, cols, vals))
    size = j.size
    out = np.bincount(r, weights=v, minlength=size)
    gen = sparse.csr_matrix((np.concatenate([v, -out]),
                             (np.concatenate([r, np.arange(size)]),
                              np.concatenate([cc, np.arange(size)]))), shape=(size, size))
    total = lam + nu * j + mu * np.minimum(n, c)
    return gen, j, n, total


def _slowest(gen):
    """1 / |Re| of the generator's non-zero eigenvalue nearest 0 (shift and
    invert about a point just right of 0, where only the zero eigenvalue
    lies), or 0 where there is none to find."""
    from scipy.sparse.linalg import ArpackNoConvergence, eigs
    size = gen.shape[0]
    if size < 3:
        return 0.0
    scale = float(abs(gen.diagonal()).max())
    try:
        w = eigs(gen.T.tocsc(), k=min(6, size - 2), sigma=1e-6 * scale,
                 return_eigenvectors=False, tol=1e-8)
    except ArpackNoConvergence:
        return 0.0
    rates = np.abs(w.real)
    rates = rates[rates > 1e-8 * scale]
    return float(1.0 / rates.min()) if rates.size else 0.0


def _retrial_plan(a):
    from scipy import sparse
    from scipy.sparse.linalg import spsolve
    lam, mu, c, k = float(a["lam"]), float(a["mu"]), int(a["c"]), int(a["k"])
    nu, q = float(a["nu"]), float(a["q"])
    levels = int(min(a["orbit_levels"], max(8, _RETRIAL_STATES // (k + 1))))
    gen, j, n, total = _retrial_generator(lam, mu, c, k, nu, q, levels)
    size = gen.shape[0]
    # pi Q = 0 with the last balance equation replaced by the normalisation
    lhs = sparse.lil_matrix(gen.T)
    lhs[size - 1, :] = np.ones(size)
    rhs = np.zeros(size)
    rhs[-1] = 1.0
    pi = np.clip(spsolve(lhs.tocsc(), rhs), 0.0, None)
    pi /= pi.sum()
    tau = _integrated_time(gen, pi, (n.astype(float), j.astype(float), (n == k).astype(float)))
    tau = max(tau, _slowest(gen))
    attempts = float(pi @ (lam + nu * j))
    if tau <= 0:
        tau = 1.0 / float(pi @ total)
    cdf = np.cumsum(pi * total)          # the jump chain's law, as in relaxation()
    cdf /= cdf[-1]
    return RunPlan(tau, attempts, float(pi @ total) / attempts, cdf, 0)


#: Networks whose chain has at most this many states are planned on it (and
#: start from its stationary law); larger ones from their stations.  (A
#: network's lattice fills a sparse LU in fast: see netchain.MAX_STATES.)
_NETWORK_STATES = 20_000


def _integrated_time(gen, pi, functions):
    """The largest integrated autocorrelation time pi(f h)/pi(f^2) of the
    centred functions (Poisson equation Q h = -f on all states but the
    first, h = 0 there)."""
    from scipy.sparse.linalg import splu
    if gen.shape[0] < 2:
        return 0.0
    lu = splu(gen[1:, 1:].tocsc())          # one factorisation for every function
    tau = 0.0
    for f in functions:
        g = f - pi @ f
        var = pi @ g ** 2
        if var <= 1e-300:
            continue
        h = np.concatenate([[0.0], lu.solve(-g[1:])])
        tau = max(tau, float(pi @ (g * h)) / var)
    return tau


def _visits(routing):
    """Stationary visit ratios of a closed routing (rows summing to 1)."""
    m = routing.shape[0]
    lhs = np.vstack([(routing - np.eye(m)).T, np.ones(m)])
    rhs = np.r_[np.zeros(m), 1.0]
    return np.clip(np.linalg.lstsq(lhs, rhs, rcond=None)[0], 0.0, None)


def _network_rates(a):
    """Arrival rate at each station, and the rate of what ``counted``
    counts (external arrivals, or cycles of a closed network)."""
    from .._kernels import mva as _mva
    ext, mu, c = (np.asarray(a[x], dtype=float) for x in ("external", "mu", "c"))
    routing = np.asarray(a["routing"], dtype=float)
    pop = int(a["population"])
    m = mu.size
    if pop < 0:
        lam = np.linalg.solve(np.eye(m) - routing.T, ext)
        return lam, float(ext.sum())
    v = _visits(routing)
    x, _ = _mva.exact(v / mu, c, 0.0, pop)
    lam = x[pop] * v
    ref = int(a["reference"])
    return lam, float(lam[ref] if ref >= 0 else lam.sum())


def _network_plan(a):
    from .._kernels import netchain as _net
    ext, mu, c, k = (np.asarray(a[x], dtype=float) for x in ("external", "mu", "c", "k"))
    pop = int(a["population"])
    m = mu.size
    lam, counted = _network_rates(a)
    # stations in isolation: their birth-death chains (at the traffic
    # equations' rates) give each one's time scale and where its law ends
    taus, levels = [], []
    for i in range(m):
        ki = min(k[i], pop) if pop >= 0 else k[i]
        if np.isfinite(c[i]):
            ci = c[i]
        else:       # a delay station: servers enough for every customer it may hold
            ci = pop if pop >= 0 else lam[i] / mu[i] + 10 * math.sqrt(lam[i] / mu[i]) + 50
        b, d, _, lo = _chain(lam[i], mu[i], max(int(ci), 1), ki if np.isfinite(ki) else None,
                             None, None)
        taus.append(1.0 / _gap(b, d) if b.size > 1 else 0.0)
        levels.append(int(ki) if np.isfinite(ki) else lo + b.size - 1)
    size = _net.count_states(levels, pop if pop >= 0 else None)
    if size <= _NETWORK_STATES:
        ch = _net.build(ext, mu, c, k, a["routing"], levels, pop if pop >= 0 else None,
                        refuse_to=int(a.get("refuse_to", -1)))
        mask = np.asarray(a["queue_mask"], dtype=bool)
        funcs = [ch.states[:, mask].sum(axis=1).astype(float)] + [
            ch.states[:, i].astype(float) for i in range(m)]
        tau = max(_integrated_time(ch.generator, ch.pi, funcs), _slowest(ch.generator))
        pi = ch.pi
        if pop >= 0:
            ref = int(a["reference"])
            done = ch.busy * mu
            rate = float(pi @ (done[:, ref] if ref >= 0 else done.sum(axis=1)))
        else:
            rate = float(ext.sum())
        if tau <= 0:
            tau = 1.0 / float(pi @ ch.total)
        # the engine steps from event to event: its chain's stationary law
        # is pi weighted by each state's total rate (a fast station's busy
        # states hold little time but many events)
        cdf = np.cumsum(pi * ch.total)
        cdf /= cdf[-1]
        return RunPlan(tau, rate, float(pi @ ch.total) / rate, cdf, 0, ch.states)
    events = float(ext.sum() + lam.sum())
    return RunPlan(float(sum(taus)), counted, events / counted)


def relaxation(spec):
    r"""The time scale a simulation of the model needs: its relaxation time.

    For the birth-death models the relaxation time is the inverse of the
    spectral gap of the chain's generator (a symmetric tridiagonal
    eigenvalue problem after the detailed-balance similarity transform); for
    the retrial and network chains of at most 2e4 states it comes from the
    chain (the Poisson equation's integrated autocorrelation time and the
    slowest eigenvalue); for larger networks the stations' birth-death
    relaxation times are summed; for general laws the exponential chain of
    the same mean rates is scaled by :math:`(c_a^2 + c_s^2)/2` [1]_.
    :func:`queuemath.simulate` spans each replication over 13 of them.

    Parameters
    ----------
    spec : SimulationSpec
        What ``model.simulation_spec()`` returns.

    Returns
    -------
    RunPlan
        ``relaxation_time`` :math:`\tau` [s, the model's time unit],
        ``arrival_rate`` (refused arrivals included) [1/s],
        ``events_per_arrival``, and the start law (``start_cdf``,
        ``first_state``, ``start_states``) of the replications.

    See Also
    --------
    queuemath.simulate : Uses it to plan the run.

    References
    ----------
    .. [1] W. Whitt, "Planning queueing simulations," Management Science 35,
       1989, 1341-1366.  doi:10.1287/mnsc.35.11.1341
    .. [2] P. M. Morse, "Stochastic properties of waiting lines," Operations
       Research 3, 1955, 255-261 (the eigenvalues of M/M/1/K:
       :math:`\lambda + \mu - 2\sqrt{\lambda\mu}\cos(j\pi/(K+1))`).
       doi:10.1287/opre.3.3.255

    Examples
    --------
    M/M/1/K relaxes at its smallest nonzero eigenvalue [2]_:

    >>> import math
    >>> import queuemath as qm
    >>> plan = relaxation(qm.MM1K(0.9, 1.0, 10).simulation_spec())
    >>> gap = 0.9 + 1.0 - 2 * math.sqrt(0.9) * math.cos(math.pi / 11)
    >>> math.isclose(plan.relaxation_time, 1 / gap, rel_tol=1e-12)
    True
    """
    a = spec.arguments
    if spec.engine == "retrial":
        return _retrial_plan(a)
    if spec.engine == "network":
        return _network_plan(a)
    c, k, sources = int(a["c"]), a.get("k"), a.get("sources")
    if spec.engine == "markov":
        lam, mu, theta, factor = float(a["lam"]), float(a["mu"]), a.get("theta"), 1.0
    else:
        mean_a, scv_a = a["arrival"].moments()
        mean_s, scv_s = a["service"].moments()
        lam, mu, theta = 1.0 / mean_a, 1.0 / mean_s, None
        factor = max(1.0, (scv_a + scv_s) / 2.0)
    b, d, lp, lo = _chain(lam, mu, c, k, sources, theta)
    rate = _gap(b, d)
    if sources is None and not theta and not np.isfinite(float(k if k is not None else np.inf)):
        # the infinite M/M/c: its spectrum reaches down to (sqrt(c mu) - sqrt(lam))^2
        rate = min(rate, (math.sqrt(c * mu) - math.sqrt(lam)) ** 2)
    pi = np.exp(lp - lp.max())
    pi /= pi.sum()
    arrivals = float(pi @ b)
    events = float(pi @ (b + d))
    if spec.engine != "markov":
        return RunPlan(factor / rate, arrivals)
    # The engines step from event to event and credit each state with its
    # mean holding time, so what they run is the jump chain, whose
    # stationary law is pi weighted by each state's total event rate: a
    # start from pi itself is a start away from it (measured on a network
    # with a fast station: coverage 0.92 from pi, 0.95 from this law)
    cdf = np.cumsum(pi * (b + d))
    cdf /= cdf[-1]
    return RunPlan(factor / rate, arrivals, events / arrivals, cdf, lo)
