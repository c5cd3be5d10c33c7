"""Each lane group day by day, in a run over days: lane-hours (the staff cost by day), the most
lanes open at once and the emergency plan's crossings. A plan by day type gives the
lane-hours by hand; with an opening rule the days add up to the whole run's figures, and
the streaming recorder gives the same rows (they come from the engine's own log)."""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path
from typing import Any

import pytest

import portsim
from portsim.report.document import run_report_html
from portsim.results.rows import key_of_path
from portsim.scenario.load import scenario_from_dict

ROOT = Path(__file__).resolve().parent.parent
WEEK = ROOT / "scenarios" / "zhejiang_hours.yaml"
GROUPS = (("arrival_check", "counters"), ("departure_check", "counters"))


def _plan(warmup: str) -> dict[str, Any]:
    """Two days: 3 lanes from 08:00 to 20:00 on the quiet day, 5 from 06:00 to 22:00 and 2
    through the night on the busy one."""
    return {
        "name": "lanes by day",
        "calendar": {"days": [{"type": "quiet"}, {"type": "busy"}]},
        "warmup": warmup,
        "seed": 5,
        "replications": 1,
        "flows": [{"name": "walkers", "arrivals": {"rate": "30/h"}, "route": ["check"]}],
        "stages": [
            {
                "name": "check",
                "lanes": [
                    {
                        "name": "counters",
                        "service": {"dist": "exponential", "mean": "45s"},
                        "schedule": {
                            "quiet": [{"from": "08:00", "to": "20:00", "count": 3}],
                            "busy": [
                                {"from": "00:00", "to": "06:00", "count": 2},
                                {"from": "06:00", "to": "22:00", "count": 5},
                                {"from": "22:00", "to": "24:00", "count": 2},
                            ],
                        },
                    }
                ],
            }
        ],
    }


@pytest.mark.parametrize("records", [True, False], ids=["records", "streaming"])
def test_a_plan_by_day_type_gives_its_lane_hours_day_by_day(records: bool) -> None:
    result = portsim.simulate(scenario_from_dict(_plan("0s")), records=records, workers=1)
    daily = result.summary["stages"]["check"]["groups"]["counters"]["daily"]
    assert [d["type"] for d in daily] == ["quiet", "busy"]
    assert [d["lane_hours"]["mean"] for d in daily] == [36.0, 2 * 6 + 5 * 16 + 2 * 2]
    assert [d["lanes_open_max"]["mean"] for d in daily] == [3, 5]
    assert "emergencies" not in daily[0]  # no emergency line


def test_the_warm_up_is_left_out_of_the_first_days_lane_hours() -> None:
    result = portsim.simulate(scenario_from_dict(_plan("10h")), workers=1)
    daily = result.summary["stages"]["check"]["groups"]["counters"]["daily"]
    assert daily[0]["lane_hours"]["mean"] == 3 * 10  # 10:00-20:00 of the quiet day
    assert daily[1]["lane_hours"]["mean"] == 96


@cache
def _week(records: bool) -> portsim.SimulationResult:
    """The Zhejiang week in office hours: a queue and an emergency every morning."""
    scenario = portsim.load_scenario(WEEK)
    return portsim.simulate(scenario, replications=2, seed=7, workers=1, records=records)


@pytest.mark.parametrize("records", [True, False], ids=["records", "streaming"])
def test_the_days_add_up_to_the_whole_run(records: bool) -> None:
    result = _week(records)
    for table in result.tables:
        for stage, group in GROUPS:
            whole = {m: table[("group", stage, group, -1, m)] for m in _ADDED}
            assert whole["emergencies"] > 0  # the mornings pass the line
            for metric, value in whole.items():
                days = [table[("group", stage, group, d, f"day_{metric}")] for d in range(7)]
                assert math.fsum(days) == pytest.approx(value, rel=1e-12, abs=1e-9), metric
            most = [table[("group", stage, group, d, "day_lanes_open_max")] for d in range(7)]
            assert all(4 <= n <= 8 for n in most)  # the plan's 4, never above the 8 built


_ADDED = ("lane_hours", "emergencies", "emergency_time_s")


def test_streaming_gives_the_same_lane_rows() -> None:
    exact, streamed = _week(True), _week(False)
    for a, b in zip(exact.tables, streamed.tables, strict=True):
        rows = {k: v for k, v in a.items() if k[0] == "group" and k[3] >= 0}
        assert rows
        assert rows == {k: b[k] for k in rows}


def test_a_documented_figure_may_name_a_lane_groups_day() -> None:
    """``stages.S.groups.G.daily.D.lane_hours`` (and the emergencies of a group with an
    emergency line) are paths a reference figure may compare to; a group without one has
    no daily emergencies."""
    path = "stages.arrival_check.groups.counters.daily.6.lane_hours"
    figure = (
        "reference=[{figure: a day's staff, value: 50, source: test, check: validation, "
        f"compare_to: [{path}, stages.arrival_check.groups.counters.daily.6.emergencies]}}]"
    )
    scenario = portsim.load_scenario(WEEK, [figure])
    result = portsim.simulate(scenario, replications=1, seed=3, workers=1)
    assert key_of_path(path) in result.tables[0]
    assert result.summary["reference"][0]["simulated"] > 0
    no_line = "stages.arrival_check.lanes.counters.opening.emergency_above=null"
    with pytest.raises(portsim.ScenarioError, match="names no metric"):
        portsim.simulate(portsim.load_scenario(WEEK, [figure, no_line]), replications=1)


def test_the_reports_show_the_lanes_day_by_day() -> None:
    result = _week(False)
    text = portsim.format_report(result)
    lines = text.split("Lane-hours by day", 1)[1].splitlines()
    assert (
        sum(line.split(" ")[:2][-1].isdigit() for line in lines[:12] if line.startswith("day "))
        == 7
    )
    html = run_report_html(result, "portsim report zhejiang_hours.yaml")
    assert 'data-name="lanes_daily"' in html
    table = html.split('data-name="lanes_daily"', 1)[1].split("</table>", 1)[0]
    assert table.count("<tr") == 1 + 7 * len(GROUPS)  # the header, a row per group a day
    hours = result.summary["stages"]["arrival_check"]["groups"]["counters"]["daily"]
    assert hours[5]["lane_hours"]["mean"] < hours[0]["lane_hours"]["mean"]  # shorter weekend
    assert max(d["lane_hours"]["mean"] for d in hours) <= 8 * 24  # at most the 8 built
