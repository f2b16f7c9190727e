"""The demo's circles: one per team, a round in progress in each, and logins for the
lead and the members of one of them, some of whom have already written their note."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from peermentor.services import circle_notes, circles
from peermentor.services import users as users_service
from peermentor.services.access import SYSTEM, Actor
from peermentor.store.circles_models import CircleAssignment
from peermentor.store.models import Person, User

if TYPE_CHECKING:
    from peermentor.demo import DemoLogins

NOTE = {
    "dimension": "behaviour",
    "situation": "In Tuesday's planning meeting",
    "behaviour": "You asked the quieter people for their view before we decided",
    "impact": "We heard a risk nobody had raised and changed the plan in time",
    "suggestion": "Keep doing it, and say why you do it so others copy you",
}


def build_demo_circles(session: Session, program: str, password: str, logins: DemoLogins) -> None:
    started = datetime.now(UTC) - timedelta(days=3)
    made = circles.create_from_teams(session, SYSTEM, program, started)
    showcase = None
    for circle in made.circles:
        circles.start_next_round(session, SYSTEM, circle.id, started)
        found = circles.summary(session, circle)
        if showcase is None and found.lead is not None and 4 <= len(found.members) <= 8:
            showcase = found
    if showcase is None:
        return
    logins.circle = showcase.circle.name
    lead = showcase.lead
    assert lead is not None
    logins.circle_lead = _login(session, lead, password)
    for person in showcase.members:
        logins.circle_members.append(_login(session, person, password))
    # Half the members have written their note already: a round in progress.
    assert showcase.round is not None
    pairs = session.scalars(
        select(CircleAssignment).where(CircleAssignment.round_id == showcase.round.id)
    ).all()
    for pair in pairs[: len(pairs) // 2]:
        actor = Actor(role="participant", person_id=pair.giver_id)
        circle_notes.give_note(
            session,
            actor,
            showcase.circle.id,
            started + timedelta(days=1),
            receiver_id=pair.receiver_id,
            **NOTE,
        )
    session.commit()


def _login(session: Session, person: Person, password: str) -> tuple[str, str, str]:
    if session.scalar(select(User.id).where(User.person_id == person.id)) is None:
        users_service.create_user(session, SYSTEM, person.email, password, person_id=person.id)
    session.commit()
    return (person.email, password, person.name)
