"""Cumulative curves for one stage: the traffic engineer's D/D/c arithmetic, as a test oracle.

One stage, one first-come-first-served queue, a constant service time ``s``, a number of lanes
that is piecewise constant in time (the plan), optional opening hours of the port and an
optional queue-triggered opening rule. Two views of the same stage:

:func:`fluid` — the continuous curves. ``A(t)`` counts arrivals (regular arrivals at
piecewise-constant rates: a piecewise-linear curve), ``E(t)`` entries (``A`` held back while
the port is closed and released at the opening), ``S(t)`` service starts: while no queue
stands ``S`` rises at ``min(entry rate, c(t)/s)``, while one stands at ``c(t)/s``. Then

* time waited for the opening = ∫ (A − E) dt, queueing = ∫ (E − S) dt;
* traveller ``x`` arrives at ``A⁻¹(x)`` and starts at ``S⁻¹(x)``: the longest wait is the
  largest horizontal distance between ``A`` and ``S``;
* the queue clears where ``S`` meets ``E`` again.

Everything is linear between the breakpoints the function walks through, so the answers are
exact (with :class:`fractions.Fraction` inputs, exact rationals).

:func:`discrete` — the same stage traveller by traveller, for arrivals at given times, with
the engine's conventions (lanes are numbered; the highest close first and a busy one finishes
its traveller; an idle traveller takes the lowest free open lane; at equal times the doors
open or close first, then lane changes, then arrivals and service ends; at the closing the
doors close and the lanes stay as they are until the last traveller inside is out, then
every lane closes until the next opening). It gives each traveller's exact wait for the
opening and in the queue, the lanes open over time, and the rule's emergency crossings.
The fluid view has no such clearing: its lanes follow the plan (give it cases whose closings
find the port empty).

The opening rule (:class:`Rule`), in both views: while the plan has a lane open, when the
newcomer's expected wait passes ``open_above`` (or more than ``queue_above`` wait), ``step``
more lanes are requested and open ``delay`` later (never more than ``built`` in all; one
request at a time); when it falls below ``close_below`` (or fewer than ``queue_below`` wait),
``step`` of the added lanes close at once, and no more close for ``delay``. An emergency
starts when the expected wait passes ``emergency_above`` and ends when it is back at or under
``open_above`` (or ``emergency_above``, the lower). The newcomer's expected wait is 0 with a lane
free, otherwise ``(waiting + 1) × s / open`` (the fluid view drops the ``+ 1``: it counts
no single traveller). When the plan has no lane open, the added lanes go and a pending
request is dropped.
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

Num = Any  # float or fractions.Fraction: the arithmetic is the same
INF = math.inf


@dataclass(frozen=True)
class Steps:
    """A piecewise-constant function of time: ``initial`` from 0, then ``(time, value)``."""

    initial: Num
    changes: tuple[tuple[Num, Num], ...] = ()

    def at(self, t: Num) -> Num:
        value = self.initial
        for time, v in self.changes:
            if time > t:
                break
            value = v
        return value

    def next_change(self, t: Num) -> Num:
        return next((time for time, _ in self.changes if time > t), INF)


@dataclass(frozen=True)
class Hours:
    """Open intervals ``[open, close)`` of the port, sorted; arrivals outside them wait for
    the next opening (and, after the last one, forever)."""

    intervals: tuple[tuple[Num, Num], ...]

    def is_open(self, t: Num) -> bool:
        return any(a <= t < b for a, b in self.intervals)

    def entry(self, t: Num) -> Num:
        """When someone arriving at ``t`` enters."""
        for a, b in self.intervals:
            if t < b:
                return max(a, t)
        return INF

    def next_change(self, t: Num) -> Num:
        return min((x for ab in self.intervals for x in ab if x > t), default=INF)


ALWAYS = Hours(((0, INF),))


@dataclass(frozen=True)
class Rule:
    """A queue-triggered opening rule (see the module's docstring). Give the thresholds as
    waits (``open_above``, ``close_below``) or as numbers waiting (``queue_above``,
    ``queue_below``)."""

    built: int
    step: int = 1
    delay: Num = 0
    open_above: Num | None = None
    close_below: Num | None = None
    queue_above: Num | None = None
    queue_below: Num | None = None
    emergency_above: Num | None = None


# -- the fluid view ---------------------------------------------------------------------------


@dataclass
class Fluid:
    """The curves (``points``: ``(t, A, E, S)``, linear between points; two points at one time
    at a jump) and what the arithmetic gives."""

    points: list[tuple[Num, Num, Num, Num]]
    wait_for_opening: Num  # ∫ (A − E) dt, traveller-seconds
    queueing: Num  # ∫ (E − S) dt
    longest_wait: Num  # largest horizontal distance A → S among those who started
    longest_queueing: Num  # largest horizontal distance E → S (the wait once inside)
    clears: list[tuple[Num, Num]]  # (a queue forms, it clears) for each period of queueing
    lanes: list[tuple[Num, int]]  # (time, lanes open from then)

    @property
    def total_delay(self) -> Num:
        return self.wait_for_opening + self.queueing


def fluid(
    rates: Steps,
    service: Num,
    plan: Steps,
    horizon: Num,
    *,
    hours: Hours = ALWAYS,
    rule: Rule | None = None,
) -> Fluid:
    """Walk the curves from 0 to ``horizon``: ``rates`` arrivals per second, ``plan`` lanes."""
    return _Curves(rates, service, plan, hours, rule).walk(horizon)


class _Curves:
    """The state of the walk at ``t``: the curves' values, the rule's added lanes and the
    time of a pending opening, the areas so far."""

    def __init__(self, rates: Steps, service: Num, plan: Steps, hours: Hours, rule: Rule | None):
        self.rates, self.service, self.plan, self.hours, self.rule = (
            rates,
            service,
            plan,
            hours,
            rule,
        )
        self.t: Num = 0
        self.a: Num = 0
        self.e: Num = 0
        self.s: Num = 0
        self.extra, self.pending = 0, INF
        self.calm_until: Num = -INF
        self.points = [(self.t, self.a, self.e, self.s)]
        self.lanes: list[tuple[Num, int]] = []
        self.clears: list[tuple[Num, Num]] = []
        self.formed: Num | None = None
        self.held_area: Num = 0
        self.queue_area: Num = 0

    def walk(self, horizon: Num) -> Fluid:
        while self.t < horizon:
            self.segment(horizon)
        if self.formed is not None:
            self.clears.append((self.formed, INF))
        points = self.points
        return Fluid(
            points,
            self.held_area,
            self.queue_area,
            _longest(points, 1),
            _longest(points, 2),
            self.clears,
            self.lanes,
        )

    def open_lanes(self) -> int:
        """Lanes open now, after the rule has acted at ``t``."""
        rule, t, planned = self.rule, self.t, self.plan.at(self.t)
        if not planned:
            self.extra, self.pending = 0, INF
        if rule is None:
            return int(planned)
        if self.pending <= t:
            self.extra += max(0, min(rule.step, rule.built - planned - self.extra))
            self.pending = INF
        while planned and self.pending == INF:
            c = min(rule.built, planned + self.extra)
            high, low = _levels(rule, c, self.service)
            q = self.e - self.s
            if q >= high and q > 0 and c < rule.built:
                self.pending = t + rule.delay
            elif self.extra > 0 and q < low and t >= self.calm_until:
                self.extra -= min(rule.step, self.extra)
                self.calm_until = t + rule.delay
                continue
            break
        return int(min(rule.built, planned + self.extra))

    def segment(self, horizon: Num) -> None:
        """From ``t`` to the next breakpoint, where everything is linear."""
        t, hours = self.t, self.hours
        c = self.open_lanes()
        if not self.lanes or self.lanes[-1][1] != c:
            self.lanes.append((t, c))
        if hours.is_open(t) and self.a > self.e:  # the opening: those held outside enter
            self.e = self.a
            self.points.append((t, self.a, self.e, self.s))
        q = self.e - self.s
        lam = self.rates.at(t)
        entry = lam if hours.is_open(t) else 0
        mu = c / self.service
        ds = mu if q > 0 else min(entry, mu)
        dq = entry - ds
        if self.formed is None and (q > 0 or dq > 0):
            self.formed = t  # a queue stands, or forms from now
        clear = t + q / -dq if q > 0 and dq < 0 else INF
        ends = [horizon, self.rates.next_change(t), self.plan.next_change(t)]
        ends += [hours.next_change(t), self.pending, clear, self.calm_until]
        ends += self.crossings(c, q, dq)
        end = min(x for x in ends if x > t)
        dt = end - t
        a, e, s = self.a + lam * dt, self.e + entry * dt, self.s + ds * dt
        if end == clear:
            s = e  # cleared exactly, whatever the rounding
            self.clears.append((self.formed, end))
            self.formed = None
        self.held_area += ((self.a - self.e) + (a - e)) * dt / 2
        self.queue_area += ((self.e - self.s) + (e - s)) * dt / 2
        self.t, self.a, self.e, self.s = end, a, e, s
        self.points.append((end, a, e, s))

    def crossings(self, c: int, q: Num, dq: Num) -> list[Num]:
        """When the queue reaches the rule's upper or lower threshold."""
        rule = self.rule
        if rule is None or self.pending < INF or not c:
            return []
        high, low = _levels(rule, c, self.service)
        out = []
        if dq > 0 and q < high < INF:
            out.append(self.t + (high - q) / dq)
        if dq < 0 and q > low >= 0:
            out.append(self.t + (q - low) / -dq)
        return out


def _levels(rule: Rule, c: int, service: Num) -> tuple[Num, Num]:
    """The rule's thresholds as queue lengths with ``c`` lanes open."""
    if rule.queue_above is not None:
        return rule.queue_above, rule.queue_below if rule.queue_below is not None else -1
    high = rule.open_above * c / service if rule.open_above is not None else INF
    low = rule.close_below * c / service if rule.close_below is not None else -1
    return high, low


def _inverse(points: list[tuple[Num, Num]], x: Num, right: bool) -> Num:
    """The first time the curve reaches ``x`` (``right``: the last time it is at most
    ``x``); the curve is linear between points."""
    if right:
        for (t0, v0), (t1, v1) in zip(points[::-1][1:], points[::-1], strict=False):
            if v1 <= x:
                return t1
            if v0 <= x:
                return t0 + (x - v0) * (t1 - t0) / (v1 - v0)
        return points[0][0]
    for (t0, v0), (t1, v1) in itertools.pairwise(points):
        if v0 >= x:
            return t0
        if v1 >= x:
            return t0 + (x - v0) * (t1 - t0) / (v1 - v0)
    return INF


def _longest(points: list[tuple[Num, Num, Num, Num]], curve: int) -> Num:
    """The largest ``S⁻¹(x) − C⁻¹(x)`` over the travellers who started, ``C`` the curve of
    arrivals (``curve`` 1) or of entries (2), at the curves' breakpoints, where the
    piecewise-linear difference takes its largest values."""
    arrived = [(p[0], p[curve]) for p in points]
    started = [(p[0], p[3]) for p in points]
    top = points[-1][3]
    best = 0
    for x in {p[curve] for p in points} | {p[3] for p in points}:
        if x > top:
            continue
        best = max(best, _inverse(started, x, False) - _inverse(arrived, x, False))
        if x < top:
            best = max(best, _inverse(started, x, True) - _inverse(arrived, x, True))
    return best


# -- the discrete view ------------------------------------------------------------------------


def regular(rates: Steps, horizon: Num, offset: Num = 0) -> list[Num]:
    """Arrival times of regular arrivals: the ``k``-th comes when ``A(t) = k + offset``
    (``offset`` in [0, 1): 0 puts one at each rate change from zero)."""
    out: list[Num] = []
    t, a = 0, 0
    k = 0
    while t < horizon:
        lam = rates.at(t)
        end = min(horizon, rates.next_change(t))
        if lam > 0:
            while (x := t + (k + offset - a) / lam) < end:
                out.append(x)
                k += 1
        a += lam * (end - t)
        t = end
    return out


@dataclass
class Discrete:
    """Each traveller's ``arrival``, ``entry`` (after waiting for the opening) and ``start``
    of service (``inf``: not started by the horizon); lanes open over time; the rule's
    emergency crossings ``(from, to)``."""

    arrival: list[Num]
    entry: list[Num]
    start: list[Num]
    lanes: list[tuple[Num, int]]
    emergencies: list[tuple[Num, Num]] = field(default_factory=list)

    @property
    def waits(self) -> list[Num]:
        """Time in queue of each traveller who started."""
        return [s - e for e, s in zip(self.entry, self.start, strict=True) if s < INF]

    @property
    def opening_waits(self) -> list[Num]:
        return [e - a for a, e in zip(self.arrival, self.entry, strict=True) if e < INF]

    def lane_time(self, horizon: Num) -> Num:
        """∫ lanes open dt over [0, horizon)."""
        ends = [t for t, _ in self.lanes[1:]] + [horizon]
        return sum(c * (b - a) for (a, c), b in zip(self.lanes, ends, strict=True))


def discrete(
    arrivals: Sequence[Num],
    service: Num,
    plan: Steps,
    horizon: Num,
    *,
    hours: Hours = ALWAYS,
    rule: Rule | None = None,
) -> Discrete:
    """Serve travellers arriving at ``arrivals`` (sorted) until ``horizon``."""
    return _Stage(arrivals, service, plan, horizon, hours=hours, rule=rule).run()


class _Stage:
    """A small event loop with the engine's conventions (see the module's docstring)."""

    def __init__(
        self,
        arrivals: Sequence[Num],
        service: Num,
        plan: Steps,
        horizon: Num,
        *,
        hours: Hours,
        rule: Rule | None,
    ) -> None:
        self.service, self.plan, self.horizon, self.rule = service, plan, horizon, rule
        self.hours = hours
        self.arrival = list(arrivals)
        self.entry = [hours.entry(a) for a in arrivals]
        self.start = [INF] * len(arrivals)
        self.shut = not hours.is_open(0)  # closed and empty: no lane open
        self.frozen = False  # closed, clearing those inside: lanes as they were
        self.inside = 0
        self.open = 0 if self.shut else plan.initial
        self.extra = 0
        self.planned = plan.initial
        self.busy: dict[int, int] = {}  # lane: traveller
        self.queue: list[int] = []  # travellers waiting, in order (a list used as a queue)
        self.head = 0
        self.pending: tuple[Num, int] | None = None  # a requested opening: (when, id)
        self.calm_until: Num = -INF
        self.events: list[tuple[Num, int, int, str, Any]] = []
        self.seq = 0
        self.lanes: list[tuple[Num, int]] = [(0, self.open)]
        self.emergencies: list[tuple[Num, Num]] = []
        self.emergency_from: Num | None = None

    def push(self, t: Num, priority: int, kind: str, item: Any) -> None:
        self.seq += 1
        heapq.heappush(self.events, (t, priority, self.seq, kind, item))

    def run(self) -> Discrete:
        if self.hours is not ALWAYS:  # the doors first, then the plan, at one instant
            for start, end in self.hours.intervals:
                if 0 < start < self.horizon:
                    self.push(start, 0, "opening", None)
                if end < self.horizon:
                    self.push(end, 0, "closing", None)
        for time, count in self.plan.changes:
            self.push(time, 0, "replan", count)
        if self.arrival:
            self.push(self.entry[0], 1, "enter", 0)
        while self.events and self.events[0][0] < self.horizon:
            now, _, _, kind, item = heapq.heappop(self.events)
            getattr(self, kind)(now, item)
        if self.emergency_from is not None:
            self.emergencies.append((self.emergency_from, self.horizon))
        return Discrete(self.arrival, self.entry, self.start, self.lanes, self.emergencies)

    # -- events
    def enter(self, now: Num, n: int) -> None:
        if n + 1 < len(self.arrival):  # the next one is scheduled when this one comes
            self.push(self.entry[n + 1], 1, "enter", n + 1)
        self.inside += 1
        lane = self.free_lane()
        if lane is None:
            self.queue.append(n)
        else:
            self.serve(n, lane, now)
        self.check(now)

    def done(self, now: Num, lane: int) -> None:
        del self.busy[lane]
        if lane < self.open and self.head < len(self.queue):
            self.serve(self.queue[self.head], lane, now)
            self.head += 1
        self.inside -= 1
        if self.frozen and not self.inside:  # the last one inside is out
            self.close_all(now)
        self.check(now)

    def opening(self, now: Num, _: Any) -> None:
        self.shut = self.frozen = False
        self.set_open(now)
        self.check(now)

    def closing(self, now: Num, _: Any) -> None:
        if self.inside:
            self.frozen = True  # the doors close; lanes stay until those inside are out
        else:
            self.close_all(now)

    def close_all(self, now: Num) -> None:
        self.frozen, self.shut = False, True
        self.extra, self.pending = 0, None
        if self.emergency_from is not None:
            self.emergencies.append((self.emergency_from, now))
            self.emergency_from = None
        self.set_open(now)

    def replan(self, now: Num, count: int) -> None:
        self.planned = count
        if not count:
            self.extra, self.pending = 0, None
        self.set_open(now)
        self.check(now)

    def added(self, now: Num, request: int) -> None:
        if self.pending is None or self.pending[1] != request or self.rule is None:
            return  # dropped when the plan closed every lane
        self.pending = None
        self.extra += max(0, min(self.rule.step, self.rule.built - self.planned - self.extra))
        self.set_open(now)
        self.check(now)

    # -- lanes
    def free_lane(self) -> int | None:
        return next((i for i in range(self.open) if i not in self.busy), None)

    def serve(self, n: int, lane: int, now: Num) -> None:
        self.start[n] = now
        self.busy[lane] = n
        self.push(now + self.service, 1, "done", lane)

    def set_open(self, now: Num) -> None:
        if self.frozen:
            return
        count = 0 if self.shut else self.planned + (self.extra if self.planned else 0)
        if self.rule is not None:
            count = min(count, self.rule.built)
        if count == self.open:
            return
        self.open = count
        self.lanes.append((now, count))
        for lane in range(count):  # lanes that opened take whoever waits
            if lane not in self.busy and self.head < len(self.queue):
                self.serve(self.queue[self.head], lane, now)
                self.head += 1

    # -- the rule
    def expected_wait(self) -> Num:
        if self.free_lane() is not None:
            return 0
        if not self.open:
            return INF
        return (len(self.queue) - self.head + 1) * self.service / self.open

    def check(self, now: Num) -> None:
        rule = self.rule
        if rule is None or not self.planned or self.shut or self.frozen:
            return
        wait, waiting = self.expected_wait(), len(self.queue) - self.head
        if rule.emergency_above is not None:
            back = min(rule.emergency_above, rule.open_above or INF)  # under the line again
            if wait > rule.emergency_above and self.emergency_from is None:
                self.emergency_from = now
            elif wait <= back and self.emergency_from is not None:
                self.emergencies.append((self.emergency_from, now))
                self.emergency_from = None
        if self.pending is not None:
            return
        if rule.queue_above is not None:
            high, low = waiting > rule.queue_above, waiting < (rule.queue_below or 0)
        else:
            high = rule.open_above is not None and wait > rule.open_above
            low = rule.close_below is not None and wait < rule.close_below
        if high and self.open < rule.built:
            self.seq += 1
            self.pending = (now + rule.delay, self.seq)
            self.push(now + rule.delay, 0, "added", self.seq)
        elif low and self.extra > 0 and now >= self.calm_until:
            self.extra -= min(rule.step, self.extra)
            self.calm_until = now + rule.delay  # no more closing for a delay
            self.set_open(now)
