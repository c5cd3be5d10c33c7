"""Packages whose names are imported on first use (PEP 562).

A package's ``__init__`` that imported every module it names would make any one of its
modules cost them all: a worker process unpickling a task (it imports ``portsim.run.tasks``,
the model's classes and the engine's) would import the scenario file's reader and YAML, the
checks before a run, the summary and the command line's needs with it. A package made lazy by
:func:`lazy_package` imports a name's module when the name is first read, and any of its
submodules when read as an attribute, as an eager ``__init__`` would have made them. Its
``__init__`` imports the names again under ``TYPE_CHECKING``, for the type checker and
editors; ``tests/test_imports.py`` holds the two lists equal, and each to ``__all__``.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from importlib import import_module
from importlib.util import find_spec
from types import ModuleType
from typing import Any

__all__ = ["LazyPackage", "lazy_package"]


class LazyPackage(ModuleType):
    """A package whose names are imported when first read: ``_homes`` maps each name to the
    module that defines it (relative to the package)."""

    _homes: Mapping[str, str]

    def __getattr__(self, name: str) -> Any:
        """A name not yet read (Python asks only for those)."""
        home = self._homes.get(name)
        if home is not None:
            value = getattr(import_module(home, self.__name__), name)
            ModuleType.__setattr__(self, name, value)
            return value
        submodule = f"{self.__name__}.{name}"
        if not name.startswith("__") and find_spec(submodule) is not None:
            return import_module(submodule)  # which binds it here
        raise AttributeError(f"module {self.__name__!r} has no attribute {name!r}")

    def __setattr__(self, name: str, value: Any) -> None:
        # Python binds a submodule on its package when it first imports it; where the package
        # names something else so (``run.simulate`` is the function, not its module), the
        # package's name stands, as when an eager ``__init__`` bound it after the import
        submodule = isinstance(value, ModuleType) and value.__name__ == f"{self.__name__}.{name}"
        if not (submodule and name in self._homes):
            ModuleType.__setattr__(self, name, value)

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | set(self._homes))


def lazy_package(name: str, modules: Mapping[str, tuple[str, ...]]) -> None:
    """Make the package ``name`` import the names of each of its ``modules`` (relative, as
    ``".compile"``) when first read. Called at the end of the package's ``__init__``."""
    package = sys.modules[name]
    homes = {item: module for module, items in modules.items() for item in items}
    ModuleType.__setattr__(package, "_homes", homes)
    package.__class__ = LazyPackage
