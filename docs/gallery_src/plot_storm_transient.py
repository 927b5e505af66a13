"""
The login storm, backlog 5 against 200
======================================

300 clients logging in within 2 s to one worker serving 50 connections/s on Windows NT 4.0
Server: the refused share over time with the Notes backlog of 5 and the system's maximum of
200.  The transient is exact (the birth-death chain's law over time).  Drawn by
:func:`queuemath.plot.storm_transient`.
"""
import matplotlib.pyplot as plt

from queuemath import plot, tcp

storms = [tcp.login_storm(300, 2.0, 50.0, workers=1, backlog=b, os="windows-nt-4.0-server",
                          horizon=4.0, points=801) for b in (5, 200)]
fig, ax = plt.subplots(figsize=(6, 4))
plot.storm_transient(storms, ["NT backlog 5", "NT backlog 200"], ax=ax)
plt.show()
