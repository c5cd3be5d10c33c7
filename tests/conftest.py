"""Hypothesis profiles: ``default`` explores new examples on every run; ``ci`` (chosen when
the CI variable is set) is derandomized, so a landing never depends on luck; ``thorough``
(``HYPOTHESIS_PROFILE=thorough``) runs ten times as many examples, for a bug hunt.

Time limits (pytest-timeout): each test has ``timeout`` of pyproject.toml, a test marked
``slow`` :data:`SLOW_TIMEOUT`, and the thorough profile ten times either; a limit given on
the command line (``--timeout N``, 0 for none) or in ``PYTEST_TIMEOUT`` holds for every
test, and a test's own ``timeout`` marker for itself."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

_COMMON = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}
settings.register_profile("default", max_examples=60, **_COMMON)
settings.register_profile("ci", max_examples=60, derandomize=True, print_blob=True, **_COMMON)
settings.register_profile("thorough", max_examples=600, **_COMMON)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "default")
settings.load_profile(PROFILE)

#: the time limit of a test marked slow, in seconds: the slowest, the Spring Festival's
#: library day, took 82 s on 2 cores at a load of 4-5, 2.3 times as long under CI's coverage
#: run (190 s); three times that as the margin
SLOW_TIMEOUT = 600


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The slow tests' limit, and ten times the limits for the thorough profile, unless the
    command line or the environment set one limit for all."""
    if not config.pluginmanager.hasplugin("timeout"):
        return  # pytest-timeout is not installed: no limits
    if config.getoption("timeout", None) is not None or os.environ.get("PYTEST_TIMEOUT"):
        return
    usual = float(config.getini("timeout") or 0)
    scale = 10 if PROFILE == "thorough" else 1
    for item in items:
        if item.get_closest_marker("timeout") is not None:
            continue
        limit = SLOW_TIMEOUT if item.get_closest_marker("slow") is not None else usual
        if limit and (limit, scale) != (usual, 1):
            item.add_marker(pytest.mark.timeout(limit * scale))
