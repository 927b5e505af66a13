"""Transient law of a birth-death chain with time-varying rates (private
kernel; see ``queuemath.birth_death_transient``)."""
import numpy as np

__all__ = ["solve", "uniformized", "piecewise"]


def solve(birth, death, p0, times, breaks):
    """Forward (Kolmogorov) equations on states 0..N, integrated by scipy's
    BDF with the exact sparse Jacobian.

    ``birth(t)`` and ``death(t)`` return float arrays of length N+1 (birth
    rate out of each state upwards, the last one being refused at N; death
    rate out of each state downwards, the first one ignored); ``p0`` the law
    at ``times[0]``; ``breaks`` sorted times inside (times[0], times[-1])
    where the rates jump (the solver restarts there, so no step straddles a
    jump).  Returns (probabilities (len(times), N+1), expected births
    offered and expected births refused at N, both cumulative from times[0],
    arrays of len(times)).
    """
    from scipy import sparse
    from scipy.integrate import solve_ivp
    size = p0.size
    top = size - 1

    def generator_t(lam, mu):
        # Q^T for p' = Q^T p: births lam_n below N, deaths mu_n above 0.
        up = lam[:-1]
        down = mu[1:]
        diag = -(np.append(up, 0.0) + np.append(0.0, down))
        return sparse.diags([up, diag, down], [-1, 0, 1], format="csc")

    # Each piece [lo, hi] is integrated in its own clock s = (t - lo)/(hi - lo)
    # on [0, 1], the rates scaled by hi - lo: a storm of 1e-300 s at 1e302
    # attempts/s is then as well conditioned as one of 1 s at 100/s (in
    # seconds the solver's first step would underflow).
    def rhs(s, y, lo, span):
        # the tridiagonal product by slices: this runs at every stage of
        # every step (a sparse matrix built here cost most of the solve)
        t = lo + s * span
        lam, mu = birth(t) * span, death(t) * span
        p = y[:-2]
        out = np.empty(size + 2)
        flow_up = lam[:-1] * p[:-1]
        flow_down = mu[1:] * p[1:]
        dp = out[:size]
        dp[:] = 0.0
        dp[1:] += flow_up
        dp[:-1] -= flow_up
        dp[:-1] += flow_down
        dp[1:] -= flow_down
        out[size] = lam @ p
        out[size + 1] = lam[-1] * p[-1]
        return out

    def jac(s, y, lo, span):
        t = lo + s * span
        lam, mu = birth(t) * span, death(t) * span
        top_rows = sparse.hstack([generator_t(lam, mu), sparse.csc_matrix((size, 2))])
        offered = sparse.csc_matrix(np.append(lam, [0.0, 0.0]))
        lost = np.zeros(size + 2)
        lost[top] = lam[-1]
        return sparse.vstack([top_rows, offered, sparse.csc_matrix(lost)]).tocsc()

    edges = [times[0]] + [b for b in breaks] + [times[-1]]
    y = np.concatenate([p0, [0.0, 0.0]])
    out = np.zeros((times.size, size + 2))
    out[0] = y
    for lo, hi in zip(edges[:-1], edges[1:]):
        if hi <= lo:
            continue
        inside = (times > lo) & (times < hi)
        span = hi - lo
        s_eval = np.minimum((np.concatenate([times[inside], [hi]]) - lo) / span, 1.0)
        sol = solve_ivp(rhs, (0.0, 1.0), y, method="BDF", t_eval=s_eval, jac=jac,
                        rtol=1e-10, atol=1e-13, max_step=1 / 20, args=(lo, span))
        if not sol.success:  # pragma: no cover - BDF with an exact Jacobian
            raise RuntimeError(f"the transient solver failed: {sol.message}")
        out[inside] = sol.y[:, :-1].T
        out[times == hi] = sol.y[:, -1]
        y = sol.y[:, -1]
    # The solver's own tolerance may leave -1e-14 or 1 + 1e-14.
    probs = np.clip(out[:, :size], 0.0, 1.0)
    return probs, out[:, size], out[:, size + 1]


def uniformized(birth, death, p0, duration):
    r"""(p(T), :math:`\int_0^T p(s)\,ds`) of a birth-death chain with constant
    rates, by uniformization: positive terms only, so every probability
    keeps its relative precision (the ODE route has an absolute tolerance).

    ``birth`` and ``death`` are the rates out of each state 0..N upwards and
    downwards (``birth[-1]``, refused at N, and ``death[0]`` are not
    transitions).  With :math:`\Lambda` the largest total rate and P = I +
    Q/:math:`\Lambda` (tridiagonal, non-negative),

    .. math:: p(T) = \sum_k \mathrm{Pois}(k; \Lambda T)\, p_0 P^k,\qquad
              \int_0^T p = \frac{1}{\Lambda}\sum_k P(\mathrm{Pois}(\Lambda T) > k)
              \, p_0 P^k,

    summed to :math:`k = \Lambda T + 12\sqrt{\Lambda T} + 60` (the Poisson
    law beyond holds less than :math:`e^{-70}`).  Cost O(N) per step,
    about :math:`\Lambda T` steps, in compiled code.

    References
    ----------
    .. [1] W. K. Grassmann, "Transient solutions in Markovian queueing
       systems," Computers & Operations Research 4, 1977, 47-53.
       doi:10.1016/0305-0548(77)90007-7
    """
    from . import special as _special
    birth = np.asarray(birth, dtype=float)
    death = np.asarray(death, dtype=float)
    v = np.array(p0, dtype=float)
    up = birth[:-1].copy()
    down = death[1:].copy()
    out = np.append(up, 0.0) + np.append(0.0, down)
    rate = float(out.max())
    if rate <= 0 or duration <= 0:
        return v.copy(), v * max(duration, 0.0)
    x = rate * duration
    top = _special.poisson_reach(x)
    k = np.arange(top + 1, dtype=float)
    with np.errstate(under="ignore"):
        weight = np.exp(_special.log_poisson_all(k, x))
    # P(Pois(x) > k) as the sum of the weights above k (what lies past
    # ``top`` is below e^-70 of the whole): positive terms
    after = np.append(np.cumsum(weight[::-1])[::-1][1:], 0.0)
    stay = 1.0 - out / rate
    up /= rate
    down /= rate
    from . import _uniform_jit           # numba, when a transient is solved
    law, area = _uniform_jit.sweep(v, stay, up, down, weight, after)
    return law, area / rate


def piecewise(birth, death, p0, times, breaks):
    """As :func:`solve` for rates constant between the ``breaks`` (read at
    each piece's midpoint): :func:`uniformized` from one time of interest
    to the next (report times and breaks), carrying the law."""
    size = p0.size
    edges = sorted(set(times.tolist()) | set(breaks))
    probs = np.zeros((times.size, size))
    offered = np.zeros(times.size)
    lost = np.zeros(times.size)
    where = {float(t): i for i, t in enumerate(times)}
    v = np.array(p0, dtype=float)
    total_in, total_lost = 0.0, 0.0
    probs[0] = v
    for lo, hi in zip(edges[:-1], edges[1:]):
        mid = 0.5 * (lo + hi)
        b, d = birth(mid), death(mid)
        v, area = uniformized(b, d, v, hi - lo)
        total_in += float(b @ area)
        total_lost += float(b[-1] * area[-1])
        i = where.get(float(hi))
        if i is not None:
            probs[i], offered[i], lost[i] = v, total_in, total_lost
    return np.clip(probs, 0.0, 1.0), offered, lost
