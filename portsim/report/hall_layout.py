"""Where each thing of the hall goes in a picture of it: the stages as boxes in route order,
each lane group's rows inside its stage's box, the entrances (one per flow) on the left, the
arrows of the flows between them, and a band on top for the title, the legend and the clock
that no box or arrow enters. Plain geometry in inches from the top-left corner, from the
compiled model alone: nothing here draws (:mod:`.animate` draws it), so another picture of
the model can lay itself out the same way.

The flows are read from the route programs: an arrow from a flow's entrance to each stage it
may visit first, and from a stage to each it may visit next (*alight*: a vehicle's
passengers who leave it; *shuttle*: a ride on a timetabled shuttle). Stages that share no
flow form separate parts (the ports of a city, say); each part is placed by the model
diagram's layered layout (:mod:`.layered`: a stage's column is the longest route to it, an
entrance stands just before its first stage, each column ordered to cross few arrows, an
arrow passing the columns between its ends where no box is), with boxes sized by their lane
rows, and the parts are stacked in columns so that the whole is about 1.6 times as wide as
high (a screen).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..model.model import Model
from ..model.routes import Alight, Board, Branch, Choose, Meet, Move, Program, Visit
from .layered import layered_layout

__all__ = [
    "BOX_WIDTH",
    "MAX_DOTS",
    "MAX_SQUARES",
    "SQUARES_PER_ROW",
    "Arrow",
    "Box",
    "Entrance",
    "GroupRows",
    "HallLayout",
    "StageBox",
    "flow_edges",
    "hall_layout",
]

#: a stage's box is this wide (inches); lanes are squares up to MAX_SQUARES (in rows of
#: SQUARES_PER_ROW), a bar beyond; a queue is dots up to MAX_DOTS, a bar beyond
BOX_WIDTH, PAD = 3.0, 0.12
SQUARE_PITCH, SQUARES_PER_ROW, MAX_SQUARES, MAX_DOTS = 0.13, 20, 60, 20
#: heights (inches): a stage's name, a group's name, a lane row (or bar), its queue row
TITLE_ROW, NAME_ROW, BAR_ROW, QUEUE_ROW, GROUP_GAP = 0.3, 0.22, 0.2, 0.24, 0.08
#: the entrances' column, the gaps between columns and between boxes, the top band
ENTRANCE_WIDTH, GAP_X, GAP_Y, ENTRANCE_PITCH = 1.8, 0.7, 0.35, 0.4
#: the room an arrow takes where it passes a column
WAYPOINT = 0.3
HEADER, MARGIN, MIN_WIDTH = 1.0, 0.3, 11.0
#: the top band: the title's width on the left, the clock's on the right, the legend between
TITLE_WIDTH, CLOCK_WIDTH = 2.4, 2.3
#: the whole is laid out about this many times as wide as high
ASPECT = 1.6


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle: its top-left corner and size, in inches from the picture's top-left."""

    x: float
    y: float
    width: float
    height: float

    def overlaps(self, other: Box) -> bool:
        """Whether the two share some area."""
        return (
            self.x < other.x + other.width
            and other.x < self.x + self.width
            and self.y < other.y + other.height
            and other.y < self.y + self.height
        )


@dataclass(frozen=True, slots=True)
class GroupRows:
    """A lane group inside its stage's box: the row of its name, its lanes (squares, or a
    bar when there are more than :data:`MAX_SQUARES`), its queue."""

    group: int
    name: str
    lanes: int
    name_row: Box
    lane_rows: Box
    queue_row: Box

    @property
    def squares(self) -> bool:
        """Whether its lanes are drawn one square each (else as one bar)."""
        return self.lanes <= MAX_SQUARES


@dataclass(frozen=True, slots=True)
class StageBox:
    """A stage's box and its lane groups' rows."""

    stage: int
    name: str
    box: Box
    groups: tuple[GroupRows, ...]


@dataclass(frozen=True, slots=True)
class Entrance:
    """Where a flow comes in: its name's box, arrows leaving its right side."""

    flow: str
    box: Box


@dataclass(frozen=True, slots=True)
class Arrow:
    """A flow from ``start`` to ``end`` (points in inches) through ``via`` (where it crosses
    the columns between, kept clear of boxes); ``kind`` is ``walk``, ``alight`` or
    ``shuttle``; ``back`` when it leads to an earlier column (drawn curved)."""

    start: tuple[float, float]
    end: tuple[float, float]
    kind: str
    back: bool = False
    via: tuple[tuple[float, float], ...] = ()


@dataclass(frozen=True, slots=True)
class HallLayout:
    """The picture: its size (inches), the top band (``header``) with the title, the
    legend and the clock in boxes of their own, the stages' boxes, the entrances and the
    arrows."""

    width: float
    height: float
    header: Box
    title: Box
    legend: Box
    clock: Box
    stages: tuple[StageBox, ...]
    entrances: tuple[Entrance, ...]
    arrows: tuple[Arrow, ...]


# -- the flows between stages


Node = tuple[str, int]  # ("flow", flow index) or ("stage", stage index)
Via = tuple[tuple[float, float], ...]


def _walk(model: Model, program: Program, last: Node, edges: dict[tuple[Node, Node], str]) -> None:
    """Add the edges of ``program`` entered from ``last``."""
    seen: set[tuple[int, Node, str]] = set()
    todo: list[tuple[int, Node, str]] = [(0, last, "alight" if last[0] == "stage" else "walk")]
    while todo:
        index, at, kind = todo.pop()
        if (index, at, kind) in seen:
            continue
        seen.add((index, at, kind))
        step = program[index]
        if isinstance(step, Visit):
            edges.setdefault((at, ("stage", step.stage)), kind)
            todo.append((step.next, ("stage", step.stage), "walk"))
        elif isinstance(step, Board):
            todo.append((step.next, at, "shuttle"))
        elif isinstance(step, Move | Meet):
            todo.append((step.next, at, kind))
        elif isinstance(step, Branch):
            todo += [(step.yes, at, kind), (step.no, at, kind)]
        elif isinstance(step, Choose):
            todo += [(target, at, kind) for _, target in step.options] + [(step.no, at, kind)]
        elif isinstance(step, Alight):
            _walk(model, model.subflows[step.subflow].program, at, edges)
            todo.append((step.next, at, kind))


def flow_edges(model: Model) -> dict[tuple[Node, Node], str]:
    """Every way from an entrance or stage to a stage, with its kind (see :class:`Arrow`)."""
    edges: dict[tuple[Node, Node], str] = {}
    for flow in model.flows:
        for sub in flow.subflows:
            _walk(model, model.subflows[sub].program, ("flow", flow.index), edges)
    return edges


# -- the layout


def _group_height(lanes: int) -> float:
    rows = math.ceil(max(1, lanes) / SQUARES_PER_ROW) if lanes <= MAX_SQUARES else 1
    return NAME_ROW + max(BAR_ROW, rows * SQUARE_PITCH + 0.04) + QUEUE_ROW + GROUP_GAP


def _stage_height(model: Model, stage: int) -> float:
    groups = model.stages[stage].groups
    return TITLE_ROW + sum(_group_height(model.groups[g].lanes) for g in groups) + PAD


def _parts(model: Model, edges: dict[tuple[Node, Node], str]) -> list[list[Node]]:
    """The nodes that share flows, each part in the order of its first stage."""
    parent: dict[Node, Node] = {}

    def root(node: Node) -> Node:
        while parent.setdefault(node, node) != node:
            node = parent[node]
        return node

    for stage in model.stages:
        root(("stage", stage.index))
    for a, b in edges:
        parent[root(a)] = root(b)
    parts: dict[Node, list[Node]] = {}
    for node in sorted(parent, key=lambda n: (n[0] != "flow", n[1])):
        parts.setdefault(root(node), []).append(node)
    return sorted(parts.values(), key=lambda p: min(n[1] for n in p if n[0] == "stage"))


def _key(node: Node) -> str:
    return f"{node[0]}-{node[1]}"


def _part_boxes(
    model: Model, part: list[Node], edges: dict[tuple[Node, Node], str]
) -> tuple[float, float, dict[Node, Box], dict[tuple[Node, Node], Via]]:
    """A part laid out from (0, 0) by :func:`.layered.layered_layout` (a stage's column is
    the longest way to it, an entrance stands just before its first stage, each column
    ordered to cross few arrows): its width, height, each node's box and the points an
    arrow passes in the columns it crosses. A column with a stage is a box wide, one of
    entrances only an entrance wide; entrances stand at its right."""
    nodes = {_key(n): n for n in part}
    links = [(a, b) for a, b in edges if a != b and _key(a) in nodes]
    laid = layered_layout(
        {k: ENTRANCE_PITCH if n[0] == "flow" else _stage_height(model, n[1])
         for k, n in nodes.items()},
        [(_key(a), _key(b)) for a, b in links],
        gap=GAP_Y,
        waypoint=WAYPOINT,
    )  # fmt: skip
    wide = [ENTRANCE_WIDTH] * laid.columns
    for placed in laid.boxes.values():
        if nodes[placed.key][0] == "stage":
            wide[placed.column] = BOX_WIDTH
    x_of = [sum(wide[:c]) + GAP_X * c for c in range(laid.columns)]
    boxes = {}
    for placed in laid.boxes.values():
        width = BOX_WIDTH if nodes[placed.key][0] == "stage" else ENTRANCE_WIDTH
        right = x_of[placed.column] + wide[placed.column]
        boxes[nodes[placed.key]] = Box(right - width, placed.top, width, placed.height)
    vias = {
        (nodes[r.source], nodes[r.target]): tuple(
            point for c, y in r.waypoints for point in ((x_of[c], y), (x_of[c] + wide[c], y))
        )
        for r in laid.routes
    }
    return x_of[-1] + wide[-1], laid.height, boxes, vias


def _stack(sizes: list[tuple[float, float]], target: float) -> list[tuple[float, float]]:
    """Top-left corners for parts of ``sizes`` stacked in columns no taller than
    ``target`` (a part taller than it has a column of its own)."""
    corners, x, y, column_width = [], 0.0, 0.0, 0.0
    for w, h in sizes:
        if y > 0 and y + h > target:
            x, y, column_width = x + column_width + GAP_X * 2, 0.0, 0.0
        corners.append((x, y))
        y += h + GAP_Y * 2
        column_width = max(column_width, w)
    return corners


def _pack(sizes: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Top-left corners for parts of ``sizes``, stacked in columns: of the heights that
    change the stacking, the one whose whole is nearest ASPECT times as wide as high."""
    best, best_score = _stack(sizes, math.inf), math.inf
    tops = sorted({sum(h + GAP_Y * 2 for _, h in sizes[i:j]) for i in range(len(sizes))
                   for j in range(i + 1, len(sizes) + 1)})  # fmt: skip
    for target in tops:
        corners = _stack(sizes, target + 1e-9)
        wide = max(x + w for (x, _), (w, _) in zip(corners, sizes, strict=True))
        high = max(y + h for (_, y), (_, h) in zip(corners, sizes, strict=True))
        score = abs(math.log(wide / high / ASPECT))
        if score < best_score:
            best, best_score = corners, score
    return best


def _group_rows(model: Model, stage: int, box: Box) -> tuple[GroupRows, ...]:
    rows, y, inner = [], box.y + TITLE_ROW, box.width - 2 * PAD
    for g in model.stages[stage].groups:
        group = model.groups[g]
        lanes_height = _group_height(group.lanes) - NAME_ROW - QUEUE_ROW - GROUP_GAP
        name_row = Box(box.x + PAD, y, inner, NAME_ROW)
        lane_rows = Box(box.x + PAD, y + NAME_ROW, inner, lanes_height)
        queue_row = Box(box.x + PAD, lane_rows.y + lanes_height, inner, QUEUE_ROW)
        rows.append(GroupRows(g, group.name, group.lanes, name_row, lane_rows, queue_row))
        y = queue_row.y + QUEUE_ROW + GROUP_GAP
    return tuple(rows)


def _arrows(
    edges: dict[tuple[Node, Node], str],
    boxes: dict[Node, Box],
    vias: dict[tuple[Node, Node], Via],
) -> tuple[Arrow, ...]:
    """Arrows leaving each box's right side and entering each stage's left side, spread
    along them in the order of the boxes at their other end, through the columns between
    (none from a stage to itself)."""
    leaving: dict[Node, list[Node]] = {}
    entering: dict[Node, list[Node]] = {}
    for a, b in edges:
        leaving.setdefault(a, []).append(b)
        entering.setdefault(b, []).append(a)

    def near(node: Node, other: Node) -> float:
        """Where the arrow between them leaves ``node``'s side for: its first point."""
        via = vias.get((node, other)) or vias.get((other, node))
        if via:
            return via[0][1] if (node, other) in vias else via[-1][1]
        return boxes[other].y + boxes[other].height / 2

    def spot(node: Node, other: Node, ends: dict[Node, list[Node]]) -> float:
        box, order = boxes[node], sorted(ends[node], key=lambda n: near(node, n))
        share = (order.index(other) + 1) / (len(order) + 1)
        top = box.y + (TITLE_ROW if node[0] == "stage" else 0.0)
        return top + (box.y + box.height - top) * share

    arrows = []
    for (a, b), kind in edges.items():
        if a == b:  # a stage visited twice in a row: no arrow
            continue
        start = (boxes[a].x + boxes[a].width, spot(a, b, leaving))
        end = (boxes[b].x, spot(b, a, entering))
        back = end[0] <= start[0]
        arrows.append(Arrow(start, end, kind, back, () if back else vias.get((a, b), ())))
    return tuple(arrows)


def hall_layout(model: Model) -> HallLayout:
    """Where each stage, lane group, entrance and arrow of ``model`` goes."""
    edges = flow_edges(model)
    laid = [_part_boxes(model, part, edges) for part in _parts(model, edges)]
    corners = _pack([(w, h) for w, h, _, _ in laid])
    boxes: dict[Node, Box] = {}
    vias: dict[tuple[Node, Node], Via] = {}
    for (cx, cy), (_, _, part, routes) in zip(corners, laid, strict=True):
        dx, dy = MARGIN + cx, HEADER + cy
        for node, b in part.items():
            boxes[node] = Box(dx + b.x, dy + b.y, b.width, b.height)
        for edge, points in routes.items():
            vias[edge] = tuple((x + dx, y + dy) for x, y in points)
    right = max(b.x + b.width for b in boxes.values()) + MARGIN
    lowest = [y + WAYPOINT / 2 for points in vias.values() for _, y in points]
    bottom = max([b.y + b.height for b in boxes.values()] + lowest) + MARGIN
    width = max(MIN_WIDTH, right)
    stages = tuple(
        StageBox(s.index, s.name, boxes[("stage", s.index)], _group_rows(model, s.index, box))
        for s in model.stages
        if (box := boxes[("stage", s.index)])
    )
    entrances = tuple(
        Entrance(model.flows[n[1]].name, b) for n, b in boxes.items() if n[0] == "flow"
    )
    band = HEADER - GAP_Y / 2
    header = Box(0.0, 0.0, width, band)
    title = Box(MARGIN, 0.0, TITLE_WIDTH - MARGIN, band)
    clock = Box(width - CLOCK_WIDTH, 0.0, CLOCK_WIDTH - MARGIN, band)
    legend = Box(TITLE_WIDTH, 0.0, clock.x - TITLE_WIDTH, band)
    return HallLayout(
        width, bottom, header, title, legend, clock, stages, entrances, _arrows(edges, boxes, vias)
    )
