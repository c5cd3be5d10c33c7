"""A state observed now, compiled against a model: where the run starts when it forecasts
from a clock time (``portsim run FILE --from-state STATE.yaml``).

:func:`start_from` checks a :class:`~portsim.scenario.state.State` against the model (every
name exists, the counts fit the lanes, the clock time falls within the horizon) and gives
the model that starts there: its :attr:`~.model.Model.initial` holds the observed lane
groups, indexed, and its warm-up is the clock time (everything is counted from then on; the
observed travellers count as arriving then). The engine places the state
(:mod:`portsim.engine.initial`).

Travellers on the move (walking to a stage, at a shuttle's stop, aboard a bus) are
compiled by :mod:`.initial_moving` into :attr:`StartState.moving`.
Vehicles (with their occupants) and the passengers who alighted from them, with the
vehicles that wait for them, are compiled by :mod:`.initial_vehicles`.

What the state may not hold, said in one line: more than :data:`MOST_WAITING` waiting at
one group, a traveller at a stage their route does not visit or at a lane group that does
not serve them; under opening hours and at the groups of a staff pool, what
:mod:`.initial_doors` refuses (lanes open behind closed doors with nobody inside, open
lanes that need more officers than are on duty, travellers in service at a group of a pool
without its ``open``, a group of a pool behind closed doors); under opening hours, vehicles
and travellers on the move (the doors count those at lane groups only).
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ..errors import ScenarioError
from ..scenario.state_vehicles import Vehicles
from ..units import DAY, counted
from .initial_doors import (
    closed_door,
    door_warnings,
    doors_problem,
    group_problem,
    pools_problem,
)
from .routes import Visit

if TYPE_CHECKING:  # a worker process unpickles a state, and compiles none
    from ..scenario.state import GroupState, State
    from .initial_moving import StartMoving
    from .initial_vehicles import VehicleState
    from .model import Model

__all__ = [
    "MOST_WAITING",
    "StartCarload",
    "StartGroup",
    "StartState",
    "StartTraveller",
    "StateError",
    "planned_before",
    "start_from",
    "state_warnings",
]


MOST_WAITING = 100_000
"""The most travellers a state may have waiting at one lane group: more than a third of a
day at the busiest port of the library (273,900 a day) in one queue is a typing slip (a
million takes seconds and over half a gigabyte a replication; a hundred million, hours)."""


class StateError(ScenarioError):
    """A state that does not fit its scenario: ``field.path: problem``, the path in the
    state file (the command line names the state file, not the scenario)."""


@dataclass(frozen=True, slots=True)
class StartTraveller:
    """One observed traveller: its subflow, where its program goes on after the visit it is
    at (``pc``), the visits it has completed, and (in service) its remaining service
    (None: a fresh draw of the whole service). A vehicle: its ``occupants`` (None: drawn);
    a vehicle whose passengers are out, or one of them: its ``carload`` (an index into
    :attr:`StartState.carloads`; :mod:`.initial_vehicles`)."""

    sub: int
    pc: int
    visits: int
    remaining: float | None = None
    occupants: int | None = None
    carload: int | None = None


@dataclass(frozen=True, slots=True)
class StartCarload:
    """A vehicle whose passengers are out (on their sub-route), observed with them: the
    vehicle (None: it does not wait for them, its route has no meeting point), whether it is
    at its meeting point (else at a lane group, where its traveller is), and how many of
    the observed passengers are its own."""

    flow: int
    vehicle: StartTraveller | None
    meeting: bool
    passengers: int


@dataclass(frozen=True, slots=True)
class StartGroup:
    """One lane group observed: its open lanes (None: as planned), who is in service, who
    waits (in the order they joined)."""

    group: int
    open: int | None
    serving: tuple[StartTraveller, ...]
    waiting: tuple[StartTraveller, ...]


@dataclass(frozen=True, slots=True)
class StartState:
    """Where the run starts: at ``at`` seconds from 00:00 of day 1, with these groups, and
    the travellers on the move (None: none)."""

    at: float
    groups: tuple[StartGroup, ...]
    moving: StartMoving | None = None
    carloads: tuple[StartCarload, ...] = ()

    def travellers(self, subflows: tuple[int, ...] | None = None) -> int:
        """The observed travellers (and vehicles), waiting, in service, on the move or at
        their meeting point (of ``subflows`` only, if given)."""
        moving = () if self.moving is None else self.moving.travellers()
        meeting = (c.vehicle for c in self.carloads if c.meeting and c.vehicle is not None)
        return sum(
            1
            for t in (*(t for g in self.groups for t in (*g.serving, *g.waiting)), *meeting)
            if subflows is None or t.sub in subflows
        ) + sum(1 for sub in moving if subflows is None or sub in subflows)


def start_from(model: Model, state: State) -> Model:
    """The model that starts from ``state``; a :class:`ScenarioError` (``field.path:
    problem``, paths in the state file: a :class:`StateError`) for anything that does not fit
    the model."""
    at = _clock(model, state)
    from .initial_vehicles import VehicleState  # noqa: PLC0415 - it builds on this module

    vehicles = VehicleState(model)
    groups, wheres = [], []
    for stage_name, by_group in state.stages.items():
        stage = next((s for s in model.stages if s.name == stage_name), None)
        if stage is None:
            known = ", ".join(s.name for s in model.stages)
            raise StateError(f"stages.{stage_name}", f"no such stage (stages: {known})")
        for group_name, observed in by_group.items():
            index = next((g for g in stage.groups if model.groups[g].name == group_name), None)
            where = f"stages.{stage_name}.{group_name}"
            if index is None:
                known = ", ".join(model.groups[g].name for g in stage.groups)
                raise StateError(where, f"no such lane group at {stage_name} ({known})")
            groups.append(_group(model, index, observed, where, at, vehicles=vehicles))
            wheres.append(where)
    carloads = vehicles.finish(groups, state.meeting)
    from .initial_moving import start_moving  # noqa: PLC0415 - it builds on this module

    start = StartState(at, tuple(groups), start_moving(model, state), carloads)
    if model.holds:
        _doors_count_only_groups(model, state, start, wheres)
    if model.holds or model.pools:  # what a state means at closed doors and at a pool
        for check in (doors_problem, pools_problem):
            if (problem := check(model, at, groups, wheres)) is not None:
                raise StateError(*problem)
    return replace(model, warmup=at, initial=start)


def _doors_count_only_groups(
    model: Model, state: State, start: StartState, wheres: list[str]
) -> None:
    """Under opening hours the doors count the travellers at lane groups as inside; a
    vehicle (its occupants, its passengers out) or a traveller on the move would be counted
    wrong at the closing, so they are refused in one line (not in a state yet)."""
    if start.moving is not None:
        raise StateError(
            "walking_to" if state.walking_to else "shuttles",
            "travellers on the move under opening hours (the port's or a stage's) are not in "
            "a state yet: give those at lane groups only",
        )
    flows = [model.flows[sub.flow] for sub in model.subflows]
    for group, where in zip(start.groups, wheres, strict=True):
        for t in (*group.serving, *group.waiting):
            if flows[t.sub].vehicle or t.sub == flows[t.sub].passengers:
                raise StateError(
                    where,
                    f"{model.subflows[t.sub].name}: vehicles and their passengers under "
                    "opening hours (the port's or a stage's) are not in a state yet",
                )
    if start.carloads:
        raise StateError(
            "meeting",
            "vehicles at their meeting point under opening hours are not in a state yet",
        )


def state_warnings(model: Model) -> list[str]:
    """The scenario's documented figures, not compared in a forecast (they describe the run
    from 00:00); and a state's ``open`` that hides the plan: the group's plan does not change
    at or after the state's time, so the observed lanes stay open all the rest of the run,
    whatever the plan's count (a variant that changes only a constant ``count`` changes
    nothing)."""
    state = model.initial
    if state is None:
        return []
    warnings = []
    if model.figures:
        warnings.append(
            f"the scenario's {counted(len(model.figures), 'documented figure')} "
            f"{'is' if len(model.figures) == 1 else 'are'} not compared in a forecast from a "
            f"state: {'it describes' if len(model.figures) == 1 else 'they describe'} the "
            "run from 00:00, the forecast only what follows the state"
        )
    for observed in state.groups:
        timetable = model.groups[observed.group].timetable
        later = bisect_left(timetable.changes, (state.at,)) < len(timetable.changes)
        planned = planned_before(model, observed.group, state.at)
        if observed.open is None or later or observed.open == planned:
            continue
        if closed_door(model, observed.group, state.at) is not None:
            continue  # behind closed doors the lanes given clear those inside, then close
        spec = model.groups[observed.group]
        at = _when(state.at).removesuffix(" of day 1")
        stay = (
            f"{observed.open} stay open all the rest of the run"
            if spec.rule is None
            else f"{observed.open} are the plan all the rest of the run (the opening rule "
            "opens more only past its line)"
        )
        warnings.append(
            f"stages.{model.stages[spec.stage].name}.{spec.name}: the state has "
            f"{observed.open} open and the plan ({planned}) does not change from {at} on, so "
            f"{stay}; to open {planned} from {at}, give the plan as a schedule that changes "
            f"at {at}, or leave open out of the state"
        )
    return warnings + door_warnings(model)


def _clock(model: Model, state: State) -> float:
    """The clock time of the state, from 00:00 of day 1."""
    days = model.days
    if state.day is not None and state.date is not None:
        raise StateError("date", "give day or date, not both")
    day = 0
    if state.date is not None:
        dates = () if days is None else days.dates
        iso = state.date.isoformat()
        if not any(dates):
            raise StateError(
                "date", "the scenario's calendar has no start date: give the day (1 is the first)"
            )
        if iso not in dates:
            raise StateError(
                "date", f"{iso} is not a day of the run (the calendar gives its dates)"
            )
        day = dates.index(iso)
    elif state.day is not None:
        day = state.day - 1
    at = day * DAY + state.at
    if at >= model.horizon:
        raise StateError(
            "day" if state.day is not None else "date" if state.date is not None else "at",
            f"{_when(at)} is not before the end of the run ({_when(model.horizon)})",
        )
    return at


def _when(seconds: float) -> str:
    """``16:00 of day 1``."""
    day, time = divmod(round(seconds), round(DAY))
    hours, rest = divmod(time, 3600)
    return f"{hours:02d}:{rest // 60:02d} of day {day + 1}"


def _subflow(model: Model, name: str, where: str) -> int:
    """The subflow a state names: ``flow`` (of no class) or ``flow.class``."""
    sub = next((s for s in model.subflows if s.name == name), None)
    if sub is None:
        flow = next((f for f in model.flows if f.name == name), None)
        if flow is not None and len(flow.subflows) > 1:
            classes = ", ".join(model.subflows[s].name for s in flow.subflows)
            raise StateError(where, f"{name} has classes: name one ({classes})")
        known = ", ".join(s.name for s in model.subflows)
        raise StateError(where, f"no such flow or class (flows and classes: {known})")
    return sub.index


def planned_before(model: Model, group: int, at: float) -> int:
    """The lanes a group's plan has open just before ``at`` (a change at ``at`` itself comes
    after the state)."""
    timetable = model.groups[group].timetable
    index = bisect_left(timetable.changes, (at,))
    return timetable.changes[index - 1][1] if index else timetable.initial


def _group(
    model: Model,
    index: int,
    observed: GroupState,
    where: str,
    at: float,
    *,
    vehicles: VehicleState,
) -> StartGroup:
    spec = model.groups[index]
    waiting_total = observed.queued()
    if waiting_total > MOST_WAITING:
        raise StateError(
            f"{where}.waiting",
            f"{waiting_total:,} waiting: more than {MOST_WAITING:,} at one lane group is "
            "implausible (a typing slip?)",
        )
    built = max(spec.lanes, spec.built or 0)  # more than planned, up to those built
    if observed.open is not None and observed.open > built:
        raise StateError(
            f"{where}.open",
            f"{counted(observed.open, 'lane')} open, but the group has {built} (its built, "
            "or the most its plan opens)",
        )
    serving: list[StartTraveller] = []
    for name, given in observed.in_service.items():
        here = f"{where}.in_service.{name}"
        sub = _subflow(model, name, here)
        if isinstance(given, Vehicles) or vehicles.takes(sub):
            serving += vehicles.travellers(sub, index, given, here, serving=True)
            continue
        pc, visits = _resume(model, sub, index, here)
        remaining = [None] * given if isinstance(given, int) else list(given)
        serving += [StartTraveller(sub, pc, visits, r) for r in remaining]
    if (model.holds or spec.staffing is not None) and (
        problem := group_problem(
            model, index, open_=observed.open, serving=len(serving), where=where, at=at
        )
    ) is not None:
        raise StateError(*problem)
    lanes = planned_before(model, index, at) if observed.open is None else observed.open
    if len(serving) > lanes:
        planned = " (as planned: give open)" if observed.open is None else ""
        raise StateError(
            f"{where}.in_service",
            f"{counted(len(serving), 'traveller')} in service, but {counted(lanes, 'lane')} "
            f"open{planned}",
        )
    waiting: list[StartTraveller] = []
    for name, count in observed.waiting.items():
        here = f"{where}.waiting.{name}"
        sub = _subflow(model, name, here)
        if isinstance(count, Vehicles) or vehicles.takes(sub):
            waiting += vehicles.travellers(sub, index, count, here, serving=False)
            continue
        pc, visits = _resume(model, sub, index, here)
        waiting += [StartTraveller(sub, pc, visits)] * count
    return StartGroup(index, observed.open, tuple(serving), tuple(waiting))


def _resume(model: Model, sub: int, group: int, where: str) -> tuple[int, int]:
    """Where a traveller of ``sub`` at ``group`` goes on: the step after its route's (first)
    visit of the group's stage, and the visits before it."""
    spec = model.groups[group]
    subflow = model.subflows[sub]
    stage = model.stages[spec.stage].name
    visits = 0
    for step in subflow.program:
        if isinstance(step, Visit):
            if step.stage == spec.stage:
                if group not in subflow.eligible[spec.stage]:
                    raise StateError(where, f"{spec.name} at {stage} does not serve {subflow.name}")
                return step.next, visits
            visits += 1
    raise StateError(where, f"the route of {subflow.name} does not visit {stage}")
