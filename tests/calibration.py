"""The library's shared assumptions calibrated jointly, and validated only on what was not
fitted (``docs/scenario-library.md``, "Shared assumptions").

The land-port scenarios take the inputs no source publishes from ``scenarios/common/
assumptions.yaml``. Here:

* **a grid** over one shared assumption's range (the land-port counter time, the one every
  land-port scenario hinges on), each point run with the scenario's own seed (common random
  numbers: the points differ only by the value) and :data:`REPLICATIONS` replications;
* **a joint score**: the documented figures of several scenarios at once, each figure's miss
  (how far the simulated mean lies outside what the publication allows, relative to the
  published figure) squared and summed; the value with the least score is chosen, a tie
  going to the value nearest the file's (a flat score says the figures cannot tell);
* **leave one port out**: each scenario's validation verdicts at the value chosen on the
  *other* scenarios' figures only, so that no verdict is scored on what was fitted;
* **the ranges**: each validation verdict with each shared assumption at its low and its high
  end, everything else as in the file: which conclusions survive the guesses.

It lives with the library tooling (not in :mod:`portsim.planning`): it reads the library's
documented figures, writes the guide's tables and is held by a test, as ``tests/library.py``
is; the general capability underneath (a sweep with common random numbers) is already
``portsim sweep``. Regenerate on purpose, and say why in the commit::

    python -m tests.calibration      # a few minutes: every point of the grid, every case
"""

from __future__ import annotations

import hashlib
import json
import math
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import portsim
from portsim.results.figures import CANNOT_TELL, NOT_REPRODUCED, REPRODUCED
from portsim.scenario.assumptions import Assumption, read_assumptions

from . import library

ASSUMPTIONS = library.ROOT / "scenarios" / "common" / "assumptions.yaml"
#: the assumption the grid calibrates, and its points (seconds): the range in 5 s steps
CALIBRATED = "land_counter_time"
STEP = 5.0
#: replications at every point (the scenarios' own seeds): few, to keep the grid cheap
REPLICATIONS = 3
#: the library scenarios that take shared assumptions (the land ports)
CASE_NAMES = (
    "luohu_average_day",
    "huanggang_old_hall",
    "huanggang_new_hall",
    "shenzhen_2008_day",
    "spring_festival_2008",
)


@dataclass(frozen=True)
class Outcome:
    """One documented figure at one point: its kind, verdict and relative miss."""

    figure: str
    check: str
    verdict: str
    #: how far the simulated mean lies outside what the publication allows, relative to the
    #: published figure (0 inside)
    miss: float


Outcomes = tuple[Outcome, ...]
Runner = Callable[[Path, Mapping[str, float]], Outcomes]


def grid(assumption: Assumption, step: float = STEP) -> tuple[float, ...]:
    """The points of an assumption's range: low, low + step, ... up to high."""
    count = math.floor((assumption.high - assumption.low) / step + 1e-9)
    points = [assumption.low + k * step for k in range(count + 1)]
    return tuple(points if points[-1] == assumption.high else [*points, assumption.high])


def miss(mean: float, documented: float, low: float | None, high: float | None) -> float:
    """How far ``mean`` lies outside what the publication allows, relative to the figure."""
    lo, hi = (documented, documented) if low is None and high is None else (low, high)
    below = (lo - mean) if lo is not None else 0.0
    above = (mean - hi) if hi is not None else 0.0
    return max(below, above, 0.0) / max(abs(documented), 1e-9)


def run_outcomes(file: Path, values: Mapping[str, float]) -> Outcomes:
    """The scenario's documented figures with ``values`` for its shared assumptions, its own
    seed and :data:`REPLICATIONS` replications."""
    scenario = portsim.load_scenario(file, assumptions=values)
    scenario = replace(scenario, replications=REPLICATIONS)
    result = portsim.simulate(scenario, records=False, workers=library.workers())
    return tuple(
        Outcome(
            f.figure,
            f.check,
            f.verdict,
            miss(f.simulated.mean, f.documented, f.low, f.high),
        )
        for f in result.summary.figures
    )


def score(outcomes: Outcomes) -> float:
    """The sum of the squared relative misses of every documented figure."""
    return sum(o.miss**2 for o in outcomes)


def choose(
    table: Mapping[str, Mapping[float, Outcomes]], cases: Sequence[str], nearest_to: float
) -> float:
    """The point whose joint score over ``cases`` is least, a tie going to the point nearest
    ``nearest_to`` (then the lower)."""
    points = sorted(next(iter(table.values())))
    totals = {v: sum(score(table[c][v]) for c in cases) for v in points}
    best = min(totals.values())
    tied = [v for v in points if totals[v] <= best + 1e-12]
    return min(tied, key=lambda v: (abs(v - nearest_to), v))


def run_grid(
    files: Mapping[str, Path], name: str, points: Sequence[float], runner: Runner = run_outcomes
) -> dict[str, dict[float, Outcomes]]:
    """Every case at every point of the grid."""
    return {case: {v: runner(file, {name: v}) for v in points} for case, file in files.items()}


def leave_one_out(
    table: Mapping[str, Mapping[float, Outcomes]], nearest_to: float
) -> dict[str, float]:
    """Each case's value, chosen on the other cases' figures only."""
    return {held: choose(table, [c for c in table if c != held], nearest_to) for held in table}


def verdict_text(outcomes: Outcomes) -> str:
    """``not reproduced (1 reproduced, 1 not reproduced)`` over the validation figures."""
    verdicts = [o.verdict for o in outcomes if o.check == "validation"]
    if not verdicts:
        return "nothing to validate"
    order = (REPRODUCED, CANNOT_TELL, NOT_REPRODUCED)
    counts = ", ".join(f"{verdicts.count(v)} {v}" for v in order if v in verdicts)
    overall = next(v for v in reversed(order) if v in verdicts)
    return f"{overall} ({counts})"


def _seconds(value: float) -> str:
    return f"{value:g} s"


def _shown(a: Assumption, value: float) -> str:
    return _seconds(value) if a.kind == "duration" else f"{value:g}"


def lopo_block(table: Mapping[str, Mapping[float, Outcomes]], assumption: Assumption) -> str:
    """The leave-one-port-out table, as Markdown."""
    chosen = leave_one_out(table, assumption.value)
    together = choose(table, list(table), assumption.value)
    lines = [
        f"`{assumption.name}` on a grid of {_seconds(STEP)} over "
        f"{_shown(assumption, assumption.low)} – {_shown(assumption, assumption.high)}; "
        f"{REPLICATIONS} replications a point, each "
        "scenario's own seed at every point (common random numbers). Chosen on all five "
        f"together: {_shown(assumption, together)}.",
        "",
        "| scenario (held out) | chosen on the others | its validation there | at the file's "
        f"{_shown(assumption, assumption.value)} |",
        "| --- | --- | --- | --- |",
    ]
    for case, value in chosen.items():
        at_file = table[case][assumption.value]
        lines.append(
            f"| `{case}` | {_shown(assumption, value)} | {verdict_text(table[case][value])} "
            f"| {verdict_text(at_file)} |"
        )
    return "\n".join(lines)


_MARK = {REPRODUCED: "✓", NOT_REPRODUCED: "✗", CANNOT_TELL: "?"}


def ranges_block(
    base: Mapping[str, Outcomes],
    ends: Mapping[tuple[str, str], Outcomes],
    assumptions: Mapping[str, Assumption],
    used: Mapping[str, set[str]],
) -> str:
    """Each validation verdict at each shared assumption's low and high end (``ends`` by
    (case, assumption name + ``:low``/``:high``)), as Markdown."""
    names = [n for n in assumptions if any(n in u for u in used.values())]
    head = ["scenario: figure", "as in the file"]
    for n in names:
        a = assumptions[n]
        head += [f"{n} {_shown(a, a.low)}", f"{_shown(a, a.high)}"]
    lines = ["| " + " | ".join([*head, "holds?"]) + " |", "|" + " --- |" * (len(head) + 1)]
    for case, outcomes in base.items():
        for k, o in enumerate(outcomes):
            if o.check != "validation":
                continue
            cells = [f"`{case}`: {o.figure}", _MARK[o.verdict]]
            seen = {o.verdict}
            for n in names:
                for end in ("low", "high"):
                    if n not in used[case]:
                        cells.append("·")
                        continue
                    verdict = ends[(case, f"{n}:{end}")][k].verdict
                    seen.add(verdict)
                    cells.append(_MARK[verdict])
            cells.append("yes" if len(seen) == 1 else "no")
            lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines)


def cases() -> dict[str, Path]:
    return {c.name: c.file for c in library.CASES if c.name in CASE_NAMES}


def made_of() -> str:
    """What the tables were made from: the assumptions' file, the cases' scenarios and this
    module's settings (a hash in the blocks' markers)."""
    parts = {
        "assumptions": ASSUMPTIONS.read_text("utf-8"),
        "scenarios": {n: f.read_text("utf-8") for n, f in cases().items()},
        "settings": [CALIBRATED, STEP, REPLICATIONS],
    }
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def blocks() -> tuple[str, str]:
    """The two tables of the guide: leave one port out, and the verdicts at the ranges' ends."""
    assumptions = read_assumptions(ASSUMPTIONS)
    calibrated = assumptions[CALIBRATED]
    files = cases()
    table = run_grid(files, CALIBRATED, grid(calibrated))
    used = {
        case: {u.name for u in portsim.load_scenario(f).assumptions or ()}
        for case, f in files.items()
    }
    base = {case: table[case][calibrated.value] for case in files}
    ends: dict[tuple[str, str], Outcomes] = {}
    for case, file in files.items():
        for name in sorted(used[case]):
            a = assumptions[name]
            for end, value in (("low", a.low), ("high", a.high)):
                if name == CALIBRATED:
                    ends[(case, f"{name}:{end}")] = table[case][value]
                else:
                    ends[(case, f"{name}:{end}")] = run_outcomes(file, {name: value})
    return lopo_block(table, calibrated), ranges_block(base, ends, assumptions, used)


def main(arguments: list[str]) -> None:
    lopo, ranges = blocks()
    print(lopo, ranges, sep="\n\n", flush=True)  # first: a long run is never lost
    text = library.GUIDE.read_text(encoding="utf-8")
    extra = f" {made_of()}"
    text = library._replace(text, "lopo", None, lopo, extra)
    text = library._replace(text, "ranges", None, ranges, extra)
    library.GUIDE.write_text(text, encoding="utf-8")
    print(f"wrote {library.GUIDE.relative_to(library.ROOT)}")


if __name__ == "__main__":
    main(sys.argv[1:])
