"""Safe YAML loading that rejects duplicate keys and reports the line of a syntax error."""

from __future__ import annotations

from typing import Any

import yaml

from ..errors import ScenarioError

__all__ = ["dump_yaml", "load_yaml"]

_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_Base):  # type: ignore[misc, valid-type]
    """The safe loader, except that a key given twice in one mapping is an error."""


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False) -> Any:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            mark = key_node.start_mark
            raise ScenarioError(
                f"line {mark.line + 1}", f"key {key!r} is given twice in the same mapping"
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(text: str) -> Any:
    """Parse YAML text safely; a syntax error becomes a :class:`ScenarioError` with its line."""
    try:
        return yaml.load(text, Loader=_StrictLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "YAML"
        problem = exc.problem or exc.context or "not valid YAML"
        raise ScenarioError(where, f"YAML syntax error: {problem}") from None
    except yaml.YAMLError as exc:
        raise ScenarioError("", f"YAML error: {exc}") from None


def dump_yaml(data: Any) -> str:
    """YAML text for plain data, in the given key order."""
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
