"""What a sweep varies: parameters, their levels, and the configurations of the grid.

A parameter is a field of the scenario (a path, as ``--set`` takes it) with the values to
try, or a named list of variants, each a set of assignments:

==============================================  ===========================================
``stages.hall.lanes.egates.count=8:20:2``       8, 10, …, 20 (``START:STOP[:STEP]``, STOP
                                                included; decimals such as ``0.8:1.2:0.1``)
``stages.hall.lanes.egates.count=10,12,14``     the values listed (each read as YAML)
``gates:stages.hall.lanes.egates.count=8:20``   the same, named ``gates`` in the table
``--variant "lean:PATH=V;PATH=V"``              a named variant; all of them make one
                                                parameter called ``variant``
==============================================  ===========================================

A configuration takes one level of every parameter; the grid is every combination, the
first parameter varying slowest. A configuration's key is the canonical JSON of its
assignments, so the same assignments are the same configuration whatever the order of the
options or the labels.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from ..errors import ScenarioError, UsageError
from ..scenario.load import scenario_from_dict
from ..scenario.overrides import apply_overrides
from ..scenario.spec import Scenario
from ..scenario.yaml_io import load_yaml

__all__ = [
    "Configuration",
    "Level",
    "Parameter",
    "canonical_json",
    "check_assignments",
    "configuration_of",
    "grid",
    "parameter",
    "parse_values",
    "parse_variant",
    "parse_vary",
    "variants_parameter",
]

#: a range longer than this is surely a typing mistake
MAX_LEVELS = 10_000
_RANGE_PARTS = (2, 3)


def canonical_json(data: Any) -> str:
    """One text for equal data: sorted keys, no spaces, floats as Python's shortest repr."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@dataclass(frozen=True, slots=True)
class Level:
    """One value of a parameter: its label in the table, its number (None for a variant
    or a word), and the assignments it makes."""

    label: str
    value: float | None
    assignments: tuple[tuple[str, Any], ...]


@dataclass(frozen=True, slots=True)
class Parameter:
    """A varied field (or a named list of variants) and its levels, in the order given."""

    name: str
    levels: tuple[Level, ...]
    #: the option that gave it (``--vary``, ``--variant``), for its problems
    option: str = "--vary"

    @property
    def numeric(self) -> bool:
        """Whether every level is a number (a parameter the search can bisect)."""
        return all(level.value is not None for level in self.levels)

    @property
    def path(self) -> str | None:
        """The one field every level sets, if there is one."""
        paths = {a[0] for level in self.levels for a in level.assignments}
        sets_one = all(len(level.assignments) == 1 for level in self.levels)
        return next(iter(paths)) if len(paths) == 1 and sets_one else None


@dataclass(frozen=True, slots=True)
class Configuration:
    """One level of each parameter: its labels (``(parameter, label)``) and assignments."""

    values: tuple[tuple[str, str], ...]
    assignments: tuple[tuple[str, Any], ...]

    @property
    def key(self) -> str:
        """The canonical JSON of the assignments: what the results store files runs under."""
        return canonical_json(sorted([path, value] for path, value in self.assignments))

    def scenario(self, base: Mapping[str, Any]) -> Scenario:
        """The base scenario's plain data (:func:`~portsim.dump_scenario`) with this
        configuration's assignments, validated; a problem names the configuration."""
        try:
            return scenario_from_dict(apply_overrides(base, self.assignments))
        except ScenarioError as error:
            problem = f"{error.problem} (in the configuration {self.label()})"
            count = dict(self.assignments).get(f"{error.path}.count")
            if count is not None and "'schedule', not both" in error.problem:
                # a count varied where the file has a schedule: say how to clear it
                problem += (
                    f"; clear the file's schedule and give a count: --set "
                    f"{error.path}.schedule=null --set {error.path}.count={count}"
                )
            raise ScenarioError(error.path, problem) from None

    def label(self) -> str:
        """``name=label, …`` for a report."""
        return ", ".join(f"{name}={label}" for name, label in self.values) or "as given"


def _number(text: str) -> Decimal:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise ValueError(f"{text.strip()!r} is not a number") from None
    if not value.is_finite():
        raise ValueError(f"{text.strip()!r} is not a finite number")
    return value


def _plain_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _range(text: str) -> list[Any]:
    parts = text.split(":")
    start, stop = _number(parts[0]), _number(parts[1])
    step = _number(parts[2]) if len(parts) == max(_RANGE_PARTS) else Decimal(1)
    if step <= 0:
        raise ValueError(f"the step of {text!r} must be positive")
    if stop < start:
        raise ValueError(f"{text!r} ends before it starts")
    count = int((stop - start) / step) + 1
    if count > MAX_LEVELS:
        raise ValueError(f"{text!r} has {count} values; at most {MAX_LEVELS}")
    integral = all(d == d.to_integral_value() for d in (start, step))
    values = [start + i * step for i in range(count)]
    return [int(v) if integral else _plain_number(v) for v in values]


def parse_values(text: str) -> list[Any]:
    """``"8:20:2"`` → ``[8, 10, …, 20]``; ``"10,12,14"`` → ``[10, 12, 14]``; each listed
    value is read as YAML (``separate`` is a word, ``2.5`` a number)."""
    text = text.strip()
    if not text:
        raise ValueError("no values: give START:STOP[:STEP] or a list such as 10,12,14")
    if text.count(":") + 1 in _RANGE_PARTS and "," not in text:
        try:
            return _range(text)
        except ValueError:
            if all(_is_number(p) for p in text.split(":")):
                raise
    values = [load_yaml(item) for item in _split_top(text)]
    if len(set(map(canonical_json, values))) != len(values):
        raise ValueError(f"a value is given twice in {text!r}")
    return values


def _is_number(text: str) -> bool:
    try:
        _number(text)
    except ValueError:
        return False
    return True


def _split_top(text: str) -> list[str]:
    """Split at commas outside brackets, so a value may be a YAML list ``[1, 2]``."""
    items, depth, current = [], 0, ""
    for char in text:
        depth += char in "[{"
        depth -= char in "]}"
        if char == "," and depth == 0:
            items.append(current)
            current = ""
        else:
            current += char
    items.append(current)
    return [item.strip() for item in items]


def _label(value: Any) -> str:
    return value if isinstance(value, str) else canonical_json(value)


def _numeric(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value


def parameter(path: str, values: Iterable[Any], name: str | None = None) -> Parameter:
    """A parameter that sets ``path`` to each of ``values`` in turn."""
    values = list(values)
    if not values:
        raise UsageError(f"{path}: give at least one value")
    levels = tuple(Level(_label(v), _numeric(v), ((path, v),)) for v in values)
    return Parameter(name or path, levels)


def parse_vary(text: str) -> Parameter:
    """``[NAME:]PATH=VALUES`` (see the module's table)."""
    left, sep, values = text.partition("=")
    if not sep or not left.strip():
        raise ScenarioError(f"--vary {text}", "expected PATH=VALUES, for example COUNT=8:20:2")
    name, colon, path = left.rpartition(":")
    path = path.strip() if colon else left.strip()
    try:
        return parameter(path, parse_values(values), name.strip() or None)
    except ValueError as error:
        raise ScenarioError(f"--vary {path}", str(error)) from None
    except ScenarioError as error:  # a value that is not YAML
        raise ScenarioError(
            f"--vary {path}", f"cannot read the values {values.strip()!r}: {error.problem}"
        ) from None


def parse_variant(text: str) -> Level:
    """``LABEL:PATH=VALUE[;PATH=VALUE]``: one named variant."""
    from ..scenario.overrides import parse_assignment  # noqa: PLC0415 - a sibling's helper

    label, sep, rest = text.partition(":")
    if not sep or not label.strip():
        raise ScenarioError("--variant", f"expected NAME:PATH=VALUE[;PATH=VALUE], got {text!r}")
    sets = tuple(parse_assignment(a.strip(), "--variant") for a in rest.split(";") if a.strip())
    return Level(label.strip(), None, sets)


def variants_parameter(levels: Sequence[Level], name: str = "variant") -> Parameter:
    """Named variants as one parameter."""
    labels = [level.label for level in levels]
    for label in labels:
        if labels.count(label) > 1:
            raise UsageError(f"two variants are called {label!r}: give them different names")
    return Parameter(name, tuple(levels), "--variant")


def check_assignments(base: Mapping[str, Any], parameters: Sequence[Parameter]) -> None:
    """Every field the parameters set is one the base scenario's plain data can take (a
    path that leads nowhere is a :class:`ScenarioError` naming the option that gave it, before
    anything runs): one level of a varied field (its levels share the path), every variant."""
    for p in parameters:
        for level in p.levels if p.option != "--vary" else p.levels[:1]:
            apply_overrides(base, level.assignments, p.option)


def configuration_of(parameters: Sequence[Parameter], indices: Sequence[int]) -> Configuration:
    """The configuration taking level ``indices[i]`` of parameter ``i``."""
    levels = [p.levels[i] for p, i in zip(parameters, indices, strict=True)]
    return Configuration(
        tuple((p.name, level.label) for p, level in zip(parameters, levels, strict=True)),
        tuple(a for level in levels for a in level.assignments),
    )


#: fields every configuration shares: the replications of all are paired, seed for seed
RUN_FIELDS = ("seed", "replications")


def run_fields_problem(who: str, what: str = "configuration") -> str:
    """What is wrong with varying the seed or the replications (``who``: the parameter or
    variant that tried)."""
    return (
        f"{who}: every {what} runs with the same seed and replications (paired, replication "
        "by replication): give them with --seed and --replications"
    )


#: configurations of one grid at most (each is a scenario; more is weeks of work)
MAX_CONFIGURATIONS = 100_000


def check_parameters(parameters: Sequence[Parameter]) -> None:
    """Each parameter named once, each field set by one parameter, and neither the seed nor
    the replications varied (every configuration runs with the same, paired)."""
    names = [p.name for p in parameters]
    for name in names:
        if names.count(name) > 1:
            raise UsageError(f"{name} is varied twice: give each parameter once")
    size = math.prod(len(p.levels) for p in parameters)
    if size > MAX_CONFIGURATIONS:
        raise UsageError(
            f"the grid has {size:,} configurations, more than {MAX_CONFIGURATIONS:,}: vary "
            "fewer parameters, or over fewer values"
        )
    setter: dict[str, str] = {}
    for p in parameters:
        for path in sorted({path for level in p.levels for path, _ in level.assignments}):
            if path in RUN_FIELDS:
                raise UsageError(run_fields_problem(p.name))
            if setter.setdefault(path, p.name) != p.name:
                raise UsageError(
                    f"{path} is set by two parameters ({setter[path]}, {p.name}): set it in one"
                )


def grid(parameters: Sequence[Parameter]) -> list[Configuration]:
    """Every combination of levels, the first parameter varying slowest."""
    check_parameters(parameters)
    ranges = [range(len(p.levels)) for p in parameters]
    return [configuration_of(parameters, ix) for ix in itertools.product(*ranges)]
