"""The readable table ``portsim run`` prints."""

from __future__ import annotations

import math
from typing import Any

from .simulation import SimulationResult
from .units import format_duration

__all__ = ["format_report"]


def _num(metric: dict[str, Any], digits: int = 0) -> str:
    value = metric["mean"]
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return f"{value:,.{digits}f}"


def _wait(metric: dict[str, Any], with_ci: bool = False) -> str:
    value = metric["mean"]
    if value is None or math.isnan(value):
        return "-"
    text = format_duration(value)
    ci = metric.get("ci95")
    if with_ci and ci:
        text += f" ±{format_duration((ci[1] - ci[0]) / 2)}"
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
    day, rest = divmod(int(seconds), 86_400)
    return f"day {day + 1} {rest // 3600:02d}:{rest % 3600 // 60:02d}"


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
    scenario = result.scenario
    lines = [
        f"{s['scenario']}: {result.replications} replication(s), seed {result.seed}, "
        f"horizon {format_duration(scenario.horizon)}, warm-up {format_duration(scenario.warmup)}",
        "Waits are queue times (service start - queue join); ± is the 95 % confidence half-width.",
        "",
    ]
    people = ["", "served", "unfinished", "wait mean", "p95", "max", "time in port"]
    rows = [
        [
            name,
            _num(m["served"]),
            _num(m["unfinished"]),
            _wait(m["wait_mean_s"], with_ci=True),
            _wait(m["wait_p95_s"]),
            _wait(m["wait_max_s"]),
            _wait(m["system_time_mean_s"]),
        ]
        for name, m in [("all flows", s["overall"]), *s["flows"].items()]
    ]
    lines += ["Flows", *_table(people, rows), ""]
    stage_headers = [
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
    lines += ["Stages and lane groups", *_table(stage_headers, rows)]
    spaces = [(name, m) for name, m in s["stages"].items() if "space" in m]
    if spaces:
        lines += ["", "Hall space"]
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
    hourly = s["overall"]["hourly"]
    if len(hourly) <= 48:
        rows = [
            [
                f"{_clock(h['hour'] * 3600)}",
                _num(h["arrived"]),
                _num(h["served"]),
                _wait(h["wait_mean_s"]),
                _wait(h["wait_p95_s"]),
            ]
            for h in hourly
        ]
        lines += [
            "",
            "By hour (all flows; waits of the travellers who arrived in the hour)",
            *_table(["hour", "arrived", "served", "wait mean", "p95"], rows),
        ]
    if result.warnings:
        lines += ["", "Warnings", *(f"- {w}" for w in result.warnings)]
    return "\n".join(lines)
