"""A programme's people for its admins: search, filters and paging, one person's
profile and pairings (states, never what a pair wrote), and the template file an HR
person fills in to import people."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from peermentor.domain.errors import NotFound, ValidationError
from peermentor.domain.people import PersonRecord
from peermentor.domain.profiles import incomplete_fields
from peermentor.people_csv import serialize_people_csv
from peermentor.services.access import Actor
from peermentor.services.programs import get_program_by_id
from peermentor.store import people_directory as directory
from peermentor.store.people_directory import SHOWS, PairingLine, PersonRow
from peermentor.store.people_repo import person_to_record
from peermentor.store.profiles_repo import incomplete_count

PAGE_SIZE = 50
MAX_SEARCH = 200
MAX_PAGE = 1_000_000  # keeps the row offset a 32-bit number on every database


@dataclass(frozen=True, slots=True)
class PeoplePage:
    rows: tuple[PersonRow, ...]
    total: int  # matching the search and filter, over every page
    page: int
    pages: int
    search: str
    show: str
    incomplete: int = 0  # enrolled people whose profile is incomplete (whatever the filter)
    enrolled: int = 0  # everyone enrolled in the programme


@dataclass(frozen=True, slots=True)
class Profile:
    person_id: int
    record: PersonRecord
    has_account: bool
    pairings: tuple[PairingLine, ...]
    incomplete: tuple[str, ...] = ()  # the completeness fields the person left empty


def list_people(
    session: Session,
    actor: Actor,
    program_id: int,
    *,
    search: str = "",
    show: str = "all",
    page: int = 1,
) -> PeoplePage:
    """One page of the programme's enrolled people, by name; past the end, the last."""
    get_program_by_id(session, actor, program_id)
    search = " ".join(search.split())
    if len(search) > MAX_SEARCH:
        raise ValidationError("search", f"is {len(search)} characters long; at most {MAX_SEARCH}")
    if show not in SHOWS:
        raise ValidationError("show", f"{show!r} is not one of: {', '.join(SHOWS)}")
    page = min(max(1, page), MAX_PAGE)

    def fetch(n: int) -> tuple[list[PersonRow], int]:
        return directory.people_page(
            session,
            program_id,
            search=search,
            show=show,
            offset=(n - 1) * PAGE_SIZE,
            limit=PAGE_SIZE,
        )

    rows, total = fetch(page)
    pages = max(1, -(-total // PAGE_SIZE))
    if page > pages:
        page = pages
        rows, total = fetch(page)
    incomplete, enrolled = incomplete_count(session, program_id)
    return PeoplePage(tuple(rows), total, page, pages, search, show, incomplete, enrolled)


def person_profile(session: Session, actor: Actor, program_id: int, person_id: int) -> Profile:
    """One enrolled person of the programme: HR fields, account or not, pairings."""
    get_program_by_id(session, actor, program_id)
    person = directory.enrolled_person(session, program_id, person_id)
    if person is None:
        raise NotFound("person", str(person_id))
    record = person_to_record(person)
    return Profile(
        person_id=person.id,
        record=record,
        has_account=directory.has_account(session, person.id),
        pairings=tuple(directory.pairings_of(session, program_id, person.id)),
        incomplete=incomplete_fields(record),
    )


# One made-up person, every column filled the way the importer reads it.
EXAMPLE = PersonRecord(
    employee_id="E1001",
    name="Ana Silva",
    email="ana.silva@example.com",
    years_experience=6.5,
    manager_id="E0042",
    department="Engineering",
    team="Payments",
    job_family="Software engineering",
    job_title="Senior engineer",
    location="Lisbon",
    level=4,
    timezone="Europe/Lisbon",
    languages=("Portuguese", "English"),
    skills_offered=("system design", "code review"),
    skills_sought=("public speaking", "negotiation"),
    career_goals=("lead a team",),
    goal_statement="Lead a team of five within two years",
    challenges=("giving feedback",),
    background=("physics degree",),
    hours_per_month=4,
    opt_out=False,
    do_not_match=("E1002",),
)


# The column guide beside the template (README "People CSV" says the same).
COLUMN_GUIDE: tuple[tuple[str, bool, str], ...] = (
    ("employee_id", True, "Unique within the file; the key a later file updates people by."),
    ("name", True, "As colleagues know them."),
    ("email", True, "Valid and unique; sign-in and mail use it."),
    ("manager_id", False, "The manager's employee_id; nobody is paired along a reporting line."),
    (
        "department, team, job_family, job_title, location",
        False,
        "Text; used to match people across the organisation.",
    ),
    ("level", False, "Job grade, a whole number; pairs stay within the programme's level gap."),
    ("years_experience", True, "A number, 0 or more."),
    ("timezone", False, "An IANA name such as Europe/Paris; used for working-hours overlap."),
    ("languages", False, "A list: values separated by ;"),
    ("skills_offered, skills_sought", False, "Lists: what each can teach and wants to learn."),
    ("career_goals", False, "A list of goal tags, e.g. lead a team."),
    ("goal_statement", False, "Free text in the person's words."),
    ("challenges", False, "A list of challenge tags."),
    ("background", False, "A list: prior industries, education, ..."),
    ("hours_per_month", False, "A number, 0 or more: the time they can give."),
    ("opt_out", False, "true or false (also yes/no, 1/0; empty is false): never matched."),
    ("do_not_match", False, "A list of employee_ids never to pair with."),
)


def template_csv() -> str:
    """The import file's header and one example row, to fill in and upload."""
    return serialize_people_csv([EXAMPLE])


def names_of(
    session: Session, actor: Actor, program_id: int, employee_ids: list[str]
) -> dict[str, str]:
    """The names behind employee ids the programme's admins are shown (unmatched people
    of a run, say), so a page never lists bare ids."""
    get_program_by_id(session, actor, program_id)
    return directory.names_by_employee_id(session, employee_ids[:1000])
