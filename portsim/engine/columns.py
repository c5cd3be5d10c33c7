"""Typed columns that grow by whole blocks, for records kept in memory."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["BLOCK_ROWS", "Columns"]

#: Rows per block of a :class:`Columns` (blocks are large: the system maps and unmaps them).
BLOCK_ROWS = 1 << 17


class Columns:
    """Typed columns that grow by whole blocks: appending never copies what is stored, and
    :meth:`concatenate` hands each column over as one array, freeing its blocks as it goes."""

    __slots__ = ("_blocks", "_kinds", "_length")

    def __init__(self, kinds: tuple[tuple[str, type[np.generic]], ...]) -> None:
        self._kinds = kinds
        self._blocks: list[list[NDArray[np.generic]]] = []
        self._length = 0

    def append(self, rows: NDArray[np.float64]) -> None:
        """Append rows given as a 2-D array of doubles, one column per kind."""
        done = 0
        while done < len(rows):
            at = self._length % BLOCK_ROWS
            if at == 0:
                self._blocks.append([np.empty(BLOCK_ROWS, dtype=k) for _, k in self._kinds])
            n = min(BLOCK_ROWS - at, len(rows) - done)
            for column, block in enumerate(self._blocks[-1]):
                block[at : at + n] = rows[done : done + n, column]
            done += n
            self._length += n

    def concatenate(self) -> dict[str, NDArray[np.generic]]:
        """Every column as one array; the blocks are freed."""
        out: dict[str, NDArray[np.generic]] = {}
        for column, (name, kind) in enumerate(self._kinds):
            out[name] = np.empty(self._length, dtype=kind)
            at = 0
            for blocks in self._blocks:
                n = min(BLOCK_ROWS, self._length - at)
                out[name][at : at + n] = blocks[column][:n]
                blocks[column] = np.empty(0, dtype=kind)  # free it now
                at += n
        self._blocks.clear()
        return out
