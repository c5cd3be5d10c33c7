"""The diagram of the model (issue 24, item 3): ``portsim show FILE --diagram OUT.svg`` (or
``.png``) and the single-run HTML report draw the flows with their demand, the stages in
route order with every lane group (lanes open and built, whom they serve), the shuttle, the
branches with their shares, the passengers who alight and meet their vehicle, and the
clearance mode. The SVG keeps its words as text and its boxes ids, so these tests read it
with xml.etree."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portsim import load_scenario, scenario_from_dict, simulate
from portsim.cli import main
from portsim.report.diagram import diagram_svg, draw_diagram
from portsim.report.diagram_draw import Canvas, size_box
from portsim.report.document import run_report_html
from portsim.report.layered import layered_layout
from portsim.report.model_graph import model_graph
from portsim.scenario import Scenario

from .browser import chromium_path, open_page
from .strategies import port_scenarios, scenarios

ROOT = Path(__file__).resolve().parent.parent
#: vehicles whose passengers alight and meet them, a shuttle across, a choice, classes
PORT = ROOT / "tests" / "diagram" / "land_port.yaml"
LIBRARY = sorted((ROOT / "scenarios").glob("*.yaml"))
SVG = "{http://www.w3.org/2000/svg}"
NEEDS_CHROMIUM = pytest.mark.skipif(
    chromium_path() is None,
    reason="chromium is not installed (apt-get install chromium; .ci/run installs it)",
)


def _texts(svg: str) -> dict[str, str]:
    """Every element with an id → the words of its ``<text>`` elements, a line each."""
    root = ET.fromstring(svg)
    return {
        element.get("id", ""): "\n".join(t.text or "" for t in element.iter(f"{SVG}text"))
        for element in root.iter()
        if element.get("id")
    }


@cache
def _port() -> Scenario:
    return load_scenario(PORT)


@cache
def _port_svg() -> str:
    return diagram_svg(_port())


def test_every_stage_and_lane_group_is_drawn_with_its_lanes() -> None:
    """Each stage is a box with its name; each lane group a row inside it that says its
    lanes (a count, a schedule's range, those built) and whom it serves."""
    texts = _texts(_port_svg())
    stages = _port().all_stages()
    assert [s.name for s in stages] == [
        "exit", "entry", "secondary", "coach_exit", "coach_entry", "truck_booths", "xray",
        "exam", "truck_exit",
    ]  # fmt: skip
    for stage in stages:
        assert texts[f"stage-{stage.name}-title"] == stage.name
        assert f"stage-{stage.name}" in texts
        for group in stage.lanes:
            key = f"lanes-{stage.name}-{group.name}"
            assert key in texts
            assert texts[f"{key}-text"].startswith(f"{group.name}: ")
    assert texts["lanes-exit-egates-text"] == (
        "egates: 4 lanes\nserves walkers enrolled, coaches passengers\n12.0 s each"
    )
    assert texts["lanes-exit-counters-text"].startswith(
        "counters: 2–6 lanes by the clock, 10 built,\n\u00a0\u00a0more open as queues grow\n"
        "serves everyone; 45.0 s each"
    )
    assert texts["lanes-entry-counters-text"] == "counters: 8 lanes\nserves everyone; 40.0 s each"
    assert texts["lanes-truck_booths-booths-text"].endswith("a queue per lane")


def test_flows_say_their_demand_and_the_shuttle_its_timetable() -> None:
    texts = _texts(_port_svg())
    assert texts["flow-walkers-text"] == (
        "travellers, southbound\n600 an hour\nenrolled 70 %, other 30 %"
    )
    assert texts["flow-coaches-text"] == "coaches\none every 20.0 min\n20 to 40 aboard"
    assert texts["flow-trucks-text"] == "trucks\n400 a day, busiest 08:00–09:00"
    assert texts["transfer-exit-text"] == "then a shuttle every 5.0 min, 60 seats, ride 4.0 min"
    assert texts["transfer-coach_exit-text"] == "then 4.0 min to 8.0 min on"
    assert "clearance" not in texts["transfer-exit"]  # a shuttle, drawn as one


def test_branches_alight_and_meet_are_arrows_with_their_shares() -> None:
    """The choice: 30 % to X-ray, 5 % to examination, the other 65 % straight on; an
    optional stage with its share; passengers who alight (dashed) and meet their coach."""
    texts = _texts(_port_svg())
    labels = {k.removeprefix("label-"): v for k, v in texts.items() if k.startswith("label-")}
    assert labels == {
        "stage-truck_booths-stage-xray": "30 %",
        "stage-truck_booths-stage-exam": "5 %",
        "stage-truck_booths-stage-truck_exit": "65 %",
        "stage-xray-stage-truck_exit": "30 %",
        "stage-exam-stage-truck_exit": "5 %",
        "stage-entry-stage-secondary": "5 %",
        "stage-coach_exit-stage-exit": "passengers alight",
    }
    arrows = {k.removeprefix("arrow-") for k in texts if k.startswith("arrow-")}
    assert {
        "flow-walkers-stage-exit",
        "stage-exit-stage-entry",
        "stage-coach_exit-stage-coach_entry",
        "stage-coach_entry-meet-coaches",
        "stage-entry-meet-coaches",
    } <= arrows
    assert texts["meet-coaches-title"] == "coaches meet"
    root = ET.fromstring(_port_svg())
    alight = next(e for e in root.iter() if e.get("id") == "arrow-stage-coach_exit-stage-exit")
    assert "stroke-dasharray" in ET.tostring(alight, encoding="unicode")


def test_the_clearance_mode_is_named_and_another_mode_drawn_on_request() -> None:
    texts = _texts(_port_svg())
    assert "Clearance mode (orange): separate checks" in texts["legend"]
    assert "also describes cooperative inspection" in texts["legend"]
    joint = _texts(diagram_svg(_port().with_mode("cooperative")))
    assert "stage-joint" in joint
    assert "stage-exit" not in joint
    assert "Clearance mode (orange): cooperative inspection" in joint["legend"]


def test_words_are_text_not_drawn_glyphs() -> None:
    """svg.fonttype none: labels are ``<text>`` a reader can search, with no glyph paths."""
    svg = _port_svg()
    assert "<text" in svg
    assert 'xlink:href="#DejaVu' not in svg
    assert 'id="glyph' not in svg
    assert diagram_svg(_port()) == svg  # no date, no random ids: a report made again is the same


def _boxes(scenario: Scenario) -> list[tuple[str, float, float, float, float]]:
    """Every box as (id, left, top, right, bottom), in points."""
    graph = model_graph(scenario)
    sizes = {box.key: size_box(box) for box in graph.boxes}
    layout = layered_layout(
        {k: s.height for k, s in sizes.items()},
        [(link.source, link.target) for link in graph.links],
        gap=14.0,
    )
    canvas = Canvas(graph, layout, sizes)
    out = []
    for key, placed in layout.boxes.items():
        left, right = canvas.box_x(key)
        assert right - left >= sizes[key].width - 1e-9  # its words fit
        out.append((key, left, placed.top, right, placed.top + placed.height))
    return out


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: p.stem)
def test_no_two_boxes_overlap_in_any_library_scenario(path: Path) -> None:
    """Every stage and flow of every library scenario has its box, apart from the others."""
    scenario = load_scenario(path)
    boxes = _boxes(scenario)
    keys = {b[0] for b in boxes}
    assert {f"stage-{s.name}" for s in scenario.all_stages()} <= keys
    assert {f"flow-{f.name}" for f in scenario.flows} <= keys
    for i, (a, l1, t1, r1, b1) in enumerate(boxes):
        for b, l2, t2, r2, b2 in boxes[i + 1 :]:
            apart = r1 <= l2 or r2 <= l1 or b1 <= t2 or b2 <= t1
            assert apart, (a, b)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(scenarios(), port_scenarios()))
def test_any_scenario_is_laid_out_without_overlaps(data: dict[str, Any]) -> None:
    """Generated scenarios and ports (choices, optional stages, stages visited twice,
    passengers who alight and may meet their coach): every stage has its box, no two boxes
    overlap, and an arrow that spans columns has a waypoint in each column between, in the
    gap between that column's boxes."""
    scenario = scenario_from_dict(data)
    boxes = _boxes(scenario)
    assert {f"stage-{s.name}" for s in scenario.all_stages()} <= {b[0] for b in boxes}
    for i, (a, l1, t1, r1, b1) in enumerate(boxes):
        for b, l2, t2, r2, b2 in boxes[i + 1 :]:
            assert r1 <= l2 or r2 <= l1 or b1 <= t2 or b2 <= t1, (a, b)
    graph = model_graph(scenario)
    sizes = {box.key: size_box(box) for box in graph.boxes}
    layout = layered_layout(
        {k: s.height for k, s in sizes.items()}, [(x.source, x.target) for x in graph.links]
    )
    for route in layout.routes:
        ends = sorted([layout.boxes[route.source].column, layout.boxes[route.target].column])
        assert sorted(c for c, _ in route.waypoints) == list(range(ends[0] + 1, ends[1]))
        for column, y in route.waypoints:
            inside = [
                p
                for p in layout.boxes.values()
                if p.column == column and p.top < y < p.top + p.height
            ]
            assert inside == [], (route, inside)


def test_the_figure_is_as_big_as_its_boxes() -> None:
    """The largest library scenario (20 flows, 20 stages) is drawn whole: the figure holds
    every box at the type size, none squeezed."""
    scenario = load_scenario(ROOT / "scenarios" / "shenzhen_2008_persons_vehicles.yaml")
    figure = draw_diagram(scenario)
    width, height = figure.get_size_inches() * 72
    bottom = max(b[4] for b in _boxes(scenario))
    assert height > bottom
    assert width > 300


def test_show_writes_the_diagram_as_svg_and_png(tmp_path: Path) -> None:
    runner = CliRunner()
    svg, png = tmp_path / "port.svg", tmp_path / "port.png"
    result = runner.invoke(main, ["show", str(PORT), "--diagram", str(svg)])
    assert result.exit_code == 0, result.output
    assert "routes:" in result.stdout  # the text description still comes
    texts = _texts(svg.read_text(encoding="utf-8"))
    assert texts["stage-exit-title"] == "exit"
    assert f"wrote the diagram of the model to {svg}" in result.stderr
    result = runner.invoke(
        main, ["show", str(PORT), "--diagram", str(png), "--set", "clearance.mode=cooperative"]
    )
    assert result.exit_code == 0, result.output
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width = int.from_bytes(data[16:20], "big")
    assert width > 600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["port.png", "port.svg"]  # no temporary


def test_show_refuses_another_suffix_in_one_line(tmp_path: Path) -> None:
    out = tmp_path / "port.pdf"
    result = CliRunner().invoke(main, ["show", str(PORT), "--diagram", str(out)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"--diagram {out}: write the diagram to a .svg or .png file, not .pdf"
    ]
    assert not out.exists()


class _Ids(HTMLParser):
    """The ids of the elements inside ``<figure id="diagram">`` and the figure's caption."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.ids: list[str] = []
        self.caption = ""
        self.in_caption = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == "figure" and named.get("id") == "diagram":
            self.depth = 1
        elif self.depth:
            self.depth += tag == "figure"
            self.in_caption = self.in_caption or tag == "figcaption"
            if named.get("id"):
                self.ids.append(str(named["id"]))

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag == "figure":
            self.depth -= 1
        if tag == "figcaption":
            self.in_caption = False

    def handle_data(self, data: str) -> None:
        if self.in_caption:
            self.caption += data


@cache
def _report() -> str:
    scenario = load_scenario(PORT, ["horizon=1h", "stages.exam.lanes.bays.count=4"])
    return run_report_html(simulate(scenario, replications=1, workers=1))


def test_the_html_report_shows_the_diagram() -> None:
    """The single-run report has the diagram inline (an SVG, its words as text), in a
    section of its own before the scenario in words."""
    scenario = _port()
    html = _report()
    parser = _Ids()
    parser.feed(html)
    stages = {f"stage-{s.name}" for s in scenario.all_stages()}
    groups = {f"lanes-{s.name}-{g.name}" for s in scenario.all_stages() for g in s.lanes}
    assert stages | groups <= set(parser.ids)
    assert "share of the flow's arrivals" in parser.caption
    assert html.index('id="model"') < html.index('id="scenario"')
    assert html.count("<svg") == 1


#: each box's words against the box, as Chromium lays them out in its own fonts
_FITS = """[...document.querySelectorAll('#model g[id$="-text"]')].map(t => {
  const box = document.getElementById(t.id.slice(0, -5)).getBoundingClientRect();
  const words = t.getBoundingClientRect();
  return [t.id, box.right - words.right, box.bottom - words.bottom];
})"""


@NEEDS_CHROMIUM
def test_in_a_browser_the_words_stay_in_their_boxes(tmp_path: Path) -> None:
    """In headless Chromium (its fonts, not matplotlib's), every lane group's, flow's and
    transfer's words end inside their box; a diagram wider than the page scrolls in its own
    box, and the page does not scroll sideways."""
    path = tmp_path / "report.html"
    path.write_text(_report(), encoding="utf-8")
    page = open_page(path)
    try:
        fits = page.evaluate(_FITS)
        scroll_width, client_width = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert page.console_errors() == []
        shot = page.screenshot(tmp_path / "report.png")
    finally:
        page.close()
    assert len(fits) == 16  # 3 flows, 10 lane groups, 2 transfers, a meeting
    assert [f for f in fits if f[1] < -0.5 or f[2] < -0.5] == []
    assert scroll_width <= client_width
    assert shot.stat().st_size > 50_000
