"""What importing portsim costs a process: ``import portsim``, ``import portsim.cli``,
``portsim run`` of a small file, and a worker process's task (a worker unpickles
``run_task`` and its :class:`~portsim.run.tasks.Task`, which imports what they need, then runs
it). Each in a fresh interpreter under ``python -X importtime``: the CPU time of the whole
process (user and system), the sum of the imports' own times, and the modules imported;
the median and the fastest of a few runs.

The worker's task is replication 0 of ``scenarios/luohu_average_day_2019.yaml`` over its
first 8 hours, with records, pickled as a process pool sends it. (With the ``fork`` start
method, Linux's default before Python 3.14, a pool's workers inherit the modules of the
process that started them; with ``spawn`` or ``forkserver`` and on a dask cluster each
worker imports them itself.)

Run: python benchmarks/imports.py [--quick]
"""

from __future__ import annotations

import os
import pickle
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from _harness import HERE, QUICK, _environment, say_quick

import portsim
from portsim.model.compile import compile_scenario
from portsim.run.tasks import Task, run_task

#: runs of each process, the median and the fastest reported
RUNS = 1 if QUICK else 15
SCENARIO = HERE.parent / "scenarios" / "luohu_average_day_2019.yaml"
SMALL = """\
name: small hall
horizon: 1h
replications: 2
flows: [{name: travellers, arrivals: {rate: 0.1}, route: [hall]}]
stages: [{name: hall, lanes: [{name: counters, count: 3, service: {dist: exponential, mean: 25s}}]}]
"""
_IMPORT = re.compile(r"^import time:\s+(\d+) \|\s+\d+ \| *(\S+)", re.MULTILINE)


def _once(arguments: list[str]) -> tuple[float, float, int]:
    """CPU seconds of the process, seconds of its imports' own times, modules imported."""
    process = subprocess.Popen(
        [sys.executable, "-X", "importtime", *arguments],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=_environment(),
    )
    assert process.stderr is not None
    log = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(arguments)} failed:\n{log[-2000:]}")
    imports = _IMPORT.findall(log)
    return usage.ru_utime + usage.ru_stime, sum(int(us) for us, _ in imports) / 1e6, len(imports)


def _cases(folder: Path) -> dict[str, list[str]]:
    small = folder / "small.yaml"
    small.write_text(SMALL, encoding="utf-8")
    task = folder / "task.pickle"
    scenario = portsim.load_scenario(SCENARIO, ["horizon=8h"])
    work = (run_task, (Task("luohu", compile_scenario(scenario), 1, 0),))
    task.write_bytes(pickle.dumps(work))
    load = f"import pickle; function, arguments = pickle.loads(open({str(task)!r}, 'rb').read())"
    return {
        "import portsim": ["-c", "import portsim"],
        "import portsim.cli": ["-c", "import portsim.cli"],
        "portsim run (small file)": ["-m", "portsim", "run", str(small), "-w", "1", "--quiet"],
        "a worker unpickles a task": ["-c", load],
        "... and runs it": ["-c", f"{load}; function(*arguments)"],
    }


def main() -> None:
    say_quick()
    with tempfile.TemporaryDirectory() as folder:
        cases = _cases(Path(folder))
        print(f"fresh processes, -X importtime, median (fastest) of {RUNS}")
        print(f"{'process':<28} {'CPU ms':>14} {'imports ms':>14} {'modules':>8}")
        for name, arguments in cases.items():
            runs = [_once(arguments) for _ in range(RUNS)]
            cpu = [c for c, _, _ in runs]
            imports = [i for _, i, _ in runs]
            print(
                f"{name:<28} {statistics.median(cpu) * 1000:>6.0f} ({min(cpu) * 1000:>4.0f}) "
                f"{statistics.median(imports) * 1000:>6.0f} ({min(imports) * 1000:>4.0f}) "
                f"{runs[0][2]:>8}"
            )


if __name__ == "__main__":
    main()
