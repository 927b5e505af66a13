"""
The backlog a target needs
==========================

The smallest ``listen()`` backlog that keeps refusals below one in a million, against the
arrival rate, for one worker at 50 connections/s on Windows NT 4.0 Server, with the
system's maximum of 200.  Drawn by :func:`queuemath.plot.dimensioning`.
"""
import matplotlib.pyplot as plt
import numpy as np

from queuemath import plot

fig, ax = plt.subplots(figsize=(6, 4))
plot.dimensioning(np.linspace(2.5, 60, 48), 50.0, target_blocking=1e-6,
                  os="windows-nt-4.0-server", ax=ax)
plt.show()
