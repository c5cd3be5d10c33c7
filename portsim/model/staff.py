"""Staff pools, compiled: each pool's officers on duty as a timetable over the horizon (the
same as a lane group's plan), and each lane group's draw on its pool or pools
(:class:`~.model.CompiledStaffing`). A scenario with no ``staff`` compiles to no pool and
to groups that draw on nobody."""

from __future__ import annotations

from dataclasses import replace

from ..scenario.lanes import LaneGroup
from ..scenario.spec import Scenario
from .model import CompiledFlow, CompiledGroup, CompiledPool, CompiledStaffing, Subflow
from .rules import mean_service
from .timetable import Timetable

__all__ = ["with_staff"]


def with_staff(
    scenario: Scenario,
    *,
    groups: list[CompiledGroup],
    specs: list[LaneGroup],
    flows: tuple[CompiledFlow, ...],
    subflows: tuple[Subflow, ...],
    day_types: tuple[str | None, ...],
) -> tuple[list[CompiledGroup], tuple[CompiledPool, ...]]:
    """``groups`` with their draw on a pool (``specs``: each group's scenario, in the order
    of ``groups``), and the pools."""
    if not scenario.staff:
        return groups, ()
    index = {pool.name: i for i, pool in enumerate(scenario.staff)}
    out = []
    for group, spec in zip(groups, specs, strict=True):
        if spec.staff is None:
            out.append(group)
            continue
        lend = spec.lend_below
        if lend is None and spec.opening is not None and spec.opening.close_below is not None:
            lend = spec.opening.close_below
        draws = spec.draws()
        staffing = CompiledStaffing(
            pools=tuple(index[name] for name, _ in draws),
            per_lane=tuple(n for _, n in draws),
            mean=mean_service(group, flows, subflows, scenario.horizon),
            lend_below=-1.0 if lend is None else lend,
        )
        out.append(replace(group, staffing=staffing))
    pools = tuple(
        CompiledPool(
            index=i,
            name=pool.name,
            on_duty=Timetable.of_group(pool.count, pool.schedule, scenario.horizon, day_types),
            switch=pool.switch,
            lend=pool.lend,
            groups=tuple(g.index for g in out if g.staffing is not None and i in g.staffing.pools),
        )
        for i, pool in enumerate(scenario.staff)
    )
    return out, pools
