"""Per-entity records of one replication: plain columnar data, documented field by field.

One row per stage visit (:data:`VISIT_FIELDS`), with the entity's own fields repeated on each
of its rows, so the table can be filtered, grouped and written to CSV without joins. Times are
seconds from 00:00 of day 1; a time that has not happened by the horizon is NaN, and so is the
lane of a traveller still waiting.

=============  =========  ===============================================================
field          dtype      meaning
=============  =========  ===============================================================
replication    int32      replication index (0-based)
entity         int64      entity id, in order of entering the simulation (passengers who
                          alight from a vehicle: when they alight)
flow           str        the entity's flow
arrival        float64    time the entity arrived at the port (system arrival)
step           int32      position of this visit on the entity's route (0-based)
stage          str        stage visited
group          str        lane group chosen at the stage
lane           int32      lane index within the group (0-based); -1 if service never started
join           float64    time the entity joined the group's queue
start          float64    service start; NaN if still waiting at the horizon
end            float64    service end; NaN if not finished at the horizon
exit           float64    time the entity left the port; NaN if unfinished at the horizon
class          str        the entity's class within its flow (``passengers`` for those who
                          alighted from a vehicle; empty: none)
kind           str        passenger, car, coach or truck (the flow's kind; ``passenger``
                          for those who alighted)
parent         int64      the vehicle a passenger alighted from; -1: none
size           int32      persons the entity carries: a vehicle's occupants, driver
                          included; 1 on foot
=============  =========  ===============================================================

An entity whose route (after probabilistic steps) visits no stage has no visit row; it appears
in the entity columns (:attr:`Records.entity_arrival` and friends) with ``exit == arrival``
(a vehicle that meets its passengers who alighted: when it leaves with them).
A passenger who alights has the vehicle's arrival as its arrival, the vehicle's queue time
so far as :attr:`Records.entity_aboard_wait`, and leaves the port when it meets the vehicle
again (:attr:`Records.entity_meet`: the time it waited for the vehicle; the vehicle's: the
time it waited for its passengers). Who was still waiting at the horizon for the port to
open (or before a stage closed for its own hours) has no row for the queue it waits to
join: :attr:`Records.entity_outside` marks it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..engine.recorders import LOG_COLUMNS, VisitLog
from ..model.model import Model

__all__ = ["VISIT_FIELDS", "Records", "records_from_log"]

#: The columns of :meth:`Records.visit_table`, in order, with their dtypes.
VISIT_FIELDS: tuple[tuple[str, str], ...] = (
    ("replication", "int32"),
    ("entity", "int64"),
    ("flow", "str"),
    ("arrival", "float64"),
    ("step", "int32"),
    ("stage", "str"),
    ("group", "str"),
    ("lane", "int32"),
    ("join", "float64"),
    ("start", "float64"),
    ("end", "float64"),
    ("exit", "float64"),
    ("class", "str"),
    ("kind", "str"),
    ("parent", "int64"),
    ("size", "int32"),
)


@dataclass(frozen=True, slots=True, eq=False)
class Records:
    """What happened to every entity in one replication, as numpy columns.

    Entity columns are indexed by entity id; visit columns hold one row per stage visit,
    sorted by entity and step. Names are stored once (``flow_names`` …) and referred to by
    index in the integer columns. Picklable, so replications can run in worker processes.
    """

    replication: int
    flow_names: tuple[str, ...]
    stage_names: tuple[str, ...]
    group_names: tuple[str, ...]
    #: stage index of each lane group
    group_stage: tuple[int, ...]
    #: each subflow's class ("" for a flow's own) and each entity kind's name by subflow
    subflow_classes: tuple[str, ...]
    subflow_kinds: tuple[str, ...]
    entity_flow: NDArray[np.int32]
    entity_arrival: NDArray[np.float64]
    entity_exit: NDArray[np.float64]
    #: each entity's subflow (see ``subflow_names``), parent vehicle (-1: none), persons
    #: carried, queue time aboard before alighting, and time waited at a meeting point
    entity_subflow: NDArray[np.int32]
    entity_parent: NDArray[np.int32]
    entity_size: NDArray[np.int32]
    entity_aboard_wait: NDArray[np.float64]
    entity_meet: NDArray[np.float64]
    #: entity id of each visit (int32 here to save memory; ``visit_table`` gives int64)
    visit_entity: NDArray[np.int32]
    #: step, stage, lane group and lane of each visit: int16 when the model's sizes fit
    #: (``visit_table`` gives int32, as documented)
    visit_step: NDArray[np.integer]
    visit_stage: NDArray[np.integer]
    visit_group: NDArray[np.integer]
    visit_lane: NDArray[np.integer]
    visit_join: NDArray[np.float64]
    visit_start: NDArray[np.float64]
    visit_end: NDArray[np.float64]
    #: time each entity waited before stages closed when it reached them (None: the model
    #: has no stage with hours of its own)
    entity_stage_held: NDArray[np.float64] | None = None
    #: whether each entity was, at the horizon, outside waiting for the port to open (come
    #: while it was closed) or for a stage with hours of its own (None: neither the port nor
    #: a stage has opening hours)
    entity_outside: NDArray[np.bool_] | None = None

    @property
    def entities(self) -> int:
        """Number of entities that arrived."""
        return len(self.entity_arrival)

    @property
    def visit_wait(self) -> NDArray[np.float64]:
        """Queue wait of each visit (service start − queue join); NaN if not started."""
        return self.visit_start - self.visit_join

    def visit_table(self) -> dict[str, NDArray[np.generic]]:
        """The records as columns named and typed as in :data:`VISIT_FIELDS`."""
        entity = self.visit_entity
        flow_of_visit = self.entity_flow[entity]
        columns: dict[str, NDArray[np.generic]] = {
            "replication": np.full(len(entity), self.replication, dtype=np.int32),
            "entity": entity.astype(np.int64),
            "flow": np.asarray(self.flow_names, dtype=object)[flow_of_visit].astype(str),
            "arrival": self.entity_arrival[entity],
            "step": self.visit_step.astype(np.int32),
            "stage": np.asarray(self.stage_names, dtype=object)[self.visit_stage].astype(str),
            "group": np.asarray(self.group_names, dtype=object)[self.visit_group].astype(str),
            "lane": self.visit_lane.astype(np.int32),
            "join": self.visit_join,
            "start": self.visit_start,
            "end": self.visit_end,
            "exit": self.entity_exit[entity],
            "class": _names(self.subflow_classes, self.entity_subflow[entity]),
            "kind": _names(self.subflow_kinds, self.entity_subflow[entity]),
            "parent": self.entity_parent[entity].astype(np.int64),
            "size": self.entity_size[entity].astype(np.int32),
        }
        if len(entity) == 0:  # object → str on an empty array keeps a str dtype
            for name in ("flow", "stage", "group", "class", "kind"):
                columns[name] = np.asarray([], dtype=str)
        return columns


def _names(names: tuple[str, ...], index: NDArray[np.integer]) -> NDArray[np.str_]:
    return np.asarray(names, dtype=object)[index].astype(str)  # type: ignore[no-any-return]


def records_from_log(model: Model, replication: int, log: VisitLog) -> Records:
    """The records of a :class:`~portsim.engine.recorders.VisitLog`: visits sorted by entity
    and step (an entity's visits end in step order, so a stable sort by entity suffices),
    one column at a time, each taken from the log as it is reordered to keep memory low."""
    order = np.argsort(log.column("entity"), kind="stable")
    columns: dict[str, Any] = {name: log.take(name)[order] for name in LOG_COLUMNS}
    del order
    group = columns["group"]
    group_stage = np.asarray([g.stage for g in model.groups], dtype=group.dtype)
    return Records(
        replication=replication,
        flow_names=tuple(f.name for f in model.flows),
        stage_names=tuple(s.name for s in model.stages),
        group_names=tuple(g.name for g in model.groups),
        group_stage=tuple(g.stage for g in model.groups),
        subflow_classes=tuple(s.cls or "" for s in model.subflows),
        subflow_kinds=tuple(
            "passenger" if s.index == model.flows[s.flow].passengers else model.flows[s.flow].kind
            for s in model.subflows
        ),
        entity_flow=log.entities["flow"],
        entity_arrival=log.entities["arrival"],
        entity_exit=log.entities["exit"],
        entity_subflow=log.entities["subflow"],
        entity_parent=log.entities["parent"],
        entity_size=log.entities["size"],
        entity_aboard_wait=log.entities["aboard_wait"],
        entity_meet=log.entities["meet"],
        visit_entity=columns["entity"],
        visit_step=columns["step"],
        visit_stage=group_stage[group] if len(group) else np.zeros(0, dtype=group.dtype),
        visit_group=group,
        visit_lane=columns["lane"],
        visit_join=columns["join"],
        visit_start=columns["start"],
        visit_end=columns["end"],
        entity_stage_held=(
            log.entities.get("stage_held", np.zeros(len(log.entities["arrival"])))
            if model.stage_hours
            else None
        ),
        entity_outside=log.entities["outside"] if model.holds else None,
    )
