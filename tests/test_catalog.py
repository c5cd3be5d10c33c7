"""The metric catalog is the one home of every metric: what runs report is exactly what it
lists, where it lists it, and no module but the catalog and the JSON view spells a metric's
name.

The scenarios between them have every feature a metric may need: opening hours, a
calendar, an emergency line, directions and pledges (Zhejiang); a declared space (Luohu);
classes, vehicles, passengers who alight and meet their coach (the land port, given opening
hours); buses that leave when full or after their wait (the golden shuttle case, its
crossing on demand); classes over days (a Spring Festival, cut to two days and a small
crowd, given opening hours); staff pools shared by both directions over three days (the
officers example). Each runs with and without records (the two paths that make metric
rows).
"""

from __future__ import annotations

import ast
import math
from functools import cache
from pathlib import Path
from types import SimpleNamespace

import pytest

import portsim
from portsim.model.compile import compile_scenario
from portsim.model.model import CompiledFigure
from portsim.report.cells import value_text
from portsim.report.notes import run_warnings
from portsim.results.catalog import (
    CATALOG,
    DAY_PREFIX,
    FIRST_OVER_SPACE,
    LANE_HOURS,
    LEVELS,
    QUEUE_MEAN,
    SERVED,
    UNFINISHED,
    UTILIZATION,
    WAIT_MEAN,
    row_metric,
)
from portsim.results.figures import check_of
from portsim.results.rows import ALL_HOURS, MetricTable
from portsim.results.scopes import OVERALL, Scope, daily_paths, metric_paths
from portsim.results.statistics import Stat
from portsim.results.summary import Summary

ROOT = Path(__file__).resolve().parent.parent
FILES = {
    "zhejiang": (ROOT / "scenarios" / "zhejiang_hours.yaml", ("horizon=3d",)),
    "luohu": (ROOT / "scenarios" / "luohu_northbound_2019.yaml", ("horizon=8h",)),
    "land_port": (
        ROOT / "tests" / "golden" / "scenarios" / "land_port.yaml",
        ("hours={open: '00:10', close: '24:00'}",),
    ),
    "buses": (
        ROOT / "tests" / "golden" / "scenarios" / "shuttle_modes.yaml",
        (
            "horizon=3h",
            "clearance.separate.crossing={shuttle: {seats: 40, ride: 3min, leaves: when_full, "
            "max_wait: 5min, fleet: 3, back: 2min}}",
        ),
    ),
    "officers": (ROOT / "examples" / "two_directions_officers.yaml", ("horizon=3d",)),
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


# -- what the catalog's entries drive: each field is read somewhere a test can see


def _warnings(mean: float, half: float) -> list[str]:
    """The precision warning (or none) of a run whose mean wait is ``mean`` ± ``half``."""
    stats = {
        OVERALL.key(WAIT_MEAN): Stat(mean, max(mean - half, 0.0), mean + half, 5),
        OVERALL.key(SERVED): Stat(100.0, 90.0, 110.0, 5),
        OVERALL.key(UNFINISHED): Stat(0.0, 0.0, 0.0, 5),
    }
    result = SimpleNamespace(replications=5, warnings=(), summary=Summary(stats))
    return [w for w in run_warnings(result) if "known only" in w]  # type: ignore[arg-type]


def test_a_precision_warning_needs_a_wide_interval_past_the_catalogs_floor() -> None:
    """±13 % of a 5-minute wait is 40 s: worth saying. ±47 % of a 0.2 s wait, or ±17 % of a
    minute (10 s), is below the floor of a wait (15 s): known well enough."""
    assert _warnings(300.0, 40.0)
    assert "about 9 would narrow it" in _warnings(300.0, 40.0)[0]
    assert not _warnings(0.2, 0.094)
    assert not _warnings(60.0, 10.0)
    assert WAIT_MEAN.floor == 15.0


def test_each_unit_prints_as_a_planner_reads_it() -> None:
    assert value_text(WAIT_MEAN, 192.0) == "3.2 min"
    assert value_text(LANE_HOURS, 1234.4) == "1,234"
    assert value_text(SERVED, 1234.4) == "1,234"
    assert value_text(UTILIZATION, 0.8512) == "85.1%"
    assert value_text(QUEUE_MEAN, 12.34) == "12.3"
    assert value_text(FIRST_OVER_SPACE, 86_400 + 7.5 * 3600) == "day 2 07:30"
    for metric in CATALOG.values():  # a duration says its unit; a count or share does not
        text = value_text(metric, 100.0)
        assert text.endswith((" s", "min", " h", ":01")) == metric.duration, metric.name


def _figure(*paths: str) -> CompiledFigure:
    return CompiledFigure("f", 1.0, "", "s", paths, paths, None)


def test_a_figure_of_demand_calibrates_and_one_of_an_outcome_validates() -> None:
    """Left to the catalog (no ``check`` in the file): a figure of what came (served,
    arrivals, the unfinished, those who passed no check) calibrates the scenario; a figure of
    anything else is an outcome it must reproduce."""
    demand = {m.name for m in CATALOG.values() if m.demand}
    assert demand == {"served", "arrived", "unfinished", "no_visit", "served_per_day"}
    assert check_of(_figure("overall.served_per_day")) == "calibration"
    assert check_of(_figure("overall.unfinished", "flows.a.daily.2.arrived")) == "calibration"
    assert check_of(_figure("overall.served_per_day", "overall.wait_mean_s")) == "validation"
    assert check_of(_figure("stages.hall.utilization")) == "validation"
