"""Numbers that look fine and are wrong: travellers who visit no stage, a lane group
overloaded beside idle lanes, waits of an overloaded run, and the report's units, hours and
sources; and parts of a scenario that take no part in its run (a flow nobody of which comes,
a stage no route visits, a lane group nobody may use, coaches whose driver alone is told to
alight), warned of before it."""

from __future__ import annotations

import copy
import math
import re
from pathlib import Path
from typing import Any

import pytest

from portsim import format_report, format_show, scenario_from_dict, simulate
from portsim.model import compile_scenario
from portsim.model.skips import no_visit_share
from portsim.report.cells import difference_text, stat_text
from portsim.results.catalog import WAIT_MEAN
from portsim.results.statistics import Stat
from portsim.run.preflight import preflight

from .test_errors import BASE
from .test_streaming import assert_runs_agree

ROOT = Path(__file__).resolve().parent.parent

HALL: dict[str, Any] = {
    "name": "hall",
    "horizon": "4h",
    "replications": 3,
    "seed": 3,
    "flows": [
        {"name": "residents", "arrivals": {"rate": "100/h"}, "route": ["hall"]},
        {"name": "ghosts", "arrivals": {"rate": "300/h"}, "route": [{"stage": "hall", "p": 0}]},
        {
            "name": "maybe",
            "arrivals": {"rate": "100/h"},
            "route": [{"stage": "hall", "p": 0.5}, {"stage": "hall", "p": 0.5}],
        },
    ],
    "stages": [
        {
            "name": "hall",
            "lanes": [
                {"name": "counters", "count": 2, "service": {"dist": "exponential", "mean": 60}},
            ],
        }
    ],
}


def test_a_route_that_can_skip_every_stage_warns_and_is_counted_apart() -> None:
    s = scenario_from_dict(HALL)
    shares = [no_visit_share(f.program) for f in compile_scenario(s).subflows]
    assert shares == [0.0, 1.0, 0.25]
    result = simulate(s)
    assert any("'ghosts' visits no stage" in w for w in result.warnings)
    assert any("'maybe': 25.0% of its travellers visit no stage" in w for w in result.warnings)
    flows = result.summary["flows"]
    ghosts, maybe = flows["ghosts"], flows["maybe"]
    assert ghosts["served"]["mean"] == 0
    assert ghosts["no_visit"]["mean"] > 300 * 3
    assert ghosts["wait_mean_s"]["mean"] is None or math.isnan(ghosts["wait_mean_s"]["mean"])
    assert 0 < maybe["no_visit"]["mean"] < maybe["served"]["mean"]
    overall = result.summary["overall"]
    assert overall["served"]["mean"] == pytest.approx(
        flows["residents"]["served"]["mean"] + maybe["served"]["mean"]
    )
    # the all-flows waits are those of the travellers who passed a control
    for table in result.tables:
        served = table[("overall", "", "", -1, "served")]
        skipped = table[("overall", "", "", -1, "no_visit")]
        assert served + skipped + table[("overall", "", "", -1, "unfinished")] == sum(
            table[("flow", f, "", h, "arrived")]
            for f in ("residents", "ghosts", "maybe")
            for h in range(4)
        )
    assert "no stage" in format_report(result)


def test_no_visit_and_censored_waits_agree_between_records_and_streaming() -> None:
    data = copy.deepcopy(HALL)
    data["stages"][0]["lanes"][0]["count"] = 1  # overloaded: censored waits at the horizon
    assert assert_runs_agree(scenario_from_dict(data), 2, 9) > 0


def test_a_pledge_leaves_out_who_visited_no_stage() -> None:
    data = copy.deepcopy(HALL)
    data["flows"] = data["flows"][:2]
    data["stages"][0]["lanes"][0]["count"] = 1
    data["targets"] = [{"name": "all", "wait_within": "1s", "share": 0.5}]
    result = simulate(scenario_from_dict(data), records=True)
    share = result.per_replication[0]["targets"][0]["share"]
    assert share < 0.5  # the ghosts' zero waits would have made it above


def test_a_lane_group_overloaded_beside_idle_lanes_warns() -> None:
    data = {
        "name": "groups",
        "horizon": "8h",
        "flows": [
            {"name": "visitors", "arrivals": {"rate": "180/h"}, "route": ["hall"]},
            {"name": "residents", "arrivals": {"rate": "10/h"}, "route": ["hall"]},
        ],
        "stages": [
            {
                "name": "hall",
                "lanes": [
                    {
                        "name": "counters",
                        "count": 2,
                        "serves": ["visitors"],
                        "service": {"dist": "exponential", "mean": 50},
                    },
                    {
                        "name": "egates",
                        "count": 20,
                        "serves": ["residents"],
                        "service": {"dist": "constant", "value": 10},
                    },
                ],
            }
        ],
    }
    result = simulate(scenario_from_dict(data), replications=2)
    assert not any(w.startswith("stage 'hall'") for w in result.warnings)
    assert any(
        w.startswith("lane group hall.counters (the only one for visitors): offered load 1.25")
        for w in result.warnings
    )


def test_an_overloaded_run_reports_censored_waits_and_says_so() -> None:
    data = copy.deepcopy(HALL)
    data["flows"] = data["flows"][:1]
    data["flows"][0]["arrivals"] = {"rate": "200/h"}  # 200 an hour for 2 × 60 an hour
    result = simulate(scenario_from_dict(data))
    overall = result.summary["overall"]
    assert overall["unfinished"]["mean"] > 100
    censored = overall["censored_wait_mean_s"]["mean"]
    assert 0 < censored <= overall["censored_wait_max_s"]["mean"] <= 4 * 3600
    stage = result.summary["stages"]["hall"]
    assert stage["censored_wait_mean_s"]["mean"] > 0
    text = format_report(result)
    assert "Waits above are over the travellers who finished" in text
    assert "censored: at least this long" in text


def test_a_calm_run_has_no_censored_note() -> None:
    data = copy.deepcopy(HALL)
    data["flows"] = data["flows"][:1]
    assert "censored" not in format_report(simulate(scenario_from_dict(data)))


@pytest.mark.parametrize(
    ("stat", "expected"),
    [
        (Stat(150.0, 37.6, 262.4, 5), "2.5 min (0.6 – 4.4)"),
        (Stat(30.0, 25.0, 35.0, 5), "30.0 s (25.0 – 35.0)"),
        (Stat(7200.0, 7000.0, 7400.0, 5), "2.00 h (1.94 – 2.06)"),
        (Stat(106.2 * 60, 6000.0, 6744.0, 5), "106.2 min (100.0 – 112.4)"),
    ],
)
def test_a_cell_has_one_unit(stat: Stat, expected: str) -> None:
    """The mean and its interval in the mean's unit, said once ("6.6 min ±106.2 s" read as
    two)."""
    assert stat_text(WAIT_MEAN, stat, interval=True) == expected


def test_a_difference_and_its_interval_have_one_unit() -> None:
    text = difference_text(WAIT_MEAN, Stat(150.0, 90.0, 210.0, 5))
    assert text == "+2.5 min (+1.5 – +3.5)"
    assert len(re.findall(r"[a-z]+", text)) == 1


def test_show_prints_a_cv_without_a_unit() -> None:
    s = scenario_from_dict(
        {
            **HALL,
            "stages": [
                {
                    "name": "hall",
                    "lanes": [
                        {
                            "name": "g",
                            "count": 2,
                            "service": {"dist": "gamma", "mean": "45s", "cv": 0.4},
                        }
                    ],
                }
            ],
        }
    )
    text = format_show(s)
    assert "cv 0.4)" in text
    assert "cv 0.4 s" not in text


def test_the_hourly_table_past_48_hours_says_where_the_figures_are() -> None:
    data = copy.deepcopy(HALL)
    data["horizon"] = "3d"
    data["flows"] = data["flows"][:1]
    text = format_report(simulate(scenario_from_dict(data), replications=1))
    # a run past two days reads day by day, then its worst hours (issue 10)
    assert "By day (all travellers" in text
    assert "longest p95 waits of 72 hours" in text
    assert "overall.hourly" in text


def test_scenarios_cite_sources_a_reader_of_the_repository_can_find() -> None:
    """Scenarios and examples cite the documents and the sections of ``docs/sources.md``,
    never the working notes the repository does not ship."""
    sources = (ROOT / "docs" / "sources.md").read_text(encoding="utf-8")
    cited = [*(ROOT / "scenarios").glob("*.yaml"), *(ROOT / "examples").glob("*.py")]
    for path in sorted(cited):
        text = path.read_text(encoding="utf-8")
        assert "shared/" not in text, path
        assert "reference-figures" not in text, path
        for document in re.findall(r"\d{3}_[0-9a-f]{16}\.txt", text):
            assert document in sources, (path, document)
        for section in re.findall(r'docs/sources\.md, "([^":]+)', text):
            assert f"\n## {section}" in sources, (path, section)


# -- legal, surely not meant (issue 23, item 6): a warning before the run


def _warnings(data: dict[str, Any]) -> list[str]:
    return list(preflight(scenario_from_dict(data)).warnings)


def _with(data: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    data = copy.deepcopy(data)
    node: Any = data
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return data


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"times": ["3h", "4h"]},
            "flow 'residents': all 2 of its timed arrivals come at or after the horizon (2.00 h "
            "from 00:00 of day 1): nobody of it arrives in the run",
        ),
        (
            {"every": "10min", "from": "2h"},
            "flow 'residents': its first arrival (2.00 h) is at or after the horizon (2.00 h "
            "from 00:00 of day 1): nobody of it arrives in the run",
        ),
        (
            {"times": ["1min", "9min"]},
            "flow 'residents': all its arrivals come before the end of the warm-up (10.0 min): "
            "nobody of it is counted",
        ),
        (
            {"daily_total": 1000, "profile": [0] * 3 + [1] * 21},
            "flow 'residents': its profile has no weight in the hours before the horizon "
            "(2.00 h from 00:00 of day 1): nobody of it arrives in the run",
        ),
    ],
)
def test_a_flow_nobody_of_which_comes_is_warned_of(change: dict[str, Any], expected: str) -> None:
    assert expected in _warnings(_with(BASE, ("flows", 0, "arrivals"), change))
    assert not any("timed arrivals" in w for w in _warnings(BASE))


def test_a_stage_no_route_visits_and_an_idle_lane_group_are_warned_of() -> None:
    unused = _with(BASE, ("flows", 0, "route"), ["exit_check"])
    assert (
        "stage 'secondary' is on no route (or only with p 0): nobody visits it and its lanes "
        "stand idle; add it to a route, or leave it out"
    ) in _warnings(unused)
    idle = _with(BASE, ("stages", 0, "lanes", 1, "serves"), ["visitors"])
    idle = _with(idle, ("flows", 1, "route"), ["secondary"])
    assert (
        "lane group exit_check.egates serves nobody who comes to its stage (who comes: "
        "residents; see its 'serves'): its lanes stand idle"
    ) in _warnings(idle)
    assert not any("idle" in w for w in _warnings(BASE))


COACH_DRIVER_ONLY = (
    "flow 'coaches': its vehicles carry their driver only (occupants always 1), and a driver "
    "never alights: nobody takes the passengers' route; occupants count everyone aboard, the "
    "driver too (a coach of 40 passengers is occupants 41)"
)


@pytest.mark.parametrize(
    ("occupants", "warned"),
    [
        ({"dist": "constant", "value": 1}, True),
        ({"dist": "uniform", "low": 1, "high": 1}, True),
        ({"dist": "empirical", "values": [1, 1]}, True),
        ({"dist": "empirical", "values": [1, 40]}, False),  # a coach of the driver alone
        ({"dist": "constant", "value": 41}, False),
    ],
)
def test_coaches_told_to_let_off_a_driver_alone_are_warned_of(
    occupants: dict[str, Any], warned: bool
) -> None:
    """The coaches queue at a stage of their own (so the warning of routes that skip every
    stage says nothing), yet nobody ever alights: only the driver is aboard."""
    data = _with(BASE, ("routes",), {"on_foot": ["secondary"]})
    coaches = {
        "name": "coaches",
        "kind": "coach",
        "arrivals": {"rate": "6/h"},
        "occupants": occupants,
        "route": ["exit_check", {"alight": "on_foot"}, {"meet": "passengers"}],
    }
    data["flows"].append(coaches)
    assert (COACH_DRIVER_ONLY in _warnings(data)) is warned
