"""Output files checked before a run and written after it: a bad path is said before the
first replication starts, not after the last (``PATH: problem``), and a write that fails
anyway is one line, not a traceback. Each file is written whole or not at all: a write that
fails leaves no partial file, and a file that was there as it was.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TypeVar

from ..errors import UsageError

__all__ = ["STDOUT", "check_outputs", "replacing", "write_output"]

T = TypeVar("T")

#: the path that means standard output (``--json -``)
STDOUT = "-"


def _problem(path: Path, option: str, inputs: Sequence[Path]) -> str | None:
    """What is wrong with writing ``path`` for ``option``, or None."""
    if path.is_dir():
        return f"is a folder: {option} needs a file name"
    folder = path.parent
    if not folder.exists():
        return f"the folder {folder} does not exist"
    if not folder.is_dir():
        return f"{folder} is not a folder"
    if path.exists():
        if any(path.resolve() == i.resolve() for i in inputs if i.exists()):
            return f"is a scenario file of this run: {option} would overwrite it"
        if not os.access(path, os.W_OK):
            return "cannot be written (no permission)"
    elif not os.access(folder, os.W_OK | os.X_OK):
        return f"cannot create a file in {folder} (no permission)"
    return None


def _folder_problem(path: Path, option: str) -> str | None:
    """What is wrong with writing files into the folder ``path`` (made with its parents
    if missing) for ``option``, or None."""
    if path.exists():
        if not path.is_dir():
            return f"is a file: {option} needs a folder"
        return None if os.access(path, os.W_OK | os.X_OK) else "cannot be written (no permission)"
    above = path.absolute().parent
    while not above.exists():
        above = above.parent
    if not above.is_dir():
        return f"{above} is not a folder"
    if not os.access(above, os.W_OK | os.X_OK):
        return f"cannot create a folder in {above} (no permission)"
    return None


def check_outputs(
    outputs: Mapping[str, str | Path | None],
    inputs: Sequence[Path] = (),
    folders: Mapping[str, str | Path | None] | None = None,
) -> None:
    """Check each output path (by option, ``--json`` → path; None: not asked for; ``-``:
    standard output) before a run: an existing folder, not a folder itself, writable, not
    one of the ``inputs`` and not the path of another option; and each output folder
    (``--plots`` → folder): not a file, and writable or creatable. Raises
    :class:`UsageError` ``PATH: problem``."""
    for option, given in (folders or {}).items():
        problem = None if given is None else _folder_problem(Path(given), option)
        if problem is not None:
            raise UsageError(f"{given}: {problem}")
    seen: dict[Path, str] = {}
    for option, given in outputs.items():
        if given is None or str(given) == STDOUT:
            continue
        path = Path(given)
        problem = _problem(path, option, inputs)
        if problem is None and path.absolute() in seen:
            problem = f"given to both {seen[path.absolute()]} and {option}"
        if problem is not None:
            raise UsageError(f"{given}: {problem}")
        seen[path.absolute()] = option


@contextmanager
def replacing(path: str | Path) -> Iterator[Path]:
    """The path to write ``path``'s new content to: a temporary file beside it that takes
    its place (``os.replace``, atomic) when the block ends, and is removed when the block
    ends with an exception. So ``path`` is written whole or not at all: a write that fails
    (a full disk, a file-size limit, Ctrl-C) leaves no partial file, and a file already
    there as it was. The temporary file is in the same folder (a rename within one file
    system), named ``.NAME.RANDOM.SUFFIX``: hidden, and ending as the file does, since
    writers choose a format by the suffix. The new file keeps the old one's permissions; a
    symbolic link is followed (the file it names is replaced, the link kept). Written in
    place: what is not a regular file (``/dev/stdout``, a pipe) and a file in a folder
    where no file can be made."""
    target = Path(os.path.realpath(path))
    folder = target.parent
    special = target.exists() and not target.is_file()
    if special or not os.access(folder, os.W_OK | os.X_OK):
        yield Path(path)
        return
    temporary = folder / f".{target.name[:200]}.{secrets.token_hex(4)}{target.suffix}"
    try:
        yield temporary
        if target.exists():
            with suppress(OSError):  # another owner's file: the new one keeps the umask's
                shutil.copymode(target, temporary)
        os.replace(temporary, target)
    except BaseException:
        with suppress(OSError):
            temporary.unlink(missing_ok=True)
        raise


def write_output(path: str | Path, write: Callable[[Path], T], *, folder: bool = False) -> T:
    """Call ``write`` with the path to write ``path``'s content to, and return what it
    returns: a temporary file that replaces ``path`` once written whole (:func:`replacing`),
    so that a failed write leaves no partial file and an existing file as it was.
    ``folder``: ``path`` is a folder that ``write`` fills, each file written whole by its
    own writer (the plots: :func:`~portsim.report.charts.save_png`). An error of the file
    system becomes a :class:`UsageError` ``PATH: cannot write: why``."""
    try:
        if folder:
            return write(Path(path))
        with replacing(path) as temporary:
            return write(temporary)
    except OSError as error:
        raise UsageError(f"{path}: cannot write: {error.strerror or error}") from None
