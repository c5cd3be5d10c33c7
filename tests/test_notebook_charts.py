"""Runs, comparisons and charts in a notebook: the HTML a run shows (parsed: the answer's
headline and the table's cells), the two-line ``repr`` of a run and a comparison, their charts
(``plot``: matplotlib figures with titles and axes, that IPython shows as PNG without pyplot
or ``%matplotlib inline``), the public plotting API (``portsim.plots``) and the progress bar
in a notebook."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import portsim
from portsim import plots
from portsim.errors import UsageError
from portsim.report.answer import comparison_answer, run_answer
from portsim.report.inline import Figures
from portsim.report.tables import flows_table

from .reporting import hall_comparison, hall_run
from .test_notebook_planning import Shown, _check_chart, _sensitivity
from .test_planning_report import _sweep


def test_a_run_shows_its_headline_and_its_tables_cells() -> None:
    result = hall_run()
    shown = Shown(result._repr_html_())
    assert shown.headline == run_answer(result).headline
    flows = flows_table(result.summary)
    headers, rows = shown.tables[0]
    assert headers == [h.strip() for h in flows.headers]
    assert rows == [[c.strip() for c in row] for row in flows.rows]


def test_a_run_and_a_comparison_say_what_they_are_in_two_lines() -> None:
    result, comparison = hall_run(), hall_comparison()
    first, second = repr(result).splitlines()
    assert (
        first == f"SimulationResult of 'Small hall, two flows': 3 replications, seed {result.seed}"
    )
    assert second == run_answer(result).headline
    first, second = repr(comparison).splitlines()
    assert first.startswith("Comparison of base, more counters: 3 replications")
    assert second == comparison_answer(comparison).headline


def test_a_run_plots_its_charts_by_name() -> None:
    result = hall_run()
    charts = result.plot()
    assert isinstance(charts, Figures)
    assert list(charts)[:4] == [
        "queue_length.png",
        "demand_throughput.png",
        "wait_distribution.png",
        "lanes_open.png",
    ]
    for figure in charts.values():
        _check_chart(figure)
    demand = result.plot("demand_throughput")
    _check_chart(demand)
    assert demand.get_suptitle().startswith("Demand and throughput per hour")
    assert result.plot("demand_throughput.png").get_suptitle() == demand.get_suptitle()
    with pytest.raises(UsageError, match="no plot 'queues': this result has queue_length, "):
        result.plot("queues")
    assert repr(charts).startswith(f"Figures({len(charts)} charts: queue_length.png, ")


def test_a_comparison_plots_its_charts() -> None:
    charts = hall_comparison().plot()
    assert list(charts)[:2] == ["compare_waits.png", "compare_differences.png"]
    for figure in charts.values():
        _check_chart(figure)


def test_charts_save_as_png_files(tmp_path: Any) -> None:
    paths = hall_run().plot().save(tmp_path / "plots")
    assert paths
    assert all(p.read_bytes().startswith(b"\x89PNG") for p in paths)


def test_ipython_shows_a_chart_as_png_without_pyplot() -> None:
    """The reason charts did not show without ``%matplotlib inline``: IPython has no PNG
    for a matplotlib figure made without pyplot; a Chart gives its own."""
    ipython = pytest.importorskip("IPython.core.formatters")
    from matplotlib.figure import Figure  # noqa: PLC0415

    formatter = ipython.DisplayFormatter()
    data, _ = formatter.format(Figure())
    assert "image/png" not in data  # a plain figure: text only
    chart = hall_run().plot("demand_throughput")
    data, _ = formatter.format(chart)
    assert data["image/png"].startswith(b"\x89PNG")


def test_several_charts_show_one_after_the_other_in_ipython(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    display = pytest.importorskip("IPython.display")
    shown: list[Any] = []
    monkeypatch.setattr(display, "display", lambda *objects: shown.extend(objects))
    charts = hall_run().plot()
    charts._ipython_display_()
    assert shown == list(charts.values())


# --- the public plotting API --------------------------------------------------------------


def test_the_plotting_api_is_public_and_each_function_says_what_it_draws() -> None:
    assert plots.__all__
    for name in plots.__all__:
        thing = getattr(plots, name)
        assert len((thing.__doc__ or "").split()) >= 5, name
    result = hall_run()
    assert isinstance(plots.run_figures(result), Figures)
    assert list(plots.run_figures(result)) == list(result.plot())
    _check_chart(plots.demand_figure(result))
    assert list(plots.planning_figures(_sweep())) == ["sweep_1.png"]
    assert next(iter(plots.comparison_figures(hall_comparison()))) == "compare_waits.png"
    _check_chart(plots.sensitivity_figure(_sensitivity()))


def test_the_guide_names_every_plotting_function() -> None:

    guide = (Path(__file__).resolve().parent.parent / "docs" / "notebooks.md").read_text(
        encoding="utf-8"
    )
    missing = [name for name in plots.__all__ if f"`{name}`" not in guide]
    assert missing == []


def test_progress_draws_below_the_cell_in_a_notebook(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """In a Jupyter kernel standard error is the cell's output, not a terminal: the bar is
    drawn there all the same (tqdm.auto); outside one, a stream that is no terminal gets
    none (a pipe, a log)."""
    from portsim import jupyter  # noqa: PLC0415
    from portsim.report import progress as shown  # noqa: PLC0415

    assert not shown.in_notebook()  # pytest is no Jupyter kernel
    with shown.progress_display("hall", 2) as progress:
        assert progress is None
    monkeypatch.setattr(jupyter, "in_notebook", lambda: True)
    with shown.progress_display("hall", 2) as progress:
        assert progress is not None
        progress(1, 2)
        progress(2, 2)
    assert "2/2" in capsys.readouterr().err
    with shown.planning_display() as batch:
        assert batch is not None
        batch("plan: egates=8", 0, 3, 0, 1)
        batch("plan: egates=8", 3, 3, 1, 1)
    assert "1/1 configurations" in capsys.readouterr().err


def test_a_request_given_no_progress_draws_its_bar_in_a_notebook_only(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """In a Jupyter kernel a run, a comparison and a sweep given no ``progress`` draw their
    bars below the cell (standard error), as the command line does on a terminal; outside
    one, or with ``progress=unseen``, nothing is drawn; the numbers are the same."""
    from portsim import jupyter  # noqa: PLC0415
    from portsim.run import unseen  # noqa: PLC0415

    hall = hall_run().scenario
    plain = portsim.simulate(hall, replications=2, seed=3)
    assert capsys.readouterr().err == ""
    monkeypatch.setattr(jupyter, "in_notebook", lambda: True)
    drawn = portsim.simulate(hall, replications=2, seed=3)
    assert "2/2" in capsys.readouterr().err
    assert drawn.to_json() == plain.to_json()
    portsim.simulate(hall, replications=2, seed=3, progress=unseen)
    assert capsys.readouterr().err == ""
    portsim.compare({"a": hall, "b": hall}, replications=2, seed=3)
    err = capsys.readouterr().err
    assert "compare" in err
    assert "4/4" in err  # one bar over both variants' replications
    portsim.sweep(hall, {"stages.passport.lanes.egates.count": "2:3"}, replications=2, workers=1)
    assert "configurations" in capsys.readouterr().err
