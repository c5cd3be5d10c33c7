"""Planning results in a notebook (a sweep, a plan, a capacity search, staffing by hour, a
sensitivity table): the HTML each shows (parsed: the answer's headline and the table's cells
against the result's own numbers), its two-line ``repr``, its DataFrame (``to_pandas``:
shapes, columns and values) and its charts (``plot``: figures with titles and axes). Runs,
comparisons and the charts' display: ``test_notebook_charts.py``."""

from __future__ import annotations

import math
import sys
from functools import cache
from html.parser import HTMLParser
from typing import Any

import pytest

import portsim
from portsim.errors import UsageError
from portsim.planning.frames import SWEEP_COLUMNS
from portsim.planning.sensitivity import AS_GIVEN, SensitivityResult
from portsim.report.inline import Chart
from portsim.report.planning.document import judged_table
from portsim.report.planning.notebook import NOTEBOOK_ROWS
from portsim.report.planning.sensitivity import sensitivity_rows
from portsim.report.planning.view import planning_answer
from portsim.report.planning.words import configuration_words, hour_label

from .test_planning_report import _capacity, _plan, _staffing, _sweep
from .test_planning_words import PROFILE, SHARE, _calendar_capacity, _share_capacity
from .test_sensitivity import ASSUMPTIONS, _hall

pd = pytest.importorskip("pandas")


class Shown(HTMLParser):
    """What a display says: its bold lines, the answer's headline (the first bold line in
    the bordered block), its list items, and each table's header and body cells."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.bold: list[str] = []
        self.items: list[str] = []
        self.tables: list[tuple[list[str], list[list[str]]]] = []
        self.headline = ""
        self._in: list[str] = []
        self._text = ""
        self._answer = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in.append(tag)
        if tag == "div" and "border-left" in (dict(attrs).get("style") or ""):
            self._answer = True
        if tag == "table":
            self.tables.append(([], []))
        if tag == "tr" and "tbody" in self._in:
            self.tables[-1][1].append([])
        if tag in {"b", "li", "th", "td"}:
            self._text = ""

    def handle_endtag(self, tag: str) -> None:
        self._in.pop()
        text = self._text.strip()
        if tag == "b":
            self.bold.append(text)
            if self._answer and not self.headline:
                self.headline = text
        elif tag == "li":
            self.items.append(text)
        elif tag == "th":
            self.tables[-1][0].append(text)
        elif tag == "td":
            self.tables[-1][1][-1].append(text)

    def handle_data(self, data: str) -> None:
        self._text += data


def _check_chart(figure: Any) -> None:
    assert isinstance(figure, Chart)
    assert figure.get_suptitle()
    visible = [ax for ax in figure.axes if ax.get_visible()]
    assert visible
    assert all(ax.has_data() for ax in visible)


@cache
def _sensitivity() -> SensitivityResult:
    hall = portsim.scenario_from_dict({**portsim.dump_scenario(_hall()), "replications": 3})
    return portsim.sensitivity(hall, ASSUMPTIONS, "overall.wait_mean_s", workers=1)


# --- a sweep -----------------------------------------------------------------------------


def test_a_sweep_shows_its_answer_and_the_judged_tables_cells() -> None:
    result = _sweep()
    shown = Shown(result._repr_html_())
    assert shown.headline == planning_answer(result).headline
    assert shown.bold[0] == (
        f"sweep of 6 configurations x 2 replications, seed {result.seed}, common random numbers"
    )
    table = judged_table(result)
    headers, rows = shown.tables[0]
    assert headers == table.headers
    assert rows == table.rows  # 6 rows: all shown
    assert repr(result).splitlines()[1] == planning_answer(result).headline
    assert repr(result).startswith("SweepResult: sweep of 6 configurations")


def test_a_sweep_is_a_tidy_long_table_labelled_from_the_catalog() -> None:
    result = _sweep()
    frame = result.to_pandas()
    names = [p.name for p in result.parameters]
    assert list(frame.columns) == ["configuration", *names, *SWEEP_COLUMNS]
    metrics = [c for c in result.columns if f"{c}.ci_low" in result.columns]
    assert len(frame) == len(result.rows) * len(metrics)
    row = frame[(frame.path == "overall.wait_p95_s")].iloc[0]
    stat = result.stat(result.rows[0], "overall.wait_p95_s")
    assert stat is not None
    assert (row["mean"], row["low"], row["high"]) == pytest.approx((stat.mean, stat.low, stat.high))
    assert (row.level, row.metric, row.words, row.unit) == (
        "overall",
        "wait_p95_s",
        "95th-percentile wait",
        "seconds",
    )
    assert row.scope == "all travellers"
    first = result.configurations[0]
    assert row.configuration == configuration_words(result.parameters, first.values)
    assert [row[n] for n in names] == [2, 2]  # the parameters' values, as numbers
    assert frame.hour.isna().all()  # a sweep's table is of whole runs
    pledge = frame[frame.level == "target"]
    assert set(pledge.verdict) <= {"pass", "fail", "inconclusive"}
    assert len(pledge) == 6
    assert frame[frame.level != "target"].verdict.isna().all()


def test_a_sweep_plots_a_chart_per_condition() -> None:
    charts = _sweep().plot()
    assert list(charts) == ["sweep_1.png"]
    _check_chart(charts["sweep_1.png"])
    assert "visitors pledge" in charts["sweep_1.png"].get_suptitle()


def test_a_long_table_shows_its_first_rows_and_says_how_many_more() -> None:
    from portsim.report.notebook import table_html  # noqa: PLC0415

    table = judged_table(_sweep())
    shown = Shown(table_html(table, rows=2))
    assert shown.tables[0][1] == table.rows[:2]
    assert "… and 4 more rows" in table_html(table, rows=2)
    assert "more rows" not in table_html(table)
    assert NOTEBOOK_ROWS >= 10


# --- a plan, a capacity search, staffing by hour ------------------------------------------


def test_a_plan_shows_the_cheapest_configuration_and_every_one_judged() -> None:
    result = _plan()
    assert result.chosen is not None
    shown = Shown(result._repr_html_())
    answer = planning_answer(result)
    assert shown.headline == answer.headline
    chosen = configuration_words(result.parameters, result.chosen.configuration.values)
    assert chosen in shown.headline
    assert shown.items == answer.points
    headers, rows = shown.tables[0]
    table = judged_table(result)
    assert headers == table.headers
    assert rows == table.rows[:NOTEBOOK_ROWS]
    assert repr(result).startswith(
        f"PlanResult: plan: {len(result.judged)} of {result.grid_configurations} configurations"
    )


def test_a_plan_is_a_row_per_configuration_and_condition() -> None:
    result = _plan()
    frame = result.to_pandas()
    assert len(frame) == len(result.judged) * 2  # two conditions
    assert list(frame.columns[:4]) == ["configuration", "counters", "egates", "cost"]
    chosen = frame[frame.chosen]
    assert result.chosen is not None
    said = configuration_words(result.parameters, result.chosen.configuration.values)
    assert set(chosen.configuration) == {said}
    check = result.chosen.checks[0]
    first = chosen.iloc[0]
    assert (first.target, first["mean"], first.status) == (
        check.condition.text,
        pytest.approx(check.mean),
        check.status,
    )
    assert first.cost == result.cost
    assert set(frame.every_target) <= {"met", "failed", "inconclusive"}
    # the hour that decided a target, and its words next to it (none: no hourly target)
    at = list(frame.columns).index("hour")
    assert list(frame.columns[at : at + 2]) == ["hour", "time"]
    assert frame.hour.isna().all()
    assert frame.time.isna().all()


def test_a_plan_plots_a_chart_per_condition() -> None:
    charts = _plan().plot()
    assert list(charts) == ["plan_1.png", "plan_2.png"]
    for figure in charts.values():
        _check_chart(figure)


def test_a_capacity_search_shows_the_most_demand_and_the_factors_judged() -> None:
    result = _capacity()
    shown = Shown(result._repr_html_())
    assert shown.headline == planning_answer(result).headline
    headers, rows = shown.tables[0]
    assert headers == judged_table(result).headers
    assert len(rows) == len(result.judged)
    frame = result.to_pandas()
    assert list(frame.columns[:6]) == [
        "configuration",
        "factor",
        "demand_day",
        "travellers_per_day",
        "travellers_in_busiest_hour",
        "busiest_hour",
    ]
    # the demand at each factor: the scenario's own, scaled (expected arrivals)
    assert result.base_demand is not None
    (base,) = (count for _, count in result.base_demand.per_day)
    for row in frame.itertuples():
        assert row.travellers_per_day == pytest.approx(row.factor * base)
        assert row.travellers_in_busiest_hour == pytest.approx(row.factor * base / 24)
        factor, said = row.configuration.split(" ", 1)
        assert (float(factor), said) == (row.factor, "× demand")
        assert row.demand_day is None  # every day alike
        assert row.busiest_hour == hour_label(result.base_demand.hour)
    assert sorted(frame.factor) == sorted(
        float(dict(e.configuration.values)["scale"]) for e in result.judged
    )
    assert frame[frame.chosen].factor.tolist() == [result.factor]
    charts = result.plot()
    assert list(charts) == ["capacity_1.png"]
    _check_chart(charts["capacity_1.png"])
    assert repr(result).startswith("CapacityResult: capacity: ")


def test_a_capacity_search_never_adds_vehicles_to_travellers() -> None:
    """A column per kind of flow, each factor measured on the one day named, the hours in
    the reports' words (the YAML: tests/test_planning_words.py's TWO_KINDS_OF_DAY)."""
    result = _calendar_capacity()
    frame = result.to_pandas()
    assert list(frame.columns[:8]) == [
        "configuration",
        "factor",
        "demand_day",
        "travellers_per_day",
        "coaches_per_day",
        "travellers_in_busiest_hour",
        "coaches_in_busiest_hour",
        "busiest_hour",
    ]
    assert "per_day" not in frame.columns
    by_hand = {0.2: (1000, 10), 0.6: (3000, 30), 1.0: (5000, 50)}  # the eve's totals × factor
    peak = max(PROFILE) / sum(PROFILE)  # 09:00–10:00's share of the day
    for row in frame.itertuples():
        travellers, coaches = by_hand[round(row.factor, 1)]
        assert row.demand_day == "2008-02-05"
        assert (row.travellers_per_day, row.coaches_per_day) == pytest.approx((travellers, coaches))
        assert (row.travellers_in_busiest_hour, row.coaches_in_busiest_hour) == pytest.approx(
            (travellers * peak, coaches * peak)
        )
        assert row.busiest_hour == "09:00–10:00 on 2008-02-05"
        # the hour that decided an hourly target, in words next to its number; when every
        # hour of the two days ties (a share of 100 % in each), no one hour decided it
        (check,) = next(
            e for e in result.judged if e.configuration.label().endswith(f"={row.factor:g}")
        ).checks
        day, of_day = divmod(int(row.hour), 24)
        date = ["2008-02-04", "2008-02-05"][day]
        clock = f"{of_day:02d}:00–{of_day + 1:02d}:00 on {date}"
        assert check.hours == 48
        if check.alike == check.hours - 1:
            assert row.time == "each of the 48 hours"
        else:
            assert row.time.startswith(clock)
    assert sorted(frame.factor) == pytest.approx([0.2, 0.6, 1.0])


def test_a_capacity_searchs_configuration_says_demand_only_for_demand() -> None:
    share = _share_capacity(SHARE).to_pandas()
    assert set(share.configuration) == {
        "0.5 × residents (route, 1, p)",
        "1 × residents (route, 1, p)",
    }
    assert not any("demand" in said for said in share.configuration)
    assert share.demand_day.isna().all()
    assert share.busiest_hour.isna().all()
    assert [c for c in share.columns if c.endswith(("_per_day", "_in_busiest_hour"))] == []
    both = _share_capacity("flows.visitors.arrivals.rate", SHARE).to_pandas()
    assert set(both.configuration) == {
        f"{f:g} × demand and residents (route, 1, p)" for f in both.factor
    }
    assert both.travellers_per_day.tolist() == pytest.approx(both.factor * 7200)


def test_staffing_by_hour_shows_its_schedule_hour_by_hour() -> None:
    result = _staffing()
    assert result.counts is not None
    shown = Shown(result._repr_html_())
    assert shown.headline == planning_answer(result).headline
    _, rows = shown.tables[0]
    assert [row[-1] for row in rows] == [str(n) for n in result.counts[:NOTEBOOK_ROWS]]
    frame = result.to_pandas()
    assert list(frame.columns) == ["group", "hour", "time", "lanes", "fixed_lanes"]
    assert frame.lanes.tolist() == list(result.counts)
    assert frame.time.tolist()[:2] == ["00:00–01:00", "01:00–02:00"]
    assert frame.time.tolist() == [f"{h:02d}:00–{h + 1:02d}:00" for h in frame.hour]
    assert set(frame.fixed_lanes) == {result.fixed}
    charts = result.plot()
    assert list(charts) == ["staffing.png"]
    _check_chart(charts["staffing.png"])
    assert repr(result).startswith("StaffingResult: staffing by hour of ")


# --- a sensitivity table ------------------------------------------------------------------


def test_a_sensitivity_table_shows_what_moves_the_answer_most() -> None:
    result = _sensitivity()
    shown = Shown(result._repr_html_())
    top = result.rows[0].assumption.name
    assert shown.headline.startswith("all travellers mean wait: ")
    assert shown.headline.endswith(f"as in the file; it depends most on {top}")
    _, rows = shown.tables[0]
    assert rows == sensitivity_rows(result)
    assert repr(result).splitlines()[1] == shown.headline


def test_a_sensitivity_table_as_a_frame_and_a_tornado_chart() -> None:
    result = _sensitivity()
    frame = result.to_pandas()
    assert len(frame) == 1 + 2 * len(result.rows)
    assert frame.assumption.tolist()[0] == AS_GIVEN
    assert frame["mean"].tolist()[0] == pytest.approx(result.base[0])
    top = result.rows[0]
    low = frame[(frame["rank"] == 1) & (frame.side == "low")].iloc[0]
    assert low.assumption == top.assumption.name
    assert low.setting == top.assumption.label("low")
    assert (low["mean"], low.change) == pytest.approx((top.low[0], top.low_change[0]))
    assert not math.isnan(low.change_low)
    figure = result.plot("sensitivity")
    _check_chart(figure)
    ax = figure.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == [r.assumption.name for r in reversed(result.rows)]  # the largest on top
    assert len(ax.patches) == 2 * len(result.rows)
    assert ax.get_xlabel() == "change from the file's answer (seconds)"
    assert figure.get_suptitle().startswith("Which assumption moves the answer most")


def test_a_planning_result_without_pandas_says_how_to_get_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """One line naming the extra, as a run's ``to_pandas`` says."""
    result = _sweep()
    monkeypatch.setitem(sys.modules, "pandas", None)
    expected = r"^to_pandas needs pandas: pip install 'portsim\[notebook\]'$"
    for each in (result, _plan(), _capacity(), _staffing(), _sensitivity()):
        with pytest.raises(UsageError, match=expected):
            each.to_pandas()
