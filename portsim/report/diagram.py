"""A diagram of the model (``portsim show FILE --diagram OUT.svg``, and in the HTML report):
the flows with their demand, left to right into the stages they pass in route order, each
stage's lane groups with their lanes (open, by the clock, built) and whom they serve, the
transfer or shuttle after a stage, the branches of a route with the share of the flow's
arrivals that takes each, the passengers who alight from their vehicle and meet it again,
and the clearance mode.

Drawn with matplotlib (already needed for the plots), not Graphviz: Graphviz lays out a
graph well but needs its ``dot`` program, a system package that ``pip install portsim``
cannot bring, so a planner's diagram would fail where the plots work. The layout is the
layered drawing Graphviz's ``dot`` makes, kept small (:mod:`.layered`), on the graph of
:mod:`.model_graph`; text is measured with matplotlib's own fonts, so boxes fit their words.

An SVG keeps its words as text (``svg.fonttype: none``) and each box an id: ``flow-NAME``,
``stage-NAME``, ``lanes-STAGE-GROUP``, ``meet-FLOW``, ``transfer-STAGE``; the words of a box
are in ``ID-text`` (a stage's title in ``stage-NAME-title``) and an arrow is
``arrow-SOURCE-TARGET``.
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import UsageError
from ..run.outputs import replacing
from ..scenario.spec import Scenario
from .diagram_draw import (
    BOX_GAP,
    PNG_DPI,
    WAYPOINT,
    Canvas,
    draw_arrows,
    draw_box,
    draw_heading,
    size_box,
)
from .layered import Layout, layered_layout
from .model_graph import Link, model_graph

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "CAPTION",
    "DIAGRAM_SUFFIXES",
    "LEAST_SCALE",
    "check_diagram_path",
    "diagram_block",
    "diagram_svg",
    "draw_diagram",
    "inline_svg",
    "save_diagram",
    "write_diagram",
]

#: the files a diagram is written to, by suffix
DIAGRAM_SUFFIXES = (".svg", ".png")


def _ports(layout: Layout, links: Sequence[Link], side: str) -> dict[tuple[str, str], float]:
    """Where each arrow leaves its box (``side`` ``out``) or enters it (``in``): spread over
    the box's middle, in the order of where the arrows come from or go to."""
    ends: dict[str, list[tuple[float, str, str]]] = {}
    routes = {(r.source, r.target): r for r in layout.routes}
    for link in links:
        route = routes[(link.source, link.target)]
        box, other = (link.source, link.target) if side == "out" else (link.target, link.source)
        points = route.waypoints if side == "out" else route.waypoints[::-1]
        toward = points[0][1] if points else layout.boxes[other].middle
        ends.setdefault(box, []).append((toward, link.source, link.target))
    out = {}
    for box, items in ends.items():
        placed = layout.boxes[box]
        step = min(10.0, 0.7 * placed.height / len(items))
        for i, (_, a, b) in enumerate(sorted(items)):
            out[(a, b)] = placed.middle + (i - (len(items) - 1) / 2) * step
    return out


def draw_diagram(scenario: Scenario) -> Figure:
    """The diagram of a scenario's model (its chosen clearance mode: draw another with
    ``scenario.with_mode("cooperative")``) as a matplotlib figure."""
    from matplotlib.figure import Figure  # noqa: PLC0415 - only when drawing

    graph = model_graph(scenario)
    sizes = {box.key: size_box(box) for box in graph.boxes}
    layout = layered_layout(
        {k: s.height for k, s in sizes.items()},
        [(link.source, link.target) for link in graph.links],
        gap=BOX_GAP,
        waypoint=WAYPOINT,
    )
    canvas = Canvas(graph, layout, sizes)
    figure = Figure(figsize=(canvas.width / 72, canvas.height / 72), dpi=PNG_DPI)
    ax = figure.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, canvas.width)
    ax.set_ylim(canvas.height, 0)
    ax.set_axis_off()
    draw_heading(ax, graph)
    draw_arrows(ax, canvas, _ports(layout, graph.links, "out"), _ports(layout, graph.links, "in"))
    for box in graph.boxes:
        draw_box(ax, canvas, box)
    return figure


def diagram_svg(scenario: Scenario) -> str:
    """The diagram as SVG text, its words as text and its boxes with ids."""
    return _svg(draw_diagram(scenario))


def _svg(figure: Figure) -> str:
    from matplotlib import rc_context  # noqa: PLC0415 - only when drawing

    buffer = io.StringIO()
    with (
        rc_context({"svg.fonttype": "none", "svg.hashsalt": "portsim-diagram"}),
        warnings.catch_warnings(),
    ):
        # the words stay text, drawn by the reader's fonts: a glyph missing from matplotlib's
        # (a Chinese name, with DejaVu Sans) is no fault of the SVG
        warnings.filterwarnings(
            "ignore", message="Glyph .* missing from font", category=UserWarning
        )
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


#: the least a report shrinks the diagram to fit the page: below, its box scrolls sideways
LEAST_SCALE = 0.8


def inline_svg(scenario: Scenario) -> str:
    """The diagram as an ``<svg>`` element for an HTML page: no XML prolog; as wide as the
    page allows, up to its natural size and down to :data:`LEAST_SCALE` of it (the words
    stay readable; a wider diagram scrolls in its box)."""
    text = diagram_svg(scenario)
    text = text[text.index("<svg") :]
    match = re.search(r'<svg[^>]*? width="([0-9.]+)pt" height="[^"]*"', text)
    assert match is not None  # matplotlib writes both, in points
    natural = float(match.group(1)) * 4 / 3  # CSS pixels
    style = (
        f"width:100%;max-width:{natural:.0f}px;min-width:{natural * LEAST_SCALE:.0f}px;height:auto"
    )
    start, end = match.span()
    head = re.sub(r' width="[^"]*" height="[^"]*"', f' style="{style}" role="img"', match[0])
    return text[:start] + head + text[end:]


#: the diagram's caption in a report
CAPTION = (
    "The model: who arrives (blue), the stages they pass in route order with their lane "
    "groups (lanes open and built, whom they serve, the mean service time) and the transfer "
    "or shuttle after a stage. A percentage on an arrow is the share of the flow's arrivals "
    "who go that way; dashed arrows are passengers who leave their vehicle and meet it again. "
    "A diagram wider than the page scrolls sideways in its box."
)


def diagram_block(scenario: Scenario) -> str:
    """The diagram for an HTML report: an inline SVG (its words stay text) with a caption
    (``portsim show FILE --diagram OUT.svg`` writes the same picture)."""
    return (
        f'<figure class="diagram" id="diagram"><div class="wide">{inline_svg(scenario)}</div>'
        f"<figcaption>{escape(CAPTION)} (<code>portsim show FILE --diagram OUT.svg</code>)"
        "</figcaption></figure>"
    )


def write_diagram(scenario: Scenario, path: str | Path) -> Path:
    """Write the diagram to ``path``: SVG or PNG by its suffix, whole or not at all."""
    path = Path(path)
    check_diagram_path(path)
    figure = draw_diagram(scenario)
    path.parent.mkdir(parents=True, exist_ok=True)
    with replacing(path) as temporary:
        save_diagram(figure, temporary)
    return path


def save_diagram(figure: Figure, path: Path) -> None:
    """Save a diagram drawn by :func:`draw_diagram` to ``path`` as it is (SVG or PNG by the
    suffix; no temporary file)."""
    if path.suffix.lower() == ".svg":
        path.write_text(_svg(figure), encoding="utf-8")
    else:
        figure.savefig(path, format="png", dpi=PNG_DPI, metadata={"Software": None})


def check_diagram_path(path: str | Path) -> None:
    """A :class:`~portsim.errors.UsageError` unless ``path`` ends in ``.svg`` or ``.png``."""
    suffix = Path(path).suffix.lower()
    if suffix not in DIAGRAM_SUFFIXES:
        raise UsageError(
            f"--diagram {path}: write the diagram to a .svg or .png file, not "
            f"{suffix or 'a file without a suffix'}"
        )
