"""The outcomes CSV an admin uploads from HR data: one outcome event a row.

UTF-8 (a byte-order mark is accepted), a header row, then rows of:
  employee_id  required; an imported person of the programme
  event        promotion | internal_move | left
  date         YYYY-MM-DD
A duplicate or unknown column, a bad value or an unknown employee id is a problem named
by its line and column; any problem refuses the whole file (nothing is stored). Pure:
the caller passes the bytes and the programme's employee ids.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from peermentor.domain.errors import ValidationError
from peermentor.domain.outcomes import EVENTS

COLUMNS = ("employee_id", "event", "date")
MAX_PROBLEMS = 50  # enough to fix a file by; the count says how many more
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
TEMPLATE = "employee_id,event,date\nE0001,promotion,2026-03-01\nE0002,left,2026-05-15\n"


@dataclass(frozen=True, slots=True)
class Problem:
    line: int
    column: str  # "" when the problem is the whole line or file
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class OutcomeRow:
    line: int
    employee_id: str
    event: str
    day: date


class OutcomesFileRefused(ValidationError):
    """The file has problems; `problems` lists them (at most MAX_PROBLEMS), `total` all."""

    def __init__(self, problems: list[Problem]) -> None:
        self.total = len(problems)
        self.problems = tuple(problems[:MAX_PROBLEMS])
        super().__init__(str(self.problems[0]), field="file")


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise OutcomesFileRefused([Problem(line, "", "not UTF-8 text")]) from None


def _header(cells: list[str]) -> tuple[dict[str, int], list[Problem]]:
    problems, where = [], {}
    for i, raw in enumerate(cells):
        name = raw.strip().lower()
        if name in where:
            problems.append(Problem(1, name, "this column appears twice"))
        elif name not in COLUMNS:
            shown = name or f"(blank, position {i + 1})"
            problems.append(
                Problem(1, shown, f"unknown column; the columns are {', '.join(COLUMNS)}")
            )
        else:
            where[name] = i
    for name in COLUMNS:
        if name not in where and not any(p.column == name for p in problems):
            problems.append(Problem(1, name, "missing column"))
    return where, problems


def _day(raw: str) -> date | None:
    if not _DAY.fullmatch(raw):
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


def parse_outcomes(data: bytes, known_ids: Collection[str]) -> tuple[OutcomeRow, ...]:
    """Every row of the file, or OutcomesFileRefused naming each problem."""
    reader = csv.reader(io.StringIO(_text(data), newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise OutcomesFileRefused(
            [Problem(1, "", "the file is empty; a header row is needed")]
        ) from None
    except csv.Error as error:
        raise OutcomesFileRefused([Problem(1, "", f"not readable as CSV ({error})")]) from None
    where, problems = _header(header)
    if problems:
        raise OutcomesFileRefused(problems)
    rows: list[OutcomeRow] = []
    seen: set[tuple[str, str, date]] = set()
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            problems.append(Problem(reader.line_num, "", f"not readable as CSV ({error})"))
            break
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue  # a blank line describes nothing
        if len(cells) != len(header):
            problems.append(Problem(line, "", f"{len(cells)} cells, the header has {len(header)}"))
            continue
        value = {name: cells[i].strip() for name, i in where.items()}
        found = len(problems)
        employee, event = value["employee_id"], value["event"]
        if not employee:
            problems.append(Problem(line, "employee_id", "must not be empty"))
        elif employee not in known_ids:
            problems.append(
                Problem(line, "employee_id", f"{employee[:64]!r} is not a person of this programme")
            )
        if event not in EVENTS:
            problems.append(
                Problem(line, "event", f"{event[:40]!r} is not one of {', '.join(EVENTS)}")
            )
        day = _day(value["date"])
        if day is None:
            shown = value["date"][:40]
            problems.append(Problem(line, "date", f"{shown!r} is not a YYYY-MM-DD date"))
        if len(problems) == found and day is not None:
            key = (employee, event, day)
            if key not in seen:  # the same event twice is the same event
                seen.add(key)
                rows.append(OutcomeRow(line, employee, event, day))
    if problems:
        raise OutcomesFileRefused(problems)
    return tuple(rows)
