"""Intervals inside what is possible (``docs/simulation-practice.md``).

On generated scenarios run with 2 to 5 replications: every 95 % interval of the run JSON
lies within its metric's bounds in the catalog (a wait, a count, a queue at or above zero; a
share, a utilisation within [0, 1]), and so does every interval a report prints: the text,
the HTML and its tables' CSV show no negative number in an interval of a run and no
percentage above 100 %. A comparison's differences may be negative, but within what a
difference of the metric can take (a share's within [−100 %, 100 %]).

And the method itself: a Student-t interval cut at bounds the true mean cannot pass covers
the true mean exactly as often as the uncut one, on replication values as skewed and as
bounded as a port's (shares of exactly 1, exponential and lognormal waits), which the
logit transform could not handle.
"""

from __future__ import annotations

import base64
import copy
import csv
import html
import io
import math
import re
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any
from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import portsim
from portsim.report.document import comparison_report_html, run_report_html
from portsim.results.catalog import CATALOG, difference_bounds, row_metric
from portsim.results.daily import utilization
from portsim.results.rows import key_of_path
from portsim.results.statistics import UNBOUNDED

from .reporting import hall_run
from .strategies import port_scenarios, scenarios

# the number of examples and their randomness come from the profile (tests/conftest.py)
FAST = settings()

#: a signed number as the reports print one: ``1,234``, ``−1.5``, ``+0.3``, ``96.2``
_NUMBER = r"[−+-]?\d[\d,]*(?:\.\d+)?"
#: a unit after it: ``%``, `` min``, `` s``, `` h``, `` per``
_UNIT = r"(?:%|\s[a-z]+)?"
#: an interval as the reports print it, ``low – high`` with an en dash between spaces (not
#: inside a date, a clock time or a word)
INTERVAL = re.compile(
    rf"(?<![\w.,:−+-])(?P<low>{_NUMBER})(?P<lu>{_UNIT}) – (?P<high>{_NUMBER})(?P<hu>{_UNIT})"
    r"(?![\d:])"
)
_CSV = re.compile(r'download="([^"]+)" href="data:text/csv;charset=utf-8;base64,([^"]+)"')


# -- the scenarios


def _targets(draw: st.DrawFn, data: dict[str, Any]) -> list[dict[str, Any]]:
    """Pledges on flows and stages, some with waits so short or so long that every
    replication's share is 0 or 1 (an interval at a bound)."""
    flows = [f["name"] for f in data["flows"]]
    stages = [s["name"] for s in data["stages"]]
    targets = list(data.get("targets", []))
    for i in range(draw(st.integers(0, 3))):
        target: dict[str, Any] = {
            "name": f"p{i}",
            "wait_within": draw(st.sampled_from(["1s", "30s", "5min", "3h"])),
            "share": draw(st.sampled_from([0.5, 0.8, 0.95])),
        }
        if draw(st.booleans()):
            target["flow"] = draw(st.sampled_from(flows))
        elif draw(st.booleans()):
            target["stage"] = draw(st.sampled_from(stages))
        targets.append(target)
    return targets


def _reference(draw: st.DrawFn, data: dict[str, Any]) -> list[dict[str, Any]]:
    """Documented figures naming one metric (a share, a wait, a count) or a sum of counts
    (a port's crossings, the flows' together; a sum of shares is no share, and may pass
    100 %)."""
    stage = data["stages"][0]["name"]
    paths = [
        "overall.wait_mean_s",
        "overall.served_per_day",
        "overall.wait_p95_s",
        f"stages.{stage}.utilization",
        f"stages.{stage}.queue_max",
        *(f"targets.{t['name']}.share" for t in data["targets"]),
    ]
    counts = [f"flows.{f['name']}.served_per_day" for f in data["flows"]]
    figures = []
    for i in range(draw(st.integers(0, 2))):
        if draw(st.booleans()):
            compare_to: Any = draw(st.sampled_from(paths))
        else:
            compare_to = draw(st.lists(st.sampled_from(counts), min_size=1, unique=True))
        figures.append(
            {
                "figure": f"figure {i}",
                "value": draw(st.sampled_from([0.5, 30.0, 1000.0])),
                "source": "a generated yearbook",
                "compare_to": compare_to,
                "check": draw(st.sampled_from(["calibration", "validation"])),
            }
        )
    return figures


@st.composite
def runs(draw: st.DrawFn) -> tuple[dict[str, Any], int, bool]:
    """A scenario with pledges, documented figures and maybe opening hours, cut to a few
    hours or to two days of a calendar; the replications to run it with (2 to 5); whether
    to keep records."""
    data = draw(st.one_of(scenarios(), port_scenarios()))
    if draw(st.booleans()):
        data["horizon"] = draw(st.sampled_from(["2h", "3h", "6h"]))
    else:  # two days of a calendar: each block's days, each pledge's
        data["calendar"] = {"days": [{"type": "workday", "repeat": 2}]}
        data["horizon"] = "26h"
    if draw(st.booleans()):  # a port closed for part of the run: some wait for the opening
        data["hours"] = {
            "open": draw(st.sampled_from(["00:00", "00:30"])),
            "close": draw(st.sampled_from(["01:30", "02:30"])),
        }
    group = data["stages"][0]["lanes"][0]
    if "count" in group and draw(st.booleans()):  # more lanes at a line, an emergency line
        group["built"] = group["count"] + 2
        group["opening"] = {
            "open_above": "1min",
            "close_below": "20s",
            "delay": "2min",
            "emergency_above": draw(st.sampled_from(["30s", "3min"])),
        }
    data["targets"] = _targets(draw, data)
    data["reference"] = _reference(draw, data)
    return data, draw(st.integers(2, 5)), draw(st.booleans())


def _one_more_lane(data: dict[str, Any]) -> dict[str, Any]:
    """The scenario with one more lane in its first stage's first lane group, whenever it
    has any open."""
    more = copy.deepcopy(data)
    group = more["stages"][0]["lanes"][0]
    if "count" in group:
        group["count"] += 1
    else:
        for entry in group["schedule"]:
            entry["count"] += 1 if entry["count"] else 0
    return more


def _simulate(data: dict[str, Any], replications: int, records: bool) -> portsim.SimulationResult:
    return portsim.simulate(
        portsim.scenario_from_dict(data), replications=replications, records=records
    )


# -- reading intervals back


def _leaves(node: Any, key: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every ``{"mean", "ci95"}`` statistic of a run JSON with the key it is under: a
    metric's name (in a block, an hourly or a daily entry) or a pledge's ``share``."""
    if isinstance(node, dict):
        if set(node) == {"mean", "ci95"}:
            yield key, node
            return
        for k, v in node.items():
            yield from _leaves(v, k)
    elif isinstance(node, list):
        for v in node:
            yield from _leaves(v, key)


def _within(values: list[float | None], bounds: tuple[float, float], where: str) -> None:
    low, high = bounds
    for value in values:
        assert value is None or low <= value <= high, (where, values, bounds)


def _check_json(data: dict[str, Any], differences: bool = False) -> int:
    """Every interval of a run JSON (or of a comparison's differences) within its metric's
    bounds (a difference's), holding its mean; how many there were."""
    seen = 0
    for key, stat in _leaves(data):
        metric = CATALOG[key]
        bounds = difference_bounds(metric) if differences else metric.bounds
        _within([stat["mean"]], bounds, key)
        if stat["ci95"] is not None:
            low, high = stat["ci95"]
            _within([low, high], bounds, key)
            assert low <= stat["mean"] <= high, (key, stat)
            seen += 1
    for row in data.get("reference", []):
        paths = [row["compare_to"]] if isinstance(row["compare_to"], str) else row["compare_to"]
        metrics = [row_metric(key[4])[0] for p in paths if (key := key_of_path(p)) is not None]
        bounds = (math.fsum(m.low for m in metrics), math.fsum(m.high for m in metrics))
        _within(row["simulated_ci95"] or [], bounds, row["figure"])
    return seen


def _intervals(text: str) -> Iterator[tuple[float, float, bool, str]]:
    """Every interval printed in ``text``: its bounds as numbers, whether a percentage."""
    for match in INTERVAL.finditer(text):
        low, high = (
            float(match[name].replace("−", "-").replace(",", "")) for name in ("low", "high")
        )
        percent = "%" in (match["lu"] or "") + (match["hu"] or "")
        yield low, high, percent, match[0]


def _printed(text: str, *, signed: bool) -> int:
    """Every interval printed within what is possible: no sign in a run's (no number below
    zero), no percentage above 100 % (or, signed, below −100 %); how many there were."""
    seen = 0
    for low, high, percent, shown in _intervals(text):
        seen += 1
        if not signed:
            assert not re.search(r"[−+-]\d", shown), shown
        if percent:
            assert -100 <= low <= 100, shown
            assert -100 <= high <= 100, shown
            assert signed or low >= 0, shown
    return seen


def _page_text(page: str) -> str:
    """An HTML page's text, each element's apart."""
    return html.unescape(re.sub(r"<[^>]+>", "\n", page))


def _csv_tables(page: str) -> dict[str, list[dict[str, str]]]:
    return {
        name: list(csv.DictReader(io.StringIO(base64.b64decode(data).decode("utf-8"))))
        for name, data in _CSV.findall(page)
    }


def _csv_bounds(column: str, row: dict[str, str]) -> tuple[float, float] | None:
    """The bounds of a CSV column's interval (``wait_mean_s_ci95_low``; a documented
    figure's ``simulated_ci95_high``: the sum of its metrics'; a difference's, in a row of
    differences ``minus`` a variant), None for another column."""
    name, _, side = column.rpartition("_ci95_")
    if side not in {"low", "high"}:
        return None
    if name in CATALOG:
        metric = CATALOG[name]
        return difference_bounds(metric) if "minus" in row else metric.bounds
    paths = row["compare_to"].split("+") if "compare_to" in row else []
    metrics = [row_metric(key[4])[0] for p in paths if (key := key_of_path(p.strip()))]
    if not metrics:
        return UNBOUNDED
    return math.fsum(m.low for m in metrics), math.fsum(m.high for m in metrics)


def _check_csv(page: str) -> None:
    for name, rows in _csv_tables(page).items():
        for row in rows:
            for column, text in row.items():
                bounds = _csv_bounds(column, row)
                if bounds is not None and text:
                    _within([float(text)], bounds, f"{name}.csv {column}")


def _no_plots() -> mock._patch[Any]:
    """The HTML reports without their plots: images print no interval, and rendering them
    is most of a report's time."""
    return mock.patch.multiple(
        "portsim.report.document",
        run_figures=lambda result: {},
        comparison_figures=lambda comparison: {},
    )


# -- the properties


@FAST
@given(runs())
def test_every_interval_of_a_run_lies_within_its_metric(
    run: tuple[dict[str, Any], int, bool],
) -> None:
    data, replications, records = run
    result = _simulate(data, replications, records)
    assert _check_json(result.to_dict()) > 0  # a count of nobody is [0, 0]: always some
    _printed(portsim.format_report(result), signed=False)
    with _no_plots():
        page = run_report_html(result)
    _printed(_page_text(page), signed=False)
    _check_csv(page)


@pytest.mark.slow  # ten seconds of comparisons: left to the whole suite
@FAST
@given(runs())
def test_a_comparison_s_differences_lie_within_what_a_difference_can_take(
    run: tuple[dict[str, Any], int, bool],
) -> None:
    data, replications, records = run
    variants = {
        "as is": portsim.scenario_from_dict(data),
        "one more lane": portsim.scenario_from_dict(_one_more_lane(data)),
    }
    comparison = portsim.compare(variants, replications=replications, records=records)
    out = comparison.to_dict()
    for name in comparison.variants:
        _check_json(out["results"][name])
    for blocks in out["differences"].values():
        _check_json(blocks, differences=True)
    _printed(portsim.format_comparison(comparison), signed=True)
    with _no_plots():
        page = comparison_report_html(comparison)
    _printed(_page_text(page), signed=True)
    _check_csv(page)


def test_the_reports_of_a_small_hall_print_intervals_that_are_read() -> None:
    """The properties read the intervals a report prints: a small hall's text and HTML
    print many, its CSV holds them."""
    result = hall_run()
    assert _printed(portsim.format_report(result), signed=False) >= 5
    with _no_plots():
        page = run_report_html(result)
    assert _printed(_page_text(page), signed=False) >= 10
    assert {"flows", "stages", "pledges", "documented_figures"} <= {
        name.removesuffix(".csv") for name in _csv_tables(page)
    }
    _check_csv(page)


def test_the_reading_of_printed_intervals_finds_them() -> None:
    """The pattern finds each form the reports print, and nothing in dates or clocks."""
    text = (
        "3.2 min (2.9 – 3.5), 95.0% (93.1 – 96.2%), [0.0 – 100.0%], 1,234 (1,100 – 1,300), "
        "−1.2 min (−1.5 – −0.9), 23 min (19 min – 27 min), 2019-02-04 – 2019-02-10, "
        "07:30 – 08:10, 05:00–06:00"
    )
    found = [(low, high, percent) for low, high, percent, _ in _intervals(text)]
    assert found == [
        (2.9, 3.5, False),
        (93.1, 96.2, True),
        (0.0, 100.0, True),
        (1100.0, 1300.0, False),
        (-1.5, -0.9, False),
        (19.0, 27.0, False),
    ]
    with pytest.raises(AssertionError):
        _printed("a wait of 1.0 min (−0.2 – 2.2)", signed=False)
    with pytest.raises(AssertionError):
        _printed("a share of 99.0% (97.1 – 100.9%)", signed=False)
    with pytest.raises(AssertionError):
        _printed("a difference of +60.0% (+10.0 – +110.0%)", signed=True)


def test_a_utilization_a_rounding_error_above_1_is_1() -> None:
    """Busy and staffed lane-time are sums of many spells: a lane busy whenever staffed can
    come out a few units in the last place above 1 (a generated run found 1 + 4e-16); that
    is 1. A utilisation truly above 1 would be a bug, and stays visible."""
    counters = SimpleNamespace(
        group_busy_time=np.array([3600.0000000000014, 1.5]),
        group_staffed_time=np.array([3600.0, 1.0]),
    )
    assert utilization(counters, (0,)) == 1.0  # type: ignore[arg-type]
    assert utilization(counters, (1,)) == 1.5  # type: ignore[arg-type]
