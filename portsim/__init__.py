"""portsim: discrete-event simulation of travellers and vehicles clearing a border port.

The public API is what ``__all__`` lists; everything else may change.
"""

from . import theory
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
from .model import Model, compile_scenario
from .records import VISIT_FIELDS, Records
from .report import format_report
from .scenario import (
    DailyProfileArrivals,
    Flow,
    LaneGroup,
    PoissonArrivals,
    RouteStep,
    Scenario,
    Stage,
    dump_scenario,
    load_scenario,
    scenario_from_dict,
    scenario_to_yaml,
)
from .simulation import SimulationResult, simulate

__version__ = "0.1.0"

__all__ = [
    "VISIT_FIELDS",
    "Comparison",
    "Constant",
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
    "ReplicationResult",
    "RouteStep",
    "Scenario",
    "ScenarioError",
    "SimulationResult",
    "Stage",
    "Triangular",
    "Uniform",
    "__version__",
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
