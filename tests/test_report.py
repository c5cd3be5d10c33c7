"""The HTML report: one self-contained file with the answer first, and the same file opened
in headless Chromium: every image loads, the headline and tables are there, no console
error. The screenshots stay in pytest's temporary folder as artifacts."""

from __future__ import annotations

import base64
import html
import re
from functools import cache
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from portsim import scenario_from_dict, simulate
from portsim.cli import main
from portsim.report.document import comparison_report_html, reproduce_block, run_report_html

from .browser import chromium_path, open_page
from .reporting import HALL, hall_comparison, hall_run


@cache
def _run_html() -> str:
    return run_report_html(hall_run(), "portsim run hall.yaml --html hall.html")


@cache
def _comparison_html() -> str:
    return comparison_report_html(hall_comparison())


ROOT = Path(__file__).resolve().parent.parent
NEEDS_CHROMIUM = pytest.mark.skipif(
    chromium_path() is None,
    reason="chromium is not installed (apt-get install chromium; .ci/run installs it)",
)


def _csv_links(html: str) -> dict[str, str]:
    found = re.findall(
        r'download="([^"]+)" href="data:text/csv;charset=utf-8;base64,([^"]+)"', html
    )
    return {name: base64.b64decode(data).decode("utf-8") for name, data in found}


def test_a_run_report_answers_first_and_is_self_contained() -> None:
    html = _run_html()
    answer = html.index('id="answer"')
    assert answer < html.index("<h2>Warnings") < html.index("<h2>Plots") < html.index("<h2>Tables")
    assert "1 of 2 pledges fails." in html
    assert "customs within 5 min (at stage customs)" in html
    assert "offered load 1.80" in html  # the overload warning
    assert "were not through the port at the end of the run" in html  # censored waits
    assert "about 27 would narrow it" in html  # too few replications for the interval
    assert html.count('src="data:image/png;base64,') == 5
    assert not re.search(r'(src|href)="(https?:)?//', html)  # nothing from a network
    assert "<script" not in html
    assert "portsim run hall.yaml --html hall.html" in html
    assert "Documented figures beside the simulated ones" in html
    assert "a made-up yearbook" in html


def test_the_report_describes_the_scenario_in_words() -> None:
    html = _run_html()
    assert (
        "arrive at random, 360 an hour on average; route passport → customs (10% of them)" in html
    )
    assert "lanes open by the clock: 3 from 00:00 to 02:00, 4 from 02:00 to 24:00" in html
    assert "serves residents only" in html
    assert "portsim run hall.yaml --html hall.html" in html


def test_the_scenario_in_words_names_groups_vehicles_classes_and_every_step() -> None:
    from portsim import load_scenario  # noqa: PLC0415
    from portsim.report.describe import describe_scenario  # noqa: PLC0415

    scenario = load_scenario(ROOT / "scenarios" / "huanggang_land_port_2019.yaml")
    words = " ".join(s for _, sentences in describe_scenario(scenario) for s in sentences)
    for text in (
        "classes e_gate 60%, counter 40%",
        "40 to 70 at a time",
        "22 to 42 persons aboard (driver included)",
        "1 to 4 (2.17 on average) persons aboard",
        "route coach_exit → the passengers alight and go through passenger_exit → "
        "passenger_entry → coach_entry → the vehicle waits for its passengers",
        "route truck_exit → one of truck_xray (30% of them) or truck_exam (2% of them) → "
        "truck_entry",
    ):
        assert text in words


def test_the_scenario_in_words_gives_its_days_and_the_ports_hours() -> None:
    from portsim import load_scenario  # noqa: PLC0415
    from portsim.report.describe import describe_scenario  # noqa: PLC0415

    festival = dict(
        describe_scenario(load_scenario(ROOT / "scenarios" / "spring_festival_2008.yaml"))
    )
    assert festival["Days and opening hours"] == [
        "A calendar of 6 days from 2008-02-06: outbound_peak ×2, holiday ×2, return_peak, return."
    ]
    week = dict(describe_scenario(load_scenario(ROOT / "scenarios" / "zhejiang_hours.yaml")))
    hours = week["Days and opening hours"][1]
    assert hours.startswith("The port is open workday 08:00-22:00, weekend 09:00-17:00: ")
    always = load_scenario(ROOT / "scenarios" / "zhejiang_round_the_clock_2006.yaml")
    assert dict(describe_scenario(always))["Days and opening hours"][1] == (
        "The port is open round the clock."
    )
    assert "Days and opening hours" not in dict(
        describe_scenario(load_scenario(ROOT / "scenarios" / "hall_modes.yaml"))
    )


def test_a_report_made_in_python_shows_the_call_that_reproduces_it() -> None:
    block = reproduce_block(hall_run(), None, replications=3, seed=11)
    assert "result = portsim.simulate(scenario, replications=3, seed=11)" in block
    assert "name: Small hall, two flows" in block  # the scenario as run


def test_the_scenario_as_run_reproduces_the_reports_numbers() -> None:
    """The report's scenario carries the run's seed and replications, not the file's: loaded
    and run as it stands, it gives the same numbers."""
    scenario = scenario_from_dict(HALL)
    run = simulate(scenario, replications=2, seed=scenario.seed + 7)
    block = reproduce_block(run, "portsim run hall.yaml -r 2 -s 18", replications=2, seed=run.seed)
    text = html.unescape(block.split("<pre>", 1)[1].split("</pre>", 1)[0])
    again = simulate(scenario_from_dict(yaml.safe_load(text)))
    assert (again.seed, again.replications) == (run.seed, 2)
    assert again.summary == run.summary


def test_every_table_downloads_as_csv_with_plain_numbers() -> None:
    tables = _csv_links(_run_html())
    assert set(tables) == {
        "flows.csv",
        "stages.csv",
        "pledges.csv",
        "documented_figures.csv",
        "hourly.csv",
    }
    flows = tables["flows.csv"].splitlines()
    assert flows[0].startswith("who,served,served_ci95_low,served_ci95_high,unfinished")
    served = hall_run().summary["overall"]["served"]["mean"]
    assert flows[1].split(",")[:2] == ["all travellers", repr(served)]
    assert len(tables["hourly.csv"].splitlines()) == 1 + 4


def test_a_comparison_report_names_the_winner_with_its_interval() -> None:
    html = _comparison_html()
    assert "more counters has the shortest waits: on average" in html
    assert "95 % interval" in html.split('id="answer"')[1].split("</section>")[0]
    assert html.count("<details><summary>Variant ") == 2
    assert {"differences.csv", "variants.csv", "pledges.csv"} <= set(_csv_links(html))
    assert "base, more counters: Stage &#x27;customs&#x27;: offered load 1.80" in html


def test_run_and_compare_write_html_and_plots(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("hall.yaml").write_text(yaml.safe_dump(HALL), encoding="utf-8")
    runner = CliRunner()
    done = runner.invoke(
        main,
        [
            "run",
            "hall.yaml",
            "-r",
            "2",
            "-w",
            "1",
            "--html",
            "run.html",
            "--plots",
            "plots",
            "--set",
            "horizon=2h",
        ],
    )
    assert done.exit_code == 0, done.output
    assert "wrote run.html" in done.output
    assert Path("run.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert (tmp_path / "plots" / "queue_length.png").exists()
    done = runner.invoke(
        main,
        [
            "compare",
            "hall.yaml",
            "--variant",
            "more:stages.passport.lanes.egates.count=3",
            "-r",
            "2",
            "-w",
            "1",
            "--set",
            "horizon=2h",
            "--html",
            "cmp.html",
            "--plots",
            "cmp",
        ],
    )
    assert done.exit_code == 0, done.output
    assert "portsim comparison" in Path("cmp.html").read_text(encoding="utf-8")
    assert (tmp_path / "cmp" / "compare_differences.png").exists()
    assert (tmp_path / "cmp" / "more" / "lanes_open.png").exists()


def test_portsim_report_runs_a_scenario_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("hall.yaml").write_text(yaml.safe_dump(HALL), encoding="utf-8")
    done = CliRunner().invoke(
        main, ["report", "hall.yaml", "-r", "2", "-w", "1", "--set", "horizon=2h"]
    )
    assert done.exit_code == 0, done.output
    assert done.stdout.startswith("1 of 2 pledges fails.")
    assert Path("hall.html").exists()
    done = CliRunner().invoke(main, ["report", "results.db"])  # a store that is not there
    assert done.exit_code == 2
    assert "results.db: no such results store" in done.output
    done = CliRunner().invoke(main, ["report", "hall.txt"])
    assert done.exit_code == 2
    assert "portsim report takes a scenario file or a store (.yaml, .yml, .db" in done.output


@NEEDS_CHROMIUM
@pytest.mark.parametrize("kind", ["run", "comparison"])
def test_the_report_opens_in_a_browser(kind: str, tmp_path: Path) -> None:
    path = tmp_path / f"{kind}.html"
    path.write_text(_run_html() if kind == "run" else _comparison_html(), encoding="utf-8")
    page = open_page(path)
    try:
        images = page.evaluate("[...document.images].map(i => [i.complete, i.naturalWidth])")
        assert images
        assert all(done and width > 0 for done, width in images), images
        headline = page.evaluate("document.querySelector('#answer h2').textContent")
        assert headline == ("1 of 2 pledges fails." if kind == "run" else headline)
        assert "shortest" in headline or kind == "run"
        tables = page.evaluate("[...document.querySelectorAll('table')].map(t => t.dataset.name)")
        expected = {"flows", "stages", "hourly"} if kind == "run" else {"differences", "variants"}
        assert expected <= set(tables)
        links = page.evaluate("[...document.querySelectorAll('a[download]')].length")
        assert links == len(tables)
        assert page.console_errors() == []
        shot = page.screenshot(tmp_path / f"{kind}.png")
    finally:
        page.close()
    assert shot.read_bytes().startswith(b"\x89PNG")
    assert shot.stat().st_size > 50_000
