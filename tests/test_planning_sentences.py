"""The sentences of the planning reports, as a planner reads them, in the text, the HTML
report (parsed) and a notebook's display (parsed): nothing chosen is said without a "next
factor up" nor a ring; staffing over the hours the run has; an hourly target whose hours
tie is decided by no one hour; one configuration, one factor, one warning in the singular;
a sweep's warnings and its no-target advice in a planner's words; ``portsim sweep``'s
answer first."""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import portsim
from portsim.cli import main
from portsim.planning.capacity import CapacityResult
from portsim.planning.conditions import parse_condition
from portsim.planning.confirm import MET, judge
from portsim.planning.plan import PlanResult
from portsim.planning.requests import Setup, capacity, plan, sweep_result
from portsim.planning.sweep import SweepResult
from portsim.planning.vary import parameter
from portsim.report.planning.document import planning_report_html
from portsim.report.planning.plots import RINGED, planning_figures
from portsim.report.planning.text import (
    format_capacity,
    format_plan,
    format_staffing,
    format_sweep,
)
from portsim.report.planning.view import Cell, cell_text, planning_answer
from portsim.report.planning.words import check_words, configuration_words
from portsim.results.rows import MetricTable
from portsim.units import counted

from .planning_cases import COUNTERS, hall, hall_data, write
from .test_planning_report import _capacity, _staffing, _sweep

SERIAL = Setup(workers=1)
IMPOSSIBLE = "visitors.wait_p95<=1s"
P95 = "visitors.wait_p95<=5min"


class Report(HTMLParser):
    """What a report or a notebook's display says: the answer's headline (a report's
    ``h2``, a display's bold line beside its coloured bar) and points, the subtitle, each
    figure's caption, the warnings and their folded summary's text."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.headline = ""
        self.points: list[str] = []
        self.subtitle = ""
        self.captions: list[str] = []
        self.warnings: list[str] = []
        self.summary = ""
        self._where: list[str] = []
        self._text: list[str] | None = None
        self._tag = ""
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        css = (a.get("class") or "").split()
        if (tag == "section" and "answer" in css) or "border-left" in (a.get("style") or ""):
            self._where.append("answer")
        elif tag in {"div", "details"} and ("warnings" in css or tag == "details"):
            self._where.append("warnings")
        elif tag in {"section", "div", "details"}:
            self._where.append("")
        answer = bool(self._where) and self._where[-1] == "answer"
        if (
            tag in {"h2", "li", "figcaption", "summary"}
            or (tag == "p" and "sub" in css)
            or (tag == "b" and answer)
        ):
            self._text, self._tag = [], tag

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag in {"section", "div", "details"}:
            self._where.pop()
            return
        if self._text is None or tag != self._tag:
            return  # inside what is read (a caption's <code>)
        text, self._text = "".join(self._text).strip(), None
        where = self._where[-1] if self._where else ""
        if tag in {"h2", "b"} and where == "answer":
            self.headline = text
        elif tag == "li" and where == "answer":
            self.points.append(text)
        elif tag == "li" and where == "warnings":
            self.warnings.append(text)
        elif tag == "p":
            self.subtitle = text
        elif tag == "figcaption":
            self.captions.append(text)
        elif tag == "summary":
            self.summary = text


def _legend_labels(result: Any) -> list[str]:
    """Every legend label of every chart of a planning result."""
    return [
        label
        for figure in planning_figures(result).values()
        for ax in figure.axes
        for label in ax.get_legend_handles_labels()[1]
    ]


# --- nothing meets: no "next factor up", no ring ---------------------------------------


@cache
def _nothing_meets() -> tuple[SweepResult, PlanResult, CapacityResult]:
    swept = sweep_result(
        hall(), [parameter(COUNTERS, [3, 4])], replications=2, setup=SERIAL, targets=[IMPOSSIBLE]
    )
    planned = plan(hall(), {COUNTERS: "3:4"}, [IMPOSSIBLE], replications=2, setup=SERIAL)
    assert isinstance(planned, PlanResult)
    searched = capacity(
        hall(), ["flows.visitors.arrivals.rate"], [IMPOSSIBLE], factors="1:3:1",
        replications=2, setup=SERIAL,
    )  # fmt: skip
    return swept, planned, searched


def test_a_capacity_search_where_nothing_meets_says_why_at_the_smallest_factor() -> None:
    *_, searched = _nothing_meets()
    assert searched.factor is None
    assert [float(dict(e.configuration.values)["scale"]) for e in searched.judged] == [1.0]
    lines = format_capacity(searched).splitlines()
    assert lines[0].startswith("Not even the smallest demand tried meets every target: ")
    assert "tried)" not in lines[0]  # no "(factors 1 to 3 tried)": one of three was judged
    assert lines[1] == "at the smallest factor, 1 ×, failed because:"
    assert lines[2].startswith("  flow visitors: 95th-percentile wait ≤ 1.0 s: ")
    assert lines[2].endswith(" failed")
    assert lines[3].startswith("1 of 3 factors judged (search)")
    assert "next factor up" not in "\n".join(lines)
    shown = Report(planning_report_html(searched))
    assert shown.headline == planning_answer(searched).headline
    assert not [p for p in shown.points if "next factor up" in p.lower()]
    (why,) = [p for p in shown.points if p.startswith("At the smallest factor, 1 ×, ")]
    assert why.startswith("At the smallest factor, 1 ×, failed because: flow visitors: ")
    assert why.endswith(" failed.")
    assert "1 factor judged with " in shown.points[-1]
    n = len(searched.factors)
    assert shown.subtitle.startswith(f"1 of {n} demand factors judged (search), ")


def test_when_nothing_is_chosen_no_ring_is_drawn_nor_said() -> None:
    for result in _nothing_meets():
        shown = Report(planning_report_html(result))
        assert shown.captions
        assert not [c for c in shown.captions if "Ringed" in c or "ringed" in c]
        assert not [label for label in _legend_labels(result) if label.startswith("chosen")]


def test_a_chosen_configuration_is_ringed_and_said() -> None:
    result = _capacity()
    assert result.factor is not None
    shown = Report(planning_report_html(result))
    assert shown.captions
    assert all(RINGED["capacity"] in c for c in shown.captions)
    assert [label for label in _legend_labels(result) if label.startswith("chosen: ")]


# --- staffing: over the run's hours --------------------------------------------------


def test_staffing_says_lane_hours_over_the_runs_hours_unless_it_is_a_day() -> None:
    result = _staffing()
    assert result.counts is not None
    hours = len(result.counts)
    assert hours < 24
    shown = Report(planning_report_html(result))
    (said,) = [p for p in shown.points if "planned lane-hours" in p]
    assert said.startswith(
        f"{result.lane_hours} planned lane-hours over the {hours} hours against "
        f"{result.fixed_lane_hours} for the best fixed count ({result.fixed} lanes all along;"
    )
    assert " a day" not in said
    assert "all day" not in said
    assert (
        f"planned lane-hours over the {hours} hours: {result.lane_hours} against "
        f"{result.fixed_lane_hours} for the best fixed count ({result.fixed} lanes all along)"
    ) in format_staffing(result).splitlines()
    day = replace(result, counts=(2,) * 24, fixed=3)
    (said,) = [p for p in planning_answer(day).points if "planned lane-hours" in p]
    assert said.startswith("48 planned lane-hours a day against 72 for the best fixed count ")
    assert "(3 lanes all day;" in said
    assert (
        "planned lane-hours a day: 48 against 72 for the best fixed count (3 lanes all day)"
    ) in format_staffing(day).splitlines()


# --- an hourly target's hours that tie -----------------------------------------------


def _tables(by_hour: dict[int, float]) -> list[MetricTable]:
    condition = parse_condition("share_within(30min)>=95% each hour", hall())
    return [{condition.key(h): v for h, v in by_hour.items()} for _ in range(3)]


def test_an_hourly_target_met_alike_in_every_hour_is_decided_by_no_one_hour() -> None:
    condition = parse_condition("share_within(30min)>=95% each hour", hall())
    check = judge(condition, _tables({5: 1.0, 6: 1.0, 7: 1.0, 8: 1.0}), 0.95)
    # the numbers as before: the first of the worst hours, its value
    assert (check.status, check.mean, check.hour) == (MET, 1.0, 5)
    assert (check.alike, check.hours) == (3, 4)
    assert check_words(check).endswith("100.00% [100.00%, 100.00%] in each of the 4 hours met")
    assert "05:00" not in check_words(check)
    assert check.describe().endswith(" in each of the 4 hours met")
    cell = Cell(check.mean, check.ci, check.status, check.hour, check.alike, check.hours)
    assert cell_text(condition, cell).endswith(" in each of the 4 hours met")


def test_hours_that_tie_in_part_are_counted_and_a_single_worst_hour_is_named() -> None:
    condition = parse_condition("share_within(30min)>=95% each hour", hall())
    some = judge(condition, _tables({5: 0.97, 6: 0.97, 7: 1.0}), 0.95)
    assert (some.hour, some.alike, some.hours) == (5, 1, 3)
    assert some.mean == pytest.approx(0.97)
    assert check_words(some).endswith(" in 05:00–06:00 and 1 other hour met")
    one = judge(condition, _tables({5: 1.0, 6: 0.97, 7: 0.99}), 0.95)
    assert (one.hour, one.alike) == (6, 0)
    assert check_words(one).endswith(" in 06:00–07:00 met")
    failed = judge(condition, _tables({5: 0.5, 6: 0.5, 7: 1.0}), 0.95)
    assert failed.status == "failed"
    assert check_words(failed).endswith(" in 05:00–06:00 and 1 other hour failed")


# --- plurals ---------------------------------------------------------------------------


def test_counts_of_one_are_singular() -> None:
    assert counted(1, "configuration") == "1 configuration"
    assert counted(6, "configuration") == "6 configurations"
    assert counted(1_200, "run") == "1,200 runs"
    assert counted(1, "other hour") == "1 other hour"
    assert counted(2, "party", "parties") == "2 parties"


def test_one_configuration_and_one_factor_read_in_the_singular() -> None:
    one = sweep_result(
        hall(), [parameter(COUNTERS, [4])], replications=2, setup=SERIAL, targets=[P95]
    )
    text = format_sweep(one)
    assert "\nsweep: 1 configuration x 2 replications, seed " in text
    assert " 1 configurations" not in text
    shown = Report(one._repr_html_())
    assert shown.headline == planning_answer(one, "python").headline
    assert " of 1 configuration " in shown.headline
    assert (
        repr(one)
        .splitlines()[0]
        .startswith("SweepResult: sweep of 1 configuration x 2 replications, seed ")
    )
    page = Report(planning_report_html(one))
    assert page.subtitle.startswith("1 configuration x 2 replications, seed ")
    *_, searched = _nothing_meets()
    assert (
        repr(searched)
        .splitlines()[0]
        .startswith("CapacityResult: capacity: 1 of 3 demand factors judged (search), ")
    )
    lone = replace(searched, factors=(1.0,))
    assert "capacity: 1 of 1 demand factor judged" in repr(lone)
    _, planned, _ = _nothing_meets()
    assert "configuration judged" in format_plan(replace(planned, grid_configurations=1))


# --- a sweep's warnings and its advice without targets --------------------------------

#: a warning as the model writes it: the hour with a hyphen
HYPHENED = (
    "stage 'hall': offered load 1.04 >= 1 in hour 09:00-10:00 of day 1: queues build up "
    "during that peak"
)


def test_a_sweeps_warnings_name_the_configuration_in_words_and_hours_with_a_dash() -> None:
    swept = _sweep()
    first = swept.configurations[0]
    warned = replace(swept, warnings={first.label(): (HYPHENED,)})
    said = configuration_words(swept.parameters, first.values)
    assert said.startswith("counters at hall (lanes) ")
    expected = f"{said}: {HYPHENED.replace('09:00-10:00', '09:00–10:00')}"
    shown = Report(warned._repr_html_())
    assert shown.summary == "1 warning"
    assert shown.warnings == [expected]
    page = Report(planning_report_html(warned))
    assert page.warnings == [expected]
    assert format_sweep(warned).splitlines()[-1] == f"warning: {expected}"
    two = replace(swept, warnings={first.label(): (HYPHENED, HYPHENED)})
    assert Report(two._repr_html_()).summary == "2 warnings"


def test_a_sweep_without_targets_says_how_to_give_them_where_it_was_asked() -> None:
    data = hall_data()
    del data["targets"]
    scenario = portsim.scenario_from_dict(data)
    result = portsim.sweep(scenario, {COUNTERS: [3, 4]}, replications=2, workers=1)
    assert not result.targets
    python = "No targets: give targets= or pledges in the scenario to judge them."
    assert Report(result._repr_html_()).points == [python]
    assert "- No targets: give --target or pledges in the scenario to judge them." in (
        format_sweep(result).splitlines()
    )
    either = Report(planning_report_html(result)).points
    assert either == [
        "No targets: give targets (--target on the command line, targets= in Python) or "
        "pledges in the scenario to judge them."
    ]
    asked = Report(planning_report_html(result, command="portsim sweep hall.yaml")).points
    assert asked == ["No targets: give --target or pledges in the scenario to judge them."]
    judged = portsim.sweep(scenario, {COUNTERS: [3, 4]}, replications=2, workers=1, targets=[P95])
    assert [t.text for t in judged.targets] == [P95]
    same = sweep_result(
        scenario, [parameter(COUNTERS, [3, 4])], replications=2, setup=SERIAL, targets=[P95]
    )
    assert judged.rows == same.rows
    assert planning_answer(judged) == planning_answer(same)


# --- portsim sweep: the answer first -----------------------------------------------------


def test_portsim_sweep_prints_the_answer_first_then_the_table(tmp_path: Path) -> None:
    write(tmp_path / "hall.yaml", hall_data())
    args = ["sweep", str(tmp_path / "hall.yaml"), "--vary", f"{COUNTERS}=3,4", "--target", P95]
    done = CliRunner().invoke(main, [*args, "-r", "2", "-w", "1"])
    assert done.exit_code == 0, done.stderr
    result = sweep_result(
        hall(), [parameter(COUNTERS, [3, 4])], replications=2, setup=SERIAL, targets=[P95]
    )
    answer = planning_answer(result, "command")
    assert done.stdout == format_sweep(result) + "\n"
    lines = done.stdout.splitlines()
    assert lines[0] == answer.headline
    assert lines[1 : 1 + len(answer.points)] == [f"- {p}" for p in answer.points]
    assert lines[1 + len(answer.points)] == ""
    assert lines[2 + len(answer.points)].startswith("sweep: 2 configurations x 2 replications")
    # the same headline and points as the HTML report and a notebook
    page = Report(planning_report_html(result, command="portsim sweep"))
    assert (page.headline, page.points) == (answer.headline, answer.points)
    shown = Report(result._repr_html_())
    assert shown.headline == answer.headline
