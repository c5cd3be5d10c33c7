"""Timing whole processes the same way for every contender: wall time and peak memory of a
fresh interpreter, median of a few runs."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True, slots=True)
class Timing:
    name: str
    seconds: float
    peak_mb: float
    travellers: float
    output: dict[str, Any]

    @property
    def per_second(self) -> float:
        return self.travellers / self.seconds


def run_process(name: str, command: list[str], travellers_of: Any, repeats: int = 3) -> Timing:
    """Run ``command`` ``repeats`` times; its stdout's last line is JSON."""
    walls, peaks, output = [], [], {}
    for _ in range(repeats):
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        assert process.stdout is not None
        out = process.stdout.read()
        _, status, usage = os.wait4(process.pid, 0)
        walls.append(time.perf_counter() - start)
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            raise SystemExit(f"{name}: {' '.join(command)} failed ({process.returncode})")
        peaks.append(usage.ru_maxrss / 1024)
        output = json.loads(out.decode().strip().splitlines()[-1] if name != "portsim" else out)
    return Timing(name, statistics.median(walls), max(peaks), travellers_of(output), output)


def portsim_command(scenario: dict[str, Any]) -> list[str]:
    """The whole CLI, as a user runs it, on a scenario written to a temporary file."""
    handle = tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False)  # noqa: SIM115
    with handle:
        yaml.safe_dump(scenario, handle, sort_keys=False)
    return [sys.executable, "-m", "portsim", "run", handle.name, "-r", "1", "--json", "-"]


def portsim_travellers(out: dict[str, Any]) -> float:
    return float(out["overall"]["served"]["mean"] + out["overall"]["unfinished"]["mean"])


def simple_travellers(out: dict[str, Any]) -> float:
    return float(out["travellers"])


def report(rows: list[Timing], baseline: str) -> None:
    base = next(r for r in rows if r.name == baseline)
    print(
        f"{'implementation':<22} {'wall s':>8} {'travellers/s':>13} {'x ' + baseline:>16} "
        f"{'peak MB':>8}"
    )
    for row in rows:
        print(
            f"{row.name:<22} {row.seconds:>8.2f} {row.per_second:>13,.0f} "
            f"{row.seconds / base.seconds:>16.2f} {row.peak_mb:>8.0f}"
        )
