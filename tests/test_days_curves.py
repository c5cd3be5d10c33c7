"""Deterministic days against the cumulative curves of traffic engineering (``tests/fluid.py``).

Regular arrivals at piecewise-constant rates and constant service: the engine's waits are
checked traveller by traveller against the oracle's discrete view (to 1e-9), and the
oracle's discrete totals against its fluid curves, whose arithmetic is checked by hand on
the simple cases (areas of triangles).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
import pytest

from portsim import scenario_from_dict

from .fluid import ALWAYS, Hours, Rule, Steps, discrete, fluid, regular
from .helpers import replicate

H = 3600.0


def _group(service: float, plan: Steps, rule: Rule | None) -> dict[str, Any]:
    group: dict[str, Any] = {"name": "lanes", "service": {"dist": "constant", "value": service}}
    if plan.changes:
        ends = [t for t, _ in plan.changes] + [24 * H]
        points = [(0.0, plan.initial), *plan.changes]
        group["schedule"] = [
            {"from": float(t), "to": float(end), "count": int(c)}
            for (t, c), end in zip(points, ends, strict=True)
            if c and t < end
        ]
    else:
        group["count"] = int(plan.initial)
    if rule is not None:
        group["built"] = rule.built
        opening: dict[str, Any] = {"step": rule.step, "delay": float(rule.delay)}
        for name in ("open_above", "close_below", "queue_above", "queue_below", "emergency_above"):
            value = getattr(rule, name)
            if value is not None:
                opening[name] = value if name.startswith("queue") else float(value)
        group["opening"] = opening
    return group


def _engine(
    arrivals: list[float],
    service: float,
    plan: Steps,
    horizon: float,
    *,
    hours: Hours = ALWAYS,
    rule: Rule | None = None,
) -> dict[str, Any]:
    """One replication of one stage: each traveller's arrival, queue join and service start
    (NaN: not started), the lanes open log and the emergencies."""
    data: dict[str, Any] = {
        "name": "curves",
        "horizon": horizon,
        "replications": 1,
        "flows": [{"name": "t", "arrivals": {"times": arrivals}, "route": ["s"]}],
        "stages": [{"name": "s", "lanes": [_group(service, plan, rule)]}],
    }
    if hours is not ALWAYS:
        (start, end), *more = hours.intervals
        assert not more, "one opening a day in these cases"
        data["hours"] = {"open": float(start), "close": float(end) if end < 24 * H else "24:00"}
    result = replicate(scenario_from_dict(data), 0, 0)
    records = result.records
    assert records is not None
    order = np.argsort(records.visit_entity, kind="stable")
    return {
        "arrival": records.entity_arrival,
        "join": records.visit_join[order],
        "start": records.visit_start[order],
        "lanes": result.counters.lanes_open[0],
        "emergencies": result.counters.emergencies[0] if result.counters.emergencies else (),
    }


def _same(engine: dict[str, Any], oracle: Any) -> None:
    """Traveller by traveller: the same entry, the same start (to 1e-9)."""
    started = np.isfinite(np.asarray(oracle.start, dtype=float))
    assert len(engine["join"]) == int(np.sum(np.asarray(oracle.entry, dtype=float) < np.inf))
    np.testing.assert_allclose(engine["arrival"], np.asarray(oracle.arrival, dtype=float))
    entries = np.asarray(oracle.entry, dtype=float)[: len(engine["join"])]
    np.testing.assert_allclose(engine["join"], entries, rtol=0, atol=1e-9)
    starts = np.asarray(oracle.start, dtype=float)[: len(engine["join"])]
    assert np.array_equal(np.isnan(engine["start"]), ~started[: len(engine["join"])])
    ok = ~np.isnan(engine["start"])
    np.testing.assert_allclose(engine["start"][ok], starts[ok], rtol=0, atol=1e-9)
    lanes = [(float(t), int(c)) for t, c in oracle.lanes]
    assert [(pytest.approx(t, abs=1e-9), c) for t, c in lanes] == list(engine["lanes"])


# -- the fluid arithmetic by hand --------------------------------------------------------------


def test_fluid_one_lane_overloaded_then_clearing() -> None:
    """1 a second for 100 s at one lane of 2 s: the queue grows at 1/2 a second to 50, then
    clears in 100 s; delay = two triangles of 2,500; the last waits 100 s."""
    curves = fluid(Steps(1, ((100, 0),)), 2, Steps(1), 300)
    assert curves.queueing == 5000
    assert curves.longest_wait == 100
    assert curves.clears == [(0, 200)]


def test_fluid_port_opening_after_its_first_arrivals() -> None:
    """Closed until 100 s, 1 a second, two lanes of 1 s: 100 wait outside (area 5,000),
    then the queue of 100 drains at 1 a second (area 5,000); the first waited 100 s."""
    curves = fluid(Steps(1), 1, Steps(2), 400, hours=Hours(((100, 10**9),)))
    assert curves.wait_for_opening == 5000
    assert curves.queueing == 5000
    assert curves.longest_wait == 100
    assert curves.longest_queueing == 50
    assert curves.clears == [(100, 200)]


def test_fluid_queue_line_with_a_delay() -> None:
    """1 a second, one lane of 2 s, a second lane when more than 10 wait, 5 s later: the
    queue reaches 10 at 20 s, 12.5 at 25 s, then holds (two lanes match the arrivals)."""
    rule = Rule(built=2, queue_above=10, delay=5)
    curves = fluid(Steps(Fraction(1)), Fraction(2), Steps(1), 60, rule=rule)
    assert curves.lanes == [(0, 1), (25, 2)]
    assert curves.queueing == Fraction(25**2, 4) + Fraction(25, 2) * 35


# -- the engine against the oracle, traveller by traveller -------------------------------------


def test_a_port_that_opens_after_its_first_arrivals() -> None:
    """One every 10 s from 5 s; the port opens at 01:00; two lanes of 15 s: the night's 360
    travellers enter at once and queue."""
    rates, hours = Steps(Fraction(1, 10)), Hours(((H, 24 * H),))
    times = [float(t) for t in regular(rates, 6 * H, Fraction(1, 2))]
    oracle = discrete(times, 15.0, Steps(2), 6 * H, hours=hours)
    _same(_engine(times, 15.0, Steps(2), 6 * H, hours=hours), oracle)
    curves = fluid(rates, Fraction(15), Steps(2), 6 * H, hours=hours)
    assert sum(oracle.opening_waits) == pytest.approx(float(curves.wait_for_opening), abs=1e-6)
    queued = sum(1 for w in oracle.waits if w > 0)
    assert abs(sum(oracle.waits) - float(curves.queueing)) <= queued * 15
    assert abs(max(oracle.waits) - float(curves.longest_queueing)) <= 15 + 10
    assert curves.clears == [(H, 4 * H)]  # 360 held, drained at 2/15 - 1/10 a second
    # the discrete starts lead the fluid curve by at most a batch of 2, which the queue's
    # drain (2/15 - 1/10 a second) makes up in 60 s
    last = max(s for e, s in zip(oracle.entry, oracle.start, strict=True) if s > e)
    assert 0 <= float(curves.clears[0][1]) - last <= 60


def test_a_schedule_that_changes_with_busy_lanes_closing() -> None:
    """Rates 1/20, then 1/5 from 2h to 3h; lanes 2, then 3 from 1h, then 1 from 3h (the
    closing lanes finish their travellers): waits exact, and the totals within a service
    per queued traveller of the fluid curves."""
    rates = Steps(Fraction(1, 20), ((2 * H, Fraction(1, 5)), (3 * H, Fraction(1, 20))))
    plan = Steps(2, ((H, 3), (3 * H, 1)))
    times = [float(t) for t in regular(rates, 8 * H, Fraction(1, 3))]
    oracle = discrete(times, 17.0, plan, 8 * H)
    _same(_engine(times, 17.0, plan, 8 * H), oracle)
    curves = fluid(rates, Fraction(17), plan, 8 * H)
    queued = sum(1 for w in oracle.waits if w > 0)
    assert queued > 100
    assert abs(sum(oracle.waits) - float(curves.queueing)) <= queued * 17
    assert abs(max(oracle.waits) - float(curves.longest_wait)) <= 17 + 20
    assert float(curves.clears[-1][1]) < 8 * H


def test_a_lane_opened_when_the_queue_reaches_n_after_a_delay() -> None:
    """One lane of 23.7 s planned, four built; a lane more 2 min after more than 9 wait
    (the queue reaches 10), one closed when fewer than 2 wait; 1 every 10 s for an hour,
    then 1 a minute. The first request: when the 10th waits (arrivals - starts = 10)."""
    rates = Steps(Fraction(1, 10), ((H, Fraction(1, 60)),))
    rule = Rule(built=4, step=1, delay=120, queue_above=9, queue_below=2)
    times = [float(t) for t in regular(rates, 3 * H, Fraction(1, 7))]
    oracle = discrete(times, 23.7, Steps(1), 3 * H, rule=rule)
    counts = [c for _, c in oracle.lanes]
    assert max(counts) == 4
    assert counts[-1] == 1
    # by hand: with one lane, starts at 10/7 + 23.7 j; arrival k (at 10/7 + 10 k, k from 0)
    # leaves k - floor(10 k / 23.7) waiting; the first time that is 10: k = 16, so the
    # lane opens 120 s after 10/7 + 160
    assert oracle.lanes[1] == (pytest.approx(10 / 7 + 160 + 120), 2)
    _same(_engine(times, 23.7, Steps(1), 3 * H, rule=rule), oracle)


def test_lanes_opened_by_the_expected_wait_with_an_emergency_line() -> None:
    """Expected-wait lines (open past 3 min, close below 1 min, 2 at a time after 90 s,
    emergency past 4 min) on a surge: the lanes and the emergencies are the oracle's."""
    rates = Steps(Fraction(1, 30), ((H, Fraction(1, 5)), (2 * H, Fraction(1, 30))))
    rule = Rule(built=6, step=2, delay=90, open_above=180, close_below=60, emergency_above=240)
    times = [float(t) for t in regular(rates, 4 * H, Fraction(2, 5))]
    oracle = discrete(times, 40.0, Steps(2), 4 * H, rule=rule)
    engine = _engine(times, 40.0, Steps(2), 4 * H, rule=rule)
    _same(engine, oracle)
    assert oracle.emergencies
    expected = [
        (pytest.approx(a, abs=1e-9), pytest.approx(b - a, abs=1e-9)) for a, b in oracle.emergencies
    ]
    assert expected == list(engine["emergencies"])


def test_the_closing_clears_those_inside_then_closes_every_lane() -> None:
    """Open 06:00-20:00, a surge before the closing: the lanes stay open past 20:00 until
    the last traveller inside is out, then close until the next opening."""
    rates = Steps(Fraction(1, 30), ((19 * H, Fraction(1, 4)), (20 * H, Fraction(1, 30))))
    hours = Hours(((6 * H, 20 * H),))
    times = [float(t) for t in regular(rates, 24 * H, Fraction(1, 2))]
    oracle = discrete(times, 20.0, Steps(3), 24 * H, hours=hours)
    engine = _engine(times, 20.0, Steps(3), 24 * H, hours=hours)
    _same(engine, oracle)
    closed_at = engine["lanes"][-1]
    assert closed_at[1] == 0
    assert closed_at[0] > 20 * H


def test_a_schedule_by_day_type_changes_at_midnight() -> None:
    """A quiet day with one lane, then a busy day with three (the calendar's schedules by
    day type), arrivals every 30 s then every 8 s (more than three lanes of 25 s carry):
    exact waits across midnight."""
    day = 24 * H
    rates = Steps(Fraction(1, 30), ((day, Fraction(1, 8)),))
    times = [float(t) for t in regular(rates, 2 * day, Fraction(1, 3))]
    plan = Steps(1, ((day, 3),))
    oracle = discrete(times, 25.0, plan, 2 * day)
    data: dict[str, Any] = {
        "name": "two days",
        "calendar": {"days": [{"type": "quiet"}, {"type": "busy"}]},
        "replications": 1,
        "flows": [{"name": "t", "arrivals": {"times": times}, "route": ["s"]}],
        "stages": [
            {
                "name": "s",
                "lanes": [
                    {
                        "name": "lanes",
                        "service": {"dist": "constant", "value": 25},
                        "schedule": {
                            "quiet": [{"from": "00:00", "to": "24:00", "count": 1}],
                            "busy": [{"from": "00:00", "to": "24:00", "count": 3}],
                        },
                    }
                ],
            }
        ],
    }
    result = replicate(scenario_from_dict(data), 0, 0)
    records = result.records
    assert records is not None
    order = np.argsort(records.visit_entity, kind="stable")
    engine = {
        "arrival": records.entity_arrival,
        "join": records.visit_join[order],
        "start": records.visit_start[order],
        "lanes": result.counters.lanes_open[0],
    }
    _same(engine, oracle)
    waits = np.asarray(oracle.start) - np.asarray(oracle.entry)
    first_day = np.asarray(oracle.arrival) < day
    assert np.all(waits[first_day] == 0)
    assert waits[~first_day].max() > 0
