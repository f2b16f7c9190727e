"""A person as the organisation's HR file describes them.

This record is what the CSV importer produces, the demo generator creates, the
store persists and the matching engine reads. It is pure data: lists are tuples so
a record can be hashed and compared.
"""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True, slots=True)
class PersonRecord:
    employee_id: str
    name: str
    email: str
    years_experience: float
    manager_id: str | None = None
    department: str = ""
    team: str = ""
    job_family: str = ""
    job_title: str = ""
    location: str = ""
    level: int | None = None
    timezone: str = ""
    languages: tuple[str, ...] = ()
    skills_offered: tuple[str, ...] = ()
    skills_sought: tuple[str, ...] = ()
    career_goals: tuple[str, ...] = ()
    goal_statement: str = ""
    challenges: tuple[str, ...] = ()
    background: tuple[str, ...] = ()
    hours_per_month: float | None = None
    opt_out: bool = False
    do_not_match: tuple[str, ...] = ()


# Column order of the CSV contract (design.md); the record's fields use the same names.
CSV_COLUMNS: tuple[str, ...] = (
    "employee_id",
    "name",
    "email",
    "manager_id",
    "department",
    "team",
    "job_family",
    "job_title",
    "location",
    "level",
    "years_experience",
    "timezone",
    "languages",
    "skills_offered",
    "skills_sought",
    "career_goals",
    "goal_statement",
    "challenges",
    "background",
    "hours_per_month",
    "opt_out",
    "do_not_match",
)
REQUIRED_COLUMNS: tuple[str, ...] = ("employee_id", "name", "email", "years_experience")
LIST_COLUMNS: tuple[str, ...] = tuple(
    f.name for f in fields(PersonRecord) if f.type == "tuple[str, ...]"
)

assert set(CSV_COLUMNS) == {f.name for f in fields(PersonRecord)}

# The longest value each text column may hold; the store's columns are this wide, so
# the importer refuses longer values with the row and column instead of the database
# refusing them mid-write.
MAX_TEXT_LENGTH: dict[str, int] = {
    "employee_id": 64,
    "name": 200,
    "email": 320,
    "manager_id": 64,
    "department": 200,
    "team": 200,
    "job_family": 200,
    "job_title": 200,
    "location": 200,
    "timezone": 64,
    "goal_statement": 5_000,
}
MAX_LIST_ITEM_LENGTH = 200
MAX_LIST_ITEMS = 100
# Job grades are stored as 32-bit integers.
LEVEL_RANGE = (-(2**31), 2**31 - 1)
