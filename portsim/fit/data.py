"""Observed data read from CSV files, checked cell by cell: every problem is one line,
``FILE: column: problem``, naming the row as a spreadsheet numbers it (the header is row 1).

A file that cannot be read, a column it does not have, a column with no values, a cell that
is not a number (or not a finite one), a negative count or a time that is not above zero: each
is a :class:`DataError`, a :class:`~portsim.errors.UsageError` the command line prints before
exiting with code 2.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from ..errors import UsageError
from ..units import shown

__all__ = ["DataError", "Table", "read_table"]


class DataError(UsageError):
    """Observed data that cannot be used: ``str(error)`` is ``FILE: column: problem``."""

    def __init__(self, file: str, column: str, problem: str) -> None:
        super().__init__(file, column, problem)
        self.file = file
        self.column = column
        self.problem = problem

    def __str__(self) -> str:
        where = f"{self.column}: " if self.column else ""
        return f"{self.file}: {where}{self.problem}"


@dataclass(frozen=True, slots=True)
class Table:
    """A CSV file's header and rows (cells as text, spaces around them removed)."""

    file: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    #: each row's number as a spreadsheet shows it (blank lines skipped still count)
    row_numbers: tuple[int, ...]

    def error(self, column: str, problem: str) -> DataError:
        """A problem with ``column`` of this file."""
        return DataError(self.file, column, problem)

    def texts(self, column: str) -> list[str]:
        """The cells of ``column``, in order; a missing column or no rows is a
        :class:`DataError`."""
        if column not in self.header:
            raise self.error(column, f"no such column (the columns are: {', '.join(self.header)})")
        if not self.rows:
            raise self.error(column, "no values: the file has a header and no rows")
        index = self.header.index(column)
        cells = [row[index] if index < len(row) else "" for row in self.rows]
        for number, cell in zip(self.row_numbers, cells, strict=True):
            if cell == "":
                raise self.error(column, f"row {number}: the cell is empty")
        return cells

    def numbers(self, column: str, *, positive: bool = False) -> NDArray[np.float64]:
        """The numbers of ``column``: each a finite number, none negative (with
        ``positive``, each above zero)."""
        values = []
        for number, cell in zip(self.row_numbers, self.texts(column), strict=True):
            try:
                value = float(cell)
            except ValueError:
                raise self.error(column, f"row {number}: {shown(cell)} is not a number") from None
            if not math.isfinite(value):
                raise self.error(column, f"row {number}: {shown(cell)} is not a finite number")
            if value < 0 or (positive and value == 0):
                kind = "negative" if value < 0 else "zero"
                need = "above zero" if positive else "zero or more"
                raise self.error(column, f"row {number}: {cell} is {kind}: it must be {need}")
            values.append(value)
        return np.asarray(values, dtype=np.float64)

    def whole_numbers(self, column: str, *, least: int = 0) -> list[int]:
        """The whole numbers of ``column``, each at least ``least``."""
        values = self.numbers(column)
        for number, value in zip(self.row_numbers, values, strict=True):
            if value != int(value):
                raise self.error(column, f"row {number}: {value:g} is not a whole number")
            if value < least:
                raise self.error(column, f"row {number}: {value:g} is less than {least}")
        return [int(value) for value in values]


def read_table(path: str | Path, needed: Sequence[str] = ()) -> Table:
    """The table of the CSV file at ``path`` (a header row, then one row per observation);
    each column of ``needed`` must be in the header."""
    file = str(path)
    try:
        with Path(path).open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            lines = [([cell.strip() for cell in row], reader.line_num) for row in reader]
    except FileNotFoundError:
        raise DataError(file, "", "no such file") from None
    except IsADirectoryError:
        raise DataError(file, "", "is a folder, not a CSV file") from None
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise DataError(file, "", f"cannot be read as CSV: {error}") from None
    lines = [(cells, number) for cells, number in lines if any(cells)]
    if not lines:
        raise DataError(file, "", "the file is empty: a header row and data rows are needed")
    header, rows = lines[0][0], lines[1:]
    table = Table(
        file,
        tuple(header),
        tuple(tuple(cells) for cells, _ in rows),
        tuple(number for _, number in rows),
    )
    for column in needed:
        table.texts(column)
    return table
