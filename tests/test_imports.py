"""What a process imports, read from ``sys.modules`` of a fresh interpreter.

``import portsim`` imports the package and its errors, nothing else of portsim's (the API's
names come on first use). A worker process, which unpickles a task (``run_task`` and a
:class:`~portsim.run.tasks.Task`: the pool's, or a cluster's, message) and runs it, imports
the engine and the results' path: no command line, report or planning module, no reading
of scenario files (YAML) and no scenario spec or compiler, none of what a run does around
its replications (checks, summaries, JSON), and no library it does not use. ``portsim run``
imports no planning module and no other command's. The subpackages import their names on
first use (:mod:`portsim.lazy`): each names them three ways that must agree.
"""

from __future__ import annotations

import ast
import importlib
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

import portsim
from portsim.model.compile import compile_scenario
from portsim.run.tasks import Task, run_task

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = Path(portsim.__file__).resolve().parent

#: libraries that neither ``import portsim`` nor a worker needs
NOT_FOR_A_RUN = {"click", "yaml", "matplotlib", "tqdm", "scipy", "pandas", "sqlite3", "dask"}
#: portsim's modules a worker has no use for: the faces, the layers after the run, the run
#: around its replications, the scenario file's reader, spec and compiler, a run's summary
NOT_FOR_A_WORKER = (
    "portsim.cli",
    "portsim.__main__",
    "portsim.report",
    "portsim.planning",
    "portsim.run.compare",
    "portsim.run.simulate",
    "portsim.run.preflight",
    "portsim.run.outputs",
    "portsim.scenario.load",
    "portsim.scenario.yaml_io",
    "portsim.scenario.overrides",
    "portsim.scenario.spec",
    "portsim.model.compile",
    "portsim.results.summary",
    "portsim.results.json_view",
    "portsim.results.figures",
)
#: the packages whose names are imported on first use
LAZY = (
    "portsim.scenario",
    "portsim.model",
    "portsim.results",
    "portsim.run",
    "portsim.fit",
    "portsim.report",
)


def _modules(code: str, stdin: bytes = b"") -> set[str]:
    """The modules a fresh interpreter has after ``code``."""
    done = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys\nprint(' '.join(sorted(sys.modules)))"],
        input=stdin,
        capture_output=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr.decode()[-3000:]
    return set(done.stdout.decode().split())


def _within(modules: set[str], prefixes: tuple[str, ...] | set[str]) -> list[str]:
    return sorted(m for m in modules if any(m == p or m.startswith(p + ".") for p in prefixes))


def test_import_portsim_imports_its_errors_and_nothing_else() -> None:
    modules = _modules("import portsim")
    assert _within(modules, ("portsim",)) == ["portsim", "portsim.errors"]
    assert _within(modules, NOT_FOR_A_RUN | {"numpy", "pydantic", "simpy"}) == []


@pytest.mark.parametrize("records", [True, False], ids=["records", "streaming"])
def test_a_worker_imports_the_engine_and_the_results_path_only(records: bool) -> None:
    """The Luohu day (opening rules, hours, a walk, three stages) over its first hours: the
    task as a process pool sends it, unpickled and run in a fresh interpreter."""
    scenario = portsim.load_scenario(
        ROOT / "scenarios" / "luohu_average_day_2019.yaml", ["horizon=8h"]
    )
    task = Task("luohu", compile_scenario(scenario), 1, 0, records=records)
    code = (
        "import pickle, sys\n"
        "function, arguments = pickle.load(sys.stdin.buffer)\n"
        "result = function(*arguments)\n"
        "assert result.table and (result.records is None) is not arguments[0].records\n"
    )
    modules = _modules(code, pickle.dumps((run_task, (task,))))
    assert _within(modules, NOT_FOR_A_WORKER) == []
    assert _within(modules, NOT_FOR_A_RUN) == []
    assert {"portsim.engine.replication", "portsim.results.metrics"} <= modules


def test_portsim_run_imports_no_other_command_s_modules(tmp_path: Path) -> None:
    scenario = tmp_path / "hall.yaml"
    scenario.write_text(
        "name: hall\nhorizon: 1h\nreplications: 2\n"
        "flows: [{name: f, arrivals: {rate: 0.05}, route: [hall]}]\n"
        "stages: [{name: hall, lanes: [{name: lanes, count: 2, service: "
        "{dist: exponential, mean: 20s}}]}]\n",
        encoding="utf-8",
    )
    code = (
        "from portsim.cli import main\n"
        f"main(['run', {str(scenario)!r}, '--quiet', '--workers', '1', '--no-records'],"
        " standalone_mode=False)\n"
    )
    modules = _modules(code)
    assert "portsim.run.simulate" in modules  # it ran
    others = (
        "portsim.planning",
        "portsim.cli_variants",
        "portsim.report.show",
        "portsim.report.planning",
    )
    assert _within(modules, others) == []
    assert _within(modules, {"matplotlib", "scipy", "tqdm", "sqlite3", "pandas"}) == []


def _declared(package: str) -> tuple[dict[str, str], dict[str, str]]:
    """What ``package``'s ``__init__`` imports under ``TYPE_CHECKING`` and hands
    :func:`~portsim.lazy.lazy_package`: name → module, each."""
    path = PACKAGE.joinpath(*package.split(".")[1:], "__init__.py")
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typed: dict[str, str] = {}
    lazy: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            for imported in node.body:
                assert isinstance(imported, ast.ImportFrom)
                assert imported.level == 1
                typed |= {alias.name: f".{imported.module}" for alias in imported.names}
        elif isinstance(node, ast.Expr) and ast.unparse(node).startswith("lazy_package("):
            assert isinstance(node.value, ast.Call)
            homes = ast.literal_eval(node.value.args[1])
            lazy |= {name: module for module, names in homes.items() for name in names}
    return typed, lazy


@pytest.mark.parametrize("package", LAZY)
def test_a_lazy_package_names_the_same_things_three_ways(package: str) -> None:
    """Its imports for the type checker, its lazy map and ``__all__``; and each name is the
    thing its module defines."""
    typed, lazy = _declared(package)
    module = importlib.import_module(package)
    assert typed == lazy
    assert sorted(lazy) == sorted(module.__all__)
    for name, home in lazy.items():
        assert getattr(module, name) is getattr(importlib.import_module(home, package), name)


def test_a_name_of_a_lazy_package_stays_its_own_when_a_module_of_that_name_loads() -> None:
    """``portsim.run.simulate`` is the function, even once the module ``simulate.py`` is
    imported first (Python binds a submodule on its package); a module the package does
    not name is still an attribute once imported, as with an eager ``__init__``."""
    code = (
        "import portsim.run.simulate, portsim.run.compare, portsim.results.metric\n"
        "import portsim.run, portsim.results, portsim.model, types\n"
        "from portsim.run import simulate\n"
        "assert simulate is portsim.run.simulate and not isinstance(simulate, types.ModuleType)\n"
        "assert simulate.__module__ == 'portsim.run.simulate'\n"
        "assert not isinstance(portsim.run.compare, types.ModuleType)\n"
        "assert not isinstance(portsim.results.metric, types.ModuleType)\n"
        "assert portsim.simulate is simulate and portsim.compare is portsim.run.compare\n"
        "assert isinstance(portsim.model.compile, types.ModuleType)\n"
        "assert 'compile_scenario' in dir(portsim.model)\n"
    )
    _modules(code)
