"""Progress on stderr while a sweep, plan or capacity search runs: configurations and
replications done and the time left, on one line rewritten in place — only when stderr is a
terminal, so logs and pipes stay clean."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from ..units import format_duration

__all__ = ["Progress"]

#: seconds between two redraws of the line
REDRAW = 0.25


class Progress:
    """One line: ``what: 35/120 replications, 7/24 configurations, 1.3min left``."""

    def __init__(self, stream: TextIO | None = None, enabled: bool | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.what = ""
        self.total = self.done = self.configurations = self.configurations_done = 0
        self._start = self._drawn = 0.0

    def begin(self, what: str, replications: int, configurations: int) -> None:
        """A batch of ``replications`` runs over ``configurations`` configurations."""
        self.what, self.total, self.configurations = what, replications, configurations
        self.done = self.configurations_done = 0
        self._start = time.monotonic()
        self._draw(force=True)

    def advance(self, configurations_done: int) -> None:
        """One replication done; ``configurations_done`` have all theirs."""
        self.done += 1
        self.configurations_done = configurations_done
        self._draw(force=self.done == self.total)

    def end(self) -> None:
        """Clear the line."""
        if self.enabled:
            self.stream.write("\r\033[K")
            self.stream.flush()

    def _draw(self, *, force: bool = False) -> None:
        now = time.monotonic()
        if not self.enabled or (not force and now - self._drawn < REDRAW):
            return
        self._drawn = now
        left = ""
        if 0 < self.done < self.total:
            seconds = (now - self._start) / self.done * (self.total - self.done)
            left = f", {format_duration(seconds)} left"
        self.stream.write(
            f"\r\033[K{self.what}: {self.done}/{self.total} replications, "
            f"{self.configurations_done}/{self.configurations} configurations{left}"
        )
        self.stream.flush()
