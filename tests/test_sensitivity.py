"""One assumption at a time: each variant is the file's run with its assignments (the same
seed and replications: common random numbers), its change is paired by replication, and
the rows are ranked by the larger change."""

from __future__ import annotations

import math
from typing import Any

import pytest

import portsim
from portsim import UsageError, apply_overrides, dump_scenario, scenario_from_dict
from portsim.results.rows import ALL_HOURS
from portsim.results.statistics import t_interval

RATE = 0.4  # per second; offered load 2 on 3 lanes of 5 s
REPLICATIONS = 12
SEED = 3
WAIT = ("overall", "", "", ALL_HOURS, "wait_mean_s")

ASSUMPTIONS: dict[str, dict[str, Any]] = {
    "service time": {
        "low": {"stages.hall.lanes.lanes.service.mean": 4.5},
        "high": {"stages.hall.lanes.lanes.service.mean": 6.0},
        "low_label": "4.5 s",
        "high_label": "6 s",
    },
    "lanes": {
        "low": {"stages.hall.lanes.lanes.count": 4},
        "high": {"stages.hall.lanes.lanes.count": 5},
    },
}


def _hall() -> portsim.Scenario:
    return scenario_from_dict(
        {
            "name": "hall",
            "horizon": "3h",
            "warmup": "30min",
            "replications": REPLICATIONS,
            "seed": SEED,
            "flows": [{"name": "all", "arrivals": {"rate": RATE}, "route": ["hall"]}],
            "stages": [
                {
                    "name": "hall",
                    "lanes": [
                        {"name": "lanes", "count": 3, "service": {"dist": "exponential", "mean": 5}}
                    ],
                }
            ],
        }
    )


def _waits(scenario: portsim.Scenario, sets: dict[str, Any] | None = None) -> list[float]:
    if sets:
        scenario = scenario_from_dict(apply_overrides(dump_scenario(scenario), sets.items()))
    result = portsim.simulate(scenario, records=False)
    return [table[WAIT] for table in result.tables]


def test_each_setting_is_the_files_run_with_its_assignments_paired() -> None:
    hall = _hall()
    result = portsim.sensitivity(hall, ASSUMPTIONS, "overall.wait_mean_s", workers=1)
    base = _waits(hall)
    assert result.base[0] == pytest.approx(t_interval(base)[0], rel=1e-12)
    assert (result.replications, result.seed) == (REPLICATIONS, SEED)
    by_name = {row.assumption.name: row for row in result.rows}
    for name, sides in ASSUMPTIONS.items():
        row = by_name[name]
        for side, estimate, change in (
            ("low", row.low, row.low_change),
            ("high", row.high, row.high_change),
        ):
            varied = _waits(hall, sides[side])
            assert estimate[0] == pytest.approx(t_interval(varied)[0], rel=1e-12)
            paired = t_interval([v - b for v, b in zip(varied, base, strict=True)])
            assert change[0] == pytest.approx(paired[0], rel=1e-12, abs=1e-12)
            assert change[1] == pytest.approx(paired[1], rel=1e-12, abs=1e-12)
    assert [r.swing for r in result.rows] == sorted((r.swing for r in result.rows), reverse=True)


def test_common_random_numbers_make_the_changes_tight_and_signed() -> None:
    """Longer services lengthen every replication's mean wait (same arrivals, each service
    scaled up): the paired change is positive in every replication, and its interval is
    narrower than the wait's own."""
    result = portsim.sensitivity(_hall(), ASSUMPTIONS, "overall.wait_mean_s", workers=1)
    row = next(r for r in result.rows if r.assumption.name == "service time")
    assert row.assumption.label("high") == "6 s"
    assert row.high_change[1] is not None
    assert row.high_change[1][0] > 0
    assert row.low_change[1] is not None
    assert row.low_change[1][1] < 0
    own = row.high[1]
    assert own is not None
    assert row.high_change[1][1] - row.high_change[1][0] < own[1] - own[0]
    assert result.rows[0].assumption.name == "service time"  # it moves the wait most


def test_the_table_in_text_and_markdown() -> None:
    result = portsim.sensitivity(_hall(), ASSUMPTIONS, "overall.wait_mean_s", workers=1)
    text = portsim.format_sensitivity(result)
    assert "all travellers: mean wait (overall.wait_mean_s) as in the file" in text
    assert "1  service time" in text
    assert "stages.hall.lanes.lanes.count=4" in text  # no label: the assignments
    markdown = portsim.format_sensitivity(result, markdown=True).splitlines()
    table = [line for line in markdown if line.startswith("|")]
    assert len(table) == 2 + len(ASSUMPTIONS)
    assert not math.isnan(result.base[0])


def test_a_metric_that_is_not_in_the_run_json_is_refused() -> None:
    with pytest.raises(UsageError, match="not a metric path"):
        portsim.sensitivity(_hall(), ASSUMPTIONS, "overall.waiting", workers=1)
