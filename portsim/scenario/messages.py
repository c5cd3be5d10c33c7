"""Validation errors in the planner's words: a field path that names list items by their
``name``, and a problem stated plainly."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..units import HOURS_PER_DAY

__all__ = ["render_path", "render_problem"]


def render_path(loc: Sequence[int | str], data: Any, *, keep_missing: bool) -> str:
    """Turn a validation location into a path that names list items by their ``name``.

    Location parts that are not in the data (the tags pydantic adds for unions) are dropped,
    except the last part of a missing field's location, which names that field.
    """
    parts: list[str] = []
    node = data
    for position, part in enumerate(loc):
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
            name = item.get("name") if isinstance(item, Mapping) else None
            parts.append(name if isinstance(name, str) and name else str(part))
            node = item
            continue
        parts.append(str(part))
        node = None
    return ".".join(parts) if parts else "(top level)"


def render_problem(error: Any) -> str:
    kind = error["type"]
    message: str = error["msg"]
    if kind == "missing":
        return "required field is missing"
    if kind in {"unexpected_keyword_argument", "extra_forbidden"}:
        return "unknown field"
    if kind == "union_tag_invalid":
        ctx = error.get("ctx", {})
        return (
            f"unknown {ctx.get('discriminator', 'kind').strip(chr(39))} {ctx.get('tag')!r} "
            f"(expected one of: {ctx.get('expected_tags')})"
        )
    if kind == "union_tag_not_found":
        ctx = error.get("ctx", {})
        return f"missing {ctx.get('discriminator', 'kind')} (which distribution?)"
    if kind == "value_error":
        return message.removeprefix("Value error, ")
    if kind in {"too_short", "too_long"} and error["loc"][-1:] == ("profile",):
        return (
            f"a profile needs {HOURS_PER_DAY} hourly weights (hours 0..23), "
            f"got {error.get('ctx', {}).get('actual_length')}"
        )
    if kind == "too_short" and error.get("ctx", {}).get("min_length") == 1:
        return "needs at least one item"
    return message.replace("Input should be", "must be").replace("Tuple", "list")
