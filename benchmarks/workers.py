"""Speed-up of parallel replications: 10 replications of the Luohu scenario on 1 and on 2
worker processes (the whole CLI process, median of 3), and a check that the JSON is
identical. Target: at least 1.8x on a 2-core machine.

Run: python benchmarks/workers.py
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

from _harness import HERE

SCENARIO = HERE.parent / "scenarios" / "luohu_northbound_2019.yaml"


def timed(workers: int) -> tuple[float, str]:
    command = [
        sys.executable,
        "-m",
        "portsim",
        "run",
        str(SCENARIO),
        "-r",
        "10",
        "--workers",
        str(workers),
        "--json",
        "-",
    ]
    walls, out = [], ""
    for _ in range(3):
        start = time.perf_counter()
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        walls.append(time.perf_counter() - start)
    return statistics.median(walls), out


def main() -> None:
    one, out_one = timed(1)
    two, out_two = timed(2)
    print(f"{SCENARIO.name}, 10 replications, whole CLI process (median of 3)")
    print(f"1 worker  {one:6.2f} s")
    print(f"2 workers {two:6.2f} s   speed-up {one / two:.2f}x")
    print("identical JSON:", out_one == out_two)


if __name__ == "__main__":
    main()
