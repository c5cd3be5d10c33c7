"""Metric rows: one long table per replication, from which everything downstream is computed.

A row is ``(level, name, group, hour, metric, value)``:

==========  ==================  ========  ============================================
level       name                group     metrics
==========  ==================  ========  ============================================
overall     ``""``              ``""``    entity metrics (served, waits, time in port …)
direction   a direction label   ``""``    the same, for the flows sharing the label
flow        a flow              ``""``    the same, for one flow
class       ``flow.class``      ``""``    the same, for one class of a flow
passengers  a vehicle flow      ``""``    the same, for the passengers who alight from it
persons     ``""``              ``""``    every person, on foot or aboard (weighted)
vehicles    ``""``              ``""``    every vehicle
stage       a stage             ``""``    visit metrics, utilisation, queue, space
group       the stage           a group   visit metrics, utilisation, queue, lanes open
pool        a staff pool        ``""``    officer-hours, officers on duty and busy
target      a pledge's name     ``""``    ``share`` within the pledged wait
==========  ==================  ========  ============================================

``hour`` is -1 for the whole run, else the hour from 00:00 of day 1; for the daily metrics
(named ``day_…``: :mod:`.daily`) it is the day from day 1 (0). The summary, ``compare``,
pledges and documented figures are computed from these rows; the run JSON is a view of them
(:mod:`.summary`); a results store holds the same rows.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from .catalog import DAY_PREFIX, SHARE, Metric

__all__ = [
    "ALL_HOURS",
    "RESULTS_VERSION",
    "MetricKey",
    "MetricTable",
    "TableWriter",
    "as_rows",
    "key_of_path",
]

#: ``hour`` of a row that covers the whole run
ALL_HOURS = -1
#: the version of the metric rows' definitions: raised when a change alters the rows a run
#: of the same scenario, seed and replication makes (a results store keeps runs of one
#: version only). 2: issue 22 (staffed lane-hours and utilization, served coaches, waiting
#: outside, censored waits of those in port)
RESULTS_VERSION = 2

#: (level, name, group, hour, metric)
MetricKey = tuple[str, str, str, int, str]
#: One replication's rows, in the order they were made (the order the JSON shows).
MetricTable = dict[MetricKey, float]


class TableWriter:
    """Appends rows under one (level, name, group) to a table."""

    __slots__ = ("group", "level", "name", "table")

    def __init__(self, table: MetricTable, level: str, name: str = "", group: str = "") -> None:
        self.table = table
        self.level = level
        self.name = name
        self.group = group

    def put(self, metric: Metric, value: Any, hour: int = ALL_HOURS) -> None:
        """The row of ``metric`` over the run, or in ``hour``."""
        self.table[(self.level, self.name, self.group, hour, metric.name)] = float(value)

    def put_day(self, metric: Metric, value: Any, day: int) -> None:
        """The row of ``metric`` on ``day`` (from 0): a ``day_`` metric."""
        self.table[(self.level, self.name, self.group, day, DAY_PREFIX + metric.name)] = float(
            value
        )

    def update(self, values: Mapping[Metric, float], hour: int = ALL_HOURS) -> None:
        for metric, value in values.items():
            self.put(metric, value, hour)

    def copy(self, rows: MetricTable) -> None:
        """Put ``rows``, made under any level and name, under this writer's, in order (a
        block that is the same as one already worked out)."""
        for (_, _, _, hour, metric), value in rows.items():
            self.table[(self.level, self.name, self.group, hour, metric)] = value


def as_rows(table: MetricTable) -> Iterator[tuple[str, str, str, int, str, float]]:
    """The table as 6-tuples ``(level, name, group, hour, metric, value)``."""
    for (level, name, group, hour, metric), value in table.items():
        yield level, name, group, hour, metric, value


_LEVEL_OF = {"stages": "stage", "flows": "flow", "directions": "direction", "staff": "pool"}


def key_of_path(path: str) -> MetricKey | None:
    """The row key of a whole-run metric path of the run JSON (``overall.wait_mean_s``,
    ``flows.NAME.served_per_day``, ``stages.NAME.groups.GROUP.utilization``, a pledge's
    ``targets.NAME.share``, a staff pool's ``staff.NAME.officer_hours``) or of a day's
    (``overall.daily.3.arrived``, ``flows.NAME.daily.3.wait_p95_s``,
    ``stages.NAME.daily.3.arrived``,
    ``stages.NAME.groups.GROUP.daily.3.lane_hours``, a pledge's
    ``targets.NAME.daily.3.share``, a staff pool's ``staff.NAME.daily.3.officer_hours``,
    days from 1), or None."""
    match path.split("."):
        case ["overall", metric]:
            return ("overall", "", "", ALL_HOURS, metric)
        case [plural, name, metric] if plural in _LEVEL_OF:
            return (_LEVEL_OF[plural], name, "", ALL_HOURS, metric)
        case ["stages", stage, "groups", group, metric]:
            return ("group", stage, group, ALL_HOURS, metric)
        case ["flows", flow, "classes", cls, metric]:
            return ("class", f"{flow}.{cls}", "", ALL_HOURS, metric)
        case ["flows", flow, "passengers", metric]:
            return ("passengers", flow, "", ALL_HOURS, metric)
        case ["persons" | "vehicles" as level, metric]:
            return (level, "", "", ALL_HOURS, metric)
        case ["overall", "daily", day, metric] if day.isdigit() and int(day) >= 1:
            return ("overall", "", "", int(day) - 1, DAY_PREFIX + metric)
        case ["flows" | "stages" | "staff" as plural, name, "daily", day, metric] if (
            day.isdigit() and int(day) >= 1
        ):
            return (_LEVEL_OF[plural], name, "", int(day) - 1, DAY_PREFIX + metric)
        case ["stages", stage, "groups", group, "daily", day, metric] if (
            day.isdigit() and int(day) >= 1
        ):
            return ("group", stage, group, int(day) - 1, DAY_PREFIX + metric)
        case ["targets", *name, "daily", day, SHARE.name] if name and day.isdigit() and int(day):
            return ("target", ".".join(name), "", int(day) - 1, DAY_PREFIX + SHARE.name)
        case ["targets", *name, SHARE.name] if name:  # a pledge's name may hold dots
            return ("target", ".".join(name), "", ALL_HOURS, SHARE.name)
    return None
