"""Long jobs: output paths checked before the run and results kept after it, the work said
(or refused) before the run, warnings before the run, a progress display on a terminal
only, Ctrl-C as exit 130 with one line, and workers capped."""

from __future__ import annotations

import csv
import fcntl
import json
import os
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

import portsim.cli
from portsim import scenario_from_dict, simulate
from portsim.cli import EXIT_INTERRUPTED, EXIT_NOT_WRITTEN, main
from portsim.run import usable_workers
from portsim.run.preflight import WORKERS_PER_CORE, preflight
from portsim.run.tasks import Task, TaskResult, default_workers, run_tasks

from .test_cli import SMALL

#: a day at 20 travellers a second: about a minute or more of work, two replications
BIG: dict[str, Any] = {
    "name": "big",
    "horizon": "1d",
    "replications": 4,
    "flows": [{"name": "a", "arrivals": {"rate": "20/s"}, "route": ["hall"]}],
    "stages": [
        {
            "name": "hall",
            "lanes": [{"name": "g", "count": 30, "service": {"dist": "exponential", "mean": 1}}],
        }
    ],
}


def _file(tmp_path: Path, data: dict[str, Any], name: str = "scenario.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("option", "target", "words"),
    [
        ("--json", "missing/out.json", "the folder"),
        ("--json", ".", "is a folder"),
        ("--records", "missing/records.csv", "does not exist"),
        ("--records", ".", "is a folder"),
        ("--json", "scenario.yaml", "would overwrite it"),
    ],
)
@pytest.mark.parametrize("command", ["run", "compare"])
def test_a_bad_output_path_is_said_before_a_long_run(
    tmp_path: Path, option: str, target: str, words: str, command: str
) -> None:
    file = _file(tmp_path, BIG)
    where = str(tmp_path / target)
    args = [command, str(file), option, where]
    if command == "compare":
        args += ["--variant", "more:stages.hall.lanes.g.count=40"]
    started = time.perf_counter()
    result = CliRunner().invoke(main, args)
    assert time.perf_counter() - started < 1
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert result.stderr.startswith(f"{where}: ")
    assert words in result.stderr


def test_the_same_file_for_two_outputs_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["run", str(_file(tmp_path, BIG)), "--json", str(out), "--records", str(out)]
    )
    assert result.exit_code == 2
    assert "given to both --json and --records" in result.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("option", ["--json", "--records"])
def test_a_write_that_fails_after_the_run_is_one_line_and_the_table_is_printed(
    tmp_path: Path, option: str
) -> None:
    result = CliRunner().invoke(main, ["run", str(_file(tmp_path, SMALL)), option, "/dev/full"])
    assert result.exit_code == EXIT_NOT_WRITTEN
    assert "Traceback" not in result.stderr
    assert result.stderr.strip() == "/dev/full: cannot write: No space left on device"
    assert "Stages and lane groups" in result.stdout


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (
            [
                "--set",
                "flows.a.arrivals={daily_total: 1e12, profile: [" + "1," * 23 + "1]}",
            ],
            "days of work",
        ),
        (["--set", "flows.a.arrivals.rate=1e300/s"], "days of work"),
        (["--replications", "1000000000"], "at most 10,000"),
        (["--set", "replications=10000", "--set", "horizon=300d"], "days of work"),
    ],
    ids=["daily total 1e12", "rate 1e300", "a billion replications", "300 days x 10,000"],
)
def test_an_absurd_run_is_refused_before_it_starts(
    tmp_path: Path, args: list[str], words: str
) -> None:
    file = _file(tmp_path, BIG)
    started = time.perf_counter()
    result = CliRunner().invoke(main, ["run", str(file), *args])
    assert time.perf_counter() - started < 5
    assert result.exit_code == 2, result.output
    line = result.stderr.strip()
    assert "\n" not in line
    assert line.startswith(f"{file}: ")
    assert words in line


def test_the_python_api_refuses_an_absurd_run_too() -> None:
    data = {**BIG, "flows": [{**BIG["flows"][0], "arrivals": {"rate": 1e9}}]}
    with pytest.raises(portsim.UsageError, match="days of work"):
        simulate(scenario_from_dict(data), replications=1)


def test_a_large_run_is_said_before_it_starts_unless_quiet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*args: Any, **kwargs: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(portsim.cli, "simulate", interrupted)
    file = str(_file(tmp_path, BIG))
    said = CliRunner().invoke(main, ["run", file])
    assert said.exit_code == EXIT_INTERRUPTED
    assert said.stderr.splitlines()[0].startswith("portsim: about 1.7 million travellers")
    assert "of work on one core" in said.stderr
    quiet = CliRunner().invoke(main, ["run", file, "--quiet"])
    assert quiet.stderr.strip() == "interrupted: no results were written"


def test_warnings_come_before_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: Any, **kwargs: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(portsim.cli, "simulate", interrupted)
    data = json.loads(json.dumps(SMALL))
    data["stages"][0]["lanes"][0]["count"] = 1
    result = CliRunner().invoke(main, ["run", str(_file(tmp_path, data))])
    assert result.stderr.splitlines()[0].startswith("warning: stage 'exit_check'")


def test_workers_are_capped_at_the_replications_and_a_multiple_of_the_cores() -> None:
    cores = default_workers()
    assert usable_workers(1000, 3) == min(3, WORKERS_PER_CORE * cores)
    assert usable_workers(1000, 10_000) == WORKERS_PER_CORE * cores
    assert usable_workers(1, 10) == 1


def test_results_come_back_in_task_order_from_a_map_in_any_order() -> None:
    s = scenario_from_dict(SMALL)
    model = preflight(s, 3).model
    tasks = [Task("", model, 5, r, records=False) for r in range(3)]

    def backwards(function: Any, items: Iterable[Task]) -> Iterator[TaskResult]:
        return (function(t) for t in reversed(list(items)))

    told: list[tuple[int, int]] = []
    results = run_tasks(tasks, backwards, progress=lambda d, t: told.append((d, t)))
    assert [r.replication for r in results] == [0, 1, 2]
    assert told == [(1, 3), (2, 3), (3, 3)]
    assert [r.table for r in results] == [r.table for r in run_tasks(tasks)]


def test_progress_is_told_with_worker_processes_and_results_do_not_change() -> None:
    s = scenario_from_dict(SMALL)
    told: list[tuple[int, int]] = []
    two = simulate(s, replications=4, workers=2, progress=lambda d, t: told.append((d, t)))
    assert told == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert two.to_json() == simulate(s, replications=4, workers=1).to_json()


def test_compare_writes_every_variants_records(tmp_path: Path) -> None:
    out = tmp_path / "records.csv"
    result = CliRunner().invoke(
        main,
        [
            "compare",
            str(_file(tmp_path, SMALL)),
            "--variant",
            "more:stages.exit_check.lanes.counters.count=4",
            "-r",
            "2",
            "--records",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.stderr
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["variant"] for r in rows} == {"base", "more"}
    assert {r["replication"] for r in rows} == {"0", "1"}


def test_a_bad_option_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["run", str(_file(tmp_path, SMALL)), "-r", "0"])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Invalid value for '--replications' / '-r': 0 is not in the range")
    assert lines[0].endswith(" run --help)")


def _on_a_terminal(args: list[str]) -> tuple[int, str, str]:
    """Run portsim with standard error on a pseudo-terminal: (exit code, stdout, stderr)."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    chunks: list[bytes] = []

    def read() -> None:
        while True:
            try:
                data = os.read(master, 4096)
            except OSError:
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=read)
    reader.start()
    done = subprocess.run(
        [sys.executable, "-m", "portsim", *args],
        stdout=subprocess.PIPE,
        stderr=slave,
        text=True,
        check=False,
    )
    os.close(slave)
    reader.join(timeout=10)
    os.close(master)
    return done.returncode, done.stdout, b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_terminal_shows_progress_and_json_stays_clean(tmp_path: Path, workers: str) -> None:
    file = str(_file(tmp_path, SMALL))
    code, out, err = _on_a_terminal(["run", file, "-r", "3", "-w", workers, "--json", "-"])
    assert code == 0
    assert "3/3" in err
    assert "replication" in err
    assert json.loads(out)["replications"] == 3


def test_quiet_or_no_terminal_shows_no_progress(tmp_path: Path) -> None:
    file = str(_file(tmp_path, SMALL))
    code, _, err = _on_a_terminal(["run", file, "-r", "3", "--quiet", "--json", "-"])
    assert code == 0
    assert err == ""
    piped = subprocess.run(
        [sys.executable, "-m", "portsim", "run", file, "-r", "3", "--json", "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert piped.stderr == ""


def _sigint_as_default() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize("workers", ["1", "2"])
def test_ctrl_c_stops_cleanly(tmp_path: Path, workers: str) -> None:
    file = _file(tmp_path, BIG)
    process = subprocess.Popen(
        [sys.executable, "-m", "portsim", "run", str(file), "--workers", workers],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # Ctrl-C as a terminal sends it, whatever this process does with SIGINT (a shell
        # starts background jobs ignoring it, and a child keeps that)
        preexec_fn=_sigint_as_default,  # noqa: PLW1509 - it only resets one signal
    )
    assert process.stderr is not None
    process.stderr.readline()  # the note of a large run: the run has begun
    time.sleep(1)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == EXIT_INTERRUPTED, (process.returncode, out[-300:], err[-300:])
    assert out == ""
    assert err.strip() == "interrupted: no results were written"
