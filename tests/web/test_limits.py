"""Request body limits: a body over its limit is refused with 413 before anything parses
it, as a page for pages and as the API's JSON error for /api; the people upload has its
own, larger limit; bad limit settings stop the start naming the variable."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import Body, Form
from fastapi.testclient import TestClient

from peermentor.config import Settings, SettingsError, load_settings
from peermentor.demo_org import demo_people_csv
from tests.web.conftest import ADMIN, csrf_of, sign_in
from tests.web.test_admin_pages import create_programme, upload

MiB = 1 << 20


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        database_url="sqlite:///unused.db",
        secret_key_file=tmp_path / "secret",
        max_request_bytes=MiB,
        max_upload_bytes=4 * MiB,
    )


@pytest.fixture
def probes(client: TestClient) -> list[str]:
    """Two endpoints that note each call once FastAPI has parsed their body."""
    calls: list[str] = []

    def page_probe(text: str = Form("")) -> dict[str, str]:
        calls.append("page")
        return {"ok": "yes"}

    def api_probe(payload: Any = Body(None)) -> dict[str, str]:
        calls.append("api")
        return {"ok": "yes"}

    client.app.add_api_route("/probe", page_probe, methods=["POST"])  # type: ignore[attr-defined]
    client.app.add_api_route("/api/probe", api_probe, methods=["POST"])  # type: ignore[attr-defined]
    return calls


def chunks(total: int, size: int = 64 * 1024) -> Iterator[bytes]:
    """A body sent without Content-Length (chunked), as a client streaming it would."""
    sent = 0
    while sent < total:
        yield b"x" * min(size, total - sent)
        sent += size


def test_a_20_mib_form_is_refused_unread_with_a_page(client: TestClient, probes: list[str]) -> None:
    response = client.post(
        "/probe",
        content=b"text=" + b"x" * (20 * MiB),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("text/html")
    assert "larger than the limit of 1 MiB" in response.text
    assert probes == []


def test_a_20_mib_json_body_is_refused_unread_with_the_api_error_shape(
    client: TestClient, probes: list[str]
) -> None:
    body = b'{"text": "' + b"x" * (20 * MiB) + b'"}'
    response = client.post("/api/probe", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.json() == {"detail": "The request is larger than the limit of 1 MiB."}
    assert probes == []


def test_a_chunked_body_is_counted_as_it_streams_and_cut_off(
    client: TestClient, probes: list[str]
) -> None:
    response = client.post(
        "/api/probe", content=chunks(20 * MiB), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert "detail" in response.json()
    response = client.post(
        "/probe",
        content=chunks(3 * MiB),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 413 and "Too large" in response.text
    assert probes == []


def test_bodies_under_the_limit_are_served(client: TestClient, probes: list[str]) -> None:
    assert client.post("/probe", data={"text": "x" * 1000}).status_code == 200
    assert client.post("/api/probe", json={"text": "x" * 1000}).status_code == 200
    assert probes == ["page", "api"]


def test_the_people_upload_has_its_own_limit(client: TestClient) -> None:
    csrf = sign_in(client, *ADMIN)
    program_id = create_programme(client, csrf)
    big = demo_people_csv(3000, seed=2)  # about 1.5 MiB: over the form limit
    assert MiB < len(big.encode()) < 4 * MiB
    response = upload(client, csrf, program_id, big)
    assert response.status_code == 200
    assert "Imported 3000 people" in response.text
    too_big = big + big.split("\n", 1)[1] * 2  # about 4.5 MiB: over the upload limit
    response = upload(client, csrf, program_id, too_big)
    assert response.status_code == 413
    assert "larger than the limit of 4 MiB" in response.text
    overview = client.get(f"/admin/programs/{program_id}").text
    assert "3,000 people enrolled" in overview and csrf_of(overview)
    too_long_form = client.post(
        "/admin/programs", data={"name": "x" * (2 * MiB), "csrf_token": csrf}
    )
    assert too_long_form.status_code == 413


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("PEERMENTOR_MAX_REQUEST_BYTES", "lots"),
        ("PEERMENTOR_MAX_REQUEST_BYTES", "0"),
        ("PEERMENTOR_MAX_UPLOAD_BYTES", "-5"),
        ("PEERMENTOR_MAX_UPLOAD_BYTES", "1.5MB"),
    ],
)
def test_a_bad_limit_stops_the_start_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError, match=variable):
        load_settings()


def test_the_413_page_keeps_the_header_of_whoever_is_signed_in(
    client: TestClient, probes: list[str]
) -> None:
    from tests.web.conftest import PEER, sign_in

    sign_in(client, *PEER)
    response = client.post(
        "/probe",
        content=b"x" * (3 * MiB),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 413 and "Too large" in response.text
    assert PEER[0] in response.text and ">Sign out</button>" in response.text
    assert probes == []
