"""The queue trace: the engine's own count of travellers waiting at each stage, as the mean
in each step of the horizon, agrees with the records and with ``queue_mean``."""

from __future__ import annotations

import numpy as np
import pytest

from portsim import scenario_from_dict, simulate
from portsim.engine.stages import TRACE_MOST, trace_step

BUSY = {
    "name": "busy counters",
    "horizon": "2h",
    "warmup": "7min",  # not a whole number of steps
    "seed": 3,
    "flows": [{"name": "f", "arrivals": {"rate": "200/h"}, "route": ["desk", "gate"]}],
    "stages": [
        {
            "name": "desk",
            "lanes": [{"name": "d", "count": 3, "service": {"dist": "exponential", "mean": 50}}],
            "transfer": {"dist": "constant", "value": 30},
        },
        {
            "name": "gate",
            "lanes": [{"name": "g", "count": 1, "service": {"dist": "gamma", "mean": 15, "cv": 1}}],
        },
    ],
}


def _waiting_integral(join: np.ndarray, start: np.ndarray, lo: float, hi: float) -> float:
    """∫ (number waiting) dt over [lo, hi) from each visit's queue join and service start."""
    begin = np.clip(join, lo, hi)
    end = np.clip(np.where(np.isnan(start), hi, start), lo, hi)
    return float(np.sum(end - begin))


@pytest.mark.parametrize("horizon", ["2h", "7333s"])
def test_the_trace_is_the_records_waiting_count_step_by_step(horizon: str) -> None:
    scenario = scenario_from_dict({**BUSY, "horizon": horizon})
    result = simulate(scenario, replications=2)
    step = trace_step(scenario.horizon)
    for counters, records in zip(result.counters, result.records, strict=True):
        trace = counters.stage_queue_trace
        assert counters.queue_trace_step == step
        assert trace.shape == (2, int(np.ceil(scenario.horizon / step)))
        for stage in (0, 1):
            at = records.visit_stage == stage
            join, start = records.visit_join[at], records.visit_start[at]
            for k, mean in enumerate(trace[stage]):
                lo, hi = k * step, min((k + 1) * step, scenario.horizon)
                expected = _waiting_integral(join, start, lo, hi) / (hi - lo)
                assert mean == pytest.approx(expected, rel=1e-9, abs=1e-9)
            assert trace[stage].max() > 0


def test_the_trace_after_the_warmup_averages_to_queue_mean() -> None:
    scenario = scenario_from_dict({**BUSY, "warmup": "10min"})
    result = simulate(scenario, replications=1, records=False)
    counters = result.counters[0]
    step = counters.queue_trace_step
    first = int(scenario.warmup // step)
    for stage in (0, 1):
        counted = counters.stage_queue_trace[stage, first:]
        assert counted.mean() == pytest.approx(counters.stage_queue_mean[stage], rel=1e-9)


def test_streaming_and_records_give_the_same_trace() -> None:
    scenario = scenario_from_dict(BUSY)
    exact = simulate(scenario, replications=1).counters[0].stage_queue_trace
    lean = simulate(scenario, replications=1, records=False).counters[0].stage_queue_trace
    np.testing.assert_array_equal(exact, lean)


def test_long_horizons_keep_the_trace_short() -> None:
    assert trace_step(86_400) == 300
    assert trace_step(7 * 86_400) == 300
    assert trace_step(8 * 86_400) == 900
    assert 365 * 86_400 / trace_step(365 * 86_400) <= TRACE_MOST
    assert 5000 * 86_400 / trace_step(5000 * 86_400) <= TRACE_MOST
