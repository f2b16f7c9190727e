"""The audit log page: organisation admins read and filter it; nobody else does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from peermentor.services import audit
from peermentor.services.access import SYSTEM
from peermentor.services.programs import create_program
from peermentor.services.users import create_program_admin
from tests.web.conftest import ADMIN, PEER, csrf_of, sign_in

LEAD = ("lead.page@example.com", "lead-password-123")


def test_the_admin_nav_links_the_log_and_it_shows_who_signed_in(client: TestClient) -> None:
    sign_in(client, *ADMIN)
    programmes = client.get("/admin/programs")
    assert 'href="/admin/audit"' in programmes.text
    page = client.get("/admin/audit")
    assert page.status_code == 200
    assert "Audit log" in page.text and "Signed in" in page.text and ADMIN[0] in page.text
    assert page.headers["content-type"].startswith("text/html")


def test_filters_by_action_actor_and_since(client: TestClient, session: Session) -> None:
    form = client.get("/login")
    client.post(
        "/login",
        data={"email": PEER[0], "password": "wrong-password", "csrf_token": csrf_of(form.text)},
    )
    sign_in(client, *ADMIN)
    failed = client.get("/admin/audit", params={"action": "sign_in.failed"})
    assert 'title="sign_in.failed"' in failed.text
    assert '<td data-label="To what">user ' in failed.text
    assert 'title="sign_in"' not in failed.text
    mine = client.get("/admin/audit", params={"actor": ADMIN[0].upper()})
    assert 'title="sign_in"' in mine.text and 'title="sign_in.failed"' not in mine.text
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
    later = client.get("/admin/audit", params={"since": tomorrow})
    assert "No entry matches these filters." in later.text


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"since": "yesterday"}, "since: &#39;yesterday&#39; is not a date"),
        ({"page": "100000000000000000000"}, "page: a whole number from 1"),
        ({"page": "-1"}, "page: a whole number from 1"),
        ({"action": "people.deleted"}, "action: &#39;people.deleted&#39; is not one of"),
    ],
)
def test_bad_filters_are_a_clear_422_not_a_crash(
    client: TestClient, params: dict[str, str], message: str
) -> None:
    sign_in(client, *ADMIN)
    page = client.get("/admin/audit", params=params)
    assert page.status_code == 422
    assert message in page.text


def test_pages_of_fifty_keep_the_filters(client: TestClient, session: Session) -> None:
    program = create_program(session, SYSTEM, "Paged cohort")
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for minute in range(60):
        audit.record(
            session,
            SYSTEM,
            "match.run",
            program_id=program.id,
            details={"pairings": minute},
            now=start + timedelta(minutes=minute),
        )
    session.commit()
    sign_in(client, *ADMIN)
    first = client.get("/admin/audit", params={"action": "match.run"})
    assert "60 entries · page 1 of 2" in first.text
    assert first.text.count('title="match.run"') == 50
    assert 'href="?action=match.run&amp;page=2"' in first.text
    second = client.get("/admin/audit", params={"action": "match.run", "page": "2"})
    assert second.text.count('title="match.run"') == 10
    assert "pairings 0" in second.text and "Paged cohort" in second.text
    assert 'href="?action=match.run&amp;page=1"' in second.text


def test_programme_admins_and_participants_are_refused(
    client: TestClient, session: Session
) -> None:
    create_program(session, SYSTEM, "Their cohort")
    create_program_admin(session, SYSTEM, LEAD[0], LEAD[1], "Their cohort")
    session.commit()
    for email, password in (LEAD, PEER):
        sign_in(client, email, password)
        assert client.get("/admin/audit").status_code == 403
        assert 'href="/admin/audit"' not in client.get("/account/password").text
