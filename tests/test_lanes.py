"""Lanes as ports run them: schedules, per-lane queues, per-flow service, hall space."""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np
import pytest

from portsim import scenario_from_dict, simulate
from portsim.model import Timetable
from portsim.scenario import ScheduleEntry
from portsim.theory import mmc_wait_mean, pk_wait_mean

from .helpers import assert_within_standard_errors, per_replication, records_of, replicate


def _scenario(
    lanes: list[dict[str, Any]],
    *,
    flows: list[dict[str, Any]] | None = None,
    horizon: Any = "1d",
    warmup: Any = 0,
    replications: int = 4,
    space: int | None = None,
) -> Any:
    stage: dict[str, Any] = {"name": "hall", "lanes": lanes}
    if space is not None:
        stage["space"] = space
    return scenario_from_dict(
        {
            "name": "lanes",
            "horizon": horizon,
            "warmup": warmup,
            "replications": replications,
            "seed": 17,
            "flows": flows or [{"name": "f", "arrivals": {"rate": "120/h"}, "route": ["hall"]}],
            "stages": [stage],
        }
    )


# ----------------------------------------------------------------------------- schedules


def test_timetable_repeats_the_day_and_integrates_lane_time() -> None:
    entries = [
        ScheduleEntry(start=7 * 3600, end=22 * 3600, count=12),
        ScheduleEntry(start=0, end=7 * 3600, count=4),
    ]
    table = Timetable.daily(entries, horizon=2 * 86_400)
    assert table.initial == 4
    assert table.changes == ((25_200, 12), (79_200, 0), (86_400, 4), (111_600, 12), (165_600, 0))
    assert table.count_at(25_199.9) == 4
    assert table.count_at(25_200) == 12
    assert table.count_at(80_000) == 0
    assert table.next_opening(80_000) == 86_400
    assert table.lane_time(0, 86_400) == 4 * 7 * 3600 + 12 * 15 * 3600
    assert table.most == 12


def test_nobody_is_served_while_no_lane_is_open() -> None:
    """Zero lanes from midnight to 07:00: the night's travellers wait for the opening and
    the first of them start exactly at 07:00, one per lane."""
    s = _scenario(
        [
            {
                "name": "counters",
                "service": {"dist": "exponential", "mean": "40s"},
                "schedule": [{"from": "7h", "to": "24h", "count": 3}],
            }
        ],
        replications=1,
    )
    rec = records_of(s, 3, 0)
    started = rec.visit_start[~np.isnan(rec.visit_start)]
    assert started.min() == 7 * 3600
    night = rec.visit_join < 7 * 3600
    assert night.sum() > 100
    assert np.all(rec.visit_start[night] >= 7 * 3600)
    first = np.sort(rec.visit_start)[:3]
    assert np.all(first == 7 * 3600)
    # FIFO: the first three to be served are the first three to arrive
    assert set(np.argsort(rec.visit_join)[:3]) == set(np.argsort(rec.visit_start)[:3])


def test_a_closing_lane_finishes_its_traveller_and_takes_nobody_new() -> None:
    s = _scenario(
        [
            {
                "name": "counters",
                "service": {"dist": "constant", "value": "10min"},
                "schedule": [
                    {"from": "0h", "to": "12h", "count": 2},
                    {"from": "12h", "to": "24h", "count": 1},
                ],
            }
        ],
        replications=1,
    )
    rec = records_of(s, 1, 0)
    lane1 = rec.visit_lane == 1
    assert np.all(rec.visit_start[lane1] < 12 * 3600)
    # a service that began on lane 1 before noon may end after it
    assert rec.visit_end[lane1].max() > 12 * 3600 - 600


def test_utilisation_counts_open_lane_time_only() -> None:
    """Arrivals only while the lanes are open (12:00-24:00): utilisation is the offered load
    over those hours, λ·E[S]/c, not half of it."""
    lanes, mean = 4, 60.0
    daily = 2400  # in 12 hours: 200/h
    s = _scenario(
        [
            {
                "name": "counters",
                "service": {"dist": "exponential", "mean": mean},
                "schedule": [{"from": "12h", "to": "24h", "count": lanes}],
            }
        ],
        flows=[
            {
                "name": "f",
                "arrivals": {"daily_total": daily, "profile": [0] * 12 + [1] * 12},
                "route": ["hall"],
            }
        ],
        horizon="3d",
        warmup="12h",
    )
    result = simulate(s)
    rho = daily / (12 * 3600) * mean / lanes
    util = per_replication(result, "stages", "hall", "utilization")
    assert util.mean() == pytest.approx(rho, rel=0.03)
    group = result.summary["stages"]["hall"]["groups"]["counters"]
    assert group["lanes_open_mean"]["mean"] == pytest.approx(lanes * (36 * 3600) / (60 * 3600))


def test_a_traveller_picks_the_group_that_opens_first_when_none_is_open() -> None:
    s = _scenario(
        [
            {
                "name": "late",
                "service": {"dist": "constant", "value": 5},
                "schedule": [{"from": "9h", "to": "24h", "count": 1}],
            },
            {
                "name": "early",
                "service": {"dist": "constant", "value": 5},
                "schedule": [{"from": "6h", "to": "24h", "count": 1}],
            },
        ],
        replications=1,
        horizon="8h",
    )
    rec = records_of(s, 2, 0)
    assert set(np.asarray(rec.group_names)[rec.visit_group]) == {"early"}


# ----------------------------------------------------------------------------- per-lane


def test_per_lane_with_one_lane_is_a_shared_queue() -> None:
    def one(queue: str) -> Any:
        s = _scenario(
            [
                {
                    "name": "booth",
                    "count": 1,
                    "queue": queue,
                    "service": {"dist": "gamma", "mean": "25s", "cv": 0.8},
                }
            ]
        )
        return records_of(s, 9, 0)

    shared, per_lane = one("shared"), one("per_lane")
    for name in ("visit_entity", "visit_lane", "visit_join", "visit_start", "visit_end"):
        assert np.array_equal(getattr(shared, name), getattr(per_lane, name), equal_nan=True)


def test_per_lane_queues_lie_between_pooled_and_separate_queues() -> None:
    """c lanes with their own queues and join-the-shortest: the mean wait lies between the
    pooled M/M/c and c separate M/M/1 queues at λ/c."""
    lanes, mean, rate = 4, 60.0, 3.4 / 60
    s = _scenario(
        [
            {
                "name": "booths",
                "count": lanes,
                "queue": "per_lane",
                "service": {"dist": "exponential", "mean": mean},
            }
        ],
        flows=[{"name": "cars", "kind": "car", "arrivals": {"rate": rate}, "route": ["hall"]}],
        horizon="10d",
        warmup="6h",
        replications=5,
    )
    waits = per_replication(simulate(s), "stages", "hall", "wait_mean_s")
    pooled = mmc_wait_mean(rate, mean, lanes)
    separate = mmc_wait_mean(rate / lanes, mean, 1)
    se = waits.std(ddof=1) / math.sqrt(len(waits))
    assert pooled - 3 * se < waits.mean() < separate + 3 * se
    assert pooled < waits.mean() < separate


def test_a_closing_lane_sends_its_queue_to_the_shortest_open_lanes() -> None:
    s = _scenario(
        [
            {
                "name": "booths",
                "queue": "per_lane",
                "service": {"dist": "constant", "value": "2min"},
                "schedule": [
                    {"from": "0h", "to": "3h", "count": 3},
                    {"from": "3h", "to": "24h", "count": 1},
                ],
            }
        ],
        flows=[{"name": "cars", "arrivals": {"rate": "100/h"}, "route": ["hall"]}],
        horizon="5h",
        replications=1,
    )
    result = simulate(s, replications=1)
    rec = result.records[0]
    after = rec.visit_start >= 3 * 3600
    assert np.all(rec.visit_lane[after] == 0)
    # nobody is lost: every arrival is served or still there at the horizon
    overall = result.per_replication[0]["overall"]
    assert overall["served"] + overall["unfinished"] == rec.entities


# ----------------------------------------------------------------------------- per-flow


def test_per_flow_service_is_a_mixture_that_matches_pollaczek_khinchine() -> None:
    """Cars (exponential, 20 s) and coaches (constant, 90 s) at one booth: an M/G/1 whose
    service is the mixture, with E[S] and E[S²] weighted by the flows' rates."""
    cars, coaches = 0.02, 0.005
    s = _scenario(
        [
            {
                "name": "booth",
                "count": 1,
                "service": {"dist": "exponential", "mean": 20},
                "service_by_flow": {"coaches": {"dist": "constant", "value": 90}},
            }
        ],
        flows=[
            {"name": "cars", "kind": "car", "arrivals": {"rate": cars}, "route": ["hall"]},
            {"name": "coaches", "kind": "coach", "arrivals": {"rate": coaches}, "route": ["hall"]},
        ],
        horizon="12d",
        warmup="1h",
        replications=6,
    )
    rate = cars + coaches
    mean = (cars * 20 + coaches * 90) / rate
    second = (cars * 2 * 20**2 + coaches * 90**2) / rate
    waits = per_replication(simulate(s), "stages", "hall", "wait_mean_s")
    assert_within_standard_errors(waits, pk_wait_mean(rate, mean, second))


# ----------------------------------------------------------------------------- hall space


def _waiting_from_records(rec: Any) -> tuple[np.ndarray, np.ndarray]:
    """Times and number waiting after each change, rebuilt from the records alone."""
    waited = rec.visit_join < np.where(np.isnan(rec.visit_start), np.inf, rec.visit_start)
    times = np.concatenate([rec.visit_join[waited], rec.visit_start[waited]])
    steps = np.concatenate([np.ones(waited.sum()), -np.ones(waited.sum())])
    keep = ~np.isnan(times)
    times, steps = times[keep], steps[keep]
    order = np.lexsort((-steps, times))  # at equal times, count joins before starts
    return times[order], np.cumsum(steps[order])


def test_space_and_queue_counters_match_the_records() -> None:
    space = 30
    s = _scenario(
        [
            {
                "name": "counters",
                "service": {"dist": "exponential", "mean": "60s"},
                "schedule": [
                    {"from": "0h", "to": "8h", "count": 2},
                    {"from": "8h", "to": "24h", "count": 6},
                ],
            }
        ],
        flows=[{"name": "f", "arrivals": {"rate": "240/h"}, "route": ["hall"]}],
        space=space,
        replications=1,
    )
    result = replicate(s, 4, 0)
    assert result.records is not None
    counters = result.counters
    times, waiting = _waiting_from_records(result.records)
    assert counters.stage_queue_max[0] == waiting.max()
    over = waiting > space
    first = times[np.argmax(over)]
    assert counters.stage_first_over_space[0] == first
    durations = np.diff(np.append(times, s.horizon))
    # the records give the same time above the space, up to float sums
    assert counters.stage_time_over_space[0] == pytest.approx(durations[over].sum(), rel=1e-9)
    area = float((waiting * durations).sum())
    assert counters.stage_queue_mean[0] * s.horizon == pytest.approx(area, rel=1e-9)
    summary = simulate(s, replications=1).summary["stages"]["hall"]
    assert summary["space"] == space
    assert summary["time_over_space_s"]["mean"] > 0
    assert summary["first_over_space_s"]["mean"] < 8 * 3600


def test_space_never_exceeded_is_null_in_json() -> None:
    s = _scenario(
        [{"name": "counters", "count": 10, "service": {"dist": "constant", "value": 5}}],
        space=500,
        replications=2,
    )
    out = simulate(s).to_dict()["stages"]["hall"]
    assert out["first_over_space_s"] == {"mean": None, "ci95": None}
    assert out["time_over_space_s"]["mean"] == 0


def test_hourly_arrivals_in_the_summary_follow_the_profile() -> None:
    profile = [0, 0, 0, 0, 0, 0, 1, 4, 7, 8, 8, 7, 7, 7, 7, 8, 9, 10, 10, 9, 8, 7, 5, 3]
    daily = 20_000
    s = _scenario(
        [{"name": "counters", "count": 40, "service": {"dist": "constant", "value": 30}}],
        flows=[
            {"name": "f", "arrivals": {"daily_total": daily, "profile": profile}, "route": ["hall"]}
        ],
        replications=10,
    )
    hourly = simulate(s).summary["overall"]["hourly"]
    assert len(hourly) == 24
    for hour, row in enumerate(hourly):
        expected = daily * profile[hour] / sum(profile)
        if expected == 0:
            assert row["arrived"]["mean"] == 0
            continue
        # Poisson counts: mean over 10 replications within 4 standard errors
        assert abs(row["arrived"]["mean"] - expected) <= 4 * math.sqrt(expected / 10), hour


def test_the_engine_logs_every_change_of_open_lanes_and_its_integral_is_the_lane_time() -> None:
    """``lanes_open`` in the JSON is the engine's own log (per replication, from time 0);
    integrated over the horizon it gives the open lane-time behind ``lanes_open_mean``."""
    s = _scenario(
        [
            {
                "name": "counters",
                "service": {"dist": "exponential", "mean": "60s"},
                "schedule": [
                    {"from": "0h", "to": "6h", "count": 2},
                    {"from": "6h", "to": "22h", "count": 6},
                    {"from": "22h", "to": "24h", "count": 1},
                ],
            }
        ],
        flows=[{"name": "f", "arrivals": {"rate": "100/h"}, "route": ["hall"]}],
        horizon="30h",
        replications=2,
    )
    out = simulate(s).to_dict()["stages"]["hall"]["groups"]["counters"]
    # day 2 opens with 2 lanes at 24h; its 06:00 change falls on the horizon (30h): not in it
    expected = [[0.0, 2], [6 * 3600.0, 6], [22 * 3600.0, 1], [24 * 3600.0, 2]]
    assert out["lanes_open"] == [expected, expected]
    log = [*expected, [s.horizon, 0]]
    lane_time = sum(n * (t1 - t0) for (t0, n), (t1, _) in itertools.pairwise(log))
    assert out["lanes_open_mean"]["mean"] == pytest.approx(lane_time / s.horizon, rel=1e-12)
