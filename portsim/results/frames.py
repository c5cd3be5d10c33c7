"""Results as pandas DataFrames, for notebooks (``to_pandas()``); pandas is imported only
here and only when asked for (``pip install 'portsim[notebook]'``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..errors import UsageError
from .records import VISIT_FIELDS, Records
from .rows import MetricKey, MetricTable
from .statistics import Stat

__all__ = ["FRAMES", "pandas_module", "records_frame", "rows_frame", "stats_frame"]

#: what ``to_pandas`` can give
FRAMES = ("rows", "summary", "records")
KEY_COLUMNS = ["level", "name", "group", "hour", "metric"]


def pandas_module() -> Any:
    try:
        import pandas  # noqa: PLC0415 - an optional dependency
    except ImportError:
        raise UsageError("to_pandas needs pandas: pip install 'portsim[notebook]'") from None
    return pandas


def rows_frame(tables: Sequence[MetricTable], **constant: Any) -> Any:
    """Every metric row of every replication: ``replication, level, name, group, hour,
    metric, value`` (plus a column per ``constant``, such as the variant)."""
    pd = pandas_module()
    data = [(r, *key, value) for r, table in enumerate(tables) for key, value in table.items()]
    frame = pd.DataFrame(data, columns=["replication", *KEY_COLUMNS, "value"])
    for column, value in constant.items():
        frame.insert(0, column, value)
    return frame


def stats_frame(stats: Mapping[MetricKey, Stat], **constant: Any) -> Any:
    """Each metric's mean and 95 % interval over the replications: ``level, name, group,
    hour, metric, mean, ci95_low, ci95_high``."""
    pd = pandas_module()
    data = []
    for key, stat in stats.items():
        ci = stat.interval or (None, None)
        data.append((*key, stat.mean, ci[0], ci[1]))
    frame = pd.DataFrame(data, columns=[*KEY_COLUMNS, "mean", "ci95_low", "ci95_high"])
    for column, value in constant.items():
        frame.insert(0, column, value)
    return frame


def records_frame(records: Iterable[Records], **constant: Any) -> Any:
    """The per-entity records of every replication, one row per stage visit, with the
    columns of :data:`~portsim.results.records.VISIT_FIELDS`."""
    pd = pandas_module()
    frames = [pd.DataFrame(r.visit_table()) for r in records]
    if not frames:
        raise UsageError("this result has no records: run it with records=True")
    frame = pd.concat(frames, ignore_index=True)[[name for name, _ in VISIT_FIELDS]]
    for column, value in constant.items():
        frame.insert(0, column, value)
    return frame
