"""The text ``portsim sweep``, ``plan``, ``capacity`` and ``report STORE`` print, in a
planner's words (:mod:`.words`): headers from the catalog's words with one unit a column,
hours as clock intervals, capacity in travellers a day and in the busiest hour; the code
each header stands for (a path, a target as typed) in a legend under the table."""

from __future__ import annotations

from ...model.days import Days
from ...planning.capacity import CapacityResult
from ...planning.confirm import MET, Evidence
from ...planning.labels import configuration_words
from ...planning.officers import COST_WORDS, PoolHours, costs_shifts
from ...planning.plan import PlanResult
from ...planning.requests import PlanningResult
from ...planning.staffing import StaffingResult
from ...planning.sweep import SweepResult
from ...results.catalog import (
    OFFICER_HOURS,
    OFFICER_HOURS_ON_DUTY,
    SERVED,
    SHARE,
    SHUTTLE_AT_STOP,
    SHUTTLE_WAIT_MEAN,
    TIME_IN_PORT,
    WAIT_MEAN,
    WAIT_P95,
)
from ...results.scopes import OVERALL
from ...units import counted
from ..cells import stat_text
from ..text import _table
from .capacity_words import capacity_sentence, demand_at, factor_words
from .view import planning_answer, schedule_span_words
from .words import (
    ColumnUnit,
    check_words,
    column_words,
    condition_words,
    legend_lines,
    parameter_words,
    path_words,
    share_words,
    sweep_warnings,
)

__all__ = ["format_capacity", "format_plan", "format_planning", "format_staffing", "format_sweep"]

#: the title of a legend under a table: what each header stands for
LEGEND = "What the headers stand for (the paths --vary, --target and the CSV take):"


def sweep_columns(result: SweepResult) -> list[str]:
    """The metric columns the text shows: all travellers' served, mean and 95th-percentile
    wait, each flow's 95th-percentile wait, each staff pool's officer-hours committed, each
    pledge's share (with its verdict). Where a bus on demand leaves a stage, also all
    travellers' time in port and each stop's wait for the bus and those left there at the
    end: that wait is in no queue wait."""
    overall = [OVERALL.metric_path(m) for m in (SERVED, WAIT_MEAN, WAIT_P95)]
    shown: list[str] = [c for c in overall if c in result.columns]
    p95 = f".{WAIT_P95.name}"
    shown += [c for c in result.columns if c.startswith("flows.") and c.endswith(p95)]
    hours = f".{OFFICER_HOURS.name}"
    shown += [c for c in result.columns if c.startswith("staff.") and c.endswith(hours)]
    buses = [
        c
        for c in result.columns
        if c.startswith("stages.")
        and c.endswith((f".{SHUTTLE_WAIT_MEAN.name}", f".{SHUTTLE_AT_STOP.name}"))
    ]
    if buses:
        shown += [c for c in (OVERALL.metric_path(TIME_IN_PORT),) if c in result.columns]
        shown += buses
    share = f".{SHARE.name}"
    shown += [c for c in result.columns if c.startswith("targets.") and c.endswith(share)]
    return shown


def sweep_header(result: SweepResult, column: str) -> str:
    """A metric column's words without its unit: ``all travellers: mean wait``; a pledge's
    share as its condition says it (``share of all travellers within 30 min``)."""
    if column.startswith("targets."):
        name = column[len("targets.") : -len(f".{SHARE.name}")]
        for t in result.targets:
            if t.pledge is not None and t.pledge.name == name:
                return share_words(t.pledge)
        return f"pledge {name}: share within its wait"
    found = column_words(column)
    return found[0] if found else column


def sweep_unit(result: SweepResult, column: str) -> ColumnUnit:
    """The one unit of a column, from its means (a duration: s, min or h)."""
    found = column_words(column)
    metric = found[1] if found else SERVED
    means = [s.mean for row in result.rows if (s := result.stat(row, column)) is not None]
    return ColumnUnit.of(metric, means)


def format_sweep(result: SweepResult) -> str:
    """The answer first, as the HTML report and a notebook give it (how many configurations
    meet every target, the smallest and the runner-up:
    :func:`~portsim.report.planning.view.planning_answer`), then one line per configuration:
    the varied values, served, the overall and per-flow mean and 95th-percentile waits, and
    each pledge's share and verdict (the full table, every metric with its interval, is in
    ``--csv`` and ``--json``); headers in words with the column's unit, and a legend of the
    paths they stand for."""
    names = [p.name for p in result.parameters]
    shown = sweep_columns(result)
    units = [sweep_unit(result, c) for c in shown]
    words = [sweep_header(result, c) for c in shown]
    headers = [*(parameter_words(p) for p in result.parameters)]
    headers += [u.header(w) for u, w in zip(units, words, strict=True)]
    rows = []
    for row in result.rows:
        cells = [str(row[result.columns.index(n)]) for n in names]
        for column, unit in zip(shown, units, strict=True):
            stat = result.stat(row, column)
            text = unit.interval(stat.mean, stat.interval) if stat else "-"
            if column.startswith("targets."):
                verdict = column[: -len(SHARE.name)] + "verdict"
                text += (
                    f" {row[result.columns.index(verdict)]}" if verdict in result.columns else ""
                )
            cells.append(text)
        rows.append(cells)
    legend = [(parameter_words(p), p.path or p.name) for p in result.parameters]
    legend += list(zip(words, shown, strict=True))
    answer = planning_answer(result, "command")
    lines = [
        answer.headline,
        *(f"- {point}" for point in answer.points),
        "",
        f"sweep: {counted(len(result.rows), 'configuration')} x "
        f"{counted(result.replications, 'replication')}, "
        f"seed {result.seed} (same replications for every configuration); "
        f"{counted(result.simulated, 'run')} simulated, {result.reused} from the store",
        "In each cell: the mean over the replications and its 95 % interval, in the column's unit.",
        "",
        *_table(headers, rows),
        *legend_lines(legend, LEGEND),
    ]
    lines += [f"warning: {w}" for w in sweep_warnings(result)]
    return "\n".join(lines)


def _evidence(evidence: Evidence, days: Days | None = None, *, failing: bool = False) -> list[str]:
    """Each check in words, indented (``failing``: only those not met)."""
    indent = "  "
    checks = [c for c in evidence.checks if not failing or c.status != MET]
    lines = [f"{indent}{check_words(c, days)}" for c in checks]
    if evidence.status == "inconclusive":
        lines.append(f"{indent}inconclusive after {evidence.replications} replications (the cap)")
    return lines


def _targets(evidence: Evidence | None) -> list[str]:
    """The legend of the targets: each in words, and as typed."""
    checks = evidence.checks if evidence is not None else ()
    pairs = [(condition_words(c.condition), c.condition.text) for c in checks]
    return legend_lines(pairs, "The targets as given:")


def _runs(simulated: int, reused: int, grid: str, grid_runs: int) -> str:
    return (
        f"runs: {simulated + reused} ({simulated} simulated, {reused} from the store) against "
        f"at least {grid_runs} for {grid}"
    )


def _configuration(result: PlanResult, evidence: Evidence) -> str:
    """``egates at hall (lanes) 9, counters at hall (lanes) 8``; a staff pool's ``52
    officers (officers pool)``."""
    return configuration_words(result.parameters, evidence.configuration.values)


def _officers(pools: tuple[PoolHours, ...]) -> list[str]:
    """Each pool's officer-hours in the answer, committed of on duty, with the interval."""
    return [
        f"  {p.pool} pool: {stat_text(OFFICER_HOURS, p.committed, interval=True)} "
        f"officer-hours committed of {stat_text(OFFICER_HOURS_ON_DUTY, p.on_duty)} on duty "
        "(after the warm-up)"
        for p in pools
    ]


def _cost_words(result: PlanResult) -> list[str]:
    """What a plan's cost means when it prices a shift's officers."""
    return [f"  cost: {COST_WORDS}"] if costs_shifts(result.parameters) else []


def format_plan(result: PlanResult) -> str:
    """The cheapest configuration, its checks, the cheaper ones that fail and why, the runs."""
    days = result.days
    if result.chosen is None:
        lines = ["no configuration of the grid meets every target"]
    else:
        words = _configuration(result, result.chosen)
        facts = f"cost {result.cost:g}, {result.chosen.replications} replications"
        lines = [
            # a staff pool's words end in brackets: "52 officers (officers pool); cost 52, …"
            f"cheapest configuration: {words}; {facts}"
            if words.endswith(" pool)")
            else f"cheapest configuration: {words} ({facts})",
            *_cost_words(result),
            *_officers(result.officers),
            *_evidence(result.chosen, days),
        ]
        for evidence in result.cheaper:
            lines += [
                f"one step cheaper: {_configuration(result, evidence)}: {evidence.status}",
                *_evidence(evidence, days),
            ]
    lines += [
        f"{len(result.judged)} of {counted(result.grid_configurations, 'configuration')} "
        f"judged ({result.method}); replications per candidate {result.replications} to "
        f"{result.max_replications}",
        _runs(result.simulated, result.reused, "the whole grid", result.grid_runs),
    ]
    legend = [(parameter_words(p), p.path or p.name) for p in result.parameters]
    lines += legend_lines(legend, "What the names stand for (the paths --vary takes):")
    lines += _targets(result.chosen or (result.judged[0] if result.judged else None))
    return "\n".join(lines)


def format_capacity(result: CapacityResult) -> str:
    """The most demand meeting the targets, in travellers a day and in the busiest hour
    (the factor a detail), with the evidence on either side."""
    hi = result.factors[-1]
    days = result.days
    lines = [capacity_sentence(result)]
    if result.chosen is not None and result.factor is not None:
        lines += [
            f"  in the scenario file: {path} = {value:,.6g}"
            for path, value in result.values.items()
        ]
        lines += _evidence(result.chosen, days)
        if result.factor == hi:
            lines.append(
                f"  ({factor_words(hi)} is the largest factor tried: the capacity may be higher)"
            )
    if result.next_up is not None:
        e = result.next_up
        factor = float(dict(e.configuration.values)["scale"])
        if result.factor is None:  # the smallest factor: the first line has its demand
            lines.append(f"at the smallest factor, {factor_words(factor)}, {e.status} because:")
            lines += _evidence(e, days, failing=True)
        else:
            lines.append(
                f"{e.status} at the next factor up: {demand_at(result, factor, others=False)}"
            )
            lines += _evidence(e, days)
    lines += [
        f"{len(result.judged)} of {counted(len(result.factors), 'factor')} judged "
        f"({result.method}); "
        "travellers a day and in the busiest hour: expected arrivals from the scenario's "
        "arrivals, not counts from the runs",
        _runs(result.simulated, result.reused, "every factor", result.grid_runs),
    ]
    lines += _targets(result.chosen or (result.judged[0] if result.judged else None))
    return "\n".join(lines)


def schedule_span(start: object, end: object) -> str:
    """A schedule entry's hours (``9h``, ``10h``) as a clock interval: ``09:00–10:00``."""
    first, last = (int(str(h).removesuffix("h")) for h in (start, end))
    return f"{first:02d}:00–{last:02d}:00"


def format_staffing(result: StaffingResult) -> str:
    """The hourly schedule in words and as YAML to paste into the scenario, and its
    lane-hours (a staff pool's: the fewest officers by hour, and their officer-hours)."""
    unit = result.unit
    if result.counts is None or result.chosen is None:
        fixed = "" if result.fixed is None else f" (the best fixed count is {result.fixed})"
        return f"no hourly schedule of {result.group} meets every target{fixed}"
    entries = result.entries()
    yaml = "schedule:\n" + "\n".join(
        f"  - {{from: {e['from']}, to: {e['to']}, count: {e['count']}}}" for e in entries
    )
    one = unit.removesuffix("s")  # lane, officer
    spans = [
        f"  {schedule_span(e['from'], e['to'])}: {counted(int(str(e['count'])), one, unit)}"
        for e in entries
    ]
    over, along = schedule_span_words(len(result.counts))
    who, hours = path_words(result.group), result.unit_hours
    lines = [
        f"fewest {unit} by hour for {who} ({result.group}):",
        *spans,
        "",
        "to paste in place of its count:",
        "",
        *(f"  {line}" for line in yaml.splitlines()),
        "",
        f"planned {hours} {over}: {result.lane_hours} against "
        f"{result.fixed_lane_hours} for the best fixed count "
        f"({result.fixed if result.fixed is None else counted(result.fixed, one, unit)} {along})",
        *_officers(result.officers),
        *_evidence(result.chosen, result.days),
        f"runs: {result.simulated + result.reused} ({result.simulated} simulated, "
        f"{result.reused} from the store), {result.judgements} judgements",
        *_targets(result.chosen),
    ]
    return "\n".join(lines)


def format_planning(kind: str, result: PlanningResult) -> str:
    """Any planning result, by kind (for ``portsim report STORE``)."""
    if isinstance(result, SweepResult):
        return format_sweep(result)
    if isinstance(result, PlanResult):
        return format_plan(result)
    if isinstance(result, StaffingResult):
        return format_staffing(result)
    if isinstance(result, CapacityResult):
        return format_capacity(result)
    raise TypeError(f"not a planning result: {kind}")
