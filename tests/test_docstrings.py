"""Every public function and class documents itself as the reference pages
show it: an example that runs (the doctests of ``make test`` run them), See
Also links to its siblings, and References to where its formula comes from;
every quantity a model declares has a docstring that states its unit."""
import inspect

import pytest

docscrape = pytest.importorskip("numpydoc.docscrape")

import queuemath as qm  # noqa: E402
from queuemath._model import QUANTITY_INFO  # noqa: E402
from public_api import public_objects  # noqa: E402

# Results of a function: their function carries the references.
RESULTS = {"BacklogAdvice", "StormResult", "FluidStorm", "StormSimulation", "StormAdvice",
           "Observation"}

PUBLIC = [(n, o) for n, o in public_objects() if inspect.isclass(o) or inspect.isfunction(o)]


@pytest.mark.parametrize("name, obj", PUBLIC, ids=[n for n, _ in PUBLIC])
def test_public_object_has_examples_see_also_and_references(name, obj):
    doc = docscrape.NumpyDocString(inspect.getdoc(obj) or "")
    assert doc["Summary"], f"{name}: no summary line"
    assert any(line.lstrip().startswith(">>>") for line in doc["Examples"]), f"{name}: no example"
    assert doc["See Also"], f"{name}: no See Also"
    if name.rsplit(".", 1)[1] not in RESULTS:
        assert doc["References"], f"{name}: no References"


def _model_classes():
    return [(n, c) for n, c in PUBLIC if inspect.isclass(c) and issubclass(c, qm.QueueModel)
            and c is not qm.QueueModel]


@pytest.mark.parametrize("name, cls", _model_classes(), ids=[n for n, _ in _model_classes()])
def test_every_quantity_has_a_docstring_with_its_unit(name, cls):
    if not cls.closed_form:
        # estimated by simulation: no property per quantity; the class names them
        doc = inspect.getdoc(cls)
        assert all(q in doc for q in cls.quantities), name
        return
    missing, no_unit = [], []
    for quantity in cls.quantities:
        attr = inspect.getattr_static(cls, quantity, None)
        doc = inspect.getdoc(attr) if attr is not None else None
        if not doc:
            missing.append(quantity)
            continue
        unit = QUANTITY_INFO.get(quantity, ("", ""))[1]
        if unit and f"[{unit}]" not in doc:
            no_unit.append(f"{quantity} [{unit}]")
    assert not missing, f"{name}: quantities without a docstring: {missing}"
    assert not no_unit, f"{name}: docstrings that do not state the unit: {no_unit}"


def _members():
    out, seen = [], set()
    for name, cls in PUBLIC:
        if not inspect.isclass(cls) or issubclass(cls, Warning):
            continue
        for attr in dir(cls):
            if attr.startswith("_"):
                continue
            static = inspect.getattr_static(cls, attr)
            if not (isinstance(static, (property, classmethod, staticmethod)) or inspect.isfunction(static)):
                continue
            if id(static) in seen:
                continue
            seen.add(id(static))
            out.append((f"{name}.{attr}", cls, attr))
    return out


MEMBERS = _members()


@pytest.mark.parametrize("name, cls, attr", MEMBERS, ids=[m[0] for m in MEMBERS])
def test_every_public_method_and_property_has_an_example(name, cls, attr):
    """Inherited docstrings count (an override of ``kendall`` shows its base's)."""
    doc = inspect.getdoc(getattr(cls, attr)) or ""
    assert doc.strip(), f"{name}: no docstring"
    assert ">>>" in doc, f"{name}: no example"
