"""Service, interarrival and think-time laws (private kernel).

A law is a plain ``float`` (a constant time) or a frozen scipy.stats
distribution.  Nothing here imports scipy.stats: a law arrives already built.
"""
import numpy as np

from .. import _validate

__all__ = ["as_law", "describe", "is_constant", "exponential_scale", "mean", "scv",
           "Sampler", "ExponentialSampler"]

_NUMBERS = (int, float, np.integer, np.floating)


def is_constant(law):
    return isinstance(law, float)


def as_law(name, value):
    """``value`` checked as a law of non-negative times with a finite,
    positive mean: a number becomes a float (a constant time), a frozen
    scipy.stats distribution (or any object with its ``rvs``, ``mean`` and
    ``support`` methods) is returned as is; anything else raises a
    ValueError that names ``name`` and says what is accepted."""
    if isinstance(value, _NUMBERS) and not isinstance(value, (bool, np.bool_)):
        return float(_validate.positive(name, value))
    if callable(getattr(value, "freeze", None)) and not hasattr(value, "dist"):
        law = getattr(value, "name", type(value).__name__)
        raise ValueError(
            f"{name} must be a frozen scipy.stats distribution, got the distribution family "
            f"{law!r} without its parameters; freeze it, e.g. scipy.stats.{law}(...) with "
            "its shape and scale, or give a number for a constant time")
    if not all(callable(getattr(value, m, None)) for m in ("rvs", "mean", "support")):
        raise ValueError(
            f"{name} must be a number (a constant time) or a frozen scipy.stats "
            f"distribution, got {value!r}")
    low = float(value.support()[0])
    if not low >= 0:
        raise ValueError(f"{name} can return negative times: its support starts at {low!r}")
    m = float(value.mean())
    if not (np.isfinite(m) and m > 0):
        raise ValueError(f"{name} must have a finite mean > 0, got mean {m!r} for "
                         f"{describe(value)}")
    return value


def describe(law):
    """How a law is shown: ``1.0`` or ``lognorm(s=1.0, scale=0.6)``."""
    if isinstance(law, float):
        return repr(law)
    if not hasattr(law, "dist"):
        return repr(law)           # a law of queuemath's own (PhaseType)
    name = getattr(getattr(law, "dist", None), "name", type(law).__name__)
    args = [_number(a) for a in getattr(law, "args", ())]
    args += [f"{k}={_number(v)}" for k, v in getattr(law, "kwds", {}).items()]
    return f"{name}({', '.join(args)})"


def _number(v):
    if isinstance(v, _NUMBERS) and not isinstance(v, (bool, np.bool_)):
        return repr(float(v)) if isinstance(v, (float, np.floating)) else repr(int(v))
    return repr(v)


def exponential_scale(law):
    """The mean of an exponential law (scipy.stats.expon with loc 0), or None."""
    if isinstance(law, float) or getattr(getattr(law, "dist", None), "name", None) != "expon":
        return None
    loc = float(law.kwds.get("loc", law.args[0] if law.args else 0.0))
    return float(law.mean()) if loc == 0 else None


def mean(law):
    return law if isinstance(law, float) else float(law.mean())


def scv(law):
    """Squared coefficient of variation Var/mean**2 (0 for a constant)."""
    if isinstance(law, float):
        return 0.0
    m, v = (float(x) for x in law.stats(moments="mv"))
    return v / m ** 2


class Sampler:
    """Picklable draws from a law: ``Sampler(law)(generator, size)``."""

    def __init__(self, law):
        self.law = law

    def moments(self):
        """(mean, squared coefficient of variation), for run-length plans."""
        return mean(self.law), scv(self.law)

    def __call__(self, gen, size):
        if isinstance(self.law, float):
            return np.full(size, self.law)
        return np.asarray(self.law.rvs(size=size, random_state=gen), dtype=float)


class ExponentialSampler:
    """Exponential times of the given rate (Poisson arrivals), picklable."""

    def __init__(self, rate):
        self.scale = 1.0 / float(rate)

    def moments(self):
        return self.scale, 1.0

    def __call__(self, gen, size):
        return gen.exponential(self.scale, size)
