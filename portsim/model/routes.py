"""Routes as programs: a flow's route compiles to a short list of steps that the engine runs
one entity at a time (:func:`portsim.engine.steps`).

=================  ==========================================================================
step               what the entity does
=================  ==========================================================================
``Visit(stage)``   joins the stage's lane groups and is served; then goes to ``next``
``Move(travel)``   takes ``travel`` (a distribution, drawn per entity) to the next stop
``Board(stage)``   waits for the shuttle that leaves ``stage``, rides it to the next stop
``Branch(p)``      goes on to ``yes`` with probability ``p``, else to ``no`` (one draw per
                   entity from the branch's own stream)
``Exit``           leaves the port
=================  ==========================================================================

Every step names the step that follows (``next``, ``yes``, ``no``), so a program is a small
graph. A route ``[a, {stage: b, p: 0.2}, c]`` becomes::

    0 Visit a → 1        1 Branch p=0.2 → 2 | 4
    2 Move(a's transfer) → 3     3 Visit b → 5
    4 Move(a's transfer) → 6     5 Move(b's transfer) → 6
    6 Visit c → 7        7 Exit

After each visit, the branches that decide the next stop come first, then the move that
leads there: the move can depend on both the stop left and the stop ahead, and a move
happens only when there is a stop ahead (leaving the port takes no transfer).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..scenario.distributions import TimeDistribution

__all__ = [
    "Board",
    "Branch",
    "Exit",
    "Move",
    "Program",
    "RouteStop",
    "Step",
    "Visit",
    "compile_route",
]


@dataclass(frozen=True, slots=True)
class Visit:
    """Queue and be served at ``stage``."""

    stage: int
    next: int


@dataclass(frozen=True, slots=True)
class Move:
    """Travel to the next stop: ``travel`` is drawn per entity from the transfer stream of
    ``names`` (flow, stage left), or is constant (``constant`` not None; no stream)."""

    travel: TimeDistribution
    constant: float | None
    names: tuple[str, ...]
    next: int


@dataclass(frozen=True, slots=True)
class Board:
    """Wait for the shuttle leaving ``stage`` (index into the model's shuttles) and ride it."""

    shuttle: int
    next: int


@dataclass(frozen=True, slots=True)
class Branch:
    """Go to ``yes`` with probability ``p``, else to ``no``; one draw per entity from the route
    stream of ``names`` (flow, stage, and the stage's occurrence on the route after the
    first)."""

    p: float
    names: tuple[str, ...]
    yes: int
    no: int


@dataclass(frozen=True, slots=True)
class Exit:
    """Leave the port."""


Step = Visit | Move | Board | Branch | Exit
Program = tuple[Step, ...]


@dataclass(frozen=True, slots=True)
class RouteStop:
    """One stop of a route as the compiler sees it: the stage, its probability and the names
    of its stream, and the way from this stop to the next one (None: none; an int: a
    shuttle index; a distribution: a move, ``constant`` if it is one)."""

    stage: int
    p: float
    names: tuple[str, ...]
    way: TimeDistribution | int | None
    constant: float | None
    way_names: tuple[str, ...]


def compile_route(stops: tuple[RouteStop, ...]) -> Program:
    """The program of a route (see the module's docstring); step 0 is the entry point."""
    steps: list[Step] = []
    after_stop: dict[int, int] = {}
    legs: dict[tuple[int, int], int] = {}
    visits: dict[int, int] = {}
    exits: list[int] = []

    def reserve() -> int:
        steps.append(Exit())  # a placeholder, replaced once the targets are known
        return len(steps) - 1

    def after(i: int) -> int:
        """Where an entity goes once done with stop ``i`` (-1: on arrival)."""
        if i not in after_stop:
            after_stop[i] = decide(i, i + 1)
        return after_stop[i]

    def decide(i: int, j: int) -> int:
        """From stop ``i``, the next stop is ``j`` or, if ``j`` is skipped, a later one."""
        if j == len(stops):
            if not exits:
                exits.append(reserve())
            return exits[0]
        stop = stops[j]
        if stop.p >= 1:
            return leg(i, j)
        index = reserve()
        yes = leg(i, j)
        steps[index] = Branch(stop.p, stop.names, yes, decide(i, j + 1))
        return index

    def leg(i: int, j: int) -> int:
        """The step that takes an entity from stop ``i`` to stop ``j``."""
        if (i, j) not in legs:
            way = stops[i].way if i >= 0 else None
            if way is None:
                legs[(i, j)] = visit(j)
            else:
                index = legs[(i, j)] = reserve()
                target = visit(j)
                steps[index] = (
                    Board(way, target)
                    if isinstance(way, int)
                    else Move(way, stops[i].constant, stops[i].way_names, target)
                )
        return legs[(i, j)]

    def visit(j: int) -> int:
        if j not in visits:
            index = visits[j] = reserve()
            steps[index] = Visit(stops[j].stage, after(j))
        return visits[j]

    after(-1)
    return tuple(steps)
