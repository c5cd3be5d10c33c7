"""What planners type: ``--vary`` values, variants, targets and costs, and their errors."""

from __future__ import annotations

import math

import pytest

from portsim import ScenarioError, UsageError, scenario_from_dict
from portsim.planning.conditions import limit_text, parse_condition, parse_conditions, with_pledges
from portsim.planning.plan import parse_costs
from portsim.planning.vary import (
    configuration_of,
    grid,
    parameter,
    parse_values,
    parse_variant,
    parse_vary,
    variants_parameter,
)

HALL = scenario_from_dict(
    {
        "name": "hall",
        "horizon": "2h",
        "flows": [
            {
                "name": "residents",
                "direction": "south",
                "arrivals": {"rate": "60/h"},
                "route": ["exit"],
            },
            {"name": "visitors", "arrivals": {"rate": "60/h"}, "route": ["exit", "customs"]},
        ],
        "stages": [
            {
                "name": "exit",
                "lanes": [
                    {"name": "counters", "count": 2, "service": {"dist": "constant", "value": 30}},
                    {"name": "egates", "count": 2, "service": {"dist": "constant", "value": 10}},
                ],
            },
            {
                "name": "customs",
                "lanes": [
                    {"name": "officers", "count": 1, "service": {"dist": "constant", "value": 5}}
                ],
            },
        ],
        "targets": [{"name": "pledge", "flow": "visitors", "wait_within": "15min", "share": 0.9}],
    }
)


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("8:20:2", [8, 10, 12, 14, 16, 18, 20]),
        ("8:12", [8, 9, 10, 11, 12]),
        ("8:13:2", [8, 10, 12]),
        ("0.8:1.2:0.1", [0.8, 0.9, 1.0, 1.1, 1.2]),
        ("10,12,14", [10, 12, 14]),
        ("separate, colocated", ["separate", "colocated"]),
        ("[1, 2],[3]", [[1, 2], [3]]),
        ("7", [7]),
    ],
)
def test_values(text: str, values: list[object]) -> None:
    assert parse_values(text) == values


@pytest.mark.parametrize("text", ["", "8:2", "8:20:0", "1,1", "0:100000"])
def test_bad_values(text: str) -> None:
    with pytest.raises(ValueError, match=r"."):
        parse_values(text)


def test_vary_names_its_parameter_and_levels() -> None:
    p = parse_vary("gates:stages.exit.lanes.egates.count=2:4")
    assert p.name == "gates"
    assert p.path == "stages.exit.lanes.egates.count"
    assert p.numeric
    assert [lv.label for lv in p.levels] == ["2", "3", "4"]
    words = parse_vary("clearance.mode=separate,cooperative")
    assert words.name == "clearance.mode"
    assert not words.numeric
    with pytest.raises(ScenarioError, match="expected PATH=VALUES"):
        parse_vary("stages.exit.lanes.egates.count")


def test_grid_and_configuration_keys() -> None:
    a = parameter("stages.exit.lanes.counters.count", [1, 2])
    b = variants_parameter(
        [
            parse_variant("lean:stages.exit.lanes.egates.count=1"),
            parse_variant("rich:stages.exit.lanes.egates.count=4;horizon=2h"),
        ]
    )
    configurations = grid([a, b])
    assert [c.values for c in configurations] == [
        (("stages.exit.lanes.counters.count", "1"), ("variant", "lean")),
        (("stages.exit.lanes.counters.count", "1"), ("variant", "rich")),
        (("stages.exit.lanes.counters.count", "2"), ("variant", "lean")),
        (("stages.exit.lanes.counters.count", "2"), ("variant", "rich")),
    ]
    # the key is the assignments in canonical order, whatever the order of the options
    swapped = configuration_of([b, a], [1, 0])
    assert swapped.key == configurations[1].key
    assert len({c.key for c in configurations}) == 4
    with pytest.raises(UsageError, match="varied twice"):
        grid([a, a])
    with pytest.raises(UsageError, match="two variants"):
        variants_parameter([parse_variant("x:horizon=1h"), parse_variant("x:horizon=2h")])
    with pytest.raises(UsageError, match="same seed and replications"):
        grid([variants_parameter([parse_variant("x:seed=1"), parse_variant("y:seed=2")])])


def test_conditions_read_as_a_planner_writes_them() -> None:
    t = parse_condition("visitors.wait_p95<=30min", HALL)
    assert (t.key(), t.op, t.value) == (("flow", "visitors", "", -1, "wait_p95_s"), "<=", 1800.0)
    t = parse_condition(" exit . utilization <= 85% ", HALL)
    assert t.key() == ("stage", "exit", "", -1, "utilization")
    assert t.value == pytest.approx(0.85)
    assert parse_condition("stages.exit.groups.egates.queue_max<=40", HALL).key()[:3] == (
        "group",
        "exit",
        "egates",
    )
    assert parse_condition("south.wait_mean<=90", HALL).key()[:2] == ("direction", "south")
    overall = parse_condition("wait_mean_s<=1.5min", HALL)
    assert overall.key() == ("overall", "", "", -1, "wait_mean_s")
    share = parse_condition("residents.share_within(15min)>=0.98", HALL)
    assert share.key() == ("target", "residents.share_within(15min)", "", -1, "share")
    assert share.pledge is not None
    assert share.pledge.flow == "residents"
    assert share.pledge.wait_within == 900
    hourly = parse_condition("overall.share_within(30min)>=95% each hour", HALL)
    assert hourly.hourly
    assert hourly.value == pytest.approx(0.95)
    assert hourly.pledge is not None
    assert hourly.pledge.flow is None
    assert hourly.pledge.stage is None


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("visitors.wait_p95 = 30min", "expected METRIC<=VALUE"),
        ("tourists.wait_p95<=30min", "no flow, class, stage or direction called 'tourists'"),
        ("visitors.waiting<=30min", "not a metric here"),
        ("visitors.wait_p95<=soon", "cannot read 'soon'"),
        ("visitors.share_within(15min)>=1.5", "between 0 and 1"),
        ("stages.exit.utilization<=1 each hour", "no hourly value"),
        ("south.share_within(5min)>=0.9", "overall, a flow, a class or a stage"),
        ("visitors.share_within(abc)>=0.9", "cannot read 'abc'"),
        ("visitors.share_within(0)>=0.9", "must be positive"),
        ("visitors.wait_p95<=nan", "finite number, not negative"),
        ("visitors.wait_p95<=-3min", "finite number, not negative"),
        ("stages.exit.utilization<=85", "utilization is a fraction"),
    ],
)
def test_bad_conditions_say_what_is_wrong(text: str, problem: str) -> None:
    with pytest.raises(UsageError, match=problem.replace("(", r"\(").replace(")", r"\)")):
        parse_condition(text, HALL)


def test_a_bare_number_is_seconds_in_a_share_limit_as_in_any_wait_bound() -> None:
    bare = parse_condition("visitors.share_within(90)>=0.9", HALL)
    assert bare.pledge is not None
    assert bare.pledge.wait_within == 90
    assert parse_condition("visitors.wait_p95<=90", HALL).value == 90
    assert parse_condition("stages.exit.utilization<=85%", HALL).value == pytest.approx(0.85)


def test_pledges_expand_and_are_added_once() -> None:
    (pledge,) = parse_conditions(["pledges"], HALL)
    assert pledge.text == "visitors.share_within(15min)>=0.9"
    again = parse_condition("visitors.share_within(15min)>=0.95", HALL)
    scenario = with_pledges(HALL, [pledge, again])
    assert [p.name for p in scenario.targets] == ["pledge", "visitors.share_within(15min)"]
    assert all(t.hourly for t in parse_conditions(["visitors.wait_p95<=5min"], HALL, hourly=True))
    assert [limit_text(s) for s in (900, 90, 5400, 12.5)] == ["15min", "1.5min", "1.5h", "12.5s"]
    with pytest.raises(UsageError, match="at least one target"):
        parse_conditions([], HALL)


def test_costs() -> None:
    counters = parameter("stages.exit.lanes.counters.count", [1, 2, 3])
    egates = parameter("stages.exit.lanes.egates.count", [0, 4], name="gates")
    mode = parameter("clearance.mode", ["separate", "cooperative"])
    costs = parse_costs(
        "counters=1, gates=0.3, clearance.mode.cooperative=5", [counters, egates, mode]
    )
    assert costs.of([counters, egates, mode], (2, 1, 1)) == pytest.approx(3 + 1.2 + 5)
    assert parse_costs(None, [counters, egates]).of([counters, egates], (0, 1)) == 5
    for text, problem in [
        ("counters=1", "give a cost for gates"),
        ("counters=-1,gates=1", "non-negative"),
        ("counters,gates=1", "expected NAME=COST"),
        ("officers=1,counters=1,gates=1", "no varied parameter"),
    ]:
        with pytest.raises(UsageError, match=problem):
            parse_costs(text, [counters, egates])
    assert math.isfinite(
        parse_costs({"counters": 2, "gates": 1}, [counters, egates]).weights["gates"]
    )
