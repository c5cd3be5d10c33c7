"""Streaming tallies (``records=False``) and the exact metrics from the records agree on
ports whose lane groups draw on staff pools (the rules of tests/test_streaming.py): a
two-direction port with officers on shifts and dual-facing counters that turn, and generated
ones."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings

from portsim import scenario_from_dict

from .strategies import staffed_scenarios
from .test_streaming import assert_runs_agree


def two_directions() -> dict[str, Any]:
    """Northbound and southbound halls: officers on two shifts shared by both halls'
    passport desks (2 min to move between halls), and 6 dual-facing counters that face
    north in the morning and south in the evening, and turn (3 min) when the other side's
    queue passes 4 min."""

    def hall(side: str, morning: int, evening: int) -> dict[str, Any]:
        return {
            "name": side,
            "lanes": [
                {
                    "name": "desks",
                    "staff": "officers",
                    "schedule": [
                        {"from": "06:00", "to": "14:00", "count": 6},
                        {"from": "14:00", "to": "22:00", "count": 5},
                    ],
                    "service": {"dist": "exponential", "mean": "40s"},
                },
                {
                    "name": "dual",
                    "staff": "dual_counters",
                    "schedule": [
                        {"from": "06:00", "to": "14:00", "count": morning},
                        {"from": "14:00", "to": "22:00", "count": evening},
                    ],
                    "built": 6,
                    "opening": {"open_above": "4min", "close_below": "1min", "delay": "1min"},
                    "service": {"dist": "exponential", "mean": "30s"},
                },
            ],
        }

    def flow(side: str, profile: list[int]) -> dict[str, Any]:
        return {
            "name": side,
            "direction": side,
            "arrivals": {"daily_total": 9000, "profile": profile},
            "route": [side],
        }

    morning = [0] * 6 + [3, 6, 8, 8, 6, 5, 4, 4, 3, 3, 2, 2, 2, 2, 1, 1] + [0, 0]
    evening = [0] * 6 + [1, 1, 2, 2, 3, 3, 4, 4, 5, 6, 8, 8, 6, 4, 2, 1] + [0, 0]
    return {
        "name": "dual-facing counters",
        "horizon": "1d",
        "replications": 2,
        "staff": [
            {
                "name": "officers",
                "schedule": [
                    {"from": "06:00", "to": "14:00", "count": 12},
                    {"from": "14:00", "to": "22:00", "count": 9},
                ],
                "switch": "2min",
            },
            {"name": "dual_counters", "count": 6, "switch": "3min", "lend": True},
        ],
        "flows": [flow("north", morning), flow("south", evening)],
        "stages": [hall("north", 5, 1), hall("south", 1, 5)],
    }


def test_a_two_direction_port_with_pools_agrees() -> None:
    assert assert_runs_agree(scenario_from_dict(two_directions()), 2, 25) > 20


@settings(max_examples=20)
@given(staffed_scenarios())
def test_streaming_agrees_on_generated_staffed_ports(data: dict[str, Any]) -> None:
    assert_runs_agree(scenario_from_dict(data), 1, 3)
