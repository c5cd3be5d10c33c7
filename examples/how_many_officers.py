"""How many officers on each shift, for both directions of a port sharing one roster?

Loads the land port of ``examples/two_directions_officers.yaml`` (a northbound hall busy in
the morning, a southbound hall busy in the evening, their counters staffed from one pool of
officers on duty by shift, and dual-facing counters between them, each staffed by an officer
of the same roster), prints what a run says of the officers (officer-hours committed and on
duty, busy on average and at most), then searches the officers of each of its three shifts
for the cheapest roster that keeps 95 % of each direction's travellers within 15 minutes —
each candidate confirmed statistically — and prints the answer with its evidence.

Run:  python examples/how_many_officers.py [--replications N] [--workers N]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import portsim
from portsim.report import format_report
from portsim.report.planning import format_plan

PORT = Path(__file__).resolve().parent / "two_directions_officers.yaml"
SHIFTS = {
    # the officers at the 4 dual-facing counters included
    "staff.officers.schedule.0.count": "6:10:2",  # 00:00-08:00
    "staff.officers.schedule.1.count": "8:12:2",  # 08:00-16:00
    "staff.officers.schedule.2.count": "8:12:2",  # 16:00-24:00
}
TARGETS = ["northbound.wait_p95<=15min", "southbound.wait_p95<=15min"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=3)
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args()
    port = portsim.load_scenario(PORT)
    run = portsim.simulate(port, replications=args.replications, workers=args.workers or 1)
    report = format_report(run)
    start = report.index("Officers (")
    print(report[start : report.index("\n\n", start)])  # the pool's line
    print()
    roster = portsim.plan(
        port,
        SHIFTS,
        TARGETS,
        cost="officers=1",
        replications=max(2, args.replications),
        max_replications=4 * max(2, args.replications),
        workers=args.workers,
    )
    assert isinstance(roster, portsim.PlanResult)
    print(format_plan(roster))


if __name__ == "__main__":
    main()
