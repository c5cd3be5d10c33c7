"""A small joint search over the shared assumptions' grids, and what the figures can tell
of each (``tests/calibration.py`` runs it on the library).

It knows nothing of scenarios: it minimises a ``score`` of a point (a value for every
assumption searched) over a grid per assumption.

* :func:`grid`: an assumption's points: its low and high ends, its file's value, and the
  round multiples of a step in between (the step 1, 2, 2.5 or 5 times a power of ten that
  cuts the range in at most :data:`MOST_STEPS` steps);
* :func:`descend`: coordinate descent from a start: one assumption at a time over its whole
  grid, the others held, until a full round moves nothing; a tie goes to the point nearest
  ``home`` (the file's values), then the lower, so a flat stretch keeps the file's value.
  Then, for each pair of assumptions a scenario uses together, the four diagonal steps:
  lines alone stall in a valley that runs across them (a counter 5 s slower *and* a tenth
  more channels staffed may do better where neither does alone); the best step that lowers
  the score is taken and the lines go on. Each move lowers the score, or keeps it and comes
  nearer home, so it ends;
* :func:`told`: what the figures say of one assumption at the chosen point: the grid's
  points, walking out from the chosen value, whose *profile* (the least score with that
  value, the other assumptions chosen again by :func:`descend`) is within ``tolerance`` of
  the least. When that stretch is the whole range the figures cannot tell the assumption:
  either nothing depends on it (a flat score) or another assumption makes up for it (a
  confounded pair, e.g. capacity ~ staffed share / counter time: the profile stays low
  along the ridge although the score at the chosen point alone rises).

Coordinate descent, not a full grid: the product of the grids (8 x 6 x 8 x 7 points in the
library) is 2,688 points, 544 runs even with each scenario run once for the values it uses;
a descent visits a line of each grid per round, and the caller caches the runs by the
values each scenario uses, so a line over an assumption re-runs only the scenarios that use
it (the library's calibration makes 144 runs).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass

__all__ = ["MOST_STEPS", "TIE", "Part", "Space", "Told", "descend", "grid", "search", "told"]

#: at most this many steps across a range (so at most MOST_STEPS + 2 points with the value)
MOST_STEPS = 7
#: two scores this close are a tie (the same runs give the same numbers: only rounding)
TIE = 1e-12
#: rounds of coordinate descent at most (it ends sooner: each move lowers a finite order)
ROUNDS = 20

Point = Mapping[str, float]
Score = Callable[[Point], float]


@dataclass(frozen=True)
class Told:
    """What the figures say of one assumption: the value chosen, and the stretch of its grid
    (``low`` to ``high``) whose best score, the others chosen again, is within the tolerance
    of the least. ``cannot_tell`` when that stretch is the whole range."""

    name: str
    value: float
    low: float
    high: float
    cannot_tell: bool


def _nice_step(span: float) -> float:
    if span <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(span / MOST_STEPS))
    for factor in (1.0, 2.0, 2.5, 5.0, 10.0):
        if span / (factor * power) <= MOST_STEPS + 1e-9:
            return factor * power
    return 10.0 * power  # pragma: no cover - 10 x power always fits


def grid(low: float, high: float, value: float) -> tuple[float, ...]:
    """The points of a range: ``low``, the round multiples of a step within it, the file's
    ``value`` and ``high``, sorted."""
    step = _nice_step(high - low)
    first = math.ceil(low / step - 1e-9)
    last = math.floor(high / step + 1e-9)
    inner = {round(k * step, 10) for k in range(first, last + 1)}
    points = {float(low), float(high), float(value)} | {v for v in inner if low < v < high}
    return tuple(sorted(points))


@dataclass(frozen=True)
class Part:
    """One scenario's share of the score: the assumptions it uses, and its score."""

    uses: frozenset[str]
    score: Score


@dataclass(frozen=True)
class Space:
    """What is searched: each assumption's grid, the file's values (``home``: a tie goes to
    the point nearest them), the pairs some scenario uses together (their score need not be
    a sum of one part for each: a diagonal step may lower it where no line does) and,
    optionally, the score's parts (cheapest first: a profile's lower bound adds them up)."""

    grids: Mapping[str, tuple[float, ...]]
    home: Mapping[str, float]
    pairs: tuple[tuple[str, str], ...] = ()
    parts: tuple[Part, ...] = ()


def _bound(space: Space, point: Point, name: str, limit: float) -> float:
    """A lower bound of the profile at ``point`` (``name`` held), at least until it passes
    ``limit``: each part's least over the one other assumption it uses (its value as it is
    when it uses none but ``name``; 0 when it uses two others), added cheapest first."""
    total = 0.0
    for part in space.parts:
        free = sorted(part.uses - {name})
        if not free:
            total += part.score(point)
        elif len(free) == 1:
            total += min(part.score({**point, free[0]: v}) for v in space.grids[free[0]])
        if total > limit:
            break
    return total


def _nearest(points: list[float], home: float) -> float:
    return min(points, key=lambda v: (abs(v - home), v))


def _line(
    score: Score, current: dict[str, float], name: str, points: tuple[float, ...], enough: float
) -> dict[float, float]:
    """The scores along one line, nearest the current value first; the line stops at a
    point whose score is ``enough`` (a profile needs only to know that one exists)."""
    totals: dict[float, float] = {}
    for value in sorted(points, key=lambda v: (abs(v - current[name]), v)):
        totals[value] = score({**current, name: value})
        if totals[value] <= enough:
            break
    return totals


def _lines(
    score: Score, space: Space, current: dict[str, float], fixed: Collection[str], enough: float
) -> bool:
    """One round of lines: each assumption not ``fixed`` over its grid; whether one moved."""
    moved = False
    for name, points in space.grids.items():
        if name in fixed:
            continue
        totals = _line(score, current, name, points, enough)
        least = min(totals.values())
        tied = [v for v in totals if totals[v] <= least + TIE]
        chosen = _nearest(tied, space.home[name])
        if chosen != current[name]:
            current[name] = chosen
            moved = True
        if least <= enough:
            return True
    return moved


def _diagonals(
    score: Score, space: Space, current: dict[str, float], fixed: Collection[str]
) -> bool:
    """The four diagonal neighbours of each pair used together (one grid step each way):
    the best, when it lowers the score, taken; whether one was."""
    here = score(current)
    best: tuple[float, dict[str, float]] | None = None
    for a, b in space.pairs:
        if a in fixed or b in fixed:
            continue
        at_a, at_b = space.grids[a].index(current[a]), space.grids[b].index(current[b])
        for i in (at_a - 1, at_a + 1):
            for j in (at_b - 1, at_b + 1):
                if 0 <= i < len(space.grids[a]) and 0 <= j < len(space.grids[b]):
                    point = {**current, a: space.grids[a][i], b: space.grids[b][j]}
                    total = score(point)
                    if total < here - TIE and (best is None or total < best[0] - TIE):
                        best = (total, point)
    if best is None:
        return False
    current.update(best[1])
    return True


def descend(
    score: Score,
    space: Space,
    start: Point,
    fixed: Collection[str] = (),
    enough: float = -math.inf,
) -> dict[str, float]:
    """The point coordinate descent reaches from ``start``: each assumption not ``fixed``
    over its whole grid in turn, the others held, the least score taken (a tie to the point
    nearest ``home``, then the lower), until a round moves nothing; then a diagonal step of
    a pair used together, when one lowers the score, and the lines again. It stops at the
    first point whose score is ``enough``, if one is given (a profile's question)."""
    current = dict(start)
    for _ in range(ROUNDS):
        if score(current) <= enough:
            break
        if not _lines(score, space, current, fixed, enough) and not _diagonals(
            score, space, current, fixed
        ):
            break
    return current


def told(score: Score, space: Space, best: Point, *, name: str, tolerance: float) -> Told:
    """The stretch of ``name``'s grid around its chosen value whose profile is within
    ``tolerance`` of the least score: walking out on each side, the first point beyond it
    ends the walk. A point whose score with the others held is already within needs no
    profile (the profile is never higher); one whose lower bound (:func:`_bound`) is beyond
    needs none either: a port that misses whatever the others are rules it out before an
    expensive port's line is run."""
    points = space.grids[name]
    limit = score(best) + tolerance

    def within(value: float) -> bool:
        point = {**best, name: value}
        if score(point) <= limit:
            return True
        if _bound(space, point, name, limit) > limit:
            return False
        return score(descend(score, space, point, fixed={name}, enough=limit)) <= limit

    at = points.index(best[name])
    low = at
    while low > 0 and within(points[low - 1]):
        low -= 1
    high = at
    while high < len(points) - 1 and within(points[high + 1]):
        high += 1
    whole = low == 0 and high == len(points) - 1
    return Told(name, best[name], points[low], points[high], whole)


def search(
    score: Score, space: Space, tolerance: float
) -> tuple[dict[str, float], tuple[Told, ...]]:
    """The point chosen by coordinate descent from the file's values, and what the figures
    tell of each assumption there."""
    best = descend(score, space, space.home)
    return best, tuple(told(score, space, best, name=n, tolerance=tolerance) for n in space.grids)
