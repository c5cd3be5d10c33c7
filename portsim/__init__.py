"""portsim: discrete-event simulation of travellers and vehicles clearing a border port.

The public API is what ``__all__`` lists; everything else may change. The data flows one
way through the subpackages: :mod:`~portsim.scenario` (the file, validated) →
:mod:`~portsim.model` (compiled) → :mod:`~portsim.engine` (one replication on SimPy) →
:mod:`~portsim.results` (records, metric rows, statistics) → :mod:`~portsim.run` (simulate,
compare, tasks) → :mod:`~portsim.fit` (observed data to scenario inputs, observed waits against
a run's) → :mod:`~portsim.planning` (sweeps, plans, capacity, staffing, sensitivity: many
runs, stored and judged) → :mod:`~portsim.report` (text, plots, HTML). A module imports only
from its own step and those before it (``tests/test_layers.py``).
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .errors import PortsimError, ScenarioError, StoppedError, UsageError

if TYPE_CHECKING:
    from . import plots, theory
    from .fit.observed import with_observed_waits
    from .planning.capacity import CapacityResult
    from .planning.plan import PlanResult
    from .planning.replay import replay
    from .planning.requests import capacity, plan, sweep
    from .planning.sensitivity import Assumption, SensitivityResult, sensitivity
    from .planning.staffing import StaffingResult
    from .planning.store import SQLiteStore
    from .planning.sweep import SweepResult
    from .report import format_comparison, format_report, format_show
    from .report.planning.sensitivity import format_sensitivity
    from .results import CATALOG, VISIT_FIELDS, Metric, Records, Scope, Stat, Summary
    from .run import Comparison, SimulationResult, compare, simulate
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
        LoadedArrivals,
        LogNormal,
        OnDemandShuttle,
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
        StaffPool,
        Stage,
        Target,
        TimedArrivals,
        TimedLoad,
        Triangular,
        Uniform,
        Weibull,
        apply_overrides,
        dump_scenario,
        load_scenario,
        scenario_from_dict,
        scenario_to_yaml,
    )

#: where each name of the API lives: imported on first use (PEP 562), so that ``import
#: portsim`` and ``portsim run`` do not pay for sweeps, plans, stores and reports they do not use
_LAZY = {
    "theory": ".theory",
    "plots": ".plots",
    "format_comparison": ".report",
    "format_report": ".report",
    "format_show": ".report",
    "format_sensitivity": ".report.planning.sensitivity",
    "CATALOG": ".results",
    "VISIT_FIELDS": ".results",
    "Metric": ".results",
    "Records": ".results",
    "Scope": ".results",
    "Stat": ".results",
    "Summary": ".results",
    "Comparison": ".run",
    "SimulationResult": ".run",
    "compare": ".run",
    "simulate": ".run",
    "with_observed_waits": ".fit.observed",
    "CapacityResult": ".planning.capacity",
    "PlanResult": ".planning.plan",
    "capacity": ".planning.requests",
    "plan": ".planning.requests",
    "sweep": ".planning.requests",
    "replay": ".planning.replay",
    "Assumption": ".planning.sensitivity",
    "SensitivityResult": ".planning.sensitivity",
    "sensitivity": ".planning.sensitivity",
    "StaffingResult": ".planning.staffing",
    "SQLiteStore": ".planning.store",
    "SweepResult": ".planning.sweep",
    "Calendar": ".scenario",
    "CalendarDays": ".scenario",
    "Clearance": ".scenario",
    "ClearanceStop": ".scenario",
    "ColocatedChecks": ".scenario",
    "Constant": ".scenario",
    "CooperativeInspection": ".scenario",
    "DailyProfileArrivals": ".scenario",
    "Empirical": ".scenario",
    "Exponential": ".scenario",
    "Flow": ".scenario",
    "Gamma": ".scenario",
    "LaneGroup": ".scenario",
    "LoadedArrivals": ".scenario",
    "LogNormal": ".scenario",
    "OnDemandShuttle": ".scenario",
    "OpeningHours": ".scenario",
    "OpeningRule": ".scenario",
    "PoissonArrivals": ".scenario",
    "ReferenceFigure": ".scenario",
    "RegularArrivals": ".scenario",
    "RouteStep": ".scenario",
    "Scenario": ".scenario",
    "ScheduleEntry": ".scenario",
    "SeparateChecks": ".scenario",
    "Shuttle": ".scenario",
    "ShuttleCrossing": ".scenario",
    "Stage": ".scenario",
    "StaffPool": ".scenario",
    "Target": ".scenario",
    "TimedArrivals": ".scenario",
    "TimedLoad": ".scenario",
    "Triangular": ".scenario",
    "Uniform": ".scenario",
    "Weibull": ".scenario",
    "apply_overrides": ".scenario",
    "dump_scenario": ".scenario",
    "load_scenario": ".scenario",
    "scenario_from_dict": ".scenario",
    "scenario_to_yaml": ".scenario",
}


def __getattr__(name: str) -> Any:
    """The API's names, imported on first use; ``__version__``, read from the installed
    package's metadata (:func:`~portsim.version.package_version`)."""
    if name == "__version__":
        from .version import package_version  # noqa: PLC0415

        return package_version()
    home = _LAZY.get(name)
    if home is None:
        raise AttributeError(f"module 'portsim' has no attribute {name!r}")
    module = import_module(home, __name__)
    value = module if name in ("theory", "plots") else getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


__all__ = [
    "CATALOG",
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
    "LoadedArrivals",
    "LogNormal",
    "Metric",
    "OnDemandShuttle",
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
    "Scope",
    "SensitivityResult",
    "SeparateChecks",
    "Shuttle",
    "ShuttleCrossing",
    "SimulationResult",
    "StaffPool",
    "StaffingResult",
    "Stage",
    "Stat",
    "StoppedError",
    "Summary",
    "SweepResult",
    "Target",
    "TimedArrivals",
    "TimedLoad",
    "Triangular",
    "Uniform",
    "UsageError",
    "Weibull",
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
    "plots",
    "replay",
    "scenario_from_dict",
    "scenario_to_yaml",
    "sensitivity",
    "simulate",
    "sweep",
    "theory",
    "with_observed_waits",
]
