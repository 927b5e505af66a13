"""Figures for analysts and for the report (matplotlib is imported here only).

Every function takes ``ax=None``, draws on the given axes (or on a new
figure's), labels the axes with units and returns the axes; none calls
``plt.show()``.  Inputs are validated like the numeric API: an empty or
mismatched input raises a ValueError naming the parameter.
"""
import numpy as np

from . import _validate
from .finite import MMcK
from .loss import erlang_b


def _axes(ax):
    if ax is None:
        import matplotlib.pyplot as plt
        _, ax = plt.subplots(figsize=(6.0, 4.0))
    return ax


def _values(name, values, integer=False, minimum=None):
    arr = (_validate.integer(name, values, minimum=minimum if minimum is not None else 1)
           if integer else _validate.nonnegative(name, values))
    arr = np.atleast_1d(arr)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {arr.shape}")
    return arr


def blocking_vs_load(loads, capacities, servers=1, service_rate=1.0, ax=None, label="K",
                     floor=1e-12):
    r"""M/M/c/K blocking against the load per server, one curve per capacity
    (or backlog: pass ``capacities = servers + backlog``), log y.

    Parameters
    ----------
    loads : array_like
        :math:`\rho = \lambda/(c\mu)`, at least one value.
    capacities : array_like of int
        K for each curve, each at least ``servers``.
    servers : int, default 1
    service_rate : float, default 1 [1/s]
    ax : matplotlib Axes, optional
    label : str, default "K"
        Legend prefix; "backlog" labels each curve with K - servers.
    floor : float, default 1e-12
        Lower end of the y axis (blocking far below it is off the chart).

    Returns
    -------
    matplotlib Axes
    """
    rho = _values("loads", loads)
    ks = _values("capacities", capacities, integer=True)
    c = int(_validate.integer("servers", servers))
    if np.any(ks < c):
        raise ValueError(f"capacities must be >= servers={c}, got {ks[ks < c][0]:g}")
    ax = _axes(ax)
    for k in ks:
        q = MMcK(rho * c * service_rate, service_rate, c, k)
        ax.semilogy(rho, q.blocking, label=f"{label} = {int(k) if label == 'K' else int(k) - c}")
    ax.set_xlabel(r"load per server $\rho = \lambda/(c\mu)$")
    ax.set_ylabel("blocking probability")
    ax.set_title(f"M/M/{c}/K blocking")
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
    """
    cs = _values("servers", servers, integer=True)
    a = _values("loads", loads)
    ax = _axes(ax)
    for c in cs:
        ax.semilogy(a, erlang_b(c, a), label=f"c = {int(c)}")
    ax.set_xlabel("offered load A [erlang]")
    ax.set_ylabel("blocking probability B(c, A)")
    ax.set_title("Erlang B")
    ax.legend(frameon=False)
    ax.grid(True, which="both", alpha=0.3)
    return ax


def dimensioning(arrival_rates, service_rate, target, workers=1, os="linux", ax=None):
    """Backlog needed for a refusal target against the arrival rate
    (:func:`queuemath.tcp.min_backlog`), with the OS maximum marked.

    Parameters
    ----------
    arrival_rates : array_like
        Connection attempts per second [1/s].
    service_rate : float
        Per worker [1/s].
    target : float
        Refusal probability to stay under.
    workers : int, default 1
    os : str, default "linux"
    """
    from . import tcp
    lam = _values("arrival_rates", arrival_rates)
    advice = tcp.min_backlog(lam, service_rate, workers, target, os=os)
    ax = _axes(ax)
    ok = np.asarray(advice.sufficient)
    backlog = np.asarray(advice.backlog, dtype=float)
    ax.plot(lam[ok], backlog[ok], marker=".", label=f"backlog for refusal <= {target:g}")
    if (~ok).any():
        ax.plot(lam[~ok], backlog[~ok], "x", color="C3",
                label="no allowed backlog suffices (OS maximum shown)")
    ax.axhline(advice.os_max_backlog, color="0.5", ls="--", lw=1,
               label=f"{os} maximum backlog {advice.os_max_backlog}")
    ax.set_xlabel(r"connection attempts $\lambda$ [1/s]")
    ax.set_ylabel("listen() backlog")
    ax.set_title(f"Backlog needed, {workers} worker(s) at {service_rate:g}/s")
    ax.legend(frameon=False)
    ax.grid(True, alpha=0.3)
    return ax


def state_distribution(model, ax=None):
    """Bar chart of an M/M/c/K model's stationary distribution (scalar
    parameters)."""
    if not isinstance(model, MMcK):
        raise ValueError(f"model must be an MMcK or MM1K, got {type(model).__name__}")
    p = model.state_probabilities()
    if p.ndim != 1:
        raise ValueError(f"model must have scalar parameters, got shape {p.shape[:-1]}")
    ax = _axes(ax)
    n = np.arange(p.size)
    c = int(model.servers)
    ax.bar(n[: c + 1], p[: c + 1], color="C0", label="all in service")
    ax.bar(n[c + 1:], p[c + 1:], color="C1", label="waiting in the queue")
    ax.set_xlabel("number in system n")
    ax.set_ylabel("probability $p_n$")
    ax.set_title(f"M/M/{c}/{int(model.capacity)}, blocking {float(model.blocking):.3g}")
    ax.legend(frameon=False)
    return ax


def crosscheck_curve(loads, servers, capacity, service_rate=1.0, arrivals=200_000, seed=0,
                     ax=None):
    """Simulated blocking with 95% intervals over the closed-form curve."""
    from .montecarlo import simulate
    rho = _values("loads", loads)
    c = int(_validate.integer("servers", servers))
    k = int(_validate.integer("capacity", capacity))
    ax = _axes(ax)
    fine = np.linspace(rho.min(), rho.max(), 200)
    ax.plot(fine, MMcK(fine * c * service_rate, service_rate, c, k).blocking, color="C0",
            label="closed form")
    ss = np.random.SeedSequence(seed).spawn(rho.size)
    means, lows, highs = [], [], []
    for r, s in zip(rho, ss):
        res = simulate(MMcK(r * c * service_rate, service_rate, c, k), arrivals=arrivals, seed=s)
        means.append(res.blocking.mean)
        lows.append(res.blocking.low)
        highs.append(res.blocking.high)
    means, lows, highs = map(np.asarray, (means, lows, highs))
    ax.errorbar(rho, means, yerr=[means - lows, highs - means], fmt="o", ms=3, color="C3",
                capsize=3, label="simulation, 95% interval")
    ax.set_xlabel(r"load per server $\rho$")
    ax.set_ylabel("blocking probability")
    ax.set_title(f"M/M/{c}/{k}: closed form and Monte Carlo")
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
    ax.set_title("Login storm: refusals over time (first attempts)")
    ax.legend(frameon=False)
    ax.grid(True, alpha=0.3)
    return ax
