"""Each entity's waits added up a chunk of visits at a time (``results/waits.py``) give
exactly what one ``np.bincount`` over every visit gives, whatever the chunk size, and the
metric rows do not depend on it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import portsim
from portsim.results import waits as waits_module
from portsim.results.waits import entity_waits
from tests.helpers import records_of

ROOT = Path(__file__).resolve().parent.parent


def _one_bincount(rec: portsim.Records) -> np.ndarray:
    started = ~np.isnan(rec.visit_start)
    wait = np.where(started, rec.visit_start - rec.visit_join, 0.0)
    return np.bincount(rec.visit_entity, weights=wait, minlength=rec.entities) + (
        rec.entity_aboard_wait
    )


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 1000, 1 << 17])
def test_chunked_sums_are_the_single_bincounts_bit_for_bit(
    chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a land port with groups, vehicles whose passengers alight and queues still
    waiting at the horizon (visits of one entity on either side of a chunk's end)."""
    scenario = portsim.load_scenario(
        ROOT / "scenarios" / "huanggang_land_port_2019.yaml", ["horizon=3h"]
    )
    rec = records_of(scenario, 5, 0)
    started = ~np.isnan(rec.visit_start)
    assert not started.all()  # some still queued at the horizon
    assert np.bincount(rec.visit_entity).max() > 1  # entities with several visits
    monkeypatch.setattr(waits_module, "WAIT_CHUNK", chunk)
    assert np.array_equal(entity_waits(rec, started), _one_bincount(rec))


def test_visits_not_in_entity_order_are_summed_in_one_go(monkeypatch: pytest.MonkeyPatch) -> None:
    scenario = portsim.load_scenario(ROOT / "scenarios" / "hall_modes.yaml", ["horizon=2h"])
    rec = records_of(scenario, 5, 0)
    reversed_visits = {
        name: getattr(rec, name)[::-1].copy()
        for name in ("visit_entity", "visit_start", "visit_join")
    }
    shuffled = type(rec)(
        **{**{f: getattr(rec, f) for f in rec.__dataclass_fields__}, **reversed_visits}
    )
    monkeypatch.setattr(waits_module, "WAIT_CHUNK", 3)
    started = ~np.isnan(shuffled.visit_start)
    expected = _one_bincount(shuffled)
    assert np.array_equal(entity_waits(shuffled, started), expected)


def test_the_metric_rows_do_not_depend_on_the_chunk(monkeypatch: pytest.MonkeyPatch) -> None:
    scenario = portsim.load_scenario(
        ROOT / "scenarios" / "huanggang_land_port_2019.yaml", ["horizon=3h"]
    )
    whole = portsim.simulate(scenario, replications=1, seed=3, workers=1)
    monkeypatch.setattr(waits_module, "WAIT_CHUNK", 5)
    chunked = portsim.simulate(scenario, replications=1, seed=3, workers=1)
    assert whole.tables[0].keys() == chunked.tables[0].keys()
    for key, value in whole.tables[0].items():
        other = chunked.tables[0][key]
        assert value == other or (np.isnan(value) and np.isnan(other)), key


def test_the_waits_so_far_are_the_single_bincounts_bit_for_bit() -> None:
    """Each entity's wait so far (queued visits counting the time since they joined) for any
    block, from the few entities still queued, equals the sum over every visit in one
    ``np.bincount`` plus the wait aboard, as it was computed before."""
    from portsim.model import compile_scenario  # noqa: PLC0415
    from portsim.results.metrics import _Replication  # noqa: PLC0415

    scenario = portsim.load_scenario(
        ROOT / "scenarios" / "huanggang_land_port_2019.yaml", ["horizon=3h"]
    )
    model = compile_scenario(scenario)
    rec = records_of(scenario, 5, 0)
    started = ~np.isnan(rec.visit_start)
    elapsed = np.where(started, rec.visit_start - rec.visit_join, model.horizon - rec.visit_join)
    expected = (
        np.bincount(rec.visit_entity, weights=elapsed, minlength=rec.entities)
        + rec.entity_aboard_wait
    )
    replication = _Replication(model, rec)
    assert len(replication.queued_entities) > 0
    everyone = np.arange(rec.entities)
    assert np.array_equal(replication.entity_elapsed(everyone), expected)
    some = everyone[::3]  # a block: its entities in id order
    assert np.array_equal(replication.entity_elapsed(some), expected[some])
