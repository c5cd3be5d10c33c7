"""The field names a scenario file may use at a place, so that an unknown one can be named
with the closest known one: ``horizn: unknown field (did you mean horizon?)``.

A place is a validation location (pydantic's ``loc``): field names (as written in a file,
``from`` rather than ``start``), list indices, mapping keys, and the tags of the unions
(``constant-rate``, ``exponential``) that tell kinds of arrivals, distributions and
transfers apart.
"""

from __future__ import annotations

import dataclasses
import difflib
import types
from collections.abc import Sequence
from dataclasses import fields, is_dataclass
from typing import Annotated, Any, Union, get_args, get_origin, get_type_hints

from pydantic import Tag

__all__ = ["closest_name", "field_names", "mapping_example"]

#: how alike a name must be to be suggested (difflib's ratio)
SIMILAR = 0.6


def _unwrap(tp: Any) -> tuple[Any, tuple[Any, ...]]:
    """The type inside any ``Annotated`` layers, and their metadata."""
    metadata: tuple[Any, ...] = ()
    while get_origin(tp) is Annotated:
        args = get_args(tp)
        tp, metadata = args[0], metadata + tuple(args[1:])
    return tp, metadata


def _tags(member: Any) -> set[str]:
    """The tags a union member answers to: its ``Tag``, or its ``dist`` literal."""
    inner, metadata = _unwrap(member)
    tags = {m.tag for m in metadata if isinstance(m, Tag)}
    if is_dataclass(inner):
        for f in fields(inner):
            if f.name == "dist" and isinstance(f.default, str):
                tags.add(f.default)
    return tags


def _aliases(tp: Any) -> dict[str, str]:
    aliases: dict[str, str] = getattr(tp, "aliases", {})
    return aliases


def _resolve(tp: Any, parts: Sequence[Any], siblings: bool) -> list[Any]:
    """The dataclasses the value at ``parts`` below type ``tp`` may be validated as; with
    ``siblings``, every member of a tagged union rather than the tagged one."""
    tp, _ = _unwrap(tp)
    origin = get_origin(tp)
    if origin is Union or origin is types.UnionType:
        members = [m for m in get_args(tp) if m is not type(None)]
        tagged = [m for m in members if parts and str(parts[0]) in _tags(m)]
        if tagged:
            chosen = members if siblings else tagged
            return [t for m in chosen for t in _resolve(m, parts[1:], siblings)]
        return [t for m in members for t in _resolve(m, parts, siblings)]
    if not parts:
        return [tp] if is_dataclass(tp) else []
    part, rest = parts[0], parts[1:]
    if is_dataclass(tp):
        by_file_name = {_aliases(tp).get(f.name, f.name): f.name for f in fields(tp)}
        hints = get_type_hints(tp, include_extras=True)
        name = by_file_name.get(str(part))
        return _resolve(hints[name], rest, siblings) if name in hints else []
    args = get_args(tp)
    if origin is tuple and args:
        return _resolve(args[0], rest, siblings)
    if origin is dict and len(args) == 2:  # noqa: PLR2004 - key and value types
        return _resolve(args[1], rest, siblings)
    return []


def field_names(root: Any, parts: Sequence[Any], *, siblings: bool = False) -> list[str]:
    """The names a mapping at ``parts`` below ``root`` may hold, as written in a file."""
    names: list[str] = []
    for tp in _resolve(root, parts, siblings):
        for f in fields(tp):
            name = _aliases(tp).get(f.name, f.name)
            if name not in names:
                names.append(name)
    return names


def closest_name(root: Any, loc: Sequence[Any]) -> tuple[str | None, list[str], bool]:
    """For an unknown field at ``loc``: the closest known name (None if none is close), the
    names known there, and whether the field is one of another kind (``mean`` under
    ``dist: constant``, ``every`` beside ``rate``), which no other name would mend."""
    word, parts = str(loc[-1]), loc[:-1]
    known = field_names(root, parts)
    match = difflib.get_close_matches(word, known, n=1, cutoff=SIMILAR)
    if match:
        return match[0], known, False
    others = field_names(root, parts, siblings=True)
    if word in others:
        return None, known, True
    match = difflib.get_close_matches(word, others, n=1, cutoff=SIMILAR)
    return (match[0] if match else None), known, False


def _required(tp: Any) -> list[str]:
    """The fields a file must give for ``tp``, as written: those without a default, and a
    distribution's ``dist`` (its default in Python says which kind it is)."""
    names = []
    for f in fields(tp):
        needed = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        if needed or f.name == "dist":
            shown = f.default if f.name == "dist" else "…"
            names.append(f"{_aliases(tp).get(f.name, f.name)}: {shown}")
    return sorted(names, key=lambda name: not name.startswith("dist:"))  # dist first


def mapping_example(root: Any, parts: Sequence[Any]) -> str:
    """How the mapping at ``parts`` below ``root`` is written: its required fields
    (``{name: …, arrivals: …, route: …}``; of a union's first kind, ``such as {dist:
    exponential, mean: …}``), or ``{NAME: …}`` where names are keys."""
    kinds = _resolve(root, parts, siblings=False)
    if not kinds:
        return "{NAME: …}"
    required = _required(kinds[0]) or [f"{field_names(root, parts)[0]}: …"]
    return ("such as " if len(kinds) > 1 else "") + "{" + ", ".join(required) + "}"
