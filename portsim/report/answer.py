"""The answer first: do the pledges hold, and which variant wins on what the comparison is
about and by how much, in sentences with their 95 % intervals."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..results.catalog import (
    SHARE,
    SHUTTLE_AT_STOP,
    SHUTTLE_CENSORED_WAIT_MEAN,
    SHUTTLE_DEPARTURES,
    SHUTTLE_QUEUE_MAX,
    SHUTTLE_WAIT_MEAN,
    TIME_IN_PORT,
    UTILIZATION,
    WAIT_MAX,
    WAIT_MEAN,
    WAIT_P95,
    Metric,
)
from ..results.scopes import OVERALL, Scope
from ..results.summary import PledgeResult, Summary
from ..run.compare import Comparison, paired_differences
from ..run.simulate import SimulationResult
from ..units import format_duration
from .cells import interval_text, stat_text, value_text
from .forecast import forecast_heading, forecast_lines
from .validation import validation_sentence

__all__ = ["VERDICT_WORDS", "Answer", "comparison_answer", "pledge_sentence", "run_answer"]

VERDICT_WORDS = {"pass": "holds", "fail": "fails", "inconclusive": "cannot be judged yet"}


@dataclass(frozen=True, slots=True)
class Answer:
    """A headline, its tone (``pass``, ``fail``, ``mixed`` or ``info``) and the sentences
    that back it."""

    headline: str
    tone: str
    points: list[str] = field(default_factory=list)


def pledge_sentence(pledge: PledgeResult) -> str:
    """One pledge's outcome: the share achieved, its interval and the verdict."""
    return (
        f"{pledge.name} ({'at ' if pledge.stage else ''}{pledge.for_whom}): "
        f"{stat_text(SHARE, pledge.share)} waited at most "
        f"{format_duration(pledge.wait_within)} (95 % interval "
        f"{interval_text(SHARE, pledge.share)}) against a pledge of {pledge.pledged:.0%} — "
        f"{VERDICT_WORDS[pledge.verdict]}."
    )


def _bus_stops(summary: Summary) -> list[Scope]:
    """The stages a bus on demand leaves from."""
    return [s for s in summary.scopes("stage") if summary.has(s, SHUTTLE_DEPARTURES)]


def _bus_clause(summary: Summary) -> str:
    """``, and 2.7 h for the bus at exit`` (the stop with the longest wait for its bus),
    where a bus on demand leaves: that wait is no queue wait, but travellers wait it."""
    stops = [
        (summary.mean(s, SHUTTLE_WAIT_MEAN), s)
        for s in _bus_stops(summary)
        if not math.isnan(summary.mean(s, SHUTTLE_WAIT_MEAN))
    ]
    if not stops:
        return ""
    _, stop = max(stops, key=lambda item: item[0])
    wait = stat_text(SHUTTLE_WAIT_MEAN, summary.find(stop, SHUTTLE_WAIT_MEAN))
    return f", and {wait} for the bus at {stop.name}"


def _waits_sentence(summary: Summary) -> str:
    mean = summary.find(OVERALL, WAIT_MEAN)
    buses = _bus_clause(summary)
    where = " in the queues" if buses else ""
    return (
        f"Travellers waited {stat_text(WAIT_MEAN, mean)} on average{where} (95 % interval "
        f"{interval_text(WAIT_MEAN, mean)}){buses}; 95 % waited at most "
        f"{stat_text(WAIT_P95, summary.find(OVERALL, WAIT_P95))}; the longest wait was "
        f"{stat_text(WAIT_MAX, summary.find(OVERALL, WAIT_MAX))}."
    )


def _stop_sentences(summary: Summary) -> list[str]:
    """Who was still at a bus stop at the end of the run, and for how long so far."""
    out = []
    for stop in _bus_stops(summary):
        if summary.has(stop, SHUTTLE_AT_STOP) and summary.mean(stop, SHUTTLE_AT_STOP) > 0:
            left, so_far, most = (
                stat_text(m, summary.find(stop, m))
                for m in (SHUTTLE_AT_STOP, SHUTTLE_CENSORED_WAIT_MEAN, SHUTTLE_QUEUE_MAX)
            )
            out.append(
                f"At the bus stop of {stop.name}, {left} were still waiting for the bus at the "
                f"end of the run, for {so_far} on average so far (at least this long); at "
                f"most {most} were at the stop at once."
            )
    return out


def _busiest_stage(summary: Summary) -> str | None:
    stages = [
        (summary.mean(s, WAIT_MEAN), s)
        for s in summary.scopes("stage")
        if not math.isnan(summary.mean(s, WAIT_MEAN))
    ]
    if not stages:
        return None
    _, stage = max(stages, key=lambda item: item[0])
    return (
        f"The longest queues are at stage {stage.name}: a mean wait of "
        f"{stat_text(WAIT_MEAN, summary.find(stage, WAIT_MEAN))}, lanes busy "
        f"{stat_text(UTILIZATION, summary.find(stage, UTILIZATION))} of their staffed time."
    )


def run_answer(result: SimulationResult) -> Answer:
    """Do the pledges hold? Without pledges: how long travellers waited."""
    summary = result.summary
    pledges = summary.pledges
    facts = [_waits_sentence(summary)]
    busiest = _busiest_stage(summary)
    if busiest:
        facts.append(busiest)
    facts += _stop_sentences(summary)
    validated = validation_sentence(summary)
    if validated:  # the documented figures' verdicts, counted
        facts.append(validated)
    forecast = []  # a forecast from a state: where it starts, when each pledge is first missed
    if result.model.initial is not None:
        forecast = [
            forecast_heading(result.model) or "",
            *(line.removeprefix("- ") for line in forecast_lines(summary, result.model)),
        ]
    if not pledges:
        return Answer(_waits_sentence(summary).split(";")[0] + ".", "info", forecast + facts[1:])
    verdicts = [p.verdict for p in pledges]
    n = len(pledges)
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
    return Answer(headline, tone, forecast + [pledge_sentence(p) for p in pledges] + facts)


#: how a headline names the best value of a metric
_SUPERLATIVE = {WAIT_MEAN: "the shortest waits", TIME_IN_PORT: "the shortest time in port"}


def _superlative(m: Metric) -> str:
    if m in _SUPERLATIVE:
        return _SUPERLATIVE[m]
    if m.duration:
        return f"the {'shortest' if m.better != 'higher' else 'longest'} {m.words}"
    return f"the {'highest' if m.better == 'higher' else 'lowest'} {m.words}"


def _compared(m: Metric, mean: float) -> str:
    """``shorter``, ``longer``, ``higher``, ``lower``: how a difference of ``m`` reads."""
    if m.duration:
        return "shorter" if mean < 0 else "longer"
    return "lower" if mean < 0 else "higher"


def _signed(m: Metric, value: float) -> str:
    return ("+" if value >= 0 else "−") + value_text(m, abs(value))


def _difference(m: Metric, diff: Summary) -> tuple[str, bool]:
    """``1.2 min shorter (95 % interval 0.9 min – 1.5 min)`` and whether the interval is
    clear of zero (the run can tell the difference)."""
    stat = diff.find(OVERALL, m)
    if stat is None or not stat.known:
        return "-", False
    text = f"{value_text(m, abs(stat.mean))} {_compared(m, stat.mean)}"
    ci = stat.interval
    if ci is None:
        return text, False
    if ci[0] * ci[1] > 0:
        low, high = sorted((abs(ci[0]), abs(ci[1])))
        return f"{text} (95 % interval {value_text(m, low)} – {value_text(m, high)})", True
    return (
        f"{text} (95 % interval from {_signed(m, ci[0])} to {_signed(m, ci[1])}, which holds zero)",
        False,
    )


def _other(m: Metric, diff: Summary, best: str, runner: str) -> str:
    """How ``best`` differs from ``runner`` on another metric (or that it does not)."""
    stat = diff.find(OVERALL, m)
    zero = value_text(m, 0.0)
    shown = {value_text(m, abs(v)) for v in (stat.mean, stat.low, stat.high)} if stat else set()
    if shown == {zero}:
        return f"{m.words.capitalize()}: the same for {best} and {runner} ({zero})."
    return f"{m.words.capitalize()}: {best} {_difference(m, diff)[0]} than {runner}."


def _value(comparison: Comparison, name: str, m: Metric) -> str:
    return stat_text(m, comparison.results[name].summary.find(OVERALL, m))


def _ranked(comparison: Comparison, m: Metric) -> list[str]:
    """The variants, best first on ``m`` (those without a value last)."""
    sign = -1.0 if m.better == "higher" else 1.0

    def key(name: str) -> float:
        mean = comparison.results[name].summary.mean(OVERALL, m)
        return math.inf if math.isnan(mean) else sign * mean

    return sorted(comparison.variants, key=key)


def _pledges_line(name: str, summary: Summary) -> str | None:
    pledges = summary.pledges
    if not pledges:
        return None
    held = sum(p.verdict == "pass" for p in pledges)
    failed = sum(p.verdict == "fail" for p in pledges)
    rest = len(pledges) - held - failed
    extra = f", {failed} fail" if failed else ""
    extra += f", {rest} cannot be judged yet" if rest else ""
    return f"{name}: {held} of {len(pledges)} pledges hold{extra}."


def comparison_answer(comparison: Comparison) -> Answer:
    """Which variant is best on what the comparison is about (:attr:`Comparison.judged_on`:
    the time in port when the variants' routes differ, the waits otherwise, or the user's
    choice), by how much it beats the runner-up (paired by replication, with the 95 %
    interval of the difference), then the other metrics."""
    lead, *others = comparison.judged_on
    ranked = _ranked(comparison, lead)
    best, runner = ranked[0], ranked[1]
    diff = paired_differences(comparison.results[runner], comparison.results[best])
    text, clear = _difference(lead, diff)
    values = f"{_value(comparison, best, lead)} against {_value(comparison, runner, lead)}"
    if clear:
        headline = f"{best} has {_superlative(lead)}: on average {text} than {runner} ({values})."
    else:
        headline = (
            f"{best} has {_superlative(lead)}, but the run cannot tell it from {runner}: {text}."
        )
    points = []
    base = comparison.variants[0]
    if base not in {best, runner}:  # the saving against the first variant, the baseline
        against, _ = _difference(
            lead, paired_differences(comparison.results[base], comparison.results[best])
        )
        points.append(
            f"Against {base}, the first variant: {lead.words} {_value(comparison, base, lead)} "
            f"→ {_value(comparison, best, lead)} for {best}, {against}."
        )
    stops = {n: round(v, 2) for n, v in comparison.stops.items()}
    if len(set(stops.values())) > 1:  # what a stop costs is in the time in port
        points.append(
            "Stops on the way through (stages a traveller visits, on average): "
            + ", ".join(f"{n} {stops[n]:g}" for n in ranked)
            + " (a stop costs its queue, its check and the walk to it)."
        )
    points += [_other(m, diff, best, runner) for m in others]
    for name in ranked:
        summary = comparison.results[name].summary
        points.append(
            f"{name}: "
            + ", ".join(
                f"{m.words} {stat_text(m, summary.find(OVERALL, m), interval=m is lead)}"
                for m in comparison.judged_on
            )
            + "."
        )
    names = comparison.variants
    points += [line for n in names if (line := _pledges_line(n, comparison.results[n].summary))]
    return Answer(headline, "pass" if clear else "mixed", points)
