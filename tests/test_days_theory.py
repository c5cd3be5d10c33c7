"""Calendars against theory and against today's results.

* A calendar of one day type, with every daily total, profile and schedule written by day
  type, gives today's records and metrics bit for bit.
* Per-day and per-hour arrivals follow the calendar within Poisson error.
* M_t/G/∞ across a change of day type: the number in service at time t is Poisson with mean
  m(t) = ∫ λ(u) P(S > t − u) du = E[λ(t − S_e)]·E[S] (S_e the equilibrium excess of S).
* The streaming daily rows equal the exact ones (counts and maxima), means to rounding and
  p95 within the hourly histograms' bound.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
from scipy import integrate, stats

from portsim import dump_scenario, load_scenario, scenario_from_dict, simulate
from portsim.model import compile_scenario
from portsim.results.streaming import stream_replication

from .helpers import replicate
from .test_batch_theory import assert_student_t

ROOT = Path(__file__).resolve().parent.parent
H = 3600.0
DAY = 86_400.0


def _by_day_type(node: Any, day_type: str) -> Any:
    """Every daily total, profile and schedule of a scenario's data written for one day
    type."""
    if isinstance(node, dict):
        return {
            k: {day_type: v}
            if k in {"daily_total", "profile", "schedule"}
            else _by_day_type(v, day_type)
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_by_day_type(v, day_type) for v in node]
    return node


def test_a_calendar_of_one_day_type_gives_todays_results_bit_for_bit() -> None:
    plain = load_scenario(ROOT / "scenarios" / "hall_modes.yaml", ["horizon=30h"])
    data = _by_day_type(dump_scenario(plain), "normal")
    data["calendar"] = {"start": "2019-05-01", "days": [{"type": "normal", "repeat": 2}]}
    calendar = scenario_from_dict(data)
    assert calendar.horizon == plain.horizon
    before, after = replicate(plain, 7, 1), replicate(calendar, 7, 1)
    assert before.records is not None
    assert after.records is not None
    for column in ("entity_arrival", "entity_exit", "visit_join", "visit_start", "visit_end"):
        assert np.array_equal(
            getattr(before.records, column), getattr(after.records, column), equal_nan=True
        ), column
    for key, value in before.table.items():
        assert after.table[key] == value or (math.isnan(value) and math.isnan(after.table[key]))
    assert before.counters.lanes_open == after.counters.lanes_open


def _port(calendar: dict[str, Any], arrivals: dict[str, Any], service: dict[str, Any]) -> Any:
    return scenario_from_dict(
        {
            "name": "calendar",
            "calendar": calendar,
            "replications": 30,
            "flows": [{"name": "t", "arrivals": arrivals, "route": ["s"]}],
            "stages": [{"name": "s", "lanes": [{"name": "l", "count": 5000, "service": service}]}],
        }
    )


FLAT = [1] * 24
EVENING = [0, 0, 0, 0, 0, 0, 1, 2, 3, 3, 3, 3, 3, 3, 3, 4, 5, 6, 6, 5, 4, 3, 2, 1]
CALENDAR = {
    "start": "2026-02-14",
    "days": [{"type": "normal"}, {"type": "eve"}, {"type": "return", "repeat": 2}],
}
TOTALS = {"normal": 2400, "eve": 6000, "return": 3600}


def test_arrivals_follow_the_calendar_day_by_day_and_hour_by_hour() -> None:
    scenario = _port(
        CALENDAR,
        {"daily_total": TOTALS, "profile": {"default": FLAT, "eve": EVENING}},
        {"dist": "constant", "value": 1},
    )
    result = simulate(scenario, replications=30, records=False)
    daily = result.summary["overall"]["daily"]
    assert [(d["day"], d["date"], d["type"]) for d in daily] == [
        (1, "2026-02-14", "normal"),
        (2, "2026-02-15", "eve"),
        (3, "2026-02-16", "return"),
        (4, "2026-02-17", "return"),
    ]
    n = result.replications
    for day, entry in zip(daily, ("normal", "eve", "return", "return"), strict=True):
        expected = TOTALS[entry] * n
        total = day["arrived"]["mean"] * n
        assert abs(total - expected) <= 4 * math.sqrt(expected), (day, total, expected)
    hourly = np.array([h["arrived"]["mean"] * n for h in result.summary["overall"]["hourly"]])
    rates = compile_scenario(scenario).flows[0].arrivals.rate
    expected_hours = np.array([rates.expected(k * H, (k + 1) * H) * n for k in range(96)])
    seen = expected_hours > 0
    assert np.all(hourly[~seen] == 0)
    chi2 = float(np.sum((hourly[seen] - expected_hours[seen]) ** 2 / expected_hours[seen]))
    assert chi2 < stats.chi2.ppf(1 - 0.001, seen.sum() - 1)


def _in_service_mean(t: float, rates: list[tuple[float, float]], mean: float, cv: float) -> float:
    """m(t) = Σ over rate pieces [a, b) of λ ∫_{t-b}^{t-a} P(S > x) dx for lognormal S."""
    sigma = math.sqrt(math.log(1 + cv * cv))
    mu = math.log(mean) - sigma * sigma / 2
    survival = stats.lognorm(s=sigma, scale=math.exp(mu)).sf
    total = 0.0
    for (start, rate), end in zip(rates, [r[0] for r in rates[1:]] + [math.inf], strict=True):
        lo, hi = max(0.0, t - min(end, t)), max(0.0, t - start)
        if hi > lo:
            total += rate * integrate.quad(survival, lo, hi, limit=200)[0]
    return total


def test_mt_g_infinity_across_a_change_of_day_type() -> None:
    """300 an hour on a quiet day, 900 an hour on a festival day, lognormal services of
    40 min (cv 0.5), lanes for all: the number in service before, across and after
    midnight follows the closed form."""
    calendar = {"days": [{"type": "quiet"}, {"type": "festival"}]}
    totals = {"quiet": 7200, "festival": 21600}
    service = {"dist": "lognormal", "mean": "40min", "cv": 0.5}
    scenario = _port(calendar, {"daily_total": totals, "profile": FLAT}, service)
    times = [DAY - 2 * H, DAY - 10 * 60, DAY + 10 * 60, DAY + 30 * 60, DAY + H, DAY + 3 * H]
    counts: list[list[int]] = [[] for _ in times]
    for replication in range(40):
        records = replicate(scenario, 3, replication).records
        assert records is not None
        for i, t in enumerate(times):
            busy = (records.visit_start <= t) & ~(records.visit_end <= t)
            counts[i].append(int(busy.sum()))
    rates = [(0.0, 7200 / DAY), (DAY, 21600 / DAY)]
    for t, seen in zip(times, counts, strict=True):
        expected = _in_service_mean(t, rates, 2400.0, 0.5)
        assert_student_t(np.asarray(seen, dtype=float), expected)
        # and Poisson: the variance equals the mean
        assert np.var(seen, ddof=1) / expected < 2.0


def test_streaming_daily_rows_equal_the_exact_ones() -> None:
    scenario = _port(
        CALENDAR,
        {"daily_total": TOTALS, "profile": {"default": FLAT, "eve": EVENING}},
        {"dist": "exponential", "mean": 1},
    )
    data = dump_scenario(scenario)
    data["stages"][0]["lanes"][0]["count"] = 1
    data["stages"][0]["lanes"][0]["service"] = {"dist": "exponential", "mean": 11}
    data["hours"] = {
        "default": {"open": "06:30", "close": "24:00"},
        "eve": {"open": "06:30", "close": "02:00"},
    }
    scenario = scenario_from_dict(data)
    model = compile_scenario(scenario)
    exact = replicate(scenario, 5, 0).table
    streamed, _ = stream_replication(model, 5, 0)
    assert list(streamed) == list(exact)
    days = [k for k in exact if k[4].startswith("day_")]
    assert len(days) >= 4 * 6
    for key in days:
        e, s = exact[key], streamed[key]
        if math.isnan(e):
            assert math.isnan(s), key
        elif key[4] == "day_wait_p95_s":
            assert abs(s - e) <= 0.051 * e + 0.01, key
        else:
            assert s == np.float64(e) or math.isclose(s, e, rel_tol=1e-9), key
    for key in exact:
        if key[4].startswith("wait_for_opening"):
            assert math.isclose(streamed[key], exact[key], rel_tol=1e-9), key
