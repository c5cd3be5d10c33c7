"""Routes that can skip every stage: a flow whose every route step is optional (``p`` below
1) sends some travellers through the port without a single stop, and one whose steps all
have ``p: 0`` sends all of them. Such travellers are counted apart (``no_visit``), not as
served with no wait; the planner is told before the run. A vehicle that lets its passengers
alight is not among them, stages or none on its own route: they pass the controls for it,
and it is served when it leaves (:mod:`portsim.results.metrics`); only one with nobody
aboard but its driver, whom nobody leaves, is. A vehicle flow told to let its passengers
alight whose vehicles all carry their driver only (occupants 1) is warned of whatever its
own route: nobody ever alights."""

from __future__ import annotations

from ..scenario.counts import ConstantCount, CountDistribution, EmpiricalCount
from .model import Model
from .routes import Alight, Board, Branch, Choose, Exit, Meet, Move, Program, Visit

__all__ = ["alone_share", "no_visit_share", "pledge_warnings", "skip_warnings"]


def alone_share(occupants: CountDistribution | None) -> float:
    """The probability that a vehicle carries its driver only (nobody to alight)."""
    if occupants is None:
        return 1.0
    if isinstance(occupants, ConstantCount):
        return float(occupants.value == 1)
    if isinstance(occupants, EmpiricalCount):
        return occupants.values.count(1) / len(occupants.values)
    return 1 / (occupants.high - occupants.low + 1) if occupants.low == 1 else 0.0


def no_visit_share(program: Program, alone: float = 0.0) -> float:
    """The probability that an entity following ``program`` leaves without a visit and
    without letting passengers alight (``alone``: the probability that it has nobody aboard
    to alight, as :func:`alone_share`; 0: a vehicle always has passengers)."""
    share: dict[int, float] = {}

    def reach(step: int) -> float:
        if step not in share:
            node = program[step]
            if isinstance(node, Visit):
                share[step] = 0.0
            elif isinstance(node, Exit):
                share[step] = 1.0
            elif isinstance(node, Alight):  # those who alight pass the controls for it
                share[step] = alone * reach(node.next)
            elif isinstance(node, Move | Board | Meet):
                share[step] = reach(node.next)
            elif isinstance(node, Choose):
                edges = [0.0, *(edge for edge, _ in node.options)]
                share[step] = sum(
                    (high - low) * reach(to)
                    for low, high, (_, to) in zip(edges, edges[1:], node.options, strict=False)
                ) + (1 - edges[-1]) * reach(node.no)
            else:
                assert isinstance(node, Branch)
                share[step] = node.p * reach(node.yes) + (1 - node.p) * reach(node.no)
        return share[step]

    return reach(0)


def skip_warnings(model: Model) -> list[str]:
    """A warning for each vehicle flow told to let passengers alight whose vehicles carry
    their driver only, and for each flow (class, passengers) some of whose travellers visit
    no stage and let nobody alight."""
    warnings: list[str] = [
        f"flow {flow.name!r}: its vehicles carry their driver only (occupants always 1), and "
        "a driver never alights: nobody takes the passengers' route; occupants count "
        "everyone aboard, the driver too (a coach of 40 passengers is occupants 41)"
        for flow in model.flows
        if flow.passengers is not None and alone_share(flow.occupants) == 1
    ]
    for flow in model.subflows:
        alone = alone_share(model.flows[flow.flow].occupants)
        share = no_visit_share(flow.program, alone)
        if share > 0 and any(isinstance(step, Alight) for step in flow.program):
            warnings.append(
                f"flow {flow.name!r}: {share:.1%} of its vehicles visit no stage and carry "
                "nobody to alight (only their driver); they are counted as no_visit, not as "
                "served"
            )
        elif share >= 1:
            warnings.append(
                f"flow {flow.name!r} visits no stage: every step of its route has p 0; its "
                "travellers are counted as no_visit, not as served"
            )
        elif share > 0:
            warnings.append(
                f"flow {flow.name!r}: {share:.1%} of its travellers visit no stage (every step "
                "of its route is optional); they are counted as no_visit, kept out of the "
                "waits"
            )
    return warnings


def pledge_warnings(model: Model) -> list[str]:
    """A warning for each pledge on a flow whose vehicles queue at no stage of their own
    (their passengers alight and pass the checks): such a vehicle is served with a queue
    wait of 0, so the pledge holds whatever the passengers waited; the wait that matters
    for it is its dwell at the meeting point."""
    warnings = []
    for target in model.targets:
        if target.flow is None or target.subflow is not None:
            continue
        flow = model.flows[target.flow]
        own = [model.subflows[s] for s in flow.subflows]
        if flow.passengers is not None and all(sum(sub.visits) == 0 for sub in own):
            warnings.append(
                f"pledge {target.name!r} is on flow {flow.name!r}, whose vehicles queue at no "
                "stage of their own (their passengers alight): it counts the vehicles' queue "
                "waits, none, so it holds whatever the passengers wait; the vehicles' wait is "
                "their dwell at the meeting point, the passengers' is in their own block"
            )
    return warnings
