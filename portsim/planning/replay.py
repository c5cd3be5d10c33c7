"""Reporting a results store again: every sweep, plan and capacity search it holds, rebuilt
from its recorded definition and its stored runs alone — nothing is simulated, and a request
that was interrupted is an error that says to resume it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..scenario.load import scenario_from_dict
from .requests import Setup, capacity, plan, sweep_result
from .store import ResultStore, open_store
from .vary import Level, Parameter

__all__ = ["replay"]


def _parameters_from(definition: Mapping[str, Any]) -> list[Parameter]:
    return [
        Parameter(
            p["name"],
            tuple(
                Level(label, value, tuple((a, v) for a, v in sets))
                for label, value, sets in p["levels"]
            ),
        )
        for p in definition["parameters"]
    ]


def replay(store: ResultStore | str) -> list[tuple[str, Any]]:
    """Every request the store holds, reported again from its runs alone (nothing is
    simulated; a request that was interrupted is an error that says to resume it)."""
    opened = open_store(store)
    out: list[tuple[str, Any]] = []
    for request in opened.requests():
        scenario = scenario_from_dict(opened.load_scenario(request.scenario))
        d = request.definition
        setup = Setup(seed=d["seed"], store=opened, resume=True, workers=1)
        if request.kind == "sweep":
            result: Any = sweep_result(
                scenario,
                _parameters_from(d),
                replications=d["replications"],
                setup=setup,
                compute=False,
                targets=d.get("targets", ()),
            )
        elif request.kind == "plan":
            result = plan(
                scenario,
                _parameters_from(d),
                d["targets"],
                cost=d["cost"],
                per_hour=d["per_hour"],
                replications=d["replications"],
                max_replications=d["max_replications"],
                confidence=d["confidence"],
                exhaustive=d["exhaustive"],
                setup=setup,
                compute=False,
            )
        else:
            result = capacity(
                scenario,
                d["scale"],
                d["targets"],
                factors=d["factors"],
                replications=d["replications"],
                max_replications=d["max_replications"],
                confidence=d["confidence"],
                exhaustive=d["exhaustive"],
                setup=setup,
                compute=False,
            )
        out.append((request.kind, result))
    return out
