"""Running, step five of the data flow: replications as tasks, ``simulate`` and ``compare``."""

from .compare import Comparison, compare, paired_differences
from .simulate import SimulationResult, simulate, summarise
from .tasks import Task, TaskResult, default_workers, run_task, run_tasks

__all__ = [
    "Comparison",
    "SimulationResult",
    "Task",
    "TaskResult",
    "compare",
    "default_workers",
    "paired_differences",
    "run_task",
    "run_tasks",
    "simulate",
    "summarise",
]
