"""The parts of the model's diagram (:mod:`.diagram`): a box's size from its words, the
columns' places, and the boxes, lane groups, transfers, arrows and their labels drawn on
matplotlib axes whose unit is the point, downwards."""

from __future__ import annotations

import textwrap
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from typing import TYPE_CHECKING

from .layered import Layout
from .model_graph import MODE_NAMES, MODE_SHORT, WRAP, Box, LaneRow, Link, ModelGraph

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "BOX_GAP",
    "FONT",
    "LINE",
    "PAD",
    "PNG_DPI",
    "WAYPOINT",
    "Canvas",
    "Sized",
    "draw_arrows",
    "draw_box",
    "draw_heading",
    "size_box",
    "text_width",
]

#: type sizes and spacing, in points (the drawing's unit)
FONT, TITLE, LINE, PAD, ROW_GAP = 9.0, 10.0, 12.5, 6.0, 4.0
#: between two boxes of a column; room an arrow takes passing a column; least column gap
BOX_GAP, WAYPOINT, LEAST_GAP = 14.0, 16.0, 56.0
#: pixels per inch of a PNG
PNG_DPI = 120
#: the room to spare around words
SPARE = 1.06
INK, MUTED = "#1f2933", "#52606d"
FILL = {"flow": "#e8f1fa", "stage": "#ffffff", "meet": "#f7ebf2"}
EDGE = {"flow": "#0072B2", "stage": "#7b8794", "meet": "#CC79A7"}
CLEARANCE_EDGE, SHUTTLE_FILL, TRANSFER_FILL, LANES_FILL = "#E69F00", "#d5efe3", "#eef2f6", "#f5f7fa"
ARROW = {"route": ("-", "#52606d"), "alight": ("--", "#CC79A7"), "meet": ("--", "#CC79A7")}
LEGEND = (
    "Left to right in route order: who arrives, the stages they pass, each stage's lane groups.",
    "A percentage is the share of the flow's arrivals who go that way.",
)
#: said when some flow, class or lane group has a priority
PRIORITY = (
    "Priority: the lower number is served first, never interrupting a service; "
    "who has none comes last."
)
#: said when some passengers alight
DASHED = " Dashed: passengers who leave their vehicle, and go back to it."


@cache
def text_width(text: str, size: float = FONT, bold: bool = False) -> float:
    """A line's width in points, in the font matplotlib draws it with."""
    from matplotlib.font_manager import FontProperties  # noqa: PLC0415 - only when drawing
    from matplotlib.textpath import TextToPath  # noqa: PLC0415

    # a wide character (Chinese) takes a square of the type size in any font that has it:
    # measured so, not as the missing glyph's box of a font without it
    wide = sum(unicodedata.east_asian_width(c) in "WF" for c in text)
    rest = "".join(c for c in text if unicodedata.east_asian_width(c) not in "WF")
    prop = FontProperties(size=size, weight="bold" if bold else "normal")
    return float(TextToPath().get_text_width_height_descent(rest, prop, ismath=False)[0]) + (
        wide * size
    )


def _spacing(size: float = FONT) -> float:
    """matplotlib's line spacing that puts the lines of a text ``LINE`` apart (it advances
    ``linespacing`` times the type size a line)."""
    return LINE / size


@dataclass(frozen=True, slots=True)
class Sized:
    """A box's height and the least width its words need."""

    height: float
    width: float


def _wrap(lines: Sequence[str]) -> list[str]:
    """Lines longer than a box's words may be wrapped, the rest of each indented."""
    return [
        part for line in lines for part in textwrap.wrap(line, 2 * WRAP, subsequent_indent="  ")
    ]


def row_lines(row: LaneRow) -> list[str]:
    """A lane group's lines: its name and lanes, then whom it serves."""
    return _wrap(row.lines)


def _row_height(row: LaneRow) -> float:
    return LINE * len(row_lines(row)) + PAD


def size_box(box: Box) -> Sized:
    """The room a box's words take (text measured with a little to spare: a browser's
    font may be wider)."""
    lines = _wrap(box.lines)
    height = 2 * PAD + LINE * (1 + len(lines))
    widths = [text_width(box.title, TITLE, bold=True), *map(text_width, lines)]
    for row in box.rows:
        height += _row_height(row) + ROW_GAP
        widths += [text_width(line) + 2 * PAD for line in row_lines(row)]
    if box.footer:
        footer = box.footer.split("\n")
        height += LINE * len(footer) + PAD + ROW_GAP
        widths += [text_width(line) + 2 * PAD for line in footer]
    return Sized(height, max(widths) * SPARE + 2 * PAD)


def label_lines(link: Link) -> list[str]:
    """An arrow's label, a line for each flow it names."""
    return [part.strip() for part in link.label.split(", ")] if link.label else []


def heading_lines(graph: ModelGraph) -> list[str]:
    """The lines under the title: how to read the diagram, and the clearance mode."""
    lines = list(LEGEND)
    if any(link.kind != "route" for link in graph.links):
        lines[-1] += DASHED
    if graph.priority:
        lines.append(PRIORITY)
    if graph.modes:
        others = [m for m in graph.modes if m != graph.mode]
        lines.append(
            f"Clearance mode (orange): {MODE_NAMES[graph.mode]}"
            + (
                f"; the file also describes {' and '.join(MODE_SHORT[m] for m in others)}"
                if others
                else ""
            )
        )
    return lines


class Canvas:
    """Columns' left edges and widths, in points, and the size of the whole drawing."""

    def __init__(self, graph: ModelGraph, layout: Layout, sizes: dict[str, Sized]) -> None:
        self.graph, self.layout = graph, layout
        widths = [4 * WAYPOINT] * layout.columns
        for key, placed in layout.boxes.items():
            widths[placed.column] = max(widths[placed.column], sizes[key].width)
        gaps = [LEAST_GAP] * layout.columns
        for link in graph.links:
            source, target = layout.boxes[link.source].column, layout.boxes[link.target].column
            column = source if target > source else source - 1  # the gap it leaves by
            for line in label_lines(link):
                gaps[column] = max(gaps[column], text_width(line) + 28)
        self.widths = widths
        self.left: list[float] = []
        x = PAD
        for width, gap in zip(widths, gaps, strict=True):
            self.left.append(x)
            x += width + gap
        heading = [text_width(graph.name, TITLE + 2, bold=True)]
        heading += [text_width(line) for line in heading_lines(graph)]
        self.width = max(x - (gaps[-1] if gaps else 0) + PAD, max(heading) + 2 * PAD)
        self.top = PAD + LINE * (2.5 + len(heading_lines(graph)))
        self.height = self.top + layout.height + 2 * PAD

    def box_x(self, key: str) -> tuple[float, float]:
        """A box's left and right edges."""
        column = self.layout.boxes[key].column
        return self.left[column], self.left[column] + self.widths[column]


def draw_heading(ax: Axes, graph: ModelGraph) -> None:
    """The scenario's name, how to read the diagram, and the clearance mode."""
    ax.text(PAD, PAD, graph.name, fontsize=TITLE + 2, fontweight="bold", va="top", color=INK)
    text = ax.text(
        PAD, PAD + LINE * 1.6, "\n".join(heading_lines(graph)), fontsize=FONT, va="top",
        color=MUTED, linespacing=_spacing(),
    )  # fmt: skip
    text.set_gid("legend")


def _patch(
    ax: Axes, xy: tuple[float, float], w: float, h: float, gid: str, **style: object
) -> None:
    from matplotlib.patches import FancyBboxPatch  # noqa: PLC0415 - only when drawing

    patch = FancyBboxPatch(xy, w, h, boxstyle="round,pad=0,rounding_size=4", **style)  # type: ignore[arg-type]
    patch.set_gid(gid)
    ax.add_patch(patch)


def _text(ax: Axes, x: float, y: float, text: str, gid: str, **style: object) -> None:
    style = {"fontsize": FONT, "color": INK, **style}
    artist = ax.text(x, y, text, va="top", linespacing=_spacing(), **style)  # type: ignore[arg-type]
    artist.set_gid(gid)


def draw_box(ax: Axes, canvas: Canvas, box: Box) -> None:
    """A flow, a stage with its lane groups and transfer, or a meeting point."""
    x, right = canvas.box_x(box.key)
    placed = canvas.layout.boxes[box.key]
    y, w = canvas.top + placed.top, right - x
    edge = CLEARANCE_EDGE if box.clearance else EDGE[box.kind]
    _patch(ax, (x, y), w, placed.height, box.key, facecolor=FILL[box.kind], edgecolor=edge,
           linewidth=2.0 if box.clearance else 1.2)  # fmt: skip
    _text(ax, x + PAD, y + PAD, box.title, f"{box.key}-title", fontsize=TITLE, fontweight="bold")
    lines = _wrap(box.lines)
    if lines:
        _text(ax, x + PAD, y + PAD + LINE, "\n".join(lines), f"{box.key}-text", color=MUTED)
    at = y + PAD + LINE * (1 + len(lines)) + ROW_GAP / 2
    for row in box.rows:
        _patch(ax, (x + PAD, at), w - 2 * PAD, _row_height(row), row.key, facecolor=LANES_FILL,
               edgecolor="#cbd2d9", linewidth=0.8)  # fmt: skip
        _text(ax, x + 2 * PAD, at + PAD / 2, "\n".join(row_lines(row)), f"{row.key}-text")
        at += _row_height(row) + ROW_GAP
    if box.footer:
        gid = f"transfer-{box.title}"
        fill = SHUTTLE_FILL if box.shuttle else TRANSFER_FILL
        tall = LINE * (box.footer.count("\n") + 1)
        _patch(ax, (x + PAD, at), w - 2 * PAD, tall + PAD / 2, gid, facecolor=fill,
               edgecolor="none")  # fmt: skip
        _text(ax, x + 2 * PAD, at + PAD / 4, box.footer, f"{gid}-text", fontstyle="italic")


def _curve(x0: float, y0: float, x1: float, y1: float) -> list[tuple[float, float]]:
    """A cubic Bézier's control points and end, leaving and arriving level."""
    dx = (x1 - x0) / 2
    return [(x0 + dx, y0), (x1 - dx, y1), (x1, y1)]


def _path_points(canvas: Canvas, link: Link, start: float, end: float) -> list[tuple[float, float]]:
    """The arrow's points: out of its box, through the columns between, into its target."""
    route = next(
        r for r in canvas.layout.routes if (r.source, r.target) == (link.source, link.target)
    )
    forward = canvas.layout.boxes[link.target].column > canvas.layout.boxes[link.source].column
    left, right = canvas.box_x(link.source)
    points = [(right if forward else left, start)]
    for column, y in route.waypoints:
        a, b = canvas.left[column], canvas.left[column] + canvas.widths[column]
        points += [(a, canvas.top + y), (b, canvas.top + y)] if forward else [
            (b, canvas.top + y), (a, canvas.top + y)
        ]  # fmt: skip
    left, right = canvas.box_x(link.target)
    points.append((left if forward else right, end))
    return points


def draw_arrows(
    ax: Axes,
    canvas: Canvas,
    out: dict[tuple[str, str], float],
    into: dict[tuple[str, str], float],
) -> None:
    """Every arrow, curved between columns and level across them, with its label in the
    gap it leaves by (labels in one gap pushed apart)."""
    from matplotlib.patches import FancyArrowPatch  # noqa: PLC0415 - only when drawing
    from matplotlib.path import Path  # noqa: PLC0415

    labels: list[tuple[float, float, Link]] = []
    for link in canvas.graph.links:
        pair = (link.source, link.target)
        points = _path_points(canvas, link, canvas.top + out[pair], canvas.top + into[pair])
        vertices, codes = [points[0]], [Path.MOVETO]
        for i, (a, b) in enumerate(pairwise(points)):
            if i % 2 == 0:  # between columns
                vertices += _curve(*a, *b)
                codes += [Path.CURVE4] * 3
            else:  # across a column
                vertices.append(b)
                codes.append(Path.LINETO)
        style, colour = ARROW[link.kind]
        arrow = FancyArrowPatch(
            path=Path(vertices, codes), arrowstyle="-|>", mutation_scale=9, color=colour,
            linestyle=style, linewidth=1.1, shrinkA=0, shrinkB=0,
        )  # fmt: skip
        arrow.set_gid(f"arrow-{link.source}-{link.target}")
        ax.add_patch(arrow)
        if link.label:
            (x0, y0), (x1, y1) = points[0], points[1]
            labels.append(((x0 + x1) / 2, (y0 + y1) / 2, link))
    _labels(ax, labels)


def _labels(ax: Axes, labels: Sequence[tuple[float, float, Link]]) -> None:
    """Each arrow's label on it, half way across the gap; those of one gap kept apart."""
    bottom: dict[float, float] = {}
    for x, y, link in sorted(labels, key=lambda item: (round(item[0]), item[1])):
        lines = label_lines(link)
        height = LINE * len(lines)
        top = max(y - height / 2, bottom.get(round(x), -1e9) + 2)
        bottom[round(x)] = top + height
        text = ax.text(
            x, top + height / 2, "\n".join(lines), ha="center", va="center", fontsize=FONT - 0.5,
            color=MUTED, linespacing=_spacing(FONT - 0.5),
            bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none"},
        )  # fmt: skip
        text.set_gid(f"label-{link.source}-{link.target}")
