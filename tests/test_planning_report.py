"""The plots and the HTML report of a sweep, a plan and a capacity search: one plot per
target under fixed names, drawn and labelled (no pixel comparisons); the answer first (the
cheapest configuration and its runner-up, with intervals; the most demand the hall takes),
then the table with its CSV; the command line writes them after checking their paths before
the run; and the reports open in headless Chromium with every image loaded and no console
error (the screenshots stay in pytest's temporary folder)."""

from __future__ import annotations

import base64
import csv
import io
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from portsim.cli import main
from portsim.planning.capacity import CapacityResult
from portsim.planning.plan import PlanResult
from portsim.planning.requests import Setup, capacity, plan, sweep_result
from portsim.planning.staffing import StaffingResult
from portsim.planning.sweep import SweepResult
from portsim.planning.vary import parameter
from portsim.report.planning.document import judged_table, planning_report_html
from portsim.report.planning.plots import planning_figures, write_planning_plots
from portsim.report.planning.view import judged_rows, planning_answer

from .browser import open_page
from .planning_cases import COUNTERS, EGATES, hall, hall_data, write
from .test_plots import PNG, _check_labelled
from .test_report import NEEDS_CHROMIUM

SERIAL = Setup(workers=1)
P95 = "visitors.wait_p95<=5min"
PLEDGE = "visitors pledge (share within 10min>=90%)"


@cache
def _sweep() -> SweepResult:
    """Counters by e-gates, judged by the scenario's pledge."""
    grid = [parameter(COUNTERS, [2, 3, 4]), parameter(EGATES, [2, 3])]
    return sweep_result(hall(), grid, replications=2, setup=SERIAL)


@cache
def _plan() -> PlanResult:
    result = plan(
        hall(),
        [f"counters:{COUNTERS}=2:6", f"egates:{EGATES}=1:4"],
        [P95, "residents.share_within(2min)>=90%"],
        cost={"counters": 1, "egates": 0.3},
        replications=2,
        max_replications=4,
        setup=SERIAL,
    )
    assert isinstance(result, PlanResult)
    return result


@cache
def _capacity() -> CapacityResult:
    return capacity(
        hall(),
        ["flows.visitors.arrivals.rate"],
        [P95],
        factors="0.6:1.8:0.2",
        replications=2,
        max_replications=4,
        setup=SERIAL,
    )


@cache
def _staffing() -> StaffingResult:
    result = plan(
        hall(horizon="3h"),
        {COUNTERS: "2:8"},
        [P95],
        per_hour=True,
        replications=2,
        max_replications=2,
        setup=SERIAL,
    )
    assert isinstance(result, StaffingResult)
    return result


def _cells(ax: Any) -> list[str]:
    return [t.get_text() for t in ax.texts]


def test_a_sweep_draws_a_heat_map_per_condition_outlining_what_meets_it(tmp_path: Path) -> None:
    result = _sweep()
    assert [t.text for t in result.targets] == [PLEDGE]  # the scenario's pledge
    paths = write_planning_plots(result, tmp_path / "plots")
    assert [p.name for p in paths] == ["sweep_1.png"]
    assert paths[0].read_bytes().startswith(PNG)
    (figure,) = planning_figures(result).values()
    _check_labelled(figure)
    ax = figure.axes[0]
    assert ax.get_xlabel() == "egates at hall (lanes)"
    assert ax.get_ylabel() == "counters at hall (lanes)"
    assert len(_cells(ax)) == 6  # 3 x 2 configurations, each labelled with its value
    met = [r for r in judged_rows(result) if r.status == "met"]
    outlined = [p for p in ax.patches if not p.get_label().startswith("chosen")]
    assert len(outlined) == len(met)  # outlined: the whole interval meets the pledge
    # the answer's configuration (the fewest lanes meeting the pledge) ringed, and said so
    (ring,) = [p for p in ax.patches if p.get_label().startswith("chosen: ")]
    best = min(met, key=lambda r: (r.cost or 0.0, r.point))
    assert tuple(ring.center) == (best.point[1], best.point[0])  # (egates, counters)
    assert ring.get_label() == (
        f"chosen: counters at hall (lanes) {best.configuration.values[0][1]}, "
        f"egates at hall (lanes) {best.configuration.values[1][1]}"
    )
    assert "visitors pledge" in figure.get_suptitle()


def test_one_numeric_parameter_draws_a_line_with_its_intervals() -> None:
    result = sweep_result(
        hall(),
        [parameter(COUNTERS, [2, 3, 4, 5])],
        replications=2,
        setup=SERIAL,
        targets=[P95, "visitors.share_within(5min)>=80%"],
    )
    assert [t.text for t in result.targets] == [P95, "visitors.share_within(5min)>=80%"]
    assert "targets.visitors.share_within(5min).share" in result.columns  # measured
    figures = planning_figures(result)
    assert list(figures) == ["sweep_1.png", "sweep_2.png"]
    for figure in figures.values():
        _check_labelled(figure)
    ax = figures["sweep_1.png"].axes[0]
    assert ax.get_xlabel() == "counters at hall (lanes)"
    assert ax.get_ylabel() == "95th-percentile wait (minutes)"
    labels = ax.get_legend_handles_labels()[1]
    assert {"target 5", "95 % interval"} <= set(labels)
    assert "filled: its whole 95 % interval meets the target" in labels


def test_a_sweep_without_conditions_or_pledges_shows_the_overall_p95_wait() -> None:
    data = hall_data()
    del data["targets"]
    from portsim import scenario_from_dict  # noqa: PLC0415

    result = sweep_result(
        scenario_from_dict(data), [parameter(COUNTERS, [3, 4])], replications=2, setup=SERIAL
    )
    (figure,) = planning_figures(result).values()
    _check_labelled(figure)
    assert "all travellers: 95th-percentile wait" in figure.get_suptitle()
    assert "no target" in figure.get_suptitle()
    assert planning_answer(result).headline == "2 configurations, 2 replications each"


def test_a_plan_shows_what_it_judged_and_leaves_the_rest_blank() -> None:
    result = _plan()
    figures = planning_figures(result)
    assert list(figures) == ["plan_1.png", "plan_2.png"]
    for figure in figures.values():
        _check_labelled(figure)
        cells = _cells(figure.axes[0])
        assert len(cells) == 5 * 4  # the whole grid
        assert cells.count("-") == 5 * 4 - len(result.judged)  # not simulated
    assert "in the worst hour" not in figures["plan_1.png"].get_suptitle()


def test_a_capacity_search_plots_each_condition_against_demand() -> None:
    result = _capacity()
    figures = planning_figures(result)
    assert list(figures) == ["capacity_1.png"]
    figure = figures["capacity_1.png"]
    _check_labelled(figure)
    ax = figure.axes[0]
    # the demand in visitors a day (a rate over 24 hours), the factor on a second axis
    assert ax.get_xlabel() == "travellers a day of visitors (expected)"
    assert result.factor is not None
    base = result.base_demand
    assert base is not None
    assert dict(base.per_day) == {
        "passenger": pytest.approx(hall().flows[1].arrivals.rate * 86_400)
    }
    assert "chosen: the most that meets every target (" in ax.get_legend_handles_labels()[1][-1]


def test_staffing_by_hour_plots_its_schedule() -> None:
    result = _staffing()
    (figure,) = planning_figures(result).values()
    _check_labelled(figure)
    assert figure.axes[0].get_xlabel() == "time of day"
    labels = figure.axes[0].get_legend_handles_labels()[1]
    assert labels[0].startswith("chosen: the fewest by hour (")
    assert labels[1].startswith("best fixed count (")


def test_a_plan_report_gives_the_cheapest_and_its_runner_up_first() -> None:
    result = _plan()
    assert result.chosen is not None
    answer = planning_answer(result)
    label = result.chosen.configuration.label()

    def said(configuration: Any) -> str:  # counters=5, egates=3 in words: counters 5, egates 3
        return ", ".join(f"{name} {level}" for name, level in configuration.values)

    assert answer.headline == (
        f"Cheapest configuration meeting every target: {said(result.chosen.configuration)} "
        f"(cost {result.cost:g})"
    )
    met = sorted(
        (r for r in judged_rows(result) if r.status == "met" and r.configuration.label() != label),
        key=lambda r: (r.cost, r.point),
    )
    runner = [p for p in answer.points if p.startswith("Runner-up: ")]
    assert len(runner) == 1
    if met:
        assert runner[0].startswith(f"Runner-up: {said(met[0].configuration)} (cost ")
        assert re.search(r"\[[^]]+, [^]]+\] met", runner[0])  # with its interval
    html = planning_report_html(result, "portsim plan hall.yaml --html plan.html")
    assert html.index('id="answer"') < html.index("<h2>Plots") < html.index("<h2>Tables")
    assert html.count('src="data:image/png;base64,') == 2
    assert "portsim plan hall.yaml --html plan.html" in html
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert 'id="model"' not in html  # no scenario given: nothing to draw


def test_a_planning_report_draws_the_model_it_varies() -> None:
    """Given the base scenario, the report draws it (the diagram of ``portsim show
    --diagram``) before the scenario in words: every stage and lane group by its id."""
    scenario = hall()
    html = planning_report_html(_plan(), "portsim plan hall.yaml", scenario)
    assert html.index('id="answer"') < html.index('id="model"') < html.index('id="scenario"')
    for stage in scenario.stages:
        assert f'id="stage-{stage.name}"' in html
        for group in stage.lanes:
            assert f'id="lanes-{stage.name}-{group.name}"' in html


def test_the_table_lists_every_configuration_judged_with_a_plain_csv() -> None:
    result = _plan()
    table = judged_table(result)
    assert len(table.rows) == len(result.judged)
    costs = [float(row[2]) for row in table.rows]
    assert costs == sorted(costs)  # the cheapest first
    rows = list(csv.reader(io.StringIO(table.csv())))
    assert rows[0][:4] == ["counters", "egates", "cost", "replications"]
    assert rows[0][-1] == "status"
    assert {row[-1] for row in rows[1:]} <= {"met", "failed", "inconclusive"}
    float(rows[1][4])  # a plain number: the first target's mean, in seconds
    sweep = judged_table(_sweep())
    assert sweep.csv_headers == list(_sweep().columns)  # a sweep's CSV: its whole table


def test_a_sweep_and_a_capacity_report_answer_first() -> None:
    rows = judged_rows(_sweep())
    met = sum(r.status == "met" for r in rows)
    assert planning_answer(_sweep()).headline.startswith(
        f"{met} of 6 configurations meet every target"
        if met
        else "No configuration meets every target"
    )
    result = _capacity()
    answer = planning_answer(result)
    assert result.factor is not None
    rate = hall().flows[1].arrivals.rate * result.factor  # visitors a second, at the factor
    assert answer.headline == (
        f"Every target is met up to {rate * 86_400:,.0f} travellers a day of visitors "
        f"({result.factor:g} × the scenario's {rate / result.factor * 86_400:,.0f}), "
        f"{rate * 3600:,.0f} an hour"
    )
    assert answer.points[0] == "Residents as given (14,400 travellers a day)."
    assert answer.points[1].startswith(
        f"In the scenario file, at {result.factor:g} ×: flows.visitors.arrivals.rate = "
    )
    assert any(p.startswith("The next factor up, ") for p in answer.points)


OPTIONS = {
    "sweep": ["--vary", f"{COUNTERS}=3,4", "--vary", f"{EGATES}=2,3"],
    "plan": ["--vary", f"counters:{COUNTERS}=2:8", "--target", P95, "--max-replications", "4"],
    "capacity": [
        "--scale",
        "flows.visitors.arrivals.rate",
        "--factors",
        "0.8:1.4:0.2",
        "--target",
        P95,
        "--max-replications",
        "2",
    ],
}


@pytest.mark.parametrize("command", list(OPTIONS))
def test_the_planning_commands_write_plots_and_html(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "hall.yaml", hall_data())
    args = [command, "hall.yaml", *OPTIONS[command], "-r", "2", "-w", "1"]
    done = CliRunner().invoke(main, [*args, "--plots", "out", "--html", "out.html"])
    assert done.exit_code == 0, done.output
    assert done.stderr == "wrote 1 plot to out\nwrote out.html\n"
    assert (tmp_path / "out" / f"{command}_1.png").read_bytes().startswith(PNG)
    html = (tmp_path / "out.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert f"portsim {command}: small hall" in html


@pytest.mark.parametrize(
    ("option", "value", "problem"),
    [
        ("--html", "nowhere/out.html", "the folder nowhere does not exist"),
        ("--html", "hall.yaml", "is a scenario file of this run: --html would overwrite it"),
        ("--plots", "hall.yaml/plots", "hall.yaml is not a folder"),
    ],
)
def test_report_paths_are_checked_before_the_run(
    option: str, value: str, problem: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "hall.yaml", hall_data())

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("simulated before checking the outputs")

    monkeypatch.setattr("portsim.planning.requests.sweep_result", never)
    done = CliRunner().invoke(main, ["sweep", "hall.yaml", *OPTIONS["sweep"], option, value])
    assert done.exit_code == 2
    assert done.stderr.startswith(f"{value}: ")
    assert done.stderr.endswith(f"{problem}\n")
    assert done.stderr.count("\n") == 1


def test_a_report_that_cannot_be_written_is_one_line_after_the_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "hall.yaml", hall_data())

    def full_disk(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("portsim.report.write.write_planning_html", full_disk)
    args = ["sweep", "hall.yaml", *OPTIONS["sweep"], "-r", "2", "-w", "1", "--html", "r.html"]
    done = CliRunner().invoke(main, args)
    assert done.exit_code == 1
    assert done.stderr == "r.html: cannot write: No space left on device\n"
    assert "\nsweep: 4 configurations x 2 replications" in done.stdout


def _csv_links(html: str) -> dict[str, str]:
    found = re.findall(
        r'download="([^"]+)" href="data:text/csv;charset=utf-8;base64,([^"]+)"', html
    )
    return {name: base64.b64decode(data).decode("utf-8") for name, data in found}


REPORTS = {"sweep": _sweep, "plan": _plan, "capacity": _capacity, "staffing": _staffing}


@NEEDS_CHROMIUM
@pytest.mark.parametrize("kind", list(REPORTS))
def test_the_planning_report_opens_in_a_browser(kind: str, tmp_path: Path) -> None:
    result = REPORTS[kind]()
    path = tmp_path / f"{kind}.html"
    html = planning_report_html(result, f"portsim {kind} hall.yaml", hall())
    path.write_text(html, encoding="utf-8")
    assert len(_csv_links(html)) == 1
    page = open_page(path)
    try:
        images = page.evaluate("[...document.images].map(i => [i.complete, i.naturalWidth])")
        assert images
        assert all(done and width > 0 for done, width in images), images
        headline = page.evaluate("document.querySelector('#answer h2').textContent")
        assert headline == planning_answer(result).headline
        tables = page.evaluate("[...document.querySelectorAll('table')].map(t => t.dataset.name)")
        assert tables == (["schedule"] if kind == "staffing" else ["configurations"])
        assert page.evaluate("document.querySelectorAll('table tbody tr').length") > 0
        links = page.evaluate("[...document.querySelectorAll('a[download]')].length")
        assert links == 1
        words = page.evaluate("document.querySelector('#scenario').textContent")
        assert "residents" in words
        assert page.console_errors() == []
        shot = page.screenshot(tmp_path / f"{kind}.png")
    finally:
        page.close()
    assert shot.read_bytes().startswith(PNG)
    assert shot.stat().st_size > 30_000


def test_report_of_a_store_writes_each_requests_html_and_plots(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "hall.yaml", hall_data())
    quick = ["-r", "2", "-w", "1", "--store", "runs.db"]
    done = CliRunner().invoke(main, ["plan", "hall.yaml", *OPTIONS["plan"], *quick])
    assert done.exit_code == 0, done.output
    done = CliRunner().invoke(main, ["report", "runs.db", "--html", "again.html", "--plots", "p"])
    assert done.exit_code == 0, done.output
    assert done.stdout.startswith("cheapest configuration: counters ")
    assert "portsim plan" in (tmp_path / "again.html").read_text(encoding="utf-8")
    assert (tmp_path / "p" / "plan_1.png").exists()
    args = ["sweep", "hall.yaml", *OPTIONS["sweep"], *quick, "--resume"]
    assert CliRunner().invoke(main, args).exit_code == 0
    done = CliRunner().invoke(main, ["report", "runs.db", "--html", "again.html", "--plots", "p"])
    assert done.exit_code == 0, done.output
    assert "portsim plan" in (tmp_path / "again_1.html").read_text(encoding="utf-8")
    assert "portsim sweep" in (tmp_path / "again_2.html").read_text(encoding="utf-8")
    assert (tmp_path / "p" / "2" / "sweep_1.png").exists()
    done = CliRunner().invoke(main, ["report", "runs.db", "--html", "nowhere/r.html"])
    assert done.exit_code == 2
    assert done.stderr == "nowhere/r.html: the folder nowhere does not exist\n"
    done = CliRunner().invoke(main, ["report", "runs.db", "-r", "5", "--set", "seed=3"])
    assert done.exit_code == 2
    assert done.stderr == (
        "runs.db: --replications, --set: a results store is reported as it was run\n"
    )


def test_a_plots_folder_is_checked_before_any_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "hall.yaml", hall_data())
    for command in (["run", "hall.yaml"], ["compare", "hall.yaml", "--modes", "separate"]):
        done = CliRunner().invoke(main, [*command, "--plots", "hall.yaml/plots"])
        assert done.exit_code == 2
        assert done.stderr.startswith("hall.yaml/plots: ")
        assert done.stderr.endswith("hall.yaml is not a folder\n")
        done = CliRunner().invoke(main, [*command, "--plots", "hall.yaml"])
        assert (done.exit_code, done.stderr) == (
            2,
            "hall.yaml: is a file: --plots needs a folder\n",
        )


def test_when_nothing_meets_the_conditions_the_answer_says_so() -> None:
    impossible = "visitors.wait_p95<=1s"
    swept = sweep_result(
        hall(), [parameter(COUNTERS, [3, 4])], replications=2, setup=SERIAL, targets=[impossible]
    )
    answer = planning_answer(swept)
    assert answer.headline == (
        "No configuration meets every target (0 of 2 configurations meet every target)"
    )
    assert answer.tone == "fail"
    assert answer.points[0].startswith("Closest: ")
    planned = plan(hall(), {COUNTERS: "3:4"}, [impossible], replications=2, setup=SERIAL)
    assert planning_answer(planned).headline == "No configuration of the grid meets every target"
    searched = capacity(
        hall(), ["flows.visitors.arrivals.rate"], [impossible], factors="1:2:1",
        replications=2, setup=SERIAL,
    )  # fmt: skip
    answer = planning_answer(searched)
    assert answer.headline.startswith(
        "Not even the smallest demand tried meets every target: 7,200 travellers a day of "
        "visitors (1 × the scenario's 7,200)"
    )
    assert answer.points[-1].startswith("1 factor judged with ")
    for result in (swept, planned, searched):
        html = planning_report_html(result)
        assert 'class="answer fail"' in html
