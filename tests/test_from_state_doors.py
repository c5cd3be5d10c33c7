"""Forecasts from a state under opening hours and at staff pools: exact event logs derived by
hand (constant service, timed arrivals; the tie rules of tests/test_event_logs.py).

The rules (``model/initial_doors.py``, ``engine/initial_doors.py``): a door (the port's, a
stage's own) is at the state's time ``at`` as it was just before (an opening or closing due
at ``at`` comes after the state). Open: the state is placed as ever, and the hours go on as
in a run from 00:00 (at the closing the doors take nobody new, the lanes stay as they are
until nobody is inside, then close). Closed: the observed travellers are inside, and only
the lanes the state gives open there (to clear them, as after a closing; they close once
nobody is inside); a queue without lanes waits for the opening, when the plan's lanes open,
before the newcomers who waited outside. A pool the state touches starts afresh at ``at``:
the state's open lanes take their officers, the rest are free and go to the waiting groups
(the longest expected wait first; a group with no lane open waits infinitely long, ties to
the group declared first) once the observed queues are in place.
"""

from __future__ import annotations

import math
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from click.testing import CliRunner

from portsim import Scope, compare, scenario_from_dict, simulate
from portsim.cli import main
from portsim.errors import ScenarioError
from portsim.model.compile import compile_scenario
from portsim.model.initial import start_from, state_warnings
from portsim.report import format_report
from portsim.report.document import run_report_html
from portsim.report.staff_plots import officers_figure
from portsim.run.tasks import TaskResult
from portsim.scenario.state import state_from_dict

from .helpers import Row, const, run_model, visit_rows

HOURS = {"open": "06:00", "close": "18:00"}


class _Texts(HTMLParser):
    """The text of an HTML page, piece by piece."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.texts.append(data.strip())

    def after(self, text: str) -> list[str]:
        return self.texts[self.texts.index(text) + 1 :]


def hall(lanes: int, service: float, **more: Any) -> dict[str, Any]:
    return {
        "name": "passport",
        "lanes": [{"name": "counters", "count": lanes, "service": const(service), **more}],
    }


def port(times: list[float], stages: list[dict[str, Any]], **parts: Any) -> dict[str, Any]:
    flow = {"name": "f", "arrivals": {"times": times}, "route": [s["name"] for s in stages]}
    return {"name": "doors", "horizon": "20h", "flows": [flow], "stages": stages, **parts}


def forecast(data: dict[str, Any], state: dict[str, Any]) -> tuple[list[Row], TaskResult]:
    model = start_from(compile_scenario(scenario_from_dict(data)), state_from_dict(state))
    result = run_model(model, 0, 0)
    assert result.records is not None
    return visit_rows(result.records), result


def exits(result: TaskResult) -> list[float | None]:
    records = result.records
    assert records is not None
    return [None if math.isnan(e) else float(e) for e in records.entity_exit]


def at_counters(**observed: Any) -> dict[str, Any]:
    return {"passport": {"counters": observed}}


def test_the_port_closes_ten_minutes_after_the_state_and_its_lanes_clear_those_inside() -> None:
    """Port open 06:00–18:00; 2 counters of 300 s. Observed at 17:50 (64200): e0, e1 in
    service with 60 s and 120 s left, e2 e3 e4 waiting; arrivals at 17:55 (64500, e5) and
    18:05 (65100, e6).

    e0 ends 64260, e1 64320; e2 lane 0 64260–64560, e3 lane 1 64320–64620, e4 lane 0
    64560–64860. e5 joins at 64500, takes lane 1 at 64620 (ends 64920). At 18:00 (64800) the
    doors close with e4 and e5 inside: the 2 lanes stay until e5 leaves at 64920, then shut.
    e6 comes at 18:05 to closed doors and waits outside (no opening before the horizon).
    Waits 0, 0, 60, 120, 360, 120 s."""
    data = port([60, 64500, 65100], [hall(2, 300)], hours=HOURS)
    state = {
        "at": "17:50",
        "stages": at_counters(in_service={"f": [60, 120]}, waiting={"f": 3}),
    }
    rows, result = forecast(data, state)
    assert rows == [
        Row(0, 0, "passport", "counters", 0, 64200, 64200, 64260, 64260),
        Row(1, 0, "passport", "counters", 1, 64200, 64200, 64320, 64320),
        Row(2, 0, "passport", "counters", 0, 64200, 64260, 64560, 64560),
        Row(3, 0, "passport", "counters", 1, 64200, 64320, 64620, 64620),
        Row(4, 0, "passport", "counters", 0, 64200, 64560, 64860, 64860),
        Row(5, 0, "passport", "counters", 1, 64500, 64620, 64920, 64920),
    ]
    assert [r.start - r.join for r in rows] == [0, 0, 60, 120, 360, 120]  # type: ignore[operator]
    assert exits(result) == [64260, 64320, 64560, 64620, 64860, 64920, None]
    assert result.counters.lanes_open[0][-2:] == ((21600.0, 2), (64920.0, 0))


def test_a_state_at_the_closing_instant_finds_the_doors_open_then_they_close() -> None:
    """1 counter of 60 s, the port closing at 18:00; observed at 18:00 itself (64800) with
    2 waiting: the closing comes after the state (as a plan's change at the state's time
    does), so they are inside: e0 64800–64860, e1 64860–64920, then the lane shuts."""
    data = port([60], [hall(1, 60)], hours=HOURS)
    rows, result = forecast(data, {"at": "18:00", "stages": at_counters(waiting={"f": 2})})
    assert rows == [
        Row(0, 0, "passport", "counters", 0, 64800, 64800, 64860, 64860),
        Row(1, 0, "passport", "counters", 0, 64800, 64860, 64920, 64920),
    ]
    assert result.counters.lanes_open[0][-1] == (64920.0, 0)


def test_a_queue_behind_closed_doors_waits_for_the_opening_every_wait_to_the_second() -> None:
    """2 counters of 60 s, the port opening at 06:00 (21600); observed at 05:50 (21000) with
    4 waiting in the hall and no lane given: none is open behind closed doors. A newcomer at
    05:55 (21300, e4) waits outside. At 06:00 the plan's 2 lanes open: e0 lane 0 and e1 lane
    1, 21600–21660; e2, e3 21660–21720; e4 enters at 06:00 behind them (queue join 21600),
    lane 0 21720–21780. Queue waits 600, 600, 660, 660 s and 120 s (e4's 300 s outside are
    not queue time)."""
    data = port([60, 21300], [hall(2, 60)], hours=HOURS, horizon="8h")
    rows, result = forecast(data, {"at": "05:50", "stages": at_counters(waiting={"f": 4})})
    assert rows == [
        Row(0, 0, "passport", "counters", 0, 21000, 21600, 21660, 21660),
        Row(1, 0, "passport", "counters", 1, 21000, 21600, 21660, 21660),
        Row(2, 0, "passport", "counters", 0, 21000, 21660, 21720, 21720),
        Row(3, 0, "passport", "counters", 1, 21000, 21660, 21720, 21720),
        Row(4, 0, "passport", "counters", 0, 21600, 21720, 21780, 21780),
    ]
    assert [r.start - r.join for r in rows] == [600, 600, 660, 660, 120]  # type: ignore[operator]
    assert result.counters.lanes_open[0] == ((0.0, 0), (21600.0, 2))


def test_lanes_given_behind_closed_doors_clear_those_inside_then_shut() -> None:
    """As above, with ``open: 1`` at 05:50: the one lane clears the four, 21000–21060,
    –21120, –21180, –21240, then shuts (nobody inside); e4 waits outside from 21300 and
    enters at 06:00, when the plan's 2 lanes open: 21600–21660."""
    data = port([60, 21300], [hall(2, 60)], hours=HOURS, horizon="8h")
    rows, result = forecast(data, {"at": "05:50", "stages": at_counters(open=1, waiting={"f": 4})})
    assert rows == [
        Row(0, 0, "passport", "counters", 0, 21000, 21000, 21060, 21060),
        Row(1, 0, "passport", "counters", 0, 21000, 21060, 21120, 21120),
        Row(2, 0, "passport", "counters", 0, 21000, 21120, 21180, 21180),
        Row(3, 0, "passport", "counters", 0, 21000, 21180, 21240, 21240),
        Row(4, 0, "passport", "counters", 0, 21600, 21600, 21660, 21660),
    ]
    assert result.counters.lanes_open[0] == ((0.0, 0), (21000.0, 1), (21240.0, 0), (21600.0, 2))
    # behind closed doors the lanes given are not the plan: no warning that they hide it
    model = start_from(
        compile_scenario(scenario_from_dict(data)),
        state_from_dict({"at": "05:50", "stages": at_counters(open=1, waiting={"f": 4})}),
    )
    assert state_warnings(model) == []


def test_a_stage_closed_at_the_state_holds_its_queue_until_it_opens() -> None:
    """Security (1 lane, 30 s, no hours of its own) then passport (1 lane, 60 s, open
    06:00–18:00). Observed at 05:50 (21000): e0 waiting at security, e1 e2 in passport's
    queue (no lane open: the stage is closed).

    e0 21000–21030 at security reaches the closed passport and is held before it. At 06:00
    its lane opens: e1 21600–21660, e2 21660–21720; e0, held 570 s, joins at 21600 behind
    them: 21720–21780. Queue waits at passport 600, 660 and 120 s."""
    security = {
        "name": "security",
        "lanes": [{"name": "scanners", "count": 1, "service": const(30)}],
    }
    data = port([60], [security, {**hall(1, 60), "hours": HOURS}], horizon="8h")
    state = {
        "at": "05:50",
        "stages": {
            "security": {"scanners": {"waiting": {"f": 1}}},
            "passport": {"counters": {"waiting": {"f": 2}}},
        },
    }
    rows, result = forecast(data, state)
    assert rows == [
        Row(0, 0, "security", "scanners", 0, 21000, 21000, 21030, 21780),
        Row(0, 1, "passport", "counters", 0, 21600, 21720, 21780, 21780),
        Row(1, 1, "passport", "counters", 0, 21000, 21600, 21660, 21660),
        Row(2, 1, "passport", "counters", 0, 21000, 21660, 21720, 21720),
    ]
    records = result.records
    assert records is not None
    assert records.entity_stage_held is not None
    assert records.entity_stage_held.tolist() == [570.0, 0.0, 0.0]


def pooled(lanes: int, **more: Any) -> dict[str, Any]:
    return hall(lanes, 60, staff="officers", **more)


def test_a_pool_of_three_two_lanes_open_the_third_opens_when_the_rule_asks() -> None:
    """A pool of 3 officers; counters of 60 s planned 2, built 3, a rule asking one more lane
    when the expected wait passes 100 s, 30 s after asking. Observed at 01:00 (3600): open 2,
    e0 e1 in service with 60 s left, e2 … e5 waiting.

    The 2 open lanes commit 2 officers, the third is free. The queue joins one by one: with
    e4 in it the expected wait is (3 + 1) × 60 / 2 = 240 s > 100 s: a lane is asked for at
    3600 and opens at 3630 with the free officer: e2 lane 2, 3630–3690. e0, e1 end at 3660:
    e3 lane 0 and e4 lane 1, 3660–3720; e5 lane 2 at 3690, –3750. Officers committed: 2 from
    the state's time, 3 from 3630."""
    data = port([60], [pooled(2, built=3, opening={"open_above": 100, "delay": 30})])
    data.update(horizon="2h", staff=[{"name": "officers", "count": 3}])
    state = {
        "at": "01:00",
        "stages": at_counters(open=2, in_service={"f": [60, 60]}, waiting={"f": 4}),
    }
    rows, result = forecast(data, state)
    assert rows == [
        Row(0, 0, "passport", "counters", 0, 3600, 3600, 3660, 3660),
        Row(1, 0, "passport", "counters", 1, 3600, 3600, 3660, 3660),
        Row(2, 0, "passport", "counters", 2, 3600, 3630, 3690, 3690),
        Row(3, 0, "passport", "counters", 0, 3600, 3660, 3720, 3720),
        Row(4, 0, "passport", "counters", 1, 3600, 3660, 3720, 3720),
        Row(5, 0, "passport", "counters", 2, 3600, 3690, 3750, 3750),
    ]
    assert result.counters.officers_in_use[0][-1] == (3630.0, 3)
    assert result.counters.lanes_open[0][-1] == (3630.0, 3)


def test_a_pool_restarts_at_the_state_and_its_officers_go_to_the_observed_queue() -> None:
    """A pool of 3 officers for hall A (2 desks of 60 s) and hall B (2 desks of 60 s),
    declared in that order. From 00:00, empty, A got 2 lanes and B 1 (at time 0: one lane
    each, then the tie to A). Observed at 01:00: 4 waiting at B, open not given. The pool
    starts afresh: 3 officers free, A and B with no lane; A first (both wait infinitely
    long, the tie to A), then B (A has a free lane: 0 s), then B again (its queue of 3 on one
    lane: 240 s against A's 0). B's 2 lanes: e0 lane 0 and e1 lane 1, 3600–3660; e2 and e3
    3660–3720 (with the empty run's 1 lane at B it would have been 3600–3840)."""
    desks = {"name": "desks", "count": 2, "service": const(60), "staff": "officers"}
    data = {
        "name": "two halls",
        "horizon": "2h",
        "staff": [{"name": "officers", "count": 3}],
        "flows": [
            {"name": "a", "arrivals": {"times": [7000]}, "route": ["A"]},
            {"name": "b", "arrivals": {"times": [7000]}, "route": ["B"]},
        ],
        "stages": [{"name": "A", "lanes": [desks]}, {"name": "B", "lanes": [desks]}],
    }
    state = {"at": "01:00", "stages": {"B": {"desks": {"waiting": {"b": 4}}}}}
    rows, result = forecast(data, state)
    assert rows[:4] == [
        Row(0, 0, "B", "desks", 0, 3600, 3600, 3660, 3660),
        Row(1, 0, "B", "desks", 1, 3600, 3600, 3660, 3660),
        Row(2, 0, "B", "desks", 0, 3600, 3660, 3720, 3720),
        Row(3, 0, "B", "desks", 1, 3600, 3660, 3720, 3720),
    ]
    a, b = result.counters.lanes_open
    assert (a[0], a[-1]) == ((0.0, 2), (3600.0, 1))
    assert (b[0], b[-1][1]) == ((0.0, 1), 2)


REFUSED = [
    (
        port([60], [pooled(2)], hours=HOURS, staff=[{"name": "officers", "count": 2}]),
        {"at": "05:00", "stages": at_counters(waiting={"f": 1})},
        "stages.passport.counters: the port is closed at 05:00 (it opens at 06:00): a state "
        "cannot give a lane group of a staff pool (officers) behind closed doors (the officers "
        "clearing those inside are not in a state)",
    ),
    (
        port([60], [hall(2, 60)], hours=HOURS),
        {"at": "05:00", "stages": at_counters(in_service={"f": 1})},
        "stages.passport.counters.in_service: 1 traveller in service, but the port is closed "
        "at 05:00 and no lane is open there unless the state gives open (the lanes still "
        "clearing those inside)",
    ),
    (
        port([60], [hall(2, 60)], hours=HOURS),
        {"at": "19:00", "stages": at_counters(open=2)},
        "stages.passport.counters.open: the port is closed at 19:00 and the state has nobody "
        "inside: its lanes are shut (it does not open again in the run): give open 0, or leave "
        "it out",
    ),
    (
        port([60], [{**hall(1, 60), "name": "security"}, {**hall(2, 60), "hours": HOURS}]),
        {
            "at": "05:00",
            "stages": {"security": {"counters": {"waiting": {"f": 3}}}, **at_counters(open=1)},
        },
        "stages.passport.counters.open: stage passport is closed at 05:00 and the state has "
        "nobody inside: its lanes are shut (it opens at 06:00): give open 0, or leave it out",
    ),
    (
        port(
            [60],
            [pooled(2, built=3)],
            horizon="2h",
            staff=[
                {
                    "name": "officers",
                    "schedule": [
                        {"from": "00:00", "to": "01:00", "count": 2},
                        {"from": "01:00", "to": "24:00", "count": 3},
                    ],
                }
            ],
        ),
        {"at": "00:59", "stages": at_counters(open=3)},
        "stages.passport.counters.open: the open lanes need 3 officers of staff pool officers "
        "(3 lanes × 1 at passport.counters), but it has 2 on duty at 00:59",
    ),
]


@pytest.mark.parametrize(("data", "state", "problem"), REFUSED)
def test_a_careless_state_under_hours_or_at_a_pool_is_one_line(
    data: dict[str, Any], state: dict[str, Any], problem: str
) -> None:
    """Lanes of a pool behind closed doors, travellers in service behind closed doors with
    no lane given, lanes given behind closed doors with nobody inside (the port's, or a
    stage's own: its inside is its own), open lanes that need more officers than are on
    duty at the state's time (a shift arriving then counts: a minute before it, not)."""
    model = compile_scenario(scenario_from_dict(data))
    with pytest.raises(ScenarioError) as caught:
        start_from(model, state_from_dict(state))
    assert str(caught.value) == problem


def test_compare_from_a_state_under_hours_on_the_command_line(tmp_path: Any) -> None:
    """``compare --from-state`` with the port's hours: each variant forecasts from the same
    state (one more counter closes the queue sooner); a careless one is one line, exit 2."""
    scenario = tmp_path / "port.yaml"
    scenario.write_text(
        "name: hours\nhorizon: 20h\nreplications: 2\n"
        "hours: {open: '06:00', close: '18:00'}\n"
        "flows: [{name: f, arrivals: {rate: 60/h}, route: [passport]}]\n"
        "stages: [{name: passport, lanes: [{name: counters, count: 1, "
        "service: {dist: constant, value: 50s}}]}]\n",
        encoding="utf-8",
    )
    state = tmp_path / "now.yaml"
    state.write_text(
        "at: '17:30'\nstages: {passport: {counters: {waiting: {f: 40}}}}\n", encoding="utf-8"
    )
    variant = ["--variant", "two:stages.passport.lanes.counters.count=2"]
    result = CliRunner().invoke(
        main, ["compare", str(scenario), *variant, "--from-state", str(state), "-q"]
    )
    assert result.exit_code == 0, result.output
    assert "Forecast from the state observed at 17:30" in result.stdout
    state.write_text("at: '05:00'\nstages: {passport: {counters: {open: 1}}}\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["compare", str(scenario), *variant, "--from-state", str(state), "-q"]
    )
    assert result.exit_code == 2
    assert result.stderr == (
        f"{state}: stages.passport.counters.open: the port is closed at 05:00 and the state has "
        "nobody inside: its lanes are shut (it opens at 06:00): give open 0, or leave it out\n"
    )


def test_compare_in_python_under_hours_pairs_the_variants() -> None:
    """12 waiting at 17:50 (64200) at counters of 60 s, the port closing at 18:00 (64800),
    nobody coming after. One counter: waits 0, 60, …, 660 s (mean 330 s), the last served
    64860–64920, after the closing (the lane stays for those inside). Two: 0, 0, 60, 60, …,
    300, 300 (mean 150 s). The difference, paired, is −180 s in every replication."""
    one = port([60], [hall(1, 60)], hours=HOURS)
    two = port([60], [hall(2, 60)], hours=HOURS)
    state = {"at": "17:50", "stages": at_counters(waiting={"f": 12})}
    comparison = compare(
        {"one": scenario_from_dict(one), "two": scenario_from_dict(two)},
        from_state=state,
        replications=2,
    )
    difference = comparison.differences["two - one"].stat(Scope("overall"), "wait_mean_s")
    assert difference.mean == -180.0


def test_a_pool_forecast_reports_its_officers_from_the_state_hour() -> None:
    """The officers hour by hour (text, and the HTML report's table) and the officers plot
    start at the state's hour, as the travellers' do: the hours before it were not
    simulated."""
    data = port([60], [pooled(2)], horizon="3h", staff=[{"name": "officers", "count": 2}])
    state = {"at": "01:30", "stages": at_counters(open=2, waiting={"f": 3})}
    result = simulate(scenario_from_dict(data), from_state=state, replications=2)
    text = format_report(result)
    officers = text.split("Officers by hour, officers pool\n", 1)[1].split("\n\n", 1)[0]
    assert [line.split()[0] for line in officers.splitlines()[2:]] == [
        "01:00–02:00",
        "02:00–03:00",
    ]
    parser = _Texts()
    parser.feed(run_report_html(result))
    cells = parser.after("Officers hour by hour")
    assert [c for c in cells if re.fullmatch(r"\d\d:\d\d–\d\d:\d\d", c)][:2] == [
        "01:00–02:00",
        "02:00–03:00",
    ]
    assert "00:00–01:00" not in parser.texts
    figure = officers_figure(result)
    assert figure is not None
    assert figure.axes[0].get_xlim() == (1.0, 3.0)


def test_a_stage_ahead_behind_closed_doors_with_no_lane_given_is_warned_of() -> None:
    """Closed at 18:10, the state has passport's lanes clearing 3 travellers but says
    nothing of customs, after it: customs has no lane open behind the closed doors, so they
    wait there until the next opening. Said in one line before the run; not when customs is
    given (open, or named), nor while the port is open."""
    customs = {"name": "customs", "lanes": [{"name": "booths", "count": 1, "service": const(30)}]}
    data = port([60], [hall(1, 60), customs], hours=HOURS, horizon="2d")
    base = compile_scenario(scenario_from_dict(data))

    def warnings(at: str, **more: Any) -> list[str]:
        stages = {**at_counters(open=1, waiting={"f": 3}), **more}
        return state_warnings(start_from(base, state_from_dict({"at": at, "stages": stages})))

    assert warnings("18:10") == [
        "stages.customs: the port is closed at 18:10 and the state gives no lane open at "
        "customs: the travellers observed before it will wait there until the opening (it "
        "opens at 06:00 of day 2); give the open of its lanes still clearing those inside, if "
        "they are"
    ]
    assert warnings("18:10", customs={"booths": {"open": 1}}) == []
    assert warnings("17:50") == []
    rows, _ = forecast(data, {"at": "18:10", "stages": at_counters(open=1, waiting={"f": 1})})
    # 65400–65460 at passport, then held at customs' queue until 06:00 of day 2 (108000)
    assert rows == [
        Row(0, 0, "passport", "counters", 0, 65400, 65400, 65460, 108030),
        Row(0, 1, "customs", "booths", 0, 65460, 108000, 108030, 108030),
    ]


def test_open_lanes_of_a_pool_with_a_queue_per_lane_hold_their_officers() -> None:
    """A pool of 2 officers; halls A (a queue per desk) and B, 2 desks of 60 s each. Observed
    at 01:00: A has 2 open, e0 e1 in service with 30 s left, e2 … e5 waiting (once, a state
    here served two at once on one desk). Each newcomer takes the shortest desk queue, the
    first on a tie: e2 desk 0, e3 desk 1, e4 desk 0, e5 desk 1; each desk serves its own,
    one at a time: 3630–3690, then 3690–3750. The 2 open lanes are A's plan (2): they keep
    both officers, B opens none (no officer is free; no lane is taken from a group that
    wants it), and b, who comes to B at 01:30, is still waiting at the horizon."""
    desks = {"name": "desks", "count": 2, "service": const(60), "staff": "officers"}
    data = {
        "name": "two halls",
        "horizon": "2h",
        "staff": [{"name": "officers", "count": 2}],
        "flows": [
            {"name": "a", "arrivals": {"times": [60]}, "route": ["A"]},
            {"name": "b", "arrivals": {"times": [5400]}, "route": ["B"]},
        ],
        "stages": [
            {"name": "A", "lanes": [{**desks, "queue": "per_lane"}]},
            {"name": "B", "lanes": [desks]},
        ],
    }
    observed = {"open": 2, "in_service": {"a": [30, 30]}, "waiting": {"a": 4}}
    rows, result = forecast(data, {"at": "01:00", "stages": {"A": {"desks": observed}}})
    assert rows == [
        Row(0, 0, "A", "desks", 0, 3600, 3600, 3630, 3630),
        Row(1, 0, "A", "desks", 1, 3600, 3600, 3630, 3630),
        Row(2, 0, "A", "desks", 0, 3600, 3630, 3690, 3690),
        Row(3, 0, "A", "desks", 1, 3600, 3630, 3690, 3690),
        Row(4, 0, "A", "desks", 0, 3600, 3690, 3750, 3750),
        Row(5, 0, "A", "desks", 1, 3600, 3690, 3750, 3750),
        Row(6, 0, "B", "desks", -1, 5400, None, None, None),
    ]
    assert result.counters.lanes_open[1][-1] == (3600.0, 0)
    assert result.counters.officers_in_use[0] == ((0.0, 2),)


def test_under_hours_vehicles_and_travellers_on_the_move_are_refused_in_one_line() -> None:
    """The doors count the travellers at lane groups as inside: a walker (or a vehicle,
    whose occupants and passengers the doors would have to count) is refused, not placed
    and miscounted at the closing."""
    security = {**hall(1, 30), "name": "security", "transfer": const(120)}
    data = port([60], [security, hall(1, 60)], hours=HOURS)
    walker = {"at": "17:50", "walking_to": {"passport": {"f": ["60s"]}}}
    with pytest.raises(ScenarioError, match=r"^walking_to: travellers on the move under"):
        start_from(compile_scenario(scenario_from_dict(data)), state_from_dict(walker))
    cars = {
        "name": "cars", "kind": "car", "arrivals": {"times": [60]},
        "occupants": {"dist": "constant", "value": 2}, "route": ["passport"],
    }  # fmt: skip
    data["flows"].append(cars)
    state = {"at": "17:50", "stages": {"passport": {"counters": {"waiting": {"cars": 1}}}}}
    with pytest.raises(ScenarioError, match=r"passport\.counters: cars: vehicles and their"):
        start_from(compile_scenario(scenario_from_dict(data)), state_from_dict(state))


def test_a_state_at_a_shift_s_start_sees_the_shift_arriving() -> None:
    """A pool of 1 officer to 01:00 and 3 from 01:00; counters of 60 s planned 3. Observed at
    01:00 (3600), the start of the shift: open 2, e0 e1 in service with 30 s and 40 s left,
    e2 … e5 waiting. The officers on duty at the state are the arriving shift's 3, not the 1
    before it (a shift that brings more at ``at`` is there), so the state's 2 lanes are not
    refused; they are the group's plan until its next change (none: the third officer stays
    free). e2 lane 0 3630–3690, e3 lane 1 3640–3700, e4 lane 0 3690–3750, e5 lane 1
    3700–3760. The roster's change at 01:00 then has nothing to do. With 3 open, all 3 are
    committed; a minute earlier, 1 is on duty and 3 open lanes are refused."""
    data = port([60], [pooled(3)])
    schedule = [
        {"from": "00:00", "to": "01:00", "count": 1},
        {"from": "01:00", "to": "24:00", "count": 3},
    ]
    data.update(horizon="2h", staff=[{"name": "officers", "schedule": schedule}])
    state = {
        "at": "01:00",
        "stages": at_counters(open=2, in_service={"f": [30, 40]}, waiting={"f": 4}),
    }
    rows, result = forecast(data, state)
    assert rows == [
        Row(0, 0, "passport", "counters", 0, 3600, 3600, 3630, 3630),
        Row(1, 0, "passport", "counters", 1, 3600, 3600, 3640, 3640),
        Row(2, 0, "passport", "counters", 0, 3600, 3630, 3690, 3690),
        Row(3, 0, "passport", "counters", 1, 3600, 3640, 3700, 3700),
        Row(4, 0, "passport", "counters", 0, 3600, 3690, 3750, 3750),
        Row(5, 0, "passport", "counters", 1, 3600, 3700, 3760, 3760),
    ]
    assert result.counters.officers_on_duty[0][-1] == (3600.0, 3)
    assert dict(result.counters.officers_in_use[0])[3600.0] == 2
    state["stages"] = at_counters(open=3, in_service={"f": [30, 40, 50]}, waiting={"f": 4})
    _, result = forecast(data, state)  # 3 open at 01:00: the arriving shift's 3 are there
    assert dict(result.counters.officers_in_use[0])[3600.0] == 3
    state["at"] = "00:59"
    with pytest.raises(ScenarioError, match=r"need 3 officers .* but it has 1 on duty at 00:59"):
        forecast(data, state)
