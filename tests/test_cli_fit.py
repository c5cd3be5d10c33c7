"""``portsim fit`` on the command line: the example files give their text, JSON and charts;
every kind of bad data is one line, ``FILE: column: problem``, exit 2, no traceback; without
scipy, one line saying how to install it."""

from __future__ import annotations

import json
import sys
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner

from portsim.cli import main

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "examples" / "data"


def _invoke(*args: str) -> tuple[int, str, str]:
    done = CliRunner().invoke(main, ["fit", *args])
    return done.exit_code, done.stdout, done.stderr


def _file(tmp_path: Path, text: str, name: str = "data.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_times_prints_the_ranking_and_the_yaml_and_draws_the_q_q_plot(tmp_path: Path) -> None:
    qq = tmp_path / "qq.png"
    code, out, err = _invoke(
        "times", str(DATA / "counter_times.csv"), "--column", "service_s", "--bootstrap", "99",
        "--qq", str(qq),
    )  # fmt: skip
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith(f"{DATA / 'counter_times.csv'}: service_s: 400 times")
    assert lines[2].split() == ["family", "AIC", "ΔAIC", "mean", "cv", "KS", "p", "at", "5", "%"]
    assert "each rounded to 0.1s as the times were logged" in out  # the file's resolution
    assert [line.split()[0] for line in lines[3:8]][-1] == "empirical"
    assert out.rstrip().splitlines()[-1].startswith("service: {dist: ")
    assert qq.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_times_json_gives_the_ranking_and_the_chosen_dist_mean_and_cv() -> None:
    code, out, _ = _invoke(
        "times", str(DATA / "counter_times.csv"), "--column", "service_s", "--bootstrap", "99",
        "--json", "-",
    )  # fmt: skip
    assert code == 0
    data = json.loads(out)
    assert [row["family"] for row in data["ranking"]][-1] == "empirical"
    aics = [row["aic"] for row in data["ranking"][:-1]]
    assert aics == sorted(aics)
    assert set(data["chosen"]) == {"dist", "mean", "cv"}
    assert data["chosen"]["dist"] == data["ranking"][0]["family"]
    assert data["n"] == 400


def test_minutes_are_read_as_minutes(tmp_path: Path) -> None:
    minutes = _file(tmp_path, "t\n" + "".join(f"{0.5 + k / 10}\n" for k in range(20)))
    _, out, _ = _invoke("times", minutes, "--column", "t", "--unit", "min", "--json", "-",
                        "--bootstrap", "99")  # fmt: skip
    ranking = json.loads(out)["ranking"]
    assert ranking[-1]["mean_s"] == pytest.approx(60 * (0.5 + 0.95))


def test_counts_timetable_and_waits_on_the_example_files(tmp_path: Path) -> None:
    code, out, _ = _invoke("counts", str(DATA / "hourly_counts.csv"), "--direction-column",
                           "direction", "--json", "-")  # fmt: skip
    assert code == 0
    directions = json.loads(out)["directions"]
    assert [d["direction"] for d in directions] == ["northbound", "southbound"]
    assert directions[0]["days"] == {"weekday": 10, "weekend": 4}
    code, out, _ = _invoke("timetable", str(DATA / "train_timetable.csv"))
    assert code == 0
    assert (
        "arrivals:\n  times:\n    - {at: 06:30, load: 120}\n    - {at: 07:00, load: 420}\n" in out
    )
    ecdf = tmp_path / "ecdf.png"
    code, out, err = _invoke(
        "waits", str(DATA / "observed_waits.csv"), "--scenario", str(DATA / "fitted_port.yaml"),
        "--flow", "northbound", "--stage", "immigration", "-r", "1",
        "--set", "calendar.days=[{type: weekday}]", "--ecdf", str(ecdf),
    )  # fmt: skip
    assert code == 0, err
    assert "Kolmogorov–Smirnov distance: " in out
    assert [line.split()[0] for line in out.splitlines()[3:7]] == ["mean", "p50", "p90", "p95"]
    assert ecdf.exists()


TIMES = ["times", "--column", "t"]


@pytest.mark.parametrize(
    ("text", "args", "problem"),
    [
        (None, TIMES, "no such file"),
        ("", TIMES, "the file is empty: a header row and data rows are needed"),
        ("t\n", TIMES, "t: no values: the file has a header and no rows"),
        ("s\n1\n", TIMES, "t: no such column (the columns are: s)"),
        ("t\n" + "3\n" * 9 + "-1\n", TIMES, "t: row 11: -1 is negative: it must be zero or more"),
        ("t\n0\n" + "".join(f"{k + 0.1234567}\n" for k in range(10)), TIMES, "t: a time of 0 with "
         "times not logged to a step: give the resolution (--resolution 1s) so that 0 reads as "
         "under half of it"),
        ("t\n" + "3\n4\n" * 6, [*TIMES, "--resolution", "1"], "--resolution: '1' has no unit: "
         "write the duration as 1s, 1min or 1h"),
        ("t\n12\nabc\n", TIMES, "t: row 3: 'abc' is not a number"),
        ("t\n12\n\n15\nnan\n", TIMES, "t: row 5: 'nan' is not a finite number"),
        ("t,u\n12,1\n,2\n", TIMES, "t: row 3: the cell is empty"),
        ("t\n" + "4\n" * 5, TIMES, "t: 5 times: at least 10 are needed to choose a family"),
        ("t\n" + "4\n" * 12, TIMES, "t: every time is 4s: write {dist: constant}, not a fit"),
        ("date,hour,count\n2026-03-02,8,-3\n", ["counts"], "count: row 2: -3 is negative: it "
         "must be zero or more"),
        ("date,hour,count\n2026-03-02,8,2.5\n", ["counts"], "count: row 2: 2.5 is not a whole "
         "number"),
        ("date,hour,count\n2026-02-30,8,2\n", ["counts"], "date: row 2: '2026-02-30' is not a "
         "date: write YYYY-MM-DD"),
        ("date,hour,count\n2026-03-02,24,2\n", ["counts"], "hour: row 2: '24' is not an hour: "
         "write 0 to 23 or 06:00"),
        ("date,hour,count\n2026-03-02,8,2\n2026-03-02,08:00,3\n", ["counts"], "count: row 3: a "
         "second count for 2026-03-02 hour 8 (the first is row 2)"),
        ("arrival,passengers\n25:00,10\n", ["timetable"], "arrival: row 2: '25:00' is not a "
         "clock time: write 06:30"),
        ("arrival,passengers\n06:00,-10\n", ["timetable"], "passengers: row 2: -10 is negative: "
         "it must be zero or more"),
        ("arrival\n06:00\n", ["timetable"], "passengers: no such column (the columns are: "
         "arrival)"),
    ],
)  # fmt: skip
def test_bad_data_is_one_line_and_exit_2(
    tmp_path: Path, text: str | None, args: list[str], problem: str
) -> None:
    path = str(tmp_path / "missing.csv") if text is None else _file(tmp_path, text)
    code, out, err = _invoke(args[0], path, *args[1:])
    assert code == 2
    assert out == ""
    assert err == f"{path}: {problem}\n"


def test_waits_with_a_flow_the_scenario_does_not_have(tmp_path: Path) -> None:
    observed = _file(tmp_path, "wait_s\n" + "30\n" * 10)
    code, _, err = _invoke("waits", observed, "--scenario", str(DATA / "fitted_port.yaml"),
                           "--flow", "southbound", "-r", "1",
                           "--set", "calendar.days=[{type: weekday}]")  # fmt: skip
    assert code == 2
    assert err == (
        f"{DATA / 'fitted_port.yaml'}: --flow: no flow named 'southbound' (its flows and "
        "classes: northbound, train_passengers)\n"
    )
    assert err.count("\n") == 1
    code, _, err = _invoke("waits", observed, "--scenario", str(tmp_path / "nowhere.yaml"))
    assert code == 2
    assert "nowhere.yaml" in err
    assert "Traceback" not in err


def test_without_scipy_fit_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "scipy.stats", None)  # import scipy.stats fails
    code, out, err = _invoke("times", str(DATA / "counter_times.csv"), "--column", "service_s")
    assert code == 2
    assert out == ""
    assert err == "portsim fit needs scipy: python3 -m pip install 'portsim[fit]' (or scipy)\n"


def test_the_q_q_plot_is_a_picture_of_the_best_families(tmp_path: Path) -> None:
    """The chart as SVG (text kept as text): three families' points and the diagonal,
    labelled."""
    import matplotlib  # noqa: PLC0415

    from portsim.fit import fit_times_file  # noqa: PLC0415
    from portsim.report.fit_plots import qq_figure  # noqa: PLC0415

    fit = fit_times_file(DATA / "counter_times.csv", "service_s", rounds=19)
    figure = qq_figure(fit)
    svg = tmp_path / "qq.svg"
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        figure.savefig(svg, format="svg")
    texts = "".join(ElementTree.parse(svg).getroot().itertext())
    for family in fit.ranking[:3]:
        assert f"{family.family} (AIC" in texts
    assert "a perfect fit" in texts
    (ax,) = [a for a in figure.axes if a.get_visible()]
    points = [line for line in ax.get_lines() if line.get_marker() == "o"]
    assert len(points) == 3
    assert all(len(line.get_xdata()) == 400 for line in points)


class _Page(HTMLParser):
    """The text of an HTML page's table cells (row by row), headings and images."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.headings: list[str] = []
        self.images = 0
        self._cell: list[str] | None = None
        self._heading = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag in ("h1", "h2"):
            self._heading = True
            self.headings.append("")
        elif tag == "img" and (dict(attrs).get("src") or "").startswith("data:image/png"):
            self.images += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag in ("h1", "h2"):
            self._heading = False

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        if self._heading:
            self.headings[-1] += data


def _page(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def test_the_html_reports_of_times_and_waits(tmp_path: Path) -> None:
    times_html, waits_html = tmp_path / "times.html", tmp_path / "waits.html"
    code, out, _ = _invoke(
        "times", str(DATA / "counter_times.csv"), "--column", "service_s", "--bootstrap", "99",
        "--html", str(times_html), "--json", "-",
    )  # fmt: skip
    assert code == 0
    data = json.loads(out)
    page = _page(times_html)
    assert page.headings[:2] == ["Fitted times", f"Chosen: {data['chosen']['dist']}"]
    families = [row[0] for row in page.rows[1:]]
    ranking = [row["family"] for row in data["ranking"]]
    assert families == [f"{ranking[0]}chosen", *ranking[1:]]  # the chosen row is marked
    assert page.images == 1
    assert "To paste into a lane group" in page.headings
    code, out, err = _invoke(
        "waits", str(DATA / "observed_waits.csv"), "--scenario", str(DATA / "fitted_port.yaml"),
        "--flow", "northbound", "--stage", "immigration", "-r", "1",
        "--set", "calendar.days=[{type: weekday}]", "--html", str(waits_html), "--json", "-",
    )  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    page = _page(waits_html)
    assert [row[0] for row in page.rows[1:]] == ["mean", "p50", "p90", "p95"]
    observed_p50 = data["quantiles_s"]["p50"]["observed"]
    assert page.rows[2][1] == f"{observed_p50 / 60:.1f} min"
    assert page.images == 1
