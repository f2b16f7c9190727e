"""The people CSV of design.md ("People import"): parse, validate and serialise.

Pure: bytes (or a binary file) in, records and problems out; no database.
`parse_people_csv` reports every problem of a file at once, each naming its row and
column, so an admin can fix a file in one go; the caller imports nothing unless
`errors` is empty (all or nothing).
`serialize_people_csv` writes the same format, so export -> parse is the identity.
Text cells are formula-safe (`csv_safety`): written with a leading apostrophe when they
could start a spreadsheet formula, read back with exactly that apostrophe removed.

Decisions the contract leaves open:
- Rows are counted as a spreadsheet shows them: the header is row 1, the first record
  row 2. A quoted cell holding a line break is still one row.
- A header with no data rows is a valid, empty file; a file without a header is not.
- Header names are matched ignoring surrounding whitespace and case.
- Blank lines are skipped (they still count as rows, as in a spreadsheet). A row with
  fewer cells than the header has its missing trailing cells read as empty; one with
  more (non-empty) cells is an error.
- A cell that is not valid UTF-8 is reported with its row and its column (the header
  row's with no column), and the rest of the file is still checked.
- `level` may be any integer; `years_experience` and `hours_per_month` are decimal
  numbers of 0 or more (no "nan", "inf" or thousands separators).
- An employee_id may not contain ";", since lists of ids (do_not_match) use it.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, BinaryIO, TextIO, TypeVar

from peermentor.csv_safety import escape_cell, unescape_cell
from peermentor.domain.people import (
    CSV_COLUMNS,
    LEVEL_RANGE,
    LIST_COLUMNS,
    MAX_LIST_ITEM_LENGTH,
    MAX_LIST_ITEMS,
    MAX_TEXT_LENGTH,
    REQUIRED_COLUMNS,
    PersonRecord,
)
from peermentor.people_csv_cells import (
    LIST_SEPARATOR,
    CellError,
    read_boolean,
    read_email,
    read_integer,
    read_list,
    read_non_negative_number,
    read_timezone,
)

_T = TypeVar("_T")


def serialize_people_csv(people: Iterable[PersonRecord]) -> str:
    """The people as a CSV text in the contract's column order."""
    out = io.StringIO()
    write_people_csv(people, out)
    return out.getvalue()


def write_people_csv(people: Iterable[PersonRecord], stream: TextIO) -> None:
    """Stream the people as CSV (for exports too large to hold as one string)."""
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for person in people:
        writer.writerow([_format_cell(column, getattr(person, column)) for column in CSV_COLUMNS])


def _format_cell(column: str, value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return _format_number(value)
    if isinstance(value, int):
        return str(value)  # a number is never escaped: a level of -3 stays -3
    if column in LIST_COLUMNS:
        assert isinstance(value, tuple)
        return escape_cell(LIST_SEPARATOR.join(_list_item(column, item) for item in value))
    return escape_cell(str(value))


def _format_number(value: float) -> str:
    # repr is the shortest text that reads back as the same float; whole numbers are
    # written without ".0" because that is how people type them in a spreadsheet.
    if math.isfinite(value) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def _list_item(column: str, item: str) -> str:
    if LIST_SEPARATOR in item:
        # Writing it would silently split the item in two on the way back in.
        raise ValueError(f"{column} item {item!r} contains {LIST_SEPARATOR!r}")
    return item


# ---- parsing ----------------------------------------------------------------------

PROGRESS_EVERY = 1000
_BAD_BYTE = re.compile("[\udc80-\udcff]")  # how surrogateescape marks undecodable bytes
_TEXT_COLUMNS = ("department", "team", "job_family", "job_title", "location")
_REPEATED_COLUMNS = (*_TEXT_COLUMNS, "timezone")


@dataclass(frozen=True, slots=True)
class CsvProblem:
    """One thing wrong with the file. `row` 1 is the header; `column` None: whole row."""

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [f"row {self.row}"] if self.row is not None else []
        where += [f"column {self.column}"] if self.column is not None else []
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass(slots=True)
class ParseResult:
    people: list[PersonRecord]
    errors: list[CsvProblem]
    # The spreadsheet row of each of `people`, for problems found later (e.g. against
    # the database): blank lines and multi-line cells make it differ from index + 2.
    rows: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


ProgressCallback = Callable[[int, int], None]


def parse_people_csv(
    data: bytes | BinaryIO, *, progress: ProgressCallback | None = None
) -> ParseResult:
    """Every person of the file, or every problem with it (`people` is then partial).

    `data` is the file's bytes or a seekable binary file (an upload on disk, read in
    passes and never held whole in memory). `progress(rows_done, rows_total)` is called
    every PROGRESS_EVERY data rows and once at the end; rows_total needs a first
    counting pass, made only when asked for.
    """
    source = io.BytesIO(data) if isinstance(data, bytes | bytearray) else data
    has_bad_bytes = not _is_utf8(source)
    total = max(0, _count_rows(source) - 1) if progress else 0
    stream = _text_stream(source)
    reader = csv.reader(stream)
    parser = _FileParser(check_bytes=has_bad_bytes)
    row_number = 0
    try:
        for row_number, row in enumerate(reader, start=1):
            if not parser.has_header:
                if row:  # blank lines before the header are skipped
                    parser.read_header(row_number, row)
                continue
            parser.read_row(row_number, row)
            done = row_number - parser.header_row
            if progress and done % PROGRESS_EVERY == 0:
                progress(done, total)
    except csv.Error as error:
        # The csv module stops at the first malformed record (e.g. an oversized cell).
        parser.problem(row_number + 1, None, f"cannot be read as CSV: {error}")
    if not parser.has_header:
        parser.problem(1, None, "the file is empty: expected a header row naming the columns")
    stream.detach()  # leave the caller's file open: closing it is theirs to do
    parser.check_manager_cycles()
    if progress:
        progress(total, total)
    return ParseResult(parser.people, parser.problems, parser.rows)


def _is_utf8(source: BinaryIO) -> bool:
    # Decoded in slices, so that a 100 MB upload is not held twice as text.
    decoder = codecs.getincrementaldecoder("utf-8")()
    source.seek(0)
    try:
        while chunk := source.read(1 << 20):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _text_stream(source: BinaryIO) -> io.TextIOWrapper:
    # utf-8-sig drops a byte-order mark; surrogateescape keeps going past bad bytes so
    # every one can be reported with its row; newline="" is what the csv module wants.
    source.seek(0)
    return io.TextIOWrapper(source, encoding="utf-8-sig", errors="surrogateescape", newline="")


def _count_rows(source: BinaryIO) -> int:
    stream = _text_stream(source)
    try:
        return sum(1 for _ in csv.reader(stream))
    except csv.Error:
        return 0
    finally:
        stream.detach()


class _FileParser:
    """State of one parse: the header's layout, the people so far, what is wrong."""

    def __init__(self, *, check_bytes: bool) -> None:
        self.check_bytes = check_bytes
        self.people: list[PersonRecord] = []
        self.rows: list[int] = []
        self.problems: list[CsvProblem] = []
        self.header_row = 0
        self.columns: dict[str, int] = {}
        self.width = 0
        self.first_row_of_id: dict[str, int] = {}
        self.first_row_of_email: dict[str, int] = {}
        self.manager_of: dict[str, str] = {}
        # Departments, tags and the like repeat across thousands of rows: sharing one
        # string (or tuple) per distinct value keeps a large file's records small.
        self.shared: dict[object, object] = {}

    @property
    def has_header(self) -> bool:
        return self.header_row > 0

    def problem(self, row: int | None, column: str | None, message: str) -> None:
        self.problems.append(CsvProblem(row, column, message))

    def read_header(self, row_number: int, header: list[str]) -> None:
        self.header_row, self.width = row_number, len(header)
        for index, cell in enumerate(header):
            name = cell.strip().lower()
            if self.check_bytes and _BAD_BYTE.search(cell):
                self.problem(row_number, None, f"header cell {index + 1} is not valid UTF-8")
            elif not name:
                self.problem(row_number, None, f"header cell {index + 1} is empty")
            elif name not in CSV_COLUMNS:
                expected = ", ".join(CSV_COLUMNS)
                self.problem(row_number, name, f"unknown column (expected: {expected})")
            elif name in self.columns:
                self.problem(row_number, name, "the column appears twice in the header")
            else:
                self.columns[name] = index
        for name in REQUIRED_COLUMNS:
            if name not in self.columns:
                self.problem(row_number, name, "required column is missing from the header")

    def read_row(self, row_number: int, row: list[str]) -> None:
        if not row:
            return  # a blank line
        problems_before = len(self.problems)
        if len(row) > self.width and any(cell.strip() for cell in row[self.width :]):
            self.problem(row_number, None, f"has {len(row)} cells but the header has {self.width}")
        values = {
            name: unescape_cell(row[i].strip()) if i < len(row) else ""
            for name, i in self.columns.items()
        }
        if self.check_bytes:
            self._check_bytes(row_number, values)
        person = _RowReader(self, row_number, values).person()
        # On the raw values, so a row with other problems still takes part.
        self._check_unique(row_number, values)
        if person is not None and len(self.problems) == problems_before:
            self.people.append(person)
            self.rows.append(row_number)

    def _check_bytes(self, row_number: int, values: dict[str, str]) -> None:
        for name, value in values.items():
            if _BAD_BYTE.search(value):
                bad = value.encode("utf-8", "surrogateescape")
                self.problem(row_number, name, f"{bad!r} contains bytes that are not UTF-8")

    def _check_unique(self, row_number: int, values: dict[str, str]) -> None:
        employee_id, email = values.get("employee_id", ""), values.get("email", "")
        if employee_id:
            first = self.first_row_of_id.setdefault(employee_id, row_number)
            if first != row_number:
                message = f'"{employee_id}" is already used on row {first}'
                self.problem(row_number, "employee_id", message)
            elif values.get("manager_id"):
                self.manager_of[employee_id] = values["manager_id"]
        if email:
            first = self.first_row_of_email.setdefault(email.casefold(), row_number)
            if first != row_number:
                self.problem(row_number, "email", f'"{email}" is already used on row {first}')

    def check_manager_cycles(self) -> None:
        """Report every person whose manager chain comes back to them."""
        done: set[str] = set()
        for start in self.manager_of:
            path: list[str] = []
            on_path: set[str] = set()
            current: str | None = start
            while current is not None and current not in done and current not in on_path:
                path.append(current)
                on_path.add(current)
                current = self.manager_of.get(current)
            if current is not None and current in on_path:
                self._report_cycle(path[path.index(current) :])
            done.update(path)

    def _report_cycle(self, cycle: list[str]) -> None:
        for position, employee_id in enumerate(cycle):
            row = self.first_row_of_id[employee_id]
            if len(cycle) == 1:
                self.problem(row, "manager_id", f'"{employee_id}" is their own manager')
                continue
            loop = cycle[position:] + cycle[:position] + [employee_id]
            self.problem(row, "manager_id", "manager chain loops: " + " → ".join(loop))

    def share(self, value: _T) -> _T:
        return self.shared.setdefault(value, value)  # type: ignore[return-value]


def size_problems(fields: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """(column, message) for each value of `fields` the store cannot hold: over-long
    text, too many or over-long list items, NUL characters, huge grades. Columns absent
    from `fields` are not checked (a profile edit sends only what it changes)."""
    for column, limit in MAX_TEXT_LENGTH.items():
        value = fields.get(column) or ""
        if len(value) > limit:
            yield column, f"is {len(value):,} characters long; at most {limit:,}"
        if "\x00" in value:
            yield column, "contains a NUL character"
    for column in LIST_COLUMNS:
        items = fields.get(column, ())
        if len(items) > MAX_LIST_ITEMS:
            yield column, f"has {len(items)} values; at most {MAX_LIST_ITEMS}"
        for item in items:
            if len(item) > MAX_LIST_ITEM_LENGTH or "\x00" in item:
                yield (
                    column,
                    f'"{item[:40]}…" is longer than '
                    f"{MAX_LIST_ITEM_LENGTH} characters or holds a NUL",
                )
                break
    level = fields.get("level")
    if level is not None and not LEVEL_RANGE[0] <= level <= LEVEL_RANGE[1]:
        yield "level", f'"{level}" is out of range for a job grade'


class _RowReader:
    """Turns one row's stripped cells into a PersonRecord, reporting each bad cell."""

    def __init__(self, file: _FileParser, row_number: int, values: dict[str, str]) -> None:
        self.file, self.row_number, self.values = file, row_number, values
        self.failed = False

    def person(self) -> PersonRecord | None:
        employee_id = self.required("employee_id")
        if LIST_SEPARATOR in employee_id:
            self.fail("employee_id", f'"{employee_id}" must not contain "{LIST_SEPARATOR}"')
        fields: dict[str, Any] = {
            "employee_id": employee_id,
            "name": self.required("name"),
            "email": self.read("email", read_email, required=True),
            "years_experience": self.read(
                "years_experience", read_non_negative_number, required=True
            ),
            "manager_id": self.values.get("manager_id") or None,
            "level": self.read("level", read_integer),
            "timezone": self.read("timezone", read_timezone) or "",
            "goal_statement": self.values.get("goal_statement", ""),
            "hours_per_month": self.read("hours_per_month", read_non_negative_number),
            "opt_out": self.read("opt_out", read_boolean) or False,
        }
        for column in _TEXT_COLUMNS:
            fields[column] = self.values.get(column, "")
        for column in LIST_COLUMNS:
            fields[column] = self.list_cell(column)
        if employee_id and employee_id in fields["do_not_match"]:
            self.fail("do_not_match", f'"{employee_id}" cannot be kept apart from themselves')
        self._check_sizes(fields)
        if self.failed:
            return None
        for column in _REPEATED_COLUMNS:
            fields[column] = self.file.share(fields[column])
        return PersonRecord(**fields)

    def _check_sizes(self, fields: dict[str, Any]) -> None:
        for column, message in size_problems(fields):
            self.fail(column, message)

    def fail(self, column: str, message: str) -> None:
        self.failed = True
        self.file.problem(self.row_number, column, message)

    def required(self, column: str) -> str:
        value = self.values.get(column, "")
        # A missing column is reported once, on the header, not again on every row.
        if not value and column in self.file.columns:
            self.fail(column, "a value is required")
        elif not value:
            self.failed = True
        return value

    def read(
        self, column: str, reader: Callable[[str], _T], *, required: bool = False
    ) -> _T | None:
        text = self.required(column) if required else self.values.get(column, "")
        if not text and column != "opt_out":
            return None
        try:
            return reader(text)
        except CellError as error:
            self.fail(column, str(error))
            return None

    def list_cell(self, column: str) -> tuple[str, ...]:
        text = self.values.get(column, "")
        if not text:
            return ()
        shared = self.file.shared
        key = (column, text)
        items = shared.get(key)
        if items is None:
            items = shared[key] = tuple(self.file.share(item) for item in read_list(text))
        return items  # type: ignore[return-value]
