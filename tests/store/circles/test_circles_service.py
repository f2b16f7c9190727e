"""Circles end to end on the store: created from teams, rounds on the rotation, notes
private to their receiver, the lead and admins counting only, anonymous rounds held
until three notes and their deadline, and the mail a circle sends."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from peermentor.config import Settings
from peermentor.domain.errors import NotReady, ValidationError
from peermentor.runtime import Store
from peermentor.services import circle_notes as notes
from peermentor.services import circles
from peermentor.services.access import Forbidden, InvalidInput
from peermentor.store.audit_models import AuditEntry
from peermentor.store.circles_models import Circle, CircleAssignment
from tests.store.circles.factories import ADMIN, NOW, Team, later, make_team

FORM = {
    "dimension": "behaviour",
    "situation": "At standup",
    "behaviour": "You listened",
    "impact": "We decided faster",
    "suggestion": "Keep it",
}


def _circle(session: Session, team: Team) -> Circle:
    created = circles.create_from_teams(session, ADMIN, team.program.name, NOW)
    return next(c for c in created.circles if c.name == "Payments")


def _pairs(session: Session, round_id: int) -> set[tuple[int, int]]:
    rows = session.scalars(select(CircleAssignment).where(CircleAssignment.round_id == round_id))
    return {(a.giver_id, a.receiver_id) for a in rows}


def test_circles_from_teams_name_the_manager_as_lead_and_skip_small_teams(session: Session) -> None:
    team = make_team(session, 4)
    make_team(session, 2, team="Tiny", program=team.program)
    created = circles.create_from_teams(session, ADMIN, team.program.name, NOW)
    assert [c.name for c in created.circles] == ["Payments"]
    assert created.skipped >= 1
    found = circles.summary(session, created.circles[0])
    assert found.lead is not None and found.lead.id == team.lead.id
    assert {p.id for p in found.members} == {p.id for p in team.members}
    again = circles.create_from_teams(session, ADMIN, team.program.name, NOW)
    assert again.circles == ()  # safe to run twice
    none = circles.create_from_teams(
        session, ADMIN, team.program.name, NOW, lead="none", min_size=3
    )
    assert none.circles == ()
    with pytest.raises(InvalidInput, match="lead"):
        circles.create_from_teams(session, ADMIN, team.program.name, NOW, lead="boss")


def test_a_round_gives_everyone_one_colleague_and_notes_reach_their_receiver_only(
    session: Session,
) -> None:
    team = make_team(session, 4)
    circle = _circle(session, team)
    round_ = circles.start_next_round(session, ADMIN, circle.id, NOW)
    pairs = _pairs(session, round_.id)
    ids = {p.id for p in team.members}
    assert sorted(g for g, _ in pairs) == sorted(ids) and sorted(r for _, r in pairs) == sorted(ids)
    giver = team.members[0]
    receiver_id = next(r for g, r in pairs if g == giver.id)
    receiver = next(p for p in team.members if p.id == receiver_id)
    with pytest.raises(ValidationError, match="receiver_id"):
        notes.give_note(
            session, team.actor(giver), circle.id, later(1), receiver_id=team.outsider.id, **FORM
        )
    with pytest.raises(ValidationError, match="impact"):
        notes.give_note(
            session,
            team.actor(giver),
            circle.id,
            later(1),
            receiver_id=receiver_id,
            **(FORM | {"impact": " "}),
        )
    session.rollback()
    note = notes.give_note(
        session, team.actor(giver), circle.id, later(1), receiver_id=receiver_id, **FORM
    )
    with pytest.raises(NotReady):
        notes.give_note(
            session, team.actor(giver), circle.id, later(1), receiver_id=receiver_id, **FORM
        )
    seen = notes.member_view(session, team.actor(receiver), circle.id, later(1))
    assert [n.view.situation for n in seen.received] == ["At standup"]
    assert seen.received[0].view.giver == str(giver.id)
    mine = notes.member_view(session, team.actor(giver), circle.id, later(1))
    assert [n.view.situation for n in mine.given] == ["At standup"]
    for other in team.members:
        if other.id not in (giver.id, receiver.id):
            view = notes.member_view(session, team.actor(other), circle.id, later(1))
            assert not view.received and not view.given
    # The lead is not a member: no member page, no note; participation only.
    with pytest.raises(Forbidden):
        notes.member_view(session, team.actor(team.lead), circle.id, later(1))
    with pytest.raises(Forbidden):
        notes.participation(session, team.actor(team.outsider), circle.id)
    _, figures = notes.participation(session, team.actor(team.lead), circle.id)
    assert figures[0].hidden  # four people: no figure
    notes.reply_to_note(
        session, team.actor(receiver), note.id, later(2), kind="question", text="When?"
    )
    again = notes.member_view(session, team.actor(giver), circle.id, later(2))
    assert [r.text for r in again.given[0].replies] == ["When?"]
    assert again.given[0].view.acknowledged
    with pytest.raises(Exception, match="no note"):
        notes.acknowledge_note(session, team.actor(giver), note.id, later(2))


def test_the_lead_cannot_change_rounds_or_membership_but_an_admin_can_and_it_is_audited(
    session: Session,
) -> None:
    team = make_team(session, 5)
    circle = _circle(session, team)
    lead = team.actor(team.lead)
    for change in (
        lambda: circles.start_next_round(session, lead, circle.id, NOW),
        lambda: circles.add_member(session, lead, circle.id, team.outsider.id, NOW),
        lambda: circles.remove_member(session, lead, circle.id, team.members[0].id, NOW),
        lambda: circles.change_settings(session, lead, circle.id, NOW, anonymous=True),
    ):
        with pytest.raises(Forbidden):
            change()
    circles.add_member(session, ADMIN, circle.id, team.outsider.id, NOW)
    circles.change_settings(session, ADMIN, circle.id, NOW, cadence_days=7)
    circles.start_next_round(session, ADMIN, circle.id, NOW)
    circles.remove_member(session, ADMIN, circle.id, team.members[0].id, later(1))
    actions = session.scalars(
        select(AuditEntry.action).where(AuditEntry.action.startswith("circle."))
    ).all()
    assert set(actions) >= {
        "circle.created",
        "circle.member_added",
        "circle.settings_changed",
        "circle.round_started",
        "circle.member_removed",
    }
    _, figures = notes.participation(session, lead, circle.id)
    assert figures[0].participants == 5  # six joined, one left: the rotation closed up
    assert figures[0].gave == 0 and figures[0].late == 0


def test_anonymity_needs_five_members(session: Session) -> None:
    team = make_team(session, 4)
    circle = _circle(session, team)
    with pytest.raises(ValidationError, match="anonymous"):
        circles.change_settings(session, ADMIN, circle.id, NOW, anonymous=True)


def test_skipping_closes_the_rotation_up_and_cadence_starts_the_next_round(
    session: Session,
) -> None:
    team = make_team(session, 5)
    circle = _circle(session, team)
    first = circles.start_next_round(session, ADMIN, circle.id, NOW)
    skipper = team.members[2]
    notes.skip_round(session, team.actor(skipper), circle.id, later(1))
    pairs = _pairs(session, first.id)
    assert all(skipper.id not in p for p in pairs) and len(pairs) == 4
    assert sorted(r for _, r in pairs) == sorted(g for g, _ in pairs)
    with pytest.raises(NotReady):
        notes.skip_round(session, team.actor(skipper), circle.id, later(1))
    assert circles.start_due_rounds(session, later(13)) == 0
    assert circles.start_due_rounds(session, later(14)) == 1
    assert circles.start_due_rounds(session, later(14)) == 0  # once only
    view = notes.member_view(session, team.actor(skipper), circle.id, later(14))
    assert view.round is not None and view.round.number == 2 and len(view.to_give) == 1
    assert view.history[1].skipped


def _give_all(session: Session, team: Team, circle: Circle, at) -> None:  # type: ignore[no-untyped-def]
    for person in team.members:
        view = notes.member_view(session, team.actor(person), circle.id, at)
        for item in view.to_give:
            notes.give_note(
                session,
                team.actor(person),
                circle.id,
                at,
                receiver_id=item.receiver.id,
                **(FORM | {"situation": f"from {person.name}"}),
            )


def test_anonymous_notes_stay_hidden_until_three_then_come_all_at_once_without_a_giver(
    session: Session,
) -> None:
    team = make_team(session, 5)
    circle = _circle(session, team)
    circles.change_settings(session, ADMIN, circle.id, NOW, anonymous=True)
    receiver = team.members[0]
    start = NOW
    for k in range(3):
        circles.start_next_round(session, ADMIN, circle.id, start)
        _give_all(session, team, circle, start + timedelta(hours=1))
        mail = list(circles.due_mail(session, start + timedelta(hours=2)))
        assert not [m for m in mail if m.kind != "circle.reminder"]  # nothing says "arrived"
        view = notes.member_view(
            session, team.actor(receiver), circle.id, start + timedelta(hours=2)
        )
        assert view.received == () and view.held == k + 1
        if k < 2:
            view = notes.member_view(
                session, team.actor(receiver), circle.id, start + timedelta(days=15)
            )
            assert view.received == ()  # past the deadline, but fewer than three
        start += timedelta(days=14)
    deadline = start  # the third round's deadline
    view = notes.member_view(session, team.actor(receiver), circle.id, deadline)
    assert len(view.received) == 3 and view.held == 0
    assert all(n.view.giver is None and n.given_at is None for n in view.received)
    # Givers do not get an anonymous note back either.
    giver_view = notes.member_view(session, team.actor(team.members[1]), circle.id, deadline)
    assert giver_view.given == ()
    with pytest.raises(NotReady):
        notes.reply_to_note(
            session,
            team.actor(receiver),
            view.received[0].view.note_id,
            deadline,
            kind="thanks",
            text="thanks",
        )
    mail = list(circles.due_mail(session, deadline))
    released = [m for m in mail if m.kind == "circle.feedback_released"]
    assert receiver.id in {m.person_id for m in released}
    for m in mail:
        for person in team.members:
            assert person.name not in m.message.text and "from " not in m.message.text


def test_mail_reminds_givers_before_the_deadline_and_tells_receivers_without_text(
    session: Session,
) -> None:
    team = make_team(session, 3)
    circle = _circle(session, team)
    circles.start_next_round(session, ADMIN, circle.id, NOW)
    giver = team.members[0]
    view = notes.member_view(session, team.actor(giver), circle.id, later(1))
    target = view.to_give[0].receiver
    notes.give_note(
        session,
        team.actor(giver),
        circle.id,
        later(1),
        receiver_id=target.id,
        **(FORM | {"situation": "PRIVATE-situation"}),
    )
    arrived = [
        m for m in circles.due_mail(session, later(1)) if m.kind == "circle.feedback_arrived"
    ]
    assert [m.person_id for m in arrived] == [target.id]
    assert "PRIVATE" not in arrived[0].message.text + arrived[0].message.html
    reminders = [m for m in circles.due_mail(session, later(12.5)) if m.kind == "circle.reminder"]
    assert sorted(m.person_id for m in reminders) == sorted(p.id for p in team.members[1:])
    assert len({m.key for m in reminders}) == len(reminders)
    assert not [m for m in circles.due_mail(session, later(5)) if m.kind == "circle.reminder"]


def test_the_worker_task_starts_the_rounds_due_and_the_mail_source_links_to_the_site(
    session: Session, tmp_path: Path
) -> None:
    team = make_team(session, 3)
    circle = _circle(session, team)
    circles.start_next_round(session, ADMIN, circle.id, NOW)
    factory = sessionmaker(bind=session.connection(), join_transaction_mode="create_savepoint")
    store = Store(engine=session.connection().engine, sessions=factory)
    settings = Settings(
        database_url="sqlite:///unused.db",
        secret_key_file=tmp_path / "secret",
        base_url="https://peers.example.org",
    )
    assert circles.rounds_task(store, settings, later(1)) == 0
    assert circles.rounds_task(store, settings, later(14)) == 1
    mail = list(circles.mail_source(settings)(session, later(26.5)))
    assert mail and all(
        f"https://peers.example.org/circles/{circle.id}" in m.message.text for m in mail
    )


def test_a_persons_data_export_holds_their_circles_and_no_anonymous_giver(session: Session) -> None:
    from peermentor.services.access import SYSTEM
    from peermentor.services.personal_data import export_person_data

    team = make_team(session, 5)
    circle = _circle(session, team)
    circles.change_settings(session, ADMIN, circle.id, NOW, anonymous=True)
    circles.start_next_round(session, ADMIN, circle.id, NOW)
    _give_all(session, team, circle, later(1))
    giver = team.members[1]
    data = export_person_data(session, SYSTEM, giver.employee_id, later(2))
    mine = data["circles"] if "circles" in data else data["person"]["circles"]
    assert [m["circle"] for m in mine["memberships"]] == ["Payments"]
    assert mine["notes_given"] == [
        {"circle": "Payments", "round": 1, "anonymous": True, "given_at": later(1).isoformat()}
    ]
    assert mine["notes_received"] == []  # one anonymous note, held
    lead = export_person_data(session, SYSTEM, team.lead.employee_id, later(2))
    led = lead["circles"] if "circles" in lead else lead["person"]["circles"]
    assert led["circles_led"] == ["Payments"] and led["notes_received"] == []
