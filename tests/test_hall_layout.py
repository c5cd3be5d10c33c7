"""Where the animation puts things (portsim.report.hall_layout): every stage and lane group
of every library scenario has a box, no two boxes overlap, nothing enters the band of the
title, the legend and the clock, and the clock's corner is its own; the arrows are the
routes' flows, with their kinds (a vehicle's passengers who alight, a shuttle's ride, a
choice's branches), and lead left to right from each entrance."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from portsim import load_scenario, scenario_from_dict
from portsim.model.compile import compile_scenario
from portsim.model.model import Model
from portsim.report.hall_layout import MAX_SQUARES, flow_edges, hall_layout

from .reporting import HALL

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = sorted((ROOT / "scenarios").glob("*.yaml"))
GOLDEN = ROOT / "tests" / "golden" / "scenarios"


def _edges(model: Model) -> dict[tuple[str, str], str]:
    def name(node: tuple[str, int]) -> str:
        return model.flows[node[1]].name if node[0] == "flow" else model.stages[node[1]].name

    return {(name(a), name(b)): kind for (a, b), kind in flow_edges(model).items()}


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: p.stem)
def test_every_stage_and_group_has_a_box_and_none_overlap(path: Path) -> None:
    model = compile_scenario(load_scenario(path))
    layout = hall_layout(model)
    assert [s.name for s in layout.stages] == [s.name for s in model.stages]
    for stage in layout.stages:
        groups = [model.groups[g] for g in model.stages[stage.stage].groups]
        assert [(g.name, g.lanes) for g in stage.groups] == [(g.name, g.lanes) for g in groups]
        box = stage.box
        for rows in stage.groups:  # inside the stage's box, one under the other
            for row in (rows.name_row, rows.lane_rows, rows.queue_row):
                assert box.x <= row.x
                assert row.x + row.width <= box.x + box.width
                assert box.y <= row.y
                assert row.y + row.height <= box.y + box.height
            assert rows.name_row.y < rows.lane_rows.y < rows.queue_row.y
            assert rows.squares == (rows.lanes <= MAX_SQUARES)
    things = [s.box for s in layout.stages] + [e.box for e in layout.entrances]
    for a, b in itertools.combinations(things, 2):
        assert not a.overlaps(b), (a, b)
    for thing in things:  # below the top band, within the picture
        assert thing.y >= layout.header.height
        assert thing.x + thing.width <= layout.width
        assert thing.y + thing.height <= layout.height
    for arrow in layout.arrows:
        assert min(arrow.start[1], arrow.end[1]) >= layout.header.height
        for (x0, y), (x1, _) in zip(arrow.via[::2], arrow.via[1::2], strict=True):
            assert layout.header.height <= y <= layout.height  # across a column, clear of boxes
            assert not any(b.x < x1 and x0 < b.x + b.width and b.y <= y <= b.y + b.height
                           for b in things), (arrow, y)  # fmt: skip
    # the band: the title, the legend and the clock side by side, none over another
    for a, b in itertools.combinations((layout.title, layout.legend, layout.clock), 2):
        assert not a.overlaps(b)
    assert layout.clock.x + layout.clock.width <= layout.width
    assert 1 <= layout.width / layout.height <= 8


def test_the_arrows_are_the_routes() -> None:
    model = compile_scenario(scenario_from_dict(HALL))
    assert _edges(model) == {
        ("residents", "passport"): "walk",
        ("visitors", "passport"): "walk",
        ("passport", "customs"): "walk",  # a branch: one resident in ten
    }
    layout = hall_layout(model)
    assert [e.flow for e in layout.entrances] == ["residents", "visitors"]
    passport, customs = (s.box for s in layout.stages)
    assert passport.x + passport.width < customs.x  # route order, left to right
    assert all(not a.back and a.start[0] < a.end[0] for a in layout.arrows)


def test_vehicles_alight_choose_and_ride_a_shuttle() -> None:
    land = compile_scenario(load_scenario(GOLDEN / "land_port.yaml"))
    edges = _edges(land)
    assert edges[("coach_booths", "exit_check")] == "alight"  # the coaches' passengers
    assert edges[("coach_booths", "coach_park")] == "walk"  # the coach goes on to meet them
    assert {b for a, b in edges if a == "car_booths"} == {"exam", "xray"}  # a choice
    shuttle = compile_scenario(load_scenario(GOLDEN / "shuttle_modes.yaml"))
    edges = _edges(shuttle)
    assert edges[("exit", "entry")] == "shuttle"
    assert ("secondary", "secondary") in edges  # the route's second secondary check
    arrows = hall_layout(shuttle).arrows
    assert len(arrows) == len(edges) - 1  # no arrow from a stage to itself
    assert sorted(a.kind for a in arrows) == ["shuttle", "walk", "walk", "walk"]


def test_an_arrow_past_a_column_goes_round_its_boxes() -> None:
    """Trucks that skip both checks go from the exit booths to the entry booths past the
    column of the x-ray and the exam, below them, as the diagram's layout routes them."""
    model = compile_scenario(load_scenario(ROOT / "scenarios" / "huanggang_land_port_2019.yaml"))
    layout = hall_layout(model)
    box = {s.name: s.box for s in layout.stages}
    exit_, entry = box["truck_exit"], box["truck_entry"]
    (arrow,) = [a for a in layout.arrows if a.start[0] == exit_.x + exit_.width
                and a.end[0] == entry.x and exit_.y <= a.start[1] <= exit_.y + exit_.height
                and entry.y <= a.end[1] <= entry.y + entry.height]  # fmt: skip
    (x0, y), (x1, y_out) = arrow.via
    checks = (box["truck_xray"], box["truck_exam"])
    assert y == y_out
    assert all(c.x == x0 and c.x + c.width == x1 for c in checks)  # the checks' column
    assert all(y > c.y + c.height or y < c.y for c in checks)
