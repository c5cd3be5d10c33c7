"""Blocks of the records: the rows of a block (a flow's entities, a stage's visits) found
from one shared sort of the rows by their key, not a mask over every row; and the waits so
far of the few entities still queued at the horizon."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from numpy.typing import NDArray

from .records import Records

__all__ = ["Grouped", "Index", "waits_so_far"]

#: positions in the records' columns, ascending
Index = NDArray[np.integer]


class Grouped:
    """The counted rows of a column of keys (each entity's subflow, each visit's lane
    group), sorted once by key; a block of keys is a few slices of that order, put back in
    the rows' own order (so a block's values come in the order a mask would give them)."""

    __slots__ = ("_order", "_starts")

    def __init__(self, keys: NDArray[np.integer], counted: NDArray[np.bool_], size: int) -> None:
        small = np.int32 if len(counted) < np.iinfo(np.int32).max else np.intp
        # key by key (a handful of sub-flows or lane groups), four bytes a row: no column of
        # eight-byte positions of every row is made, even for a moment
        parts = [np.flatnonzero(counted & (keys == k)).astype(small) for k in range(size)]
        self._order: Index = np.concatenate(parts) if parts else np.zeros(0, dtype=small)
        counts = [len(part) for part in parts]
        self._starts = np.concatenate(([0], np.cumsum(counts, dtype=np.int64)))

    def members(self, keys: Iterable[int]) -> Index:
        parts = [self._order[self._starts[k] : self._starts[k + 1]] for k in keys]
        if len(parts) == 1:
            return parts[0]
        if not parts:
            return np.zeros(0, dtype=self._order.dtype)
        block: Index = np.concatenate(parts)
        block.sort()
        return block


def waits_so_far(
    rec: Records, started: NDArray[np.bool_], horizon: float
) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
    """The entities with a visit still queued at the horizon (sorted) and each one's wait so
    far: its started visits' waits and, for a queued one, the time since it joined, added in
    visit order, then its wait aboard (the additions of one ``np.bincount`` over every
    visit, restricted to their visits)."""
    entities = np.unique(rec.visit_entity[~started])
    if not len(entities):
        return entities.astype(np.intp), np.zeros(0)
    theirs = np.isin(rec.visit_entity, entities)
    join = rec.visit_join[theirs]
    wait = np.where(started[theirs], rec.visit_start[theirs] - join, horizon - join)
    which = np.searchsorted(entities, rec.visit_entity[theirs])
    totals = np.bincount(which, weights=wait, minlength=len(entities))
    return entities.astype(np.intp), totals + rec.entity_aboard_wait[entities]
