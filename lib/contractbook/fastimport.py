"""Imports that are slow for no benefit to contractbook, made fast.

`make setup` writes contractbook-fastimport.pth into the venv (`python -m contractbook.fastimport`),
so every Python process there, `ploomber build` and each notebook kernel included, defers the
modules of LAZY until they are used (`install`).
"""

from __future__ import annotations

import sys
import types


def jsonschema():
    """`jsonschema` without its optional `rfc3987_syntax` format checker (2 s of grammar building).

    contractbook never checks the `iri`/`uri-reference` formats that module serves. The block is
    lifted right after the import, so other code can still import `rfc3987_syntax` itself.
    """
    if "jsonschema" not in sys.modules and "rfc3987_syntax" not in sys.modules:
        # None makes `import rfc3987_syntax` raise ImportError (typeshed allows modules only)
        sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]
        try:
            import jsonschema as module
        finally:
            del sys.modules["rfc3987_syntax"]
        return module
    import jsonschema as module

    return module


class _LazyModule:
    """A meta path finder and loader: `import NAME` gives a stub whose attributes import the real
    module on first use (jsonschema imports `rfc3987_syntax`, 2-3 s of grammar building, at
    import time, in every process that imports nbformat, Ploomber and papermill included)."""

    def __init__(self, name: str, functions: tuple[str, ...] = (), package: bool = False):
        self.name, self.functions, self.package = name, functions, package
        self.real: types.ModuleType | None = None
        self.loading = False

    def find_spec(self, name, path=None, target=None):
        """A spec for the stub of self.name, unless the real module is being imported."""
        import importlib.util

        if name != self.name or self.loading or self.real is not None:
            return None
        return importlib.util.spec_from_loader(name, self)  # type: ignore[arg-type]  # a loader

    def create_module(self, spec):
        """The default module object."""
        return None

    def exec_module(self, module):
        """Fill the stub: its functions and other attributes load the real module when used."""
        for fn in self.functions:  # `from NAME import fn` must not load it yet
            setattr(module, fn, self._deferred(fn))
        module.__getattr__ = self._attribute

    def _attribute(self, attr: str):
        # the import system probes __path__ for `from NAME import fn`: not a use, unless NAME is
        # a package whose submodules are imported through the stub
        if attr.startswith("__") and not (self.package and attr == "__path__"):
            raise AttributeError(attr)
        return getattr(self.load(), attr)

    def _deferred(self, fn: str):
        def call(*args, **kwargs):
            return getattr(self.load(), fn)(*args, **kwargs)

        call.__name__ = call.__qualname__ = fn
        return call

    def load(self):
        """The real module (imported once, then kept in sys.modules in place of the stub)."""
        import importlib

        if self.real is None:
            self.loading = True
            stub = sys.modules.pop(self.name, None)
            try:
                self.real = importlib.import_module(self.name)
            except BaseException:
                if stub is not None:
                    sys.modules[self.name] = stub
                raise
            finally:
                self.loading = False
        return self.real


# module -> the functions other modules import from it by name (`from module import fn`)
LAZY = {"rfc3987_syntax": ("is_valid_syntax",)}
# Only in the `ploomber` command: modules Ploomber imports at start-up (for its profiler, plots
# and pickled products) and a build uses, if at all, after the tasks are chosen. A kernel or any
# other process imports them as usual (module -> whether it is a package).
PLOOMBER_LAZY = {"pandas": True, "matplotlib.pyplot": False}


def install() -> None:
    """Make the LAZY modules lazy in this process (run at start-up by contractbook-fast.pth)."""
    import importlib.util
    from pathlib import Path

    lazies = [_LazyModule(name, functions) for name, functions in LAZY.items()]
    if Path(sys.argv[0] if sys.argv else "").name == "ploomber":
        lazies += [_LazyModule(name, package=pkg) for name, pkg in PLOOMBER_LAZY.items()]
    for lazy in lazies:
        name = lazy.name
        if name in sys.modules or any(
            isinstance(f, _LazyModule) and f.name == name for f in sys.meta_path
        ):
            continue
        top = name.split(".")[0]  # find_spec of a submodule would import its package
        if importlib.util.find_spec(top) is not None:  # installed: else imports keep failing
            sys.meta_path.insert(0, lazy)


PTH = "contractbook-fastimport.pth"
# one line, run by `site` at every start of the venv's Python; silent when contractbook is gone
PTH_LINE = (
    'import sys; exec("try:\\n import contractbook.fastimport as m; m.install()\\n'
    'except Exception:\\n pass")\n'
)


def write_pth() -> str:
    """Write PTH into this interpreter's site-packages (`make setup` does); returns its path."""
    import sysconfig
    from pathlib import Path

    path = Path(sysconfig.get_paths()["purelib"]) / PTH
    path.write_text(PTH_LINE, encoding="utf-8")
    return str(path)


if __name__ == "__main__":
    print(write_pth())
