"""The library's shared assumptions calibrated jointly, and validated only on what was not
fitted (``docs/scenario-library.md``, "Shared assumptions").

The land-port scenarios take the inputs no source publishes from ``scenarios/common/
assumptions.yaml``. Here, for every assumption in that file that one of them references
(any name: the file and the scenarios are read, not a list here; :func:`cases`):

* **a joint score**: the documented figures of several scenarios at once, each figure's miss
  (how far the simulated mean lies outside what the publication allows, relative to the
  published figure) squared and summed;
* **a small search**: coordinate descent from the file's values over each assumption's grid
  (:func:`tests.calibration_search.grid`: its ends, its value and round steps between, at
  most eight or nine points), one assumption at a time, until a round moves nothing; a tie
  goes to the value nearest the file's. Why not the full grid: the product of the grids is
  8 x 6 x 8 x 7 points, 544 runs even with each scenario run once for what it uses (Luohu
  alone 384), and the Spring Festival (six days of half a million travellers, 40 s to a
  minute a run) uses two of the assumptions: its 2-D grid alone is 56 runs, near an hour.
  The descent, with what the figures can tell, makes 144 runs (30 of the Spring Festival);
* **runs cached by what they use**: a scenario's outcome depends only on the assumptions it
  references (``portsim show`` lists them; :attr:`portsim.Scenario.assumptions` holds
  them), so every run is kept under (scenario, the values it uses) and never made again for
  a value it does not use: a line over the e-gate time re-runs Luohu alone, and the searches
  below share every run. Each run takes the scenario's own seed (common random numbers: two
  points differ only by the values) and :data:`REPLICATIONS` replications;
* **what the figures can tell**: for each assumption at the chosen point, the stretch of its
  grid whose *profile* (the least score with that value, the other assumptions chosen
  again) is within :data:`TOLERANCE` of the least. When the stretch is the whole range the
  figures cannot tell the assumption, and the table says so rather than a value: nothing
  depends on it (a flat score), or another assumption makes up for it (confounded: at the
  Spring Festival alone, capacity goes with staffed share / counter time);
* **leave one port out**: the search again on every scenario but one, and that scenario's
  validation verdicts at the values chosen on the others only, so that no verdict is
  scored on what was fitted;
* **the ranges**: each validation verdict with each shared assumption at its low and its high
  end, everything else as in the file: which conclusions survive the guesses (from the
  same cache).

It lives with the library tooling (not in :mod:`portsim.planning`): it reads the library's
documented figures, writes the guide's tables and is held by a test, as ``tests/library.py``
is; the general capability underneath (a sweep with common random numbers) is already
``portsim sweep``. Regenerate on purpose, and say why in the commit::

    nice -n 5 python -m tests.calibration      # 144 runs, 26 CPU minutes (the Spring
                                               # Festival's 30 runs 19 of them): 23 min on
                                               # the 2 shared cores at a load of 5
    nice -n 5 python -m tests.calibration --store /tmp/runs.jsonl   # resumable
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import portsim
from portsim.scenario.assumptions import KEY, Assumption, read_assumptions
from portsim.scenario.yaml_io import load_yaml

from . import calibration_search, library
from .calibration_search import Part, Point, Score, Space, Told
from .calibration_tables import Outcome, Outcomes, ranges_block, shown, told_text, verdict_text

ASSUMPTIONS = library.ROOT / "scenarios" / "common" / "assumptions.yaml"
#: replications at every point (the scenarios' own seeds): few, to keep the search cheap
REPLICATIONS = 3
#: a joint score within this of the least is as good: one figure missed by a tenth of itself
TOLERANCE = 0.01


#: a scenario's outcomes with values for the shared assumptions it uses
Runner = Callable[[Path, Mapping[str, float]], Outcomes]
#: a run: the case and the values of the assumptions it uses, by name
Key = tuple[str, tuple[tuple[str, float], ...]]


def grid(assumption: Assumption) -> tuple[float, ...]:
    """The points of an assumption's range searched: its ends, its value, round steps."""
    return calibration_search.grid(assumption.low, assumption.high, assumption.value)


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
    # a process a replication: with two workers the third runs alone, one core idle (the
    # numbers do not depend on the workers)
    workers = max(library.workers(), REPLICATIONS)
    result = portsim.simulate(scenario, records=False, workers=workers)
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


class Runs:
    """Every case's outcomes, run once for each set of values *it uses* (``used``: the
    assumptions each case references), whatever the other assumptions are. With a
    ``store`` (a file of JSON lines), each run is also kept there under ``tag`` (the
    tables' hash) and taken back from it: an interrupted calibration resumes."""

    def __init__(
        self,
        files: Mapping[str, Path],
        used: Mapping[str, set[str]],
        runner: Runner,
        store: Path | None = None,
        tag: str = "",
    ) -> None:
        self.files = dict(files)
        self.used = {case: set(names) for case, names in used.items()}
        self.runner = runner
        self.cache: dict[Key, Outcomes] = {}
        self.asked: set[Key] = set()
        self.seconds: dict[str, float] = {}
        #: how long each run took (when made now or kept with its time)
        self.took: dict[Key, float] = {}
        self.store, self.tag = store, tag
        if store is not None and store.exists():
            for line in store.read_text("utf-8").splitlines():
                kept = json.loads(line)
                if kept["tag"] == tag:
                    key = (kept["case"], tuple((n, v) for n, v in kept["values"]))
                    self.cache[key] = tuple(Outcome(**o) for o in kept["outcomes"])
                    self.took[key] = kept.get("seconds", 0.0)

    def outcomes(self, case: str, point: Point) -> Outcomes:
        """The case's outcomes at ``point`` (the values of the assumptions it uses)."""
        key = (case, tuple(sorted((n, point[n]) for n in self.used[case])))
        self.asked.add(key)
        if key not in self.cache:
            began = time.perf_counter()
            self.cache[key] = self.runner(self.files[case], dict(key[1]))
            took = time.perf_counter() - began
            self.took[key] = took
            self.seconds[case] = self.seconds.get(case, 0.0) + took
            print(f"{case} {dict(key[1])}: {took:.0f} s", file=sys.stderr, flush=True)
            if self.store is not None:
                kept = {"tag": self.tag, "case": case, "values": key[1], "seconds": took}
                kept["outcomes"] = [asdict(o) for o in self.cache[key]]
                with self.store.open("a", encoding="utf-8") as out:
                    out.write(json.dumps(kept) + "\n")
        return self.cache[key]

    def cost(self, case: str) -> float:
        """The seconds a run of ``case`` took on average (0 before one)."""
        times = [t for (c, _), t in self.took.items() if c == case]
        return sum(times) / len(times) if times else 0.0

    def count(self, case: str | None = None) -> int:
        """How many runs the searches asked for (of ``case``), each made once."""
        return sum(1 for c, _ in self.asked if case in (None, c))

    def score(self, cases: Sequence[str]) -> Score:
        """The joint score of ``cases`` at a point."""
        return lambda point: sum(score(self.outcomes(c, point)) for c in cases)


@dataclass(frozen=True)
class Calibration:
    """A joint search on some cases: the values chosen and what their figures tell of each
    assumption."""

    cases: tuple[str, ...]
    values: Mapping[str, float]
    told: tuple[Told, ...]

    def of(self, name: str) -> Told:
        return next(t for t in self.told if t.name == name)


def searched(assumptions: Mapping[str, Assumption], runs: Runs) -> dict[str, Assumption]:
    """The assumptions some case uses, in the file's order."""
    return {n: a for n, a in assumptions.items() if any(n in u for u in runs.used.values())}


def calibrate(
    runs: Runs, cases: Sequence[str], assumptions: Mapping[str, Assumption]
) -> Calibration:
    """The joint search on ``cases`` over every assumption some case uses."""
    chosen = searched(assumptions, runs)
    pairs = {
        (a, b)
        for a in chosen
        for b in chosen
        if a < b and any({a, b} <= runs.used[c] for c in cases)
    }
    home = {n: a.value for n, a in chosen.items()}
    for case in cases:  # the first runs: how long each case takes, for the cheapest first
        runs.outcomes(case, home)
    by_cost = sorted(cases, key=lambda c: (runs.cost(c), c))
    space = Space(
        grids={n: grid(a) for n, a in chosen.items()},
        home=home,
        pairs=tuple(sorted(pairs)),
        parts=tuple(Part(frozenset(runs.used[c]), runs.score([c])) for c in by_cost),
    )
    values, told = calibration_search.search(runs.score(cases), space, TOLERANCE)
    return Calibration(tuple(cases), values, told)


def leave_one_out(runs: Runs, assumptions: Mapping[str, Assumption]) -> dict[str, Calibration]:
    """Each case's calibration on the *other* cases' figures only."""
    return {
        held: calibrate(runs, [c for c in runs.files if c != held], assumptions)
        for held in runs.files
    }


def _runs_text(runs: Runs) -> str:
    each = ", ".join(f"{runs.count(c)} of `{c}`" for c in runs.files)
    return f"{runs.count()} scenario runs in all ({each})"


def lopo_block(
    runs: Runs,
    assumptions: Mapping[str, Assumption],
    together: Calibration,
    held: Mapping[str, Calibration],
) -> str:
    """The leave-one-port-out table, as Markdown."""
    names = searched(assumptions, runs)
    home = {n: a.value for n, a in names.items()}
    grids = "; ".join(f"`{n}` {', '.join(shown(a, v) for v in grid(a))}" for n, a in names.items())
    chosen = "; ".join(f"`{n}` {told_text(a, together.of(n))}" for n, a in names.items())
    lines = [
        f"Coordinate descent from the file's values over the grids {grids}; "
        f"{REPLICATIONS} replications a run, each scenario's own seed at every point (common "
        f"random numbers); a joint score within {TOLERANCE:g} of the least does as well; "
        f"{_runs_text(runs)}. Chosen on all {len(runs.files)} together: {chosen}.",
        "",
        "| scenario (held out) | chosen on the others | its validation there "
        "| at the file's values |",
        "| --- | --- | --- | --- |",
    ]
    for case, calibration in held.items():
        uses = [n for n in names if n in runs.used[case]]
        cell = ", ".join(f"`{n}` {told_text(names[n], calibration.of(n))}" for n in uses)
        there = verdict_text(runs.outcomes(case, calibration.values))
        at_file = verdict_text(runs.outcomes(case, home))
        lines.append(f"| `{case}` | {cell} | {there} | {at_file} |")
    return "\n".join(lines)


def ranges_of(runs: Runs, assumptions: Mapping[str, Assumption]) -> str:
    """The ranges table from the runs: the file's values, and each end of each range."""
    home = {n: a.value for n, a in searched(assumptions, runs).items()}
    base = {case: runs.outcomes(case, home) for case in runs.files}
    ends = {
        (case, f"{n}:{end}"): runs.outcomes(case, {**home, n: value})
        for case in runs.files
        for n in sorted(runs.used[case])
        for end, value in (("low", assumptions[n].low), ("high", assumptions[n].high))
    }
    return ranges_block(base, ends, assumptions, runs.used)


def cases() -> dict[str, Path]:
    """The library scenarios that take shared assumptions (those that name the file at their
    top: today the five land ports), whichever assumptions they reference."""
    return {
        c.name: c.file
        for c in library.CASES
        if KEY in load_yaml(c.file.read_text(encoding="utf-8"))
    }


def made_of() -> str:
    """What the tables were made from: the assumptions' file, the cases' scenarios and this
    module's settings (a hash in the blocks' markers)."""
    parts = {
        "assumptions": ASSUMPTIONS.read_text("utf-8"),
        "scenarios": {n: f.read_text("utf-8") for n, f in cases().items()},
        "settings": [
            "coordinate descent",
            calibration_search.MOST_STEPS,
            REPLICATIONS,
            TOLERANCE,
        ],
    }
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def blocks(runner: Runner = run_outcomes, store: Path | None = None) -> tuple[str, str]:
    """The two tables of the guide: leave one port out, and the verdicts at the ranges' ends
    (``store``: a file that keeps the runs, see :class:`Runs`)."""
    assumptions = read_assumptions(ASSUMPTIONS)
    files = cases()
    used = {
        case: {u.name for u in portsim.load_scenario(f).assumptions or ()}
        for case, f in files.items()
    }
    runs = Runs(files, used, runner, store, made_of())
    together = calibrate(runs, list(files), assumptions)
    print(f"together: {dict(together.values)} {together.told}", flush=True)
    held = {}
    for case in files:
        held[case] = calibrate(runs, [c for c in files if c != case], assumptions)
        print(f"without {case}: {dict(held[case].values)} {held[case].told}", flush=True)
    ranges = ranges_of(runs, assumptions)
    seconds = ", ".join(f"{c} {s:.0f} s" for c, s in runs.seconds.items())
    print(f"{_runs_text(runs)}; {seconds}", flush=True)
    return lopo_block(runs, assumptions, together, held), ranges


def main(arguments: list[str]) -> None:
    """``python -m tests.calibration [--store FILE]``: the tables, written into the guide."""
    store = Path(arguments[1]) if arguments[:1] == ["--store"] else None
    lopo, ranges = blocks(store=store)
    print(lopo, ranges, sep="\n\n", flush=True)  # first: a long run is never lost
    text = library.GUIDE.read_text(encoding="utf-8")
    extra = f" {made_of()}"
    text = library._replace(text, "lopo", None, lopo, extra)
    text = library._replace(text, "ranges", None, ranges, extra)
    library.GUIDE.write_text(text, encoding="utf-8")
    print(f"wrote {library.GUIDE.relative_to(library.ROOT)}")


if __name__ == "__main__":
    main(sys.argv[1:])
