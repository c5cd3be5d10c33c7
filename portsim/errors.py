"""The one error a bad scenario produces: the file, the field path and what is wrong."""

from __future__ import annotations

__all__ = ["ScenarioError"]


class ScenarioError(Exception):
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
