"""A layered layout of boxes and arrows, left to right, with no drawing in it: each box gets a
column (its depth along the routes) and a top (rows in any unit: the caller gives each box's
height and the gap between two boxes, in the same unit), and each arrow the points it passes
through in the columns it crosses.

The classic steps of a layered ("Sugiyama") drawing, kept small: arrows that close a cycle
are turned round; a box's column is the longest path to it, a box without arrows in
(a flow) sits just before the first box it leads to; an arrow that spans columns passes a
waypoint in each column between; the boxes of each column are ordered by the mean place of
their neighbours, down and up a few times, the order with the fewest crossings kept; then
each box is moved as near as it can be to the mean height of its neighbours, keeping the
order and the gaps (an isotonic regression: pool adjacent violators).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

__all__ = ["Layout", "Placed", "Route", "layered_layout"]

#: the sweeps that order the columns and those that set heights
ORDER_SWEEPS, HEIGHT_SWEEPS = 8, 12


@dataclass(frozen=True, slots=True)
class Placed:
    """A box's column (from 0) and its top and height (down from 0)."""

    key: str
    column: int
    top: float
    height: float

    @property
    def middle(self) -> float:
        return self.top + self.height / 2


@dataclass(frozen=True, slots=True)
class Route:
    """An arrow's path: the heights it passes through in each column between its ends."""

    source: str
    target: str
    waypoints: tuple[tuple[int, float], ...]


@dataclass(frozen=True, slots=True)
class Layout:
    """Where every box goes and how every arrow runs; ``height``: the lowest box's bottom."""

    boxes: dict[str, Placed]
    routes: tuple[Route, ...]
    columns: int
    height: float


def _columns(keys: Sequence[str], arrows: Sequence[tuple[str, str]]) -> dict[str, int]:
    """Longest-path columns over the arrows (those closing a cycle left out); a box with
    no arrow in sits just before its first successor."""
    succ: dict[str, list[str]] = {k: [] for k in keys}
    for a, b in arrows:
        succ[a].append(b)
    state: dict[str, int] = {}
    order: list[str] = []
    forward: set[tuple[str, str]] = set()

    def visit(node: str) -> None:  # depth first: arrows to a box on the stack close a cycle
        state[node] = 1
        for nxt in succ[node]:
            if state.get(nxt) != 1:
                forward.add((node, nxt))
            if nxt not in state:
                visit(nxt)
        state[node] = 2
        order.append(node)

    for key in keys:
        if key not in state:
            visit(key)
    column = dict.fromkeys(keys, 0)
    for node in reversed(order):  # a topological order of the forward arrows
        for nxt in succ[node]:
            if (node, nxt) in forward:
                column[nxt] = max(column[nxt], column[node] + 1)
    has_in = {b for a, b in forward}
    for key in keys:
        after = [column[b] for a, b in forward if a == key]
        if key not in has_in and after:
            column[key] = min(after) - 1
    return column


def _crossings(upper: list[str], lower: list[str], pairs: list[tuple[str, str]]) -> int:
    at_u = {k: i for i, k in enumerate(upper)}
    at_l = {k: i for i, k in enumerate(lower)}
    ends = [(at_u[a], at_l[b]) for a, b in pairs if a in at_u and b in at_l]
    return sum(
        1 for i, (a, b) in enumerate(ends) for c, d in ends[i + 1 :] if (a - c) * (b - d) < 0
    )


def _order(layers: list[list[str]], pairs: list[tuple[str, str]]) -> list[list[str]]:
    """Each column ordered by the mean place of the neighbours (barycentres), the sweep with
    the fewest crossings kept."""
    preds: dict[str, list[str]] = {}
    succs: dict[str, list[str]] = {}
    for a, b in pairs:
        succs.setdefault(a, []).append(b)
        preds.setdefault(b, []).append(a)

    def total(order: list[list[str]]) -> int:
        return sum(_crossings(u, v, pairs) for u, v in pairwise(order))

    best, fewest = [list(layer) for layer in layers], total(layers)
    current = [list(layer) for layer in layers]
    for sweep in range(ORDER_SWEEPS):
        down = sweep % 2 == 0
        indices = range(1, len(current)) if down else range(len(current) - 2, -1, -1)
        for i in indices:
            fixed = current[i - 1] if down else current[i + 1]
            at = {k: n for n, k in enumerate(fixed)}
            links = preds if down else succs

            def centre(
                key: str, old: int, links: dict[str, list[str]] = links, at: dict[str, int] = at
            ) -> float:
                near = [at[k] for k in links.get(key, ()) if k in at]
                return sum(near) / len(near) if near else old

            current[i] = [
                k for _, k in sorted(((centre(k, n), n), k) for n, k in enumerate(current[i]))
            ]
        crossings = total(current)
        if crossings < fewest:
            best, fewest = [list(layer) for layer in current], crossings
    return best


def _pool(targets: list[float], weights: list[float]) -> list[float]:
    """The non-decreasing sequence nearest to ``targets`` (weighted least squares)."""
    blocks: list[list[float]] = []  # [value, weight, count]
    for t, w in zip(targets, weights, strict=True):
        blocks.append([t, w, 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            v2, w2, n2 = blocks.pop()
            v1, w1, n1 = blocks.pop()
            blocks.append([(v1 * w1 + v2 * w2) / (w1 + w2), w1 + w2, n1 + n2])
    return [v for v, _, n in blocks for _ in range(int(n))]


def _heights(
    layers: list[list[str]],
    size: Mapping[str, float],
    pairs: list[tuple[str, str]],
    gap: float,
) -> dict[str, float]:
    """Tops: each box as near as it may be to its neighbours' mean middle."""
    top: dict[str, float] = {}
    for layer in layers:
        y = 0.0
        for key in layer:
            top[key], y = y, y + size[key] + gap
    near: dict[str, list[str]] = {}
    for a, b in pairs:
        near.setdefault(a, []).append(b)
        near.setdefault(b, []).append(a)
    for sweep in range(HEIGHT_SWEEPS):
        order = layers if sweep % 2 == 0 else layers[::-1]
        for layer in order:
            offsets, y = [], 0.0
            for key in layer:
                offsets.append(y)
                y += size[key] + gap
            targets, weights = [], []
            for key, offset in zip(layer, offsets, strict=True):
                others = near.get(key, [])
                mids = [top[k] + size[k] / 2 for k in others]
                want = sum(mids) / len(mids) - size[key] / 2 if mids else top[key]
                targets.append(want - offset)
                weights.append(float(len(others)) or 0.1)
            for key, offset, z in zip(layer, offsets, _pool(targets, weights), strict=True):
                top[key] = z + offset
    lowest = min(top.values(), default=0.0)
    return {k: v - lowest for k, v in top.items()}


def layered_layout(
    boxes: Mapping[str, float],
    arrows: Sequence[tuple[str, str]],
    *,
    gap: float = 1.0,
    waypoint: float = 1.0,
) -> Layout:
    """Place ``boxes`` (key → height, in their order) and route ``arrows`` (source, target;
    no arrow from a box to itself) left to right; ``waypoint``: the room an arrow takes where
    it passes a column."""
    keys = list(boxes)
    column = _columns(keys, arrows)
    size = dict(boxes)
    pairs: list[tuple[str, str]] = []
    chains: list[tuple[str, str, list[str]]] = []
    for a, b in arrows:
        step = 1 if column[b] > column[a] else -1
        chain = [a]
        for c in range(column[a] + step, column[b], step):
            dummy = f"\0{a}\0{b}\0{c}"
            column[dummy], size[dummy] = c, waypoint
            chain.append(dummy)
        chain.append(b)
        for u, v in pairwise(chain):
            pairs.append((u, v) if column[v] > column[u] else (v, u))
        chains.append((a, b, chain[1:-1]))
    count = max(column.values(), default=-1) + 1
    layers: list[list[str]] = [[] for _ in range(count)]
    for key in column:  # boxes in their order, then waypoints in the arrows' order
        layers[column[key]].append(key)
    layers = _order(layers, pairs)
    top = _heights(layers, size, pairs, gap)
    placed = {k: Placed(k, column[k], top[k], boxes[k]) for k in keys}
    routes = tuple(
        Route(a, b, tuple((column[d], top[d] + waypoint / 2) for d in dummies))
        for a, b, dummies in chains
    )
    bottom = max((top[k] + size[k] for k in top), default=0.0)
    return Layout(placed, routes, count, bottom)
