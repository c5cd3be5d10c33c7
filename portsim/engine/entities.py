"""The entities the engine moves: travellers and vehicles, one object each while in port.

An entity is its own SimPy event: while it is being served, moving or riding, it sits in the
event queue with the callbacks of what ends (a service, a move). It is never scheduled twice
at once, so no event object is made per service.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Entity"]


class Entity:
    """One traveller or vehicle in port."""

    __slots__ = (
        "arrival",
        "callbacks",
        "flow",
        "join",
        "k",
        "lane",
        "order",
        "pc",
        "start",
        "tid",
        "visits",
        "wait",
    )
    _ok = True  # read by SimPy's event loop

    callbacks: list[Any] | None  # set when it is scheduled (read by SimPy's loop)
    join: float  # when it joined its current queue (set on joining)
    start: float  # when its current service started (set on starting)
    lane: int  # the lane serving it (set on starting)
    order: int  # its place in the join order of its current per-lane group (set on joining)

    def __init__(self, tid: int, flow: int, k: int, arrival: float) -> None:
        self.tid = tid  # entity id: order of arrival within the replication
        self.flow = flow
        self.k = k  # number within its flow: its index into the indexed streams
        self.arrival = arrival
        self.pc = 0  # the step of its route program it is at
        self.visits = 0  # stage visits completed
        self.wait = 0.0  # queue time so far, over its visits
