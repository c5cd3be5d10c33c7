"""A planning request's progress drawn below the cell in a Jupyter notebook, as the command
line draws it on a terminal: a request given no ``progress`` (nor a ``setup``, which brings
its own) draws one bar per batch of runs (:func:`~portsim.report.progress.planning_display`,
imported only there). Elsewhere nothing changes."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from .. import jupyter

__all__ = ["drawn_in_a_notebook"]

P = ParamSpec("P")
R = TypeVar("R")


def drawn_in_a_notebook(request: Callable[P, R]) -> Callable[P, R]:
    """``request`` (``sweep``, ``plan``, ``capacity``) drawing its progress in a notebook when
    none is given."""

    @functools.wraps(request)
    def drawn(*args: P.args, **kwargs: P.kwargs) -> R:
        given = kwargs.get("progress") is not None or kwargs.get("setup") is not None
        if given or not jupyter.in_notebook():
            return request(*args, **kwargs)
        from ..report.progress import planning_display  # noqa: PLC0415 - see tests/test_layers.py

        with planning_display() as progress:
            kwargs["progress"] = progress
            return request(*args, **kwargs)

    return drawn
