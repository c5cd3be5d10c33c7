"""Wide tables stay inside their panel in the HTML report (issue 22, item 7): the documented
figures beside the simulated ones, with a long source and a long note, wrap within the
section at the width a planner's screen gives; a table wider than a narrow window scrolls
inside its own box, and the page itself never scrolls sideways.

The rules themselves are checked without a browser; the layout in headless Chromium."""

from __future__ import annotations

import copy
import re
from functools import cache
from pathlib import Path

import pytest

from portsim import scenario_from_dict, simulate
from portsim.report.document import run_report_html
from portsim.report.html import LONG, STYLE

from .browser import chromium_path, open_page
from .reporting import HALL

NEEDS_CHROMIUM = pytest.mark.skipif(
    chromium_path() is None,
    reason="chromium is not installed (apt-get install chromium; .ci/run installs it)",
)
#: a source as the shipped scenarios cite them: a file name no line can break, then words
SOURCE = (
    "003_7fe4889f6e69bd28.txt; 2009 Qingdao airport border inspection station yearly "
    "crossings bulletin, table 4 (persons, all directions, January to October)"
)
NOTE = (
    "the published figure counts crossings in both directions over ten months; "
    "divided by 304 days and by two for one direction, with no seasonal adjustment"
)
#: every table's right edge, and its section's, its box's overflow, and the page's
_EDGES = """[...document.querySelectorAll('table')].map(t => {
  const box = t.parentElement, section = t.closest('section');
  return {name: t.dataset.name, right: t.getBoundingClientRect().right,
          boxRight: box.getBoundingClientRect().right,
          section: section.getBoundingClientRect().right,
          scrolls: box.scrollWidth > box.clientWidth};
})"""
_PAGE = "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"


@cache
def _report() -> str:
    """The small hall, its documented figure given as a range, with a long name, source and
    note (as the shipped scenarios give theirs)."""
    data = copy.deepcopy(HALL)
    data["horizon"] = "2h"
    data["reference"][0] |= {
        "figure": "Lo Wu traveller crossings, 2019, northbound in a day",
        "unit": "travellers a day",
        "low": 11_000,
        "high": 13_000,
        "source": SOURCE,
        "note": NOTE,
    }
    return run_report_html(simulate(scenario_from_dict(data), replications=2))


def test_every_table_is_in_a_box_that_scrolls_and_long_texts_wrap() -> None:
    """The style lets a long text break anywhere and a table's box scroll sideways; each
    table is in such a box; a long source is such a text; a number keeps its interval in
    a piece of its own, which may go to the next line."""
    rules = {selector.strip(): body for selector, body in re.findall(r"([^{}]+)\{([^}]*)\}", STYLE)}
    assert "overflow-x: auto" in rules[".wide"]
    assert "max-width: 100%" in rules[".wide"]
    assert "overflow: auto" in rules[".scroll"]
    assert "overflow-wrap: anywhere" in rules["td.long"]
    assert "white-space: nowrap" in rules["td.num span"]
    assert "nowrap" not in rules["td.num, th.num"]  # a header and a cell may wrap
    page = _report()
    tables = page.count("<table")
    assert tables >= 4
    assert len(re.findall(r'<div class="(?:wide|scroll)"><table ', page)) == tables
    assert len(SOURCE) > LONG
    assert f'<td class="long">{SOURCE} — {NOTE}</td>' in page  # the note beside the source
    assert re.search(r'<td class="num"><span>[^<]+</span> <span>\([^<]+\)</span></td>', page)


@NEEDS_CHROMIUM
def test_the_documented_figures_stay_inside_their_section(tmp_path: Path) -> None:
    """At 1200 pixels, every table (the documented figures with their long source and note
    among them) ends within its section, with nothing to scroll; at 700, a table too wide
    scrolls inside its box, which ends within the section, and the page does not."""
    path = tmp_path / "report.html"
    path.write_text(_report(), encoding="utf-8")
    page = open_page(path)
    try:
        wide = page.evaluate(_EDGES)
        page.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": 700, "height": 900, "deviceScaleFactor": 1, "mobile": False},
        )
        narrow = page.evaluate(_EDGES)
        scroll_width, client_width = page.evaluate(_PAGE)
    finally:
        page.close()
    assert "documented_figures" in {t["name"] for t in wide}
    for table in wide:
        assert table["right"] <= table["section"] + 0.5, table
    assert not [t["name"] for t in wide if t["scrolls"]]  # they fit: nothing hidden
    for table in narrow:
        assert table["boxRight"] <= table["section"] + 0.5, table
    assert scroll_width <= client_width
