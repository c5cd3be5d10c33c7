"""Staff pools in ``portsim show``, the scenario in words and the diagram: which lane groups
share which pool, how many are on duty and the switch time. A scenario without pools is
drawn and shown as before (a pool no group names changes no group's words)."""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET
from typing import Any

from portsim import format_show, scenario_from_dict
from portsim.report.describe import describe_scenario
from portsim.report.diagram import diagram_svg
from portsim.report.model_graph import model_graph

from .test_staff_streaming import two_directions

SVG = "{http://www.w3.org/2000/svg}"


def _port() -> dict[str, Any]:
    data = two_directions()
    data["stages"][0]["lanes"][0]["staff_per_lane"] = 2
    return data


def test_show_lists_the_pools_and_each_group_s_pool() -> None:
    text = format_show(scenario_from_dict(_port()))
    lines = text.splitlines()
    assert lines[1:4] == [
        "staff:",
        "  officers: schedule 6-14h: 12, 14-22h: 9; switch 2.0 min; shared by north.desks, "
        "south.desks",
        "  dual_counters: 6 on duty; switch 3.0 min; lends to a rule that asks; shared by "
        "north.dual, south.dual",
    ]
    desks = [line for line in lines if line.startswith("  desks:")]
    assert "; staff officers (2 a lane);" in desks[0]
    assert "; staff officers;" in desks[1]


def test_the_scenario_in_words_has_a_staff_section() -> None:
    sections = dict(describe_scenario(scenario_from_dict(_port())))
    officers, counters = sections["Staff"]
    assert officers.startswith(
        "Pool officers: on duty by the clock: 12 from 06:00 to 14:00, 9 from 14:00 to 22:00 "
        "(nobody outside these hours); shared by north.desks (2 a lane), south.desks; "
        "2.0 min to move from one group to another."
    )
    assert "turns a lane of another below its line" in counters
    stages = " ".join(sections["Stages and lanes"])
    assert "staffed from pool officers, 2 a lane" in stages


def _texts(svg: str) -> dict[str, str]:
    root = ET.fromstring(svg)
    return {
        e.get("id", ""): " ".join(t.text or "" for t in e.iter(f"{SVG}text"))
        for e in root.iter()
        if e.get("id")
    }


def test_the_diagram_says_which_groups_share_a_pool() -> None:
    scenario = scenario_from_dict(_port())
    texts = _texts(diagram_svg(scenario))
    words = {key: " ".join(text.replace("\u00a0", " ").split()) for key, text in texts.items()}
    north = words["lanes-north-desks-text"]
    assert "shares officers, 2 a lane (9–12 on duty by the clock, 2.0 min to switch)" in north
    south = words["lanes-south-desks-text"]
    assert "shares officers (9–12 on duty by the clock, 2.0 min to switch)" in south
    for side in ("north", "south"):
        dual = words[f"lanes-{side}-dual-text"]
        assert "shares dual_counters (6 on duty, 3.0 min to switch)" in dual


def test_a_pool_no_group_names_changes_no_drawing() -> None:
    data = two_directions()
    plain = copy.deepcopy(data)
    for stage in plain["stages"]:
        for group in stage["lanes"]:
            del group["staff"]
    with_pool = copy.deepcopy(plain)
    with_pool["staff"] = [{"name": "spare", "count": 3}]
    del plain["staff"]
    assert diagram_svg(scenario_from_dict(with_pool)) == diagram_svg(scenario_from_dict(plain))
    rows = [r for b in model_graph(scenario_from_dict(plain)).boxes for r in b.rows]
    assert all("shares" not in line for r in rows for line in r.lines)
