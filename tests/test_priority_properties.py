"""Properties of priority in a queue, on generated ports whose flows and classes have
priorities (tests/strategies.py ``prioritised``)."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from portsim import Records, scenario_from_dict, simulate
from portsim.model import Model, compile_scenario

from .helpers import run_model
from .strategies import prioritised, scenarios
from .test_streaming import assert_runs_agree

FAST = settings()


def _run(data: dict[str, Any], seed: int = 7) -> tuple[Model, Records]:
    model = compile_scenario(scenario_from_dict(data))
    records = run_model(model, seed, 0).records
    assert records is not None
    return model, records


def _ranks(model: Model, rec: Records, rows: np.ndarray, group: int) -> np.ndarray:
    """The queue rank of each visit in ``rows`` at ``group`` (all 0: a plain group)."""
    ranks = model.groups[group].priority
    if ranks is None:
        return np.zeros(len(rows), dtype=np.int64)
    subflow = rec.entity_subflow[rec.visit_entity[rows]]
    return np.asarray(ranks, dtype=np.int64)[subflow]


@FAST
@given(st.data())
def test_nobody_is_lost_and_nobody_waits_less_than_nothing(data: st.DataObject) -> None:
    scenario = scenario_from_dict(data.draw(scenarios().flatmap(prioritised)))
    result = simulate(scenario, replications=1, seed=3)
    rec, overall = result.records[0], result.per_replication[0]["overall"]
    counted = rec.entity_arrival >= scenario.warmup
    assert overall["served"] + overall["unfinished"] + overall["no_visit"] == counted.sum()
    started = ~np.isnan(rec.visit_start)
    assert np.all(rec.visit_wait[started] >= 0)
    assert np.all(rec.visit_start[started] >= rec.visit_join[started])
    finished = ~np.isnan(rec.entity_exit)
    assert np.all(~np.isnan(rec.visit_end[finished[rec.visit_entity]]))


@FAST
@given(scenarios().flatmap(prioritised))
def test_first_come_first_served_within_a_level_at_a_shared_queue(data: dict) -> None:
    """At a shared queue, of two travellers of one level, who joined first starts first."""
    model, rec = _run(data)
    start = np.where(np.isnan(rec.visit_start), np.inf, rec.visit_start)
    for spec in model.groups:
        if spec.per_lane:
            continue
        rows = np.flatnonzero(rec.visit_group == spec.index)
        ranks = _ranks(model, rec, rows, spec.index)
        for rank in np.unique(ranks):
            level = rows[ranks == rank]
            order = np.lexsort((start[level], rec.visit_join[level]))
            starts = start[level][order]
            assert np.all(starts[1:] >= starts[:-1]), (spec.name, rank)


def _overtaken(join: np.ndarray, start: np.ndarray, ranks: np.ndarray) -> list[Any]:
    """Starts at τ of rank r while someone of a rank before r had joined before τ and was
    still waiting after it."""
    wrong = []
    for i in np.flatnonzero(np.isfinite(start)):
        tau = start[i]
        waiting = (join < tau) & (start > tau) & (ranks < ranks[i])
        if waiting.any():
            wrong.append((i, tau))
    return wrong


@settings(max_examples=max(150, settings().max_examples))
@given(scenarios().flatmap(prioritised))
def test_nobody_starts_while_someone_of_a_higher_level_waits_for_the_same_lanes(
    data: dict,
) -> None:
    """At a shared queue, whenever a traveller starts, nobody of a higher level (a lower
    rank) is waiting in that queue; with a queue per lane and lanes always open (nobody
    moves), the same for each lane's own queue. Never pre-emptive: every service started
    ends at its own time (a lane serves one traveller at a time: tests/test_properties.py)."""
    model, rec = _run(data)
    start = np.where(np.isnan(rec.visit_start), np.inf, rec.visit_start)
    for spec in model.groups:
        rows = np.flatnonzero(rec.visit_group == spec.index)
        if spec.priority is None or len(rows) > 2000:
            continue
        ranks = _ranks(model, rec, rows, spec.index)
        join, begin = rec.visit_join[rows], start[rows]
        if not spec.per_lane:
            assert not _overtaken(join, begin, ranks), spec.name
        elif not spec.timetable.changes:
            lane = rec.visit_lane[rows]
            for n in np.unique(lane[lane >= 0]):
                mine = lane == n
                assert not _overtaken(join[mine], begin[mine], ranks[mine]), (spec.name, n)


@FAST
@given(scenarios(), st.integers(0, 2))
def test_everyone_of_one_priority_is_the_same_as_no_priority(data: dict, level: int) -> None:
    """The same level on every flow gives the same records, bit for bit, as none."""
    same = {**data, "flows": [{**flow, "priority": level} for flow in data["flows"]]}
    _, plain = _run(data)
    assert all(g.priority is None for g in compile_scenario(scenario_from_dict(same)).groups)
    _, ranked = _run(same)
    for name in plain.__slots__:  # type: ignore[attr-defined]
        left, right = getattr(plain, name), getattr(ranked, name)
        if isinstance(left, np.ndarray):
            assert np.array_equal(left, right, equal_nan=True), name
        else:
            assert left == right, name


@FAST
@given(scenarios().flatmap(prioritised))
def test_streaming_agrees_with_records_with_priorities(data: dict) -> None:
    """The tallies a sweep streams and the metrics from the records agree, as without
    priorities (tests/test_streaming.py)."""
    scenario = scenario_from_dict(data)
    assert_runs_agree(scenario, 1, scenario.seed)


@FAST
@given(scenarios().flatmap(prioritised))
def test_no_lane_idles_while_a_shared_queue_by_priority_waits(data: dict) -> None:
    """Work conservation holds with priorities too: whenever somebody waits in a shared
    queue, every open lane of the group is serving (at every join and service end)."""
    model, rec = _run(data)
    start = np.where(np.isnan(rec.visit_start), np.inf, rec.visit_start)
    end = np.where(np.isnan(rec.visit_end), np.inf, rec.visit_end)
    for spec in model.groups:
        rows = rec.visit_group == spec.index
        if spec.per_lane or spec.priority is None or rows.sum() > 2000:
            continue
        join, begin, finish = rec.visit_join[rows], start[rows], end[rows]
        lane = rec.visit_lane[rows]
        for tau in np.concatenate([join[begin > join], finish[np.isfinite(finish)]]):
            if tau >= model.horizon or not np.any((join <= tau) & (begin > tau)):
                continue
            open_lanes = spec.timetable.count_at(tau)
            busy = np.sum((begin <= tau) & (finish > tau) & (lane < open_lanes))
            assert busy >= open_lanes, (spec.name, tau, busy, open_lanes)
