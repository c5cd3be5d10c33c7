"""The metric catalog is the one home of every metric: what runs report is exactly what it
lists, where it lists it, and no module but the catalog and the JSON view spells a metric's
name.

The scenarios between them have every feature a metric may need: opening hours, a
calendar, an emergency line, directions and pledges (Zhejiang); a declared space (Luohu);
classes, vehicles, passengers who alight and meet their coach (the land port, given opening
hours); classes over days (a Spring Festival, cut to two days and a small crowd, given
opening hours). Each runs
with and without records (the two paths that make metric rows).
"""

from __future__ import annotations

import ast
import math
from functools import cache
from pathlib import Path

import pytest

import portsim
from portsim.model.compile import compile_scenario
from portsim.results.catalog import CATALOG, DAY_PREFIX, LEVELS, row_metric
from portsim.results.rows import ALL_HOURS, MetricTable
from portsim.results.scopes import Scope, daily_paths, metric_paths

ROOT = Path(__file__).resolve().parent.parent
FILES = {
    "zhejiang": (ROOT / "scenarios" / "zhejiang_hours.yaml", ("horizon=3d",)),
    "luohu": (ROOT / "scenarios" / "luohu_northbound_2019.yaml", ("horizon=8h",)),
    "land_port": (
        ROOT / "tests" / "golden" / "scenarios" / "land_port.yaml",
        ("hours={open: '00:10', close: '24:00'}",),
    ),
    "festival": (
        ROOT / "scenarios" / "spring_festival_shenzhen.yaml",
        (
            "horizon=26h",
            "flows.southbound.arrivals.daily_total=4000",
            "flows.northbound.arrivals.daily_total=4000",
            "hours={open: '06:00', close: '23:00'}",
        ),
    ),
}
#: the modules that may spell a metric's name: its home, and the run JSON it is named in
HOMES = {"portsim/results/catalog.py", "portsim/results/json_view.py"}
#: names of something else that a metric's name coincides with, where they are spelled
ELSEWHERE = {
    ("portsim/scenario/schema.py", "share"): "the scenario format's field (a class's, a pledge's)",
    ("portsim/planning/staffing.py", "lane_hours"): "plan --per-hour's JSON: a schedule's "
    "planned lane-hours (the sum of its hourly counts), not the simulated metric",
}


@cache
def _run(name: str, records: bool) -> tuple[portsim.Scenario, MetricTable]:
    file, overrides = FILES[name]
    scenario = portsim.load_scenario(file, overrides)
    result = portsim.simulate(scenario, replications=1, seed=5, records=records)
    return scenario, result.tables[0]


@pytest.mark.parametrize("records", [True, False], ids=["records", "streaming"])
@pytest.mark.parametrize("name", list(FILES))
def test_a_run_reports_exactly_the_metrics_the_catalog_lists(name: str, records: bool) -> None:
    """Every row is a catalogued metric at a level, hour or day where the catalog says it
    exists; and the paths the catalog derives from the model are exactly those reported."""
    scenario, table = _run(name, records)
    whole, days = set(), set()
    for level, name_, group, hour, row in table:
        metric, daily = row_metric(row)  # a KeyError: a metric without its entry
        scope = Scope(level, name_, group)
        if hour == ALL_HOURS:
            assert metric.exists(level), (metric.name, level)
            whole.add(scope.metric_path(metric))
        elif daily:
            assert metric.exists(level, day=True), (metric.name, level, "by day")
            days.add(scope.metric_path(metric, day=hour))
        else:
            assert metric.exists(level, hour=True), (metric.name, level, "by hour")
    model = compile_scenario(scenario)
    assert metric_paths(model) == whole
    assert daily_paths(model) == days


def test_every_metric_is_reported_somewhere() -> None:
    """A catalogued metric that no run reports (at some level, over the run, by hour or by
    day) is an entry without a metric."""
    seen: dict[str, set[str]] = {m: set() for m in CATALOG}
    for name in FILES:
        for (level, _, _, hour, row), _value in _run(name, False)[1].items():
            metric, daily = row_metric(row)
            when = "day" if daily else "whole" if hour == ALL_HOURS else "hour"
            seen[metric.name].add(f"{level}:{when}")
    for metric in CATALOG.values():
        wanted = {f"{lv}:whole" for lv in metric.levels}
        wanted |= {f"{lv}:hour" for lv in metric.hourly}
        wanted |= {f"{lv}:day" for lv in metric.daily}
        assert wanted == seen[metric.name], metric.name


def test_each_entry_says_what_a_planner_needs() -> None:
    for name, metric in CATALOG.items():
        assert metric.name == name
        assert metric.words
        assert metric.meaning
        assert not metric.meaning.endswith(".")
        assert metric.low < metric.high
        assert set(metric.levels | metric.hourly | metric.daily) <= set(LEVELS)
        assert metric.levels or metric.hourly or metric.daily, name
        if metric.fraction:
            assert (metric.low, metric.high) == (0.0, 1.0), name
        assert metric.floor >= 0
        assert not name.startswith(DAY_PREFIX)
    assert all(not math.isinf(m.low) for m in CATALOG.values())  # every metric is bounded below


def _spelled(path: Path) -> list[tuple[int, str]]:
    """The string constants of ``path`` that are a metric's name (or a day's), outside
    docstrings, ``__all__`` and ``__slots__``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            skip.add(id(body[0].value))  # a docstring
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id in {"__all__", "__slots__"} for t in node.targets
        ):
            skip |= {id(n) for n in ast.walk(node.value)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            text = node.value.removeprefix(DAY_PREFIX)
            if text in CATALOG:
                found.append((node.lineno, node.value))
    return found


def test_no_module_but_the_catalog_and_the_json_view_spells_a_metric() -> None:
    """A metric is named through the catalog (``WAIT_P95``, ``SHARE.name``), never by a
    string a typo would break at run time."""
    problems = []
    for path in sorted((ROOT / "portsim").rglob("*.py")):
        module = path.relative_to(ROOT).as_posix()
        if module in HOMES:
            continue
        for line, text in _spelled(path):
            if (module, text) not in ELSEWHERE:
                problems.append(f"{module}:{line}: {text!r}")
    assert not problems, "\n".join(problems)
