"""Every command in the guide (``docs/*.md``, the ```sh blocks) runs, with fewer
replications, one worker and a shorter horizon, and succeeds; the commands of one block run
in order in one folder (a plan with ``--store``, then ``--resume`` and ``report`` on its
store). The Python example of the Dask page runs on a local cluster."""

from __future__ import annotations

import importlib.util
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from portsim.cli import main

ROOT = Path(__file__).resolve().parent.parent
DOCS = sorted((ROOT / "docs").glob("*.md"))
#: what makes a documented command quick in the tests
SHORT = ["-r", "2", "-w", "1", "--set", "horizon=8h"]
SEARCH = ["-r", "2", "-w", "1", "--max-replications", "4"]
QUICK = {
    "run": SHORT,
    "compare": SHORT,
    "report": SHORT,
    "sweep": ["-r", "2", "-w", "1"],
    "plan": SEARCH,
    "capacity": SEARCH,
    "animate": ["--set", "horizon=8h", "--step", "1h"],
}
#: pages whose ```python blocks run in the tests (as scripts, in a scratch folder)
RUNNABLE_PYTHON = {"howto-dask.md": "dask.distributed"}


def _blocks(language: str) -> list[tuple[str, str]]:
    found = []
    for page in DOCS:
        text = page.read_text(encoding="utf-8")
        found += [(page.name, b) for b in re.findall(rf"```{language}\n(.*?)```", text, re.DOTALL)]
    return found


BLOCKS = _blocks("sh")
COMMANDS = [(page, line) for page, block in BLOCKS for line in block.splitlines() if line.strip()]


def test_the_guide_has_commands_and_every_page_is_linked() -> None:
    assert len(COMMANDS) >= 15
    index = (ROOT / "docs" / "README.md").read_text(encoding="utf-8")
    for page in DOCS:
        assert page.name == "README.md" or f"({page.name})" in index, page.name


def _scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A folder with the scenarios, the examples and the golden files where the guide says."""
    (tmp_path / "scenarios").symlink_to(ROOT / "scenarios")
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "golden").symlink_to(ROOT / "tests" / "golden")
    monkeypatch.chdir(tmp_path)


def _run(page: str, line: str) -> None:
    words = shlex.split(line)
    assert words[0] == "portsim", f"{page}: only portsim commands belong in ```sh blocks"
    target = None
    if ">" in words:
        words, target = words[: words.index(">")], words[words.index(">") + 1]
    quick = QUICK.get(words[1], [])
    if words[1] == "report" and words[2].endswith(".db"):  # a store: reported as it was run
        quick = []
    if "--from-state" in words:  # a forecast from a clock time keeps its horizon (it is short)
        quick = [flag for flag in quick if flag not in ("--set", "horizon=8h")]
    done = CliRunner().invoke(main, [*words[1:], *quick])
    assert done.exit_code == 0, f"{page}: {line}\n{done.output}"
    if target:
        Path(target).write_text(done.stdout, encoding="utf-8")
    for flag in ("--html", "--plots", "--csv", "--out"):
        if flag in words:
            assert Path(words[words.index(flag) + 1]).exists(), f"{page}: {line}"


@pytest.mark.parametrize(
    ("page", "block"), BLOCKS, ids=[f"{p}:{b.strip()[:60]}" for p, b in BLOCKS]
)
def test_a_documented_block_of_commands_runs(
    page: str, block: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _scratch(tmp_path, monkeypatch)
    for line in block.splitlines():
        if line.strip():
            _run(page, line)


PYTHON = [(p, b) for p, b in _blocks("python") if p in RUNNABLE_PYTHON]


@pytest.mark.parametrize(("page", "code"), PYTHON, ids=[p for p, _ in PYTHON])
def test_a_documented_python_example_runs(
    page: str, code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if importlib.util.find_spec(RUNNABLE_PYTHON[page].split(".")[0]) is None:
        pytest.skip(f"{page}: needs {RUNNABLE_PYTHON[page]} (the test extra installs it)")
    _scratch(tmp_path, monkeypatch)
    script = tmp_path / "example.py"
    script.write_text(code, encoding="utf-8")
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
        env={**os.environ, "PYTHONPATH": path},
    )
    assert done.returncode == 0, f"{page}:\n{done.stderr[-3000:]}"
    assert done.stdout.strip()


#: a Markdown link: [text](target), the target without a title
_LINK = re.compile(r"\]\(([^)\s]+)\)")


def _anchor(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens."""
    words = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return words.replace(" ", "-")


def _anchors(page: Path) -> set[str]:
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.DOTALL)
    return {_anchor(h) for h in re.findall(r"^#+ (.+)$", text, re.MULTILINE)} | set(
        re.findall(r'<a id="([^"]+)"></a>', text)
    )


def test_every_link_of_the_readme_and_the_guide_leads_somewhere() -> None:
    """Each relative link names a file kept in the repository (never one the docs build
    makes: those are named with the command that builds them) and, after ``#``, a heading
    of it."""
    broken, checked = [], 0
    for page in [ROOT / "README.md", *DOCS]:
        text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.DOTALL)
        for target in _LINK.findall(text):
            if re.match(r"[a-z]+:", target):  # https:, mailto:
                continue
            checked += 1
            path, _, anchor = target.partition("#")
            file = (page.parent / path).resolve() if path else page
            if not file.exists() or "_build" in file.parts:
                broken.append(f"{page.name}: {target}")
            elif anchor and file.suffix == ".md" and anchor not in _anchors(file):
                broken.append(f"{page.name}: {target} (no such heading)")
    assert checked >= 40  # the README's map of the guide, the guide's index and its pages
    assert broken == []
