"""Every command in the guide (``docs/*.md``, the ```sh blocks) runs, with fewer
replications, one worker and a shorter horizon, and succeeds."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from portsim.cli import main

ROOT = Path(__file__).resolve().parent.parent
DOCS = sorted((ROOT / "docs").glob("*.md"))
#: what makes a documented command quick in the tests
QUICK = {
    "run": ["-r", "2", "-w", "1", "--set", "horizon=8h"],
    "compare": ["-r", "2", "-w", "1", "--set", "horizon=8h"],
    "report": ["-r", "2", "-w", "1", "--set", "horizon=8h"],
}


def _commands() -> list[tuple[str, str]]:
    found = []
    for page in DOCS:
        text = page.read_text(encoding="utf-8")
        for block in re.findall(r"```sh\n(.*?)```", text, flags=re.DOTALL):
            found += [(page.name, line) for line in block.splitlines() if line.strip()]
    return found


COMMANDS = _commands()


def test_the_guide_has_commands_and_every_page_is_linked() -> None:
    assert len(COMMANDS) >= 15
    index = (ROOT / "docs" / "README.md").read_text(encoding="utf-8")
    for page in DOCS:
        assert page.name == "README.md" or f"({page.name})" in index, page.name


@pytest.mark.parametrize(("page", "line"), COMMANDS, ids=[f"{p}:{c[:60]}" for p, c in COMMANDS])
def test_a_documented_command_runs(
    page: str, line: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    words = shlex.split(line)
    assert words[0] == "portsim", f"{page}: only portsim commands belong in ```sh blocks"
    target = None
    if ">" in words:
        words, target = words[: words.index(">")], words[words.index(">") + 1]
    (tmp_path / "scenarios").symlink_to(ROOT / "scenarios")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "golden").symlink_to(ROOT / "tests" / "golden")
    monkeypatch.chdir(tmp_path)
    done = CliRunner().invoke(main, [*words[1:], *QUICK.get(words[1], [])])
    assert done.exit_code == 0, f"{page}: {line}\n{done.output}"
    if target:
        Path(target).write_text(done.stdout, encoding="utf-8")
    for flag in ("--html", "--plots"):
        if flag in words:
            assert Path(words[words.index(flag) + 1]).exists(), f"{page}: {line}"
