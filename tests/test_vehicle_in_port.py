"""A vehicle is in port from its arrival to its exit: a coach whose route has no stage of its
own, only ``{alight: ...}`` and ``{meet: passengers}``, is served when it leaves, with its
time in port and its dwell, in every block it belongs to (its queue wait is 0: it queued
nowhere); only a route that visits no stage and lets nobody alight is ``no_visit``. Exact
numbers derived by hand (deterministic arrivals, constant services; the tie rules are those
of ``tests/test_event_logs.py``), the same with and without records."""

from __future__ import annotations

import math
from typing import Any

import pytest

from portsim import scenario_from_dict, simulate
from portsim.model import compile_scenario
from portsim.model.skips import alone_share, no_visit_share, skip_warnings

from .helpers import Row, event_log, records_of
from .test_vehicles import lanes

ENTITY = ("served", "no_visit", "unfinished", "wait_mean_s", "wait_max_s", "system_time_mean_s")
COUNTS = ("served", "no_visit", "unfinished", "wait_mean_s", "wait_max_s")


def drop_and_wait(route: list[Any] | None = None, occupants: int = 4) -> dict[str, Any]:
    """Coaches of ``occupants`` (driver included) at 0 and 60, of one class ``tour``,
    heading ``south``, that let their passengers off at the hall (one counter, 30 s each) and
    wait for them; a walker heading ``north`` at 1000 through the same hall; a pledge of
    the coaches' waits within 60 s."""
    return {
        "name": "coach bays",
        "horizon": 2000,
        "flows": [
            {
                "name": "coaches",
                "kind": "coach",
                "direction": "south",
                "arrivals": {"times": [0, 60]},
                "occupants": {"dist": "constant", "value": occupants},
                "classes": [{"name": "tour", "share": 1}],
                "route": route or [{"alight": "hall_route"}, {"meet": "passengers"}],
            },
            {
                "name": "walkers",
                "direction": "north",
                "arrivals": {"times": [1000]},
                "route": ["hall"],
            },
        ],
        "routes": {"hall_route": ["hall"]},
        "stages": [lanes("hall", 30)],
        "targets": [{"name": "coaches", "flow": "coaches", "wait_within": 60, "share": 0.9}],
    }


#: the pledge on the coaches' own queue waits, which they have none of
PLEDGE_ON_COACHES = (
    "pledge 'coaches' is on flow 'coaches', whose vehicles queue at no stage of their own "
    "(their passengers alight): it counts the vehicles' queue waits, none, so it holds "
    "whatever the passengers wait; the vehicles' wait is their dwell at the meeting point, "
    "the passengers' is in their own block"
)


#: coaches told to let their passengers alight that carry their driver only
DRIVER_ONLY = (
    "flow 'coaches': its vehicles carry their driver only (occupants always 1), and a driver "
    "never alights: nobody takes the passengers' route; occupants count everyone aboard, the "
    "driver too (a coach of 40 passengers is occupants 41)"
)


def test_a_pledge_on_coaches_that_queue_nowhere_is_warned_of() -> None:
    """The coaches' pledge holds at 100 % while their passengers queue up to 90 s: the run
    says why; a pledge on the walkers, who queue, is not warned of."""
    data = drop_and_wait()
    result = simulate(scenario_from_dict(data), replications=1)
    assert result.warnings == (PLEDGE_ON_COACHES,)
    assert result.summary.pledges[0].share.mean == 1.0
    data["targets"] = [{"name": "walkers", "flow": "walkers", "wait_within": 60, "share": 0.9}]
    assert simulate(scenario_from_dict(data), replications=1).warnings == ()


def _numbers(m: dict[str, Any]) -> dict[str, Any]:
    """The numbers the tests hold: each block's counts, waits and times in port."""
    coaches = m["flows"]["coaches"]
    return {
        "coaches": [coaches[k] for k in ENTITY],
        "dwell": [coaches["vehicle_dwell_mean_s"], coaches["vehicle_dwell_max_s"]],
        "tour": [coaches["classes"]["tour"][k] for k in ENTITY],
        "south": [m["directions"]["south"][k] for k in ENTITY],
        "overall": [m["overall"][k] for k in ENTITY],
        "served_by_hour": m["overall"]["hourly"][0]["served"],
        "vehicles": [m["vehicles"][k] for k in COUNTS],
        "persons": [m["persons"][k] for k in COUNTS],
        "passengers": [coaches["passengers"][k] for k in ENTITY],
        "pledge": m["targets"][0]["share"],
    }


#: coach A (entity 0) at 0 lets 1–3 off at once: hall 0–30, 30–60, 60–90; it is at the
#: meeting point from 0 and leaves with its last passenger at 90 (dwell and time in port
#: 90). Coach B (entity 4) at 60 lets 5–7 off behind A's last (queued since 0): 90–120,
#: 120–150, 150–180; it leaves at 180 (dwell and time in port 120). Neither queued: waits
#: 0. The walker at 1000: hall 1000–1030, no wait, 30 s in port.
EXPECTED = {
    # served 2, time in port (90 + 120) / 2; the class and the direction are the coaches
    "coaches": [2, 0, 0, 0, 0, 105],
    "dwell": [105, 120],
    "tour": [2, 0, 0, 0, 0, 105],
    "south": [2, 0, 0, 0, 0, 105],
    # the flows' own entities: two coaches and the walker, (90 + 120 + 30) / 3 in port
    "overall": [3, 0, 0, 0, 0, 80],
    "served_by_hour": 3,
    "vehicles": [2, 0, 0, 0, 0],
    # 2 drivers (0 s), A's passengers 0, 30, 60 s, B's 30, 60, 90 s, the walker 0 s
    "persons": [9, 0, 0, 270 / 9, 90],
    # (0 + 30 + 60 + 30 + 60 + 90) / 6 at the hall; back at 30 … 180: 450 / 6 in port
    "passengers": [6, 0, 0, 45, 90, 75],
    # both coaches within 60 s: they waited 0
    "pledge": 1.0,
}


def test_a_coach_with_no_stage_of_its_own_is_served_when_it_leaves() -> None:
    """The event log above, the coaches' exits and dwells, and every block it makes; no
    warning that the coaches' route skips every stage (their passengers pass the hall)."""
    data = drop_and_wait()
    rows, _ = event_log(data)
    assert rows == [
        Row(1, 0, "hall", "l", 0, 0, 0, 30, 30),
        Row(2, 0, "hall", "l", 0, 0, 30, 60, 60),
        Row(3, 0, "hall", "l", 0, 0, 60, 90, 90),
        Row(5, 0, "hall", "l", 0, 60, 90, 120, 120),
        Row(6, 0, "hall", "l", 0, 60, 120, 150, 150),
        Row(7, 0, "hall", "l", 0, 60, 150, 180, 180),
        Row(8, 0, "hall", "l", 0, 1000, 1000, 1030, 1030),
    ]
    rec = records_of(scenario_from_dict(data), 0, 0)
    assert rec.entity_exit[[0, 4]].tolist() == [90, 180]
    assert rec.entity_meet[[0, 4]].tolist() == [90, 120]
    result = simulate(scenario_from_dict(data), replications=1)
    assert result.warnings == (PLEDGE_ON_COACHES,)  # no skip warning
    assert _numbers(result.per_replication[0]) == EXPECTED


def test_streaming_counts_the_coach_as_the_records_do() -> None:
    """``records=False`` gives the same numbers (means and maxima exactly here: the waits
    are whole seconds the histograms keep exactly where they are 0 or the largest)."""
    s = scenario_from_dict(drop_and_wait())
    streamed = simulate(s, replications=1, records=False)
    assert streamed.records == ()
    exact = simulate(s, replications=1).per_replication[0]
    assert _numbers(streamed.per_replication[0]) == _numbers(exact) == EXPECTED


@pytest.mark.parametrize("records", [True, False])
def test_a_coach_that_drops_its_passengers_and_goes_on_is_served_at_once(records: bool) -> None:
    """Without a meeting point the coaches let their passengers off and leave at once, at 0
    and 60: served, 0 s in port, no dwell (they wait for nobody); the passengers leave as
    they finish, as above."""
    data = drop_and_wait([{"alight": "hall_route"}])
    result = simulate(scenario_from_dict(data), replications=1, records=records)
    assert result.warnings == (PLEDGE_ON_COACHES,)
    coaches = result.per_replication[0]["flows"]["coaches"]
    assert [coaches[k] for k in ENTITY] == [2, 0, 0, 0, 0, 0]
    assert math.isnan(coaches["vehicle_dwell_mean_s"])
    assert result.per_replication[0]["vehicles"]["served"] == 2


@pytest.mark.parametrize("records", [True, False])
def test_a_coach_with_nobody_to_let_off_visits_no_stage(records: bool) -> None:
    """Coaches with their driver only: nobody alights, nobody passes a control for them, so
    they are still counted apart (``no_visit``: 2 coaches, their 2 drivers) and the run
    says so; the walker alone is served."""
    s = scenario_from_dict(drop_and_wait(occupants=1))
    result = simulate(s, replications=1, records=records)
    assert result.warnings == (
        DRIVER_ONLY,
        "flow 'coaches.tour': 100.0% of its vehicles visit no stage and carry nobody to "
        "alight (only their driver); they are counted as no_visit, not as served",
        PLEDGE_ON_COACHES,
    )
    m = result.per_replication[0]
    assert [m["flows"]["coaches"][k] for k in ("served", "no_visit")] == [0, 2]
    assert [m["vehicles"][k] for k in ("served", "no_visit")] == [0, 2]
    assert [m["persons"][k] for k in ("served", "no_visit")] == [1, 2]
    assert math.isnan(m["flows"]["coaches"]["vehicle_dwell_mean_s"])


@pytest.mark.parametrize(
    ("route", "occupants", "share"),
    [
        ([{"alight": "hall_route"}, {"meet": "passengers"}], {"dist": "constant", "value": 4}, 0),
        ([{"alight": "hall_route"}], {"dist": "uniform", "low": 2, "high": 9}, 0),
        ([{"alight": "hall_route"}, {"meet": "passengers"}], {"dist": "constant", "value": 1}, 1),
        # driver only in two cases of four
        ([{"alight": "hall_route"}], {"dist": "empirical", "values": [1, 4, 1, 30]}, 0.5),
        # the hall skipped half the time, and a driver alone one time in four (1, 2, 3, 4)
        (
            [{"stage": "hall", "p": 0.5}, {"alight": "hall_route"}, {"meet": "passengers"}],
            {"dist": "uniform", "low": 1, "high": 4},
            0.125,
        ),
    ],
    ids=["meets", "goes on", "driver only", "half alone", "optional stage"],
)
def test_the_share_that_visits_no_stage_counts_who_alights(
    route: list[Any], occupants: dict[str, Any], share: float
) -> None:
    """A vehicle that lets passengers off is not skipping every stage; one that has nobody
    to let off (occupants 1) is, as often as the occupants say."""
    data = drop_and_wait(route)
    data["flows"][0]["occupants"] = occupants
    model = compile_scenario(scenario_from_dict(data))
    coach = model.subflows[model.flows[0].subflows[0]]
    assert coach.name == "coaches.tour"
    assert no_visit_share(coach.program, alone_share(model.flows[0].occupants)) == share
    warned = [w for w in skip_warnings(model) if "'coaches.tour'" in w]
    assert warned == (
        [
            f"flow 'coaches.tour': {share:.1%} of its vehicles visit no stage and carry nobody "
            "to alight (only their driver); they are counted as no_visit, not as served"
        ]
        if share
        else []
    )
