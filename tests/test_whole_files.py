"""Output files are written whole or not at all: a write that fails (a full disk, a
file-size limit, Ctrl-C) leaves no partial file, and a file that was there as it was; the
failure is one line, ``PATH: cannot write: why``, and exit code 1 after the report."""

from __future__ import annotations

import errno
import os
import resource
import signal
import stat
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from portsim.cli import EXIT_NOT_WRITTEN
from portsim.errors import UsageError
from portsim.run.outputs import replacing, write_output

from .planning_cases import write
from .test_cli import SMALL

#: the most a portsim below may write to one file (bytes): less than any of its outputs
LIMIT = 4096


def _file_size_limit() -> None:
    """In the child: files of at most LIMIT bytes, and a write past it an error (EFBIG),
    not the signal that would kill the process."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, LIMIT))


def _limited(args: list[str], folder: Path) -> subprocess.CompletedProcess[str]:
    import matplotlib.font_manager  # noqa: F401, PLC0415 - its cache made here, not there

    return subprocess.run(
        [sys.executable, "-m", "portsim", *args],
        capture_output=True,
        text=True,
        cwd=folder,
        preexec_fn=_file_size_limit,  # a signal and a limit, nothing more
        check=False,
        timeout=120,
    )


def _files(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (hidden ones too), by relative path, with its content."""
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in folder.rglob("*")
        if path.is_file()
    }


def test_a_run_whose_files_exceed_a_size_limit_leaves_no_partial_file(tmp_path: Path) -> None:
    write(tmp_path / "small.yaml", SMALL)
    (tmp_path / "out.json").write_text("the results of yesterday\n")
    (tmp_path / "report.html").write_text("<p>yesterday's report</p>\n")
    (tmp_path / "plots").mkdir()
    (tmp_path / "plots" / "wait_distribution.png").write_bytes(b"yesterday's plot")
    before = _files(tmp_path)
    outputs = ["--json", "out.json", "--records", "records.csv"]
    outputs += ["--html", "report.html", "--plots", "plots"]
    done = _limited(["run", "small.yaml", "-r", "2", *outputs], tmp_path)
    assert done.returncode == EXIT_NOT_WRITTEN, done.stderr
    assert sorted(done.stderr.splitlines()) == [
        f"{path}: cannot write: File too large"
        for path in ("out.json", "plots", "records.csv", "report.html")
    ]
    assert "Stages and lane groups" in done.stdout  # the report is still printed
    assert _files(tmp_path) == before  # no new file, nothing half-written, nothing changed


def test_a_sweeps_csv_and_json_past_a_size_limit_leave_no_partial_file(tmp_path: Path) -> None:
    write(tmp_path / "small.yaml", SMALL)
    (tmp_path / "sweep.csv").write_text("yesterday's table\n")
    before = _files(tmp_path)
    vary = ["--vary", "stages.secondary.lanes.officers.count=1,2", "-r", "2", "-w", "1"]
    outputs = ["--csv", "sweep.csv", "--json", "sweep.json", "--quiet"]
    done = _limited(["sweep", "small.yaml", *vary, *outputs], tmp_path)
    assert done.returncode == EXIT_NOT_WRITTEN, done.stderr
    assert done.stderr.splitlines() == [
        "sweep.csv: cannot write: File too large",
        "sweep.json: cannot write: File too large",
    ]
    assert _files(tmp_path) == before


def _fails_half_way(error: BaseException) -> Callable[[Path], None]:
    def writer(path: Path) -> None:
        with path.open("w", encoding="utf-8") as handle:
            handle.write("the first half")
            handle.flush()
            raise error

    return writer


@pytest.mark.parametrize("there", [False, True], ids=["new", "already there"])
def test_a_write_that_fails_half_way_leaves_the_file_as_it_was(tmp_path: Path, there: bool) -> None:
    path = tmp_path / "out.json"
    if there:
        path.write_text("yesterday")
    full = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    with pytest.raises(UsageError) as raised:
        write_output(path, _fails_half_way(full))
    assert str(raised.value) == f"{path}: cannot write: No space left on device"
    assert _files(tmp_path) == ({"out.json": b"yesterday"} if there else {})


def test_an_interrupted_write_leaves_no_file_and_the_interrupt_goes_on(tmp_path: Path) -> None:
    with pytest.raises(KeyboardInterrupt):
        write_output(tmp_path / "out.csv", _fails_half_way(KeyboardInterrupt()))
    assert _files(tmp_path) == {}


def test_the_file_is_written_beside_its_place_ending_as_it_does(tmp_path: Path) -> None:
    path = tmp_path / "hall.gif"
    path.write_text("old")
    path.chmod(0o640)
    seen: list[Path] = []

    def writer(temporary: Path) -> int:
        seen.append(temporary)
        assert path.read_text() == "old"  # nothing in place until written whole
        return temporary.write_text("new")

    assert write_output(path, writer) == 3
    (temporary,) = seen
    assert temporary.parent == tmp_path
    assert temporary.name.startswith(".hall.gif.")
    assert temporary.suffix == ".gif"  # writers choose the format by it
    assert _files(tmp_path) == {"hall.gif": b"new"}
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_a_link_is_followed_and_kept(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    real = tmp_path / "real" / "out.json"
    real.write_text("old")
    link = tmp_path / "out.json"
    link.symlink_to(real)
    write_output(link, lambda path: path.write_text("new"))
    assert link.is_symlink()
    assert real.read_text() == "new"
    assert sorted(p.name for p in (tmp_path / "real").iterdir()) == ["out.json"]


def test_what_is_not_a_regular_file_is_written_in_place(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    read: list[str] = []
    reader = threading.Thread(target=lambda: read.append(pipe.read_text()))
    reader.start()
    write_output(pipe, lambda path: path.write_text("through the pipe"))
    reader.join(timeout=10)
    assert read == ["through the pipe"]
    assert stat.S_ISFIFO(pipe.stat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


def _half_a_plot(path: Path) -> None:
    with replacing(path) as temporary:
        temporary.write_bytes(b"half a plot")
        raise OSError(errno.EFBIG, os.strerror(errno.EFBIG))


def test_a_folder_is_given_to_its_writer_whose_files_are_each_whole(tmp_path: Path) -> None:
    folder = tmp_path / "plots"
    assert write_output(folder, lambda path: [path], folder=True) == [folder]
    folder.mkdir()
    with pytest.raises(UsageError, match=r"plots: cannot write: File too large$"):
        write_output(folder, lambda path: _half_a_plot(path / "a.png"), folder=True)
    assert _files(tmp_path) == {}
