"""The scenario library (``docs/scenario-library.md``): every scenario runs as its file says,
its calibration figures come out within sampling error of the published ones, its
validation verdicts are the guide's (computed on the run, never written by hand), and its
HTML report, written into the test's temporary folder, says the verdict. Nothing is written
into the source tree: the reports people read are built by ``python docs/build.py library``
into the ignored ``docs/_build/library/``. When a table drifts, regenerate it on purpose:
``python -m tests.library NAME`` (see ``tests/library.py``)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

import portsim
from portsim.report.validation import validation_sentence
from portsim.results.figures import figure_verdict

from . import library
from .helpers import assert_mean_matches

CASES = [
    pytest.param(case, marks=pytest.mark.slow) if case.heavy else case for case in library.CASES
]
IDS = [case.name for case in library.CASES]
REGENERATE = "regenerate on purpose: python -m tests.library {}"
#: the library scenario that runs fastest
LIGHTEST = "qingdao_baggage"


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_a_library_scenario_reproduces_its_guide(case: library.Case, tmp_path: Path) -> None:
    result = library.run(case)
    summary = result.summary
    # every calibration figure within sampling error of the published one (a point, or the
    # nearest end of the published interval)
    calibrations = library.calibration_values(case, result)
    assert calibrations, "a library scenario states the published inputs it was built from"
    for row, values in calibrations:
        low = row["low"] if row["low"] is not None else row["documented"]
        high = row["high"] if row["high"] is not None else row["documented"]
        mean = sum(values) / len(values)
        assert_mean_matches(values, min(max(mean, low), high), what=row["figure"])
    # each verdict is the rule applied to the run's interval
    for row in summary["reference"]:
        expected = figure_verdict(
            row["check"], row["documented"], row["low"], row["high"], row["simulated_ci95"]
        )
        assert row["verdict"] == expected, row["figure"]
    # the guide shows this run's table
    _, block = library.block_in_guide("validation", case)
    assert library.validation_block(result) == block, REGENERATE.format(case.name)
    # and its report says the verdict (written where the test may write: its own folder)
    html = library.write_report(case, result, tmp_path, images=False).read_text("utf-8")
    sentence = validation_sentence(summary)
    assert sentence is not None
    assert sentence in _text_of(html)


def _text_of(html: str) -> str:
    """The words of an HTML page, as a reader sees them (spaces as one)."""

    class Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.parts: list[str] = []
            self.skip = 0

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.skip += tag in {"script", "style"}

        def handle_endtag(self, tag: str) -> None:
            self.skip -= tag in {"script", "style"}

        def handle_data(self, data: str) -> None:
            if not self.skip:
                self.parts.append(data)

    parser = Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


#: what a test run leaves behind by design (caches), never the tree's own files
_CACHES = {"__pycache__", ".pytest_cache", ".hypothesis", ".mypy_cache", ".ruff_cache"}


def _tree() -> dict[str, tuple[int, int]]:
    """Every file of the source tree a library test could write to, with its size and time."""
    found = {}
    for top in ("docs", "scenarios", "examples", "tests", "portsim"):
        for path in (library.ROOT / top).rglob("*"):
            if path.is_file() and not _CACHES & set(path.parts):
                stat = path.stat()
                found[str(path.relative_to(library.ROOT))] = (stat.st_size, stat.st_mtime_ns)
    return found


def test_the_library_test_writes_only_into_its_temporary_folder(tmp_path: Path) -> None:
    """The library test of the lightest scenario, run here: the source tree is as it was
    (``docs/`` included: the reports are the docs build's), and its report is in the test's
    folder."""
    case = next(c for c in library.CASES if c.name == LIGHTEST)
    before = _tree()
    test_a_library_scenario_reproduces_its_guide(case, tmp_path)
    assert _tree() == before
    assert [p.name for p in tmp_path.iterdir()] == [f"{case.name}.html"]


def test_the_glance_table_is_read_from_the_validation_blocks() -> None:
    _, table = library.block_in_guide("glance", None)
    assert table == library.glance_table(), REGENERATE.format("")
    assert table.count("\n") == len(library.CASES) + 1


@pytest.mark.parametrize("case", library.CASES, ids=IDS)
def test_a_sensitivity_table_was_made_from_the_scenario_and_example_as_they_are(
    case: library.Case,
) -> None:
    """The sensitivity tables are long runs, made by ``python -m tests.library
    --sensitivity``: the block's marker holds a hash of what made it (the scenario, the
    example's assumptions and answer, its ``needed``), which must still be what they are."""
    marker, block = library.block_in_guide("sensitivity", case)
    assert marker.endswith(f" {library.sensitivity_hash(case)} -->"), REGENERATE.format(
        f"--sensitivity {case.name}"
    )
    assert block.count("\n| ") >= 2  # a header and at least one assumption
    assert "as in the file" in block


def test_every_library_scenario_has_a_section_an_example_and_cites_its_sources() -> None:
    guide = library.GUIDE.read_text(encoding="utf-8")
    sources = (library.ROOT / "docs" / "sources.md").read_text(encoding="utf-8")
    for case in library.CASES:
        assert f'<a id="{case.name.replace("_", "-")}"></a>' in guide, case.name
        assert f"`scenarios/{case.file.name}` · `examples/{case.example.name}`" in guide
        assert case.example.exists(), case.example
        text = case.file.read_text(encoding="utf-8")
        for figure in portsim.load_scenario(case.file).reference:
            assert figure.confidence is not None, (case.name, figure.figure)
        for document in re.findall(r"\d{3}_[0-9a-f]{16}\.txt", text):
            assert document in sources, (case.name, document)
        assert "(assumed, L)" in text or "(L)" in text  # assumptions are labelled
