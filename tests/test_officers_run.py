"""Officer-hours of whole runs, computed by hand: deterministic arrivals and constant
services, so the engine's log of officers committed is known in advance; the run's metrics,
its JSON, its text and HTML reports, and a run without pools unchanged."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest

import portsim
from portsim.report.document import run_report_html
from portsim.report.staff_plots import officers_figure
from portsim.report.text import format_comparison, format_report
from portsim.results.catalog import (
    OFFICER_HOURS,
    OFFICER_HOURS_ON_DUTY,
    OFFICERS_BUSY_MAX,
    OFFICERS_BUSY_MEAN,
    OFFICERS_ON_DUTY,
)
from portsim.results.scopes import Scope

from .helpers import const

POOL = Scope.pool("officers")


def _port(pool: dict[str, Any], north: int, south: int | None, **more: Any) -> dict[str, Any]:
    """Two halls (south left out with ``south=None``), constant 70 s checks, a traveller
    every 10 s from 0 in each direction (more than the lanes can serve: never an idle
    lane), two hours with a half-hour warm-up."""
    flows = [{"name": "north", "arrivals": {"every": 10}, "route": ["north_hall"]}]
    stages = [
        {
            "name": "north_hall",
            "lanes": [
                {"name": "counters", "count": north, "service": const(70), "staff": "officers"}
            ],
        }
    ]
    if south is not None:
        flows.append({"name": "south", "arrivals": {"every": 10}, "route": ["south_hall"]})
        stages.append(
            {
                "name": "south_hall",
                "lanes": [
                    {"name": "counters", "count": south, "service": const(70), "staff": "officers"}
                ],
            }
        )
    return {
        "name": "officers by hand",
        "horizon": "2h",
        "warmup": "30min",
        "staff": [{"name": "officers", **pool}],
        "flows": flows,
        "stages": stages,
        **more,
    }


def _run(data: dict[str, Any], replications: int = 2) -> portsim.SimulationResult:
    return portsim.simulate(
        portsim.scenario_from_dict(data), replications=replications, seed=1, workers=1
    )


def test_a_pool_shared_by_both_directions_by_hand() -> None:
    """Both halls ask for 2 lanes all day (4 in all); the pool has 3 officers until 01:00,
    then 4. At 0 three lanes open (the pool's 3), at 01:00 the fourth officer comes on duty
    and opens the lane still asked for; no lane closes, so committed = on duty:
    (0, 3), (3600, 4). After the 30-minute warm-up: 3 × 0.5 h + 4 × 1 h = 5.5 officer-hours,
    5.5 / 1.5 h = 3.667 busy on average, 4 at most; by hour 3 and 4."""
    pool = {
        "schedule": [
            {"from": "0h", "to": "1h", "count": 3},
            {"from": "1h", "to": "24h", "count": 4},
        ]
    }
    result = _run(_port(pool, north=2, south=2))
    s = result.summary
    assert s.stat(POOL, OFFICER_HOURS).mean == pytest.approx(5.5)
    assert s.stat(POOL, OFFICER_HOURS).interval == pytest.approx((5.5, 5.5))
    assert s.stat(POOL, OFFICER_HOURS_ON_DUTY).mean == pytest.approx(5.5)
    assert s.stat(POOL, OFFICERS_BUSY_MEAN).mean == pytest.approx(5.5 / 1.5)
    assert s.stat(POOL, OFFICERS_BUSY_MAX).mean == 4
    assert s.stat(POOL, OFFICERS_ON_DUTY).mean == 4
    assert [s.mean(POOL, OFFICERS_BUSY_MEAN, hour=h) for h in range(2)] == [3.0, 4.0]
    assert [s.mean(POOL, OFFICERS_ON_DUTY, hour=h) for h in range(2)] == [3.0, 4.0]
    # the JSON: the pool's block, its logs as the engine gave them
    staff = result.summary.json()["staff"]["officers"]
    assert staff["in_use"] == [[[0.0, 3], [3600.0, 4]]] * 2
    assert staff["on_duty"] == [[[0.0, 3], [3600.0, 4]]] * 2
    assert staff[OFFICER_HOURS.name]["mean"] == pytest.approx(5.5)
    assert [h[OFFICERS_BUSY_MEAN.name]["mean"] for h in staff["hourly"]] == [3.0, 4.0]
    # the lanes the officers staffed: lane-hours are officer-hours at one officer a lane
    lanes = sum(s.mean(g, "lane_hours") for g in s.scopes("group"))
    assert lanes == pytest.approx(5.5)


def test_officers_finishing_after_their_shift_by_hand() -> None:
    """One hall asks for 2 lanes; the pool has 2 officers until 01:00, then 1. Lane 0
    serves from 0 (70 s each: 0, 70, …), lane 1 from the traveller of 10 s (10, 80, …). At
    01:00 the shift ends and lane 1 is taken away: its traveller, begun at 10 + 51 × 70 =
    3,580, leaves at 3,650, and its officer with him. Committed: (0, 2), (3650, 1); on duty
    (0, 2), (3600, 1). After the warm-up: 2 × (3650 − 1800) + 1 × (7200 − 3650) = 7,250
    officer-seconds = 2.0139 h, of 2 × 1800 + 1 × 3600 = 7,200 on duty (2 h). In hour 1 the
    finishing officer makes 2 committed (50 s) against 1 on duty:
    busy (2 × 50 + 1 × 3550) / 3600 = 1.0139; the interval reaches what was seen."""
    pool = {
        "schedule": [
            {"from": "0h", "to": "1h", "count": 2},
            {"from": "1h", "to": "24h", "count": 1},
        ]
    }
    result = _run(_port(pool, north=2, south=None))
    s = result.summary
    assert result.counters[0].officers_in_use[0] == ((0.0, 2), (3650.0, 1))
    assert s.stat(POOL, OFFICER_HOURS).mean == pytest.approx(7250 / 3600)
    assert s.stat(POOL, OFFICER_HOURS_ON_DUTY).mean == pytest.approx(2.0)
    busy = s.stat(POOL, OFFICERS_BUSY_MEAN, hour=1)
    assert busy.mean == pytest.approx(3650 / 3600)
    assert s.stat(POOL, OFFICERS_BUSY_MAX, hour=1).mean == 2
    assert s.stat(POOL, OFFICERS_ON_DUTY, hour=1).mean == 1
    assert busy.interval == pytest.approx((3650 / 3600, 3650 / 3600))


def test_busy_never_passes_on_duty_where_no_shift_ends() -> None:
    """A pool of 5 for both halls asking 4 each, ten replications of random services: in
    every hour and over the run, the officers busy (mean, most, and the interval's ends)
    stay within the 5 on duty."""
    data = _port({"count": 5}, north=4, south=4)
    for stage in data["stages"]:
        stage["lanes"][0]["service"] = {"dist": "exponential", "mean": "70s"}
    s = _run(data, replications=4).summary
    for hour in [None, 0, 1]:
        for m in (OFFICERS_BUSY_MEAN, OFFICERS_BUSY_MAX):
            stat = s.stat(POOL, m, hour=hour)
            assert 0 <= stat.mean <= 5
            assert stat.interval is None or 0 <= stat.low <= stat.high <= 5


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.images: list[str] = []

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.images += [v or "" for k, v in attrs if k == "alt"]


def test_the_reports_show_each_pool_and_a_run_without_pools_shows_none() -> None:
    pool = {
        "schedule": [
            {"from": "0h", "to": "1h", "count": 3},
            {"from": "1h", "to": "24h", "count": 4},
        ]
    }
    result = _run(_port(pool, north=2, south=2))
    text = format_report(result)
    assert (
        "- officers pool: 5.5 (5.5 – 5.5) officer-hours committed of 5.5 on duty; "
        "officers committed 3.7 (3.7 – 3.7) on average, 4 at most"
    ) in text
    hours = text.split("Officers by hour, officers pool")[1].splitlines()
    # committed, not busy: an officer at an open desk with nobody to serve counts
    assert [h.strip() for h in hours[1].split("  ") if h.strip()][1:] == [
        "officers on duty",
        "officers committed (95 % interval)",
        "most officers committed",
    ]
    assert hours[3].split() == ["00:00–01:00", "3", "3.0", "(3.0", "–", "3.0)", "3"]
    assert hours[4].split() == ["01:00–02:00", "4", "4.0", "(4.0", "–", "4.0)", "4"]
    page = _Text()
    page.feed(run_report_html(result))
    words = " ".join(page.text)
    assert "Officers (staff pools)" in words
    assert "Officers hour by hour" in words
    page = _Text()
    page.feed(result._repr_html_())  # a notebook's view
    assert "Officers (staff pools)" in " ".join(page.text)
    figure = officers_figure(result)
    assert figure is not None
    (ax,) = [a for a in figure.axes if a.get_visible()]
    labels = ax.get_legend_handles_labels()[1]
    assert "on duty" in labels
    assert any(label.startswith("committed") for label in labels)
    assert "on north_hall counters" in labels
    assert "on south_hall counters" in labels
    # the halls' lines: 2 officers each after 01:00, when the pool has 4 (3 before)
    halls = {line.get_label(): line for line in ax.lines if line.get_label().startswith("on ")}
    north = halls["on north_hall counters"]
    x, y = north.get_xdata(), north.get_ydata()
    assert y[list(x).index(next(v for v in x if v >= 1.5))] == 2
    # the same port, its lanes drawing on nobody: no pool anywhere
    plain = _port({"count": 3}, north=2, south=2)
    del plain["staff"]
    for stage in plain["stages"]:
        del stage["lanes"][0]["staff"]
    bare = _run(plain)
    assert "staff" not in bare.summary.json()
    assert "Officers" not in format_report(bare)
    page = _Text()
    page.feed(run_report_html(bare))
    assert "Officers" not in " ".join(page.text)
    assert "Officers" not in bare._repr_html_()
    assert officers_figure(bare) is None


def test_records_and_streaming_give_the_same_pool_rows() -> None:
    """Both paths read the pool's rows from the engine's logs: the same numbers."""
    data = _port({"count": 5}, north=4, south=4)
    for stage in data["stages"]:
        stage["lanes"][0]["service"] = {"dist": "exponential", "mean": "70s"}
    scenario = portsim.scenario_from_dict(data)
    tables = [
        portsim.simulate(scenario, replications=1, seed=3, records=records).tables[0]
        for records in (True, False)
    ]
    pool = [{k: v for k, v in t.items() if k[0] == "pool"} for t in tables]
    assert pool[0]
    assert pool[0] == pool[1]


def test_a_comparison_of_rosters_by_hand() -> None:
    """The two halls asking 2 lanes each, a pool of 3 against one of 4: all on a lane all
    the time, 3 × 1.5 h = 4.5 against 4 × 1.5 h = 6.0 officer-hours after the warm-up, a
    paired difference of exactly +1.5."""
    base = portsim.scenario_from_dict(_port({"count": 3}, north=2, south=2))
    more = portsim.scenario_from_dict(_port({"count": 4}, north=2, south=2))
    comparison = portsim.compare({"three": base, "four": more}, replications=2, seed=1)
    change = comparison.differences["four - three"].stat(POOL, OFFICER_HOURS)
    assert change.mean == pytest.approx(1.5)
    assert change.interval == pytest.approx((1.5, 1.5))
    text = format_comparison(comparison)
    rows = text.split("Officers by variant")[1].splitlines()[3:5]
    assert rows[0].split() == ["three", "officers", "pool", "4.5", "(4.5", "–", "4.5)", "4.5"]
    assert rows[1].split() == [
        "four", "officers", "pool", "6.0", "(6.0", "–", "6.0)", "6.0", "+1.5", "(+1.5", "–", "+1.5)"
    ]  # fmt: skip


def test_officer_hours_by_day_in_a_three_day_run_by_hand() -> None:
    """Three days, a traveller every 2 minutes each way, one 70 s counter a hall, a pool of
    2: both officers on a lane all the time. After the half-hour warm-up: 2 × 23.5 = 47
    officer-hours on day 1, 48 on days 2 and 3 (143 in all), committed as on duty."""
    data = _port({"count": 2}, north=1, south=1)
    data["horizon"] = "3d"
    for flow in data["flows"]:
        flow["arrivals"] = {"every": 120}
    result = _run(data, replications=2)
    s = result.summary
    assert [s.mean(POOL, OFFICER_HOURS, day=d) for d in range(3)] == pytest.approx([47, 48, 48])
    assert s.mean(POOL, OFFICER_HOURS) == pytest.approx(143)
    days = [d["officer_hours_on_duty"]["mean"] for d in s.json()["staff"]["officers"]["daily"]]
    assert days == pytest.approx([47, 48, 48])
    text = format_report(result)
    rows = text.split("Officer-hours by day")[1].splitlines()[3:6]
    assert [r.split() for r in rows] == [
        ["day", "1", "47.0", "of", "47.0"],
        ["day", "2", "48.0", "of", "48.0"],
        ["day", "3", "48.0", "of", "48.0"],
    ]
    page = _Text()
    page.feed(run_report_html(result))
    assert "Officers day by day" in " ".join(page.text)
