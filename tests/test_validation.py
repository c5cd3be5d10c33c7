"""Documented figures judged: the published interval against the simulated one, a verdict
per figure (reproduced, not reproduced, cannot tell) and one for the scenario, in the JSON,
the text report and the HTML report."""

from __future__ import annotations

import copy
import math
import re
from typing import Any

import pytest

from portsim import ScenarioError, format_report, scenario_from_dict, simulate, theory
from portsim.report.document import run_report_html
from portsim.results.figures import (
    CANNOT_TELL,
    NOT_REPRODUCED,
    REPRODUCED,
    figure_verdict,
)
from portsim.results.rows import ALL_HOURS
from portsim.results.statistics import t_interval

RATE = 0.5  # per second
SERVICE = 5.0  # seconds, exponential
LANES = 3  # offered load 2.5 on 3 lanes: ρ = 0.83
HOUR = 3600.0


def _hall(reference: list[dict[str, Any]], replications: int = 20) -> dict[str, Any]:
    """M/M/3 at ρ = 0.83 over four hours after a one-hour warm-up (about 300 relaxation
    times of the queue), in two flows that share the lanes, with a pledge."""
    return {
        "name": "validated hall",
        "horizon": "5h",
        "warmup": "1h",
        "replications": replications,
        "seed": 13,
        "flows": [
            {"name": "a", "arrivals": {"rate": RATE / 2}, "route": ["hall"]},
            {"name": "b", "arrivals": {"rate": RATE / 2}, "route": ["hall"]},
        ],
        "stages": [
            {
                "name": "hall",
                "lanes": [
                    {
                        "name": "lanes",
                        "count": LANES,
                        "service": {"dist": "exponential", "mean": SERVICE},
                    }
                ],
            }
        ],
        "targets": [{"name": "one.minute", "wait_within": "1min", "share": 0.5}],
        "reference": reference,
    }


WAIT = theory.mmc_wait_mean(RATE, SERVICE, LANES)
WITHIN = theory.mmc_wait_within(RATE, SERVICE, LANES, 60.0)


def _figure(**fields: Any) -> dict[str, Any]:
    return {
        "figure": "mean wait",
        "source": "M/M/3 theory",
        "compare_to": "overall.wait_mean_s",
    } | fields


@pytest.mark.parametrize(
    ("check", "value", "low", "high", "ci", "expected"),
    [
        # calibration: the published figure within the simulated interval, or not
        ("calibration", 100, None, None, [95, 104], REPRODUCED),
        ("calibration", 100, None, None, [101, 104], NOT_REPRODUCED),
        ("calibration", 100, 99, 101, [100.5, 104], REPRODUCED),  # meets the published range
        # validation: the simulated interval within the published one
        ("validation", 20, None, 25, [18, 24], REPRODUCED),
        ("validation", 20, None, 25, [22, 27], CANNOT_TELL),
        ("validation", 20, None, 25, [26, 27], NOT_REPRODUCED),
        ("validation", 0.9, 0.9, None, [0.95, 0.97], REPRODUCED),
        ("validation", 0.9, 0.9, None, [0.85, 0.89], NOT_REPRODUCED),
        ("validation", 25, 20, 30, [21, 31], CANNOT_TELL),
        ("validation", 6.3, None, None, [6.0, 6.5], REPRODUCED),  # a point within the interval
        ("validation", 6.3, None, None, [6.4, 6.5], NOT_REPRODUCED),
        # no interval (one replication) or no value: nothing can be told
        ("validation", 20, None, 25, None, CANNOT_TELL),
        ("calibration", 100, None, None, [math.nan, math.nan], CANNOT_TELL),
    ],
)
def test_the_verdict_rule(  # noqa: PLR0917 - one case per row of the table
    check: str,
    value: float,
    low: float | None,
    high: float | None,
    ci: list[float] | None,
    expected: str,
) -> None:
    assert figure_verdict(check, value, low, high, ci) == expected


def test_verdicts_of_a_run_against_erlang_c() -> None:
    """A band of ±50 % around Erlang C's mean wait is reproduced; a band of a tenth of it is
    not; twenty replications of four hours put the interval far inside the first and far
    from the second (a few per cent wide)."""
    result = simulate(
        scenario_from_dict(
            _hall(
                [
                    _figure(value=WAIT, low=WAIT / 2, high=WAIT * 1.5, check="validation"),
                    _figure(figure="a tenth", value=WAIT / 10, high=WAIT / 10),
                ]
            )
        )
    )
    rows = result.summary["reference"]
    assert [r["verdict"] for r in rows] == [REPRODUCED, NOT_REPRODUCED]
    assert rows[0]["low"] == WAIT / 2
    assert rows[1]["high"] == WAIT / 10
    assert rows[1]["check"] == "validation"  # guessed from the metric: a wait is an outcome
    validation = result.summary["validation"]
    assert validation["verdict"] == NOT_REPRODUCED
    assert validation["figures"] == {"reproduced": 1, "not_reproduced": 1, "cannot_tell": 0}
    assert validation["calibration"] == "nothing to check"


def test_a_bound_the_interval_straddles_cannot_tell() -> None:
    """The same run twice (same seed): the second states the first's mean as the published
    bound, which its interval straddles by construction."""
    first = simulate(scenario_from_dict(_hall([_figure(value=WAIT)])), replications=3)
    mean = first.summary["overall"]["wait_mean_s"]["mean"]
    again = simulate(scenario_from_dict(_hall([_figure(value=mean, high=mean)])), replications=3)
    (row,) = again.summary["reference"]
    assert row["simulated"] == mean
    assert row["verdict"] == CANNOT_TELL
    assert again.summary["validation"]["verdict"] == CANNOT_TELL


def test_a_sum_of_metrics_has_the_interval_of_the_sums() -> None:
    """A figure that adds two flows: its interval is the Student-t interval of the sum,
    replication by replication (not the sum of the intervals)."""
    paths = ["flows.a.served_per_day", "flows.b.served_per_day"]
    result = simulate(
        scenario_from_dict(
            _hall([_figure(figure="crossings", value=RATE * 86400, compare_to=paths)])
        ),
        replications=4,
    )
    (row,) = result.summary["reference"]
    sums = [
        t[("flow", "a", "", ALL_HOURS, "served_per_day")]
        + t[("flow", "b", "", ALL_HOURS, "served_per_day")]
        for t in result.tables
    ]
    mean, ci = t_interval(sums)
    assert row["simulated"] == pytest.approx(mean, rel=1e-12)
    assert row["simulated_ci95"] == pytest.approx(ci, rel=1e-12)
    assert row["check"] == "calibration"
    assert result.summary["validation"]["verdict"] == "nothing to validate"


def test_a_pledge_met_is_judged_as_the_pledge() -> None:
    """A published "the pledge was met" (the share within the limit at least the pledged
    one) reads the pledge's share: its verdict is the pledge's, in other words."""
    figure = _figure(
        figure="half within a minute",
        value=0.5,
        low=0.5,
        compare_to="targets.one.minute.share",  # a pledge's name may hold dots
    )
    result = simulate(scenario_from_dict(_hall([figure])), replications=4)
    (row,) = result.summary["reference"]
    (target,) = result.summary["targets"]
    assert row["simulated"] == target["share"]["mean"]
    assert row["simulated_ci95"] == target["share"]["ci95"]
    assert {"pass": REPRODUCED, "fail": NOT_REPRODUCED}.get(target["verdict"], CANNOT_TELL) == (
        row["verdict"]
    )
    assert WITHIN > 0.5  # theory: the pledge holds, and the figure is a share
    assert "%" in format_report(result).split("Documented figures")[1]


def test_reports_show_the_published_interval_the_verdict_and_the_note() -> None:
    figures = [
        _figure(
            value="25s",
            high="1min",
            confidence="M",
            note="the wait at which the pledge holds",
        ),
        _figure(figure="crossings", value=RATE * 86400, compare_to="overall.served_per_day"),
    ]
    result = simulate(scenario_from_dict(_hall(figures)), replications=3)
    assert result.summary["reference"][0]["documented"] == 25.0
    assert result.summary["reference"][0]["high"] == 60.0
    text = format_report(result)
    assert "25.0 s (≤ 60.0 s)" in text
    assert "[1] the wait at which the pledge holds" in text
    assert "Validation against the published outcomes: reproduced (1 reproduced)" in text
    html = run_report_html(result)
    assert "Validation against the published outcomes" in html
    assert "the wait at which the pledge holds" in html
    assert "25.0 s (≤ 60.0 s)" in re.sub(r"<[^>]+>", "", html)  # the cell's text


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"value": "fast"}, "is not a figure"),
        ({"value": 30, "high": 25}, "above high"),
        ({"value": 30, "low": 35}, "below low"),
        ({"value": 30, "confidence": "X"}, "confidence"),
        ({"value": 0.5, "compare_to": "targets.nobody.share"}, "names no metric"),
    ],
)
def test_figures_that_cannot_be_meant_are_refused(fields: dict[str, Any], problem: str) -> None:
    data = _hall([_figure(**fields)])
    with pytest.raises(ScenarioError, match=problem):  # a figure's metric: before the run
        simulate(scenario_from_dict(copy.deepcopy(data)), replications=1)
