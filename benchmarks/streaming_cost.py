"""Streaming against records: the M/M/10 of ``mmc.py`` run as a worker runs a replication
(``run_task``), keeping records and metric rows from them, or streaming (``--no-records``:
the chunk recorder and its tallies, what every sweep and plan runs), in one process, the two
in turns; CPU time of each, fastest of 5. Target: streaming no dearer than records.

CPU time on a busy machine swings by more than the few per cent between the two; for a figure
that does not, count instructions of one run (``--one records``, ``--one streaming``, or
``--one none`` for the process without the run)::

    valgrind --tool=callgrind --callgrind-out-file=/dev/null \
        python benchmarks/streaming_cost.py --one streaming

Run: python benchmarks/streaming_cost.py [--quick] [--travellers N]
     python benchmarks/streaming_cost.py --one records|streaming|none [--travellers N]
"""

from __future__ import annotations

import sys
import time

ONE = sys.argv[1:2] == ["--one"]
WHAT = sys.argv[2] if ONE and len(sys.argv) > 2 else ""
if ONE:  # the harness takes no --one: what to run one of is read here
    del sys.argv[1:3]

from _harness import QUICK, say_quick  # noqa: E402
from mmc import TRAVELLERS, scenario  # noqa: E402

import portsim  # noqa: E402
from portsim.model.compile import compile_scenario  # noqa: E402
from portsim.run.tasks import Task, run_task  # noqa: E402

REPEATS = 1 if QUICK else 5


def main() -> None:
    model = compile_scenario(portsim.scenario_from_dict(scenario()))
    if ONE:
        if WHAT in ("records", "streaming"):
            run_task(Task("", model, 1, 0, WHAT == "records"))
        elif WHAT != "none":
            raise SystemExit("--one takes records, streaming or none")
        return
    say_quick()
    times: dict[str, list[float]] = {"records": [], "streaming": []}
    for _ in range(REPEATS):
        for what, taken in times.items():
            start = time.process_time()
            run_task(Task("", model, 1, 0, what == "records"))
            taken.append(time.process_time() - start)
    records, streaming = min(times["records"]), min(times["streaming"])
    print(
        f"M/M/10 at load 0.9, {TRAVELLERS:,} travellers, one replication as a worker runs it "
        f"(CPU time, fastest of {REPEATS}, the two in turns)"
    )
    print(f"records    {records:7.3f} s")
    print(f"streaming  {streaming:7.3f} s")
    print(f"streaming / records: {streaming / records:.3f}")


if __name__ == "__main__":
    main()
