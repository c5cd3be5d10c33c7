"""The planning results' reports: the text ``portsim sweep``, ``plan``, ``capacity`` and
``report STORE`` print (:mod:`~portsim.report.planning.text`), what the plots and the HTML
report show (:mod:`~portsim.report.planning.view`), the plots
(:mod:`~portsim.report.planning.plots`, drawn by :mod:`~portsim.report.planning.sweep_plots`),
the HTML report (:mod:`~portsim.report.planning.document`) and a sensitivity analysis's text
(:mod:`~portsim.report.planning.sensitivity`). Built on the report's blocks (cells, tables,
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
