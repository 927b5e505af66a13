"""The model contract: one base class for every queueing model.

Like scipy's ``rv_continuous`` (subclasses fill in hooks, every distribution
gets the same public methods) and Ciw's ``Distribution``, a model here is a
subclass of :class:`QueueModel` that

* declares its quantities in the class attribute ``quantities`` (each a
  read-only property, or, for a model simulated only, what ``simulate``
  estimates);
* declares its parameters with ``Parameter`` descriptors and stores them
  once, validated, broadcast and read-only, through :meth:`QueueModel._store`;
* says how to simulate it through the public :meth:`QueueModel.simulation_spec`
  (a ``SimulationSpec`` naming an engine and its arguments) and how it
  is written in Kendall's notation (:attr:`QueueModel.kendall`).

From those the base gives every model the same public behaviour: ``repr``
showing every parameter's value (large arrays summarised as numpy does),
:meth:`~QueueModel.summary` (a pandas DataFrame), ``_repr_html_`` for
Jupyter, pandas in and out (Series parameters give Series results with the
same index), and :func:`compare` for several models side by side.  The Monte
Carlo module, the plots and the inverses use only these public methods.
"""
import dataclasses
import html
import math
import re

import numpy as np

from . import _validate
from ._kernels import laws as _laws

__all__ = ["QueueModel", "Parameter", "quantity", "SimulationSpec", "compare",
           "require_arrivals", "QUANTITY_INFO"]

#: What each quantity means and its unit, as summary() and compare() print
#: them (times and rates in the units of the model's rates: [s] and [1/s]
#: when the rates are per second).
QUANTITY_INFO = {
    "blocking": ("share of arrivals refused", ""),
    "log_blocking": ("natural log of blocking", ""),
    "p_wait": ("share of arrivals that are admitted and wait for a server", ""),
    "log_p_wait": ("natural log of p_wait", ""),
    "p_abandon": ("share of arrivals that abandon while waiting", ""),
    "p_empty": ("probability that the system is empty", ""),
    "throughput": ("customers served per unit time", "1/s"),
    "utilization": ("mean share of servers busy", ""),
    "mean_in_system": ("mean number present", ""),
    "mean_queue": ("mean number waiting", ""),
    "mean_wait": ("mean wait in queue of an admitted customer", "s"),
    "mean_response_time": ("mean time in system of an admitted customer", "s"),
    "offered_load": ("arrival rate / service rate", "erlang"),
    "time_congestion": ("share of time all servers are busy", ""),
    "log_time_congestion": ("natural log of time_congestion", ""),
    "carried_load": ("mean number of busy servers", "erlang"),
    "p_full": ("share of time the system is full", ""),
    "log_p_full": ("natural log of p_full", ""),
    "attempt_rate": ("requests per unit time, refused ones included", "1/s"),
    "var_in_system": ("variance of the number present", ""),
    "var_queue": ("variance of the number waiting", ""),
    "var_wait": ("variance of the wait in queue of an admitted customer", "s^2"),
}


def quantity(fn):
    """Make ``fn`` (which returns an ndarray of the parameters' shape) a
    read-only property whose value reaches the user as :meth:`_output`
    shapes it (Python number, ndarray, or pandas Series)."""
    name = fn.__name__

    def get(self):
        return self._output(fn(self), name)
    get.__name__ = name
    get.__doc__ = fn.__doc__
    return property(get, doc=fn.__doc__)


class Parameter:
    """A model parameter: read-only, as the user gave it or as validated.

    ``kind`` is "float", "int" (a count, returned as int), "law" (a float
    for a constant time or a frozen scipy.stats distribution) or "value" (a
    name or setting, such as an OS); the last two are returned as stored.
    """

    def __init__(self, doc="", kind="float"):
        self.kind = kind
        self.__doc__ = doc

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        value = obj._params.get(self.name)
        if value is None or self.kind in ("law", "value"):
            return value
        if self.kind == "int":
            value = value.astype(np.int64)
        return obj._output(value, self.name)

    def __set__(self, obj, value):
        raise AttributeError(f"{self.name} is read-only: build a new {type(obj).__name__} "
                             "with the new value")


@dataclasses.dataclass(frozen=True)
class SimulationSpec:
    """How to simulate a model: the engine and its keyword arguments.

    ``engine`` is "markov" (exponential times: keyword arguments ``lam``,
    ``mu``, ``c``, ``k``, ``sources``, ``theta``) or "general" (FIFO with
    general laws: ``arrival``, ``service`` samplers, ``c``, ``k``,
    ``sources``); ``servers`` is c, for the utilisation.  Built by each
    model's :meth:`QueueModel.simulation_spec`; read by
    :func:`queuemath.simulate`.
    """

    engine: str
    arguments: dict
    servers: int


class QueueModel:
    r"""Base of every queueing model: subclasses fill in hooks, and every model
    gets the same public behaviour.

    A subclass

    * lists its quantities in ``quantities`` and defines each as a property
      (the ``quantity`` decorator turns an ndarray into what the user
      receives: a Python number, an array, or a pandas Series);
    * declares its parameters as ``Parameter`` descriptors and, in
      ``__init__``, validates them and stores them once with ``_store``;
    * says how it is written (:attr:`kendall`) and simulated
      (:meth:`simulation_spec`).

    It then has ``repr``, :meth:`summary`, ``_repr_html_``, a place in
    :func:`compare`, :func:`queuemath.simulate` and
    :func:`queuemath.crosscheck`, with nothing to edit elsewhere.

    See Also
    --------
    compare : Several models side by side.
    simulate : Estimate any model's quantities by simulation.
    crosscheck : Closed form against simulation.

    References
    ----------
    .. [1] D. G. Kendall, "Stochastic processes occurring in the theory of
       queues and their analysis by the method of the imbedded Markov chain,"
       Annals of Mathematical Statistics 24, 1953, 338-354 (the A/S/c/K
       notation the models are named in).  doi:10.1214/aoms/1177728975
    .. [2] P. Virtanen et al., "SciPy 1.0," Nature Methods 17, 2020, 261-272
       (the rv_continuous pattern: one base, every subclass the same methods).
       doi:10.1038/s41592-019-0686-2

    Examples
    --------
    The M/M/1 queue in a dozen lines (``queuemath.MMc`` is the full one):

    >>> import numpy as np
    >>> import queuemath as qm
    >>> from queuemath import _validate
    >>> from queuemath._model import Parameter, QueueModel, SimulationSpec, quantity
    >>> class MM1(QueueModel):
    ...     quantities = ("p_wait", "mean_in_system")
    ...     arrival_rate = Parameter("lambda [1/s]")
    ...     service_rate = Parameter("mu [1/s]")
    ...     def __init__(self, arrival_rate, service_rate):
    ...         lam = _validate.nonnegative("arrival_rate", arrival_rate)
    ...         mu = _validate.positive("service_rate", service_rate)
    ...         self._store(dict(arrival_rate=lam, service_rate=mu),
    ...                     dict(arrival_rate=lam, service_rate=mu))
    ...     kendall = "M/M/1"
    ...     def simulation_spec(self):
    ...         lam, mu = self._scalars("arrival_rate", "service_rate")
    ...         return SimulationSpec("markov", dict(lam=lam, mu=mu, c=1, k=np.inf,
    ...                                              sources=None), 1)
    ...     @quantity
    ...     def p_wait(self):
    ...         "rho, the share of arrivals that wait"
    ...         return self._params["arrival_rate"] / self._params["service_rate"]
    ...     @quantity
    ...     def mean_in_system(self):
    ...         "rho / (1 - rho)"
    ...         rho = self._params["arrival_rate"] / self._params["service_rate"]
    ...         return rho / (1 - rho)
    >>> q = MM1(0.5, 1.0)
    >>> q, q.mean_in_system
    (MM1(arrival_rate=0.5, service_rate=1.0), 1.0)
    >>> qm.crosscheck(q, arrivals=200_000, seed=1).all_covered
    True
    """

    #: The quantities the model has, in display order.
    quantities = ()
    #: False for models with no closed form (their quantities are estimated
    #: by simulation); True where every quantity is computed.
    closed_form = True
    #: True where the quantities are an approximation (MGcKApprox).
    approximate = False
    #: The parameters that vary from point to point (summary()'s columns for
    #: an array model); None: all of them.  A network's station vectors do not.
    point_parameters = None

    # -- storing parameters ---------------------------------------------------
    def _store(self, given, numeric, *, raw=(), laws=None):
        """Keep the parameters: ``given`` (name -> value as validated, before
        broadcasting, for ``repr``; None for one not given), ``numeric``
        (name -> validated float array) broadcast together once and made
        read-only, ``laws`` (name -> law) kept as they are; ``raw`` are the
        values as the user passed them, searched for pandas Series."""
        self._index = _validate.pandas_index(*raw)
        arrays = _validate.broadcast(**numeric) if numeric else []
        params = {}
        for name, arr in zip(numeric, arrays):
            arr = np.array(arr, dtype=float)      # own, contiguous copy
            arr.flags.writeable = False
            params[name] = arr
        params.update(laws or {})
        self._params = params
        self._given = given
        self._shape = arrays[0].shape if len(arrays) else ()

    @property
    def shape(self):
        """Broadcast shape of the parameters; () for a single point.

        Examples
        --------
        The broadcast shape of the parameters: () for a single point:

        >>> import queuemath as qm
        >>> qm.MMcK(3.0, 1.0, 4, 10).shape, qm.MMcK([1.0, 2.0, 3.0], 1.0, [[2], [4]], 10).shape
        ((), (2, 3))
        """
        return self._shape

    @property
    def parameters(self):
        """The parameters as given, as a dict (None for one not given).

        Examples
        --------
        >>> import queuemath as qm
        >>> qm.MMcK(3.0, 1.0, 4, 10).parameters
        {'arrival_rate': 3.0, 'service_rate': 1.0, 'servers': 4, 'capacity': 10}
        """
        return {name: (value if not isinstance(value, np.ndarray) else
                       self._output(value, name)) for name, value in self._given.items()}

    def _output(self, value, name=None):
        return _validate.output(value, self._index, name)

    def _store_rate_and_law(self, arrival_rate, service_time):
        """Validate and keep a Poisson arrival rate and a service law (the
        M/G/... models' parameters); returns (rate array, law)."""
        lam = _validate.nonnegative("arrival_rate", arrival_rate)
        law = _laws.as_law("service_time", service_time)
        self._store(dict(arrival_rate=lam, service_time=law), dict(arrival_rate=lam),
                    raw=(arrival_rate,), laws=dict(service_time=law))
        return self._params["arrival_rate"], law

    def _argument(self, name, value, check):
        """A method's argument (a time, a level) validated by ``check`` and
        broadcast against the model's parameters."""
        arr = check(name, value)
        return _validate.broadcast(**{name: arr, "the parameters": np.zeros(self._shape)})[0]

    def _argument_points(self, name, value, check):
        """``_argument``, and for each of its entries the flat index of the
        parameter point it goes with (models computed one point at a time)."""
        arr = self._argument(name, value, check)
        size = int(np.prod(self._shape, dtype=int))
        return arr, np.broadcast_to(np.arange(size).reshape(self._shape), arr.shape)

    def _each_point(self, name, value, check, laws, fn, empty, arg="t"):
        """For models solved one point at a time: ``fn(law, v)`` on the
        entries v of the argument that go with each flat point, whose own
        object is ``laws[i]`` (``empty(v)`` where it is None)."""
        arr, idx = self._argument_points(arg, value, check)
        flat, where = arr.ravel(), idx.ravel()
        out = np.empty(flat.size)
        for i in np.unique(where):
            at = where == i
            law = laws[i]
            out[at] = empty(flat[at]) if law is None else fn(law, flat[at])
        return self._output(out.reshape(arr.shape), name)

    def _scalars(self, *names):
        """The named numeric parameters as Python floats; a ValueError naming
        the first one that is an array (simulation takes one point)."""
        if self._shape != ():
            # name the parameter that was given as an array, not the broadcast
            given = [n for n, v in self._given.items()
                     if isinstance(v, np.ndarray) and v.size != 1] or list(names)
            shape = np.shape(self._given.get(given[0], self._params[names[0]]))
            raise ValueError(f"{type(self).__name__} has {given[0]} of shape {shape}: "
                             "simulate takes a model with scalar parameters")
        return [float(self._params[name]) for name in names]

    # -- hooks ------------------------------------------------------------------
    def simulation_spec(self):
        """A ``SimulationSpec`` for :func:`queuemath.simulate`; raises a
        ValueError where the model cannot be simulated (array parameters, no
        arrivals, no stationary law).

        Examples
        --------
        The engine and the arguments :func:`queuemath.simulate` runs the model with:

        >>> import queuemath as qm
        >>> spec = qm.MMcK(3.0, 1.0, 4, 10).simulation_spec()
        >>> spec.engine
        'markov'
        """
        raise ValueError(f"{type(self).__name__} has no simulation")

    @property
    def kendall(self):
        """The model in Kendall's notation, e.g. ``M/M/4/8``.

        Examples
        --------
        Every model names itself; a symbol where its parameter varies over an array:

        >>> import queuemath as qm
        >>> qm.MMcK(3.0, 1.0, 4, 10).kendall, qm.MMc(3.0, 1.0, 4).kendall
        ('M/M/4/10', 'M/M/4')
        >>> qm.MMcK(3.0, 1.0, [2, 4], 10).kendall
        'M/M/c/10'
        """
        raise NotImplementedError

    def _kendall_count(self, name, letter):
        """A count for the Kendall string: its value if it is one, else the letter."""
        value = self._params[name]
        return str(int(value.flat[0])) if np.all(value == value.flat[0]) else letter

    def quantity_value(self, name):
        """The model's value of ``name``, as :func:`queuemath.crosscheck`
        sets it beside a simulated estimate: a quantity's value (networks
        also answer for their per-station rows, ``utilization[1]``).

        Examples
        --------
        What ``crosscheck`` sets beside a simulated estimate:

        >>> import queuemath as qm
        >>> q = qm.MM1K(45.0, 50.0, 6)
        >>> q.quantity_value('blocking') == q.blocking
        True
        """
        if name not in self.quantities:
            raise ValueError(f"{type(self).__name__} has no quantity {name!r}")
        return float(getattr(self, name))

    # -- display ------------------------------------------------------------------
    def __repr__(self):
        shown = [f"{name}={_show(value)}" for name, value in self._given.items()
                 if value is not None]
        return f"{type(self).__name__}({', '.join(shown)})"

    def summary(self, **simulate_kwargs):
        """Every quantity as a pandas DataFrame.

        Scalar parameters: one row per quantity, columns ``value``, ``unit``
        and ``description``.  Array parameters: one row per point (in C order,
        indexed like the Series given, if any) and one column per parameter
        and quantity.  A model without a closed form is simulated
        (``simulate_kwargs`` go to :func:`queuemath.simulate`; default
        ``seed=0``, so the table is reproducible) and the table gains the
        interval columns ``low`` and ``high``.

        Examples
        --------
        >>> import queuemath as qm
        >>> t = qm.MMcK(3.0, 1.0, 4, 10).summary()
        >>> list(t.columns)
        ['value', 'unit', 'description']
        >>> t.loc['mean_wait', 'unit']
        's'
        >>> value = t["value"].astype(float)
        >>> bool(abs(value["throughput"] - 3.0 * (1 - value["blocking"])) < 1e-12)
        True
        """
        import pandas as pd
        if not self.closed_form:
            return self._simulated_summary(simulate_kwargs)
        if simulate_kwargs:
            raise ValueError(f"summary() of {type(self).__name__} takes no simulation "
                             f"arguments (it has closed forms), got {sorted(simulate_kwargs)}")
        values = {name: np.asarray(getattr(self, name), dtype=float) for name in self.quantities}
        if self._shape == ():
            rows = [(float(values[q]), *_info(self, q)) for q in self.quantities]
            frame = pd.DataFrame(rows, columns=["value", "unit", "description"],
                                 index=pd.Index(self.quantities, name="quantity"))
            return frame
        columns = {}
        for name, arr in self._params.items():
            if isinstance(arr, np.ndarray) and (self.point_parameters is None
                                                or name in self.point_parameters):
                columns[name] = np.broadcast_to(arr, self._shape).ravel()
        for name in self.quantities:
            columns[name] = np.broadcast_to(values[name], self._shape).ravel()
        index = self._index if self._index is not None and len(self._shape) == 1 else None
        frame = pd.DataFrame(columns, index=index)
        if index is None:
            frame.index.name = "point"
        return frame

    def _simulated_summary(self, kwargs):
        import pandas as pd
        from .montecarlo import simulate
        kwargs = dict(kwargs)
        kwargs.setdefault("seed", 0)
        result = simulate(self, **kwargs)
        rows = []
        for name in result.quantities:
            est = getattr(result, name)
            rows.append((est.mean, est.low, est.high, *_info(self, name)))
        return pd.DataFrame(rows, columns=["value", "low", "high", "unit", "description"],
                            index=pd.Index(result.quantities, name="quantity"))

    def _repr_html_(self):
        title = (f"<p><b>{html.escape(type(self).__name__)}</b> &mdash; "
                 f"{html.escape(self.kendall)} ({_method(self)})</p>")
        params = "".join(f"<tr><td>{html.escape(n)}</td><td>{html.escape(_show(v))}</td></tr>"
                         for n, v in self._given.items() if v is not None)
        parts = [title, f"<table><tr><th>parameter</th><th>value</th></tr>{params}</table>"]
        if not self.closed_form:
            parts.append("<p>No closed form: <code>summary()</code> or "
                         "<code>queuemath.simulate(model)</code> estimates "
                         f"{html.escape(', '.join(self.quantities))}.</p>")
        elif self._shape != ():
            parts.append(f"<p>{int(np.prod(self._shape))} points of shape {self._shape}: "
                         "<code>summary()</code> gives one row per point.</p>")
        else:
            parts.append(self.summary().to_html(float_format=lambda v: f"{v:.6g}"))
        return "<div>" + "".join(parts) + "</div>"


def require_arrivals(arrival_rate):
    """A simulation needs arrivals: a ValueError where the rate is 0."""
    if not arrival_rate > 0:
        raise ValueError(f"arrival_rate must be > 0 to simulate, got {arrival_rate!r}")


def _method(model):
    if not model.closed_form:
        return "simulation only"
    return "approximation" if model.approximate else "exact"


def _info(model, name):
    desc, unit = QUANTITY_INFO.get(name, (name.replace("_", " "), ""))
    desc = getattr(model, "descriptions", {}).get(name, desc)
    return unit, desc


def _show(value):
    """A parameter as repr shows it: a number, a law, or an array summarised
    the way numpy does (a 1e5 x 10 grid stays under a few hundred characters)."""
    if isinstance(value, np.ndarray):
        if value.ndim == 0:
            return _show(value[()])
        ints = value.dtype.kind in "iu"
        text = np.array2string(value, separator=", ", threshold=8, edgeitems=2,
                               max_line_width=10**6,
                               formatter={"int": lambda v: str(int(v))} if ints else None)
        text = " ".join(text.split())
        # numpy pads columns to a common width: the padding is noise here
        return re.sub(r"\[ +", "[", re.sub(r" +([\],])", r"\1", text))
    if isinstance(value, (bool, np.bool_)):
        return repr(bool(value))
    if isinstance(value, (int, np.integer)):
        return repr(int(value))
    if isinstance(value, (float, np.floating)):
        return repr(float(value))
    if isinstance(value, str):
        return repr(value)
    return _laws.describe(value)


def compare(models, names=None):
    r"""Several models side by side: one column per model, one row per
    parameter and quantity, as a pandas DataFrame.

    Parameters
    ----------
    models : sequence of models
        Each with scalar parameters (any :class:`QueueModel`: MM1K, MMcK,
        ErlangA, MG1K, tcp.ListenQueue, ...).  A model without a closed form
        contributes its simulated estimates (``summary()``, seed 0).
    names : sequence of str, optional
        Column names; default each model's Kendall notation (with ``#2``,
        ``#3`` ... where two coincide).

    Returns
    -------
    pandas.DataFrame
        Rows: the parameters (in order of first appearance), then the
        quantities; NaN where a model does not have the row.

    See Also
    --------
    QueueModel.summary : One model's table.

    References
    ----------
    .. [1] W. McKinney, "Data structures for statistical computing in Python,"
       Proc. 9th Python in Science Conference, 2010, 56-61 (the DataFrame
       returned).  doi:10.25080/Majora-92bf1922-00a

    Examples
    --------
    >>> import queuemath as qm
    >>> t = qm.compare([qm.MM1K(45.0, 50.0, 6), qm.MM1K(45.0, 50.0, 201)])
    >>> list(t.columns)
    ['M/M/1/6', 'M/M/1/201']
    >>> round(float(t.loc["blocking", "M/M/1/6"]), 4)
    0.1019
    """
    import pandas as pd
    models = list(models)
    if not models:
        raise ValueError("models must not be empty")
    for i, m in enumerate(models):
        if not isinstance(m, QueueModel):
            raise ValueError(f"models[{i}] must be a queuemath model, got {m!r}")
        if m.shape != ():
            raise ValueError(f"models[{i}] ({type(m).__name__}) has parameters of shape "
                             f"{m.shape}: compare takes models with scalar parameters")
    if names is None:
        names = _unique([m.kendall for m in models])
    else:
        names = [str(n) for n in names]
        if len(names) != len(models):
            raise ValueError(f"names has {len(names)} entries for {len(models)} models")
        if len(set(names)) != len(names):
            raise ValueError(f"names must be distinct, got {names}")
    rows = []
    for m in models:
        for n, v in m._given.items():
            if v is not None and n not in rows:
                rows.append(n)
    # the positional parameters first, in their order, then the others as they came
    canon = ("arrival_rate", "service_rate", "sources", "servers", "capacity")
    first = list(rows)
    rows.sort(key=lambda r: (canon.index(r) if r in canon else len(canon), first.index(r)))
    params_end = len(rows)
    for m in models:
        for q in m.quantities:
            if q not in rows:
                rows.append(q)
    data = {}
    for name, m in zip(names, models):
        col = {}
        for n in rows[:params_end]:
            v = m._given.get(n)
            if v is None:
                # a parameter the model fixes (MM1K's servers = 1) reads as such
                v = getattr(m, n, None)
                if not isinstance(v, (int, float)):
                    continue
            if isinstance(v, np.ndarray):
                # a network's station vector reads as its repr does
                col[n] = v.item() if v.size == 1 else _show(v)
            else:
                col[n] = v if isinstance(v, (int, float, str)) else _laws.describe(v)
        table = m.summary()
        for q in table.index:
            col[q] = float(table.loc[q, "value"])
        data[name] = [col.get(r, math.nan) for r in rows]
    frame = pd.DataFrame(data, index=pd.Index(rows, name="parameter / quantity"))
    if all(isinstance(v, (int, float)) for r in rows[:params_end] for v in frame.loc[r]):
        frame = frame.astype(float)
    return frame


def _unique(labels):
    seen = {}
    out = []
    for lab in labels:
        seen[lab] = seen.get(lab, 0) + 1
        out.append(lab if seen[lab] == 1 else f"{lab} #{seen[lab]}")
    if len(set(out)) != len(out):    # a label that already read "X #2"
        out = [f"{lab} [{i}]" for i, lab in enumerate(labels)]
    return out
