"""Timing whole processes the same way for every contender: wall time and peak memory of a
fresh interpreter, median of a few runs.

Every script takes ``--quick`` (or ``PORTSIM_BENCH_QUICK=1`` in the environment): a tiny run
of the same code, a few hundred travellers and one repetition, optional contenders (Ciw)
skipped when they are not installed. Its times mean nothing; ``tests/test_benchmarks.py``
runs each script so, so that a change of portsim's API cannot break a script unnoticed.
"""

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


#: the options beside ``--quick`` that a script takes, by its name (the others take none)
TAKES = {
    "mmc.py": ("travellers",),
    "mmc_phases.py": ("travellers",),
    "streaming_cost.py": ("travellers",),
    "tandem.py": ("travellers", "stages"),
}


def _arguments() -> dict[str, int | bool]:
    """The script's options: ``--quick``, and for the scripts of :data:`TAKES`
    ``--travellers N`` (the size of the run) and ``--stages N`` (the tandem's length); an
    option the script would not use is refused, as is a size with ``--quick``."""
    script = Path(sys.argv[0]).name
    takes = TAKES.get(script, ())
    usage = f"usage: python {script} [--quick]" + "".join(f" [--{name} N]" for name in takes)
    out: dict[str, int | bool] = {"quick": False}
    words = iter(sys.argv[1:])
    for word in words:
        if word == "--quick":
            out["quick"] = True
        elif word.removeprefix("--") in takes:
            value = next(words, "")
            if not value.isdecimal() or int(value) < 1:
                raise SystemExit(f"{usage}\n{word} takes a whole number")
            out[word.removeprefix("--")] = int(value)
        else:
            raise SystemExit(usage)
    if out["quick"] and "travellers" in out:
        raise SystemExit(f"{usage}\n--quick runs a few hundred travellers: not with --travellers")
    out["quick"] = out["quick"] or os.environ.get("PORTSIM_BENCH_QUICK", "") not in ("", "0")
    return out


ARGUMENTS = _arguments()
#: a tiny run, to check that the script still works (no figure of it means anything)
QUICK = bool(ARGUMENTS["quick"])


def travellers(usual: int) -> int:
    """The travellers of the run: ``--travellers N``, or ``usual`` (a few hundred if quick)."""
    return 300 if QUICK else int(ARGUMENTS.get("travellers", usual))


#: ``examples/egates_hall.yaml`` at a hundredth of its travellers (480 a day), for quick runs
HALL_QUICK = [
    "--set=flows.residents.arrivals.daily_total=400",
    "--set=flows.visitors.arrivals.daily_total=80",
]


@dataclass(frozen=True, slots=True)
class Timing:
    name: str
    seconds: float
    peak_mb: float
    travellers: float
    output: dict[str, Any]
    #: the fastest and slowest of the timed runs
    spread: tuple[float, float] = (0.0, 0.0)

    @property
    def per_second(self) -> float:
        return self.travellers / self.seconds


def _environment() -> dict[str, str]:
    """The contenders run as an installed package does: with bytecode caches (pip compiles
    them on install; a sandbox's ``PYTHONDONTWRITEBYTECODE`` would make every run compile
    portsim's sources again)."""
    environment = dict(os.environ)
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    return environment


def _time_once(name: str, command: list[str]) -> tuple[float, float, bytes]:
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=_environment()
    )
    assert process.stdout is not None
    out = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{name}: {' '.join(command)} failed ({status})")
    return wall, usage.ru_maxrss / 1024, out


def _output(name: str, out: bytes) -> dict[str, Any]:
    text = out.decode().strip()
    return dict(json.loads(text if name == "portsim" else text.splitlines()[-1]))


def run_process(name: str, command: list[str], travellers_of: Any, repeats: int = 3) -> Timing:
    """Run ``command`` ``repeats`` times (after one untimed run when there are several: bytecode
    caches written); its stdout's last line is JSON."""
    return run_interleaved([(name, command, travellers_of)], repeats, warm=repeats > 1)[0]


def run_interleaved(
    contenders: list[tuple[str, list[str], Any]], repeats: int = 5, *, warm: bool = True
) -> list[Timing]:
    """Time each contender ``repeats`` times in turns (A B C A B C …, after one untimed run
    each), so that a machine whose speed drifts — other work starting, a CPU clocking down —
    slows every contender alike and the ratios stay fair; the median of each."""
    if QUICK:
        repeats, warm = 1, False
    walls: dict[str, list[float]] = {name: [] for name, _, _ in contenders}
    peaks: dict[str, list[float]] = {name: [] for name, _, _ in contenders}
    outputs: dict[str, bytes] = {}
    for name, command, _ in contenders if warm else ():
        _time_once(name, command)
    for _ in range(repeats):
        for name, command, _ in contenders:
            wall, peak, outputs[name] = _time_once(name, command)
            walls[name].append(wall)
            peaks[name].append(peak)
    timings = []
    for name, _, travellers_of in contenders:
        output = _output(name, outputs[name])
        timings.append(
            Timing(
                name,
                statistics.median(walls[name]),
                max(peaks[name]),
                travellers_of(output),
                output,
                (min(walls[name]), max(walls[name])),
            )
        )
    return timings


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


def say_quick() -> None:
    """Say that the figures below are those of a quick run (when they are)."""
    if QUICK:
        print("quick run (--quick): a check that the script works; its figures mean nothing")


def report(rows: list[Timing], baseline: str) -> None:
    base = next(r for r in rows if r.name == baseline)
    print(
        f"{'implementation':<22} {'wall s':>8} {'(min-max)':>12} {'travellers/s':>13} "
        f"{'x ' + baseline:>16} {'peak MB':>8}"
    )
    for row in rows:
        low, high = row.spread
        print(
            f"{row.name:<22} {row.seconds:>8.2f} {f'{low:.2f}-{high:.2f}':>12} "
            f"{row.per_second:>13,.0f} {row.seconds / base.seconds:>16.2f} {row.peak_mb:>8.0f}"
        )
