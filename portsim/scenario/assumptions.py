"""Shared assumptions: the inputs no source publishes, named once in a file of their own and
referenced by the scenarios that share them.

A scenario names the file at its top, relative to itself, and writes a reference wherever a
number, a duration or a count goes::

    assumptions: assumptions.yaml
    ...
        service: {dist: gamma, mean: {assumption: land_counter_time}, cv: 0.5}
        count: {assumption: staffed_share, of: 95}   # round(share x 95)

The file holds each assumption once, with its value, its source (or "assumed") and the range
it may take::

    land_counter_time:
      value: 45s
      low: 25s
      high: 60s
      source: "assumed: the airports' 45 s (docs/sources.md); no land port publishes one"
      confidence: L
      words: time at a manual counter of a land port

A speed (metres a second, the one a walk's ``speed`` takes, :mod:`.walks`) says so with
``unit: m/s``; it goes in a walk's speed and nowhere else, and a walk's speed takes no other
(a duration, a plain number or a count ``of: N`` there is one line).

References are resolved when the scenario is loaded, before validation: a duration is
converted to seconds once, here; ``of: N`` makes a count, the value times ``N`` rounded to
the nearest whole count (a half to the even one: 70.5 → 70); a plain number that is whole
(``70``) is given as a count, so that it may stand where a count goes. The loaded scenario
holds plain numbers and, in :attr:`Scenario.assumptions`, which assumption gave which fields
(``portsim show`` says so). A scenario that names no file is loaded exactly as before.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ScenarioError
from ..units import format_duration, parse_duration, shown
from .fields import STRICT
from .walks import SPEED, is_walk, walk_seconds
from .yaml_io import load_yaml

__all__ = [
    "KEY",
    "REFERENCE",
    "Assumption",
    "UsedAssumption",
    "given_value",
    "needs_file",
    "read_assumptions",
    "resolve_assumptions",
]

#: the scenario's top-level field that names the file of assumptions
KEY = "assumptions"
#: the key of a reference to an assumption
REFERENCE = "assumption"
_FIELDS = {"value", "low", "high", "source", "confidence", "words", "unit"}
#: the one unit a file names (a duration is written with its own: 45s)
SPEED_UNIT = "m/s"
_REQUIRED = ("value", "low", "high", "source")


@dataclass(frozen=True)
class Assumption:
    """One shared assumption as its file states it: a value (seconds for a duration), the
    range it may take, its source and, optionally, its confidence and words."""

    name: str
    value: float
    low: float
    high: float
    source: str
    #: ``duration`` (written with a unit, held in seconds), ``speed`` (``unit: m/s``) or
    #: ``number``
    kind: str
    confidence: str | None = None
    words: str | None = None


@dataclass(frozen=True)
class UsedAssumption:
    """An assumption a scenario used: its value in this scenario (seconds for a duration),
    its range and source, and the fields it gave (field paths, list items by name)."""

    __pydantic_config__ = STRICT
    name: str
    value: float
    low: float
    high: float
    source: str
    used_at: tuple[str, ...]
    #: ``duration`` (in seconds), ``speed`` (metres a second) or ``number``
    kind: str = "number"
    confidence: str | None = None
    words: str | None = None
    #: the file's value, when the run was given another (``--assume``, ``assumptions=``)
    file_value: float | None = None

    @property
    def overridden(self) -> bool:
        """Whether the run was given a value other than the file's."""
        return self.file_value is not None

    @property
    def outside(self) -> bool:
        """Whether the value used lies outside the range the file gives."""
        return not self.low <= self.value <= self.high


def given_value(assumption: Assumption, given: Any, where: str) -> float:
    """Another value for ``assumption``, as a caller gives it: a duration written as the
    file writes it (``30s``, or a number of seconds), a plain number; within its range or
    not (a caller says when it is not), but a finite number at least 0."""
    if assumption.kind == "duration":
        value = _number(given, "duration", where)
    elif isinstance(given, str):
        what = "a speed in m/s: a number" if assumption.kind == "speed" else "a plain number"
        raise ScenarioError(where, f"{shown(given)}: {assumption.name} is {what}, without a unit")
    else:
        value = _number(given, "number", where)
    if value < 0:
        raise ScenarioError(where, f"{shown(given)} is below 0")
    return value


def _number(text: Any, kind: str, where: str) -> float:
    if kind == "duration":
        try:
            return parse_duration(text)
        except ValueError as exc:
            raise ScenarioError(where, str(exc)) from None
    if isinstance(text, bool) or not isinstance(text, int | float) or not math.isfinite(text):
        raise ScenarioError(where, f"{shown(text)} is not a number: write a number or 45s")
    return float(text)


def _assumption(name: str, entry: Any) -> Assumption:
    if not isinstance(entry, Mapping):
        raise ScenarioError(name, "an assumption is a mapping with value, low, high and source")
    unknown = sorted(set(map(str, entry)) - _FIELDS)
    if unknown:
        raise ScenarioError(
            f"{name}.{unknown[0]}", f"no such field (fields: {', '.join(sorted(_FIELDS))})"
        )
    for key in _REQUIRED:
        if key not in entry:
            raise ScenarioError(f"{name}.{key}", "required: say the source, or 'assumed'")
    kind = _kind(name, entry)
    value, low, high = (_number(entry[k], kind, f"{name}.{k}") for k in ("value", "low", "high"))
    if not low <= value <= high:
        raise ScenarioError(f"{name}.value", "must lie within its range: low <= value <= high")
    text = {k: entry.get(k) for k in ("source", "confidence", "words")}
    for key, given in text.items():
        if given is not None and not isinstance(given, str):
            raise ScenarioError(f"{name}.{key}", "write text here")
    source, confidence, words = text["source"], text["confidence"], text["words"]
    return Assumption(name, value, low, high, str(source), kind, confidence, words)


def _kind(name: str, entry: Mapping[str, Any]) -> str:
    """``duration`` (a value with a unit), ``speed`` (``unit: m/s``) or ``number``."""
    unit = entry.get("unit")
    if unit is None:
        return "duration" if isinstance(entry["value"], str) else "number"
    if unit != SPEED_UNIT:
        raise ScenarioError(
            f"{name}.unit", f"{shown(unit)}: the one unit here is m/s (a duration is written 45s)"
        )
    if any(isinstance(entry[k], str) for k in ("value", "low", "high")):
        raise ScenarioError(f"{name}.value", "a speed is a plain number of metres a second")
    return "speed"


def needs_file(name: Any) -> str:
    """The problem of a reference in a scenario that names no file of assumptions."""
    return (
        f"{{assumption: {name}}} needs the file of shared assumptions named at the "
        "scenario's top: assumptions: assumptions.yaml"
    )


def read_assumptions(path: str | Path) -> dict[str, Assumption]:
    """The assumptions of a file, by name; a problem is a :class:`ScenarioError` naming the
    file and the field."""
    # the same careful reading as a scenario's (load imports this module: read when used)
    from .load import read_scenario_text  # noqa: PLC0415

    try:
        data = load_yaml(read_scenario_text(path, "file of assumptions"))
        if not isinstance(data, Mapping) or not data:
            raise ScenarioError("", "a file of assumptions maps each name to its value and range")
        return {str(name): _assumption(str(name), entry) for name, entry in data.items()}
    except ScenarioError as exc:
        raise exc.with_file(str(path)) from None


def resolve_assumptions(
    data: Any,
    file: str | Path,
    values: Mapping[str, float | str] | None = None,
    *,
    walks: bool = False,
    where: str = KEY,
) -> tuple[Any, tuple[UsedAssumption, ...]]:
    """``data`` (a scenario as parsed from ``file``) with every reference replaced by its
    value, and the assumptions it used. ``values`` replaces the file's values by name
    (seconds or a duration's text such as ``30s``; a number), within or beyond their
    range: a calibration tries them, ``--assume`` gives them (a problem of one is said at
    ``WHERE.NAME``). Walks (``{walk: 400m, speed: 1.3}``, :mod:`.walks`) are resolved too,
    and with ``walks`` in a file that names no file of assumptions."""
    if not isinstance(data, dict) or (KEY not in data and not walks):
        return data, ()
    named = data.get(KEY)
    if isinstance(named, list):  # the record a dumped scenario holds: its values are written
        return data, ()
    if named is None:  # walks only: a reference is left for validation to refuse
        return _resolve(data, [], _Context({}, {}, None, {})), ()
    if not isinstance(named, str) or not named.strip():
        raise ScenarioError(KEY, "name the file of shared assumptions, e.g. assumptions.yaml")
    table = read_assumptions(Path(file).parent / named)
    given = _given(table, values or {}, named, where)
    context = _Context(table, given, named, {})
    resolved = _resolve({k: v for k, v in data.items() if k != KEY}, [], context)
    used = context.used
    records = tuple(
        UsedAssumption(
            name=a.name,
            value=given.get(a.name, a.value),
            low=a.low,
            high=a.high,
            source=a.source,
            used_at=tuple(used[a.name]),
            kind=a.kind,
            confidence=a.confidence,
            words=a.words,
            file_value=a.value if given.get(a.name, a.value) != a.value else None,
        )
        for a in table.values()
        if a.name in used
    )
    return resolved, records


def _given(
    table: Mapping[str, Assumption], values: Mapping[str, Any], named: str, where: str
) -> dict[str, float]:
    """The values given for the table's assumptions, read as each is written."""
    out = {}
    for name, given in values.items():
        if name not in table:
            known = ", ".join(table)
            raise ScenarioError(
                f"{where}.{name}", f"no assumption named {name} in {named} ({known})"
            )
        out[name] = given_value(table[name], given, f"{where}.{name}")
    return out


@dataclass
class _Context:
    """What resolving a scenario's references needs, and what it records."""

    table: Mapping[str, Assumption]
    values: Mapping[str, float]
    #: the file of assumptions as the scenario names it (None: a file without one)
    named: str | None
    used: dict[str, list[str]]


def _part(node: list[Any], index: int) -> str:
    item = node[index]
    if isinstance(item, Mapping) and isinstance(item.get("name"), str):
        return str(item["name"])
    return str(index)


def _resolve(node: Any, path: list[str], context: _Context) -> Any:
    if isinstance(node, dict):
        if REFERENCE in node and context.named is not None:
            return _value(node, path, context)
        if is_walk(node):
            speed = _speed(node[SPEED], path, context)
            return walk_seconds({**node, SPEED: speed}, ".".join(path) or "(top level)")
        return {k: _resolve(v, [*path, str(k)], context) for k, v in node.items()}
    if isinstance(node, list):
        return [_resolve(v, [*path, _part(node, i)], context) for i, v in enumerate(node)]
    return node


def _speed(given: Any, path: list[str], context: _Context) -> Any:
    """A walk's speed: a number (read by :func:`walk_seconds`) or a speed's reference, whose
    use is said at the walk (the field that holds its seconds)."""
    if not (isinstance(given, dict) and REFERENCE in given):
        return _resolve(given, [*path, SPEED], context)
    if context.named is None:
        raise ScenarioError(".".join([*path, SPEED]), needs_file(given[REFERENCE]))
    value = _value(given, [*path, SPEED], context, speed=True)
    context.used[given[REFERENCE]][-1] = ".".join(path)
    return value


def _misplaced(
    assumption: Assumption, value: float, node: Mapping[str, Any], in_speed: bool
) -> str | None:
    """Why an assumption may not stand where ``node`` references it (a walk's speed, or
    where a duration, a number or a count goes): None when it may."""
    name = assumption.name
    if in_speed and "of" in node:
        return f"{{assumption: {name}, of: {node['of']}}} is a count, not a speed in m/s"
    if in_speed and assumption.kind == "duration":
        return f"{name} is a duration ({format_duration(value)}), not a speed in m/s"
    if in_speed and assumption.kind != "speed":
        return (
            f"{name} is a plain number ({value:g}), not a speed in m/s (a speed says "
            f"unit: {SPEED_UNIT} in the file of assumptions)"
        )
    if not in_speed and assumption.kind == "speed":
        return (
            f"{name} is a speed ({value:g} m/s), not a duration or a count: it goes in a "
            f"walk's speed, {{walk: 400m, speed: {{assumption: {name}}}}}"
        )
    return None


def _value(
    node: Mapping[str, Any], path: list[str], context: _Context, *, speed: bool = False
) -> float | int:
    where = ".".join(path) or "(top level)"
    extra = sorted(set(map(str, node)) - {REFERENCE, "of"})
    if extra:
        raise ScenarioError(
            where,
            "a reference is {assumption: NAME} or {assumption: NAME, of: N}, "
            f"not with {extra[0]!r}",
        )
    name = node[REFERENCE]
    if not isinstance(name, str) or name not in context.table:
        raise ScenarioError(where, f"no assumption named {shown(name)} in {context.named}")
    assumption = context.table[name]
    value = context.values.get(name, assumption.value)
    problem = _misplaced(assumption, value, node, speed)
    if problem:
        raise ScenarioError(where, problem)
    context.used.setdefault(name, []).append(where)
    if "of" not in node:  # a whole number stays whole: a count (a bus's seats) takes it
        whole = assumption.kind == "number" and float(value).is_integer()
        return int(value) if whole else value
    of = node["of"]
    if isinstance(of, bool) or not isinstance(of, int) or of < 0:
        raise ScenarioError(f"{where}.of", "of: a whole count (the share is taken of it)")
    if assumption.kind != "number":
        raise ScenarioError(where, f"{name} is a duration: 'of' takes a share of a count")
    return round(value * of)
