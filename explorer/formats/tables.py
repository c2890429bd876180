"""Tables read with the position of every cell: CSV text and XLSX sheets.

A ``Table`` is a header and rows; each ``Row`` knows where each of its cells is, so that an
error points at ``file:line:col`` of a CSV, or at ``file.xlsx:ROW:COL: Sheet!C12`` of a
workbook. Reading is linear in the size of the file, whatever its quoting.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from explorer.errors import DataErrors, Problem

__all__ = ["Row", "Table", "csv_table", "decode", "sniff_delimiter", "xlsx_sheets"]

#: Cell separators an edge list may use, most likely last.
DELIMITERS = (",", ";", "\t")


@dataclass
class Row:
    """One record: its cells by column name, and where each cell starts."""

    cells: dict[str, str]
    line: int
    cols: dict[str, tuple[int, int]] = field(default_factory=dict)
    sheet: str = ""  # a workbook's sheet name; "" for CSV

    def get(self, name: str) -> str:
        """The cell's text, stripped; "" where the row has no such column."""
        return self.cells.get(name, "").strip()

    def at(self, name: str) -> tuple[int, int]:
        """(line, column) of the cell, counting from 1."""
        return self.cols.get(name, (self.line, 1))

    def where(self, name: str) -> str:
        """How an error names the cell: its column, or ``Sheet!C12`` in a workbook."""
        if not self.sheet:
            return name
        line, col = self.at(name)
        return f"{self.sheet}!{_letters(col)}{line}: {name}"

    def problem(self, path: str, name: str, message: str) -> Problem:
        line, col = self.at(name)
        return Problem(path, line, col, self.where(name), message)


def _letters(col: int) -> str:
    text = ""
    while col:
        col, rest = divmod(col - 1, 26)
        text = chr(65 + rest) + text
    return text


@dataclass
class Table:
    """A header (column names) and the data rows under it."""

    path: str
    header: list[str]
    rows: list[Row]
    header_line: int = 1
    header_cols: list[int] = field(default_factory=list)
    sheet: str = ""

    def header_problem(self, position: int, message: str) -> Problem:
        """A problem with the header cell at ``position`` (counting from 0)."""
        col = self.header_cols[position] if position < len(self.header_cols) else 1
        where = f"{self.sheet}!{_letters(col)}{self.header_line}" if self.sheet else "header"
        return Problem(self.path, self.header_line, col, where, message)

    @classmethod
    def from_cells(
        cls,
        path: str,
        records: list[tuple[int, list[str], list[tuple[int, int]]]],
        *,
        header: list[str] | None = None,
        rename: Callable[[str], str] = str.strip,
        sheet: str = "",
    ) -> Table:
        """Rows from records of (line, cells, cell starts); the first names the columns."""
        records = [r for r in records if any(c.strip() for c in r[1])]
        names = list(header or [])
        header_line, header_cols = 1, []
        if header is None and records:
            header_line, cells, starts = records.pop(0)
            names = [rename(c) for c in cells]
            header_cols = [col for _, col in starts]
            # Empty trailing header cells (a spreadsheet's stray columns) name nothing.
            while names and not names[-1]:
                names.pop()
        rows = []
        for number, cells, starts in records:
            row = Row({}, number, {}, sheet)
            for position, value in enumerate(cells):
                name = names[position] if position < len(names) else f"column {position + 1}"
                if position >= len(names) and not value.strip():
                    continue  # an empty trailing cell is no extra column
                row.cells[name] = value
                row.cols[name] = starts[position] if position < len(starts) else (number, 1)
            rows.append(row)
        return cls(path, names, rows, header_line, header_cols, sheet)


# --- CSV -----------------------------------------------------------------------------------


def decode(data: bytes, path: str) -> str:
    """UTF-8 text (a byte-order mark is dropped); an error names the first bad byte's place."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DataErrors([Problem(path, 1, 1, "file", "encoded as UTF-16; save it as UTF-8")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        raise DataErrors(
            [Problem(path, line, col, "file", f"not valid UTF-8: byte 0x{data[exc.start]:02x}")]
        ) from None


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def _records(text: str, path: str, delimiter: str = ",") -> Iterator[tuple[int, str]]:
    """Each CSV record's first line number and raw text (a quoted cell may span lines).

    Quotes are read as Python's ``csv`` reads them: only a quote that begins a cell opens a
    quoted cell; one inside an unquoted cell (``5" gun``) is a plain character, so it never
    joins the following lines to its record (which the reader would then drop unseen).
    """
    # Only CR and LF end CSV lines; str.splitlines would also split at U+2028 and friends.
    lines = _LINE.findall(text)
    number = 0
    while number < len(lines):
        start = number
        parts = [lines[number]]
        state, opened = _scan(lines[number], delimiter, _CELL_START)
        number += 1
        while state == _QUOTED_CELL and number < len(lines):
            parts.append(lines[number])
            state, _ = _scan(lines[number], delimiter, state)
            number += 1
        if state == _QUOTED_CELL:
            raise DataErrors(
                [
                    Problem(
                        path,
                        start + 1,
                        opened + 1,
                        "file",
                        "a quoted cell starts here and is never closed (a missing '\"')",
                    )
                ]
            )
        yield start + 1, "".join(parts)


#: The states of a CSV cell while it is read, as Python's csv module has them; a line break
#: inside a quoted cell belongs to the cell, anywhere else it ends the record.
_CELL_START, _PLAIN, _QUOTED_CELL, _QUOTE_IN_QUOTED = range(4)


def _step(state: int, char: str, delimiter: str) -> int:
    """The state after reading ``char`` in ``state``: the one transition table of a cell."""
    if state == _QUOTED_CELL:
        return _QUOTE_IN_QUOTED if char == '"' else _QUOTED_CELL
    if state == _QUOTE_IN_QUOTED and char == '"':
        return _QUOTED_CELL  # '""' is one quote inside the cell; anything else closes it
    if char == delimiter or char in "\r\n":
        return _CELL_START
    if state == _CELL_START and char == '"':
        return _QUOTED_CELL
    return _PLAIN


def _scan(line: str, delimiter: str, state: int) -> tuple[int, int]:
    """The state after ``line`` (from ``state``), and the index of the last quote opening a cell.

    A line break ends the record unless it lies inside a quoted cell.
    """
    if '"' not in line:  # the common case: no quote changes anything
        return (_QUOTED_CELL if state == _QUOTED_CELL else _CELL_START), 0
    opened = 0
    for index, char in enumerate(line):
        after = _step(state, char, delimiter)
        if state == _CELL_START and after == _QUOTED_CELL:
            opened = index
        state = after
    return state, opened


def _cell_starts(record: str, delimiter: str) -> list[tuple[int, int]]:
    """(line offset, column) of each cell of one CSV record's raw text; columns count from 1."""
    starts = [(0, 1)]
    state = _CELL_START
    line, col = 0, 1
    for char in record:
        if char == delimiter and state != _QUOTED_CELL:
            starts.append((line, col + 1))
        state = _step(state, char, delimiter)
        if char == "\n":
            line, col = line + 1, 1
        else:
            col += 1
    return starts


def sniff_delimiter(text: str) -> str:
    """The first record's separator: whichever of ``,`` ``;`` tab occurs most outside quotes."""
    first = next(iter(_LINE.findall(text[:65536])), "")
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in first:
        if char == '"':
            quoted = not quoted
        elif char in counts and not quoted:
            counts[char] += 1
    best = max(DELIMITERS, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def csv_records(
    text: str, path: str, delimiter: str = ","
) -> list[tuple[int, list[str], list[tuple[int, int]]]]:
    """Every record as (line, cells, (line, col) of each cell)."""
    out = []
    csv.field_size_limit(max(len(text), 131072))
    for number, raw in _records(text, path, delimiter):
        body = raw.rstrip("\r\n")
        try:
            cells = next(csv.reader(io.StringIO(body), delimiter=delimiter), [])
        except csv.Error as exc:
            raise DataErrors([Problem(path, number, 1, "file", f"not CSV: {exc}")]) from None
        starts = [(number + off, col) for off, col in _cell_starts(body, delimiter)]
        out.append((number, cells, starts))
    return out


def csv_table(
    text: str,
    path: str,
    *,
    header: list[str] | None = None,
    rename: Callable[[str], str] = str.strip,
    delimiter: str = ",",
) -> Table:
    """A CSV file's rows; without ``header`` its first record names the columns."""
    return Table.from_cells(path, csv_records(text, path, delimiter), header=header, rename=rename)


# --- XLSX ----------------------------------------------------------------------------------


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        text = str(value.isoformat())
        return text[:10] if text.endswith("T00:00:00") else text
    return str(value)


def xlsx_sheets(
    data: bytes, path: str
) -> dict[str, list[tuple[int, list[str], list[tuple[int, int]]]]]:
    """Every sheet of a workbook as records of (row, cell texts, (row, col) of each cell).

    The workbook's members are bounded before they are read (a zip bomb is refused), and
    formulas are read as the text the user typed, never evaluated.
    """
    from openpyxl import load_workbook

    from explorer.formats.files import max_bytes

    limit = max_bytes()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = sum(info.file_size for info in archive.infolist())
            if total > limit:
                raise DataErrors(
                    [
                        Problem(
                            path,
                            1,
                            1,
                            "file",
                            f"unpacks to {total:,} bytes, over the limit of {limit:,} bytes",
                        )
                    ]
                )
            for info in archive.infolist():
                if _holds_dtd(archive, info):
                    raise DataErrors(
                        [Problem(path, 1, 1, "file", "holds a DTD; not a workbook we read")]
                    )
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except DataErrors:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a broken workbook
        raise DataErrors(
            [Problem(path, 1, 1, "file", f"not a readable .xlsx workbook ({exc})")]
        ) from None
    sheets = {}
    try:
        for sheet in book.worksheets:
            records = []
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                cells = [_cell_text(v) for v in values]
                while cells and not cells[-1].strip():
                    cells.pop()
                records.append((number, cells, [(number, col) for col in range(1, len(cells) + 1)]))
            sheets[sheet.title] = records
    except Exception as exc:  # a sheet is parsed only now: broken XML shows here
        raise DataErrors(
            [Problem(path, 1, 1, "file", f"not a readable .xlsx workbook ({exc})")]
        ) from None
    finally:
        book.close()
    return sheets


#: A document type declaration or an entity, as UTF-8 and as UTF-16 (either order) bytes.
_DTD_MARKERS = tuple(
    marker.encode(encoding)
    for marker in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)


def _holds_dtd(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Whether a member declares a DTD or an entity anywhere (not only in its first bytes).

    Members are read in pieces, overlapping by a marker's length, after their total size
    was checked against the limit.
    """
    overlap = max(len(m) for m in _DTD_MARKERS)
    tail = b""
    with archive.open(info) as member:
        while piece := member.read(1 << 20):
            window = tail + piece
            if any(marker in window for marker in _DTD_MARKERS):
                return True
            tail = window[-overlap:]
    return False


def xlsx_table(
    records: list[tuple[int, list[str], list[tuple[int, int]]]],
    path: str,
    sheet: str,
    *,
    header: list[str] | None = None,
    rename: Callable[[str], str] = str.strip,
) -> Table:
    """One sheet's rows; without ``header`` its first non-empty row names the columns."""
    return Table.from_cells(path, records, header=header, rename=rename, sheet=sheet)
