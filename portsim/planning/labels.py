"""A planning parameter and configuration in a planner's words: a parameter's ``--vary``
name, or words from its path (``egates at hall (lanes)`` for
``stages.hall.lanes.egates.count``); a configuration as ``egates at hall (lanes) 9``. The
planning results' tables (:mod:`.frames`) and reports (``portsim.report.planning``) label
configurations with them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .vary import Parameter

__all__ = ["configuration_words", "parameter_words", "path_words"]

#: the words of a lane group's field, after ``stages.S.lanes.G.``
_FIELD_WORDS = {"count": "lanes", "schedule": "schedule", "serves": "who it serves"}


def path_words(path: str) -> str:
    """Words for a scenario field's path: ``egates at hall (lanes)`` for
    ``stages.hall.lanes.egates.count``, ``residents (arrivals, daily total)`` for
    ``flows.residents.arrivals.daily_total``."""

    def said(parts: Sequence[str]) -> str:
        return ", ".join(p.replace("_", " ") for p in parts)

    match path.split("."):
        case ["stages", stage, "lanes", group, field]:
            return f"{group} at {stage} ({_FIELD_WORDS.get(field, said([field]))})"
        case ["stages", stage, "lanes", group, *rest]:
            return f"{group} at {stage}" + (f" ({said(rest)})" if rest else "")
        case ["stages" | "flows", name, *rest] if rest:
            return f"{name} ({said(rest)})"
        case parts:
            return said(parts)


def parameter_words(parameter: Parameter) -> str:
    """A parameter's name as given with ``--vary NAME:PATH=…`` (or ``variant``), else words
    derived from its path."""
    path = parameter.path
    return path_words(path) if path is not None and parameter.name == path else parameter.name


def configuration_words(parameters: Sequence[Parameter], values: Iterable[tuple[str, str]]) -> str:
    """A configuration in words: ``egates at hall (lanes) 9, counters at hall (lanes) 8``
    (a capacity search's ``scale 0.6`` as ``0.6 × demand``)."""
    said = {p.name: parameter_words(p) for p in parameters}
    parts = [
        f"{label} × demand"
        if name == "scale" and name not in said
        else f"{said.get(name, name)} {label}"
        for name, label in values
    ]
    return ", ".join(parts) or "as given"
