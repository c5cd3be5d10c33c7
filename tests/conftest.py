"""Hypothesis profiles: ``default`` explores new examples on every run; ``ci`` (chosen when
the CI variable is set) is derandomized, so a landing never depends on luck; ``thorough``
(``HYPOTHESIS_PROFILE=thorough``) runs ten times as many examples, for a bug hunt."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_COMMON = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}
settings.register_profile("default", max_examples=60, **_COMMON)
settings.register_profile("ci", max_examples=60, derandomize=True, print_blob=True, **_COMMON)
settings.register_profile("thorough", max_examples=600, **_COMMON)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "default")
)
