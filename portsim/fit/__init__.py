"""From observed data to checked scenario inputs (``portsim fit``): service or walk times to
a distribution (:mod:`.times`: the families fitted by maximum likelihood, ranked by AIC,
each tested by a parametric bootstrap, :mod:`.bootstrap`), counts by date and hour to a
daily total and profile per day type and a calendar (:mod:`.counts`), a timetable with loads
to timed arrivals with loads (:mod:`.timetable`), and observed waits held against a run's
(:mod:`.waits`), in the run's own reports too (:mod:`.observed`). CSV files are read and
checked by :mod:`.data`: every problem is one line, ``FILE: column: problem``
(:class:`DataError`).

Fitting needs scipy (the ``fit`` extra); observed waits do not, and a run without them never
imports this package. Its names are imported when first read (:mod:`portsim.lazy`).
"""

from typing import TYPE_CHECKING

from ..lazy import lazy_package

if TYPE_CHECKING:
    from .counts import CountsFit, DirectionCounts, fit_counts_file
    from .data import DataError
    from .families import FAMILIES, FamilyFit
    from .observed import with_observed_waits
    from .times import EMPIRICAL, MIN_POINTS, TimesFit, fit_times, fit_times_file
    from .timetable import TimetableFit, fit_timetable, fit_timetable_file
    from .waits import (
        ObservedSample,
        WaitsComparison,
        compare_waits,
        read_observed,
        simulated_waits,
        validate_waits_file,
    )

lazy_package(
    __name__,
    {
        ".counts": ("CountsFit", "DirectionCounts", "fit_counts_file"),
        ".data": ("DataError",),
        ".families": ("FAMILIES", "FamilyFit"),
        ".timetable": ("TimetableFit", "fit_timetable", "fit_timetable_file"),
        ".times": ("EMPIRICAL", "MIN_POINTS", "TimesFit", "fit_times", "fit_times_file"),
        ".observed": ("with_observed_waits",),
        ".waits": (
            "ObservedSample",
            "WaitsComparison",
            "compare_waits",
            "read_observed",
            "simulated_waits",
            "validate_waits_file",
        ),
    },
)

__all__ = [
    "EMPIRICAL",
    "FAMILIES",
    "MIN_POINTS",
    "CountsFit",
    "DataError",
    "DirectionCounts",
    "FamilyFit",
    "ObservedSample",
    "TimesFit",
    "TimetableFit",
    "WaitsComparison",
    "compare_waits",
    "fit_counts_file",
    "fit_times",
    "fit_times_file",
    "fit_timetable",
    "fit_timetable_file",
    "read_observed",
    "simulated_waits",
    "validate_waits_file",
    "with_observed_waits",
]
