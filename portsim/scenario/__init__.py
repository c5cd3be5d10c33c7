"""The scenario, step one of the data flow: a YAML file validated into frozen objects.

Durations and rates are converted to seconds here, once. Nothing downstream reads a scenario
file; the model (:mod:`portsim.model`) compiles the objects below.

Its names are imported when first read (:mod:`portsim.lazy`), so that importing one of
its modules does not import them all.
"""

from typing import TYPE_CHECKING

from ..lazy import lazy_package

if TYPE_CHECKING:
    from .arrivals import (
        Arrivals,
        DailyProfileArrivals,
        PoissonArrivals,
        RegularArrivals,
        TimedArrivals,
    )
    from .calendar import Calendar, CalendarDays, OpeningHours
    from .clearance import (
        CLEARANCE,
        MODES,
        Clearance,
        ClearanceStop,
        ColocatedChecks,
        CooperativeInspection,
        OnDemandShuttle,
        SeparateChecks,
        Shuttle,
        ShuttleCrossing,
    )
    from .counts import ConstantCount, CountDistribution, EmpiricalCount, UniformCount
    from .distributions import (
        Constant,
        Distribution,
        Empirical,
        Exponential,
        Gamma,
        LogNormal,
        TimeDistribution,
        Triangular,
        Uniform,
        Weibull,
    )
    from .lanes import LaneGroup
    from .load import dump_scenario, load_scenario, scenario_from_dict, scenario_to_yaml
    from .loads import LoadedArrivals, TimedLoad
    from .opening import OpeningRule
    from .overrides import apply_overrides
    from .reference import ReferenceFigure
    from .routes import Alight, Choice, Meet, RouteStep
    from .schedules import ScheduleEntry
    from .spec import PASSENGERS, VEHICLES, Flow, FlowClass, Scenario, Stage
    from .staff import StaffPool
    from .targets import Target

lazy_package(
    __name__,
    {
        ".arrivals": (
            "Arrivals",
            "DailyProfileArrivals",
            "PoissonArrivals",
            "RegularArrivals",
            "TimedArrivals",
        ),
        ".calendar": ("Calendar", "CalendarDays", "OpeningHours"),
        ".loads": ("LoadedArrivals", "TimedLoad"),
        ".clearance": (
            "CLEARANCE",
            "MODES",
            "Clearance",
            "ClearanceStop",
            "ColocatedChecks",
            "CooperativeInspection",
            "OnDemandShuttle",
            "SeparateChecks",
            "Shuttle",
            "ShuttleCrossing",
        ),
        ".counts": ("ConstantCount", "CountDistribution", "EmpiricalCount", "UniformCount"),
        ".distributions": (
            "Constant",
            "Distribution",
            "Empirical",
            "Exponential",
            "Gamma",
            "LogNormal",
            "TimeDistribution",
            "Triangular",
            "Uniform",
            "Weibull",
        ),
        ".lanes": ("LaneGroup",),
        ".load": ("dump_scenario", "load_scenario", "scenario_from_dict", "scenario_to_yaml"),
        ".opening": ("OpeningRule",),
        ".overrides": ("apply_overrides",),
        ".reference": ("ReferenceFigure",),
        ".routes": ("Alight", "Choice", "Meet", "RouteStep"),
        ".schedules": ("ScheduleEntry",),
        ".spec": ("PASSENGERS", "VEHICLES", "Flow", "FlowClass", "Scenario", "Stage"),
        ".staff": ("StaffPool",),
        ".targets": ("Target",),
    },
)

__all__ = [
    "CLEARANCE",
    "MODES",
    "PASSENGERS",
    "VEHICLES",
    "Alight",
    "Arrivals",
    "Calendar",
    "CalendarDays",
    "Choice",
    "Clearance",
    "ClearanceStop",
    "ColocatedChecks",
    "Constant",
    "ConstantCount",
    "CooperativeInspection",
    "CountDistribution",
    "DailyProfileArrivals",
    "Distribution",
    "Empirical",
    "EmpiricalCount",
    "Exponential",
    "Flow",
    "FlowClass",
    "Gamma",
    "LaneGroup",
    "LoadedArrivals",
    "LogNormal",
    "Meet",
    "OnDemandShuttle",
    "OpeningHours",
    "OpeningRule",
    "PoissonArrivals",
    "ReferenceFigure",
    "RegularArrivals",
    "RouteStep",
    "Scenario",
    "ScheduleEntry",
    "SeparateChecks",
    "Shuttle",
    "ShuttleCrossing",
    "StaffPool",
    "Stage",
    "Target",
    "TimeDistribution",
    "TimedArrivals",
    "TimedLoad",
    "Triangular",
    "Uniform",
    "UniformCount",
    "Weibull",
    "apply_overrides",
    "dump_scenario",
    "load_scenario",
    "scenario_from_dict",
    "scenario_to_yaml",
]
