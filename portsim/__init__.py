"""portsim: discrete-event simulation of travellers and vehicles clearing a border port.

The public API is what ``__all__`` lists; everything else may change. The data flows one
way through the subpackages: :mod:`~portsim.scenario` (the file, validated) →
:mod:`~portsim.model` (compiled) → :mod:`~portsim.engine` (one replication on SimPy) →
:mod:`~portsim.results` (records, metric rows, statistics) → :mod:`~portsim.run` (simulate,
compare, tasks) → :mod:`~portsim.report` (text).
"""

from importlib.metadata import PackageNotFoundError, version

from . import theory
from .errors import PortsimError, ScenarioError, UsageError
from .report import format_comparison, format_report, format_show
from .results import VISIT_FIELDS, Records
from .run import Comparison, SimulationResult, compare, simulate
from .scenario import (
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

try:
    __version__ = version("portsim")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = [
    "VISIT_FIELDS",
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
    "PoissonArrivals",
    "PortsimError",
    "Records",
    "ReferenceFigure",
    "RegularArrivals",
    "RouteStep",
    "Scenario",
    "ScenarioError",
    "ScheduleEntry",
    "SeparateChecks",
    "Shuttle",
    "ShuttleCrossing",
    "SimulationResult",
    "Stage",
    "Target",
    "TimedArrivals",
    "Triangular",
    "Uniform",
    "UsageError",
    "__version__",
    "apply_overrides",
    "compare",
    "dump_scenario",
    "format_comparison",
    "format_report",
    "format_show",
    "load_scenario",
    "scenario_from_dict",
    "scenario_to_yaml",
    "simulate",
    "theory",
]
