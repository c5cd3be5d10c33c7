"""Streaming tallies (``records=False``) against the exact metrics from the records: the same
rows in the same order; counts, maxima, engine counters and pledge shares equal; means to
1e-9; percentiles within the tolerance :mod:`portsim.results.histograms` documents."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from portsim import TimedArrivals, load_scenario, scenario_from_dict, simulate
from portsim.cli import main
from portsim.engine.chunks import ChunkRecorder
from portsim.engine.replication import default_subflows, run_replication
from portsim.errors import ScenarioError
from portsim.model import compile_scenario
from portsim.results.histograms import (
    FLOOR_S,
    RELATIVE,
    Bins,
    coarse_bins,
    coarse_index,
    fine_bins,
    percentiles,
)
from portsim.results.rows import ALL_HOURS, MetricTable
from portsim.results.streaming import StreamingSink, stream_replication
from portsim.scenario import Scenario

from .helpers import exponential, scenario, stage
from .strategies import scenarios

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "scenarios"
SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml"))
MODES = ("separate", "colocated", "cooperative")

#: Floating-point rounding of the estimate and of numpy's interpolation (about 1e-15
#: relative), far below the histograms' resolution.
ROUNDING = 1e-12
MEANS = frozenset(
    {
        "wait_mean_s",
        "system_time_mean_s",
        "vehicle_dwell_mean_s",
        "wait_for_vehicle_mean_s",
        "censored_wait_mean_s",
        "censored_wait_max_s",
        "wait_for_opening_mean_s",
        "day_wait_mean_s",
        "day_wait_for_opening_mean_s",
    }
)


def assert_tables_agree(exact: MetricTable, streamed: MetricTable, horizon: float) -> int:
    """Every row as documented; returns how many percentiles had a value to compare."""
    assert list(streamed) == list(exact)
    fine = fine_bins(horizon)
    coarse = coarse_bins(fine)
    compared = 0
    for key, value in exact.items():
        got, metric = streamed[key], key[4]
        if math.isnan(value):
            assert math.isnan(got), key
        elif metric in MEANS:
            assert got == pytest.approx(value, rel=1e-9, abs=0), key
        elif metric.startswith(("wait_p", "day_wait_p")):
            # a day's p95 comes from its hours' histograms: the hourly bins' bound
            bins = fine if key[3] == ALL_HOURS else coarse
            assert abs(got - value) <= bins.tolerance(value) + ROUNDING * abs(value), (
                key,
                value,
                got,
            )
            compared += 1
        else:  # counts, maxima, the engine's counters, pledge shares
            assert got == value, key
    return compared


def assert_runs_agree(s: Scenario, replications: int, seed: int) -> int:
    exact = simulate(s, replications=replications, seed=seed, records=True)
    streamed = simulate(s, replications=replications, seed=seed, records=False)
    assert streamed.records == ()
    assert len(streamed.tables) == len(exact.tables) == replications
    return sum(
        assert_tables_agree(e, t, s.horizon)
        for e, t in zip(exact.tables, streamed.tables, strict=True)
    )


@pytest.mark.parametrize("mode", MODES)
def test_golden_shuttle_modes_agree(mode: str) -> None:
    s = load_scenario(GOLDEN / "shuttle_modes.yaml", [f"clearance.mode={mode}"])
    assert assert_runs_agree(s, 2, 11) > 100


def test_golden_land_port_agrees() -> None:
    """Groups, classes, vehicles with occupants, passengers who alight and meet their coach,
    trucks that choose: the persons and vehicles blocks, class and passenger rows."""
    s = load_scenario(GOLDEN / "land_port.yaml")
    assert assert_runs_agree(s, replications=2, seed=12) > 0


def test_golden_lanes_closing_agrees() -> None:
    s = load_scenario(GOLDEN / "lanes_closing.yaml")
    assert assert_runs_agree(s, 2, 5) > 100


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_shipped_scenarios_agree_over_a_short_horizon(path: Path) -> None:
    # a port with opening hours, a timetable of flights or lanes staffed from 08:00: until
    # past its first opening (08:00 in zhejiang_hours), its first flights (08:40 in the
    # Qingdao baggage hall) or its first lanes (the Qingdao declarations: 8 h is refused)
    s = load_scenario(path)
    late = s.hours is not None or any(isinstance(f.arrivals, TimedArrivals) for f in s.flows)
    try:
        s = load_scenario(path, ["horizon=14h" if late else "horizon=8h"])
    except ScenarioError:
        s = load_scenario(path, ["horizon=14h"])
    assert assert_runs_agree(s, 2, 2019) > 20


@pytest.mark.parametrize("mode", ["colocated", "cooperative"])
def test_shipped_clearance_modes_agree(mode: str) -> None:
    s = load_scenario(
        ROOT / "scenarios" / "hall_modes.yaml", ["horizon=6h", f"clearance.mode={mode}"]
    )
    assert assert_runs_agree(s, 2, 2021) > 20


#: Edges of the definitions: arrivals exactly at the warm-up (regular and timed, with ties),
#: constant services (ties), a group that opens late, an overloaded port whose unfinished
#: travellers have waited past every pledge (known failures), a stage with space.
EDGES: dict[str, Any] = {
    "name": "edges",
    "horizon": "3h",
    "warmup": "10min",
    "flows": [
        {
            "name": "buses",
            "direction": "south",
            "arrivals": {"every": "1min"},
            "route": ["check", {"stage": "office", "p": 0.3}],
        },
        {
            "name": "walkers",
            "direction": "south",
            "arrivals": {"times": [0, 600, 600, 600, 601, 3600, 3600, 7200]},
            "route": ["office"],
        },
        {"name": "cars", "arrivals": {"rate": "100/h"}, "route": ["check"]},
    ],
    "stages": [
        {
            "name": "check",
            "lanes": [
                {"name": "booth", "count": 1, "service": {"dist": "constant", "value": "45s"}},
                {
                    "name": "late",
                    "schedule": [{"from": "2h", "to": "3h", "count": 1}],
                    "service": exponential(50.0),
                    "queue": "per_lane",
                },
            ],
        },
        {
            "name": "office",
            "space": 2,
            "lanes": [{"name": "desk", "count": 1, "service": exponential(240.0)}],
        },
    ],
    "targets": [
        {"name": "everyone 5 min", "wait_within": "5min", "share": 0.9},
        {"name": "buses 2 min", "flow": "buses", "wait_within": "2min", "share": 0.9},
        {"name": "office 3 min", "stage": "office", "wait_within": "3min", "share": 0.8},
    ],
}


def test_edges_of_the_definitions_agree() -> None:
    s = scenario_from_dict(EDGES)
    exact = simulate(s, replications=1, seed=3).per_replication[0]
    assert exact["overall"]["unfinished"] > 100  # overloaded: pledges see known failures
    assert assert_runs_agree(s, 2, 3) > 50


@given(scenarios())
def test_streaming_agrees_with_records_on_generated_scenarios(data: dict[str, Any]) -> None:
    s = scenario_from_dict(data)
    assert_runs_agree(s, s.replications, s.seed)


@pytest.mark.parametrize("chunk", [1, 7, 64])
@pytest.mark.parametrize("name", ["shuttle_modes", "land_port", "lanes_closing"])
def test_chunk_boundaries_change_nothing(name: str, chunk: int) -> None:
    """Tiny chunks: every tally crosses many chunk boundaries, and every sum is folded in
    row order (``results/fold.py``), so every number is equal to the last bit."""
    model = compile_scenario(load_scenario(GOLDEN / f"{name}.yaml"))
    whole, _ = stream_replication(model, 11, 0)
    sink = StreamingSink(model)
    counters = run_replication(
        model, 11, 0, recorder=ChunkRecorder(sink, default_subflows(model), chunk=chunk)
    ).counters
    chunked = sink.table(counters)
    assert list(chunked) == list(whole)
    for key, value in whole.items():
        assert chunked[key] == value or (math.isnan(value) and math.isnan(chunked[key])), key


def test_worker_processes_stream_the_same_rows() -> None:
    s = load_scenario(GOLDEN / "lanes_closing.yaml")
    serial = simulate(s, replications=2, seed=5, records=False)
    pooled = simulate(s, replications=2, seed=5, records=False, workers=2)
    assert pooled.to_json() == serial.to_json()
    for one, other in zip(serial.tables, pooled.tables, strict=True):
        assert list(one) == list(other)
        assert all(one[k] == other[k] or (math.isnan(one[k]) and math.isnan(other[k])) for k in one)


def _tally_bytes(node: object) -> int:
    """Bytes of the numpy arrays among the attributes of ``node`` and of the tallies (and
    bins) it holds; the model aside."""
    if isinstance(node, np.ndarray):
        return node.nbytes
    names = [*getattr(node, "__slots__", ()), *getattr(node, "__dict__", {})]
    total = 0
    for name in names:
        value = getattr(node, name, None)
        if name != "model" and (
            isinstance(value, np.ndarray) or type(value).__module__.startswith("portsim.results")
        ):
            total += _tally_bytes(value)
    return total


def _tallies(rate: float, horizon: float) -> tuple[int, int]:
    """Bytes of the tallies and entities that arrived, one replication of a busy stage."""
    s = scenario(
        rate=rate,
        route=["check"],
        stages=[stage("check", 4, exponential(40.0), space=5)],
        horizon=horizon,
        warmup=600,
    )
    model = compile_scenario(s)
    sink = StreamingSink(model)
    run_replication(model, 1, 0, recorder=ChunkRecorder(sink, default_subflows(model), chunk=64))
    arrived = int(sink.entities.arrived.sum())
    return _tally_bytes(sink), arrived


def test_tallies_do_not_grow_with_the_entities() -> None:
    few, few_arrived = _tallies(0.02, 4 * 3600)
    many, many_arrived = _tallies(0.09, 4 * 3600)
    assert many_arrived > 4 * few_arrived
    assert many == few


def test_only_the_hourly_tallies_grow_with_the_horizon() -> None:
    """One flow and one stage: per hour, their two hourly histograms and a few counts; and
    the whole-run histograms (the flow's, the lane group's, persons', vehicles') reach a
    little higher, by the logarithm of the horizon."""
    short, _ = _tallies(0.05, 4 * 3600)
    long, _ = _tallies(0.05, 40 * 3600)
    hourly_histogram = 4 * coarse_bins(fine_bins(40 * 3600)).size
    higher = 4 * 8 * (fine_bins(40 * 3600).size - fine_bins(4 * 3600).size)
    assert 0 < (long - short - higher) / 36 < 2 * hourly_histogram + 512


def _shape(node: Any) -> Any:
    if isinstance(node, dict):
        return {key: _shape(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_shape(value) for value in node]
    return type(node).__name__


def test_cli_json_without_records_has_the_same_structure() -> None:
    file = str(GOLDEN / "shuttle_modes.yaml")
    outputs = []
    for extra in ([], ["--no-records"]):
        result = CliRunner().invoke(
            main, ["run", file, "-r", "2", "-w", "1", *extra, "--json", "-"]
        )
        assert result.exit_code == 0, result.stderr
        outputs.append(json.loads(result.stdout))
    exact, streamed = outputs
    assert list(streamed) == list(exact)
    assert _shape(streamed) == _shape(exact)
    assert streamed["overall"]["served"] == exact["overall"]["served"]
    assert streamed["targets"] == exact["targets"]


# -- the histograms themselves

waits = st.lists(
    st.one_of(
        st.just(0.0),
        st.floats(min_value=0, max_value=0.05),
        st.floats(min_value=0, max_value=86_400),
        st.floats(min_value=30, max_value=600),
    ),
    min_size=1,
    max_size=400,
)
QS = (0, 1, 25, 50, 90, 95, 99, 99.9, 100)


@given(waits)
def test_percentiles_are_within_the_tolerance(values: list[float]) -> None:
    data = np.asarray(values)
    exact = np.percentile(data, QS)
    fine = fine_bins(86_400)
    coarse = coarse_bins(fine)
    index = fine.index(data)
    for bins, bin_of in ((fine, index), (coarse, coarse_index(index))):
        counts = np.bincount(bin_of, minlength=bins.size)[None, :]
        streamed = percentiles(bins, counts, np.array([data.max()]), QS)[0]
        for q, e, got in zip(QS, exact, streamed, strict=True):
            assert abs(got - e) <= bins.tolerance(e) + ROUNDING * e, (q, e, got)
    top = percentiles(fine, np.bincount(index, minlength=fine.size)[None, :], exact[-1:], (100,))
    assert top[0, 0] == data.max()


@given(st.lists(st.floats(min_value=0, max_value=7 * 86_400), min_size=1, max_size=200))
def test_each_wait_lies_in_its_bin(values: list[float]) -> None:
    data = np.asarray(values)
    fine = fine_bins(7 * 86_400)
    for bins, index in (
        (fine, fine.index(data)),
        (coarse_bins(fine), coarse_index(fine.index(data))),
    ):
        np.testing.assert_array_equal(index, bins.index(data))
        upper = np.concatenate((bins.edges, [math.inf]))[index]
        lower = np.concatenate(([-math.inf], bins.edges))[index]
        assert np.all(data <= upper)
        assert np.all(data > lower)


@pytest.mark.parametrize("horizon", [600.0, 86_400.0, 7 * 86_400.0])
def test_bins_have_the_documented_resolution(horizon: float) -> None:
    fine = fine_bins(horizon)
    coarse = coarse_bins(fine)
    assert fine.edges[-1] >= horizon
    assert coarse.edges[-1] == fine.edges[-1]
    assert (fine.floor, fine.relative) == (FLOOR_S, RELATIVE)
    for bins in (fine, coarse):
        assert bins.edges[0] == 0.0
        assert bins.edges[1] == FLOOR_S
        widths = np.diff(bins.edges[1:]) / bins.edges[1:-1]
        np.testing.assert_allclose(widths, bins.relative, rtol=1e-12)
    assert coarse.relative == pytest.approx(1.01**5 - 1)


def test_empty_histogram_rows_give_nan() -> None:
    bins = Bins(np.array([0.0, 1.0]), 1.0, 0.5)
    out = percentiles(bins, np.zeros((2, bins.size), dtype=np.int64), np.full(2, np.nan), (50, 95))
    assert np.isnan(out).all()


class _Sizes:
    """A sink that keeps only how many rows of each kind each chunk brought."""

    def __init__(self) -> None:
        self.sizes: list[tuple[int, int, int]] = []
        self._arrivals = self._visits = 0

    def arrivals(self, rows: np.ndarray) -> None:
        self._arrivals = len(rows)

    def visits(self, rows: np.ndarray) -> None:
        self._visits = len(rows)

    def held(self, rows: np.ndarray) -> None:
        pass

    def exits(self, rows: np.ndarray, source: int) -> None:
        if source == 0:  # the plain rows come first, then the detailed ones
            self.sizes.append((self._arrivals, self._visits, len(rows)))
        else:
            arrivals, visits, plain = self.sizes.pop()
            self.sizes.append((arrivals, visits, plain + len(rows)))

    def close(self, unfinished: object) -> None:
        pass


def test_a_chunk_is_flushed_by_its_exits_and_stays_bounded() -> None:
    """Only an exit checks whether the chunk is full (arrivals and visits are appended by
    the lists' own ``extend``): a chunk brings ``chunk`` exits, and the arrivals and visits
    since the last one, bounded by the travellers in port (a calm stage: a handful)."""
    s = scenario(
        rate=0.05, route=["check"], stages=[stage("check", 4, exponential(40.0))], horizon=4 * 3600
    )
    model = compile_scenario(s)
    sink = _Sizes()
    run_replication(model, 1, 0, recorder=ChunkRecorder(sink, default_subflows(model), chunk=64))  # type: ignore[arg-type]
    full = sink.sizes[:-1]  # the last one: what was left at the horizon
    assert len(full) > 5
    assert all(exits == 64 for _, _, exits in full)
    # the arrivals and visits since the last chunk: as many, give or take those in port
    assert all(abs(n - 64) <= 20 for arrivals, visits, _ in full for n in (arrivals, visits))
