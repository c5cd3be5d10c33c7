"""Lane groups that draw on a staff pool, or several (:mod:`.staff`): their control opens a
lane only with the pools' officers, and their lanes give the officers back.

A :class:`StaffedControl` decides the lanes a group wants as :class:`~.control.LaneControl`
does (its plan, its opening rule, the port's hours), less the lanes it has lent; it opens
them, in index order, as far as the pool's officers go, and waits for the rest
(:func:`.staff.serve`). Lanes that close idle give their officers back at once;
a lane that closes while it serves finishes its traveller and gives them back when the
traveller leaves (:meth:`StaffedShared.closed_done`).

**Lending** (a pool with ``lend``: Lo Wu's contra-flow, a dual-facing counter turning to
the side whose queue grows): when a group's opening rule has asked for lanes (they count in
its ``extra``) and no officer is free, the pool turns one lane of another of its groups,
the one whose newcomer's expected wait is shortest (ties: declared last) and below that
group's ``lend_below`` line: the lender's lane finishes its traveller and its officer moves
(``switch``) to the waiting groups, the borrower first when its wait is longest. A group
borrows at most one lane per lane its rule added; when its rule closes lanes (or its plan
or the port's hours end them) it gives its loans back, the last first, and the lender
waits for officers to reopen them. A lane lent gives back every unit it took: a group of
several pools lends when one of them lends, and borrows only from a group that draws on
every pool it is short of (so a dual-facing counter turns with its officer, each taking its
own pool's ``switch``; a hall short of officers may take the officer of a counter). A lane
is lent only when it lets a lane of the borrower open: in every pool the borrower draws on,
the units free or on their way, with the lent lane's, make a lane's worth (a borrower that
needs two officers a lane takes no single officer from a desk that would then stand shut
and its officer idle). Built only for scenarios with ``staff``: the plain path has none of
it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..model.model import CompiledGroup, Model
from .control import LaneControl, RuledPerLane, RuledShared, StaffedMaker, lanes_class
from .core import Clock
from .lanes import Lanes
from .staff import StaffPool, serve

__all__ = [
    "GivesBack",
    "StaffedControl",
    "StaffedPerLane",
    "StaffedShared",
    "group_class",
    "initial_lanes",
    "pool_controls",
    "staffed_class",
]


class StaffedControl(LaneControl):
    """The open lanes of a group that draws on ``pool``: the target as
    :class:`~.control.LaneControl` reckons it, less ``lent``, as far as officers go."""

    __slots__ = ("index", "lend_below", "lends", "lent", "loans", "mean", "per_lane", "pools")

    def __init__(
        self,
        spec: CompiledGroup,
        pools: tuple[StaffPool, ...],
        clock: Clock,
        *,
        planned: int,
        shut: bool,
    ) -> None:
        super().__init__(spec.rule, clock, planned=planned, shut=shut)
        staffing = spec.staffing
        assert staffing is not None
        self.index = spec.index
        self.pools = pools  # as the group names them
        self.per_lane = staffing.per_lane  # the units of each a lane takes
        self.lends = any(pool.spec.lend for pool in pools)
        self.mean = staffing.mean
        self.lend_below = staffing.lend_below
        self.lent = 0  # lanes lent to other groups of the pool
        self.loans: list[StaffedControl] = []  # the lenders of the lanes it borrowed

    def target(self) -> int:
        return max(0, LaneControl.target(self) - self.lent)

    def apply(self, now: float) -> None:
        if self.frozen:
            return
        group = self.group
        assert group is not None
        returned = []
        while len(self.loans) > self.extra:  # the rule (or plan, or hours) closed them
            lender = self.loans.pop()
            lender.lent -= 1
            returned.append(lender)
        target = self.target()
        if target < group.open:
            self._close_to(target, now)
        elif target > group.open:
            self._open_upto(target, now)
        self.mark()
        for lender in returned:
            lender.apply(now)
        self.note(now)

    def note(self, now: float) -> None:
        """Each of its pools logs its committed officers if they changed."""
        for pool in self.pools:
            pool.note(now)

    def mark(self) -> None:
        """Wait for officers while fewer lanes are open than wanted (or stop waiting), on
        every pool it draws on."""
        group = self.group
        assert group is not None
        if group.open < self.target():
            for pool in self.pools:
                pool.waiting.add(self.index)
        else:
            for pool in self.pools:
                pool.waiting.discard(self.index)

    def waits(self) -> bool:
        """Whether it waits for officers (it waits on all its pools or none)."""
        return self.index in self.pools[0].waiting

    def give_back(self, lanes: int, now: float) -> None:
        """The units of ``lanes`` of its lanes go back to their pools (each as
        :meth:`.staff.StaffPool.release` says), then the waiting groups are served: a group
        of one pool as that pool serves; of several, once all have their units back."""
        if len(self.pools) == 1:
            self.pools[0].release(self, lanes * self.per_lane[0], now)
            return
        for pool, each in zip(self.pools, self.per_lane, strict=True):
            pool.release(self, lanes * each, now, then_serve=False)
        serve(self.pools, now)

    def _owed(self) -> bool:
        """Whether a pool it draws on owes officers to a shift's end."""
        return any(pool.owed for pool in self.pools)

    def _take(self) -> bool:
        """The units of one more lane from every pool, if every pool can give them."""
        pools = self.pools
        if len(pools) == 1:
            return pools[0].take(self)
        if not all(pool.can_give(self) for pool in pools):
            return False
        for pool in pools:
            pool.take(self)
        return True

    def _close_to(self, target: int, now: float) -> None:
        """Close lanes down to ``target``: the idle ones give their officers back now."""
        group = self.group
        assert group is not None
        idle = sum(1 for lane in range(target, group.open) if group.serving[lane] is None)
        group.set_open(target, now)
        if idle:
            self.give_back(idle, now)

    def _open_upto(self, target: int, now: float) -> None:
        """Open lanes, in index order, up to ``target`` as far as officers go."""
        group = self.group
        assert group is not None
        lane = group.open
        while lane < target:
            finishing = group.serving[lane] is not None and not self._owed()
            if not finishing and not self._take():
                break
            lane += 1
        if lane > group.open:
            group.set_open(lane, now)

    def can_open(self) -> bool:
        """Whether the next lane is wanted and can open now (its officers are finishing
        there, or enough of every pool are free to the group)."""
        group = self.group
        assert group is not None
        if group.open >= self.target():  # wants no more (the pool's mark is stale)
            return False
        if group.serving[group.open] is not None and not self._owed():
            return True
        return all(pool.can_give(self) for pool in self.pools)

    def open_one(self, now: float) -> None:
        """One more lane (the pool serves the waiting groups one lane at a time)."""
        group = self.group
        assert group is not None
        self._open_upto(group.open + 1, now)
        self.mark()

    def take_lane(self, now: float) -> None:
        """A shift ends: one lane is taken away, finishing its traveller; the group waits."""
        group = self.group
        assert group is not None
        self._close_to(group.open - 1, now)
        self.mark()

    def _opened(self, event: Any) -> None:
        """The rule's request: its lanes open as far as officers go; with a pool that
        lends, the lanes still short are borrowed (at most one per lane the rule added)."""
        before = self.extra
        LaneControl._opened(self, event)
        group = self.group
        assert group is not None
        if not self.lends or self.frozen:
            return
        now = self.clock.now
        short = min(self.extra - before, self.target() - group.open, self.extra - len(self.loans))
        coming = dict.fromkeys(self.pools, 0)  # units lent in this call, still finishing
        for _ in range(short):
            lender = self._lender(coming)
            if lender is None:
                break
            self.loans.append(lender)
            lender.lent += 1
            before_free = {p: p.idle + p.moving_count for p in self.pools}
            lender.apply(now)
            for p in self.pools:  # what the lent lane gave back at once is free already
                freed = p.idle + p.moving_count - before_free[p]
                coming[p] += max(0, p.need.get(lender.index, 0) - freed)
        self.note(now)

    def _helps(self, lender: StaffedControl, coming: dict[StaffPool, int]) -> bool:
        """Whether a lane of ``lender``, with the units free or on their way in each pool and
        those lent already (``coming``), gives this group the units a lane takes in every
        pool it draws on: a loan that cannot open a lane here would close one there for
        nothing."""
        for p in self.pools:
            given = p.need.get(lender.index, 0)
            if p.idle + p.moving_count - p.owed + coming[p] + given < p.need[self.index]:
                return False
        return True

    def _lender(self, coming: dict[StaffPool, int]) -> StaffedControl | None:
        """Of the groups sharing a pool that lends with it and drawing on every pool it is
        short of (so that the lane turned gives it what it lacks: a dual-facing counter
        turns with its officer), the one with the shortest expected wait below its line
        (ties: the declared last), with a lane open, whose lane would let a lane open here
        (:meth:`_helps`)."""
        chosen: StaffedControl | None = None
        shortest = 0.0
        pools = self.pools
        if len(pools) == 1:
            lenders = pools[0].controls
        else:
            lacks = {p for p in pools if not p.can_give(self)}
            by_index = {c.index: c for p in pools if p.spec.lend for c in p.controls}
            lenders = [c for _, c in sorted(by_index.items()) if lacks <= set(c.pools)]
        for control in lenders:
            if control is self or control.lend_below < 0 or control.frozen:
                continue
            if control.group_open() == 0 or not self._helps(control, coming):
                continue
            wait = control.newcomer_wait()
            if wait < control.lend_below and (chosen is None or wait <= shortest):
                chosen, shortest = control, wait
        return chosen

    # -- read by the pool
    def newcomer_wait(self) -> float:
        """The newcomer's expected wait, reckoned with the group's mean service."""
        group = self.group
        assert group is not None
        return group.rule_wait(self.mean)

    def group_open(self) -> int:
        group = self.group
        assert group is not None
        return group.open

    def finishing(self) -> int:
        """Closed lanes still serving a traveller."""
        group = self.group
        assert group is not None
        return sum(1 for t in group.serving[group.open :] if t is not None)

    def lanes_log(self) -> list[tuple[float, int]]:
        """The group's log of open lanes (the pool merges the lanes it opens at once)."""
        group = self.group
        assert group is not None
        return group.lanes_open

    def started(self) -> None:
        """Time 0 is the start: the lanes the pool gave then are the group's first state."""
        group = self.group
        assert group is not None
        group.lanes_open[:] = [(0.0, group.open)]


class GivesBack:
    """What a group of a pool adds to a ruled group: a closed lane's officers go back to
    the pool when its traveller leaves."""

    __slots__ = ()

    if TYPE_CHECKING:  # the group's own
        control: LaneControl

        def end_overtime(self, lane: int, now: float) -> None: ...

    def closed_done(self, lane: int, now: float) -> None:
        self.end_overtime(lane, now)
        control = self.control
        assert isinstance(control, StaffedControl)  # a group of a pool has a pool's control
        control.give_back(1, now)


class StaffedShared(GivesBack, RuledShared):
    """A shared-queue group of a pool."""

    __slots__ = ()


class StaffedPerLane(GivesBack, RuledPerLane):
    """A per-lane group of a pool."""

    __slots__ = ()


def staffed_class(per_lane: bool, prioritised: bool = False) -> type[Lanes]:
    """The class of a lane group that draws on a pool (``prioritised``: its travellers are
    not all of one priority)."""
    if prioritised:  # imported here: a run without priorities builds none of it
        from .priority import staffed_priority_class  # noqa: PLC0415

        return staffed_priority_class(per_lane)
    return StaffedPerLane if per_lane else StaffedShared


def group_class(spec: CompiledGroup) -> type[Lanes]:
    """The class of any lane group at run time: staffed, ruled or plain."""
    prioritised = spec.priority is not None
    if spec.staffing is not None:
        return staffed_class(spec.per_lane, prioritised)
    return lanes_class(spec.per_lane, spec.rule is not None, prioritised)


def initial_lanes(spec: CompiledGroup, control: LaneControl | None) -> int | None:
    """A group's open lanes at time 0 (None: its plan's): its control's, and none for a
    group of a staff pool until the pool gives officers (:func:`.staff.start`)."""
    if control is None:
        return None
    return 0 if spec.staffing is not None else control.target()


def pool_controls(model: Model, clock: Clock) -> tuple[list[StaffPool], StaffedMaker]:
    """The pools of ``model``, and the maker of each staffed group's control (for
    :func:`~.control.build_controls`)."""
    pools = [StaffPool(spec, clock) for spec in model.pools]
    merged = pools[0].merged
    for pool in pools:  # one record of the lanes opened at an instant, for all pools
        pool.merged = merged

    def make(spec: CompiledGroup, planned: int, shut: bool) -> LaneControl:
        staffing = spec.staffing
        assert staffing is not None
        mine = tuple(pools[p] for p in staffing.pools)
        control = StaffedControl(spec, mine, clock, planned=planned, shut=shut)
        for pool, each in zip(mine, staffing.per_lane, strict=True):
            pool.controls.append(control)
            pool.need[spec.index] = each
        return control

    return pools, make
