"""Import and export of a programme's people, all or nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import BinaryIO

from sqlalchemy.orm import Session

from peermentor.domain.people import PersonRecord
from peermentor.domain.profiles import keep_profile
from peermentor.people_csv import CsvProblem, parse_people_csv, serialize_people_csv
from peermentor.services import audit
from peermentor.services.access import Actor, ServiceError, require_admin
from peermentor.services.programs import (
    find_program,
    get_or_create_program,
    get_program_by_id,
    require_program_admin,
)
from peermentor.store import people_repo, signup_repo

# stage ("reading", "writing"), done, total
ImportProgress = Callable[[str, int, int], None]


class ImportRejected(ServiceError):
    """The file has problems; nothing was written. Every problem is listed."""

    def __init__(self, problems: list[CsvProblem]) -> None:
        self.problems = problems
        count = len(problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in the file")


@dataclass(frozen=True, slots=True)
class ImportSummary:
    program: str
    rows: int
    created: int
    updated: int
    unchanged: int
    newly_enrolled: int


def _signed_up_people_named(session: Session, people: list[PersonRecord]) -> list[tuple[int, str]]:
    """(people.id, the file's employee id) for each row whose employee id is new and
    whose address is a signed-up person's."""
    known = people_repo.existing_ids(session, [p.employee_id for p in people])
    new = [p for p in people if p.employee_id not in known]
    signed_up = signup_repo.signed_up_by_email(session, [p.email for p in new])
    return [
        (signed_up[p.email.casefold()][0], p.employee_id)
        for p in new
        if p.email.casefold() in signed_up
    ]


def _limited(actor: Actor) -> bool:
    """A programme admin sees and changes only what is inside their programmes."""
    return actor.role == "program_admin"


def _conflicting_emails(
    session: Session, actor: Actor, people: list[PersonRecord], rows: list[int]
) -> list[CsvProblem]:
    """An address already used by someone stored who is not this row's person."""
    owners = people_repo.email_owners(session)
    in_file = {p.employee_id for p in people}
    problems = []
    for row_number, person in zip(rows, people, strict=True):
        owner = owners.get(person.email.casefold())
        if owner is not None and owner != person.employee_id and owner not in in_file:
            # Who holds it may be outside the caller's programmes: say only that it is taken.
            whose = "someone else in the organisation" if _limited(actor) else f"employee {owner}"
            problems.append(
                CsvProblem(
                    row_number,
                    "email",
                    f"{person.email!r} is already in use by {whose}, who is not in this file",
                )
            )
    return problems


def _accounts_of_others(
    session: Session,
    actor: Actor,
    people: list[PersonRecord],
    rows: list[int],
    ids: dict[str, int],
) -> list[CsvProblem]:
    """A row may not take the sign-in address of an account that is not its person's:
    an invitation for the row would otherwise hand that account over."""
    accounts = people_repo.account_owners(session, [p.email for p in people])
    employee_of = {pk: employee_id for employee_id, pk in ids.items()}
    problems = []
    for row_number, person in zip(rows, people, strict=True):
        key = person.email.casefold()
        if key not in accounts:
            continue
        owner = accounts[key]
        if owner is not None and owner == ids.get(person.employee_id):
            continue
        if _limited(actor):
            whose = "another account"
        elif owner is None:
            whose = "another account (an admin's, or one linked to no person)"
        else:
            whose = f"another account (employee {employee_of.get(owner, 'not in this file')}'s)"
        problems.append(
            CsvProblem(
                row_number,
                "email",
                f"{person.email!r} is the sign-in address of {whose}; it cannot be given "
                "to this person",
            )
        )
    return problems


def _changes_outside_the_callers_programmes(
    session: Session,
    actor: Actor,
    changed: list[tuple[int, PersonRecord]],
    row_of: dict[str, int],
) -> list[CsvProblem]:
    """A programme admin may not change someone who is also in a programme they do
    not manage (enrolling them unchanged is fine): only an organisation admin may."""
    if not _limited(actor) or actor.user_id is None or not changed:
        return []
    outside = people_repo.enrolled_outside(session, [pk for pk, _ in changed], actor.user_id)
    return [
        CsvProblem(
            row_of[record.employee_id],
            "employee_id",
            f"{record.employee_id} is also enrolled in a programme you do not manage, so this "
            "file cannot change them; keep their row as it is stored, or ask an "
            "organisation admin",
        )
        for pk, record in changed
        if pk in outside
    ]


def _check_access(session: Session, actor: Actor, program_name: str) -> None:
    """Before reading anything: a file for someone else's programme is refused first."""
    require_admin(actor)
    existing = find_program(session, program_name)
    if existing is not None:
        require_program_admin(session, actor, existing)


@dataclass(frozen=True, slots=True)
class _Plan:
    """What an import would do, worked out and checked; nothing written but the
    adoption of signed-up people (in the caller's transaction, undone with it)."""

    people: list[PersonRecord]
    new: list[PersonRecord]
    changed: list[tuple[int, PersonRecord]]
    stored: dict[int, PersonRecord]
    claimed: list[tuple[int, str]]


def _plan(
    session: Session,
    actor: Actor,
    program_name: str,
    data: bytes | BinaryIO,
    progress: ImportProgress | None,
) -> _Plan:
    _check_access(session, actor, program_name)
    parsed = parse_people_csv(
        data, progress=(lambda done, total: progress("reading", done, total)) if progress else None
    )
    if parsed.errors:
        raise ImportRejected(parsed.errors)
    people = parsed.people
    # People who signed themselves up are named by their address: they take the file's
    # employee id, then the import treats them as anyone stored (undone if it is refused).
    claimed = _signed_up_people_named(session, people)
    signup_repo.adopt(session, claimed)
    ids = people_repo.existing_ids(session, [p.employee_id for p in people])
    stored = people_repo.stored_records(session, ids.values())
    # Someone who saved their own profile keeps what they wrote there: the file's row
    # brings HR's fields only.
    kept = people_repo.profiles_kept(session, ids.values())
    people = [
        keep_profile(p, stored[ids[p.employee_id]]) if ids.get(p.employee_id) in kept else p
        for p in people
    ]
    new = [p for p in people if p.employee_id not in ids]
    changed = [
        (ids[p.employee_id], p)
        for p in people
        if p.employee_id in ids and stored[ids[p.employee_id]] != p
    ]
    row_of = {p.employee_id: row for p, row in zip(people, parsed.rows, strict=True)}
    taken = _conflicting_emails(session, actor, people, parsed.rows)
    flagged = {p.row for p in taken}
    problems = (
        taken
        + [
            p
            for p in _accounts_of_others(session, actor, people, parsed.rows, ids)
            if p.row not in flagged
        ]
        + _changes_outside_the_callers_programmes(session, actor, changed, row_of)
    )
    if problems:
        session.rollback()
        raise ImportRejected(sorted(problems, key=lambda p: (p.row or 0, p.column or "")))
    return _Plan(people, new, changed, stored, claimed)


def import_people(
    session: Session,
    actor: Actor,
    program_name: str,
    data: bytes | BinaryIO,
    progress: ImportProgress | None = None,
    now: datetime | None = None,
) -> ImportSummary:
    """Validate the whole file, then upsert by employee_id and enrol everyone in it.

    `data` is the file's bytes or a seekable binary file (an upload spooled to disk).

    Nothing is written unless every row is valid; the caller's transaction is
    committed here only on success.
    """
    now = now or datetime.now(UTC)
    plan = _plan(session, actor, program_name, data, progress)
    people, new, changed, claimed = plan.people, plan.new, plan.changed, plan.claimed
    try:
        program = get_or_create_program(session, actor, program_name)
        people_repo.update_people(session, changed, now)
        people_repo.insert_people(
            session,
            new,
            now,
            progress=(lambda done, total: progress("writing", done, total)) if progress else None,
        )
        ids = people_repo.existing_ids(session, [p.employee_id for p in people])
        enrolled = people_repo.enrol(session, program.id, [ids[p.employee_id] for p in people], now)
        audit.record(
            session,
            actor,
            "people.imported",
            program_id=program.id,
            details={
                "rows": len(people),
                "created": len(new),
                "updated": len(changed),
                "unchanged": len(people) - len(new) - len(changed),
                "newly_enrolled": enrolled,
                "signed_up_named": len(claimed),
            },
            now=now,
        )
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return ImportSummary(
        program=program.name,
        rows=len(people),
        created=len(new),
        updated=len(changed),
        unchanged=len(people) - len(new) - len(changed),
        newly_enrolled=enrolled,
    )


PREVIEW_NAMES = 50  # people named in each list of a preview; the counts cover everyone


@dataclass(frozen=True, slots=True)
class ChangedPerson:
    employee_id: str
    name: str
    fields: list[str]  # the columns whose value the file changes


@dataclass(frozen=True, slots=True)
class ImportPreview:
    """What an import of the file would do, before it is applied."""

    rows: int
    created: int
    updated: int
    unchanged: int
    newly_enrolled: int  # people of the file not yet in this programme (the new included)
    signed_up_named: int
    added: list[tuple[str, str]]  # (employee id, name), the first PREVIEW_NAMES
    changes: list[ChangedPerson]  # the first PREVIEW_NAMES


def preview_import(
    session: Session,
    actor: Actor,
    program_name: str,
    data: bytes | BinaryIO,
    progress: ImportProgress | None = None,
) -> ImportPreview:
    """The same checks as import_people (ImportRejected with every problem), then what
    it would add, change and leave alone; nothing is written."""
    try:
        plan = _plan(session, actor, program_name, data, progress)
        program = find_program(session, program_name)
        stored_ids = people_repo.existing_ids(session, [p.employee_id for p in plan.people])
        already = (
            people_repo.enrolled_among(session, program.id, stored_ids.values())
            if program
            else set()
        )
        changes = [
            ChangedPerson(
                record.employee_id,
                record.name,
                [
                    f
                    for f in PersonRecord.__dataclass_fields__
                    if getattr(record, f) != getattr(plan.stored[pk], f)
                ],
            )
            for pk, record in plan.changed[:PREVIEW_NAMES]
        ]
        return ImportPreview(
            rows=len(plan.people),
            created=len(plan.new),
            updated=len(plan.changed),
            unchanged=len(plan.people) - len(plan.new) - len(plan.changed),
            newly_enrolled=len(plan.people) - len(already),
            signed_up_named=len(plan.claimed),
            added=[(p.employee_id, p.name) for p in plan.new[:PREVIEW_NAMES]],
            changes=changes,
        )
    finally:
        session.rollback()  # the adoption of signed-up people was only to check


def _records(session: Session, program_id: int) -> list[PersonRecord]:
    return [
        people_repo.person_to_record(p) for p in people_repo.enrolled_people(session, program_id)
    ]


def program_people(session: Session, actor: Actor, program_id: int) -> list[PersonRecord]:
    program = get_program_by_id(session, actor, program_id)
    return _records(session, program.id)


def export_people(
    session: Session, actor: Actor, program_id: int, now: datetime | None = None
) -> str:
    """The programme's people in the import format: re-importing it changes nothing."""
    program = get_program_by_id(session, actor, program_id)
    people = _records(session, program.id)
    audit.record(
        session,
        actor,
        "people.exported",
        program_id=program.id,
        details={"rows": len(people)},
        now=now or datetime.now(UTC),
    )
    session.commit()
    return serialize_people_csv(people)
