"""The progress display of long runs: replications done of the total, time elapsed and
time left, on standard error when it is a terminal (never in a pipe or a file, so that
``--json -`` and logs stay clean). Drawn by tqdm."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

from tqdm import tqdm

__all__ = ["progress_display"]


#: the terminal's size when it does not tell it (a new pseudo-terminal says 0 × 0)
FALLBACK_SIZE = os.terminal_size((80, 24))


def _size(stream: TextIO) -> os.terminal_size:
    try:
        size = os.get_terminal_size(stream.fileno())
    except (OSError, ValueError):
        return FALLBACK_SIZE
    return size if size.columns and size.lines else FALLBACK_SIZE


@contextmanager
def progress_display(
    label: str, total: int, *, enabled: bool = True, stream: TextIO | None = None
) -> Iterator[Callable[[int, int], None] | None]:
    """A ``progress(done, total)`` callback that draws a bar of ``total`` replications on
    ``stream`` (default: standard error), or None when disabled or the stream is not a
    terminal. The bar is cleared when the run ends."""
    out = sys.stderr if stream is None else stream
    if not enabled or not out.isatty():
        yield None
        return
    columns, lines = _size(out)
    bar = tqdm(
        total=total,
        desc=label,
        unit="replication",
        file=out,
        leave=False,
        mininterval=0,  # a replication is long: show each as it finishes
        ncols=columns,
        nrows=lines,
    )

    def progress(done: int, of: int) -> None:
        bar.total = of
        bar.update(done - bar.n)

    try:
        yield progress
    finally:
        bar.close()
