r"""Login storms: a burst of connection attempts into the accept queue.

The exact transient of the first attempts (:func:`login_storm`, on the
general :func:`queuemath.birth_death_transient`), a fluid approximation
(:func:`fluid_storm`), what clients do after a refusal (:func:`retry_schedule`)
and a Monte Carlo of the storm with those retries (:func:`simulate_storm`).
The OS rules behind ``backlog`` and ``os`` are in
:mod:`queuemath.tcp.backlog`.
"""
import numpy as np

from .. import _validate
from .._kernels import transient as _transient
from ..montecarlo import storm as _storm
from ..transient import birth_death_transient
from .backlog import OVERFLOW, accept_queue_capacity, os_family, os_max_backlog

__all__ = ["login_storm", "StormResult", "fluid_storm", "FluidStorm", "retry_schedule",
           "SYN_RETRIES", "simulate_storm", "StormSimulation", "storm_refusals",
           "min_backlog_for_storm", "min_workers_for_storm", "StormAdvice"]


class StormResult:
    """Outcome of :func:`login_storm` (exact transient of the queue).

    Attributes: ``times`` [s]; ``refusal_probability`` (chance that an attempt
    at each time finds the queue full); ``mean_in_system``;
    ``expected_attempts`` and ``expected_refused`` (over the whole horizon);
    ``refused_share``; ``refusals_end``: the first time after which the
    refusal probability stays below ``threshold`` (0 if it never reaches
    it); ``capacity``.  The burst apart from the background (a uniform
    storm): ``storm_attempts`` (its first attempts), ``storm_refused`` (how
    many of them are refused) and ``storm_refused_share``; None with a
    ``rate_function``.  With ``background_rate`` the whole-window
    ``refused_share`` averages the burst with the quiet hours; the storm's
    own share is the one to size for.

    See Also
    --------
    login_storm : The function that returns it.
    FluidStorm : The fluid approximation's result.

    Examples
    --------
    >>> r = login_storm(300, 2.0, 50.0, workers=1, backlog=5, os="windows-nt-4.0-server")
    >>> round(r.refused_share, 3), r.capacity
    (0.65, 6)
    >>> r.times.shape == r.refusal_probability.shape
    True
    """

    def __init__(self, times, probs, attempts, refused, threshold, capacity, storm=None):
        # the burst apart from the background: (its attempts, those refused)
        self.storm_attempts, self.storm_refused = storm if storm is not None else (None, None)
        self.storm_refused_share = (self.storm_refused / self.storm_attempts
                                    if storm is not None and self.storm_attempts > 0
                                    else (0.0 if storm is not None else None))
        self.times = times
        self.state_probabilities = probs
        self.refusal_probability = probs[:, -1]
        self.mean_in_system = probs @ np.arange(probs.shape[1])
        self.expected_attempts = float(attempts)
        self.expected_refused = float(refused)
        self.refused_share = float(refused / attempts) if attempts > 0 else 0.0
        self.threshold = threshold
        self.capacity = int(capacity)
        above = np.flatnonzero(self.refusal_probability >= threshold)
        self.refusals_end = float(times[above[-1] + 1]) if above.size and above[-1] + 1 < times.size \
            else (float(times[-1]) if above.size else 0.0)

    def __repr__(self):
        burst = (f", storm_refused_share={self.storm_refused_share:.4g}"
                 if self.storm_refused_share is not None else "")
        return (f"StormResult(capacity={self.capacity}, expected_attempts="
                f"{self.expected_attempts:.6g}, expected_refused={self.expected_refused:.6g}, "
                f"refusals_end={self.refusals_end:.4g} s{burst})")


def login_storm(clients, duration, service_rate, workers, backlog, os="linux", somaxconn=None,
                background_rate=0.0, rate_function=None, horizon=None, points=401,
                threshold=1e-3, initial=0):
    r"""A login storm into the accept queue, solved exactly as a transient.

    ``clients`` first attempts arrive as a Poisson stream of rate
    ``clients / duration`` during ``[0, duration)`` (plus a constant
    ``background_rate``), or at any rate :math:`\lambda(t)` given as
    ``rate_function``, into an initially empty M/M/c/K queue with
    K = workers + accept-queue capacity.  The forward (Kolmogorov) equations
    :math:`p'(t) = p(t) Q(t)` of the birth-death chain, together with the
    expected numbers of attempts and refusals
    :math:`\int \lambda(t) p_K(t)\,dt`, are solved by uniformization from
    one reported time to the next (the rates are constant during and after
    the storm; positive terms, compiled), or, for a ``rate_function``,
    integrated by ``scipy.integrate.solve_ivp`` (BDF, relative tolerance
    1e-10, the sparse tridiagonal Jacobian given).

    Parameters
    ----------
    clients : float
        N, expected first attempts in the storm, at least 0.
    duration : float
        T, the storm's length, greater than 0. [s]
    service_rate : float
        Connections one worker handles per second. [1/s]
    workers : int
        At least 1.
    backlog : int
        The ``listen()`` backlog.
    os, somaxconn
        As in :func:`accept_queue_capacity`.
    background_rate : float, default 0
        Steady attempts besides the storm. [1/s]
    rate_function : callable, optional
        :math:`\lambda(t)` in attempts per second, replacing the storm's
        shape (``clients`` and ``duration`` then only set the default
        horizon); must be non-negative.
    horizon : float, optional
        End of the computation; default three storm lengths plus ten mean
        service times per queued place.
    points : int, default 401
        Times at which the state is reported.
    threshold : float, default 1e-3
        Refusal probability below which refusals count as stopped.
    initial : int or array_like, default 0
        The state at t = 0: a number present (e.g. a backlog already
        half full when the storm begins), or a probability vector over
        0..K (e.g. a stationary distribution).

    Returns
    -------
    StormResult

    See Also
    --------
    storm_refusals : The refused attempts alone, for sizing.
    fluid_storm : The deterministic approximation.
    simulate_storm : The storm with the clients' retries, by simulation.
    queuemath.birth_death_transient : The transient solver underneath.

    Notes
    -----
    First attempts only: retries by refused clients (Windows) or dropped
    SYNs retransmitted (Linux, BSD) come back later and add load; see
    :func:`simulate_storm`.  Poisson arrivals at rate N/T stand for N clients
    logging in at independent uniform times in [0, T] (the same mean count);
    the simulation uses the uniform times themselves.

    References
    ----------
    .. [1] W. K. Grassmann, "Transient solutions in Markovian queueing
       systems," Computers & Operations Research 4, 1977, 47-53 (uniformization).
       doi:10.1016/0305-0548(77)90007-7
    .. [2] Microsoft, KB Q181350 (the field report: a backlog of 5 refusing a
       morning login storm).

    Examples
    --------
    >>> r = login_storm(300, 2.0, 50.0, 1, 5, os="windows-nt-4.0-server")
    >>> round(r.expected_refused)          # of 300 first attempts
    195
    >>> r = login_storm(300, 2.0, 50.0, 1, 200, os="windows-nt-4.0-server")
    >>> round(r.expected_refused)
    8
    """
    n_clients = float(_validate.nonnegative("clients", clients))
    t_storm = float(_validate.positive("duration", duration))
    mu = float(_validate.positive("service_rate", service_rate))
    c = int(_validate.integer("workers", workers, minimum=1))
    bg = float(_validate.nonnegative("background_rate", background_rate))
    threshold = float(_validate.probability("threshold", threshold))
    if not np.isfinite(n_clients / t_storm):
        raise ValueError(f"duration={t_storm!r} is too short for {n_clients!r} clients: the "
                         "storm's arrival rate clients/duration overflows a double")
    q = int(accept_queue_capacity(backlog, os=os, somaxconn=somaxconn))
    k = c + q
    if horizon is None:
        horizon = 3 * t_storm + 10 * (q + 1) / (c * mu)
    horizon = float(_validate.positive("horizon", horizon))
    npts = int(_validate.integer("points", points, minimum=2))
    states = np.arange(k + 1)
    deaths = mu * np.minimum(states, c)

    if rate_function is None:
        def rate(t):
            return bg + (n_clients / t_storm if t < t_storm else 0.0)
        breaks = [t_storm]          # birth_death_transient drops it beyond the horizon
    else:
        grid = np.linspace(0.0, horizon, 4 * npts)
        values = np.asarray([rate_function(x) for x in grid], dtype=float)
        if not np.all(np.isfinite(values)) or np.any(values < 0):
            bad = grid[np.flatnonzero(~(values >= 0) | ~np.isfinite(values))[0]]
            raise ValueError(f"rate_function must return finite rates >= 0, got "
                             f"{rate_function(bad)!r} at t={bad!r}")

        def rate(t):
            return float(rate_function(t))
        breaks = []
    times = np.linspace(0.0, horizon, npts)
    law = birth_death_transient(lambda t: np.full(k + 1, rate(t)), deaths, times,
                                initial=initial, breaks=breaks,
                                piecewise_constant=rate_function is None)
    probs, offered, lost = law.state_probabilities, law.expected_births, law.expected_refused
    storm = None
    if rate_function is None:
        storm = _refusals(n_clients / t_storm, t_storm, mu, c, q, bg,
                          start=law.state_probabilities[0])
    return StormResult(times, probs, offered[-1], lost[-1], threshold, k, storm)


# -- what clients do after a refusal or a dropped SYN ----------------------------

#: Retries after a dropped SYN (no answer), as offsets from the first SYN [s],
#: and when the client gives up: Linux ``tcp_syn_retries`` = 6 with a 1 s RTO
#: doubling; Linux >= 6.5 with ``tcp_syn_linear_timeouts`` = 4 (as measured on
#: a 6.x kernel); Windows 2000/2003 ``TcpMaxConnectRetransmissions`` = 2 with a
#: 3 s initial RTO doubling.
SYN_RETRIES = {
    "linux": ((1, 3, 7, 15, 31, 63), 127.0),
    "linux-6.5": ((1, 2, 3, 4, 5, 7, 11, 19, 35, 67), 131.0),
    "windows": ((3, 9), 21.0),
}


def retry_schedule(os="linux", client=None, reset_interval=0.5, reset_retries=3):
    """When a client whose attempt overflowed the server's queue tries again.

    Parameters
    ----------
    os : str
        The server's OS (see :func:`accept_queue_capacity`): it decides
        whether the attempt is refused with a reset (Windows) or its SYN
        dropped (Linux, BSD).
    client : {"linux", "linux-6.5", "windows"}, optional
        The client's stack; default "windows" for a Windows server, else
        "linux".
    reset_interval : float, default 0.5
        Windows clients re-send a SYN after a reset at this fixed interval
        (KB 175523; the value is unconfirmed, hence a parameter). [s]
    reset_retries : int, default 3
        How many times (KB 175523's registry default).

    Returns
    -------
    (offsets, give_up) : (tuple of float, float)
        Retry times after the first attempt, and when the client stops.

    See Also
    --------
    simulate_storm : A storm whose clients follow this schedule.
    ListenQueue.connect_time_cdf : The time to connect on this schedule.

    References
    ----------
    .. [1] Linux ``Documentation/networking/ip-sysctl.rst``
       (``tcp_syn_retries``, ``tcp_syn_linear_timeouts``).
    .. [2] Microsoft, KB 175523, "Winsock TCP Connection Performance to Unused
       Ports" (SYN re-sent after a reset); ``TcpMaxConnectRetransmissions``,
       ``TcpInitialRTT`` (Windows 2000/2003 TCP/IP implementation details).

    Examples
    --------
    >>> retry_schedule("windows-nt-4.0-server")
    ((0.5, 1.0, 1.5), 1.5)
    >>> retry_schedule("linux")
    ((1, 3, 7, 15, 31, 63), 127.0)
    """
    family = os_family(os)
    if client is None:
        client = "windows" if family == "windows" else "linux"
    if client not in SYN_RETRIES:
        raise ValueError(f"client must be one of {', '.join(SYN_RETRIES)}; got {client!r}")
    if OVERFLOW[family] == "reset":
        if client != "windows":
            return (), 0.0      # a Linux connect() fails at once on a reset
        interval = float(_validate.positive("reset_interval", reset_interval))
        n = int(_validate.integer("reset_retries", reset_retries, minimum=0))
        offsets = tuple(interval * (i + 1) for i in range(n))
        return offsets, (offsets[-1] if offsets else 0.0)
    return SYN_RETRIES[client]


class StormSimulation:
    """Outcome of :func:`simulate_storm`, pooled over replications.

    ``clients``: clients over all replications; ``failed_share``: clients
    that gave up; ``first_try_share``; ``attempt_shares``: share of clients
    admitted at attempt 1, 2, ...; ``refused_attempts``: mean refused or
    dropped attempts per replication (``per_replication_refused`` each);
    ``delay_values`` and ``delay_counts``: a client admitted at attempt j
    waited exactly the retry offset of that attempt (0 for the first), so
    the time to connect takes these values, this many times;
    ``delay_quantiles``: 50/90/99% and max of it.  :meth:`interval` gives a
    confidence interval over the replications.

    See Also
    --------
    simulate_storm : The function that returns it.
    queuemath.montecarlo.Estimate : What :meth:`interval` returns.

    Examples
    --------
    >>> s = simulate_storm(300, 2.0, 50.0, 1, 200, os="windows-nt-4.0-server", seed=1,
    ...                    replications=20)
    >>> s.failed_share, s.interval("failed_share").status
    (0.0, 'upper bound')
    """

    def __init__(self, tallies, offsets, replications):
        clients = tallies["clients"]
        admitted = tallies["admitted"]
        self.replications = int(replications)
        self._tallies = tallies
        total = float(clients.sum())
        self.clients = int(total)
        self.delay_values = (0.0,) + tuple(float(o) for o in offsets)
        self.delay_counts = tuple(int(x) for x in admitted.sum(axis=0))
        ok = sum(self.delay_counts)
        self.failed_share = float(tallies["failed"].sum() / total) if total else 0.0
        self.first_try_share = float(self.delay_counts[0] / total) if total else 0.0
        last = max((i for i, x in enumerate(self.delay_counts) if x), default=-1)
        self.attempt_shares = tuple(x / total for x in self.delay_counts[:last + 1])
        self.per_replication_refused = tallies["refused"].copy()
        self.refused_attempts = float(tallies["refused"].mean())
        cum = np.cumsum(self.delay_counts)

        def quantile(p):
            # smallest delay with at least a share p of the connected clients
            return self.delay_values[int(np.searchsorted(cum, p * ok))] if ok else np.nan

        self.delay_quantiles = dict(p50=quantile(0.5), p90=quantile(0.9), p99=quantile(0.99),
                                    max=self.delay_values[last] if ok else np.nan)

    def interval(self, name, confidence=0.95):
        """:class:`~queuemath.montecarlo.Estimate` of ``failed_share``,
        ``first_try_share`` or ``refused_attempts`` over the replications
        (each replication is an independent storm); a share never seen gets
        an upper bound.

        Examples
        --------
        >>> s = simulate_storm(300, 2.0, 50.0, 1, 5, os='windows-nt-4.0-server', seed=1, replications=50)
        >>> est = s.interval('failed_share')
        >>> est.low < s.failed_share < est.high
        True
        """
        from ..montecarlo.stats import estimate
        t = self._tallies
        with np.errstate(invalid="ignore", divide="ignore"):
            values = dict(failed_share=t["failed"] / t["clients"],
                          first_try_share=t["admitted"][:, 0] / t["clients"],
                          refused_attempts=t["refused"])
        if name not in values:
            raise ValueError(f"name must be one of {', '.join(values)}, got {name!r}")
        conf = float(_validate.probability("confidence", confidence))
        return estimate(values[name], conf, share=name != "refused_attempts")

    def __repr__(self):
        q = self.delay_quantiles
        return (f"StormSimulation({self.replications} replications: first try "
                f"{self.first_try_share:.1%}, failed {self.failed_share:.1%}, delay p50 "
                f"{q['p50']:.3g} s, p99 {q['p99']:.3g} s, max {q['max']:.3g} s)")


def simulate_storm(clients, duration, service_rate, workers, backlog, os="linux",
                   somaxconn=None, client=None, retries=True, replications=200, seed=None,
                   poisson=False, reset_interval=0.5, reset_retries=3, progress=False):
    r"""Monte Carlo of a login storm with the clients' retries.

    ``clients`` clients make their first attempt at independent uniform
    times in ``[0, duration)`` (``poisson=True``: a Poisson number of them,
    i.e. a Poisson stream, as :func:`login_storm` assumes); an attempt that
    finds the accept queue full is refused (Windows server) or its SYN is
    dropped (Linux, BSD), and the client tries again on its schedule
    (:func:`retry_schedule`) until it gets in or gives up.  Workers serve
    exponential times at ``service_rate``.

    Each replication runs in compiled code and keeps a few counts, so
    memory does not grow with clients times replications (a million
    clients: about 20 s for 200 replications on one core).  ``progress``
    shows a bar over replications.

    Returns
    -------
    StormSimulation
        Time-to-connect distribution, attempts, and failures, with
        :meth:`StormSimulation.interval` for confidence intervals.

    See Also
    --------
    login_storm : The exact transient without retries.
    StormSimulation : What it returns.
    queuemath.simulate : The steady-state simulation of any model.

    References
    ----------
    .. [1] Linux ``Documentation/networking/ip-sysctl.rst``
       (``tcp_syn_retries``, ``tcp_syn_linear_timeouts``).
    .. [2] Microsoft, KB 175523, "Winsock TCP Connection Performance to Unused
       Ports" (SYN re-sent after a reset); ``TcpMaxConnectRetransmissions``,
       ``TcpInitialRTT`` (Windows 2000/2003 TCP/IP implementation details).
    .. [3] Microsoft, KB Q181350 (the field report).

    Examples
    --------
    >>> s = simulate_storm(300, 2.0, 50.0, 1, 5, os="windows-nt-4.0-server", seed=1,
    ...                    replications=20)
    >>> s.failed_share > 0.3
    True
    """
    n = float(_validate.nonnegative("clients", clients))
    t_storm = float(_validate.positive("duration", duration))
    mu = float(_validate.positive("service_rate", service_rate))
    c = int(_validate.integer("workers", workers, minimum=1))
    q = int(accept_queue_capacity(backlog, os=os, somaxconn=somaxconn))
    reps = int(_validate.integer("replications", replications, minimum=1))
    if n > 2 ** 40:
        raise ValueError(f"clients must be at most 2**40 to simulate, got {clients!r}")
    offsets, _ = retry_schedule(os, client, reset_interval, reset_retries)
    if not retries:
        offsets = ()
    ss = _validate.seed_sequence(seed)
    bar = tick = None
    if progress:
        from tqdm.auto import tqdm
        bar = tqdm(total=reps, unit="replication", desc="storm")
        tick = bar.update
    try:
        tallies = _storm.simulate(n, t_storm, mu, c, c + q, offsets, ss.spawn(reps), poisson,
                                  tick)
    finally:
        if bar is not None:
            bar.close()
    return StormSimulation(tallies, offsets, reps)


class FluidStorm:
    """Outcome of :func:`fluid_storm`: ``times``, ``level`` (the fluid number
    present), ``expected_refused``, ``refusals_end`` (when the level leaves K
    for good; 0 if it never reaches K).

    See Also
    --------
    fluid_storm : The function that returns it.
    StormResult : The exact transient's result.

    Examples
    --------
    >>> f = fluid_storm(300, 2.0, 50.0, 1, 5, os="windows-nt-4.0-server")
    >>> float(f.level.max()), round(f.refusals_end, 2)     # full until the burst ends
    (6.0, 2.0)
    """

    def __init__(self, times, level, refused, refusals_end, capacity):
        self.times, self.level = times, level
        self.expected_refused = float(refused)
        self.refusals_end = float(refusals_end)
        self.capacity = int(capacity)

    def __repr__(self):
        return (f"FluidStorm(capacity={self.capacity}, expected_refused="
                f"{self.expected_refused:.6g}, refusals_end={self.refusals_end:.4g} s)")


def fluid_storm(clients, duration, service_rate, workers, backlog, os="linux", somaxconn=None,
                horizon=None, points=401):
    r"""Fluid (deterministic ODE) approximation of :func:`login_storm`.

    The number present is treated as a continuous level x(t):
    :math:`x' = \lambda(t) - \mu\min(x, c)` below K; at K the excess
    :math:`\lambda(t) - \mu\min(K, c)` is refused.  Cheap and transparent,
    and good when the storm overloads the server well beyond its capacity:
    the refusals are then the deterministic excess (seed scenario with
    backlog 5, 150 attempts/s against 50/s: fluid 193.2 refused, exact
    194.0; 3000 clients in 10 s, backlog 16: 2482.1 against 2482.4).  It is
    poor where randomness decides: a storm that only just fills the queue
    (backlog 200 in the seed scenario: fluid 0 refused, exact 7.4), and
    loads near capacity, where the real queue fills by chance long before the
    mean does.  ``tests/test_tcp.py`` checks both regimes against the exact
    transient (:func:`login_storm`).

    Parameters and defaults are those of :func:`login_storm` (uniform storm).

    Returns
    -------
    FluidStorm

    See Also
    --------
    login_storm : The exact transient it approximates.
    FluidStorm : What it returns.

    References
    ----------
    .. [1] G. F. Newell, "Applications of Queueing Theory," 2nd ed., Chapman
       and Hall, 1982, ch. 2 (fluid approximations of queues under rush-hour
       overloads).  doi:10.1007/978-94-009-5970-5

    Examples
    --------
    The field report's storm: 150 attempts/s for 2 s against one worker at
    50/s and room for 6; the excess, about 100/s once the queue is full,
    is refused (the exact transient refuses 194.0):

    >>> f = fluid_storm(300, 2.0, 50.0, 1, 5, os="windows-nt-4.0-server")
    >>> round(f.expected_refused, 1)
    194.2
    """
    n = float(_validate.nonnegative("clients", clients))
    t_storm = float(_validate.positive("duration", duration))
    mu = float(_validate.positive("service_rate", service_rate))
    c = int(_validate.integer("workers", workers, minimum=1))
    k = c + int(accept_queue_capacity(backlog, os=os, somaxconn=somaxconn))
    if horizon is None:
        horizon = 3 * t_storm + 10 * (k - c + 1) / (c * mu)
    horizon = float(_validate.positive("horizon", horizon))
    times = np.linspace(0.0, horizon, int(_validate.integer("points", points, minimum=2)))
    lam = n / t_storm
    # Explicit Euler on a grid 200 times finer than the report; halving the
    # step moves the seed scenario's refused count by about 3e-5 relative,
    # far below the fluid model's own error.
    level = np.zeros(times.size)
    x, refused, last_full = 0.0, 0.0, 0.0
    fine = np.linspace(0.0, horizon, 200 * times.size)
    dt = fine[1] - fine[0]
    j = 0
    for tf in fine:
        rate = lam if tf < t_storm else 0.0
        out = mu * min(x, c)
        if x >= k and rate > out:
            refused += (rate - out) * dt
            last_full = tf + dt
        else:
            x = min(k, max(0.0, x + (rate - out) * dt))
        while j < times.size and times[j] <= tf + 1e-12:
            level[j] = x
            j += 1
    level[j:] = x
    return FluidStorm(times, level, refused, last_full, k)


# -- dimensioning for a storm ---------------------------------------------------

class StormAdvice:
    """Answer of :func:`min_backlog_for_storm` and :func:`min_workers_for_storm`.

    ``backlog`` and ``workers``: the configuration found (the OS maximum
    backlog, or ``max_workers``, where none suffices); ``accept_queue_capacity``;
    ``refused_share``: the expected share of the storm's first attempts
    refused there; ``storm_attempts`` and ``storm_refused``: expected first
    attempts during the storm and how many of them are refused (the
    background's attempts are not counted); ``sufficient``: whether the
    target is met; ``os_max_backlog``.

    See Also
    --------
    min_backlog_for_storm, min_workers_for_storm : The functions that return it.
    BacklogAdvice : The steady-state answer.

    Examples
    --------
    >>> a = min_backlog_for_storm(300, 2.0, 50.0, 1, target_refused=0.01, os="linux")
    >>> a.sufficient, a.refused_share <= 0.01, a.accept_queue_capacity == a.backlog + 1
    (True, True, True)
    """

    def __init__(self, backlog, workers, capacity, attempts, refused, sufficient, os_max):
        self.backlog, self.workers = int(backlog), int(workers)
        self.accept_queue_capacity = int(capacity)
        self.storm_attempts, self.storm_refused = float(attempts), float(refused)
        self.refused_share = float(refused / attempts) if attempts > 0 else 0.0
        self.sufficient = bool(sufficient)
        self.os_max_backlog = int(os_max)

    def to_dict(self):
        """The fields as a plain dict (what ``queuemath storm --json`` prints).

        Examples
        --------
        >>> a = min_backlog_for_storm(300, 2.0, 50.0, 1, target_refused=0.01, os='linux')
        >>> sorted(a.to_dict())[:4]
        ['accept_queue_capacity', 'backlog', 'os_max_backlog', 'refused_share']
        """
        return dict(backlog=self.backlog, workers=self.workers,
                    accept_queue_capacity=self.accept_queue_capacity,
                    refused_share=self.refused_share, storm_attempts=self.storm_attempts,
                    storm_refused=self.storm_refused, sufficient=self.sufficient,
                    os_max_backlog=self.os_max_backlog)

    def __repr__(self):
        return (f"StormAdvice(backlog={self.backlog}, workers={self.workers}, "
                f"accept_queue_capacity={self.accept_queue_capacity}, refused_share="
                f"{self.refused_share:.4g}, sufficient={self.sufficient})")


def storm_refusals(clients, duration, service_rate, workers, capacity, background_rate=0.0):
    r"""(expected first attempts of a storm, expected of them refused), exact.

    A storm of ``clients`` first attempts at rate N/T during [0, T) (plus a
    steady ``background_rate``) into an empty M/M/c/K queue, K = workers +
    ``capacity`` (the accept queue's capacity): the storm's attempts see
    the refusal probability :math:`p_K(t)` (PASTA), so
    :math:`N/T \int_0^T p_K(t)\,dt` of them are refused.  The integral is
    taken by uniformization of the constant-rate chain over [0, T] (kernel
    ``queuemath._kernels.transient.uniformized``: positive terms, relative
    error about 1e-13; about :math:`(\lambda + c\mu) T` steps of O(K)).

    Parameters
    ----------
    clients : float
        N, at least 0.
    duration : float
        T > 0. [s]
    service_rate : float
        One worker's rate. [1/s]
    workers : int
        c >= 1.
    capacity : int
        The accept queue's capacity, at least 0 (see
        :func:`accept_queue_capacity`).
    background_rate : float, default 0
        Steady attempts besides the storm (they load the queue; they are not
        counted). [1/s]

    Returns
    -------
    (float, float)

    See Also
    --------
    login_storm : The whole transient.
    min_backlog_for_storm : Inverts it for the backlog.
    min_workers_for_storm : Inverts it for the workers.

    References
    ----------
    .. [1] W. K. Grassmann, "Transient solutions in Markovian queueing
       systems," Computers & Operations Research 4, 1977, 47-53 (uniformization).
       doi:10.1016/0305-0548(77)90007-7
    .. [2] Microsoft, KB Q181350 (the field report: a backlog of 5 refusing a
       morning login storm).

    Examples
    --------
    >>> attempts, refused = storm_refusals(300, 2.0, 50.0, 1, 5)
    >>> round(refused / attempts, 3)
    0.65
    """
    n = float(_validate.nonnegative("clients", clients))
    t = float(_validate.positive("duration", duration))
    mu = float(_validate.positive("service_rate", service_rate))
    c = int(_validate.integer("workers", workers, minimum=1))
    q = int(_validate.integer("capacity", capacity, minimum=0))
    bg = float(_validate.nonnegative("background_rate", background_rate))
    return _refusals(n / t, t, mu, c, q, bg)


def _memo_refusals(rate, t, mu, bg):
    """``f(c, q)`` -> (attempts, refused, refused share) of the storm with c
    workers and an accept queue of q, each configuration solved once (the
    inverses' searches come back to the points they bracket)."""
    done = {}

    def storm(c, q):
        if (c, q) not in done:
            done[(c, q)] = _refusals(rate, t, mu, c, q, bg)
        attempts, refused = done[(c, q)]
        return attempts, refused, (refused / attempts if attempts > 0 else 0.0)
    return storm


def _refusals(rate, t, mu, c, q, bg, start=None):
    """(rate t, rate int_0^t p_K) from ``start`` (default empty)."""
    k = c + q
    states = np.arange(k + 1)
    if start is None:
        p0 = np.zeros(k + 1)
        p0[0] = 1.0
    else:
        p0 = np.asarray(start, dtype=float)
    if rate == 0:
        return 0.0, 0.0
    _, area = _transient.uniformized(np.full(k + 1, rate + bg), mu * np.minimum(states, c),
                                     p0, t)
    return rate * t, rate * float(area[-1])


def _storm_inputs(clients, duration, service_rate, target_refused, background_rate):
    n = float(_validate.nonnegative("clients", clients))
    t = float(_validate.positive("duration", duration))
    mu = float(_validate.positive("service_rate", service_rate))
    target = float(_validate.probability("target_refused", target_refused))
    bg = float(_validate.nonnegative("background_rate", background_rate))
    if not np.isfinite(n / t):
        raise ValueError(f"duration={t!r} is too short for {n!r} clients: the storm's "
                         "arrival rate clients/duration overflows a double")
    return n / t, t, mu, target, bg


def _smallest(value, lo, hi, target):
    """The smallest integer x in (lo, hi] with value(x) <= target, for a
    value falling in x with value(lo) > target >= value(hi): regula falsi
    on log(value/target), Illinois-style (the end kept twice counts half),
    and a bisection where an end is kept three times."""
    def f(x):
        v = value(x)
        return float(np.log(v / target)) if v > 0 else -np.inf
    f_lo, f_hi = f(lo), f(hi)
    last, kept = 0, 0
    while hi - lo > 1:
        if np.isfinite(f_hi) and np.isfinite(f_lo) and kept < 2:
            guess = lo + (hi - lo) * f_lo / (f_lo - f_hi)
            mid = int(min(max(round(guess), lo + 1), hi - 1))
        else:
            mid, kept = (lo + hi) // 2, 0
        f_mid = f(mid)
        moved = 1 if f_mid <= 0 else -1
        if moved > 0:
            hi, f_hi = mid, f_mid
        else:
            lo, f_lo = mid, f_mid
        if moved == last:
            kept += 1
            if moved > 0:
                f_lo /= 2
            else:
                f_hi /= 2
        else:
            kept = 0
        last = moved
    return hi


def min_backlog_for_storm(clients, duration, service_rate, workers, *, target_refused,
                          os="linux", somaxconn=None, background_rate=0.0):
    r"""The smallest ``listen()`` backlog for which the expected share of a
    storm's first attempts refused is at most ``target_refused``.

    The storm is :func:`storm_refusals`'s (exact transient from an empty
    queue); the share falls as the backlog grows, so a bisection over the
    backlogs the OS honours finds the smallest (about a dozen transients).
    Where even the OS maximum does not suffice, the answer says so
    (``sufficient`` False) and gives the OS maximum with its share: more
    workers, a higher ``somaxconn`` or a smaller storm are then the remedy.

    Parameters
    ----------
    clients : float
        Expected first attempts in the storm, at least 0.
    duration : float
        The storm's length, > 0. [s]
    service_rate : float
        Connections one worker accepts and handles per second. [1/s]
    workers : int
        At least 1.
    target_refused : float
        Keyword only: largest acceptable expected share of the storm's
        first attempts refused, in (0, 1).
    os, somaxconn
        As in :func:`accept_queue_capacity`.
    background_rate : float, default 0
        Steady attempts besides the storm (they load the queue; the share is
        the storm's own). [1/s]

    Returns
    -------
    StormAdvice

    See Also
    --------
    min_workers_for_storm : The workers instead.
    min_backlog : The backlog for the steady state.
    storm_refusals : The refused share it inverts.

    Notes
    -----
    First attempts only, as :func:`login_storm`: retries of refused clients
    add load later (see :func:`simulate_storm`), so a target on first
    attempts is the optimistic half of the story.

    References
    ----------
    .. [1] W. K. Grassmann, "Transient solutions in Markovian queueing
       systems," Computers & Operations Research 4, 1977, 47-53 (uniformization).
       doi:10.1016/0305-0548(77)90007-7
    .. [2] Microsoft, KB Q181350 (the field report: a backlog of 5 refusing a
       morning login storm).

    Examples
    --------
    >>> a = min_backlog_for_storm(300, 2.0, 50.0, 1, target_refused=0.05,
    ...                           os="windows-nt-4.0-server")
    >>> a.backlog, a.sufficient
    (189, True)
    >>> a = min_backlog_for_storm(30000, 3.0, 200.0, 16, target_refused=1e-5, os="linux")
    >>> a.sufficient, a.backlog, round(a.refused_share, 2)
    (False, 4096, 0.54)
    """
    rate, t, mu, target, bg = _storm_inputs(clients, duration, service_rate, target_refused,
                                            background_rate)
    c = int(_validate.integer("workers", workers, minimum=1))
    top = int(os_max_backlog(os, somaxconn=somaxconn))
    storm = _memo_refusals(rate, t, mu, bg)

    def share(backlog):
        q = int(accept_queue_capacity(backlog, os=os, somaxconn=somaxconn))
        return (q, *storm(c, q))

    q, attempts, refused, s = share(top)
    if s > target:
        return StormAdvice(top, c, q, attempts, refused, False, top)
    if share(0)[3] <= target:
        hi = 0
    else:
        hi = _smallest(lambda b: share(b)[3], 0, top, target)
    q, attempts, refused, _ = share(hi)
    return StormAdvice(hi, c, q, attempts, refused, True, top)


def min_workers_for_storm(clients, duration, service_rate, backlog, *, target_refused,
                          os="linux", somaxconn=None, background_rate=0.0, max_workers=100_000):
    r"""The fewest workers for which the expected share of a storm's first
    attempts refused is at most ``target_refused``, at a given backlog.

    As :func:`min_backlog_for_storm`, searching the workers (doubling, then
    bisection: the share falls as workers are added).  Where ``max_workers``
    do not suffice, ``sufficient`` is False and ``workers`` is
    ``max_workers``.

    Parameters
    ----------
    clients, duration, service_rate, target_refused, os, somaxconn, background_rate
        As in :func:`min_backlog_for_storm`.
    backlog : int
        The ``listen()`` backlog.
    max_workers : int, default 100000
        Where the search stops.

    Returns
    -------
    StormAdvice

    See Also
    --------
    min_backlog_for_storm : The backlog instead.
    queuemath.erlang_c_servers : Workers for a steady-state target.

    References
    ----------
    .. [1] W. K. Grassmann, "Transient solutions in Markovian queueing
       systems," Computers & Operations Research 4, 1977, 47-53 (uniformization).
       doi:10.1016/0305-0548(77)90007-7
    .. [2] Microsoft, KB Q181350 (the field report: a backlog of 5 refusing a
       morning login storm).

    Examples
    --------
    >>> a = min_workers_for_storm(300, 2.0, 50.0, 5, target_refused=0.01,
    ...                           os="windows-nt-4.0-server")
    >>> a.workers, a.sufficient
    (5, True)
    """
    rate, t, mu, target, bg = _storm_inputs(clients, duration, service_rate, target_refused,
                                            background_rate)
    cap = int(_validate.integer("max_workers", max_workers, minimum=1))
    q = int(accept_queue_capacity(backlog, os=os, somaxconn=somaxconn))
    top = int(os_max_backlog(os, somaxconn=somaxconn))
    storm = _memo_refusals(rate, t, mu, bg)

    def share(c):
        return storm(c, q)

    # first probe: the workers that carry the attempts' mean rate (fewer
    # refuse a share of the order of the excess); then doubling to a bracket
    lo, hi = 0, min(cap, max(1, int(np.ceil((rate + bg) / mu))))
    while share(hi)[2] > target:
        if hi >= cap:
            attempts, refused, _ = share(cap)
            return StormAdvice(int(backlog), cap, q, attempts, refused, False, top)
        lo, hi = hi, min(2 * hi, cap)
    if lo == 0 and hi > 1:
        lo = 1
        if share(1)[2] <= target:
            hi = 1
    if hi - lo > 1:
        hi = _smallest(lambda c: share(c)[2], lo, hi, target)
    attempts, refused, _ = share(hi)
    return StormAdvice(int(backlog), hi, q, attempts, refused, True, top)
