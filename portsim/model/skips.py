"""Routes that can skip every stage: a flow whose every route step is optional (``p`` below
1) sends some travellers through the port without a single stop, and one whose steps all
have ``p: 0`` sends all of them. Such travellers are counted apart (``no_visit``), not as
served with no wait; the planner is told before the run."""

from __future__ import annotations

from .model import Model
from .routes import Alight, Board, Branch, Choose, Exit, Meet, Move, Program, Visit

__all__ = ["no_visit_share", "skip_warnings"]


def no_visit_share(program: Program) -> float:
    """The probability that an entity following ``program`` leaves without a visit."""
    share: dict[int, float] = {}

    def reach(step: int) -> float:
        if step not in share:
            node = program[step]
            if isinstance(node, Visit):
                share[step] = 0.0
            elif isinstance(node, Exit):
                share[step] = 1.0
            elif isinstance(node, Move | Board | Alight | Meet):
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
    """A warning for each flow (class, passengers) some of whose travellers visit no stage."""
    warnings: list[str] = []
    for flow in model.subflows:
        share = no_visit_share(flow.program)
        if share >= 1:
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
