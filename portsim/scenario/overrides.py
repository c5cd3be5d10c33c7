"""Overrides: ``PATH=VALUE`` assignments applied to a scenario file's data before validation.

A path is dotted; list items with a ``name`` are addressed by that name, others by index:
``clearance.mode=cooperative``, ``stages.exit_check.lanes.counters.count=12``,
``flows.visitors.arrivals.daily_total=30000``. The value is read as YAML (``12`` is a
number, ``[1, 2]`` a list, ``2.5min`` a string). Every key but the last must exist; the
last may be a new optional field, which validation then checks like any other.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from ..errors import ScenarioError
from .calendar import DEFAULT
from .yaml_io import load_yaml

__all__ = ["apply_overrides", "drop_dropped_day_types", "parse_assignment"]


#: the option that gives assignments, unless a caller says which (``--vary``, ``--variant``)
SET = "--set"


def parse_assignment(text: str, option: str = SET) -> tuple[str, Any]:
    """``"a.b=3"`` → ``("a.b", 3)``; a problem names ``option``, which gave the text."""
    path, sep, value = text.partition("=")
    path = path.strip()
    if not sep or not path:
        raise ScenarioError(
            f"{option} {text}", "expected PATH=VALUE, for example clearance.mode=cooperative"
        )
    try:
        parsed = load_yaml(value) if value.strip() else ""
    except ScenarioError as exc:
        raise ScenarioError(
            f"{option} {path}", f"cannot read the value {value!r}: {exc.problem}"
        ) from None
    return path, parsed


def _child(node: Any, part: str, walked: str, option: str) -> Any:
    if isinstance(node, dict):
        if part not in node:
            known = ", ".join(map(str, node)) or "none"
            raise ScenarioError(
                f"{option} {walked}",
                f"no field {part!r} here (fields: {known}); a block the file lacks is set "
                f"whole: {option} '{walked}={{...}}'",
            )
        return node[part]
    if isinstance(node, list):
        return node[_index(node, part, walked, option)]
    raise ScenarioError(
        f"{option} {walked}", f"cannot go into {part!r}: the value here is not a mapping or a list"
    )


def _index(items: list[Any], part: str, walked: str, option: str) -> int:
    for i, item in enumerate(items):
        if isinstance(item, dict) and item.get("name") == part:
            return i
    if part.isdigit() and int(part) < len(items):
        return int(part)
    names = [str(item.get("name")) for item in items if isinstance(item, dict) and "name" in item]
    listed = ", ".join(names) if names else f"indices 0..{len(items) - 1}"
    raise ScenarioError(f"{option} {walked}", f"no item {part!r} (items: {listed})")


def apply_overrides(
    data: Any, assignments: Iterable[str | tuple[str, Any]], option: str = SET
) -> Any:
    """A copy of ``data`` with each assignment applied in order; a path that leads nowhere
    is a :class:`ScenarioError` naming ``option``, which gave the assignments."""
    result = copy.deepcopy(data)
    for assignment in assignments:
        path, value = (
            parse_assignment(assignment, option) if isinstance(assignment, str) else assignment
        )
        parts = path.split(".")
        if not isinstance(result, dict):
            raise ScenarioError(f"{option} {path}", "the scenario is not a mapping")
        node: Any = result
        for depth, part in enumerate(parts[:-1]):
            node = _child(node, part, ".".join(parts[: depth + 1]), option)
        last = parts[-1]
        if isinstance(node, dict):
            node[last] = value
        elif isinstance(node, list):
            node[_index(node, last, path, option)] = value
        else:
            raise ScenarioError(
                f"{option} {'.'.join(parts[:-1])}",
                f"cannot go into {last!r}: the value here is not a mapping or a list",
            )
    return result


#: the fields that may be given by day type (a mapping from day type to value)
_BY_DAY_TYPE = frozenset({"daily_total", "profile", "schedule", "hours"})


def _day_types(data: Any) -> set[str]:
    """The day types a scenario's calendar names, as written (before validation)."""
    calendar = data.get("calendar") if isinstance(data, dict) else None
    days = calendar.get("days") if isinstance(calendar, dict) else None
    if not isinstance(days, list):
        return set()
    return {
        day["type"] for day in days if isinstance(day, dict) and isinstance(day.get("type"), str)
    }


def drop_dropped_day_types(written: Any, overridden: Any) -> Any:
    """``overridden`` without the values given for the day types that ``--set calendar...``
    took out of the written calendar (``--set 'calendar.days=[{type: peak}]'`` runs the peak
    day alone: the file's values for its other day types are no longer used, and would
    otherwise be refused as unknown day types). Nothing else changes."""
    kept = _day_types(overridden)
    dropped = _day_types(written) - kept
    if not dropped:
        return overridden
    result = copy.deepcopy(overridden)
    _prune(result, dropped, kept)
    return result


def _prune(node: Any, dropped: set[str], kept: set[str]) -> None:
    """Drop the values of the ``dropped`` day types, from each mapping that still covers
    the ``kept`` ones without them; a mapping that would not (the new calendar names a day
    type the file never gave a value for: a typo, say) is left whole, for validation to
    name the day type it does not know rather than one it lacks."""
    children = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, list)
        else ()
    )
    for key, child in children:
        if key in _BY_DAY_TYPE and isinstance(child, dict):
            if DEFAULT in child or kept <= child.keys():
                for day_type in dropped & child.keys():
                    del child[day_type]
        elif key != "calendar":
            _prune(child, dropped, kept)
