"""Golden results: the numbers a planner has already seen, held fixed across versions.

Each case runs one scenario file with a fixed seed and replications and keeps, in
``tests/golden/<case>.json``, the run JSON and a fingerprint of every replication's records
(a SHA-256 of each column, the row count and the first rows in full). ``test_golden.py``
holds every later version to them: records exactly, summary numbers to 1e-9 relative; new
fields may appear, existing ones keep their values; new warnings may be added to the
recorded ones (a warning is advice, not a number).

Regenerate only on purpose, and say why in the commit::

    python -m tests.golden            # rewrite every case
    python -m tests.golden CASE ...   # rewrite the named cases
"""

from __future__ import annotations

import hashlib
import json
import math
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

import portsim

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
HEAD_ROWS = 40
RELATIVE = 1e-9


@dataclass(frozen=True)
class Case:
    name: str
    file: Path
    replications: int
    seed: int
    overrides: tuple[str, ...] = ()


CASES: tuple[Case, ...] = (
    Case("luohu", ROOT / "scenarios" / "luohu_northbound_2019.yaml", 1, 2019),
    Case("hall_modes", ROOT / "scenarios" / "hall_modes.yaml", 1, 2021),
    Case("shenzhen_day", ROOT / "scenarios" / "shenzhen_2008_day.yaml", 1, 2008),
    Case("wenjindu", ROOT / "scenarios" / "wenjindu_vehicles_design_day.yaml", 2, 7),
    Case("huanggang", ROOT / "scenarios" / "huanggang_land_port_2019.yaml", 1, 2019),
    Case("shuttle_separate", GOLDEN / "scenarios" / "shuttle_modes.yaml", 2, 11),
    Case(
        "shuttle_colocated",
        GOLDEN / "scenarios" / "shuttle_modes.yaml",
        2,
        11,
        ("clearance.mode=colocated",),
    ),
    Case(
        "shuttle_cooperative",
        GOLDEN / "scenarios" / "shuttle_modes.yaml",
        2,
        11,
        ("clearance.mode=cooperative",),
    ),
    Case("lanes_closing", GOLDEN / "scenarios" / "lanes_closing.yaml", 2, 5),
    Case("land_port", GOLDEN / "scenarios" / "land_port.yaml", 2, 3),
    Case("zhejiang_hours", ROOT / "scenarios" / "zhejiang_hours.yaml", 1, 2006),
    Case(
        "spring_festival",
        ROOT / "scenarios" / "spring_festival_shenzhen.yaml",
        1,
        2026,
        ("horizon=26h",),
    ),
)


def _column_bytes(values: np.ndarray) -> bytes:
    if values.dtype.kind in "iub":
        return np.ascontiguousarray(values, dtype="<i8").tobytes()
    if values.dtype.kind == "f":
        canonical = np.where(np.isnan(values), np.nan, values).astype("<f8")
        return np.ascontiguousarray(canonical).tobytes()
    return "\x1f".join(str(v) for v in values.tolist()).encode("utf-8")


def _plain(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def fingerprint(records: portsim.Records) -> dict[str, Any]:
    """Row counts, a hash per column, and the first rows of the visit table and entities."""
    table = records.visit_table()
    columns = {name: table[name] for name, _ in portsim.VISIT_FIELDS}
    entities = {
        "entity_flow": np.asarray(records.entity_flow),
        "entity_arrival": np.asarray(records.entity_arrival),
        "entity_exit": np.asarray(records.entity_exit),
    }
    return {
        "visits": len(columns["entity"]),
        "entities": len(entities["entity_flow"]),
        "hashes": {
            name: hashlib.sha256(_column_bytes(values)).hexdigest()
            for name, values in {**columns, **entities}.items()
        },
        "head": {
            name: [_plain(v) for v in values[:HEAD_ROWS].tolist()]
            for name, values in {**columns, **entities}.items()
        },
    }


def capture(case: Case) -> dict[str, Any]:
    scenario = portsim.load_scenario(case.file, case.overrides)
    result = portsim.simulate(scenario, replications=case.replications, seed=case.seed)
    return {
        "case": case.name,
        "file": str(case.file.relative_to(ROOT)),
        "overrides": list(case.overrides),
        "replications": case.replications,
        "seed": case.seed,
        "summary": result.to_dict(),
        "records": [fingerprint(r) for r in result.records],
    }


def path_of(case: Case) -> Path:
    return GOLDEN / f"{case.name}.json"


def differences(expected: Any, actual: Any, where: str = "") -> list[str]:
    """Where ``actual`` departs from ``expected``: a missing key, another value (numbers to
    ``RELATIVE``), another length. Keys only in ``actual`` are new fields, allowed."""
    out: list[str] = []
    if where.endswith(".warnings") and isinstance(expected, list) and isinstance(actual, list):
        # warnings are advice, not numbers: a later version may add some (each recorded one
        # is still given, in order)
        remaining = iter(actual)
        missing = [w for w in expected if not any(w == a for a in remaining)]
        return [f"{where}: warning {w!r} is no longer given" for w in missing]
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{where}: expected a mapping, got {type(actual).__name__}"]
        for key, value in expected.items():
            if key not in actual:
                out.append(f"{where}.{key}: missing")
            else:
                out += differences(value, actual[key], f"{where}.{key}")
        return out
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return [f"{where}: expected a list of {len(expected)}, got {actual!r:.80}"]
        for i, (e, a) in enumerate(zip(expected, actual, strict=True)):
            out += differences(e, a, f"{where}[{i}]")
        return out
    if isinstance(expected, float) and isinstance(actual, int | float):
        if not math.isclose(expected, actual, rel_tol=RELATIVE, abs_tol=1e-12):
            return [f"{where}: expected {expected!r}, got {actual!r}"]
        return []
    if expected != actual:
        return [f"{where}: expected {expected!r}, got {actual!r}"]
    return []


def main(names: list[str]) -> None:
    chosen = [c for c in CASES if not names or c.name in names]
    unknown = set(names) - {c.name for c in CASES}
    if unknown:
        sys.exit(f"unknown cases: {', '.join(sorted(unknown))}")
    GOLDEN.mkdir(exist_ok=True)
    for case in chosen:
        data = capture(case)
        path_of(case).write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
        print(f"wrote {path_of(case).relative_to(ROOT)}")


if __name__ == "__main__":
    main(sys.argv[1:])
