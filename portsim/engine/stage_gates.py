"""Stages with opening hours of their own: who reaches one while it is closed waits before it
for its opening; at its closing it takes nobody new, and its lanes stay as they are until its
queue is empty, then close.

A :class:`StageGate` stands before a stage whose ``hours`` the scenario gives (the stages
without follow the port's :class:`~.control.PortGate`). The route program's step for such a
stage hands the entity to the gate (:meth:`StageGate.reach`), which lets it join the stage's
queue while open, else holds it, in the order it came, until the next opening. Each group's
``advance`` goes through :meth:`StageGate.served`, which counts the entity out of the stage.

Time held before a stage is not queue time: the gate adds it to a shared record of holds by
entity id (:class:`Holds`), which the exit rows' recorder reports (``held``: entity, seconds)
just before the entity's exit row. While held, an entity is not inside the port for the
port's gate (its lanes need not stay open for it); when released, it is inside again (and
the port's lanes follow the plan, held as they are, if the port is closed meanwhile).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..model.days import PortHours
from ..model.model import Model
from .control import Doors
from .core import Clock, Event
from .entities import Entity
from .stages import StageQueue

if TYPE_CHECKING:
    from .control import LaneControl, PortGate

__all__ = ["Holds", "StageGate", "stage_gates"]


class Holds:
    """Seconds each entity in port waited before closed stages, by entity id (only those who
    waited), and the exit recorders that report them."""

    __slots__ = ("held", "report")

    def __init__(self, report: Callable[[tuple[float, ...]], object] | None) -> None:
        self.held: dict[int, float] = {}
        #: takes ``(entity, seconds)`` just before the entity's exit row (None: not kept)
        self.report = report

    def add(self, tid: int, seconds: float) -> None:
        self.held[tid] = self.held.get(tid, 0.0) + seconds

    def flush(self) -> None:
        """The horizon: report the holds of those still in port (they are over: each entered
        its stage)."""
        if self.report is not None:
            for tid, seconds in sorted(self.held.items()):
                self.report((tid, seconds))
        self.held.clear()

    def counting(self, record: Callable[[tuple[float, ...]], object]) -> Callable[..., None]:
        """``record`` (an exit row's recorder), reporting the entity's holds first."""
        held, report = self.held, self.report

        def counted(row: tuple[float, ...]) -> None:
            seconds = held.pop(int(row[0]), None)
            if seconds is not None and report is not None:
                report((row[0], seconds))
            record(row)

        return counted


class StageGate(Doors):
    """The doors of one stage with hours of its own (see the module's docstring); ``inside``
    counts the entities queued or in service at the stage."""

    __slots__ = ("advance", "held", "holds", "port", "released", "stage")

    def __init__(
        self,
        stage: StageQueue,
        hours: PortHours,
        clock: Clock,
        controls: list[LaneControl],
        holds: Holds,
    ) -> None:
        super().__init__(hours, clock, controls)
        self.stage = stage
        self.holds = holds
        #: who waits for the opening, with since when, in the order they came
        self.held: deque[tuple[Entity, float]] = deque()
        self.port: PortGate | None = None
        self.advance: Callable[[Entity, float], None] | None = None

    def reach(self, t: Entity, now: float) -> None:
        """``t`` reaches the stage: it joins the queue while open, else waits."""
        if self.open:
            self._join(t, now)
            return
        self.held.append((t, now))
        if self.port is not None:
            self.port.left()

    def _join(self, t: Entity, now: float) -> None:
        self.inside += 1
        self.stage.join(t, now)

    def served(self, t: Entity, now: float) -> None:
        """A group's ``advance``: ``t`` is out of the stage, and goes on."""
        self.left()
        assert self.advance is not None
        self.advance(t, now)

    def _opening(self, event: Event) -> None:
        super()._opening(event)
        now = self.clock.now
        held, add, port = self.held, self.holds.add, self.port
        while held:  # in the order they came
            t, since = held.popleft()
            add(t.tid, now - since)
            if port is not None:
                port.back(now)
            self._join(t, now)

    def waiting(self) -> list[Any]:
        """Who waits for the opening now."""
        return [t for t, _ in self.held]


def stage_gates(
    model: Model,
    stages: list[StageQueue],
    controls: dict[int, LaneControl],
    holds: Holds,
    clock: Clock,
) -> dict[int, StageGate]:
    """The gates of the stages with hours of their own, by stage index."""
    return {
        s.index: StageGate(stages[s.index], s.hours, clock, [controls[g] for g in s.groups], holds)
        for s in model.stages
        if s.hours is not None
    }
