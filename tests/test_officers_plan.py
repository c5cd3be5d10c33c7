"""Planning with officers: the pool's size (and a shift's officers) as a parameter a plan
varies and costs, answered in the planner's words, with answers known by hand; and
``--cost`` naming a pool, carelessly too."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import portsim
from portsim.cli import main
from portsim.errors import UsageError
from portsim.planning.conditions import parse_conditions
from portsim.planning.labels import configuration_words, path_words
from portsim.planning.officers import COST_WORDS, day_shares, named_shifts, pool_of
from portsim.planning.plan import parse_costs
from portsim.planning.vary import parse_vary
from portsim.report.planning import format_plan, format_staffing
from portsim.report.planning.plots import planning_caption
from portsim.report.planning.view import planning_answer

from .helpers import const

SIZE = "staff.officers.count"


def _port() -> dict[str, Any]:
    """Both directions, a traveller every 60 s each way, constant 100 s checks; each hall
    asks for 2 counters, staffed from one pool. With 2 lanes a hall never queues (D/D/2 at
    load 0.83: lane 0 serves 0–100, lane 1 60–160, the next traveller at 120 finds lane 0
    free); with 1 its queue grows by 40 s a traveller. So the longest wait is 0 from 4
    officers up (2 a hall), and grows to over an hour with 3 (one hall has 1 lane)."""
    hall = {"count": 2, "service": const(100), "staff": "officers"}
    return {
        "name": "both directions by hand",
        "horizon": "2h",
        "staff": [{"name": "officers", "count": 8}],
        "flows": [
            {
                "name": "north",
                "direction": "northbound",
                "arrivals": {"every": 60},
                "route": ["north_hall"],
            },
            {
                "name": "south",
                "direction": "southbound",
                "arrivals": {"every": 60},
                "route": ["south_hall"],
            },
        ],
        "stages": [
            {"name": "north_hall", "lanes": [{"name": "counters", **hall}]},
            {"name": "south_hall", "lanes": [{"name": "counters", **hall}]},
        ],
    }


def _file(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "port.yaml"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_the_pool_size_alone_plans_both_directions_by_hand() -> None:
    scenario = portsim.scenario_from_dict(_port())
    result = portsim.plan(
        scenario, {SIZE: "1:8"}, "wait_max<=1min", cost="officers=2", replications=2, workers=1
    )
    assert isinstance(result, portsim.PlanResult)
    assert result.chosen is not None
    assert dict(result.chosen.configuration.values) == {SIZE: "4"}
    assert result.cost == 8  # 4 officers at 2 each
    (cheaper,) = result.cheaper
    assert dict(cheaper.configuration.values) == {SIZE: "3"}
    assert cheaper.status == "failed"
    # 4 officers on a lane from 0 to the horizon: 4 × 2 h, all of them committed
    (pool,) = result.officers
    assert pool.pool == "officers"
    assert pool.committed.mean == pytest.approx(8.0)
    assert pool.on_duty.mean == pytest.approx(8.0)
    text = format_plan(result)
    assert text.splitlines()[0] == (
        "cheapest configuration: 4 officers (officers pool); cost 8, 2 replications"
    )
    assert "  officers pool: 8.0 (8.0 – 8.0) officer-hours committed of 8.0 on duty" in text
    assert "one step cheaper: 3 officers (officers pool): failed" in text
    assert result.to_dict()["officers"][0]["officer_hours"]["mean"] == pytest.approx(8.0)


def test_plan_costs_officers_from_the_command_line(tmp_path: Path) -> None:
    path = _file(tmp_path, _port())
    done = CliRunner().invoke(
        main,
        ["plan", str(path), "--vary", f"{SIZE}=2:6", "--target", "wait_max<=1min",
         "--cost", "officers=1", "-r", "2", "-w", "1"],
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    assert done.stdout.splitlines()[0] == (
        "cheapest configuration: 4 officers (officers pool); cost 4, 2 replications"
    )


@pytest.mark.parametrize(
    ("vary", "cost", "problem"),
    [
        (
            f"{SIZE}=2:6",
            "guards=1",
            "--cost guards: no varied parameter, level or staff pool of that name "
            "(staff pools: officers)",
        ),
        (
            "stages.north_hall.lanes.counters.count=1:3",
            "officers=1",
            "--cost officers: the officers pool is not varied: vary its size "
            "(staff.officers.count=…) or a shift's officers (staff.officers.schedule.0.count=…)",
        ),
        (f"{SIZE}=2:6", "officers=-1", "--cost officers: a cost must be a non-negative number"),
        (f"{SIZE}=2:6", "officers", "--cost: expected NAME=COST[,NAME=COST], got 'officers'"),
    ],
)
def test_a_careless_cost_is_one_line(tmp_path: Path, vary: str, cost: str, problem: str) -> None:
    path = _file(tmp_path, _port())
    done = CliRunner().invoke(
        main,
        ["plan", str(path), "--vary", vary, "--target", "wait_max<=1min", "--cost", cost,
         "-r", "2", "-w", "1"],
    )  # fmt: skip
    assert done.exit_code == 2
    assert done.stdout == ""
    assert done.stderr.strip().splitlines() == [done.stderr.strip().splitlines()[0]]
    assert problem in done.stderr


def _shifts() -> portsim.Scenario:
    data = _port() | {"horizon": "24h"}
    data["staff"] = [
        {
            "name": "officers",
            "schedule": [
                {"from": "0h", "to": "6h", "count": 2},
                {"from": "6h", "to": "18h", "count": 4},
                {"from": "18h", "to": "24h", "count": 2},
            ],
        }
    ]
    return portsim.scenario_from_dict(data)


def test_shifts_are_named_by_their_hours_and_cost_by_their_share_of_the_day() -> None:
    """A one-day run, shifts of 6, 12 and 6 hours: an officer on each costs a quarter, a
    half and a quarter of one on duty all the run. 2, 4 and 3 officers at 1 each: 0.5 + 2 + 0.75
    = 3.25 officers on duty over the day on average (78 officer-hours a day ÷ 24)."""
    scenario = _shifts()
    given = [parse_vary(f"staff.officers.schedule.{k}.count=1:5") for k in range(3)]
    given[2] = parse_vary("evening:staff.officers.schedule.2.count=1:5")
    shifts = named_shifts(scenario, given)
    assert [p.name for p in shifts] == ["officers 00:00–06:00", "officers 06:00–18:00", "evening"]
    shares = day_shares(scenario, shifts)
    assert shares == {"officers 00:00–06:00": 0.25, "officers 06:00–18:00": 0.5, "evening": 0.25}
    costs = parse_costs("officers=1", shifts, shares=shares, pools=["officers"])
    assert costs.of(shifts, (1, 3, 2)) == pytest.approx(0.5 + 2 + 0.75)
    # without --cost, an officer is priced so too
    assert parse_costs(None, shifts, shares=shares).of(shifts, (1, 3, 2)) == pytest.approx(3.25)
    # a shift named by its own cost key
    costs = parse_costs("officers 00:00–06:00=4,officers 06:00–18:00=1,evening=1", shifts,
                        shares=shares)  # fmt: skip
    assert costs.of(shifts, (0, 0, 0)) == pytest.approx(4 * 0.25 + 0.5 + 0.25)
    values = [(p.name, label) for p, label in zip(shifts, ["2", "4", "3"], strict=True)]
    assert configuration_words(shifts, values) == (
        "2 officers 00:00–06:00, 4 officers 06:00–18:00, 3 officers evening (officers pool)"
    )


def _week(horizon: str) -> portsim.Scenario:
    """6 weekdays then 1 weekend day; a pool with a weekday and a weekend schedule."""
    shifts = [
        {"from": "06:00", "to": "14:00", "count": 2},
        {"from": "14:00", "to": "24:00", "count": 2},
    ]
    data = _port() | {"horizon": horizon}
    data["calendar"] = {"days": [{"type": "weekday", "repeat": 6}, {"type": "weekend"}]}
    data["staff"] = [{"name": "officers", "schedule": {"weekday": shifts, "weekend": shifts}}]
    return portsim.scenario_from_dict(data)


def test_a_shift_of_a_day_type_costs_the_officer_hours_it_puts_on_duty_over_the_run() -> None:
    """A week of 6 weekdays and 1 weekend day (168 hours). An officer on the weekday
    06:00–14:00 shift is on duty 6 × 8 = 48 hours (2/7 of the run), on the weekend one
    8 hours (1/21); the 14:00–24:00 shifts 60 and 10 hours (5/14, 5/84). So 1 weekday and
    1 weekend officer on each shift at 1 each cost (48 + 8 + 60 + 10) / 168 = 0.75, and
    3 weekday morning officers cost 3 × 48 / 168 more than 3 weekend ones."""
    scenario = _week("7d")
    given = [
        parse_vary(f"staff.officers.schedule.{t}.{k}.count=1:3")
        for t in ("weekday", "weekend")
        for k in (0, 1)
    ]
    shifts = named_shifts(scenario, given)
    shares = day_shares(scenario, shifts)
    assert list(shares.values()) == pytest.approx([48 / 168, 60 / 168, 8 / 168, 10 / 168])
    costs = parse_costs("officers=1", shifts, shares=shares, pools=["officers"])
    assert costs.of(shifts, (0, 0, 0, 0)) == pytest.approx(126 / 168)
    weekday, weekend = costs.of(shifts, (2, 0, 0, 0)), costs.of(shifts, (0, 0, 2, 0))
    assert weekday - weekend == pytest.approx(2 * (48 - 8) / 168)


def test_a_shift_costs_only_the_hours_of_it_the_run_holds() -> None:
    """A run of 1 day and 10 hours (34 hours, the first day a weekday): the 06:00–14:00
    weekday shift is on duty 8 + 4 = 12 of them, the 14:00–24:00 one 10; the weekend
    shifts not at all."""
    scenario = _week("34h")
    given = [parse_vary(f"staff.officers.schedule.{t}.0.count=1:3") for t in ("weekday", "weekend")]
    shares = day_shares(scenario, named_shifts(scenario, given))
    assert list(shares.values()) == pytest.approx([12 / 34, 0.0])


def test_a_plan_by_day_type_weighs_each_shift_by_its_days_in_the_run() -> None:
    """2 weekdays then 1 weekend day (72 hours); 3 travellers at 01:00 of day 1 and 3 at
    01:00 of day 3, 60 s each at 3 counters, longest wait 0: 3 officers on duty all day
    are needed on both day types. Weekday officers are on duty 48 of the 72 hours, weekend
    ones 24: 3 and 3 cost (3 × 48 + 3 × 24) / 72 = 3 officers on average over the run (144
    + 72 = 216 officer-hours on duty); 2 weekday officers would save 48 / 72, 2 weekend
    ones 24 / 72."""
    day = [{"from": "00:00", "to": "24:00", "count": 3}]
    data = {
        "name": "by day type",
        "calendar": {"days": [{"type": "weekday", "repeat": 2}, {"type": "weekend"}]},
        "staff": [{"name": "officers", "schedule": {"weekday": day, "weekend": day}}],
        "flows": [{"name": "a", "arrivals": {"times": ["1h"] * 3 + ["49h"] * 3}, "route": ["A"]}],
        "stages": [
            {
                "name": "A",
                "lanes": [{"name": "desks", "staff": "officers", "count": 3, "service": const(60)}],
            }
        ],
    }
    result = portsim.plan(
        portsim.scenario_from_dict(data),
        {f"staff.officers.schedule.{t}.0.count": "1:3" for t in ("weekday", "weekend")},
        "a.wait_max<=0s",
        cost="officers=1",
        replications=2,
        workers=1,
    )
    assert isinstance(result, portsim.PlanResult)
    assert result.cost == pytest.approx(3.0)
    assert sorted(result.judged_costs) == pytest.approx(sorted([3.0, 2 + 1 / 3, 2 + 2 / 3]))
    assert result.officers[0].on_duty.mean == pytest.approx(216.0)
    text = format_plan(result).splitlines()
    assert text[0].endswith("(officers pool); cost 3, 2 replications")
    assert text[1] == (
        "  cost: officers on duty on average over the run (a shift's officer-hours on duty "
        "over the run ÷ the run's hours), each at its --cost"
    )
    answer = planning_answer(result)  # the HTML report's answer says it too
    assert f"Cost: {COST_WORDS}." in answer.points


def test_varying_the_size_of_a_pool_with_a_schedule_says_how_to_clear_it(tmp_path: Path) -> None:
    """A pool has a count or a schedule: a plan varying the count of a pool whose file has a
    schedule is refused in one line that says how to clear it, and runs once it is."""
    data = _port()
    data["staff"] = [{"name": "officers", "schedule": [{"from": "0h", "to": "24h", "count": 8}]}]
    path = _file(tmp_path, data)
    args = ["plan", str(path), "--vary", f"{SIZE}=3:5", "--target", "wait_max<=1min",
            "-r", "2", "-w", "1"]  # fmt: skip
    done = CliRunner().invoke(main, args)
    assert done.exit_code == 2
    assert done.stderr.strip() == (
        f"{path}: staff.officers: give either 'count' (on duty all the time) or 'schedule', "
        f"not both (in the configuration {SIZE}=5); clear the file's schedule and give a "
        f"count: --set staff.officers.schedule=null --set {SIZE}=5"
    )
    clear = ["--set", "staff.officers.schedule=null", "--set", f"{SIZE}=5"]
    done = CliRunner().invoke(main, [*args, *clear])
    assert done.exit_code == 0, done.output
    assert done.stdout.startswith("cheapest configuration: 4 officers (officers pool)")


def test_staff_paths_in_words() -> None:
    assert path_words(SIZE) == "officers pool (officers on duty)"
    assert path_words("staff.officers.schedule.1.count") == (
        "officers pool (shift 2, officers on duty)"
    )
    assert path_words("staff.officers.schedule.weekday.0.count") == (
        "officers pool (weekday, shift 1, officers on duty)"
    )
    assert pool_of("staff.officers.switch") is None
    assert pool_of("stages.hall.lanes.officers.count") is None


def test_a_cost_naming_a_lane_group_and_a_pool_alike_is_refused() -> None:
    """A lane group called officers and the officers pool both varied: ``officers`` names
    two things, which the planner must tell apart."""
    both = [parse_vary("stages.hall.lanes.officers.count=1:3"), parse_vary(f"{SIZE}=1:3")]
    with pytest.raises(UsageError, match=r"matches .*: name one"):
        parse_costs("officers=1", both)


def test_officers_by_hour_for_both_directions_by_hand() -> None:
    """The same port by the hour: in either hour 3 officers leave one hall a single lane
    (from 0, or when the fourth goes home at 01:00: the hall whose newcomer waits least
    gives up a lane), whose queue grows by 40 s a traveller: half the hour's travellers wait
    longer and longer, and the 95th percentile is minutes long. So 4 officers in each hour,
    8 officer-hours over the 2 hours, as the fixed count."""
    scenario = portsim.scenario_from_dict(_port())
    result = portsim.plan(
        scenario,
        {SIZE: "1:6"},
        "wait_p95<=1min each hour",
        per_hour=True,
        replications=2,
        workers=1,
    )
    assert isinstance(result, portsim.StaffingResult)
    assert result.counts == (4, 4)
    assert result.fixed == 4
    assert (result.pool, result.unit, result.unit_hours) == (
        "officers",
        "officers",
        "officer-hours",
    )
    text = format_staffing(result)
    lines = text.splitlines()
    assert lines[:2] == [
        "fewest officers by hour for the officers pool (staff.officers):",
        "  00:00–02:00: 4 officers",
    ]
    assert (
        "planned officer-hours over the 2 hours: 8 against 8 for the best fixed count "
        "(4 officers all along)"
    ) in text
    assert "  officers pool: 8.0 (8.0 – 8.0) officer-hours committed of 8.0 on duty" in text
    frame = result.to_pandas()
    assert list(frame.columns) == ["group", "hour", "time", "officers", "fixed_officers"]


def test_one_officer_in_an_hour_is_said_in_the_singular_and_the_plot_says_officers() -> None:
    """4 travellers at 0 and 1 at 01:00, 60 s each at 4 desks drawing on the pool: no wait
    in the first hour takes 4 officers (with 3 the mean wait is 15 s), in the second 1. The
    text says "1 officer", and the caption of staffing.png speaks of officers on duty, not
    lanes."""
    data = _port() | {"horizon": "2h"}
    data["flows"] = [{"name": "a", "arrivals": {"times": [0, 0, 0, 0, 3600]}, "route": ["hall"]}]
    data["stages"] = [
        {"name": "hall", "lanes": [{"name": "desks", "count": 4, "service": const(60),
                                    "staff": "officers"}]}
    ]  # fmt: skip
    result = portsim.plan(
        portsim.scenario_from_dict(data),
        {SIZE: "1:4"},
        "wait_mean<=1s each hour",
        per_hour=True,
        replications=2,
        workers=1,
    )
    assert isinstance(result, portsim.StaffingResult)
    assert result.counts == (4, 1)
    lines = format_staffing(result).splitlines()
    assert lines[1:3] == ["  00:00–01:00: 4 officers", "  01:00–02:00: 1 officer"]
    caption = planning_caption(result, "staffing.png")
    assert caption.startswith("The fewest officers on duty in each hour that meet the target")
    assert "lanes" not in caption


def test_a_pool_s_officer_hours_as_a_target() -> None:
    """``staff.officers.officer_hours<=8``: a budget beside the waits. 4 officers on a lane
    the whole 2 hours make 8 officer-hours exactly: met, and said in words; a pool the
    scenario lacks is one line naming those it has."""
    scenario = portsim.scenario_from_dict(_port())
    result = portsim.plan(
        scenario,
        {SIZE: "1:8"},
        ["wait_max<=1min", "staff.officers.officer_hours<=8"],
        replications=2,
        workers=1,
    )
    assert isinstance(result, portsim.PlanResult)
    assert result.chosen is not None
    budget = result.chosen.checks[1]
    assert (budget.mean, budget.status) == (pytest.approx(8.0), "met")
    assert "  officers pool: officer-hours committed ≤ 8: 8 [8, 8] met" in format_plan(result)
    hourly = parse_conditions(["staff.officers.officers_busy_max<=10 each hour"], scenario)
    assert hourly[0].key() == ("pool", "officers", "", -1, "officers_busy_max")
    with pytest.raises(UsageError, match=r"called 'staff\.guards' .*; staff pools: officers\)"):
        parse_conditions(["staff.guards.officer_hours<=1"], scenario)
