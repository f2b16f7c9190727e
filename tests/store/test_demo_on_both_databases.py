"""The demo's year of history is written with ids of its own, in bulk; on PostgreSQL the
id sequences must then be moved past them, or the demo pair's first step (accepting
their pairing, a row in a table the history filled) fails on a duplicate key."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from peermentor.demo import build_demo
from peermentor.services import auth
from peermentor.services.workspace import sessions
from peermentor.services.workspace.proposals import accept_proposal
from peermentor.store.models import PairingMember, User


def test_the_demo_pair_can_accept_and_log_a_session_after_the_demo_is_built(
    session: Session,
) -> None:
    logins = build_demo(session, people=60, seed=7)
    (first, _, _), (second, _, _) = logins.participants[:2]
    users = {u.email: u for u in session.scalars(select(User))}
    a, b = (auth.actor_for(users[email]) for email in (first, second))
    pairing_id = session.scalar(
        select(PairingMember.pairing_id).where(PairingMember.person_id == a.person_id)
    )
    assert pairing_id is not None
    now = datetime.now(UTC)
    for actor in (a, b):
        accept_proposal(session, actor, pairing_id, now)
    logged = sessions.log_session(
        session,
        a,
        pairing_id,
        now,
        held_on=now.date(),
        duration_minutes=30,
        topics=["Our first session"],
        gave=["An idea"],
        got=["A question"],
    )
    assert logged is not None
