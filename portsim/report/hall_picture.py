"""The hall drawn with matplotlib, where :mod:`.hall_layout` puts things: each stage a box
with its lane groups, each group's lanes as squares (busy, idle, closed, finishing) or, past
:data:`~.hall_layout.MAX_SQUARES`, one bar in those colours; its queue as dots or, past
:data:`~.hall_layout.MAX_DOTS`, a bar with the number; arrows for the flows; the title,
the legend and the clock (with the date and day type when the scenario has a calendar) in
the band on top, which nothing else enters.

What stays is drawn once (the background); what changes from frame to frame is drawn over
it (:meth:`HallPicture.show`, matplotlib's blitting), so a frame costs a few small drawings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from ..model.model import Model
from ..units import DAY
from .cells import clock
from .hall_layout import MAX_DOTS, SQUARE_PITCH, SQUARES_PER_ROW, GroupRows, HallLayout
from .hall_state import BUSY, CLOSED, FINISHING, IDLE, GroupState

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["COLOURS", "MAX_PIXELS_WIDE", "HallPicture", "clock_words", "picture_pixels"]

#: each lane state's colour (fill, edge), the queue's, the boxes'
COLOURS = {
    BUSY: ("#0072B2", "#0072B2"),
    IDLE: ("#ffffff", "#009E73"),
    CLOSED: ("#d1d5db", "#d1d5db"),
    FINISHING: ("#E69F00", "#E69F00"),
}
QUEUE_RGBA = (0.835, 0.369, 0.0, 1.0)  # QUEUE
QUEUE, BOX_FILL, BOX_EDGE, INK, FAINT = "#D55E00", "#f8fafc", "#9ca3af", "#111827", "#6b7280"
#: what the legend says of each lane state
WORDS = {
    BUSY: "lane open, serving",
    IDLE: "lane open, idle",
    CLOSED: "lane closed",
    FINISHING: "closed, finishing its last",
}
#: frames are at most this many pixels wide, and at most this many dots per inch
MAX_PIXELS_WIDE, MAX_DPI = 1600, 80.0
#: the room a queue's count takes after its bar, a character (inches; bold 8 pt digits)
COUNT_CHAR, COUNT_GAP = 0.09, 0.08
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _dpi(layout: HallLayout) -> float:
    return min(MAX_DPI, MAX_PIXELS_WIDE / layout.width)


def picture_pixels(layout: HallLayout) -> tuple[int, int]:
    """The frame's width and height in pixels: whole, even numbers (H.264 wants them)."""
    dpi = _dpi(layout)
    wide, high = (2 * round(side * dpi / 2) for side in (layout.width, layout.height))
    return wide, high


def clock_words(model: Model, t: float) -> tuple[str, str]:
    """The clock at ``t`` (``07:30``) and the day under it: ``Mon 2008-02-04 · day 2 ·
    festival_eve`` with a calendar, ``day 2`` on a run of several days, the warm-up."""
    day = int(t // DAY)
    words = []
    days = model.days
    if days is not None and model.calendar:
        index = min(day, len(days) - 1)
        date = days.dates[index]
        if date is not None:
            import datetime  # noqa: PLC0415

            weekday = WEEKDAYS[datetime.date.fromisoformat(date).weekday()]
            words.append(f"{weekday} {date}")
        words.append(f"day {day + 1}")
        if days.types[index] is not None:
            words.append(str(days.types[index]))
    elif model.horizon > DAY:
        words.append(f"day {day + 1}")
    if t < model.warmup:
        words.append("warm-up")
    return clock(t % DAY), " · ".join(words)


@dataclass(slots=True)
class _GroupArtists:
    rows: GroupRows
    words: Any
    count: Any
    dots: Any
    queue_bar: Any
    squares: Any = None
    bars: list[Any] = field(default_factory=list)


class HallPicture:
    """The figure of a hall (a matplotlib Figure on an Agg canvas, ``dpi`` chosen to keep
    it within :data:`MAX_PIXELS_WIDE`), and :meth:`show` to draw a frame's state."""

    def __init__(self, model: Model, layout: HallLayout, most: NDArray[np.int64]) -> None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: PLC0415
        from matplotlib.figure import Figure  # noqa: PLC0415

        self.model, self.layout = model, layout
        dpi = _dpi(layout)
        wide, high = picture_pixels(layout)
        self.figure: Figure = Figure(figsize=(wide / dpi, high / dpi), dpi=dpi)
        self.canvas: Any = FigureCanvasAgg(self.figure)
        ax = self.figure.add_axes((0, 0, 1, 1))
        ax.set_xlim(0, layout.width)
        ax.set_ylim(layout.height, 0)
        ax.set_axis_off()
        self.ax: Axes = ax
        self._background(model.name)
        #: one scale for every queue's bar, in every frame: the longest queue of any group
        #: is the longest bar, and the count's room after it fits that queue's number
        self.most = max(1, int(np.max(most, initial=0)))
        rows = [r.queue_row for s in layout.stages for r in s.groups]
        room = min((q.width for q in rows), default=0.0) - COUNT_CHAR * len(f"{self.most:,}")
        self.bar_room = room - COUNT_GAP
        self.groups = [self._group(rows) for s in layout.stages for rows in s.groups]
        self.totals = {
            s.stage: ax.text(
                s.box.x + s.box.width - 0.1,
                s.box.y + 0.17,
                "",
                ha="right",
                va="center",
                fontsize=8,
                color=QUEUE,
                fontweight="bold",
            )
            for s in layout.stages
        }
        right = layout.clock.x + layout.clock.width
        self.clock = ax.text(right, 0.42, "", ha="right", va="center", fontsize=24,
                             fontweight="bold", color=INK)  # fmt: skip
        self.day = ax.text(right, 0.8, "", ha="right", va="center", fontsize=9, color=FAINT)
        self.changing = [self.clock, self.day, *self.totals.values()]
        for g in self.groups:
            self.changing += [g.words, g.count, g.dots, g.queue_bar, *g.bars]
            self.changing += [g.squares] if g.squares is not None else []
        for artist in self.changing:
            artist.set_animated(True)
        canvas: Any = self.canvas
        canvas.draw()  # the background: everything but what changes
        self._saved = canvas.copy_from_bbox(self.figure.bbox)
        self._background_rgb = self.rgb()

    @property
    def pixels(self) -> tuple[int, int]:
        """The frame's width and height in pixels."""
        width, height = self.canvas.get_width_height()
        return int(width), int(height)

    def _background(self, title: str) -> None:
        from matplotlib.patches import FancyArrowPatch, FancyBboxPatch  # noqa: PLC0415
        from matplotlib.path import Path  # noqa: PLC0415

        ax = self.ax
        box = self.layout.title
        ax.text(box.x, 0.3, "The hall", fontsize=14, fontweight="bold", va="center", color=INK)
        ax.text(box.x, 0.62, _shorten(title, round(box.width * 14)), fontsize=9, va="center",
                color=FAINT)  # fmt: skip
        self._legend()
        for s in self.layout.stages:
            b = s.box
            ax.add_patch(FancyBboxPatch(
                (b.x, b.y), b.width, b.height, boxstyle="round,pad=0,rounding_size=0.08",
                facecolor=BOX_FILL, edgecolor=BOX_EDGE, linewidth=1.0,
            ))  # fmt: skip
            ax.text(b.x + 0.1, b.y + 0.17, s.name, fontsize=9, fontweight="bold", va="center",
                    color=INK)  # fmt: skip
            for rows in s.groups:
                r = rows.name_row
                ax.text(r.x, r.y + r.height / 2, rows.name, fontsize=8, va="center", color=INK)
        for e in self.layout.entrances:
            b = e.box
            ax.text(b.x + b.width, b.y + b.height / 2, _shorten(e.flow, 28) + " ", fontsize=8,
                    ha="right", va="center", color=INK)  # fmt: skip
        styles = {"walk": "-", "alight": "--", "shuttle": ":"}
        for a in self.layout.arrows:
            style: dict[str, Any] = {
                "arrowstyle": "-|>", "mutation_scale": 10, "linewidth": 1.0, "color": FAINT,
                "linestyle": styles[a.kind], "shrinkA": 2, "shrinkB": 2,
            }  # fmt: skip
            if a.via:  # straight through the columns it crosses, where no box is
                ax.add_patch(FancyArrowPatch(path=Path([a.start, *a.via, a.end]), **style))
            else:
                connection = "arc3,rad=0.35" if a.back else "arc3,rad=0"
                ax.add_patch(FancyArrowPatch(a.start, a.end, connectionstyle=connection, **style))

    def _legend(self) -> None:
        """Three columns of two: the lane states, then the queue and the arrows."""
        from matplotlib.patches import Rectangle  # noqa: PLC0415

        ax, box = self.ax, self.layout.legend
        x, rows = box.x, (0.3, 0.62)
        for column in ((BUSY, IDLE), (FINISHING, CLOSED)):
            for state, y in zip(column, rows, strict=True):
                face, edge = COLOURS[state]
                ax.add_patch(Rectangle((x, y - 0.05), 0.1, 0.1, facecolor=face, edgecolor=edge))
                ax.text(x + 0.16, y, WORDS[state], fontsize=8, va="center", color=INK)
            x += 1.8
        ax.plot([x + 0.05], [rows[0]], "o", color=QUEUE, markersize=4)
        ax.text(x + 0.16, rows[0], f"waiting: a dot each, a bar past {MAX_DOTS}", fontsize=8,
                va="center", color=INK)  # fmt: skip
        ax.annotate("", (x + 0.1, rows[1]), (x - 0.05, rows[1]),
                    arrowprops={"arrowstyle": "-|>", "color": FAINT})  # fmt: skip
        ax.text(x + 0.16, rows[1], "flow (dashed: alight, dotted: shuttle)", fontsize=8,
                va="center", color=INK)  # fmt: skip

    def _group(self, rows: GroupRows) -> _GroupArtists:
        from matplotlib.collections import PatchCollection  # noqa: PLC0415
        from matplotlib.patches import Rectangle  # noqa: PLC0415

        ax, lanes, q = self.ax, rows.lane_rows, rows.queue_row
        words = ax.text(lanes.x + lanes.width, rows.name_row.y + rows.name_row.height / 2, "",
                        ha="right", va="center", fontsize=7, color=FAINT)  # fmt: skip
        centre = q.y + q.height / 2
        xs = q.x + 0.05 + SQUARE_PITCH * np.arange(MAX_DOTS)
        dots = ax.scatter(xs, np.full(MAX_DOTS, centre), s=14, color=QUEUE, linewidths=0)
        queue_bar = ax.add_patch(
            Rectangle((q.x, centre - 0.06), 0, 0.12, facecolor=QUEUE, linewidth=0)
        )
        count = ax.text(q.x + q.width, centre, "", ha="right", va="center", fontsize=8,
                        color=QUEUE, fontweight="bold")  # fmt: skip
        artists = _GroupArtists(rows, words, count, dots, queue_bar)
        if rows.squares:
            squares = [
                Rectangle((lanes.x + SQUARE_PITCH * (k % SQUARES_PER_ROW) + 0.015,
                           lanes.y + SQUARE_PITCH * (k // SQUARES_PER_ROW) + 0.02), 0.1, 0.1)
                for k in range(rows.lanes)
            ]  # fmt: skip
            artists.squares = ax.add_collection(PatchCollection(squares, linewidths=0.8))
        else:  # a frame for the bar, drawn once
            ax.add_patch(Rectangle((lanes.x - 0.01, lanes.y + 0.02), lanes.width + 0.02, 0.16,
                                   fill=False, edgecolor=BOX_EDGE, linewidth=0.6))  # fmt: skip
            artists.bars = [
                ax.add_patch(Rectangle((lanes.x, lanes.y + 0.03), 0, 0.14, facecolor=face,
                                       edgecolor=edge, linewidth=0))
                for face, edge in (COLOURS[s] for s in (BUSY, IDLE, FINISHING, CLOSED))
            ]  # fmt: skip
        return artists

    def _update(self, g: _GroupArtists, state: GroupState) -> None:
        shown = state.waiting if state.waiting <= MAX_DOTS else 0
        faces = np.zeros((MAX_DOTS, 4))
        faces[:shown] = QUEUE_RGBA
        g.dots.set_facecolors(faces)
        long = state.waiting > MAX_DOTS
        g.queue_bar.set_width(self.bar_room * state.waiting / self.most if long else 0)
        g.count.set_text(f"{state.waiting:,}" if state.waiting else "")
        busy, open_ = state.count(BUSY), state.open
        g.words.set_text(f"{open_} of {len(state.lanes)} open, {busy} serving")
        if g.squares is not None:
            colours = [COLOURS[s] for s in state.lanes]
            g.squares.set_facecolors([face for face, _ in colours])
            g.squares.set_edgecolors([edge for _, edge in colours])
        else:
            x, width = g.rows.lane_rows.x, g.rows.lane_rows.width
            for bar, lane_state in zip(g.bars, (BUSY, IDLE, FINISHING, CLOSED), strict=True):
                share = width * state.count(lane_state) / max(1, len(state.lanes))
                bar.set_x(x)
                bar.set_width(share)
                x += share

    def show(self, t: float, states: tuple[GroupState, ...]) -> None:
        """Draw the hall at time ``t`` in ``states`` (one per lane group, in the model's
        order) over the background."""
        totals = dict.fromkeys(self.totals, 0)
        for g in self.groups:
            state = states[g.rows.group]
            self._update(g, state)
            totals[self.model.groups[g.rows.group].stage] += state.waiting
        for stage, text in self.totals.items():
            text.set_text(f"{totals[stage]:,} waiting" if totals[stage] else "")
        hour, day = clock_words(self.model, t)
        self.clock.set_text(hour)
        self.day.set_text(day)
        self.canvas.restore_region(self._saved)
        for artist in self.changing:
            self.figure.draw_artist(artist)

    def palette(self, t: float, states: tuple[GroupState, ...]) -> NDArray[np.uint8]:
        """An image with every colour the frames will have: the background (the legend shows
        each lane state) over the hall at ``t`` in ``states`` (choose a busy time: the
        queues' colours and numbers)."""
        from matplotlib.colors import to_rgb  # noqa: PLC0415

        self.show(t, states)
        drawn = self.rgb()
        # each colour that means something, in blocks as large as the frame's share of
        # the rest: a palette of 256 keeps them as they are, not the nearest of a crowd
        keys = [c for pair in COLOURS.values() for c in pair]
        keys += [QUEUE, BOX_FILL, BOX_EDGE, INK, FAINT, "#ffffff"]
        colours = np.array([[to_rgb(c) for c in dict.fromkeys(keys)]]) * 255
        width = drawn.shape[1]
        strip = np.repeat(colours, -(-width // colours.shape[1]), axis=1)[:, :width]
        blocks = np.repeat(np.round(strip).astype(np.uint8), drawn.shape[0], axis=0)
        return np.concatenate([self._background_rgb, drawn, blocks])

    def rgb(self) -> NDArray[np.uint8]:
        """The frame as drawn, RGB (a copy: the canvas draws the next frame over it)."""
        return np.array(np.asarray(self.canvas.buffer_rgba())[:, :, :3])


def _shorten(text: str, most: int) -> str:
    """``text`` cut to ``most`` characters, with an ellipsis where it was cut."""
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"
