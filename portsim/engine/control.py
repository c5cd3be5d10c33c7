"""Lanes that follow more than their plan: the port's opening hours and opening rules (a
stage's own hours: :mod:`.stage_gates`).

A :class:`LaneControl` decides a lane group's open lanes from three things: its plan (the
timetable's count), the lanes its opening rule added, and the port's hours. A
:class:`PortGate` holds back whoever comes while the port is closed until the opening, and
at the closing keeps the lanes open until everyone inside is out (the doors close; those
inside are cleared). Groups with a rule are :class:`RuledShared` or :class:`RuledPerLane`
(with priorities, their twins in :mod:`.priority`; what they add is :class:`Ruled`):
they ask their control to look at the queue after every join and every service end. A run
with neither hours nor rules builds none of this (no check on the plain path).

The rule (:class:`~portsim.model.model.CompiledRule`): while the plan has a lane open,
when the newcomer's expected wait passes ``open_wait`` (or more than ``open_queue`` wait)
and no request is pending, ``step`` more lanes are requested; they open ``delay`` later,
never more than ``built`` in all. When the expected wait falls below ``close_wait`` (or
fewer than ``close_queue`` wait) and no request is pending, ``step`` of the added lanes
close at once, and the rule closes no more for ``delay`` (staff are not sent away and called
back within seconds). When the plan closes every lane, the added lanes go and a pending
request is dropped. An emergency starts when the expected wait passes ``emergency`` and
ends when it is back under the opening line (or the emergency line, the lower). It draws no
random number.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from itertools import count
from typing import TYPE_CHECKING, Any

from ..model.days import PortHours
from ..model.model import CompiledGroup, CompiledRule, Model
from .core import NORMAL, URGENT, Clock, Event
from .entities import Entity
from .lanes import Lanes, PerLaneLanes, SharedLanes

__all__ = [
    "Doors",
    "LaneControl",
    "PortGate",
    "Ruled",
    "RuledPerLane",
    "RuledShared",
    "StaffedMaker",
    "build_controls",
    "lanes_class",
]


class LaneControl:
    """The open lanes of one group: ``planned`` by the timetable, ``extra`` added by the
    rule; none while the port is ``shut`` (closed and empty); unchanged while it is
    ``frozen`` (closed, clearing those inside)."""

    __slots__ = (
        "back_under",
        "by_queue",
        "calm_until",
        "clock",
        "emergencies",
        "emergency_from",
        "extra",
        "frozen",
        "group",
        "has_emergency_line",
        "opened",
        "planned",
        "request",
        "requests",
        "rule",
        "shut",
    )

    def __init__(
        self, rule: CompiledRule | None, clock: Clock, *, planned: int, shut: bool
    ) -> None:
        self.rule = rule
        self.clock = clock
        self.planned = planned
        self.shut = shut
        self.frozen = False
        self.extra = 0
        self.request = 0  # the pending request's number (0: none)
        self.calm_until = -math.inf  # no closing by the rule before this time
        self.requests = count(1)
        self.group: Lanes | None = None
        self.opened: list[Any] = [self._opened]
        #: (start, duration) of each time the expected wait passed the emergency line
        self.emergencies: list[tuple[float, float]] = []
        self.emergency_from = math.nan
        # what check reads of the rule, worked out once (it runs after every join and end)
        self.by_queue = rule is not None and rule.by_queue
        self.has_emergency_line = rule is not None and rule.has_emergency_line
        #: an emergency ends when the expected wait is back under this line
        self.back_under = math.nan if rule is None else min(rule.emergency, rule.open_wait)

    def target(self) -> int:
        """The lanes that should be open now."""
        if self.shut:
            return 0
        if self.rule is None or not self.planned:
            return self.planned
        return min(self.rule.built, self.planned + self.extra)

    def apply(self, now: float) -> None:
        group = self.group
        assert group is not None
        if not self.frozen and (target := self.target()) != group.open:
            group.set_open(target, now)

    def plan(self, planned: int, now: float) -> None:
        """The timetable changes the plan."""
        self.planned = planned
        if not planned:
            self.extra, self.request = 0, 0
        self.apply(now)
        self.check(now)

    def port_closed(self) -> None:
        """The doors close: the lanes stay as they are while those inside are cleared."""
        self.frozen = True

    def port_shut(self, now: float) -> None:
        """The port is closed and empty: every lane closes."""
        self.frozen, self.shut = False, True
        self.extra, self.request = 0, 0
        self._end_emergency(now)
        self.apply(now)

    def port_reopened(self, now: float) -> None:
        """Someone is inside again while the port is closed and was empty (released by a
        stage with hours of its own): the plan's lanes open, and stay as they are while those
        inside are cleared."""
        self.frozen, self.shut = False, False
        self.apply(now)
        self.frozen = True

    def port_opened(self, now: float) -> None:
        self.frozen, self.shut = False, False
        self.apply(now)
        self.check(now)

    def check(self, now: float) -> None:
        """Look at the queue: request lanes, close added ones, note emergencies."""
        rule, group = self.rule, self.group
        if rule is None or self.shut or self.frozen or not self.planned:
            return
        assert group is not None
        wait = group.rule_wait(rule.mean)
        if self.has_emergency_line:
            if wait > rule.emergency:
                if math.isnan(self.emergency_from):  # none under way
                    self.emergency_from = now
            elif wait <= self.back_under and not math.isnan(self.emergency_from):  # back under
                self._end_emergency(now)
        if self.request:
            return
        if self.by_queue:
            high, low = group.waiting > rule.open_queue, group.waiting < rule.close_queue
        else:
            high, low = wait > rule.open_wait, wait < rule.close_wait
        # planned + extra: the lanes open (the plan's and the rule's, never more than
        # built), or, for a group of a staff pool, those asked for (some may wait for
        # officers: the rule asks for no more while they wait)
        if high and self.planned + self.extra < rule.built:
            self.request = next(self.requests)
            self.clock.schedule(Event(self.opened, self.request), rule.delay, URGENT)
        elif low and self.extra > 0 and now >= self.calm_until:
            self.extra -= min(rule.step, self.extra)
            self.calm_until = now + rule.delay
            self.apply(now)

    def _opened(self, event: Event) -> None:
        """The staff requested arrive: ``step`` more lanes open (up to ``built``)."""
        rule = self.rule
        if rule is None or event.item != self.request:
            return  # dropped meanwhile
        self.request = 0
        now = self.clock.now
        self.extra += max(0, min(rule.step, rule.built - self.planned - self.extra))
        self.apply(now)
        self.check(now)

    def _end_emergency(self, now: float) -> None:
        start = self.emergency_from
        if not math.isnan(start):  # one is under way
            self.emergencies.append((start, now - start))
            self.emergency_from = math.nan

    def close(self, horizon: float) -> None:
        """The horizon: an emergency under way ends there."""
        self._end_emergency(horizon)


if TYPE_CHECKING:  # what the mixin is mixed into, for the type checker
    _Group = Lanes
else:
    _Group = object


class Ruled(_Group):
    """A lane group whose opening rule looks at the queue after each join and each service
    end: mixed in before the group's own class (:class:`RuledShared`, :class:`RuledPerLane`
    and their priority twins in :mod:`.priority`), which serves as it always does."""

    __slots__ = ()
    control: LaneControl

    def join(self, t: Entity, now: float) -> None:
        super().join(t, now)
        self.control.check(now)

    def complete(self, t: Entity) -> None:
        super().complete(t)
        self.control.check(self.env._now)


class RuledShared(Ruled, SharedLanes):
    """A shared-queue group whose rule looks at the queue after each join and service end."""

    __slots__ = ("control",)


class RuledPerLane(Ruled, PerLaneLanes):
    """A per-lane group whose rule looks at the queue after each join and service end."""

    __slots__ = ("control",)


class Doors:
    """What the port's doors and a stage's own (:mod:`.stage_gates`) share: open and closed
    by the hours, the lane controls they open and shut, and who is inside. At a closing the
    lanes stay as they are while someone is inside (``draining``), and shut once nobody is."""

    __slots__ = ("clock", "controls", "draining", "hours", "inside", "open")

    def __init__(self, hours: PortHours, clock: Clock, controls: list[LaneControl]) -> None:
        self.hours = hours
        self.clock = clock
        self.controls = controls
        self.open = hours.is_open(0.0)
        self.draining = False
        self.inside = 0  # entities inside, not yet out

    def schedule(self, horizon: float) -> None:
        """The openings and closings before the horizon (URGENT: before the plan's changes
        at the same instant, so that lanes stay open for those inside at a closing)."""
        for start, end in self.hours.intervals:
            if 0 < start < horizon:
                self.clock.schedule(Event([self._opening]), start, URGENT)
            if end < horizon:
                self.clock.schedule(Event([self._closing]), end, URGENT)

    def left(self) -> None:
        """Someone is out: once nobody is inside after a closing, the lanes shut."""
        self.inside -= 1
        if self.draining and not self.inside:
            self.draining = False
            now = self.clock.now
            for control in self.controls:
                control.port_shut(now)

    def _opening(self, event: Event) -> None:
        self.open, self.draining = True, False
        now = self.clock.now
        for control in self.controls:
            control.port_opened(now)

    def _closing(self, event: Event) -> None:
        self.open = False
        if self.inside:
            self.draining = True
            for control in self.controls:
                control.port_closed()
            return
        now = self.clock.now
        for control in self.controls:
            control.port_shut(now)


class PortGate(Doors):
    """The port's doors: who comes while they are closed waits outside for the opening (in
    the order they came); at the closing, the lanes stay open until nobody is inside."""

    __slots__ = ("advance", "entered")

    def __init__(self, hours: PortHours, clock: Clock, controls: list[LaneControl]) -> None:
        super().__init__(hours, clock, controls)
        self.advance: Callable[[Entity, float], None] | None = None
        self.entered: list[Any] = [self._entered]

    def enter(self, t: Entity, now: float) -> None:
        """An arrival: in at once while open, else at the next opening."""
        if self.open:
            self.inside += 1
            assert self.advance is not None
            self.advance(t, now)
            return
        # at the next opening (none left: never, but still outside, waiting)
        opening = self.hours.entry(now)
        self.clock.schedule(Event(self.entered, t), opening - now, NORMAL)

    def _entered(self, event: Event) -> None:
        self.inside += 1
        assert self.advance is not None
        self.advance(event.item, self.clock.now)

    def back(self, now: float) -> None:
        """Someone held before a stage with hours of its own is inside again."""
        self.inside += 1
        if not self.open and not self.draining:  # closed and empty: the lanes are shut
            self.draining = True
            for control in self.controls:
                control.port_reopened(now)

    def counting_in(self, recorder: Any) -> Callable[[tuple[float, ...]], None]:
        """The recorder's ``arrival_detail``, counting the entity in (a passenger who
        alights: made inside the port)."""
        record = recorder.arrival_detail

        def counted(row: tuple[float, ...]) -> None:
            record(row)
            self.inside += 1

        return counted

    def counting(self, record: Callable[[tuple[float, ...]], object]) -> Callable[..., None]:
        """``record`` (an exit row's recorder), counting the entity out."""

        def counted(row: tuple[float, ...]) -> None:
            record(row)
            self.left()

        return counted


#: makes the control of a lane group that draws on a staff pool: (group, planned, shut)
StaffedMaker = Callable[[CompiledGroup, int, bool], LaneControl]


def build_controls(
    model: Model, clock: Clock, staffed: StaffedMaker | None = None
) -> tuple[dict[int, LaneControl], PortGate | None]:
    """The controls of the groups that need one (every group under opening hours, the
    port's or its stage's, else those with a rule or a staff pool), by group index, and the
    port's gate (None: open round the clock), which governs the groups of the stages without
    hours of their own. ``staffed`` makes the controls of the groups that draw on a pool
    (:mod:`.staffed`; needed when the model has pools)."""
    controls: dict[int, LaneControl] = {}
    for g in model.groups:
        hours = model.stages[g.stage].hours or model.hours
        shut = hours is not None and not hours.is_open(0.0)
        if g.staffing is not None:
            assert staffed is not None
            controls[g.index] = staffed(g, g.timetable.initial, shut)
        elif hours is not None or g.rule is not None:
            controls[g.index] = LaneControl(g.rule, clock, planned=g.timetable.initial, shut=shut)
    port = [c for i, c in controls.items() if model.stages[model.groups[i].stage].hours is None]
    gate = None if model.hours is None else PortGate(model.hours, clock, port)
    return controls, gate


def lanes_class(per_lane: bool, ruled: bool, prioritised: bool = False) -> type[Lanes]:
    """The class of a lane group at run time (``prioritised``: its travellers are not all
    of one priority)."""
    if prioritised:  # imported here: a run without priorities builds none of it
        from .priority import priority_class  # noqa: PLC0415

        return priority_class(per_lane, ruled)
    if ruled:
        return RuledPerLane if per_lane else RuledShared
    return PerLaneLanes if per_lane else SharedLanes
