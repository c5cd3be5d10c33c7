"""A run over days reports each stage day by day and each pledge day by day: the rows equal
what the records say (counted by hand here, day by day), and the streaming recorder gives the
same counts and shares (its waits to the histograms' resolution: tests/test_streaming.py)."""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path

import numpy as np
import pytest

import portsim
from portsim.report.document import run_report_html
from portsim.report.plots import run_figures
from portsim.results.rows import key_of_path
from portsim.units import DAY, MINUTE
from tests.browser import open_page
from tests.test_report import NEEDS_CHROMIUM
from tests.test_streaming import assert_tables_agree

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 10 * MINUTE
PLEDGE = f"targets=[{{name: ten minutes, wait_within: {LIMIT:g}s, share: 0.9}}]"


@cache
def _week() -> portsim.SimulationResult:
    """The Zhejiang week (office hours, queues every morning) with a 10-minute pledge."""
    scenario = portsim.load_scenario(ROOT / "scenarios" / "zhejiang_hours.yaml", [PLEDGE])
    return portsim.simulate(scenario, replications=2, seed=11, workers=1)


def _day(times: np.ndarray, days: int) -> np.ndarray:
    return np.minimum(np.nan_to_num(times // DAY, nan=days - 1), days - 1).astype(int)


def test_each_stage_has_a_row_a_day_as_its_records_say() -> None:
    result = _week()
    days = len(result.summary["overall"]["daily"])
    assert days == 7
    for rec, table in zip(result.records, result.tables, strict=True):
        for index, stage in enumerate(rec.stage_names):
            at = rec.visit_stage == index
            started = at & ~np.isnan(rec.visit_start)
            ended = at & ~np.isnan(rec.visit_end)
            waits = rec.visit_start[started] - rec.visit_join[started]
            by_join = _day(rec.visit_join[started], days)
            arrived = np.bincount(_day(rec.visit_join[at], days), minlength=days)
            served = np.bincount(_day(rec.visit_end[ended], days), minlength=days)
            for d in range(days):
                row = {m: table[("stage", stage, "", d, f"day_{m}")] for m in _METRICS}
                assert row["arrived"] == arrived[d]
                assert row["served"] == served[d]
                mine = waits[by_join == d]
                assert row["wait_mean_s"] == pytest.approx(mine.mean(), rel=1e-12)
                assert row["wait_max_s"] == mine.max()
                assert row["wait_p95_s"] == pytest.approx(np.percentile(mine, 95), rel=1e-12)
    stage = result.summary["stages"]["arrival_check"]["daily"]
    assert [d["day"] for d in stage] == list(range(1, 8))


_METRICS = ("arrived", "served", "wait_mean_s", "wait_p95_s", "wait_max_s")


def test_each_pledge_has_a_share_a_day_as_its_records_say() -> None:
    """Everyone who arrived on a day and is known to have cleared within the limit, or not
    (finished, or still waiting past the limit at the horizon), counts on that day."""
    result = _week()
    days = 7
    horizon = result.summary["horizon_s"]
    for rec, table in zip(result.records, result.tables, strict=True):
        started = ~np.isnan(rec.visit_start)
        so_far = np.where(started, rec.visit_start - rec.visit_join, horizon - rec.visit_join)
        waits = np.bincount(rec.visit_entity, weights=so_far, minlength=rec.entities)
        visited = np.bincount(rec.visit_entity, minlength=rec.entities) > 0
        finished = ~np.isnan(rec.entity_exit)
        known = (finished & visited) | (waits > LIMIT)
        within = known & (waits <= LIMIT)
        day = _day(rec.entity_arrival, days)
        for d in range(days):
            expected = within[day == d].sum() / known[day == d].sum()
            assert table[("target", "ten minutes", "", d, "day_share")] == pytest.approx(
                expected, rel=1e-12
            )
    daily = result.summary["targets"][0]["daily"]
    assert len(daily) == days
    for entry in daily:
        low, high = entry["share"]["ci95"]
        assert 0.0 <= low <= entry["share"]["mean"] <= high <= 1.0
        assert entry["verdict"] in {"pass", "fail", "inconclusive"}
    assert any(entry["verdict"] == "fail" for entry in daily)  # the office-hours mornings


def test_streaming_gives_the_same_daily_rows() -> None:
    scenario = portsim.load_scenario(ROOT / "scenarios" / "zhejiang_hours.yaml", [PLEDGE])
    exact = portsim.simulate(scenario, replications=1, seed=3, workers=1)
    streamed = portsim.simulate(scenario, replications=1, seed=3, workers=1, records=False)
    assert assert_tables_agree(exact.tables[0], streamed.tables[0], scenario.horizon) > 0
    assert streamed.summary["targets"][0]["daily"] == exact.summary["targets"][0]["daily"]


def test_the_pledges_plot_and_report_go_day_by_day() -> None:
    result = _week()
    figure = run_figures(result)["pledge_share_by_day.png"]
    (ax,) = figure.axes
    assert ax.get_xlabel() == "day of arrival"
    assert ax.get_ylabel() == "% within the wait"
    assert "missed on day" in ax.get_title(loc="left")
    text = portsim.format_report(result)
    lines = text.split("Pledges by day", 1)[1].splitlines()
    assert sum(line.split(" ")[:2][-1].isdigit() for line in lines if line.startswith("day ")) == 7
    shares = [d["share"]["mean"] for d in result.summary["targets"][0]["daily"]]
    assert not any(math.isnan(s) for s in shares)


def test_documented_figures_may_name_a_stages_day_or_a_pledges_day() -> None:
    """``stages.NAME.daily.D.metric`` and ``targets.NAME.daily.D.share`` are paths a
    reference figure may compare to; a day past the calendar is refused before the run."""
    figure = (
        "reference=[{figure: a day, value: 0.5, source: test, check: validation, "
        "compare_to: [stages.arrival_check.daily.2.arrived, 'targets.ten minutes.daily.3.share']}]"
    )
    path = ROOT / "scenarios" / "zhejiang_hours.yaml"
    scenario = portsim.load_scenario(path, [PLEDGE, figure])
    result = portsim.simulate(scenario, replications=1, seed=3, workers=1)
    table = result.tables[0]
    assert key_of_path("stages.arrival_check.daily.2.arrived") in table
    assert key_of_path("targets.ten minutes.daily.3.share") in table
    late = portsim.load_scenario(path, [PLEDGE, figure.replace("daily.2.", "daily.8.")])
    with pytest.raises(portsim.ScenarioError, match="names no metric"):
        portsim.simulate(late, replications=1)


@NEEDS_CHROMIUM
def test_the_html_report_of_a_week_has_its_days_and_its_pledges_days(tmp_path: Path) -> None:
    """Opened in headless Chromium: every image loads (days.png and pledge_share_by_day.png
    among them), and the day-by-day tables hold one row a day, with their CSV downloads."""
    path = tmp_path / "week.html"
    path.write_text(run_report_html(_week(), "portsim report week.yaml"), encoding="utf-8")
    page = open_page(path)
    try:
        images = page.evaluate("[...document.images].map(i => [i.complete, i.naturalWidth])")
        assert len(images) >= 7
        assert all(done and width > 0 for done, width in images), images
        rows = page.evaluate(
            "Object.fromEntries([...document.querySelectorAll('table')]"
            ".map(t => [t.dataset.name, t.querySelectorAll('tbody tr').length]))"
        )
        assert rows["daily"] == 7
        assert rows["pledges_daily"] == 7
        assert page.console_errors() == []
        page.screenshot(tmp_path / "week.png")
    finally:
        page.close()
