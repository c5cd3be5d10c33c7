"""The docs build (``docs/build.py``): a docstring's reference to a name that does not exist
is an error, the references that resolve are written as the full names pdoc links, and the
API reference documents every name of the public API. The build writes only where it is
told (here a temporary folder)."""

from __future__ import annotations

import importlib.util
import warnings
from html.parser import HTMLParser
from pathlib import Path
from types import ModuleType

import pytest

import portsim

ROOT = Path(__file__).resolve().parent.parent


def _build() -> ModuleType:
    spec = importlib.util.spec_from_file_location("docs_build", ROOT / "docs" / "build.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build = _build()


@pytest.mark.parametrize(
    ("text", "module", "owner", "expected"),
    [
        # a name the module imports, a relative module, a class's own instance attribute
        (":class:`ScenarioError`", "portsim.scenario.load", None, "`portsim.scenario.load."),
        (":mod:`.claims`", "portsim.planning.store", None, "`portsim.planning.claims`"),
        (
            ":attr:`hours`",
            "portsim.planning.confirm",
            "portsim.planning.confirm.Judge",
            "`portsim.planning.confirm.Judge.hours`",
        ),
        # shortened with ~, and a dotted name in backquotes, kept as written
        (":class:`~portsim.engine.chunks.Sink`", "portsim.results.streaming", None, "`Sink`"),
        ("`portsim.run.tasks`", "portsim.run", None, "`portsim.run.tasks`"),
        (":class:`KeyboardInterrupt`", "portsim.cli_signals", None, "`KeyboardInterrupt`"),
        # Sphinx's "not a link" (in matplotlib's docstrings, which a chart inherits)
        (":data:`!matplotlib.axes.Axes.transAxes`", "portsim.plots", None, "`matplotlib.axes"),
    ],
)
def test_a_reference_that_resolves_is_written_as_its_full_name(
    text: str, module: str, owner: str | None, expected: str
) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert build.linked(f"See {text}.", module, owner, "here").startswith(f"See {expected}")


@pytest.mark.parametrize(
    "text",
    [
        ":func:`stops_per_travellers`",  # a misspelt function
        ":mod:`portsim.overrides`",  # a module that moved
        ":class:`~portsim.engine.recorders.Sink`",  # a class in another module
        "`portsim.run.no_such_module`",
    ],
)
def test_a_reference_to_nothing_is_an_error(text: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(build.BrokenReference, match="names nothing"):
            build.linked(f"See {text}.", "portsim.run.compare", None, "here")


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids |= {value for name, value in attrs if name == "id" and value}


@pytest.mark.slow  # the whole package imported and rendered: ten seconds or so
def test_the_api_reference_documents_the_public_api_and_fails_on_a_broken_reference(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("pdoc", reason="the docs extra: pip install -e '.[docs]'")
    page = build.build_api(tmp_path / "api")
    assert page == tmp_path / "api" / "portsim.html"
    assert (tmp_path / "api" / "index.html").exists()
    parser = _Ids()
    parser.feed(page.read_text(encoding="utf-8"))
    modules = {"theory", "plots"}  # modules: a page each
    assert set(portsim.__all__) - modules <= parser.ids
    for module in modules:
        assert (tmp_path / "api" / "portsim" / f"{module}.html").exists()
    # a docstring that names nothing fails the build
    monkeypatch.setattr(portsim.theory.erlang_c, "__doc__", "See :func:`no_such_function`.")
    with pytest.raises(SystemExit, match="warnings, each an error"):
        build.build_api(tmp_path / "again")
