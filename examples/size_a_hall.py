"""Size the Hong Kong departure counters at Luohu for a service pledge.

Loads the Luohu scenario, runs it with fewer and more departure counters, and reports, for
each count, the mean and 95th-percentile wait at the departure check, and the share of
travellers who waited there at most 15 minutes (the Hong Kong residents' pledge is 98 % within
15 minutes; docs/sources.md, "Service pledges a report should test").

Run:  python examples/size_a_hall.py [--replications N]
"""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path

import numpy as np

import portsim

SCENARIO = Path(__file__).resolve().parent.parent / "scenarios" / "luohu_northbound_2019.yaml"


def with_counters(scenario: portsim.Scenario, count: int) -> portsim.Scenario:
    """The same scenario with ``count`` departure counters in the hours when most are open
    (every other field unchanged)."""

    def resize(group: portsim.LaneGroup) -> portsim.LaneGroup:
        if group.schedule is None:
            return dataclasses.replace(group, count=count)
        peak = max(entry.count for entry in group.schedule)
        return dataclasses.replace(
            group,
            schedule=tuple(
                dataclasses.replace(entry, count=count) if entry.count == peak else entry
                for entry in group.schedule
            ),
        )

    stages = tuple(
        dataclasses.replace(
            stage,
            lanes=tuple(resize(g) if g.name == "counters" else g for g in stage.lanes),
        )
        if stage.name == "hk_departure"
        else stage
        for stage in scenario.stages
    )
    return dataclasses.replace(scenario, stages=stages)


def share_within(result: portsim.SimulationResult, stage: str, limit_s: float) -> float:
    """Share of counted visits to ``stage`` whose wait was at most ``limit_s``, pooled over
    the replications (visits still waiting at the horizon count as over the limit)."""
    within = total = 0
    for rec in result.records:
        index = rec.stage_names.index(stage)
        counted = (rec.entity_arrival[rec.visit_entity] >= result.scenario.warmup) & (
            rec.visit_stage == index
        )
        wait = rec.visit_wait[counted]
        within += int(np.sum(wait <= limit_s))  # NaN (still waiting) compares False
        total += int(counted.sum())
    return within / total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=3)
    args = parser.parse_args()
    base = portsim.load_scenario(SCENARIO)
    print(f"{base.name}: departure counters against waits ({args.replications} replications)")
    print(f"{'counters':>8}  {'wait mean':>10}  {'wait p95':>9}  {'within 15 min':>13}")
    for count in (58, 62, 66, 70):
        result = portsim.simulate(with_counters(base, count), replications=args.replications)
        stage = result.summary["stages"]["hk_departure"]
        print(
            f"{count:>8}  {stage['wait_mean_s']['mean']:>8.1f} s  "
            f"{stage['wait_p95_s']['mean']:>7.1f} s  "
            f"{share_within(result, 'hk_departure', 15 * 60):>12.2%}"
        )


if __name__ == "__main__":
    main()
