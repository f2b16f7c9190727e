"""Forwarded headers are believed only from PEERMENTOR_TRUSTED_PROXIES (issue 9, finding 5):
otherwise a client picks the address that login throttling counts against."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

PROXY = ("127.0.0.1", 40000)


def app_behind(client: TestClient, trusted: str) -> FastAPI:
    app: FastAPI = client.app  # type: ignore[assignment]
    app.state.settings = app.state.settings.model_copy(update={"trusted_proxies": trusted})
    app.middleware_stack = None  # rebuilt with the new settings on the next request

    def seen(request: Request) -> dict[str, str | None]:
        return {
            "client": request.client.host if request.client else None,
            "scheme": request.url.scheme,
        }

    app.add_api_route("/seen-for-test", seen)
    return app


def seen_with(app: FastAPI, forwarded_for: str) -> dict[str, str]:
    with TestClient(app, base_url="http://testserver", client=PROXY) as peer:
        headers = {"x-forwarded-for": forwarded_for, "x-forwarded-proto": "https"}
        return peer.get("/seen-for-test", headers=headers).json()


def test_without_trusted_proxies_a_forwarded_address_is_ignored(client: TestClient) -> None:
    app = app_behind(client, "")
    seen = [seen_with(app, f"203.0.113.{n}") for n in (1, 2)]
    assert seen == [{"client": "127.0.0.1", "scheme": "http"}] * 2


def test_a_trusted_proxy_passes_on_the_client_address_and_scheme(client: TestClient) -> None:
    app = app_behind(client, "10.0.0.0/8, 127.0.0.1")
    assert seen_with(app, "203.0.113.7") == {"client": "203.0.113.7", "scheme": "https"}
    # The nearest address that is not a trusted proxy: a client cannot prepend its own.
    assert seen_with(app, "198.51.100.1, 203.0.113.8, 10.1.2.3")["client"] == "203.0.113.8"


def test_a_proxy_not_on_the_list_is_not_believed(client: TestClient) -> None:
    app = app_behind(client, "10.0.0.5")
    assert seen_with(app, "203.0.113.9")["client"] == "127.0.0.1"
