"""A real OpenID Connect provider on loopback (oidc-provider-mock, a Flask app on a
werkzeug server in a thread) and a browser's walk through its redirect.

The provider signs real ID tokens with its own keys and publishes discovery and JWKS
documents; the app under test talks to it over HTTP like to any company's provider.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import parse_qs, urlsplit

import httpx
from fastapi.testclient import TestClient
from httpx import Response
from oidc_provider_mock import app as provider_app
from werkzeug.serving import make_server


@contextmanager
def running_provider() -> Iterator[str]:
    """The issuer URL of a provider that lets anyone through who names a subject."""
    server = make_server("127.0.0.1", 0, provider_app(require_nonce=True), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


def set_user(issuer: str, subject: str, **claims: object) -> None:
    """What the provider says about `subject` in its ID tokens and userinfo."""
    httpx.put(f"{issuer}/users/{subject}", json=claims, timeout=10).raise_for_status()


def through_provider(client: TestClient, subject: str, next_url: str = "/") -> Response:
    """Click the company button, sign in at the provider as `subject`, and come back:
    the app's answer to the callback (not followed further)."""
    to_provider = client.get("/login/sso", params={"next": next_url}, follow_redirects=False)
    assert to_provider.status_code == 303, to_provider.text
    authorize = to_provider.headers["location"]
    back = httpx.post(authorize, data={"sub": subject}, follow_redirects=False, timeout=10)
    assert back.status_code == 302, back.text
    return client.get(callback_path(back.headers["location"]), follow_redirects=False)


def callback_path(location: str) -> str:
    parts = urlsplit(location)
    assert parts.path == "/login/sso/callback", location
    return f"{parts.path}?{parts.query}"


def query_of(location: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}
