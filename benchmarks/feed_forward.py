"""What a feed-forward solver would give the M/M/10 run of ``mmc.py``: an experiment, not a
part of portsim.

One first-come-first-served queue before lanes that never open or close is a recursion
(Kiefer and Wolfowitz, 1955): each traveller, in order of arrival, starts at its arrival if a
lane is idle (the lowest-numbered idle one, as portsim's lanes take them) or else when the
first busy lane frees, and leaves ``service`` later. No event queue is needed. (A lane that
frees at the very instant of an arrival is taken as idle; the engine would order the two by
its event ids. With continuous times it does not happen; a solver would have to match it.)

The script reads the engine's own random streams (the same keys, seed and replication), so
that the recursion must give the very records the event engine gives: it checks every
visit's lane, start and end against ``run_replication``'s records, exactly. Then it times
both, the recursion with the same recording work the full recorder does (a visit row and an
exit row a traveller, into lists, packed into doubles at the end), and prints what the
whole ``portsim run`` would take with the recursion in place of the engine (the phases of
``mmc_phases.py``, measured in the same process).

Run: python benchmarks/feed_forward.py [--quick]
"""

from __future__ import annotations

import struct
import time
from heapq import heappop, heappush
from typing import Any

import numpy as np
from _harness import QUICK, say_quick
from mmc import scenario

from portsim import scenario_from_dict
from portsim.engine.replication import run_replication
from portsim.engine.sources import arrival_times
from portsim.engine.streams import IndexedDraws, key, make_generator
from portsim.model.compile import compile_scenario
from portsim.model.model import Model
from portsim.results.records import records_from_log

#: timed runs of each, the fastest reported
RUNS = 1 if QUICK else 5


def recursion(model: Model, seed: int, replication: int) -> dict[str, Any]:
    """The M/M/c records by the recursion, with the engine's streams."""
    flow, group = model.flows[0], model.groups[0]
    sub = model.subflows[flow.subflows[0]]
    stage = model.stages[group.stage].name
    dist = group.service[sub.index]
    assert dist is not None
    services = IndexedDraws(
        dist.sample, make_generator(seed, replication, key("service", sub.name, stage, group.name))
    )
    times = arrival_times(
        flow.arrivals, make_generator(seed, replication, key("arrivals", flow.name))
    )
    horizon = model.horizon
    idle = list(range(group.timetable.initial))  # idle lanes, lowest first
    busy: list[tuple[float, int]] = []  # (end, lane) of lanes serving
    visits: list[float] = []
    exits: list[float] = []
    for k, arrival in enumerate(times):
        if arrival >= horizon:
            break
        while busy and busy[0][0] <= arrival:  # lanes freed by now are idle again
            heappush(idle, heappop(busy)[1])
        if idle:
            lane, start = heappop(idle), arrival
        else:
            start, lane = heappop(busy)
        end = start + services.fill(k)
        heappush(busy, (end, lane))
        visits.extend((k, 0, 0, lane, arrival, start, end, arrival))
        exits.extend((k, end, 0, arrival, start - arrival, 1))
    return {"visits": _pack(visits, 8), "exits": _pack(exits, 6)}


def _pack(staged: list[float], width: int) -> np.ndarray:
    rows = np.empty(len(staged))
    struct.pack_into(f"{len(staged)}d", rows.data, 0, *staged)
    return rows.reshape(-1, width)


def _fastest(run: Any) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    say_quick()
    model = compile_scenario(scenario_from_dict(scenario()))
    log = run_replication(model, 0, 0).log
    assert log is not None
    records = records_from_log(model, 0, log)
    rows = recursion(model, 0, 0)["visits"]
    finished = records.visit_end < model.horizon
    assert finished.sum() == (rows[:, 6] < model.horizon).sum()
    order = np.argsort(records.visit_entity[finished], kind="stable")
    mine = rows[rows[:, 6] < model.horizon]
    for column, name in ((3, "visit_lane"), (5, "visit_start"), (6, "visit_end")):
        engine = getattr(records, name)[finished][order]
        assert np.array_equal(mine[:, column], engine), name
    print(f"the recursion gives the engine's records exactly: {len(mine):,} visits")
    engine_time = _fastest(lambda: run_replication(model, 0, 0))
    recursion_time = _fastest(lambda: recursion(model, 0, 0))
    print(f"event engine (run_replication, full records): {engine_time:.3f} s")
    print(f"recursion, same streams and recording:        {recursion_time:.3f} s")
    print(f"the recursion takes {recursion_time / engine_time:.2f} of the engine's time")
    saved = engine_time - recursion_time
    print(f"`portsim run` in mmc.py would lose the difference, {saved:.2f} s, with a solver")


if __name__ == "__main__":
    main()
