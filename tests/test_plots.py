"""Plots: the files exist under their fixed names, every panel has something drawn on it,
and axes and titles are labelled. No pixel comparisons."""

from __future__ import annotations

import copy
import math
from pathlib import Path
from typing import Any

import pytest
from matplotlib.figure import Figure

from portsim import scenario_from_dict, simulate
from portsim.cli_common import report_writes, write_files
from portsim.report.charts import clock_label, drawing_once, png_bytes, wait_unit
from portsim.report.compare_plots import (
    COMPARE_PLOTS,
    comparison_figures,
    variant_folder,
    variant_folders,
    write_comparison_plots,
)
from portsim.report.planning.sweep_plots import sweep_heatmap, sweep_lines
from portsim.report.plots import RUN_PLOTS, run_figures, write_run_plots

from .reporting import HALL, hall_comparison, hall_run

ROOT = Path(__file__).resolve().parent.parent

PNG = b"\x89PNG\r\n\x1a\n"
#: the plots of a run over days only, and of a run with staff pools: the hall has neither
DAY_PLOTS = frozenset({"days.png", "pledge_share_by_day.png", "officers.png"})


def _drawn(ax: Any) -> int:
    """Things drawn on the axes: lines, filled areas and bars, images, text."""
    return len(ax.lines) + len(ax.collections) + len(ax.patches) + len(ax.images)


def _check_labelled(figure: Any) -> None:
    assert figure.get_suptitle().strip()
    visible = [ax for ax in figure.axes if ax.get_visible() and ax.get_label() != "<colorbar>"]
    assert visible
    for ax in visible:
        assert _drawn(ax) > 0, ax.get_title(loc="left")
        assert ax.get_xlabel().strip()
        assert ax.get_ylabel().strip() or ax.get_yticklabels()


def test_a_run_writes_every_plot_under_its_fixed_name(tmp_path: Path) -> None:
    paths = write_run_plots(hall_run(), tmp_path / "plots")
    # the hall has pledges (all but the days of a calendar)
    assert [p.name for p in paths] == [n for n in RUN_PLOTS if n not in DAY_PLOTS]
    for path in paths:
        assert path.read_bytes().startswith(PNG)
        assert path.stat().st_size > 10_000


def _counting_savefig(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The figures drawn from now on, in order."""
    drawn: list[Any] = []
    savefig = Figure.savefig

    def counting(self: Any, *args: Any, **kwargs: Any) -> None:
        drawn.append(self)
        savefig(self, *args, **kwargs)

    monkeypatch.setattr(Figure, "savefig", counting)
    return drawn


def test_one_command_draws_each_chart_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A command that writes the plots and the HTML report (``--plots`` and ``--html``)
    draws each chart once: as many drawings as PNG files, and the report embeds them."""
    drawn = _counting_savefig(monkeypatch)
    result = hall_comparison()
    writes = report_writes(result, tmp_path / "plots", tmp_path / "report.html")
    assert write_files(writes, None, "")
    pngs = sorted((tmp_path / "plots").rglob("*.png"))
    assert len(pngs) > len(COMPARE_PLOTS)  # the comparison's and each variant's
    assert len(drawn) == len(pngs) == len(set(map(id, drawn)))
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert html.count('<img src="data:image/png;base64,') == len(pngs)


def test_outside_a_command_each_call_draws_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    """Outside :func:`drawing_once` nothing is kept: new figures on each call, each PNG
    drawn again (a figure changed in between comes out changed). Within one, nested ones
    share the outer one's drawings."""
    drawn = _counting_savefig(monkeypatch)
    run = hall_run()
    figures = run_figures(run)
    assert figures is not run_figures(run)
    figure = next(iter(figures.values()))
    png_bytes(figure)
    figure.set_size_inches(4, 3)
    assert png_bytes(figure) != png_bytes(run_figures(run)[next(iter(figures))])
    assert len(drawn) == 3
    with drawing_once() as outer:
        inside = run_figures(run)
        png_bytes(next(iter(inside.values())))
        with drawing_once() as inner:
            assert inner is outer
            assert run_figures(run) is inside
            png_bytes(next(iter(inside.values())))
        assert len(drawn) == 4


@pytest.mark.parametrize("records", [True, False], ids=["records", "streaming"])
def test_every_run_plot_is_drawn_and_labelled(records: bool) -> None:
    for name, figure in run_figures(hall_run(records)).items():
        _check_labelled(figure)
        assert figure.axes, name


def test_the_time_axis_shows_times_of_day() -> None:
    figure = run_figures(hall_run())["queue_length.png"]
    ax = figure.axes[0]
    figure.canvas.draw()
    labels = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert {"00:00", "02:00"} <= set(labels)
    assert ax.get_xlabel() == "time of day"
    assert clock_label(31.5) == "07:30"
    assert clock_label(24) == "00:00\nday 2"


def test_the_queue_plot_has_one_panel_per_stage_with_the_replications_band() -> None:
    figure = run_figures(hall_run())["queue_length.png"]
    panels = [ax for ax in figure.axes if ax.get_visible()]
    assert [ax.get_title(loc="left") for ax in panels] == ["stage passport", "stage customs"]
    labels = panels[0].get_legend_handles_labels()[1]
    assert "lowest to highest of 3 replications" in labels
    assert "warm-up (not counted)" in labels


def test_the_wait_plot_marks_each_pledge_where_it_applies() -> None:
    figure = run_figures(hall_run())["wait_distribution.png"]
    titles = {ax.get_title(loc="left").split(" (")[0]: ax for ax in figure.axes if ax.get_visible()}
    assert list(titles) == ["all travellers", "flow residents", "flow visitors", "at stage customs"]
    visitors = titles["flow visitors"].get_legend_handles_labels()[1]
    assert any(
        label.startswith("pledge: at most 10 % wait longer than 10.0 min") for label in visitors
    )
    assert not titles["flow residents"].get_legend_handles_labels()[1]


def test_one_flow_has_one_wait_panel_with_every_pledge_that_applies() -> None:
    """With one flow, all travellers are that flow: one curve, not the same one twice, with
    the pledges for all travellers and for the flow marked on it."""
    data = copy.deepcopy(HALL)
    data["flows"] = data["flows"][1:]
    data["stages"] = data["stages"][:1]
    data["stages"][0]["lanes"] = data["stages"][0]["lanes"][:1]
    data["reference"] = []
    data["targets"] = [
        {"name": "all", "wait_within": "10min", "share": 0.9},
        {"name": "visitors", "flow": "visitors", "wait_within": "15min", "share": 0.95},
    ]
    result = simulate(scenario_from_dict(data), replications=2, seed=3)
    figure = run_figures(result)["wait_distribution.png"]
    panels = [ax for ax in figure.axes if ax.get_visible()]
    assert [ax.get_title(loc="left").split(" (")[0] for ax in panels] == ["all travellers"]
    assert "(flow visitors" in panels[0].get_title(loc="left")
    pledges = [t for t in panels[0].get_legend_handles_labels()[1] if t.startswith("pledge")]
    assert len(pledges) == 2


def test_a_comparison_writes_its_plots_and_each_variants(tmp_path: Path) -> None:
    paths = write_comparison_plots(hall_comparison(), tmp_path)
    names = {p.relative_to(tmp_path).as_posix() for p in paths}
    assert set(COMPARE_PLOTS) <= names
    assert {f"base/{n}" for n in RUN_PLOTS if n not in DAY_PLOTS} <= names
    assert {f"more_counters/{n}" for n in RUN_PLOTS if n not in DAY_PLOTS} <= names
    for figure in comparison_figures(hall_comparison()).values():
        _check_labelled(figure)


def test_the_differences_plot_names_the_pairs() -> None:
    figure = comparison_figures(hall_comparison())["compare_differences.png"]
    labels = figure.axes[-1].get_legend().get_texts()
    assert [t.get_text() for t in labels] == ["more counters − base"]
    assert "against base" in figure.get_suptitle()


def test_a_sweep_heat_map_outlines_the_cells_that_meet_the_bound() -> None:
    figure = sweep_heatmap(
        [[600, 300, 120], [400, 150, math.nan]],
        [10, 12, 14],
        ["20 gates", "24 gates"],
        x_label="counters",
        y_label="e-gates",
        metric_label="p95 wait (s)",
        title="The 95th-percentile wait by lanes",
        bound=300,
    )
    _check_labelled(figure)
    ax = figure.axes[0]
    assert len(ax.patches) == 3  # 300, 120 and 150 meet ≤ 300
    texts = [t.get_text() for t in ax.texts]
    assert {"300 ✓", "600", "-"} <= set(texts)
    with pytest.raises(ValueError, match="2 rows of 3"):
        sweep_heatmap(
            [[1, 2]], [1, 2, 3], [1, 2], x_label="", y_label="", metric_label="", title=""
        )


def test_a_sweep_line_chart_marks_the_bound_and_the_intervals() -> None:
    figure = sweep_lines(
        [10, 12, 14],
        {"20 gates": [600, 300, 200], "24 gates": [400, 200, 100]},
        x_label="counters",
        metric_label="p95 wait (s)",
        title="The 95th-percentile wait by counters",
        intervals={"20 gates": [(500, 700), None, (150, 250)]},
        bound=250,
    )
    _check_labelled(figure)
    labels = figure.axes[0].get_legend_handles_labels()[1]
    assert labels[:2] == ["20 gates", "24 gates"]
    assert {"target 250", "95 % interval"} <= set(labels)


def test_waits_are_shown_in_a_readable_unit() -> None:
    assert wait_unit([30.0]) == (1.0, "seconds")
    assert wait_unit([30.0, 600.0]) == (60.0, "minutes")
    assert wait_unit([4 * 3600.0, math.nan]) == (3600.0, "hours")


def test_a_run_over_days_plots_each_day_with_its_waits_and_the_pledges() -> None:
    """``days.png``: one bar of arrivals and one point of mean and p95 wait a day, with the
    pledged waits marked; a run of one day has none."""
    import portsim  # noqa: PLC0415

    scenario = portsim.load_scenario(ROOT / "scenarios" / "zhejiang_hours.yaml")
    result = portsim.simulate(scenario, replications=2, workers=1)
    figure = run_figures(result)["days.png"]
    _check_labelled(figure)
    top, bottom = figure.axes
    days = len(result.summary["overall"]["daily"])
    assert days == 7
    assert len(top.patches) == days
    # two error-bar series (mean and p95), each a line of one point a day
    series = [c for c in bottom.containers if len(c.lines[0].get_xdata()) == days]
    assert len(series) == 2
    assert "days.png" not in run_figures(hall_run())


def test_every_run_plot_has_a_caption_in_the_html_report() -> None:
    from portsim.report.document import CAPTIONS  # noqa: PLC0415

    assert set(RUN_PLOTS) <= set(CAPTIONS)


def test_variants_whose_names_make_one_folder_get_one_each() -> None:
    names = ["a/b", "a_b", "a b", "base"]
    folders = variant_folders(names)
    assert folders == {"a/b": "a_b", "a_b": "a_b-2", "a b": "a_b-3", "base": "base"}
    assert variant_folder("a/b") == "a_b"


def test_a_forecast_plots_from_the_state_hour() -> None:
    """A forecast from 01:20 of a 3-hour run: the queue, lanes, demand and pledge plots
    run from 01:00 (the state's hour) to 03:00, not from 00:00, and grey out only 01:00–01:20,
    the part of that hour before the state (not simulated)."""
    data = {
        "name": "forecast",
        "horizon": "3h",
        "flows": [{"name": "f", "arrivals": {"rate": "60/h"}, "route": ["passport"]}],
        "stages": [
            {
                "name": "passport",
                "lanes": [
                    {"name": "desks", "count": 1, "service": {"dist": "constant", "value": 30}}
                ],
            }
        ],
        "targets": [{"name": "quick", "wait_within": "5min", "share": 0.9}],
    }
    state = {"at": "01:20", "stages": {"passport": {"desks": {"waiting": {"f": 5}}}}}
    result = simulate(scenario_from_dict(data), replications=1, from_state=state)
    figures = run_figures(result)
    plots = ("queue_length", "lanes_open", "demand_throughput", "pledge_share_by_hour")
    for name in (f"{plot}.png" for plot in plots):
        ax = figures[name].axes[0]
        assert ax.get_xlim() == (1.0, 3.0), name
        handles, labels = ax.get_legend_handles_labels()
        shade = handles[labels.index("before the state observed (not simulated)")]
        assert (shade.get_x(), shade.get_x() + shade.get_width()) == pytest.approx((1.0, 4 / 3))
