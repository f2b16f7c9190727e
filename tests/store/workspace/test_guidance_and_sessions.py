"""Guidance requests both ways (answered, closed, overdue, counted) and the session log."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from peermentor.domain.errors import NotAllowed, NotFound, NotReady, ValidationError
from peermentor.services.access import Forbidden
from peermentor.services.workspace.gaps import add_gap
from peermentor.services.workspace.guidance import (
    answer_request,
    ask_for_guidance,
    close_request,
    list_requests,
)
from peermentor.services.workspace.sessions import list_sessions, log_session, record_contribution
from tests.store.workspace.factories import NOW, World, later


def test_a_request_is_asked_answered_and_closed(pair: World, session: Session) -> None:
    gap = add_gap(session, pair.ana, pair.pairing_id, NOW, title="Hiring", category="skill")
    req = ask_for_guidance(
        session, pair.ana, pair.pairing_id, NOW, topic="Interview loop", gap_id=int(gap.gap_id)
    )
    assert (req.recipient, req.gap_id, req.status.value) == (pair.mid("kim"), gap.gap_id, "open")
    rid = int(req.request_id)
    answered = answer_request(
        session, pair.kim, pair.pairing_id, rid, "Use a rubric", later(days=1)
    )
    assert answered.status.value == "answered" and answered.answered_at == later(days=1)
    with pytest.raises(NotAllowed):  # only the asker closes
        close_request(session, pair.kim, pair.pairing_id, rid, later(days=2))
    closed = close_request(session, pair.ana, pair.pairing_id, rid, later(days=2))
    assert closed.status.value == "closed"
    with pytest.raises(NotReady):
        answer_request(session, pair.kim, pair.pairing_id, rid, "More", later(days=3))


def test_the_asker_cannot_answer_their_own_request(pair: World, session: Session) -> None:
    req = ask_for_guidance(session, pair.ana, pair.pairing_id, NOW, topic="Budget")
    with pytest.raises(NotAllowed):
        answer_request(session, pair.ana, pair.pairing_id, int(req.request_id), "x", NOW)


def test_requests_are_counted_per_direction_and_overdue_after_the_window(
    pair: World, session: Session
) -> None:
    window = pair.program.settings["response_window_days"]
    a = ask_for_guidance(session, pair.ana, pair.pairing_id, NOW, topic="One")
    ask_for_guidance(session, pair.ana, pair.pairing_id, NOW, topic="Two")
    ask_for_guidance(session, pair.kim, pair.pairing_id, NOW, topic="Three")
    answer_request(session, pair.kim, pair.pairing_id, int(a.request_id), "Yes", later(days=1))
    board = list_requests(session, pair.kim, pair.pairing_id, later(days=window))
    assert board.overdue == frozenset()
    board = list_requests(session, pair.kim, pair.pairing_id, later(days=window, hours=1))
    counts = {(c.asker, c.recipient): c for c in board.counts}
    ana_to_kim = counts[(pair.mid("ana"), pair.mid("kim"))]
    assert (ana_to_kim.asked, ana_to_kim.answered, ana_to_kim.open, ana_to_kim.overdue) == (
        2,
        1,
        1,
        1,
    )
    kim_to_ana = counts[(pair.mid("kim"), pair.mid("ana"))]
    assert (kim_to_ana.asked, kim_to_ana.overdue) == (1, 1)
    assert len(board.to(pair.mid("kim"))) == 2 and len(board.overdue) == 2


def test_a_request_in_a_triad_names_its_recipient(triad: World, session: Session) -> None:
    with pytest.raises(ValidationError) as caught:
        ask_for_guidance(session, triad.ana, triad.pairing_id, NOW, topic="Anyone?")
    assert caught.value.field == "recipient_id"
    req = ask_for_guidance(
        session, triad.ana, triad.pairing_id, NOW, topic="Lee?", recipient_id=triad.pid("lee")
    )
    with pytest.raises(NotAllowed):  # kim was not asked
        answer_request(session, triad.kim, triad.pairing_id, int(req.request_id), "x", NOW)
    answer_request(session, triad.lee, triad.pairing_id, int(req.request_id), "Sure", NOW)


def test_a_request_cannot_name_a_gap_or_member_from_elsewhere(
    pair: World, session: Session
) -> None:
    theirs = add_gap(
        session, pair.outsider, pair.other_pairing_id, NOW, title="x", category="skill"
    )
    with pytest.raises(ValidationError) as caught:
        ask_for_guidance(
            session, pair.ana, pair.pairing_id, NOW, topic="t", gap_id=int(theirs.gap_id)
        )
    assert caught.value.field == "gap_id"
    with pytest.raises(ValidationError):  # asking oneself is refused by the domain
        ask_for_guidance(
            session, pair.ana, pair.pairing_id, NOW, topic="t", recipient_id=pair.pid("ana")
        )


def test_a_request_of_another_pairing_is_not_found(pair: World, session: Session) -> None:
    theirs = ask_for_guidance(session, pair.outsider, pair.other_pairing_id, NOW, topic="t")
    with pytest.raises(NotFound):
        answer_request(session, pair.ana, pair.pairing_id, int(theirs.request_id), "x", NOW)


def test_outsider_and_admin_cannot_read_or_answer_requests(pair: World, session: Session) -> None:
    req = ask_for_guidance(session, pair.ana, pair.pairing_id, NOW, topic="Private topic")
    for actor in (pair.outsider, pair.admin):
        with pytest.raises(Forbidden):
            list_requests(session, actor, pair.pairing_id, NOW)
        with pytest.raises(Forbidden):
            answer_request(session, actor, pair.pairing_id, int(req.request_id), "x", NOW)


def test_a_session_is_logged_with_what_each_member_gave_and_got(
    pair: World, session: Session
) -> None:
    logged = log_session(
        session,
        pair.ana,
        pair.pairing_id,
        later(days=3),
        held_on=date(2026, 3, 4),
        duration_minutes=45,
        topics=["Hiring"],
        gave=["A rubric"],
        got=["Interview tips"],
    )
    sid = int(logged.session_id)
    met = record_contribution(
        session, pair.kim, pair.pairing_id, sid, later(days=3), gave=["Interview tips"], got=[]
    )
    assert met.contribution_of(pair.mid("ana")).gave == ("A rubric",)
    assert met.contribution_of(pair.mid("kim")).gave == ("Interview tips",)
    again = record_contribution(
        session, pair.kim, pair.pairing_id, sid, later(days=4), gave=["Tips"], got=["A rubric"]
    )
    assert again.contribution_of(pair.mid("kim")).got == ("A rubric",)
    [stored] = list_sessions(session, pair.kim, pair.pairing_id)
    assert (stored.held_on, stored.duration_minutes, stored.topics) == (
        date(2026, 3, 4),
        45,
        ("Hiring",),
    )


def test_a_session_is_logged_only_after_it_happened(pair: World, session: Session) -> None:
    with pytest.raises(ValidationError) as caught:
        log_session(
            session, pair.ana, pair.pairing_id, NOW, held_on=date(2026, 3, 9), duration_minutes=30
        )
    assert caught.value.field == "held_on"


def test_outsider_and_admin_cannot_read_or_log_sessions(pair: World, session: Session) -> None:
    logged = log_session(
        session, pair.ana, pair.pairing_id, NOW, held_on=NOW.date(), duration_minutes=30
    )
    for actor in (pair.outsider, pair.admin):
        with pytest.raises(Forbidden):
            list_sessions(session, actor, pair.pairing_id)
        with pytest.raises(Forbidden):
            record_contribution(
                session, actor, pair.pairing_id, int(logged.session_id), NOW, gave=["x"], got=[]
            )
