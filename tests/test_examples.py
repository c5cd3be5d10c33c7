"""Every example runs, so none of them rots."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.py"))
#: examples that run days of half a million travellers or more a few times over (a minute
#: or two each in full; the Spring Festival's six days are three million a replication) run
#: here with ``--quick``: every run cut to its first 8 hours, so that each line of the script
#: runs in a few seconds while its numbers answer nothing. No test runs these scripts at full
#: length; the library scenarios behind them (all but ``festival_staffing.py``'s) run in full
#: in ``tests/test_library.py``, compared with the guide's tables.
QUICK = frozenset(
    {
        "shenzhen_2008_day.py",
        "second_line_checks.py",
        "spring_festival_2008.py",
        "luohu_trains_2019.py",
        "festival_staffing.py",
    }
)


#: examples of several seconds each, left to the whole suite (the fast loop stays under two
#: and a half minutes on two idle cores)
SLOW = frozenset({"huanggang_before_after.py", "second_line_checks.py", "how_many_egates.py"})


@pytest.mark.parametrize(
    "script",
    [pytest.param(p, marks=pytest.mark.slow) if p.name in SLOW else p for p in EXAMPLES],
    ids=[p.name for p in EXAMPLES],
)
def test_example_runs(script: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(script), "--replications", "1", *["--quick"] * (script.name in QUICK)],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip()
