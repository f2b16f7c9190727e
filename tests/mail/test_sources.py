"""What is mailed is derived from state: on both databases, walk a pairing through
proposal, answers, a guidance request and its answer, feedback and the end of the cycle,
and check who is told what, once, and that no mail carries what the pair wrote."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from peermentor.mail import kinds
from peermentor.services.mail_sources import SOURCES, queue_from, week_start
from peermentor.services.workspace.feedback import give_feedback
from peermentor.services.workspace.guidance import answer_request, ask_for_guidance
from peermentor.services.workspace.proposals import accept_proposal
from peermentor.store import mail_repo
from peermentor.store.mail_models import OutboxMessage
from tests.mail.conftest import folder_settings, store_on
from tests.store.workspace.factories import NOW, World, later, make_world

PRIVATE = "PLANTED-private-words"


def outbox_rows(session: Session) -> list[OutboxMessage]:
    return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def mails(session: Session, w: World) -> set[tuple[str, str]]:
    """(kind, recipient persona) of every row."""
    names = {p.id: key for key, p in w.people.items()}
    return {(r.kind, names[r.person_id]) for r in outbox_rows(session)}


def tick(session: Session, tmp_path: Path, moment: datetime) -> int:
    # The event sources of this module only: nudges, calendar and circles have their own tests.
    return queue_from(store_on(session), folder_settings(tmp_path), moment, SOURCES)


def test_a_pairing_story_mails_each_occasion_once(session: Session, tmp_path: Path) -> None:
    w = make_world(session, active=False)
    assert tick(session, tmp_path, later(hours=1)) == 4
    assert mails(session, w) == {
        (kinds.PROPOSAL, name) for name in ("ana", "kim", "outsider", "sam")
    }
    [to_ana] = [r for r in outbox_rows(session) if r.person_id == w.pid("ana")]
    assert "Kim Park" in to_ana.text_body and "why Ana Silva was matched" in to_ana.text_body
    assert f"/pairings/{w.pairing_id}" in to_ana.text_body
    assert tick(session, tmp_path, later(hours=2)) == 0  # asked again: nothing new

    accept_proposal(session, w.ana, w.pairing_id, later(hours=3))
    accept_proposal(session, w.kim, w.pairing_id, later(hours=4))
    request = ask_for_guidance(
        session, w.ana, w.pairing_id, later(days=1), topic=f"Topic {PRIVATE}", detail=PRIVATE
    )
    answer_request(session, w.kim, w.pairing_id, int(request.request_id), PRIVATE, later(days=2))
    give_feedback(
        session,
        w.kim,
        w.pairing_id,
        later(days=2),
        dimension="behaviour",
        situation=PRIVATE,
        behaviour=PRIVATE,
        impact=PRIVATE,
    )
    assert tick(session, tmp_path, later(days=2, hours=1)) == 5
    new = mails(session, w) - {(kinds.PROPOSAL, n) for n in ("ana", "kim", "outsider", "sam")}
    assert new == {
        (kinds.RESPONSE, "kim"),  # ana accepted
        (kinds.RESPONSE, "ana"),  # kim accepted
        (kinds.REQUEST, "kim"),
        (kinds.ANSWER, "ana"),
        (kinds.FEEDBACK, "ana"),
    }
    for row in outbox_rows(session):
        assert PRIVATE not in row.subject + row.text_body + row.html_body, row.kind
    assert tick(session, tmp_path, later(days=3)) == 0


def test_old_events_are_not_mailed(session: Session, tmp_path: Path) -> None:
    make_world(session, active=False)
    assert tick(session, tmp_path, later(days=30)) == 0


def test_the_closing_reminder_comes_near_the_end_of_the_cycle(
    session: Session, tmp_path: Path
) -> None:
    w = make_world(session)
    w.program.ends_on = date(2026, 6, 30)
    session.flush()
    before = tick(session, tmp_path, later(days=30))
    assert before == 0
    reminder_time = NOW.replace(month=6, day=20)
    assert tick(session, tmp_path, reminder_time) == 4
    assert {k for k, _ in mails(session, w)} == {kinds.CLOSING}
    assert tick(session, tmp_path, reminder_time + timedelta(days=1)) == 0


def test_a_weekly_digest_replaces_single_mails_for_those_who_prefer_it(
    session: Session, tmp_path: Path
) -> None:
    w = make_world(session)
    mail_repo.save_preference(session, w.pid("ana"), [], True, NOW)
    request = ask_for_guidance(session, w.kim, w.pairing_id, later(days=1), topic="t")
    answer_request(session, w.ana, w.pairing_id, int(request.request_id), "a", later(days=1))
    give_feedback(
        session,
        w.kim,
        w.pairing_id,
        later(days=1),
        dimension="behaviour",
        situation="s",
        behaviour="b",
        impact="i",
    )
    tick(session, tmp_path, later(days=1, hours=1))
    to_ana = {r.kind: r.state for r in outbox_rows(session) if r.person_id == w.pid("ana")}
    assert to_ana[kinds.REQUEST] == "digested" and to_ana[kinds.FEEDBACK] == "digested"
    assert kinds.DIGEST not in to_ana  # not before the week is over
    next_week = week_start(later(days=1)) + timedelta(days=7, hours=8)
    tick(session, tmp_path, next_week)
    [digest] = [r for r in outbox_rows(session) if r.kind == kinds.DIGEST]
    assert digest.person_id == w.pid("ana") and digest.state == "queued"
    assert "Kim Park asked you for guidance" in digest.text_body
    assert "Feedback from Kim Park arrived" in digest.text_body
    assert tick(session, tmp_path, next_week + timedelta(days=1)) == 0
