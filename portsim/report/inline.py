"""Charts that show themselves in a notebook, with no ``%matplotlib inline``.

portsim draws its charts without pyplot (:mod:`~portsim.report.charts`: no window, no global
state, safe in worker threads). IPython shows a plain matplotlib figure only through the
formatter that pyplot's inline backend registers when pyplot is imported; a figure made
without pyplot therefore showed as ``<Figure size 1000x460 with 1 Axes>`` until the planner
typed ``%matplotlib inline``. A :class:`Chart` gives IPython its PNG itself
(``_repr_png_``), whatever the backend, so it shows in Jupyter, JupyterLab, VS Code and
``nbconvert`` alike; with the inline backend active, IPython's own formatter draws it (one
picture, not two). :class:`Figures` holds several charts by name and shows each.

matplotlib is imported with this module, which only :func:`~portsim.report.charts.new_figure`
and the plotting methods import.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from matplotlib.figure import Figure

from ..errors import UsageError
from ..units import counted
from .charts import png_bytes, save_png

__all__ = ["Chart", "Figures", "pick"]


class Chart(Figure):
    """A matplotlib :class:`~matplotlib.figure.Figure` that shows itself in a notebook:
    IPython asks it for its PNG (``_repr_png_``). Everything else is matplotlib's own:
    ``savefig``, ``axes``, ``suptitle``."""

    def _repr_png_(self) -> bytes:
        """The chart as PNG bytes, for IPython's display."""
        return png_bytes(self)


class Figures(dict[str, Figure]):
    """Several charts of one result, by their file names (``demand_throughput.png``), in
    the order the reports show them. A notebook shows every one; :meth:`save` writes them
    as PNG files, as ``--plots DIR`` does."""

    def _ipython_display_(self) -> None:
        """Show each chart in a notebook, one after the other."""
        from IPython.display import (  # type: ignore[import-not-found, unused-ignore]  # noqa: PLC0415
            display,  # only inside IPython
        )

        for figure in self.values():
            display(figure)  # type: ignore[no-untyped-call, unused-ignore]

    def save(self, directory: str | Path) -> list[Path]:
        """Write each chart into ``directory`` (made if missing) under its name; returns the
        paths."""
        return [save_png(figure, Path(directory) / name) for name, figure in self.items()]

    def __repr__(self) -> str:
        return f"Figures({counted(len(self), 'chart')}: {', '.join(self) or 'none'})"


def pick(figures: Mapping[str, Figure], name: str | None) -> Figures | Figure:
    """All ``figures`` (``name`` None), or the one called ``name`` (its file name, with or
    without ``.png``); a name it does not have is a :class:`~portsim.errors.UsageError`
    that lists the names it has."""
    if name is None:
        return Figures(figures)
    wanted = name if name.endswith(".png") else f"{name}.png"
    if wanted in figures:
        return figures[wanted]
    have = ", ".join(n.removesuffix(".png") for n in figures) or "none"
    raise UsageError(f"no plot {name!r}: this result has {have}")
