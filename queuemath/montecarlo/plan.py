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

References
----------
.. [1] W. Whitt, "Planning queueing simulations", Management Science 35(11),
   1341-1366, 1989. https://doi.org/10.1287/mnsc.35.11.1341
.. [2] J. Keilson, *Markov Chain Models: Rarity and Exponentiality*,
   Springer, 1979, ch. 5 (spectral representation of birth-death chains).
.. [3] P. Morse, "Stochastic properties of waiting lines", Operations
   Research 3(3), 255-261, 1955 (the M/M/1 relaxation time).
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
    #: Exponential models: the stationary law of the chain, from its own
    #: rates by detailed balance, on states ``first_state`` onwards (its
    #: cumulative sums); a replication starts from a draw of it.
    start_cdf: np.ndarray = None
    first_state: int = 0


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


def relaxation(spec):
    """:class:`RunPlan` of a model's :class:`~queuemath._model.SimulationSpec`."""
    a = spec.arguments
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
    cdf = np.cumsum(pi)
    cdf /= cdf[-1]
    return RunPlan(factor / rate, arrivals, events / arrivals, cdf, lo)
