"""After the goods trucks moved to Liantang and Shenzhen Bay, did the drivers' health check
become the bottleneck?

The planner's question behind ``scenarios/shenzhen_goods_trucks_2021.yaml``: 14,931 trucks a
day through the two ports, 61.6 % of the northbound drivers tested on the way in (the 2021
figures). How long trucks wait at each step, how many sampling points each port needs
before the test queues, and which assumption the trucks' waits depend on most.

Run:  python examples/goods_trucks_health_check.py [--replications N] [--workers N]
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import portsim
from portsim.report.validation import estimate_text, figure_text

SCENARIO = Path(__file__).resolve().parent.parent / "scenarios" / "shenzhen_goods_trucks_2021.yaml"
TESTS = ("stages.liantang_test", "stages.bay_test")
#: the route steps that are the X-ray (flow, index) and the test (flow, index)
XRAY_STEPS = (("liantang_north", 2), ("liantang_south", 1), ("bay_north", 3), ("bay_south", 1))
TEST_STEPS = (("liantang_north", 0), ("bay_north", 1))
FLOWS = ("liantang_north", "liantang_south", "bay_north", "bay_south")


def _each(steps: tuple[tuple[str, int], ...], p: float) -> dict[str, float]:
    return {f"flows.{flow}.route.{i}.p": p for flow, i in steps}


def _split(liantang: float) -> dict[str, int]:
    """Liantang's share of the 14,931 trucks, the rest at Shenzhen Bay, half each way."""
    day = 14931
    at = {"liantang": round(day * liantang / 2), "bay": round(day * (1 - liantang) / 2)}
    return {f"flows.{flow}.arrivals.daily_total": at[flow.split("_")[0]] for flow in FLOWS}


#: which assumption moves the answer most (the guide's sensitivity table)
SENSITIVITY = {
    SCENARIO.name: (
        "overall.wait_mean_s",
        {
            "test time a driver": {
                "low": {f"{t}.lanes.sampling_points.service.mean": "1min" for t in TESTS},
                "high": {f"{t}.lanes.sampling_points.service.mean": "3min" for t in TESTS},
                "low_label": "1 min",
                "high_label": "3 min",
            },
            "northbound drivers tested": {
                "low": _each(TEST_STEPS, 0.308),
                "high": _each(TEST_STEPS, 0.9),
                "low_label": "30.8 % (tests over both ways)",
                "high_label": "90 %",
            },
            "trucks X-rayed": {
                "low": _each(XRAY_STEPS, 0.05),
                "high": _each(XRAY_STEPS, 0.2),
                "low_label": "5 %",
                "high_label": "20 %",
            },
            "Liantang's share of the trucks": {
                "low": _split(0.4),
                "high": _split(0.6),
                "low_label": "40 %",
                "high_label": "60 %",
            },
        },
    )
}


#: the scenario whose published outcome ``needed`` is about
NEEDED_FOR = SCENARIO.name


def needed(replications: int | None = None, workers: int | None = None) -> list[str]:
    """The drivers' wait for the test with fewer or more sampling points at each port."""
    scenario = portsim.load_scenario(SCENARIO)
    points = (2, 3, 4, 5, 7)
    variants = {str(n): {f"{t}.lanes.sampling_points.count": n for t in TESTS} for n in points}
    table = portsim.sweep(scenario, variants=variants, replications=replications, workers=workers)
    columns = table.to_columns()
    lines = [
        "| sampling points a port | wait for the test at Liantang | at Shenzhen Bay |",
        "| --- | --- | --- |",
    ]
    for i, label in enumerate(columns["variant"]):
        cells = [
            estimate_text(
                columns[f"{t}.wait_mean_s"][i],
                [columns[f"{t}.wait_mean_s.ci_low"][i], columns[f"{t}.wait_mean_s.ci_high"][i]],
                "duration",
            )
            for t in TESTS
        ]
        lines.append(f"| {label} | {cells[0]} | {cells[1]} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=None)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    common = {"replications": args.replications, "workers": args.workers}
    scenario = portsim.load_scenario(SCENARIO)
    result = portsim.simulate(scenario, records=False, **common)
    for name, stage in result.summary["stages"].items():
        wait = stage["wait_mean_s"]
        print(
            f"{name:>18}: mean wait {figure_text(wait['mean'], 'duration')}, "
            f"p95 {figure_text(stage['wait_p95_s']['mean'], 'duration')}, "
            f"lanes busy {stage['utilization']['mean']:.0%}"
        )
    print("\nThe test with fewer sampling points:")
    print("\n".join(needed(args.replications, args.workers)))
    answer, assumptions = SENSITIVITY[SCENARIO.name]
    print("\nWhich assumption the trucks' mean wait depends on most:")
    print(portsim.format_sensitivity(portsim.sensitivity(scenario, assumptions, answer, **common)))


if __name__ == "__main__":
    main()
