"""The engine's one contact with SimPy's internals: the clock and the event queue.

SimPy's :class:`~simpy.core.Environment` keeps time (``_now``) and a heap of pending events
(``_queue``) of entries ``(time, priority, event id, event)``; ``Environment.step`` pops the
first entry, sets the clock, and calls the event's callbacks with the event. portsim
schedules its own small event objects on that heap (an object with ``callbacks`` and
``_ok`` is all ``step`` needs) and runs the same loop inline, which spares a method call per
event. Any SimPy event or process scheduled on the same environment is processed exactly as
SimPy would (``tests/test_simpy_seam.py`` fails loudly if a SimPy release changes any of
this).
"""

from __future__ import annotations

from heapq import heappop, heappush
from itertools import count
from typing import Any

import simpy
from simpy.events import NORMAL, URGENT

__all__ = ["NORMAL", "URGENT", "Clock", "Event"]


class Event:
    """The smallest object SimPy's event loop can process: a list of callbacks, a success
    flag, and the item the callbacks act on."""

    __slots__ = ("callbacks", "item")
    _ok = True

    def __init__(self, callbacks: list[Any], item: Any = None) -> None:
        self.callbacks = callbacks
        self.item = item


class _Stop(Exception):  # noqa: N818 - a signal that ends the loop, not an error
    pass


def _stop(event: Any) -> None:
    raise _Stop


class Clock:
    """A SimPy environment used as clock and event queue.

    ``queue`` and ``ids`` are the environment's own heap and event-id counter, for the hot
    paths that push entries directly: ``heappush(queue, (now + delay, NORMAL, next(ids),
    event))`` is exactly what ``Environment.schedule`` does.
    """

    __slots__ = ("env", "ids", "queue")

    def __init__(self) -> None:
        self.env = simpy.Environment()
        self.queue: list[tuple[float, int, int, Any]] = self.env._queue  # type: ignore[assignment]
        self.ids: count[int] = self.env._eid

    @property
    def now(self) -> float:
        return float(self.env._now)

    def schedule(self, event: Any, delay: float, priority: int = NORMAL) -> None:
        """Process ``event`` after ``delay``; at equal times URGENT comes before NORMAL,
        then the order of scheduling."""
        heappush(self.queue, (self.env._now + delay, priority, next(self.ids), event))

    def run(self, until: float) -> None:
        """Process events in order up to ``until``, as ``Environment.run(until)`` does: an
        URGENT stop at ``until`` ends the run, so events due at ``until`` itself are left
        unprocessed unless they are URGENT and were scheduled before the run began."""
        self.schedule(Event([_stop]), until - self.env._now, URGENT)
        env = self.env
        queue = self.queue
        try:
            while True:
                env._now, _, _, event = heappop(queue)
                callbacks, event.callbacks = event.callbacks, None
                for callback in callbacks:
                    callback(event)
                if not event._ok and not hasattr(event, "_defused"):
                    raise event._value
        except _Stop:  # the stop event is always pending before it is processed
            env._now = until
