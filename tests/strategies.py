"""Hypothesis strategies for scenario files, as the plain data a YAML file parses to."""

from __future__ import annotations

import copy
import itertools
from typing import Any

from hypothesis import strategies as st

NAMES = st.sampled_from(["a", "b", "c", "exit", "entry", "secondary", "x-ray", "窗口"])

durations = st.one_of(
    st.floats(min_value=0.5, max_value=120, allow_nan=False, allow_infinity=False),
    st.integers(min_value=1, max_value=120).map(lambda n: f"{n}s"),
    st.sampled_from(["0.5min", "1min", "1.5min"]),
)


@st.composite
def distributions(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(
        st.sampled_from(
            [
                "exponential",
                "constant",
                "lognormal",
                "gamma",
                "uniform",
                "triangular",
                "empirical",
                "weibull",
            ]
        )
    )
    if kind == "exponential":
        return {"dist": kind, "mean": draw(durations)}
    if kind == "constant":
        return {"dist": kind, "value": draw(durations)}
    if kind in {"lognormal", "gamma", "weibull"}:
        cv = draw(st.floats(min_value=0.1, max_value=2.0))
        return {"dist": kind, "mean": draw(durations), "cv": cv}
    low = draw(st.floats(min_value=0, max_value=30))
    high = low + draw(st.floats(min_value=0.5, max_value=60))
    if kind == "uniform":
        return {"dist": kind, "low": low, "high": high}
    if kind == "triangular":
        mode = draw(st.floats(min_value=low, max_value=high))
        return {"dist": kind, "low": low, "mode": mode, "high": high}
    values = draw(st.lists(st.floats(min_value=0, max_value=90), min_size=1, max_size=5))
    return {"dist": kind, "values": values}


@st.composite
def schedules(draw: st.DrawFn, at_least_one_open: bool = True) -> list[dict[str, Any]]:
    """Non-overlapping entries within a day, in hours or with units."""
    cuts = sorted(draw(st.sets(st.integers(0, 48), min_size=2, max_size=6)))
    entries = []
    for start, end in itertools.pairwise(cuts):
        if draw(st.booleans()) or not entries:
            entries.append(
                {"from": f"{start / 2:g}h", "to": f"{end / 2:g}h", "count": draw(st.integers(0, 3))}
            )
    if at_least_one_open and not any(e["count"] for e in entries):
        entries[0]["count"] = 1
    return entries


@st.composite
def lane_groups(draw: st.DrawFn, flow_names: list[str], g: int) -> dict[str, Any]:
    """Lane group ``g`` of a stage; group 0 serves everyone, so every flow is served."""
    group: dict[str, Any] = {"name": f"g{g}", "service": draw(distributions())}
    if draw(st.booleans()):
        group["count"] = draw(st.integers(min_value=1, max_value=4))
    else:
        group["schedule"] = draw(schedules())
        if g == 0:  # open from midnight: short horizons still serve every flow
            first = group["schedule"][0]
            first["from"], first["count"] = "0h", max(first["count"], 1)
    if draw(st.booleans()):
        group["queue"] = "per_lane"
    if draw(st.booleans()):
        group["service_by_flow"] = {flow_names[0]: draw(distributions())}
    if g > 0 and draw(st.booleans()):
        group["serves"] = draw(st.lists(st.sampled_from(flow_names), min_size=1, unique=True))
        if "service_by_flow" in group and flow_names[0] not in group["serves"]:
            del group["service_by_flow"]
    return group


@st.composite
def stages(draw: st.DrawFn, name: str, flow_names: list[str]) -> dict[str, Any]:
    groups = [
        draw(lane_groups(flow_names, g)) for g in range(draw(st.integers(min_value=1, max_value=3)))
    ]
    stage: dict[str, Any] = {"name": name, "lanes": groups}
    if draw(st.booleans()):
        stage["transfer"] = draw(distributions())
    if draw(st.booleans()):
        stage["space"] = draw(st.integers(1, 20))
    return stage


@st.composite
def flows(draw: st.DrawFn, name: str, stage_names: list[str]) -> dict[str, Any]:
    route: list[Any] = []
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        stage_name = draw(st.sampled_from(stage_names))
        if draw(st.booleans()):
            route.append(stage_name)
        else:
            route.append({"stage": stage_name, "p": draw(st.floats(0, 1))})
    if draw(st.booleans()):
        arrivals: dict[str, Any] = {"rate": draw(st.sampled_from(["60/h", "2/min", 0.02, "500/d"]))}
    else:
        arrivals = {
            "daily_total": draw(st.floats(min_value=10, max_value=3000)),
            "profile": draw(st.lists(st.integers(0, 5), min_size=24, max_size=24).filter(any)),
        }
    return {
        "name": name,
        "kind": draw(st.sampled_from(["passenger", "car", "coach", "truck"])),
        "arrivals": arrivals,
        "route": route,
    }


@st.composite
def scenarios(draw: st.DrawFn, max_flows: int = 3, max_stages: int = 3) -> dict[str, Any]:
    """A valid scenario small enough to simulate in a fraction of a second."""
    stage_names = draw(st.lists(NAMES, min_size=1, max_size=max_stages, unique=True))
    flow_names = draw(
        st.lists(
            st.sampled_from(["residents", "visitors", "cars", "coaches"]),
            min_size=1,
            max_size=max_flows,
            unique=True,
        )
    )
    return {
        "name": "generated",
        "horizon": draw(st.sampled_from(["2h", "6h", 7200, "1d"])),
        "warmup": draw(st.sampled_from([0, "30min", 600])),
        "replications": draw(st.integers(1, 3)),
        "seed": draw(st.integers(0, 2**32)),
        "flows": [draw(flows(name, stage_names)) for name in flow_names],
        "stages": [draw(stages(name, flow_names)) for name in stage_names],
    }


# -- ports with groups, classes, vehicles whose passengers alight and meet, choices
#
# Each coach's own route keeps its segments apart: ``booth`` only before the passengers
# alight, ``park`` and ``yard`` only between alighting and meeting, ``gate`` only after the
# meeting; so a test can tell from a coach's visits when it alighted and when it reached the
# meeting point. Every other flow and the passengers' sub-route may visit any stage.
PORT_STAGES = ("booth", "park", "yard", "gate", "hall", "health")
counts = st.one_of(
    st.builds(lambda v: {"dist": "constant", "value": v}, st.integers(1, 6)),
    st.builds(
        lambda v: {"dist": "empirical", "values": v},
        st.lists(st.integers(1, 8), min_size=1, max_size=4),
    ),
    st.builds(
        lambda low, extra: {"dist": "uniform", "low": low, "high": low + extra},
        st.integers(1, 4),
        st.integers(0, 4),
    ),
)


@st.composite
def port_arrivals(draw: st.DrawFn, group: bool) -> dict[str, Any]:
    """Poisson, regular or timed arrivals, with a group per arrival when ``group`` (timed
    ones may instead bring each its own load: a timetable with loads)."""
    kind = draw(st.sampled_from(["rate", "every", "times"]))
    if kind == "rate":
        arrivals: dict[str, Any] = {"rate": draw(st.sampled_from(["20/h", "60/h", "2/min"]))}
    elif kind == "every":
        arrivals = {"every": draw(st.sampled_from(["90s", "5min", "20min"]))}
    else:
        times = sorted(draw(st.lists(st.integers(0, 4 * 3600), min_size=1, max_size=12)))
        arrivals = {"times": times}
        if group and draw(st.booleans()):
            loads = draw(st.lists(st.integers(1, 6), min_size=len(times), max_size=len(times)))
            return {"times": [{"at": t, "load": n} for t, n in zip(times, loads, strict=True)]}
    if group:
        arrivals["group"] = draw(counts)
    return arrivals


def _visit(draw: st.DrawFn, stage_names: list[str]) -> Any:
    """A stage, a stage with a probability, or a choice among distinct stages."""
    kind = draw(st.sampled_from(["stage", "p", "choose"]))
    if kind == "stage" or (kind == "choose" and len(stage_names) < 2):
        return draw(st.sampled_from(stage_names))
    if kind == "p":
        return {"stage": draw(st.sampled_from(stage_names)), "p": draw(st.floats(0, 1))}
    options = draw(st.lists(st.sampled_from(stage_names), min_size=1, max_size=3, unique=True))
    ps = draw(st.lists(st.floats(0, 1), min_size=len(options), max_size=len(options)))
    total = max(1.0, sum(ps))
    return {
        "choose": [{"stage": s, "p": p / total * 0.999} for s, p in zip(options, ps, strict=True)]
    }


def _segment(draw: st.DrawFn, stage_names: list[str], most: int) -> list[Any]:
    return [_visit(draw, stage_names) for _ in range(draw(st.integers(0, most)))]


@st.composite
def port_scenarios(draw: st.DrawFn) -> dict[str, Any]:
    """A small port: walkers in classes, a train's groups, coaches whose passengers alight
    (onto ``hall_route``) and may meet their coach, cars with occupants, trucks that choose."""
    anywhere = ["hall", "health"]
    classes = draw(st.integers(0, 3))
    shares = draw(st.lists(st.integers(0, 4), min_size=classes, max_size=classes))
    if shares and not any(shares):
        shares[0] = 1
    coach_route: list[Any] = [
        *_segment(draw, ["booth"], 2),
        {"alight": "hall_route"},
        *_segment(draw, ["park", "yard"], 2),
    ]
    if draw(st.booleans()):
        coach_route += [{"meet": "passengers"}, *_segment(draw, ["gate"], 1)]
    flows: list[dict[str, Any]] = [
        {
            "name": "walkers",
            "arrivals": draw(port_arrivals(group=draw(st.booleans()))),
            "classes": [{"name": f"k{i}", "share": s / sum(shares)} for i, s in enumerate(shares)],
            "route": [_visit(draw, anywhere)],
        },
        {
            "name": "coaches",
            "kind": "coach",
            "arrivals": draw(port_arrivals(group=False)),
            "occupants": draw(counts),
            "route": coach_route,
        },
        {
            "name": "cars",
            "kind": draw(st.sampled_from(["car", "truck"])),
            "arrivals": draw(port_arrivals(group=False)),
            "route": [_visit(draw, list(PORT_STAGES)) for _ in range(draw(st.integers(1, 2)))],
        },
    ]
    if draw(st.booleans()):
        flows[2]["occupants"] = draw(counts)
    served = ["walkers", *(f"walkers.k{i}" for i in range(classes)), "coaches"]
    served += ["coaches.passengers", "cars"]
    stages = []
    for name in PORT_STAGES:
        groups = [draw(lane_groups(served, g)) for g in range(draw(st.integers(1, 2)))]
        for group in groups:
            if draw(st.booleans()):
                group["service_per_occupant"] = draw(distributions())
        stage: dict[str, Any] = {"name": name, "lanes": groups}
        if draw(st.booleans()):
            stage["transfer"] = draw(distributions())
        stages.append(stage)
    targets = [
        {
            "name": f"t{i}",
            "flow": flow,
            "wait_within": draw(st.sampled_from([60, 600])),
            "share": 0.8,
        }
        for i, flow in enumerate(draw(st.lists(st.sampled_from(served), max_size=2)))
    ]
    return {
        "name": "generated port",
        "targets": targets,
        "horizon": draw(st.sampled_from(["2h", "4h", "6h"])),
        "warmup": draw(st.sampled_from([0, "20min"])),
        "replications": draw(st.integers(1, 2)),
        "seed": draw(st.integers(0, 2**32)),
        "flows": flows,
        "routes": {"hall_route": [_visit(draw, anywhere) for _ in range(draw(st.integers(1, 2)))]},
        "stages": stages,
    }


LEVELS = st.sampled_from([None, 0, 1, 2])


@st.composite
def prioritised(draw: st.DrawFn, data: dict[str, Any]) -> dict[str, Any]:
    """``data`` (a scenario) with a priority (0 to 2, or none) on some flows, and on some
    flows two classes, each of a priority of its own or the flow's."""
    flows = []
    for given in data["flows"]:
        flow = {**given}
        if (level := draw(LEVELS)) is not None:
            flow["priority"] = level
        if draw(st.booleans()):
            share = draw(st.sampled_from([0.2, 0.5, 0.9]))
            classes = [{"name": "crew", "share": share}, {"name": "others", "share": 1 - share}]
            for cls in classes:
                if (level := draw(LEVELS)) is not None:
                    cls["priority"] = level
            flow["classes"] = classes
        flows.append(flow)
    return {**data, "flows": flows}


# -- staff pools: officers shared by lane groups (and dual-facing counters)


def _group_lanes(group: dict[str, Any]) -> int:
    """The most lanes a generated group ever has (its plan's, or ``built``)."""
    planned = group.get("count") or max(e["count"] for e in group.get("schedule", [{"count": 0}]))
    return max(planned, group.get("built", 0))


def _pools_of(group: dict[str, Any]) -> list[str]:
    """The pools a generated lane group draws on."""
    staff = group.get("staff")
    if staff is None:
        return []
    return [staff] if isinstance(staff, str) else list(staff)


def _per_lane(group: dict[str, Any], pool: str) -> int:
    """The units of ``pool`` a generated group's lane takes."""
    each = group.get("staff_per_lane", 1)
    return int(each.get(pool, 1)) if isinstance(each, dict) else int(each)


def with_ample_pool(data: dict[str, Any], members: list[bool], switch: object) -> dict[str, Any]:
    """``data`` (a staffed scenario) with one more pool, ``extra``, drawn on also by the
    staffed groups ``members`` picks: a unit for every lane they can ever open, always on
    duty, lending to nobody (it should change nothing)."""
    out = copy.deepcopy(data)
    groups = [g for s in out["stages"] for g in s["lanes"] if "staff" in g]
    users = [g for g, member in zip(groups, members, strict=False) if member]
    for group in users:
        group["staff"] = [*_pools_of(group), "extra"]
        each = group.get("staff_per_lane", 1)
        if not isinstance(each, dict):
            each = dict.fromkeys(_pools_of(group)[:-1], each)
        group["staff_per_lane"] = {**each, "extra": 1}
    count = max(1, sum(_group_lanes(g) for g in users))
    out["staff"] = [*out["staff"], {"name": "extra", "count": count, "switch": switch}]
    return out


@st.composite
def staffed_scenarios(draw: st.DrawFn, *, ample: bool = False) -> dict[str, Any]:
    """A generated scenario whose lane groups (some, at least one) draw on one or two staff
    pools (with two, some groups on both at once), of a count or a schedule, with a switch
    time, officers per lane, opening rules and lending, and sometimes the port's opening
    hours. With ``ample`` a single pool with officers for every lane every group can ever
    open, always on duty, and no lending: it should change nothing."""
    data = draw(scenarios())
    groups = [g for s in data["stages"] for g in s["lanes"]]
    for group in groups:
        if draw(st.booleans()):
            group["built"] = _group_lanes(group) + draw(st.integers(1, 2))
            group["opening"] = {
                "open_above": draw(st.sampled_from(["1min", "3min"])),
                "close_below": "30s",
                "delay": draw(st.sampled_from([0, "1min"])),
            }
    pools = 1 if ample else draw(st.integers(1, 2))
    members = draw(st.lists(st.booleans(), min_size=len(groups), max_size=len(groups)))
    members[0] = True
    lenders: set[str] = set()  # pools with a group that has a lend line: they lend
    for group, member in zip(groups, members, strict=True):
        if member:
            group["staff"] = f"p{draw(st.integers(0, pools - 1))}"
            group["staff_per_lane"] = draw(st.integers(1, 2))
            if pools == 2 and not ample and draw(st.booleans()):  # a lane takes one of each
                both = draw(st.permutations(["p0", "p1"]))
                group["staff"] = both
                group["staff_per_lane"] = draw(
                    st.sampled_from([1, 2, {"p0": 2}, {"p1": 2}, {"p0": 1, "p1": 2}])
                )
            if not ample and draw(st.booleans()):
                group["lend_below"] = draw(st.sampled_from(["20s", "2min"]))
                lenders |= set(_pools_of(group))
    switch = draw(st.sampled_from([0, "30s", "2min"]))
    switches = [switch, draw(st.sampled_from([0, "30s", "2min"])) if pools == 2 else switch]
    staff = []
    for p in range(pools):
        pool: dict[str, Any] = {"name": f"p{p}", "switch": switches[p]}
        users = [g for g in groups if f"p{p}" in _pools_of(g)]
        need = max([_per_lane(g, f"p{p}") for g in users], default=1)
        if ample:
            pool["count"] = sum(g["staff_per_lane"] * _group_lanes(g) for g in users)
        elif draw(st.booleans()):
            pool["count"] = draw(st.integers(need, 6))
        else:
            pool["schedule"] = draw(schedules())
            pool["schedule"][0]["count"] = max(pool["schedule"][0]["count"], need)
        if f"p{p}" in lenders or (not ample and draw(st.booleans())):
            pool["lend"] = True
        staff.append(pool)
    data["staff"] = staff
    if not ample and draw(st.booleans()):  # the port's hours: lanes frozen, then shut
        data["hours"] = {"open": draw(st.sampled_from(["00:30", "01:00"])), "close": "1.5h"}
    return data
