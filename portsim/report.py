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
        "queue mean",
        "queue max",
    ]
    rows = [
        [
            name,
            _num(m["served"]),
            _wait(m["wait_mean_s"], with_ci=True),
            _wait(m["wait_p95_s"]),
            _wait(m["wait_max_s"]),
            f"{m['utilization']['mean']:.1%}"
            if m["utilization"]["mean"] is not None and not math.isnan(m["utilization"]["mean"])
            else "-",
            _num(m["queue_mean"], 1),
            _num(m["queue_max"]),
        ]
        for name, m in s["stages"].items()
    ]
    lines += ["Stages", *_table(stage_headers, rows)]
    if result.warnings:
        lines += ["", "Warnings", *(f"- {w}" for w in result.warnings)]
    return "\n".join(lines)
