"""Visions (author-only, shared with the partner) and gap boards (owner-only, one-step moves)."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from peermentor.domain.errors import NotAllowed, NotFound, ValidationError
from peermentor.services.access import Forbidden
from peermentor.services.workspace.gaps import (
    add_gap,
    get_gap_boards,
    link_gap_milestone,
    move_gap,
    remove_gap,
    update_gap,
)
from peermentor.services.workspace.vision import get_visions, write_vision
from tests.store.workspace.factories import NOW, World, later


def ana_vision(w: World, session: Session) -> None:
    write_vision(
        session,
        w.ana,
        w.pairing_id,
        w.pid("ana"),
        NOW,
        horizon_years=5,
        statement="Head of engineering in a climate company",
        milestones=["Lead a team", "Publish a talk"],
    )


def test_a_member_writes_a_vision_the_partner_can_read(pair: World, session: Session) -> None:
    ana_vision(pair, session)
    vision = get_visions(session, pair.kim, pair.pairing_id)[pair.mid("ana")]
    assert vision.horizon_years == 5 and vision.updated_at == NOW
    assert [(m.milestone_id, m.title) for m in vision.milestones] == [
        ("m1", "Lead a team"),
        ("m2", "Publish a talk"),
    ]


def test_only_the_author_edits_a_vision(pair: World, session: Session) -> None:
    ana_vision(pair, session)
    with pytest.raises(NotAllowed):
        write_vision(
            session, pair.kim, pair.pairing_id, pair.pid("ana"), NOW, horizon_years=3, statement="x"
        )
    with pytest.raises(NotAllowed):  # nor writes one for a partner who has none yet
        write_vision(
            session, pair.ana, pair.pairing_id, pair.pid("kim"), NOW, horizon_years=3, statement="x"
        )


def test_rewriting_a_vision_keeps_existing_milestone_keys(pair: World, session: Session) -> None:
    ana_vision(pair, session)
    write_vision(
        session,
        pair.ana,
        pair.pairing_id,
        pair.pid("ana"),
        later(days=1),
        horizon_years=4,
        statement="Head of engineering",
        milestones=[("m2", "Publish two talks"), "Mentor others"],
    )
    vision = get_visions(session, pair.ana, pair.pairing_id)[pair.mid("ana")]
    assert [(m.milestone_id, m.title) for m in vision.milestones] == [
        ("m2", "Publish two talks"),
        ("m1", "Mentor others"),
    ]


def test_a_horizon_other_than_3_4_or_5_years_names_the_field(pair: World, session: Session) -> None:
    with pytest.raises(ValidationError) as caught:
        write_vision(
            session, pair.ana, pair.pairing_id, pair.pid("ana"), NOW, horizon_years=6, statement="x"
        )
    assert caught.value.field == "horizon_years"


def test_gaps_are_added_linked_and_moved_in_one_call(pair: World, session: Session) -> None:
    ana_vision(pair, session)
    first = add_gap(
        session,
        pair.ana,
        pair.pairing_id,
        NOW,
        title="Hiring",
        category="skill",
        priority="now",
        milestone_id="m1",
    )
    second = add_gap(
        session, pair.ana, pair.pairing_id, NOW, title="Public speaking", category="visibility"
    )
    assert (first.priority.value, first.position, first.milestone_id) == ("now", 0, "m1")
    board = move_gap(session, pair.ana, pair.pairing_id, int(second.gap_id), "now", 0, NOW)
    assert [g.title for g in board.column("now")] == ["Public speaking", "Hiring"]
    assert board.column("next") == ()
    gap = update_gap(
        session, pair.ana, pair.pairing_id, int(first.gap_id), NOW, status="in_progress"
    )
    assert gap.status.value == "in_progress" and gap.position == 1
    gap = link_gap_milestone(session, pair.ana, pair.pairing_id, int(second.gap_id), "m2", NOW)
    assert gap.milestone_id == "m2"
    boards = get_gap_boards(session, pair.kim, pair.pairing_id)  # the partner reads it
    assert [g.title for g in boards[pair.mid("ana")].column("now")] == ["Public speaking", "Hiring"]
    assert boards[pair.mid("kim")].gaps == ()


def test_a_gap_links_only_a_milestone_of_the_owners_vision(pair: World, session: Session) -> None:
    with pytest.raises(ValidationError) as caught:
        add_gap(
            session, pair.ana, pair.pairing_id, NOW, title="x", category="skill", milestone_id="m9"
        )
    assert caught.value.field == "milestone_id"


def test_only_the_owner_changes_a_gap(pair: World, session: Session) -> None:
    gap = add_gap(session, pair.ana, pair.pairing_id, NOW, title="Hiring", category="skill")
    with pytest.raises(NotAllowed):
        move_gap(session, pair.kim, pair.pairing_id, int(gap.gap_id), "now", 0, NOW)
    with pytest.raises(NotAllowed):
        remove_gap(session, pair.kim, pair.pairing_id, int(gap.gap_id), NOW)


def test_removing_a_gap_closes_the_hole_in_its_column(pair: World, session: Session) -> None:
    a = add_gap(session, pair.ana, pair.pairing_id, NOW, title="A", category="skill")
    add_gap(session, pair.ana, pair.pairing_id, NOW, title="B", category="network")
    board = remove_gap(session, pair.ana, pair.pairing_id, int(a.gap_id), NOW)
    assert [(g.title, g.position) for g in board.column("next")] == [("B", 0)]
    with pytest.raises(NotFound):
        remove_gap(session, pair.ana, pair.pairing_id, int(a.gap_id), NOW)


def test_a_gap_of_another_pairing_is_not_found(pair: World, session: Session) -> None:
    theirs = add_gap(
        session, pair.outsider, pair.other_pairing_id, NOW, title="x", category="skill"
    )
    with pytest.raises(NotFound):
        move_gap(session, pair.ana, pair.pairing_id, int(theirs.gap_id), "now", 0, NOW)


def test_outsider_and_admin_cannot_read_visions_or_gaps(pair: World, session: Session) -> None:
    ana_vision(pair, session)
    for actor in (pair.outsider, pair.admin):
        with pytest.raises(Forbidden):
            get_visions(session, actor, pair.pairing_id)
        with pytest.raises(Forbidden):
            get_gap_boards(session, actor, pair.pairing_id)
        with pytest.raises(Forbidden):
            add_gap(session, actor, pair.pairing_id, NOW, title="x", category="skill")
