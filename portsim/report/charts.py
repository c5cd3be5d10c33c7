"""What every portsim chart shares: one look, times of day on the time axis, the warm-up
shaded, and PNG output.

Charts are matplotlib :class:`~matplotlib.figure.Figure` objects made without pyplot (no
window, no global state), so they can be drawn in worker threads, tests and notebooks
alike; each is a :class:`~portsim.report.inline.Chart`, which gives a notebook its PNG.
matplotlib is imported when a chart is made, never by ``import portsim``.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar
from weakref import WeakKeyDictionary

import numpy as np

from ..results.statistics import Stat
from ..run.outputs import replacing
from ..units import HOUR, HOURS_PER_DAY, MINUTE

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "PALETTE",
    "Drawings",
    "clock_label",
    "drawing_once",
    "figures_once",
    "interval_errors",
    "legend",
    "new_figure",
    "no_ticks",
    "percent_formatter",
    "png_bytes",
    "save_png",
    "shade_warmup",
    "time_axis",
    "wait_unit",
    "whole_numbers",
]

#: where a legend goes
Corner = Literal["best", "upper left", "upper right", "lower left", "lower right"]
#: colours in the order series take them (colour-blind safe, Okabe–Ito)
PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
)
PASS_COLOUR = "#1a7f37"
FAIL_COLOUR = "#c62828"
GREY = "#6b7280"
#: inches per panel and dots per inch: about 1000 pixels wide
WIDTH, PANEL_HEIGHT, DPI = 10.0, 3.4, 100


def new_figure(
    title: str,
    subtitle: str = "",
    panels: int = 1,
    *,
    columns: int = 1,
    panel_height: float = PANEL_HEIGHT,
) -> tuple[Figure, list[Axes]]:
    """A figure with ``panels`` axes stacked (``columns`` side by side) under ``title`` and
    ``subtitle`` (the scenario's name, say): a :class:`~portsim.report.inline.Chart`, which
    shows itself in a notebook."""
    from .inline import Chart  # noqa: PLC0415 - matplotlib only when plotting

    rows = math.ceil(panels / columns)
    figure = Chart(figsize=(WIDTH, 1.2 + panel_height * rows), dpi=DPI, layout="constrained")
    heading = title if not subtitle else f"{title}\n{_shorten(subtitle)}"
    figure.suptitle(heading, fontsize=13, fontweight="bold", x=0.01, ha="left", linespacing=1.5)
    grid = figure.subplots(rows, columns, squeeze=False)
    axes = [ax for row in grid for ax in row]
    for ax in axes[panels:]:
        ax.set_visible(False)
    for ax in axes[:panels]:
        ax.grid(True, color="#e5e7eb", linewidth=0.8)
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    return figure, axes[:panels]


#: longest subtitle, in characters
SUBTITLE_CHARS = 95


def _shorten(text: str) -> str:
    return text if len(text) <= SUBTITLE_CHARS else text[: SUBTITLE_CHARS - 1] + "…"


def clock_label(hours: float) -> str:
    """``07:00``; midnights after the first day also name the day (``00:00`` over
    ``day 2``)."""
    total = round(hours * 60)
    day, minutes = divmod(total, HOURS_PER_DAY * 60)
    text = f"{minutes // 60:02d}:{minutes % 60:02d}"
    return f"{text}\nday {day + 1}" if day and not minutes else text


def time_axis(ax: Axes, horizon: float, label: str = "time of day", start: float = 0.0) -> None:
    """Hours from 00:00 of day 1 on the x axis, labelled as times of day, from ``start``
    seconds (a forecast's: the hour of its state) to the horizon."""
    from matplotlib.ticker import FuncFormatter, MultipleLocator  # noqa: PLC0415

    hours = (horizon - start) / HOUR
    step = next((s for s in (1, 2, 3, 6, 12, 24, 48, 168) if hours / s <= 12), 336)  # noqa: PLR2004
    ax.xaxis.set_major_locator(MultipleLocator(step))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: clock_label(x)))
    ax.set_xlim(start / HOUR, horizon / HOUR)
    ax.set_xlabel(label)


def whole_numbers() -> Any:
    """A tick locator of whole numbers (lanes, counts)."""
    from matplotlib.ticker import MaxNLocator  # noqa: PLC0415

    return MaxNLocator(integer=True)


def no_ticks() -> Any:
    """No ticks (a log axis's unlabelled minor ticks: half a figure's drawing)."""
    from matplotlib.ticker import NullLocator  # noqa: PLC0415

    return NullLocator()


def percent_formatter() -> Any:
    """Tick labels ``5 %``."""
    from matplotlib.ticker import FuncFormatter  # noqa: PLC0415

    return FuncFormatter(lambda y, _: f"{y:g} %")


def shade_warmup(ax: Axes, warmup: float, *, forecast: bool = False, start: float = 0.0) -> None:
    """Grey out the warm-up, which the results do not count (a forecast from a state: the
    time before the state, which is not simulated), from ``start`` seconds (where the time
    axis starts): nothing when the axis starts at the warm-up's end."""
    if warmup > start:
        label = "before the state observed (not simulated)" if forecast else "warm-up (not counted)"
        ax.axvspan(start / HOUR, warmup / HOUR, color="#f3f4f6", zorder=0, label=label)


def legend(
    ax: Axes,
    *,
    outside: bool = False,
    loc: Corner = "best",
    anchor: tuple[float, float] | None = None,
) -> None:
    """A legend without a frame, if anything is labelled, at ``loc`` (``anchor``: that
    corner's place in axes fractions; ``outside``: right of the axes)."""
    _, labels = ax.get_legend_handles_labels()
    if not labels:
        return
    if outside:
        loc, anchor = "upper left", (1.01, 1.0)
    ax.legend(
        frameon=False,
        fontsize=9,
        loc=loc,
        bbox_to_anchor=anchor,
        borderaxespad=0 if outside else None,
    )


def interval_errors(stats: Sequence[Stat | None]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each statistic's mean and the distances below and above it to its 95 % interval's
    ends (zero without an interval)."""
    means, lows, highs = [], [], []
    for stat in stats:
        mean = math.nan if stat is None else stat.mean
        ci = None if stat is None else stat.interval
        means.append(mean)
        lows.append(mean - ci[0] if ci else 0.0)
        highs.append(ci[1] - mean if ci else 0.0)
    return np.array(means, dtype=float), np.array(lows, dtype=float), np.array(highs, dtype=float)


def wait_unit(seconds: Sequence[float]) -> tuple[float, str]:
    """The unit to show waits in: seconds below 2 minutes, minutes below 2 hours, else
    hours; as (seconds per unit, name)."""
    finite = [abs(v) for v in seconds if v == v and v not in (math.inf, -math.inf)]  # noqa: PLR0124
    longest = max(finite, default=0.0)
    if longest < 2 * MINUTE:
        return 1.0, "seconds"
    if longest < 2 * HOUR:
        return MINUTE, "minutes"
    return HOUR, "hours"


R = TypeVar("R")


class Drawings:
    """Charts made and drawn once: each result's figures by what draws them, and each
    figure's PNG once drawn (see :func:`drawing_once`)."""

    __slots__ = ("figures", "pngs")

    def __init__(self) -> None:
        #: (what draws, the result's id) → (the result, its figures): the result is kept
        #: with its figures, so its id stays its own
        self.figures: dict[tuple[Any, int], tuple[Any, dict[str, Any]]] = {}
        self.pngs: WeakKeyDictionary[Any, bytes] = WeakKeyDictionary()

    def clear(self) -> None:
        """Let the results, figures and PNGs go."""
        self.figures.clear()
        self.pngs.clear()


_DRAWINGS: ContextVar[Drawings | None] = ContextVar("drawings", default=None)


@contextmanager
def drawing_once(drawings: Drawings | None = None) -> Iterator[Drawings]:
    """Within it, the charts of a result asked for twice (its plots and its HTML report,
    written by one command) are made and drawn once: a chart takes a tenth of a second or
    more to draw. Pass the same ``drawings`` to enter it again later (the plots, then the
    report); without one, inside another it shares the outer one's.

    Within it a figure is taken as drawn: one changed after its PNG was made keeps its old
    PNG, and every caller gets the same figures. Outside, nothing is kept."""
    outer = _DRAWINGS.get()
    if drawings is None and outer is not None:
        yield outer
        return
    token = _DRAWINGS.set(drawings if drawings is not None else Drawings())
    try:
        current = _DRAWINGS.get()
        assert current is not None
        yield current
    finally:
        _DRAWINGS.reset(token)


def figures_once(draw: Callable[[R], dict[str, Figure]], result: R) -> dict[str, Figure]:
    """``draw(result)``, made once per result within :func:`drawing_once`."""
    drawings = _DRAWINGS.get()
    if drawings is None:
        return draw(result)
    key = (draw, id(result))
    if key not in drawings.figures:
        drawings.figures[key] = (result, draw(result))
    return drawings.figures[key][1]


def png_bytes(figure: Figure) -> bytes:
    """The figure as PNG bytes (drawn once within :func:`drawing_once`)."""
    drawings = _DRAWINGS.get()
    if drawings is not None and (png := drawings.pngs.get(figure)) is not None:
        return png
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    png = buffer.getvalue()
    if drawings is not None:
        drawings.pngs[figure] = png
    return png


def save_png(figure: Figure, path: str | Path) -> Path:
    """Write the figure as a PNG file, whole or not at all (:func:`~portsim.run.outputs.replacing`),
    and return its path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with replacing(path) as temporary:
        temporary.write_bytes(png_bytes(figure))
    return path
