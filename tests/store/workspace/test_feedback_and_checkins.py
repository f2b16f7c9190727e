"""Feedback private to its two people and acknowledged by the receiver; check-in pulses."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from peermentor.domain.errors import NotAllowed, ValidationError
from peermentor.domain.feedback import Feedback
from peermentor.services.access import Actor, Forbidden
from peermentor.services.workspace.checkins import check_in, my_checkins
from peermentor.services.workspace.feedback import (
    acknowledge_feedback,
    give_feedback,
    list_feedback,
)
from tests.store.workspace.factories import NOW, World, later


def give(
    session: Session,
    giver: Actor,
    pairing_id: int,
    dimension: str = "behaviour",
    receiver_id: int | None = None,
) -> Feedback:
    return give_feedback(
        session,
        giver,
        pairing_id,
        NOW,
        dimension=dimension,
        situation="Monday demo",
        behaviour="You cut Sam off",
        impact="Sam went quiet",
        suggestion="Pause",
        receiver_id=receiver_id,
    )


def test_feedback_goes_to_the_partner_who_acknowledges_it(pair: World, session: Session) -> None:
    fb = give(session, pair.ana, pair.pairing_id, "behaviour")
    assert fb.receiver == pair.mid("kim") and not fb.acknowledged
    with pytest.raises(NotAllowed):
        acknowledge_feedback(session, pair.ana, pair.pairing_id, int(fb.feedback_id), NOW)
    done = acknowledge_feedback(
        session, pair.kim, pair.pairing_id, int(fb.feedback_id), later(days=1)
    )
    assert done.acknowledged_at == later(days=1)
    assert [f.behaviour for f in list_feedback(session, pair.kim, pair.pairing_id).received] == [
        "You cut Sam off"
    ]
    assert list_feedback(session, pair.ana, pair.pairing_id).given[0].acknowledged


def test_feedback_needs_its_parts_and_a_known_dimension(pair: World, session: Session) -> None:
    with pytest.raises(ValidationError) as caught:
        give(session, pair.ana, pair.pairing_id, "vibes")
    assert caught.value.field == "dimension"
    with pytest.raises(ValidationError) as caught:
        give_feedback(
            session,
            pair.ana,
            pair.pairing_id,
            NOW,
            dimension="attitude",
            situation="s",
            behaviour=" ",
            impact="i",
        )
    assert caught.value.field == "behaviour"


def test_in_a_triad_the_third_member_does_not_read_feedback_between_two(
    triad: World, session: Session
) -> None:
    fb = give(session, triad.ana, triad.pairing_id, "attitude", triad.pid("kim"))
    mine = list_feedback(session, triad.lee, triad.pairing_id)
    assert mine.given == () and mine.received == ()
    with pytest.raises(Forbidden):
        acknowledge_feedback(session, triad.lee, triad.pairing_id, int(fb.feedback_id), NOW)


def test_outsider_and_admin_cannot_read_feedback(pair: World, session: Session) -> None:
    fb = give(session, pair.ana, pair.pairing_id, "performance")
    for actor in (pair.outsider, pair.admin):
        with pytest.raises(Forbidden):
            list_feedback(session, actor, pair.pairing_id)
        with pytest.raises(Forbidden):
            acknowledge_feedback(session, actor, pair.pairing_id, int(fb.feedback_id), NOW)


def test_a_check_in_falls_due_one_pulse_interval_after_the_last(
    pair: World, session: Session
) -> None:
    interval = pair.program.settings["pulse_interval_days"]
    assert not my_checkins(session, pair.ana, pair.pairing_id, later(days=interval - 1)).due
    status = my_checkins(session, pair.ana, pair.pairing_id, later(days=interval))
    assert status.due and status.next_due == later(days=interval)
    status = check_in(
        session,
        pair.ana,
        pair.pairing_id,
        later(days=interval),
        trust=4,
        candour=3,
        mutual_benefit=5,
        progress=2,
        note="Going well",
    )
    assert not status.due and status.next_due == later(days=2 * interval)
    assert status.mine[0].note == "Going well"
    # kim has not checked in: still due for kim
    assert my_checkins(session, pair.kim, pair.pairing_id, later(days=interval)).due


def test_a_members_check_ins_are_private_even_from_the_partner(
    pair: World, session: Session
) -> None:
    check_in(
        session,
        pair.ana,
        pair.pairing_id,
        NOW,
        trust=1,
        candour=1,
        mutual_benefit=1,
        progress=1,
        note="Worried",
    )
    assert my_checkins(session, pair.kim, pair.pairing_id, NOW).mine == ()
    for actor in (pair.outsider, pair.admin):
        with pytest.raises(Forbidden):
            my_checkins(session, actor, pair.pairing_id, NOW)


def test_a_rating_outside_1_to_5_names_the_field(pair: World, session: Session) -> None:
    with pytest.raises(ValidationError) as caught:
        check_in(
            session,
            pair.ana,
            pair.pairing_id,
            NOW,
            trust=6,
            candour=3,
            mutual_benefit=3,
            progress=3,
        )
    assert caught.value.field == "trust"
