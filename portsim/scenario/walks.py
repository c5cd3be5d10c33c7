"""Walks given as a distance at a walking speed: ``{walk: 400m, speed: 1.3}``, converted once
at load to the seconds the walk takes (``400 / 1.3``), wherever a duration goes.

The speed is in metres a second, a number or a shared assumption's
(``speed: {assumption: walking_speed}``, :mod:`.assumptions`); the distance in metres
(``400m``, ``0.4km`` or a plain number). A walk that takes longer for some travellers than
for others is a distribution whose bounds are walks, each converted::

    transfer:
      dist: uniform
      low: {walk: 144m, speed: {assumption: walking_speed}}    # 2 min at 1.2 m/s
      high: {walk: 360m, speed: {assumption: walking_speed}}   # 5 min

The spread is then one of distance (where a traveller starts and ends in the halls), the
speed shared by all.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from ..errors import ScenarioError
from ..units import shown

__all__ = ["SPEED", "WALK", "is_walk", "walk_seconds"]

#: the keys of a walk
WALK = "walk"
SPEED = "speed"
_DISTANCE = re.compile(r"^\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*(m|km)\s*$")
_METRES = {"m": 1.0, "km": 1000.0}
_FORM = "a walk is {walk: 400m, speed: 1.3} (metres, and metres a second)"


def is_walk(node: Mapping[Any, Any]) -> bool:
    """Whether a mapping of the file is a walk (it has ``walk`` and ``speed``)."""
    return WALK in node and SPEED in node


def _metres(given: Any, where: str) -> float:
    if isinstance(given, str):
        match = _DISTANCE.match(given)
        if match:
            return float(match.group(1)) * _METRES[match.group(2)]
    elif not isinstance(given, bool) and isinstance(given, int | float):
        return float(given)
    raise ScenarioError(f"{where}.{WALK}", f"{shown(given)} is not a distance: write 400m or 0.4km")


def walk_seconds(node: Mapping[Any, Any], where: str) -> float:
    """The seconds a walk takes: its distance over its speed (both read here)."""
    extra = sorted(set(map(str, node)) - {WALK, SPEED})
    if extra:
        raise ScenarioError(where, f"{_FORM}, not with {extra[0]!r}")
    metres = _metres(node[WALK], where)
    speed = node[SPEED]
    if isinstance(speed, bool) or not isinstance(speed, int | float):
        raise ScenarioError(f"{where}.{SPEED}", f"{shown(speed)}: {_FORM}")
    if not (math.isfinite(metres) and metres >= 0):
        raise ScenarioError(f"{where}.{WALK}", "a distance of at least 0 m")
    if not (math.isfinite(speed) and speed > 0):
        raise ScenarioError(f"{where}.{SPEED}", "a walking speed above 0 (metres a second)")
    return metres / speed
