"""Balance of give-and-take with nudges; closing reflections, complete, renew, rematch."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from peermentor.domain.balance import Component
from peermentor.domain.errors import InvalidTransition, NotReady, ValidationError
from peermentor.services.access import Forbidden
from peermentor.services.workspace.balance import pairing_balance
from peermentor.services.workspace.closing import (
    close_pairing,
    get_closing,
    request_rematch,
    write_closing_reflection,
)
from peermentor.services.workspace.guidance import answer_request, ask_for_guidance
from tests.store.workspace.factories import NOW, World, later


def kim_answers_four_of_anas_requests(w: World, session: Session) -> None:
    for n in range(4):
        req = ask_for_guidance(session, w.ana, w.pairing_id, NOW, topic=f"Question {n}")
        answer_request(session, w.kim, w.pairing_id, int(req.request_id), "Answer", NOW)
    ask_for_guidance(session, w.kim, w.pairing_id, NOW, topic="Kim's question")


def test_a_pairing_with_no_exchange_yet_is_balanced(pair: World, session: Session) -> None:
    report = pairing_balance(session, pair.ana, pair.pairing_id)
    assert report.index == 0 and not report.has_data and report.nudges == ()


def test_one_sided_help_leans_and_nudges_the_one_who_only_takes(
    pair: World, session: Session
) -> None:
    kim_answers_four_of_anas_requests(pair, session)
    report = pairing_balance(session, pair.kim, pair.pairing_id)
    assert report.index_of(pair.mid("ana")) == -1.0 and report.index_of(pair.mid("kim")) == 1.0
    assert report.component(Component.GUIDANCE).gives_of(pair.mid("kim")) == 4
    [nudge] = report.nudges
    assert nudge.to_member == pair.mid("ana")
    assert nudge.text == "Kim has answered 4 of your requests; you have answered none of Kim's."


def test_outsider_and_admin_cannot_read_a_pairings_balance(pair: World, session: Session) -> None:
    for actor in (pair.outsider, pair.admin):
        with pytest.raises(Forbidden):
            pairing_balance(session, actor, pair.pairing_id)


def test_the_pairing_completes_once_every_member_has_reflected(
    pair: World, session: Session
) -> None:
    write_closing_reflection(
        session, pair.ana, pair.pairing_id, "I learnt to delegate", "renew", NOW
    )
    with pytest.raises(NotReady, match=pair.mid("kim")):
        close_pairing(session, pair.ana, pair.pairing_id, NOW)
    write_closing_reflection(session, pair.kim, pair.pairing_id, "Great peer", "complete", NOW)
    assert [r.text for r in get_closing(session, pair.kim, pair.pairing_id).reflections] == [
        "I learnt to delegate",
        "Great peer",
    ]
    view = close_pairing(session, pair.kim, pair.pairing_id, later(days=1))
    assert view.state == "completed"
    with pytest.raises(InvalidTransition):
        write_closing_reflection(session, pair.ana, pair.pairing_id, "More", "renew", later(days=2))


def test_the_pairing_renews_for_a_new_cycle_when_everyone_chooses_to(
    pair: World, session: Session
) -> None:
    write_closing_reflection(session, pair.ana, pair.pairing_id, "More please", "renew", NOW)
    write_closing_reflection(session, pair.kim, pair.pairing_id, "Yes", "renew", NOW)
    view = close_pairing(session, pair.ana, pair.pairing_id, NOW)
    assert (view.state, view.cycle) == ("active", 2)
    # The new cycle starts with no closing reflections.
    assert get_closing(session, pair.ana, pair.pairing_id).reflections == ()


def test_a_choice_other_than_complete_or_renew_names_the_field(
    pair: World, session: Session
) -> None:
    with pytest.raises(ValidationError) as caught:
        write_closing_reflection(session, pair.ana, pair.pairing_id, "x", "pause", NOW)
    assert caught.value.field == "choice"


def test_one_member_asks_for_a_rematch_and_the_pairing_dissolves(
    pair: World, session: Session
) -> None:
    view = request_rematch(session, pair.kim, pair.pairing_id, NOW, reason="different goals")
    assert view.state == "dissolved"
    with pytest.raises(InvalidTransition):
        request_rematch(session, pair.ana, pair.pairing_id, NOW)


def test_outsider_and_admin_cannot_read_reflections_or_close(pair: World, session: Session) -> None:
    write_closing_reflection(session, pair.ana, pair.pairing_id, "Private words", "complete", NOW)
    for actor in (pair.outsider, pair.admin):
        with pytest.raises(Forbidden):
            get_closing(session, actor, pair.pairing_id)
        with pytest.raises(Forbidden):
            close_pairing(session, actor, pair.pairing_id, NOW)
        with pytest.raises(Forbidden):
            request_rematch(session, actor, pair.pairing_id, NOW)
