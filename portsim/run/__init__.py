"""Running, step five of the data flow: replications as tasks, ``simulate`` and ``compare``.

Its names are imported when first read (:mod:`portsim.lazy`), so that importing one of
its modules does not import them all.
"""

from typing import TYPE_CHECKING

from ..lazy import lazy_package

if TYPE_CHECKING:
    from .compare import Comparison, compare, paired_differences
    from .outputs import check_outputs, write_output
    from .preflight import Preflight, preflight, usable_workers
    from .simulate import SimulationResult, simulate, summarise, unseen
    from .tasks import Task, TaskResult, default_workers, run_task, run_tasks

lazy_package(
    __name__,
    {
        ".compare": ("Comparison", "compare", "paired_differences"),
        ".outputs": ("check_outputs", "write_output"),
        ".preflight": ("Preflight", "preflight", "usable_workers"),
        ".simulate": ("SimulationResult", "simulate", "summarise", "unseen"),
        ".tasks": ("Task", "TaskResult", "default_workers", "run_task", "run_tasks"),
    },
)

__all__ = [
    "Comparison",
    "Preflight",
    "SimulationResult",
    "Task",
    "TaskResult",
    "check_outputs",
    "compare",
    "default_workers",
    "paired_differences",
    "preflight",
    "run_task",
    "run_tasks",
    "simulate",
    "summarise",
    "unseen",
    "usable_workers",
    "write_output",
]
