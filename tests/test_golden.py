"""Same file, seed and replications: the same numbers in every later version.

The expected results in ``tests/golden/`` were recorded by ``python -m tests.golden`` and are
regenerated only on purpose, with the reason in the commit (see the promise in
``docs/development.md``).
"""

from __future__ import annotations

import json

import pytest

from .golden import CASES, Case, capture, differences, path_of


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden_results_are_unchanged(case: Case) -> None:
    expected = json.loads(path_of(case).read_text())
    actual = json.loads(json.dumps(capture(case)))
    for e, a in zip(expected["records"], actual["records"], strict=True):
        assert a["visits"] == e["visits"], "another number of stage visits"
        assert a["entities"] == e["entities"], "another number of entities"
        for name, digest in e["hashes"].items():
            if a["hashes"].get(name) != digest:
                head = differences(e["head"].get(name), a["head"].get(name), name)
                pytest.fail(f"records column {name!r} changed; first rows: {head[:5]}")
    problems = differences(expected["summary"], actual["summary"], "summary")
    assert not problems, "\n".join(problems[:20])
