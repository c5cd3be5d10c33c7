"""Random streams: one independent generator per replication and per random source.

A source is keyed by its role and the names it belongs to, for example
``("service", "visitors", "exit_check", "counters")``; never by the scenario's name. Its
generator is ``PCG64(SeedSequence(seed, spawn_key=(replication, stable_hash(key))))``, so:

* the same seed, replication and key give the same numbers in any process;
* two scenario variants that share a source (same flow, stage and lane group names) share its
  numbers: common random numbers;
* adding a source (a new lane group, a new stage) leaves every other source's numbers alone.

Draws are made in blocks (fast) and read either in order (:class:`SequentialDraws`: arrivals,
routing) or by the entity's number within its flow (:class:`IndexedDraws`: service and transfer
times), so that the *k*-th traveller of a flow gets the same requirement at a stage whatever
the order in which travellers reach it.
"""

from __future__ import annotations

import hashlib
from array import array

import numpy as np

from .distributions import TimeDistribution

__all__ = ["BLOCK", "IndexedDraws", "SequentialDraws", "make_generator", "stable_hash"]

#: Draws per block; a power of two so that an index splits with a shift and a mask.
BLOCK_SHIFT = 12
BLOCK = 1 << BLOCK_SHIFT
BLOCK_MASK = BLOCK - 1


def stable_hash(key: tuple[str, ...]) -> int:
    """A 64-bit hash of a key that is the same in every process (unlike ``hash``)."""
    data = "\x1f".join(key).encode("utf-8")
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little")


def make_generator(seed: int, replication: int, key: tuple[str, ...]) -> np.random.Generator:
    """The generator of one random source in one replication."""
    sequence = np.random.SeedSequence(seed, spawn_key=(replication, stable_hash(key)))
    return np.random.Generator(np.random.PCG64(sequence))


class SequentialDraws:
    """Values of one distribution, drawn in blocks and read in order with :meth:`next`."""

    __slots__ = ("_block", "_dist", "_position", "_rng")

    def __init__(self, dist: TimeDistribution, rng: np.random.Generator) -> None:
        self._dist = dist
        self._rng = rng
        self._block: list[float] = []
        self._position = 0

    def next(self) -> float:
        """The next value of the stream."""
        position = self._position
        if position == len(self._block):
            self._block = self._dist.sample(self._rng, BLOCK).tolist()
            position = 0
        self._position = position + 1
        return self._block[position]


class IndexedDraws:
    """Values of one distribution, addressed by index: ``blocks[k >> BLOCK_SHIFT][k & BLOCK_MASK]``
    is the ``k``-th value of the stream. The engine reads ``blocks`` directly and calls
    :meth:`fill` only when a block is missing."""

    __slots__ = ("_dist", "_rng", "blocks")

    def __init__(self, dist: TimeDistribution, rng: np.random.Generator) -> None:
        self._dist = dist
        self._rng = rng
        self.blocks: list[array[float]] = []

    def fill(self, index: int) -> float:
        """Draw blocks up to the one holding ``index`` and return the value there."""
        block = index >> BLOCK_SHIFT
        while len(self.blocks) <= block:
            values = np.ascontiguousarray(self._dist.sample(self._rng, BLOCK), dtype=np.float64)
            self.blocks.append(array("d", values.tobytes()))
        return self.blocks[block][index & BLOCK_MASK]
