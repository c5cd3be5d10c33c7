"""What did moving Qingdao airport's baggage X-ray behind the scenes save arriving travellers?

The planner's question behind ``scenarios/qingdao_airport_baggage_2009.yaml``: the same
flights, paired (common random numbers), with the customs X-ray after reclaim (before the
2009 reform) and without it on the traveller's path (after). How much shorter the time in
the hall is, what the reform moved downstream (the travellers sent to inspection now reach
it together), how many X-ray machines the old layout would have needed to come close, and
which assumption the X-ray queue depended on most.

Run:  python examples/qingdao_baggage.py [--replications N] [--workers N]
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import portsim
from portsim.report.validation import estimate_text, figure_text

SCENARIO = (
    Path(__file__).resolve().parent.parent / "scenarios" / "qingdao_airport_baggage_2009.yaml"
)
#: the reform: the X-ray step leaves the traveller's route
REFORM = "flows.flights.route.2.p=0"
MACHINES = "stages.xray.lanes.machines.count"

#: which assumption moves the answer most (the guide's sensitivity table)
SENSITIVITY = {
    SCENARIO.name: (
        "stages.xray.wait_mean_s",
        {
            "X-ray time a traveller": {
                "low": {"stages.xray.lanes.machines.service.mean": "18s"},
                "high": {"stages.xray.lanes.machines.service.mean": "36s"},
                "low_label": "18 s (200 an hour)",
                "high_label": "36 s (100 an hour)",
            },
            "wait for the bags at the belt": {
                "low": {"stages.reclaim.lanes.belts.service.high": "6min"},
                "high": {"stages.reclaim.lanes.belts.service.high": "18min"},
                "low_label": "0-6 min",
                "high_label": "0-18 min",
            },
            "immigration counters": {
                "low": {"stages.immigration.lanes.counters.count": 8},
                "high": {"stages.immigration.lanes.counters.count": 16},
                "low_label": "8",
                "high_label": "16",
            },
            "travellers a flight": {
                "low": {
                    "flows.flights.arrivals.group": {"dist": "uniform", "low": 80, "high": 160}
                },
                "high": {
                    "flows.flights.arrivals.group": {"dist": "uniform", "low": 140, "high": 240}
                },
                "low_label": "80-160",
                "high_label": "140-240",
            },
        },
    )
}


#: the scenario whose published outcome ``needed`` is about
NEEDED_FOR = SCENARIO.name


def needed(replications: int | None = None, workers: int | None = None) -> list[str]:
    """The old layout with more X-ray machines: how close it comes to the reform."""
    before = portsim.load_scenario(SCENARIO)
    counts = [2, 3, 4, 6]
    table = portsim.sweep(before, {MACHINES: counts}, replications=replications, workers=workers)
    columns = table.to_columns()
    lines = [
        "| X-ray machines (before the reform) | wait at the X-ray | time in the hall |",
        "| --- | --- | --- |",
    ]
    for i, count in enumerate(counts):
        cells = [
            estimate_text(
                columns[m][i], [columns[f"{m}.ci_low"][i], columns[f"{m}.ci_high"][i]], "duration"
            )
            for m in ("stages.xray.wait_mean_s", "overall.system_time_mean_s")
        ]
        lines.append(f"| {count} | {cells[0]} | {cells[1]} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=None)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    common = {"replications": args.replications, "workers": args.workers}
    before = portsim.load_scenario(SCENARIO)
    after = portsim.load_scenario(SCENARIO, [REFORM])
    both = portsim.compare({"before": before, "after": after}, records=False, **common)
    for name, result in both.results.items():
        s = result.summary

        def mean(*path: str, summary: dict = s) -> str:
            node = summary
            for key in path:
                node = node[key]
            return figure_text(node["mean"], "duration")

        print(
            f"{name}: time in the hall {mean('overall', 'system_time_mean_s')}, waiting "
            f"{mean('overall', 'wait_mean_s')} of it; at inspection "
            f"{mean('stages', 'inspection', 'wait_mean_s')}"
        )
    saved = both.differences["after - before"]["overall"]["system_time_mean_s"]
    print(
        "The reform changes the time in the hall by "
        f"{estimate_text(saved['mean'], saved['ci95'], 'duration')} (paired by replication)."
    )
    print("\nThe old layout with more machines:")
    print("\n".join(needed(args.replications, args.workers)))
    answer, assumptions = SENSITIVITY[SCENARIO.name]
    print("\nWhich assumption the X-ray queue (before the reform) depends on most:")
    print(portsim.format_sensitivity(portsim.sensitivity(before, assumptions, answer, **common)))


if __name__ == "__main__":
    main()
