"""Memory of a streaming sweep against its horizon: ``portsim sweep`` of
``examples/egates_hall.yaml`` (2 configurations x 2 replications, one worker) over 1 day and
over 7 days, each as a whole CLI process: peak resident memory and its ratio. Sweeps keep no
per-entity records (the streaming tallies), so the target is the week within 1.2x of the day.

Run: python benchmarks/sweep_memory.py [--quick]
"""

from __future__ import annotations

import sys

from _harness import HALL_QUICK, HERE, QUICK, Timing, run_process, say_quick

HALL = HERE.parent / "examples" / "egates_hall.yaml"
TARGET = 1.2


def swept(horizon: str) -> Timing:
    command = [
        sys.executable,
        "-m",
        "portsim",
        "sweep",
        str(HALL),
        "--set",
        f"horizon={horizon}",
        "--vary",
        "stages.hall.lanes.egates.count=10,12",
        "-r",
        "2",
        "-w",
        "1",
        "--json",
        "-",
        *(HALL_QUICK if QUICK else []),
    ]
    return run_process("portsim", command, _travellers, repeats=1)


def _travellers(out: dict[str, list[dict[str, float]]]) -> float:
    return sum(row["overall.served"] + row["overall.unfinished"] for row in out["rows"]) * 2


def main() -> None:
    say_quick()
    day, week = swept("1d"), swept("7d")
    print("portsim sweep, 2 configurations x 2 replications, one worker, whole process")
    for label, row in (("1 day", day), ("7 days", week)):
        print(
            f"{label:<7} travellers {row.travellers:>10,.0f}  wall {row.seconds:>6.1f} s  "
            f"peak memory {row.peak_mb:>5.0f} MB"
        )
    ratio = week.peak_mb / day.peak_mb
    verdict = "within" if ratio <= TARGET else "over"
    print(f"peak 7 days / 1 day: {ratio:.2f} ({verdict} the target {TARGET})")


if __name__ == "__main__":
    main()
