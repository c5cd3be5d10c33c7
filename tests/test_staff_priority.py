"""Staff pools and priority in a queue together: a group of a pool whose travellers differ
in priority is built of both (:mod:`portsim.engine.priority`'s staffed classes), so an
ample pool changes nothing of a prioritised port, and a priority still orders the queue of
a group that waits for officers."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from portsim import scenario_from_dict
from portsim.engine.priority import StaffedPriorityPerLane, StaffedPriorityShared
from portsim.engine.staffed import group_class
from portsim.model import compile_scenario

from .helpers import event_log, run_model
from .strategies import prioritised, staffed_scenarios
from .test_staff_properties import _without_staff


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_an_ample_pool_changes_nothing_of_a_port_with_priorities(data: st.DataObject) -> None:
    port: dict[str, Any] = data.draw(staffed_scenarios(ample=True).flatmap(prioritised))
    staffed = run_model(compile_scenario(scenario_from_dict(port)), 11, 0)
    plain = run_model(compile_scenario(scenario_from_dict(_without_staff(port))), 11, 0)
    assert staffed.records is not None
    assert plain.records is not None
    for name in plain.records.__slots__:  # type: ignore[attr-defined]
        left, right = getattr(staffed.records, name), getattr(plain.records, name)
        if isinstance(left, np.ndarray):
            assert np.array_equal(left, right, equal_nan=True), name
        else:
            assert left == right, name


def _port(queue: str) -> dict[str, Any]:
    """One desk of a pool of 1 officer who comes at 00:10 (a schedule): by then three
    travellers wait, one a minute from 00:01 (the third a crew member, priority 0); service
    2 min each."""
    return {
        "name": "one officer, crew first",
        "horizon": "1h",
        "staff": [{"name": "officers", "schedule": [{"from": "00:10", "to": "24:00", "count": 1}]}],
        "flows": [
            {"name": "visitors", "arrivals": {"times": ["00:01", "00:02"]}, "route": ["hall"]},
            {"name": "crew", "priority": 0, "arrivals": {"times": ["00:03"]}, "route": ["hall"]},
        ],
        "stages": [
            {
                "name": "hall",
                "lanes": [
                    {
                        "name": "desks",
                        "count": 1,
                        "queue": queue,
                        "staff": "officers",
                        "service": {"dist": "constant", "value": "2min"},
                    }
                ],
            }
        ],
    }


def test_the_crew_member_is_served_first_when_the_officer_comes() -> None:
    # 00:10: the officer comes; the crew member (joined 00:03) starts first, 600-720 s;
    # then the visitors in join order: 720-840 s and 840-960 s.
    for queue, cls in (("shared", StaffedPriorityShared), ("per_lane", StaffedPriorityPerLane)):
        model = compile_scenario(scenario_from_dict(_port(queue)))
        assert group_class(model.groups[0]) is cls
        rows, _ = event_log(_port(queue))
        starts = sorted((r.start, r.join) for r in rows)
        assert starts == [(600.0, 180.0), (720.0, 60.0), (840.0, 120.0)], queue
