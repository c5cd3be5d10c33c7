"""One replication on the SimPy clock: lane groups driven by completion callbacks.

SimPy's :class:`~simpy.core.Environment` is the clock and the event queue. Nothing per
traveller is a generator process: an arrival, a service completion and the end of a transfer
are each one small event whose callback moves the traveller on and, when a lane frees, starts
the next service from the same callback. Lanes and queues are plain Python objects (a
``deque`` per lane group, a heap of free lane indices). This is several times faster than a
process per traveller with ``simpy.Resource`` (see ``benchmarks/``).

A replication is a pure function of (model, seed, replication index): all randomness comes
from the keyed streams of :mod:`portsim.streams`.
"""

from __future__ import annotations

import math
from array import array
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from heapq import heapify, heappop, heappush
from typing import Any, cast

import numpy as np
import simpy
from numpy.typing import NDArray
from simpy.events import NORMAL, URGENT

from .clearance import Shuttle
from .distributions import Exponential, Uniform
from .model import CompiledFlow, CompiledGroup, CompiledStage, Model
from .records import Records
from .scenario import SECONDS_PER_HOUR, DailyProfileArrivals
from .streams import BLOCK_MASK, BLOCK_SHIFT, IndexedDraws, SequentialDraws, make_generator

__all__ = ["ReplicationResult", "run_replication"]

_UNIT_EXPONENTIAL = Exponential(mean=1.0)
_UNIT_UNIFORM = Uniform(low=0.0, high=1.0)


@dataclass(frozen=True, slots=True, eq=False)
class ReplicationResult:
    """The outcome of one replication: the records and the engine's own counters, all
    measured over ``[warmup, horizon]``."""

    replication: int
    records: Records
    #: time-weighted mean number waiting (not in service) at each stage
    stage_queue_mean: NDArray[np.float64]
    #: most travellers waiting at each stage at once, over all its groups
    stage_queue_max: NDArray[np.int64]
    #: seconds during which more travellers waited at each stage than its ``space``
    stage_time_over_space: NDArray[np.float64]
    #: first time more waited than ``space`` (NaN: never, or no space declared)
    stage_first_over_space: NDArray[np.float64]
    #: most travellers waiting in each lane group at once
    group_queue_max: NDArray[np.int64]
    #: busy lane-seconds of each lane group
    group_busy_time: NDArray[np.float64]
    #: open lane-seconds of each lane group, from its schedule
    group_open_time: NDArray[np.float64]


class _Event:
    """The smallest object SimPy's ``Environment.step`` can process: a list of callbacks and a
    success flag, plus the item the callbacks act on."""

    __slots__ = ("callbacks", "item")
    _ok = True

    def __init__(self, callbacks: list[Any], item: Any) -> None:
        self.callbacks = callbacks
        self.item = item


class _Stage:
    __slots__ = (
        "area",
        "boarding",
        "first_over",
        "index",
        "last",
        "over",
        "qmax",
        "space",
        "transfer",
        "transfer_draws",
        "waiting",
    )

    def __init__(self, index: int, transfer: float, space: float) -> None:
        self.index = index
        self.waiting = 0  # travellers in the queues of all the stage's groups
        self.area = 0.0  # ∫ waiting dt since the warm-up
        self.last = 0.0  # time of the last change of ``waiting``
        self.qmax = 0
        self.space = space
        self.over = 0.0  # time with waiting > space since the warm-up
        self.first_over = math.inf
        self.transfer = transfer  # the constant transfer, or RANDOM_TRANSFER, or SHUTTLE
        self.boarding: deque[_Traveller] = deque()  # waiting for the shuttle
        self.transfer_draws: list[IndexedDraws | None] = []


class _Group:
    __slots__ = (
        "done",
        "draws",
        "free",
        "index",
        "lane_queues",
        "mean",
        "open",
        "pending",
        "per_lane",
        "qmax",
        "queue",
        "serving",
        "stage",
        "timetable",
        "waiting",
    )

    def __init__(self, spec: CompiledGroup, stage: _Stage) -> None:
        lanes = spec.lanes
        self.index = spec.index
        self.stage = stage
        self.timetable = spec.timetable
        self.per_lane = spec.per_lane
        self.open = spec.timetable.initial  # lanes 0 .. open-1 are open
        self.free = list(range(self.open))  # shared queue: a heap of idle open lanes
        self.queue: deque[_Traveller] = deque()  # shared queue
        self.lane_queues: list[deque[_Traveller]] = [deque() for _ in range(lanes)]
        self.pending: deque[_Traveller] = deque()  # per-lane queues: waiting, no lane open
        self.serving: list[_Traveller | None] = [None] * lanes
        self.waiting = 0
        self.qmax = 0
        self.draws: list[IndexedDraws | None] = []  # service requirement, by flow index
        self.mean: list[float] = []  # mean service, by flow index
        self.done: list[Any] = []  # the callbacks of a service completion


class _Traveller:
    __slots__ = ("flow", "join", "k", "lane", "path", "start", "step", "tid")

    def __init__(self, tid: int, flow: int, k: int, path: tuple[int, ...]) -> None:
        self.tid = tid
        self.flow = flow
        self.k = k  # number of this entity within its flow: its index into indexed streams
        self.path = path
        self.step = 0
        self.join = 0.0
        self.start = 0.0
        self.lane = -1


class _ArrivalClock:
    """The arrival times of one flow: a Poisson process, homogeneous or with a daily profile
    (inversion of the cumulative rate, exact for a piecewise-constant rate)."""

    __slots__ = ("draws", "horizon", "rates", "t")

    def __init__(self, flow: CompiledFlow, rng: np.random.Generator, horizon: float) -> None:
        self.draws = SequentialDraws(_UNIT_EXPONENTIAL, rng)
        self.rates = flow.arrivals.hourly_rates()
        self.horizon = horizon
        self.t = 0.0

    def next(self) -> float:
        """The next arrival time (``inf`` when it falls at or after the horizon)."""
        e = self.draws.next()
        rates = self.rates
        t = self.t
        while True:
            hour = int(t // SECONDS_PER_HOUR)
            rate = rates[hour % 24]
            end = (hour + 1) * SECONDS_PER_HOUR
            if rate > 0:
                room = rate * (end - t)
                if e < room:
                    t += e / rate
                    break
                e -= room
            t = end
            if t >= self.horizon:
                self.t = math.inf
                return math.inf
        self.t = t
        return t


class _PoissonClock:
    __slots__ = ("draws", "t")

    def __init__(self, rate: float, rng: np.random.Generator) -> None:
        self.draws = SequentialDraws(Exponential(mean=1.0 / rate), rng)
        self.t = 0.0

    def next(self) -> float:
        self.t += self.draws.next()
        return self.t


class _PathSampler:
    """Decides, at arrival, which stages an entity will visit."""

    __slots__ = ("choices", "route")

    def __init__(self, flow: CompiledFlow, seed: int, replication: int) -> None:
        self.route = flow.route
        self.choices = [
            (
                c.position,
                c.p,
                SequentialDraws(_UNIT_UNIFORM, make_generator(seed, replication, c.key)),
            )
            for c in flow.choices
        ]

    def next(self) -> tuple[int, ...]:
        route = self.route
        if not self.choices:
            return route
        skipped = {position for position, p, draws in self.choices if draws.next() >= p}
        return tuple(s for position, s in enumerate(route) if position not in skipped)


class _Source:
    """The arrivals of one flow: its clock, its routing and the count of entities so far."""

    __slots__ = ("clock", "index", "k", "paths", "route")

    def __init__(
        self, flow: CompiledFlow, clock: _ArrivalClock | _PoissonClock, paths: _PathSampler
    ) -> None:
        self.index = flow.index
        self.clock = clock
        self.paths = paths
        self.k = 0
        # a route with no optional step is the same for everyone: no sampling needed
        self.route = () if flow.choices else flow.route


RANDOM_TRANSFER = -1.0
SHUTTLE = -2.0


def _constant_transfer(stage: CompiledStage) -> float:
    """The stage's transfer time if it is constant (0 when there is none), else
    ``RANDOM_TRANSFER`` (drawn per traveller) or ``SHUTTLE`` (a timetabled shuttle)."""
    transfer = stage.transfer
    if transfer is None:
        return 0.0
    if isinstance(transfer, Shuttle):
        return SHUTTLE
    return transfer.mean if stage.transfer_is_constant else RANDOM_TRANSFER


def run_replication(model: Model, seed: int, replication: int) -> ReplicationResult:
    """Simulate one replication from 00:00 of day 1 to the horizon."""
    env = simpy.Environment()
    # Environment.schedule(event, priority, delay) takes any object with callbacks and _ok
    schedule = cast(Callable[[_Event, int, float], None], env.schedule)
    horizon = model.horizon
    warmup = model.warmup

    stages = [_Stage(s.index, _constant_transfer(s), s.space) for s in model.stages]
    groups = [_Group(spec, stages[spec.stage]) for spec in model.groups]
    for g, spec in zip(groups, model.groups, strict=True):
        stage_name = model.stages[spec.stage].name
        for flow in model.flows:
            dist = spec.service[flow.index]
            if dist is None:
                g.draws.append(None)
                g.mean.append(math.nan)
            else:
                key: tuple[str, ...] = ("service", flow.name, stage_name, spec.name)
                g.draws.append(IndexedDraws(dist, make_generator(seed, replication, key)))
                g.mean.append(dist.mean)
    for st, spec_stage in zip(stages, model.stages, strict=True):
        for flow in model.flows:
            transfer = spec_stage.transfer
            if st.transfer == RANDOM_TRANSFER and not isinstance(transfer, Shuttle | None):
                key = ("transfer", flow.name, spec_stage.name)
                st.transfer_draws.append(
                    IndexedDraws(transfer, make_generator(seed, replication, key))
                )
            else:
                st.transfer_draws.append(None)
    # eligible[flow][stage]: the runtime lane groups a traveller may choose from
    eligible = [[tuple(groups[g] for g in options) for options in f.eligible] for f in model.flows]

    entity_flow: list[int] = []
    entity_arrival: list[float] = []
    # visits: 8 numbers a row (entity, step, stage, group, lane, join, start, end), flat;
    # exits: (entity, exit time) pairs, flat. Flat arrays of doubles keep memory at 8 bytes a
    # number and turn into numpy columns without copying.
    visits = array("d")
    add_visit = visits.extend
    exits = array("d")
    add_exit = exits.extend

    def waiting_changes(g: _Group, delta: int, now: float) -> None:
        """Travellers join (+1) or leave (-1) a queue of group ``g``: keep the counters."""
        st = g.stage
        elapsed = now - st.last
        if st.waiting > st.space:
            st.over += elapsed
        st.area += st.waiting * elapsed
        st.last = now
        st.waiting += delta
        if st.waiting > st.qmax:
            st.qmax = st.waiting
        if st.waiting > st.space and st.first_over == math.inf and now >= warmup:
            st.first_over = now
        g.waiting += delta
        if g.waiting > g.qmax:
            g.qmax = g.waiting

    def shortest_lane(g: _Group) -> tuple[int, int]:
        """The open lane with the fewest travellers (in service and waiting), lowest index
        first on a tie, and that number."""
        best, best_length = -1, 1 << 62
        serving = g.serving
        for lane, queue in enumerate(g.lane_queues[: g.open]):
            length = len(queue) + (serving[lane] is not None)
            if length < best_length:
                best, best_length = lane, length
                if length == 0:
                    break
        return best, best_length

    def choose(options: tuple[_Group, ...], flow: int, now: float) -> _Group:
        """The open group with the shortest expected wait: zero where a lane is free,
        otherwise (travellers ahead + 1) / lanes × mean service (per lane: the shortest
        lane's travellers × mean service); ties go to the group declared first. When no
        group is open, the one that opens first."""
        best: _Group | None = None
        best_wait = math.inf
        for g in options:
            if not g.open:
                continue
            if g.per_lane:
                _, length = shortest_lane(g)
                if length == 0:
                    return g
                wait = length * g.mean[flow]
            else:
                if g.free:
                    return g
                wait = (len(g.queue) + 1) * g.mean[flow] / g.open
            if wait < best_wait:
                best, best_wait = g, wait
        if best is None:
            return min(options, key=lambda g: g.timetable.next_opening(now))
        return best

    def start(t: _Traveller, g: _Group, lane: int, now: float) -> None:
        draws = g.draws[t.flow]
        k = t.k
        try:
            service = draws.blocks[k >> BLOCK_SHIFT][k & BLOCK_MASK]  # type: ignore[union-attr]
        except IndexError:
            service = draws.fill(k)  # type: ignore[union-attr]
        t.start = now
        t.lane = lane
        g.serving[lane] = t
        schedule(_Event(g.done, t), NORMAL, service)

    def join_lane(t: _Traveller, g: _Group, now: float) -> None:
        """Per-lane queues: take the shortest open lane, or wait for one to open."""
        if not g.open:
            waiting_changes(g, 1, now)
            g.pending.append(t)
            return
        lane, length = shortest_lane(g)
        if length == 0:
            start(t, g, lane, now)
        else:
            waiting_changes(g, 1, now)
            g.lane_queues[lane].append(t)

    def join(t: _Traveller, now: float) -> None:
        options = eligible[t.flow][t.path[t.step]]
        g = options[0] if len(options) == 1 else choose(options, t.flow, now)
        t.join = now
        if g.per_lane:
            join_lane(t, g, now)
        elif g.free:
            start(t, g, heappop(g.free), now)
        else:
            waiting_changes(g, 1, now)
            g.queue.append(t)

    def completion(g: _Group) -> Any:
        """The callback that ends a service in lane group ``g``."""
        free = g.free
        serving = g.serving
        st = g.stage
        group = float(g.index)
        per_lane = g.per_lane
        shared_queue = g.queue
        lane_queues = g.lane_queues

        def service_done(event: _Event) -> None:
            t: _Traveller = event.item
            now = env._now
            lane = t.lane
            step = t.step
            stage = t.path[step]
            serving[lane] = None
            add_visit((t.tid, step, stage, group, lane, t.join, t.start, now))
            if lane < g.open:  # a lane that has closed takes nobody new
                queue = lane_queues[lane] if per_lane else shared_queue
                if queue:
                    waiting_changes(g, -1, now)
                    start(queue.popleft(), g, lane, now)
                elif not per_lane:
                    heappush(free, lane)
            step += 1
            t.step = step
            if step == len(t.path):
                add_exit((t.tid, now))
                return
            transfer = st.transfer
            if transfer < 0:
                if transfer == SHUTTLE:
                    st.boarding.append(t)
                    return
                k = t.k
                draws = st.transfer_draws[t.flow]
                try:
                    transfer = draws.blocks[k >> BLOCK_SHIFT][k & BLOCK_MASK]  # type: ignore[union-attr]
                except IndexError:
                    transfer = draws.fill(k)  # type: ignore[union-attr]
            if transfer > 0:
                schedule(_Event(transfer_done_callbacks, t), NORMAL, transfer)
            else:
                join(t, now)

        return service_done

    def transfer_done(event: _Event) -> None:
        join(event.item, env._now)

    transfer_done_callbacks = [transfer_done]

    def depart(event: _Event) -> None:
        """A shuttle leaves with whoever fits, first come first served."""
        st: _Stage = event.item
        shuttle: Shuttle = model.stages[st.index].transfer  # type: ignore[assignment]
        now = env._now
        boarding = st.boarding
        riders = [boarding.popleft() for _ in range(min(shuttle.seats, len(boarding)))]
        if riders:
            if shuttle.ride > 0:
                schedule(_Event(ride_done_callbacks, riders), NORMAL, shuttle.ride)
            else:
                for t in riders:
                    join(t, now)
        if now + shuttle.every < horizon:
            schedule(_Event(depart_callbacks, st), NORMAL, shuttle.every)

    def ride_done(event: _Event) -> None:
        now = env._now
        for t in event.item:
            join(t, now)

    depart_callbacks = [depart]
    ride_done_callbacks = [ride_done]
    for st, spec_stage in zip(stages, model.stages, strict=True):
        if isinstance(spec_stage.transfer, Shuttle) and spec_stage.transfer.first < horizon:
            schedule(_Event(depart_callbacks, st), NORMAL, spec_stage.transfer.first)
    for g in groups:
        g.done = [completion(g)]

    def set_lanes(event: _Event) -> None:
        """A scheduled change of the number of open lanes of a group."""
        g, count = event.item
        now = env._now
        old = g.open
        g.open = count
        if count < old:  # close the highest lanes; a busy one finishes its traveller
            if g.per_lane:
                movers = [t for queue in g.lane_queues[count:old] for t in queue]
                for queue in g.lane_queues[count:old]:
                    queue.clear()
                for t in sorted(movers, key=lambda t: t.join):
                    waiting_changes(g, -1, now)
                    join_lane(t, g, now)
            else:
                g.free[:] = [lane for lane in g.free if lane < count]  # in place: shared
                heapify(g.free)
            return
        for lane in range(old, count):  # open lanes; one still finishing stays busy
            if g.serving[lane] is not None or g.per_lane:
                continue
            if g.queue:
                waiting_changes(g, -1, now)
                start(g.queue.popleft(), g, lane, now)
            else:
                heappush(g.free, lane)
        if g.per_lane and g.pending:
            movers = list(g.pending)
            g.pending.clear()
            for t in movers:
                waiting_changes(g, -1, now)
                join_lane(t, g, now)

    set_lanes_callbacks = [set_lanes]
    for g in groups:
        for time, count in g.timetable.changes:
            # URGENT: a lane that closes at t serves nobody who comes at t; one that opens
            # at t serves whoever comes at t
            schedule(_Event(set_lanes_callbacks, (g, count)), URGENT, time)

    def arrive(event: _Event) -> None:
        source: _Source = event.item
        now = env._now
        tid = len(entity_arrival)
        entity_arrival.append(now)
        entity_flow.append(source.index)
        t = _Traveller(tid, source.index, source.k, source.route or source.paths.next())
        source.k += 1
        if t.path:
            join(t, now)
        else:
            add_exit((tid, now))
        following = source.clock.next()
        if following < horizon:
            schedule(_Event(arrival_callbacks, source), NORMAL, following - now)

    arrival_callbacks = [arrive]
    for flow in model.flows:
        rng = make_generator(seed, replication, ("arrivals", flow.name))
        clock: _ArrivalClock | _PoissonClock
        if isinstance(flow.arrivals, DailyProfileArrivals):
            clock = _ArrivalClock(flow, rng, horizon)
        else:
            clock = _PoissonClock(flow.arrivals.rate, rng)
        source = _Source(flow, clock, _PathSampler(flow, seed, replication))
        first = source.clock.next()
        if first < horizon:
            schedule(_Event(arrival_callbacks, source), NORMAL, first)

    def start_counting(event: _Event) -> None:
        now = env._now
        for st in stages:
            st.area = 0.0
            st.over = 0.0
            st.last = now
            st.qmax = st.waiting
            if st.waiting > st.space:
                st.first_over = now
        for g in groups:
            g.qmax = g.waiting

    if warmup > 0:
        schedule(_Event([start_counting], None), URGENT, warmup)

    env.run(until=horizon)

    for st in stages:
        if st.waiting > st.space:
            st.over += horizon - st.last
        st.area += st.waiting * (horizon - st.last)
    for g in groups:
        stage = g.stage.index
        queued = [*g.queue, *g.pending, *(t for queue in g.lane_queues for t in queue)]
        for t in queued:
            add_visit((t.tid, t.step, stage, g.index, -1, t.join, math.nan, math.nan))
        for lane, busy in enumerate(g.serving):
            if busy is not None:
                add_visit(
                    (busy.tid, busy.step, stage, g.index, lane, busy.join, busy.start, math.nan)
                )

    records = _records(
        model,
        replication=replication,
        entity_flow=entity_flow,
        entity_arrival=entity_arrival,
        exits=exits,
        visits=visits,
    )
    observed = horizon - warmup
    return ReplicationResult(
        replication=replication,
        records=records,
        stage_queue_mean=np.array([st.area / observed for st in stages]),
        stage_queue_max=np.array([st.qmax for st in stages], dtype=np.int64),
        stage_time_over_space=np.array([st.over for st in stages]),
        stage_first_over_space=np.array(
            [st.first_over if st.first_over < math.inf else math.nan for st in stages]
        ),
        group_queue_max=np.array([g.qmax for g in groups], dtype=np.int64),
        group_busy_time=_busy_time(records, len(groups), warmup, horizon),
        group_open_time=np.array([g.timetable.lane_time(warmup, horizon) for g in groups]),
    )


def _busy_time(records: Records, groups: int, warmup: float, horizon: float) -> NDArray[np.float64]:
    """Busy lane-seconds of each lane group within [warmup, horizon], from the records: each
    service's overlap with the window (a service still running at the horizon ends there)."""
    start = records.visit_start
    began = ~np.isnan(start)
    end = np.where(np.isnan(records.visit_end), horizon, records.visit_end)[began]
    overlap = np.clip(end, warmup, horizon) - np.clip(start[began], warmup, horizon)
    busy: NDArray[np.float64] = np.bincount(
        records.visit_group[began], weights=overlap, minlength=groups
    ).astype(np.float64)
    return busy


def _records(
    model: Model,
    *,
    replication: int,
    entity_flow: list[int],
    entity_arrival: list[float],
    exits: array[float],
    visits: array[float],
) -> Records:
    exit_pairs = np.frombuffer(exits, dtype=np.float64).reshape(-1, 2)
    exit_times = np.full(len(entity_arrival), np.nan)
    exit_times[exit_pairs[:, 0].astype(np.int64)] = exit_pairs[:, 1]
    table = np.frombuffer(visits, dtype=np.float64).reshape(-1, 8)
    table = table[np.lexsort((table[:, 1], table[:, 0]))]
    return Records(
        replication=replication,
        flow_names=tuple(f.name for f in model.flows),
        stage_names=tuple(s.name for s in model.stages),
        group_names=tuple(g.name for g in model.groups),
        group_stage=tuple(g.stage for g in model.groups),
        entity_flow=np.asarray(entity_flow, dtype=np.int32),
        entity_arrival=np.asarray(entity_arrival, dtype=np.float64),
        entity_exit=exit_times,
        visit_entity=table[:, 0].astype(np.int64),
        visit_step=table[:, 1].astype(np.int32),
        visit_stage=table[:, 2].astype(np.int32),
        visit_group=table[:, 3].astype(np.int32),
        visit_lane=table[:, 4].astype(np.int32),
        visit_join=np.ascontiguousarray(table[:, 5]),
        visit_start=np.ascontiguousarray(table[:, 6]),
        visit_end=np.ascontiguousarray(table[:, 7]),
    )
