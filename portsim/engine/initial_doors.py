"""A state placed under opening hours and at staff pools (:class:`~.initial.Start` calls
these at the state's time; what they mean: :mod:`portsim.model.initial_doors`).

Before the state's time the run had an empty port: the doors opened and closed by their
hours, and the pools gave their officers to empty groups. At ``at``, first of everything due
then:

* :func:`restart_pools`: each pool the state touches (it names one of its groups, or shares
  officers with such a pool) starts afresh: its groups' lanes close (nobody is in them), no
  officer is moving or owed, every officer on duty is free (with a shift arriving at ``at``:
  :func:`~portsim.model.initial_doors.on_duty_at`); the state's ``open`` lanes then
  take theirs as the groups' controls open them.
* :func:`place_doors`: each door (the port's, a stage's own) counts the observed travellers
  behind it inside. A door is as it was just before ``at`` (an opening or a closing due at
  ``at`` itself comes after the state, as a plan's change does). Open: nothing more. Closed
  (and empty until now, its lanes shut): the lanes the state gives open there open, and stay
  as they are while someone is inside (as after a closing), then close with the others.
* :func:`serve_pools`: once the observed travellers are in their queues, each pool restarted
  gives its free officers to its waiting groups as at any instant (the longest expected wait
  first).

Nothing here draws a random number; a run without a state calls none of it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from ..model.initial import StartState
from ..model.initial_doors import on_duty_at
from ..model.model import Model
from .control import Doors, PortGate
from .lanes import Lanes
from .staff import StaffPool, serve

if TYPE_CHECKING:
    from .stage_gates import StageGate

__all__ = ["all_doors", "place_doors", "restart_pools", "serve_pools"]


def restart_pools(
    model: Model, state: StartState, pools: Sequence[StaffPool], now: float
) -> list[StaffPool]:
    """The pools the state touches, started afresh (see the module); the others go on."""
    touched = {
        p
        for g in state.groups
        if (staffing := model.groups[g.group].staffing) is not None
        for p in staffing.pools
    }
    grown = True
    while grown:  # the pools that share a group with one restarted restart with it
        more = {
            p
            for pool in touched
            for g in model.pools[pool].groups
            for p in model.groups[g].staffing.pools  # type: ignore[union-attr]
        }
        grown = not more <= touched
        touched |= more
    restarted = [pools[p] for p in sorted(touched)]
    for pool in restarted:
        for control in pool.controls:
            group = control.group
            assert group is not None
            if group.open:  # an empty port: no lane is busy
                group.set_open(0, now)
            control.extra = control.request = control.lent = 0
            control.loans.clear()
        for own in pool.moving.values():
            own.clear()
        pool.moving_count = pool.owed = 0
        duty = on_duty_at(pool.spec.on_duty, now)  # a shift arriving at ``at`` is there
        if duty != pool.on_duty:  # (its change, due next, then finds nothing to do)
            pool.on_duty = duty
            pool.note_duty(now)
        pool.idle = pool.on_duty
        pool.waiting.clear()
    return restarted


def place_doors(
    model: Model,
    state: StartState,
    doors: Mapping[int | None, Doors],
    widen: Callable[[Lanes, int], None],
    now: float,
) -> frozenset[int]:
    """Count the observed travellers inside each door (``doors``: the port's gate under
    None, each stage's own by stage index) and set the lanes behind the doors closed at
    ``at``; the lane groups behind closed doors, whose lanes are set here."""
    inside: dict[int | None, int] = dict.fromkeys(doors, 0)
    given = {g.group: g.open for g in state.groups if g.open is not None}
    for g in state.groups:
        here = len(g.serving) + len(g.waiting)
        stage = model.groups[g.group].stage
        if stage in doors:
            inside[stage] += here
        if None in doors:  # inside the port, at whatever stage
            inside[None] += here
    held: set[int] = set()
    for key, door in doors.items():
        door.inside += inside[key]
        if door.open:  # open just before ``at`` (a closing due at ``at`` comes after)
            continue
        # closed, and empty until now: its lanes are shut
        held.update(c.group.index for c in door.controls if c.group is not None)
        if not inside[key]:
            continue
        door.draining = True  # those inside are cleared by the lanes the state gives
        for control in door.controls:
            group = control.group
            assert group is not None
            if lanes := given.get(group.index, 0):
                control.shut = False
                widen(group, lanes)
                group.set_open(lanes, now)
            control.frozen = True
    return frozenset(held)


def all_doors(
    gate: PortGate | None, stage_gates: Mapping[int, StageGate]
) -> dict[int | None, Doors]:
    """The doors of a run: the port's under None, each stage's own by its index."""
    doors: dict[int | None, Doors] = {} if gate is None else {None: gate}
    for index, stage_gate in stage_gates.items():
        doors[index] = stage_gate
    return doors


def serve_pools(pools: Sequence[StaffPool], now: float) -> None:
    """The pools restarted give their free officers to their waiting groups."""
    for pool in pools:
        for control in pool.controls:
            control.mark()
    serve(pools, now)
    for pool in pools:
        pool.note(now)
