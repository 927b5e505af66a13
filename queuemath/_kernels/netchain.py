"""The Markov chain of a network of exponential stations (private kernel):
states, generator, stationary law and the rates that the exact quantities
and the simulation plan read from it.

A state is the vector of numbers present at the M stations.  Open
networks: every vector with n_i <= K_i; closed ones: those that sum to the
population.  A customer routed to (or arriving at) a full station is lost
(blocking with loss, JMT's "drop"), or in a closed network sent to the
station ``refuse_to`` (the clients' think station: a refused login is
tried again after thinking); a customer completing at station i and
routed back to i is never refused (it frees its own place).
"""
import numpy as np

__all__ = ["MAX_STATES", "states", "count_states", "Chain", "build"]

#: Largest chain solved exactly: a sparse LU of a network's lattice fills in
#: fast (measured: 10 010 states of a 4-station closed network in 2.7 s,
#: 74 360 in 250 s), so beyond this the network is simulated.
MAX_STATES = 20_000


def count_states(levels, population=None):
    """Number of states: prod(L_i + 1), or the compositions of the
    population with n_i <= L_i (by a convolution of counts)."""
    levels = [int(v) for v in levels]
    if population is None:
        return float(np.prod([v + 1.0 for v in levels]))
    ways = np.zeros(population + 1)
    ways[0] = 1.0
    for v in levels:
        new = np.zeros_like(ways)
        for k in range(min(v, population) + 1):
            new[k:] += ways[:population + 1 - k]
        ways = new
    return float(ways[population])


def states(levels, population=None):
    """Array (S, M) of the states (see the module's note)."""
    levels = [int(v) for v in levels]
    if population is None:
        grids = np.indices([v + 1 for v in levels]).reshape(len(levels), -1).T
        return np.ascontiguousarray(grids, dtype=np.int64)
    # the station that can hold the most takes what the others leave: the
    # partial states then never range over its levels
    order = np.argsort(levels, kind="stable")
    part = np.zeros((1, 0), dtype=np.int64)
    sums = np.zeros(1, dtype=np.int64)
    for i, v in enumerate([levels[j] for j in order]):
        last = i == len(levels) - 1
        rows, cols = [], []
        if last:
            k = population - sums
            keep = (k >= 0) & (k <= v)
            part = np.column_stack([part[keep], k[keep]])
            sums = sums[keep] + k[keep]
            break
        for k in range(min(v, population) + 1):
            ok = sums + k <= population
            rows.append(part[ok])
            cols.append(np.full(int(ok.sum()), k))
        part = np.column_stack([np.concatenate(rows), np.concatenate(cols)])
        sums = part.sum(axis=1)
    out = np.empty_like(part)
    out[:, order] = part
    return np.ascontiguousarray(out, dtype=np.int64)


class Chain:
    """A network's chain: ``states`` (S, M), ``generator`` (sparse CSR),
    ``pi`` (stationary law), and per state: ``busy`` (S, M) servers busy,
    ``arrivals`` (S, M) rate of customers reaching each station,
    ``refused`` (S, M) the part of it refused, ``exits`` (S,) rate of
    customers leaving served, ``lost`` (S,) rate lost, ``entering`` (S,)
    rate of external arrivals admitted, ``total`` (S,) total event rate;
    ``mu`` and ``servers`` per station, as built."""

    def station_means(self):
        """Per station, under ``pi``: mean number present, arrivals offered,
        the share of them refused, completions and the share of servers
        busy (a delay station: the mean number in service)."""
        pi = self.pi
        arrivals = pi @ self.arrivals
        refused = pi @ self.refused
        with np.errstate(divide="ignore", invalid="ignore"):
            blocking = np.where(arrivals > 0, refused / np.where(arrivals > 0, arrivals, 1), 0.0)
        c = self.servers
        return dict(mean_in_system=pi @ self.states, arrivals=arrivals, blocking=blocking,
                    throughput=pi @ (self.busy * self.mu),
                    utilization=(pi @ self.busy) / np.where(np.isfinite(c), c, 1.0))


def build(external, mu, c, k, routing, levels, population=None, refuse_to=-1):
    """The chain of a network (arguments as the simulation spec's: arrays
    per station; ``k`` may hold inf, ``levels`` the largest number each
    station can hold here, which truncates an open station without a
    capacity: arrivals beyond it are refused; ``refuse_to`` where a refused
    customer goes, -1: it is lost)."""
    from scipy import sparse
    st = states(levels, population)
    size, m = st.shape
    lv = np.asarray(levels, dtype=np.int64)
    radix = np.cumprod(np.r_[1, lv[:-1] + 1]).astype(np.int64)
    codes = st @ radix
    order = np.argsort(codes)
    sorted_codes = codes[order]

    def index(target):
        pos = np.searchsorted(sorted_codes, target @ radix)
        return order[np.minimum(pos, size - 1)]

    full = st >= np.minimum(np.asarray(k, dtype=float), lv)[None, :]
    busy = np.minimum(st, np.where(np.isfinite(c), c, st.max(initial=0) + 1)[None, :])
    svc = busy * np.asarray(mu, dtype=float)[None, :]
    routing = np.asarray(routing, dtype=float)
    leave = np.clip(1.0 - routing.sum(axis=1), 0.0, 1.0)
    rows, cols, vals = [], [], []
    arrivals = np.zeros((size, m))
    refused = np.zeros((size, m))
    lost = np.zeros(size)
    entering = np.zeros(size)
    eye = np.eye(m, dtype=np.int64)
    for i in range(m):
        g = float(external[i])
        if g > 0:
            arrivals[:, i] += g
            refused[:, i] += g * full[:, i]
            lost += g * full[:, i]
            ok = np.flatnonzero(~full[:, i])
            entering[ok] += g
            rows.append(ok)
            cols.append(index(st[ok] + eye[i]))
            vals.append(np.full(ok.size, g))
    for j in range(m):
        out = svc[:, j]
        has = out > 0
        if not np.any(has):
            continue
        if leave[j] > 0:
            idx = np.flatnonzero(has)
            rows.append(idx)
            cols.append(index(st[idx] - eye[j]))
            vals.append(out[idx] * leave[j])
        for i in range(m):
            p = routing[j, i]
            if p == 0:
                continue
            flow = out * p
            arrivals[:, i] += flow
            if i == j:
                continue            # back to itself: no change of state, never refused
            blocked = has & full[:, i]
            refused[:, i] += flow * blocked
            lost += flow * blocked
            idx = np.flatnonzero(blocked)
            rows.append(idx)
            back = eye[refuse_to] if refuse_to >= 0 else 0
            cols.append(index(st[idx] - eye[j] + back))
            vals.append(flow[idx])
            idx = np.flatnonzero(has & ~full[:, i])
            rows.append(idx)
            cols.append(index(st[idx] - eye[j] + eye[i]))
            vals.append(flow[idx])
    r = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    cc = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int64)
    v = np.concatenate(vals) if vals else np.zeros(0)
    outflow = np.bincount(r, weights=v, minlength=size)
    gen = sparse.csr_matrix((np.concatenate([v, -outflow]),
                             (np.concatenate([r, np.arange(size)]),
                              np.concatenate([cc, np.arange(size)]))), shape=(size, size))
    chain = Chain()
    chain.states, chain.generator, chain.busy = st, gen, busy
    chain.mu, chain.servers = np.asarray(mu, dtype=float), np.asarray(c, dtype=float)
    chain.arrivals, chain.refused, chain.lost, chain.entering = arrivals, refused, lost, entering
    chain.exits = svc @ leave
    chain.total = np.asarray(external, dtype=float).sum() + svc.sum(axis=1)
    # where replications start when there is no law to draw from: the empty
    # network, or a closed one's customers all at its first station
    first = np.flatnonzero(st[:, 1:].sum(axis=1) == 0) if population is not None else \
        np.flatnonzero(st.sum(axis=1) == 0)
    chain.pi = _stationary(gen, int(first[0]) if first.size else 0)
    return chain


def _stationary(gen, start):
    """pi Q = 0, sum pi = 1.  One state's pi is set to 1 and the other
    balance equations solved as a sparse system without it (a row of ones
    for the normalisation would be dense and fill the LU), then normalised.
    The state pinned must carry real mass (pinning one of probability 1e-20
    leaves the others to roundoff): the likeliest after a few hundred steps
    of the uniformized chain from ``start`` (the empty network, or every
    customer at the first station), and again the likeliest of that
    solution where the first pin proves rare."""
    size = gen.shape[0]
    if size == 1:
        return np.ones(1)
    rate = float(np.abs(gen.diagonal()).max())
    step = (gen / rate).T.tocsr()
    v = np.zeros(size)
    v[start] = 1.0
    for _ in range(_PIN_STEPS):
        v = v + step @ v
    qt = gen.T.tocsc()
    pin = int(np.argmax(v))
    for _ in range(3):
        pi = _pinned(qt, pin)
        best = int(np.argmax(pi))
        if pi[pin] >= 1e-6 * pi[best]:
            break
        pin = best
    return pi


def _pinned(qt, pin):
    from scipy.sparse.linalg import spsolve
    size = qt.shape[0]
    keep = np.flatnonzero(np.arange(size) != pin)
    rest = np.atleast_1d(spsolve(qt[keep][:, keep].tocsc(),
                                 -qt[keep][:, [pin]].toarray().ravel()))
    pi = np.empty(size)
    pi[pin] = 1.0
    pi[keep] = rest
    pi = np.clip(pi, 0.0, None)
    return pi / pi.sum()


#: Uniformized steps taken to find a state with real mass to pin (see
#: _stationary): the law moves towards the bulk of the stationary one long
#: before it mixes.
_PIN_STEPS = 300
