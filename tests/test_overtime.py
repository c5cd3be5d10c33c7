"""Staff time counts overtime: a lane that closes while serving finishes its traveller, and
stays staffed until that traveller leaves (or the lane reopens, or the horizon, whichever
comes first; only the time after the warm-up counts, as for open time).

``lane_hours`` (lane groups, stages, and by day) is open lane-time plus that overtime, and
``utilization`` is busy over staffed lane-time, so at most 1; ``lanes_open_mean`` stays the
mean of the lanes open (taking travellers). Every scenario below has timed arrivals and
``constant`` service, so each number is derived by hand in the docstring; each is asserted
with and without per-entity records (the streaming path gives the same numbers, from the
same engine counters). The tie rules are those of ``tests/test_event_logs.py``: lane
changes (URGENT) come before service ends and arrivals at the same instant.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import portsim
from portsim import scenario_from_dict
from portsim.results.rows import MetricTable

from .helpers import Row, const, event_log, replicate
from .strategies import scenarios, schedules

H = 3600.0
RECORDS = pytest.mark.parametrize("records", [True, False], ids=["records", "streaming"])


def hall(
    lanes: dict[str, Any], times: list[float], horizon: float = 200, **extra: Any
) -> dict[str, Any]:
    """One flow ``f`` arriving at ``times``, through stage ``hall`` with the lane group
    ``lanes`` (named ``counters`` unless it says)."""
    return {
        "name": "overtime",
        "horizon": horizon,
        "replications": 1,
        "flows": [{"name": "f", "arrivals": {"times": times}, "route": ["hall"]}],
        "stages": [{"name": "hall", "lanes": [{"name": "counters", **lanes}]}],
        **extra,
    }


def window(*entries: tuple[float, float, int]) -> list[dict[str, Any]]:
    """A schedule of ``(from s, to s, count)`` entries."""
    return [{"from": f"{a:g}s", "to": f"{b:g}s", "count": n} for a, b, n in entries]


def table(data: dict[str, Any], records: bool) -> MetricTable:
    """Replication 0's metric rows, with or without per-entity records."""
    result = portsim.simulate(scenario_from_dict(data), records=records, workers=1, seed=1)
    return result.tables[0]


def lanes_of(t: MetricTable, metric: str) -> tuple[float, float]:
    """(the stage's, the lane group's) value of a metric."""
    return t[("stage", "hall", "", -1, metric)], t[("group", "hall", "counters", -1, metric)]


def assert_staff(
    data: dict[str, Any],
    records: bool,
    *,
    staffed: float,
    busy: float,
    open_time: float,
    observed: float,
) -> None:
    """lane_hours = staffed seconds, utilisation = busy / staffed (stage and group alike),
    lanes_open_mean = open seconds over the observed time."""
    t = table(data, records)
    assert lanes_of(t, "lane_hours") == pytest.approx((staffed / H,) * 2, rel=1e-12)
    assert lanes_of(t, "utilization") == pytest.approx((busy / staffed,) * 2, rel=1e-12)
    mean = t[("group", "hall", "counters", -1, "lanes_open_mean")]
    assert mean == pytest.approx(open_time / observed, rel=1e-12, abs=1e-15)


# ------------------------------------------------------------------------- shared queues


PROBE = hall({"service": const(100), "schedule": window((0, 11, 1))}, [1])


@RECORDS
def test_a_lane_closed_while_serving_is_staffed_until_its_traveller_leaves(
    records: bool,
) -> None:
    """One lane open 0-11 s; the traveller comes at 1 and is served 1-101. The lane closes
    at 11 while serving: open 11 s, overtime 11-101 (90 s), staffed 101 s. Busy 100 s, so
    utilisation 100/101 ≈ 0.990 (it was 100/11 ≈ 9.09 against the open time alone);
    lanes_open_mean stays 11/200 (open lanes, not staff)."""
    rows, _ = event_log(PROBE)
    assert rows == [Row(0, 0, "hall", "counters", 0, 1, 1, 101, 101)]
    assert_staff(PROBE, records, staffed=101, busy=100, open_time=11, observed=200)
    counters = replicate(scenario_from_dict(PROBE), 1, 0).counters
    assert counters.lanes_open == (((0.0, 1), (11.0, 0)),)
    assert counters.overtime == (((11.0, 101.0),),)
    assert counters.group_overtime_time.tolist() == [90.0]


@RECORDS
def test_a_lane_reopened_before_its_traveller_leaves_is_not_counted_twice(
    records: bool,
) -> None:
    """Open 0-11 s and again from 50 s; the traveller is served 1-101. Overtime runs from
    the closing at 11 to the reopening at 50 (39 s), then the lane is open again: open
    11 + 150 = 161 s, overtime 39 s, staffed 200 s, the whole horizon once (not 161 + 90).
    The second traveller, at 120, is served 120-220 on the reopened lane (cut by the
    horizon at 200). Busy 100 + 80 = 180 s: utilisation 0.9."""
    data = hall({"service": const(100), "schedule": window((0, 11, 1), (50, 200, 1))}, [1, 120])
    rows, _ = event_log(data)
    assert rows == [
        Row(0, 0, "hall", "counters", 0, 1, 1, 101, 101),
        Row(1, 0, "hall", "counters", 0, 120, 120, None, None),
    ]
    assert_staff(data, records, staffed=200, busy=180, open_time=161, observed=200)
    counters = replicate(scenario_from_dict(data), 1, 0).counters
    assert counters.overtime == (((11.0, 50.0),),)


@RECORDS
def test_a_warm_up_that_ends_during_overtime_counts_the_rest(records: bool) -> None:
    """The probe with a 30 s warm-up: the lane closed at 11, before it; its overtime runs
    to 101, of which 30-101 (71 s) counts, and the service is busy for the same 71 s. Open
    time after the warm-up: none. Staffed 71 s, utilisation 1 (it was NaN: never open)."""
    data = {**PROBE, "warmup": 30}
    assert_staff(data, records, staffed=71, busy=71, open_time=0, observed=170)


@RECORDS
def test_the_horizon_cuts_overtime_short(records: bool) -> None:
    """The probe cut at 60 s: the traveller is still in service (1-101) at the horizon, so
    the overtime runs 11-60 (49 s) and the log ends it there. Open 11 s, staffed 60 s, busy
    59 s: utilisation 59/60."""
    data = {**PROBE, "horizon": 60}
    rows, _ = event_log(data)
    assert rows == [Row(0, 0, "hall", "counters", 0, 1, 1, None, None)]
    assert_staff(data, records, staffed=60, busy=59, open_time=11, observed=60)
    assert replicate(scenario_from_dict(data), 1, 0).counters.overtime == (((11.0, 60.0),),)


# ---------------------------------------------------------------------------- per lane


@RECORDS
def test_a_per_lane_group_counts_the_overtime_of_its_closed_lane(records: bool) -> None:
    """Two lanes with a queue each, 50 s service; two lanes 0-20 s, one from 20. a and b
    come at 0: a takes lane 0, b lane 1 (the shortest, lowest first), both served 0-50. c
    comes at 10 (lanes tied at one: lane 0's queue), d at 15 (lane 1 has fewer: its queue).
    At 20 lane 1 closes while serving b: d rejoins the shortest open lane, lane 0, behind
    c. Lane 0 serves c 50-100, d 100-150. Open 2 × 20 + 180 = 220 s; lane 1's overtime
    20-50 (30 s); staffed 250 s; busy 4 × 50 = 200 s: utilisation 0.8 (200/220 without the
    overtime)."""
    lanes = {
        "service": const(50),
        "queue": "per_lane",
        "schedule": window((0, 20, 2), (20, 200, 1)),
    }
    data = hall(lanes, [0, 0, 10, 15])
    rows, _ = event_log(data)
    assert rows == [
        Row(0, 0, "hall", "counters", 0, 0, 0, 50, 50),
        Row(1, 0, "hall", "counters", 1, 0, 0, 50, 50),
        Row(2, 0, "hall", "counters", 0, 10, 50, 100, 100),
        Row(3, 0, "hall", "counters", 0, 15, 100, 150, 150),
    ]
    assert_staff(data, records, staffed=250, busy=200, open_time=220, observed=200)
    assert replicate(scenario_from_dict(data), 1, 0).counters.overtime == (((20.0, 50.0),),)


# ------------------------------------------------------------------------ opening rules


@RECORDS
def test_an_opening_rule_that_closes_a_busy_lane_pays_its_overtime(records: bool) -> None:
    """One lane planned, two built, 100 s service; the rule asks for a lane when more than
    one waits (it opens 60 s later) and gives it back when nobody waits. a comes at 0
    (lane 0, 0-100); b at 10 and c at 20 wait: two wait, so at 20 a lane is asked for. At
    80 lane 1 opens and takes b (80-180), c still waits. At 100 lane 0 takes c (100-200);
    nobody waits, so the rule closes the lane it added while b is in service: lane 1
    finishes b in overtime, 100-180. Open 300 + 20 = 320 s, overtime 80 s, staffed 400 s;
    busy 300 s: utilisation 0.75 (300/320 without the overtime)."""
    lanes = {
        "service": const(100),
        "count": 1,
        "built": 2,
        "opening": {"queue_above": 1, "queue_below": 1, "step": 1, "delay": "60s"},
    }
    data = hall(lanes, [0, 10, 20], horizon=300)
    rows, _ = event_log(data)
    assert rows == [
        Row(0, 0, "hall", "counters", 0, 0, 0, 100, 100),
        Row(1, 0, "hall", "counters", 1, 10, 80, 180, 180),
        Row(2, 0, "hall", "counters", 0, 20, 100, 200, 200),
    ]
    assert_staff(data, records, staffed=400, busy=300, open_time=320, observed=300)
    counters = replicate(scenario_from_dict(data), 1, 0).counters
    assert counters.lanes_open == (((0.0, 1), (80.0, 2), (100.0, 1)),)
    assert counters.overtime == (((100.0, 180.0),),)


# ---------------------------------------------------------------------------- days


@RECORDS
def test_overtime_past_midnight_counts_on_each_day_for_its_part(records: bool) -> None:
    """Three days, one lane 20:00-23:30 every day; one traveller at 23:20 of day 1 served
    for an hour, to 00:20 of day 2. Overtime 23:30-00:20: 30 min on day 1, 20 min on day
    2. Lane-hours by day: 3.5 + 0.5 = 4, 3.5 + 1/3, 3.5; the run's 34/3 (their sum);
    busy 1 h: utilisation 3/34."""
    data = hall(
        {"service": const("1h"), "schedule": [{"from": "20:00", "to": "23:30", "count": 1}]},
        [23 * H + 20 * 60],
        horizon=3 * 24 * H,
    )
    t = table(data, records)
    days = [t[("group", "hall", "counters", d, "day_lane_hours")] for d in range(3)]
    assert days == pytest.approx([4.0, 3.5 + 1 / 3, 3.5], rel=1e-12)
    assert sum(days) == pytest.approx(34 / 3, rel=1e-12)
    assert lanes_of(t, "lane_hours") == pytest.approx((34 / 3,) * 2, rel=1e-12)
    assert lanes_of(t, "utilization") == pytest.approx((3 / 34,) * 2, rel=1e-12)
    most = [t[("group", "hall", "counters", d, "day_lanes_open_max")] for d in range(3)]
    assert most == [1, 1, 1]  # lanes open, not staff


def overtime_in_records(result: Any, group: int, warmup: float, horizon: float) -> float:
    """The overtime seconds after the warm-up, from the visit records and the log of open
    lanes alone: each service's time on a lane at or above the lanes open then."""
    rec = result.records
    log = [*result.counters.lanes_open[group], (horizon, 0)]
    total = []
    for row in np.flatnonzero((rec.visit_group == group) & ~np.isnan(rec.visit_start)):
        lane, start, end = rec.visit_lane[row], rec.visit_start[row], rec.visit_end[row]
        end = horizon if np.isnan(end) else end
        for (t0, count), (t1, _) in itertools.pairwise(log):
            if lane >= count:
                lo, hi = max(t0, start, warmup), min(t1, end)
                total.append(max(hi - lo, 0.0))
    return math.fsum(total)


def test_streaming_gives_the_same_staff_rows_as_the_records() -> None:
    """A rule that opens a second lane every few minutes under a traveller every 30 s (45 s
    service), and closes it while it serves. With and without records, lane_hours is the
    open lane-time plus the overtime read off the records (each service's time on a closed
    lane), utilisation busy over that; every staff row is the same number both ways."""
    lanes = {
        "service": const(45),
        "schedule": window((0, 1800, 1), (1800, 5400, 2), (5400, 7200, 1)),
        "built": 4,
        "opening": {"queue_above": 2, "queue_below": 1, "step": 1, "delay": "30s"},
    }
    data = hall(lanes, [30.0 * k for k in range(240)], horizon=7200, warmup=600)
    result = replicate(scenario_from_dict(data), 1, 0)
    overtime = overtime_in_records(result, 0, 600, 7200)
    assert overtime > 300  # the rule closed busy lanes
    open_time = result.counters.group_open_time[0]
    exact, streamed = table(data, True), table(data, False)
    for t in (exact, streamed):
        assert lanes_of(t, "lane_hours") == pytest.approx(
            ((open_time + overtime) / H,) * 2, rel=1e-12
        )
    staff = [k for k in exact if k[4] in {"lane_hours", "utilization", "lanes_open_mean"}]
    assert len(staff) == 5
    assert {k: streamed[k] for k in staff} == {k: exact[k] for k in staff}


# ----------------------------------------------------------------------------- property


@st.composite
def rushed_closings(draw: st.DrawFn) -> dict[str, Any]:
    """One stage whose lane groups close often while busy: a schedule (and a rule on some),
    1 to 30 minutes of service against 20 or 60 arrivals an hour, mostly more than the
    lanes can serve, so that a closing lane is usually serving."""
    groups = []
    for g in range(draw(st.integers(1, 2))):
        group: dict[str, Any] = {
            "name": f"g{g}",
            "service": {"dist": "constant", "value": draw(st.integers(60, 1800))},
            "schedule": draw(schedules()),
        }
        if g == 0:  # open from midnight: every horizon serves somebody
            first = group["schedule"][0]
            first["from"], first["count"] = "0h", max(first["count"], 1)
        if draw(st.booleans()):
            group["queue"] = "per_lane"
        if draw(st.booleans()):
            most = max(e["count"] for e in group["schedule"])
            group["built"] = most + draw(st.integers(1, 3))
            above = draw(st.integers(1, 5))
            below = draw(st.integers(1, above))
            group["opening"] = {"queue_above": above, "queue_below": below, "step": 1}
        groups.append(group)
    return {
        "name": "rushed",
        "horizon": draw(st.sampled_from(["6h", "1d"])),
        "warmup": draw(st.sampled_from([0, "30min", "2h"])),
        "seed": draw(st.integers(0, 2**32)),
        "flows": [
            {
                "name": "f",
                "arrivals": {"rate": draw(st.sampled_from(["20/h", "60/h"]))},
                "route": ["hall"],
            }
        ],
        "stages": [{"name": "hall", "lanes": groups}],
    }


@settings(deadline=None)
@given(st.one_of(scenarios(), rushed_closings()))
def test_utilisation_never_passes_one(data: dict[str, Any]) -> None:
    """Busy lane-time never exceeds staffed lane-time, at a stage or a lane group: a lane
    serves only while open or in overtime, one traveller at a time. On generated ports, and
    on stages whose closings catch lanes serving all the time (schedules and rules)."""
    metrics = portsim.simulate(scenario_from_dict(data), replications=1, seed=3).per_replication[0]
    for stage in metrics["stages"].values():
        for block in [stage, *stage["groups"].values()]:
            utilization = block["utilization"]
            assert math.isnan(utilization) or utilization <= 1 + 1e-12, utilization
