"""Compiled event loops (numba): the birth-death chain, the retrial chain
and the login storm.

Imported only when a simulation runs, so ``import queuemath`` never loads
numba.  Each function runs one replication from its own
``numpy.random.Generator`` (numba draws from the same bit generator, so a
replication's numbers do not depend on where or beside what it runs).
Compiled once per machine (``cache=True``).
"""
import numba
import numpy as np

__all__ = ["TALLIES", "RETRIAL_TALLIES", "NETWORK_TALLIES", "birth_death", "retrial", "storm",
           "network"]

#: Columns of the birth-death tallies, one row per batch of events.
TALLIES = ("counted", "blocked", "waited", "abandoned", "window", "area_n", "area_busy",
           "area_full")
N_TALLIES = 8


@numba.njit(cache=True, nogil=True)
def birth_death(lam, mu, c, k, sources, theta, gen, n, first_batch, batch_steps, out, waits):
    """Advance the chain ``out.shape[0]`` batches of ``batch_steps`` events
    from state ``n``, adding each batch's tallies to its row of ``out``
    (columns :data:`TALLIES`); returns the state reached.

    An event is an arrival (refused when ``n >= k``), a service completion
    or an abandonment, with probabilities proportional to their rates at n:
    arrivals ``lam`` (or ``lam * (sources - n)``, ``sources >= 0``),
    completions ``mu * min(n, c)``, abandonments ``theta * (n - c)+``.  Time
    spent in a state is credited with its mean 1/q(n) instead of an
    exponential draw (discrete-time conversion: the same time averages with
    less variance; Hordijk, Iglehart & Schassberger 1976).

    ``waits`` (rows j, columns times t_i; may have no columns) adds, for
    each admitted arrival, its chance of a wait of at most t_i given the j
    customers it finds waiting ahead (1 when a server is free; 0 past the
    table's last row, where every entry is below 1e-17) to the columns of
    ``out`` after :data:`TALLIES`: conditional Monte Carlo, unbiased for the
    wait's law and free of the noise of the wait itself.
    """
    nt = waits.shape[1]
    rows = waits.shape[0]
    base = N_TALLIES
    for r in range(first_batch, out.shape[0]):
        row = out[r]
        for _ in range(batch_steps):
            b = lam * (sources - n) if sources >= 0 else lam
            busy = n if n < c else c
            s = mu * busy
            q = b + s + theta * (n - busy)
            h = 1.0 / q
            row[4] += h
            row[5] += n * h
            row[6] += busy * h
            if n >= c:
                row[7] += h
            x = gen.random() * q
            if x < b:
                row[0] += 1.0
                if n >= k:
                    row[1] += 1.0
                else:
                    if n >= c:
                        row[2] += 1.0
                        j = n - c
                        if j < rows:
                            for i in range(nt):
                                row[base + i] += waits[j, i]
                    else:
                        for i in range(nt):
                            row[base + i] += 1.0
                    n += 1
            elif x < b + s:
                n -= 1
            else:
                row[3] += 1.0
                n -= 1
    return n


@numba.njit(cache=True, nogil=True)
def storm(gen, clients, duration, mu, c, k, offsets, queue, admitted):
    """One login storm of ``clients`` clients; returns (refused attempts,
    failed clients) and adds to ``admitted[j]`` the clients admitted at
    attempt j + 1.

    First attempts come at sorted uniform times in [0, duration), drawn one
    after the other as order statistics (a Poisson stream is this given a
    Poisson number of clients).  A refused attempt of retry generation j
    waits in the FIFO ``queue[j]`` (at least ``clients`` long; it holds
    first-attempt times: retries of one generation come in the order of the
    first attempts) until its time first + offsets[j].  Service is
    exponential, so the next departure is redrawn at every event
    (memorylessness), and no per-client state is kept beyond the queues.
    """
    n_gen = offsets.size
    head = np.zeros(n_gen, dtype=np.int64)
    tail = np.zeros(n_gen, dtype=np.int64)
    inf = np.inf
    made = 0
    u = 0.0
    nxt = inf
    if clients > 0:
        u = 1.0 - gen.random() ** (1.0 / clients)
        nxt = u * duration
    present = 0
    refused = 0
    failed = 0
    t = 0.0
    dep = inf
    while True:
        # the earliest of: next first attempt, each generation's first retry,
        # the next departure
        when = nxt
        which = -1
        for j in range(n_gen):
            if head[j] < tail[j]:
                tj = queue[j, head[j]] + offsets[j]
                if tj < when:
                    when = tj
                    which = j
        if dep < when:
            t = dep
            present -= 1
        elif when < inf:
            t = when
            if which < 0:
                first = nxt
                attempt = 0
                made += 1
                if made < clients:
                    # the next order statistic of the clients - made uniforms left
                    u = 1.0 - (1.0 - u) * gen.random() ** (1.0 / (clients - made))
                    nxt = u * duration
                else:
                    nxt = inf
            else:
                first = queue[which, head[which]]
                head[which] += 1
                attempt = which + 1
            if present < k:
                present += 1
                admitted[attempt] += 1
            else:
                refused += 1
                if attempt < n_gen:
                    queue[attempt, tail[attempt]] = first
                    tail[attempt] += 1
                else:
                    failed += 1
        else:
            break
        busy = present if present < c else c
        dep = t + gen.standard_exponential() / (mu * busy) if busy > 0 else inf
    return refused, failed


#: Columns of the retrial tallies: attempts (first and repeated), refused
#: attempts, admitted attempts that found every server busy, first attempts,
#: refused attempts that gave up, time, and the time integrals of the number
#: present, the busy servers, a full station and the orbit.
RETRIAL_TALLIES = ("counted", "blocked", "waited", "primary", "lost", "window", "area_n",
                   "area_busy", "area_full", "area_orbit")


@numba.njit(cache=True, nogil=True)
def retrial(lam, mu, c, k, nu, q, gen, n, m, first_batch, batch_steps, out):
    """The M/M/c/K retrial chain (n present, m in orbit): advance
    ``out.shape[0]`` batches of ``batch_steps`` events from (n, m), adding
    each batch's tallies to its row of ``out`` (columns
    :data:`RETRIAL_TALLIES`); returns n * 2**32 + m, the state reached.

    An event is a first attempt (rate ``lam``), a retry (``nu * m``) or a
    completion (``mu * min(n, c)``); an attempt finding n = k is refused and
    its customer joins (a first attempt) or stays in (a retry) the orbit
    with probability q, else leaves.  Time in a state is credited with its
    mean, as in :func:`birth_death`.
    """
    for r in range(first_batch, out.shape[0]):
        row = out[r]
        for _ in range(batch_steps):
            busy = n if n < c else c
            s = mu * busy
            t = nu * m
            total = lam + t + s
            h = 1.0 / total
            row[5] += h
            row[6] += n * h
            row[7] += busy * h
            if n >= k:
                row[8] += h
            row[9] += m * h
            x = gen.random() * total
            if x < lam + t:
                first = x < lam
                row[0] += 1.0
                if first:
                    row[3] += 1.0
                if n >= k:
                    row[1] += 1.0
                    stays = gen.random() < q
                    if first and stays:
                        m += 1
                    elif not first and not stays:
                        m -= 1
                    if not stays:
                        row[4] += 1.0
                else:
                    if n >= c:
                        row[2] += 1.0
                    n += 1
                    if not first:
                        m -= 1
            else:
                n -= 1
    return n * 4294967296 + m


#: Columns of the network tallies (then five per station: area_n,
#: area_busy, arrivals, refused, completions): cycles or external arrivals,
#: customers lost, customers admitted from outside (or cycles), customers
#: leaving (or cycles), time, customers at the queueing stations (time
#: integral).
NETWORK_TALLIES = ("counted", "lost", "entered", "departed", "window", "area_n")
PER_STATION = 5


@numba.njit(cache=True, nogil=True)
def network(external, mu, c, k, cdf, population, reference, refuse_to, queue_mask, gen, n,
            first_batch, batch_steps, out):
    """A network of exponential stations: advance ``out.shape[0]`` batches
    of ``batch_steps`` events from the state ``n`` (updated in place),
    adding each batch's tallies to its row of ``out`` (columns
    :data:`NETWORK_TALLIES`, then :data:`PER_STATION` per station).

    An event is an external arrival at a station (rate ``external[i]``) or a
    completion at one (``mu[i] * min(n_i, c_i)``); a customer completing at
    j goes to i with probability ``cdf[j, i+1] - cdf[j, i]`` or leaves
    (with the rest, ``1 - cdf[j, m]``); one arriving at a full station (n_i >= k_i; a customer
    routed back to its own station is never refused) is lost, or sent to
    ``refuse_to`` where that is >= 0.  Closed networks (``population >=
    0``) count an attempt (``counted``, ``entered`` when admitted at its
    first station) at each completion at ``reference`` and a cycle done
    (``departed``) at each customer reaching ``reference`` from another
    station (without a reference, every completion is all three).  Time in
    a state is credited with its mean, as in :func:`birth_death`.
    """
    m = external.size
    base = 6
    ext_total = 0.0
    for i in range(m):
        ext_total += external[i]
    for r in range(first_batch, out.shape[0]):
        row = out[r]
        for _ in range(batch_steps):
            total = ext_total
            inside = 0
            for i in range(m):
                b = n[i] if n[i] < c[i] else c[i]
                total += mu[i] * b
                if queue_mask[i]:
                    inside += n[i]
            h = 1.0 / total
            row[4] += h
            row[5] += inside * h
            for i in range(m):
                b = n[i] if n[i] < c[i] else c[i]
                row[base + 5 * i] += n[i] * h
                row[base + 5 * i + 1] += b * h
            x = gen.random() * total
            if x < ext_total:
                # an external arrival: at which station (the last with a
                # positive rate, should rounding leave x past the sum)
                i = -1
                acc = 0.0
                for ii in range(m):
                    if external[ii] > 0:
                        i = ii
                        acc += external[ii]
                        if x < acc:
                            break
                row[0] += 1.0
                row[base + 5 * i + 2] += 1.0
                if n[i] >= k[i]:
                    row[1] += 1.0
                    row[base + 5 * i + 3] += 1.0
                else:
                    row[2] += 1.0
                    n[i] += 1
                continue
            x -= ext_total
            j = -1
            acc = 0.0
            for jj in range(m):
                b = n[jj] if n[jj] < c[jj] else c[jj]
                if b > 0:
                    j = jj
                    acc += mu[jj] * b
                    if x < acc:
                        break
            row[base + 5 * j + 4] += 1.0
            at_ref = population >= 0 and reference == j
            if population >= 0 and reference < 0:
                row[0] += 1.0
                row[2] += 1.0
                row[3] += 1.0
            elif at_ref:
                row[0] += 1.0
            u = gen.random()
            if u >= cdf[j, m]:
                n[j] -= 1
                if population < 0:
                    row[3] += 1.0
                continue
            i = 0
            while i < m - 1 and u >= cdf[j, i + 1]:
                i += 1
            row[base + 5 * i + 2] += 1.0
            if i == j:
                continue
            n[j] -= 1
            if n[i] >= k[i]:
                row[base + 5 * i + 3] += 1.0
                row[1] += 1.0
                if refuse_to >= 0:
                    n[refuse_to] += 1
            else:
                n[i] += 1
                if at_ref:
                    row[2] += 1.0
                elif population >= 0 and i == reference:
                    row[3] += 1.0
    return 0
