"""Stopping a command from outside: Ctrl-C (SIGINT), SIGTERM (``kill``, ``timeout``,
systemd, Slurm, ``docker stop``) and SIGHUP (a closed terminal or SSH session) all end it
the same way — one line on stderr saying which signal and what was kept, the worker
processes ended, exit code 128 + the signal's number (130, 143, 129).

Python turns SIGINT into :class:`KeyboardInterrupt`; within :func:`stop_signals`, SIGTERM
and SIGHUP raise :class:`Stopped`, a kind of :class:`KeyboardInterrupt`, so that whatever
cleans up after Ctrl-C cleans up after them too: the worker pools (which end their workers,
:func:`portsim.run.tasks.worker_pool`), the progress display, a half-written output file.
The results store commits each run on its own, so a stop keeps every committed run.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from types import FrameType
from typing import NoReturn

import click

__all__ = ["EXIT_INTERRUPTED", "Stopped", "exit_stopped", "stop_line", "stop_signals"]

#: Ctrl-C's exit code, 128 + SIGINT (a signal's is 128 + its number)
EXIT_INTERRUPTED = 128 + signal.SIGINT
#: the signals handled as Ctrl-C is (SIGHUP is not on Windows)
STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
)


class Stopped(KeyboardInterrupt):
    """A stop asked for by ``signal`` (SIGTERM or SIGHUP): raised in the main thread as
    Ctrl-C raises :class:`KeyboardInterrupt`."""

    def __init__(self, number: int) -> None:
        super().__init__(number)
        self.signal = number


def _raise_stopped(number: int, frame: FrameType | None) -> None:
    raise Stopped(number)


@contextmanager
def stop_signals() -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP raise :class:`Stopped` in the main thread; the
    handlers before (Ctrl-C's too, which :func:`exit_stopped` ignores) are restored after
    it. A signal that was ignored when the block began stays ignored (``nohup`` ignores
    SIGHUP), and nothing changes outside the main thread, where Python allows no handler."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = {n: signal.getsignal(n) for n in (signal.SIGINT, *STOP_SIGNALS)}
    for number in STOP_SIGNALS:
        if before[number] is not signal.SIG_IGN:
            signal.signal(number, _raise_stopped)
    try:
        yield
    finally:
        for number, handler in before.items():
            signal.signal(number, handler if handler is not None else signal.SIG_DFL)


def _number(error: KeyboardInterrupt) -> int:
    return error.signal if isinstance(error, Stopped) else signal.SIGINT


def stop_line(error: KeyboardInterrupt, kept: str) -> str:
    """The line that says a stop: ``interrupted: KEPT`` for Ctrl-C, ``interrupted by
    SIGTERM: KEPT`` for a signal."""
    number = _number(error)
    by = "" if number == signal.SIGINT else f" by {signal.Signals(number).name}"
    return f"interrupted{by}: {kept}"


def exit_stopped(error: KeyboardInterrupt, kept: str, *, newline: bool = False) -> NoReturn:
    """Say the stop in one line on stderr (after a new line, ``newline``, to leave a
    progress display's line) and exit with 128 + the signal's number. Further stop signals
    are ignored from here on: the work is already stopped, the line is being said."""
    if threading.current_thread() is threading.main_thread():
        for number in (signal.SIGINT, *STOP_SIGNALS):
            signal.signal(number, signal.SIG_IGN)
    with suppress(OSError):  # a hung-up terminal: nobody to tell
        click.echo(("\n" if newline else "") + stop_line(error, kept), err=True)
    sys.exit(128 + _number(error))
