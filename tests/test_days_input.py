"""Calendars, opening hours, built lanes and opening rules as a planner writes them: the
guide's example (``docs/scenario-files.md``) loads and runs; bad input exits 2 with one
line ``FILE: field.path: problem`` before the run; the multi-day report reads day by day."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from portsim import (
    ScenarioError,
    dump_scenario,
    format_report,
    load_scenario,
    scenario_from_dict,
    scenario_to_yaml,
    simulate,
)
from portsim.cli import main
from portsim.model import compile_scenario
from portsim.scenario.yaml_io import load_yaml

ROOT = Path(__file__).resolve().parent.parent


def _guide_example() -> dict[str, Any]:
    guide = (ROOT / "docs" / "scenario-files.md").read_text(encoding="utf-8")
    section = guide.split("\n## Days: calendars, opening hours", 1)[1]
    data: dict[str, Any] = load_yaml(section.split("```yaml\n", 1)[1].split("```", 1)[0])
    return data


def test_the_guide_s_days_example_loads_runs_and_reads_day_by_day() -> None:
    data = _guide_example()
    scenario = scenario_from_dict(data)
    assert scenario.horizon == 4 * 86_400  # the calendar's days
    assert scenario_from_dict(load_yaml(scenario_to_yaml(scenario))) == scenario
    assert scenario_from_dict(dump_scenario(scenario)) == scenario
    result = simulate(scenario, replications=2, seed=3)
    s = result.summary
    daily = s["overall"]["daily"]
    assert [(d["day"], d["date"], d["type"]) for d in daily] == [
        (1, "2008-02-05", "normal"),
        (2, "2008-02-06", "festival_eve"),
        (3, "2008-02-07", "festival_return"),
        (4, "2008-02-08", "festival_return"),
    ]
    assert s["overall"]["wait_for_opening_max_s"]["mean"] > 6 * 3600  # the night's
    groups = s["stages"]["exit_check"]["groups"]
    assert groups["counters"]["lane_hours"]["mean"] > 0
    assert "emergencies" in groups["counters"]
    assert len(groups["counters"]["emergency_log"]) == 2
    text = format_report(result)
    assert "By day (all travellers" in text
    day_two = next(line for line in text.splitlines() if line.startswith("day 2 2008-02-06"))
    assert "festival_eve" in day_two
    assert "Worst hours" in text
    assert "Waits for the opening" in text
    assert "lane-hours" in text
    assert "By hour (all travellers" not in text


def test_the_eve_stays_open_past_midnight_and_the_doors_close_after() -> None:
    """Hours past midnight: the eve's opening runs to 02:00 of the next day; the lanes close
    only once the last traveller inside is out."""
    model = compile_scenario(scenario_from_dict(_guide_example()))
    assert model.hours is not None
    day = 86_400
    assert model.hours.intervals[:3] == (
        (6.5 * 3600, day),
        (day + 6.5 * 3600, 2 * day + 2 * 3600),
        (2 * day + 6.5 * 3600, 3 * day),
    )


def _base() -> dict[str, Any]:
    return copy.deepcopy(_guide_example())


def _case(change: Any) -> dict[str, Any]:
    data = _base()
    change(data)
    return data


def _group(data: dict[str, Any]) -> dict[str, Any]:
    group: dict[str, Any] = data["stages"][0]["lanes"][0]
    return group


BAD = [
    (
        "a day type without a daily total",
        lambda d: d["flows"][0]["arrivals"]["daily_total"].pop("festival_eve"),
        "flows.southbound.arrivals.daily_total",
        "day type 'festival_eve' has no daily total",
    ),
    (
        "an unknown day type",
        lambda d: d["flows"][1]["arrivals"]["daily_total"].update(holiday=5),
        "flows.northbound.arrivals.daily_total.holiday",
        "unknown day type 'holiday'",
    ),
    (
        "hours of an unknown day type",
        lambda d: d["hours"].update(festval_eve={"open": "06:30", "close": "22:00"}),
        "hours.festval_eve",
        "unknown day type",
    ),
    (
        "a schedule above the lanes built",
        lambda d: _group(d).update(built=5),
        "stages.exit_check.lanes.counters",
        "the plan opens 6 lanes but only 5 are built",
    ),
    (
        "close_below at or above open_above",
        lambda d: _group(d)["opening"].update(close_below="15min"),
        "stages.exit_check.lanes.counters.opening",
        "close_below (15.0 min) must be below open_above (15.0 min)",
    ),
    (
        "queue_below above queue_above",
        lambda d: d["stages"][1]["lanes"][0]["opening"].update(queue_below=50),
        "stages.entry_check.lanes.counters.opening",
        "queue_below (50) must be at most queue_above (40)",
    ),
    (
        "an opening rule without built lanes",
        lambda d: _group(d).pop("built"),
        "stages.exit_check.lanes.counters",
        "say how many are built",
    ),
    (
        "both kinds of line",
        lambda d: _group(d)["opening"].update(queue_above=10),
        "stages.exit_check.lanes.counters.opening",
        "not both",
    ),
    (
        "values by day type without a calendar",
        lambda d: (d.pop("calendar"), d.update(horizon="2d")),
        "flows.southbound.arrivals.daily_total",
        "needs a calendar",
    ),
    (
        "a horizon past the calendar",
        lambda d: d.update(horizon="5d"),
        "horizon",
        "the calendar covers 4 days",
    ),
    (
        "opening and closing at once",
        lambda d: d["hours"].update(default={"open": "06:30", "close": "06:30"}),
        "hours.default",
        "write open: 00:00, close: 24:00 for round the clock",
    ),
    (
        "a profile by day type not 24 long",
        lambda d: d["flows"][1]["arrivals"]["profile"].update(festival_return=[1] * 23),
        "flows.northbound.arrivals.profile.festival_return",
        "24 hourly weights",
    ),
    (
        "a calendar day of no type",
        lambda d: d["calendar"]["days"].append({"repeat": 2}),
        "calendar.days.3.type",
        "required",
    ),
]


@pytest.mark.parametrize("command", ["validate", "run"])
@pytest.mark.parametrize(("change", "path", "words"), [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_bad_days_exit_2_with_one_line(
    tmp_path: Path, command: str, change: Any, path: str, words: str
) -> None:
    file = tmp_path / "days.yaml"
    file.write_text(yaml.safe_dump(_case(change), sort_keys=False), encoding="utf-8")
    result = CliRunner().invoke(main, [command, str(file)])
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"{file}: {path}: "), lines[0]
    assert words in lines[0]


def test_the_warnings_name_day_types_and_what_the_rule_could_do() -> None:
    scenario = load_scenario(ROOT / "scenarios" / "spring_festival_shenzhen.yaml")
    from portsim.model.overload import overload_warnings  # noqa: PLC0415

    warnings = overload_warnings(compile_scenario(scenario))
    assert any("(outbound_peak)" in w and "an opening rule may cover it" in w for w in warnings)
    assert any("(return_peak)" in w for w in warnings)


def test_the_night_comes_to_the_lanes_at_the_opening_in_the_warnings() -> None:
    """Without opening hours the night's arrivals are spread over the night; with them they
    come at 08:00: the busiest hour's load says so."""
    scenario = load_scenario(ROOT / "scenarios" / "zhejiang_hours.yaml")
    from portsim.model.overload import overload_warnings  # noqa: PLC0415

    limited = overload_warnings(compile_scenario(scenario))
    assert any("08:00-09:00 of day 2 (workday)" in w for w in limited)
    data = dump_scenario(scenario)
    data["hours"] = {"open": "00:00", "close": "24:00"}
    assert overload_warnings(compile_scenario(scenario_from_dict(data))) == []


def test_the_guide_s_comparison_of_limited_hours_with_round_the_clock_runs() -> None:
    guide = (ROOT / "docs" / "scenario-files.md").read_text(encoding="utf-8")
    line = next(x.strip() for x in guide.splitlines() if "zhejiang_hours.yaml --variant" in x)
    import shlex  # noqa: PLC0415

    words = shlex.split(line)
    assert words[:2] == ["portsim", "compare"]
    file = words[2].replace("scenarios/", f"{ROOT}/scenarios/")
    args = ["compare", file, *words[3:], "-r", "2", "-w", "1", "--set", "horizon=2d"]
    done = CliRunner().invoke(main, args)
    assert done.exit_code == 0, done.output
    assert "Wait for the opening" in done.stdout
    assert "round the clock - base" in done.stdout


def test_a_calendar_shortened_by_set_keeps_only_its_day_types_values(tmp_path: Path) -> None:
    """``--set calendar.days=...`` runs some day types alone: the file's values for the day
    types it took out are dropped, not refused; a day type named nowhere in the file's
    calendar is still refused (a typo), and the file as written is unchanged."""
    festival = ROOT / "scenarios" / "spring_festival_shenzhen.yaml"
    comment = festival.read_text(encoding="utf-8").split("for the peak day alone", 1)[1]
    sets = [part.split("'")[1] for part in comment.split("--set ")[1:3]]
    peak = load_scenario(festival, sets)
    assert peak.calendar is not None
    assert peak.calendar.types() == ("return_peak",)
    flow = peak.flows[0].arrivals
    assert set(flow.daily_total) == {"return_peak"}  # type: ignore[union-attr, arg-type]
    assert scenario_from_dict(dump_scenario(peak)) == peak
    whole = load_scenario(festival)
    assert whole.calendar is not None
    assert len(whole.calendar.types()) > 1
    data = _guide_example()
    typo = copy.deepcopy(data)
    first = next(iter(typo["flows"][0]["arrivals"]["daily_total"]))
    typo["flows"][0]["arrivals"]["daily_total"]["festval"] = 1
    path = tmp_path / "typo.yaml"
    path.write_text(yaml.safe_dump(typo), encoding="utf-8")
    with pytest.raises(ScenarioError, match="unknown day type 'festval'"):
        load_scenario(path, [f"calendar.days=[{{type: {first}}}]"])


def _closing_port(lanes_until: str) -> dict[str, Any]:
    """Open 06:00-22:00; walkers only the booth can serve, others at the counters until
    22:00; the booth staffed until ``lanes_until``."""
    service = {"dist": "exponential", "mean": "30s"}
    return {
        "name": "a booth that closes early",
        "horizon": "30h",
        "seed": 1,
        "replications": 1,
        "hours": {"open": "06:00", "close": "22:00"},
        "flows": [
            {"name": "walkers", "arrivals": {"rate": "60/h"}, "route": ["check"]},
            {"name": "others", "arrivals": {"rate": "60/h"}, "route": ["check"]},
        ],
        "stages": [
            {
                "name": "check",
                "lanes": [
                    {
                        "name": "booth",
                        "service": service,
                        "serves": ["walkers"],
                        "schedule": [{"from": "06:00", "to": lanes_until, "count": 2}],
                    },
                    {
                        "name": "counters",
                        "service": service,
                        "serves": ["others"],
                        "schedule": [{"from": "06:00", "to": "22:00", "count": 2}],
                    },
                ],
            }
        ],
    }


def test_a_group_with_no_lane_at_the_closing_is_warned_before_the_run() -> None:
    """The booth closes at 21:00, the port at 22:00: the walkers inside at 22:00 wait for the
    next opening, and the counters stay open (as at the closing) until the port is empty,
    here to the horizon. The warning says so before the run; a booth staffed until the
    closing gets none."""
    from portsim.model.overload import overload_warnings  # noqa: PLC0415

    early = scenario_from_dict(_closing_port("21:00"))
    warnings = overload_warnings(compile_scenario(early))
    closing = [w for w in warnings if "closing" in w]
    assert closing == [
        "lane group check.booth: no lane planned at the port's closing (22:00 of day 1) while "
        "walkers still come to it: those inside at the closing wait for its next opening, and "
        "the lanes stay open (as at the closing) until they are cleared; plan a lane up to "
        "the closing"
    ]
    result = simulate(early, records=False, workers=1)
    assert result.summary["flows"]["walkers"]["unfinished"]["mean"] > 0
    counters = result.summary["stages"]["check"]["groups"]["counters"]
    assert counters["lane_hours"]["mean"] == pytest.approx(2 * (30 - 6))  # never closed
    until_closing = scenario_from_dict(_closing_port("22:00"))
    assert not [w for w in overload_warnings(compile_scenario(until_closing)) if "closing" in w]


def test_a_stage_with_hours_of_its_own_is_warned_at_its_own_closing() -> None:
    """The same booth under the stage's own hours (the port open round the clock): the
    warning names the stage's closing."""
    from portsim.model.overload import overload_warnings  # noqa: PLC0415

    data = _closing_port("21:00")
    data["stages"][0]["hours"] = data.pop("hours")
    warnings = overload_warnings(compile_scenario(scenario_from_dict(data)))
    assert [w for w in warnings if "closing" in w] == [
        "lane group check.booth: no lane planned at the stage's closing (22:00 of day 1) while "
        "walkers still come to it: those inside at the closing wait for its next opening, and "
        "the lanes stay open (as at the closing) until they are cleared; plan a lane up to "
        "the closing"
    ]
