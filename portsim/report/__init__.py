"""Reports, the last step of the data flow: the text a planner reads, and ``show``, which
describes the input."""

from .progress import planning_display, progress_display
from .show import format_show
from .text import format_comparison, format_report

__all__ = [
    "format_comparison",
    "format_report",
    "format_show",
    "planning_display",
    "progress_display",
]
