"""Parties and classes: exact event logs of parties' arrivals, the shares of classes, the lanes
each class may use, the class rows of the JSON, and common random numbers when classes are
added to a flow."""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import stats

from portsim import Records, scenario_from_dict, simulate

from .helpers import Row, const, event_log, exponential, records_of

ALPHA = 0.001


def stage(name: str, lanes: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"name": name, "lanes": lanes, **extra}


def group(name: str, count: int, service: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"name": name, "count": count, "service": service, **extra}


def one_counter(arrivals: dict[str, Any], service: float) -> dict[str, Any]:
    return {
        "name": "parties",
        "horizon": 1000,
        "flows": [{"name": "tour", "arrivals": arrivals, "route": ["counter"]}],
        "stages": [stage("counter", [group("c", 1, const(service))])],
    }


def test_a_party_of_three_at_one_counter_waits_0_s_2s() -> None:
    """Parties of 3 at 0 and 100, one counter, s = 10 s. The three of a party come at the same
    instant and join in turn: the first is served at once, the second when the first is done,
    the third after two services: waits 0, s, 2s. The counter is idle again at 30, so the
    second party (100) waits 0, 10, 20 too."""
    party = {"dist": "constant", "value": 3}
    rows, entities = event_log(one_counter({"times": [0, 100], "group": party}, 10))
    assert entities == [("tour", 0.0)] * 3 + [("tour", 100.0)] * 3
    assert rows == [
        Row(0, 0, "counter", "c", 0, 0, 0, 10, 10),
        Row(1, 0, "counter", "c", 0, 0, 10, 20, 20),
        Row(2, 0, "counter", "c", 0, 0, 20, 30, 30),
        Row(3, 0, "counter", "c", 0, 100, 100, 110, 110),
        Row(4, 0, "counter", "c", 0, 100, 110, 120, 120),
        Row(5, 0, "counter", "c", 0, 100, 120, 130, 130),
    ]


def test_timetabled_parties_queue_behind_the_previous_party() -> None:
    """Pairs every 60 s from 10 s until before 130 s (at 10 and 70), s = 50 s. The first pair:
    10–60, 60–110 (waits 0, 50). The second pair comes at 70 while the counter is busy until
    110: 110–160 and 160–210 (waits 40, 90)."""
    arrivals = {"every": 60, "from": 10, "to": 130, "group": {"dist": "constant", "value": 2}}
    rows, entities = event_log(one_counter(arrivals, 50))
    assert entities == [("tour", 10.0)] * 2 + [("tour", 70.0)] * 2
    assert rows == [
        Row(0, 0, "counter", "c", 0, 10, 10, 60, 60),
        Row(1, 0, "counter", "c", 0, 10, 60, 110, 110),
        Row(2, 0, "counter", "c", 0, 70, 110, 160, 160),
        Row(3, 0, "counter", "c", 0, 70, 160, 210, 210),
    ]


def classes_port(classes: list[dict[str, Any]] | None, horizon: float = 8 * 3600) -> dict[str, Any]:
    """Residents in parties, who may come in classes, through exit checks and sometimes a
    secondary check; visitors and cars on stages of their own."""
    residents: dict[str, Any] = {
        "name": "residents",
        "arrivals": {"rate": "150/h", "group": {"dist": "empirical", "values": [1, 2, 3]}},
        "route": ["exit_check", {"stage": "secondary", "p": 0.2}],
    }
    if classes is not None:
        residents["classes"] = classes
    return {
        "name": "classes",
        "horizon": horizon,
        "flows": [
            residents,
            {
                "name": "visitors",
                "arrivals": {"rate": "100/h"},
                "route": ["hall", {"stage": "customs", "p": 0.3}],
            },
            {
                "name": "cars",
                "kind": "car",
                "arrivals": {"rate": "40/h"},
                "occupants": {"dist": "empirical", "values": [1, 2, 4]},
                "route": ["booths"],
            },
        ],
        "stages": [
            stage(
                "exit_check",
                [
                    group("egates", 2, {"dist": "lognormal", "mean": 12, "cv": 0.4}),
                    group("counters", 3, exponential(40)),
                ],
                transfer={"dist": "uniform", "low": 30, "high": 90},
            ),
            stage("secondary", [group("desk", 2, exponential(120))]),
            stage(
                "hall",
                [group("counters", 2, exponential(30))],
                transfer={"dist": "constant", "value": 45},
            ),
            stage("customs", [group("desk", 1, exponential(60))]),
            stage(
                "booths",
                [
                    group(
                        "booths",
                        2,
                        {"dist": "gamma", "mean": 30, "cv": 0.8},
                        service_per_occupant=exponential(6),
                    )
                ],
            ),
        ],
    }


THREE = [
    {"name": "e_channel", "share": 0.5},
    {"name": "manual", "share": 0.3},
    {"name": "crew", "share": 0.2},
]


def _visit_rows(rec: Records, entities: np.ndarray) -> np.ndarray:
    rows = np.isin(rec.visit_entity, entities)
    return np.stack(
        [
            rec.visit_entity[rows],
            rec.visit_step[rows],
            rec.visit_group[rows],
            rec.visit_lane[rows],
            rec.visit_join[rows],
            rec.visit_start[rows],
            rec.visit_end[rows],
            rec.entity_exit[rec.visit_entity[rows]],
        ]
    )


def test_adding_classes_keeps_the_arrivals_and_every_other_flows_draws() -> None:
    """Common random numbers: classes are drawn from a stream of their own, so the residents'
    arrival times and party sizes, and every draw of the other flows (arrivals, occupants,
    services, transfers, routes), are bit-identical; visitors and cars, on stages of their
    own, have bit-identical records. The residents' route decisions are the flow's, shared by
    its classes: the same residents go to the secondary check."""
    for seed, replication in ((1, 0), (2, 3)):
        base = records_of(scenario_from_dict(classes_port(None)), seed, replication)
        more = records_of(scenario_from_dict(classes_port(THREE)), seed, replication)
        assert np.array_equal(base.entity_arrival, more.entity_arrival)
        assert np.array_equal(base.entity_flow, more.entity_flow)
        assert np.array_equal(base.entity_size, more.entity_size)
        residents = np.flatnonzero(base.entity_flow == 0)
        others = np.flatnonzero(base.entity_flow != 0)
        assert len(others) > 500
        assert np.array_equal(_visit_rows(base, others), _visit_rows(more, others), equal_nan=True)
        # the classes are there, and each resident was routed alike
        assert set(more.entity_subflow[residents]) == {0, 1, 2}
        done = residents[~np.isnan(base.entity_exit[residents] + more.entity_exit[residents])]
        secondary = [r.stage_names.index("secondary") for r in (base, more)]
        routed = [
            np.isin(done, r.visit_entity[r.visit_stage == s])
            for r, s in zip((base, more), secondary, strict=True)
        ]
        assert np.array_equal(routed[0], routed[1])
        assert 0.1 < routed[0].mean() < 0.3


def test_class_shares_are_within_sampling_error() -> None:
    """Each member of a party draws its own class: over every resident of several
    replications, the class counts pass a chi-square goodness-of-fit test at α = 0.001."""
    shares = np.array([c["share"] for c in THREE])
    counts = np.zeros(len(THREE))
    for replication in range(5):
        rec = records_of(scenario_from_dict(classes_port(THREE)), 4, replication)
        sub = rec.entity_subflow[rec.entity_flow == 0]
        counts += np.bincount(sub, minlength=len(THREE))
    statistic = float(((counts - counts.sum() * shares) ** 2 / (counts.sum() * shares)).sum())
    assert counts.sum() > 10_000
    assert statistic <= stats.chi2.ppf(1 - ALPHA, len(THREE) - 1), (counts, statistic)


def serves_port() -> dict[str, Any]:
    """E-channel users only at the e-gates, the manual class and visitors only at the
    counters, where the manual class is served in 30 s and the visitors in 45 s."""
    data = classes_port(
        [{"name": "e_channel", "share": 0.6}, {"name": "manual", "share": 0.4}], horizon=4 * 3600
    )
    data["flows"][1]["route"] = ["exit_check"]
    data["stages"][0]["lanes"] = [
        group("egates", 3, const(12), serves=["residents.e_channel"]),
        group(
            "counters",
            4,
            const(45),
            service_by_flow={"residents.manual": const(30)},
            serves=["residents.manual", "visitors"],
        ),
    ]
    return data


def test_serves_sends_each_class_to_its_lanes() -> None:
    rec = records_of(scenario_from_dict(serves_port()), 6, 0)
    table = rec.visit_table()
    at_exit = table["stage"] == "exit_check"
    service = table["end"] - table["start"]
    for flow, cls, group, seconds in (
        ("residents", "e_channel", "egates", 12.0),
        ("residents", "manual", "counters", 30.0),
        ("visitors", "", "counters", 45.0),
    ):
        mine = at_exit & (table["flow"] == flow) & (table["class"] == cls)
        assert mine.sum() > 100
        assert set(table["group"][mine]) == {group}
        ended = mine & ~np.isnan(table["end"])
        np.testing.assert_allclose(service[ended], seconds, rtol=1e-12)
    assert set(table["class"][table["flow"] == "residents"]) == {"e_channel", "manual"}


def test_each_class_has_its_row_under_its_flow() -> None:
    """The JSON's ``flows.residents.classes.C``: counted from the records in every
    replication, adding up to the flow's own row."""
    result = simulate(scenario_from_dict(serves_port()), replications=2, seed=8)
    summary = result.to_dict()["flows"]["residents"]
    assert set(summary["classes"]) == {"e_channel", "manual"}
    names = [s.name for s in result.model.subflows]
    for metrics, rec in zip(result.per_replication, result.records, strict=True):
        flow = metrics["flows"]["residents"]
        served = ~np.isnan(rec.entity_exit)
        for cls in ("e_channel", "manual"):
            row = flow["classes"][cls]
            mine = rec.entity_subflow == names.index(f"residents.{cls}")
            assert row["served"] == (mine & served).sum()
            assert row["served"] + row["unfinished"] == mine.sum()
            assert set(row) >= {"wait_mean_s", "wait_p95_s", "system_time_mean_s", "hourly"}
        assert sum(flow["classes"][c]["served"] for c in flow["classes"]) == flow["served"]
    for cls in ("e_channel", "manual"):
        means = [m["flows"]["residents"]["classes"][cls]["served"] for m in result.per_replication]
        assert summary["classes"][cls]["served"]["mean"] == np.mean(means)
