"""Did the published channels keep the 2008 Spring Festival's pledge, and what would have had
to be true for them to?

The planner's question behind ``scenarios/spring_festival_2008.yaml``: 3.0 million crossings
in six days through the Shenzhen side of six land ports, their published channels staffed
in part by plan, more opened at the 15-minute line and the 25-minute emergency plan. The
published outcome: the longest wait within the pledged 25 minutes, most travellers under
10. The run's verdicts, the longest wait port by port and day by day, the emergencies, the
time a channel would have to take for the pledge to hold, and which assumption the longest
wait depends on most.

The six days are 3 million travellers a replication (about a minute on one core). The
what-ifs run the six days with ``--all-days`` (as the guide's tables); without it they run
the return peak day alone, a sixth of the work.

Run:  python examples/spring_festival_2008.py [--replications N] [--workers N] [--all-days]
      [--quick]   (the first 8 hours of each run: a check that the script runs, as the tests do)
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

import portsim
from portsim.report.validation import estimate_text, figure_text
from portsim.results.figures import figure_verdict

SCENARIO = Path(__file__).resolve().parent.parent / "scenarios" / "spring_festival_2008.yaml"
PORTS = ("luohu", "futian", "bay", "huanggang", "wenjindu", "sha_tau_kok")
HALLS = tuple(f"{port}_{side}" for port in PORTS for side in ("exit", "entry"))
#: the channels built in each hall (the file's ``built``)
BUILT = dict(zip(HALLS, (95, 94, 80, 80, 45, 45, 24, 24, 22, 22, 8, 8), strict=True))
#: Huanggang's persons on foot by day type (the file's, from the 2019 share: L)
HUANGGANG = {
    "huanggang_south": {
        "outbound_peak": 35985,
        "holiday": 23110,
        "return_peak": 24985,
        "return": 24641,
    },
    "huanggang_north": {
        "outbound_peak": 22735,
        "holiday": 23110,
        "return_peak": 39360,
        "return": 30954,
    },
}
#: the return peak day alone (the calendar keeps its six days, the horizon cuts it)
PEAK_DAY = (
    "calendar.days=[{type: return_peak}, {type: outbound_peak, repeat: 2}, "
    "{type: holiday, repeat: 2}, {type: return}]",
    "horizon=1d",
)
#: --quick: every run cut to its first hours
QUICK = ("horizon=8h",)


def _channels(mean: str) -> dict[str, str]:
    return {f"stages.{hall}.lanes.0.service.mean": mean for hall in HALLS}


def _staffed(share: float) -> dict[str, int]:
    """A share of the channels built staffed by plan while the hall is open (Huanggang's
    round the clock, the others by their schedule)."""
    out = {}
    for hall, built in BUILT.items():
        count = max(1, round(built * share))
        if hall.startswith("huanggang"):
            out[f"stages.{hall}.lanes.0.count"] = count
        else:  # the hours after the closing that clear the hall, and the open hours
            out[f"stages.{hall}.lanes.0.schedule.0.count"] = count
            out[f"stages.{hall}.lanes.0.schedule.1.count"] = count
    return out


def _huanggang(factor: float) -> dict[str, dict[str, int]]:
    return {
        f"flows.{flow}.arrivals.daily_total": {day: round(n * factor) for day, n in days.items()}
        for flow, days in HUANGGANG.items()
    }


#: which assumption moves the answer most (the guide's sensitivity table)
SENSITIVITY = {
    SCENARIO.name: (
        "persons.wait_max_s",
        {
            "time a channel takes": {
                "low": _channels("40s"),
                "high": _channels("50s"),
                "low_label": "40 s",
                "high_label": "50 s",
            },
            "channels staffed by plan": {
                "low": _staffed(0.5),
                "high": _staffed(1.0),
                "low_label": "half of those built",
                "high_label": "all of them",
            },
            "Huanggang's walkers (2019 share as a 2008 proxy)": {
                "low": _huanggang(0.8),
                "high": _huanggang(1.2),
                "low_label": "-20 %",
                "high_label": "+20 %",
            },
        },
    )
}


#: the scenario whose published outcome ``needed`` is about
NEEDED_FOR = SCENARIO.name


def needed(
    replications: int | None = None, workers: int | None = None, overrides: tuple[str, ...] = ()
) -> list[str]:
    """The longest wait, and the share under 10 minutes, as a channel takes less time: the
    time at which the published outcome would hold."""
    scenario = portsim.load_scenario(SCENARIO, overrides)
    times = ("30s", "35s", "40s", "45s")
    variants = {t: _channels(t) for t in times}
    table = portsim.sweep(scenario, variants=variants, replications=replications, workers=workers)
    columns = table.to_columns()
    lines = [
        "| time a channel takes | longest wait of anyone (95 % interval) | under 10 min | 25 min |",
        "| --- | --- | --- | --- |",
    ]
    for i, label in enumerate(columns["variant"]):
        metric = "persons.wait_max_s"
        ci = [columns[f"{metric}.ci_low"][i], columns[f"{metric}.ci_high"][i]]
        share = columns["targets.under 10 min.share"][i]
        verdict = figure_verdict("validation", 1500.0, None, 1500.0, ci)
        lines.append(
            f"| {label} | {estimate_text(columns[metric][i], ci, 'duration')} "
            f"| {share:.1%} | {verdict} |"
        )
    return lines


def _report(result: portsim.SimulationResult) -> None:
    s = result.summary
    for row in s["reference"]:
        print(f"  {row['figure']}: {row['verdict']}")
    stages = s["stages"]
    print("\nThe longest waits, hall by hall (pledge: 25 min):")
    for name in sorted(HALLS, key=lambda n: -stages[n]["wait_max_s"]["mean"])[:6]:
        group: dict[str, Any] = next(iter(stages[name]["groups"].values()))
        print(
            f"  {name:>18}: longest {figure_text(stages[name]['wait_max_s']['mean'], 'duration')}"
            f", mean {figure_text(stages[name]['wait_mean_s']['mean'], 'duration')}, emergency "
            f"plan for {figure_text(group['emergency_time_s']['mean'], 'duration')}"
        )
    print("\nDay by day (every traveller and vehicle):")
    for day in s["overall"]["daily"]:
        print(
            f"  day {day['day']} {day['date']} {day['type']:>13}: {day['arrived']['mean']:>9,.0f}"
            f" arrived, longest wait {figure_text(day['wait_max_s']['mean'], 'duration')}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=None)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--all-days", action="store_true", help="what-ifs over the six days")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="the first 8 hours of each run: checks that the script runs, answers nothing",
    )
    args = parser.parse_args()
    common = {"replications": args.replications, "workers": args.workers}
    quick = QUICK if args.quick else ()
    result = portsim.simulate(portsim.load_scenario(SCENARIO, quick), records=False, **common)
    print(f"{result.summary['scenario']}: validation {result.summary['validation']['verdict']}")
    _report(result)
    cut = (*(() if args.all_days else PEAK_DAY), *quick)
    where = "the six days" if args.all_days else "the return peak day alone"
    print(f"\nThe longest wait as a channel takes less time ({where}):")
    print("\n".join(needed(args.replications, args.workers, cut)))
    answer, assumptions = SENSITIVITY[SCENARIO.name]
    scenario = portsim.load_scenario(SCENARIO, cut)
    print(f"\nWhich assumption the longest wait depends on most ({where}):")
    print(portsim.format_sensitivity(portsim.sensitivity(scenario, assumptions, answer, **common)))


if __name__ == "__main__":
    main()
