"""Reports, the last step of the data flow: the text a planner reads, and ``show``, which
describes the input (in words, and drawn: :func:`draw_diagram`).

Its names are imported when first read (:mod:`portsim.lazy`), so that importing one of
its modules does not import them all.
"""

from typing import TYPE_CHECKING

from ..lazy import lazy_package

if TYPE_CHECKING:
    from .diagram import draw_diagram, write_diagram
    from .progress import planning_display, progress_display
    from .show import format_show
    from .text import format_comparison, format_report

lazy_package(
    __name__,
    {
        ".diagram": ("draw_diagram", "write_diagram"),
        ".progress": ("planning_display", "progress_display"),
        ".show": ("format_show",),
        ".text": ("format_comparison", "format_report"),
    },
)

__all__ = [
    "draw_diagram",
    "format_comparison",
    "format_report",
    "format_show",
    "planning_display",
    "progress_display",
    "write_diagram",
]
