"""Opening hours and staff pools at a state's time: what a state observed at a port or stage
closed at its time, or at a lane group of a staff pool, means, and what it may not hold
(:func:`~.initial.start_from` asks; the engine places it, :mod:`portsim.engine.initial_doors`).

**Doors.** A port (or a stage with hours of its own) is, at the state's time ``at``, as it
was just before: a closing or an opening due at ``at`` itself comes after the state, as a
change of a lane plan does (a state at 18:00 finds the port open, and it closes at once
after; a state at 06:00, closed, and it opens at once after, the plan's lanes with it).
Open: the state is placed as anywhere else, and the hours go on as in a run from 00:00 (at
the closing the doors take nobody new and the lanes stay as they are until nobody is inside,
then close). Closed: the travellers the state places there are inside, behind closed doors.
Its lanes are those the state gives (``open``: the lanes still clearing those inside, as
after a closing; they stay so until nobody is inside, then close); a lane group not given,
or given without ``open``, has none open (the plan opens no lane at a closed port), so its
queue is held where it stands until the opening, when the plan's lanes open and serve it,
before the newcomers who waited outside. A state cannot give lanes open behind closed doors
with nobody inside (they would serve nobody and never close), nor travellers in service
there without the lanes serving them.

**Pools.** A state that names a lane group of a staff pool starts that pool afresh at ``at``
(and the pools its groups share officers with): the ``open`` lanes given commit their
officers (``per_lane`` each, of every pool the group draws on), the rest of the officers on
duty at ``at`` are free (those just before ``at``, or more when a shift due at ``at``
brings more; one that leaves then goes after the state, finishing its travellers), and the
pool then serves its waiting groups as at any instant (as a run from 00:00 does at 00:00): a
group given without ``open``, or not named, gets its planned lanes as far as officers go,
the longest expected wait (with the observed queues) first. A pool whose groups the state
does not name goes on as the run from 00:00 had it.
Refused: open lanes that need more officers than are on duty; travellers in service at a
group of a pool without its ``open`` (the lanes whose officers serve them); a group of a pool
behind closed doors (the officers clearing those inside are not in a state). Officers moving
between groups at ``at`` cannot be given: all the free ones are free at once.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..units import DAY, counted
from .routes import Branch, Choose, Exit, Visit

if TYPE_CHECKING:  # the types only: initial.py imports this module
    from .days import PortHours
    from .initial import StartGroup
    from .model import Model
    from .routes import Program
    from .timetable import Timetable

__all__ = [
    "Problem",
    "closed_door",
    "door_warnings",
    "doors_problem",
    "group_problem",
    "on_duty_at",
    "on_duty_before",
    "pools_problem",
]

Problem = tuple[str, str]
"""A state's problem: its field path in the state file, and what is wrong."""


def _clock(seconds: float) -> str:
    """``16:00`` (``16:00 of day 2`` after the first day)."""
    day, time = divmod(round(seconds), round(DAY))
    hours, rest = divmod(time, 3600)
    return f"{hours:02d}:{rest // 60:02d}" + (f" of day {day + 1}" if day else "")


def closed_door(model: Model, group: int, at: float) -> str | None:
    """Whose doors are closed at ``at`` for ``group``: ``the port``, ``stage NAME`` (its own
    hours), or None (open, or no hours)."""
    stage = model.stages[model.groups[group].stage]
    hours = stage.hours or model.hours
    if hours is None or _open_before(hours, at):
        return None
    return "the port" if stage.hours is None else f"stage {stage.name}"


def _open_before(hours: PortHours, at: float) -> bool:
    """Whether the doors are open just before ``at`` (at 00:00 of day 1: at 00:00)."""
    if at <= 0:
        return hours.is_open(0.0)
    return any(start < at <= end for start, end in hours.intervals)


def _opens(model: Model, group: int, at: float) -> str:
    """``it opens at 06:00``, or ``it does not open again in the run``."""
    stage = model.stages[model.groups[group].stage]
    hours = stage.hours or model.hours
    assert hours is not None
    opening = hours.entry(at)
    if opening >= model.horizon:
        return "it does not open again in the run"
    return f"it opens at {_clock(opening)}"


def group_problem(
    model: Model, group: int, *, open_: int | None, serving: int, where: str, at: float
) -> Problem | None:
    """What a state's lane group may not hold under hours or at a staff pool (``open_``:
    the lanes it gives, None: none given; ``serving``: its travellers in service)."""
    spec = model.groups[group]
    door = closed_door(model, group, at)
    if spec.staffing is not None:
        pools = ", ".join(model.pools[p].name for p in spec.staffing.pools)
        if door is not None:
            return where, (
                f"{door} is closed at {_clock(at)} ({_opens(model, group, at)}): a state cannot "
                f"give a lane group of a staff pool ({pools}) behind closed doors (the officers "
                "clearing those inside are not in a state)"
            )
        if serving and open_ is None:
            return f"{where}.open", (
                f"{counted(serving, 'traveller')} in service at a lane group of staff pool "
                f"{pools}: give open (the lanes whose officers serve them)"
            )
    if door is not None and open_ is None and serving:
        return f"{where}.in_service", (
            f"{counted(serving, 'traveller')} in service, but {door} is closed at {_clock(at)} "
            "and no lane is open there unless the state gives open (the lanes still clearing "
            "those inside)"
        )
    return None


def doors_problem(
    model: Model, at: float, groups: Sequence[StartGroup], where: Sequence[str]
) -> Problem | None:
    """Lanes given open behind doors closed at ``at`` with nobody inside (``where``: each
    group's path in the state)."""
    total = sum(len(g.serving) + len(g.waiting) for g in groups)
    by_stage: dict[int, int] = {}
    for g in groups:
        stage = model.groups[g.group].stage
        by_stage[stage] = by_stage.get(stage, 0) + len(g.serving) + len(g.waiting)
    for g, path in zip(groups, where, strict=True):
        door = closed_door(model, g.group, at)
        if door is None or not g.open:
            continue
        stage = model.groups[g.group].stage
        inside = total if model.stages[stage].hours is None else by_stage[stage]
        if not inside:
            return f"{path}.open", (
                f"{door} is closed at {_clock(at)} and the state has nobody inside: its lanes "
                f"are shut ({_opens(model, g.group, at)}): give open 0, or leave it out"
            )
    return None


def on_duty_before(timetable: Timetable, at: float) -> int:
    """The officers a pool has on duty just before ``at`` (a change at ``at`` comes after
    the state, as a lane plan's does)."""
    index = bisect_left(timetable.changes, (at,))
    return timetable.changes[index - 1][1] if index else timetable.initial


def on_duty_at(timetable: Timetable, at: float) -> int:
    """The officers a pool has on duty at a state's time: those just before ``at``, or more
    when a shift due at ``at`` itself brings more (a state observed at 08:00 sees the 08:00
    shift arriving; one that leaves at ``at`` goes after the state, finishing its
    travellers, as at any shift's end)."""
    index = bisect_left(timetable.changes, (at,))
    due = index < len(timetable.changes) and timetable.changes[index][0] == at
    before = on_duty_before(timetable, at)
    return max(before, timetable.changes[index][1]) if due else before


def pools_problem(
    model: Model, at: float, groups: Sequence[StartGroup], where: Sequence[str]
) -> Problem | None:
    """Open lanes at the groups of a staff pool that need more of its officers than are on
    duty at ``at`` (:func:`on_duty_at`)."""
    for pool in model.pools:
        need, parts, last = 0, [], ""
        for g, path in zip(groups, where, strict=True):
            staffing = model.groups[g.group].staffing
            each = 0 if staffing is None or g.open is None else staffing.takes(pool.index)
            if not each or not g.open:
                continue
            assert g.open is not None
            need += g.open * each
            parts.append(f"{counted(g.open, 'lane')} × {each} at {path.removeprefix('stages.')}")
            last = path
        duty = on_duty_at(pool.on_duty, at)
        if need > duty:
            return f"{last}.open", (
                f"the open lanes need {counted(need, 'officer')} of staff pool {pool.name} "
                f"({', '.join(parts)}), but it has {duty} on duty at {_clock(at)}"
            )
    return None


def door_warnings(model: Model) -> list[str]:
    """The stages behind the port's closed doors that travellers observed inside will reach,
    with no lane given open there: they will wait there for the opening (the state may have
    left out the lanes still clearing those inside)."""
    state = model.initial
    if state is None or model.hours is None or not state.groups:
        return []
    named = {g.group for g in state.groups}
    ahead: set[int] = set()
    for g in state.groups:
        for t in (*g.serving, *g.waiting):
            ahead |= _stages_from(model.subflows[t.sub].program, t.pc)
    warnings = []
    for index in sorted(ahead):
        stage = model.stages[index]
        door = closed_door(model, stage.groups[0], state.at) if stage.groups else None
        if door != "the port" or named.intersection(stage.groups):
            continue
        warnings.append(
            f"stages.{stage.name}: the port is closed at {_clock(state.at)} and the state gives "
            f"no lane open at {stage.name}: the travellers observed before it will wait there "
            f"until the opening ({_opens(model, stage.groups[0], state.at)}); give the open of "
            "its lanes still clearing those inside, if they are"
        )
    return warnings


def _stages_from(program: Program, pc: int) -> set[int]:
    """The stages a program may visit from step ``pc`` on."""
    seen, todo, stages = set(), [pc], set()
    while todo:
        step = todo.pop()
        if step in seen:
            continue
        seen.add(step)
        s = program[step]
        if isinstance(s, Exit):
            continue
        if isinstance(s, Visit):
            stages.add(s.stage)
        if isinstance(s, Branch):
            todo += [s.yes, s.no]
        elif isinstance(s, Choose):
            todo += [*(n for _, n in s.options), s.no]
        else:
            todo.append(s.next)
    return stages
