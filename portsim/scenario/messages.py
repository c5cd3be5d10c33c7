"""Validation errors in the planner's words: a field path that names list items by their
``name``, and a problem stated plainly; an unknown field with the closest known name."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import Any

from ..units import HOURS_PER_DAY, shown
from .calendar import DAY_TYPE_TAGS
from .fields import MAX_LANES, MAX_REPLICATIONS
from .names import closest_name, mapping_example

__all__ = ["UNKNOWN_FIELD", "first_error", "render_path", "render_problem"]

#: pydantic's kinds of error for a field the schema does not know
UNKNOWN_FIELD = frozenset({"unexpected_keyword_argument", "extra_forbidden"})
#: pydantic's kinds of error for a value that is not a mapping where one is meant ...
_NOT_A_MAPPING = frozenset(
    {"dataclass_type", "dataclass_exact_type", "model_type", "model_attributes_type", "dict_type"}
)
#: ... and not a list where one is
_NOT_A_LIST = frozenset({"tuple_type", "list_type", "iterable_type"})
#: why the upper bounds of counts are what they are, by field name
_BOUNDS = {
    "count": f"at most {MAX_LANES:,} lanes in one lane group",
    "replications": f"at most {MAX_REPLICATIONS:,} replications in one run",
}


def first_error(errors: Sequence[Any]) -> Any:
    """The error to report: an unknown field first (a typo explains the missing field it
    was meant to be), else the first one."""
    for error in errors:
        if error["type"] in UNKNOWN_FIELD:
            return error
    return errors[0]


def render_path(loc: Sequence[int | str], data: Any, *, keep_missing: bool) -> str:
    """Turn a validation location into a path that names list items by their ``name``.

    Location parts that are not in the data (the tags pydantic adds for unions) are dropped,
    except the last part of a missing field's location, which names that field.
    """
    parts: list[str] = []
    node = data
    for position, part in enumerate(loc):
        if part in DAY_TYPE_TAGS:  # the tags of a value given once or by day type
            continue
        last = position == len(loc) - 1
        if isinstance(node, Mapping):
            if part in node:
                parts.append(str(part))
                node = node[part]
            elif last and keep_missing:
                parts.append(str(part))
            continue
        if isinstance(node, list | tuple) and isinstance(part, int) and 0 <= part < len(node):
            item = node[part]
            parts.append(_item_name(node, part))
            node = item
            continue
        if isinstance(part, str) and node is not None:  # a union's tag, beside a list or value
            continue
        parts.append(str(part))
        node = None
    return ".".join(parts) if parts else "(top level)"


def _item_name(items: Sequence[Any], index: int) -> str:
    """A list item as a path names it: by its ``name``, unless it has none or another item
    has the same (then by its index, as ``--set`` also takes it)."""
    item = items[index]
    name = item.get("name") if isinstance(item, Mapping) else None
    if not isinstance(name, str) or not name:
        return str(index)
    same = sum(1 for other in items if isinstance(other, Mapping) and other.get("name") == name)
    return name if same == 1 else str(index)


def _unknown(error: Any, schema: Any) -> str:
    if schema is None:
        return "unknown field"
    closest, known, of_another_kind = closest_name(schema, error["loc"])
    if closest is not None:
        return f"unknown field (did you mean {closest}?)"
    if known and of_another_kind:
        return f"unknown field {_kind(error['loc'], known)} (fields here: {', '.join(known)})"
    if known:
        return f"unknown field (fields here: {', '.join(known)})"
    return "unknown field"


def _kind(loc: Sequence[Any], known: Sequence[str]) -> str:
    """Which kind of a union the fields ``known`` are of: a distribution by its ``dist`` (the
    tag just before the field), else by its first field, whose presence chose the kind
    (``arrivals with 'rate'``)."""
    if "dist" in known:
        return f"for dist {loc[-2]}"
    holder = loc[-3:-2]  # the field that holds the union (before the tag), if any
    if holder and isinstance(holder[0], str):
        return f"for {holder[0]} with '{known[0]}'"
    return f"beside '{known[0]}'"


def _described(value: Any) -> str:
    """A value as a message names what was written instead: ``the list [1, 2]``."""
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "empty (null)"}[value]
    if isinstance(value, datetime.date):  # YAML reads 2026-02-01 as a date
        return f"the date {value.isoformat()}"
    for kind, word in ((Mapping, "mapping"), (list | tuple, "list"), (str, "text")):
        if isinstance(value, kind):
            return f"the {word} {shown(value)}"
    if isinstance(value, int | float):
        return f"the number {shown(value)}"
    return shown(value)


def _not_a_mapping(error: Any, schema: Any) -> str:
    """A list (a number, a text) where a mapping goes, and how the mapping is written."""
    loc = tuple(error["loc"])
    example = mapping_example(schema, loc) if schema is not None else "{NAME: …}"
    return f"must be a mapping {example}, not {_described(error.get('input'))}"


def _not_a_list(error: Any) -> str:
    return (
        f"must be a list, one '- ' line per item (or [a, b]), not {_described(error.get('input'))}"
    )


def render_problem(error: Any, schema: Any = None) -> str:
    """The problem of one validation error in plain words; ``schema`` (the root type that
    was validated) lets an unknown field be told the closest known name."""
    kind = error["type"]
    message: str = error["msg"]
    if kind == "missing":
        return "required field is missing"
    if kind in UNKNOWN_FIELD:
        return _unknown(error, schema)
    if kind == "less_than_equal" and error["loc"] and str(error["loc"][-1]) in _BOUNDS:
        return f"{shown(error.get('input'))} is too many: {_BOUNDS[str(error['loc'][-1])]}"
    if kind == "union_tag_invalid":
        ctx = error.get("ctx", {})
        return (
            f"unknown {ctx.get('discriminator', 'kind').strip(chr(39))} {shown(ctx.get('tag'))} "
            f"(expected one of: {ctx.get('expected_tags')})"
        )
    if kind == "union_tag_not_found":
        ctx = error.get("ctx", {})
        return f"missing {ctx.get('discriminator', 'kind')} (which distribution?)"
    if kind == "value_error":
        return message.removeprefix("Value error, ")
    if kind in _NOT_A_MAPPING:
        return _not_a_mapping(error, schema)
    if kind in _NOT_A_LIST:
        return _not_a_list(error)
    loc = tuple(part for part in error["loc"] if part not in DAY_TYPE_TAGS)
    if kind in {"too_short", "too_long"} and (
        loc[-1:] == ("profile",) or loc[-2:-1] == ("profile",)
    ):
        return (
            f"a profile needs {HOURS_PER_DAY} hourly weights (hours 0..23), "
            f"got {error.get('ctx', {}).get('actual_length')}"
        )
    if kind == "too_short" and error.get("ctx", {}).get("min_length") == 1:
        return "needs at least one item"
    if kind == "string_type":
        return f"must be text, not {_described(error.get('input'))}"
    if kind in {"int_type", "int_parsing", "float_type", "float_parsing"}:
        problem = message.replace("Input should be", "must be").split(",")[0]
        return f"{problem}, not {shown(error.get('input'))}"
    return message.replace("Input should be", "must be").replace("Tuple", "list")
