"""A staff pool at run time: officers on duty, shared by the lane groups that draw on it
(:mod:`.staffed` for how a group asks for them and gives them back).

Each officer is, at any instant, in one of four states:

* on a lane: the lane is open (a lane takes ``per_lane`` officers of its group);
* finishing: the lane has closed and its traveller is still being served (overtime, as in
  :mod:`.lanes`); the officer is released when the traveller leaves;
* moving: released by group A, free to A at once but to another group only ``switch``
  later (walking to another hall, a counter turning to face the other side);
* idle: free to any group.

*Committed* officers are those on a lane, finishing or moving; the pool logs every change of
their number (``in_use``, ``(time, committed)`` from time 0, same-instant changes merged
into the last) and of the officers on duty (``on_duty``, its timetable).

**Who gets a free officer.** A group that wants more lanes than it has officers for waits.
Whenever officers become free (released, back from moving, coming on duty), the waiting
groups are served one lane at a time: the group whose newcomer's expected wait is longest
(:meth:`~.lanes.Lanes.rule_wait`, with the group's mean service) first, ties to the group
declared first; a group that needs more officers per lane than are free to it lets the next
one take them. Lanes open in index order: a closed lane still finishing its traveller
reopens with the officer it has.

**Groups of several pools** (``staff: [dual_counters, officers]``). A lane takes units of
every pool its group draws on, all at once, and only when each pool has enough free to the
group at that instant; until then it takes none (a group never holds units it cannot use).
The waiting groups of all the pools that just freed someone are served together in the
order above (:func:`serve`): a group short in one pool does not block the groups after it,
which take what they can. Each unit released goes back to its own pool, free to its group
at once and to the others after its own pool's ``switch`` (a counter turning, an officer
walking): another group's lane opens when the last of its units is free to it. A lane
closing gives back the units of all its pools together, then the groups are served; a shift
end in one pool takes lanes away as above, and their units of the other pools go back with
them. Each pool keeps its own accounting, so the equation below holds pool by pool.

**Shift ends.** When the officers on duty fall below those committed plus idle, idle
officers go home first, then moving ones (the latest released first, groups in declaration
order); if still too many are working, lanes are taken away one at a time from the group
whose newcomer's expected wait is shortest (ties: the group declared last), each finishing
its traveller. Those finishing officers go home as their travellers leave (``owed`` counts
them), and the groups wait for officers like any other. Hence at every instant::

    committed + idle − owed = on duty,   owed ≤ finishing,

so officers on a lane or moving never exceed those on duty, and all committed exceed them
only by officers finishing a traveller on a closed lane, as they would at a shift's end.

Events: a change of the officers on duty and an officer's arrival after ``switch`` are
URGENT, like lane changes (:mod:`.replication`); at one instant the groups' planned changes
come first, then the pool's. Nothing here draws a random number.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..model.model import CompiledPool
from .core import URGENT, Clock, Event

if TYPE_CHECKING:
    from .staffed import StaffedControl

__all__ = ["StaffPool", "serve", "start"]


class StaffPool:
    """The officers of one pool, and the groups waiting for them."""

    __slots__ = (
        "arrived",
        "clock",
        "controls",
        "idle",
        "in_use",
        "merged",
        "moving",
        "moving_count",
        "need",
        "on_duty",
        "on_duty_log",
        "owed",
        "spec",
        "switch",
        "waiting",
    )

    def __init__(self, spec: CompiledPool, clock: Clock) -> None:
        self.spec = spec
        self.clock = clock
        self.switch = spec.switch
        self.on_duty = spec.on_duty.initial
        self.idle = self.on_duty  # free to any group
        #: by group index: when each officer it released is free to other groups
        self.moving: dict[int, deque[float]] = {g: deque() for g in spec.groups}
        self.moving_count = 0
        self.owed = 0  # officers finishing a traveller who go home when it leaves
        self.controls: list[StaffedControl] = []  # the groups drawing on it, declared order
        self.need: dict[int, int] = {}  # by group: the units of this pool a lane takes
        self.waiting: set[int] = set()  # groups (indices) that want more lanes
        #: by group: when it last had lanes opened by :func:`serve`, and its log's length then
        #: (one dict shared by the pools of a run: a group may draw on several)
        self.merged: dict[int, tuple[float, int]] = {}
        self.in_use: list[tuple[float, int]] = [(0.0, 0)]
        self.on_duty_log: list[tuple[float, int]] = [(0.0, self.on_duty)]
        self.arrived: list[object] = [self._arrived]

    # -- the officers of one group
    def free_to(self, group: int) -> int:
        """Officers free to ``group`` now (none while some are owed to a shift's end)."""
        if self.owed:
            return 0
        return self.idle + len(self.moving[group])

    def can_give(self, control: StaffedControl) -> bool:
        """Whether officers for one more lane of ``control``'s group are free to it."""
        return self.free_to(control.index) >= self.need[control.index]

    def take(self, control: StaffedControl) -> bool:
        """Officers for one more lane of ``control``'s group, if free to it: those it
        released itself first (still moving), then idle ones."""
        group = control.index
        need = self.need[group]
        if self.free_to(group) < need:
            return False
        own = self.moving[group]
        while need and own:
            own.pop()
            self.moving_count -= 1
            need -= 1
        self.idle -= need
        return True

    def release(
        self, control: StaffedControl, officers: int, now: float, *, then_serve: bool = True
    ) -> None:
        """``control``'s group lets ``officers`` go (a lane closed idle, or a closed lane's
        traveller left): home if owed to a shift's end, else free to the group at once and
        to the others after ``switch``; then the waiting groups are served (unless
        ``then_serve`` is false: a group of several pools gives back to all of them first)."""
        back = min(self.owed, officers)
        self.owed -= back
        officers -= back
        if officers and self.switch > 0:
            ready = now + self.switch
            own = self.moving[control.index]
            for _ in range(officers):
                own.append(ready)
                self.clock.schedule(Event(self.arrived, control.index), self.switch, URGENT)
            self.moving_count += officers
        else:
            self.idle += officers
        if then_serve:
            self.serve(now)

    def _arrived(self, event: Event) -> None:
        """An officer released ``switch`` ago is free to every group (unless its group took
        it back, or it went home, meanwhile)."""
        now = self.clock.now
        own = self.moving[event.item]
        if own and own[0] <= now:
            own.popleft()
            self.moving_count -= 1
            self.idle += 1
            self.serve(now)

    # -- the groups waiting
    def serve(self, now: float) -> None:
        """Give free officers to the waiting groups (:func:`serve`)."""
        serve((self,), now)

    def note_duty(self, now: float) -> None:
        """Log the officers on duty (set from outside the timetable: a state's start)."""
        self._log(self.on_duty_log, now, self.on_duty)

    def duty(self, count: int, now: float) -> None:
        """The officers on duty change to ``count`` (the pool's timetable)."""
        change = count - self.on_duty
        self.on_duty = count
        self._log(self.on_duty_log, now, count)
        if change > 0:
            back = min(self.owed, change)
            self.owed -= back
            self.idle += change - back
            self.serve(now)
            return
        short = -change
        gone = min(self.idle, short)
        self.idle -= gone
        short -= gone
        for own in self.moving.values():  # declared order; the latest released first
            while short and own:
                own.pop()
                self.moving_count -= 1
                short -= 1
        self.owed += short
        self._take_away(now)
        self.note(now)

    def _take_away(self, now: float) -> None:
        """Close lanes, shortest expected wait first (ties: the group declared last), until
        the officers owed are all finishing a traveller."""
        while self.owed > self.finishing():
            chosen: StaffedControl | None = None
            shortest = 0.0
            for control in self.controls:
                if control.group_open() == 0:
                    continue
                wait = control.newcomer_wait()
                if chosen is None or wait <= shortest:
                    chosen, shortest = control, wait
            assert chosen is not None  # owed ≤ committed: some lane is open
            chosen.take_lane(now)

    # -- accounting
    def finishing(self) -> int:
        """Officers finishing a traveller on a closed lane."""
        need = self.need
        return sum(need[c.index] * c.finishing() for c in self.controls)

    def committed(self) -> int:
        """Officers on a lane, finishing a traveller, or moving."""
        need = self.need
        lanes = sum(need[c.index] * (c.group_open() + c.finishing()) for c in self.controls)
        return lanes + self.moving_count

    def note(self, now: float) -> None:
        """Log the committed officers if they changed."""
        self._log(self.in_use, now, self.committed())

    @staticmethod
    def _log(log: list[tuple[float, int]], now: float, value: int) -> None:
        if log[-1][1] == value:
            return
        if log[-1][0] == now:
            log[-1] = (now, value)
            if len(log) > 1 and log[-2][1] == value:
                log.pop()
        else:
            log.append((now, value))

    def schedule(self) -> None:
        """The changes of the officers on duty over the horizon (URGENT; scheduled after
        the groups' planned changes, so those come first at one instant)."""
        for time, count in self.spec.on_duty.changes:
            self.clock.schedule(Event([self._duty_event], count), time, URGENT)

    def _duty_event(self, event: Event) -> None:
        self.duty(event.item, self.clock.now)


def serve(pools: Sequence[StaffPool], now: float) -> None:
    """Give the free units of ``pools`` to the groups waiting on them, one lane at a time
    (see the module): the group whose newcomer's expected wait is longest first, ties to the
    group declared first, each taking a lane only if every pool it draws on can give; a group
    that cannot lets the next one take what it can. Each group's log of open lanes gets one
    entry for the lanes opened at this instant (units arriving one by one at the same instant
    included)."""
    candidates = [c for c in _controls(pools) if c.waits()]
    #: by group: it, and its log's length before it opened one here
    logged: dict[int, tuple[StaffedControl, int]] = {}
    touched: dict[int, StaffPool] = {pool.spec.index: pool for pool in pools}
    while candidates:
        best: StaffedControl | None = None
        best_wait = -1.0
        for control in candidates:
            if control.frozen or not control.can_open():
                continue
            wait = control.newcomer_wait()
            if best is None or wait > best_wait:
                best, best_wait = control, wait
        if best is None:
            break
        logged.setdefault(best.index, (best, len(best.lanes_log())))
        best.open_one(now)
        for pool in best.pools:
            touched.setdefault(pool.spec.index, pool)
        candidates = [c for c in candidates if c.waits()]
    merged = pools[0].merged
    for index, (control, before) in sorted(logged.items()):
        log = control.lanes_log()
        start = before - 1 if merged.get(index) == (now, before) else before  # nothing since
        log[start:] = log[-1:]  # one lane at a time, one change in the log
        merged[index] = (now, len(log))
    for pool in touched.values():
        pool.note(now)


def _controls(pools: Sequence[StaffPool]) -> list[StaffedControl]:
    """The groups drawing on ``pools`` (each once, in declaration order)."""
    return [c for _, c in sorted({c.index: c for p in pools for c in p.controls}.items())]


def start(pools: Sequence[StaffPool]) -> None:
    """Time 0: the groups are served as at any instant, and the logs start from the state
    reached (none of it is a change)."""
    controls = _controls(pools)
    for control in controls:
        control.mark()
    serve(pools, 0.0)
    for pool in pools:
        pool.in_use[:] = [(0.0, pool.committed())]
    pools[0].merged.clear()
    for control in controls:
        control.started()
