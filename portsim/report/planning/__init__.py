"""The planning results' reports: the text ``portsim sweep``, ``plan``, ``capacity`` and
``report STORE`` print (:mod:`~portsim.report.planning.text`), what the plots and the HTML
report show (:mod:`~portsim.report.planning.view`), the plots
(:mod:`~portsim.report.planning.plots`, drawn by :mod:`~portsim.report.planning.sweep_plots`),
the HTML report (:mod:`~portsim.report.planning.document`) and a sensitivity analysis's text
(:mod:`~portsim.report.planning.sensitivity`); all of them in a planner's words
(:mod:`~portsim.report.planning.words`: headers from the metric catalog, one unit a column,
hours as clock intervals; :mod:`~portsim.report.planning.capacity_words`: capacity in
travellers a day and in the busiest hour). Built on the report's blocks (cells, tables,
charts, HTML); the rest of the report does not import them, but for
:mod:`~portsim.report.write`, which writes any result."""

from .sensitivity import format_sensitivity
from .text import format_capacity, format_plan, format_planning, format_staffing, format_sweep

__all__ = [
    "format_capacity",
    "format_plan",
    "format_planning",
    "format_sensitivity",
    "format_staffing",
    "format_sweep",
]
