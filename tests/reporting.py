"""Small runs and comparisons that the report, plot and notebook tests share (each made
once per test session)."""

from __future__ import annotations

from functools import cache
from typing import Any

from portsim import Comparison, SimulationResult, compare, scenario_from_dict, simulate

HALL: dict[str, Any] = {
    "name": "Small hall, two flows",
    "horizon": "4h",
    "warmup": "30min",
    "replications": 3,
    "seed": 11,
    "flows": [
        {
            "name": "residents",
            "direction": "southbound",
            "arrivals": {"rate": "360/h"},
            "route": ["passport", {"stage": "customs", "p": 0.1}],
        },
        {
            "name": "visitors",
            "direction": "southbound",
            "arrivals": {"daily_total": 4800, "profile": [1] * 6 + [3] * 12 + [1] * 6},
            "route": ["passport"],
        },
    ],
    "stages": [
        {
            "name": "passport",
            "space": 20,
            "lanes": [
                {
                    "name": "counters",
                    "schedule": [
                        {"from": "0h", "to": "2h", "count": 3},
                        {"from": "2h", "to": "24h", "count": 4},
                    ],
                    "service": {"dist": "exponential", "mean": "40s"},
                },
                {
                    "name": "egates",
                    "count": 2,
                    "service": {"dist": "lognormal", "mean": "15s", "cv": 0.4},
                    "serves": ["residents"],
                },
            ],
            "transfer": {"dist": "constant", "value": "1min"},
        },
        {
            "name": "customs",
            "lanes": [
                {
                    "name": "officers",
                    "count": 1,
                    "service": {"dist": "gamma", "mean": "3min", "cv": 0.5},
                }
            ],
        },
    ],
    "targets": [
        {
            "name": "visitors within 10 min",
            "flow": "visitors",
            "wait_within": "10min",
            "share": 0.9,
        },
        {"name": "customs within 5 min", "stage": "customs", "wait_within": "5min", "share": 0.8},
    ],
    "reference": [
        {
            "figure": "travellers a day, published",
            "value": 12000,
            "unit": "per day",
            "source": "a made-up yearbook",
            "compare_to": "overall.served_per_day",
        }
    ],
}


@cache
def hall_run(records: bool = True) -> SimulationResult:
    """The small hall, three replications."""
    return simulate(scenario_from_dict(HALL), records=records)


@cache
def hall_comparison() -> Comparison:
    """The small hall against one with an extra counter all day."""
    more = {**HALL, "stages": [dict(HALL["stages"][0]), HALL["stages"][1]]}
    more["stages"][0]["lanes"] = [
        {**HALL["stages"][0]["lanes"][0], "schedule": [{"from": "0h", "to": "24h", "count": 5}]},
        HALL["stages"][0]["lanes"][1],
    ]
    return compare(
        [("base", scenario_from_dict(HALL)), ("more counters", scenario_from_dict(more))]
    )
