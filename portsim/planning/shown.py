"""What every planning result does in a notebook (sweep, plan, capacity search, staffing by
hour, sensitivity): show itself as a compact table with the answer first (``_repr_html_``)
and as two lines of text (``__repr__``), give its numbers as a pandas DataFrame
(``to_pandas``, :mod:`.frames`) and draw its charts (``plot``).

The displays and the charts are the report's (:mod:`portsim.report.planning.notebook`, the
same tables, sentences and plots as ``--html`` and ``--plots``), imported only when a
notebook or a planner asks for them, so a search never loads them.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Shown"]


class Shown:
    """The notebook face of a planning result (a base of each result's dataclass, declared
    with ``repr=False`` so that its ``__repr__`` is this one)."""

    __slots__ = ()

    def _repr_html_(self) -> str:
        """How Jupyter shows the result: the answer first, then a compact table of it."""
        from ..report.planning.notebook import planning_html  # noqa: PLC0415

        return planning_html(self)

    def __repr__(self) -> str:
        """What the result is and its answer's headline, in a line or two."""
        from ..report.planning.notebook import planning_repr  # noqa: PLC0415

        return planning_repr(self)

    def to_pandas(self) -> Any:
        """The result as a pandas DataFrame (needs ``pip install 'portsim[notebook]'``): a
        sweep as a tidy long table, one row per configuration and metric; the others one row
        per configuration (or factor, hour, assumption) and condition
        (:mod:`portsim.planning.frames`)."""
        from .frames import planning_frame  # noqa: PLC0415 - pandas only when asked for

        return planning_frame(self)

    def plot(self, name: str | None = None) -> Any:
        """The result's charts, as ``--plots`` draws them: a
        :class:`~portsim.report.inline.Figures` (a dict of matplotlib figures by file name,
        ``sweep_1.png``, that a notebook shows one after the other), or the one called
        ``name`` (``"sweep_1"``). They show in Jupyter without ``%matplotlib inline``."""
        from ..report.planning.notebook import planning_plots  # noqa: PLC0415

        return planning_plots(self, name)
