"""What does round-the-clock, no-holiday clearance buy travellers over office hours, and what
does it cost in staff?

The planner's question behind ``scenarios/zhejiang_round_the_clock_2006.yaml``: the Zhejiang
2006 plan asks Hangzhou airport and Ningbo seaport for 24-hour, no-holiday clearance. The
same week of travellers (common random numbers) is cleared round the clock, as the plan
asks, and in office hours (08:00-22:00 on working days, 09:00-17:00 at the weekend): the
longest queue wait against the 30-minute pledge, the wait outside for the opening (apart
from the queue), the time in port and the counters' lane-hours (the staff cost). Then what
would have to be true for office hours to keep the queue within 30 minutes, and which
assumption the time in port depends on most.

Run:  python examples/zhejiang_hours_2006.py [--replications N] [--workers N]
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

import portsim
from portsim.report.validation import estimate_text, figure_text

SCENARIO = (
    Path(__file__).resolve().parent.parent / "scenarios" / "zhejiang_round_the_clock_2006.yaml"
)
CHECKS = ("arrival_check", "departure_check")
#: clearance in office hours, the practice the 2006 plan replaces (assumed hours, L)
OFFICE_HOURS: dict[str, Any] = {
    "hours": {
        "workday": {"open": "08:00", "close": "22:00"},
        "weekend": {"open": "09:00", "close": "17:00"},
    }
}
PROFILES = {
    "arrivals": [3, 2, 2, 1, 0, 0, 0, 1, 3, 5, 6, 6, 5, 5, 6, 6, 5, 5, 6, 7, 7, 6, 5, 4],
    "departures": [2, 1, 1, 0, 0, 1, 3, 5, 7, 7, 6, 5, 5, 5, 5, 5, 6, 6, 6, 5, 5, 4, 3, 3],
}


def _each_check(field: str, value: object) -> dict[str, object]:
    return {f"stages.{check}.lanes.counters.{field}": value for check in CHECKS}


def _night(factor: float) -> dict[str, list[float]]:
    """The flights between 22:00 and 07:00 at ``factor`` times the file's (assumed profiles)."""
    night = {22, 23, 0, 1, 2, 3, 4, 5, 6}
    return {
        f"flows.{flow}.arrivals.profile": [
            w * factor if hour in night else w for hour, w in enumerate(profile)
        ]
        for flow, profile in PROFILES.items()
    }


#: which assumption moves the answer most (the guide's sensitivity table)
SENSITIVITY = {
    SCENARIO.name: (
        "overall.system_time_mean_s",
        {
            "opening hours": {
                "low": {"hours": {"open": "06:00", "close": "24:00"}},
                "high": OFFICE_HOURS,
                "low_label": "06:00-24:00 every day",
                "high_label": "08:00-22:00, weekends 09:00-17:00",
            },
            "counters staffed by day": {
                "low": _each_check("schedule.1.count", 3),
                "high": _each_check("schedule.1.count", 6),
                "low_label": "3",
                "high_label": "6",
            },
            "time at a counter": {
                "low": _each_check("service.mean", "35s"),
                "high": _each_check("service.mean", "60s"),
                "low_label": "35 s",
                "high_label": "60 s",
            },
            "flights at night (22:00-07:00)": {
                "low": _night(0.5),
                "high": _night(2.0),
                "low_label": "half",
                "high_label": "twice",
            },
        },
    )
}


#: the scenario whose published outcome ``needed`` is about
NEEDED_FOR = SCENARIO.name


def needed(replications: int | None = None, workers: int | None = None) -> list[str]:
    """What would have to be true for office hours to keep the longest queue wait within
    the 30-minute pledge: the counters staffed from the opening (more than the 8 built
    from 12 on), with what the travellers wait outside for it (which no staffing removes)
    and the lane-hours each costs."""
    scenario = portsim.load_scenario(SCENARIO)
    variants: dict[str, dict[str, Any]] = {"round the clock, 4 by day": {}}
    for count in (4, 8, 12, 16):
        variants[f"office hours, {count} from the opening"] = {
            **OFFICE_HOURS,
            **_each_check("built", max(count, 8)),  # 8 built: more must be built
            **_each_check("schedule.1.count", count),
        }
    # no holiday, office hours: the weekend open as long as a working day
    variants["08:00-22:00 every day, 8 from the opening"] = {
        "hours": {"open": "08:00", "close": "22:00"},
        **_each_check("schedule.1.count", 8),
    }
    table = portsim.sweep(scenario, variants=variants, replications=replications, workers=workers)
    columns = table.to_columns()
    lines = [
        "| counters staffed | longest queue wait (95 % interval) | wait for the opening "
        "(mean) | counter lane-hours a week |",
        "| --- | --- | --- | --- |",
    ]
    for i, label in enumerate(columns["variant"]):
        metric = "overall.wait_max_s"
        ci = [columns[f"{metric}.ci_low"][i], columns[f"{metric}.ci_high"][i]]
        held = columns["overall.wait_for_opening_mean_s"][i]
        hours = sum(columns[f"stages.{check}.lane_hours"][i] for check in CHECKS)
        lines.append(
            f"| {label} | {estimate_text(columns[metric][i], ci, 'duration')} "
            f"| {figure_text(held, 'duration')} | {hours:,.0f} |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=None)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    common = {"replications": args.replications, "workers": args.workers}
    scenario = portsim.load_scenario(SCENARIO)
    office = portsim.load_scenario(SCENARIO, [f"hours={OFFICE_HOURS['hours']}"])
    both = portsim.compare(
        {"round the clock (2006 plan)": scenario, "office hours": office},
        records=False,
        **common,
    )
    print("The same week of travellers, both ways (pledge: a queue of at most 30 min):")
    for name, result in both.results.items():
        s = result.summary
        overall = s["overall"]
        hours = sum(s["stages"][check]["lane_hours"]["mean"] for check in CHECKS)
        print(
            f"  {name}: longest queue wait "
            f"{figure_text(overall['wait_max_s']['mean'], 'duration')}, waited outside for "
            f"the opening {figure_text(overall['wait_for_opening_mean_s']['mean'], 'duration')}"
            f" on average, time in port "
            f"{figure_text(overall['system_time_mean_s']['mean'], 'duration')}; "
            f"{hours:,.0f} counter lane-hours; validation {s['validation']['verdict']}"
        )
    print("\nWhat would have to be true for office hours to keep the queue within 30 min:")
    print("\n".join(needed(args.replications, args.workers)))
    answer, assumptions = SENSITIVITY[SCENARIO.name]
    print("\nWhich assumption the time in port depends on most:")
    print(portsim.format_sensitivity(portsim.sensitivity(scenario, assumptions, answer, **common)))


if __name__ == "__main__":
    main()
