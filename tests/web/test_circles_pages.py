"""Circle pages in-process: a refused value comes back as 422 next to its field with what
was typed kept; a step not possible now is 409 with the reason; admins' refusals name
the field; the lead's page holds counts only."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from peermentor.services.access import SYSTEM
from peermentor.services.users import create_user
from peermentor.store.circles_models import CircleAssignment, CircleRound
from tests.web.conftest import ADMIN, sign_in
from tests.web.test_circles_access import FORM, build_circles
from tests.web.test_participant_forms import field_error

PASSWORD = "circle-pages-pw-1"


@pytest.fixture
def world(session: Session, client: TestClient) -> Iterator[dict]:  # type: ignore[type-arg]
    team, _, circle_id, _, note_id = build_circles(session)
    for person in [*team.members, team.lead]:
        create_user(session, SYSTEM, person.email, PASSWORD, person_id=person.id)
    session.commit()
    yield {"team": team, "circle": circle_id, "note": note_id}


def _as(client: TestClient, email: str, password: str = PASSWORD) -> str:
    client.cookies.clear()
    return sign_in(client, email, password)


def test_a_note_with_a_blank_part_comes_back_with_the_error_next_to_it(
    client: TestClient,
    session: Session,
    world: dict,  # type: ignore[type-arg]
) -> None:
    team, circle = world["team"], world["circle"]
    giver = team.members[1]
    round_id = session.scalars(select(CircleRound.id).where(CircleRound.circle_id == circle)).one()
    receiver = session.scalars(
        select(CircleAssignment.receiver_id).where(
            CircleAssignment.round_id == round_id, CircleAssignment.giver_id == giver.id
        )
    ).one()
    csrf = _as(client, giver.email)
    page = client.get(f"/circles/{circle}")
    assert page.status_code == 200 and "Your note to" in page.text
    # The choice of what the note is about says so in words (it read "About their").
    assert "About their" not in page.text and "What the note is about" in page.text
    form = FORM | {"impact": "  ", "situation": "Kept as typed", "receiver_id": str(receiver)}
    answer = client.post(f"/circles/{circle}/notes", data=form | {"csrf_token": csrf})
    assert answer.status_code == 422
    assert field_error(answer.text, f"give-{receiver}-impact") == "Must not be empty."
    assert "Kept as typed" in answer.text
    sent = client.post(
        f"/circles/{circle}/notes",
        data=FORM | {"receiver_id": str(receiver), "csrf_token": csrf},
        follow_redirects=False,
    )
    assert sent.status_code == 303 and sent.headers["location"].endswith("notice=note")
    again = client.post(
        f"/circles/{circle}/notes", data=FORM | {"receiver_id": str(receiver), "csrf_token": csrf}
    )
    assert again.status_code == 409 and "already gave" in again.text
    # Having written, they cannot skip the round any more.
    skipped = client.post(f"/circles/{circle}/skip", data={"csrf_token": csrf})
    assert skipped.status_code == 409


def test_the_receiver_acknowledges_and_replies_and_the_lead_reads_counts_only(
    client: TestClient,
    world: dict,  # type: ignore[type-arg]
) -> None:
    team, circle, note = world["team"], world["circle"], world["note"]
    csrf = _as(client, team.members[0].email)
    page = client.get(f"/circles/{circle}").text
    assert "In the retro" in page
    blank = client.post(
        f"/circles/{circle}/reply",
        data={"note_id": str(note), "kind": "question", "text": "", "csrf_token": csrf},
    )
    assert blank.status_code == 422
    assert field_error(blank.text, f"reply-{note}-text") == "Must not be empty."
    ok = client.post(
        f"/circles/{circle}/reply",
        data={"note_id": str(note), "kind": "question", "text": "What next?", "csrf_token": csrf},
        follow_redirects=False,
    )
    assert ok.status_code == 303
    assert "What next?" in client.get(f"/circles/{circle}").text
    _as(client, team.lead.email)
    lead = client.get(f"/circles/{circle}/participation")
    assert lead.status_code == 200 and "In the retro" not in lead.text
    cells = re.findall(r"<td>(\d+)</td>", lead.text)
    assert cells[:2] == ["1", "5"]  # round 1, five taking part
    assert client.get(f"/circles/{circle}").status_code == 403


def test_admin_refusals_name_the_field(
    client: TestClient,
    world: dict,  # type: ignore[type-arg]
) -> None:
    circle = world["circle"]
    csrf = _as(client, *ADMIN)
    page = client.get(f"/admin/circles/{circle}")
    assert page.status_code == 200 and "In the retro" not in page.text
    bad = client.post(
        f"/admin/circles/{circle}/settings",
        data={
            "cadence_days": "0",
            "receivers_per_giver": "1",
            "anonymous": "no",
            "csrf_token": csrf,
        },
    )
    assert bad.status_code == 422
    assert field_error(bad.text, "set-cadence") == "Must be between 1 and 365 days."
    unknown = client.post(
        f"/admin/circles/{circle}/members", data={"employee_id": "E-nobody", "csrf_token": csrf}
    )
    assert unknown.status_code == 422 and "E-nobody" in unknown.text
    ok = client.post(
        f"/admin/circles/{circle}/settings",
        data={
            "cadence_days": "7",
            "receivers_per_giver": "1",
            "anonymous": "yes",
            "csrf_token": csrf,
        },
        follow_redirects=False,
    )
    assert ok.status_code == 303


def test_a_huge_circle_id_is_refused_not_sent_to_the_database(
    client: TestClient,
    world: dict,  # type: ignore[type-arg]
) -> None:
    team = world["team"]
    _as(client, team.members[0].email)
    huge = 10**12  # past the database's integers: PostgreSQL would fail on it
    member = client.get(f"/circles/{huge}")
    assert member.status_code == 422 and "Back to the start page" in member.text
    client.cookies.clear()
    sign_in(client, *ADMIN)
    admin = client.get(f"/admin/circles/{huge}")
    assert admin.status_code == 422 and "Back to the start page" in admin.text
