"""How many cross-boundary buses does a separate-checks port need? Under separate checks
(两地两检) travellers ride a bus from the exit check to the entry check, and the bus leaves
when full or after a wait: its seats and its fleet decide the time in port.

Loads scenarios/hall_modes.yaml (Huanggang's new hall, separate checks), cut to the
morning and its peak, replaces the walk across the bridge with buses of 60 seats that leave
when full or 5 minutes after their first passenger, 4 minutes each way, and compares fleets
of several sizes with common random numbers: the time in port, the wait for the bus to
leave, and how the buses left.

Run:  python examples/cross_boundary_buses.py [--replications N]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import portsim

SCENARIO = Path(__file__).resolve().parent.parent / "scenarios" / "hall_modes.yaml"
FLEETS = (10, 14, 18)
BUS = "{{shuttle: {{seats: 60, ride: 4min, leaves: when_full, max_wait: 5min, fleet: {n}}}}}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=5)
    args = parser.parse_args()

    variants = [
        (
            f"{n} buses",
            portsim.load_scenario(
                SCENARIO, ["horizon=12h", f"clearance.separate.crossing={BUS.format(n=n)}"]
            ),
        )
        for n in FLEETS
    ]
    comparison = portsim.compare(variants, replications=args.replications)
    everyone, stop = portsim.Scope("overall"), portsim.Scope("stage", "exit")

    print(f"{variants[0][1].name}: 00:00 to 12:00, buses of 60 seats, 4 min each way")
    print(f"{comparison.replications} replications, seed {comparison.seed}\n")
    for name, _ in variants:
        s = comparison.results[name].summary
        in_port = s.stat(everyone, "system_time_mean_s").mean
        bus_wait = s.stat(stop, "shuttle_wait_mean_s").mean
        left = s.stat(stop, "shuttle_departures").mean
        full = s.stat(stop, "shuttle_left_full").mean
        print(
            f"{name:<9} time in port {in_port / 60:5.1f} min, wait for the bus "
            f"{bus_wait / 60:5.1f} min; {left:5.0f} departures, {full / left:4.0%} full"
        )
    for warning in comparison.results[variants[0][0]].warnings:
        print(f"\n{variants[0][0]}: {warning}")


if __name__ == "__main__":
    main()
