"""Runs saved by ``plan``: the cheapest mix of e-gates (4..16) and counters (8..12) for
``examples/egates_hall.yaml`` that meets "95 % within 30 min in every hour" and "visitors'
95th percentile within 20 min", found by the monotone search and by judging the whole grid
(65 configurations), with the same statistical rule: the answers, the configurations judged,
the replications simulated and the wall time of each (one worker, in this process).

Run: python benchmarks/plan_runs.py
"""

from __future__ import annotations

import time

from _harness import HERE

import portsim

HALL = HERE.parent / "examples" / "egates_hall.yaml"
VARY = {
    "egates:stages.hall.lanes.egates.count": "4:16",
    "counters:stages.hall.lanes.counters.count": "8:12",
}
TARGETS = ["share_within(30min)>=95% each hour", "visitors.wait_p95<=20min"]


def planned(exhaustive: bool) -> tuple[portsim.PlanResult, float]:
    start = time.perf_counter()
    result = portsim.plan(
        portsim.load_scenario(HALL),
        VARY,
        TARGETS,
        cost="egates=0.3,counters=1",
        replications=3,
        max_replications=12,
        exhaustive=exhaustive,
        workers=1,
    )
    assert isinstance(result, portsim.PlanResult)
    return result, time.perf_counter() - start


def main() -> None:
    print(f"plan on {HALL.name}: e-gates 4..16 x counters 8..12, 3 to 12 replications")
    for label, (result, wall) in (("search", planned(False)), ("whole grid", planned(True))):
        chosen = result.chosen.configuration.label() if result.chosen else "none"
        print(
            f"{label:<10} answer {chosen:<22} judged {len(result.judged):>3} of "
            f"{result.grid_configurations}  runs {result.simulated:>4}  wall {wall:6.1f} s"
        )


if __name__ == "__main__":
    main()
