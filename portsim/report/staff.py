"""Staff pools in the run report: each pool's officer-hours (committed, with its 95 %
interval, and on duty), the officers committed on average and at most, and hour by hour
the officers on duty against those committed, as the text report prints them and as the HTML
report's tables (with their CSV). A run without pools has none of it: no empty section."""

from __future__ import annotations

from collections.abc import Callable

from ..results.catalog import (
    OFFICER_HOURS,
    OFFICER_HOURS_ON_DUTY,
    OFFICERS_BUSY_MAX,
    OFFICERS_BUSY_MEAN,
    OFFICERS_ON_DUTY,
)
from ..results.scopes import Scope
from ..results.summary import Summary
from ..run.compare import Comparison
from .cells import difference_text, hour_span, raw_cells, raw_headers, stat_text
from .tables import Column, CsvValue, Table, metric_table

__all__ = [
    "STAFF_NOTE",
    "officer_lines",
    "staff_by_variant",
    "staff_days_table",
    "staff_hours_table",
    "staff_table",
]

#: what the pools' figures mean, under their table
STAFF_NOTE = (
    "Officers committed: on an open lane (serving or idle), finishing a traveller on a lane "
    "that closed, or moving between lane groups; officer-hours after the warm-up. Officers "
    "committed: the time-weighted mean; its interval never passes the most officers on duty "
    "(but where officers whose shift had ended were still finishing a traveller: the most "
    "committed a replication saw)."
)
_COLUMNS = (
    Column(OFFICER_HOURS, interval=True),
    Column(OFFICER_HOURS_ON_DUTY),
    Column(OFFICERS_BUSY_MEAN, interval=True),
    Column(OFFICERS_BUSY_MAX),
    Column(OFFICERS_ON_DUTY),
)
_HOUR_COLUMNS = (
    Column(OFFICERS_ON_DUTY),
    Column(OFFICERS_BUSY_MEAN, interval=True),
    Column(OFFICERS_BUSY_MAX),
)
_DAY_COLUMNS = (Column(OFFICER_HOURS, interval=True), Column(OFFICER_HOURS_ON_DUTY))
#: runs up to this many hours get an hour-by-hour table of officers in the text report
_TEXT_HOURS = 48

Layout = Callable[[list[str], list[list[str]]], list[str]]


def _pools(summary: Summary) -> tuple[Scope, ...]:
    return summary.scopes("pool")


def staff_table(summary: Summary) -> Table | None:
    """One row per staff pool over the run after the warm-up (None without pools)."""
    pools = _pools(summary)
    if not pools:
        return None
    return metric_table(
        "staff",
        "Officers (staff pools)",
        summary,
        rows=[(p.words, p) for p in pools],
        columns=_COLUMNS,
        note=STAFF_NOTE,
    )


def _hour_cells(summary: Summary, pool: Scope, hour: int) -> tuple[list[str], list[CsvValue]]:
    stats = [summary.find(pool, c.metric, hour=hour) for c in _HOUR_COLUMNS]
    shown = [
        stat_text(c.metric, s, interval=c.interval)
        for c, s in zip(_HOUR_COLUMNS, stats, strict=True)
    ]
    return shown, [v for s in stats for v in raw_cells(s)]


def staff_hours_table(summary: Summary, first: int = 0) -> Table | None:
    """Each pool hour by hour: officers on duty, committed on average (with the interval)
    and at most (None without pools); from hour ``first`` (a forecast: its state's)."""
    rows: list[list[str]] = []
    raw: list[list[CsvValue]] = []
    for pool in _pools(summary):
        for hour in range(first, summary.hours(pool)):
            shown, values = _hour_cells(summary, pool, hour)
            rows.append([pool.words, hour_span(hour), *shown])
            raw.append([pool.name, hour, *values])
    if not rows:
        return None
    return Table(
        "staff_hourly",
        "Officers hour by hour",
        ["pool", "hour", *(c.title for c in _HOUR_COLUMNS)],
        rows,
        ["pool", "hour", *(h for c in _HOUR_COLUMNS for h in raw_headers(c.metric))],
        raw,
        "The most officers on duty in the hour, and those committed (on an open lane, serving "
        "or idle, finishing a traveller, or moving between lane groups): the time-weighted "
        "mean over the hour and the most at once (means over the replications). Warm-up hours "
        "included.",
        frozenset(range(2, 5)),
    )


def staff_days_table(summary: Summary) -> Table | None:
    """Each pool day by day: officer-hours committed (with the interval) and on duty
    (None without pools, or without days)."""
    rows: list[list[str]] = []
    raw: list[list[CsvValue]] = []
    for pool in _pools(summary):
        for day in summary.days:
            stats = [summary.find(pool, c.metric, day=day.index) for c in _DAY_COLUMNS]
            if stats[0] is None:
                continue
            cells = [
                stat_text(c.metric, s, interval=c.interval)
                for c, s in zip(_DAY_COLUMNS, stats, strict=True)
            ]
            rows.append([pool.words, day.words, day.type or "", *cells])
            raw.append(
                [
                    pool.name,
                    day.number,
                    day.date,
                    day.type,
                    *(v for s in stats for v in raw_cells(s)),
                ]
            )
    if not rows:
        return None
    return Table(
        "staff_daily",
        "Officers day by day",
        ["pool", "day", "type", *(c.title for c in _DAY_COLUMNS)],
        rows,
        ["pool", "day", "date", "type", *(h for c in _DAY_COLUMNS for h in raw_headers(c.metric))],
        raw,
        "Officer-hours committed and on duty each day after the warm-up (the staff cost by "
        "day; they add up to the whole run's).",
        frozenset({3, 4}),
    )  # fmt: skip


def _day_lines(summary: Summary, pools: tuple[Scope, ...], table: Layout) -> list[str]:
    """Officer-hours committed of on duty, day by day, a column per pool (none without
    days)."""
    if not summary.days:
        return []
    rows = []
    for day in summary.days:
        row = [f"day {day.number}" + (f" {day.date}" if day.date else ""), day.type or ""]
        for pool in pools:
            committed = summary.find(pool, OFFICER_HOURS, day=day.index)
            duty = summary.find(pool, OFFICER_HOURS_ON_DUTY, day=day.index)
            row.append(
                f"{stat_text(OFFICER_HOURS, committed)} of {stat_text(OFFICER_HOURS_ON_DUTY, duty)}"
            )
        rows.append(row)
    return [
        "",
        "Officer-hours by day (committed of on duty, after the warm-up; means over the "
        "replications)",
        *table(["day", "type", *(p.words for p in pools)], rows),
    ]


def officer_lines(summary: Summary, table: Layout, first: int = 0) -> list[str]:
    """The text report's officers: a line per pool with its officer-hours and their
    interval, then each pool hour by hour from hour ``first`` (a forecast: its state's; a
    run of up to two days; nothing without pools)."""
    pools = _pools(summary)
    if not pools:
        return []
    lines = ["", "Officers (staff pools; committed: on a lane, finishing a traveller, moving)"]
    for pool in pools:
        hours = stat_text(OFFICER_HOURS, summary.find(pool, OFFICER_HOURS), interval=True)
        duty = stat_text(OFFICER_HOURS_ON_DUTY, summary.find(pool, OFFICER_HOURS_ON_DUTY))
        mean = stat_text(OFFICERS_BUSY_MEAN, summary.find(pool, OFFICERS_BUSY_MEAN), interval=True)
        most = stat_text(OFFICERS_BUSY_MAX, summary.find(pool, OFFICERS_BUSY_MAX))
        lines.append(
            f"- {pool.words}: {hours} officer-hours committed of {duty} on duty; "
            f"officers committed {mean} on average, {most} at most"
        )
    lines += _day_lines(summary, pools, table)
    for pool in pools:
        count = summary.hours(pool)
        if count > _TEXT_HOURS:
            lines += [
                "",
                f"Officers by hour, {pool.words}: {count} hours, more than the {_TEXT_HOURS} "
                f"this report shows; in the JSON (--json): {'.'.join(pool.path)}.hourly",
            ]
        elif count:
            rows = [[hour_span(h), *_hour_cells(summary, pool, h)[0]] for h in range(first, count)]
            headers = ["hour", *(c.title for c in _HOUR_COLUMNS)]
            lines += ["", f"Officers by hour, {pool.words}", *table(headers, rows)]
    return lines


def staff_by_variant(comparison: Comparison) -> Table | None:
    """Each variant's pools: officer-hours committed (with the interval) and on duty, and
    the paired difference of those committed from the first variant (None without pools)."""
    names = list(comparison.variants)
    base = names[0]
    rows: list[list[str]] = []
    raw: list[list[CsvValue]] = []
    for name in names:
        s = comparison.results[name].summary
        diff = comparison.differences.get(f"{name} - {base}")
        for pool in _pools(s):
            committed, duty = (s.find(pool, m) for m in (OFFICER_HOURS, OFFICER_HOURS_ON_DUTY))
            change = diff.find(pool, OFFICER_HOURS) if diff is not None else None
            rows.append(
                [
                    name,
                    pool.words,
                    stat_text(OFFICER_HOURS, committed, interval=True),
                    stat_text(OFFICER_HOURS_ON_DUTY, duty),
                    difference_text(OFFICER_HOURS, change) if change is not None else "",
                ]
            )
            cells = [*raw_cells(committed), *raw_cells(duty), *raw_cells(change)]
            raw.append([name, pool.name, *cells])
    if not rows:
        return None
    return Table(
        "staff_by_variant",
        "Officers by variant",
        ["variant", "pool", f"{OFFICER_HOURS.words} (95 % interval)",
         OFFICER_HOURS_ON_DUTY.words, f"committed − {base}"],
        rows,
        ["variant", "pool", *raw_headers(OFFICER_HOURS), *raw_headers(OFFICER_HOURS_ON_DUTY),
         "difference", "difference_ci95_low", "difference_ci95_high"],
        raw,
        "Officer-hours after the warm-up; the difference is paired by replication (common "
        "random numbers), with its 95 % interval.",
        frozenset({2, 3, 4}),
    )  # fmt: skip
