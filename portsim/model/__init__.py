"""The model, step two of the data flow: a scenario compiled into indexed flows, stages,
lane groups, timetables, rate functions and route programs. The engine reads only this.

Its names are imported when first read (:mod:`portsim.lazy`), so that importing one of
its modules does not import them all.
"""

from typing import TYPE_CHECKING

from ..lazy import lazy_package

if TYPE_CHECKING:
    from .compile import compile_scenario
    from .model import (
        ArrivalPlan,
        CompiledFigure,
        CompiledFlow,
        CompiledGroup,
        CompiledPool,
        CompiledShuttle,
        CompiledStaffing,
        CompiledStage,
        CompiledTarget,
        Model,
    )
    from .overload import offered_load, open_lanes, overload_warnings
    from .rates import RateFunction
    from .routes import Board, Branch, Exit, Move, Program, Step, Visit
    from .timetable import Timetable

lazy_package(
    __name__,
    {
        ".compile": ("compile_scenario",),
        ".model": (
            "ArrivalPlan",
            "CompiledFigure",
            "CompiledFlow",
            "CompiledGroup",
            "CompiledPool",
            "CompiledShuttle",
            "CompiledStaffing",
            "CompiledStage",
            "CompiledTarget",
            "Model",
        ),
        ".overload": ("offered_load", "open_lanes", "overload_warnings"),
        ".rates": ("RateFunction",),
        ".routes": ("Board", "Branch", "Exit", "Move", "Program", "Step", "Visit"),
        ".timetable": ("Timetable",),
    },
)

__all__ = [
    "ArrivalPlan",
    "Board",
    "Branch",
    "CompiledFigure",
    "CompiledFlow",
    "CompiledGroup",
    "CompiledPool",
    "CompiledShuttle",
    "CompiledStaffing",
    "CompiledStage",
    "CompiledTarget",
    "Exit",
    "Model",
    "Move",
    "Program",
    "RateFunction",
    "Step",
    "Timetable",
    "Visit",
    "compile_scenario",
    "offered_load",
    "open_lanes",
    "overload_warnings",
]
