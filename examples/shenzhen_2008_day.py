"""On the documents' average day of 2008, which port came closest to breaking the 25-minute
pledge, and what would have broken it?

The planner's question behind ``scenarios/shenzhen_2008_persons_vehicles.yaml``: 489,000
persons and 41,700 vehicles a day through the Shenzhen side of six land ports, each with its
published channels and opening hours. The longest wait at each port against the pledge, the
time a channel takes at which the pledge would no longer hold, and which assumption the
longest wait depends on most.

Run:  python examples/shenzhen_2008_day.py [--replications N] [--workers N] [--quick]
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import portsim
from portsim.report.validation import estimate_text, figure_text

SCENARIO = (
    Path(__file__).resolve().parent.parent / "scenarios" / "shenzhen_2008_persons_vehicles.yaml"
)
#: --quick: every run cut to its first hours (a check that the script runs, as the tests do)
QUICK = ("horizon=8h",)
HALLS = tuple(
    f"{port}_{side}"
    for port in ("luohu", "futian", "bay", "huanggang", "wenjindu", "sha_tau_kok")
    for side in ("exit", "entry")
)
LUOHU = {"luohu_south": 84679, "luohu_north": 84679}


def _channels(mean: str) -> dict[str, str]:
    return {f"stages.{hall}.lanes.0.service.mean": mean for hall in HALLS}


def _luohu(factor: float) -> dict[str, int]:
    return {f"flows.{f}.arrivals.daily_total": round(n * factor) for f, n in LUOHU.items()}


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
            "Luohu's walkers (2019 share as a 2008 proxy)": {
                "low": _luohu(0.8),
                "high": _luohu(1.2),
                "low_label": "-20 %",
                "high_label": "+20 %",
            },
            "Huanggang entry channels": {
                "low": {"stages.huanggang_entry.lanes.channels.count": 20},
                "high": {"stages.huanggang_entry.lanes.channels.count": 30},
                "low_label": "20",
                "high_label": "30",
            },
        },
    )
}


#: the scenario whose published outcome ``needed`` is about
NEEDED_FOR = SCENARIO.name


def needed(
    replications: int | None = None, workers: int | None = None, overrides: tuple[str, ...] = ()
) -> list[str]:
    """The longest wait as a channel takes longer: where the pledge stops holding."""
    scenario = portsim.load_scenario(SCENARIO, overrides)
    times = ("45s", "50s", "55s")
    variants = {t: _channels(t) for t in times}
    table = portsim.sweep(scenario, variants=variants, replications=replications, workers=workers)
    columns = table.to_columns()
    metric = "persons.wait_max_s"
    lines = ["| time a channel takes | longest wait of anyone (95 % interval) |", "| --- | --- |"]
    for i, label in enumerate(columns["variant"]):
        ci = [columns[f"{metric}.ci_low"][i], columns[f"{metric}.ci_high"][i]]
        lines.append(f"| {label} | {estimate_text(columns[metric][i], ci, 'duration')} |")
    return lines


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
    quick = QUICK if args.quick else ()
    scenario = portsim.load_scenario(SCENARIO, quick)
    result = portsim.simulate(scenario, records=False, **common)
    stages = result.summary["stages"]
    ranked = sorted(stages, key=lambda name: -stages[name]["wait_max_s"]["mean"])
    print("The longest waits, port by port (pledge: 25 min):")
    for name in ranked[:6]:
        m = stages[name]
        print(
            f"  {name:>22}: longest {figure_text(m['wait_max_s']['mean'], 'duration')}, "
            f"mean {figure_text(m['wait_mean_s']['mean'], 'duration')}, "
            f"lanes busy {m['utilization']['mean']:.0%} of their staffed time"
        )
    print(f"Validation: {result.summary['validation']['verdict']}")
    print("\nThe longest wait as a channel takes longer:")
    print("\n".join(needed(args.replications, args.workers, quick)))
    answer, assumptions = SENSITIVITY[SCENARIO.name]
    print("\nWhich assumption the longest wait depends on most:")
    print(portsim.format_sensitivity(portsim.sensitivity(scenario, assumptions, answer, **common)))


if __name__ == "__main__":
    main()
