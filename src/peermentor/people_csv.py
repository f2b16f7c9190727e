"""The people CSV of design.md ("People import"): parse, validate and serialise.

Pure: bytes in, records and problems out; no database. `parse_people_csv` reports every
problem of a file at once, each naming its row and column, so an admin can fix a file
in one go; the caller imports nothing unless `errors` is empty (all or nothing).
`serialize_people_csv` writes the same format, so export -> parse is the identity.

Decisions the contract leaves open:
- Rows are counted as a spreadsheet shows them: the header is row 1, the first record
  row 2. A quoted cell holding a line break is still one row.
- A header with no data rows is a valid, empty file; a file without a header is not.
- Header names are matched ignoring surrounding whitespace and case.
- Blank lines are skipped (they still count as rows, as in a spreadsheet).
- `level` may be any integer; `years_experience` and `hours_per_month` are decimal
  numbers of 0 or more (no "nan", "inf" or thousands separators).
- An employee_id may not contain ";", since lists of ids (do_not_match) use it.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable
from typing import TextIO

from peermentor.domain.people import CSV_COLUMNS, LIST_COLUMNS, PersonRecord

LIST_SEPARATOR = ";"


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
    if column in LIST_COLUMNS:
        assert isinstance(value, tuple)
        return LIST_SEPARATOR.join(_list_item(column, item) for item in value)
    return str(value)


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
