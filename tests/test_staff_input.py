"""Careless staff pools, answered before the run: a lane group naming a pool that does not
exist, a pool too small for one lane, a pool given twice or both ways are refused in one
line naming the file and the field (exit 2); a pool no group names, and a pool smaller than
its groups' plans ask for at some hour while the port is open, are warned of (with the hour
and the numbers)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from portsim import scenario_from_dict
from portsim.cli import main
from portsim.model import compile_scenario
from portsim.scenario.lanes import LaneGroup
from portsim.scenario.schedules import ScheduleEntry, most_at_once, schedules_by_day_type
from portsim.scenario.staff import StaffPool

PORT = """\
name: officers
horizon: 1d
staff:
  - name: officers
    schedule:
      - {from: "00:00", to: "08:00", count: 40}
      - {from: "08:00", to: "24:00", count: 60}
flows:
  - {name: north, arrivals: {rate: 60/h}, route: [north]}
  - {name: south, arrivals: {rate: 60/h}, route: [south]}
stages:
  - name: north
    lanes:
      - name: desks
        staff: officers
        staff_per_lane: 2
        schedule:
          - {from: "00:00", to: "08:00", count: 10}
          - {from: "08:00", to: "09:00", count: 22}
          - {from: "09:00", to: "24:00", count: 15}
        service: {dist: exponential, mean: 40s}
  - name: south
    lanes:
      - name: desks
        staff: officers
        schedule:
          - {from: "00:00", to: "08:00", count: 10}
          - {from: "08:00", to: "24:00", count: 20}
        service: {dist: exponential, mean: 40s}
"""


def _run(tmp_path: Path, text: str, *extra: str) -> tuple[int, str, str]:
    path = tmp_path / "port.yaml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["run", str(path), "--replications", "1", *extra])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("old", "new", "field", "words"),
    [
        (
            "staff: officers\n        staff_per_lane",
            "staff: oficers\n        staff_per_lane",
            "stages.north.lanes.desks.staff",
            "unknown staff pool 'oficers' (pools: officers)",
        ),
        (
            "staff_per_lane: 2",
            "staff_per_lane: 61",
            "stages.north.lanes.desks.staff_per_lane",
            "a lane takes 61 of pool 'officers', which has 60 on duty at most",
        ),
        (
            "staff:\n  - name: officers\n",
            "staff:\n  - {name: officers, count: 3}\n  - name: officers\n",
            "staff.officers",
            "duplicate staff pool name 'officers'",
        ),
        (
            "  - name: officers\n    schedule:",
            "  - name: officers\n    count: 60\n    schedule:",
            "staff.officers",
            "give either 'count' (on duty all the time) or 'schedule', not both",
        ),
        (
            "        staff: officers\n        schedule:",
            "        staff_per_lane: 2\n        schedule:",
            "stages.south.lanes.desks",
            "staff_per_lane goes with 'staff'",
        ),
        (
            '    schedule:\n      - {from: "00:00", to: "08:00", count: 40}',
            '    schedule:\n     weekday:\n      - {from: "00:00", to: "08:00", count: 40}',
            "staff.officers.schedule",
            "needs a calendar",
        ),
        (
            '    schedule:\n      - {from: "00:00", to: "08:00", count: 40}',
            '    switch: -2min\n    schedule:\n      - {from: "00:00", to: "08:00", count: 40}',
            "staff.officers.switch",
            "",
        ),
        (
            "staff_per_lane: 2",
            "staff_per_lane: 2\n        lend_below: 2min",
            "stages.north.lanes.desks.lend_below",
            "pool 'officers' does not lend lanes: add 'lend: true' to it",
        ),
    ],
    ids=[
        "unknown pool",
        "pool smaller than a lane",
        "twice",
        "count and schedule",
        "per lane without a pool",
        "by day type without a calendar",
        "negative switch",
        "a lend line in a pool that does not lend",
    ],
)
def test_careless_pools_are_refused_in_one_line(
    tmp_path: Path, old: str, new: str, field: str, words: str
) -> None:
    assert old in PORT
    code, out, err = _run(tmp_path, PORT.replace(old, new, 1))
    assert code == 2, err
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"{tmp_path / 'port.yaml'}: {field}: "), lines[0]
    assert words in lines[0]
    assert "Traceback" not in err


def test_a_pool_short_of_what_the_schedules_ask_is_warned_of_with_the_hour(
    tmp_path: Path,
) -> None:
    """08:00-09:00: north asks 22 × 2 = 44, south 20: 64 against 60 on duty; from 09:00
    15 × 2 + 20 = 50 fit; 00:00-08:00: 20 + 10 = 30 of 40."""
    code, _, err = _run(tmp_path, PORT)
    assert code == 0, err
    warned = [line for line in err.splitlines() if "staff pool 'officers'" in line]
    assert warned == [
        "warning: staff pool 'officers': at 08:00–09:00 the lane groups ask for 64 officers, "
        "the pool has 60: lanes wait for officers"
    ]


@pytest.mark.parametrize(
    ("hours", "warned"),
    [
        # closed when nobody is on duty: no lane is asked for, nothing to warn of
        ('hours: {open: "06:00", close: "22:00"}\n', []),
        # open an hour before the roster: 10 × 2 + 10 = 30 asked at 05:00–06:00, 0 on duty
        (
            'hours: {open: "05:00", close: "22:00"}\n',
            [
                "warning: staff pool 'officers': at 05:00–06:00 the lane groups ask for 30 "
                "officers, the pool has 0: lanes wait for officers"
            ],
        ),
        # round the clock: the nights are short, 30 asked before 06:00 and 50 after 22:00
        (
            "",
            [
                "warning: staff pool 'officers': at 00:00–06:00 the lane groups ask for 30 "
                "officers, the pool has 0: lanes wait for officers (and 1 more time in the run)"
            ],
        ),
    ],
)
def test_a_pool_is_short_only_while_the_port_is_open(
    tmp_path: Path, hours: str, warned: list[str]
) -> None:
    """A roster of 64 from 06:00 to 22:00 (the groups ask 64 at 08:00–09:00, then 50): the
    hours the port's hours close every lane are not counted as short."""
    roster = '    schedule:\n      - {from: "06:00", to: "22:00", count: 64}\n'
    text = PORT.replace(
        '    schedule:\n      - {from: "00:00", to: "08:00", count: 40}\n'
        '      - {from: "08:00", to: "24:00", count: 60}\n',
        roster,
    ).replace("staff:\n", f"{hours}staff:\n", 1)
    assert roster in text
    code, _, err = _run(tmp_path, text)
    assert code == 0, err
    assert [line for line in err.splitlines() if "staff pool 'officers'" in line] == warned


def test_a_pool_no_group_names_is_warned_of(tmp_path: Path) -> None:
    text = PORT.replace(
        "staff:\n  - name: officers\n", "staff:\n  - {name: spare, count: 2}\n  - name: officers\n"
    )
    code, _, err = _run(tmp_path, text)
    assert code == 0, err
    assert (
        "warning: staff pool 'spare': no lane group names it (their 'staff'): its officers "
        "take no part in the run" in err.splitlines()
    )


def test_a_pool_short_on_several_days_says_so(tmp_path: Path) -> None:
    code, _, err = _run(tmp_path, PORT.replace("horizon: 1d", "horizon: 3d"))
    assert code == 0, err
    assert (
        "warning: staff pool 'officers': at 08:00–09:00 of day 1 the lane groups ask for 64 "
        "officers, the pool has 60: lanes wait for officers (and 2 more times in the run)"
        in err.splitlines()
    )


def test_a_pool_by_day_type_follows_the_calendar() -> None:
    """On duty by day type: 4 all day on normal days, 2 on the festival (the `default`
    covers the type not named); the compiled timetable changes at each day's midnight."""
    data = {
        "name": "by day type",
        "calendar": {"days": [{"type": "normal"}, {"type": "festival"}, {"type": "normal"}]},
        "staff": [
            {
                "name": "officers",
                "schedule": {
                    "default": [{"from": "00:00", "to": "24:00", "count": 4}],
                    "festival": [{"from": "00:00", "to": "24:00", "count": 2}],
                },
            }
        ],
        "flows": [{"name": "a", "arrivals": {"rate": "60/h"}, "route": ["hall"]}],
        "stages": [
            {
                "name": "hall",
                "lanes": [
                    {
                        "name": "desks",
                        "count": 3,
                        "staff": "officers",
                        "service": {"dist": "constant", "value": "10s"},
                    }
                ],
            }
        ],
    }
    model = compile_scenario(scenario_from_dict(data))
    (pool,) = model.pools
    assert pool.on_duty.initial == 4
    assert pool.on_duty.changes == ((86400.0, 2), (2 * 86400.0, 4))
    assert pool.groups == (0,)


def test_a_pool_that_lends_with_nothing_to_turn_is_warned_of(tmp_path: Path) -> None:
    text = PORT.replace(
        '    schedule:\n      - {from: "00:00", to: "08:00", count: 40}',
        '    lend: true\n    schedule:\n      - {from: "00:00", to: "08:00", count: 40}',
    )
    assert "lend: true" in text
    code, _, err = _run(tmp_path, text)
    assert code == 0, err
    assert (
        "warning: staff pool 'officers' lends, but none of its lane groups has an opening rule "
        "to ask for a lane (opening: open_above or queue_above): nothing is ever turned"
        in err.splitlines()
    )
    ruled = text.replace(
        "        staff_per_lane: 2\n",
        "        staff_per_lane: 2\n        built: 30\n        opening: {queue_above: 5}\n",
    )
    code, _, err = _run(tmp_path, ruled)
    assert code == 0, err
    assert (
        "warning: staff pool 'officers' lends, but none of its lane groups has a line to lend "
        "below (lend_below, or its rule's close_below): nothing is ever turned" in err.splitlines()
    )


def test_a_pool_and_a_lane_group_share_the_count_or_schedule_rules() -> None:
    """One helper for "a count or a schedule by day type": the most at once of a pool and
    of a lane group's plan are read the same way, and a count goes with no schedules."""
    day = (
        ScheduleEntry(start=0.0, end=3600.0, count=3),
        ScheduleEntry(start=3600.0, end=7200.0, count=5),
    )
    night = (ScheduleEntry(start=0.0, end=3600.0, count=7),)
    by_type = {"default": day, "festival": night}
    pool = StaffPool(name="officers", schedule=by_type)
    group = LaneGroup(name="desks", schedule=by_type, service={"dist": "constant", "value": 10.0})
    assert pool.most() == group.planned_most() == most_at_once(None, by_type) == 7
    assert pool.schedules() == group.schedules() == schedules_by_day_type(by_type) == by_type
    assert StaffPool(name="o", count=4).schedules() == {}
    assert StaffPool(name="o", schedule=day).schedules() == {"default": day}
    assert StaffPool(name="o", count=4).most() == 4
