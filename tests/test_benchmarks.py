"""The benchmark scripts still run: each script in ``benchmarks/`` run as a process in its
quick mode (``--quick``: a few hundred travellers, one repetition, Ciw skipped when it is
not installed), exiting 0 and printing its table. Several scripts import portsim's internals
(``feed_forward.py``, ``mmc_phases.py``), so a change of them would otherwise break a script
unnoticed until someone next measured. No time is asserted: a quick run's figures mean
nothing, only that the script works (and what it checks itself: identical results on one
worker and two, the recursion equal to the engine)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"

#: each timing script, and lines of what it prints that its table must hold
SCRIPTS = {
    "mmc.py": ["implementation", "portsim ", "hand-written SimPy ", "mean wait: portsim"],
    "mmc_phases.py": ["import portsim.cli", "engine (fastest run)", "JSON"],
    "tandem.py": ["implementation", "portsim ", "hand-written SimPy "],
    "feed_forward.py": ["the recursion gives the engine's records exactly", "event engine"],
    "imports.py": ["import portsim.cli ", "a worker unpickles a task ", "... and runs it "],
    "workers.py": ["1 worker", "2 workers", "identical JSON: True"],
    "shenzhen_day.py": ["travellers", "peak memory", "warnings:"],
    "streaming_memory.py": ["1 day ", "7 days ", "peak 7 days / 1 day"],
    "sweep_memory.py": ["1 day ", "7 days ", "peak 7 days / 1 day"],
    "sweep_workers.py": ["1 worker", "2 workers", "identical table: True"],
    "plan_runs.py": ["search ", "whole grid ", "answer egates="],
    "streaming_cost.py": ["records ", "streaming ", "streaming / records:"],
    "metric_rows.py": ["  2h  entities", "  4h  entities", "metric rows"],
    "animation.py": ["small hall     8 frames", "wide hall     4 frames", "peak 8 frames / 4"],
}
#: not timing scripts: the shared harness, and the contenders that mmc.py and tandem.py run
#: (with their own arguments) beside portsim
HELPERS = {"_harness.py", "handwritten_simpy.py", "ciw_mmc.py"}


def test_every_script_in_benchmarks_is_run_here() -> None:
    scripts = {path.name for path in BENCHMARKS.glob("*.py")}
    assert scripts == set(SCRIPTS) | HELPERS


@pytest.mark.parametrize("script", sorted(SCRIPTS))
def test_a_benchmark_script_runs_in_quick_mode(script: str, tmp_path: Path) -> None:
    # the scripts' scenario files go to the test's own folder
    environment = {**os.environ, "TMPDIR": str(tmp_path)}
    environment.pop("PORTSIM_BENCH_QUICK", None)
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / script), "--quick"],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    assert lines[0].startswith("quick run (--quick)"), done.stdout
    for expected in SCRIPTS[script]:
        assert any(expected in line for line in lines), (expected, done.stdout)


def test_a_benchmark_script_refuses_an_argument_it_does_not_know() -> None:
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / "mmc.py"), "--quik"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.strip() == "usage: python mmc.py [--quick] [--travellers N]"


@pytest.mark.parametrize(
    ("script", "arguments", "said"),
    [
        ("metric_rows.py", ["--travellers", "5"], "usage: python metric_rows.py [--quick]"),
        ("mmc.py", ["--stages", "4"], "usage: python mmc.py [--quick] [--travellers N]"),
        ("mmc.py", ["--travellers", "³"], "--travellers takes a whole number"),
        ("mmc.py", ["--quick", "--travellers", "5"], "not with --travellers"),
    ],
)
def test_an_option_the_script_would_not_use_is_refused(
    script: str, arguments: list[str], said: str
) -> None:
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / script), *arguments],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert said in done.stderr


def test_a_tandem_of_four_runs_in_quick_mode() -> None:
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / "tandem.py"), "--quick", "--stages", "4"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "4-stage tandem at load 0.9, 300 travellers" in done.stdout
    refused = subprocess.run(
        [sys.executable, str(BENCHMARKS / "tandem.py"), "--quick", "--stages", "5"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert refused.returncode == 1
    assert refused.stderr.strip() == "--stages takes 3 or 4"
