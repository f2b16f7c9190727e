"""API tokens expire: 90 days unless chosen otherwise at creation (at most 365), shown
in the token list; a password change ends every token and every other session; logout
ends the browser's session only."""

from __future__ import annotations

from datetime import datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.api.conftest import Api
from tests.api.test_auth import PASSWORD, _browser
from tests.store.workspace.factories import NOW

NEW_PASSWORD = "a-new-password-9"


def script(api: Api, token: str) -> TestClient:
    return TestClient(
        api.app, base_url="https://testserver", headers={"Authorization": f"Bearer {token}"}
    )


def expiry(api: Api, client: TestClient, name: str) -> datetime:
    listed = client.get("/api/me/tokens").json()
    return datetime.fromisoformat(next(t["expires_at"] for t in listed if t["name"] == name))


def test_a_token_lasts_ninety_days_by_default_and_the_list_says_until_when(
    proposed_api: Api,
) -> None:
    ana = proposed_api.client("ana")
    assert expiry(proposed_api, ana, "ana's script") == NOW + timedelta(days=90)
    proposed_api.clock.move(days=89, hours=23)
    assert ana.get(proposed_api.pairing()).status_code == 200
    proposed_api.clock.move(hours=1)
    assert ana.get(proposed_api.pairing()).status_code == 401


def test_the_lifetime_is_chosen_at_creation_within_a_year(
    proposed_api: Api, session: Session
) -> None:
    browser, csrf = _browser(proposed_api, session)
    headers = {"X-CSRF-Token": csrf}
    week = browser.post(
        "/api/me/tokens", json={"name": "week", "expires_in_days": 7}, headers=headers
    )
    assert week.status_code == 201
    assert datetime.fromisoformat(week.json()["expires_at"]) == NOW + timedelta(days=7)
    assert expiry(proposed_api, browser, "week") == NOW + timedelta(days=7)
    for days in (0, 366, -1):
        refused = browser.post(
            "/api/me/tokens", json={"name": "x", "expires_in_days": days}, headers=headers
        )
        assert refused.status_code == 422, days
    proposed_api.clock.move(days=7)
    assert script(proposed_api, week.json()["token"]).get(proposed_api.pairing()).status_code == 401


def change_password(browser: TestClient, csrf: str):  # type: ignore[no-untyped-def]
    return browser.post(
        "/account/password",
        data={"current": PASSWORD, "new": NEW_PASSWORD, "repeat": NEW_PASSWORD, "csrf_token": csrf},
    )


def test_a_password_change_ends_every_token_and_every_other_session(
    proposed_api: Api, session: Session
) -> None:
    other_device, _ = _browser(proposed_api, session)
    browser, csrf = _browser(proposed_api, session)
    made = browser.post("/api/me/tokens", json={"name": "cron"}, headers={"X-CSRF-Token": csrf})
    cron = script(proposed_api, made.json()["token"])
    assert cron.get(proposed_api.pairing()).status_code == 200
    assert change_password(browser, csrf).status_code == 200
    assert cron.get(proposed_api.pairing()).status_code == 401
    assert proposed_api.client("ana").get(proposed_api.pairing()).status_code == 401
    assert other_device.get(proposed_api.pairing()).status_code == 401
    assert browser.get(proposed_api.pairing()).status_code == 200  # this browser stays in
    assert all(t["revoked"] for t in browser.get("/api/me/tokens").json())
    assert proposed_api.client("kim").get(proposed_api.pairing()).status_code == 200


def test_logout_ends_the_session_and_leaves_the_tokens_working(
    proposed_api: Api, session: Session
) -> None:
    browser, csrf = _browser(proposed_api, session)
    assert (
        browser.post("/logout", data={"csrf_token": csrf}, follow_redirects=False).status_code
        == 303
    )
    assert browser.get(proposed_api.pairing()).status_code == 401
    assert proposed_api.client("ana").get(proposed_api.pairing()).status_code == 200
