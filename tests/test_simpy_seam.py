"""The SimPy internals ``portsim/engine/core.py`` relies on, pinned: these fail loudly if a
SimPy release changes them.

portsim pushes ``(time, priority, event id, event)`` onto ``Environment._queue`` with ids from
``Environment._eid``, reads and sets ``Environment._now``, and runs ``Environment.step``'s
loop inline in :meth:`Clock.run`; its own events are any object with ``callbacks`` and
``_ok``. A genuine SimPy process on the same environment must run exactly as under
``Environment.run``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Generator
from heapq import heappush
from typing import Any

import pytest
import simpy
import simpy.events

from portsim.engine.core import NORMAL, URGENT, Clock, Event
from portsim.engine.entities import Entity


def test_urgent_and_normal_priorities() -> None:
    assert simpy.events.URGENT == 0
    assert simpy.events.NORMAL == 1
    assert (URGENT, NORMAL) == (simpy.events.URGENT, simpy.events.NORMAL)


def test_the_environment_keeps_a_list_heap_an_id_counter_and_a_clock() -> None:
    env = simpy.Environment()
    assert type(env._queue) is list
    assert env._queue == []
    assert isinstance(env._eid, itertools.count)
    assert env._now == 0
    assert next(env._eid) == 0
    env._now = 12.5
    assert env.now == 12.5


def test_clock_shares_the_environments_heap_and_counter() -> None:
    clock = Clock()
    assert clock.queue is clock.env._queue
    assert clock.ids is clock.env._eid
    assert clock.now == 0.0


def test_schedule_pushes_time_priority_id_and_event() -> None:
    env = simpy.Environment()
    env._now = 4.0
    first, second, third = Event([]), Event([]), Event([])
    env.schedule(first, NORMAL, 3)
    assert env._queue == [(7.0, NORMAL, 0, first)]
    assert next(env._eid) == 1  # the hot paths draw ids from the same counter
    env.schedule(second, URGENT, 3)
    env.schedule(third)  # defaults: NORMAL, no delay
    assert sorted(env._queue) == [
        (4.0, NORMAL, 3, third),
        (7.0, URGENT, 2, second),
        (7.0, NORMAL, 0, first),
    ]
    assert env._queue[0] == (4.0, NORMAL, 3, third)  # a heap: the first entry is the least


def test_clock_schedule_pushes_what_environment_schedule_pushes() -> None:
    ours, theirs = Clock(), simpy.Environment()
    for env in (ours.env, theirs):
        env._now = 2.0
    event = Event([])
    ours.schedule(event, 5.0, URGENT)
    theirs.schedule(event, URGENT, 5.0)
    ours.schedule(event, 0.5)
    theirs.schedule(event, NORMAL, 0.5)
    assert ours.queue == theirs._queue == [(2.5, NORMAL, 1, event), (7.0, URGENT, 0, event)]


def test_step_pops_the_first_entry_and_calls_its_callbacks_with_it() -> None:
    env = simpy.Environment()
    seen: list[tuple[float, Any]] = []

    def note(event: Any) -> None:
        seen.append((env.now, event))

    later, sooner, tied = Event([note]), Event([note, note]), Event([note])
    env.schedule(later, NORMAL, 9)
    env.schedule(sooner, NORMAL, 3)
    env.schedule(tied, URGENT, 9)  # scheduled last, yet before ``later``: URGENT
    entity = Entity(0, 0, 0, 0, 0.0)
    entity.callbacks = [note]
    heappush(env._queue, (5.0, NORMAL, next(env._eid), entity))  # what the hot paths do
    for _ in range(4):
        env.step()
    assert seen == [(3, sooner), (3, sooner), (5.0, entity), (9, tied), (9, later)]
    assert env.now == 9
    assert sooner.callbacks is None
    assert entity.callbacks is None
    with pytest.raises(simpy.core.EmptySchedule):
        env.step()


class _Failed:
    """An event that failed: ``step`` raises its value unless it is defused."""

    def __init__(self, defused: bool) -> None:
        self.callbacks: list[Any] | None = []
        self._ok = False
        self._value = ValueError("the lane broke")
        if defused:
            self._defused = True


def test_step_checks_ok_after_the_callbacks() -> None:
    env = simpy.Environment()
    env.schedule(_Failed(defused=True))
    env.step()  # nothing raised
    env.schedule(_Failed(defused=False))
    with pytest.raises(ValueError, match="the lane broke"):
        env.step()
    assert Event._ok is True
    assert Entity._ok is True


# ---------------------------------------------------------------- Clock.run against run(until)

Trace = list[tuple[float, str]]


def _build(env: simpy.Environment, trace: Trace) -> None:
    """Processes with timeouts that tie with each other, with portsim events and with the
    ends of the runs (10 and 25), processes waiting on another, and events scheduled ahead
    at exactly 10 (NORMAL: left for the next run; URGENT: processed before the stop)."""

    def walker(name: str, gaps: list[float]) -> Generator[Any, Any, None]:
        trace.append((env.now, f"{name} starts"))
        for gap in gaps:
            yield env.timeout(gap)
            trace.append((env.now, f"{name} after {gap}"))

    def waiter(name: str, other: simpy.Process) -> Generator[Any, Any, None]:
        yield other
        trace.append((env.now, f"{name} sees a done"))
        yield env.timeout(0)
        trace.append((env.now, f"{name} after 0"))

    def note(label: str) -> Callable[[Any], None]:
        return lambda event: trace.append((env.now, label))

    first = env.process(walker("a", [4, 6, 0, 5, 10]))  # 4 10 10 15 25
    env.process(walker("b", [10, 5, 2.5]))  # 10 15 17.5
    env.process(waiter("w1", first))
    env.process(waiter("w2", first))  # a's end has two callbacks, in this order
    env.schedule(Event([note("portsim normal at 10")]), NORMAL, 10)
    env.schedule(Event([note("portsim urgent at 10")]), URGENT, 10)
    env.schedule(Event([note("portsim at 4"), note("its second callback")]), NORMAL, 4)


def _pending(env: simpy.Environment) -> list[tuple[float, int]]:
    """Times and priorities still queued (SimPy re-queues its spent stop event at priority
    -1 so that a later run may resume; that one is left out)."""
    return sorted((time, priority) for time, priority, _, _ in env._queue if priority >= 0)


# The trace of _build, run to 10, then 25, then 40. Setup order (event ids): the four
# processes' URGENT initialisations at 0, portsim's NORMAL event at 10, its URGENT one at 10,
# its NORMAL one at 4; then each run's URGENT stop at ``until``.
RUNS: tuple[tuple[float, Trace], ...] = (
    (
        10.0,
        [
            (0, "a starts"),
            (0, "b starts"),  # the waiters start waiting for a
            (4, "portsim at 4"),  # scheduled before a's first timeout
            (4, "its second callback"),
            (4, "a after 4"),
            (10, "portsim urgent at 10"),  # URGENT and scheduled before the stop: processed
        ],  # the stop: the NORMAL events at 10 wait for the next run
    ),
    (
        25.0,
        [
            (10, "portsim normal at 10"),
            (10, "b after 10"),
            (10, "a after 6"),
            (10, "a after 0"),
            (15, "b after 5"),  # b's timeout was scheduled before a's
            (15, "a after 5"),
            (17.5, "b after 2.5"),
        ],  # the stop at 25 comes before a's timeout at 25
    ),
    (
        40.0,
        [
            (25, "a after 10"),
            (25, "w1 sees a done"),
            (25, "w2 sees a done"),
            (25, "w1 after 0"),
            (25, "w2 after 0"),
        ],
    ),
)


def test_clock_run_processes_a_simpy_process_exactly_as_environment_run() -> None:
    clock, env = Clock(), simpy.Environment()
    ours: Trace = []
    theirs: Trace = []
    _build(clock.env, ours)
    _build(env, theirs)
    expected: Trace = []
    for until, more in RUNS:
        clock.run(until)
        env.run(until)
        expected += more
        assert theirs == expected  # SimPy itself, as derived above
        assert ours == expected
        assert clock.now == env.now == until
        assert _pending(clock.env) == _pending(env)
    assert _pending(env) == []


def test_a_failing_process_raises_from_clock_run_as_from_environment_run() -> None:
    def breaks(env: simpy.Environment) -> Generator[Any, Any, None]:
        yield env.timeout(3)
        raise RuntimeError("booth on fire")

    clock, env = Clock(), simpy.Environment()
    clock.env.process(breaks(clock.env))
    env.process(breaks(env))
    with pytest.raises(RuntimeError, match="booth on fire"):
        clock.run(10.0)
    with pytest.raises(RuntimeError, match="booth on fire"):
        env.run(10.0)
    assert clock.now == env.now == 3
