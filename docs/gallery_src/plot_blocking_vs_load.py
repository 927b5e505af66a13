"""
Refusals against the arrival rate, for three backlogs
=====================================================

The share of connections refused by one worker serving 50 connections/s, as the arrival
rate grows, with a backlog of 5 (Lotus Notes), 16 and 200 (NT Server's maximum).  Drawn by
:func:`queuemath.plot.blocking_vs_load`.
"""
import matplotlib.pyplot as plt
import numpy as np

from queuemath import plot

rates = np.linspace(1.0, 80.0, 200)                    # [1/s]
fig, ax = plt.subplots(figsize=(6, 4))
plot.blocking_vs_load(rates, 50.0, 1, [1 + 5, 1 + 16, 1 + 200], label="backlog", ax=ax)
plt.show()
