"""Speed-up of a sweep on 2 worker processes against 1: 8 configurations (e-gates 6, 8, 10,
12 x counters 8, 10) x 5 replications of ``examples/egates_hall.yaml``, the whole CLI
process, median of 3 taken in turn; and a check that the table (``--json``) is identical.
Target: at least 1.8x on a 2-core machine.

Run: python benchmarks/sweep_workers.py [--quick]
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

from _harness import HALL_QUICK, HERE, QUICK, say_quick

HALL = HERE.parent / "examples" / "egates_hall.yaml"
#: quick: 2 configurations x 1 replication, timed once, on a hall of a hundredth the travellers
GRID = [
    "--vary",
    "stages.hall.lanes.egates.count=" + ("6,8" if QUICK else "6:12:2"),
    *([] if QUICK else ["--vary", "stages.hall.lanes.counters.count=8,10"]),
    *(HALL_QUICK if QUICK else []),
]
REPLICATIONS, RUNS = (1, 1) if QUICK else (5, 3)


def timed(workers: int) -> tuple[float, str]:
    command = [sys.executable, "-m", "portsim", "sweep", str(HALL), *GRID, "-r", str(REPLICATIONS)]
    command += ["--workers", str(workers), "--json", "-"]
    start = time.perf_counter()
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return time.perf_counter() - start, out


def main() -> None:
    say_quick()
    # 1 and 2 workers taken in turn, so that a change in the machine's load hits both
    runs = [(timed(1), timed(2)) for _ in range(RUNS)]
    one = statistics.median(a[0] for a, _ in runs)
    two = statistics.median(b[0] for _, b in runs)
    out_one, out_two = runs[0][0][1], runs[0][1][1]
    configurations = 2 if QUICK else 8
    print(
        f"portsim sweep {HALL.name}: {configurations} configurations x {REPLICATIONS} "
        f"replications (median of {RUNS})"
    )
    print(f"1 worker  {one:6.2f} s")
    print(f"2 workers {two:6.2f} s   speed-up {one / two:.2f}x")
    print("identical table:", out_one == out_two)


if __name__ == "__main__":
    main()
