"""A person's copy of their data: everything about them and everything they wrote,
what partners wrote to them, and nothing else; and who may export or erase."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from peermentor.services.access import SYSTEM, Actor, Forbidden, NotFound
from peermentor.services.auth import actor_for, create_api_token, start_session
from peermentor.services.personal_data import (
    FORMAT,
    erase_person,
    export_my_data,
    export_person_data,
)
from peermentor.services.users import create_admin, create_user
from peermentor.store import leave_repo
from peermentor.store.models import Person, User
from peermentor.store.workspace_models import CheckInRow, VisionRow
from tests.store.workspace.factories import NOW, World, later, make_world
from tests.store.workspace.test_story import live_the_story

TOP_LEVEL = [
    "format",
    "exported_at",
    "person",
    "enrolments",
    "pairings",
    "circles",
    "leaving",
    "self_match_requests",
    "account",
    "sessions",
    "api_tokens",
    "invitations",
    "sso_identities",
    "mail_preferences",
    "mails",
]
KIM_ONLY = ("KIM-CHECKIN-NOTE", "KIM-VISION")


@pytest.fixture
def story(session: Session) -> World:
    w = make_world(session, active=False)
    live_the_story(w, session, ["ana", "kim"], "-story")
    kim = w.pid("kim")
    # What Kim wrote for herself, not to Ana: never in Ana's copy.
    session.execute(update(CheckInRow).where(CheckInRow.person_id == kim).values(note=KIM_ONLY[0]))
    session.execute(
        update(VisionRow).where(VisionRow.author_id == kim).values(statement=KIM_ONLY[1])
    )
    ana = w.people["ana"]
    user = create_user(session, SYSTEM, ana.email, "ana-password-12", person_id=ana.id)
    start_session(session, user, NOW)
    create_api_token(session, actor_for(user), "ana's script", NOW)
    session.flush()
    return w


def _ana_actor(session: Session, w: World) -> Actor:
    user = session.scalars(select(User).where(User.person_id == w.pid("ana"))).one()
    return actor_for(user)


def test_the_copy_holds_everything_about_ana_and_what_she_wrote(
    session: Session, story: World
) -> None:
    doc = export_person_data(session, SYSTEM, "E-ana.silva", later(days=70))
    assert list(doc) == TOP_LEVEL and doc["format"] == FORMAT
    assert (
        doc["person"]["name"] == "Ana Silva" and doc["person"]["email"] == "ana.silva@example.com"
    )
    assert [e["program"] for e in doc["enrolments"]] == [story.program.name]
    assert doc["account"]["email"] == "ana.silva@example.com"
    assert len(doc["sessions"]) == 1 and doc["api_tokens"][0]["name"] == "ana's script"
    [pairing] = [p for p in doc["pairings"] if p["pairing"]["id"] == story.pairing_id]
    assert pairing["partners"] == [{"employee_id": "E-kim.park", "name": "Kim Park"}]
    assert pairing["explanation"] == "why Ana Silva was matched"
    assert pairing["visions"][0]["statement"] == "Vision of ana -story"
    assert pairing["visions"][0]["milestones"][0]["title"] == "Milestone of ana -story"
    assert {g["text"] for g in pairing["charter_goals"]} == {"Goal of ana -story"}
    assert "Grow together -story" in {v["purpose"] for v in pairing["charter_versions"]}
    assert [g["title"] for g in pairing["gaps"]] == ["Gap of ana -story"]
    assert pairing["guidance_asked"][0]["answer"] == "Answer -story"  # Kim's answer to her
    assert pairing["guidance_received"][0]["topic"] == "Topic -story"  # Kim's question
    assert pairing["feedback_given"][0]["situation"] == "Situation -story"
    assert pairing["feedback_received"][0]["giver_id"] == story.pid("kim")
    assert pairing["checkins"][0]["note"] == "Note -story"
    assert pairing["session_contributions"][0]["gave"] == ["Gave -story"]
    assert pairing["sessions_logged"][0]["topics"] == ["Topic -story"]
    assert {r["text"] for r in pairing["roleplay_reflections"]} == {"Reflection -story"}
    assert {r["my_role"] for r in pairing["roleplays"]} <= {"practising", "counterpart", "observer"}
    assert pairing["closing_reflections"][0]["text"] == "Closing -story"
    json.dumps(doc)  # one JSON document


def test_the_copy_has_no_secrets_and_nothing_ana_cannot_already_read(
    session: Session, story: World
) -> None:
    text = json.dumps(export_person_data(session, SYSTEM, "E-ana.silva", later(days=70)))
    user = session.scalars(select(User).where(User.person_id == story.pid("ana"))).one()
    assert user.password_hash and user.password_hash not in text
    assert "token_hash" not in text and "csrf_token" not in text and "password" not in text
    assert "kim.park@example.com" not in text  # the partner's profile is the partner's
    assert all(kim_only not in text for kim_only in KIM_ONLY)
    assert "Omar Said" not in text and "Sam Ito" not in text


def test_a_participant_exports_themselves_only(session: Session, story: World) -> None:
    ana = _ana_actor(session, story)
    assert (
        export_person_data(session, ana, "E-ana.silva", NOW)["person"]["employee_id"]
        == "E-ana.silva"
    )
    assert export_my_data(session, ana, NOW)["person"]["employee_id"] == "E-ana.silva"
    for other in ("E-kim.park", "E-nobody"):  # no hint whether the other exists
        with pytest.raises(Forbidden):
            export_person_data(session, ana, other, NOW)


def test_the_leaving_section_holds_what_she_reported_ended_and_blocked_only(
    session: Session, story: World
) -> None:
    ana, kim = story.pid("ana"), story.pid("kim")
    where = {"program_id": story.program.id, "pairing_id": story.pairing_id, "created_at": NOW}
    mine = leave_repo.add_report(
        session, reporter_id=ana, subject_id=kim, category="selling", details="ANA-REPORT", **where
    )
    mine.status, mine.admin_note = "closed", "ADMIN-NOTE"
    leave_repo.add_report(
        session, reporter_id=kim, subject_id=ana, category="conduct", details="KIM-REPORT", **where
    )
    leave_repo.add_early_ending(
        session, person_id=ana, reason="no_time", details="ANA-REASON", **where
    )
    leave_repo.add_early_ending(
        session, person_id=kim, reason="other", details="KIM-REASON", **where
    )
    leave_repo.add_block(session, ana, kim, NOW)
    leave_repo.add_block(session, kim, ana, NOW)
    doc = export_my_data(session, _ana_actor(session, story), later(days=70))
    leaving = doc["leaving"]
    assert list(leaving) == ["reports_filed", "early_endings", "blocked"]
    [report] = leaving["reports_filed"]
    assert (report["category"], report["details"], report["status"]) == (
        "selling",
        "ANA-REPORT",
        "closed",
    )
    assert [(e["reason"], e["details"]) for e in leaving["early_endings"]] == [
        ("no_time", "ANA-REASON")
    ]
    assert [(b["employee_id"], b["name"]) for b in leaving["blocked"]] == [
        ("E-kim.park", "Kim Park")
    ]
    # The admins' note, Kim's report and reason, and Kim's block are not Ana's.
    text = json.dumps(doc)
    assert all(s not in text for s in ("ADMIN-NOTE", "KIM-REPORT", "KIM-REASON"))
    assert "admin_note" not in text


def test_an_admin_without_a_person_gets_their_account_only(session: Session) -> None:
    admin, _ = create_admin(session, SYSTEM, "org@example.com", "org-password-12")
    doc = export_my_data(session, actor_for(admin), NOW)
    assert doc["person"] is None and doc["pairings"] == [] and doc["leaving"] is None
    assert doc["account"]["role"] == "org_admin"


@pytest.mark.parametrize("role", ["participant", "program_admin"])
def test_only_an_organisation_admin_may_erase_or_export_another(
    session: Session, story: World, role: str
) -> None:
    actor = Actor(role=role, user_id=999)
    with pytest.raises(Forbidden):
        erase_person(session, actor, "E-kim.park", NOW)
    with pytest.raises(Forbidden):
        export_person_data(session, actor, "E-kim.park", NOW)
    assert session.scalars(select(Person).where(Person.employee_id == "E-kim.park")).one()


def test_an_organisation_admin_may_export_and_erase_anyone(session: Session, story: World) -> None:
    org: Any = Actor(role="org_admin", user_id=999)
    assert export_person_data(session, org, "E-kim.park", NOW)["person"]["name"] == "Kim Park"
    erasure = erase_person(session, org, "E-kim.park", NOW)
    assert erasure.counts["people"] == 1 and erasure.counts["pairings_kept"] == 1
    with pytest.raises(NotFound):
        export_person_data(session, org, "E-kim.park", NOW)


def test_exports_and_erasures_are_in_the_audit_log_without_the_data(
    session: Session, story: World
) -> None:
    from peermentor.store.audit_models import AuditEntry

    kim = session.scalars(select(Person).where(Person.employee_id == "E-kim.park")).one()
    export_person_data(session, SYSTEM, "E-kim.park", NOW)
    erase_person(session, SYSTEM, "E-kim.park", NOW)
    entries = session.scalars(
        select(AuditEntry).where(AuditEntry.target_kind == "person").order_by(AuditEntry.id)
    ).all()
    assert [(e.action, e.target_id) for e in entries] == [
        ("person.data_exported", kim.id),
        ("person.erased", kim.id),
    ]
    assert all(isinstance(v, int) for v in entries[1].details.values())
    assert "Kim" not in json.dumps([e.details for e in entries])
