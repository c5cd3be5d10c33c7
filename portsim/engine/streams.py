"""Random streams: one independent generator per replication and per random source.

A source is keyed by its role and the names it belongs to, built by :func:`key` only, for
example ``key("service", "visitors", "exit_check", "counters")``; never by the scenario's
name. Its generator is ``PCG64(SeedSequence(seed, spawn_key=(replication,
stable_hash(key))))``, so:

* the same seed, replication and key give the same numbers in any process;
* two scenario variants that share a source (same flow, stage and lane group names) share its
  numbers: common random numbers;
* adding a source (a new lane group, a new stage) leaves every other source's numbers alone.

Draws are made in blocks (fast) and read either in order (:class:`SequentialDraws`: arrival
gaps) or by the entity's number within its flow (:class:`IndexedDraws`: service and transfer
times, route decisions), so that the *k*-th traveller of a flow gets the same value
whatever the order in which travellers reach it. :class:`IndexedDraws` keeps only the most
recent blocks in memory and the generator's state at the start of each block, so a block
dropped is drawn again identically when a late traveller needs it: memory stays flat
however long the run.
"""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "BLOCK",
    "BLOCK_MASK",
    "BLOCK_SHIFT",
    "IndexedDraws",
    "Sampler",
    "SequentialDraws",
    "key",
    "make_generator",
    "stable_hash",
]

#: Draws per block; a power of two so that an index splits with a shift and a mask.
BLOCK_SHIFT = 12
BLOCK = 1 << BLOCK_SHIFT
BLOCK_MASK = BLOCK - 1
#: Blocks an :class:`IndexedDraws` keeps drawn; older ones keep only the generator's state.
KEPT_BLOCKS = 8

#: Draws ``n`` values from a generator: a distribution's ``sample`` method, for instance.
Sampler = Callable[[np.random.Generator, int], NDArray[Any]]


def key(role: str, *names: str) -> tuple[str, ...]:
    """The key of a random source: its role (``arrivals``, ``service``, ``route``,
    ``transfer``) and the names of the flow, stage and lane group it belongs to. The one
    place keys are built, so that variants agree on them."""
    return (role, *names)


def stable_hash(source: tuple[str, ...]) -> int:
    """A 64-bit hash of a key that is the same in every process (unlike ``hash``)."""
    data = "\x1f".join(source).encode("utf-8")
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little")


def make_generator(seed: int, replication: int, source: tuple[str, ...]) -> np.random.Generator:
    """The generator of one random source in one replication."""
    sequence = np.random.SeedSequence(seed, spawn_key=(replication, stable_hash(source)))
    return np.random.Generator(np.random.PCG64(sequence))


class SequentialDraws:
    """Values drawn in blocks and read in order with :meth:`next`."""

    __slots__ = ("_block", "_position", "_rng", "_sample")

    def __init__(self, sample: Sampler, rng: np.random.Generator) -> None:
        self._sample = sample
        self._rng = rng
        self._block: list[float] = []
        self._position = 0

    def next(self) -> float:
        """The next value of the stream."""
        position = self._position
        if position == len(self._block):
            self._block = self._sample(self._rng, BLOCK).tolist()
            position = 0
        self._position = position + 1
        return self._block[position]


class IndexedDraws:
    """Values addressed by index: ``blocks[k >> BLOCK_SHIFT][k & BLOCK_MASK]`` is the
    ``k``-th value of the stream. The engine reads ``blocks`` directly and calls :meth:`fill`
    when the block is missing (an ``IndexError``) or was dropped (``None``: a
    ``TypeError``)."""

    __slots__ = ("_kept", "_rng", "_sample", "_states", "blocks")

    def __init__(self, sample: Sampler, rng: np.random.Generator) -> None:
        self._sample = sample
        self._rng = rng
        self.blocks: list[array[float] | None] = []
        self._states: list[Mapping[str, Any]] = []  # the generator's state at each block's start
        self._kept: list[int] = []  # indices of the blocks held, oldest first

    def fill(self, index: int) -> float:
        """Draw (or draw again) the block holding ``index`` and return the value there."""
        block = index >> BLOCK_SHIFT
        while len(self.blocks) <= block:
            self._states.append(self._rng.bit_generator.state)
            self._hold(len(self.blocks), self._draw(self._rng))
        values = self.blocks[block]
        if values is None:  # dropped: replay it from its saved state
            replay = np.random.Generator(np.random.PCG64())
            replay.bit_generator.state = self._states[block]
            values = self._draw(replay)
            self._hold(block, values, appended=False)
        return values[index & BLOCK_MASK]

    def total(self, first: int, count: int) -> float:
        """The sum of ``count`` values from the ``first``: one per occupant of a vehicle whose
        occupants are numbered from ``first``."""
        total = 0.0
        for index in range(first, first + count):
            try:
                total += self.blocks[index >> BLOCK_SHIFT][index & BLOCK_MASK]  # type: ignore[index]
            except (IndexError, TypeError):
                total += self.fill(index)
        return total

    def _draw(self, rng: np.random.Generator) -> array[float]:
        drawn = np.ascontiguousarray(self._sample(rng, BLOCK), dtype=np.float64)
        return array("d", drawn.tobytes())

    def _hold(self, block: int, values: array[float], appended: bool = True) -> None:
        if appended:
            self.blocks.append(values)
        else:
            self.blocks[block] = values
        self._kept.append(block)
        if len(self._kept) > KEPT_BLOCKS:
            self.blocks[self._kept.pop(0)] = None
