"""People import and export against the real store, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import HealthCheck, given, settings
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from peermentor.demo_org import demo_people_csv, generate_organisation
from peermentor.domain.people import PersonRecord
from peermentor.people_csv import serialize_people_csv
from peermentor.services.access import SYSTEM, Actor, Forbidden
from peermentor.services.people import ImportRejected, export_people, import_people
from peermentor.services.programs import list_programs
from peermentor.store.models import Enrolment, Person, Program
from tests.programs import pid
from tests.strategies import people_lists

HEADER = "employee_id,name,email,manager_id,years_experience,timezone,opt_out\n"
GOOD_ROWS = (
    "E1,Ana Silva,ana@example.com,,8,Europe/Lisbon,false\n"
    "E2,Kim Park,kim@example.com,E1,6,Asia/Seoul,false\n"
)


def snapshot(session: Session) -> tuple[int, int, int, list[tuple[str, str, str]]]:
    people = session.execute(
        select(Person.employee_id, Person.name, Person.email).order_by(Person.employee_id)
    ).all()
    return (
        session.scalar(select(func.count()).select_from(Person)) or 0,
        session.scalar(select(func.count()).select_from(Program)) or 0,
        session.scalar(select(func.count()).select_from(Enrolment)) or 0,
        [tuple(row) for row in people],  # type: ignore[misc]
    )


def test_import_creates_people_and_enrols_them(session: Session) -> None:
    summary = import_people(session, SYSTEM, "Spring cohort", (HEADER + GOOD_ROWS).encode())
    assert (summary.created, summary.updated, summary.newly_enrolled) == (2, 0, 2)
    kim = session.scalar(select(Person).where(Person.employee_id == "E2"))
    assert kim is not None and kim.manager_id == "E1" and kim.timezone == "Asia/Seoul"
    assert [(p.name, p.enrolled) for p in list_programs(session, SYSTEM)] == [("Spring cohort", 2)]


def test_reimport_updates_people_by_employee_id(session: Session) -> None:
    import_people(session, SYSTEM, "Spring cohort", (HEADER + GOOD_ROWS).encode())
    changed = GOOD_ROWS.replace("Kim Park,kim@example.com,E1,6", "Kim Lee,kim@example.com,E1,7")
    summary = import_people(session, SYSTEM, "Spring cohort", (HEADER + changed).encode())
    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 1)
    assert summary.newly_enrolled == 0
    kim = session.scalar(select(Person).where(Person.employee_id == "E2"))
    assert kim is not None and (kim.name, kim.years_experience) == ("Kim Lee", 7)


def test_two_people_may_swap_email_addresses_in_one_import(session: Session) -> None:
    import_people(session, SYSTEM, "P", (HEADER + GOOD_ROWS).encode())
    swapped = GOOD_ROWS.replace("ana@", "tmp@").replace("kim@", "ana@").replace("tmp@", "kim@")
    import_people(session, SYSTEM, "P", (HEADER + swapped).encode())
    emails = dict(session.execute(select(Person.employee_id, Person.email)).all())
    assert emails == {"E1": "kim@example.com", "E2": "ana@example.com"}


def test_email_of_someone_outside_the_file_is_refused_with_row_and_column(
    session: Session,
) -> None:
    import_people(session, SYSTEM, "P", (HEADER + GOOD_ROWS).encode())
    before = snapshot(session)
    newcomer = HEADER + "E9,Lee Chan,KIM@example.com,,3,,false\n"
    with pytest.raises(ImportRejected) as rejected:
        import_people(session, SYSTEM, "Other", newcomer.encode())
    [problem] = rejected.value.problems
    assert (problem.row, problem.column) == (2, "email")
    assert "E2" in problem.message
    assert snapshot(session) == before


# Each malformed file, the (row, column) its first problem must name. Rows count the
# header as row 1, as a spreadsheet shows them.
MALFORMED = {
    "missing required column": (b"employee_id,name,years_experience\nE1,Ana,3\n", (1, "email")),
    "duplicate employee_id": (
        (HEADER + GOOD_ROWS + "E1,Ann,ann@example.com,,2,,false\n").encode(),
        (4, "employee_id"),
    ),
    "duplicate email": (
        (HEADER + GOOD_ROWS + "E3,Ann,ANA@example.com,,2,,false\n").encode(),
        (4, "email"),
    ),
    "invalid email": ((HEADER + "E1,Ana,ana-at-example,,3,,false\n").encode(), (2, "email")),
    "negative years": (
        (HEADER + "E1,Ana,ana@example.com,,-1,,false\n").encode(),
        (2, "years_experience"),
    ),
    "non-numeric years": (
        (HEADER + "E1,Ana,ana@example.com,,lots,,false\n").encode(),
        (2, "years_experience"),
    ),
    "unknown time zone": (
        (HEADER + "E1,Ana,ana@example.com,,3,Mars/Olympus,false\n").encode(),
        (2, "timezone"),
    ),
    "manager cycle": (
        (
            HEADER + "E1,Ana,ana@example.com,E2,3,,false\nE2,Kim,kim@example.com,E1,3,,false\n"
        ).encode(),
        (2, "manager_id"),
    ),
    "bad boolean": ((HEADER + "E1,Ana,ana@example.com,,3,,maybe\n").encode(), (2, "opt_out")),
    "undecodable bytes": (
        HEADER.encode() + b"E1,Ana \xff\xfe,ana@example.com,,3,,false\n",
        (2, "name"),
    ),
    "empty file": (b"", (1, None)),
    "unknown column": (b"employee_id,name,email,years_experience,shoe_size\n", (1, "shoe_size")),
}


@pytest.mark.parametrize("kind", sorted(MALFORMED))
def test_malformed_file_is_rejected_and_nothing_changes(session: Session, kind: str) -> None:
    import_people(session, SYSTEM, "Existing", (HEADER + GOOD_ROWS).encode())
    before = snapshot(session)
    data, (row, column) = MALFORMED[kind]
    with pytest.raises(ImportRejected) as rejected:
        import_people(session, SYSTEM, "New programme", data)
    first = rejected.value.problems[0]
    assert (first.row, first.column) == (row, column), str(first)
    assert str(first).startswith(f"row {row}")
    assert snapshot(session) == before


def test_every_problem_in_a_file_is_reported_at_once(session: Session) -> None:
    bad = HEADER + (
        "E1,Ana,ana@example.com,,-2,,false\n"
        "E2,Kim,not-an-email,,4,Nowhere/City,false\n"
        "E3,Lee,lee@example.com,,5,,perhaps\n"
    )
    with pytest.raises(ImportRejected) as rejected:
        import_people(session, SYSTEM, "P", bad.encode())
    found = {(p.row, p.column) for p in rejected.value.problems}
    assert {(2, "years_experience"), (3, "email"), (3, "timezone"), (4, "opt_out")} <= found


def test_export_then_reimport_changes_nothing(session: Session) -> None:
    import_people(session, SYSTEM, "Cohort", demo_people_csv(120, seed=3).encode())
    exported = export_people(session, SYSTEM, pid(session, "Cohort"))
    before = snapshot(session)
    summary = import_people(session, SYSTEM, "Cohort", exported.encode())
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 120)
    assert export_people(session, SYSTEM, pid(session, "Cohort")) == exported
    assert snapshot(session) == before


def test_export_holds_exactly_what_was_imported(session: Session) -> None:
    people = generate_organisation(40, seed=11)
    import_people(session, SYSTEM, "Cohort", serialize_people_csv(people).encode())
    assert export_people(session, SYSTEM, pid(session, "Cohort")) == serialize_people_csv(people)


def test_manager_outside_the_file_is_allowed(session: Session) -> None:
    outside = HEADER + "E5,Noor,noor@example.com,E999,4,,false\n"
    summary = import_people(session, SYSTEM, "P", outside.encode())
    assert summary.created == 1


def test_participant_cannot_import_people(session: Session) -> None:
    participant = Actor(role="participant", user_id=1, person_id=1)
    with pytest.raises(Forbidden):
        import_people(session, participant, "P", (HEADER + GOOD_ROWS).encode())


def test_people_in_several_programmes_are_stored_once(session: Session) -> None:
    import_people(session, SYSTEM, "A", (HEADER + GOOD_ROWS).encode())
    import_people(session, SYSTEM, "B", (HEADER + GOOD_ROWS).encode())
    count, programs, enrolments, _ = snapshot(session)
    assert (count, programs, enrolments) == (2, 2, 4)


def test_record_fields_survive_the_store_unchanged(session: Session) -> None:
    [person] = generate_organisation(1, seed=5)
    person = dataclasses.replace(
        person, languages=("English", "Português"), hours_per_month=2.5, level=None
    )
    import_people(session, SYSTEM, "P", serialize_people_csv([person]).encode())
    assert export_people(session, SYSTEM, pid(session, "P")) == serialize_people_csv([person])


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(people=people_lists())
def test_any_valid_file_survives_import_export_reimport(
    engine: Engine, people: list[PersonRecord]
) -> None:
    # Each example in its own rolled-back transaction: examples reuse ids and emails.
    with engine.connect() as connection:
        outer = connection.begin()
        db = Session(bind=connection, join_transaction_mode="create_savepoint")
        try:
            text = serialize_people_csv(people)
            import_people(db, SYSTEM, "Property", text.encode())
            exported = export_people(db, SYSTEM, pid(db, "Property"))
            assert exported == text
            before = snapshot(db)
            summary = import_people(db, SYSTEM, "Property", exported.encode())
            assert (summary.created, summary.updated) == (0, 0)
            assert snapshot(db) == before
        finally:
            db.close()
            outer.rollback()
