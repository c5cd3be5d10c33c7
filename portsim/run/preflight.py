"""Before a run: what it will cost and what is wrong with it, said before the first
replication starts rather than after the last.

:func:`preflight` compiles the scenario, estimates the work (:mod:`portsim.model.work`),
refuses an absurd run, and gives the warnings a run reports (routes that skip every stage,
offered load of stages and lane groups); :func:`usable_workers` caps the worker processes.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import UsageError
from ..model.compile import compile_scenario
from ..model.initial import start_from, state_warnings
from ..model.model import Model
from ..model.overload import overload_warnings
from ..model.skips import pledge_warnings, skip_warnings
from ..model.staff_load import staff_warnings
from ..model.unused import unused_warnings
from ..model.work import ABSURD_STEPS, LARGE_RECORDS_BYTES, WorkEstimate, estimate_work
from ..results.figures import check_figures
from ..scenario.fields import MAX_REPLICATIONS
from ..scenario.spec import Scenario
from ..scenario.state import State
from ..units import format_duration
from .tasks import default_workers

__all__ = [
    "WORKERS_PER_CORE",
    "Preflight",
    "check_replications",
    "preflight",
    "run_warnings",
    "usable_workers",
]

#: worker processes per core at most: replications are pure computation, and more
#: processes than cores only share them
WORKERS_PER_CORE = 2


@dataclass(frozen=True, slots=True, eq=False)
class Preflight:
    """A run, checked before it starts: its compiled model, the work it is, its warnings."""

    model: Model
    work: WorkEstimate
    warnings: tuple[str, ...]
    records: bool

    def notice(self) -> str | None:
        """What to say before a large run (None for a small one)."""
        work = self.work
        if not work.large:
            return None
        text = (
            f"about {_amount(work.travellers)} travellers and {_amount(work.visits)} stage "
            f"visits a replication, {work.replications} replication(s): about "
            f"{format_duration(work.seconds)} of work on one core"
        )
        if self.records and work.record_bytes >= LARGE_RECORDS_BYTES:
            text += (
                f"; the records take about {work.record_bytes / 1024**3:.0f} GB of memory "
                "(--no-records keeps memory flat)"
            )
        return text


def _amount(count: float) -> str:
    """``450,000``, ``3.2 million``, ``1.5 billion``, ``8e+13``."""
    if count >= 1e12:  # noqa: PLR2004 - past billions, powers of ten read best
        return f"{count:.1e}"
    for size, word in ((1e9, "billion"), (1e6, "million")):
        if count >= size:
            return f"{count / size:,.1f} {word}"
    return f"{count:,.0f}"


def check_replications(replications: int) -> None:
    """Replications of one run: 1 to :data:`~portsim.scenario.fields.MAX_REPLICATIONS`."""
    if replications < 1:
        raise UsageError("replications must be at least 1")
    if replications > MAX_REPLICATIONS:
        raise UsageError(
            f"{replications:,} replications is too many: at most {MAX_REPLICATIONS:,} in one run"
        )


def run_warnings(model: Model) -> list[str]:
    """The warnings a run of ``model`` reports: parts that take no part in it, routes that
    skip every stage, pledges that hold whatever, then load."""
    return (
        unused_warnings(model)
        + skip_warnings(model)
        + pledge_warnings(model)
        + overload_warnings(model)
        + staff_warnings(model)
        + state_warnings(model)
    )


def preflight(
    scenario: Scenario,
    replications: int | None = None,
    *,
    records: bool = True,
    state: State | None = None,
) -> Preflight:
    """Compile ``scenario``, check the metrics its documented figures name
    (:class:`~portsim.errors.ScenarioError`), estimate the work of ``replications`` (default:
    the scenario's) and refuse an absurd run (:class:`UsageError`). With a ``state``, the
    model starts from it (:func:`~portsim.model.initial.start_from`; a state that does not
    fit is a :class:`~portsim.model.initial.StateError`), and the warnings are the
    forecast's."""
    replications = scenario.replications if replications is None else replications
    check_replications(replications)
    model = compile_scenario(scenario)
    if state is not None:
        model = start_from(model, state)
    check_figures(scenario, model)  # the metrics the documented figures name
    work = estimate_work(model, replications)
    if work.absurd:
        raise UsageError(
            f"the run is about {_amount(work.steps)} traveller steps ({_amount(work.travellers)} "
            f"travellers a replication, {replications:,} replication(s)), more than "
            f"{_amount(ABSURD_STEPS)}: days of work; check the demand, the horizon and the "
            "replications"
        )
    return Preflight(model, work, tuple(run_warnings(model)), records)


def usable_workers(requested: int, replications: int) -> int:
    """Worker processes for a run: as requested, but no more than the replications or
    :data:`WORKERS_PER_CORE` per core."""
    if requested < 1:
        raise UsageError("workers must be at least 1")
    return max(1, min(requested, replications, WORKERS_PER_CORE * default_workers()))
