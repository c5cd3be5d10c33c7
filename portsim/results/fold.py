"""Sums folded in row order, so that a streaming result never depends on its chunks.

A streaming tally adds a chunk of values at a time to running sums. Summing a chunk first
(``np.bincount(key, weights=values)``) and then adding the chunk's sum rounds differently
for every way of cutting the rows into chunks: a change of chunk size, or of when a chunk
is found full, would move the last bits of every mean. :class:`Sums` adds each value to its
running sum one after another in the rows' order (``np.add.at``, unbuffered), so a sum is
the same left fold over all of a replication's rows however they are cut into chunks.

One more thing decides the order: exits come in two kinds of rows (an entity of no class on
foot, and any other), each in its own buffer, and how the two interleave depends on where
the chunks are cut. So each kind (:data:`SOURCES`) is folded into a sum of its own, and
:attr:`Sums.value` adds the two at the end. Every number of a streaming run is then equal to
the last bit for every chunk size (``tests/test_streaming.py``).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["DETAIL", "PLAIN", "SOURCES", "Sums"]

#: the row streams folded apart: exits of entities of no class on foot, and all others
#: (visits and the horizon's unfinished come in one stream, ``PLAIN``)
PLAIN, DETAIL = 0, 1
SOURCES = 2


class Sums:
    """Running sums of the given shape, one per source, folded in row order."""

    __slots__ = ("parts",)

    def __init__(self, *shape: int) -> None:
        self.parts = np.zeros((SOURCES, *shape))

    def fold(self, index: NDArray[np.intp], values: NDArray[np.float64], source: int) -> None:
        """Add ``values[i]`` to the sum at flat position ``index[i]``, for each i in order."""
        np.add.at(self.parts[source].reshape(-1), index, values)

    @property
    def value(self) -> NDArray[np.float64]:
        """The sums, both sources added."""
        return self.parts[PLAIN] + self.parts[DETAIL]  # type: ignore[no-any-return]
