"""Simulation engines; both return per-batch tallies of every replication.

* ``run_markov`` for exponential models (M/M/c/K, M/M/c, Engset, Erlang A):
  the number present is a birth-death chain, run event by event in compiled
  code (:mod:`queuemath.montecarlo._jit`), one replication after another.
  Arrivals that find the system full are events too (counted, not thinned
  away), so blocking is the share of arrivals refused, as in the definition.
  Every replication runs the same number of events, cut into ``batches``
  equal batches.
* ``run_retrial`` for the M/M/c/K retrial queue: the chain (n present, m
  in orbit) in compiled code, like ``run_markov``.
* ``run_general`` for G/G/c/K with FIFO service, from renewal arrivals or
  from finite sources with general think times: many replications advance
  one event per step in lockstep with numpy; it keeps every server's finish
  time and a ring buffer of the waiting customers' arrival times, and
  measures each customer's wait directly.  A batch is a fixed number of
  arrivals.

Every replication draws from its own ``numpy.random.Generator`` (one child
of ``SeedSequence.spawn``), and nothing a replication does depends on the
others, so its numbers are the same whether it runs alone, in a block, or in
another process.  The bit generator is PCG64DXSM, numpy's recommendation for
many parallel streams: with PCG64, the replications of one run measured as
slightly correlated here (the variance of 3000 runs' means 9% above what
their replications' spread implies, 3.6 standard errors; 0.7% with
PCG64DXSM), enough to cost the intervals a point of coverage.

Both return {tally: array (replications, batches)} of what happened in each
batch: counted (arrivals), blocked, waited (admitted and found every server
busy), abandoned, admitted, served (customers whose waits are summed),
window (time), area_n / area_busy / area_q / area_full (time integrals),
wait_sum and response_sum.  The Markov engine's wait_sum is the time
integral of the queue (mean wait by Little's law), the general engine's the
sum of measured waits.  ``queuemath.montecarlo.ESTIMATORS`` turns tallies
into quantities; the caller decides which batches are warm-up.
"""
import numpy as np

BLOCK = 1024
#: Events per compiled call: a progress callback hears from a long
#: replication at least this often (about 0.1 s of work).
_SEGMENT = 1 << 23


def generators(seeds):
    """One PCG64DXSM Generator per SeedSequence (see the module's note)."""
    return [np.random.Generator(np.random.PCG64DXSM(s)) for s in seeds]


def run_markov(lam, mu, c, k, sources, seeds, batches, batch_steps, theta=None, tick=None,
               start_cdf=None, first_state=0, waits=None):
    """Exponential model; ``sources`` None for Poisson arrivals at rate lam,
    else N sources each requesting at rate lam while idle; k may be inf;
    each waiting customer abandons at rate ``theta`` (Erlang A).  Each
    replication runs ``batches * batch_steps`` events from a state drawn
    from ``start_cdf`` (cumulative probabilities of states ``first_state``,
    ``first_state + 1``, ...; None: empty); ``tick(arrivals)`` (optional)
    hears of progress.  ``waits`` (optional): {"names": [...], "table":
    array (j, time)} of the waiting-time law's tallies (see
    ``_jit.birth_death``)."""
    from . import _jit                  # numba is imported when a simulation runs
    gens = generators(seeds)
    names = list(waits["names"]) if waits else []
    table = (np.ascontiguousarray(waits["table"], dtype=float) if waits
             else np.zeros((0, 0)))
    out = np.zeros((len(gens), batches, len(_jit.TALLIES) + len(names)))
    per_call = max(1, _SEGMENT // max(int(batch_steps), 1))
    src = -1 if sources is None else int(sources)
    for i, g in enumerate(gens):
        n = 0 if start_cdf is None else first_state + int(
            min(np.searchsorted(start_cdf, g.random(), side="right"), start_cdf.size - 1))
        for first in range(0, batches, per_call):
            last = min(batches, first + per_call)
            n = _jit.birth_death(float(lam), float(mu), int(c), float(k), src,
                                 float(theta or 0.0), g, n, first, int(batch_steps),
                                 out[i, :last], table)
            if tick is not None:
                tick(float(out[i, first:last, 0].sum()))
    d = {name: out[:, :, j] for j, name in enumerate(_jit.TALLIES)}
    d["admitted"] = d["counted"] - d["blocked"]
    d["area_q"] = d["area_n"] - d["area_busy"]
    d["served"], d["wait_sum"], d["response_sum"] = d["admitted"], d["area_q"], d["area_n"]
    for j, name in enumerate(names):
        d[name] = out[:, :, len(_jit.TALLIES) + j]
    if names:
        # the law of the served: those who abandon are not counted (theta > 0)
        d["wait_base"] = d["admitted"] - d["abandoned"]
    return d


def run_retrial(lam, mu, c, k, nu, q, seeds, batches, batch_steps, tick=None, start_cdf=None,
                first_state=0):
    """The M/M/c/K retrial chain (``_jit.retrial``); ``start_cdf`` the
    cumulative law of the states j * (k + 1) + n (j in orbit, n present)
    from which each replication starts (None: empty).  Tallies as
    :func:`run_markov`'s, with ``primary`` (first attempts), ``lost``
    (customers who gave up) and ``area_orbit``; ``counted`` counts every
    attempt."""
    from . import _jit
    gens = generators(seeds)
    out = np.zeros((len(gens), batches, len(_jit.RETRIAL_TALLIES)))
    per_call = max(1, _SEGMENT // max(int(batch_steps), 1))
    width = int(k) + 1
    for i, g in enumerate(gens):
        state = 0 if start_cdf is None else first_state + int(
            min(np.searchsorted(start_cdf, g.random(), side="right"), start_cdf.size - 1))
        n, m = state % width, state // width
        for first in range(0, batches, per_call):
            last = min(batches, first + per_call)
            code = _jit.retrial(float(lam), float(mu), int(c), int(k), float(nu), float(q), g,
                                n, m, first, int(batch_steps), out[i, :last])
            n, m = code >> 32, code & 0xFFFFFFFF
            if tick is not None:
                tick(float(out[i, first:last, 0].sum()))
    d = {name: out[:, :, j] for j, name in enumerate(_jit.RETRIAL_TALLIES)}
    d["admitted"] = d["counted"] - d["blocked"]
    d["abandoned"] = np.zeros_like(d["counted"])
    d["area_q"] = d["area_n"] - d["area_busy"]
    d["served"], d["wait_sum"], d["response_sum"] = d["admitted"], d["area_q"], d["area_n"]
    return d


def run_network(external, mu, c, k, routing, population, reference, queue_mask, offset, rows,
                seeds, batches, batch_steps, tick=None, start_cdf=None, start_states=None,
                refuse_to=-1):
    """A network of exponential stations (``_jit.network``): ``external``,
    ``mu``, ``c``, ``k`` per station (inf allowed for c and k), ``routing``
    (M, M); ``population`` >= 0 for a closed network (else -1),
    ``reference`` its cycle-counting station (-1: every completion),
    ``queue_mask`` the stations counted as "in the system", ``offset`` the
    engine index of the model's station 0 and ``rows`` the per-station
    quantities to tally (``utilization[i]``, ``mean_in_system[i]``,
    ``blocking[i]``); ``refuse_to`` the station a refused customer goes to (-1: lost).
    Each replication starts from a state drawn from
    ``start_cdf`` over the rows of ``start_states`` (None: empty, or a
    closed network's customers all at station 0)."""
    from . import _jit
    gens = generators(seeds)
    m = len(mu)
    big = np.iinfo(np.int64).max // 4
    c_i = np.where(np.isfinite(c), c, big).astype(np.int64)
    k_i = np.where(np.isfinite(k), k, big).astype(np.int64)
    routing = np.asarray(routing, dtype=float)
    cdf = np.zeros((m, m + 1))
    cdf[:, 1:] = np.cumsum(routing, axis=1)
    width = len(_jit.NETWORK_TALLIES) + _jit.PER_STATION * m
    out = np.zeros((len(gens), batches, width))
    per_call = max(1, _SEGMENT // max(int(batch_steps), 1))
    ext = np.asarray(external, dtype=float)
    mu = np.asarray(mu, dtype=float)
    mask = np.asarray(queue_mask, dtype=np.bool_)
    for i, g in enumerate(gens):
        if start_cdf is not None:
            pick = int(min(np.searchsorted(start_cdf, g.random(), side="right"),
                           start_cdf.size - 1))
            n = np.array(start_states[pick], dtype=np.int64)
        else:
            n = np.zeros(m, dtype=np.int64)
            if population > 0:
                n[0] = population
        for first in range(0, batches, per_call):
            last = min(batches, first + per_call)
            _jit.network(ext, mu, c_i, k_i, cdf, int(population), int(reference),
                         int(refuse_to), mask, g, n,
                         first, int(batch_steps), out[i, :last])
            if tick is not None:
                tick(float(out[i, first:last, 0].sum()))
    d = {name: out[:, :, j] for j, name in enumerate(_jit.NETWORK_TALLIES)}
    d["blocked"] = d["lost"]
    d["admitted"] = d["departed"]
    d["abandoned"] = np.zeros_like(d["counted"])
    d["served"], d["response_sum"] = d["entered"], d["area_n"]
    base = len(_jit.NETWORK_TALLIES)
    for row in rows:
        what, idx = row[:-1].split("[")
        j = int(idx) + offset
        col = base + _jit.PER_STATION * j
        if what == "utilization":
            num = out[:, :, col + 1]
            den = d["window"] * (float(c[j]) if np.isfinite(c[j]) else 1.0)
        elif what == "mean_in_system":
            num, den = out[:, :, col], d["window"]
        else:                                   # blocking
            num, den = out[:, :, col + 3], out[:, :, col + 2]
        d[row + " num"], d[row + " den"] = num, den
    return d


class _Stream:
    """Per-replication blocks of draws from one distribution."""

    def __init__(self, draw, gens):
        self.draw, self.gens = draw, gens
        self.buf = np.stack([draw(g, BLOCK) for g in gens])
        self.pos = np.zeros(len(gens), dtype=np.intp)

    def take(self, rows):
        """One draw for each replication in ``rows`` (index array)."""
        out = self.buf[rows, self.pos[rows]]
        self.pos[rows] += 1
        empty = rows[self.pos[rows] == BLOCK]
        for i in empty:
            self.buf[i] = self.draw(self.gens[i], BLOCK)
            self.pos[i] = 0
        return out


def run_general(arrival, service, c, k, sources, seeds, batches, batch_arrivals, tick=None,
                waits=None):
    """G/G/c/K FIFO.  ``arrival(gen, size)`` draws interarrival times (or
    think times when ``sources`` is an int), ``service(gen, size)`` service
    times; k may be inf (the ring buffer then grows as needed).  Each
    replication starts empty and takes ``batches * batch_arrivals``
    arrivals; a batch ends at its last arrival, the last one when its
    customers have all started service.  ``tick(arrivals)`` (optional) hears
    of progress every few thousand steps.  ``waits`` (optional):
    {"names": [...], "times": [...]}: each customer whose service starts adds
    1 to the tally of every time its measured wait does not exceed."""
    per_rep = batches * batch_arrivals
    wait_names = list(waits["names"]) if waits else []
    wait_times = np.asarray(waits["times"], dtype=float) if waits else np.zeros(0)
    within = np.zeros((len(seeds), wait_times.size))
    gens = generators(seeds)
    r = len(gens)
    rows_all = np.arange(r)
    # Separate child streams per purpose keep a replication's arrivals
    # independent of how many service draws it happened to make.
    arr_gens = [np.random.Generator(np.random.PCG64DXSM(g.integers(2**63))) for g in gens]
    svc_gens = [np.random.Generator(np.random.PCG64DXSM(g.integers(2**63))) for g in gens]
    arr_stream, svc_stream = _Stream(arrival, arr_gens), _Stream(service, svc_gens)
    finite_src = sources is not None
    t = np.zeros(r)
    srv = np.full((r, c), np.inf)
    srv_src = np.zeros((r, c), dtype=np.intp)
    if finite_src:
        # Every source starts thinking at time 0.
        nxt = np.stack([arr_stream.take(rows_all) for _ in range(sources)], axis=1)
    else:
        nxt = arr_stream.take(rows_all)[:, None]
    cap_q = int(min(k - c, 64)) if np.isfinite(k) else 64
    buf_t = np.zeros((r, max(cap_q, 1)))
    buf_s = np.zeros((r, max(cap_q, 1)), dtype=np.intp)
    head = np.zeros(r, dtype=np.intp)
    q = np.zeros(r, dtype=np.intp)
    busy = np.zeros(r, dtype=np.intp)
    seen = np.zeros(r)
    counted = np.zeros(r)
    blocked = np.zeros(r)
    waited = np.zeros(r)
    window = np.zeros(r)
    area_n = np.zeros(r)
    area_busy = np.zeros(r)
    area_q = np.zeros(r)
    area_full = np.zeros(r)
    wait_sum = np.zeros(r)
    resp_sum = np.zeros(r)
    started = np.zeros(r)          # customers whose service began
    keys = ("counted", "blocked", "waited", "window", "area_n", "area_busy", "area_q",
            "area_full", "wait_sum", "response_sum", "served") + tuple(wait_names)
    snap = np.zeros((r, batches, len(keys)))

    def cumulative(rows):
        return np.concatenate(
            [np.stack([counted[rows], blocked[rows], waited[rows], window[rows],
                       area_n[rows], area_busy[rows], area_q[rows], area_full[rows],
                       wait_sum[rows], resp_sum[rows], started[rows]], axis=1),
             within[rows]], axis=1)

    steps = 0
    reported = 0.0
    closed = np.zeros(r, dtype=bool)   # window over: no more arrivals
    done = np.zeros(r, dtype=bool)
    while not done.all():
        steps += 1
        if tick is not None and steps % 4096 == 0:
            now_seen = float(seen.sum())
            tick(now_seen - reported)
            reported = now_seen
        act = np.flatnonzero(~done)
        s_min = srv[act].min(axis=1)
        s_arg = srv[act].argmin(axis=1)
        a_min = nxt[act].min(axis=1)
        a_arg = nxt[act].argmin(axis=1)
        is_arr = (a_min <= s_min) & ~closed[act]
        t_new = np.where(is_arr, a_min, s_min)
        dt = t_new - t[act]
        live = ~closed[act]
        w = np.where(live, dt, 0.0)
        nb = busy[act]
        window[act] += w
        area_n[act] += (nb + q[act]) * w
        area_busy[act] += nb * w
        area_q[act] += q[act] * w
        area_full[act] += (nb >= c) * w
        t[act] = t_new

        # -- arrivals ---------------------------------------------------
        ar = act[is_arr]
        if ar.size:
            src = a_arg[is_arr]
            now = t[ar]
            seen[ar] += 1
            counted[ar] += 1
            full = busy[ar] + q[ar] >= k
            blocked[ar] += full
            waited[ar] += ~full & (busy[ar] >= c)
            # the arrival stream moves on: a renewal process draws its next
            # gap; a blocked source thinks again; an admitted one goes quiet
            if finite_src:
                again = full
                nxt[ar, src] = np.inf
                if again.any():
                    nxt[ar[again], src[again]] = now[again] + arr_stream.take(ar[again])
            else:
                nxt[ar, 0] = now + arr_stream.take(ar)
            start = ~full & (busy[ar] < c)
            if start.any():
                rs = ar[start]
                slot = np.argmax(np.isinf(srv[rs]), axis=1)
                s_time = svc_stream.take(rs)
                srv[rs, slot] = t[rs] + s_time
                srv_src[rs, slot] = src[start]
                busy[rs] += 1
                started[rs] += 1
                resp_sum[rs] += s_time
                within[rs] += 1.0                 # no wait: within every t
            enq = ~full & (busy[ar] >= c) & ~start
            if enq.any():
                rq = ar[enq]
                if (q[rq] >= buf_t.shape[1]).any():
                    buf_t, buf_s = _grow(buf_t, buf_s, head)
                    head[:] = 0
                pos = (head[rq] + q[rq]) % buf_t.shape[1]
                buf_t[rq, pos] = t[rq]          # the customer's arrival time
                buf_s[rq, pos] = src[enq]
                q[rq] += 1
            edge = ar[(seen[ar] % batch_arrivals == 0) & (seen[ar] < per_rep)]
            if edge.size:
                snap[edge, (seen[edge] // batch_arrivals - 1).astype(np.intp)] = cumulative(edge)
            closed[ar[seen[ar] >= per_rep]] = True

        # -- departures -------------------------------------------------
        dp = act[~is_arr]
        if dp.size:
            slot = s_arg[~is_arr]
            now = t[dp]
            if finite_src:
                nxt[dp, srv_src[dp, slot]] = now + arr_stream.take(dp)
            has_q = q[dp] > 0
            rq, sq = dp[has_q], slot[has_q]
            if rq.size:
                a0 = buf_t[rq, head[rq]]
                s0 = buf_s[rq, head[rq]]
                head[rq] = (head[rq] + 1) % buf_t.shape[1]
                q[rq] -= 1
                s_time = svc_stream.take(rq)
                srv[rq, sq] = t[rq] + s_time
                srv_src[rq, sq] = s0
                wt = t[rq] - a0
                within[rq] += wt[:, None] <= wait_times[None, :]
                started[rq] += 1
                wait_sum[rq] += wt
                resp_sum[rq] += wt + s_time
            idle = dp[~has_q]
            if idle.size:
                srv[idle, slot[~has_q]] = np.inf
                busy[idle] -= 1
        # a replication is done once its window is closed and every customer
        # has started service (so every wait is known)
        done |= closed & (q == 0)
    if tick is not None:
        tick(float(seen.sum()) - reported)
    snap[:, -1] = cumulative(np.arange(r))
    per_batch = np.diff(snap, axis=1, prepend=0.0)
    d = {name: per_batch[:, :, j] for j, name in enumerate(keys)}
    d["abandoned"] = np.zeros_like(d["counted"])
    d["admitted"] = d["counted"] - d["blocked"]
    if wait_names:
        d["wait_base"] = d["served"]
    return d


def _grow(buf_t, buf_s, head):
    """Double the ring buffers (unbounded queues), unrolling each ring."""
    size = buf_t.shape[1]
    idx = (head[:, None] + np.arange(size)[None, :]) % size
    rows = np.arange(buf_t.shape[0])[:, None]
    new_t = np.zeros((buf_t.shape[0], 2 * size))
    new_s = np.zeros((buf_t.shape[0], 2 * size), dtype=np.intp)
    new_t[:, :size] = buf_t[rows, idx]
    new_s[:, :size] = buf_s[rows, idx]
    return new_t, new_s
