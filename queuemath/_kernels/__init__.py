"""Private numerical kernels.

Everything here works on float64 arrays that are already validated and
broadcast; nothing here validates input or knows about the public classes.
The public modules (``loss``, ``delay``, ``finite``, ...) are thin wrappers:
they validate, broadcast and hand the arrays to these functions.

========================  =====================================================
module                    what it computes
========================  =====================================================
:mod:`.special`           Loader's Poisson/binomial terms, Erlang B and Engset
                          ratios (continued fractions, incomplete gamma/beta),
                          geometric sums
:mod:`.erlang`            Erlang C, Engset call congestion and its fixed point
:mod:`.finite`            the M/M/c/K law in log space (blocking, means, states,
                          variances)
:mod:`.waiting`           waiting-time laws: incomplete-gamma closed form,
                          positive series and panel quadrature, quantiles
:mod:`.impatience`        Erlang A (M/M/c+M, M/M/c/K+M) and its service level
:mod:`.embedded`          M/G/1/K through the embedded chain at departures
:mod:`.twomoment`         the two-moment M/G/c/K approximation
:mod:`.search`            integer and root searches behind the inverses
:mod:`.transient`         time-varying birth-death transients
:mod:`.laws`              service and interarrival laws: checks, names, samplers
========================  =====================================================

Each module lists its names in ``__all__``; the names there are the only
ones other modules of the package use.
"""
