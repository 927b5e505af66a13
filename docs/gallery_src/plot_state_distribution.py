"""
The state distribution of an M/M/c/K queue
==========================================

The stationary probability of each number in system for four servers and twelve places at
a load of 0.8 per server.  Drawn by :func:`queuemath.plot.state_distribution`, which takes
any model with ``state_probabilities()``.
"""
import matplotlib.pyplot as plt

import queuemath as qm
from queuemath import plot

fig, ax = plt.subplots(figsize=(6, 4))
plot.state_distribution(qm.MMcK(3.2, 1.0, 4, 12), ax=ax)
plt.show()
