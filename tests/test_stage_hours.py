"""Opening hours of a stage (issue 10): who reaches a stage while it is closed waits before it
for its opening (in ``wait_for_opening_*``, not in its queue wait), in the order they came; at
its closing it takes nobody new and serves its queue; its lanes are shut while it is closed
and empty. Exact cases against the cumulative curves of ``tests/fluid.py``: the oracle's
port is one stage, so the oracle of a stage with hours is the oracle's port fed the times
travellers reach the stage."""

from __future__ import annotations

import itertools
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from portsim import scenario_from_dict, simulate
from portsim.cli import main
from portsim.engine import FullRecorder, Unfinished
from portsim.engine.replication import default_subflows, run_replication
from portsim.model import compile_scenario
from portsim.model.overload import overload_warnings
from portsim.results.records import records_from_log

from .fluid import Hours, Steps, discrete, fluid, regular
from .helpers import replicate
from .test_days_properties import day_scenarios
from .test_streaming import assert_runs_agree

H = 3600.0
#: the first stage: one lane of 5 s (nobody queues at one arrival every 10 s), then 30 s on
#: foot to the second
FIRST, WALK = 5.0, 30.0


def _constant(value: float) -> dict[str, Any]:
    return {"dist": "constant", "value": value}


def _two_stages(
    times: list[float], lanes: int, service: float, hours: dict[str, Any], horizon: float
) -> dict[str, Any]:
    """Immigration round the clock, then customs with ``hours``."""
    return {
        "name": "customs hours",
        "horizon": horizon,
        "replications": 1,
        "flows": [{"name": "t", "arrivals": {"times": times}, "route": ["immigration", "customs"]}],
        "stages": [
            {
                "name": "immigration",
                "lanes": [{"name": "desk", "count": 1, "service": _constant(FIRST)}],
                "transfer": _constant(WALK),
            },
            {
                "name": "customs",
                "hours": hours,
                "lanes": [{"name": "desk", "count": lanes, "service": _constant(service)}],
            },
        ],
    }


def _customs(data: dict[str, Any]) -> dict[str, Any]:
    """One replication: the customs visits in entity order, each entity's wait before the
    closed stage, the customs lanes' log and the summary's opening waits."""
    result = replicate(scenario_from_dict(data), 0, 0)
    rec = result.records
    assert rec is not None
    at = rec.visit_stage == 1
    order = np.argsort(rec.visit_entity[at], kind="stable")
    assert rec.entity_stage_held is not None
    return {
        "entity": rec.visit_entity[at][order],
        "join": rec.visit_join[at][order],
        "start": rec.visit_start[at][order],
        "held": rec.entity_stage_held,
        "lanes": result.counters.lanes_open[1],
    }


def _reach(times: list[float], horizon: float = np.inf) -> list[float]:
    """When each traveller reaches customs before the horizon: the first stage's oracle (no
    queue), then the walk."""
    first = discrete(times, FIRST, Steps(1), 10**9)
    assert all(s == e for e, s in zip(first.entry, first.start, strict=True))
    return [r for s in first.start if (r := s + FIRST + WALK) < horizon]


def _same(engine: dict[str, Any], oracle: Any, reach: list[float]) -> None:
    """Traveller by traveller: entry = max(reach, opening), the same start, the same hold."""
    entered = [e for e in oracle.entry if e < np.inf]
    assert len(engine["join"]) == len(entered)
    np.testing.assert_allclose(engine["join"], entered, rtol=0, atol=1e-9)
    starts = np.asarray(oracle.start[: len(entered)], dtype=float)
    started = np.isfinite(starts)
    np.testing.assert_array_equal(~np.isnan(engine["start"]), started)
    np.testing.assert_allclose(engine["start"][started], starts[started], rtol=0, atol=1e-9)
    held = np.asarray(entered) - np.asarray(reach[: len(entered)])
    np.testing.assert_allclose(engine["held"][engine["entity"]], held, rtol=0, atol=1e-9)
    lanes = [(pytest.approx(float(t), abs=1e-9), c) for t, c in oracle.lanes]
    assert lanes == list(engine["lanes"])


def test_customs_opens_an_hour_after_travellers_reach_it() -> None:
    """One every 10 s from 5 s, through immigration (open round the clock) to customs, which
    opens at 01:00 with two lanes of 15 s: each enters at max(reach, 01:00); the night's
    held clear at 2/15 - 1/10 a second, as the curves say."""
    rates = Steps(Fraction(1, 10))
    times = [float(t) for t in regular(rates, 6 * H, Fraction(1, 2))]
    reach = _reach(times, 6 * H)
    hours = Hours(((H, 24 * H),))
    oracle = discrete(reach, 15.0, Steps(2), 6 * H, hours=hours)
    engine = _customs(_two_stages(times, 2, 15.0, {"open": "01:00", "close": "24:00"}, 6 * H))
    _same(engine, oracle, reach)
    assert engine["lanes"][:2] == ((0.0, 0), (H, 2))  # shut while closed and empty
    # the curves: customs sees the arrival curve 35 s later (the k-th reaches it when the
    # curve reaches k + 1/2: 40 + 10 k); 356.5 reach it before 01:00
    shifted = Steps(Fraction(0), ((Fraction(35), Fraction(1, 10)),))
    curves = fluid(shifted, Fraction(15), Steps(2), 6 * H, hours=hours)
    held = Fraction(int(H) - 35, 10)
    assert curves.clears[0] == (H, H + held / (Fraction(2, 15) - Fraction(1, 10)))
    assert curves.wait_for_opening == held**2 * 10 / 2  # a triangle
    # the discrete travellers are the curve's midpoints, all but the last half one
    assert abs(sum(oracle.opening_waits) - float(curves.wait_for_opening)) <= 2.5
    last = max(s for e, s in zip(oracle.entry, oracle.start, strict=True) if s > e)
    assert 0 <= float(curves.clears[0][1]) - last <= 60  # a batch of 2 ahead of the fluid


def test_customs_closes_while_travellers_are_on_their_way_to_it() -> None:
    """Customs 06:00-20:00 every day, one lane of 12 s; a surge at immigration until 20:00
    leaves a queue at customs, which it clears after 20:00 (the lane stays until it is
    empty, then closes); whoever is still on the way at 20:00, or comes later, waits
    before customs for 06:00 the next day."""
    rates = Steps(Fraction(1, 60), ((19 * H, Fraction(1, 10)), (20 * H, Fraction(1, 60))))
    times = [float(t) for t in regular(rates, 32 * H, Fraction(1, 2))]
    reach = _reach(times, 32 * H)
    hours = Hours(((6 * H, 20 * H), (30 * H, 44 * H)))
    oracle = discrete(reach, 12.0, Steps(1), 32 * H, hours=hours)
    engine = _customs(_two_stages(times, 1, 12.0, {"open": "06:00", "close": "20:00"}, 32 * H))
    _same(engine, oracle, reach)
    on_the_way = [r for t, r in zip(times, reach, strict=False) if t < 20 * H <= r]
    assert on_the_way  # left immigration before 20:00, reached customs after
    late = np.asarray(reach) >= 20 * H
    assert np.all(np.asarray(oracle.entry)[late & (np.asarray(reach) < 30 * H)] == 30 * H)
    lanes = engine["lanes"]
    shut = next(t for t, c in lanes if t > 20 * H and c == 0)
    assert 20 * H < shut < 21 * H  # the queue at the closing was served, then the lane shut
    assert (30 * H, 1) in lanes


def test_the_wait_before_a_closed_stage_is_an_opening_wait_not_a_queue_wait() -> None:
    times = [float(t) for t in regular(Steps(Fraction(1, 10)), 2 * H, Fraction(1, 2))]
    data = _two_stages(times, 4, 15.0, {"open": "01:00", "close": "24:00"}, 3 * H)
    for records in (True, False):
        s = simulate(scenario_from_dict(data), records=records).summary
        held = [max(H - r, 0.0) for r in _reach(times)]
        assert s["overall"]["wait_for_opening_max_s"]["mean"] == pytest.approx(max(held))
        assert s["overall"]["wait_for_opening_mean_s"]["mean"] == pytest.approx(np.mean(held))
        # four lanes of 15 s take the 356 held in 22 min: no queue wait near the hold's hour
        assert s["stages"]["customs"]["wait_max_s"]["mean"] < 0.5 * H


def test_the_warnings_count_those_held_at_a_closed_stage_at_its_opening() -> None:
    """Customs 08:00-20:00 with eight lanes of 15 s carries one every 10 s while open, but
    not the night's travellers, who come to it at 08:00."""
    data = _two_stages([], 8, 15.0, {"open": "08:00", "close": "20:00"}, 48 * H)
    data["flows"][0]["arrivals"] = {"every": "10s"}
    warnings = overload_warnings(compile_scenario(scenario_from_dict(data)))
    assert any("stage 'customs'" in w and "08:00-09:00 of day 2" in w for w in warnings)
    data["stages"][1].pop("hours")
    assert overload_warnings(compile_scenario(scenario_from_dict(data))) == []


BAD = [
    (
        "stage hours of an unknown day type",
        {
            "normal": {"open": "06:00", "close": "20:00"},
            "holiday": {"open": "08:00", "close": "12:00"},
        },
        True,
        "stages.customs.hours.holiday",
        "unknown day type 'holiday'",
    ),
    (
        "stage hours by day type without a calendar",
        {"normal": {"open": "06:00", "close": "20:00"}},
        False,
        "stages.customs.hours",
        "giving the opening hours by day type needs a calendar",
    ),
    (
        "a day type without stage hours",
        {"normal": {"open": "06:00", "close": "20:00"}},
        True,
        "stages.customs.hours",
        "day type 'busy' has no opening hours",
    ),
    (
        "stage hours opening and closing at once",
        {"open": "06:30", "close": "06:30"},
        False,
        "stages.customs.hours",
        "write open: 00:00, close: 24:00 for round the clock",
    ),
]


@pytest.mark.parametrize(
    ("hours", "calendar", "path", "words"), [c[1:] for c in BAD], ids=[c[0] for c in BAD]
)
def test_bad_stage_hours_exit_2_with_one_line(
    tmp_path: Path, hours: Any, calendar: bool, path: str, words: str
) -> None:
    data = _two_stages([], 1, 10.0, hours, 0)
    data["flows"][0]["arrivals"] = {"every": "1min"}
    if calendar:
        data.pop("horizon")
        data["calendar"] = {"days": [{"type": "normal"}, {"type": "busy"}]}
    else:
        data["horizon"] = "1d"
    file = tmp_path / "stage_hours.yaml"
    file.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(file)])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"{file}: {path}"), lines[0]
    assert words in lines[0]


# -- properties --------------------------------------------------------------------------------


@st.composite
def stage_hour_scenarios(draw: st.DrawFn) -> dict[str, Any]:
    """A generated scenario with days, and hours of its own on some of its stages (every day
    or by day type; the port's hours or none)."""
    data = draw(day_scenarios())
    for stage in data["stages"]:
        if not draw(st.booleans()):
            continue
        opening = draw(st.sampled_from(["00:00", "05:00", "07:00", "09:30"]))
        close = draw(st.sampled_from(["12:00", "19:00", "24:00", "01:00"]))
        stage["hours"] = {"open": opening, "close": close}
        if draw(st.booleans()):
            day_type = data["calendar"]["days"][-1]["type"]
            stage["hours"] = {
                "default": stage["hours"],
                day_type: {"open": "10:00", "close": "16:00"},
            }
    return data


class _Keeping(FullRecorder):
    """A full recorder that also keeps whom the engine reported unfinished."""

    def close(self, unfinished: Unfinished) -> None:
        self.unfinished = unfinished
        super().close(unfinished)


@settings(max_examples=30, deadline=None)
@given(stage_hour_scenarios())
def test_a_closed_stage_takes_nobody_and_nobody_is_lost(data: dict[str, Any]) -> None:
    model = compile_scenario(scenario_from_dict(data))
    recorder = _Keeping(default_subflows(model))
    log = run_replication(model, 7, 0, recorder=recorder).log
    assert log is not None
    rec = records_from_log(model, 0, log)
    started = ~np.isnan(rec.visit_start)
    assert np.all(rec.visit_start[started] >= rec.visit_join[started])  # waits >= 0
    if rec.entity_stage_held is not None:
        assert np.all(rec.entity_stage_held >= 0)
    for stage in model.stages:
        hours = stage.hours
        if hours is None:
            continue
        at = rec.visit_stage == stage.index
        join, start = rec.visit_join[at], rec.visit_start[at]
        # nobody joins while it is closed ...
        assert all(hours.is_open(t) for t in join), stage.name
        # ... and while it is closed, only those who joined before the closing start
        for (_, close), (reopen, _) in itertools.pairwise(hours.intervals):
            served = ~np.isnan(start) & (start >= close) & (start < reopen)
            assert np.all(join[served] < close), stage.name
    # nobody lost: everyone is out, or still in port at the horizon (once)
    out = np.flatnonzero(~np.isnan(rec.entity_exit))
    inside = recorder.unfinished.entity
    assert len(np.intersect1d(out, inside)) == 0
    assert len(out) + len(np.unique(inside)) == len(inside) + len(out) == rec.entities


@settings(max_examples=10, deadline=None)
@given(stage_hour_scenarios())
def test_streaming_and_exact_results_agree_with_stage_hours(data: dict[str, Any]) -> None:
    data["replications"] = 1
    assert assert_runs_agree(scenario_from_dict(data), 1, 5) >= 0


def test_those_held_before_a_stage_do_not_keep_the_port_open() -> None:
    """The port open 06:00-22:00, customs 08:00-20:00 inside it: whoever reaches customs
    after 20:00 waits in port until 08:00, but immigration's lane shuts once nobody but them
    is inside after 22:00; the next morning they clear customs first."""
    times = [float(t) for t in regular(Steps(Fraction(1, 120)), 30 * H, Fraction(1, 2))]
    data = _two_stages(times, 1, 12.0, {"open": "08:00", "close": "20:00"}, 34 * H)
    data["hours"] = {"open": "06:00", "close": "22:00"}
    engine = _customs(data)
    immigration = replicate(scenario_from_dict(data), 0, 0).counters.lanes_open[0]
    shut = [t for t, c in immigration if c == 0 and t > 0]
    assert shut[0] == pytest.approx(22 * H)  # nobody inside but those held before customs
    assert (30 * H, 1) in immigration  # the next opening
    held = engine["held"][engine["entity"]]
    morning = (engine["join"] == 32 * H) & (held > 0)
    # those who came 20:00-22:00 (in port overnight), and 22:00-06:00 (outside the port,
    # then through immigration from 06:00): one every 2 min, arrivals end at 06:00
    assert morning.sum() == (2 * H + 8 * H) / 120
    assert engine["lanes"][-1] == (32 * H, 1)
