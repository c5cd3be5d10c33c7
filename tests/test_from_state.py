"""Forecasts from a state observed now (``--from-state``): exact event logs derived by hand.

Every scenario has constant service and deterministic arrivals, so every row is known in
advance; each test derives it in its docstring. The rules (``engine/initial.py``): at the
state's time ``at``, first of everything due then, the observed lanes open, the observed
services start (lanes from 0; a given remaining time, or a whole fresh service), then the
observed queues join in the order the state gives them, each as an arrival at ``at``; a new
arrival at ``at`` itself comes after them; a timetable change at ``at`` comes after the
state, a later one when it is due. Entity ids: the observed travellers first, in that order.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from portsim import Scope, compare, scenario_from_dict, simulate
from portsim.errors import ScenarioError
from portsim.model.compile import compile_scenario
from portsim.model.initial import MOST_WAITING, start_from, state_warnings
from portsim.report import format_report
from portsim.report.forecast import forecast_heading
from portsim.scenario.state import state_from_dict

from .helpers import Row, const, run_model, visit_rows
from .test_batch_theory import assert_student_t

HOUR = 3600.0


def port(flows: list[dict[str, Any]], stages: list[dict[str, Any]], **parts: Any) -> dict[str, Any]:
    return {"name": "from state", "horizon": "2h", "flows": flows, "stages": stages, **parts}


def counters(count: int | None, service: float, **more: Any) -> dict[str, Any]:
    group: dict[str, Any] = {"name": "counters", "service": const(service), **more}
    if count is not None:
        group["count"] = count
    return {"name": "passport", "lanes": [group]}


def log_from(data: dict[str, Any], state: dict[str, Any]) -> tuple[list[Row], list[Any]]:
    """Every visit row of replication 0 started from ``state``, and each entity's (flow,
    arrival, exit)."""
    model = start_from(compile_scenario(scenario_from_dict(data)), state_from_dict(state))
    records = run_model(model, 0, 0).records
    assert records is not None
    entities = [
        (records.flow_names[f], float(a), None if math.isnan(e) else float(e))
        for f, a, e in zip(
            records.entity_flow, records.entity_arrival, records.entity_exit, strict=True
        )
    ]
    return visit_rows(records), entities


NO_ARRIVALS = {"name": "f", "arrivals": {"times": [60]}, "route": ["passport"]}
"""A flow whose one arrival (at 00:01) comes before every state's time: no new arrival."""


def test_a_queue_at_constant_counters_empties_at_a_known_instant() -> None:
    """2 counters of 60 s at 01:00 (3600): two in service with 10 s and 30 s left, five
    waiting; no one arrives after.

    e0 lane 0 ends 3610, e1 lane 1 ends 3630. The queue, e2 … e6, joined at 3600: e2 takes
    lane 0 at 3610 (ends 3670), e3 lane 1 at 3630 (3690), e4 lane 0 at 3670 (3730), e5 lane 1
    at 3690 (3750), e6 lane 0 at 3730 (3790): the queue is empty at 3730, the hall at 3790.
    Waits 0, 0, 10, 30, 70, 90, 130 s."""
    data = port([NO_ARRIVALS], [counters(2, 60)])
    state = {
        "at": "01:00",
        "stages": {"passport": {"counters": {"in_service": {"f": [10, 30]}, "waiting": {"f": 5}}}},
    }
    rows, entities = log_from(data, state)
    assert rows == [
        Row(0, 0, "passport", "counters", 0, 3600, 3600, 3610, 3610),
        Row(1, 0, "passport", "counters", 1, 3600, 3600, 3630, 3630),
        Row(2, 0, "passport", "counters", 0, 3600, 3610, 3670, 3670),
        Row(3, 0, "passport", "counters", 1, 3600, 3630, 3690, 3690),
        Row(4, 0, "passport", "counters", 0, 3600, 3670, 3730, 3730),
        Row(5, 0, "passport", "counters", 1, 3600, 3690, 3750, 3750),
        Row(6, 0, "passport", "counters", 0, 3600, 3730, 3790, 3790),
    ]
    assert [start - join for *_, join, start, _, _ in rows] == [0, 0, 10, 30, 70, 90, 130]
    assert entities == [("f", 3600.0, row.exit) for row in rows]


def test_a_count_in_service_starts_a_whole_service_at_the_state_time() -> None:
    """1 counter of 60 s at 01:00, one in service given as a count (a fresh draw of the
    whole service: 60 s from 3600), one waiting: 3600–3660, then 3660–3720."""
    data = port([NO_ARRIVALS], [counters(1, 60)])
    state = {
        "at": 3600,
        "stages": {"passport": {"counters": {"in_service": {"f": 1}, "waiting": {"f": 1}}}},
    }
    rows, _ = log_from(data, state)
    assert rows == [
        Row(0, 0, "passport", "counters", 0, 3600, 3600, 3660, 3660),
        Row(1, 0, "passport", "counters", 0, 3600, 3660, 3720, 3720),
    ]


def test_new_arrivals_follow_the_observed_queue() -> None:
    """1 counter of 60 s at 01:00: e0 in service with 20 s left, e1 e2 waiting. Arrivals at
    1800 (before the state: none), 3600 (at the state's time: after the observed, e3),
    3650 (e4) and 3800 (e5).

    e0 ends 3620; e1 3620–3680; e2 3680–3740; e3 3740–3800. At 3800 e5's arrival (scheduled
    at 3650) comes before e3's service end (scheduled at 3740): e5 joins behind e4, who
    starts at 3800 (ends 3860); e5 3860–3920. Waits 0, 20, 80, 140, 150, 60 s."""
    flow = {"name": "f", "arrivals": {"times": [1800, 3600, 3650, 3800]}, "route": ["passport"]}
    data = port([flow], [counters(1, 60)])
    state = {
        "at": "01:00",
        "stages": {"passport": {"counters": {"in_service": {"f": [20]}, "waiting": {"f": 2}}}},
    }
    rows, entities = log_from(data, state)
    assert rows == [
        Row(0, 0, "passport", "counters", 0, 3600, 3600, 3620, 3620),
        Row(1, 0, "passport", "counters", 0, 3600, 3620, 3680, 3680),
        Row(2, 0, "passport", "counters", 0, 3600, 3680, 3740, 3740),
        Row(3, 0, "passport", "counters", 0, 3600, 3740, 3800, 3800),
        Row(4, 0, "passport", "counters", 0, 3650, 3800, 3860, 3860),
        Row(5, 0, "passport", "counters", 0, 3800, 3860, 3920, 3920),
    ]
    assert [a for _, a, _ in entities] == [3600, 3600, 3600, 3600, 3650, 3800]
    assert [start - join for *_, join, start, _, _ in rows] == [0, 20, 80, 140, 150, 60]


def test_observed_lanes_hold_until_the_plan_changes_then_a_lane_opens() -> None:
    """Counters of 600 s planned 1 until 01:30, then 3; observed at 01:00 with 2 open and 7
    waiting (e0 … e6).

    The 2 observed lanes hold (not the plan's 1): e0 lane 0 and e1 lane 1, 3600–4200; e2
    lane 0 and e3 lane 1, 4200–4800; e4 lane 0 and e5 lane 1, 4800–5400. At 5400 the plan
    opens lane 2 (URGENT, before the service ends at 5400): e6 takes it, 5400–6000."""
    schedule = [
        {"from": "00:00", "to": "01:30", "count": 1},
        {"from": "01:30", "to": "24:00", "count": 3},
    ]
    data = port([NO_ARRIVALS], [counters(None, 600, schedule=schedule)])
    state = {"at": "01:00", "stages": {"passport": {"counters": {"open": 2, "waiting": {"f": 7}}}}}
    rows, _ = log_from(data, state)
    assert rows == [
        Row(0, 0, "passport", "counters", 0, 3600, 3600, 4200, 4200),
        Row(1, 0, "passport", "counters", 1, 3600, 3600, 4200, 4200),
        Row(2, 0, "passport", "counters", 0, 3600, 4200, 4800, 4800),
        Row(3, 0, "passport", "counters", 1, 3600, 4200, 4800, 4800),
        Row(4, 0, "passport", "counters", 0, 3600, 4800, 5400, 5400),
        Row(5, 0, "passport", "counters", 1, 3600, 4800, 5400, 5400),
        Row(6, 0, "passport", "counters", 2, 3600, 5400, 6000, 6000),
    ]


def test_travellers_resume_their_route_at_the_second_stage() -> None:
    """Route security (1 lane, 30 s) then passport (1 lane, 60 s); observed at 01:00: one
    waiting at security (e0), two at passport (e1 e2, their first visit done: step 1).

    e0 finds security's lane free: 3600–3630, then joins passport at 3630. e1 takes
    passport's lane at 3600 (ends 3660), e2 queued at 3600 starts 3660 (ends 3720), e0 at
    3720 (ends 3780)."""
    flow = {"name": "f", "arrivals": {"times": [60]}, "route": ["security", "passport"]}
    security = {
        "name": "security",
        "lanes": [{"name": "scanners", "count": 1, "service": const(30)}],
    }
    data = port([flow], [security, counters(1, 60)])
    state = {
        "at": "01:00",
        "stages": {
            "security": {"scanners": {"waiting": {"f": 1}}},
            "passport": {"counters": {"waiting": {"f": 2}}},
        },
    }
    rows, _ = log_from(data, state)
    assert rows == [
        Row(0, 0, "security", "scanners", 0, 3600, 3600, 3630, 3780),
        Row(0, 1, "passport", "counters", 0, 3630, 3720, 3780, 3780),
        Row(1, 1, "passport", "counters", 0, 3600, 3600, 3660, 3660),
        Row(2, 1, "passport", "counters", 0, 3600, 3660, 3720, 3720),
    ]


def test_an_opening_rule_acts_on_the_observed_queue() -> None:
    """Counters of 60 s, 1 planned and 3 built, opening one more lane when the expected wait
    passes 100 s, 30 s after asking. Observed at 01:00: 4 waiting (e0 … e3).

    e0 takes the lane at 3600; the queue of 3 gives an expected wait (3 + 1) × 60 = 240 s
    > 100 s: a lane is asked for, open at 3630: e1 takes lane 1 at 3630 (ends 3690). e2 is
    then the only one waiting: (1 + 1) × 60 / 2 = 60 s, under 100 s: no third lane. e0 ends
    3660: e2 lane 0, 3660–3720; e1 ends 3690: e3 lane 1, 3690–3750."""
    rule = {"open_above": 100, "delay": 30}
    data = port([NO_ARRIVALS], [counters(1, 60, built=3, opening=rule)])
    state = {"at": "01:00", "stages": {"passport": {"counters": {"waiting": {"f": 4}}}}}
    rows, _ = log_from(data, state)
    assert rows == [
        Row(0, 0, "passport", "counters", 0, 3600, 3600, 3660, 3660),
        Row(1, 0, "passport", "counters", 1, 3600, 3630, 3690, 3690),
        Row(2, 0, "passport", "counters", 0, 3600, 3660, 3720, 3720),
        Row(3, 0, "passport", "counters", 1, 3600, 3690, 3750, 3750),
    ]


def test_a_forecast_counts_from_the_state_time_and_says_when_a_pledge_is_missed() -> None:
    """The run's own outputs from ``at`` on: the warm-up is the state's time, and the
    observed travellers are counted (their waits from ``at``): in the first test's state,
    7 served, mean wait (0 + 0 + 10 + 30 + 70 + 90 + 130) / 7 = 330 / 7 s."""
    data = port([NO_ARRIVALS], [counters(2, 60)], replications=2)
    data["targets"] = [{"name": "95 % within 1 min", "wait_within": "1min", "share": 0.95}]
    state = {
        "at": "01:00",
        "stages": {"passport": {"counters": {"in_service": {"f": [10, 30]}, "waiting": {"f": 5}}}},
    }
    result = simulate(scenario_from_dict(data), from_state=state)
    assert result.model.warmup == HOUR
    overall = result.to_dict()["overall"]
    assert overall["served"]["mean"] == 7
    assert overall["wait_mean_s"]["mean"] == pytest.approx(330 / 7)
    text = format_report(result)
    assert "Forecast from the state observed at 01:00 (7 travellers waiting or in service)" in text
    # 4 of the 7 (waits 0, 0, 10, 30) within a minute: 57 %, missed in the hour of the state
    assert "95 % within 1 min (all travellers): surely first missed in 01:00–02:00 — 57.1%" in text
    assert "00:00–01:00" not in text  # the hours before the state are not shown
    assert "warm-up" not in text.splitlines()[0]


def test_the_state_is_checked_against_the_scenario() -> None:
    data = port([NO_ARRIVALS], [counters(2, 60)])
    model = compile_scenario(scenario_from_dict(data))
    with pytest.raises(ScenarioError) as caught:
        start_from(model, state_from_dict({"at": "01:00", "stages": {"hall": {}}}))
    assert str(caught.value) == "stages.hall: no such stage (stages: passport)"


def test_a_state_may_open_more_lanes_than_planned_up_to_those_built() -> None:
    """Counters of 600 s, 3 built, planned 1 until 01:15 and 2 after; observed at 01:00 with
    3 open and 7 waiting (e0 … e6).

    e0 e1 e2 take lanes 0 1 2, 3600–4200; e3 e4 e5 follow, 4200–4800. At 4500 the plan's 2
    lanes close lane 2 while e5 is served: its overtime runs 4500–4800. At 4800 e3 ends first
    (scheduled first) and lane 0 takes e6, 4800–5400; closed lane 2 takes nobody."""
    schedule = [
        {"from": "00:00", "to": "01:15", "count": 1},
        {"from": "01:15", "to": "24:00", "count": 2},
    ]
    data = port([NO_ARRIVALS], [counters(None, 600, schedule=schedule, built=3)])
    state = {"at": "01:00", "stages": {"passport": {"counters": {"open": 3, "waiting": {"f": 7}}}}}
    rows, _ = log_from(data, state)
    assert rows == [
        Row(0, 0, "passport", "counters", 0, 3600, 3600, 4200, 4200),
        Row(1, 0, "passport", "counters", 1, 3600, 3600, 4200, 4200),
        Row(2, 0, "passport", "counters", 2, 3600, 3600, 4200, 4200),
        Row(3, 0, "passport", "counters", 0, 3600, 4200, 4800, 4800),
        Row(4, 0, "passport", "counters", 1, 3600, 4200, 4800, 4800),
        Row(5, 0, "passport", "counters", 2, 3600, 4200, 4800, 4800),
        Row(6, 0, "passport", "counters", 0, 3600, 4800, 5400, 5400),
    ]
    model = start_from(compile_scenario(scenario_from_dict(data)), state_from_dict(state))
    counters_ = run_model(model, 0, 0).counters
    assert counters_.lanes_open == (((0.0, 1), (3600.0, 3), (4500.0, 2)),)
    assert counters_.overtime == (((4500.0, 4800.0),),)


def test_an_observed_queue_at_exponential_counters_clears_as_theory_says() -> None:
    """4 counters, exponential service of mean 60 s, all busy at 01:00 (a count: fresh draws,
    exact by memorylessness) with 20 waiting and no one arriving after. While every counter
    is busy, services end as a Poisson process of rate 4 / 60 s: the j-th in the queue starts
    after j ends, so waits j × 15 s on average; the mean over the 20 is 10.5 × 15 = 157.5 s,
    and the queue is empty after 20 × 15 = 300 s on average. Student-t over 200
    replications."""
    service = {"dist": "exponential", "mean": 60}
    data = port(
        [NO_ARRIVALS],
        [{"name": "passport", "lanes": [{"name": "counters", "count": 4, "service": service}]}],
    )
    state = {
        "at": "01:00",
        "stages": {"passport": {"counters": {"in_service": {"f": 4}, "waiting": {"f": 20}}}},
    }
    model = start_from(compile_scenario(scenario_from_dict(data)), state_from_dict(state))
    waits, emptied = [], []
    for replication in range(200):
        records = run_model(model, 5, replication).records
        assert records is not None
        queued = records.visit_entity >= 4  # the 20 who waited
        waits.append(float(np.mean(records.visit_start[queued] - records.visit_join[queued])))
        emptied.append(float(records.visit_start.max()) - HOUR)
    assert_student_t(np.array(waits), 10.5 * 15)
    assert_student_t(np.array(emptied), 20 * 15)


def test_variants_from_one_state_share_their_random_numbers() -> None:
    """4 or 6 counters from the same state, exponential service, Poisson arrivals: the same
    arrivals after the state's time, and each traveller (observed or new) the same service
    time in both (drawn by its number within its flow)."""
    service = {"dist": "exponential", "mean": 60}
    flow = {"name": "f", "arrivals": {"rate": "200/h"}, "route": ["passport"]}
    state = {
        "at": "01:00",
        "stages": {"passport": {"counters": {"in_service": {"f": 3}, "waiting": {"f": 30}}}},
    }
    logs = []
    for count in (4, 6):
        group = {"name": "counters", "count": count, "service": service}
        data = port([flow], [{"name": "passport", "lanes": [group]}])
        model = start_from(compile_scenario(scenario_from_dict(data)), state_from_dict(state))
        records = run_model(model, 9, 0).records
        assert records is not None
        logs.append(records)
    four, six = logs
    assert four.entity_arrival.tobytes() == six.entity_arrival.tobytes()
    assert np.all(four.entity_arrival[:33] == HOUR)
    assert np.all(four.entity_arrival[33:] > HOUR)
    served = ~np.isnan(four.visit_end) & ~np.isnan(six.visit_end)
    assert served.sum() > 100
    # the same draws, to the rounding of (start + service) - start at different starts
    np.testing.assert_allclose(
        (four.visit_end - four.visit_start)[served],
        (six.visit_end - six.visit_start)[served],
        rtol=0,
        atol=1e-9,
    )
    assert not np.array_equal(four.visit_start[served], six.visit_start[served])


def test_python_takes_a_state_as_data_a_path_or_a_state(tmp_path: Any) -> None:
    """``simulate`` and ``compare`` take the state as plain data, a file's path or a
    :class:`State`, and give the same numbers."""
    data = port([NO_ARRIVALS], [counters(2, 60)], replications=2)
    plain = {"at": "01:00", "stages": {"passport": {"counters": {"waiting": {"f": 5}}}}}
    path = tmp_path / "now.yaml"
    path.write_text(
        'at: "01:00"\nstages: {passport: {counters: {waiting: {f: 5}}}}\n', encoding="utf-8"
    )
    scenario = scenario_from_dict(data)
    runs = [
        simulate(scenario, from_state=given)
        for given in (plain, path, str(path), state_from_dict(plain))
    ]
    # waits 0, 0, 60, 60, 120: mean 48 s
    assert [r.to_dict()["overall"]["wait_mean_s"]["mean"] for r in runs] == [48.0] * 4
    more = scenario_from_dict({**data, "stages": [counters(3, 60)]})
    comparison = compare({"two": scenario, "three": more}, from_state=path)
    # three lanes: waits 0, 0, 0, 60, 60: mean 24 s, 24 s less than with two, in every pair
    difference = comparison.differences["three - two"].stat(Scope("overall"), "wait_mean_s")
    assert difference.mean == -24.0
    with pytest.raises(ScenarioError, match=r"^stages\.passport\.counters\.waiting\.g: "):
        simulate(
            scenario,
            from_state={"at": 3600, "stages": {"passport": {"counters": {"waiting": {"g": 1}}}}},
        )


def test_a_state_whose_open_hides_a_constant_count_is_warned_of() -> None:
    """The state opens 2 at 01:00; the plan's count is constant. With count 2 the state and
    the plan agree: no warning. With count 4 (a variant's decision) the plan never changes
    after 01:00, so the state's 2 stay open all the rest of the run: said in one line. A
    schedule changing at 01:00 is a decision taken now (the state holds until then): no
    warning, and neither without ``open``."""
    state = {"at": "01:00", "stages": {"passport": {"counters": {"open": 2}}}}

    def warnings(group: dict[str, Any], given: dict[str, Any] = state) -> list[str]:
        model = compile_scenario(scenario_from_dict(port([NO_ARRIVALS], [group])))
        return state_warnings(start_from(model, state_from_dict(given)))

    assert warnings(counters(2, 60)) == []
    assert warnings(counters(4, 60)) == [
        "stages.passport.counters: the state has 2 open and the plan (4) does not change from "
        "01:00 on, so 2 stay open all the rest of the run; to open 4 from 01:00, give the plan "
        "as a schedule that changes at 01:00, or leave open out of the state"
    ]
    schedule = [
        {"from": "00:00", "to": "01:00", "count": 2},
        {"from": "01:00", "to": "24:00", "count": 4},
    ]
    assert warnings(counters(None, 60, schedule=schedule)) == []
    no_open = {"at": "01:00", "stages": {"passport": {"counters": {"waiting": {"f": 1}}}}}
    assert warnings(counters(4, 60), no_open) == []
    ruled = counters(4, 60, built=6, opening={"open_above": 600})
    assert warnings(ruled) == [  # an opening rule opens more past its line: said so
        "stages.passport.counters: the state has 2 open and the plan (4) does not change from "
        "01:00 on, so 2 are the plan all the rest of the run (the opening rule opens more only "
        "past its line); to open 4 from 01:00, give the plan as a schedule that changes at "
        "01:00, or leave open out of the state"
    ]


def test_a_state_at_a_group_of_a_staff_pool_is_placed_or_refused_in_one_line() -> None:
    """A pool of 1 officer for counters planned 2 (once refused outright: it crashed with
    more in service than the pool opened lanes). Travellers in service need the group's open
    (the lanes whose officers serve them); open lanes need officers on duty: each refused in
    one line. Open 1 at 01:00 with e0 in service (30 s left) and e1 waiting: e0 3600–3630,
    e1 3630–3690. At a group of no pool a state is placed as ever."""
    pooled = {"name": "passport", "lanes": [{**counters(2, 60)["lanes"][0], "staff": "officers"}]}
    data = port(
        [NO_ARRIVALS, {"name": "g", "arrivals": {"times": [60]}, "route": ["exit"]}],
        [pooled, {"name": "exit", "lanes": [{"name": "gate", "count": 1, "service": const(60)}]}],
        staff=[{"name": "officers", "count": 1}],
    )
    model = compile_scenario(scenario_from_dict(data))
    problems = {
        "stages.passport.counters.open: 2 travellers in service at a lane group of staff pool "
        "officers: give open (the lanes whose officers serve them)": {
            "in_service": {"f": [30, 30]}
        },
        "stages.passport.counters.open: the open lanes need 2 officers of staff pool officers "
        "(2 lanes × 1 at passport.counters), but it has 1 on duty at 01:00": {"open": 2},
    }
    for problem, observed in problems.items():
        state = {"at": "01:00", "stages": {"passport": {"counters": observed}}}
        with pytest.raises(ScenarioError) as caught:
            start_from(model, state_from_dict(state))
        assert str(caught.value) == problem
    observed = {"open": 1, "in_service": {"f": [30]}, "waiting": {"f": 1}}
    rows, _ = log_from(data, {"at": "01:00", "stages": {"passport": {"counters": observed}}})
    assert rows == [
        Row(0, 0, "passport", "counters", 0, 3600, 3600, 3630, 3630),
        Row(1, 0, "passport", "counters", 0, 3600, 3630, 3690, 3690),
    ]
    rows, _ = log_from(data, {"at": "01:00", "stages": {"exit": {"gate": {"waiting": {"g": 2}}}}})
    assert rows == [  # no arrival before 01:00; the 2 observed, one by one
        Row(0, 0, "exit", "gate", 0, 3600, 3600, 3660, 3660),
        Row(1, 0, "exit", "gate", 0, 3600, 3660, 3720, 3720),
    ]


def test_an_implausible_queue_is_refused_before_the_run() -> None:
    """More than MOST_WAITING (100,000) waiting at one group is a typing slip: refused in one
    line; exactly 100,000 is placed."""
    model = compile_scenario(scenario_from_dict(port([NO_ARRIVALS], [counters(2, 60)])))

    def state(waiting: int) -> Any:
        return state_from_dict(
            {"at": "01:00", "stages": {"passport": {"counters": {"waiting": {"f": waiting}}}}}
        )

    assert start_from(model, state(MOST_WAITING)).initial is not None
    with pytest.raises(ScenarioError) as caught:
        start_from(model, state(MOST_WAITING + 1))
    assert str(caught.value) == (
        "stages.passport.counters.waiting: 100,001 waiting: more than 100,000 at one lane "
        "group is implausible (a typing slip?)"
    )


def test_a_forecast_warns_of_no_hour_before_its_state_and_compares_no_whole_day_figure() -> None:
    """One 60 s counter, arrivals at 2 a minute in 06:00-07:00 (load 2) and none after. From
    00:00 the morning peak is warned of; a forecast from 08:00 does not run it, so it says
    nothing of it. The scenario's documented figure (a day's travellers) describes the run
    from 00:00: the forecast does not judge it, and says why."""
    profile = [0] * 6 + [1] + [0] * 17
    flow = {
        "name": "f",
        "arrivals": {"daily_total": 120, "profile": profile},
        "route": ["passport"],
    }
    data = port([flow], [counters(1, 60)], horizon="12h")
    data["reference"] = [
        {"figure": "travellers a day", "value": 120, "source": "s", "compare_to": "overall.served"}
    ]
    whole = simulate(scenario_from_dict(data), 2)
    assert any("06:00-07:00" in w for w in whole.warnings)
    assert len(whole.summary.run.figures) == 1
    forecast = simulate(scenario_from_dict(data), 2, from_state={"at": "08:00"})
    assert not any("06:00" in w for w in forecast.warnings)
    assert forecast.summary.run.figures == ()
    assert forecast.summary.run.validation is None
    assert (
        "the scenario's 1 documented figure is not compared in a forecast from a state: it "
        "describes the run from 00:00, the forecast only what follows the state"
    ) in forecast.warnings


def test_the_forecast_heading_says_one_traveller_in_the_singular() -> None:
    flow = {"name": "f", "arrivals": {"times": [60]}, "route": ["passport"]}
    state = {"at": "01:00", "stages": {"passport": {"counters": {"waiting": {"f": 1}}}}}
    model = start_from(
        compile_scenario(scenario_from_dict(port([flow], [counters(1, 60)]))),
        state_from_dict(state),
    )
    assert forecast_heading(model) == (
        "Forecast from the state observed at 01:00 (1 traveller waiting or in service) to "
        "02:00; everything is counted from then on."
    )
