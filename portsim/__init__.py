"""portsim: discrete-event simulation of travellers and vehicles clearing a border port.

The public API is what ``__all__`` lists; everything else may change. The data flows one
way through the subpackages: :mod:`~portsim.scenario` (the file, validated) →
:mod:`~portsim.model` (compiled) → :mod:`~portsim.engine` (one replication on SimPy) →
:mod:`~portsim.results` (records, metric rows, statistics) → :mod:`~portsim.run` (simulate,
compare, tasks) → :mod:`~portsim.report` (text).
"""

from typing import Any

from . import theory
from .errors import PortsimError, ScenarioError, UsageError
from .report import format_comparison, format_report, format_show
from .report.sensitivity import format_sensitivity
from .results import VISIT_FIELDS, Records
from .run import Comparison, SimulationResult, compare, simulate
from .run.capacity import CapacityResult
from .run.plan import PlanResult
from .run.planning import capacity, plan, sweep
from .run.replay import replay
from .run.sensitivity import Assumption, SensitivityResult, sensitivity
from .run.staffing import StaffingResult
from .run.store import SQLiteStore
from .run.sweep import SweepResult
from .scenario import (
    Calendar,
    CalendarDays,
    Clearance,
    ClearanceStop,
    ColocatedChecks,
    Constant,
    CooperativeInspection,
    DailyProfileArrivals,
    Empirical,
    Exponential,
    Flow,
    Gamma,
    LaneGroup,
    LogNormal,
    OpeningHours,
    OpeningRule,
    PoissonArrivals,
    ReferenceFigure,
    RegularArrivals,
    RouteStep,
    Scenario,
    ScheduleEntry,
    SeparateChecks,
    Shuttle,
    ShuttleCrossing,
    Stage,
    Target,
    TimedArrivals,
    Triangular,
    Uniform,
    apply_overrides,
    dump_scenario,
    load_scenario,
    scenario_from_dict,
    scenario_to_yaml,
)


def __getattr__(name: str) -> Any:
    """``__version__``, read from the installed package's metadata on first use (importing
    :mod:`importlib.metadata` costs more than the rest of a short run's start-up)."""
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415

        try:
            return version("portsim")
        except PackageNotFoundError:  # a source tree that was never installed
            return "0+unknown"
    raise AttributeError(f"module 'portsim' has no attribute {name!r}")


__all__ = [
    "VISIT_FIELDS",
    "Assumption",
    "Calendar",
    "CalendarDays",
    "CapacityResult",
    "Clearance",
    "ClearanceStop",
    "ColocatedChecks",
    "Comparison",
    "Constant",
    "CooperativeInspection",
    "DailyProfileArrivals",
    "Empirical",
    "Exponential",
    "Flow",
    "Gamma",
    "LaneGroup",
    "LogNormal",
    "OpeningHours",
    "OpeningRule",
    "PlanResult",
    "PoissonArrivals",
    "PortsimError",
    "Records",
    "ReferenceFigure",
    "RegularArrivals",
    "RouteStep",
    "SQLiteStore",
    "Scenario",
    "ScenarioError",
    "ScheduleEntry",
    "SensitivityResult",
    "SeparateChecks",
    "Shuttle",
    "ShuttleCrossing",
    "SimulationResult",
    "StaffingResult",
    "Stage",
    "SweepResult",
    "Target",
    "TimedArrivals",
    "Triangular",
    "Uniform",
    "UsageError",
    "__version__",
    "apply_overrides",
    "capacity",
    "compare",
    "dump_scenario",
    "format_comparison",
    "format_report",
    "format_sensitivity",
    "format_show",
    "load_scenario",
    "plan",
    "replay",
    "scenario_from_dict",
    "scenario_to_yaml",
    "sensitivity",
    "simulate",
    "sweep",
    "theory",
]
