"""Travellers waiting outside for an opening at the end of the run (issue 22, item 7): who
came while the port was closed, or reached a stage with hours of its own while it was
closed, and was still waiting for it to open at the horizon is counted as
``waiting_outside`` (a run with opening hours only), not as a traveller queued inside with a
wait of 0 s so far: the censored waits are over those in port. The records and the
streaming tallies count them alike; the port's part is what its hours alone say (arrived
while closed, next opening at or after the horizon)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import portsim
from portsim import scenario_from_dict, simulate
from portsim.model import compile_scenario
from portsim.report.notes import run_warnings
from portsim.report.tables import flows_table
from portsim.results.catalog import (
    CENSORED_WAIT_MAX,
    CENSORED_WAIT_MEAN,
    UNFINISHED,
    WAITING_OUTSIDE,
)
from portsim.results.scopes import OVERALL, Scope, metric_paths

from .strategies import scenarios
from .test_streaming import assert_runs_agree

H = 3600.0
FAST = settings()


def _port(
    times: list[float], *, service: float = 60.0, stage_hours: bool = False
) -> dict[str, Any]:
    """One desk, open 08:00–10:00 (the port's hours, or the desk's stage's own behind a
    hall open round the clock), until 11:00; travellers at ``times``."""
    hours = {"open": "08:00", "close": "10:00"}
    desk: dict[str, Any] = {
        "name": "desk",
        "lanes": [{"name": "d", "count": 1, "service": {"dist": "constant", "value": service}}],
    }
    data: dict[str, Any] = {
        "name": "closed at 10:00",
        "horizon": "11h",
        "replications": 2,
        "flows": [{"name": "t", "arrivals": {"times": times}, "route": ["desk"]}],
        "stages": [desk],
    }
    if stage_hours:
        desk["hours"] = hours
        data["flows"][0]["route"] = ["hall", "desk"]
        data["stages"].insert(
            0,
            {
                "name": "hall",
                "lanes": [{"name": "h", "count": 1, "service": {"dist": "constant", "value": 1}}],
            },
        )
    else:
        data["hours"] = hours
    return data


@pytest.mark.parametrize("records", [True, False], ids=["records", "streaming"])
@pytest.mark.parametrize("stage_hours", [False, True], ids=["port", "stage"])
def test_one_traveller_waits_outside_at_the_horizon(records: bool, stage_hours: bool) -> None:
    """Open 08:00–10:00, a horizon of 11:00: who came at 09:00 is served, who came at 10:30
    waits outside for the next opening."""
    data = _port([9 * H, 10.5 * H], stage_hours=stage_hours)
    result = simulate(scenario_from_dict(data), records=records)
    s = result.summary
    for scope in (OVERALL, Scope.flow("t")):
        assert s.stat(scope, WAITING_OUTSIDE).json() == {"mean": 1.0, "ci95": [1.0, 1.0]}
        assert s.mean(scope, UNFINISHED) == 1
        assert math.isnan(s.mean(scope, CENSORED_WAIT_MEAN))  # nobody in port
    if records:
        outside = result.records[0].entity_outside
        assert outside is not None
        assert outside.tolist() == [False, True]
    assert_runs_agree(scenario_from_dict(data), 2, 3)


@pytest.mark.parametrize("records", [True, False], ids=["records", "streaming"])
def test_the_waits_so_far_are_those_in_port(records: bool) -> None:
    """At 09:00 a traveller takes the desk for an hour; one who came at 09:59:50 starts at
    10:00 and is still at the desk at 11:00 (10 s waited so far); one who came at 10:30
    waits outside. The censored waits are the one in port's, not averaged with a 0 s."""
    data = _port([9 * H, 10 * H - 10, 10.5 * H], service=H)
    result = simulate(scenario_from_dict(data), records=records)
    s = result.summary
    assert s.mean(OVERALL, UNFINISHED) == 2
    assert s.mean(OVERALL, WAITING_OUTSIDE) == 1
    assert s.mean(OVERALL, CENSORED_WAIT_MEAN) == pytest.approx(10.0)
    assert s.mean(OVERALL, CENSORED_WAIT_MAX) == pytest.approx(10.0)
    text = portsim.format_report(result)
    assert (
        "- all travellers: 2 unfinished: 1 in port, waited 10.0 s on average so far, 10.0 s at "
        "most; 1 waiting outside for the port (or a stage) to open, not queued there yet"
    ) in text
    table = flows_table(s)  # the HTML report's, and its CSV
    assert table.headers[1:4] == ["served", "unfinished", "of them waiting outside"]
    assert table.rows[0][1:4] == ["1", "2", "1"]
    warnings = run_warnings(result)
    assert any("1 travellers a replication (33.3%) were still in port" in w for w in warnings)
    assert any("were waiting outside for the port (or a stage) to open" in w for w in warnings)


def test_a_port_closed_at_the_horizon_has_nobody_in_port() -> None:
    """Everyone unfinished waits outside: the report says so, and no wait of 0.0 s."""
    result = simulate(scenario_from_dict(_port([9 * H, 10.25 * H, 10.5 * H])))
    text = portsim.format_report(result)
    assert (
        "- all travellers: 2 unfinished, all waiting outside for the port (or a stage) to open, "
        "not queued there yet"
    ) in text
    assert "waited 0.0 s on average so far" not in text
    warnings = run_warnings(result)
    assert not any("censored" in w for w in warnings)


def test_a_port_without_hours_reports_no_one_outside() -> None:
    """No opening hours: no ``waiting_outside`` row, and the report's lines as before."""
    data = _port([9 * H, 10 * H - 10, 10.5 * H], service=H)
    del data["hours"]
    data["horizon"] = "10.2h"
    result = simulate(scenario_from_dict(data))
    assert not result.summary.has(OVERALL, WAITING_OUTSIDE)
    assert "waiting_outside" not in result.to_dict()["overall"]
    assert not any("waiting_outside" in p for p in metric_paths(result.model))
    assert result.records[0].entity_outside is None
    assert "of them waiting outside" not in flows_table(result.summary).headers
    text = portsim.format_report(result)
    assert "- all travellers: 1 unfinished, waited 10.0 s on average so far, 10.0 s at most" in text


@FAST
@given(scenarios(max_flows=2, max_stages=2), st.sampled_from(["02:00", "05:30"]))
def test_those_outside_the_port_are_those_its_hours_hold_past_the_horizon(
    data: dict[str, Any], close: str
) -> None:
    """The engine's own count of who waits outside for the port equals what the hours
    alone say: arrived while closed, the next opening at the horizon or later."""
    data["hours"] = {"open": "01:00", "close": close}
    data["horizon"] = "6h"
    model = compile_scenario(scenario_from_dict(data))
    result = simulate(scenario_from_dict(data), replications=1, seed=4)
    rec = result.records[0]
    assert model.hours is not None
    assert rec.entity_outside is not None
    held = model.hours.entries(rec.entity_arrival) >= model.horizon
    assert np.array_equal(rec.entity_outside, held)
    counted = rec.entity_arrival >= model.warmup
    assert result.tables[0][("overall", "", "", -1, WAITING_OUTSIDE.name)] == (held & counted).sum()
