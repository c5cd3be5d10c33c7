"""The results store: every finished replication's metric rows, kept as it finishes.

A run is filed under four keys: a hash of the base scenario's canonical dump (the SHA-256 of
:func:`~portsim.dump_scenario` as canonical JSON), the configuration (the canonical JSON of
its assignments, :attr:`~portsim.planning.vary.Configuration.key`), the seed and the replication
index. A run is written once and never counted twice: the keys are the table's primary key,
and a run already there is not written again. Each run is committed on its own, so a sweep
stopped in any way (Ctrl-C, SIGKILL, a lost cluster worker) loses at most the replications
that were still being computed; ``--resume`` computes only what is missing.

A store keeps runs of one results version (:data:`~portsim.results.rows.RESULTS_VERSION`,
SQLite's ``user_version``): runs made before the metric definitions changed are not mixed
with today's (a runner that computes refuses such a store); they can still be reported.

The store also keeps each request (a sweep, a plan, a capacity search) with its definition,
so that ``portsim report results.db`` can report it again without running anything.

:class:`SQLiteStore` is a file (SQLite in write-ahead-log mode: a run survives the process
being killed as soon as it is committed); :class:`MemoryStore` keeps runs for one process.
Rows are stored as zlib-compressed JSON: floats written as Python's shortest repr read back
bit for bit, NaN included.

A write that fails — a full disk, an I/O error, a read-only file or folder — loses nothing
committed before it (each run is its own transaction; SQLite keeps committed runs in the
``-wal`` file until it can fold them into the store) and stops the work with
:class:`~portsim.errors.StoppedError`: one line naming the store, why, and what to do. A
store that cannot be written is still read (:mod:`.store_file`), so ``portsim report`` works
on a read-only disk. Processes that compute into one store at once claim each run before
computing it (:mod:`.claims`), so that each run is computed once.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

from ..errors import StoppedError, UsageError
from ..results.rows import RESULTS_VERSION, MetricTable
from .claims import Claims
from .store_file import Problem, cannot_write, open_file, write_problem
from .vary import canonical_json

T = TypeVar("T")

__all__ = [
    "MemoryStore",
    "Request",
    "ResultStore",
    "SQLiteStore",
    "decode_rows",
    "encode_rows",
    "open_store",
    "scenario_hash",
]


def scenario_hash(data: Mapping[str, Any]) -> str:
    """The SHA-256 of a scenario's plain data as canonical JSON."""
    return hashlib.sha256(canonical_json(data).encode()).hexdigest()


def encode_rows(table: MetricTable) -> bytes:
    """A replication's metric rows, in their order, as compressed JSON."""
    rows = [[*key, value] for key, value in table.items()]
    return zlib.compress(json.dumps(rows, separators=(",", ":")).encode(), 6)


def decode_rows(blob: bytes) -> MetricTable:
    """The rows :func:`encode_rows` wrote, equal bit for bit."""
    rows = json.loads(zlib.decompress(blob))
    return {
        (lv, name, group, int(hour), metric): float(v) for lv, name, group, hour, metric, v in rows
    }


@dataclass(frozen=True, slots=True)
class Request:
    """A sweep, plan or capacity search as it was asked for."""

    id: int
    kind: str
    scenario: str
    definition: dict[str, Any]


class ResultStore(Protocol):
    """Where runs are kept: any object with these methods."""

    def get(
        self, scenario: str, config: str, seed: int, replications: Iterable[int]
    ) -> dict[int, MetricTable]: ...

    def put(
        self, scenario: str, config: str, seed: int, replication: int, table: MetricTable
    ) -> bool: ...

    def runs(self, scenario: str, seed: int) -> int: ...

    def save_scenario(self, scenario: str, data: Mapping[str, Any]) -> None: ...

    def load_scenario(self, scenario: str) -> dict[str, Any]: ...

    def save_request(self, kind: str, scenario: str, definition: Mapping[str, Any]) -> int: ...

    def requests(self) -> list[Request]: ...


class SQLiteStore:
    """Runs in an SQLite file, each committed as it is put. A store that cannot be written
    (a read-only file or folder, a full disk) is opened to be read (:mod:`.store_file`), so
    that ``portsim report STORE.db`` works; writing to it, or any write that fails (a full
    disk, an I/O error), raises :class:`~portsim.errors.StoppedError`: one line naming the
    store, why, and what to do, every run committed before it kept."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._file = open_file(self.path)
        self._db = self._file.db
        self.claiming = False
        self.version = self._version()

    @property
    def writable(self) -> bool:
        """Whether the store was opened to be written (else :attr:`problem` says why not)."""
        return self._file.problem is None

    @property
    def problem(self) -> Problem | None:
        """Why the store cannot be written and what to do, as far as is known (None: it
        can)."""
        return self._file.problem

    def _version(self) -> int:
        """The results version of the store's runs (:data:`RESULTS_VERSION`; 0: made
        before versions were kept); a store without runs takes today's."""
        (version,) = self._db.execute("PRAGMA user_version").fetchone()
        empty = self._db.execute("SELECT 1 FROM runs LIMIT 1").fetchone() is None
        if empty and version != RESULTS_VERSION:
            if self.writable:
                with contextlib.suppress(StoppedError):  # a read-only file: nothing to mix
                    self._write(f"PRAGMA user_version={RESULTS_VERSION:d}")
            return RESULTS_VERSION
        return int(version)

    def _cannot(self, error: sqlite3.Error) -> Exception:
        """The error to raise for a failed write: the one line of :func:`cannot_write`,
        or the error itself when it does not come from writing."""
        problem = write_problem(error) if self.writable else self.problem
        if problem is None:
            return error
        try:
            (held,) = self._db.execute("SELECT COUNT(*) FROM runs").fetchone()
        except sqlite3.Error:
            held = None
        return cannot_write(self.path, problem, held)

    def _write(self, sql: str, parameters: tuple[Any, ...] = ()) -> sqlite3.Cursor:
        try:
            return self._db.execute(sql, parameters)
        except sqlite3.OperationalError as error:
            raise self._cannot(error) from None

    def transaction(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """``work(connection)`` in one write transaction, committed (rolled back if it
        raises); a failed write as :meth:`put`'s."""
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                out = work(self._db)
                self._db.execute("COMMIT")
            except BaseException:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise
        except sqlite3.OperationalError as error:
            raise self._cannot(error) from None
        return out

    def claims(self) -> Claims:
        """This process's claims on the store's runs (:mod:`.claims`): made when a runner
        first computes into it; :meth:`put` then drops a run's claim as it stores it."""
        made = Claims(self.path, self._db, self.transaction)
        self.claiming = True
        return made

    def close(self) -> None:
        self._file.close()

    def get(
        self, scenario: str, config: str, seed: int, replications: Iterable[int]
    ) -> dict[int, MetricTable]:
        wanted = set(replications)
        cursor = self._db.execute(
            "SELECT replication, rows FROM runs WHERE scenario=? AND config=? AND seed=?",
            (scenario, config, seed),
        )
        return {r: decode_rows(blob) for r, blob in cursor if r in wanted}

    def put(
        self, scenario: str, config: str, seed: int, replication: int, table: MetricTable
    ) -> bool:
        """Commit a run (and drop its claim, in the same transaction); False: it was
        already stored."""
        key = (scenario, config, seed, replication)

        def work(db: sqlite3.Connection) -> bool:
            cursor = db.execute(
                "INSERT OR IGNORE INTO runs VALUES (?, ?, ?, ?, ?)", (*key, encode_rows(table))
            )
            if self.claiming:
                db.execute(
                    "DELETE FROM claims WHERE scenario=? AND config=? AND seed=? AND replication=?",
                    key,
                )
            return cursor.rowcount == 1

        return self.transaction(work)

    def runs(self, scenario: str, seed: int) -> int:
        (count,) = self._db.execute(
            "SELECT COUNT(*) FROM runs WHERE scenario=? AND seed=?", (scenario, seed)
        ).fetchone()
        return int(count)

    def save_scenario(self, scenario: str, data: Mapping[str, Any]) -> None:
        held = self._db.execute("SELECT 1 FROM scenarios WHERE hash=?", (scenario,)).fetchone()
        if held is None:  # written only when new: a store that is only read is not written
            self._write("INSERT INTO scenarios VALUES (?, ?)", (scenario, canonical_json(data)))

    def load_scenario(self, scenario: str) -> dict[str, Any]:
        row = self._db.execute("SELECT data FROM scenarios WHERE hash=?", (scenario,)).fetchone()
        if row is None:
            raise UsageError(f"{self.path}: the store does not hold scenario {scenario[:12]}")
        return json.loads(row[0])  # type: ignore[no-any-return]

    def save_request(self, kind: str, scenario: str, definition: Mapping[str, Any]) -> int:
        text = canonical_json(definition)
        found = "SELECT id FROM requests WHERE definition=?"
        if (held := self._db.execute(found, (text,)).fetchone()) is not None:
            return int(held[0])
        self._write(
            "INSERT INTO requests (kind, scenario, definition) VALUES (?, ?, ?)",
            (kind, scenario, text),
        )
        (rid,) = self._db.execute(found, (text,)).fetchone()
        return int(rid)

    def requests(self) -> list[Request]:
        cursor = self._db.execute("SELECT id, kind, scenario, definition FROM requests ORDER BY id")
        return [Request(i, k, s, json.loads(d)) for i, k, s, d in cursor]

    def rows(self) -> list[tuple[str, str, int, int]]:
        """Every run's keys, in no particular order (for checks)."""
        cursor = self._db.execute("SELECT scenario, config, seed, replication FROM runs")
        return [(s, c, int(seed), int(r)) for s, c, seed, r in cursor]


class MemoryStore:
    """Runs kept in this process only (nothing survives it)."""

    version = RESULTS_VERSION

    def __init__(self) -> None:
        self._runs: dict[tuple[str, str, int, int], bytes] = {}
        self._scenarios: dict[str, str] = {}
        self._requests: dict[str, Request] = {}

    def get(
        self, scenario: str, config: str, seed: int, replications: Iterable[int]
    ) -> dict[int, MetricTable]:
        found = ((r, self._runs.get((scenario, config, seed, r))) for r in replications)
        return {r: decode_rows(blob) for r, blob in found if blob is not None}

    def put(
        self, scenario: str, config: str, seed: int, replication: int, table: MetricTable
    ) -> bool:
        key = (scenario, config, seed, replication)
        if key in self._runs:
            return False
        self._runs[key] = encode_rows(table)
        return True

    def runs(self, scenario: str, seed: int) -> int:
        return sum(1 for s, _, sd, _ in self._runs if s == scenario and sd == seed)

    def save_scenario(self, scenario: str, data: Mapping[str, Any]) -> None:
        self._scenarios.setdefault(scenario, canonical_json(data))

    def load_scenario(self, scenario: str) -> dict[str, Any]:
        return json.loads(self._scenarios[scenario])  # type: ignore[no-any-return]

    def save_request(self, kind: str, scenario: str, definition: Mapping[str, Any]) -> int:
        text = canonical_json(definition)
        if text not in self._requests:
            self._requests[text] = Request(
                len(self._requests) + 1, kind, scenario, json.loads(text)
            )
        return self._requests[text].id

    def requests(self) -> list[Request]:
        return list(self._requests.values())


def open_store(store: ResultStore | str | Path | None) -> ResultStore:
    """A store object from a path (SQLite), a store, or None (in memory)."""
    if store is None:
        return MemoryStore()
    if isinstance(store, str | Path):
        return SQLiteStore(store)
    return store
