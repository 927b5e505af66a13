r"""Transient laws: a birth-death chain whose rates change in time.

Any model whose number present is a birth-death chain (M/M/c/K, Engset,
Erlang A, finite populations) has a transient law given by the forward
Kolmogorov equations; :func:`birth_death_transient` solves them for rates
that may vary in time, which is what a login storm is
(:func:`queuemath.tcp.login_storm` is this function with the storm's rates).
"""
import numpy as np

from . import _validate
from ._kernels import transient as _transient

__all__ = ["birth_death_transient", "Transient", "initial_law"]


class Transient:
    """Result of :func:`birth_death_transient`.

    Attributes
    ----------
    times : ndarray
        The times asked for. [s]
    state_probabilities : ndarray
        Shape ``(len(times), N + 1)``: the law of the number present.
    expected_births : ndarray
        Expected births offered from ``times[0]`` up to each time (those
        refused at N included).
    expected_refused : ndarray
        Expected births refused at the top state N up to each time.
    mean : ndarray
        Mean number present at each time.
    """

    def __init__(self, times, probs, offered, lost):
        self.times = times
        self.state_probabilities = probs
        self.expected_births = offered
        self.expected_refused = lost
        self.mean = probs @ np.arange(probs.shape[1])

    def __repr__(self):
        return (f"Transient({self.times.size} times from {self.times[0]:g} to "
                f"{self.times[-1]:g}, states 0..{self.state_probabilities.shape[1] - 1}, "
                f"expected refused {self.expected_refused[-1]:.6g})")


def _rates(name, rates, size):
    """A callable t -> rates of length ``size`` from an array or a callable."""
    if callable(rates):
        def fn(t):
            out = np.asarray(rates(t), dtype=float)
            if out.shape != (size,) or not np.all(np.isfinite(out)) or np.any(out < 0):
                raise ValueError(f"{name} must return {size} finite rates >= 0 at every "
                                 f"time, got {out!r} at t={t!r}")
            return out
        return fn
    arr = _validate.nonnegative(name, rates)
    if arr.shape != (size,):
        raise ValueError(f"{name} must have one rate per state (length {size}), "
                         f"got shape {arr.shape}")
    return lambda t: arr


def birth_death_transient(birth_rates, death_rates, times, *, initial=0, breaks=(),
                          piecewise_constant=None):
    r"""Law over time of a birth-death chain on 0..N with time-varying rates.

    Parameters
    ----------
    birth_rates : array_like or callable
        :math:`\lambda_n(t)` for n = 0..N, an array of length N+1 or a
        function of t returning one.  :math:`\lambda_N` is the rate of births
        refused in the top state (an arrival that finds the system full): it
        moves nothing but is counted in ``expected_refused``. [1/s]
    death_rates : array_like or callable
        :math:`\mu_n(t)` for n = 0..N, the rate from n down to n-1 (the
        first entry is not used), same forms. [1/s]
    times : array_like
        Increasing times, at least two; the chain starts at ``times[0]``. [s]
    initial : int or array_like, default 0
        The state at ``times[0]``: a number present, or a probability vector
        over 0..N.
    breaks : sequence of float, optional
        Times where the rates jump (a storm's end): the solver restarts there
        so that no step straddles a jump.
    piecewise_constant : bool, optional
        The rates are constant between the breaks (read at each piece's
        middle).  Default: True where both rates are arrays, False where
        one is a function.  Such a chain is solved by uniformization (see
        Notes): exact, and much faster for a long queue under a storm.

    Returns
    -------
    Transient

    See Also
    --------
    queuemath.tcp.login_storm : The accept queue under a storm, built on this.
    MMcK : The stationary law the transient tends to.

    Notes
    -----
    Rates constant between breaks: uniformization from each time of
    interest to the next, :math:`p(t+\Delta) = \sum_k
    \mathrm{Pois}(k;\Lambda\Delta)\, p(t) P^k` with P = I + Q/:math:`\Lambda`,
    and the counts from :math:`\int_0^\Delta p` (positive terms only:
    every probability keeps its relative precision, 1e-13 measured; about
    :math:`\Lambda\Delta` steps of O(N) in compiled code).  Otherwise the
    forward equations :math:`p' = Q(t)^T p` are integrated by scipy's BDF
    method with the exact sparse (tridiagonal) Jacobian at relative
    tolerance 1e-10 and absolute tolerance 1e-13, together with the two
    counts :math:`\int \sum_n \lambda_n p_n` and :math:`\int \lambda_N p_N`.
    A storm of 3 s at 10,000 attempts/s into 16 workers of 200/s and an
    accept queue of 4097: uniformization 0.9 s, BDF 113 s
    (``benchmarks/bench_transient.py``).

    References
    ----------
    .. [1] D. Gross, J. F. Shortle, J. M. Thompson, C. M. Harris,
       "Fundamentals of Queueing Theory," 4th ed., Wiley, 2008, sec. 2.1
       (birth-death processes) and ch. 7 (transient behaviour).
       doi:10.1002/9781118625651

    Examples
    --------
    M/M/1/1 from empty: :math:`p_1(t) = \frac{\lambda}{\lambda+\mu}
    (1 - e^{-(\lambda+\mu)t})`.

    >>> import math
    >>> r = birth_death_transient([2.0, 2.0], [0.0, 1.0], [0.0, 1.0])
    >>> round(float(r.state_probabilities[-1, 1]), 8), round(2 / 3 * (1 - math.exp(-3.0)), 8)
    (0.63347529, 0.63347529)
    """
    t = _validate.nonnegative("times", times)
    if t.ndim != 1 or t.size < 2:
        raise ValueError(f"times must be one-dimensional with at least two times, got shape "
                         f"{t.shape}")
    if np.any(np.diff(t) <= 0):
        raise ValueError("times must be increasing")
    size = None
    for rates in (birth_rates, death_rates):
        if not callable(rates):
            size = np.asarray(rates).size
            break
    if size is None:
        size = np.asarray(birth_rates(float(t[0]))).size
    if size < 2:
        raise ValueError(f"a birth-death chain needs at least two states, got {size}")
    birth = _rates("birth_rates", birth_rates, size)
    death = _rates("death_rates", death_rates, size)
    p0 = initial_law(initial, size - 1)
    cuts = sorted(float(b) for b in np.atleast_1d(np.asarray(breaks, dtype=float))
                  if t[0] < b < t[-1])
    if piecewise_constant is None:
        piecewise_constant = not (callable(birth_rates) or callable(death_rates))
    solver = _transient.piecewise if piecewise_constant else _transient.solve
    probs, offered, lost = solver(birth, death, p0, t, cuts)
    return Transient(t, probs, offered, lost)


def initial_law(initial, top):
    """The law over 0..top of ``initial``: a state (int) or a probability
    vector; a ValueError names ``initial`` otherwise."""
    arr = np.asarray(initial, dtype=float)
    if arr.ndim == 0:
        n0 = _validate.integer("initial", initial, minimum=0)
        if n0 > top:
            raise ValueError(f"initial must be a number present in 0..K={top}, got {int(n0)}")
        p = np.zeros(top + 1)
        p[int(n0)] = 1.0
        return p
    if arr.shape != (top + 1,) or not np.all(np.isfinite(arr)) or np.any(arr < 0) \
            or abs(arr.sum() - 1) > 1e-9:
        raise ValueError(f"initial must be a probability vector over 0..K={top} "
                         f"(length {top + 1}, summing to 1), got shape {arr.shape}")
    return arr
