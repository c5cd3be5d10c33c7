"""Writing any result's plots and HTML report, whatever made it: a run, a comparison, a
sweep, a plan or a capacity search (``--plots DIR`` and ``--html FILE`` on every command).
matplotlib is imported when this module is."""

from __future__ import annotations

from pathlib import Path

from ..planning.requests import PlanningResult
from ..run.compare import Comparison
from ..run.simulate import SimulationResult
from ..scenario.spec import Scenario
from .compare_plots import write_comparison_plots
from .document import write_html
from .planning.document import write_planning_html
from .planning.plots import write_planning_plots
from .plots import write_run_plots

__all__ = ["write_plots", "write_report"]


def write_plots(
    result: SimulationResult | Comparison | PlanningResult, directory: str | Path
) -> list[Path]:
    """Write the result's plots into ``directory`` under their fixed names."""
    if isinstance(result, Comparison):
        return write_comparison_plots(result, directory)
    if isinstance(result, SimulationResult):
        return write_run_plots(result, directory)
    return write_planning_plots(result, directory)


def write_report(
    result: SimulationResult | Comparison | PlanningResult,
    path: str | Path,
    command: str | None = None,
    scenario: Scenario | None = None,
) -> Path:
    """Write the result's HTML report to ``path`` (``command``: the command line that made
    it; ``scenario``: a planning result's base scenario, described in its report)."""
    if isinstance(result, Comparison | SimulationResult):
        return write_html(result, path, command)
    return write_planning_html(result, path, command, scenario)
