"""The calibration's outcomes and its tables' words (:mod:`tests.calibration` runs the
search; here only what a documented figure came to, and how the guide's tables say it)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from portsim.results.figures import CANNOT_TELL, NOT_REPRODUCED, REPRODUCED
from portsim.scenario.assumptions import Assumption

from .calibration_search import Told

__all__ = ["Outcome", "Outcomes", "ranges_block", "shown", "told_text", "verdict_text"]


@dataclass(frozen=True)
class Outcome:
    """One documented figure at one point: its kind, verdict and relative miss."""

    figure: str
    check: str
    verdict: str
    #: how far the simulated mean lies outside what the publication allows, relative to the
    #: published figure (0 inside)
    miss: float


Outcomes = tuple[Outcome, ...]


Outcomes = tuple[Outcome, ...]


def verdict_text(outcomes: Outcomes) -> str:
    """``not reproduced (1 reproduced, 1 not reproduced)`` over the validation figures."""
    verdicts = [o.verdict for o in outcomes if o.check == "validation"]
    if not verdicts:
        return "nothing to validate"
    order = (REPRODUCED, CANNOT_TELL, NOT_REPRODUCED)
    counts = ", ".join(f"{verdicts.count(v)} {v}" for v in order if v in verdicts)
    overall = next(v for v in reversed(order) if v in verdicts)
    return f"{overall} ({counts})"


def shown(a: Assumption, value: float) -> str:
    """A value of ``a`` in the tables: ``30 s``, ``1.2 m/s``, ``0.75``."""
    unit = {"duration": " s", "speed": " m/s"}.get(a.kind, "")
    return f"{value:g}{unit}"


def told_text(a: Assumption, told: Told) -> str:
    """``30 s (25 s – 35 s do as well)``, or that the figures cannot tell."""
    if told.cannot_tell:
        return f"cannot tell (taken: {shown(a, told.value)})"
    if told.low == told.high:
        return shown(a, told.value)
    return f"{shown(a, told.value)} ({shown(a, told.low)} – {shown(a, told.high)} do as well)"


_MARK = {REPRODUCED: "✓", NOT_REPRODUCED: "✗", CANNOT_TELL: "?"}


def ranges_block(
    base: Mapping[str, Outcomes],
    ends: Mapping[tuple[str, str], Outcomes],
    assumptions: Mapping[str, Assumption],
    used: Mapping[str, set[str]],
) -> str:
    """Each validation verdict at each shared assumption's low and high end (``ends`` by
    (case, assumption name + ``:low``/``:high``)), as Markdown."""
    names = [n for n in assumptions if any(n in u for u in used.values())]
    head = ["scenario: figure", "as in the file"]
    for n in names:
        a = assumptions[n]
        head += [f"{n} {shown(a, a.low)}", f"{shown(a, a.high)}"]
    lines = ["| " + " | ".join([*head, "holds?"]) + " |", "|" + " --- |" * (len(head) + 1)]
    for case, outcomes in base.items():
        for k, o in enumerate(outcomes):
            if o.check != "validation":
                continue
            cells = [f"`{case}`: {o.figure}", _MARK[o.verdict]]
            seen = {o.verdict}
            for n in names:
                for end in ("low", "high"):
                    if n not in used[case]:
                        cells.append("·")
                        continue
                    verdict = ends[(case, f"{n}:{end}")][k].verdict
                    seen.add(verdict)
                    cells.append(_MARK[verdict])
            cells.append("yes" if len(seen) == 1 else "no")
            lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines)
