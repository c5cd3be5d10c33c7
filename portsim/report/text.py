"""The readable text ``portsim run``, ``compare`` and ``show`` print."""

from __future__ import annotations

import math
from typing import Any

from ..results.figures import resolve_metric
from ..run.simulate import SimulationResult
from ..units import DAY, HOUR, MINUTE, duration_unit, format_duration, format_in_unit
from .days import (
    daily_lines,
    lane_day_lines,
    opening_lines,
    pledge_day_lines,
    staff_lines,
    worst_hours,
)
from .validation import REFERENCE_HEADERS, reference_rows, validation_sentence

__all__ = ["format_comparison", "format_report"]

#: runs up to this many hours get an hour-by-hour table in the text report
HOURLY_TABLE_HOURS = 48


def _num(metric: dict[str, Any], digits: int = 0) -> str:
    value = metric["mean"]
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return f"{value:,.{digits}f}"


def _wait(metric: dict[str, Any], with_ci: bool = False) -> str:
    value = metric["mean"]
    if value is None or math.isnan(value):
        return "-"
    unit = duration_unit(value)
    text = format_in_unit(value, unit)
    ci = metric.get("ci95")
    if with_ci and ci:  # in the value's unit: one cell, one unit
        text += f" ±{format_in_unit((ci[1] - ci[0]) / 2, unit)}"
    return text


def _table(headers: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    lines = [
        "  ".join(
            h.ljust(w) if i == 0 else h.rjust(w)
            for i, (h, w) in enumerate(zip(headers, widths, strict=True))
        )
    ]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append(
            "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )
    return lines


def _clock(seconds: float) -> str:
    """Day and time of day: ``day 1 07:30``."""
    day, rest = divmod(int(seconds), int(DAY))
    return f"day {day + 1} {rest // int(HOUR):02d}:{rest % int(HOUR) // int(MINUTE):02d}"


def _stage_row(name: str, m: dict[str, Any], lanes: str) -> list[str]:
    utilization = m["utilization"]["mean"]
    return [
        name,
        _num(m["served"]),
        _wait(m["wait_mean_s"], with_ci=True),
        _wait(m["wait_p95_s"]),
        _wait(m["wait_max_s"]),
        "-" if utilization is None or math.isnan(utilization) else f"{utilization:.1%}",
        lanes,
        _num(m["queue_mean"], 1) if "queue_mean" in m else "",
        _num(m["queue_max"]),
    ]


def format_report(result: SimulationResult) -> str:
    """Overall, per-stage and per-flow results as aligned text tables (means over the
    replications; ± is the half-width of the 95 % confidence interval)."""
    s = result.summary
    lines = [
        f"{s['scenario']}: {result.replications} replication(s), seed {result.seed}, "
        f"horizon {format_duration(s['horizon_s'])}, warm-up {format_duration(s['warmup_s'])}",
        "Waits are queue times (service start - queue join); ± is the 95 % confidence half-width.",
        "",
        *_flows_table(s),
        *_censored_lines(s),
        *opening_lines(s, _wait),
        "",
        *_stages_table(s),
        *_space_lines(s),
        *staff_lines(s),
        *lane_day_lines(s, _table),
        *_by_time(s),
        *_targets_and_reference(s),
    ]
    if result.warnings:
        lines += ["", "Warnings", *(f"- {w}" for w in result.warnings)]
    return "\n".join(lines)


def _flows_table(s: dict[str, Any]) -> list[str]:
    people = ["", "served", "unfinished", "wait mean", "p95", "max", "time in port"]
    skipped = any((m["no_visit"]["mean"] or 0) > 0 for m in [s["overall"], *s["flows"].values()])
    rows = [
        [
            name,
            _num(m["served"]),
            _num(m["unfinished"]),
            *([_num(m["no_visit"])] if skipped else []),
            _wait(m["wait_mean_s"], with_ci=True),
            _wait(m["wait_p95_s"]),
            _wait(m["wait_max_s"]),
            _wait(m["system_time_mean_s"]),
        ]
        for name, m in [
            ("all flows", s["overall"]),
            *((f"direction {d}", m) for d, m in s.get("directions", {}).items()),
            *_flow_blocks(s["flows"]),
        ]
    ]
    counts = [
        [
            label,
            _num(s[key]["served"]),
            _num(s[key]["unfinished"]),
            *([_num(s[key]["no_visit"])] if skipped else []),
            _wait(s[key]["wait_mean_s"], with_ci=True),
            _wait(s[key]["wait_p95_s"]),
            _wait(s[key]["wait_max_s"]),
            "",
        ]
        for key, label in (("persons", "persons"), ("vehicles", "vehicles"))
        if key in s and s.get("vehicles")
    ]
    if skipped:  # travellers whose route skipped every stage: not served, not in the waits
        people.insert(3, "no stage")
    lines = ["Flows", *_table(people, rows + counts)]
    return lines + _meeting_lines(s["flows"])


def _flow_blocks(flows: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Each flow, then its classes and its passengers who alight, indented."""
    out: list[tuple[str, dict[str, Any]]] = []
    for name, m in flows.items():
        out.append((name, m))
        out += [(f"  {cls}", c) for cls, c in m.get("classes", {}).items()]
        if "passengers" in m:
            out.append(("  passengers", m["passengers"]))
    return out


def _meeting_lines(flows: dict[str, Any]) -> list[str]:
    """Vehicles that wait for their passengers, and passengers who wait for their vehicle."""
    lines = []
    for name, m in flows.items():
        if "passengers" in m:
            lines.append(
                f"- {name}: a vehicle waits for its passengers "
                f"{_wait(m['vehicle_dwell_mean_s'])} on average (at most "
                f"{_wait(m['vehicle_dwell_max_s'])}); its passengers wait for it "
                f"{_wait(m['passengers']['wait_for_vehicle_mean_s'])} (at most "
                f"{_wait(m['passengers']['wait_for_vehicle_max_s'])})"
            )
    return ["", "Meeting points", *lines] if lines else []


#: the share of unfinished travellers from which the report says that the waits are over
#: the finished only, and how long the unfinished had waited
UNFINISHED_SHARE = 0.01


def _censored_lines(s: dict[str, Any]) -> list[str]:
    """For a run that left many travellers unfinished (an overloaded one): the waits above
    are over the finished only; the unfinished had waited at least this long."""
    overall = s["overall"]
    unfinished = overall["unfinished"]["mean"] or 0.0
    counted = unfinished + (overall["served"]["mean"] or 0.0)
    if counted == 0 or unfinished / counted < UNFINISHED_SHARE:
        return []
    lines = [
        f"Waits above are over the travellers who finished: {unfinished / counted:.1%} were "
        "still in port at the horizon. Their waits so far (censored: at least this long):",
    ]
    blocks = [("all flows", overall), *s["flows"].items()]
    for name, m in blocks:
        if (m["unfinished"]["mean"] or 0) > 0:
            lines.append(
                f"- {name}: {_num(m['unfinished'])} unfinished, waited "
                f"{_wait(m['censored_wait_mean_s'])} on average so far, "
                f"{_wait(m['censored_wait_max_s'])} at most"
            )
    return lines


_STAGE_HEADERS = [
    "",
    "served",
    "wait mean",
    "p95",
    "max",
    "utilization",
    "lanes open",
    "queue mean",
    "queue max",
]


def _stages_table(s: dict[str, Any]) -> list[str]:
    rows = []
    for name, m in s["stages"].items():
        groups = m["groups"]
        lanes = sum(g["lanes_open_mean"]["mean"] for g in groups.values())
        rows.append(_stage_row(name, m, f"{lanes:.1f}"))
        if len(groups) > 1:
            rows += [
                _stage_row(f"  {group}", g, f"{g['lanes_open_mean']['mean']:.1f}")
                for group, g in groups.items()
            ]
    return ["Stages and lane groups", *_table(_STAGE_HEADERS, rows)]


def _space_lines(s: dict[str, Any]) -> list[str]:
    spaces = [(name, m) for name, m in s["stages"].items() if "space" in m]
    if not spaces:
        return []
    lines = ["", "Hall space"]
    for name, m in spaces:
        first = m["first_over_space_s"]["mean"]
        lines.append(
            f"- {name}: room for {m['space']:,} waiting; peak {_num(m['queue_max'])}; "
            + (
                "never exceeded"
                if first is None or math.isnan(first)
                else f"exceeded for {format_duration(m['time_over_space_s']['mean'])}, "
                f"first at {_clock(first)}"
            )
        )
    return lines


def _by_time(s: dict[str, Any]) -> list[str]:
    """A run with days: one line a day, then the worst hours; else hour by hour."""
    if s["overall"].get("daily"):
        return daily_lines(s, _num, _wait, _table) + worst_hours(s, _num, _wait, _table)
    return _hourly_table(s)


def _hourly_table(s: dict[str, Any]) -> list[str]:
    hourly = s["overall"]["hourly"]
    if len(hourly) > HOURLY_TABLE_HOURS:
        return [
            "",
            f"By hour: {len(hourly)} hours, more than the {HOURLY_TABLE_HOURS} this report "
            "shows; the hourly figures are in the JSON (--json): overall.hourly, "
            "flows.NAME.hourly and stages.NAME.hourly",
        ]
    rows = [
        [
            f"{_clock(h['hour'] * HOUR)}",
            _num(h["arrived"]),
            _num(h["served"]),
            _wait(h["wait_mean_s"]),
            _wait(h["wait_p95_s"]),
        ]
        for h in hourly
    ]
    return [
        "",
        "By hour (all flows; waits of the travellers who arrived in the hour)",
        *_table(["hour", "arrived", "served", "wait mean", "p95"], rows),
    ]


def _targets_and_reference(summary: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    targets = summary.get("targets", [])
    if targets:
        rows = []
        for t in targets:
            ci = t["share"]["ci95"]
            interval = f"[{ci[0]:.1%}, {ci[1]:.1%}]" if ci else "-"
            scope = (
                f"flow {t['flow']}"
                if t["flow"]
                else (f"stage {t['stage']}" if t["stage"] else "all")
            )
            rows.append(
                [
                    t["name"],
                    scope,
                    f"{t['target']:.0%} within {format_duration(t['wait_within_s'])}",
                    f"{t['share']['mean']:.2%}" if t["share"]["mean"] is not None else "-",
                    interval,
                    t["verdict"],
                ]
            )
        lines += [
            "",
            "Service pledges",
            *_table(["", "for", "pledge", "share", "95 % interval", "verdict"], rows),
            *pledge_day_lines(summary, _table),
        ]
    rows, notes = reference_rows(summary)
    if rows:
        lines += [
            "",
            "Documented figures (calibration: an input the scenario was built from, reproduced "
            "when the 95 % interval meets it; validation: an outcome, reproduced when the "
            "interval lies within what was published)",
            *_table(REFERENCE_HEADERS, rows),
            *(f"[{k}] {note}" for k, note in enumerate(notes, 1)),
            "",
            validation_sentence(summary) or "",
        ]
    return lines


COMPARED = (
    ("wait_mean_s", "wait mean"),
    ("wait_p95_s", "wait p95"),
    ("system_time_mean_s", "time in port"),
)


def format_comparison(comparison: Any) -> str:
    """Each variant's headline waits and the paired differences from the first variant."""
    names = list(comparison.variants)
    base = names[0]
    lines = [
        f"Comparison of {', '.join(names)}: {comparison.replications} replication(s), "
        f"seed {comparison.seed}, common random numbers; differences are each variant minus "
        f"{base!r}, paired by replication, with their 95 % interval.",
    ]
    levels: list[tuple[str, str]] = [("overall", "all flows")]
    first = comparison.results[base].summary
    levels += [(f"flows.{f}", f) for f in first["flows"]]
    compared = list(COMPARED)
    if any("wait_for_opening_mean_s" in r.summary["overall"] for r in comparison.results.values()):
        compared.insert(2, ("wait_for_opening_mean_s", "wait for the opening (mean)"))
    for metric, label in compared:
        rows = []
        for path, row_name in levels:
            row = [row_name]
            for name in names:
                node = resolve_metric(comparison.results[name].summary, path)
                row.append(_wait(node[metric]) if node and metric in node else "-")
            for name in names[1:]:
                diff = resolve_metric(comparison.differences[f"{name} - {base}"], path)
                row.append(_difference(diff[metric]) if diff and metric in diff else "-")
            rows.append(row)
        headers = ["", *names, *(f"{n} - {base}" for n in names[1:])]
        lines += ["", label.capitalize(), *_table(headers, rows)]
    stage_rows = []
    for name in names:
        for stage, m in comparison.results[name].summary["stages"].items():
            stage_rows.append(
                [
                    name,
                    stage,
                    _wait(m["wait_mean_s"], with_ci=True),
                    _wait(m["wait_p95_s"]),
                    f"{m['utilization']['mean']:.1%}",
                    _num(m["queue_max"]),
                ]
            )
    lines += [
        "",
        "Stages",
        *_table(["variant", "stage", "wait mean", "p95", "utilization", "queue max"], stage_rows),
    ]
    for name in names:
        extra = _targets_and_reference(comparison.results[name].summary)
        if extra:
            lines += ["", f"[{name}]", *extra[1:]]
    return "\n".join(lines)


def _difference(metric: dict[str, Any]) -> str:
    value = metric["mean"]
    if value is None or math.isnan(value):
        return "-"
    unit = duration_unit(value)
    text = _signed(value, unit)
    ci = metric.get("ci95")
    if ci:  # in the difference's unit: one cell, one unit
        text += f" [{_signed(ci[0], unit)}, {_signed(ci[1], unit)}]"
    return text


def _signed(seconds: float, unit: tuple[float, str, int]) -> str:
    return ("+" if seconds >= 0 else "-") + format_in_unit(abs(seconds), unit)
