"""Runs saved by ``plan``: the cheapest mix of e-gates (4..16) and counters (8..12) for
``examples/egates_hall.yaml`` that meets "95 % within 30 min in every hour" and "visitors'
95th percentile within 20 min", found by the monotone search and by judging the whole grid
(65 configurations), with the same statistical rule: the answers, the configurations judged,
the replications simulated and the wall time of each (one worker, in this process).

Run: python benchmarks/plan_runs.py [--quick]

Quick (``--quick``): e-gates 6..8 x counters 10, 2 to 3 replications, on the hall at a
hundredth of its travellers.
"""

from __future__ import annotations

import time

from _harness import HALL_QUICK, HERE, QUICK, say_quick

import portsim

HALL = HERE.parent / "examples" / "egates_hall.yaml"
VARY = {
    "egates:stages.hall.lanes.egates.count": "6:8" if QUICK else "4:16",
    "counters:stages.hall.lanes.counters.count": "10" if QUICK else "8:12",
}
#: replications to start with, and at most
REPLICATIONS, MOST = (2, 3) if QUICK else (3, 12)
TARGETS = ["share_within(30min)>=95% each hour", "visitors.wait_p95<=20min"]


def planned(exhaustive: bool) -> tuple[portsim.PlanResult, float]:
    start = time.perf_counter()
    result = portsim.plan(
        portsim.load_scenario(
            HALL, [a.removeprefix("--set=") for a in HALL_QUICK] if QUICK else ()
        ),
        VARY,
        TARGETS,
        cost="egates=0.3,counters=1",
        replications=REPLICATIONS,
        max_replications=MOST,
        exhaustive=exhaustive,
        workers=1,
    )
    assert isinstance(result, portsim.PlanResult)
    return result, time.perf_counter() - start


def main() -> None:
    say_quick()
    egates, counters = (VARY[k].replace(":", "..") for k in VARY)
    print(
        f"plan on {HALL.name}: e-gates {egates} x counters {counters}, "
        f"{REPLICATIONS} to {MOST} replications"
    )
    for label, (result, wall) in (("search", planned(False)), ("whole grid", planned(True))):
        chosen = result.chosen.configuration.label() if result.chosen else "none"
        print(
            f"{label:<10} answer {chosen:<22} judged {len(result.judged):>3} of "
            f"{result.grid_configurations}  runs {result.simulated:>4}  wall {wall:6.1f} s"
        )


if __name__ == "__main__":
    main()
