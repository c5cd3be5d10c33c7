"""The scenario library: the scenarios that model the documents' ports, held against what was
published, and the guide page that shows them (``docs/scenario-library.md``).

Each library scenario runs as its file says (its seed and replications, its horizon, no
per-entity records), so that ``portsim run FILE`` prints the numbers the guide shows. From
that run come the guide's validation table for the scenario and its HTML report (built, not
committed: ``python docs/build.py library`` writes them into ``docs/_build/library/``);
``tests/test_library.py`` runs every scenario again and fails when a table drifts, writing
nothing but into a temporary folder. The sensitivity tables and "what would have to be
true" come from the scenario's example (its ``SENSITIVITY`` and ``needed``), run with the
scenario's replications; they are long runs, so the test checks only that the scenario, the
example and the replications are still those that made them (a hash in the block's marker).

Regenerate the guide's tables on purpose, and say why in the commit::

    python -m tests.library                  # the validation tables
    python -m tests.library NAME ...         # of these scenarios only
    python -m tests.library --sensitivity    # the sensitivity tables too (long)
"""

from __future__ import annotations

import hashlib
import importlib.util
import inspect
import json
import os
import re
import sys
from contextlib import nullcontext
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any
from unittest import mock

import portsim
from portsim.report.document import run_report_html
from portsim.report.validation import published_text, simulated_text, validation_sentence
from portsim.results.rows import key_of_path

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "scenario-library.md"


@dataclass(frozen=True)
class Case:
    name: str
    file: Path
    example: Path
    #: a day of half a million travellers or more: the full suite runs it, not the fast loop
    heavy: bool = False

    @property
    def command(self) -> str:
        return f"portsim run {self.file.relative_to(ROOT)}"


def _case(name: str, scenario: str, example: str, heavy: bool = False) -> Case:
    return Case(name, ROOT / "scenarios" / scenario, ROOT / "examples" / example, heavy)


CASES: tuple[Case, ...] = (
    _case("luohu_average_day", "luohu_average_day_2019.yaml", "luohu_trains_2019.py"),
    _case("huanggang_old_hall", "huanggang_old_hall_2008.yaml", "huanggang_before_after.py"),
    _case("huanggang_new_hall", "huanggang_new_hall_design.yaml", "huanggang_before_after.py"),
    _case(
        "qingdao_declarations",
        "qingdao_export_declarations_2009.yaml",
        "qingdao_declarations.py",
    ),
    _case("qingdao_baggage", "qingdao_airport_baggage_2009.yaml", "qingdao_baggage.py"),
    _case("goods_trucks_2021", "shenzhen_goods_trucks_2021.yaml", "goods_trucks_health_check.py"),
    _case(
        "shenzhen_2008_day",
        "shenzhen_2008_persons_vehicles.yaml",
        "shenzhen_2008_day.py",
        heavy=True,
    ),
    _case("second_line_2008", "shenzhen_second_line_2008.yaml", "second_line_checks.py", True),
    # six days of half a million: the full suite runs it, not the fast loop
    _case("spring_festival_2008", "spring_festival_2008.yaml", "spring_festival_2008.py", True),
    _case("zhejiang_hours_2006", "zhejiang_round_the_clock_2006.yaml", "zhejiang_hours_2006.py"),
)


def workers() -> int:
    return os.cpu_count() or 1


def run(case: Case) -> portsim.SimulationResult:
    """The scenario as its file says: its seed, replications and horizon."""
    return portsim.simulate(portsim.load_scenario(case.file), records=False, workers=workers())


def calibration_values(
    case: Case, result: portsim.SimulationResult
) -> list[tuple[dict[str, Any], list[float]]]:
    """Each calibration figure and its simulated value in each replication (the sum of the
    metrics it names)."""
    out = []
    for row in result.summary.get("reference", []):
        if row["check"] != "calibration":
            continue
        paths = [row["compare_to"]] if isinstance(row["compare_to"], str) else row["compare_to"]
        keys = [key_of_path(p) for p in paths]
        out.append((row, [sum(table[k] for k in keys if k) for table in result.tables]))
    return out


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def validation_block(result: portsim.SimulationResult) -> str:
    """The guide's table of a scenario's documented figures and their verdicts."""
    s = result.summary
    lines = [
        f"`{s['scenario']}`: {s['replications']} replications, seed {s['seed']}.",
        "",
        "| figure | check | published | simulated (95 % interval) | verdict | conf. |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    notes = []
    for row in s.figures:
        mark = ""
        if row.note:
            notes.append(row.note)
            mark = f" [{len(notes)}]"
        cells = [
            row.figure + mark,
            row.check,
            published_text(row),
            simulated_text(row),
            f"**{row.verdict}**",
            row.confidence or "-",
        ]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    lines += [""] + [f"[{k}] {note}" for k, note in enumerate(notes, 1)] + ([""] if notes else [])
    lines.append(validation_sentence(s) or "")
    return "\n".join(lines)


def _example(case: Case) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"library_{case.example.stem}", case.example)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _needs(module: ModuleType, case: Case) -> bool:
    return hasattr(module, "needed") and getattr(module, "NEEDED_FOR", None) == case.file.name


#: fields a later version added, at the value that leaves a run as it was: a dump carries
#: them (``staff: []``, each lane group's ``staff_per_lane: 1``), a run does not depend on
#: them, so what made a table is the same without them
ADDED_AT_NO_EFFECT: dict[str, object] = {"staff": [], "staff_per_lane": 1}


def _without_added(value: object) -> object:
    """``value`` (a dumped scenario) without the fields of :data:`ADDED_AT_NO_EFFECT` at
    their no-effect value, at any depth."""
    if isinstance(value, dict):
        return {
            k: _without_added(v)
            for k, v in value.items()
            if not (k in ADDED_AT_NO_EFFECT and v == ADDED_AT_NO_EFFECT[k])
        }
    if isinstance(value, list):
        return [_without_added(v) for v in value]
    return value


def sensitivity_hash(case: Case) -> str:
    """What a sensitivity block was made from: the scenario as loaded (but its name,
    description, documented figures and record of shared assumptions, which no run depends
    on), the example's assumptions and answer, and its ``needed`` when the block has one."""
    module = _example(case)
    scenario = portsim.load_scenario(case.file)
    answer, assumptions = module.SENSITIVITY[case.file.name]
    runs = portsim.dump_scenario(scenario)
    # what no run depends on (the shared assumptions' record: their values are in the fields)
    for field in ("name", "description", "reference", "assumptions"):
        runs.pop(field, None)
    made_of = {
        "scenario": _without_added(runs),
        "answer": answer,
        "assumptions": assumptions,
        "needed": inspect.getsource(module.needed) if _needs(module, case) else None,
    }
    text = json.dumps(made_of, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def sensitivity_block(case: Case) -> str:
    """The scenario's sensitivity table (and what would have to be true), as Markdown."""
    module = _example(case)
    scenario = portsim.load_scenario(case.file)
    answer, assumptions = module.SENSITIVITY[case.file.name]
    table = portsim.sensitivity(scenario, assumptions, answer, workers=workers())
    lines = [portsim.format_sensitivity(table, markdown=True)]
    if _needs(module, case):
        lines += ["", "What would have to be true:", "", *module.needed(None, workers())]
    return "\n".join(lines)


def _marker(kind: str, case: Case | None, extra: str = "") -> str:
    name = f" {case.name}" if case else ""
    return f"<!-- library:{kind}{name}{extra} -->"


END = "<!-- end -->"


def block_in_guide(kind: str, case: Case | None, text: str | None = None) -> tuple[str, str]:
    """The marker line and the content of a generated block of the guide."""
    text = GUIDE.read_text(encoding="utf-8") if text is None else text
    name = rf" {re.escape(case.name)}" if case else ""
    found = re.search(rf"(<!-- library:{kind}{name}(?: [^>]*)? -->)\n(.*?)\n{END}", text, re.S)
    if not found:
        raise LookupError(f"{GUIDE.name} has no {kind} block for {case.name if case else ''}")
    return found.group(1), found.group(2)


def _replace(text: str, kind: str, case: Case | None, content: str, extra: str = "") -> str:
    marker, old = block_in_guide(kind, case, text)
    return text.replace(
        f"{marker}\n{old}\n{END}", f"{_marker(kind, case, extra)}\n{content}\n{END}"
    )


_SENTENCE = re.compile(
    r"Validation against the published outcomes: (.+?)(?: \((.*?)\))?; calibration against "
    r"the published inputs: (.+?)(?: \((.*?)\))?\.$",
    re.M,
)


def glance_table(text: str | None = None) -> str:
    """The table of every scenario's verdicts, read from the validation blocks."""
    lines = [
        "| scenario | validation | calibration | report |",
        "| --- | --- | --- | --- |",
    ]
    for case in CASES:
        _, block = block_in_guide("validation", case, text)
        found = _SENTENCE.search(block)
        if not found:
            raise LookupError(f"no verdict in the validation block of {case.name}")
        validation, counted, calibration, _ = found.groups()
        scenario = f"[`{case.file.name}`](#{case.name.replace('_', '-')})"
        counts = f" ({counted})" if counted else ""
        report = f"`{case.name}.html`"
        lines.append(f"| {scenario} | **{validation}**{counts} | {calibration} | {report} |")
    return "\n".join(lines)


def write_report(
    case: Case, result: portsim.SimulationResult, folder: Path, images: bool = True
) -> Path:
    """``FOLDER/NAME.html``, the scenario's HTML report from the run, as ``portsim report``
    writes it (``python docs/build.py library`` writes them into ``docs/_build/library/``;
    the tests, into a temporary folder). ``images=False``: every chart drawn but none
    turned into PNG bytes (rasterizing a six-day port's charts takes seconds; the bytes
    depend on matplotlib's version, and no test reads them)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{case.name}.html"
    with mock.patch("portsim.report.html.png_bytes", _no_png) if not images else nullcontext():
        path.write_text(run_report_html(result, case.command), encoding="utf-8")
    return path


def _no_png(figure: Any) -> bytes:
    return b""


@cache
def chosen(names: tuple[str, ...]) -> tuple[Case, ...]:
    unknown = set(names) - {c.name for c in CASES}
    if unknown:
        sys.exit(f"unknown cases: {', '.join(sorted(unknown))}")
    return tuple(c for c in CASES if not names or c.name in names)


def main(arguments: list[str]) -> None:
    sensitivity = "--sensitivity" in arguments
    chosen_cases = chosen(tuple(a for a in arguments if not a.startswith("--")))
    text = GUIDE.read_text(encoding="utf-8")
    for case in chosen_cases:
        result = run(case)
        text = _replace(text, "validation", case, validation_block(result))
        print(f"{case.name}: {result.summary['validation']['verdict']}")
        if sensitivity:
            block = sensitivity_block(case)
            text = _replace(text, "sensitivity", case, block, f" {sensitivity_hash(case)}")
            print(f"{case.name}: sensitivity")
    text = _replace(text, "glance", None, glance_table(text))
    GUIDE.write_text(text, encoding="utf-8")
    print(f"wrote {GUIDE.relative_to(ROOT)}")


if __name__ == "__main__":
    main(sys.argv[1:])
