"""Safe YAML loading that rejects duplicate keys, keeps clock times as text and bounds what
a file can make the loader do.

* A key given twice in one mapping is an error; merge keys (``<<: *defaults``) are YAML and
  are accepted (a key given beside a merge overrides the merged one, as YAML says).
* YAML 1.1 reads ``6:30`` as the base-60 integer 390 and ``010`` as the octal 8. This loader
  keeps both as text: ``6:30`` is then read as a clock time where a time of day is meant
  (:mod:`.fields`) and is an error anywhere else; no number is ever taken in base 60 or 8.
* Nesting deeper than :data:`MAX_DEPTH` is refused before it is built (the C parser would
  exhaust the stack), and so is a file whose aliases expand to more than
  :data:`MAX_VALUES` values (an alias bomb) or that contains itself through an alias.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

import yaml
from yaml.resolver import Resolver

from ..errors import ScenarioError
from ..units import shown

__all__ = ["MAX_DEPTH", "MAX_VALUES", "dump_yaml", "load_yaml"]

#: the deepest nesting of mappings and lists a scenario file may have (a scenario nests
#: about eight deep)
MAX_DEPTH = 100
#: the most values (mappings, lists, keys and scalars) a file may expand to, with every
#: alias expanded: more than a year of timed arrivals, one every 16 seconds
MAX_VALUES = 2_000_000

_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_MERGE = "tag:yaml.org,2002:merge"
#: YAML 1.1 integers and floats less the base-60 (``6:30``) and octal (``010``) forms
_DECIMAL_INT = re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?0x[0-9a-fA-F_]+|[-+]?(?:0|[1-9][0-9_]*))$")
_DECIMAL_FLOAT = re.compile(
    r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?"
    r"|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)"
    r"|\.(?:nan|NaN|NAN))$"
)


class _StrictLoader(_Base):  # type: ignore[misc, valid-type]
    """The safe loader, except that a key given twice in one mapping is an error and numbers
    are never read in base 60 or 8."""

    yaml_implicit_resolvers: ClassVar[dict[Any, list[tuple[str, re.Pattern[str]]]]] = {
        first: [(tag, regex) for tag, regex in resolvers if tag not in {_INT, _FLOAT}]
        for first, resolvers in Resolver.yaml_implicit_resolvers.items()
    }

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        """A date or a time stamp; one that does not exist (2026-02-30) stays text, for the
        field to say why."""
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)

    def flatten_mapping(self, node: yaml.MappingNode) -> None:
        """Check the keys written in the mapping (merged ones aside) once, then merge."""
        checked: set[int] = self.__dict__.setdefault("_checked", set())
        if id(node) not in checked:
            checked.add(id(node))
            _check_duplicates(self, node)
        super().flatten_mapping(node)


_StrictLoader.add_implicit_resolver(_INT, _DECIMAL_INT, list("-+0123456789"))
_StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _StrictLoader.construct_yaml_timestamp)
_StrictLoader.add_implicit_resolver(_FLOAT, _DECIMAL_FLOAT, list("-+0123456789."))


def _check_duplicates(loader: yaml.SafeLoader, node: yaml.MappingNode) -> None:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        if key_node.tag == _MERGE:
            continue
        key = loader.construct_object(key_node, deep=True)
        try:
            repeated = key in seen
        except TypeError:  # an unhashable key (a list as a key): the constructor says so
            continue
        if repeated:
            mark = key_node.start_mark
            raise ScenarioError(
                f"line {mark.line + 1}", f"key {shown(key)} is given twice in the same mapping"
            )
        seen.add(key)


_TOO_DEEP = f"nested more than {MAX_DEPTH} levels deep: a scenario nests about 8"


def _check_depth(text: str) -> None:
    """Refuse nesting deeper than :data:`MAX_DEPTH`, reading the parser's events (which
    never nest) only when the text has enough indicators to nest that deep."""
    indicators = sum(text.count(c) for c in "[{-:?")
    if indicators < MAX_DEPTH:
        return
    depth = 0
    for event in yaml.parse(text, Loader=_Base):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                mark = event.start_mark
                raise ScenarioError(
                    f"line {mark.line + 1}" if mark else "",
                    _TOO_DEEP,
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _check_expansion(data: Any) -> None:
    """Count the values of ``data`` as if every alias were written out (shared lists and
    mappings counted once per use, computed once each), and refuse a value that contains
    itself or more than :data:`MAX_VALUES` values."""
    sizes: dict[int, int] = {}
    open_: set[int] = set()
    stack: list[tuple[Any, bool]] = [(data, False)]
    while stack:
        node, done = stack.pop()
        if not isinstance(node, dict | list):
            continue
        children = list(node.values()) if isinstance(node, dict) else node
        if done:
            size = 1 + len(node) * isinstance(node, dict)
            size += sum(sizes.get(id(c), 1) for c in children)
            sizes[id(node)] = size
            open_.discard(id(node))
            if size > MAX_VALUES:
                raise ScenarioError(
                    "",
                    f"the file expands to more than {MAX_VALUES:,} values through its aliases "
                    "(*name): an alias bomb, or a scenario far too large",
                )
            continue
        if id(node) in sizes:
            continue
        if id(node) in open_:
            raise ScenarioError("", "a value contains itself through an alias (*name)")
        open_.add(id(node))
        stack.append((node, True))
        stack.extend((c, False) for c in children if isinstance(c, dict | list))


def load_yaml(text: str) -> Any:
    """Parse YAML text safely; a syntax error becomes a :class:`ScenarioError` with its line."""
    try:
        _check_depth(text)
        data = yaml.load(text, Loader=_StrictLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "YAML"
        problem = exc.problem or exc.context or "not valid YAML"
        if "nesting depth" in problem:  # PyYAML 6.0.4 on: its own limit, met while scanning
            raise ScenarioError(where, _TOO_DEEP) from None
        raise ScenarioError(where, f"YAML syntax error: {problem}") from None
    except yaml.YAMLError as exc:
        raise ScenarioError("", f"YAML error: {shown(str(exc))}") from None
    except RecursionError:
        raise ScenarioError("", f"nested more than {MAX_DEPTH} levels deep") from None
    _check_expansion(data)
    return data


def dump_yaml(data: Any) -> str:
    """YAML text for plain data, in the given key order."""
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
