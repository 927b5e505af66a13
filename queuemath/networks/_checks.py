"""Input checks shared by the network models (station vectors, servers with
infinity for a delay station, routing matrices)."""
import numpy as np

from .. import _validate

__all__ = ["station_vector", "servers_vector", "routing_matrix", "station_name", "station_rows",
           "station_row", "visit_matrix", "capacity_vector"]


def station_name(i, names):
    return f"station {i}" + (f" ({names[i]!r})" if names is not None else "")


def station_vector(name, value, check, size=None):
    """A 1-D vector of per-station values checked by ``check``; a scalar is
    repeated to ``size`` stations when that is known."""
    arr = check(name, value)
    if arr.ndim == 0 and size is not None:
        arr = np.full(size, float(arr))
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one value per station (a 1-D sequence), got shape "
                         f"{arr.shape}")
    if size is not None and arr.size != size:
        raise ValueError(f"{name} has {arr.size} entries for {size} stations")
    return arr


def _whole_or_inf(name, value, size, what):
    """(a per-station vector of ``name``, a scalar repeated; where it is not
    a whole number or inf)."""
    arr = _validate.as_float_array(name, value)
    if arr.ndim == 0:
        arr = np.full(size, float(arr))
    if arr.shape != (size,):
        raise ValueError(f"{name} must be one {what} per station ({size}), got shape {arr.shape}")
    finite = np.isfinite(arr)
    return arr, np.isnan(arr) | (finite & (arr != np.floor(np.where(finite, arr, 0))))


def servers_vector(value, size):
    """Servers per station: integers >= 1, or ``inf`` for a delay
    (infinite-server) station."""
    arr, bad = _whole_or_inf("servers", value, size, "count")
    bad |= (arr < 1) | (np.isfinite(arr) & (arr > _validate.MAX_COUNT))
    if np.any(bad):
        _validate.first_bad("servers", arr, bad, "an integer >= 1 or inf (a delay station)")
    return arr


def routing_matrix(value, size):
    """A substochastic routing matrix: entries in [0, 1], rows summing to
    at most 1 (the rest leaves the network), within 1e-12."""
    arr = _validate.as_float_array("routing", value)
    if arr.shape != (size, size):
        raise ValueError(f"routing must be a {size} x {size} matrix (one row and one column per "
                         f"station), got shape {arr.shape}")
    bad = ~np.isfinite(arr) | (arr < 0) | (arr > 1)
    if np.any(bad):
        _validate.first_bad("routing", arr, bad, "a probability in [0, 1]")
    rows = arr.sum(axis=1)
    over = rows > 1 + 1e-12
    if np.any(over):
        i = int(np.argmax(over))
        raise ValueError(f"routing row {i} sums to {rows[i]!r} > 1: the probabilities of where a "
                         "customer goes after station {i} must sum to at most 1 (the rest leave)"
                         .replace("{i}", str(i)))
    return arr


def station_rows(servers, what=("utilization", "mean_in_system")):
    """The per-station rows a simulation of a network estimates (a delay
    station's utilisation is its mean number present: one row for both)."""
    finite = np.isfinite(servers)
    return tuple(f"{w}[{i}]" for w in what for i in range(len(servers))
                 if w != "utilization" or finite[i])


_ROW_ATTR = {"utilization": "station_utilization", "mean_in_system": "station_mean_in_system",
             "throughput": "station_throughput", "blocking": "station_blocking"}


def station_row(model, name):
    """A network's value for a quantity or a station's row (``utilization[1]``)."""
    if "[" in name and name.endswith("]"):
        base, idx = name[:-1].split("[", 1)
        if base in _ROW_ATTR and idx.isdigit():
            return float(getattr(model, _ROW_ATTR[base])[int(idx)])
    if name in model.quantities:
        return float(getattr(model, name))
    raise ValueError(f"{type(model).__name__} has no quantity {name!r}")


def visit_matrix(p, names=None):
    """(I - P)^{-1}: entry (i, j) the mean visits to j of a customer
    entering at i; a ValueError where customers can never leave."""
    m = p.shape[0]
    # stations from which no path leads out trap customers for ever
    can_leave = p.sum(axis=1) < 1 - 1e-12
    for _ in range(m):
        can_leave = can_leave | ((p > 0) & can_leave[None, :]).any(axis=1)
    if not can_leave.all():
        i = int(np.argmin(can_leave))
        raise ValueError(f"routing traps customers: from {station_name(i, names)} no path "
                         "leads out (each closed set of stations needs a row summing below 1)")
    return np.linalg.solve(np.eye(m) - p, np.eye(m))


def capacity_vector(value, servers, names=None):
    """Capacities per station: integers >= servers, or inf (no limit)."""
    k, bad = _whole_or_inf("capacity", value, servers.size, "value")
    if np.any(bad):
        _validate.first_bad("capacity", k, bad, "an integer or inf")
    below = k < servers
    if np.any(below):
        i = int(np.argmax(below))
        raise ValueError(f"capacity must be >= servers at every station, got capacity="
                         f"{_validate.fmt(k[i])} < servers={_validate.fmt(servers[i])} at "
                         f"{station_name(i, names)}")
    return k
