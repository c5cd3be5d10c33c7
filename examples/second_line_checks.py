"""What did the 2008 second-line checks ask of Shenzhen's inner boundary?

The planner's question behind ``scenarios/shenzhen_second_line_2008.yaml``: 1.6 million
persons and 456,500 vehicles a day entering the special zone through 16 checkpoints. How
long vehicles and people waited, what the checks cost in hours a day, and which assumption
a vehicle's wait depends on most: the number of inbound lanes among them (the line's lanes,
times and traffic mix are not published: every one of them is an assumption).

Run:  python examples/second_line_checks.py [--replications N] [--workers N] [--quick]
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import portsim
from portsim.report.validation import figure_text

SCENARIO = Path(__file__).resolve().parent.parent / "scenarios" / "shenzhen_second_line_2008.yaml"
LANES = "stages.vehicle_lanes.lanes.lanes"
WAIT = "stages.vehicle_lanes.wait_mean_s"
HOUR = 3600.0
#: --quick: every run cut to its first hours (a check that the script runs, as the tests do)
QUICK = ("horizon=8h",)


def _buses(share: float) -> dict[str, int]:
    """Buses as a share of the vehicles, cars taking up the difference."""
    vehicles, goods = 456500, 164340
    buses = round(vehicles * share)
    return {
        "flows.buses.arrivals.daily_total": buses,
        "flows.cars.arrivals.daily_total": vehicles - goods - buses,
    }


#: which assumption moves the answer most (the guide's sensitivity table)
SENSITIVITY = {
    SCENARIO.name: (
        WAIT,
        {
            "document check a person aboard": {
                "low": {f"{LANES}.service_per_occupant.value": "2s"},
                "high": {f"{LANES}.service_per_occupant.value": "6s"},
                "low_label": "2 s",
                "high_label": "6 s",
            },
            "buses among the vehicles": {
                "low": _buses(0.02),
                "high": _buses(0.06),
                "low_label": "2 %",
                "high_label": "6 %",
            },
            "inbound vehicle lanes a checkpoint": {
                "low": {f"{LANES}.count": 240},
                "high": {f"{LANES}.count": 400},
                "low_label": "15 (240 in all)",
                "high_label": "25 (400 in all)",
            },
        },
    )
}


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
    scenario = portsim.load_scenario(SCENARIO, QUICK if args.quick else ())
    result = portsim.simulate(scenario, records=False, **common)
    s = result.summary
    persons = s["persons"]
    waited = persons["served"]["mean"] * persons["wait_mean_s"]["mean"] / HOUR
    stopped = sum(
        f["served"]["mean"] * f["system_time_mean_s"]["mean"] / HOUR for f in s["flows"].values()
    )
    print(
        f"Persons waited {figure_text(persons['wait_mean_s']['mean'], 'duration')} on average, "
        f"{waited:,.0f} person-hours a day; vehicles and walkers spent {stopped:,.0f} hours a "
        "day at the checks (queue and check)."
    )
    answer, assumptions = SENSITIVITY[SCENARIO.name]
    print("\nWhich assumption a vehicle's wait depends on most:")
    print(portsim.format_sensitivity(portsim.sensitivity(scenario, assumptions, answer, **common)))


if __name__ == "__main__":
    main()
