"""A sweep or a plan over a shared assumption: ``--vary assumption.NAME=25s:60s:5s`` (a
range written with the assumption's unit, or a list ``30s,45s``) and ``--variant
"slow:assumption.NAME=60s"``; and over walks, ``--vary 'PATH={walk: 100m, speed: 1},{walk:
200m, speed: 1}'`` (or a value that references an assumption). Each level is turned, before
anything runs, into the fields the value moves (the scenario loaded with it, against the
base): the configurations then are ordinary ones, filed in a results store by those
fields."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cli_assume import said_as_assumed, with_assumed
from .errors import ScenarioError
from .scenario import load_scenario
from .scenario.assume import ASSUMED, differences
from .scenario.assumptions import REFERENCE
from .scenario.load import dump_scenario
from .scenario.walks import SPEED, WALK, is_walk
from .units import parse_duration

if TYPE_CHECKING:
    from .planning.vary import Level, Parameter

__all__ = ["concrete_parameters"]

_PARTS = (2, 3)


def _expanded(level: Level, option: str) -> list[Level]:
    """A level whose value is a range with units (``25s:60s:5s``): one level a value."""
    from .planning.vary import MAX_LEVELS, Level  # noqa: PLC0415 - planning when asked for

    if len(level.assignments) != 1:
        return [level]
    path, value = level.assignments[0]
    if not (isinstance(value, str) and path.startswith(f"{ASSUMED}.") and ":" in value):
        return [level]
    parts = value.split(":")
    try:
        if len(parts) not in _PARTS:
            raise ValueError("write START:STOP[:STEP], for example 25s:60s:5s")
        start, stop, *step = (Decimal(repr(parse_duration(p))) for p in parts)
        by = step[0] if step else Decimal(1)
        if by <= 0 or stop < start:
            raise ValueError(f"{value!r}: a positive step, from a start up to a stop")
    except ValueError as error:
        raise ScenarioError(f"{option} {path}", str(error)) from None
    count = int((stop - start) / by) + 1
    if count > MAX_LEVELS:
        raise ScenarioError(f"{option} {path}", f"{value!r} has {count} values")
    values = [float(start + i * by) for i in range(count)]
    return [Level(f"{v:g}s", v, ((path, f"{v!r}s"),)) for v in values]


def concrete_parameters(
    file: Path, overrides: Sequence[str], parameters: Sequence[Parameter]
) -> list[Parameter]:
    """``parameters`` with each level that sets an assumption (``assumption.NAME``) made the
    fields its value moves; the others as they are."""
    if not any(_loaded(a) for p in parameters for level in p.levels for a in level.assignments):
        return list(parameters)
    from .planning.vary import Parameter  # noqa: PLC0415 - planning when asked for

    base_overrides = with_assumed(overrides)
    try:
        base = dump_scenario(load_scenario(file, base_overrides))
        out = []
        for p in parameters:
            levels = [e for level in p.levels for e in _expanded(level, p.option)]
            out.append(
                Parameter(
                    p.name,
                    tuple(_level(file, base, base_overrides, e, p.option) for e in levels),
                    p.option,
                )
            )
    except ScenarioError as error:
        raise said_as_assumed(error) from None
    return out


def _level(
    file: Path, base: dict[str, Any], overrides: Sequence[str], level: Level, option: str
) -> Level:
    from .planning.vary import Level  # noqa: PLC0415 - planning when asked for

    assumed = [a for a in level.assignments if _loaded(a)]
    if not assumed:
        return level
    fields = [a for a in level.assignments if not _loaded(a)]
    moved = dump_scenario(load_scenario(file, [*overrides, *assumed]))
    value = level.value
    if value is None and len(assumed) == 1 and isinstance(assumed[0][1], int | float):
        value = float(assumed[0][1])
    # a variant keeps its name; a varied walk is labelled as a planner reads it
    label = (_walk_label(assumed) if option == "--vary" else None) or level.label
    return Level(label, value, (*differences(base, moved), *fields))


def _walk_label(assignments: Sequence[tuple[str, Any]]) -> str | None:
    """A level that is one walk, as a planner reads it: ``100m at 1.2 m/s``, ``100m at
    walking_speed``."""
    if len(assignments) != 1:
        return None
    walk = assignments[0][1]
    if not (isinstance(walk, dict) and is_walk(walk)):
        return None
    distance, speed = walk[WALK], walk[SPEED]
    if isinstance(speed, dict):
        speed = speed.get(REFERENCE, speed)
    elif isinstance(speed, int | float):
        speed = f"{speed:g} m/s"
    return f"{distance}{'' if isinstance(distance, str) else 'm'} at {speed}"


def _written(value: Any) -> bool:
    """Whether a value holds a walk or a reference to an assumption, which only loading the
    file converts (a walk's speed may be an assumption's)."""
    if isinstance(value, dict):
        if is_walk(value) or REFERENCE in value:
            return True
        value = list(value.values())
    return isinstance(value, list) and any(_written(v) for v in value)


def _loaded(assignment: tuple[str, Any]) -> bool:
    """Whether an assignment is turned into fields by loading the file with it: a value for
    an assumption, or a walk (``{walk: 100m, speed: 1}``) or reference as the value."""
    path, value = assignment
    return path.startswith(f"{ASSUMED}.") or _written(value)
