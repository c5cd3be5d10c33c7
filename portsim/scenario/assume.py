"""Another value for a shared assumption, for one run: ``assumption.NAME=VALUE`` among a
scenario's overrides (what ``--assume NAME=VALUE`` gives, and ``--set``, ``--variant`` and
``--vary`` take with that path), the run's record of the values it used as JSON, and the
warning for a value outside the range the file gives.

A value is written as the file writes the assumption's: a duration with its unit (``30s``,
``1.5min``; a plain number is seconds), a plain number otherwise. It may lie outside the
range: the run takes it, and says so (:func:`outside_range`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..units import format_duration
from .assumptions import UsedAssumption
from .overrides import parse_assignment

__all__ = [
    "ASSUMED",
    "assumptions_json",
    "differences",
    "outside_range",
    "shown_value",
    "split_assumed",
]

#: the first part of an override's path that gives an assumption another value
ASSUMED = "assumption"


def split_assumed(
    overrides: Iterable[str | tuple[str, Any]],
) -> tuple[list[str | tuple[str, Any]], dict[str, Any]]:
    """The overrides that set fields, in order, and the values given to assumptions by
    name (``assumption.NAME=VALUE``; the last given wins)."""
    fields: list[str | tuple[str, Any]] = []
    given: dict[str, Any] = {}
    for override in overrides:
        path, value = parse_assignment(override) if isinstance(override, str) else override
        head, dot, name = path.partition(".")
        if head == ASSUMED and dot and name:
            given[name] = value
        else:
            fields.append(override)
    return fields, given


def shown_value(assumption: UsedAssumption, value: float) -> str:
    """A value of ``assumption`` as a planner reads it: ``30 s``, ``1.2 m/s``, ``0.75``."""
    if assumption.kind == "duration":
        return format_duration(value)
    return f"{value:g} m/s" if assumption.kind == "speed" else f"{value:g}"


def outside_range(used: Iterable[UsedAssumption]) -> list[str]:
    """A warning for each assumption given a value outside the file's range."""
    return [
        f"{a.name} = {shown_value(a, a.value)} lies outside its range "
        f"{shown_value(a, a.low)} to {shown_value(a, a.high)} in the file of shared "
        "assumptions: the run takes it"
        for a in used
        if a.outside
    ]


def assumptions_json(used: Iterable[UsedAssumption]) -> dict[str, Mapping[str, Any]]:
    """The run JSON's ``assumptions`` block: each assumption the scenario used, by name
    (``docs/output.md``)."""
    return {
        a.name: {
            "value": a.value,
            "unit": {"duration": "s", "speed": "m/s"}.get(a.kind),
            "file_value": a.value if a.file_value is None else a.file_value,
            "overridden": a.overridden,
            "low": a.low,
            "high": a.high,
            "outside_range": a.outside,
            "source": a.source,
            "confidence": a.confidence,
            "words": a.words,
            "used_at": list(a.used_at),
        }
        for a in used
    }


def differences(base: Any, other: Any, path: str = "") -> list[tuple[str, Any]]:
    """The overrides (``PATH``, value) that make ``base``'s plain data ``other``'s: the
    fields an assumption's other value moves (list items with a name addressed by it)."""
    if isinstance(base, dict) and isinstance(other, dict):
        out = []
        for key, value in other.items():
            at = f"{path}.{key}" if path else str(key)
            out += differences(base[key], value, at) if key in base else [(at, value)]
        return out
    if isinstance(base, list) and isinstance(other, list) and len(base) == len(other):
        out = []
        for i, (b, o) in enumerate(zip(base, other, strict=True)):
            named = isinstance(o, dict) and isinstance(o.get("name"), str)
            at = f"{path}.{o['name'] if named else i}" if path else str(i)
            out += differences(b, o, at)
        return out
    return [] if base == other else [(path, other)]
