"""Each use case that the audit log covers, driven once: each leaves its entry, by the
right actor, and no entry holds a string, a name or an email in its details."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from peermentor.demo_org import demo_people_csv
from peermentor.services import audit, auth, match_review, matching, sso
from peermentor.services.access import SYSTEM
from peermentor.services.people import export_people, import_people
from peermentor.services.programs import add_program_admin, create_program
from peermentor.services.users import create_admin, create_program_admin
from peermentor.store.audit_models import AuditEntry
from peermentor.store.models import Person, User
from tests.programs import pid

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
LEAD, LEAD_PASSWORD = "lead.audit@example.com", "lead-password-123"
OWNER, OWNER_PASSWORD = "owner.audit@example.com", "owner-password-123"
# Written by the people themselves or their admins: none of it may reach the log.
SECRET_PASSWORD = "PLANTED-password-9f3a"
# Recorded by the `gdpr` use cases (personal data export and erase) and by the purge.
RECORDED_ELSEWHERE = {"person.data_exported", "person.erased", "audit.purged"} | {
    # tests/store/circles/test_circles_service.py
    "circle.created",
    "circle.member_added",
    "circle.member_removed",
    "circle.settings_changed",
    "circle.round_started",
    # tests/web/test_insight_outcomes.py
    "outcomes.imported",
    # tests/web/test_mail_pages.py
    "mail.resent",
    # tests/store/test_nudges.py and tests/web/test_calendar_pages.py
    "program.nudges_changed",
    "pairing.released_inactive",
    # tests/web/test_leaving_admin.py
    "report.filed",
    "report.closed",
    "block.added",
    "block.removed",
    "program.cooldown_changed",
    # tests/store/test_signup.py
    "program.signup_changed",
    "signup.requested",
    "signup.joined",
    "signup.approved",
    "signup.declined",
    # tests/store/test_profiles.py
    "profile.updated",
    # tests/web/test_signin_throttle.py
    "sign_in.locked",
    "password.locked",
    # tests/store/test_self_match.py, tests/web/test_self_match_pages.py, tests/api/...
    "program.self_match_changed",
    "selfmatch.paired",
}


def _strings_in(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings_in(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings_in(v)]
    return []


def test_every_audited_use_case_leaves_its_entry(session: Session) -> None:
    import_people(session, SYSTEM, "Cohort", demo_people_csv(14, seed=5).encode())
    owner, _ = create_admin(session, SYSTEM, OWNER, OWNER_PASSWORD)
    lead_user, _ = create_program_admin(session, SYSTEM, LEAD, LEAD_PASSWORD, "Cohort")
    session.commit()
    create_program(session, SYSTEM, "Second cohort")
    add_program_admin(session, SYSTEM, lead_user.id, "Second cohort")
    session.commit()
    lead = auth.actor_for(lead_user)

    # Matching and the review, as the programme admin.
    matching.run_match(session, lead, pid(session, "Cohort"), now=NOW)
    views, _ = match_review.current_pairings(session, lead, pid(session, "Cohort"))
    first, second, third = views[0], views[1], views[2]
    match_review.set_locked(session, lead, pid(session, "Cohort"), first.id, True)
    match_review.set_locked(session, lead, pid(session, "Cohort"), first.id, False)
    freed = match_review.unpair(session, lead, pid(session, "Cohort"), second.id)
    match_review.pair_by_hand(session, lead, pid(session, "Cohort"), freed[:2], now=NOW)
    match_review.swap(
        session,
        lead,
        pid(session, "Cohort"),
        first.members[0].employee_id,
        third.members[0].employee_id,
    )
    export_people(session, lead, pid(session, "Cohort"))
    list(matching.export_rows(session, lead, pid(session, "Cohort")))
    list(matching.score_rows(session, lead, pid(session, "Cohort")))
    matching.run_match(session, lead, pid(session, "Cohort"), now=NOW)
    matching.publish_program_draft(session, lead, pid(session, "Cohort"), now=NOW)

    # Accounts: an invitation, sign-ins good and bad, a password, tokens, sign-out.
    person = session.scalars(select(Person).order_by(Person.id)).first()
    assert person is not None
    token = auth.invite_person(session, lead, person.id, NOW)
    auth.accept_invitation(session, token, SECRET_PASSWORD, NOW)
    with pytest.raises(auth.LoginFailed):
        auth.login(session, OWNER, SECRET_PASSWORD, "10.0.0.1", NOW)
    with pytest.raises(auth.LoginFailed):
        auth.login(session, "nobody.audit@example.com", SECRET_PASSWORD, "10.0.0.1", NOW)
    signed_in = auth.login(session, OWNER, OWNER_PASSWORD, "10.0.0.1", NOW)
    owner_actor = auth.actor_for(owner)
    auth.change_password(session, owner_actor, OWNER_PASSWORD, SECRET_PASSWORD + "-new", NOW)
    api_token = auth.create_api_token(session, owner_actor, "PLANTED token name", NOW)
    [info] = auth.list_api_tokens(session, owner_actor)
    auth.revoke_api_token(session, owner_actor, info.token_id, NOW)
    fresh = auth.login(session, OWNER, SECRET_PASSWORD + "-new", "10.0.0.1", NOW)
    auth.logout(session, fresh.token, NOW)
    assert signed_in.token and api_token
    # A first company sign-in of a person with no account: made, linked, signed in.
    newcomer = session.scalars(select(Person).order_by(Person.id.desc())).first()
    assert newcomer is not None and newcomer.id != person.id
    identity = sso.VerifiedIdentity("https://id.example.com", "sub-1", newcomer.email, True)
    assert sso.sign_in(session, identity, sso.SsoPolicy(), NOW).token

    found, _ = audit.list_entries(session, SYSTEM, audit.AuditFilters(), limit=1000)
    by_action: dict[str, list[audit.AuditEntryView]] = {}
    for entry in found:
        by_action.setdefault(entry.action, []).append(entry)

    assert set(by_action) == set(audit.ACTIONS) - RECORDED_ELSEWHERE
    [imported] = by_action["people.imported"]
    assert imported.actor == "command line" and imported.program == "Cohort"
    assert imported.details["created"] == 14
    assert {"updated": 0, "unchanged": 0}.items() <= imported.details.items()
    assert {e.actor for e in by_action["match.run"]} == {LEAD}
    assert len(by_action["match.run"]) == 2
    assert by_action["pairing.locked"][0].target_id == first.id
    assert by_action["pairing.unpaired"][0].target_id == second.id
    assert by_action["match.published"][0].details["pairings"] >= 1
    [invited] = by_action["invitation.created"]
    invited_user = session.scalar(select(User).where(User.person_id == person.id))
    assert invited_user is not None and invited.target_id == invited_user.id
    known, unknown = sorted(by_action["sign_in.failed"], key=lambda e: e.target_id is None)
    assert (known.target_kind, known.target_id) == ("user", owner.id)
    assert unknown.actor == "anonymous" and unknown.target_id is None and unknown.details == {}
    assert {e.actor for e in by_action["sign_in"] if not e.details} == {OWNER}
    [company_sign_in] = [e for e in by_action["sign_in"] if e.details]
    assert company_sign_in.details == {"sso": True}
    [made] = by_action["account.created_at_sign_in"]
    assert by_action["sso.linked"][0].target_id == made.target_id
    assert by_action["sign_out"][0].actor == OWNER
    assert by_action["token.created"][0].target_id == info.token_id
    assert by_action["token.revoked"][0].target_id == info.token_id
    assert by_action["role.program_admin_added"][-1].program == "Cohort"

    # Nothing anyone typed is in an entry: no strings in details, no names, no emails.
    raw = session.scalars(select(AuditEntry)).all()
    assert len(raw) == len(found)
    for entry in raw:
        assert _strings_in(entry.details) == [], entry.action
    stored = json.dumps(
        [{c.name: str(getattr(e, c.name)) for c in AuditEntry.__table__.columns} for e in raw]
    )
    names = session.scalars(select(Person.name)).all()
    for planted in ("PLANTED", "@example.com", *names):
        assert planted not in stored
