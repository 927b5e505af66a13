r"""Waiting and response times of M/PH/c/K, FIFO (private kernel; see
``queuemath.MPHcK``).

An admitted customer who finds n >= c present, the servers' phases in state
k, starts service at the (n - c + 1)-th completion from then on: until then
every server is busy, each completion is followed by the start of one of
those ahead (in phase j with probability :math:`\alpha_j`), and later
arrivals do not matter.  So the wait is the absorption time of a chain on
(j, k), j = completions still needed, with the full level's phase changes
within j and its completions (followed by a start) from j to j - 1; the
time in system adds the customer's own phase-type service.  The chain is
uniformized at the full level's largest total rate :math:`\Lambda` (at least
any one server's phase rate): with :math:`a_l` the mass still waiting after
l steps of the uniformized chain and :math:`d_l` the mass that starts at
step l,

.. math:: P(W > t) = \sum_l e^{-\Lambda t}\frac{(\Lambda t)^l}{l!}\, a_l,
          \qquad f_W(t) = \Lambda \sum_l e^{-\Lambda t}
          \frac{(\Lambda t)^l}{l!}\, d_l,

and :math:`P(W \le t)` the same sum over the masses started by step l,
plus those who never wait: every term positive.  Each row j of the chain
carries its own log scale, so tails far below 1e-300 keep their relative
precision.  The sums stop at :math:`l = \Lambda t + 12\sqrt{\Lambda t} + 60`,
past which the Poisson weights hold less than :math:`e^{-70}` of the mass
(the sequences :math:`a_l` fall, so what is left out is below that share
of the sum).  :math:`E[W] = \sum_l a_l/\Lambda` and :math:`E[W^2] =
2\sum_l (l+1) a_l/\Lambda^2`, summed until the rest is below 1e-17 of them.
Cost O(J s^2) per step for J places in the queue and s phase states of
the full level; steps grow with :math:`\Lambda t`.

References
----------
.. [1] W. K. Grassmann, "Transient solutions in Markovian queueing
   systems," Computers & Operations Research 4, 1977, 47-53
   (uniformization).  doi:10.1016/0305-0548(77)90007-7
.. [2] M. F. Neuts, "Matrix-Geometric Solutions in Stochastic Models,"
   Johns Hopkins University Press, 1981, sec. 3.9 (the waiting time of the
   M/PH/c queue).
"""
import numpy as np
from scipy import special

from . import phase as _phase
from . import special as _special
from .waiting import solve_falling

__all__ = ["PhaseWait"]

_CHUNK = 1 << 21       # entries of a (times x steps) block of Poisson weights
_RESCALE = 8           # steps between new row scales


def _logsum(x, axis=None):
    with np.errstate(divide="ignore"):
        return special.logsumexp(x, axis=axis)


class PhaseWait:
    """One point's wait and time in system (see the module notes).

    ``log_mass`` is log P(N = n), n = 0..K, and ``rows`` the servers' phase
    laws at levels c..K, from ``phase.solve(..., vectors=True)``.
    """

    @classmethod
    def at(cls, alpha, T, exit_rates, lam, c, k, solved=None):
        """The law at one point, or None where nobody waits (no arrivals, or
        no room beyond the servers); ``solved`` is ``phase.solve(...,
        vectors=True)`` of the point where the caller has it."""
        if lam == 0 or k == c:
            return None
        if solved is None:
            solved = _phase.solve(lam, alpha, T, exit_rates, c, k, vectors=True)
        return cls(alpha, T, exit_rates, c, k, *solved)

    def __init__(self, alpha, T, exit_rates, c, k, log_mass, rows):
        moves, done, restart, _ = _phase.full_level(alpha, T, exit_rates, c)
        out = moves.sum(axis=1) + done
        self.rate = float(out.max())
        self.stay = moves / self.rate
        self.stay[np.diag_indices_from(self.stay)] += 1.0 - out / self.rate
        self.down = restart / self.rate
        self.done = done / self.rate
        # the customer's own service, uniformized at the same rate
        self.own = T / self.rate + np.eye(alpha.size)
        self.own_done = exit_rates / self.rate
        self.alpha = alpha
        log_admit = _logsum(log_mass[:k])
        self.log_p0 = float(_logsum(log_mass[:c]) - log_admit)      # no wait
        # rows j = 1..K-c: who finds n = c + j - 1 present needs j completions
        with np.errstate(divide="ignore"):
            self.ls = log_mass[c:k] - log_admit
        self.v = rows[: k - c].copy()
        self.ly, self.y = self.log_p0, alpha.copy()
        # per step: log a_l, log d_l (wait); log of the response's survivors
        # and its completions
        self.log_a, self.log_d, self.log_ra, self.log_rd = [], [], [], []
        self.longest = np.inf
        self.steps = 0
        self._rescale()
        self._record()

    def _rescale(self):
        """New row scales: each row's own size, raised to that of any row
        above it (rows only feed the row below, so a row is never needed
        below the scale of what will flow into it); the factors from one
        row's scale to the next's are then at most 1 and never overflow."""
        big = self.v.max(axis=1)
        with np.errstate(divide="ignore"):
            own = np.where(big > 0, self.ls + np.log(np.where(big > 0, big, 1.0)), -np.inf)
        ls = np.maximum.accumulate(own[::-1])[::-1]
        safe = np.where(np.isfinite(ls), ls, 0.0)
        with np.errstate(under="ignore", invalid="ignore"):
            self.v = self.v * np.where(np.isfinite(own), np.exp(self.ls - safe), 0.0)[:, None]
            self.feed = np.where(np.isfinite(ls[1:]), np.exp(ls[1:] - safe[:-1]), 0.0)[:, None]
        self.ls = ls
        top = ls[0] if ls.size else -np.inf      # ls[0] is the largest
        self.top = top
        with np.errstate(under="ignore"):
            self.weights = np.exp(ls - top) if np.isfinite(top) else np.zeros(ls.size)

    def _record(self):
        with np.errstate(divide="ignore"):
            wait = self.top + np.log(self.weights @ self.v.sum(axis=1))
            start = self.ls[0] + np.log(self.v[0] @ self.done)
            own = self.ly + np.log(self.y.sum())
            fin = self.ly + np.log(self.y @ self.own_done)
        wait, start, own, fin = (float(x) if np.isfinite(x) else -np.inf
                                 for x in (wait, start, own, fin))
        self.log_a.append(wait)
        self.log_d.append(start)
        self.log_ra.append(float(np.logaddexp(wait, own)))
        self.log_rd.append(fin)

    def _step(self):
        """One step of the uniformized chain (rows keep their scales for
        :data:`_RESCALE` steps: within them no entry can overflow, and none
        falls by 1e-300)."""
        v = self.v
        start = self.log_d[-1]                         # the first row's completions
        new = v @ self.stay
        new[:-1] += self.feed * (v[1:] @ self.down)
        self.v = new
        top_y = max(self.ly, start)
        if top_y == -np.inf:
            y = np.zeros_like(self.y)              # nobody in service yet, or any more
        else:
            y = (np.exp(self.ly - top_y) * (self.y @ self.own)
                 + (np.exp(start - top_y) * self.alpha if start > -np.inf else 0.0))
        big_y = y.max()
        self.ly = top_y + np.log(big_y) if big_y > 0 else -np.inf
        self.y = y / big_y if big_y > 0 else y
        self.steps += 1
        if self.steps % _RESCALE == 0:
            self._rescale()
        self._record()

    def _upto(self, steps):
        while len(self.log_a) <= steps:
            self._step()

    def _sequence(self, name, top):
        """Steps 0..top of a logged sequence; ``cum_d``/``cum_rd``: the
        masses started (finished) before each step."""
        self._upto(top)
        if name.startswith("cum_"):
            d = np.asarray(getattr(self, "log_" + name[4:])[: top + 1])
            return np.concatenate([[-np.inf], np.logaddexp.accumulate(d)[:-1]])
        return np.asarray(getattr(self, name)[: top + 1])

    def _mix(self, t, name, shift=0.0):
        """log sum_l Pois(l; Lambda t) exp(seq[l]) (+ ``shift``)."""
        t = np.asarray(t, dtype=float)
        flat = t.ravel()
        out = np.full(flat.size, -np.inf)
        fin = np.isfinite(flat)
        if fin.any():
            x = self.rate * flat[fin]
            top = _special.poisson_reach(float(x.max()))
            s = self._sequence(name, top)
            l = np.arange(top + 1, dtype=float)
            res = np.empty(x.size)
            step = max(1, _CHUNK // (top + 1))
            for i in range(0, x.size, step):
                xs = x[i: i + step, None]
                lp = _special.log_poisson_all(l, xs)
                res[i: i + step] = _logsum(lp + s, axis=1)
            out[fin] = res + shift
        return out.reshape(t.shape)

    def _log_cdf(self, t, response):
        """1 - sf above 1/2, else the positive terms (the share who never
        wait, then the masses started by each step)."""
        t = np.asarray(t, dtype=float)
        ls = np.minimum(self._mix(t, "log_ra" if response else "log_a"), 0.0)
        with np.errstate(divide="ignore"):
            out = np.log(-np.expm1(ls))
        low = ls > -np.log(2.0)
        if low.any():
            part = self._mix(t[low], "cum_rd" if response else "cum_d")
            out[low] = part if response else np.logaddexp(self.log_p0, part)
        return np.minimum(out, 0.0)

    def log_sf(self, t):
        return np.minimum(self._mix(t, "log_a"), 0.0)

    def log_density(self, t):
        return self._mix(t, "log_d", np.log(self.rate))

    def log_cdf(self, t):
        return self._log_cdf(t, False)

    def log_response_sf(self, t):
        return np.minimum(self._mix(t, "log_ra"), 0.0)

    def log_response_density(self, t):
        return self._mix(t, "log_rd", np.log(self.rate))

    def log_response_cdf(self, t):
        return self._log_cdf(t, True)

    def moments(self, response=False):
        """(E[W], E[W^2]) of the wait (or the time in system)."""
        seq = self.log_ra if response else self.log_a
        first = second = 0.0
        l = 0
        while True:
            self._upto(l)
            if seq[l] == -np.inf:
                break
            a = np.exp(seq[l])
            first += a
            second += (l + 1) * a
            # a_l falls at least geometrically once the queue drains; the
            # rest is below a_l / (1 - ratio) for the last ratio seen
            if l > 10 and a <= 1e-18 * first:
                ratio = np.exp(seq[l] - seq[l - 1])
                if ratio < 0.999 and a / (1 - ratio) * l <= 1e-17 * second:
                    break
            l += 1
        return first / self.rate, 2.0 * second / self.rate ** 2

    def _solve(self, p, response):
        log_tail = np.log1p(-p)
        sf = self.log_response_sf if response else self.log_sf
        dens = self.log_response_density if response else self.log_density
        # start from the mean of those with a positive time (E[W | W > 0])
        mean = self.moments(response)[0]
        positive = np.exp(sf(np.array([0.0]))[0])
        x0 = np.full(p.shape, max(mean / max(positive, 1e-300), 1.0 / self.rate))

        def evaluate(idx, x):
            ls = sf(x)
            with np.errstate(over="ignore", invalid="ignore"):
                slope = -np.exp(dens(x) - ls)
            return ls, slope
        return solve_falling(evaluate, log_tail, x0)

    def quantile(self, p):
        return self._solve(p, False)

    def response_quantile(self, p):
        return self._solve(p, True)
