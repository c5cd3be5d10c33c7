"""Careless input, round three (issue 23, item 6): pydantic's own phrases, duplicate names not
named, ``--vary`` called ``--set``, a whole number scaled, an unknown day type taken for a
missing one, and planning conditions that could not name a class. Each is one line before
the run (exit 2), naming the file and the field."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from portsim import scenario_from_dict
from portsim.cli import main
from portsim.errors import ScenarioError, UsageError
from portsim.planning.conditions import parse_conditions, with_pledges

from .planning_cases import COUNTERS, hall_data, write
from .test_careless_input import _file, _one_line_error
from .test_errors import BASE

#: pydantic's words, which a planner should never read
JARGON = (
    "Input should",
    "valid dictionary",
    "instance of",
    "extract fields",
    "valid tuple",
    "expected range",
    "valid date",
    "Datetimes",
    "dataclass",
)


def _base(tmp_path: Path, data: dict[str, Any] | None = None) -> Path:
    return _file(tmp_path, yaml.safe_dump(data or BASE, sort_keys=False))


# -- 1. pydantic's own phrases: what to write instead


@pytest.mark.parametrize(
    ("assignment", "expected"),
    [
        (
            "flows.residents=[1]",
            "flows.0: must be a mapping {name: …, arrivals: …, route: …}, not the list [1]",
        ),
        (
            "stages.exit_check.lanes.counters.service=[45s]",
            "stages.exit_check.lanes.counters.service: must be a mapping such as "
            "{dist: exponential, mean: …}, not the list ['45s']",
        ),
        (
            "stages.exit_check.transfer=[1]",
            "stages.exit_check.transfer: must be a mapping such as {dist: exponential, mean: …}, "
            "not the list [1]",
        ),
        (
            "flows.residents.arrivals.group=3",
            "flows.residents.arrivals.group: must be a mapping such as "
            "{dist: constant, value: …}, not the number 3",
        ),
        (
            "hours=[06:00, 22:00]",
            "hours: must be a mapping {open: …, close: …}, not the list ['06:00', '22:00']",
        ),
        ("routes=[a]", "routes: must be a mapping {NAME: …}, not the list ['a']"),
        (
            "flows={residents: 1}",
            "flows: must be a list, one '- ' line per item (or [a, b]), not the mapping "
            "{'residents': 1}",
        ),
        ("name=5", "name: must be text, not the number 5"),
        ("name=2026-02-01", "name: must be text, not the date 2026-02-01"),
    ],
)
def test_a_value_of_the_wrong_shape_says_what_to_write(
    tmp_path: Path, assignment: str, expected: str
) -> None:
    file = _base(tmp_path)
    assert _one_line_error("validate", str(file), "--set", assignment) == f"{file}: {expected}"


def _places(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path] if path else []
    items = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, list)
        else ()
    )
    for key, value in items:
        out += _places(value, (*path, key))
    return out


def _with(data: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    data = copy.deepcopy(data)
    node: Any = data
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return data


#: the base scenario with a calendar, opening hours, a schedule, a transfer, classes, a
#: pledge and a figure, so that every kind of block is somewhere
RICH = _with(
    _with(
        _with(_with(BASE, ("calendar",), {"start": "2026-02-01", "days": [{"type": "normal"}]}),
              ("hours",), {"open": "06:00", "close": "24:00"}),
        ("targets",), [{"name": "t", "wait_within": "10min", "share": 0.9}],
    ),
    ("reference",),
    [{"figure": "f", "value": 1, "source": "s", "compare_to": "overall.served"}],
)  # fmt: skip
RICH["stages"][0]["transfer"] = {"dist": "constant", "value": "1min"}
RICH["flows"][0]["classes"] = [{"name": "e", "share": 1}]
RICH["stages"][1]["lanes"][0]["schedule"] = [{"from": "0h", "to": "24h", "count": 1}]
del RICH["stages"][1]["lanes"][0]["count"]


@pytest.mark.parametrize("wrong", [[1], {"a": 1}, "text", 7])
def test_no_place_answers_in_pydantic_words(wrong: Any) -> None:
    """Every mapping and list of a scenario with every kind of block, given a list, a
    mapping, a text or a number instead: the message is the planner's, never pydantic's."""
    scenario_from_dict(RICH)
    said = []
    for path in _places(RICH):
        try:
            scenario_from_dict(_with(RICH, path, wrong))
        except ScenarioError as error:
            said.append(str(error))
    assert len(said) > 40
    assert [line for line in said if any(word in line for word in JARGON)] == []


@pytest.mark.parametrize(
    ("start", "problem"),
    [
        ("2026-02-30", "2026-02-30 is not a date: February 2026 has 28 days"),
        ("'2026-02-30'", "2026-02-30 is not a date: February 2026 has 28 days"),
        ("2025-02-29", "2025-02-29 is not a date: February 2025 has 28 days"),
        ("2026-04-31", "2026-04-31 is not a date: April 2026 has 30 days"),
        ("2026-13-01", "2026-13-01 is not a date: there is no month 13"),
        ("20260201", "20260201 is not a date: write YYYY-MM-DD, for example 2026-02-01"),
        (
            "2026-02-01T10:00:00",
            "2026-02-01 10:00:00 has a time of day: write the date alone, 2026-02-01",
        ),
    ],
)
def test_a_date_that_does_not_exist_is_named(tmp_path: Path, start: str, problem: str) -> None:
    """Written in the file (YAML reads an unquoted 2026-02-30 as a date, and failed on it
    with a traceback) or quoted (pydantic said "day value is outside expected range")."""
    text = yaml.safe_dump(BASE, sort_keys=False)
    file = _file(tmp_path, text + f"calendar:\n  start: {start}\n  days: [{{type: normal}}]\n")
    assert _one_line_error("validate", str(file)) == f"{file}: calendar.start: {problem}"
    leap = {"start": "2024-02-29", "days": [{"type": "normal"}]}
    assert scenario_from_dict(_with(BASE, ("calendar",), leap)).calendar is not None


# -- 2. a duplicate name is named


TWO_TARGETS = "[{name: t, wait_within: 1min, share: 0.5}, {name: t, wait_within: 2min, share: 1}]"
CHOICE = "[{choose: [{stage: secondary, p: 0.2}, {stage: secondary, p: 0.3}]}]"
TWICE = "[{figure: f, value: 1, source: s, compare_to: [overall.served, overall.served]}]"


@pytest.mark.parametrize(
    ("assignments", "expected"),
    [
        (["flows.visitors.name=residents"], "flows.residents: duplicate flow name 'residents'"),
        (
            ["stages.secondary.name=exit_check"],
            "stages.exit_check: duplicate stage name 'exit_check'",
        ),
        (
            ["stages.exit_check.lanes.egates.name=counters"],
            "stages.exit_check.lanes.counters: duplicate lane group name 'counters'",
        ),
        (
            [f"targets={TWO_TARGETS}"],
            "targets.t: duplicate target name 't'",
        ),
        (
            ["flows.residents.classes=[{name: e, share: 0.5}, {name: e, share: 0.5}]"],
            "flows.residents: two of its classes are called 'e': give each its own name",
        ),
        (
            [f"flows.visitors.route={CHOICE}"],
            "flows.visitors.route.0: a choice names the stage 'secondary' twice: give it once, "
            "with the sum of its probabilities",
        ),
        (
            [f"reference={TWICE}"],
            "reference.0: compare_to names overall.served twice: its value would be added twice",
        ),
        (  # the second of two flows called residents is wrong: its index says which
            ["flows.visitors.name=residents", "flows.1.arrivals={rate: fast}"],
            "flows.1.arrivals.rate: 'fast' is not a rate: write a number per second or N/s, "
            "N/min, N/h or N/d, for example 1800/h",
        ),
    ],
)
def test_a_duplicate_name_is_named(tmp_path: Path, assignments: list[str], expected: str) -> None:
    file = _base(tmp_path)
    sets = [arg for a in assignments for arg in ("--set", a)]
    assert _one_line_error("validate", str(file), *sets) == f"{file}: {expected}"


# -- 3. --vary and --variant say their own name


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["--vary", "stages.hal.lanes.counters.count=2:4"],
            "{file}: --vary stages.hal: no item 'hal' (items: hall)",
        ),
        (
            ["--vary", f"{COUNTERS}.x=2:4"],
            f"{{file}}: --vary {COUNTERS}: cannot go into 'x': the value here is not a mapping "
            "or a list",
        ),
        (
            ["--variant", "lean:stages.hall.lanes.gates.count=2"],
            "{file}: --variant stages.hall.lanes.gates: no item 'gates' (items: counters, egates)",
        ),
        (
            ["--vary", f"{COUNTERS}=2,[3"],
            f"--vary {COUNTERS}: cannot read the values '2,[3': YAML syntax error: did not find "
            "expected ',' or ']'",
        ),
        (
            ["--vary", f"{COUNTERS}=-1,2"],
            f"{{file}}: {COUNTERS}: must be greater than or equal to 0 (in the configuration "
            f"{COUNTERS}=-1)",
        ),
    ],
)
def test_vary_and_variant_problems_name_their_option(
    tmp_path: Path, args: list[str], expected: str
) -> None:
    file = write(tmp_path / "hall.yaml", hall_data("1h", 2))
    line = _one_line_error("sweep", str(file), "-q", "-w", "1", *args)
    assert line == expected.format(file=file)
    assert "--set" not in line


def test_compare_variants_name_their_option(tmp_path: Path) -> None:
    file = _base(tmp_path)
    nowhere = _one_line_error("compare", str(file), "--variant", "x:stages.nope.count=3")
    assert (
        nowhere == f"{file}: --variant stages.nope: no item 'nope' (items: exit_check, secondary)"
    )
    bad = _one_line_error("compare", str(file), "--variant", "x:stages.secondary.space=-1")
    assert bad == (
        f"{file}: stages.secondary.space: must be greater than or equal to 1 (in the variant 'x')"
    )


# -- 4. capacity --scale on a whole number


def test_scaling_a_whole_number_is_refused_in_words(tmp_path: Path) -> None:
    file = write(tmp_path / "hall.yaml", hall_data("1h", 2))
    target = "visitors.wait_p95<=5min"
    line = _one_line_error("capacity", str(file), "--scale", COUNTERS, "--target", target)
    assert line == (
        f"--scale {COUNTERS}: a whole number (4), which a factor such as 1.37 would make 5.48: "
        "scale a demand that takes any number (a daily_total, a rate), or try whole numbers "
        f"with portsim sweep --vary {COUNTERS}=LOW:HIGH"
    )
    data = hall_data("1d", 2)
    data["calendar"] = {"days": [{"type": "normal"}]}
    data["flows"][1]["arrivals"] = {"daily_total": {"normal": 2000}, "profile": [1] * 24}
    file = write(tmp_path / "days.yaml", data)
    daily = "flows.visitors.arrivals.daily_total"
    line = _one_line_error("capacity", str(file), "--scale", daily, "--target", target)
    assert line == f"--scale {daily}: it is given by day type: scale each, --scale {daily}.normal"


# -- 5. an unknown day type is not taken for a missing one


def test_a_day_type_the_calendar_lacks_is_named_not_the_one_missing(tmp_path: Path) -> None:
    """The calendar's peak day retyped ``peek`` with --set: the daily total's ``peak`` is the
    day type the calendar does not have (it used to be dropped, and ``peek`` reported as
    having no total)."""
    data = copy.deepcopy(BASE)
    data["horizon"] = "2d"
    data["calendar"] = {"days": [{"type": "normal"}, {"type": "peak"}]}
    data["flows"][1]["arrivals"]["daily_total"] = {"normal": 2400, "peak": 3000}
    file = _base(tmp_path, data)
    line = _one_line_error("validate", str(file), "--set", "calendar.days.1.type=peek")
    assert line == (
        f"{file}: flows.visitors.arrivals.daily_total.peak: unknown day type 'peak' (the "
        "calendar's: normal, peek; or 'default' for the others)"
    )
    peak = ["--set", "calendar.days=[{type: peak}]", "--set", "horizon=1d"]
    done = CliRunner().invoke(main, ["validate", str(file), *peak])
    assert done.exit_code == 0, done.stderr  # the peak day alone: the others' values dropped


# -- 7. planning conditions name a class as pledges do


def test_a_condition_names_a_class_as_a_pledge_does(tmp_path: Path) -> None:
    data = hall_data("1h", 2)
    data["flows"][1]["classes"] = [{"name": "eu", "share": 0.4}, {"name": "other", "share": 0.6}]
    data["targets"] = [{"name": "eu", "flow": "visitors.eu", "wait_within": "5min", "share": 0.9}]
    s = scenario_from_dict(data)
    texts = ["pledges", "visitors.other.wait_p95<=10min", "flows.visitors.classes.eu.served>=1"]
    pledge, other, eu = parse_conditions(texts, s)
    assert pledge.key()[:2] == ("target", "visitors.eu.share_within(5min)")
    assert pledge.pledge is not None
    assert pledge.pledge.flow == "visitors.eu"
    assert with_pledges(s, [pledge]).targets[-1].flow == "visitors.eu"
    assert other.key()[:2] == ("class", "visitors.other")
    assert eu.key()[:2] == ("class", "visitors.eu")
    with pytest.raises(UsageError, match=r"classes: visitors\.eu, visitors\.other"):
        parse_conditions(["visitors.eux.wait_p95<=5min"], s)
    file = write(tmp_path / "classes.yaml", data)
    done = CliRunner().invoke(
        main,
        ["plan", str(file), "-q", "-w", "1", "--vary", f"{COUNTERS}=3:4", "--target", "pledges",
         "--target", "visitors.other.wait_p95<=30min"],
    )  # fmt: skip
    assert done.exit_code == 0, done.stderr
    # each target in words with its evidence, and as given in the legend below
    assert "\n  share of class visitors.eu within 5 min ≥ 90%: " in done.stdout
    assert "\n  class visitors.other: 95th-percentile wait ≤ 30 min: " in done.stdout
    given = done.stdout.split("The targets as given:")[1]
    assert "  visitors.eu.share_within(5min)>=0.9\n" in given
    assert "  visitors.other.wait_p95<=30min\n" in given


# -- 8. a lane group serving nobody, a transfer's wrong field, a figure's units


@pytest.mark.parametrize(
    ("assignment", "expected"),
    [
        (
            "stages.exit_check.lanes.egates.serves=[]",
            "stages.exit_check.lanes.egates.serves: [] names nobody, so these lanes would serve "
            "nobody: name the flows they serve, or leave 'serves' out for all (count: 0 closes "
            "them)",
        ),
        (
            "stages.exit_check.transfer={shuttle: {every: 10min, seats: 40, ride: 5min}, "
            "mean: 3min}",
            "stages.exit_check.transfer.mean: unknown field for transfer with 'shuttle' (fields "
            "here: shuttle)",
        ),
        (
            "reference=[{figure: f, value: 25min, source: s, compare_to: overall.served}]",
            "reference.0.value: the figure is a duration (unit 'min'), but overall.served is a "
            "count: compare it with a metric in seconds (a wait, a time in port), or give the "
            "figure as a number",
        ),
        (
            "reference=[{figure: f, value: 400, unit: travellers a day, source: s, "
            "compare_to: overall.wait_mean_s}]",
            "reference.0.unit: 'travellers a day' is not a unit of time, but "
            "overall.wait_mean_s is a duration: write the figure as one (25min), or compare it "
            "with a count",
        ),
        (
            "reference=[{figure: f, value: 400, source: s, "
            "compare_to: [overall.served, overall.wait_mean_s]}]",
            "reference.0.compare_to: adds a duration (overall.wait_mean_s) to a count "
            "(overall.served): give metrics of one kind",
        ),
    ],
)
def test_what_the_previous_pass_noticed_is_one_line(
    tmp_path: Path, assignment: str, expected: str
) -> None:
    file = _base(tmp_path)
    assert _one_line_error("validate", str(file), "--set", assignment) == f"{file}: {expected}"


def test_a_figure_of_time_compared_with_a_wait_is_fine() -> None:
    figure = {"figure": "f", "value": "25min", "source": "s", "compare_to": "overall.wait_max_s"}
    data = _with(BASE, ("reference",), [figure])
    read = scenario_from_dict(data).reference[0]
    assert (read.value, read.unit) == (1500.0, "min")
