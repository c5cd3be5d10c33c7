"""Opening rules as properties, on generated surges at one stage: never more than ``built``
lanes open; a lane opens only ``delay`` after the queue passed its line; lane-hours are the
integral of ``lanes_open`` plus the overtime of lanes closed while serving; on a surge the
rule lowers the p95 wait against the same lanes fixed at the plan (the same arrivals and
service times: common random numbers). Then exact event logs, derived by hand (the tie rules
of ``tests/test_event_logs.py``), of what the surges seldom reach: a step larger than the
lanes left to open or to close."""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portsim import scenario_from_dict
from portsim.results.catalog import WAIT_P95
from portsim.results.metrics import wait_stats

from .helpers import Row, const, event_log, replicate

H = 3600.0


@st.composite
def surges(draw: st.DrawFn) -> dict[str, Any]:
    """One stage with a plan of ``planned`` lanes and a rule up to ``built``, under a surge
    of Poisson arrivals that the plan cannot carry."""
    planned = draw(st.integers(1, 4))
    built = planned + draw(st.integers(1, 6))
    service = draw(st.floats(20, 90))
    surge = draw(st.floats(1.3, 3.0)) * planned / service  # arrivals a second
    by_queue = draw(st.booleans())
    opening: dict[str, Any] = {
        "step": draw(st.integers(1, 3)),
        "delay": draw(st.sampled_from([0.0, 60.0, 300.0, 600.0])),
    }
    if by_queue:
        above = draw(st.integers(0, 30))
        opening["queue_above"] = above
        if above:
            opening["queue_below"] = draw(st.integers(1, above))
    else:
        above = draw(st.floats(60, 1200))
        opening |= {"open_above": above, "close_below": above * draw(st.floats(0.1, 0.9))}
    opening["emergency_above"] = draw(st.floats(300, 2400))
    return {
        "name": "surge",
        "horizon": 6 * H,
        "flows": [{"name": "surge", "arrivals": {"rate": surge}, "route": ["hall"]}],
        "stages": [
            {
                "name": "hall",
                "lanes": [
                    {
                        "name": "counters",
                        "count": planned,
                        "built": built,
                        "service": {"dist": "exponential", "mean": service},
                        "opening": opening,
                    }
                ],
            }
        ],
        "seed": draw(st.integers(0, 1000)),
    }


def _waiting_after(records: Any, t: float) -> int:
    """Travellers waiting just after the events at ``t`` (to rounding: ``t`` is an opening
    time less the delay): joined by then, not started."""
    t += 1e-7
    return int(np.sum((records.visit_join <= t) & ~(records.visit_start <= t)))


SETTINGS = settings(max_examples=25, deadline=None)


@SETTINGS
@given(surges())
def test_the_rule_never_opens_more_than_built_and_opens_only_after_the_line_and_delay(
    data: dict[str, Any],
) -> None:
    scenario = scenario_from_dict(data)
    group = data["stages"][0]["lanes"][0]
    rule, planned, built = group["opening"], group["count"], group["built"]
    result = replicate(scenario, data["seed"], 0)
    records = result.records
    assert records is not None
    log = result.counters.lanes_open[0]
    assert all(planned <= n <= built for _, n in log)
    mean = group["service"]["mean"]
    # (time, lanes open before): nothing changes while a request is pending (the plan is
    # fixed here, and added lanes close only when none is pending)
    openings = [
        (t, before) for (_, before), (t, after) in itertools.pairwise(log) if after > before
    ]
    for (previous, _), (t, _) in itertools.pairwise(openings):
        assert t - previous >= rule["delay"] - 1e-9  # one request at a time
    for t, open_then in openings:
        asked = t - rule["delay"]
        waiting = _waiting_after(records, asked)
        if not rule["delay"]:  # those the opening itself started, on the lanes it opened
            waiting += int(np.sum((records.visit_start == t) & (records.visit_lane >= open_then)))
        if "queue_above" in rule:
            assert waiting > rule["queue_above"], (t, waiting)
        else:
            assert (waiting + 1) * mean / open_then > rule["open_above"] - 1e-9, (t, waiting)


@SETTINGS
@given(surges())
def test_lane_hours_are_the_integral_of_lanes_open_and_the_overtime(data: dict[str, Any]) -> None:
    """Staffed lane-time: the integral of the open lanes, plus the overtime of the lanes the
    rule (or the plan) closed while they served, each starting at a closing."""
    scenario = scenario_from_dict(data)
    result = replicate(scenario, data["seed"], 0)
    log = [*result.counters.lanes_open[0], (scenario.horizon, 0)]
    integral = math.fsum(n * (t1 - t0) for (t0, n), (t1, _) in itertools.pairwise(log))
    overtime = result.counters.overtime[0]
    closings = {t for (_, before), (t, after) in itertools.pairwise(log) if after < before}
    assert all(start in closings and start < end <= scenario.horizon for start, end in overtime)
    staffed = integral + math.fsum(end - start for start, end in overtime)
    assert result.table[("group", "hall", "counters", -1, "lane_hours")] == pytest.approx(
        staffed / H, rel=1e-12
    )
    emergencies = result.counters.emergencies[0]
    table = result.table
    assert table[("group", "hall", "counters", -1, "emergencies")] == len(emergencies)
    for start, length in emergencies:
        assert 0 <= start < scenario.horizon
        assert 0 <= length <= scenario.horizon - start


@SETTINGS
@given(surges())
def test_on_a_surge_the_rule_lowers_the_p95_wait_against_the_fixed_plan(
    data: dict[str, Any],
) -> None:
    ruled = scenario_from_dict(data)
    fixed_data = {**data, "stages": [{**data["stages"][0]}]}
    group = {**data["stages"][0]["lanes"][0]}
    del group["opening"]
    fixed_data["stages"][0]["lanes"] = [group]
    fixed = scenario_from_dict(fixed_data)
    runs = []
    for scenario in (ruled, fixed):
        records = replicate(scenario, data["seed"], 0).records
        assert records is not None
        order = np.argsort(records.visit_entity, kind="stable")
        runs.append(records.visit_start[order] - records.visit_join[order])
    # the same travellers (common random numbers): those whose service started in both runs
    n = min(len(runs[0]), len(runs[1]))
    both = ~np.isnan(runs[0][:n]) & ~np.isnan(runs[1][:n])
    assert int(np.sum(~np.isnan(runs[0]))) >= int(np.sum(~np.isnan(runs[1])))
    with_rule, without = (wait_stats(w[:n][both])[WAIT_P95] for w in runs)
    assert with_rule <= without + 1e-9


# ---------------------------------------------------------------------------- exact logs


def test_a_step_of_two_opens_only_up_to_built_and_closes_only_the_lanes_it_opened() -> None:
    """One lane planned, two built, a step of two, 100 s service; the rule asks for lanes
    when more than one waits (they open 60 s later) and gives them back when nobody waits.

    a comes at 0 (lane 0, 0-100); b at 10 and c at 20 wait: two wait, so at 20 lanes are
    asked for. At 80 the step would open two, but one more makes the two built: lane 1 opens
    and takes b (80-180); c still waits. At 100 lane 0 takes c (100-200); nobody waits, so
    the rule closes a step of lanes, two, but only the one it opened: lane 1 finishes b in
    overtime (100-180) and lane 0, the plan's, stays open. d comes at 150, waits (one waits:
    no request) and takes lane 0 when c leaves: 200-300. (Closing the whole step would
    close the plan's lane too: no lane open from 100, and d never served.)"""
    data = {
        "name": "a step of two",
        "horizon": 400,
        "flows": [{"name": "f", "arrivals": {"times": [0, 10, 20, 150]}, "route": ["hall"]}],
        "stages": [
            {
                "name": "hall",
                "lanes": [
                    {
                        "name": "counters",
                        "count": 1,
                        "built": 2,
                        "service": const(100),
                        "opening": {
                            "queue_above": 1,
                            "queue_below": 1,
                            "step": 2,
                            "delay": "60s",
                        },
                    }
                ],
            }
        ],
    }
    rows, _ = event_log(data)
    assert rows == [
        Row(0, 0, "hall", "counters", 0, 0, 0, 100, 100),
        Row(1, 0, "hall", "counters", 1, 10, 80, 180, 180),
        Row(2, 0, "hall", "counters", 0, 20, 100, 200, 200),
        Row(3, 0, "hall", "counters", 0, 150, 200, 300, 300),
    ]
    counters = replicate(scenario_from_dict(data), 0, 0).counters
    assert counters.lanes_open == (((0.0, 1), (80.0, 2), (100.0, 1)),)
    assert counters.overtime == (((100.0, 180.0),),)
