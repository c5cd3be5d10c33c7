"""portsim: discrete-event simulation of travellers and vehicles clearing a border port.

The public API is what ``__all__`` lists; everything else may change.
"""

from . import theory
from .clearance import (
    Clearance,
    ClearanceStop,
    ColocatedChecks,
    CooperativeInspection,
    SeparateChecks,
    Shuttle,
    ShuttleCrossing,
)
from .comparison import Comparison, compare
from .distributions import (
    Constant,
    Empirical,
    Exponential,
    Gamma,
    LogNormal,
    Triangular,
    Uniform,
)
from .engine import ReplicationResult, run_replication
from .errors import ScenarioError
from .lanes import LaneGroup
from .model import Model, compile_scenario
from .overrides import apply_overrides
from .records import VISIT_FIELDS, Records
from .reference import ReferenceFigure
from .report import format_report
from .scenario import (
    DailyProfileArrivals,
    Flow,
    PoissonArrivals,
    RouteStep,
    Scenario,
    ScheduleEntry,
    Stage,
    dump_scenario,
    load_scenario,
    scenario_from_dict,
    scenario_to_yaml,
)
from .simulation import SimulationResult, simulate
from .targets import Target

__version__ = "0.1.0"

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
    "Model",
    "PoissonArrivals",
    "Records",
    "ReferenceFigure",
    "ReplicationResult",
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
    "Triangular",
    "Uniform",
    "__version__",
    "apply_overrides",
    "compare",
    "compile_scenario",
    "dump_scenario",
    "format_report",
    "load_scenario",
    "run_replication",
    "scenario_from_dict",
    "scenario_to_yaml",
    "simulate",
    "theory",
]
