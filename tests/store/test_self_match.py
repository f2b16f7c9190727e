"""Choosing one's own peer, on a stored programme: suggestions, asking, answering,
expiry, and the run that follows a window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from peermentor.domain.errors import NotAllowed, NotFound, NotReady, ValidationError
from peermentor.services import self_match
from peermentor.services.access import SYSTEM
from peermentor.services.matching import run_match
from peermentor.store.audit_models import AuditEntry
from peermentor.store.mail_models import OutboxMessage
from peermentor.store.models import Pairing
from tests.store.test_leaving import actor_of, cohort, groups, person

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def choosing(session: Session, program_id: int, mode: str = "self", **changes: object) -> None:
    values: dict[str, object] = {
        "mode": mode,
        "window_ends": (NOW + timedelta(days=10)).date() if mode == "both" else None,
        "reply_days": 7,
        "suggestions": 5,
    } | changes
    self_match.change_settings(session, SYSTEM, program_id, now=NOW, **values)  # type: ignore[arg-type]


def employee(session: Session, person_id: int) -> str:
    from peermentor.store.models import Person

    row = session.get(Person, person_id)
    assert row is not None
    return row.employee_id


def someone(session: Session, program_id: int, skip: tuple[str, ...] = ()) -> str:
    """The first person (by employee id) with at least five people to choose from."""
    from peermentor.store.models import Person

    for e in sorted(session.scalars(select(Person.employee_id))):
        view = self_match.my_choosing(session, actor_of(session, e), program_id, NOW)
        if e not in skip and len(view.suggestions) == 5:
            return e
    raise AssertionError("nobody has five allowed partners")


def first_suggestion(session: Session, program_id: int, e: str) -> tuple[int, str]:
    view = self_match.my_choosing(session, actor_of(session, e), program_id, NOW)
    assert view.suggestions, view.why_not
    best = view.suggestions[0]
    return best.person_id, employee(session, best.person_id)


def test_asking_and_accepting_makes_a_live_pairing_and_the_others_lapse(session: Session) -> None:
    program_id = cohort(session, 12)
    choosing(session, program_id)
    a = someone(session, program_id)
    b_id, b = first_suggestion(session, program_id, a)
    view = self_match.my_choosing(session, actor_of(session, a), program_id, NOW)
    assert len(view.suggestions) == 5 and all(s.for_me and s.for_them for s in view.suggestions)
    assert a not in {employee(session, s.person_id) for s in view.suggestions}
    # Someone else asks b too, and b asks a third person: all open at once.
    c = someone(session, program_id, skip=(a, b))
    request_ab = self_match.ask(session, actor_of(session, a), program_id, b_id, NOW)
    request_cb = self_match.ask(session, actor_of(session, c), program_id, b_id, NOW)
    with pytest.raises(NotReady):  # one request of one's own at a time
        self_match.ask(session, actor_of(session, a), program_id, person(session, c).id, NOW)
    # b's mail names a and says nothing of why.
    asked = session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "selfmatch.asked")
    ).all()
    assert {m.person_id for m in asked} == {b_id}
    assert all("Why you two" not in m.text_body for m in asked)

    pairing_id = self_match.answer(session, actor_of(session, b), request_ab, True, NOW)
    assert pairing_id is not None
    pairing = session.get(Pairing, pairing_id)
    assert pairing is not None and pairing.state == "active" and pairing.activated_at
    assert groups(session, ("active",)) == {pairing_id: {a, b}}
    # c's request to b lapsed (b is at capacity); c reads it as any untaken request.
    c_view = self_match.my_choosing(session, actor_of(session, c), program_id, NOW)
    assert [(r.id, r.words) for r in c_view.sent] == [(request_cb, "Not taken up")]
    assert b_id not in {s.person_id for s in c_view.suggestions}
    # Paired people have nobody to choose; their view says why.
    assert not self_match.my_choosing(session, actor_of(session, a), program_id, NOW).suggestions
    entries = session.scalars(select(AuditEntry.action)).all()
    assert "selfmatch.paired" in entries
    assert not [e for e in entries if e.startswith("selfmatch.") and e != "selfmatch.paired"]


def test_a_declined_pair_is_not_suggested_again_and_the_asker_is_not_told_it_was_a_no(
    session: Session,
) -> None:
    program_id = cohort(session, 12)
    choosing(session, program_id)
    a = someone(session, program_id)
    b_id, b = first_suggestion(session, program_id, a)
    request_id = self_match.ask(session, actor_of(session, a), program_id, b_id, NOW)
    assert self_match.answer(session, actor_of(session, b), request_id, False, NOW) is None
    a_view = self_match.my_choosing(session, actor_of(session, a), program_id, NOW)
    assert [r.words for r in a_view.sent] == ["Not taken up"]
    assert b_id not in {s.person_id for s in a_view.suggestions}
    a_id = person(session, a).id
    b_view = self_match.my_choosing(session, actor_of(session, b), program_id, NOW)
    assert a_id not in {s.person_id for s in b_view.suggestions}
    with pytest.raises(NotAllowed):
        self_match.ask(session, actor_of(session, a), program_id, b_id, NOW)
    # The mail the asker gets is the same one an expiry sends.
    told = session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "selfmatch.answered")
    ).all()
    assert [m.subject for m in told] == ["Your request in Cohort was not taken up"]
    with pytest.raises(NotReady):  # answered once
        self_match.answer(session, actor_of(session, b), request_id, True, NOW)
    # Their own data download says the same: the asker's reads as on their page.
    from peermentor.store.personal_data_repo import person_data

    asked_by_a = person_data(session, person(session, a))["self_match_requests"]
    assert [(r["asked_by_me"], r["status"]) for r in asked_by_a] == [(True, "Not taken up")]
    asked_of_b = person_data(session, person(session, b))["self_match_requests"]
    assert [(r["asked_by_me"], r["status"]) for r in asked_of_b] == [(False, "declined")]


def test_only_the_asked_person_answers_and_only_the_asker_withdraws(session: Session) -> None:
    program_id = cohort(session, 12)
    choosing(session, program_id)
    a = someone(session, program_id)
    b_id, b = first_suggestion(session, program_id, a)
    request_id = self_match.ask(session, actor_of(session, a), program_id, b_id, NOW)
    with pytest.raises(NotFound):
        self_match.answer(session, actor_of(session, a), request_id, True, NOW)
    with pytest.raises(NotFound):
        self_match.withdraw(session, actor_of(session, b), request_id, NOW)
    self_match.withdraw(session, actor_of(session, a), request_id, NOW)
    with pytest.raises(NotReady):
        self_match.answer(session, actor_of(session, b), request_id, True, NOW)
    # Withdrawn is no decline: they may be suggested and asked again.
    assert b_id in {
        s.person_id
        for s in self_match.my_choosing(session, actor_of(session, a), program_id, NOW).suggestions
    }


def test_an_unanswered_request_expires_and_the_worker_tells_the_asker(session: Session) -> None:
    program_id = cohort(session, 12)
    choosing(session, program_id, reply_days=2)
    a = someone(session, program_id)
    b_id, b = first_suggestion(session, program_id, a)
    request_id = self_match.ask(session, actor_of(session, a), program_id, b_id, NOW)
    later = NOW + timedelta(days=2, minutes=1)
    view = self_match.my_choosing(session, actor_of(session, a), program_id, later)
    assert [r.words for r in view.sent] == ["Not taken up"]  # before the worker came by
    with pytest.raises(NotReady):
        self_match.answer(session, actor_of(session, b), request_id, True, later)
    from peermentor.store import self_match_repo

    closed = self_match_repo.expire_due(session, later)
    assert [c[0] for c in closed] == [request_id]


def test_a_run_waits_for_the_window_and_then_leaves_the_chosen_pairs_as_they_are(
    session: Session,
) -> None:
    program_id = cohort(session, 16)
    choosing(session, program_id, "both", window_ends=(NOW + timedelta(days=3)).date())
    with pytest.raises(NotReady, match="window is open until"):
        run_match(session, SYSTEM, program_id, now=NOW)
    a = someone(session, program_id)
    b_id, b = first_suggestion(session, program_id, a)
    request_id = self_match.ask(session, actor_of(session, a), program_id, b_id, NOW)
    pairing_id = self_match.answer(session, actor_of(session, b), request_id, True, NOW)
    before = groups(session, ("active",))
    after_window = NOW + timedelta(days=4)
    outcome = run_match(session, SYSTEM, program_id, now=after_window)
    assert groups(session, ("active",)) == before == {pairing_id: {a, b}}
    drafted = {e for g in groups(session, ("draft",)).values() for e in g}
    assert drafted and not drafted & {a, b}
    assert outcome.result.pairings
    # In a programme where only people choose, no run at all.
    choosing(session, program_id, "self")
    with pytest.raises(NotReady, match="choose their own peer"):
        run_match(session, SYSTEM, program_id, now=after_window)


def test_choosing_settings_are_checked_and_admin_mode_closes_open_requests(
    session: Session,
) -> None:
    program_id = cohort(session, 12)
    for bad, field in (
        ({"mode": "lottery"}, "mode"),
        ({"mode": "both", "window_ends": None}, "window_ends"),
        ({"mode": "both", "window_ends": (NOW - timedelta(days=1)).date()}, "window_ends"),
        ({"reply_days": 0}, "reply_days"),
        ({"suggestions": 11}, "suggestions"),
    ):
        with pytest.raises(ValidationError) as refused:
            choosing(session, program_id, **bad)  # type: ignore[arg-type]
        assert refused.value.field == field
    choosing(session, program_id)
    a = someone(session, program_id)
    b_id, _ = first_suggestion(session, program_id, a)
    self_match.ask(session, actor_of(session, a), program_id, b_id, NOW)
    choosing(session, program_id, "admin")
    view = self_match.my_choosing(session, actor_of(session, a), program_id, NOW)
    assert [r.words for r in view.sent] == ["Not taken up"] and not view.suggestions
    assert "admins match everyone" in view.why_not
    counts = self_match.for_admins(session, SYSTEM, program_id, NOW)
    assert (counts.chosen_pairings, counts.waiting, counts.closed_without_pair) == (0, 0, 1)
