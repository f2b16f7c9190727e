"""The audit log itself: what an entry may hold, append-only in the database, the
retention purge, the filters, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from peermentor.services import audit
from peermentor.services.access import SYSTEM, Actor, Forbidden, InvalidInput
from peermentor.services.auth import actor_for
from peermentor.services.people import ImportRejected, import_people
from peermentor.services.programs import create_program
from peermentor.services.users import create_user
from peermentor.store.audit_models import AuditEntry
from peermentor.store.models import User

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def entries(session: Session, **filters: object) -> list[audit.AuditEntryView]:
    found, _ = audit.list_entries(session, SYSTEM, audit.AuditFilters(**filters), limit=1000)  # type: ignore[arg-type]
    return found


def one_entry(session: Session, when: datetime = NOW) -> int:
    audit.record(session, SYSTEM, "match.run", details={"pairings": 3}, now=when)
    session.flush()
    entry_id = session.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc()))
    assert entry_id is not None
    return entry_id


@pytest.mark.parametrize(
    "details",
    [
        {"name": "Ana Silva"},
        {"note": ""},
        {"people": ["E1", "E2"]},
        {"nested": {"count": 1}},
        {"mixed": [1, "two"]},
        {"Bad Key": 1},
    ],
)
def test_a_string_or_free_form_detail_is_refused_and_nothing_is_stored(
    session: Session, details: dict[str, object]
) -> None:
    with pytest.raises(audit.AuditDetailsRefused):
        audit.record(session, SYSTEM, "match.run", details=details, now=NOW)
    session.flush()
    assert session.scalar(select(AuditEntry.id)) is None


def test_numbers_flags_and_lists_of_ids_are_kept(session: Session) -> None:
    details = {"created": 3, "share": 0.5, "published": True, "people": [4, 5], "run": None}
    audit.record(session, SYSTEM, "people.imported", details=details, now=NOW)
    assert entries(session)[0].details == details


def test_an_unknown_action_or_target_kind_is_a_bug_and_refused(session: Session) -> None:
    with pytest.raises(ValueError, match="unknown audit action"):
        audit.record(session, SYSTEM, "people.deleted_everything", now=NOW)
    with pytest.raises(ValueError, match="audit target"):
        audit.record(session, SYSTEM, "match.run", target_kind="pizza", target_id=1, now=NOW)


def test_the_database_refuses_to_change_an_entry(session: Session) -> None:
    entry_id = one_entry(session)
    for change in ({"action": "sign_in"}, {"details": {}}, {"at": NOW - timedelta(days=1)}):
        with pytest.raises(DBAPIError, match="append-only"), session.begin_nested():
            session.execute(update(AuditEntry).where(AuditEntry.id == entry_id).values(**change))
    assert entries(session)[0].action == "match.run"


def test_the_database_refuses_to_delete_an_entry_outside_the_purge(session: Session) -> None:
    entry_id = one_entry(session, NOW - timedelta(days=5000))
    with pytest.raises(DBAPIError, match="retention purge"), session.begin_nested():
        session.execute(delete(AuditEntry).where(AuditEntry.id == entry_id))
    if session.get_bind().dialect.name == "postgresql":
        with pytest.raises(DBAPIError, match="retention purge"), session.begin_nested():
            session.execute(text("TRUNCATE audit_entries"))
    assert len(entries(session)) == 1


def test_the_purge_removes_only_entries_past_retention_and_says_so(session: Session) -> None:
    one_entry(session, NOW - timedelta(days=401))
    one_entry(session, NOW - timedelta(days=399))
    assert audit.purge(session, SYSTEM, NOW, retention_days=400) == 1
    kept = entries(session)
    assert [e.action for e in kept] == ["audit.purged", "match.run"]
    assert kept[0].details == {"removed": 1, "retention_days": 400}
    # The window closed with the purge: a plain DELETE is refused again.
    with pytest.raises(DBAPIError, match="retention purge"), session.begin_nested():
        session.execute(delete(AuditEntry))
    assert audit.purge(session, SYSTEM, NOW, retention_days=400) == 0
    assert len(entries(session)) == 2  # an empty purge adds nothing


def test_only_an_organisation_admin_reads_or_purges_the_log(session: Session) -> None:
    lead = Actor(role="program_admin", user_id=None)
    with pytest.raises(Forbidden):
        audit.list_entries(session, lead, audit.AuditFilters())
    with pytest.raises(Forbidden):
        audit.purge(session, lead, NOW, 400)
    with pytest.raises(InvalidInput, match="action"):
        audit.list_entries(session, SYSTEM, audit.AuditFilters(action="nope"))


def test_an_erased_account_reads_as_erased_and_its_email_is_nowhere(session: Session) -> None:
    user = create_user(session, SYSTEM, "gone@example.com", "gone-password-12")
    audit.record(session, actor_for(user), "sign_in", now=NOW)
    session.flush()
    assert entries(session)[0].actor == "gone@example.com"
    session.execute(delete(User).where(User.id == user.id))
    [entry] = entries(session)
    assert entry.actor == audit.ERASED_ACCOUNT
    raw = session.execute(select(AuditEntry)).scalars().one()
    assert raw.actor_user_id is None
    assert "gone" not in repr({c.name: getattr(raw, c.name) for c in AuditEntry.__table__.columns})


def test_filters_and_paging(session: Session) -> None:
    ana = create_user(session, SYSTEM, "ana.audit@example.com", "ana-password-123")
    program = create_program(session, SYSTEM, "Audit cohort")
    for day in range(5):
        audit.record(
            session,
            actor_for(ana),
            "match.run",
            program_id=program.id,
            now=NOW + timedelta(days=day),
        )
    audit.record(session, SYSTEM, "people.exported", now=NOW + timedelta(days=9))
    audit.record(session, None, "sign_in.failed", now=NOW + timedelta(days=10))
    session.flush()
    assert [e.actor for e in entries(session)][:2] == ["anonymous", "command line"]
    assert len(entries(session, actor_email="ANA.audit@example.com")) == 5
    assert len(entries(session, action="people.exported")) == 1
    assert len(entries(session, program_id=program.id)) == 5
    assert {e.program for e in entries(session, program_id=program.id)} == {"Audit cohort"}
    assert len(entries(session, since=NOW + timedelta(days=3))) == 4
    page, total = audit.list_entries(
        session, SYSTEM, audit.AuditFilters(action="match.run"), offset=2, limit=2
    )
    assert total == 5
    assert [e.at for e in page] == [NOW + timedelta(days=2), NOW + timedelta(days=1)]
    assert page[0].as_json() == {
        "at": "2026-06-03T12:00:00+00:00",
        "actor": "ana.audit@example.com",
        "action": "match.run",
        "target": None,
        "program": "Audit cohort",
        "details": {},
    }


def test_an_entry_belongs_to_the_callers_transaction(session: Session) -> None:
    audit.record(session, SYSTEM, "match.run", now=NOW)
    session.rollback()  # the change it recorded did not happen: neither did the entry
    assert entries(session) == []


def test_a_rejected_import_leaves_no_entry(session: Session) -> None:
    bad = b"employee_id,name,email,years_experience\nE1,Ana,not-an-email,-1\n"
    with pytest.raises(ImportRejected):
        import_people(session, SYSTEM, "Cohort", bad)
    assert entries(session) == []
