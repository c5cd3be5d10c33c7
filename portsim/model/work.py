"""How much work a run is, estimated before it starts: travellers × stage visits ×
replications, from the expected arrivals and the routes' expected visits.

The engine moves, on one core of an ordinary machine, some :data:`STEPS_PER_SECOND`
traveller steps a second (an arrival or a stage visit is a step), and the per-entity
records take about :data:`RECORD_BYTES_PER_VISIT` bytes a visit in memory. A run of
:data:`LARGE_STEPS` steps or more is said on the command line before it starts; one of
:data:`ABSURD_STEPS` or more (days on one core: ``daily_total: 1e12``, a billion
replications) is refused.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .model import Model
from .overload import subflow_rates

__all__ = [
    "ABSURD_STEPS",
    "LARGE_RECORDS_BYTES",
    "LARGE_STEPS",
    "RECORD_BYTES_PER_VISIT",
    "STEPS_PER_SECOND",
    "WorkEstimate",
    "estimate_work",
]

#: traveller steps (arrivals and stage visits) one core simulates a second, roughly
#: (the Shenzhen-scale day: about a million steps in 7 to 10 s on a shared two-core machine)
STEPS_PER_SECOND = 100_000
#: from this many steps a run is said before it starts (about a minute on one core)
LARGE_STEPS = 5_000_000
#: from this many steps a run is refused (more than a day on one core)
ABSURD_STEPS = 10_000_000_000
#: bytes the per-entity records take per stage visit (the visit's columns and its entity's)
RECORD_BYTES_PER_VISIT = 60
#: from this much memory for records the notice suggests ``--no-records``
LARGE_RECORDS_BYTES = 2 * 1024**3


@dataclass(frozen=True, slots=True)
class WorkEstimate:
    """Expected travellers and stage visits per replication, and the replications."""

    travellers: float
    visits: float
    replications: int

    @property
    def steps(self) -> float:
        """Arrivals and stage visits over every replication (infinite if they overflow)."""
        steps = (self.travellers + self.visits) * self.replications
        return steps if math.isfinite(steps) else math.inf

    @property
    def seconds(self) -> float:
        """Roughly how long the run takes on one core."""
        return self.steps / STEPS_PER_SECOND

    @property
    def record_bytes(self) -> float:
        """Roughly the memory the per-entity records of every replication take."""
        return self.visits * self.replications * RECORD_BYTES_PER_VISIT

    @property
    def large(self) -> bool:
        return self.steps >= LARGE_STEPS

    @property
    def absurd(self) -> bool:
        return self.steps >= ABSURD_STEPS


def estimate_work(model: Model, replications: int) -> WorkEstimate:
    """The expected work of ``replications`` replications of ``model``."""
    arrivals = tuple(flow.entity_rate.expected(0.0, model.horizon) for flow in model.flows)
    entities = subflow_rates(model, arrivals)  # linear in the rates: counts work as well
    travellers = sum(arrivals) + sum(
        n for sub, n in zip(model.subflows, entities, strict=True) if sub.share == 0
    )  # the flows' entities, and the passengers who alight from their vehicles
    visits = sum(n * sum(sub.visits) for sub, n in zip(model.subflows, entities, strict=True))
    return WorkEstimate(travellers, visits, replications)
