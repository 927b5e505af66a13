"""
Erlang B curves
===============

Blocking of the M/M/c/c loss system against the offered load, one curve per number of
servers, as in the teletraffic tables.  Drawn by :func:`queuemath.plot.erlang_b_curves`.
"""
import matplotlib.pyplot as plt
import numpy as np

from queuemath import plot

fig, ax = plt.subplots(figsize=(6, 4))
plot.erlang_b_curves([1, 2, 5, 10, 20, 50], np.linspace(0.1, 60, 200), ax=ax)
plt.show()
