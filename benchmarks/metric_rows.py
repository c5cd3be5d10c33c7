"""Metric rows from records: the 2008 Spring Festival (``scenarios/spring_festival_2008.yaml``)
over its first day and its first two days, one replication: the time to order the records
and to compute every metric row from them (``replication_table``, fastest of 3), and the
peak of memory the metric rows take above the records (tracemalloc).

Run: python benchmarks/metric_rows.py [--quick]

Quick (``--quick``): the first two hours and the first four.
"""

from __future__ import annotations

import time
import tracemalloc

from _harness import HERE, QUICK, say_quick

import portsim
from portsim.engine.replication import run_replication
from portsim.model.compile import compile_scenario
from portsim.results.metrics import replication_table
from portsim.results.records import records_from_log

FILE = HERE.parent / "scenarios" / "spring_festival_2008.yaml"
HORIZONS = ("2h", "4h") if QUICK else ("24h", "48h")
REPEATS = 1 if QUICK else 3


def measure(horizon: str) -> None:
    model = compile_scenario(portsim.load_scenario(FILE, [f"horizon={horizon}"]))
    result = run_replication(model, 1, 0)
    assert result.log is not None
    start = time.perf_counter()
    records = records_from_log(model, 0, result.log)
    ordered = time.perf_counter() - start
    rows = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        replication_table(model, result.counters, records)
        rows.append(time.perf_counter() - start)
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    table = replication_table(model, result.counters, records)
    peak = tracemalloc.get_traced_memory()[1] - before
    tracemalloc.stop()
    print(
        f"{horizon:>4}  entities {records.entities:>9,}  visits {len(records.visit_entity):>9,}"
        f"  order the records {ordered:6.3f} s  metric rows {min(rows):6.3f} s"
        f"  ({len(table):,} rows)  their peak {peak / 2**20:6.1f} MB"
    )


def main() -> None:
    say_quick()
    print(f"2008 Spring Festival, one replication; metric rows fastest of {REPEATS}")
    for horizon in HORIZONS:
        measure(horizon)


if __name__ == "__main__":
    main()
