"""The text ``portsim sweep``, ``plan``, ``capacity`` and ``report STORE`` print."""

from __future__ import annotations

from ...planning.capacity import CapacityResult
from ...planning.confirm import Evidence
from ...planning.plan import PlanResult
from ...planning.requests import PlanningResult
from ...planning.staffing import StaffingResult
from ...planning.sweep import SweepResult
from ...results.catalog import SERVED, SHARE, WAIT_MEAN, WAIT_P95, Metric, row_metric
from ...results.scopes import OVERALL
from ..cells import stat_text
from ..text import _table

__all__ = ["format_capacity", "format_plan", "format_planning", "format_staffing", "format_sweep"]


def _column_metric(column: str) -> Metric:
    """The catalog's metric of a sweep's column (a metric path of the run JSON)."""
    return row_metric(column.rsplit(".", 1)[-1])[0]


def _cell(result: SweepResult, row: tuple[object, ...], column: str) -> str:
    """A metric of one configuration: its mean and 95 % interval, in one unit."""
    stat = result.stat(row, column)
    return stat_text(_column_metric(column), stat, interval=True)


def _header(column: str) -> str:
    """``overall p95 wait``, ``visitors mean wait``: the scope and the metric's words."""
    head, _, _ = column.rpartition(".")
    who = head.rsplit(".", 1)[-1] if "." in head else head
    return f"{who} {_column_metric(column).words}"


def format_sweep(result: SweepResult) -> str:
    """One line per configuration: the varied values, served, the overall and per-flow
    mean and 95th-percentile waits, and each pledge's share and verdict (the full table,
    every metric with its interval, is in ``--csv`` and ``--json``)."""
    names = [p.name for p in result.parameters]
    overall = [OVERALL.metric_path(m) for m in (SERVED, WAIT_MEAN, WAIT_P95)]
    shown: list[str] = [c for c in overall if c in result.columns]
    p95 = f".{WAIT_P95.name}"
    shown += [c for c in result.columns if c.startswith("flows.") and c.endswith(p95)]
    share = f".{SHARE.name}"
    shares = [c for c in result.columns if c.startswith("targets.") and c.endswith(share)]
    verdicts = [c[: -len(share)] + ".verdict" for c in shares]
    headers = [*names, *(_header(c) for c in shown)]
    headers += [c[len("targets.") : -len(share)] for c in shares]
    rows = []
    for row in result.rows:
        cells = [str(row[result.columns.index(n)]) for n in names]
        cells += [_cell(result, row, c) for c in shown]
        cells += [
            f"{_cell(result, row, s)} {row[result.columns.index(v)]}"
            for s, v in zip(shares, verdicts, strict=True)
        ]
        rows.append(cells)
    lines = [
        f"sweep: {len(result.rows)} configurations x {result.replications} replications, "
        f"seed {result.seed} (same replications for every configuration); "
        f"{result.simulated} runs simulated, {result.reused} from the store",
        "",
        *_table(headers, rows),
    ]
    for label, warnings in result.warnings.items():
        lines += [f"warning: {label}: {w}" for w in warnings]
    return "\n".join(lines)


def _evidence(evidence: Evidence, indent: str = "  ") -> list[str]:
    lines = [f"{indent}{c.describe()}" for c in evidence.checks]
    if evidence.status == "inconclusive":
        lines.append(f"{indent}inconclusive after {evidence.replications} replications (the cap)")
    return lines


def _runs(simulated: int, reused: int, grid: str, grid_runs: int) -> str:
    return (
        f"runs: {simulated + reused} ({simulated} simulated, {reused} from the store) against "
        f"at least {grid_runs} for {grid}"
    )


def format_plan(result: PlanResult) -> str:
    """The cheapest configuration, its checks, the cheaper ones that fail and why, the runs."""
    if result.chosen is None:
        lines = ["no configuration of the grid meets every target"]
    else:
        lines = [
            f"cheapest configuration: {result.chosen.configuration.label()} "
            f"(cost {result.cost:g}, {result.chosen.replications} replications)",
            *_evidence(result.chosen),
        ]
        for evidence in result.cheaper:
            lines += [
                f"one step cheaper: {evidence.configuration.label()}: {evidence.status}",
                *_evidence(evidence),
            ]
    lines += [
        f"{len(result.judged)} of {result.grid_configurations} configurations judged "
        f"({result.method}); replications per candidate {result.replications} to "
        f"{result.max_replications}",
        _runs(result.simulated, result.reused, "the whole grid", result.grid_runs),
    ]
    return "\n".join(lines)


def format_capacity(result: CapacityResult) -> str:
    """The largest demand factor meeting the targets, with the evidence on either side."""
    lo, hi = result.factors[0], result.factors[-1]
    if result.chosen is None or result.factor is None:
        lines = [f"no factor from {lo:g} to {hi:g} meets every target"]
    else:
        lines = [f"largest demand meeting every target: x{result.factor:g}"]
        lines += [f"  {path} = {value:,.6g}" for path, value in result.values.items()]
        lines += _evidence(result.chosen)
        if result.factor == hi:
            lines.append(f"  (the largest factor tried, {hi:g}: the capacity may be higher)")
    if result.next_up is not None:
        lines += [
            f"the next factor up: {result.next_up.configuration.label()}: {result.next_up.status}",
            *_evidence(result.next_up),
        ]
    lines += [
        f"{len(result.judged)} of {len(result.factors)} factors judged ({result.method})",
        _runs(result.simulated, result.reused, "every factor", result.grid_runs),
    ]
    return "\n".join(lines)


def format_staffing(result: StaffingResult) -> str:
    """The hourly schedule as YAML to paste into the scenario, and its lane-hours."""
    if result.counts is None or result.chosen is None:
        fixed = "" if result.fixed is None else f" (the best fixed count is {result.fixed})"
        return f"no hourly schedule of {result.group} meets every target{fixed}"
    yaml = "schedule:\n" + "\n".join(
        f"  - {{from: {e['from']}, to: {e['to']}, count: {e['count']}}}" for e in result.entries()
    )
    lines = [
        f"fewest lanes by hour for {result.group} (paste in place of its count):",
        "",
        *(f"  {line}" for line in yaml.splitlines()),
        "",
        f"planned lane-hours over the {len(result.counts)} hours: {result.lane_hours} against "
        f"{result.fixed_lane_hours} for the best fixed count ({result.fixed} lanes all along)",
        *_evidence(result.chosen),
        f"runs: {result.simulated + result.reused} ({result.simulated} simulated, "
        f"{result.reused} from the store), {result.judgements} judgements",
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
