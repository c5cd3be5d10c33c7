"""What do the trains and the 06:30 opening do to the queues at Lo Wu, and what does the
15-minute line buy?

The planner's question behind ``scenarios/luohu_average_day_2019.yaml``: every northbound
traveller reaches Lo Wu by East Rail, several hundred at a time, and the first trains come
before the port opens. The same day is run four ways on the same demand: as the file says
(trains, the 06:30 opening, staffed counters and more opened at the 15-minute line); the same
travellers walking in one by one at the same hourly volume (what the shipped
``luohu_northbound_2019.yaml`` assumed, and why it showed no queue); the port and its lanes
open from 06:00, so that nobody waits for the opening; and the staffed plan alone, without
the 15-minute line. For each: the waits, the opening hour, the pledges and the counters'
lane-hours (the staff cost). Then which assumption the 95th-percentile wait depends on most.

Run:  python examples/luohu_trains_2019.py [--replications N] [--workers N] [--quick]
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

import portsim
from portsim.report.validation import figure_text

SCENARIO = Path(__file__).resolve().parent.parent / "scenarios" / "luohu_average_day_2019.yaml"
GROUPS = {
    "hk_departure": ("e_channels", "counters"),
    "mainland_arrival": ("e_gates", "counters"),
    "customs_inspection": ("officers",),
}
COUNTERS = ("stages.hk_departure.lanes.counters", "stages.mainland_arrival.lanes.counters")
#: 107,123 a day from 06:10 to 23:50, one by one: the hours' shares of the trains' 17 h 40 min
#: the hour the port opens in (06:00-07:00), when the first trains have waited for it
OPENING_HOUR = 6
#: --quick: every run cut to its first hours (a check that the script runs, as the tests do)
QUICK = ("horizon=8h",)
ONE_BY_ONE = {"daily_total": 107123, "profile": [0] * 6 + [5] + [6] * 16 + [5]}


def _trains(every: int, low: int, high: int) -> dict[str, Any]:
    """A train every ``every`` minutes, each with ``low``-``high`` travellers (the day's
    total kept: the mean load times the trains is about 107,000)."""
    return {
        "flows.east_rail.arrivals": {
            "every": f"{every}min",
            "from": "06:10",
            "to": "23:50",
            "group": {"dist": "uniform", "low": low, "high": high},
        }
    }


def _enrolled(share: float) -> dict[str, float]:
    """Mainland residents enrolled for the Hong Kong e-Channel: ``share`` of all travellers."""
    return {
        "flows.east_rail.classes.mainland_enrolled.share": share,
        "flows.east_rail.classes.mainland_resident.share": round(0.58 - share, 2),
    }


def _opening(clock: str) -> dict[str, Any]:
    """The port and every lane group open at ``clock`` instead of 06:30."""
    changes: dict[str, Any] = {"hours": {"open": clock, "close": "24:00"}}
    for stage, groups in GROUPS.items():
        for group in groups:
            changes[f"stages.{stage}.lanes.{group}.schedule.0.from"] = clock
    return changes


#: which assumption moves the answer most (the guide's sensitivity table)
SENSITIVITY = {
    SCENARIO.name: (
        "overall.wait_p95_s",
        {
            "train headway (day's total kept)": {
                "low": _trains(5, 360, 650),
                "high": _trains(8, 575, 1035),
                "low_label": "5 min",
                "high_label": "8 min",
            },
            "counters staffed by plan (HK side)": {
                "low": {f"{COUNTERS[0]}.schedule.0.count": 40},
                "high": {f"{COUNTERS[0]}.schedule.0.count": 60},
                "low_label": "40",
                "high_label": "60",
            },
            "time at a counter": {
                "low": {f"{group}.service.mean": "35s" for group in COUNTERS},
                "high": {f"{group}.service.mean": "60s" for group in COUNTERS},
                "low_label": "35 s",
                "high_label": "60 s",
            },
            "travellers taking e-Channels": {
                "low": _enrolled(0.0),
                "high": _enrolled(0.33),
                "low_label": "37 %",
                "high_label": "70 %",
            },
            "opening time": {
                "low": _opening("06:00"),
                "high": _opening("07:00"),
                "low_label": "06:00",
                "high_label": "07:00",
            },
        },
    )
}


def _line(name: str, result: portsim.SimulationResult) -> str:
    s = result.summary
    overall = s["overall"]
    first = next(row for row in overall["hourly"] if row["hour"] == OPENING_HOUR)
    hours = sum(s["stages"][stage]["lane_hours"]["mean"] for stage in GROUPS)
    shares = ", ".join(f"{t['share']['mean']:.1%}" for t in s["targets"])
    duration = "duration"
    return (
        f"  {name}: wait {figure_text(overall['wait_mean_s']['mean'], duration)} on average, "
        f"95 % within {figure_text(overall['wait_p95_s']['mean'], duration)}, longest "
        f"{figure_text(overall['wait_max_s']['mean'], duration)}; 06:00-07:00 arrivals 95 % "
        f"within {figure_text(first['wait_p95_s']['mean'], duration)}; pledges {shares}; "
        f"{hours:,.0f} lane-hours"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=None)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--quick",
        action="store_true",
        help="the first 8 hours of each run: checks that the script runs, answers nothing",
    )
    args = parser.parse_args()
    common = {"replications": args.replications, "workers": args.workers}
    quick = list(QUICK) if args.quick else []
    scenario = portsim.load_scenario(SCENARIO, quick)
    variants = {
        "trains, open 06:30 (the file)": scenario,
        "one by one, same hourly volume": portsim.load_scenario(
            SCENARIO, [f"flows.east_rail.arrivals={ONE_BY_ONE}", *quick]
        ),
        "trains, open from 06:00": portsim.load_scenario(
            SCENARIO, [*(f"{path}={value}" for path, value in _opening("06:00").items()), *quick]
        ),
        "trains, the staffed plan alone": portsim.load_scenario(
            SCENARIO, [*(f"{group}.opening=null" for group in COUNTERS), *quick]
        ),
    }
    both = portsim.compare(variants, records=False, **common)
    print("Northbound at Lo Wu on an average 2019 day (pledge shares: HK residents within 15")
    print("min, visitors at the counters within 30 min, everyone within 30 min):")
    for name, result in both.results.items():
        print(_line(name, result))
    answer, assumptions = SENSITIVITY[SCENARIO.name]
    print("\nWhich assumption the 95th-percentile wait depends on most:")
    print(portsim.format_sensitivity(portsim.sensitivity(scenario, assumptions, answer, **common)))


if __name__ == "__main__":
    main()
