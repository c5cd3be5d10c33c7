"""Do 90 cooperative counters carry Huanggang's design demand where the old hall could not?

The planner's question behind two library scenarios. The old hall, separate checks, at the
80,000 travellers a day it handled (``scenarios/huanggang_old_hall_2008.yaml``): does the
published count of 24 exit channels keep the 25-minute pledge of 2008, and if not, what
would have to be true for it to? The rebuilt hall at its design demand of 200,000 a day
(``scenarios/huanggang_new_hall_design.yaml``): the same travellers through the old hall's
separate checks and through 90 cooperative counters, paired (common random numbers), and
which assumption the new hall's longest wait depends on most.

Run:  python examples/huanggang_before_after.py [--replications N] [--workers N]
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import portsim
from portsim.report.validation import estimate_text, figure_text

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
OLD = SCENARIOS / "huanggang_old_hall_2008.yaml"
NEW = SCENARIOS / "huanggang_new_hall_design.yaml"
EXIT_TIME = "clearance.separate.exit.lanes.exit_channels.service.mean"
DEMAND = tuple(
    f"flows.{f}.arrivals.daily_total"
    for f in ("hk_residents", "mainland_visitors", "other_travellers")
)
COUNTERS = "clearance.cooperative.joint.lanes.cooperative_counters"


def _shares(hk: float, mainland: float) -> dict[str, float]:
    return {
        "flows.hk_residents.classes.enrolled.share": hk,
        "flows.hk_residents.classes.manual.share": round(1 - hk, 6),
        "flows.mainland_visitors.classes.enrolled.share": mainland,
        "flows.mainland_visitors.classes.manual.share": round(1 - mainland, 6),
    }


def _gates(mean: str) -> dict[str, dict[str, object]]:
    """The enrolled travellers' time at a cooperative gate (a key with a dot cannot be
    addressed by a path, so the whole mapping is set)."""
    gate = {"dist": "lognormal", "mean": mean, "cv": 0.4}
    return {"hk_residents.enrolled": gate, "mainland_visitors.enrolled": gate}


#: which assumption moves each scenario's answer most (the guide's sensitivity tables)
SENSITIVITY = {
    OLD.name: (
        "stages.exit.wait_max_s",
        {
            "time a channel takes": {
                "low": {EXIT_TIME: "40s"},
                "high": {EXIT_TIME: "50s"},
                "low_label": "40 s",
                "high_label": "50 s",
            },
            "its variability (cv)": {
                "low": {"clearance.separate.exit.lanes.exit_channels.service.cv": 0.3},
                "high": {"clearance.separate.exit.lanes.exit_channels.service.cv": 1.0},
                "low_label": "0.3",
                "high_label": "1.0",
            },
            "southbound share of the 80,000": {
                "low": dict(zip(DEMAND, (16200, 18000, 1800), strict=True)),
                "high": dict(zip(DEMAND, (19800, 22000, 2200), strict=True)),
                "low_label": "45 % (36,000)",
                "high_label": "55 % (44,000)",
            },
        },
    ),
    NEW.name: (
        "overall.wait_max_s",
        {
            "manual cooperative counter time": {
                "low": {f"{COUNTERS}.service.mean": "45s"},
                "high": {f"{COUNTERS}.service.mean": "90s"},
                "low_label": "45 s",
                "high_label": "90 s",
            },
            "cooperative gate time": {
                "low": {f"{COUNTERS}.service_by_flow": _gates("20s")},
                "high": {f"{COUNTERS}.service_by_flow": _gates("30s")},
                "low_label": "20 s",
                "high_label": "30 s",
            },
            "travellers enrolled for the gates": {
                "low": _shares(0.7, 0.2),
                "high": _shares(1.0, 0.8),
                "low_label": "70 % of residents, 20 % of visitors",
                "high_label": "all residents, 80 % of visitors",
            },
        },
    ),
}


#: the scenario whose published outcome ``needed`` is about
NEEDED_FOR = OLD.name


def needed(replications: int | None = None, workers: int | None = None) -> list[str]:
    """What would have to be true for the old hall's 24 channels to keep the pledge: the
    time a channel takes, and the demand, at which the longest wait stays within 25 min."""
    old = portsim.load_scenario(OLD)
    times = ["25s", "30s", "35s", "40s", "45s"]
    table = portsim.sweep(old, {EXIT_TIME: times}, replications=replications, workers=workers)
    columns = table.to_columns()
    lines = [
        "| time a channel takes | longest wait at the Shenzhen exit (95 % interval) |",
        "| --- | --- |",
    ]
    for i, time in enumerate(times):
        mean = columns["stages.exit.wait_max_s"][i]
        low, high = (
            columns["stages.exit.wait_max_s.ci_low"][i],
            columns["stages.exit.wait_max_s.ci_high"][i],
        )
        lines.append(f"| {time} | {estimate_text(mean, [low, high], 'duration')} |")
    found = portsim.capacity(
        old,
        list(DEMAND),
        "stages.exit.wait_max<=25min",
        factors="0.4:1:0.05",
        replications=replications,
        max_replications=4 * (replications or old.replications),
        workers=workers,
    )
    day = sum(found.values.values()) if found.factor is not None else None
    lines += [
        "",
        "With the published 45 s, the largest southbound demand whose longest wait stays "
        "within 25 min (its interval wholly below): "
        + (f"{day:,.0f} a day, {found.factor:.0%} of the 40,000." if day else "none tried."),
    ]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=None)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    common = {"replications": args.replications, "workers": args.workers}
    old = portsim.simulate(portsim.load_scenario(OLD), records=False, **common)
    print(old.summary["scenario"])
    print(f"  validation: {old.summary['validation']['verdict']}")
    for row in old.summary["reference"]:
        print(f"  {row['figure']}: {row['verdict']}")
    print("\nWhat would have to be true for the old hall to keep the pledge:")
    print("\n".join(needed(args.replications, args.workers)))

    new = portsim.load_scenario(NEW)
    both = portsim.compare(
        {"separate (old hall's checks)": new.with_mode("separate"), "cooperative (90)": new},
        records=False,
        **common,
    )
    print("\nThe design demand, 100,000 southbound a day, both ways of clearing it:")
    for name, result in both.results.items():
        overall = result.summary["overall"]
        waits = ", ".join(
            f"{label} {figure_text(overall[metric]['mean'], 'duration')}"
            for label, metric in (
                ("mean", "wait_mean_s"),
                ("p95", "wait_p95_s"),
                ("longest", "wait_max_s"),
            )
        )
        print(f"  {name}: waits {waits}; validation {result.summary['validation']['verdict']}")
    answer, assumptions = SENSITIVITY[NEW.name]
    table = portsim.sensitivity(new, assumptions, answer, **common)
    print("\nWhich assumption the new hall's longest wait depends on most:")
    print(portsim.format_sensitivity(table))


if __name__ == "__main__":
    main()
