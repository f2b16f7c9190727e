"""A pair walked through silence, time moving forward: which nudges are due when, in
mail and on the pair's pages, once per occasion; then an inactive member whose open
proposal is released. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from peermentor.config import Settings
from peermentor.mail.message import Outgoing
from peermentor.runtime import Store
from peermentor.services.access import Forbidden
from peermentor.services.nudges import (
    due_mail,
    inactive_members,
    nudges_for_pairing,
    release_inactive_proposals,
    release_task,
)
from peermentor.services.workspace.guidance import answer_request, ask_for_guidance
from peermentor.services.workspace.proposals import accept_proposal
from peermentor.services.workspace.sessions import log_session
from peermentor.store.audit_models import AuditEntry
from peermentor.store.models import Pairing
from tests.store.workspace.factories import ADMIN, World, later, make_world

SECRET = "PLANTED-n0dge-5ecret"
BASE = "https://mentoring.example.org"


def due(session: Session, at: datetime, w: World) -> dict[str, Outgoing]:
    """The mails due at `at` for the ana + kim pairing, by key."""
    return {o.key: o for o in due_mail(session, at, BASE) if f":{w.pairing_id}:" in o.key}


def kinds_for(mails: dict[str, Outgoing], w: World, name: str) -> set[str]:
    return {o.kind for o in mails.values() if o.person_id == w.pid(name)}


def test_a_pair_walked_through_silence(session: Session) -> None:
    w = make_world(session)
    req = ask_for_guidance(
        session, w.ana, w.pairing_id, later(hours=1), topic=f"Topic {SECRET}",
        detail=f"Detail {SECRET}", recipient_id=w.pid("kim"),
    )  # fmt: skip

    assert due(session, later(days=2), w) == {}

    day3 = due(session, later(days=3, hours=1), w)
    assert kinds_for(day3, w, "kim") == {"nudge.request_unanswered"}
    assert kinds_for(day3, w, "ana") == set()
    [mail] = day3.values()
    assert (
        mail.key
        == f"nudge.request_unanswered:{w.pid('kim')}:{w.pairing_id}:request-{req.request_id}"
    )
    assert f"{BASE}/pairings/{w.pairing_id}/requests" in mail.message.text
    assert "Ana asked you for guidance 3 days ago" in mail.message.text
    # Asked again a day later: the same key, so the outbox sends it once.
    assert set(day3) <= set(due(session, later(days=4), w))

    day7 = due(session, later(days=7, hours=1), w)
    assert kinds_for(day7, w, "ana") == {"nudge.request_still_unanswered"}
    assert kinds_for(day7, w, "kim") == {
        "nudge.request_unanswered",
        "nudge.request_still_unanswered",
    }
    # The pair's pages show the same nudges as the mails.
    on_page = nudges_for_pairing(session, w.kim, w.pairing_id, later(days=7, hours=1))
    assert {v.kind for v in on_page} == {
        "request_unanswered",
        "request_still_unanswered",
    }

    answer_request(
        session, w.kim, w.pairing_id, int(req.request_id), f"Answer {SECRET}", later(days=8)
    )
    assert due(session, later(days=9), w) == {}

    day14 = due(session, later(days=14), w)
    assert kinds_for(day14, w, "ana") == kinds_for(day14, w, "kim") == {"nudge.checkin_due"}

    day21 = due(session, later(days=21), w)
    assert kinds_for(day21, w, "ana") == {"nudge.checkin_due", "nudge.no_session"}

    log_session(session, w.ana, w.pairing_id, later(days=22), held_on=date(2026, 3, 23),
                duration_minutes=45, topics=[f"Topic {SECRET}"])  # fmt: skip
    day23 = due(session, later(days=23), w)
    assert "nudge.no_session" not in kinds_for(day23, w, "ana") | kinds_for(day23, w, "kim")

    # Kim has done nothing since answering on day 8: four weeks later Kim is inactive.
    day36 = due(session, later(days=36), w)
    assert "nudge.inactive" in kinds_for(day36, w, "kim")
    assert "nudge.inactive" not in kinds_for(day36, w, "ana")

    everything = [o for at in (3, 7, 14, 21, 36) for o in due(session, later(days=at), w).values()]
    for o in everything:
        assert SECRET not in o.message.text + o.message.html + o.message.subject
        assert o.message.text.count(BASE) == 1


def test_a_paused_or_unpublished_pairing_sends_nothing(session: Session) -> None:
    w = make_world(session)
    session.get(Pairing, w.pairing_id).state = "paused"  # type: ignore[union-attr]
    session.flush()
    assert due(session, later(days=60), w) == {}


def test_an_inactive_member_is_listed_and_their_open_proposal_released(session: Session) -> None:
    w = make_world(session, active=False)
    ana, kim = w.people["ana"], w.people["kim"]
    accept_proposal(session, w.ana, w.pairing_id, later(days=1))
    # Kim never answers. Three days: a nudge to answer; four weeks: listed as inactive.
    mails = due(session, later(days=3), w)
    assert kinds_for(mails, w, "kim") == {"nudge.proposal_unanswered"}
    assert kinds_for(mails, w, "ana") == set()
    assert inactive_members(session, ADMIN, w.program.id, later(days=20)) == ()
    listed = inactive_members(session, ADMIN, w.program.id, later(days=28))
    assert [(i.person_id, i.releasable) for i in listed if i.pairing_id == w.pairing_id] == [
        (kim.id, False)
    ]
    assert release_inactive_proposals(session, ADMIN, w.program.id, later(days=28)) == 0

    later6 = later(days=42)
    listed = inactive_members(session, ADMIN, w.program.id, later6)
    # Ana answered but has been silent since: listed, yet her answer blocks nothing.
    assert [(i.person_id, i.releasable) for i in listed if i.pairing_id == w.pairing_id] == [
        (kim.id, True),
        (ana.id, False),
    ]
    released = release_inactive_proposals(session, ADMIN, w.program.id, later6)
    assert released == 2  # the other proposal (outsider + sam) waited for both of them
    assert session.get(Pairing, w.pairing_id).state == "dissolved"  # type: ignore[union-attr]
    entries = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "pairing.released_inactive")
    ).all()
    assert sorted(e.target_id for e in entries) == sorted([w.pairing_id, w.other_pairing_id])
    assert release_inactive_proposals(session, ADMIN, w.program.id, later6) == 0
    assert ana.id not in [
        i.person_id for i in inactive_members(session, ADMIN, w.program.id, later6)
    ]


def test_a_member_of_another_pairing_sees_none_of_its_nudges(session: Session) -> None:
    w = make_world(session)
    with pytest.raises(Forbidden):
        nudges_for_pairing(session, w.outsider, w.pairing_id, later(days=30))


def test_the_worker_task_releases_what_the_admin_button_would(session: Session) -> None:
    w = make_world(session, active=False)
    session.commit()
    factory = sessionmaker(
        bind=session.connection(), join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    store = Store(engine=session.connection().engine, sessions=factory)
    settings = Settings(database_url="sqlite:///unused.db")
    assert release_task(store, settings, later(days=20)) == 0
    assert release_task(store, settings, later(days=42)) == 2  # both proposals waited
    session.expire_all()
    assert session.get(Pairing, w.pairing_id).state == "dissolved"  # type: ignore[union-attr]
    assert release_task(store, settings, later(days=43)) == 0
    entries = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "pairing.released_inactive")
    ).all()
    assert len(entries) == 2 and {e.actor_kind for e in entries} == {"command_line"}


def test_the_outbox_sources_are_bound_to_the_settings(session: Session) -> None:
    from peermentor.services import calendar, nudges

    w = make_world(session)
    settings = Settings(database_url="sqlite:///unused.db", base_url=BASE)
    at = later(days=21)
    bound = {o.key for o in nudges.mail_source(settings)(session, at)}
    assert bound == {o.key for o in due_mail(session, at, BASE)} != set()
    assert all(BASE in o.message.text for o in nudges.mail_source(settings)(session, at))
    assert list(calendar.mail_source(settings)(session, at)) == []
    assert w.pairing_id
