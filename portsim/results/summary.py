"""The summary of a run, typed: each metric's :class:`~.statistics.Stat` by scope, hour and
day, each pledge's share and verdict, the documented figures beside the simulated ones, and
the facts of the run (seed, replications, horizon, warnings, the engine's logs).

Reports read it through :meth:`Summary.stat` with a :class:`~.scopes.Scope` and a metric of
the :mod:`catalog <.catalog>`, never by spelling a key::

    summary.stat(Scope.flow("visitors"), WAIT_P95)            # over the run
    summary.stat(OVERALL, WAIT_MEAN, hour=7)                   # 07:00-08:00
    summary.stat(Scope.lanes("hall", "egates"), LANE_HOURS, day=2)

The run JSON is rendered from it (:meth:`Summary.json`, :mod:`.json_view`); indexing a
summary (``summary["overall"][WAIT_P95.name]``) reads that JSON, as scripts written for
earlier versions do. A comparison's paired differences are a summary too, without the run's
facts.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..model.days import Days
from ..model.model import Model
from .catalog import DAY_PREFIX, SHARE, Metric, metric
from .figures import FigureResult, Validation, compare_figures, validation_verdict
from .pledges import verdict
from .rows import ALL_HOURS, MetricKey, MetricTable
from .scopes import Scope
from .statistics import Stat

__all__ = ["Day", "PledgeResult", "RunFacts", "Summary", "run_summary"]


@dataclass(frozen=True, slots=True)
class Day:
    """A day of the run: its index from 0, and its date and type from the calendar."""

    index: int
    date: str | None = None
    type: str | None = None

    @property
    def number(self) -> int:
        """The day counted from 1, as reports and metric paths count it."""
        return self.index + 1

    @property
    def words(self) -> str:
        """``day 3``, or ``day 3 (2008-02-04)`` with a calendar start."""
        return f"day {self.number}" + (f" ({self.date})" if self.date else "")


@dataclass(frozen=True, slots=True)
class PledgeResult:
    """A service pledge measured: the share of its travellers within its wait, the 95 %
    interval, and the verdict (``pass``, ``fail``, ``inconclusive``), over the run, by hour
    and by day."""

    name: str
    flow: str | None
    stage: str | None
    wait_within: float
    pledged: float
    share: Stat
    verdict: str
    hourly: tuple[Stat, ...] = ()
    #: each day's share and verdict (a run with days)
    daily: tuple[tuple[Stat, str], ...] = ()

    @property
    def scope(self) -> Scope:
        return Scope.pledge(self.name)

    @property
    def for_whom(self) -> str:
        """``flow visitors``, ``stage exit`` or ``all travellers``."""
        if self.flow:
            return f"flow {self.flow}"
        return f"stage {self.stage}" if self.stage else "all travellers"


@dataclass(frozen=True, slots=True)
class RunFacts:
    """What a run's summary holds besides statistics."""

    scenario: str
    replications: int
    seed: int
    horizon: float
    warmup: float
    warnings: tuple[str, ...] = ()
    #: each stage's declared space (stages that declare one)
    space: Mapping[str, int] | None = None
    pledges: tuple[PledgeResult, ...] = ()
    figures: tuple[FigureResult, ...] = ()
    validation: Validation | None = None
    #: per lane group ``(stage, group)``, each replication's log of open lanes
    #: ``(time, lanes open from then)``
    lanes_open: Mapping[tuple[str, str], tuple[tuple[tuple[float, int], ...], ...]] | None = None
    #: per lane group with an emergency line, each replication's ``(start, duration)``
    emergency_log: Mapping[tuple[str, str], tuple[tuple[tuple[float, float], ...], ...]] | None = (
        None
    )
    #: per staff pool (by name), each replication's log of committed officers ``(time,
    #: officers from then)``: on an open lane, finishing a traveller, or moving
    officers_in_use: Mapping[str, tuple[tuple[tuple[float, int], ...], ...]] | None = None
    #: per staff pool (by name), each replication's log of officers on duty
    officers_on_duty: Mapping[str, tuple[tuple[tuple[float, int], ...], ...]] | None = None


class Summary(dict[str, Any]):
    """The statistics of a run (or of a comparison's differences) by scope, metric, hour
    and day, and the run's facts. Read with :meth:`stat`.

    A summary is also the run JSON itself, a dict rendered from the statistics when it is
    made (:mod:`.json_view`; NaN as NaN, :meth:`SimulationResult.to_dict
    <portsim.run.simulate.SimulationResult.to_dict>` for plain JSON data), as scripts
    written for earlier versions read it: ``summary["overall"]["wait_mean_s"]["mean"]``.
    The typed reading does not look at the dict: changing it changes only itself."""

    __slots__ = ("_hours", "_scopes", "days", "run", "stats")

    def __init__(
        self,
        stats: Mapping[MetricKey, Stat],
        *,
        days: Days | None = None,
        run: RunFacts | None = None,
    ) -> None:
        self.stats = stats
        self.run = run
        labels = days or Days((), ())
        count = 1 + max((h for (_, _, _, h, m) in stats if m.startswith(DAY_PREFIX)), default=-1)
        self.days = tuple(
            Day(d, *(labels.dates[d], labels.types[d]) if d < len(labels) else (None, None))
            for d in range(count)
        )
        scopes: dict[Scope, None] = {}
        hours: dict[Scope, int] = {}
        for level, name, group, hour, row in stats:
            scope = Scope(level, name, group)
            scopes.setdefault(scope)
            if hour != ALL_HOURS and not row.startswith(DAY_PREFIX):
                hours[scope] = max(hours.get(scope, 0), hour + 1)
        self._scopes = tuple(scopes)
        self._hours = hours
        from .json_view import summary_json  # noqa: PLC0415 - the view imports this module

        super().__init__(summary_json(self))

    # -- the typed reading
    def find(
        self,
        scope: Scope,
        m: Metric | str,
        *,
        hour: int | None = None,
        day: int | None = None,
    ) -> Stat | None:
        """The statistic of ``m`` at ``scope`` over the run, in an hour (from 0, hours from
        00:00 of day 1) or on a day (from 0); None where the run reports none."""
        return self.stats.get(scope.key(metric(m), hour=hour, day=day))

    def stat(
        self,
        scope: Scope,
        m: Metric | str,
        *,
        hour: int | None = None,
        day: int | None = None,
    ) -> Stat:
        """:meth:`find`, or a :class:`KeyError` saying what is missing."""
        found = self.find(scope, m, hour=hour, day=day)
        if found is None:
            when = "" if hour is None and day is None else f" (hour {hour}, day {day})"
            raise KeyError(f"{scope.words} has no {metric(m).name}{when} in this run")
        return found

    def has(
        self, scope: Scope, m: Metric | str, *, hour: int | None = None, day: int | None = None
    ) -> bool:
        """Whether the run reports ``m`` at ``scope`` (over the run, in ``hour``, on ``day``)."""
        return self.find(scope, m, hour=hour, day=day) is not None

    def scopes(self, level: str, name: str | None = None) -> tuple[Scope, ...]:
        """The scopes of ``level`` the run reports, in the order of the run JSON (lane
        groups: of the stage ``name`` only, when given)."""
        return tuple(
            s for s in self._scopes if s.level == level and (name is None or s.name == name)
        )

    def hours(self, scope: Scope) -> int:
        """How many hours ``scope`` is reported by (0: none)."""
        return self._hours.get(scope, 0)

    def mean(
        self, scope: Scope, m: Metric | str, *, hour: int | None = None, day: int | None = None
    ) -> float:
        """The mean of ``m`` at ``scope`` (NaN where there is none)."""
        found = self.find(scope, m, hour=hour, day=day)
        return math.nan if found is None else found.mean

    @property
    def pledges(self) -> tuple[PledgeResult, ...]:
        return () if self.run is None else self.run.pledges

    @property
    def figures(self) -> tuple[FigureResult, ...]:
        return () if self.run is None else self.run.figures

    def json(self) -> dict[str, Any]:
        """The run JSON (a comparison's differences: their blocks) as a plain dict."""
        return dict(self)

    def __repr__(self) -> str:
        name = f" of {self.run.scenario!r}" if self.run is not None else ""
        return f"<Summary{name}: {len(self.stats)} statistics>"


def _pledges(model: Model, stats: Mapping[MetricKey, Stat]) -> tuple[PledgeResult, ...]:
    out = []
    for target in model.targets:
        scope = Scope.pledge(target.name)
        share = stats[scope.key(SHARE)]
        hours = sorted(
            h for (lv, n, _, h, m) in stats if (lv, n, m) == (scope.level, scope.name, SHARE.name)
        )
        days = len(model.days or ()) if model.multi_day else 0
        daily = [stats.get(scope.key(SHARE, day=d)) for d in range(days)]
        out.append(
            PledgeResult(
                name=target.name,
                flow=target.flow_name,
                stage=target.stage_name,
                wait_within=target.wait_within,
                pledged=target.share,
                share=share,
                verdict=verdict(share.mean, share.interval, target.share),
                hourly=tuple(stats[scope.key(SHARE, hour=h)] for h in hours if h != ALL_HOURS),
                daily=tuple(
                    (s, verdict(s.mean, s.interval, target.share)) for s in daily if s is not None
                ),
            )
        )
    return tuple(out)


def run_summary(
    model: Model,
    stats: Mapping[MetricKey, Stat],
    *,
    seed: int,
    replications: int,
    warnings: Sequence[str],
    lanes_open: Sequence[Sequence[Sequence[tuple[float, int]]]] = (),
    emergencies: Sequence[Sequence[Sequence[tuple[float, float]]]] = (),
    tables: Sequence[MetricTable] = (),
    officers_in_use: Sequence[Sequence[Sequence[tuple[float, int]]]] = (),
    officers_on_duty: Sequence[Sequence[Sequence[tuple[float, int]]]] = (),
) -> Summary:
    """The summary of a run (``docs/output.md`` for its JSON). ``lanes_open``
    holds, per replication and per lane group, the engine's log of open lanes (``(time,
    lanes)`` from time 0); ``emergencies`` the ``(start, duration)`` of each emergency of a
    group with an emergency line; ``tables``, each replication's metric rows, give the
    documented figures' intervals; ``officers_in_use`` and ``officers_on_duty``, per
    replication and per staff pool, the engine's logs of its officers."""
    names = {g.index: (model.stages[g.stage].name, g.name) for g in model.groups}
    logs = {
        names[g.index]: tuple(tuple(r[g.index]) for r in lanes_open)
        for g in model.groups
        if lanes_open
    }
    lines = {
        names[g.index]: tuple(tuple(r[g.index]) for r in emergencies)
        for g in model.groups
        if emergencies and g.rule is not None and g.rule.has_emergency_line
    }
    in_use = {p.name: tuple(tuple(r[p.index]) for r in officers_in_use) for p in model.pools}
    on_duty = {p.name: tuple(tuple(r[p.index]) for r in officers_on_duty) for p in model.pools}
    # a forecast from a state covers part of a day: the figures describe whole ones (its
    # warnings say so, :func:`~portsim.model.initial.state_warnings`)
    judged = model.figures if model.initial is None else ()
    figures = compare_figures(judged, stats, tables) if judged else ()
    facts = RunFacts(
        scenario=model.name,
        replications=replications,
        seed=seed,
        horizon=model.horizon,
        warmup=model.warmup,
        warnings=tuple(warnings),
        space={s.name: int(s.space) for s in model.stages if not math.isinf(s.space)},
        pledges=_pledges(model, stats),
        figures=figures,
        validation=validation_verdict(figures) if judged else None,
        lanes_open=logs or None,
        emergency_log=lines or None,
        officers_in_use=in_use if officers_in_use and in_use else None,
        officers_on_duty=on_duty if officers_on_duty and on_duty else None,
    )
    return Summary(stats, days=model.days, run=facts)
