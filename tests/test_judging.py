"""Comparisons are judged on what they compare: the clearance modes (routes that differ) on
the time in port, lane counts (the same routes) on the waits, or on the user's metric."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import portsim
from portsim.cli import main
from portsim.report.answer import comparison_answer
from portsim.report.text import format_comparison
from portsim.report.versus import differences_table, waits_by_variant
from portsim.results.catalog import TIME_IN_PORT, WAIT_MEAN, WAIT_P95
from portsim.run.compare import routes_differ

ROOT = Path(__file__).resolve().parent.parent
HALL = ROOT / "scenarios" / "hall_modes.yaml"
SHORT = ("horizon=2h", "warmup=0")


def _modes(judge: str | None = None) -> portsim.Comparison:
    variants = [
        (mode, portsim.load_scenario(HALL, [*SHORT, f"clearance.mode={mode}"]))
        for mode in ("separate", "colocated", "cooperative")
    ]
    return portsim.compare(variants, replications=3, seed=4, records=False, judge=judge)


def test_the_modes_comparison_leads_with_the_time_in_port() -> None:
    """One stop instead of two saves minutes of walking and checks; the waits barely move:
    the headline names the time in port, with the saving against the first variant and the
    stops each mode passes."""
    comparison = _modes()
    assert comparison.routes_differ
    assert comparison.judged_on == (TIME_IN_PORT, WAIT_MEAN, WAIT_P95)
    answer = comparison_answer(comparison)
    assert answer.headline.startswith("cooperative has the shortest time in port")
    assert any(
        p.startswith("Against separate, the first variant: time in port") for p in answer.points
    )
    assert any("cooperative 1, " in p and "separate 2" in p for p in answer.points)
    # the tables and the text put the time in port first, beside the waits
    assert waits_by_variant(comparison).headers[3].startswith("time in port")
    assert differences_table(comparison).headers[2].startswith("time in port")
    text = format_comparison(comparison)
    assert text.index("\nTime in port\n") < text.index("\nMean wait\n")


def test_a_comparison_of_lane_counts_leads_with_the_waits() -> None:
    base = portsim.load_scenario(HALL, SHORT)
    more = portsim.load_scenario(
        HALL,
        [
            *SHORT,
            "clearance.separate.exit.lanes.counters.schedule=[{from: 0h, to: 24h, count: 12}]",
        ],
    )
    assert not routes_differ([portsim.run.preflight(s).model for s in (base, more)])
    comparison = portsim.compare({"base": base, "more": more}, replications=3, seed=4)
    assert comparison.judged_on[0] is WAIT_MEAN
    assert "the shortest waits" in comparison_answer(comparison).headline


def test_the_user_may_judge_on_another_metric() -> None:
    comparison = _modes(judge="wait_p95")
    assert comparison.judged_on == (WAIT_P95, TIME_IN_PORT, WAIT_MEAN)
    assert "95th-percentile wait" in comparison_answer(comparison).headline


@pytest.mark.parametrize("judge", ["lane_hours", "nonsense", "utilization"])
def test_a_metric_that_cannot_judge_a_comparison_is_one_line(judge: str, tmp_path: Path) -> None:
    """A metric that is not of all travellers, or has no better side, is refused before
    anything runs."""
    result = CliRunner().invoke(
        main, ["compare", str(HALL), "--modes", "separate,cooperative", "--judge", judge]
    )
    assert result.exit_code == 2
    assert result.stderr.startswith(f"--judge {judge}: a comparison is judged on")
    assert len(result.stderr.strip().splitlines()) == 1
