"""Shared parameter handling of the queue classes (MMc, MMcK, MM1K)."""
import numpy as np

from . import _validate


class RateModel:
    """Arrival rate, service rate and servers, validated and broadcast.

    Subclasses call ``_init_rates`` with their extra integer parameters (as
    ``name=array`` pairs, already validated) so that one broadcast covers all.
    """

    def _init_rates(self, arrival_rate, service_rate, servers, **extra):
        lam = _validate.nonnegative("arrival_rate", arrival_rate)
        mu = _validate.positive("service_rate", service_rate)
        c = _validate.integer("servers", servers, minimum=1)
        arrays = _validate.broadcast(arrival_rate=lam, service_rate=mu, servers=c, **extra)
        self._lam, self._mu, self._c = arrays[:3]
        self._a = _validate.offered_load(self._lam, self._mu)
        return arrays[3:]

    @property
    def arrival_rate(self):
        return _validate.scalar(self._lam)

    @property
    def service_rate(self):
        return _validate.scalar(self._mu)

    @property
    def servers(self):
        return _validate.scalar(self._c.astype(np.int64))

    @property
    def offered_load(self):
        return _validate.scalar(self._a)

    def _repr_fields(self):
        return [("arrival_rate", _validate.show(self._lam)),
                ("service_rate", _validate.show(self._mu)),
                ("servers", _validate.show(self._c, int))]

    def __repr__(self):
        body = ", ".join(f"{k}={v}" for k, v in self._repr_fields())
        return f"{type(self).__name__}({body})"
