"""Results, step four of the data flow: records, metric rows, statistics across
replications, pledges and documented figures, and the run JSON as a view of the rows.

Its names are imported when first read (:mod:`portsim.lazy`), so that importing one of
its modules does not import them all.
"""

from typing import TYPE_CHECKING

from ..lazy import lazy_package

if TYPE_CHECKING:
    from .catalog import CATALOG, Metric, metric
    from .figures import FigureResult, compare_figures, resolve_metric
    from .metrics import replication_table
    from .pledges import verdict
    from .records import VISIT_FIELDS, Records, records_from_log
    from .rows import ALL_HOURS, MetricKey, MetricTable, as_rows, key_of_path
    from .scopes import OVERALL, Scope, metric_paths
    from .statistics import Stat, aggregate, estimate, paired, student_t_quantile, t_interval
    from .summary import PledgeResult, Summary, run_summary

lazy_package(
    __name__,
    {
        ".catalog": ("CATALOG", "Metric", "metric"),
        ".figures": ("FigureResult", "compare_figures", "resolve_metric"),
        ".metrics": ("replication_table",),
        ".pledges": ("verdict",),
        ".records": ("VISIT_FIELDS", "Records", "records_from_log"),
        ".rows": ("ALL_HOURS", "MetricKey", "MetricTable", "as_rows", "key_of_path"),
        ".scopes": ("OVERALL", "Scope", "metric_paths"),
        ".statistics": (
            "Stat",
            "aggregate",
            "estimate",
            "paired",
            "student_t_quantile",
            "t_interval",
        ),
        ".summary": ("PledgeResult", "Summary", "run_summary"),
    },
)

__all__ = [
    "ALL_HOURS",
    "CATALOG",
    "OVERALL",
    "VISIT_FIELDS",
    "FigureResult",
    "Metric",
    "MetricKey",
    "MetricTable",
    "PledgeResult",
    "Records",
    "Scope",
    "Stat",
    "Summary",
    "aggregate",
    "as_rows",
    "compare_figures",
    "estimate",
    "key_of_path",
    "metric",
    "metric_paths",
    "paired",
    "records_from_log",
    "replication_table",
    "resolve_metric",
    "run_summary",
    "student_t_quantile",
    "t_interval",
    "verdict",
]
