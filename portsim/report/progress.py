"""The progress display of long runs: replications done of the total, time elapsed and
time left, on standard error when it is a terminal (never in a pipe or a file, so that
``--json -`` and logs stay clean), or below the cell in a Jupyter notebook. Drawn by
``tqdm.auto``: a text bar on a terminal; in a notebook a widget when ipywidgets is
installed, else the same text bar in the cell's output. tqdm is imported only when a bar is
drawn (its import is slow).

:func:`progress_display` is for ``run`` and ``compare`` (one batch of replications);
:func:`planning_display` for ``sweep``, ``plan`` and ``capacity``, whose searches run batch
after batch and also say how many configurations of the batch have all their replications.
"""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TextIO

from .. import jupyter
from ..jupyter import in_notebook

if TYPE_CHECKING:
    from tqdm import tqdm

    from ..planning.runner import BatchProgress

__all__ = ["in_notebook", "planning_display", "progress_display"]


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
    terminal (standard error in a Jupyter notebook is: the bar shows below the cell). The
    bar is cleared when the run ends.

    In a notebook::

        with progress_display("hall", 20) as progress:
            result = portsim.simulate(scenario, 20, progress=progress)
    """
    out = _terminal(enabled, stream)
    if out is None:
        yield None
        return
    bar = _bar(out, label, total)

    def progress(done: int, of: int) -> None:
        bar.total = of
        bar.update(done - bar.n)

    try:
        yield progress
    finally:
        bar.close()


def _terminal(enabled: bool, stream: TextIO | None) -> TextIO | None:
    """The stream to draw on (default: standard error), if enabled and a terminal, or
    standard error in a notebook."""
    out = sys.stderr if stream is None else stream
    if not enabled:
        return None
    if out.isatty() or (stream is None and jupyter.in_notebook()):
        return out
    return None


def _bar(
    out: TextIO,
    label: str,
    total: int,
    postfix: str | None = None,
    bar_format: str | None = None,
) -> tqdm[Any]:
    with warnings.catch_warnings():  # a notebook without ipywidgets: the text bar, no warning
        warnings.simplefilter("ignore")
        from tqdm.auto import tqdm  # noqa: PLC0415 (only when drawing: tqdm's import is slow)

    # a terminal's size; a notebook's widget takes the cell's width (its ncols are pixels)
    columns, lines = (None, None) if not out.isatty() else _size(out)
    return tqdm(
        total=total,
        desc=label,
        postfix=postfix,
        bar_format=bar_format,
        unit="replication",
        file=out,
        leave=False,
        mininterval=0,  # a replication is long: show each as it finishes
        ncols=columns,
        nrows=lines,
    )


#: a planning batch's line: what it is for, then what it has done and the time left; the
#: bar takes what width is left
PLANNING_FORMAT = "{desc}: {n_fmt}/{total_fmt} replications{postfix}, {remaining} left |{bar}|"
#: the width the line needs besides its label, and the least the label keeps
PLANNING_WIDTH, LABEL_WIDTH = 64, 16


def _trim(label: str, columns: int) -> str:
    """The label cut to fit the line: what it is for (``plan:``) and the end of the rest,
    where a configuration's values are."""
    room = max(LABEL_WIDTH, columns - PLANNING_WIDTH)
    if len(label) <= room:
        return label
    head, sep, rest = label.rpartition(": ")
    head = f"{head}{sep}…" if sep else "…"
    return head + rest[-max(1, room - len(head)) :]


@contextmanager
def planning_display(
    *, enabled: bool = True, stream: TextIO | None = None
) -> Iterator[BatchProgress | None]:
    """A ``progress(what, done, total, configurations_done, configurations)`` callback for
    a sweep, plan or capacity search (:class:`~portsim.planning.runner.Runner`): one bar per
    batch of runs, named by what the batch is for (``plan: egates=10``), with the
    configurations whose replications are all done after the time left; or None when
    disabled or the stream is not a terminal. The bar is cleared at the end."""
    out = _terminal(enabled, stream)
    if out is None:
        yield None
        return
    bars: list[tqdm[Any]] = []  # made when the first batch starts

    def progress(what: str, done: int, total: int, finished: int, configurations: int) -> None:
        postfix = f"{finished}/{configurations} configurations"
        if not bars:
            label = _trim(what, _size(out).columns)
            bars.append(_bar(out, label, total, postfix, bar_format=PLANNING_FORMAT))
            return
        bar = bars[0]
        bar.set_postfix_str(postfix, refresh=False)
        if done == 0:  # a new batch: its own count and its own time left
            bar.set_description_str(_trim(what, _size(out).columns), refresh=False)
            bar.reset(total=total)
        else:
            bar.update(done - bar.n)

    try:
        yield progress
    finally:
        for bar in bars:
            bar.close()
