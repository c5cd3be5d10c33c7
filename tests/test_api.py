"""The public API is what ``__all__`` lists, and every name in it exists."""

from __future__ import annotations

import portsim


def test_every_public_name_exists() -> None:
    assert len(set(portsim.__all__)) == len(portsim.__all__)
    for name in portsim.__all__:
        assert hasattr(portsim, name), name


def test_the_core_of_the_api_is_public() -> None:
    for name in (
        "load_scenario",
        "simulate",
        "compare",
        "Scenario",
        "SimulationResult",
        "Records",
        "VISIT_FIELDS",
        "ScenarioError",
        "apply_overrides",
        "theory",
    ):
        assert name in portsim.__all__, name
