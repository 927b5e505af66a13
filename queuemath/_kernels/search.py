"""Integer and root searches behind the inverses (private kernel).

Every probe is one vectorised evaluation of an exact forward function, so an
answer is right at the integer boundary whenever the forward value is.
"""
import numpy as np

from .. import _validate

__all__ = ["LIMIT", "smallest_integer", "meets", "solve_load"]

LIMIT = 2.0 ** 53


def smallest_integer(ok, lo, names, what):
    """Smallest n > lo with ok(n) True, elementwise, for ok monotone in n.

    ``ok(n, mask)`` evaluates the test where ``mask`` is True.  ``lo`` is
    known to fail (or is the bound below the domain).  Doubling steps find a
    passing value, then bisection closes the gap.  ``names`` (parameter name
    -> array) and ``what`` word the ValueError raised where nothing up to
    2**53 passes.
    """
    lo = lo.astype(float).copy()
    step = np.ones_like(lo)
    hi = lo + step
    passed = ok(hi, np.ones(lo.shape, dtype=bool))
    while not np.all(passed):
        todo = ~passed
        lo = np.where(todo, hi, lo)
        step = np.where(todo, 2 * step, step)
        hi = np.where(todo, np.minimum(lo + step, LIMIT), hi)
        over = todo & (lo >= LIMIT)
        if np.any(over):
            idx = tuple(np.argwhere(over)[0])
            detail = ", ".join(f"{n}={_validate.fmt(v[idx])}" for n, v in names.items())
            raise ValueError(f"no {what} up to 2**53 meets the target ({detail})")
        passed = passed | ok(hi, todo)
    # Invariant: ok(lo) is False (or lo is the lower bound), ok(hi) is True.
    while True:
        gap = hi - lo > 1
        if not np.any(gap):
            break
        mid = np.floor(lo + (hi - lo) / 2)
        good = ok(mid, gap)
        hi = np.where(gap & good, mid, hi)
        lo = np.where(gap & ~good, mid, lo)
    return hi.astype(np.int64)


def meets(log_value, target, plain=None):
    """The probability is <= target, judged as the user sees it.

    Where the target is a normal double the comparison is made on the plain
    value (``plain``, or exp(log_value)), which is what erlang_b, erlang_c
    and MMcK.blocking return, so the answer agrees with them even at a tie;
    below that only the log form carries the value.
    """
    tiny = np.finfo(float).tiny
    if plain is None:
        with np.errstate(under="ignore"):
            plain = np.exp(log_value)
    return np.where(target >= tiny, plain <= target, log_value <= np.log(target))


def solve_load(log_prob_and_slope, log_t, lo, hi):
    """The A with log_prob(A) = log_t, for a probability rising in A whose
    log-log slope is known: safeguarded Newton inside [exp(lo), exp(hi)].

    The iterate is kept as A itself, not log A: a Newton step multiplies A by
    exp(-step), so the root is found to an ulp of A, not of log A (which
    would cost |log A| ulps, 1e-13 at A = 1e-200).
    """
    a = np.exp(0.5 * (lo + hi))
    for _ in range(200):
        log_p, slope = log_prob_and_slope(a)
        f = log_p - log_t
        x = np.log(a)
        lo = np.where(f < 0, np.maximum(lo, x), lo)
        hi = np.where(f > 0, np.minimum(hi, x), hi)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            step = f / slope
            newton = a * np.exp(-step)
        inside = (x - step > lo) & (x - step < hi) & np.isfinite(newton) & (newton > 0)
        nxt = np.where(inside, newton, np.exp(0.5 * (lo + hi)))
        done = (np.abs(step) <= 2e-16) | (f == 0)
        a = np.where(done, a, nxt)
        if np.all(done):
            break
    return a
