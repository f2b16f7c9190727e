"""A refusal page keeps the signed-in header: whoever is refused still sees their own
account, can sign out and has a way back to the start page (issue 13)."""

# ruff: noqa: F811 (tests take the imported `pairings` fixture as an argument)
from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.web.test_participant_access import activate
from tests.web.test_participant_flow import (
    Pairings,
    pairings,  # noqa: F401 (the fixture)
    text_of,
)


def header_of(html: str) -> str:
    match = re.search(r'<header class="site">(.*?)</header>', html, re.S)
    assert match, "the page has no site header"
    return match.group(1)


def assert_signed_in_header(html: str, email: str) -> None:
    header = header_of(html)
    assert f'<span class="who">{email}</span>' in header
    assert 'action="/logout"' in header and "Sign out" in header
    assert 'href="/account"' in header


def test_a_participant_refused_a_pairing_that_is_not_theirs_keeps_their_header(
    pairings: Pairings,
) -> None:
    omar = pairings.sign_in("omar")
    refused = omar.client.get(pairings.url(), follow_redirects=False)
    assert refused.status_code == 403
    assert "<h1>Not allowed</h1>" in refused.text
    assert_signed_in_header(refused.text, pairings.people["omar"].email)
    # Their own account, not the members' of the pairing they were refused.
    assert pairings.people["ana"].email not in refused.text
    assert '<a href="/">Back to the start page</a>' in refused.text


def test_not_found_and_not_possible_pages_keep_the_header(
    pairings: Pairings, session: Session
) -> None:
    activate(pairings, session)
    ana = pairings.sign_in("ana")
    email = pairings.people["ana"].email

    missing = ana.client.get(pairings.url(pairing_id=987_654), follow_redirects=False)
    assert missing.status_code == 404
    assert_signed_in_header(missing.text, email)

    too_early = ana.post(pairings.url("charter/agree"))
    assert too_early.status_code == 409
    assert "nobody has written it yet" in text_of(too_early.text)
    assert_signed_in_header(too_early.text, email)


def test_an_unknown_address_is_a_page_with_the_header_and_the_api_keeps_json(
    pairings: Pairings,
) -> None:
    ana = pairings.sign_in("ana")
    page = ana.client.get("/no-such-page")
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "<h1>Not found</h1>" in page.text
    assert_signed_in_header(page.text, pairings.people["ana"].email)

    api = ana.client.get("/api/no-such-thing")
    assert api.status_code == 404 and api.json() == {"detail": "Not Found"}

    with TestClient(pairings.app, base_url="https://testserver") as anonymous:
        signed_out = anonymous.get("/no-such-page")
    assert signed_out.status_code == 404
    assert 'action="/logout"' not in signed_out.text
    assert '<a href="/">Back to the start page</a>' in signed_out.text
