"""Speed-up of parallel replications: 10 replications of the Luohu scenario on 1 and on 2
worker processes (the whole CLI process, median of 3), and a check that the JSON is
identical. Target: at least 1.8x on a 2-core machine.

Run: python benchmarks/workers.py [--quick]
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

from _harness import HERE, QUICK, say_quick

SCENARIO = HERE.parent / "scenarios" / "luohu_northbound_2019.yaml"
#: replications, and timed runs of each (the median); quick: about 400 travellers a day
REPLICATIONS, RUNS = (2, 1) if QUICK else (10, 3)
SMALLER = [
    f"--set=flows.{flow}.arrivals.daily_total={total}"
    for flow, total in (
        ("hk_residents", 150),
        ("mainland_residents", 230),
        ("other_travellers", 20),
    )
]


def timed(workers: int) -> tuple[float, str]:
    command = [
        sys.executable,
        "-m",
        "portsim",
        "run",
        str(SCENARIO),
        "-r",
        str(REPLICATIONS),
        "--workers",
        str(workers),
        "--json",
        "-",
        *(SMALLER if QUICK else []),
    ]
    walls, out = [], ""
    for _ in range(RUNS):
        start = time.perf_counter()
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        walls.append(time.perf_counter() - start)
    return statistics.median(walls), out


def main() -> None:
    say_quick()
    one, out_one = timed(1)
    two, out_two = timed(2)
    print(f"{SCENARIO.name}, {REPLICATIONS} replications, whole CLI process (median of {RUNS})")
    print(f"1 worker  {one:6.2f} s")
    print(f"2 workers {two:6.2f} s   speed-up {one / two:.2f}x")
    print("identical JSON:", out_one == out_two)


if __name__ == "__main__":
    main()
