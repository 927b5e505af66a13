"""Monte Carlo of a login storm with client retries (queuemath.tcp).

Each replication runs in compiled code (:func:`queuemath.montecarlo._jit.storm`)
from its own Generator (``SeedSequence.spawn``) and leaves a handful of
counts, so memory does not grow with clients times replications: the only
per-client storage is the retry queues, sized for the largest storm and
reused.
"""
import numpy as np

from .engine import generators


def simulate(n_clients, duration, mu, c, k, offsets, seeds, poisson, tick=None):
    """Replications of a storm; returns {clients, refused, failed: (R,),
    admitted: (R, retries + 1)}.  ``poisson``: a Poisson number of clients
    (then their first attempts are a Poisson stream on [0, duration)).
    ``tick(clients)`` (optional) hears after each replication."""
    from . import _jit                  # numba is imported when a simulation runs
    offs = np.asarray(offsets, dtype=float)
    reps = len(seeds)
    gens = generators(seeds)
    counts = np.array([g.poisson(n_clients) if poisson else int(round(n_clients)) for g in gens],
                      dtype=np.int64)
    queue = np.empty((offs.size, int(counts.max()) if reps else 0))
    admitted = np.zeros((reps, offs.size + 1))
    refused = np.zeros(reps)
    failed = np.zeros(reps)
    for i, g in enumerate(gens):
        refused[i], failed[i] = _jit.storm(g, int(counts[i]), float(duration), float(mu), int(c),
                                           int(k), offs, queue, admitted[i])
        if tick is not None:
            tick(1)
    return dict(clients=counts.astype(float), refused=refused, failed=failed, admitted=admitted)
