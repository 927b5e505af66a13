"""
The closed form against the simulation
======================================

M/M/1/6 blocking from the closed form and from the Monte Carlo module with 95 % intervals,
at seven arrival rates.  Drawn by :func:`queuemath.plot.crosscheck_curve` (seeded: the same
figure every build).
"""
import matplotlib.pyplot as plt
import numpy as np

from queuemath import plot

fig, ax = plt.subplots(figsize=(6, 4))
plot.crosscheck_curve(np.linspace(0.3, 1.8, 7), 1.0, 1, 6, seed=20261125, ax=ax)
plt.show()
