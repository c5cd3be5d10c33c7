"""A metric of the results, as the catalog (:mod:`.catalog`) describes each: its name, its
unit, the words a report prints and what it means, the values it can take, whether lower is
better, where it exists (the levels of the metric rows, over the run, by hour and by day),
the scenario feature it needs, the precision that matters and whether it counts demand."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

__all__ = ["ENTITY_LEVELS", "LEVELS", "Better", "Metric", "Needs", "Unit"]

#: what a value measures, and so how it is printed
Unit = Literal[
    "seconds",  # a duration
    "clock",  # a time of the run (seconds from 00:00 of day 1)
    "count",  # travellers, visits, events
    "per_day",  # a count per day
    "fraction",  # a share of a whole, in [0, 1]
    "people",  # travellers waiting at once
    "lanes",  # lanes open
    "lane-hours",  # staffed lanes × hours: staff time
    "officers",  # officers of a staff pool at once
    "officer-hours",  # officers × hours: a staff pool's time
]
Better = Literal["lower", "higher", ""]
#: the feature of the scenario a metric needs (``""``: none)
Needs = Literal["", "hours", "emergency", "space", "alight", "shuttle"]

#: every level of the metric rows, in the order blocks are reported
LEVELS = (
    "overall",
    "direction",
    "flow",
    "class",
    "passengers",
    "persons",
    "vehicles",
    "stage",
    "group",
    "pool",
    "target",
)
#: the levels whose blocks describe travellers (an entity's whole route)
ENTITY_LEVELS = frozenset({"overall", "direction", "flow", "class", "passengers"})


@dataclass(frozen=True, slots=True)
class Metric:
    """One metric: what it is called, how it reads, what values it takes and where."""

    name: str
    unit: Unit
    #: the words a table's header prints (``p95 wait``)
    words: str
    #: what it is, for a reader who does not know (one sentence, no full stop)
    meaning: str
    #: the levels where it exists over the whole run
    levels: frozenset[str] = frozenset()
    #: the levels where it exists hour by hour
    hourly: frozenset[str] = frozenset()
    #: the levels where it exists day by day (a run with days)
    daily: frozenset[str] = frozenset()
    better: Better = ""
    low: float = 0.0
    high: float = math.inf
    needs: Needs = ""
    #: an interval narrower than this half-width is precise enough, however wide relative
    #: to its mean (in the metric's unit)
    floor: float = 0.0
    #: whether it counts demand (a published figure of it calibrates a scenario; of any
    #: other metric, validates it)
    demand: bool = False
    #: decimals a report prints of a count, lanes or people (a duration or share chooses
    #: its own)
    digits: int = 0
    #: the metric, at the same scope and hour, whose largest value over the replications
    #: bounds this one's interval from above (officers committed: at most those on duty)
    ceiling: str = ""

    @property
    def bounds(self) -> tuple[float, float]:
        """The values it can take."""
        return self.low, self.high

    @property
    def duration(self) -> bool:
        """Whether its values are seconds (a duration or a time of the run)."""
        return self.unit in {"seconds", "clock"}

    @property
    def fraction(self) -> bool:
        """Whether it is a fraction of a whole (a bound on it lies in [0, 1])."""
        return self.unit == "fraction"

    def __repr__(self) -> str:
        return f"Metric({self.name!r})"

    def exists(self, level: str, *, hour: bool = False, day: bool = False) -> bool:
        """Whether it is reported at ``level``: over the run, by hour or by day."""
        return level in (self.daily if day else self.hourly if hour else self.levels)
