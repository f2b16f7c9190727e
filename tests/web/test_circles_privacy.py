"""Planted strings in circle notes and replies reach the note's receiver and, for a
signed note, its giver; nobody else (other members, another circle, the lead, admins)
finds them on any page or API answer they can reach. Anonymous notes: held until three
have arrived and their deadline passed, then all at once without a giver, and no page,
API answer, export or mail names who wrote them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from peermentor.config import Settings
from peermentor.runtime import Store
from peermentor.services import circle_notes, circles
from peermentor.services.access import SYSTEM
from peermentor.services.people import export_people
from peermentor.services.users import create_admin, create_program_admin, create_user
from peermentor.store.circles_models import CircleAssignment, CircleRound
from peermentor.web.app import create_app
from tests.store.circles.factories import Team, make_team
from tests.web.access_matrix import MATRIX
from tests.web.circles_access_matrix import CIRCLE_MATRIX
from tests.web.test_access_matrix import _sign_in
from tests.web.test_privacy_crawl import crawl_as

PASSWORD = "matrix-password-1"
SIGNED = "PLANTED-signed-note-51c3"
REPLY = "PLANTED-reply-7e11"
ANON = "PLANTED-anon-note-a0a0"
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@dataclass
class World:
    clients: dict[str, TestClient]
    params: dict[str, str]
    anon_params: dict[str, str]
    team: Team
    anon: Team
    receiver_id: int
    anon_circle: int


def _giver_to(session: Session, round_id: int, receiver_id: int) -> int:
    return session.scalars(
        select(CircleAssignment.giver_id).where(
            CircleAssignment.round_id == round_id, CircleAssignment.receiver_id == receiver_id
        )
    ).one()


def _form(text: str) -> dict[str, str]:
    return {
        "dimension": "attitude",
        "situation": f"{text} situation",
        "behaviour": f"{text} behaviour",
        "impact": f"{text} impact",
        "suggestion": f"{text} suggestion",
    }


@pytest.fixture
def world(session: Session, tmp_path: Path) -> Iterator[World]:
    team = make_team(session, 5)
    anon = make_team(session, 5, team="Search", program=team.program)
    made = {
        c.name: c.id
        for c in circles.create_from_teams(session, SYSTEM, team.program.name, START).circles
    }
    circle_id, anon_id = made["Payments"], made["Search"]
    # A signed note with a planted reply.
    first = circles.start_next_round(session, SYSTEM, circle_id, START)
    receiver = team.members[0]
    giver_id = _giver_to(session, first.id, receiver.id)
    note = circle_notes.give_note(
        session,
        team.actor(next(p for p in team.members if p.id == giver_id)),
        circle_id,
        START,
        receiver_id=receiver.id,
        **_form(SIGNED),
    )
    circle_notes.reply_to_note(
        session, team.actor(receiver), note.id, START, kind="question", text=REPLY
    )
    # Anonymous rounds: everyone writes in three rounds, each round two weeks long.
    circles.change_settings(session, SYSTEM, anon_id, START, anonymous=True)
    at = START
    for _ in range(3):
        r = circles.start_next_round(session, SYSTEM, anon_id, at)
        for pair in session.scalars(
            select(CircleAssignment).where(CircleAssignment.round_id == r.id)
        ):
            circle_notes.give_note(
                session,
                anon.actor(next(p for p in anon.members if p.id == pair.giver_id)),
                anon_id,
                at,
                receiver_id=pair.receiver_id,
                **_form(ANON),
            )
        at += timedelta(days=14)
    # Back-date the rounds so that the third deadline has passed now: released.
    shift = datetime.now(UTC) - at + timedelta(hours=-1)
    for r in session.scalars(select(CircleRound).where(CircleRound.circle_id == anon_id)):
        r.starts_at += shift
        r.deadline += shift
    session.flush()
    roles = {
        "receiver": receiver,
        "giver": next(p for p in team.members if p.id == giver_id),
        "same_circle": next(p for p in team.members if p.id not in (receiver.id, giver_id)),
        "other_circle": anon.members[0],
        "lead": team.lead,
        "anon_lead": anon.lead,
    }
    for person in roles.values():
        create_user(session, SYSTEM, person.email, PASSWORD, person_id=person.id)
    create_program_admin(session, SYSTEM, "padmin@example.com", PASSWORD, team.program.name)
    create_admin(session, SYSTEM, "org@example.com", PASSWORD)
    session.commit()
    emails = {k: p.email for k, p in roles.items()} | {
        "program_admin": "padmin@example.com",
        "org_admin": "org@example.com",
    }
    factory = sessionmaker(
        bind=session.connection(), join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    app = create_app(
        Settings(database_url="sqlite:///unused.db", secret_key_file=tmp_path / "s"),
        Store(engine=session.connection().engine, sessions=factory),
    )
    app.state.jobs_inline = True
    clients = {}
    for role in ("anonymous", *emails):
        client = TestClient(app, base_url="https://testserver")
        client.__enter__()
        if role in emails:
            _sign_in(client, emails[role])
        clients[role] = client
    params = {
        "circle_id": str(circle_id),
        "note_id": str(note.id),
        "program_id": str(team.program.id),
    }
    yield World(
        clients, params, params | {"circle_id": str(anon_id)}, team, anon, receiver.id, anon_id
    )
    for client in clients.values():
        client.__exit__(None, None, None)


def _seeds(params: dict[str, str]) -> list[str]:
    seeds = []
    for method, template in [*MATRIX, *CIRCLE_MATRIX]:
        path = template
        for name, value in params.items():
            path = path.replace("{" + name + "}", value)
        if method == "GET" and "{" not in path:
            seeds.append(path)
    return sorted(set(seeds))


def _everything(world: World, role: str) -> dict[str, str]:
    seeds = sorted(set(_seeds(world.params)) | set(_seeds(world.anon_params)))
    return crawl_as(world.clients[role], seeds)


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("receiver", True),
        ("giver", True),
        ("same_circle", False),
        ("other_circle", False),
        ("lead", False),
        ("program_admin", False),
        ("org_admin", False),
        ("anonymous", False),
    ],
)
def test_a_signed_note_and_its_reply_reach_only_the_receiver_and_the_giver(
    world: World, role: str, sees: bool
) -> None:
    bodies = _everything(world, role)
    for secret in (SIGNED, REPLY):
        found = [url for url, body in bodies.items() if secret in body]
        assert bool(found) is sees, f"{role}: {secret} at {found}"


@pytest.mark.parametrize("role", ["other_circle", "anon_lead", "program_admin", "org_admin"])
def test_anonymous_notes_reach_only_their_receiver(world: World, role: str) -> None:
    """other_circle is a member of the anonymous circle: a giver there, and a receiver
    of their own notes; what they gave never comes back to them."""
    bodies = _everything(world, role)
    me = world.anon.members[0].id
    if role == "other_circle":
        view = world.clients[role].get(f"/api/circles/{world.anon_circle}").json()
        assert len(view["received"]) == 3 and view["given"] == []
        assert all(n["receiver"] == me for n in view["received"])
        return
    assert not [url for url, body in bodies.items() if ANON in body], role


def test_released_anonymous_notes_name_no_giver_and_no_time(world: World, session: Session) -> None:
    client = world.clients["other_circle"]
    view = client.get(f"/api/circles/{world.anon_circle}").json()
    assert len(view["received"]) == 3
    for note in view["received"]:
        assert note["anonymous"] and note["giver"] is None and note["given_at"] is None
        assert note["round"] is None
    page = client.get(f"/circles/{world.anon_circle}").text
    articles = re.findall(r'<article class="item" id="note-.*?</article>', page, re.DOTALL)
    assert len(articles) == 3
    others = [p for p in world.anon.members if p.id != world.anon.members[0].id]
    for article in articles:
        assert "anonymous" in article
        assert not any(p.name in article for p in others)
    # The admin's and the lead's answers have no pairs at all for an anonymous circle.
    settings = (
        world.clients["program_admin"].get(f"/api/circles/{world.anon_circle}/settings").json()
    )
    assert "assignments" not in settings
    exports = export_people(session, SYSTEM, world.team.program.id)
    assert ANON not in exports and SIGNED not in exports
    mails = list(circles.due_mail(session, datetime.now(UTC)))
    assert mails
    for mail in mails:
        body = mail.message.text + mail.message.html + mail.message.subject
        assert ANON not in body and SIGNED not in body and REPLY not in body
        assert not any(p.name in body for p in [*world.anon.members, *world.team.members])


def test_anonymous_notes_are_held_below_three(session: Session) -> None:
    team = make_team(session, 5, team="Held")
    circle_id = circles.create_from_teams(session, SYSTEM, team.program.name, START).circles[0].id
    circles.change_settings(session, SYSTEM, circle_id, START, anonymous=True)
    receiver = team.members[0]
    at = START
    for k in range(3):
        r = circles.start_next_round(session, SYSTEM, circle_id, at)
        giver = next(p for p in team.members if p.id == _giver_to(session, r.id, receiver.id))
        circle_notes.give_note(
            session, team.actor(giver), circle_id, at, receiver_id=receiver.id, **_form(ANON)
        )
        before = circle_notes.member_view(
            session, team.actor(receiver), circle_id, at + timedelta(days=13)
        )
        assert before.received == ()
        after = circle_notes.member_view(
            session, team.actor(receiver), circle_id, at + timedelta(days=14)
        )
        assert len(after.received) == (3 if k == 2 else 0)
        at += timedelta(days=14)
