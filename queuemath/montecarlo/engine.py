"""Lockstep simulation engines: many independent replications advance one
event per step, each step a handful of numpy operations over all of them.

Two engines:

* ``run_markov`` for exponential models (M/M/c/K, M/M/c, Engset): the state
  is the number present; an event is an arrival with probability
  (arrival rate)/(total rate), else a departure.  Arrivals that find the
  system full are events too (they are counted, not thinned away), so the
  blocking estimate is the share of arrivals refused, as in the definition.
* ``run_general`` for G/G/c/K with FIFO service, from renewal arrivals or from
  finite sources with general think times: it keeps every server's finish
  time and a ring buffer of the waiting customers' arrival times, and
  measures each customer's wait directly.

Every replication draws from its own ``numpy.random.Generator`` (one child
of ``SeedSequence.spawn``) in fixed-size blocks, and nothing a replication
does depends on the others, so a replication's numbers are the same whether
it runs alone, in a batch, or in another process.

Both return the same tallies per replication, over the measurement window
that starts at arrival ``warmup + 1`` and ends at arrival ``warmup + n``:
counted, blocked, waited (admitted and found every server busy), abandoned,
admitted, served (customers whose waits are summed), window (its length),
area_n / area_busy / area_q / area_full (time integrals), wait_sum and
response_sum.  The Markov engine's wait_sum is the time integral of the
queue (mean_wait by Little's law on the window), the general engine's the
sum of measured waits.  ``queuemath.montecarlo.ESTIMATORS`` turns them into
quantities.
"""
import numpy as np

BLOCK = 1024


def _generators(seeds):
    return [np.random.Generator(np.random.PCG64(s)) for s in seeds]


def run_markov(lam, mu, c, k, sources, seeds, per_rep, warmup, theta=None):
    """Exponential model; ``sources`` None for Poisson arrivals at rate lam,
    else N sources each requesting at rate lam while idle; k may be inf;
    each waiting customer abandons at rate ``theta`` (Erlang A; given, even
    as 0, it also counts the admitted arrivals that wait).

    Masks are kept as 0/1 floats so that each step is ~25 whole-array
    operations; the bookkeeping that only decides when a replication starts
    and stops measuring runs every ``_CHECK`` steps, so a replication
    discards at least ``warmup`` arrivals and measures at least ``per_rep``
    (the counts actually measured are returned and used).
    """
    gens = _generators(seeds)
    r = len(gens)
    n = np.zeros(r)
    seen = np.zeros(r)          # arrivals so far, warm-up included
    counted = np.zeros(r)       # arrivals in the window
    blocked = np.zeros(r)
    waited = np.zeros(r)
    window = np.zeros(r)
    area_n = np.zeros(r)
    area_busy = np.zeros(r)
    area_full = np.zeros(r)
    live = np.full(r, 1.0 if warmup == 0 else 0.0)     # measuring, not done
    active = np.ones(r)                                 # not done
    measuring = live > 0
    finite_src = sources is not None
    track_full = finite_src
    impatient = bool(theta)
    abandoned = np.zeros(r)
    raw = np.empty((r, 2 * BLOCK))
    step = 0
    while True:
        col = step % BLOCK
        if col == 0:
            # One generator call per replication and block, transposed once
            # so that each step reads contiguous memory: the first half
            # chooses the event, the second gives the unit exponential
            # holding time as -log(1 - u) (1 - u is never 0).
            for i, g in enumerate(gens):
                g.random(out=raw[i])
            draws = raw.T.copy()
            u_blk = draws[:BLOCK]
            e_blk = np.log(1.0 - draws[BLOCK:])
        step += 1
        busy = np.minimum(n, c)
        arr_rate = (sources - n) * lam if finite_src else lam
        rate = arr_rate + mu * busy
        if impatient:
            # the events above arr_rate + mu * busy are abandonments
            serve_top = rate
            rate = rate + theta * (n - busy)
        u_rate = u_blk[col] * rate
        is_arr = u_rate < arr_rate
        w = e_blk[col] / rate * live
        w = -w
        window += w
        area_n += n * w
        area_busy += busy * w
        if track_full:
            area_full += (busy >= c) * w
        full = n >= k
        a = is_arr * active
        hit = a * live
        seen += a
        counted += hit
        blocked += hit * full
        waited += hit * (n >= c) * ~full
        if impatient:
            abandoned += (u_rate >= serve_top) * active * live
        n += a * ~full - (~is_arr) * active
        if step % _CHECK == 0:
            measuring |= seen >= warmup
            finished = measuring & (counted >= per_rep)
            active = (~finished).astype(float)
            live = (measuring & ~finished).astype(float)
            if finished.all():
                break
    admitted = counted - blocked
    area_q = area_n - area_busy
    return dict(counted=counted, blocked=blocked, waited=waited, abandoned=abandoned,
                window=window,
                area_n=area_n, area_busy=area_busy, area_q=area_q, area_full=area_full,
                admitted=admitted, served=admitted, wait_sum=area_q, response_sum=area_n)


_CHECK = 16


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


def run_general(arrival, service, c, k, sources, seeds, per_rep, warmup):
    """G/G/c/K FIFO.  ``arrival(gen, size)`` draws interarrival times (or
    think times when ``sources`` is an int), ``service(gen, size)`` service
    times; k may be inf (the ring buffer then grows as needed)."""
    gens = _generators(seeds)
    r = len(gens)
    rows_all = np.arange(r)
    # Separate child streams per purpose keep a replication's arrivals
    # independent of how many service draws it happened to make.
    arr_gens = [np.random.Generator(np.random.PCG64(g.integers(2**63))) for g in gens]
    svc_gens = [np.random.Generator(np.random.PCG64(g.integers(2**63))) for g in gens]
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
    started = np.zeros(r)          # measured customers whose service began
    measuring = np.full(r, warmup == 0)
    closed = np.zeros(r, dtype=bool)   # window over: no more arrivals
    done = np.zeros(r, dtype=bool)
    while not done.all():
        act = np.flatnonzero(~done)
        s_min = srv[act].min(axis=1)
        s_arg = srv[act].argmin(axis=1)
        a_min = nxt[act].min(axis=1)
        a_arg = nxt[act].argmin(axis=1)
        is_arr = (a_min <= s_min) & ~closed[act]
        t_new = np.where(is_arr, a_min, s_min)
        dt = t_new - t[act]
        live = measuring[act] & ~closed[act]
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
            hit = measuring[ar]
            counted[ar] += hit
            full = busy[ar] + q[ar] >= k
            blocked[ar] += hit & full
            waited[ar] += hit & ~full & (busy[ar] >= c)
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
                m = hit[start]
                started[rs] += m
                resp_sum[rs] += np.where(m, s_time, 0.0)
            enq = ~full & (busy[ar] >= c) & ~start
            if enq.any():
                rq = ar[enq]
                if (q[rq] >= buf_t.shape[1]).any():
                    buf_t, buf_s = _grow(buf_t, buf_s, head)
                    head[:] = 0
                pos = (head[rq] + q[rq]) % buf_t.shape[1]
                # a customer's arrival time, or -1 if it came during warm-up
                buf_t[rq, pos] = np.where(hit[enq], t[rq], -1.0)
                buf_s[rq, pos] = src[enq]
                q[rq] += 1
            newly = ~measuring[ar] & (seen[ar] >= warmup)
            if newly.any():
                measuring[ar[newly]] = True
            last = measuring[ar] & (counted[ar] >= per_rep)
            closed[ar[last]] = True

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
                m = a0 >= 0
                wt = np.where(m, t[rq] - a0, 0.0)
                started[rq] += m
                wait_sum[rq] += wt
                resp_sum[rq] += np.where(m, wt + s_time, 0.0)
            idle = dp[~has_q]
            if idle.size:
                srv[idle, slot[~has_q]] = np.inf
                busy[idle] -= 1
        # a replication is done once its window is closed and every measured
        # customer has started service (so every measured wait is known)
        done |= closed & (q == 0)
    admitted = counted - blocked
    return dict(counted=counted, blocked=blocked, waited=waited, abandoned=np.zeros(r),
                window=window, area_n=area_n, area_busy=area_busy, area_q=area_q,
                area_full=area_full, admitted=admitted, served=started, wait_sum=wait_sum,
                response_sum=resp_sum)


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
