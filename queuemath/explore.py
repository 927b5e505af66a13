r"""What-if analysis in Jupyter: sliders over a model's parameters, a live
table and figure.

``qm.explore(model)`` builds one slider per numeric parameter of a model
with closed forms (read from ``model.parameters``, so every model on the
contract works), rebuilds the model with the sliders' values on every
change (``type(model)(**parameters)``), and shows its ``summary()`` and,
where it has a stationary law, its state distribution; a target slider
marks whether a chosen quantity meets it.  JMT's what-if analysis, as a
notebook widget.  ipywidgets and matplotlib are imported when it is called
(``pip install 'queuemath[notebook]'``).
"""
import math

import numpy as np

from ._model import QueueModel

__all__ = ["explore", "Explorer"]

#: Parameters that are counts (integer sliders).
_COUNTS = ("servers", "capacity", "sources", "backlog")


class Explorer:
    """The widget :func:`explore` returns: ``widget`` (an ipywidgets box to
    display), ``sliders`` ({parameter: slider}), ``target`` (the target
    slider or None), and, after every change, ``model``, ``table`` (its
    ``summary()``), ``verdict`` ("meets" / "misses" / None) and
    ``error`` (the ValueError a combination of values raised, or None)."""

    def __init__(self, model, quantity, target, ranges):
        import ipywidgets as w
        self._cls = type(model)
        self._fixed = {k: v for k, v in model.parameters.items()
                       if not isinstance(v, (int, float)) or isinstance(v, bool)}
        self.sliders = {}
        for name, value in model.parameters.items():
            if name in self._fixed:
                continue
            lo, hi = ranges.get(name, _default_range(name, value))
            if name in _COUNTS or isinstance(value, int):
                s = w.IntSlider(value=int(value), min=int(lo), max=int(hi), description=name,
                                continuous_update=False)
            else:
                step = (hi - lo) / 200 if hi > lo else 0.01
                s = w.FloatSlider(value=float(value), min=float(lo), max=float(hi), step=step,
                                  description=name, continuous_update=False, readout_format=".4g")
            s.observe(self._update, names="value")
            self.sliders[name] = s
        self.quantity = quantity
        self.target = None
        if target is not None:
            self.target = w.FloatLogSlider(value=float(target), base=10, min=-12, max=0,
                                           description=f"target {quantity}",
                                           continuous_update=False, readout_format=".2g")
            self.target.observe(self._update, names="value")
        self.output = w.Output()
        controls = list(self.sliders.values()) + ([self.target] if self.target else [])
        self.widget = w.VBox([w.VBox(controls), self.output])
        self.model = model
        self.table = None
        self.verdict = None
        self.error = None
        self._update()

    def _update(self, change=None):
        params = dict(self._fixed)
        params.update({k: s.value for k, s in self.sliders.items()})
        try:
            model = self._cls(**params)
        except ValueError as exc:          # e.g. capacity below servers
            self.error = exc
            self._show(None)
            return
        self.error = None
        self.model = model
        self.table = model.summary()
        self.verdict = None
        if self.target is not None:
            self._value = float(getattr(model, self.quantity))
            self.verdict = "meets" if self._value <= self.target.value else "misses"
        self._show(model)

    def _show(self, model):
        try:
            from IPython import get_ipython
        except ImportError:            # no IPython: the values are all there is
            return
        if get_ipython() is None:
            return
        from IPython.display import display
        self.output.clear_output(wait=True)
        with self.output:
            if model is None:
                print(f"no model for these values: {self.error}")
                return
            if self.verdict is not None:
                print(f"{self.quantity} = {self._value:.4g}: "
                      f"{self.verdict} the target {self.target.value:.2g}")
            display(self.table)
            if callable(getattr(model, "state_probabilities", None)):
                import matplotlib.pyplot as plt
                from .plot import state_distribution
                fig, ax = plt.subplots(figsize=(6, 3))
                state_distribution(model, ax=ax)
                display(fig)
                plt.close(fig)

    def _ipython_display_(self):
        from IPython.display import display
        display(self.widget)


def _default_range(name, value):
    if name in _COUNTS:
        return 1, max(2 * int(value), int(value) + 10)
    v = float(value)
    return 0.0, (3 * v if v > 0 else 1.0)


def explore(model, *, quantity="blocking", target=None, **ranges):
    r"""Sliders over a model's parameters, with its table and figure live.

    Parameters
    ----------
    model : QueueModel
        Any model with closed forms and scalar parameters (``MMcK``,
        ``ErlangA``, ``tcp.ListenQueue``, ``FiniteSourceMMcK``, ...); its
        numeric parameters get sliders, the others (laws, an OS name) are
        kept.
    quantity : str, keyword-only, default "blocking"
        The quantity the target is for.
    target : float, keyword-only, optional
        A target for ``quantity`` (a share: a log slider from 1e-12 to 1):
        the widget says whether the model meets it.
    **ranges : (low, high)
        Slider ranges by parameter name; default 0 to 3 times a rate, 1 to
        twice a count (at least 10 more).

    Returns
    -------
    Explorer
        Displays itself in Jupyter; ``sliders``, ``model``, ``table`` and
        ``verdict`` follow every change (scripts and tests can set
        ``explorer.sliders["arrival_rate"].value`` and read them).

    See Also
    --------
    QueueModel.summary : The table the widget refreshes.
    queuemath.plot.state_distribution : The figure it refreshes.

    References
    ----------
    .. [1] M. Bertoli, G. Casale, G. Serazzi, "JMT: performance engineering
       tools for system modeling," ACM SIGMETRICS Performance Evaluation Review
       36(4), 2009, 10-15 (what-if analysis).  doi:10.1145/1530873.1530877

    Examples
    --------
    >>> import queuemath as qm
    >>> ex = qm.explore(qm.MMcK(3.6, 1.0, 4, 8), target=0.01, capacity=(4, 60))
    >>> ex.verdict
    'misses'
    >>> ex.sliders["capacity"].value = 40             # the model is rebuilt at once
    >>> ex.verdict, ex.model.capacity
    ('meets', 40)
    """
    if not isinstance(model, QueueModel):
        raise ValueError(f"model must be a queuemath model, got {model!r}")
    if not model.closed_form or model.shape != ():
        raise ValueError(f"explore takes a model with closed forms and scalar parameters, got "
                         f"{model!r}")
    if quantity not in model.quantities:
        raise ValueError(f"quantity must be one of {', '.join(model.quantities)}, got "
                         f"{quantity!r}")
    if target is not None and not (0 < float(target) <= 1 and math.isfinite(float(target))):
        raise ValueError(f"target must be a share in (0, 1], got {target!r}")
    for name, r in ranges.items():
        if name not in model.parameters:
            raise ValueError(f"{name} is not a parameter of {type(model).__name__}: "
                             f"{', '.join(model.parameters)}")
        lo, hi = r
        if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
            raise ValueError(f"{name}: range must be (low, high) with low < high, got {r!r}")
    return Explorer(model, quantity, target, ranges)
