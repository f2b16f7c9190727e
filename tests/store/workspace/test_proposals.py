"""Proposal and opt-in: publish, accept, decline, withdraw, pause, the response window."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from peermentor.domain.errors import InvalidTransition, NotReady
from peermentor.services.access import Forbidden, NotFound
from peermentor.services.matching import publish_program_draft
from peermentor.services.workspace.proposals import (
    accept_proposal,
    create_draft_pairing,
    decline_proposal,
    dissolve_pairing,
    get_pairing,
    pause_pairing,
    resume_pairing,
    withdraw_proposal,
)
from peermentor.store.models import MatchRun, Pairing
from tests.store.workspace.factories import (
    ADMIN,
    NOW,
    World,
    later,
    make_person,
    make_program,
    participant,
)


def test_a_draft_is_invisible_until_an_admin_publishes_it(session: Session) -> None:
    program = make_program(session)
    ana, kim = make_person(session, "Ana Silva"), make_person(session, "Kim Park")
    run = MatchRun(program_id=program.id, status="draft", created_at=NOW)
    session.add(run)
    session.flush()
    pid = create_draft_pairing(
        session, program.id, [ana.id, kim.id], 0.7, {}, {ana.id: "you both lead teams"}, run.id
    )
    with pytest.raises(NotFound):
        get_pairing(session, participant(ana), pid, NOW)
    with pytest.raises(Forbidden):
        publish_program_draft(session, participant(ana), program.id, NOW)
    assert publish_program_draft(session, ADMIN, program.id, NOW) == 1
    view = get_pairing(session, participant(ana), pid, NOW)
    assert view.state == "proposed" and view.proposed_at == NOW
    assert [(m.name, m.explanation, m.answer) for m in view.members] == [
        ("Ana Silva", "you both lead teams", None),
        ("Kim Park", "", None),
    ]


def test_a_pairing_becomes_active_when_every_member_accepts(
    proposed: World, session: Session
) -> None:
    view = accept_proposal(session, proposed.ana, proposed.pairing_id, NOW)
    assert view.state == "proposed"
    assert [m.answer for m in view.members] == ["accepted", None]
    view = accept_proposal(session, proposed.kim, proposed.pairing_id, later(hours=1))
    assert view.state == "active" and view.activated_at == later(hours=1)


def test_one_decline_dissolves_the_proposal(proposed: World, session: Session) -> None:
    accept_proposal(session, proposed.ana, proposed.pairing_id, NOW)
    view = decline_proposal(session, proposed.kim, proposed.pairing_id, NOW, reason="no time")
    assert view.state == "dissolved"
    with pytest.raises(InvalidTransition):
        accept_proposal(session, proposed.ana, proposed.pairing_id, NOW)


def test_a_member_answers_a_proposal_only_once(proposed: World, session: Session) -> None:
    accept_proposal(session, proposed.ana, proposed.pairing_id, NOW)
    with pytest.raises(NotReady):
        decline_proposal(session, proposed.ana, proposed.pairing_id, NOW)


def test_outsider_and_admin_cannot_see_or_answer_a_proposal(
    proposed: World, session: Session
) -> None:
    for actor in (proposed.outsider, proposed.admin):
        with pytest.raises(Forbidden):
            get_pairing(session, actor, proposed.pairing_id, NOW)
        with pytest.raises(Forbidden):
            accept_proposal(session, actor, proposed.pairing_id, NOW)


def test_an_unknown_pairing_is_not_found(pair: World, session: Session) -> None:
    with pytest.raises(NotFound):
        get_pairing(session, pair.ana, 999_999, NOW)


def test_a_proposal_unanswered_past_the_response_window_is_flagged(
    proposed: World, session: Session
) -> None:
    window = proposed.program.settings["response_window_days"]
    assert not get_pairing(
        session, proposed.ana, proposed.pairing_id, later(days=window)
    ).proposal_overdue
    accept_proposal(session, proposed.ana, proposed.pairing_id, later(days=1))
    # kim has still not answered: the time comes from the caller, not the clock.
    late = later(days=window, hours=1)
    assert get_pairing(session, proposed.ana, proposed.pairing_id, late).proposal_overdue


def test_only_an_admin_withdraws_a_proposal(proposed: World, session: Session) -> None:
    with pytest.raises(Forbidden):
        withdraw_proposal(session, proposed.ana, proposed.pairing_id, NOW)
    assert (
        withdraw_proposal(session, ADMIN, proposed.pairing_id, NOW, reason="rematch") == "dissolved"
    )


def test_members_pause_and_resume_an_active_pairing(pair: World, session: Session) -> None:
    assert pause_pairing(session, pair.kim, pair.pairing_id, NOW, reason="leave").state == "paused"
    assert resume_pairing(session, pair.ana, pair.pairing_id, later(days=7)).state == "active"
    with pytest.raises(Forbidden):
        pause_pairing(session, pair.outsider, pair.pairing_id, NOW)


def test_an_admin_dissolves_an_active_pairing_but_not_a_finished_one(
    pair: World, session: Session
) -> None:
    with pytest.raises(Forbidden):
        dissolve_pairing(session, pair.ana, pair.pairing_id, NOW)
    assert dissolve_pairing(session, ADMIN, pair.pairing_id, NOW) == "dissolved"
    with pytest.raises(InvalidTransition):
        dissolve_pairing(session, ADMIN, pair.pairing_id, NOW)


def test_a_pairing_published_without_a_proposal_time_uses_its_publish_time(
    session: Session,
) -> None:
    # The matching service's own publish stamps only published_at; the response window
    # then runs from that time.
    program = make_program(session)
    ana, kim = make_person(session, "Ana Silva"), make_person(session, "Kim Park")
    pid = create_draft_pairing(session, program.id, [ana.id, kim.id], 0.7, {}, {})
    row = session.get(Pairing, pid)
    assert row is not None
    row.state, row.published_at = "proposed", NOW
    session.flush()
    window = program.settings["response_window_days"]
    assert get_pairing(session, participant(ana), pid, later(days=window, hours=1)).proposal_overdue
    accept_proposal(session, participant(ana), pid, NOW)
    assert accept_proposal(session, participant(kim), pid, NOW).state == "active"


def test_a_declined_proposal_needs_attention_until_its_people_are_paired_again(
    proposed: World, session: Session
) -> None:
    from peermentor.services.match_review import declined_waiting

    program_id = session.get(Pairing, proposed.pairing_id).program_id  # type: ignore[union-attr]
    assert declined_waiting(session, ADMIN, program_id) == 0
    decline_proposal(session, proposed.kim, proposed.pairing_id, NOW, reason="no time")
    assert declined_waiting(session, ADMIN, program_id) == 1
    # A new pairing for both (a rematch's draft): nobody waits any more.
    pairing = session.get(Pairing, proposed.pairing_id)
    assert pairing is not None
    people = [m.person_id for m in pairing.members]
    run = MatchRun(program_id=program_id, status="draft", created_at=NOW)
    session.add(run)
    session.flush()
    create_draft_pairing(session, program_id, people, 0.5, {}, {}, run.id)
    assert declined_waiting(session, ADMIN, program_id) == 0
    with pytest.raises(Forbidden):
        declined_waiting(session, proposed.ana, program_id)
