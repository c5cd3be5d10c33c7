"""A staff pool's metrics from its logs, computed by hand: officer-hours within the counted
window, officers busy by hour (time-weighted), the most busy and on duty at once; and the
intervals across replications bounded by the officers on duty."""

from __future__ import annotations

import math

import pytest

from portsim.results.catalog import (
    CATALOG,
    OFFICER_HOURS,
    OFFICER_HOURS_ON_DUTY,
    OFFICERS_BUSY_MAX,
    OFFICERS_BUSY_MEAN,
    OFFICERS_ON_DUTY,
    row_metric,
)
from portsim.results.pools import log_integral, log_most, pool_rows
from portsim.results.rows import ALL_HOURS, MetricTable, TableWriter, key_of_path
from portsim.results.scopes import Scope
from portsim.results.statistics import aggregate

POOL = Scope.pool("officers")

# three hours, the first half-hour a warm-up
WARMUP, HORIZON = 1800.0, 10800.0
# officers committed: 2 from 00:10, 3 for no time at 00:40 (replaced at once by 1), 4 from
# 01:30, 2 from 02:30
IN_USE = ((0.0, 0), (600.0, 2), (2400.0, 3), (2400.0, 1), (5400.0, 4), (9000.0, 2))
# on duty: 4, then 5 from 02:00
ON_DUTY = ((0.0, 4), (7200.0, 5))


def _rows() -> MetricTable:
    table: MetricTable = {}
    pool_rows(
        TableWriter(table, "pool", "officers"), IN_USE, ON_DUTY, warmup=WARMUP, horizon=HORIZON
    )
    return table


def test_officer_hours_of_a_log_by_hand() -> None:
    """Committed officer-seconds after the warm-up (00:30 to 03:00):
    2 × (2400 − 1800) = 1,200; the 3 lasted no time; 1 × (5400 − 2400) = 3,000;
    4 × (9000 − 5400) = 14,400; 2 × (10800 − 9000) = 3,600: 22,200 s = 6.1667 h.
    On duty: 4 × (7200 − 1800) = 21,600 and 5 × (10800 − 7200) = 18,000: 39,600 s = 11 h."""
    table = _rows()
    assert table[POOL.key(OFFICER_HOURS)] == pytest.approx(22_200 / 3600)
    assert table[POOL.key(OFFICER_HOURS_ON_DUTY)] == pytest.approx(11.0)
    assert table[POOL.key(OFFICERS_BUSY_MEAN)] == pytest.approx(22_200 / 9000)
    assert table[POOL.key(OFFICERS_BUSY_MAX)] == 4  # the 3 lasted no time
    assert table[POOL.key(OFFICERS_ON_DUTY)] == 5


def test_officers_busy_by_hour_by_hand() -> None:
    """Hour 0 (warm-up included): 2 × 1800 + 1 × 1200 = 4,800 s over 3,600: 1.333, most 2.
    Hour 1: 1 × 1800 + 4 × 1800 = 9,000: 2.5, most 4. Hour 2: 4 × 1800 + 2 × 1800 = 10,800:
    3.0, most 4; on duty 4, 4 and 5 (the 4 of hour 2 lasted no time in it)."""
    table = _rows()
    mean = [table[POOL.key(OFFICERS_BUSY_MEAN, hour=h)] for h in range(3)]
    assert mean == pytest.approx([4800 / 3600, 2.5, 3.0])
    assert [table[POOL.key(OFFICERS_BUSY_MAX, hour=h)] for h in range(3)] == [2, 4, 4]
    assert [table[POOL.key(OFFICERS_ON_DUTY, hour=h)] for h in range(3)] == [4, 4, 5]
    assert POOL.key(OFFICERS_BUSY_MEAN, hour=3) not in table


def test_a_last_hour_cut_at_the_horizon_is_averaged_over_its_part() -> None:
    """A horizon of 1.5 h: the second hour is 1,800 s long; 4 busy from 01:15 (900 s of
    it), 2 before: (2 × 900 + 4 × 900) / 1800 = 3."""
    table: MetricTable = {}
    log = ((0.0, 2), (4500.0, 4))
    pool_rows(TableWriter(table, "pool", "p"), log, ((0.0, 6),), warmup=0.0, horizon=5400.0)
    assert table[("pool", "p", "", 1, OFFICERS_BUSY_MEAN.name)] == pytest.approx(3.0)
    # over the run: (2 × 4500 + 4 × 900) / 5400 = 12,600 / 5,400
    assert table[("pool", "p", "", ALL_HOURS, OFFICERS_BUSY_MEAN.name)] == pytest.approx(
        12_600 / 5400
    )
    assert table[("pool", "p", "", ALL_HOURS, OFFICER_HOURS.name)] == pytest.approx(3.5)


def test_the_log_helpers_ignore_what_lies_outside_the_window() -> None:
    assert log_integral(IN_USE, 0.0, 600.0) == 0.0
    assert log_integral(IN_USE, 2400.0, 2400.0) == 0.0
    assert log_most(IN_USE, 2400.0, 2400.0) == 0  # no time in it
    assert log_most(IN_USE, 2399.0, 2401.0) == 2  # 2, then 1: the 3 lasted no time
    assert log_integral(ON_DUTY, 7000.0, 7400.0) == 4 * 200 + 5 * 200


def test_busy_intervals_stop_at_the_officers_on_duty() -> None:
    """Two replications busy 3.9 and 4.0 on average of 4 on duty: the Student-t interval's
    upper end (3.95 + 12.706 × 0.05 = 4.59) is cut at 4, what the pool can commit; its lower
    end is not."""
    tables = []
    for busy in (3.9, 4.0):
        tables.append(
            {
                POOL.key(OFFICERS_ON_DUTY): 4.0,
                POOL.key(OFFICERS_BUSY_MEAN): busy,
                POOL.key(OFFICERS_BUSY_MEAN, hour=0): busy,
                POOL.key(OFFICER_HOURS_ON_DUTY): 8.0,
                POOL.key(OFFICER_HOURS): busy * 2,
            }
        )
    stats = aggregate(tables)
    whole = stats[POOL.key(OFFICERS_BUSY_MEAN)]
    assert whole.high == 4.0
    assert whole.low == pytest.approx(3.95 - 12.706204736 * 0.05, abs=1e-6)
    assert stats[POOL.key(OFFICER_HOURS)].high == 8.0


def test_officers_finishing_after_their_shift_raise_the_ceiling_to_what_was_seen() -> None:
    """At a shift's end officers finish their travellers: a replication may count 6
    committed in an hour whose most on duty is 5. The interval then stops at 6, the most
    seen, not at 5 (below a value the run gave) nor beyond."""
    tables = [
        {POOL.key(OFFICERS_ON_DUTY, hour=5): 5.0, POOL.key(OFFICERS_BUSY_MAX, hour=5): busy}
        for busy in (6.0, 5.0, 4.0)
    ]
    stat = aggregate(tables)[POOL.key(OFFICERS_BUSY_MAX, hour=5)]
    # mean 5, sd 1: 5 ± 4.303 × 1/√3 = 5 ± 2.484: cut at 6 above, not below
    assert stat.mean == 5.0
    assert stat.high == 6.0
    assert stat.low == pytest.approx(5 - 4.302652730 / math.sqrt(3), abs=1e-6)


def test_pool_metrics_are_named_in_the_catalog_and_their_paths() -> None:
    assert POOL.metric_path(OFFICER_HOURS) == "staff.officers.officer_hours"
    assert key_of_path("staff.officers.officer_hours") == POOL.key(OFFICER_HOURS)
    assert POOL.words == "officers pool"
    for m in (OFFICER_HOURS, OFFICERS_BUSY_MEAN, OFFICERS_BUSY_MAX):
        assert row_metric(m.name)[0] is m
        assert m.low == 0.0
        assert math.isinf(m.high)
    assert OFFICERS_BUSY_MEAN.ceiling == OFFICERS_ON_DUTY.name
    assert OFFICER_HOURS.ceiling == OFFICER_HOURS_ON_DUTY.name


def test_every_ceiling_is_a_metric_wherever_the_bounded_one_is() -> None:
    """A ceiling names a catalogued metric of the same unit, reported at every level and
    hour the metric it bounds is (else an interval would go unbounded for want of a row)."""
    for m in CATALOG.values():
        if not m.ceiling:
            continue
        top = CATALOG[m.ceiling]
        assert top.unit == m.unit, m.name
        assert m.levels <= top.levels, m.name
        assert m.hourly <= top.hourly, m.name
        assert m.daily <= top.daily, m.name


def test_officer_hours_day_by_day_by_hand() -> None:
    """Two "days" (windows after the warm-up): 00:30-01:30 and 01:30-03:00. The first:
    2 × 600 + 1 × 3000 = 4,200 officer-seconds (1.1667 h); the second: 4 × 3600 + 2 × 1800
    = 18,000 (5 h): together the whole run's 22,200. On duty: 4 × 3600 = 4 h, then
    4 × 1800 + 5 × 3600 = 7 h."""
    table: MetricTable = {}
    days = [(1800.0, 5400.0), (5400.0, 10800.0)]
    writer = TableWriter(table, "pool", "officers")
    pool_rows(writer, IN_USE, ON_DUTY, warmup=WARMUP, horizon=HORIZON, days=days)
    committed = [table[POOL.key(OFFICER_HOURS, day=d)] for d in range(2)]
    assert committed == pytest.approx([4200 / 3600, 5.0])
    assert sum(committed) == pytest.approx(table[POOL.key(OFFICER_HOURS)])
    duty = [table[POOL.key(OFFICER_HOURS_ON_DUTY, day=d)] for d in range(2)]
    assert duty == pytest.approx([4.0, 7.0])
    assert key_of_path("staff.officers.daily.2.officer_hours") == POOL.key(OFFICER_HOURS, day=1)
