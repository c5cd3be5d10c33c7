"""Routes as programs: a flow's route compiles to a short list of steps that the engine runs
one entity at a time (:mod:`portsim.engine.steps`).

=================  ==========================================================================
step               what the entity does
=================  ==========================================================================
``Visit(stage)``   joins the stage's lane groups and is served; then goes to ``next``
``Move(travel)``   takes ``travel`` (a distribution, drawn per entity) to the next stop
``Board(shuttle)`` waits for the timetabled shuttle, rides it to the next stop
``Branch(p)``      goes on to ``yes`` with probability ``p``, else to ``no`` (one draw per
                   entity from the branch's own stream)
``Choose(...)``    goes to at most one of several steps, each with its probability, else to
                   ``no`` (one draw per entity from the choice's own stream)
``Alight(route)``  a vehicle's passengers leave it and start the sub-route's program
``Meet``           the vehicle waits until every passenger who alighted is back
``Exit``           leaves the port
=================  ==========================================================================

Every step names the step that follows, so a program is a small graph. A route
``[a, {stage: b, p: 0.2}, c]`` becomes::

    0 Visit a → 1        1 Branch p=0.2 → 2 | 6
    2 Move(a's transfer) → 3     3 Visit b → 4
    4 Move(b's transfer) → 5     5 Visit c → 7
    6 Move(a's transfer) → 5     7 Exit

After each visit, the branches that decide the next stop come first, then the move that
leads there: the move can depend on both the stop left and the stop ahead, and a move
happens only when there is a stop ahead (leaving the port takes no stage's transfer).
``Alight`` and ``Meet`` happen where they stand, between the visits, and leave the last stop
as it was. A flow's ``exit_transfer`` is one more move before the exit, whatever the last
stop (its stream's role is ``exit_transfer``, named after the flow)::

    7 Move(exit transfer) → 8     8 Exit
"""

from __future__ import annotations

from dataclasses import dataclass

from ..scenario.distributions import TimeDistribution

__all__ = [
    "Alight",
    "Board",
    "Branch",
    "Choose",
    "Exit",
    "ExitWay",
    "Meet",
    "Move",
    "Place",
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
    """Travel to the next stop: ``travel`` is drawn per entity from the stream of ``role``
    and ``names`` (``transfer``: flow, stage left; ``exit_transfer``: flow, the way out), or
    is constant (``constant`` not None; no stream)."""

    travel: TimeDistribution
    constant: float | None
    names: tuple[str, ...]
    next: int
    role: str = "transfer"


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
class Choose:
    """Go to ``options[i][1]`` for the first i whose cumulative probability exceeds one draw
    per entity (from the choice's stream, of ``names``: flow, ``choose`` and the options'
    stages; ``choose N`` for the N-th repetition of the same choice on the route), else to
    ``no``."""

    options: tuple[tuple[float, int], ...]
    names: tuple[str, ...]
    no: int


@dataclass(frozen=True, slots=True)
class Alight:
    """The vehicle's passengers leave it and start program ``subflow`` (its sub-route)."""

    subflow: int
    next: int


@dataclass(frozen=True, slots=True)
class Meet:
    """Wait until every passenger who alighted from this vehicle has finished."""

    next: int


@dataclass(frozen=True, slots=True)
class Exit:
    """Leave the port."""


Step = Visit | Move | Board | Branch | Choose | Alight | Meet | Exit
Program = tuple[Step, ...]


@dataclass(frozen=True, slots=True)
class Place:
    """A stage a route may visit, as the compiler sees it: the stage, and the way from it to
    the next stop (None: none; an int: a shuttle index; a distribution: a move, ``constant``
    if it is one, drawn from the transfer stream of ``way_names``)."""

    stage: int
    way: TimeDistribution | int | None
    constant: float | None
    way_names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RouteStop:
    """One step of a route as the compiler sees it: visit ``places[0]`` with probability
    ``p`` (one place), or at most one of ``places`` with probabilities ``ps`` (a choice),
    with the names of its stream; or an action (``alight``: a sub-route's program, or
    ``meet``)."""

    places: tuple[Place, ...] = ()
    ps: tuple[float, ...] = ()
    names: tuple[str, ...] = ()
    choice: bool = False
    alight: int | None = None
    meet: bool = False


def _exit(steps: list[Step], out: ExitWay | None) -> int:
    """The exit step, after the way out when there is one (appended to ``steps``)."""
    steps.append(Exit())
    if out is not None:
        travel, constant, names = out
        steps[-1] = Move(travel, constant, names, len(steps), "exit_transfer")
        steps.append(Exit())
        return len(steps) - 2
    return len(steps) - 1


#: the way out after the last stop: (travel, constant or None, names of its stream)
ExitWay = tuple[TimeDistribution, float | None, tuple[str, ...]]


def compile_route(stops: tuple[RouteStop, ...], out: ExitWay | None = None) -> Program:
    """The program of a route (see the module's docstring); step 0 is the entry point;
    ``out``: a move before the exit (a flow's ``exit_transfer``)."""
    steps: list[Step] = []
    nodes: dict[tuple[tuple[int, int], int], int] = {}
    legs: dict[tuple[tuple[int, int], tuple[int, int]], int] = {}
    visits: dict[tuple[int, int], int] = {}
    exits: list[int] = []
    start = (-1, 0)

    def reserve() -> int:
        steps.append(Exit())  # a placeholder, replaced once the targets are known
        return len(steps) - 1

    def node(last: tuple[int, int], j: int) -> int:
        """Where an entity goes whose last visit was ``last`` and that now meets stop ``j``."""
        if (last, j) in nodes:
            return nodes[(last, j)]
        if j == len(stops):
            nodes[(last, j)] = exit_step()
            return nodes[(last, j)]
        stop = stops[j]
        if stop.alight is not None or stop.meet:
            index = nodes[(last, j)] = reserve()
            after = node(last, j + 1)
            steps[index] = Alight(stop.alight, after) if stop.alight is not None else Meet(after)
            return index
        if not stop.choice and stop.ps[0] >= 1:
            nodes[(last, j)] = leg(last, (j, 0))
            return nodes[(last, j)]
        index = nodes[(last, j)] = reserve()
        targets = [leg(last, (j, a)) for a in range(len(stop.places))]
        otherwise = node(last, j + 1)
        if stop.choice:
            options = tuple(zip(stop.ps, targets, strict=True))
            steps[index] = Choose(options, stop.names, otherwise)
        else:
            steps[index] = Branch(stop.ps[0], stop.names, targets[0], otherwise)
        return index

    def exit_step() -> int:
        if not exits:
            exits.append(_exit(steps, out))
        return exits[0]

    def leg(last: tuple[int, int], to: tuple[int, int]) -> int:
        """The step that takes an entity from its last visit to the place ``to``."""
        if (last, to) not in legs:
            place = stops[last[0]].places[last[1]] if last != start else None
            way = place.way if place is not None else None
            if way is None:
                legs[(last, to)] = visit(to)
            else:
                assert place is not None
                index = legs[(last, to)] = reserve()
                target = visit(to)
                steps[index] = (
                    Board(way, target)
                    if isinstance(way, int)
                    else Move(way, place.constant, place.way_names, target)
                )
        return legs[(last, to)]

    def visit(to: tuple[int, int]) -> int:
        if to not in visits:
            index = visits[to] = reserve()
            steps[index] = Visit(stops[to[0]].places[to[1]].stage, node(to, to[0] + 1))
        return visits[to]

    node(start, 0)
    return tuple(steps)
