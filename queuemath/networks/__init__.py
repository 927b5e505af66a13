r"""Queueing networks: the tiers behind the listener and the clients in
front of it.

* :class:`OpenNetwork` — open Jackson networks (external Poisson arrivals,
  a routing matrix, multi-server stations): traffic equations, per-station
  and end-to-end means; with finite buffers, an exact Markov chain for small
  networks and simulation beyond.
* :class:`ClosedNetwork` — closed product-form networks (a population of
  clients that think and come back): exact mean value analysis for every
  population at once, Bard-Schweitzer approximation, a few classes,
  asymptotic and balanced-job bounds, the bottleneck.

Both are models on the package's contract: ``summary()``,
``qm.compare``, ``qm.simulate`` and ``qm.crosscheck`` work on them (per
station rows included).
"""
from .closed import ClosedNetwork
from .open import OpenNetwork

__all__ = ["OpenNetwork", "ClosedNetwork"]
