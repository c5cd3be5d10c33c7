"""A results store's SQLite file: opened to be written, or only read when it cannot be
written, and SQLite's errors said in one line.

:func:`open_file` opens a store to write it (creating a new one, in write-ahead-log mode).
When that fails for want of writing — a read-only file or folder, where SQLite cannot make
its ``-wal`` and ``-shm`` files beside the store, or a disk too full for the ``-shm`` file —
it opens the store to read it, so that ``portsim report STORE.db`` works, in the first way
that reads every committed run:

1. SQLite's read-only open (``mode=ro``): works whenever the ``-shm`` file exists or can be
   made;
2. the *immutable* open (``immutable=1``), which reads the main file alone: only when no
   ``-wal`` file holds runs (a store closed cleanly has none);
3. otherwise a copy of the store and its ``-wal`` in a temporary folder, opened there: the
   runs still in the ``-wal`` (a store whose disk filled before SQLite could fold them into
   the main file) are read, not lost.

:func:`write_problem` tells an error that comes from writing (a full disk, an I/O error, a
read-only file, a lock held too long) from any other; :func:`cannot_write` is the one line
that says it, names the store and says what to do.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import weakref
from pathlib import Path
from urllib.parse import quote

from ..errors import StoppedError, UsageError

__all__ = [
    "BUSY_TIMEOUT",
    "COLUMNS",
    "Opened",
    "Problem",
    "cannot_write",
    "foreign",
    "open_file",
    "write_problem",
]

#: seconds a write waits for another process's write to the same store (two writers)
BUSY_TIMEOUT = 30.0

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    scenario TEXT NOT NULL,      -- SHA-256 of the base scenario's canonical dump
    config TEXT NOT NULL,        -- canonical JSON of the configuration's assignments
    seed INTEGER NOT NULL,
    replication INTEGER NOT NULL,
    rows BLOB NOT NULL,          -- zlib-compressed JSON [[level, name, group, hour, metric, value]]
    PRIMARY KEY (scenario, config, seed, replication)
);
CREATE TABLE IF NOT EXISTS scenarios (hash TEXT PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS requests (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    scenario TEXT NOT NULL,
    definition TEXT NOT NULL UNIQUE
);
"""

#: the columns of each table of a store, in order (what tells a store from another
#: database); ``claims`` is made by the first runner that computes (:mod:`.claims`), so a
#: store without it (one made before claims, or never computed into) is a store too
COLUMNS = {
    "runs": ("scenario", "config", "seed", "replication", "rows"),
    "scenarios": ("hash", "data"),
    "requests": ("id", "kind", "scenario", "definition"),
    "claims": (
        "scenario",
        "config",
        "seed",
        "replication",
        "owner",
        "host",
        "pid",
        "claimed",
        "heartbeat",
    ),
}

#: what to do about each kind of write problem
_FREE = "free space on its disk (or move the store to another disk)"
_PERMIT = "make it writable (or copy it to a folder you can write)"
_WAIT = "stop the other process writing it, or wait"

#: SQLite's primary error codes that come from writing the file: what they mean, and what
#: to do
_WRITE_PROBLEMS = {
    "SQLITE_FULL": ("the disk is full", _FREE),
    "SQLITE_IOERR": ("a disk I/O error (is the disk full?)", _FREE),
    "SQLITE_READONLY": ("it is read-only", _PERMIT),
    "SQLITE_CANTOPEN": ("it cannot be opened to be written", _PERMIT),
    "SQLITE_PERM": ("no permission to write it", _PERMIT),
    "SQLITE_BUSY": (f"another process has held it locked for {BUSY_TIMEOUT:.0f} s", _WAIT),
    "SQLITE_LOCKED": ("it is locked", _WAIT),
}

#: a write problem: what it is, and what to do
Problem = tuple[str, str]

READ_ONLY_FOLDER: Problem = (
    "its folder cannot be written (SQLite makes its -wal and -shm files there)",
    "make the folder writable (or copy the store to a folder you can write)",
)


def write_problem(error: sqlite3.Error) -> Problem | None:
    """What an SQLite error says about writing the store (the disk is full, …) and what
    to do, or None for an error of any other kind."""
    name = getattr(error, "sqlite_errorname", "") or ""
    if name == "SQLITE_READONLY_DIRECTORY":
        return READ_ONLY_FOLDER
    primary = "_".join(name.split("_")[:2])
    return _WRITE_PROBLEMS.get(primary)


def cannot_write(path: Path, problem: Problem, held: int | None) -> StoppedError:
    """The one line for a store that cannot be written: which, why, and what to do."""
    what, todo = problem
    if held is None:
        kept = "the runs it holds are kept"
    elif held == 0:
        kept = "it holds no run yet"
    else:
        kept = f"its {held} run{'s' * (held != 1)} are kept"
    return StoppedError(
        f"{path}: the results store cannot be written: {what}; {kept}: {todo}, then run the "
        "same command with --resume to go on"
    )


def foreign(db: sqlite3.Connection) -> str | None:
    """Why the database is not a portsim store (another program's tables), or None."""
    tables = db.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall()
    for (name,) in tables:
        if name.startswith("sqlite_"):
            continue
        if name not in COLUMNS:
            return f"it has a table {name!r}"
        columns = tuple(row[1] for row in db.execute(f"PRAGMA table_info({name})"))
        if columns != COLUMNS[name]:
            return f"its table {name!r} has the columns {', '.join(columns)}"
    return None


class Opened:
    """An open store file: the connection, whether it can be written (else why not), and
    the temporary folder of a copy read instead of the store (removed by :meth:`close`)."""

    def __init__(
        self, db: sqlite3.Connection, problem: Problem | None = None, copy: Path | None = None
    ) -> None:
        self.db = db
        #: why the store cannot be written, and what to do (None: it can, as far as is known)
        self.problem = problem
        # the copy goes when this goes, or when the interpreter exits, closed or not
        self._removal = None if copy is None else weakref.finalize(self, _remove, db, copy)

    def close(self) -> None:
        self.db.close()
        if self._removal is not None:
            self._removal()


def _remove(db: sqlite3.Connection, copy: Path) -> None:
    db.close()
    shutil.rmtree(copy, ignore_errors=True)


def _uri(path: Path, query: str) -> str:
    return f"file:{quote(str(path.absolute()))}?{query}"


def _writable(path: Path) -> sqlite3.Connection:
    """The store opened to be written, made a store if new (SQLite's errors as raised)."""
    db = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT)
    try:
        why = foreign(db)
        if why is not None:
            raise UsageError(f"{path}: not a portsim results store ({why})")
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        tables = {n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not {"runs", "scenarios", "requests"} <= tables:
            db.executescript(SCHEMA)
    except BaseException:
        db.close()
        raise
    return db


def _readable(path: Path) -> tuple[sqlite3.Connection, Path | None]:
    """The store opened only to be read, every committed run included (the module's
    three ways); raises :class:`sqlite3.Error` when none works."""
    try:
        db = sqlite3.connect(_uri(path, "mode=ro"), uri=True, isolation_level=None)
        db.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()  # maps the -shm file
        return db, None
    except sqlite3.OperationalError:
        pass
    wal = path.with_name(path.name + "-wal")
    if not wal.exists() or wal.stat().st_size == 0:
        db = sqlite3.connect(_uri(path, "immutable=1"), uri=True, isolation_level=None)
        return db, None
    folder = Path(tempfile.mkdtemp(prefix="portsim-store-"))
    try:
        copy = folder / path.name
        shutil.copyfile(path, copy)
        shutil.copyfile(wal, folder / wal.name)
        db = sqlite3.connect(copy, isolation_level=None)
        db.execute("PRAGMA query_only=1")  # a write would be lost with the copy: refused
        return db, folder
    except (OSError, sqlite3.Error) as error:
        shutil.rmtree(folder, ignore_errors=True)
        raise sqlite3.OperationalError(
            f"its last runs are in {wal.name}, which cannot be read here or copied ({error})"
        ) from None


def open_file(path: Path) -> Opened:
    """The store at ``path``, opened to be written if it can be, else to be read (with
    :attr:`Opened.problem` saying why it cannot be written). Raises :class:`UsageError`
    for a file that is not a portsim store, :class:`StoppedError` for a new store that
    cannot be made."""
    existed = path.exists()
    try:
        return Opened(_writable(path))
    except sqlite3.Error as error:
        problem = write_problem(error)
        if problem is None:
            raise UsageError(f"{path}: not a portsim results store ({error})") from None
    if not os.access(path.absolute().parent, os.W_OK):
        problem = READ_ONLY_FOLDER  # SQLite says only that it cannot open its files
    db: sqlite3.Connection | None = None
    copy: Path | None = None
    try:
        if path.exists() and path.stat().st_size:
            db, copy = _readable(path)
            why = foreign(db)
            if why is not None:
                db.close()
                raise UsageError(f"{path}: not a portsim results store ({why})")
    except sqlite3.Error as error:
        raise UsageError(f"{path}: the results store cannot be read ({error})") from None
    if db is not None and db.execute("SELECT 1 FROM sqlite_master WHERE name='runs'").fetchone():
        return Opened(db, problem, copy)
    if db is not None:  # a store never made: no runs table
        db.close()
    if copy is not None:
        shutil.rmtree(copy, ignore_errors=True)
    if not existed and path.exists() and path.stat().st_size == 0:
        path.unlink()  # the empty file SQLite made before it failed
    raise StoppedError(
        f"{path}: the results store cannot be made: {problem[0]}; choose a --store on a disk "
        "and in a folder you can write"
    )
