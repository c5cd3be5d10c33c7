"""Claims: several processes computing into one results store compute each run once.

Before a runner computes a run it *claims* it: a row of the store's ``claims`` table with
the run's keys, its owner (this runner: its host, its process and a token of its own), when
it was claimed and a heartbeat. A claim is made in one transaction that also checks that
the run is neither stored nor claimed by a living owner, so two runners never both hold
it; a run committed to the store drops its claim in the same transaction
(:meth:`~.store.SQLiteStore.put`). A runner that finds a run claimed by another leaves it,
computes what else it can, then waits for it: reads it when it is stored, or takes the
claim over when its owner is dead — a process of this host that no longer exists (at once),
or any owner whose heartbeat is older than :data:`STALE` (a thread of each owner beats every
:data:`HEARTBEAT` seconds, so a replication of hours keeps its claims). A runner that stops
in any ordinary way (an error, Ctrl-C) removes its claims; one killed leaves them to be
taken over.

A replication is a pure function of its keys, so a claim taken over from an owner that was
only slow (its heartbeat late by :data:`STALE`) costs a run computed twice, never a
different number: the store keeps the first copy (``INSERT OR IGNORE``), bit for bit the
same as the second. SQLite's write-ahead log needs every process on one host (a network
file system is not supported), so the process test is nearly always the one that applies.
"""

from __future__ import annotations

import contextlib
import enum
import os
import socket
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from .store_file import BUSY_TIMEOUT

__all__ = ["HEARTBEAT", "POLL", "STALE", "Claims", "RunKey", "State", "host_name"]

#: seconds between an owner's heartbeats
HEARTBEAT = 5.0
#: seconds without a heartbeat after which a claim is taken over, whoever holds it
STALE = 60.0
#: seconds between two looks at the runs another owner has claimed
POLL = 0.25

#: a run's keys: (scenario hash, configuration key, seed, replication)
RunKey = tuple[str, str, int, int]

SCHEMA = """
CREATE TABLE IF NOT EXISTS claims (
    scenario TEXT NOT NULL,
    config TEXT NOT NULL,
    seed INTEGER NOT NULL,
    replication INTEGER NOT NULL,
    owner TEXT NOT NULL,         -- the runner computing it: host, process, token
    host TEXT NOT NULL,          -- the owner's host (and process namespace)
    pid INTEGER NOT NULL,        -- the owner's process
    claimed REAL NOT NULL,       -- when it was claimed (Unix time)
    heartbeat REAL NOT NULL,     -- the owner's last sign of life (Unix time)
    PRIMARY KEY (scenario, config, seed, replication)
) WITHOUT ROWID
"""

_WHERE = "scenario=? AND config=? AND seed=? AND replication=?"


class State(enum.Enum):
    """What a run is to a runner that wants it."""

    MINE = "claimed by this runner"
    DONE = "in the store"
    THEIRS = "claimed by another runner that is alive"


def host_name() -> str:
    """This host, and its process namespace where there is one (two containers on one
    host share a store's file but not their process numbers)."""
    try:
        space = f"/{os.stat('/proc/self/ns/pid').st_ino}"
    except OSError:
        space = ""
    return socket.gethostname() + space


def _alive(host: str, pid: int, heartbeat: float, now: float) -> bool:
    """Whether a claim's owner may still be computing it."""
    if now - heartbeat > STALE:
        return False
    if host != host_name():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: it exists
        return True
    return True


class Claims:
    """This runner's claims on the runs of one store. ``transaction`` runs a function in
    one write transaction of the store's connection (its errors said in one line)."""

    def __init__(
        self,
        path: Path,
        db: sqlite3.Connection,
        transaction: Callable[[Callable[[sqlite3.Connection], Any]], Any],
    ) -> None:
        self.path = path
        self.host = host_name()
        self.owner = f"{self.host} pid {os.getpid()} {uuid.uuid4().hex[:12]}"
        self._db = db
        self._transaction = transaction
        transaction(lambda db: db.execute(SCHEMA))
        self._stop = threading.Event()
        self._beat = threading.Thread(target=self._beating, name="portsim-claims", daemon=True)
        self._beat.start()

    def claim(self, key: RunKey) -> State:
        """Claim a run: MINE (now claimed by this runner), DONE (already stored) or THEIRS
        (claimed by another runner that is alive)."""

        def work(db: sqlite3.Connection) -> State:
            state = self._state(db, key, time.time())
            if state is None:
                now = time.time()
                db.execute(
                    "INSERT OR REPLACE INTO claims VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (*key, self.owner, self.host, os.getpid(), now, now),
                )
            return state or State.MINE

        return self._transaction(work)  # type: ignore[no-any-return]

    def survey(self, keys: Iterable[RunKey]) -> dict[RunKey, State | None]:
        """Without writing: each run's state, None for a run that could be claimed now."""
        now = time.time()
        return {key: self._state(self._db, key, now) for key in keys}

    def _state(self, db: sqlite3.Connection, key: RunKey, now: float) -> State | None:
        """DONE, THEIRS, or None: free to be claimed (unclaimed, this runner's, or its
        owner gone)."""
        if db.execute(f"SELECT 1 FROM runs WHERE {_WHERE}", key).fetchone():
            return State.DONE
        held = db.execute(
            f"SELECT owner, host, pid, heartbeat FROM claims WHERE {_WHERE}", key
        ).fetchone()
        if held is None or held[0] == self.owner:
            return None
        return State.THEIRS if _alive(held[1], held[2], held[3], now) else None

    def release(self) -> None:
        """Stop the heartbeat and remove this runner's claims (as far as the store can be
        written: claims left behind are taken over, their owner being gone)."""
        self._stop.set()
        self._beat.join()
        with contextlib.suppress(sqlite3.Error):
            self._db.execute("DELETE FROM claims WHERE owner=?", (self.owner,))

    def _beating(self) -> None:
        """Every :data:`HEARTBEAT` seconds, on a connection of its own: this runner lives."""
        try:
            db = sqlite3.connect(self.path, isolation_level=None, timeout=BUSY_TIMEOUT)
        except sqlite3.Error:
            return
        try:
            while not self._stop.wait(HEARTBEAT):
                with contextlib.suppress(sqlite3.Error):  # a full disk: the next put says so
                    db.execute(
                        "UPDATE claims SET heartbeat=? WHERE owner=?", (time.time(), self.owner)
                    )
        finally:
            db.close()
