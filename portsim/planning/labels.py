"""A planning parameter and configuration in a planner's words: a parameter's ``--vary``
name, or words from its path (``egates at hall (lanes)`` for
``stages.hall.lanes.egates.count``); a configuration as ``egates at hall (lanes) 9``. The
planning results' tables (:mod:`.frames`) and reports (``portsim.report.planning``) label
configurations with them; hours as clock intervals (:func:`hour_label`), and kinds of flow
in their plural (:data:`~portsim.scenario.spec.KIND_WORDS`, named here too)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..model.days import Days
from ..scenario.spec import KIND_WORDS
from ..units import HOURS_PER_DAY, hour_interval
from .demand import demand_flow
from .officers import level_parts, pool_of
from .vary import Parameter

__all__ = [
    "KIND_WORDS",
    "configuration_words",
    "hour_label",
    "parameter_words",
    "path_words",
    "scaled_words",
]

#: the words of a lane group's field, after ``stages.S.lanes.G.``
_FIELD_WORDS = {"count": "lanes", "schedule": "schedule", "serves": "who it serves"}


def path_words(path: str) -> str:
    """Words for a scenario field's path: ``egates at hall (lanes)`` for
    ``stages.hall.lanes.egates.count``, ``residents (arrivals, daily total)`` for
    ``flows.residents.arrivals.daily_total``, ``officers pool (officers on duty)`` for
    ``staff.officers.count``, ``officers pool (shift 2, officers on duty)`` for
    ``staff.officers.schedule.1.count``."""

    def said(parts: Sequence[str]) -> str:
        return ", ".join(p.replace("_", " ") for p in parts)

    match path.split("."):
        case ["stages", stage, "lanes", group, field]:
            return f"{group} at {stage} ({_FIELD_WORDS.get(field, said([field]))})"
        case ["stages", stage, "lanes", group, *rest]:
            return f"{group} at {stage}" + (f" ({said(rest)})" if rest else "")
        case ["staff", pool]:
            return f"the {pool} pool"
        case ["staff", pool, "count"]:
            return f"{pool} pool (officers on duty)"
        case ["staff", pool, "schedule", *_] if (shift := pool_of(path)) is not None:
            on = f"{shift.day_type}, " if shift.day_type else ""
            return f"{pool} pool ({on}shift {(shift.entry or 0) + 1}, officers on duty)"
        case ["stages" | "flows", name, *rest] if rest:
            return f"{name} ({said(rest)})"
        case parts:
            return said(parts)


def parameter_words(parameter: Parameter) -> str:
    """A parameter's name as given with ``--vary NAME:PATH=…`` (or ``variant``), else words
    derived from its path."""
    path = parameter.path
    return path_words(path) if path is not None and parameter.name == path else parameter.name


def hour_label(hour: int, days: Days | None = None) -> str:
    """An hour from 00:00 of day 1 as a clock interval: ``05:00–06:00``; after the first day,
    or in a run with a calendar, with its day: ``05:00–06:00 on 2008-02-04`` (its date),
    ``05:00–06:00 on day 2``."""
    day, of_day = divmod(hour, HOURS_PER_DAY)
    span = hour_interval(of_day)
    date = days.dates[day] if days is not None and day < len(days) else None
    if date is not None:
        return f"{span} on {date}"
    return f"{span} on day {day + 1}" if day or (days is not None and len(days) > 1) else span


def scaled_words(paths: Sequence[str]) -> str:
    """What a capacity search's factor multiplies: ``demand`` (every path a flow's
    arrivals), else the other fields in words too: ``walkers (route, 1, p)``,
    ``demand and counters at hall (service, mean)``."""
    others = [path_words(p) for p in paths if demand_flow(p) is None]
    demand = ["demand"] if len(others) < len(paths) or not paths else []
    return " and ".join(demand + others)


def configuration_words(
    parameters: Sequence[Parameter],
    values: Iterable[tuple[str, str]],
    scale: Sequence[str] = (),
) -> str:
    """A configuration in words: ``egates at hall (lanes) 9, counters at hall (lanes) 8``;
    a staff pool's size as ``52 officers (officers pool)``, its shifts side by side as ``6
    officers 00:00–08:00, 10 officers 08:00–16:00 (officers pool)``
    (:func:`.officers.level_parts`); a capacity search's ``scale 0.6`` as ``0.6 × demand``,
    or ``0.6 × walkers (route, 1, p)`` where its ``scale`` paths are no flow's arrivals
    (:func:`scaled_words`)."""
    said = {p.name: parameter_words(p) for p in parameters}
    by_name = {p.name: p for p in parameters}
    parts: list[tuple[str, str | None]] = []  # words, and the staff pool they are of
    for name, label in values:
        owner = by_name.get(name)
        staff = level_parts(owner, label) if owner is not None else None
        if staff is not None:
            parts.append(staff)
        elif name == "scale" and name not in said:
            parts.append((f"{label} × {scaled_words(scale)}", None))
        else:
            parts.append((f"{said.get(name, name)} {label}", None))
    out: list[str] = []
    for i, (words, pool) in enumerate(parts):
        last = i + 1 == len(parts) or parts[i + 1][1] != pool
        out.append(f"{words} ({pool} pool)" if pool is not None and last else words)
    return ", ".join(out) or "as given"
