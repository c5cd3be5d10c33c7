"""Every example runs, so none of them rots."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.py"))
#: examples that run a day of half a million travellers or more a few times over (about a
#: minute or two on one core each; the Spring Festival's six days, three million): they run
#: here with ``--quick`` (every run cut to its first hours: each line of the script runs, its
#: numbers answer nothing; the library tests run their scenarios in full), part of the full
#: suite, not of the fast loop
QUICK = ("--quick",)
HEAVY = frozenset(
    {
        "shenzhen_2008_day.py",
        "second_line_checks.py",
        "spring_festival_2008.py",
        "luohu_trains_2019.py",
        "festival_staffing.py",
    }
)


@pytest.mark.parametrize(
    "script",
    [pytest.param(p, marks=pytest.mark.slow) if p.name in HEAVY else p for p in EXAMPLES],
    ids=[p.name for p in EXAMPLES],
)
def test_example_runs(script: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(script), "--replications", "1", *QUICK * (script.name in HEAVY)],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip()
