"""The answer first: do the pledges hold, and which variant wins and by how much, in
sentences with their 95 % intervals."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from ..run.compare import Comparison, paired_differences
from ..run.simulate import SimulationResult
from ..units import format_duration
from .tables import interval, wait_text
from .validation import validation_sentence

__all__ = ["Answer", "comparison_answer", "pledge_sentence", "run_answer"]

VERDICT_WORDS = {"pass": "holds", "fail": "fails", "inconclusive": "cannot be judged yet"}


@dataclass(frozen=True, slots=True)
class Answer:
    """A headline, its tone (``pass``, ``fail``, ``mixed`` or ``info``) and the sentences
    that back it."""

    headline: str
    tone: str
    points: list[str] = field(default_factory=list)


def pledge_sentence(target: dict[str, Any]) -> str:
    """One pledge's outcome: the share achieved, its interval and the verdict."""
    scope = (
        f"flow {target['flow']}"
        if target["flow"]
        else (f"at stage {target['stage']}" if target["stage"] else "all travellers")
    )
    share = target["share"]
    achieved = "-" if share["mean"] is None else f"{share['mean']:.1%}"
    return (
        f"{target['name']} ({scope}): {achieved} waited at most "
        f"{format_duration(target['wait_within_s'])} (95 % interval "
        f"{interval(share, percent=True)}) against a pledge of {target['target']:.0%} — "
        f"{VERDICT_WORDS[target['verdict']]}."
    )


def _waits_sentence(summary: dict[str, Any]) -> str:
    overall = summary["overall"]
    return (
        f"Travellers waited {wait_text(overall['wait_mean_s'])} on average (95 % interval "
        f"{interval(overall['wait_mean_s'])}); 95 % waited at most "
        f"{wait_text(overall['wait_p95_s'])}; the longest wait was "
        f"{wait_text(overall['wait_max_s'])}."
    )


def _busiest_stage(summary: dict[str, Any]) -> str | None:
    stages = [
        (m["wait_mean_s"]["mean"], name, m)
        for name, m in summary["stages"].items()
        if m["wait_mean_s"]["mean"] is not None and not math.isnan(m["wait_mean_s"]["mean"])
    ]
    if not stages:
        return None
    _, name, m = max(stages, key=lambda s: s[0])
    busy = m["utilization"]["mean"]
    return (
        f"The longest queues are at stage {name}: a mean wait of "
        f"{wait_text(m['wait_mean_s'])}, lanes busy {busy:.0%} of their open time."
    )


def run_answer(result: SimulationResult) -> Answer:
    """Do the pledges hold? Without pledges: how long travellers waited."""
    summary = result.summary
    targets = summary.get("targets", [])
    facts = [_waits_sentence(summary)]
    busiest = _busiest_stage(summary)
    if busiest:
        facts.append(busiest)
    validated = validation_sentence(summary)
    if validated:  # the documented figures' verdicts, counted
        facts.append(validated)
    if not targets:
        return Answer(_waits_sentence(summary).split(";")[0] + ".", "info", facts[1:])
    verdicts = [t["verdict"] for t in targets]
    n = len(targets)
    if all(v == "pass" for v in verdicts):
        headline, tone = (f"All {n} pledges hold." if n > 1 else "The pledge holds."), "pass"
    elif "fail" in verdicts:
        failing = verdicts.count("fail")
        headline, tone = (
            f"{failing} of {n} pledge{'s' if n > 1 else ''} fail{'s' if failing == 1 else ''}.",
            "fail",
        )
    else:
        undecided = verdicts.count("inconclusive")
        headline = f"{undecided} of {n} pledges cannot be judged yet; none fails."
        tone = "mixed"
    return Answer(headline, tone, [pledge_sentence(t) for t in targets] + facts)


def _difference(stat: dict[str, Any]) -> tuple[str, bool]:
    """``1.2 min shorter (95 % interval 0.9 min – 1.5 min)`` and whether the interval is
    clear of zero (the run can tell the difference)."""
    mean, ci = stat["mean"], stat.get("ci95")
    text = f"{format_duration(abs(mean))} {'shorter' if mean < 0 else 'longer'}"
    if not ci:
        return text, False
    clear = ci[0] * ci[1] > 0
    if clear:
        low, high = sorted((abs(ci[0]), abs(ci[1])))
        return f"{text} (95 % interval {format_duration(low)} – {format_duration(high)})", True
    return (
        f"{text} (95 % interval from {_signed(ci[0])} to {_signed(ci[1])}, which holds zero)",
        False,
    )


def _signed(seconds: float) -> str:
    return ("+" if seconds >= 0 else "−") + format_duration(abs(seconds))


def _pledges_line(name: str, summary: dict[str, Any]) -> str | None:
    targets = summary.get("targets", [])
    if not targets:
        return None
    held = sum(t["verdict"] == "pass" for t in targets)
    failed = sum(t["verdict"] == "fail" for t in targets)
    rest = len(targets) - held - failed
    extra = f", {failed} fail" if failed else ""
    extra += f", {rest} cannot be judged yet" if rest else ""
    return f"{name}: {held} of {len(targets)} pledges hold{extra}."


def comparison_answer(comparison: Comparison) -> Answer:
    """Which variant has the shortest mean wait, and by how much it beats the runner-up
    (paired by replication, with the 95 % interval of the difference)."""
    names = list(comparison.variants)
    means = {n: comparison.results[n].summary["overall"]["wait_mean_s"]["mean"] for n in names}
    ranked = sorted(names, key=lambda n: math.inf if means[n] is None else means[n])
    best, runner = ranked[0], ranked[1]
    diff = paired_differences(comparison.results[runner], comparison.results[best])
    text, clear = _difference(diff["overall"]["wait_mean_s"])
    if clear:
        headline = f"{best} has the shortest waits: on average {text} than {runner}."
    else:
        headline = (
            f"{best} has the shortest mean wait, but the run cannot tell it from {runner}: {text}."
        )
    p95, _ = _difference(diff["overall"]["wait_p95_s"])
    points = [f"The 95th-percentile wait of {best} is {p95} than {runner}'s."]
    for n in ranked:
        overall = comparison.results[n].summary["overall"]
        points.append(
            f"{n}: mean wait {wait_text(overall['wait_mean_s'], True)}, "
            f"p95 {wait_text(overall['wait_p95_s'])}."
        )
    points += [line for n in names if (line := _pledges_line(n, comparison.results[n].summary))]
    return Answer(headline, "pass" if clear else "mixed", points)
