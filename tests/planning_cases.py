"""Small halls for the planning tests: quick to run, with clear answers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from portsim import Scenario, scenario_from_dict

COUNTERS = "stages.hall.lanes.counters.count"
EGATES = "stages.hall.lanes.egates.count"


def hall_data(horizon: str = "3h", replications: int = 4) -> dict[str, Any]:
    """Residents at e-gates and visitors at counters, in one hall, with a pledge."""
    return {
        "name": "small hall",
        "horizon": horizon,
        "warmup": "30min",
        "replications": replications,
        "seed": 3,
        "flows": [
            {"name": "residents", "arrivals": {"rate": "600/h"}, "route": ["hall"]},
            {"name": "visitors", "arrivals": {"rate": "300/h"}, "route": ["hall"]},
        ],
        "stages": [
            {
                "name": "hall",
                "lanes": [
                    {
                        "name": "counters",
                        "count": 4,
                        "service": {"dist": "exponential", "mean": "45s"},
                        "serves": ["visitors"],
                    },
                    {
                        "name": "egates",
                        "count": 3,
                        "service": {"dist": "lognormal", "mean": "15s", "cv": 0.4},
                        "serves": ["residents"],
                    },
                ],
            }
        ],
        "targets": [
            {"name": "visitors pledge", "flow": "visitors", "wait_within": "10min", "share": 0.9}
        ],
    }


def hall(horizon: str = "3h", replications: int = 4) -> Scenario:
    return scenario_from_dict(hall_data(horizon, replications))


def write(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def sweep_table_header(text: str) -> str:
    """The header line of the table ``portsim sweep`` prints after its answer: the line two
    after ``In each cell: …`` (a blank line between)."""
    lines = text.splitlines()
    (at,) = [i for i, line in enumerate(lines) if line.startswith("In each cell:")]
    assert lines[at + 1] == ""
    return lines[at + 2]
