"""Where the M/M/10 run of ``mmc.py`` spends its time, phase by phase, in a fresh process.

The same scenario as ``mmc.py`` (M/M/10 at load 0.9, 200,000 travellers), run in one
process step by step as ``portsim run FILE -r 1 --json -`` runs it: starting Python,
importing the command line, loading and checking the file, compiling the model, the engine
(the best of a few runs, records included), ordering the records, the metric rows, then the
whole ``simulate`` once more (engine, records, metric rows and summary in one) and the JSON.

Run: python benchmarks/mmc_phases.py [--quick]
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time

import yaml
from _harness import QUICK, _environment, say_quick
from mmc import TRAVELLERS, scenario

#: engine runs, the fastest reported; bare interpreters started, the fastest reported
ENGINE_RUNS = 1 if QUICK else 5
STARTS = 1 if QUICK else 5

PHASES = r"""
import json, sys, time
t0 = time.perf_counter()
import portsim.cli
t1 = time.perf_counter()
import portsim
from portsim.engine.replication import run_replication
from portsim.model.compile import compile_scenario
from portsim.results.records import records_from_log
from portsim.results.metrics import replication_table
scenario = portsim.load_scenario(sys.argv[1])
t2 = time.perf_counter()
model = compile_scenario(scenario)
t3 = time.perf_counter()
engine = []
for _ in range(int(sys.argv[2])):
    start = time.perf_counter()
    result = run_replication(model, 0, 0)
    engine.append(time.perf_counter() - start)
t4 = time.perf_counter()
records = records_from_log(model, 0, result.log)
t5 = time.perf_counter()
replication_table(model, result.counters, records)
t6 = time.perf_counter()
whole = portsim.simulate(scenario, replications=1)
t7 = time.perf_counter()
text = whole.to_json()
t8 = time.perf_counter()
print(json.dumps({
    "import portsim.cli": t1 - t0,
    "load and check the file": t2 - t1,
    "compile the model": t3 - t2,
    "engine (fastest run)": min(engine),
    "order the records": t5 - t4,
    "metric rows": t6 - t5,
    "simulate, all of it": t7 - t6,
    "JSON": t8 - t7,
}))
"""


def _python_start() -> float:
    """A bare interpreter's start and exit, the fastest of a few."""
    times = []
    for _ in range(STARTS):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True, env=_environment())
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    say_quick()
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as handle:
        yaml.safe_dump(scenario(), handle, sort_keys=False)
    done = subprocess.run(
        [sys.executable, "-c", PHASES, handle.name, str(ENGINE_RUNS)],
        capture_output=True,
        text=True,
        check=True,
        env=_environment(),
    )
    phases = yaml.safe_load(done.stdout)
    print(f"M/M/10 at load 0.9, {TRAVELLERS:,} travellers: where one run's time goes")
    print(f"{'start Python (python -c pass)':<34} {_python_start():>7.3f} s")
    for name, seconds in phases.items():
        print(f"{name:<34} {seconds:>7.3f} s")


if __name__ == "__main__":
    main()
