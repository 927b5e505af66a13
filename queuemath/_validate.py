"""Shared input checks.

Every public function validates its arguments here before any arithmetic, so a
bad value is reported by name instead of surfacing later as a NaN.  Each check
returns a float64 ndarray (integers too: they are exact in a double up to
2**53, the largest count accepted).
"""
import functools

import numpy as np

__all__ = ["MAX_COUNT", "fmt", "first_bad", "as_float_array", "nonnegative", "positive",
           "integer", "probability", "broadcast", "at_least", "servers_and_load",
           "offered_load", "pandas_index", "output", "pandas_io"]

MAX_COUNT = 2.0 ** 53


_REAL_SCALARS = (int, float, np.integer, np.floating)


def _scalar_value(value):
    """value as a Python float if it is a real scalar (not a bool), else None."""
    if isinstance(value, _REAL_SCALARS) and not isinstance(value, (bool, np.bool_)):
        if isinstance(value, int) and abs(value) > 2 ** 1023:
            return None       # as_float_array names it
        return float(value)
    return None


def _too_big(name, value):
    digits = len(str(abs(int(value))))
    return ValueError(f"{name} must be a finite number, got an integer with {digits} digits, "
                      "beyond the largest double (1.8e308)")


def as_float_array(name, value):
    if isinstance(value, (str, bytes)):
        raise ValueError(f"{name} must be a number or an array of numbers, got {value!r}")
    if isinstance(value, np.ma.MaskedArray):
        # numpy's ufuncs would compute on the masked entries' data and return
        # plain numbers for them: an answer nobody asked for.
        if np.ma.getmaskarray(value).any():
            raise ValueError(f"{name} is a masked array with masked entries; queuemath does not "
                             "skip them: pass value.compressed() or value.filled(x)")
        value = np.ma.getdata(value)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 2 ** 1023:
        raise _too_big(name, value)
    try:
        arr = np.asarray(value)
    except Exception as exc:  # ragged nested lists and the like
        raise ValueError(f"{name} must be a number or an array of numbers: {exc}") from None
    if arr.dtype == bool:
        raise ValueError(f"{name} must be a number, got a boolean {value!r}")
    if arr.dtype == object:
        big = [v for v in arr.ravel() if isinstance(v, int) and abs(v) > 2 ** 1023]
        if big:
            raise _too_big(name, big[0])
    if arr.dtype.kind not in "iuf":
        raise ValueError(f"{name} must be a real number or an array of them, got {value!r}")
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty")
    return arr.astype(float)


def first_bad(name, arr, bad, requirement):
    idx = np.argwhere(bad)[0]
    val = arr[tuple(idx)]
    where = "" if arr.ndim == 0 else f" (at index {tuple(int(i) for i in idx)})"
    raise ValueError(f"{name} must be {requirement}, got {fmt(val)}{where}")


def fmt(val):
    val = float(val)
    if np.isfinite(val) and val == int(val) and abs(val) < 2 ** 53:
        return str(int(val))
    return repr(val)


def nonnegative(name, value):
    """A finite float >= 0 (rates, loads)."""
    x = _scalar_value(value)
    if x is not None and 0 <= x < np.inf:   # the common interactive call
        return np.array(x)
    arr = as_float_array(name, value)
    bad = ~np.isfinite(arr) | (arr < 0)
    if np.any(bad):
        first_bad(name, arr, bad, "a finite number >= 0")
    return arr


def duration(name, value):
    """A time >= 0; infinity is allowed (the limit of a law)."""
    arr = as_float_array(name, value)
    bad = np.isnan(arr) | (arr < 0)
    if np.any(bad):
        first_bad(name, arr, bad, "a time >= 0")
    return arr


def level(name, value):
    """A probability level in [0, 1] (a quantile's p)."""
    arr = as_float_array(name, value)
    bad = ~((arr >= 0) & (arr <= 1))
    if np.any(bad):
        first_bad(name, arr, bad, "a probability in [0, 1]")
    return arr


def positive(name, value):
    """A finite float > 0 (service rates)."""
    x = _scalar_value(value)
    if x is not None and 0 < x < np.inf:
        return np.array(x)
    arr = as_float_array(name, value)
    bad = ~np.isfinite(arr) | (arr <= 0)
    if np.any(bad):
        first_bad(name, arr, bad, "a finite number > 0")
    return arr


def integer(name, value, minimum=1):
    """A whole number in [minimum, 2**53], given as int or integral float."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)):
        if minimum <= value <= MAX_COUNT:
            return np.array(float(value))
        if value > MAX_COUNT:
            # a double cannot hold it: rounding would change the model
            raise ValueError(f"{name} must be an integer >= {minimum} (and <= 2**53, the largest "
                             f"count a double holds exactly), got {value}")
    raw = np.asarray(value) if isinstance(value, (list, tuple, np.ndarray)) else None
    if raw is not None and raw.dtype.kind in "iuO" and raw.size:
        if raw.dtype.kind == "O":
            over = [v for v in raw.ravel() if isinstance(v, (int, np.integer)) and v > MAX_COUNT]
        else:
            over = raw[raw > MAX_COUNT]
        if len(over):
            raise ValueError(f"{name} must be an integer >= {minimum} (and <= 2**53, the largest "
                             f"count a double holds exactly), got {int(over[0])}")
    arr = as_float_array(name, value)
    bad = ~np.isfinite(arr) | (arr != np.floor(np.where(np.isfinite(arr), arr, 0)))
    if np.any(bad):
        first_bad(name, arr, bad, f"an integer >= {minimum}")
    bad = (arr < minimum) | (arr > MAX_COUNT)
    if np.any(bad):
        first_bad(name, arr, bad, f"an integer >= {minimum} (and <= 2**53)")
    return arr


def probability(name, value):
    """A target probability strictly between 0 and 1."""
    arr = as_float_array(name, value)
    bad = ~(arr > 0) | ~(arr < 1)
    if np.any(bad):
        first_bad(name, arr, bad, "strictly between 0 and 1")
    return arr


def seed_sequence(seed):
    """``seed`` as a numpy.random.SeedSequence (None draws fresh entropy)."""
    if isinstance(seed, np.random.SeedSequence):
        return seed
    try:
        return np.random.SeedSequence(seed)
    except (TypeError, ValueError):
        raise ValueError(f"seed must be None, an integer >= 0, a sequence of them or a "
                         f"numpy.random.SeedSequence, got {seed!r}") from None


def broadcast(**named):
    """Broadcast the named arrays against each other.

    Raises a ValueError naming two parameters whose shapes clash.
    """
    try:
        return np.broadcast_arrays(*named.values())
    except ValueError:
        pass
    items = list(named.items())
    for i, (name_a, a) in enumerate(items):
        for name_b, b in items[i + 1:]:
            try:
                np.broadcast_shapes(a.shape, b.shape)
            except ValueError:
                raise ValueError(
                    f"{name_a} with shape {a.shape} and {name_b} with shape {b.shape} "
                    "do not broadcast together") from None
    # Pairwise compatible but not jointly, e.g. (2,1), (1,3), (2,4).
    shapes = ", ".join(f"{n} {a.shape}" for n, a in items)
    raise ValueError(f"shapes do not broadcast together: {shapes}")


def at_least(name, value, other_name, other):
    """Cross-parameter rule value >= other (e.g. capacity >= servers)."""
    bad = value < other
    if np.any(bad):
        idx = tuple(np.argwhere(bad)[0])
        where = "" if value.ndim == 0 else f" (at index {tuple(int(i) for i in idx)})"
        raise ValueError(
            f"{name} must be >= {other_name}, got {name}={fmt(value[idx])} with "
            f"{other_name}={fmt(other[idx])}{where}")


def servers_and_load(servers, offered_load, continuous=False):
    """The (servers, offered_load) pair of Erlang's formulas, broadcast;
    ``continuous`` admits any real number of servers > 0."""
    if continuous:
        c = positive("servers", servers)
    else:
        c = integer("servers", servers, minimum=1)
    a = nonnegative("offered_load", offered_load)
    return broadcast(servers=c, offered_load=a)


def offered_load(lam, mu):
    """A = lam / mu for validated, broadcast rates; a ValueError names both
    rates where the quotient overflows a double."""
    with np.errstate(over="ignore"):
        a = lam / mu
    bad = ~np.isfinite(a)
    if np.any(bad):
        idx = tuple(np.argwhere(bad)[0])
        raise ValueError(
            "arrival_rate / service_rate overflows a double, got "
            f"arrival_rate={lam[idx]!r} with service_rate={mu[idx]!r}")
    return a


def _is_series(value):
    # pandas is never imported here: a Series is recognised by its type's module
    return type(value).__name__ == "Series" and type(value).__module__.startswith("pandas")


def pandas_index(*values):
    """The index of the pandas Series among ``values`` (None if there are
    none); Series with different indexes raise a ValueError."""
    index = None
    for v in values:
        if _is_series(v):
            if index is None:
                index = v.index
            elif not index.equals(v.index):
                raise ValueError("pandas Series given as parameters must share one index; "
                                 f"got indexes of lengths {len(index)} and {len(v.index)} "
                                 "that differ")
    return index


def output(value, index=None, name=None):
    """A result as the user receives it: a Python float, int or bool for a
    single value (not a numpy scalar, whose repr is noisy), a pandas Series
    with ``index`` where the parameters came as Series of that index and the
    result has their shape, else the ndarray."""
    arr = np.asarray(value)
    if arr.ndim == 0:
        v = arr[()]
        if arr.dtype.kind == "b":
            return bool(v)
        if arr.dtype.kind in "iu":
            return int(v)
        return float(v)
    if index is not None and arr.shape == (len(index),):
        import pandas as pd
        return pd.Series(arr, index=index, name=name)
    return arr


def pandas_io(fn):
    """Decorator for the scipy-style functions: Series in, Series out (same
    index), a Python number for a single value.  A namedtuple result is
    converted field by field."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        index = pandas_index(*args, *kwargs.values())
        result = fn(*args, **kwargs)
        if isinstance(result, tuple) and hasattr(result, "_fields"):
            return type(result)(*(output(v, index, f) for f, v in zip(result._fields, result)))
        return output(result, index, fn.__name__)
    return wrapper
