"""The layers: data flows one way through portsim's folders (the package's docstring, "How
it is built" in ``docs/architecture.md``), and so do the imports. Each module belongs to one
layer and imports from its own layer and those before it, never from one after it. Every import
counts: relative or absolute, at the top of a module, in a function (imported on first use)
or under ``TYPE_CHECKING``."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import portsim

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = Path(portsim.__file__).resolve().parent  # the source tree, or the installed wheel

#: the layers in the order the data flows through them: the top-level helpers, one folder
#: each step, then the faces (the command line, ``python -m portsim`` and the package itself,
#: whose lazy map and ``TYPE_CHECKING`` imports name every layer)
#: ``fit`` (observed data to scenario inputs) comes after ``run``, whose runs it holds against
#: observed waits, and before ``planning``, which may calibrate on its distances
LAYERS = (
    "helpers",
    "scenario",
    "model",
    "engine",
    "results",
    "run",
    "fit",
    "planning",
    "report",
    "face",
)
#: the top-level modules every layer may import
HELPERS = frozenset({"errors", "units", "version", "theory", "lazy", "jupyter"})
#: the top-level modules above every folder (``cli_*.py`` too; ``plots``: the charts of every
#: result as one public API, a face as the command line is)
FACES = frozenset({"cli", "__main__", "plots"})

#: the imports that go up a layer, each with its reason: (importer, imported) → why. An
#: entry that no import needs any more fails too, so that the list stays true.
UPWARD = {
    ("portsim.run.simulate", "portsim.report.progress"): (
        "in a Jupyter notebook a run given no progress draws its bar below the cell, as the "
        "command line draws it on a terminal; imported only there"
    ),
    ("portsim.run.compare", "portsim.report.progress"): (
        "a comparison's one bar below the cell, as a run's"
    ),
    ("portsim.planning.setup", "portsim.report.progress"): (
        "a sweep's, plan's or capacity search's bars below the cell, as a run's"
    ),
    ("portsim.run.simulate", "portsim.report.notebook"): (
        "Jupyter asks the result itself for its HTML (_repr_html_), a planner for its charts "
        "(plot()) and its two-line text (__repr__); the report is imported there, when asked, "
        "so a run never loads it"
    ),
    ("portsim.run.compare", "portsim.report.notebook"): (
        "Jupyter asks the comparison itself for its HTML (_repr_html_), a planner for its "
        "charts (plot()) and its text (__repr__), as for a run"
    ),
    ("portsim.planning.shown", "portsim.report.planning.notebook"): (
        "Jupyter asks a sweep, plan, capacity, staffing or sensitivity result itself for its "
        "HTML (_repr_html_), and a planner for its charts (plot()) and its two-line text "
        "(__repr__); the report is imported there, when asked, so a search never loads it"
    ),
}

#: the planning results' reports (report/planning/) stand on the report's blocks (cells,
#: tables, charts, HTML); the rest of the report imports none of them, but for the module
#: that writes any result's plots and report
PLANNING_REPORTS = "portsim.report.planning"
WRITES_ANY_RESULT = frozenset({"portsim.report.write"})


def _name(path: Path) -> tuple[str, bool]:
    """A module's dotted name, and whether it is a package (``__init__.py``)."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    if parts[-1] == "__init__":
        return ".".join(parts[:-1]), True
    return ".".join(parts), False


def _modules() -> list[tuple[str, bool, Path]]:
    return [(*_name(path), path) for path in sorted(PACKAGE.rglob("*.py"))]


def layer(module: str) -> str | None:
    """The layer of a module of portsim, or None when it has none (a new folder or top-level
    module must be placed here first)."""
    parts = module.split(".")
    if parts[0] != "portsim":
        return None
    if len(parts) == 1:
        return "face"  # the package itself
    top = parts[1]
    if top in HELPERS:
        return "helpers"
    if top in FACES or top.startswith("cli_"):
        return "face"
    if top in LAYERS and (PACKAGE / top / "__init__.py").is_file():
        return top
    return None


def _is_module(name: str) -> bool:
    path = PACKAGE.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def imports(module: str, is_package: bool, source: str) -> Iterator[tuple[int, str]]:
    """Each module of portsim that ``source`` (the text of ``module``) imports, with its line:
    ``from .x import y`` imports ``x.y`` when that is a module, else ``x``."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "portsim":
                    yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                if node.level - 1 >= len(parts):
                    raise AssertionError(f"{module}:{node.lineno}: imports beyond portsim")
                base = parts[: len(parts) - (node.level - 1)]
                base += node.module.split(".") if node.module else []
                source_name = ".".join(base)
            else:
                source_name = node.module or ""
            if source_name.split(".")[0] != "portsim":
                continue
            for alias in node.names:
                sub = f"{source_name}.{alias.name}"
                yield node.lineno, sub if _is_module(sub) else source_name


def upward(module: str, is_package: bool, source: str) -> list[tuple[str, str]]:
    """The imports of ``module`` from a layer after its own: (where, imported)."""
    rank = LAYERS.index(layer(module) or "face")
    found = []
    for line, target in imports(module, is_package, source):
        home = layer(target)
        assert home is not None, f"{module}:{line} imports {target}, which has no layer"
        if LAYERS.index(home) > rank:
            found.append((line, target))
    return [(f"{module}:{line}", target) for line, target in sorted(found)]


def test_every_module_has_a_layer() -> None:
    """A new folder or top-level module is placed in the order before it is used."""
    assert [module for module, _, _ in _modules() if layer(module) is None] == []


def test_the_guide_maps_the_folders_in_the_order_of_the_layers() -> None:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    section = text.split("## How it is built\n", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `portsim/(\w+)/` \|", section, flags=re.MULTILINE)
    assert tuple(rows) == LAYERS[1:-1]


def test_no_module_imports_from_a_layer_after_its_own() -> None:
    problems, excused = [], set()
    for module, is_package, path in _modules():
        for where, target in upward(module, is_package, path.read_text(encoding="utf-8")):
            if (module, target) in UPWARD:
                excused.add((module, target))
            else:
                problems.append(f"{where} imports {target} ({layer(module)} < {layer(target)})")
    assert problems == []
    assert excused == set(UPWARD), "an excused upward import is gone: drop it from UPWARD"


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def test_only_the_writer_of_any_result_imports_the_planning_reports() -> None:
    problems = []
    for module, is_package, path in _modules():
        if not _within(module, "portsim.report") or _within(module, PLANNING_REPORTS):
            continue
        if module in WRITES_ANY_RESULT:
            continue
        for line, target in imports(module, is_package, path.read_text(encoding="utf-8")):
            if _within(target, PLANNING_REPORTS):
                problems.append(f"{module}:{line} imports {target}")
    assert problems == []


PLANTED = """\
from __future__ import annotations

from typing import TYPE_CHECKING

from ..scenario.spec import Scenario
from . import compile
from .routes import Visit
import portsim.errors

if TYPE_CHECKING:
    from ..run import SimulationResult

def late():
    from ..planning.sweep import SweepResult
    import portsim.report.text
    from .. import report

from portsim.engine import replication
from portsim.scenario import load
"""


def test_the_check_sees_every_kind_of_import() -> None:
    """Relative and absolute, at the top, in a function or for the type checker; and
    ``from .. import x`` is the module ``x`` when there is one."""
    assert upward("portsim.model.planted", False, PLANTED) == [
        ("portsim.model.planted:11", "portsim.run"),
        ("portsim.model.planted:14", "portsim.planning.sweep"),
        ("portsim.model.planted:15", "portsim.report.text"),
        ("portsim.model.planted:16", "portsim.report"),
        ("portsim.model.planted:18", "portsim.engine.replication"),
    ]
    # a package's relative imports start from the package itself
    assert upward("portsim.engine", True, "from .replication import run_replication\n") == []
    assert upward("portsim.engine", True, "from ..run import SimulationResult\n") == [
        ("portsim.engine:1", "portsim.run")
    ]
    assert upward("portsim.report", True, "from ..planning.sweep import SweepResult\n") == []


@pytest.mark.parametrize(
    ("module", "expected"),
    [
        ("portsim", "face"),
        ("portsim.cli_planning", "face"),
        ("portsim.units", "helpers"),
        ("portsim.planning.requests", "planning"),
        ("portsim.report.planning.view", "report"),
    ],
)
def test_layers_are_read_from_the_folders(module: str, expected: str) -> None:
    assert layer(module) == expected
