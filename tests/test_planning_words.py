"""Planning results in a planner's words: capacity as travellers (or vehicles) a day and in
the busiest hour, with the clock hour and the day's date, its numbers checked against the
scenario's demand worked out here by hand; hours as clock intervals; headers from the metric
catalog's words with the code path only as a hover title and a footnote, one unit a column;
and the chosen configuration marked in the tables and the plots."""

from __future__ import annotations

import math
from functools import cache
from html.parser import HTMLParser
from typing import Any

import pytest
import yaml

from portsim import scenario_from_dict
from portsim.model.days import compile_days
from portsim.planning.capacity import CapacityResult
from portsim.planning.conditions import parse_condition
from portsim.planning.confirm import Check
from portsim.planning.demand import demand_flow, scenario_demand
from portsim.planning.requests import Setup, capacity, plan, sweep_result
from portsim.planning.vary import parameter
from portsim.report.planning.capacity_words import capacity_sentence
from portsim.report.planning.document import judged_table, planning_report_html
from portsim.report.planning.plots import planning_figures
from portsim.report.planning.text import format_capacity, format_sweep
from portsim.report.planning.view import chosen_point
from portsim.report.planning.words import (
    ColumnUnit,
    check_words,
    condition_words,
    count_words,
    hour_label,
    path_words,
)
from portsim.results.catalog import WAIT_P95

from .planning_cases import COUNTERS, EGATES, hall, hall_data, sweep_table_header

SERIAL = Setup(workers=1)
PROFILE = [1, 1, 1, 1, 1, 2, 4, 7, 9, 10, 9, 8, 7, 7, 7, 7, 8, 8, 7, 6, 5, 4, 3, 2]
RESIDENTS, VISITORS = 4000, 1000


def _profile_hall(**extra: Any) -> dict[str, Any]:
    """The small hall, its flows arriving by a daily profile, simulated 07:00–11:00."""
    data = hall_data(horizon="11h", replications=2)
    data["warmup"] = "7h"
    data["flows"][0]["arrivals"] = {"daily_total": RESIDENTS, "profile": PROFILE}
    data["flows"][1]["arrivals"] = {"daily_total": VISITORS, "profile": PROFILE}
    return data | extra


@cache
def _capacity() -> CapacityResult:
    return capacity(
        scenario_from_dict(_profile_hall()),
        ["flows.residents.arrivals.daily_total"],
        ["residents.wait_p95<=5min"],
        factors="1:7:1",
        replications=2,
        max_replications=2,
        setup=SERIAL,
    )


def test_capacity_says_travellers_a_day_and_in_the_busiest_clock_hour() -> None:
    result = _capacity()
    assert result.factor is not None
    text = format_capacity(result)
    first = text.splitlines()[0]
    # worked out by hand from the file: the daily total times the factor, and the busiest
    # counted hour (07:00 to 11:00) of the profile, 09:00–10:00, its share of the day
    day = RESIDENTS * result.factor
    hour = day * max(PROFILE[7:11]) / sum(PROFILE)
    assert PROFILE.index(max(PROFILE[7:11])) == 9
    assert first == (
        f"Every target is met up to {day:,.0f} travellers a day of residents "
        f"({result.factor:g} × the scenario's {RESIDENTS:,}), {hour:,.0f} in the busiest hour, "
        f"09:00–10:00; visitors as given ({VISITORS:,} travellers a day)"
    )
    if result.next_up is not None:
        up = result.factors[result.factors.index(result.factor) + 1]
        assert f"at the next factor up: {RESIDENTS * up:,.0f} travellers a day" in text
    assert "scale=" not in text  # the factor is said as 2 ×, aside
    assert not any(f"x{f:g}" in text for f in result.factors)
    html = planning_report_html(result)
    assert f"Every target is met up to {day:,.0f} travellers a day" in html


def test_the_demand_of_several_flows_sums_and_a_calendar_gives_the_busiest_day() -> None:
    data = _profile_hall(
        horizon="3d",
        warmup="0s",
        calendar={
            "start": "2008-02-04",
            "days": [{"type": "quiet"}, {"type": "eve"}, {"type": "quiet"}],
        },
    )  # fmt: skip
    data["flows"][0]["arrivals"]["daily_total"] = {"quiet": 2000, "eve": 6000}
    data["flows"][0]["arrivals"]["profile"] = PROFILE
    scenario = scenario_from_dict(data)
    paths = ["flows.residents.arrivals.daily_total.eve", "flows.visitors.arrivals.daily_total"]
    demand = scenario_demand(scenario, paths)
    assert demand is not None
    assert demand.flows == ("residents", "visitors")
    assert demand.others == ()
    assert dict(demand.per_day) == {"passenger": pytest.approx(6000 + VISITORS)}
    assert (demand.day, demand.date) == (1, "2008-02-05")  # the eve, day 2
    # the busiest hour over the run: 09:00–10:00 of the eve, both flows together
    assert demand.hour == 24 + 9
    assert dict(demand.in_hour) == {"passenger": pytest.approx(7000 * 10 / sum(PROFILE))}
    assert hour_label(demand.hour, compile_days(scenario)) == "09:00–10:00 on 2008-02-05"


#: two kinds of day, a quiet one and an eve; the capacity search scales only the eve's
#: daily totals, of travellers (residents) and of coaches (visitors)
TWO_KINDS_OF_DAY = """
name: two kinds of day
horizon: 2d
warmup: 0s
replications: 2
seed: 3
calendar:
  start: "2008-02-04"
  days: [{type: quiet}, {type: eve}]
flows:
  - name: residents
    arrivals: {daily_total: {quiet: 2000, eve: 5000}, profile: PROFILE}
    route: [hall]
  - name: visitors
    kind: coach
    occupants: {dist: constant, value: 30}
    arrivals: {daily_total: {quiet: 20, eve: 50}, profile: PROFILE}
    route: [hall]
stages:
  - name: hall
    lanes:
      - {name: counters, count: 8, service: {dist: exponential, mean: 20s}, serves: [visitors]}
      - {name: egates, count: 6, service: {dist: constant, value: 15s}, serves: [residents]}
"""
EVE = ["flows.residents.arrivals.daily_total.eve", "flows.visitors.arrivals.daily_total.eve"]


@cache
def _calendar_capacity() -> CapacityResult:
    text = TWO_KINDS_OF_DAY.replace("PROFILE", str(PROFILE))
    return capacity(
        scenario_from_dict(yaml.safe_load(text)),
        EVE,
        ["wait_p95<=2h each hour"],
        factors="0.2:1:0.4",
        replications=2,
        max_replications=2,
        exhaustive=True,
        setup=SERIAL,
    )


def test_with_a_calendar_every_factor_is_measured_on_one_named_day() -> None:
    result = _calendar_capacity()
    assert sorted(result.demand) == pytest.approx([0.2, 0.6, 1.0])
    # by hand from the YAML: only the eve (day 2, 2008-02-05) changes with the factor, and
    # it is what the scaled flows bring most as given (5,000 travellers and 50 coaches
    # against 2,000 and 20); at 0.2 the quiet day brings more (2,000 against 1,000), but
    # the eve is still the day measured. Its busiest hour is the profile's 09:00–10:00.
    peak = max(PROFILE) / sum(PROFILE)
    assert PROFILE.index(max(PROFILE)) == 9
    for factor, travellers, coaches in [(0.2, 1000, 10), (0.6, 3000, 30), (1.0, 5000, 50)]:
        demand = result.demand_at(factor)
        assert demand is not None
        assert (demand.day, demand.day_words) == (1, "2008-02-05")
        assert dict(demand.per_day) == {
            "passenger": pytest.approx(travellers),
            "coach": pytest.approx(coaches),
        }
        assert demand.hour == 24 + 9
        assert dict(demand.in_hour) == {
            "passenger": pytest.approx(travellers * peak),
            "coach": pytest.approx(coaches * peak),
        }
    assert result.factor == 1.0
    assert capacity_sentence(result) == (
        "Every target is met up to 5,000 travellers and 50 coaches on 2008-02-05 (1 × the "
        "scenario's 5,000 travellers and 50 coaches), 400 travellers and 4 coaches in the "
        "busiest hour, 09:00–10:00 on 2008-02-05"
    )
    # the HTML table: each factor's own demand on the eve, the day named in the header
    table = judged_table(result)
    assert table.headers[0] == "demand on 2008-02-05"
    assert [row[0] for row in table.rows] == [
        "1,000 travellers and 10 coaches",
        "3,000 travellers and 30 coaches",
        "5,000 travellers and 50 coaches",
    ]
    # the chart: travellers on the eve, a strictly increasing function of the factor
    ax = planning_figures(result)["capacity_1.png"].axes[0]
    assert ax.get_xlabel() == "travellers on 2008-02-05 (expected; coaches in proportion)"
    (x,) = {tuple(line.get_xdata()) for line in ax.lines if len(line.get_xdata()) == 3}
    assert list(x) == pytest.approx([1000, 3000, 5000])


def test_vehicles_count_as_vehicles() -> None:
    data = _profile_hall()
    data["flows"][1] |= {"kind": "coach", "occupants": {"dist": "constant", "value": 30}}
    demand = scenario_demand(scenario_from_dict(data), ["flows.visitors.arrivals.daily_total"])
    assert demand is not None
    assert dict(demand.per_day) == {"coach": pytest.approx(VISITORS)}
    assert dict(demand.others_per_day) == {"passenger": pytest.approx(RESIDENTS)}
    assert count_words(demand.per_day) == "1,000 coaches"


def test_a_scale_that_is_no_flows_keeps_the_factor() -> None:
    scenario = hall()
    assert scenario_demand(scenario, ["stages.hall.lanes.counters.service.mean"]) is None
    assert demand_flow("flows.residents.arrivals.daily_total.eve") == "residents"
    assert demand_flow("flows.residents.route.1.p") is None
    assert demand_flow("flows.residents") is None
    assert path_words("stages.hall.lanes.counters.service.mean") == (
        "counters at hall (service, mean)"
    )


SHARE = "flows.residents.route.1.p"  # the share of residents sent on to a secondary check


@cache
def _share_capacity(*scale: str, target: str = "wait_p95<=1h") -> CapacityResult:
    """A capacity search scaling ``scale`` in the small hall, with a secondary check, every
    target met (lanes to spare)."""
    data = hall_data(horizon="2h", replications=2)
    data["flows"][0]["route"] = ["hall", {"stage": "secondary", "p": 0.2}]
    data["stages"][0]["lanes"][0]["count"] = 8  # counters: visitors hardly wait
    desk = {"name": "desk", "count": 4, "service": {"dist": "exponential", "mean": "2min"}}
    data["stages"].append({"name": "secondary", "lanes": [desk]})
    return capacity(
        scenario_from_dict(data),
        list(scale),
        [target],
        factors="0.5:1:0.5",
        replications=2,
        max_replications=2,
        setup=SERIAL,
    )


def test_a_routing_share_is_no_demand_and_keeps_the_factor() -> None:
    result = _share_capacity(SHARE)
    assert (result.base_demand, result.demand) == (None, {})
    assert result.factor == 1.0
    assert capacity_sentence(result) == (
        "Every target is met up to 1 × the scenario's value of residents (route, 1, p)"
    )
    unmet = _share_capacity(SHARE, target="wait_p95<=1s")  # no factor meets it
    assert unmet.factor is None
    assert capacity_sentence(unmet) == (
        "Not even the smallest factor tried meets every target: 0.5 × the scenario's value "
        "of residents (route, 1, p)"
    )
    figure = planning_figures(result)["capacity_1.png"]
    assert figure.axes[0].get_xlabel() == (
        "factor on the scenario's value of residents (route, 1, p)"
    )
    assert figure.get_suptitle().splitlines()[0] == (
        "all travellers: 95th-percentile wait by residents (route, 1, p)"
    )
    # a demand and a share scaled together: the demand in travellers, the share as a factor
    # (visitors: 300 an hour, 7,200 a day; residents' arrivals as given: 600 an hour)
    both = _share_capacity("flows.visitors.arrivals.rate", SHARE)
    assert both.factor == 1.0
    assert capacity_sentence(both) == (
        "Every target is met up to 7,200 travellers a day of visitors (1 × the scenario's "
        "7,200), 300 an hour, and 1 × the scenario's value of residents (route, 1, p); "
        "residents as given (14,400 travellers a day)"
    )


def test_hours_read_as_clock_intervals_with_the_day() -> None:
    assert hour_label(5) == "05:00–06:00"
    assert hour_label(23) == "23:00–24:00"
    assert hour_label(24 + 7) == "07:00–08:00 on day 2"
    condition = parse_condition("share_within(30min)>=95% each hour", hall())
    check = Check(condition, "met", 1.0, (0.98, 1.0), hour=9)
    said = check_words(check)
    assert said.startswith("share of all travellers within 30 min ≥ 95% in every hour: ")
    assert said.endswith(" in 09:00–10:00 met")
    assert "in 09:00–10:00 met" in check.describe()  # the planning layer's own words too
    unsure = Check(condition, "unsure", 0.9, None, hour=24 + 9)  # one replication: no interval
    assert check_words(unsure).endswith(": 90.00% in 09:00–10:00 on day 2 unsure")
    assert condition_words(parse_condition("visitors.wait_p95<=20min", hall())) == (
        "flow visitors: 95th-percentile wait ≤ 20 min"
    )


def test_one_unit_a_column() -> None:
    unit = ColumnUnit.of(WAIT_P95, [59.7, 23.6 * 60, 49 * 60])
    assert unit.header("all travellers: 95th-percentile wait") == (
        "all travellers: 95th-percentile wait (min)"
    )
    # 59.7 s and 23.6 min in one column: both in minutes, a small one with two digits
    assert unit.interval(59.7, (20.5, 98.9)) == "0.99 (0.34 – 1.65)"
    assert unit.interval(23.6 * 60, (22.1 * 60, 25.1 * 60)) == "23.6 (22.1 – 25.1)"
    assert ColumnUnit.of(WAIT_P95, [12.0, 40.0]).name == "s"
    assert unit.text(math.nan) == "-"


class _Table(HTMLParser):
    """The configurations table of a report: each header's text and title, each row's
    classes and cells, and the footnote under it."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.headers: list[tuple[str, str]] = []
        self.rows: list[tuple[str, list[str]]] = []
        self.footnote = ""
        self._text: list[str] | None = None
        self._where = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table" and a.get("data-name") == "configurations":
            self.inside = True
        elif self.inside and tag == "th":
            self._text, self._where = [], a.get("title") or ""
        elif self.inside and tag == "tr" and self._text is None:
            self.rows.append((a.get("class") or "", []))
        elif self.inside and tag == "td":
            self._text = []
        elif tag == "p" and a.get("class") == "table-paths":
            self._text, self._where = [], "footnote"

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._text is None:
            if tag == "table":
                self.inside = False
            return
        text = "".join(self._text).strip()
        if tag == "th":
            self.headers.append((text, self._where))
        elif tag == "td":
            self.rows[-1][1].append(text)
        elif tag == "p":
            self.footnote = text
        else:
            return
        self._text = None


def _parse(html: str) -> _Table:
    parser = _Table()
    parser.feed(html)
    return parser


def test_a_sweeps_headers_are_words_with_the_path_on_hover_and_in_a_footnote() -> None:
    result = sweep_result(
        hall(),
        [parameter(COUNTERS, [3, 4]), parameter(EGATES, [2, 3])],
        replications=2,
        setup=SERIAL,
        targets=["visitors.share_within(10min)>=90%"],
    )
    table = _parse(planning_report_html(result))
    texts = [t for t, _ in table.headers]
    assert texts[:2] == ["counters at hall (lanes)", "egates at hall (lanes)"]
    assert "all travellers: 95th-percentile wait (s)" in texts or (
        "all travellers: 95th-percentile wait (min)" in texts
    )
    assert "share of flow visitors within 10 min ≥ 90% (%)" in texts
    for text, _ in table.headers:
        assert "stages." not in text
        assert "_s" not in text
        assert "share_within(" not in text
    titles = dict(table.headers)
    assert titles["counters at hall (lanes)"] == COUNTERS
    assert titles["share of flow visitors within 10 min ≥ 90% (%)"] == (
        "visitors.share_within(10min)>=90%"
    )
    assert f"counters at hall (lanes): {COUNTERS}" in table.footnote
    # the chosen configuration (the fewest lanes meeting the target) is the marked row
    point = chosen_point(result)
    assert point is not None
    (cells,) = [cells for css, cells in table.rows if "chosen" in css.split()]
    levels = [p.levels[i].label for p, i in zip(result.parameters, point, strict=True)]
    assert cells[:2] == [f"{levels[0]}chosen", levels[1]]
    # and the text: the same words, the paths in a legend
    text = format_sweep(result)
    header = sweep_table_header(text)
    assert header.startswith("counters at hall (lanes)  egates at hall (lanes)")
    assert COUNTERS not in header
    assert "overall.wait_p95_s" not in header
    assert "overall.wait_p95_s" in text.split("What the headers stand for")[1]


def test_the_chosen_configuration_is_marked_on_every_plot_and_in_the_table() -> None:
    result = _capacity()
    assert result.factor is not None
    (figure,) = planning_figures(result).values()
    ax = figure.axes[0]
    (ring,) = [c for c in ax.collections if c.get_label().startswith("chosen: ")]
    x, _ = ring.get_offsets()[0]
    assert x == pytest.approx(RESIDENTS * result.factor)  # at its travellers a day
    assert "chosen: the most that meets every target" in ax.get_legend_handles_labels()[1][-1]
    table = judged_table(result)
    (row,) = table.chosen
    assert table.rows[row][0] == f"{RESIDENTS * result.factor:,.0f} travellers"
    assert table.rows[row][2] == f"{result.factor:g} ×"
    planned = plan(
        hall(),
        [f"counters:{COUNTERS}=2:6", f"egates:{EGATES}=1:4"],
        ["visitors.wait_p95<=5min"],
        replications=2,
        max_replications=2,
        setup=SERIAL,
    )
    assert planned.chosen is not None
    for figure in planning_figures(planned).values():
        (ring,) = [p for p in figure.axes[0].patches if p.get_label().startswith("chosen: ")]
    html = _parse(planning_report_html(planned))
    (cells,) = [cells for css, cells in html.rows if "chosen" in css.split()]
    assert cells[0].endswith("chosen")
