"""Who is still in port at the horizon, and where: the records of the unfinished
(:class:`~.recorders.Unfinished`), their waits so far censored at the horizon.

A replication hands its parts over in an :class:`InPort`; :func:`unfinished` walks them: the
lane groups (queued and in service), the shuttles' stops and buses, the clock's queue (those
moving between stops, and those outside a closed port), the meeting points, and those held
before a stage with hours of its own.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .carloads import Carloads
from .control import PortGate
from .core import Clock, Event
from .entities import Entity
from .lanes import Lanes
from .on_demand import OnDemandService
from .recorders import Unfinished
from .shuttles import ShuttleService
from .stage_gates import StageGate
from .steps import Router

__all__ = ["InPort", "unfinished"]

#: the "lane group" of whoever is still in port at the horizon but at none: moving, riding
#: or at a meeting point; or outside, waiting for the port or a stage to open
_MOVING, _OUTSIDE = -1, -2


@dataclass(frozen=True, slots=True)
class InPort:
    """The parts of a replication that may hold someone at the horizon."""

    groups: Sequence[Lanes]
    shuttles: Sequence[ShuttleService | OnDemandService]
    gate: PortGate | None
    clock: Clock
    router: Router
    carloads: Carloads
    stage_gates: Mapping[int, StageGate]


def unfinished(parts: InPort, horizon: float) -> Unfinished:
    """The records of everyone still in port at ``horizon``: their open visits, and their
    waits so far (censored)."""
    visits: list[tuple[float, ...]] = []
    entity, flow, arrival, waited, sub, persons, outside = [], [], [], [], [], [], []
    for t, group, serving in _in_port(parts):
        so_far = t.wait
        if group >= 0:
            if serving:
                row = (t.tid, t.visits, group, t.lane, t.join, t.start, math.nan, t.arrival)
            else:
                row = (t.tid, t.visits, group, -1, t.join, math.nan, math.nan, t.arrival)
                so_far += horizon - t.join
            visits.append(row)
        entity.append(t.tid)
        flow.append(t.flow)
        arrival.append(t.arrival)
        waited.append(so_far + t.aboard)
        sub.append(t.sub)
        persons.append(t.size if t.carload is None else 1)
        outside.append(group == _OUTSIDE)
    return Unfinished(
        visits=np.array(visits, dtype=np.float64).reshape(-1, 8),
        entity=np.array(entity, dtype=np.int64),
        flow=np.array(flow, dtype=np.int32),
        arrival=np.array(arrival, dtype=np.float64),
        waited=np.array(waited, dtype=np.float64),
        subflow=np.array(sub, dtype=np.int32),
        persons=np.array(persons, dtype=np.int32),
        outside=np.array(outside, dtype=bool),
    )


def _in_port(parts: InPort) -> Iterator[tuple[Entity, int, bool]]:
    """Everyone still in port: (entity, group, in service) for those at a lane group;
    group :data:`_MOVING` for those moving, riding or at a meeting point,
    :data:`_OUTSIDE` for those waiting for the port, or a stage with hours of its own, to
    open."""
    for group in parts.groups:
        for t in group.queued():
            yield t, group.index, False
        for served in group.serving:
            if served is not None:
                yield served, group.index, True
    for shuttle in parts.shuttles:
        for t in shuttle.waiting():
            yield t, _MOVING, False
        for riders in shuttle.riding:
            for t in riders:
                yield t, _MOVING, False
    held = parts.gate.entered if parts.gate is not None else None
    for _, _, _, event in parts.clock.queue:  # moving between stops, or outside
        if isinstance(event, Entity) and event.callbacks is parts.router.moved:
            yield event, _MOVING, False
        elif held is not None and isinstance(event, Event) and event.callbacks is held:
            yield event.item, _OUTSIDE, False  # waiting outside for the port to open
    for t in parts.carloads.in_port():  # at a meeting point
        yield t, _MOVING, False
    yield from _held(parts.stage_gates)


def _held(stage_gates: Mapping[int, StageGate]) -> Iterator[tuple[Entity, int, bool]]:
    """Those waiting before a stage with hours of its own for its opening."""
    for stage_gate in stage_gates.values():
        for t in stage_gate.waiting():
            yield t, _OUTSIDE, False
