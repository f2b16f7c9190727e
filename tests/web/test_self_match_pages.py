"""Choosing one's own peer through the pages: an admin lets people choose, a
participant sees suggestions (no score), asks one; the asked person accepts and both
land in a live pairing; a decline reads 'Not taken up' to the one who asked; a refusal
re-renders the page with its sentence and status; a programme the admins match says
there is no choosing."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from peermentor.demo_org import demo_people_csv
from peermentor.services.access import SYSTEM
from peermentor.services.people import import_people
from peermentor.services.users import create_program_admin, create_user
from peermentor.store.models import Pairing, PairingMember, Person
from tests.programs import pid
from tests.web.conftest import csrf_of, sign_in

LEAD = ("lead@example.com", "lead-password-1")
PASSWORD = "a-long-and-unusual-passphrase-42"
ASK = re.compile(r'name="person_id" value="(\d+)"')


@pytest.fixture
def program_id(client: TestClient, session: Session) -> int:
    import_people(session, SYSTEM, "Choosers", demo_people_csv(10, seed=5).encode())
    create_program_admin(session, SYSTEM, *LEAD, "Choosers")
    session.commit()
    return pid(session, "Choosers")


def person(session: Session, person_id: int) -> Person:
    found = session.get(Person, person_id)
    assert found is not None
    return found


def account_for(session: Session, person_id: int) -> str:
    """An account for the person; returns their address."""
    email = person(session, person_id).email
    create_user(session, SYSTEM, email, PASSWORD, person_id=person_id)
    session.commit()
    return email


def first_person(session: Session, program_id: int) -> int:
    """Someone who can be paired (the first is the chief executive, everyone's manager)."""
    people = session.scalars(select(Person).order_by(Person.id)).all()
    return people[3].id


def set_mode(client: TestClient, program_id: int, mode: str, **fields: str) -> None:
    csrf = sign_in(client, *LEAD)
    page = client.get(f"/admin/programs/{program_id}/settings")
    assert "How people are matched" in page.text
    saved = client.post(
        f"/admin/programs/{program_id}/settings/self-match",
        data={"csrf_token": csrf, "mode": mode, "reply_days": "7", "suggestions": "4"} | fields,
    )
    assert saved.status_code == 200, saved.text
    assert "Saved: People choose their own peer." in saved.text
    assert "0 pairings made by choosing, 0 requests waiting" in saved.text
    client.post("/logout", data={"csrf_token": csrf})


def ask_first(client: TestClient, program_id: int, email: str) -> tuple[str, int]:
    """Sign in as `email`, ask the first suggestion; returns the CSRF token and whom."""
    csrf = sign_in(client, email, PASSWORD)
    home = client.get("/")
    assert f'href="/programmes/{program_id}/choose"' in home.text
    page = client.get(f"/programmes/{program_id}/choose")
    assert page.status_code == 200
    assert "Why you two" in page.text and "What they would read" in page.text
    assert "score" not in page.text.lower()
    asked = int(ASK.findall(page.text)[0])
    sent = client.post(
        f"/programmes/{program_id}/choose/ask",
        data={"csrf_token": csrf, "person_id": str(asked)},
    )
    assert sent.status_code == 200 and "Your request is sent." in sent.text
    assert "Waiting for an answer" in sent.text
    return csrf, asked


def request_id_in(html: str) -> int:
    found = re.search(r"/choose/requests/(\d+)/accept", html)
    assert found, html
    return int(found.group(1))


def test_asked_person_accepts_and_both_land_in_a_live_pairing(
    client: TestClient, session: Session, program_id: int
) -> None:
    set_mode(client, program_id, "self")
    ana = first_person(session, program_id)
    csrf, asked = ask_first(client, program_id, account_for(session, ana))
    client.post("/logout", data={"csrf_token": csrf})

    csrf = sign_in(client, account_for(session, asked), PASSWORD)
    page = client.get(f"/programmes/{program_id}/choose")
    assert person(session, ana).name in page.text and "Asks you to be their peer" in page.text
    request_id = request_id_in(page.text)
    answered = client.post(
        f"/programmes/{program_id}/choose/requests/{request_id}/accept",
        data={"csrf_token": csrf},
        follow_redirects=False,
    )
    assert answered.status_code == 303
    workspace = answered.headers["location"]
    assert re.fullmatch(r"/pairings/\d+\?notice=chosen", workspace)
    landed = client.get(workspace)
    assert landed.status_code == 200 and "you two are peers now" in landed.text
    pairing_id = int(workspace.split("/")[2].split("?")[0])
    pairing = session.get(Pairing, pairing_id)
    assert pairing is not None
    session.refresh(pairing)
    assert pairing.state == "active"
    members = set(
        session.scalars(
            select(PairingMember.person_id).where(PairingMember.pairing_id == pairing_id)
        )
    )
    assert members == {ana, asked}
    client.post("/logout", data={"csrf_token": csrf})

    # The asker reads it accepted and reaches the same pairing.
    sign_in(client, person(session, ana).email, PASSWORD)
    page = client.get(f"/programmes/{program_id}/choose")
    assert "Accepted" in page.text and f'href="/pairings/{pairing_id}"' in page.text
    assert client.get(f"/pairings/{pairing_id}").status_code == 200
    # The admins see a count, not who.
    csrf = csrf_of(page.text)
    client.post("/logout", data={"csrf_token": csrf})
    sign_in(client, *LEAD)
    settings = client.get(f"/admin/programs/{program_id}/settings")
    assert "1 pairing made by choosing" in settings.text


def test_a_decline_reads_not_taken_up_to_the_asker(
    client: TestClient, session: Session, program_id: int
) -> None:
    set_mode(client, program_id, "self")
    ana = first_person(session, program_id)
    csrf, asked = ask_first(client, program_id, account_for(session, ana))
    client.post("/logout", data={"csrf_token": csrf})

    csrf = sign_in(client, account_for(session, asked), PASSWORD)
    page = client.get(f"/programmes/{program_id}/choose")
    request_id = request_id_in(page.text)
    declined = client.post(
        f"/programmes/{program_id}/choose/requests/{request_id}/decline",
        data={"csrf_token": csrf},
    )
    assert declined.status_code == 200 and "You declined. Nobody else is told." in declined.text
    client.post("/logout", data={"csrf_token": csrf})

    sign_in(client, person(session, ana).email, PASSWORD)
    page = client.get(f"/programmes/{program_id}/choose")
    assert "Not taken up" in page.text
    assert "declined" not in page.text.lower()
    # The one who declined is not suggested again.
    assert str(asked) not in ASK.findall(page.text)


def test_withdraw_then_a_refusal_re_renders_with_its_status(
    client: TestClient, session: Session, program_id: int
) -> None:
    set_mode(client, program_id, "self")
    ana = first_person(session, program_id)
    csrf, asked = ask_first(client, program_id, account_for(session, ana))
    # A second request while one is open: refused on the page itself, 409.
    page = client.get(f"/programmes/{program_id}/choose")
    assert "wait for their answer or withdraw it" in page.text
    others = [p for p in ASK.findall(page.text) if int(p) != asked]
    again = client.post(
        f"/programmes/{program_id}/choose/ask",
        data={"csrf_token": csrf, "person_id": others[0] if others else str(asked)},
    )
    assert again.status_code == 409
    assert "<h1>Choose your peer in Choosers</h1>" in again.text
    assert 'class="error" role="alert"' in again.text
    # Asking oneself: 403; a person id that is not a number: 422.
    mine = client.post(
        f"/programmes/{program_id}/choose/ask", data={"csrf_token": csrf, "person_id": str(ana)}
    )
    assert mine.status_code in (403, 409)
    bad = client.post(
        f"/programmes/{program_id}/choose/ask", data={"csrf_token": csrf, "person_id": "x"}
    )
    assert bad.status_code == 422 and "Choose one of your suggestions." in bad.text
    # Withdraw, then withdrawing again is refused (409) with the page.
    sent = re.search(r"/choose/requests/(\d+)/withdraw", page.text)
    assert sent
    url = f"/programmes/{program_id}/choose/requests/{sent.group(1)}/withdraw"
    done = client.post(url, data={"csrf_token": csrf})
    assert done.status_code == 200 and "Your request is withdrawn" in done.text
    twice = client.post(url, data={"csrf_token": csrf})
    assert twice.status_code == 409 and "This request is closed already." in twice.text
    # Someone else's request: not found.
    other = client.post(
        f"/programmes/{program_id}/choose/requests/{sent.group(1)}/accept",
        data={"csrf_token": csrf},
    )
    assert other.status_code == 404


def test_a_programme_matched_by_admins_says_there_is_no_choosing(
    client: TestClient, session: Session, program_id: int
) -> None:
    ana = first_person(session, program_id)
    csrf = sign_in(client, account_for(session, ana), PASSWORD)
    home = client.get("/")
    assert "/choose" not in home.text
    page = client.get(f"/programmes/{program_id}/choose")
    assert page.status_code == 200
    assert "admins match everyone: there is no choosing here" in page.text
    assert not ASK.findall(page.text)
    refused = client.post(
        f"/programmes/{program_id}/choose/ask", data={"csrf_token": csrf, "person_id": "1"}
    )
    assert refused.status_code == 409
    assert "there is no choosing here" in refused.text


def test_admin_settings_refuse_a_window_without_a_day_and_a_run_while_choosing(
    client: TestClient, session: Session, program_id: int
) -> None:
    csrf = sign_in(client, *LEAD)
    url = f"/admin/programs/{program_id}/settings/self-match"
    refused = client.post(
        url, data={"csrf_token": csrf, "mode": "both", "reply_days": "7", "suggestions": "5"}
    )
    assert refused.status_code == 422
    assert "The last day people may choose." in refused.text
    assert 'value="both" checked' in refused.text
    saved = client.post(
        url,
        data={
            "csrf_token": csrf,
            "mode": "both",
            "window_ends": "2099-01-01",
            "reply_days": "7",
            "suggestions": "5",
        },
    )
    # More than a year ahead: refused next to the date.
    assert saved.status_code == 422 and "days ahead" in saved.text
    from datetime import UTC, datetime, timedelta

    ends = (datetime.now(UTC).date() + timedelta(days=10)).isoformat()
    saved = client.post(
        url,
        data={
            "csrf_token": csrf,
            "mode": "both",
            "window_ends": ends,
            "reply_days": "3",
            "suggestions": "5",
        },
    )
    assert saved.status_code == 200 and f"Choosing is open until {ends}" in saved.text
    # A run while people choose is refused with the window's sentence.
    run = client.post(f"/admin/programs/{program_id}/match", data={"csrf_token": csrf})
    assert f"the self-match window is open until {ends}" in run.text.replace("&#39;", "'")
    # A participant reads the window's last day, and may ask.
    client.post("/logout", data={"csrf_token": csrf})
    sign_in(client, account_for(session, first_person(session, program_id)), PASSWORD)
    page = client.get(f"/programmes/{program_id}/choose")
    assert f"You may choose your peer until {ends}" in page.text
    assert ASK.findall(page.text)
