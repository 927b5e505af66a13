"""The public names the reference documents: every name in the ``__all__`` of
``queuemath`` and its public subpackages (modules left out), each object once,
under the first namespace that exports it (``queuemath.simulate``, not
``queuemath.montecarlo.simulate``)."""
import importlib
import inspect

NAMESPACES = ("queuemath", "queuemath.tcp", "queuemath.networks", "queuemath.symbolic",
              "queuemath.plot", "queuemath.montecarlo")


def public_objects():
    """[(full name, object)], sorted by name."""
    seen = {}
    for space in NAMESPACES:
        module = importlib.import_module(space)
        for name in module.__all__:
            obj = getattr(module, name)
            if not inspect.ismodule(obj):
                seen.setdefault(id(obj), (f"{space}.{name}", obj))
    return sorted(seen.values(), key=lambda p: p[0])
