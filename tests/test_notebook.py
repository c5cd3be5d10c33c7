"""Notebooks: results show as tables (``_repr_html_``) and convert to pandas."""

from __future__ import annotations

import math
import subprocess
import sys

import pytest

from .reporting import hall_comparison, hall_run


def test_a_result_shows_its_answer_and_tables_in_a_notebook() -> None:
    html = hall_run()._repr_html_()
    assert html.startswith("<div>")
    assert "Small hall, two flows" in html
    assert "1 of 2 pledges fails." in html
    for title in ("Travellers", "Stages and lane groups", "Service pledges"):
        assert f"<b>{title}</b>" in html
    assert "<img" not in html  # quick to show: no plots


def test_a_comparison_shows_the_winner_and_its_tables() -> None:
    html = hall_comparison()._repr_html_()
    assert "more counters has the shortest waits" in html
    assert "Differences from base (paired by replication)" in html
    assert "Pledges by variant" in html


def test_to_pandas_gives_rows_summary_and_records() -> None:
    result = hall_run()
    rows = result.to_pandas("rows")
    assert list(rows.columns) == [
        "replication",
        "level",
        "name",
        "group",
        "hour",
        "metric",
        "value",
    ]
    assert len(rows) == sum(len(t) for t in result.tables)
    overall = rows[(rows.level == "overall") & (rows.metric == "served") & (rows.hour == -1)]
    assert overall.value.mean() == pytest.approx(result.summary["overall"]["served"]["mean"])
    summary = result.to_pandas()
    row = summary[
        (summary.level == "overall") & (summary.metric == "wait_mean_s") & (summary.hour == -1)
    ]
    stat = result.summary["overall"]["wait_mean_s"]
    assert row["mean"].item() == pytest.approx(stat["mean"])
    assert row["ci95_low"].item() == pytest.approx(stat["ci95"][0])
    records = result.to_pandas("records")
    assert len(records) == sum(len(r.visit_entity) for r in result.records)
    assert set(records.replication) == {0, 1, 2}
    with pytest.raises(Exception, match="not 'tables'"):
        result.to_pandas("tables")


def test_a_comparison_converts_with_a_variant_column() -> None:
    comparison = hall_comparison()
    summary = comparison.to_pandas()
    assert list(summary.variant.unique()) == ["base", "more counters"]
    differences = comparison.to_pandas("differences")
    row = differences[
        (differences.level == "overall")
        & (differences.metric == "wait_mean_s")
        & (differences.hour == -1)
    ]
    expected = comparison.differences["more counters - base"]["overall"]["wait_mean_s"]
    assert row["mean"].item() == pytest.approx(expected["mean"])
    assert not math.isnan(row["ci95_high"].item())


def test_pandas_is_not_needed_to_run() -> None:
    """``import portsim`` and a run do not import pandas; without pandas, to_pandas says
    how to get it."""
    code = (
        "import sys\n"
        "sys.modules['pandas'] = None  # as if it were not installed\n"
        "import portsim\n"
        "s = portsim.scenario_from_dict({'name': 'x', 'horizon': 600, 'flows': [{'name': 'f',"
        " 'arrivals': {'rate': 0.1}, 'route': ['s']}], 'stages': [{'name': 's', 'lanes':"
        " [{'name': 'g', 'count': 1, 'service': {'dist': 'constant', 'value': 1}}]}]})\n"
        "r = portsim.simulate(s, replications=1)\n"
        "try:\n    r.to_pandas()\nexcept portsim.UsageError as e:\n    print(e)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "pip install 'portsim[notebook]'" in done.stdout
