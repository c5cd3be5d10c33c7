"""Build the generated documents into ``docs/_build/`` (ignored by git: only what a person
writes is committed; these are made from the code and the scenarios whenever wanted).

    python docs/build.py                   # both, below
    python docs/build.py api               # the API reference: docs/_build/api/index.html
    python docs/build.py library [NAME...] # the library's HTML reports: docs/_build/library/

The API reference is pdoc's rendering of the docstrings (the ``docs`` extra installs it:
``pip install -e '.[docs]'``), ``portsim`` first: its ``__all__`` is the public API. Every
warning is an error, so the build fails on a module that cannot be imported, a name in an
``__all__`` that does not resolve, an annotation that cannot be read, or a docstring's
reference (``:class:`ScenarioError```, ``:mod:`.claims```, ```portsim.run.tasks```) to a
name that does not exist; the references it resolves become links.

The library's reports are each library scenario run as its file says (``tests/library.py``
holds the list; ``tests/test_library.py`` holds their tables to the guide), one
self-contained HTML report per scenario, as ``portsim report FILE`` writes it. The whole
library takes minutes (three scenarios are days of half a million travellers); name the
scenarios to build fewer. This script is not part of the installed package.
"""

from __future__ import annotations

import builtins
import importlib
import pkgutil
import re
import sys
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "docs" / "_build"
API = BUILD / "api"
LIBRARY = BUILD / "library"

#: a Sphinx-style role (``:class:`~portsim.errors.ScenarioError```, ``:mod:`text <.x>```)
#: or a dotted name of the package in backquotes (```portsim.run.tasks```)
_ROLE = re.compile(r":(?:func|class|meth|mod|attr|data|exc|obj):`(~?)(?:[^`<]*<)?([^`>]+)>?`")
_DOTTED = re.compile(r"(?<![`:\w])`(portsim(?:\.\w+)+)`(?!`)")


#: an object's address in its repr (``<function f at 0x7f...>``), also as highlighted
_ADDRESS = re.compile(
    r' at 0x[0-9a-f]+|<span class="n">at</span>\s*<span class="mh">0x[0-9a-f]+</span>'
)


class BrokenReference(UserWarning):
    """A docstring names something that does not exist."""


def _lookup(dotted: str) -> Any:
    """The object a full dotted name names (a module, or an attribute of one), or raise."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found: Any = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for part in parts[cut:]:
            found = _attribute(found, part)
        return found
    raise LookupError(dotted)


def _attribute(owner: Any, name: str) -> Any:
    """``owner.name``; of a class, also an attribute its instances get (annotated, or set by
    one of its methods: ``self.name = ...``)."""
    if hasattr(owner, name) or not isinstance(owner, type):
        return getattr(owner, name)
    for cls in owner.__mro__:
        methods = [f for f in vars(cls).values() if hasattr(f, "__code__")]
        if name in getattr(cls, "__annotations__", {}) or any(
            name in f.__code__.co_names for f in methods
        ):
            return None
    raise AttributeError(name)


def _candidates(target: str, module: str, owner: str | None) -> Iterator[str]:
    """Where a reference may point, nearest first: a class's own member, the module, the
    packages above it (a leading dot: relative to them), then the name as written."""
    name = target.lstrip(".")
    scopes = [owner] if owner else []
    parts = module.split(".")
    scopes += [".".join(parts[:k]) for k in range(len(parts), 0, -1)]
    for scope in scopes:
        yield f"{scope}.{name}"
    yield name


def resolve(target: str, module: str, owner: str | None = None) -> str | None:
    """The full name a docstring's reference resolves to, or ``None``."""
    first = target.lstrip(".").split(".")[0]
    if not target.startswith(".") and hasattr(builtins, first):
        return target  # KeyboardInterrupt, ValueError, ...
    for candidate in _candidates(target, module, owner):
        try:
            _lookup(candidate)
        except (LookupError, AttributeError):
            continue
        return candidate
    return None


def linked(text: str, module: str, owner: str | None, where: str) -> str:
    """A docstring with its references checked (a broken one warns) and written as the full
    dotted names pdoc links."""

    def role(match: re.Match[str]) -> str:
        short, target = match.group(1), re.sub(r"\s+", "", match.group(2))
        if target.startswith("!"):  # Sphinx's "not a link" (matplotlib's own docstrings)
            return f"`{target[1:]}`"
        full = resolve(target, module, owner)
        if full is None:
            warnings.warn(f"{where}: {match.group(0)} names nothing", BrokenReference, 2)
            return f"`{target}`"
        return f"`{full}`" if not short else f"`{full.rsplit('.', 1)[-1]}`"

    def dotted(match: re.Match[str]) -> str:
        if resolve(match.group(1), module) is None:
            warnings.warn(f"{where}: {match.group(0)} names nothing", BrokenReference, 2)
        return match.group(0)

    return _DOTTED.sub(dotted, _ROLE.sub(role, text))


def _check_references(modules: dict[str, Any]) -> None:
    """Check and link every docstring's references, in place (pdoc's ``Doc.docstring``)."""
    import pdoc.doc  # noqa: PLC0415 - the docs extra, only to build

    def visit(doc: Any, owner: str | None, home: str) -> None:
        # a name is read where its docstring was written (a re-exported class's, in the
        # module that defines it; a variable's, in its class's or module's)
        own = isinstance(doc, pdoc.doc.Class | pdoc.doc.Function)
        home = doc.taken_from[0] if own else home
        if isinstance(doc, pdoc.doc.Class):
            owner = ".".join(doc.taken_from)  # its docstring may name its members
            for member in doc.members.values():
                visit(member, owner, home)
        # a docstring inherited from outside (click's) is not portsim's to check
        if not own or getattr(doc.obj, "__doc__", None) is not None:
            doc.docstring = linked(doc.docstring, home, owner, doc.fullname)
        if isinstance(doc, pdoc.doc.Module):
            for member in doc.members.values():
                visit(member, None, doc.modulename)

    for module in modules.values():
        visit(module, None, module.modulename)


def _load_lazy_names(module: Any) -> None:
    """Bind the names a lazy package imports on first use (``portsim.lazy``): pdoc reads a
    module's ``__all__`` from what it holds."""
    for name in getattr(module, "__all__", ()):
        if hasattr(module, name):  # else pdoc warns that it does not resolve
            module.__dict__.setdefault(name, getattr(module, name))


def _internal_references(documented: set[str]) -> list[warnings.WarningMessage]:
    """The broken references in the docstrings of the modules the reference leaves out (the
    internals: read in the source, so they should be right too)."""
    import pdoc.doc  # noqa: PLC0415 - the docs extra, only to build

    import portsim  # noqa: PLC0415

    names = [
        module.name
        for module in pkgutil.walk_packages(portsim.__path__, "portsim.")
        if module.name not in documented and not module.name.endswith(".__main__")
    ]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        modules = {}
        for name in names:
            _load_lazy_names(importlib.import_module(name))
            modules[name] = pdoc.doc.Module(importlib.import_module(name))
        _check_references(modules)
    return [w for w in caught if issubclass(w.category, BrokenReference)]


def build_api(out: Path = API) -> Path:
    """The API reference, warnings as errors."""
    import pdoc  # noqa: PLC0415 - the docs extra, only to build
    import pdoc.doc  # noqa: PLC0415
    import pdoc.extract  # noqa: PLC0415

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        names = pdoc.extract.walk_specs(["portsim"])
        for name in names:
            _load_lazy_names(importlib.import_module(name))
        # fresh documents (``Module.from_name`` caches them, and their docstrings are linked
        # in place: a second build in one process would see the first's)
        modules = {name: pdoc.doc.Module(importlib.import_module(name)) for name in names}
        _check_references(modules)
        pdoc.render.configure(docformat="restructuredtext", search=True, show_source=True)
        out.mkdir(parents=True, exist_ok=True)
        for module in modules.values():
            page = out / (module.modulename.replace(".", "/") + ".html")
            page.parent.mkdir(parents=True, exist_ok=True)
            html = pdoc.render.html_module(module, modules)
            # a validator's repr names its address: left out, the pages are the same each build
            page.write_text(_ADDRESS.sub("", html), encoding="utf-8")
        (out / "index.html").write_text(pdoc.render.html_index(modules), encoding="utf-8")
        (out / "search.js").write_text(pdoc.render.search_index(modules), encoding="utf-8")
        internal = _internal_references(set(modules))
    problems = [*caught, *internal]
    if problems:  # warnings are errors: every one said, then the build fails
        for warning in problems:
            print(f"{warning.category.__name__}: {warning.message}", file=sys.stderr)
        raise SystemExit(f"the API reference: {len(problems)} warnings, each an error")
    return out / "portsim.html"


def build_library(names: list[str], out: Path = LIBRARY) -> list[Path]:
    """Each library scenario's HTML report (all of them without names)."""
    sys.path.insert(0, str(ROOT))
    from tests import library  # noqa: PLC0415 - the library's list and its runs

    cases = library.chosen(tuple(names))
    written = []
    for case in cases:
        started = time.perf_counter()
        path = library.write_report(case, library.run(case), out)
        print(f"{path.relative_to(ROOT)} ({time.perf_counter() - started:.0f} s)")
        written.append(path)
    return written


def main(arguments: list[str]) -> None:
    what, names = (arguments[0], arguments[1:]) if arguments else ("all", [])
    if what not in {"all", "api", "library"} or (names and what != "library"):
        sys.exit("usage: python docs/build.py [api | library [NAME...]]")
    if what in {"all", "api"}:
        started = time.perf_counter()
        page = build_api()
        print(f"{page.relative_to(ROOT)} ({time.perf_counter() - started:.0f} s)")
    if what in {"all", "library"}:
        build_library(names)


if __name__ == "__main__":
    main(sys.argv[1:])
