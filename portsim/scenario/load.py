"""Loading and dumping scenarios: YAML text or plain data in, a validated
:class:`~portsim.scenario.spec.Scenario` out, and back.

:func:`dump_scenario` writes a scenario as plain data (seconds and per-second rates) that
loads to an equal object.
"""

from __future__ import annotations

import datetime
import stat
from collections.abc import Collection, Mapping, Sequence
from dataclasses import fields, is_dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from ..errors import ScenarioError
from .assume import ASSUMED, split_assumed
from .assumptions import KEY, REFERENCE, needs_file, resolve_assumptions
from .messages import first_error, render_path, render_problem
from .overrides import apply_overrides, drop_dropped_day_types
from .spec import Scenario
from .walks import SPEED
from .yaml_io import dump_yaml, load_yaml

__all__ = [
    "MAX_FILE_BYTES",
    "dump_scenario",
    "load_scenario",
    "read_scenario_text",
    "scenario_from_dict",
    "scenario_to_yaml",
]

#: the largest scenario file read: a year of timed arrivals, one a minute, takes 6 MB
MAX_FILE_BYTES = 16 * 1024 * 1024


@cache
def _adapter() -> TypeAdapter[Scenario]:
    return TypeAdapter(Scenario)


def scenario_from_dict(data: Any) -> Scenario:
    """Validate plain data (as parsed from YAML) into a :class:`Scenario`.

    Raises :class:`ScenarioError` naming the first problem's field path.
    """
    if not isinstance(data, Mapping):
        raise ScenarioError(
            "", "a scenario must be a mapping with at least name, horizon, flows and stages"
        )
    if isinstance(data.get(KEY), str):
        raise ScenarioError(
            KEY,
            "a file of shared assumptions is read by load_scenario, relative to the scenario "
            "file: give the scenario as a file, or the values themselves",
        )
    try:
        return _adapter().validate_python(data)
    except ValidationError as exc:
        error = first_error(exc.errors(include_url=False))
        path = render_path(error["loc"], data, keep_missing=error["type"] == "missing")
        given = error.get("input")
        if isinstance(given, Mapping) and REFERENCE in given:
            raise ScenarioError(path, needs_file(given[REFERENCE])) from None
        raise ScenarioError(path, render_problem(error, Scenario)) from None


def load_scenario(
    path: str | Path,
    overrides: Sequence[str | tuple[str, Any]] = (),
    *,
    assumptions: Mapping[str, float | str] | None = None,
    need_not_use: Collection[str] = (),
) -> Scenario:
    """Read and validate a scenario file, after applying ``overrides`` (``PATH=VALUE``, see
    :mod:`portsim.scenario.overrides`); every problem is a :class:`ScenarioError` that names
    the file, the field path and what is wrong.

    A file that names shared assumptions (``assumptions: assumptions.yaml``, see
    :mod:`portsim.scenario.assumptions`) has its references resolved here;
    ``assumptions`` replaces their values by name (seconds or a duration's text such as
    ``30s``; a number), and so does an override ``assumption.NAME=VALUE``
    (:mod:`portsim.scenario.assume`). Walks given as a distance at a speed
    (:mod:`portsim.scenario.walks`) are converted to seconds here.

    An override that gives a value to an assumption the scenario does not use is refused (a
    slip of the name), unless it is among ``need_not_use``: a comparison's shared values
    (``--assume``), checked against its base, that a variant replacing the field no longer
    uses."""
    file = str(path)
    try:
        text = read_scenario_text(path)
        written = load_yaml(text)
        fields_set, given = split_assumed(overrides)
        overridden = apply_overrides(written, fields_set)
        where = ASSUMED if given else KEY
        values = {**(assumptions or {}), **given}
        walks = SPEED in text or any(SPEED in str(o) for o in fields_set)  # else: no walk
        resolved, used = resolve_assumptions(overridden, path, values, walks=walks, where=where)
        checked = [n for n in given if n not in need_not_use]
        if (assumptions or checked) and not used:
            raise ScenarioError(
                f"{ASSUMED}.{checked[0]}" if checked else KEY,
                "the scenario references no shared assumption "
                "(assumptions: FILE and {assumption: NAME})",
            )
        unused = [n for n in checked if n not in {u.name for u in used}]
        if used and unused:
            raise ScenarioError(
                f"{ASSUMED}.{unused[0]}",
                f"the scenario does not use {unused[0]} (it uses "
                f"{', '.join(u.name for u in used)})",
            )
        if used:
            resolved[KEY] = [_plain(u) for u in used]
        return scenario_from_dict(drop_dropped_day_types(written, resolved))
    except ScenarioError as exc:  # a problem of the file of assumptions names that file
        raise (exc if exc.file else exc.with_file(file)) from None


def read_scenario_text(path: str | Path, kind: str = "scenario file") -> str:
    """The text of a scenario file (or another ``kind`` of YAML file: a state file, a file
    of assumptions): a regular file of UTF-8 text of at most :data:`MAX_FILE_BYTES` (a
    folder, a pipe or a device such as ``/dev/zero`` is refused before anything is read)."""
    try:
        status = Path(path).stat()
        if stat.S_ISDIR(status.st_mode):
            raise ScenarioError("", f"is a folder, not a {kind}")
        if not stat.S_ISREG(status.st_mode):
            raise ScenarioError("", f"is not a regular file (a pipe or a device?): give a {kind}")
        with Path(path).open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ScenarioError("", f"cannot read the file: {exc.strerror or exc}") from None
    if len(data) > MAX_FILE_BYTES:
        raise ScenarioError(
            "", f"the file is larger than {MAX_FILE_BYTES // 2**20} MiB: not a scenario file"
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ScenarioError("", "the file is not UTF-8 text") from None


def dump_scenario(scenario: Scenario) -> dict[str, Any]:
    """The scenario as plain data: seconds for durations, per second for rates, dates as
    ISO text (so that the data is JSON, as the planning runs' scenario hash needs).

    ``scenario_from_dict(dump_scenario(s)) == s`` for every valid scenario.
    """
    result = _plain(scenario)
    assert isinstance(result, dict)
    return result


def _plain(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {}
        aliases: dict[str, str] = getattr(type(value), "aliases", {})
        for f in fields(value):
            item = getattr(value, f.name)
            if item is None:
                continue
            out[aliases.get(f.name, f.name)] = _plain(item)
        if "dist" in out:  # a distribution: say which first
            out = {"dist": out.pop("dist"), **out}
        return out
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, datetime.date):  # a calendar's start: plain text, as written
        return value.isoformat()
    return value


def scenario_to_yaml(scenario: Scenario) -> str:
    """The scenario as YAML text that loads to an equal scenario."""
    return dump_yaml(dump_scenario(scenario))
