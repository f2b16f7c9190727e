"""Only a pairing's members reach its pages: a participant of another pairing and an
admin get 403 on every page and every form of it, and read none of what it holds."""

# ruff: noqa: F811 (tests take the imported `pairings` fixture as an argument)
from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session

from peermentor.services.workspace.proposals import accept_proposal
from tests.store.workspace.factories import participant
from tests.web.access_matrix import MATRIX
from tests.web.test_participant_flow import (
    Pairings,
    pairings,  # noqa: F401 (the fixture)
    text_of,
)

SECRET = "planted-secret-7f3a"
PAIRING_ROUTES = sorted(route for route in MATRIX if route[1].startswith("/pairings/"))


def activate(pairings: Pairings, session: Session) -> None:
    """Both members accept (through the service: the pages are tested elsewhere)."""
    for name in ("ana", "kim"):
        accept_proposal(
            session, participant(pairings.people[name]), pairings.pairing_id, datetime.now(UTC)
        )


def test_the_table_lists_every_pairing_page() -> None:
    assert len(PAIRING_ROUTES) >= 30


@pytest.mark.parametrize("who", ["omar", "admin"])
def test_outsider_and_admin_get_403_on_every_pairing_page(
    pairings: Pairings, session: Session, who: str
) -> None:
    activate(pairings, session)
    ana = pairings.sign_in("ana")
    ana.submit(pairings.url("charter"), purpose=f"Our purpose {SECRET}", cadence="weekly")
    ana.submit(pairings.url("vision"), horizon_years="4", statement=f"Vision {SECRET}")
    stranger = pairings.sign_in(who)
    for method, template in PAIRING_ROUTES:
        path = template.replace("{pairing_id}", str(pairings.pairing_id))
        if method == "GET":
            response = stranger.client.get(path, follow_redirects=False)
        else:
            response = stranger.post(path, purpose="hijack", gap_id="1", request_id="1")
        assert response.status_code == 403, (who, method, path, response.status_code)
        assert SECRET not in response.text
    # Nothing they posted changed the pairing.
    assert "hijack" not in ana.get(pairings.url("charter"))


def test_a_member_of_another_pairing_reaches_their_own(pairings: Pairings) -> None:
    omar = pairings.sign_in("omar")
    page = text_of(omar.get(pairings.url(pairing_id=pairings.other_pairing_id)))
    assert "With Sam Ito" in page


def test_an_admin_is_sent_from_the_dashboard_to_the_admin_pages(pairings: Pairings) -> None:
    admin = pairings.sign_in("admin")
    response = admin.client.get("/", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/admin/programs"


def test_an_unknown_pairing_is_404_and_anonymous_is_sent_to_sign_in(pairings: Pairings) -> None:
    ana = pairings.sign_in("ana")
    assert ana.client.get("/pairings/999999/charter").status_code == 404
    anonymous = pairings.sign_in("ana").client
    anonymous.cookies.clear()
    response = anonymous.get(pairings.url("charter"), follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login?next=")


def test_a_form_without_the_csrf_token_is_refused(pairings: Pairings, session: Session) -> None:
    activate(pairings, session)
    ana = pairings.sign_in("ana")
    response = ana.client.post(pairings.url("charter"), data={"purpose": "x"})
    assert response.status_code == 403
    assert "Nobody has written the charter yet" in ana.get(pairings.url("charter"))
