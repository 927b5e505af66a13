"""Figures for analysts and for the report (matplotlib is imported here only).

Every function takes ``ax=None``, draws on the given axes (or on a new
figure's), labels the axes with units and returns the axes; none calls
``plt.show()`` or changes matplotlib's backend.  Several calls may draw on
one axes: each curve's legend entry names its configuration in full, and a
title is set only on axes that have none.  Inputs are validated like the
numeric API: an empty or mismatched input raises a ValueError naming the
parameter.
"""
import numpy as np

from . import _validate
from .finite import MMcK
from .loss import erlang_b

__all__ = ["blocking_vs_load", "erlang_b_curves", "dimensioning", "state_distribution",
           "crosscheck_curve", "storm_transient"]


def _axes(ax):
    if ax is None:
        import matplotlib.pyplot as plt
        _, ax = plt.subplots(figsize=(6.0, 4.0))
    return ax


def _title(ax, text):
    # A second call on the same axes keeps the first title: the legend
    # entries, not the title, say which curve is which.
    if not ax.get_title():
        ax.set_title(text)


def _values(name, values, integer=False, minimum=None):
    arr = (_validate.integer(name, values, minimum=minimum if minimum is not None else 1)
           if integer else _validate.nonnegative(name, values))
    arr = np.atleast_1d(arr)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {arr.shape}")
    return arr


def blocking_vs_load(arrival_rates, service_rate, servers, capacities, *, ax=None,
                     label="capacity", floor=1e-12):
    r"""M/M/c/K blocking against the arrival rate, one curve per
    configuration (servers, capacity), log y.

    The x axis is the arrival rate, the same for every configuration: a
    per-server load axis would put 4 workers at load 0.5 where 8 workers are
    at 0.25, and make the larger configuration look worse than it is.

    Parameters
    ----------
    arrival_rates : array_like
        :math:`\lambda`, at least one value. [1/s]
    service_rate : float
        :math:`\mu` of one server. [1/s]
    servers : int or array_like of int
        c, one for all curves or one per curve.
    capacities : array_like of int
        K for each curve, each at least its servers.
    ax : matplotlib Axes, optional
    label : {"capacity", "backlog"}, default "capacity"
        Legend entries "c = 4, K = 14" or "4 workers, backlog 10" (K - c).
    floor : float, default 1e-12
        Lower end of the y axis (blocking far below it is off the chart).

    Returns
    -------
    matplotlib Axes

    See Also
    --------
    queuemath.MMcK : The blocking drawn.
    dimensioning : The backlog a target needs, against the arrival rate.

    References
    ----------
    .. [1] D. Gross, J. F. Shortle, J. M. Thompson, C. M. Harris, "Fundamentals
       of Queueing Theory," 4th ed., Wiley, 2008.  doi:10.1002/9781118625651, sec. 2.6 (M/M/c/K).

    Examples
    --------
    Four workers with 10 queue places against eight with 2, at equal rates:

    >>> ax = blocking_vs_load([20.0, 30.0, 40.0], 5.0, [4, 8], [14, 10], label="backlog")
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['4 workers, backlog 10', '8 workers, backlog 2']
    """
    lam = _values("arrival_rates", arrival_rates)
    mu = float(_validate.positive("service_rate", service_rate))
    ks = _values("capacities", capacities, integer=True)
    cs = np.atleast_1d(_validate.integer("servers", servers, minimum=1))
    if cs.ndim != 1 or cs.size not in (1, ks.size):
        raise ValueError(f"servers must be one count or one per capacity ({ks.size}), got "
                         f"shape {cs.shape}")
    cs = np.broadcast_to(cs, ks.shape)
    if np.any(ks < cs):
        i = int(np.argmax(ks < cs))
        raise ValueError(f"capacities must be >= servers, got capacity {ks[i]:g} with "
                         f"servers {cs[i]:g}")
    if label not in ("capacity", "backlog"):
        raise ValueError(f"label must be 'capacity' or 'backlog', got {label!r}")
    ax = _axes(ax)
    for c, k in zip(cs.astype(int), ks.astype(int)):
        text = (f"c = {c}, K = {k}" if label == "capacity" else
                f"{c} worker{'s' if c > 1 else ''}, backlog {k - c}")
        ax.semilogy(lam, MMcK(lam, mu, c, k).blocking, label=text)
    ax.set_xlabel(r"arrival rate $\lambda$ [1/s]")
    ax.set_ylabel("blocking probability")
    _title(ax, f"M/M/c/K blocking, service rate {mu:g}/s per server")
    ax.set_ylim(floor, 1.5)
    ax.legend(frameon=False)
    ax.grid(True, which="both", alpha=0.3)
    return ax


def erlang_b_curves(servers, loads, ax=None):
    """Erlang B blocking against offered load for a family of server counts.

    Parameters
    ----------
    servers : array_like of int
        One curve per value.
    loads : array_like
        Offered loads A [erlang].

    See Also
    --------
    queuemath.erlang_b : The blocking drawn.
    blocking_vs_load : With waiting places.

    References
    ----------
    .. [1] V. B. Iversen, "Teletraffic Engineering and Network Planning,"
       Technical University of Denmark, 2015, ch. 4.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> ax = erlang_b_curves([1, 5, 10], np.linspace(0.1, 12.0, 60))
    >>> len(ax.get_lines()), ax.get_yscale()
    (3, 'log')
    >>> plt.close(ax.figure)
    """
    cs = _values("servers", servers, integer=True)
    a = _values("loads", loads)
    ax = _axes(ax)
    for c in cs:
        ax.semilogy(a, erlang_b(c, a), label=f"c = {int(c)}")
    ax.set_xlabel("offered load A [erlang]")
    ax.set_ylabel("blocking probability B(c, A)")
    _title(ax, "Erlang B")
    ax.legend(frameon=False)
    ax.grid(True, which="both", alpha=0.3)
    return ax


def dimensioning(arrival_rates, service_rate, servers=1, *, target_blocking, os="linux",
                 ax=None):
    """Backlog needed for a refusal target against the arrival rate
    (:func:`queuemath.tcp.min_backlog`), with the OS maximum marked.

    Parameters
    ----------
    arrival_rates : array_like
        Connection attempts per second. [1/s]
    service_rate : float
        Per worker. [1/s]
    servers : int, default 1
        Workers.
    target_blocking : float
        Refusal probability to stay under (keyword only).
    os : str, default "linux"
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes

    See Also
    --------
    queuemath.tcp.min_backlog : The backlog drawn, point by point.
    blocking_vs_load : The blocking of given backlogs.

    References
    ----------
    .. [1] Microsoft, KB Q181350 (the field report) and KB Q127144 (the
       Windows backlog maxima drawn as the ceiling).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> ax = dimensioning(np.linspace(5.0, 45.0, 9), 50.0, target_blocking=1e-6,
    ...                   os="windows-nt-4.0-server")
    >>> print(ax.get_xlabel())
    connection attempts $\\lambda$ [1/s]
    >>> plt.close(ax.figure)
    """
    from . import tcp
    lam = _values("arrival_rates", arrival_rates)
    advice = tcp.min_backlog(lam, service_rate, servers, target_blocking=target_blocking,
                             os=os)
    ax = _axes(ax)
    ok = np.asarray(advice.sufficient)
    backlog = np.asarray(advice.backlog, dtype=float)
    who = f"{servers} worker{'s' if servers != 1 else ''} at {service_rate:g}/s"
    ax.plot(lam[ok], backlog[ok], marker=".", label=f"{who}: refusal <= {target_blocking:g}")
    if (~ok).any():
        ax.plot(lam[~ok], backlog[~ok], "x", color="C3",
                label=f"{who}: no backlog {os} allows suffices")
    ax.axhline(advice.os_max_backlog, color="0.5", ls="--", lw=1,
               label=f"{os} maximum, {advice.os_max_backlog}")
    ax.set_xlabel(r"connection attempts $\lambda$ [1/s]")
    ax.set_ylabel("listen() backlog")
    _title(ax, "Backlog needed for a refusal target")
    ax.legend(frameon=False, fontsize="small")
    ax.grid(True, alpha=0.3)
    return ax


def state_distribution(model, ax=None):
    """Bar chart of a model's stationary distribution: any model with
    ``state_probabilities()`` (MMcK, MM1K, MG1K, tcp.ListenQueue), with
    scalar parameters.

    Returns
    -------
    matplotlib Axes

    See Also
    --------
    queuemath.MMcK.state_probabilities : The law drawn.
    queuemath.QueueModel : The contract a model meets to be drawn.

    References
    ----------
    .. [1] D. Gross, J. F. Shortle, J. M. Thompson, C. M. Harris, "Fundamentals
       of Queueing Theory," 4th ed., Wiley, 2008.  doi:10.1002/9781118625651, sec. 2.6.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from queuemath import MMcK
    >>> ax = state_distribution(MMcK(3.2, 1.0, 4, 12))
    >>> len(ax.patches)                                  # one bar per state 0..12
    13
    >>> plt.close(ax.figure)
    """
    if not callable(getattr(model, "state_probabilities", None)):
        raise ValueError(f"model must have state_probabilities() (MMcK, MM1K, MG1K, "
                         f"ListenQueue), got {type(model).__name__}")
    if getattr(model, "shape", ()) != ():
        raise ValueError(f"model must have scalar parameters, got shape {model.shape}")
    p = model.state_probabilities()
    ax = _axes(ax)
    n = np.arange(p.size)
    c = int(getattr(model, "servers", 1) or 1)
    ax.bar(n[: c + 1], p[: c + 1], color="C0", label="all in service")
    ax.bar(n[c + 1:], p[c + 1:], color="C1", label="waiting in the queue")
    ax.set_xlabel("number in system n")
    ax.set_ylabel("probability $p_n$")
    _title(ax, f"{model.kendall}, blocking {float(model.blocking):.3g}")
    ax.legend(frameon=False)
    return ax


def crosscheck_curve(arrival_rates, service_rate, servers, capacity, *, arrivals=None,
                     rel_precision=0.02, seed=0, ax=None):
    r"""Simulated M/M/c/K blocking with 95% intervals over the closed-form
    curve, against the arrival rate.  Each point is simulated until its
    blocking interval is within ``rel_precision`` of the estimate (or with a
    fixed budget of ``arrivals``; see :func:`queuemath.simulate`).

    Parameters
    ----------
    arrival_rates : array_like
        :math:`\lambda` of each point. [1/s]
    service_rate : float
        :math:`\mu` of one server. [1/s]
    servers : int
        c, at least 1.
    capacity : int
        K, at least c.
    arrivals : int, optional
        A fixed budget of arrivals per point instead of the precision target.
    rel_precision : float, default 0.02
        Relative half-width each point's blocking interval is run to.
    seed : int, default 0
        Seed of the run; each point's stream is spawned from it.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes

    See Also
    --------
    queuemath.crosscheck : The table form, every quantity of one model.
    queuemath.simulate : The simulation behind each point.

    References
    ----------
    .. [1] W. Whitt, "Planning queueing simulations," Management Science 35,
       1989, 1341-1366.  doi:10.1287/mnsc.35.11.1341
    .. [2] K. P. White, "An effective truncation heuristic for bias reduction
       in simulation output," Simulation 69, 1997, 323-334.
    .. [3] P. Hall, "Theoretical comparison of bootstrap confidence intervals,"
       Annals of Statistics 16, 1988, 927-953.  doi:10.1214/aos/1176350933

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> ax = crosscheck_curve([0.5, 0.9], 1.0, 1, 6, rel_precision=0.1, seed=1)
    >>> print(ax.get_xlabel())
    arrival rate $\lambda$ [1/s]
    >>> plt.close(ax.figure)
    """
    from .montecarlo import simulate
    lam = _values("arrival_rates", arrival_rates)
    mu = float(_validate.positive("service_rate", service_rate))
    c = int(_validate.integer("servers", servers))
    k = int(_validate.integer("capacity", capacity))
    ax = _axes(ax)
    fine = np.linspace(lam.min(), lam.max(), 200)
    ax.plot(fine, MMcK(fine, mu, c, k).blocking, color="C0",
            label=f"c = {c}, K = {k}: closed form")
    ss = np.random.SeedSequence(seed).spawn(lam.size)
    means, lows, highs = [], [], []
    for rate, s in zip(lam, ss):
        res = simulate(MMcK(rate, mu, c, k), arrivals=arrivals, rel_precision=rel_precision,
                       quantities="blocking", seed=s)
        means.append(res.blocking.mean)
        lows.append(res.blocking.low)
        highs.append(res.blocking.high)
    means, lows, highs = map(np.asarray, (means, lows, highs))
    ax.errorbar(lam, means, yerr=[means - lows, highs - means], fmt="o", ms=3, color="C3",
                capsize=3, label=f"c = {c}, K = {k}: simulation, 95% interval")
    ax.set_xlabel(r"arrival rate $\lambda$ [1/s]")
    ax.set_ylabel("blocking probability")
    _title(ax, f"M/M/{c}/{k}: closed form and Monte Carlo")
    ax.legend(frameon=False)
    ax.grid(True, alpha=0.3)
    return ax


def storm_transient(results, labels, ax=None):
    """Refusal probability over time for login storms (:func:`queuemath.tcp.login_storm`).

    Parameters
    ----------
    results : sequence of StormResult
    labels : sequence of str
        One per result.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes

    See Also
    --------
    queuemath.tcp.login_storm : The transients drawn.

    References
    ----------
    .. [1] W. K. Grassmann, "Transient solutions in Markovian queueing
       systems," Computers & Operations Research 4, 1977, 47-53.
       doi:10.1016/0305-0548(77)90007-7

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from queuemath import tcp
    >>> storms = [tcp.login_storm(300, 2.0, 50.0, workers=1, backlog=b, os="windows-nt-4.0-server")
    ...           for b in (5, 200)]
    >>> ax = storm_transient(storms, ["backlog 5", "backlog 200"])
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['backlog 5: 195 refused', 'backlog 200: 8 refused']
    >>> plt.close(ax.figure)
    """
    results, labels = list(results), list(labels)
    if not results:
        raise ValueError("results must not be empty")
    if len(labels) != len(results):
        raise ValueError(f"labels has {len(labels)} entries for {len(results)} results")
    ax = _axes(ax)
    for r, lab in zip(results, labels):
        ax.plot(r.times, r.refusal_probability, label=f"{lab}: {r.expected_refused:.0f} refused")
    ax.set_xlabel("time since the storm began [s]")
    ax.set_ylabel("probability an attempt is refused")
    _title(ax, "Login storm: refusals over time (first attempts)")
    ax.legend(frameon=False)
    ax.grid(True, alpha=0.3)
    return ax
