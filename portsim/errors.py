"""The errors portsim raises for things a user can mend: one line each, saying where and why.

:class:`PortsimError` is the base; :class:`ScenarioError` is a bad scenario (file, field path,
problem), :class:`UsageError` a bad use of the API or the command line (an option, an output
path). The command line prints ``str(error)`` and exits with code 2.
:class:`StoppedError` is work stopped from outside the request (a store that cannot be
written, a Dask cluster without workers): one line, exit code 1, the finished runs kept.
"""

from __future__ import annotations

__all__ = ["PortsimError", "ScenarioError", "StoppedError", "UsageError"]


class PortsimError(Exception):
    """Something the user can mend; ``str(error)`` is the one line to show."""


class ScenarioError(PortsimError):
    """A scenario that cannot be run, with where and why.

    ``str(error)`` is the single line the command line prints:
    ``FILE: field.path: problem``. Paths address named list items by name
    (``stages.exit_check.lanes.counters.count``) and other list items by index.
    """

    def __init__(self, path: str, problem: str, file: str | None = None) -> None:
        super().__init__(path, problem, file)
        self.path = path
        self.problem = problem
        self.file = file

    def with_file(self, file: str) -> ScenarioError:
        """The same error, told which file it came from."""
        return ScenarioError(self.path, self.problem, file)

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        prefix = f"{self.file}: " if self.file else ""
        return f"{prefix}{where}{self.problem}"


class UsageError(PortsimError):
    """A bad argument to the API or the command line: ``str(error)`` says which and why."""


class StoppedError(PortsimError):
    """Work stopped before its end by something outside the request — a results store that
    cannot be written (a full disk, an I/O error, a read-only file or folder), a Dask cluster
    that has had no worker for too long. ``str(error)`` is one line that names what stopped
    and what to do; every run finished before it is kept, and the same request resumed
    (``--resume``) goes on from them."""
