"""The readable text ``portsim run``, ``compare`` and ``show`` print."""

from __future__ import annotations

import math

from ..model.model import Model
from ..results.catalog import (
    ARRIVED,
    CENSORED_WAIT_MAX,
    CENSORED_WAIT_MEAN,
    FIRST_OVER_SPACE,
    LANES_OPEN_MEAN,
    NO_VISIT,
    QUEUE_MAX,
    QUEUE_MEAN,
    SERVED,
    SHARE,
    TIME_IN_PORT,
    TIME_OVER_SPACE,
    UNFINISHED,
    UTILIZATION,
    VEHICLE_DWELL_MAX,
    VEHICLE_DWELL_MEAN,
    WAIT_FOR_OPENING_MEAN,
    WAIT_FOR_VEHICLE_MAX,
    WAIT_FOR_VEHICLE_MEAN,
    WAIT_MAX,
    WAIT_MEAN,
    WAIT_P95,
    WAITING_OUTSIDE,
    Metric,
)
from ..results.scopes import OVERALL, Scope
from ..results.summary import Summary
from ..run.compare import Comparison
from ..run.simulate import SimulationResult
from ..units import format_duration
from .answer import comparison_answer
from .assumptions import assumptions_lines, compared_assumptions_lines
from .bus_text import left_at_bus_stops, shuttle_lines
from .cells import difference_text, hour_span, interval_text, stat_text, value_text
from .days import (
    daily_lines,
    lane_day_lines,
    opening_lines,
    pledge_day_lines,
    staff_lines,
    worst_hours,
)
from .forecast import first_hour, forecast_heading, forecast_lines, forecast_start
from .observed import observed_lines
from .observed_variants import variants_lines
from .staff import officer_lines, staff_by_variant
from .tables import traveller_scopes
from .validation import REFERENCE_HEADERS, reference_rows, validation_sentence
from .versus import compared_scopes

__all__ = ["format_comparison", "format_report"]

#: runs up to this many hours get an hour-by-hour table in the text report
HOURLY_TABLE_HOURS = 48


def _table(headers: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )

    return [line(headers), "  ".join("-" * w for w in widths), *map(line, rows)]


def _row(s: Summary, label: str, scope: Scope, metrics: list[Metric], lead: Metric) -> list[str]:
    """A scope's cells: each metric's mean, the ``lead`` one with its interval."""
    return [label, *(stat_text(m, s.find(scope, m), interval=m is lead) for m in metrics)]


def format_report(result: SimulationResult) -> str:
    """Overall, per-stage and per-flow results as aligned text tables (means over the
    replications; the mean wait with its 95 % confidence interval)."""
    s = result.summary
    model = result.model
    lines = [
        f"{result.scenario.name}: {result.replications} replication(s), seed {result.seed}, "
        f"horizon {format_duration(model.horizon)}, "
        + (
            f"warm-up {format_duration(model.warmup)}"
            if model.initial is None
            else f"forecast from {forecast_start(model)}"
        ),
        *([heading] if (heading := forecast_heading(model)) else []),
        "Waits are queue times (service start - queue join); in brackets, the 95 % "
        "confidence interval.",
        "",
        *_flows_table(s),
        *_censored_lines(s),
        *opening_lines(s),
        "",
        *_stages_table(s),
        *_space_lines(s),
        *shuttle_lines(s),
        *staff_lines(s),
        *officer_lines(s, _table, first_hour(model)),
        *lane_day_lines(s, _table),
        *_by_time(s, first_hour(model)),
        *_pledges_and_reference(s),
        *_forecast(s, model),
        *observed_lines(result.observed),
        *assumptions_lines(result.scenario.assumptions),
    ]
    if result.warnings:
        lines += ["", "Warnings", *(f"- {w}" for w in result.warnings)]
    return "\n".join(lines)


_FLOW_METRICS = [SERVED, UNFINISHED, WAIT_MEAN, WAIT_P95, WAIT_MAX, TIME_IN_PORT]


def _flows_table(s: Summary) -> list[str]:
    scopes = [("all travellers" if sc is OVERALL else label.removeprefix("flow "), sc)
              for label, sc in traveller_scopes(s)]  # fmt: skip
    skipped = any(s.mean(scope, NO_VISIT) > 0 for _, scope in scopes)
    metrics = list(_FLOW_METRICS)
    if skipped:  # travellers whose route skipped every stage: not served, not in the waits
        metrics.insert(2, NO_VISIT)
    headers = ["", *(m.words for m in metrics)]
    rows = [_row(s, label, scope, metrics, WAIT_MEAN) for label, scope in scopes]
    return ["Flows", *_table(headers, rows), *_meeting_lines(s)]


def _meeting_lines(s: Summary) -> list[str]:
    """Vehicles that wait for their passengers, and passengers who wait for their vehicle."""
    lines = []
    for passengers in s.scopes("passengers"):
        flow = Scope.flow(passengers.name)
        lines.append(
            f"- {flow.name}: a vehicle waits for its passengers "
            f"{stat_text(VEHICLE_DWELL_MEAN, s.find(flow, VEHICLE_DWELL_MEAN))} on average (at "
            f"most {stat_text(VEHICLE_DWELL_MAX, s.find(flow, VEHICLE_DWELL_MAX))}); its "
            f"passengers wait for it "
            f"{stat_text(WAIT_FOR_VEHICLE_MEAN, s.find(passengers, WAIT_FOR_VEHICLE_MEAN))} (at "
            f"most {stat_text(WAIT_FOR_VEHICLE_MAX, s.find(passengers, WAIT_FOR_VEHICLE_MAX))})"
        )
    return ["", "Meeting points", *lines] if lines else []


#: the share of unfinished travellers from which the report says that the waits are over
#: the finished only, and how long the unfinished had waited
UNFINISHED_SHARE = 0.01


def _censored_lines(s: Summary) -> list[str]:
    """For a run that left many travellers unfinished (an overloaded one, or a port closed
    at the horizon): the waits above are over the finished only; those in port had waited
    at least this long; those waiting outside for an opening had queued nowhere yet."""
    unfinished = s.mean(OVERALL, UNFINISHED) or 0.0
    counted = unfinished + (s.mean(OVERALL, SERVED) or 0.0)
    if counted == 0 or unfinished / counted < UNFINISHED_SHARE:
        return []
    so_far = (
        "Their waits so far (censored: at least this long):"
        if not s.has(OVERALL, WAITING_OUTSIDE)
        else "Those in port had waited at least this long so far (censored); those waiting "
        "outside for an opening had not queued yet:"
    )
    lines = [
        f"Waits above are over the travellers who finished: {unfinished / counted:.1%} were "
        f"not through the port at the horizon. {so_far}"
    ]
    for name, scope in [("all travellers", OVERALL), *((f.name, f) for f in s.scopes("flow"))]:
        if (s.mean(scope, UNFINISHED) or 0) > 0:
            lines.append(f"- {name}: {_unfinished(s, scope)}")
    lines += left_at_bus_stops(s)  # the wait for a bus is no queue wait: said apart
    return lines


def _unfinished(s: Summary, scope: Scope) -> str:
    """``1,612 unfinished, waited 3.0 min on average so far, 12.0 min at most``; with
    opening hours, those in port apart from those waiting outside for an opening (who have
    no wait so far: the censored waits are over those in port)."""
    total = f"{stat_text(UNFINISHED, s.find(scope, UNFINISHED))} unfinished"
    waited = (
        f"waited {stat_text(CENSORED_WAIT_MEAN, s.find(scope, CENSORED_WAIT_MEAN))} on "
        f"average so far, {stat_text(CENSORED_WAIT_MAX, s.find(scope, CENSORED_WAIT_MAX))} at "
        "most"
    )
    outside = s.find(scope, WAITING_OUTSIDE)
    if outside is None or not outside.mean:  # no opening hours, or nobody outside
        return f"{total}, {waited}"
    away = "waiting outside for the port (or a stage) to open, not queued there yet"
    if not s.mean(scope, CENSORED_WAIT_MEAN) >= 0:  # nobody in port in any replication
        return f"{total}, all {away}"
    inside = value_text(UNFINISHED, s.mean(scope, UNFINISHED) - outside.mean)
    return f"{total}: {inside} in port, {waited}; {stat_text(WAITING_OUTSIDE, outside)} {away}"


_STAGE_METRICS = [SERVED, WAIT_MEAN, WAIT_P95, WAIT_MAX, UTILIZATION]
_STAGE_HEADERS = [
    "",
    *(m.words for m in (*_STAGE_METRICS, LANES_OPEN_MEAN, QUEUE_MEAN, QUEUE_MAX)),
]


def _stage_row(s: Summary, label: str, scope: Scope, lanes: float) -> list[str]:
    queue_mean = s.find(scope, QUEUE_MEAN)
    return [
        *_row(s, label, scope, _STAGE_METRICS, WAIT_MEAN),
        value_text(LANES_OPEN_MEAN, lanes),
        "" if queue_mean is None else stat_text(QUEUE_MEAN, queue_mean),
        stat_text(QUEUE_MAX, s.find(scope, QUEUE_MAX)),
    ]


def _stages_table(s: Summary) -> list[str]:
    rows = []
    for stage in s.scopes("stage"):
        groups = s.scopes("group", stage.name)
        lanes = sum(s.mean(g, LANES_OPEN_MEAN) for g in groups)
        rows.append(_stage_row(s, stage.name, stage, lanes))
        if len(groups) > 1:
            rows += [_stage_row(s, f"  {g.group}", g, s.mean(g, LANES_OPEN_MEAN)) for g in groups]
    return ["Stages and lane groups", *_table(_STAGE_HEADERS, rows)]


def _space_lines(s: Summary) -> list[str]:
    spaces = (s.run.space or {}) if s.run is not None else {}
    if not spaces:
        return []
    lines = ["", "Hall space"]
    for name, space in spaces.items():
        stage = Scope.stage(name)
        first = s.mean(stage, FIRST_OVER_SPACE)
        over = (
            "never exceeded"
            if math.isnan(first)  # never
            else f"exceeded for {stat_text(TIME_OVER_SPACE, s.find(stage, TIME_OVER_SPACE))}, "
            f"first at {value_text(FIRST_OVER_SPACE, first)}"
        )
        peak = stat_text(QUEUE_MAX, s.find(stage, QUEUE_MAX))
        lines.append(f"- {name}: room for {space:,} waiting; peak {peak}; {over}")
    return lines


def _by_time(s: Summary, start: int = 0) -> list[str]:
    """A run with days: one line a day, then the worst hours; else hour by hour (from the
    hour ``start``: a forecast's first)."""
    if s.days:
        return daily_lines(s, _table) + worst_hours(s, _table)
    return _hourly_table(s, start)


def _forecast(s: Summary, model: Model) -> list[str]:
    """A forecast from a state: when each pledge is first missed."""
    lines = forecast_lines(s, model)
    return (
        ["", "Forecast by pledge (the first hour whose arrivals miss it)", *lines] if lines else []
    )


def _hourly_table(s: Summary, start: int = 0) -> list[str]:
    hours = s.hours(OVERALL)
    if hours - start > HOURLY_TABLE_HOURS:
        return [
            "",
            f"By hour: {hours} hours, more than the {HOURLY_TABLE_HOURS} this report "
            "shows; the hourly figures are in the JSON (--json): overall.hourly, "
            "flows.NAME.hourly and stages.NAME.hourly",
        ]
    metrics = (ARRIVED, SERVED, WAIT_MEAN, WAIT_P95)
    rows = [
        [hour_span(h), *(stat_text(m, s.find(OVERALL, m, hour=h)) for m in metrics)]
        for h in range(start, hours)
    ]
    headers = ["hour", ARRIVED.words, "left", WAIT_MEAN.words, WAIT_P95.words]
    return [
        "",
        "By hour (all travellers; waits of the travellers who arrived in the hour)",
        *_table(headers, rows),
    ]


def _pledges_and_reference(s: Summary) -> list[str]:
    lines: list[str] = []
    if s.pledges:
        rows = [
            [
                p.name,
                p.for_whom,
                f"{p.pledged:.0%} within {format_duration(p.wait_within)}",
                stat_text(SHARE, p.share),
                interval_text(SHARE, p.share),
                p.verdict,
            ]
            for p in s.pledges
        ]
        lines += [
            "",
            "Service pledges",
            *_table(["", "for", "pledge", "achieved", "95 % interval", "verdict"], rows),
            *pledge_day_lines(s, _table),
        ]
    rows, notes = reference_rows(s)
    if rows:
        lines += [
            "",
            "Documented figures (calibration: an input the scenario was built from, reproduced "
            "when the 95 % interval meets it; validation: an outcome, reproduced when the "
            "interval lies within what was published)",
            *_table(REFERENCE_HEADERS, rows),
            *(f"[{k}] {note}" for k, note in enumerate(notes, 1)),
            "",
            validation_sentence(s) or "",
        ]
    return lines


def format_comparison(comparison: Comparison) -> str:
    """Each variant's metrics the comparison is judged on (time in port beside the waits,
    in its order) and the paired differences from the first variant."""
    names = list(comparison.variants)
    base = names[0]
    answer = comparison_answer(comparison)
    first = comparison.results[base].model
    lines = [
        *([heading] if (heading := forecast_heading(first)) else []),
        f"Comparison of {', '.join(names)}: {comparison.replications} replication(s), "
        f"seed {comparison.seed}, common random numbers; differences are each variant minus "
        f"{base!r}, paired by replication, with their 95 % interval.",
        "",
        answer.headline,
        *(f"- {point}" for point in answer.points),
    ]
    scopes = [(label.removeprefix("flow "), scope) for label, scope in compared_scopes(comparison)]
    compared = list(comparison.judged_on)
    if any(r.summary.has(OVERALL, WAIT_FOR_OPENING_MEAN) for r in comparison.results.values()):
        compared.append(WAIT_FOR_OPENING_MEAN)
    for m in compared:
        rows = []
        for label, scope in scopes:
            row = [label]
            row += [stat_text(m, comparison.results[n].summary.find(scope, m)) for n in names]
            row += [
                difference_text(m, comparison.differences[f"{n} - {base}"].find(scope, m))
                for n in names[1:]
            ]
            rows.append(row)
        headers = ["", *names, *(f"{n} - {base}" for n in names[1:])]
        lines += ["", m.words.capitalize(), *_table(headers, rows)]
    stage_rows = []
    per_stage = (WAIT_MEAN, WAIT_P95, UTILIZATION, QUEUE_MAX)
    for name in names:
        s = comparison.results[name].summary
        for stage in s.scopes("stage"):
            stage_rows.append(
                [
                    name,
                    stage.name,
                    *(stat_text(m, s.find(stage, m), interval=m is WAIT_MEAN) for m in per_stage),
                ]
            )
    lines += [
        "",
        "Stages",
        *_table(["variant", "stage", *(m.words for m in per_stage)], stage_rows),
    ]
    staff = staff_by_variant(comparison)
    if staff is not None:
        lines += ["", staff.title, *_table(staff.headers, staff.rows)]
    lines += compared_assumptions_lines(
        {n: comparison.results[n].scenario.assumptions for n in names}
    )
    for name in names:
        result = comparison.results[name]
        extra = _pledges_and_reference(result.summary)
        extra += _forecast(result.summary, result.model)
        if extra:
            lines += ["", f"[{name}]", *extra[1:]]
    lines += variants_lines(comparison)
    return "\n".join(lines)
