"""Results, step four of the data flow: records, metric rows, statistics across
replications, pledges and documented figures, and the run JSON as a view of the rows."""

from .figures import compare_figures, resolve_metric
from .metrics import replication_table
from .pledges import verdict
from .records import VISIT_FIELDS, Records, records_from_log
from .rows import ALL_HOURS, MetricKey, MetricTable, as_rows, key_of_path
from .statistics import Stat, aggregate, paired, student_t_quantile, t_interval
from .summary import nested_view, run_summary

__all__ = [
    "ALL_HOURS",
    "VISIT_FIELDS",
    "MetricKey",
    "MetricTable",
    "Records",
    "Stat",
    "aggregate",
    "as_rows",
    "compare_figures",
    "key_of_path",
    "nested_view",
    "paired",
    "records_from_log",
    "replication_table",
    "resolve_metric",
    "run_summary",
    "student_t_quantile",
    "t_interval",
    "verdict",
]
