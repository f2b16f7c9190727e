"""Who the API is talking to: a script with a personal API token needs no CSRF token;
a browser session must send X-CSRF-Token on every change; nobody else gets in."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from peermentor.services.passwords import hash_password
from peermentor.services.users import find_user
from tests.api.conftest import Api
from tests.web.conftest import sign_in

PASSWORD = "ana-password-12"


def _browser(api: Api, session: Session) -> tuple[TestClient, str]:
    """ana signed in through the login form: a cookie client and its CSRF token."""
    user = find_user(session, api.world.people["ana"].email)
    assert user is not None
    user.password_hash = hash_password(PASSWORD)
    session.commit()
    client = TestClient(api.app, base_url="https://testserver")
    return client, sign_in(client, user.email, PASSWORD)


def test_a_script_with_an_api_token_changes_things_without_csrf(proposed_api: Api) -> None:
    response = proposed_api.client("ana").post(proposed_api.pairing("/accept"))
    assert response.status_code == 200, response.text


def test_a_cookie_caller_without_the_csrf_header_is_refused_a_change(
    proposed_api: Api, session: Session
) -> None:
    browser, csrf = _browser(proposed_api, session)
    accept = proposed_api.pairing("/accept")
    assert browser.get(proposed_api.pairing()).status_code == 200  # reads need no token
    refused = browser.post(accept)
    assert refused.status_code == 403 and "detail" in refused.json()
    assert browser.post(accept, headers={"X-CSRF-Token": "forged"}).status_code == 403
    assert browser.post(accept, headers={"X-CSRF-Token": csrf}).status_code == 200


def test_a_signed_in_user_makes_a_token_that_a_script_then_uses(
    proposed_api: Api, session: Session
) -> None:
    browser, csrf = _browser(proposed_api, session)
    made = browser.post("/api/me/tokens", json={"name": "cron"}, headers={"X-CSRF-Token": csrf})
    assert made.status_code == 201 and made.json()["name"] == "cron"
    script = TestClient(
        proposed_api.app,
        base_url="https://testserver",
        headers={"Authorization": f"Bearer {made.json()['token']}"},
    )
    assert script.post(proposed_api.pairing("/accept")).status_code == 200


def test_strangers_and_bad_tokens_get_401_in_json(proposed_api: Api) -> None:
    anonymous = TestClient(proposed_api.app, base_url="https://testserver")
    forged = TestClient(
        proposed_api.app, base_url="https://testserver", headers={"Authorization": "Bearer pm_x"}
    )
    for client in (anonymous, forged):
        for method, path in [("GET", proposed_api.pairing()), ("POST", "/api/me/tokens")]:
            response = client.request(method, path, json={"name": "x"})
            assert response.status_code == 401
            assert response.json() == {"detail": "sign in or send an API token"}


def test_a_token_cannot_mint_more_tokens(proposed_api: Api) -> None:
    refused = proposed_api.client("ana").post("/api/me/tokens", json={"name": "another"})
    assert refused.status_code == 403
    assert "signed-in session" in refused.json()["detail"]
    listed = proposed_api.client("ana").get("/api/me/tokens").json()
    assert [t["name"] for t in listed] == ["ana's script"]  # nothing was made


def test_an_owner_lists_and_revokes_a_token_and_the_script_is_shut_out_at_once(
    proposed_api: Api, session: Session
) -> None:
    browser, csrf = _browser(proposed_api, session)
    made = browser.post("/api/me/tokens", json={"name": "cron"}, headers={"X-CSRF-Token": csrf})
    secret = made.json()["token"]
    script = TestClient(
        proposed_api.app,
        base_url="https://testserver",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert script.get(proposed_api.pairing()).status_code == 200
    listed = browser.get("/api/me/tokens")
    assert listed.status_code == 200 and secret not in listed.text  # the secret is shown once
    cron = next(t for t in listed.json() if t["name"] == "cron")
    assert cron["revoked"] is False and cron["last_used_at"] is not None
    path = f"/api/me/tokens/{cron['token_id']}"
    assert browser.delete(path).status_code == 403  # a browser change needs its CSRF token
    # Someone else's token is not found, and stays working.
    assert proposed_api.client("outsider").delete(path).status_code == 404
    assert script.get(proposed_api.pairing()).status_code == 200
    revoked = browser.delete(path, headers={"X-CSRF-Token": csrf})
    assert revoked.status_code == 200 and revoked.json()["revoked"] is True
    assert script.get(proposed_api.pairing()).status_code == 401
    again = browser.delete(path, headers={"X-CSRF-Token": csrf})  # revoking twice is fine
    assert again.status_code == 200 and again.json()["revoked"] is True
    missing = browser.delete("/api/me/tokens/999999", headers={"X-CSRF-Token": csrf})
    assert missing.status_code == 404
