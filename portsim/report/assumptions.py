"""The shared assumptions a run used, in its reports: a few lines of the text report, a
small table of the HTML report (name, words, the value used, the file's, the range, the
source and its confidence; a value given for this run marked, one outside the range said),
and, for a comparison, each assumption's value in each variant. Nothing for a scenario that
uses none."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..scenario.assume import shown_value
from ..scenario.assumptions import UsedAssumption
from .tables import Table

__all__ = [
    "ASSUMPTIONS_TITLE",
    "assumptions_lines",
    "assumptions_table",
    "compared_assumptions_lines",
]

ASSUMPTIONS_TITLE = "Shared assumptions"
HEADERS = ["assumption", "what it is", "value used", "file's value", "range", "source", "conf"]
#: the mark of a value given for this run (``--assume``), and of one outside the range
GIVEN = "given for this run"
OUTSIDE = "outside the range"


def _used(a: UsedAssumption) -> str:
    marks = [m for m, on in ((GIVEN, a.overridden), (OUTSIDE, a.outside)) if on]
    return shown_value(a, a.value) + (f" ({', '.join(marks)})" if marks else "")


def _file_value(a: UsedAssumption) -> float:
    return a.value if a.file_value is None else a.file_value


def _range(a: UsedAssumption) -> str:
    return f"{shown_value(a, a.low)} – {shown_value(a, a.high)}"


def assumptions_table(used: Sequence[UsedAssumption] | None) -> Table | None:
    """The HTML report's table of the shared assumptions (None: the scenario uses none)."""
    if not used:
        return None
    rows = [
        [
            a.name,
            a.words or "",
            _used(a),
            shown_value(a, _file_value(a)),
            _range(a),
            a.source,
            a.confidence or "",
        ]
        for a in used
    ]
    csv_rows: list[list[str | float | None]] = [
        [a.name, a.value, _file_value(a), a.low, a.high, a.overridden, a.source, a.confidence]
        for a in used
    ]
    given = sum(a.overridden for a in used)
    note = (
        "The inputs no source publishes, named once in the file of shared assumptions and "
        "referenced by the scenario (durations in seconds in the CSV)"
        + (f"; {given} given another value for this run (--assume)." if given else ".")
    )
    return Table(
        name="assumptions",
        title=ASSUMPTIONS_TITLE,
        headers=HEADERS,
        rows=rows,
        csv_headers=["name", "value", "file_value", "low", "high", "overridden", "source", "conf"],
        csv_rows=csv_rows,
        note=note,
    )


def assumptions_lines(used: Sequence[UsedAssumption] | None) -> list[str]:
    """The text report's lines: each assumption, its value and where it comes from."""
    if not used:
        return []
    lines = ["", "Shared assumptions (the file's unless given for this run)"]
    for a in used:
        file_said = "" if not a.overridden else f", the file's {shown_value(a, _file_value(a))}"
        conf = f", confidence {a.confidence}" if a.confidence else ""
        lines.append(
            f"- {a.name} = {_used(a)}{file_said} (range {_range(a)}{conf})"
            + (f": {a.words}" if a.words else "")
        )
    return lines


def compared_assumptions_lines(used: Mapping[str, Sequence[UsedAssumption] | None]) -> list[str]:
    """A comparison's lines: each assumption's value in each variant (by variant name)."""
    names: dict[str, UsedAssumption] = {}
    for records in used.values():
        for a in records or ():
            names.setdefault(a.name, a)
    if not names:
        return []
    lines = ["", "Shared assumptions (value in each variant)"]
    for name, first in names.items():
        values = []
        for variant, records in used.items():
            found = next((a for a in records or () if a.name == name), None)
            values.append(f"{variant} {_used(found) if found else 'not used'}")
        lines.append(f"- {name}: {'; '.join(values)} (range {_range(first)})")
    return lines
