"""Import and export of a programme's people, all or nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from peermentor.domain.people import PersonRecord
from peermentor.people_csv import CsvProblem, parse_people_csv, serialize_people_csv
from peermentor.services import audit
from peermentor.services.access import Actor, ServiceError, require_admin
from peermentor.services.programs import admin_program, get_or_create_program
from peermentor.store import people_repo

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


def _conflicting_emails(
    session: Session, people: list[PersonRecord], rows: list[int]
) -> list[CsvProblem]:
    """An address already used by someone stored who is not this row's person."""
    owners = people_repo.email_owners(session)
    in_file = {p.employee_id for p in people}
    problems = []
    for row_number, person in zip(rows, people, strict=True):
        owner = owners.get(person.email.casefold())
        if owner is not None and owner != person.employee_id and owner not in in_file:
            problems.append(
                CsvProblem(
                    row_number,
                    "email",
                    f"{person.email!r} already belongs to employee {owner}, who is not in "
                    "this file",
                )
            )
    return problems


def import_people(
    session: Session,
    actor: Actor,
    program_name: str,
    data: bytes,
    progress: ImportProgress | None = None,
) -> ImportSummary:
    """Validate the whole file, then upsert by employee_id and enrol everyone in it.

    Nothing is written unless every row is valid; the caller's transaction is
    committed here only on success.
    """
    require_admin(actor)
    parsed = parse_people_csv(
        data, progress=(lambda done, total: progress("reading", done, total)) if progress else None
    )
    if parsed.errors:
        raise ImportRejected(parsed.errors)
    people = parsed.people
    conflicts = _conflicting_emails(session, people, parsed.rows)
    if conflicts:
        raise ImportRejected(conflicts)

    try:
        program = get_or_create_program(session, actor, program_name)
        ids = people_repo.existing_ids(session, [p.employee_id for p in people])
        stored = people_repo.stored_records(session, ids.values())
        new = [p for p in people if p.employee_id not in ids]
        changed = [
            (ids[p.employee_id], p)
            for p in people
            if p.employee_id in ids and stored[ids[p.employee_id]] != p
        ]
        people_repo.update_people(session, changed)
        people_repo.insert_people(
            session,
            new,
            progress=(lambda done, total: progress("writing", done, total)) if progress else None,
        )
        ids = people_repo.existing_ids(session, [p.employee_id for p in people])
        enrolled = people_repo.enrol(session, program.id, [ids[p.employee_id] for p in people])
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
            },
            now=datetime.now(UTC),
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


def program_people(session: Session, actor: Actor, program_name: str) -> list[PersonRecord]:
    require_admin(actor)
    program = admin_program(session, actor, program_name)
    return [
        people_repo.person_to_record(p) for p in people_repo.enrolled_people(session, program.id)
    ]


def export_people(session: Session, actor: Actor, program_name: str) -> str:
    """The programme's people in the import format: re-importing it changes nothing."""
    people = program_people(session, actor, program_name)
    program = admin_program(session, actor, program_name)
    audit.record(
        session,
        actor,
        "people.exported",
        program_id=program.id,
        details={"rows": len(people)},
        now=datetime.now(UTC),
    )
    session.commit()
    return serialize_people_csv(people)
