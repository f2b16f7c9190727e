"""Security headers on every answer (issue 9, finding 4): CSP with a nonce, framing,
sniffing, referrer, HSTS with Secure cookies, no-store on private pages and exports,
the same on error pages, and API docs that work offline within their own policy."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from peermentor.demo_org import demo_people_csv
from peermentor.services.access import SYSTEM
from peermentor.services.auth import invite_person
from peermentor.services.people import import_people
from peermentor.store.models import Person
from peermentor.web.deps import now
from tests.web.conftest import ADMIN, PEER, sign_in
from tests.web.test_admin_pages import create_programme, upload

TEMPLATES = Path(__file__).resolve().parents[2] / "src/peermentor/web/templates"


def csp(response) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The Content-Security-Policy as {directive: sources}."""
    policy = response.headers["content-security-policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";"))


def assert_protected(response) -> None:  # type: ignore[no-untyped-def]
    policy = csp(response)
    assert policy["frame-ancestors"] == "'none'"
    assert "'unsafe-inline'" not in policy["script-src"]
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"


def test_the_login_page_forbids_framing_sniffing_and_inline_script(client: TestClient) -> None:
    page = client.get("/login")
    assert_protected(page)
    policy = csp(page)
    assert policy["default-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'" and policy["base-uri"] == "'none'"


def test_every_answer_gets_a_fresh_nonce(client: TestClient) -> None:
    first, second = (csp(client.get("/login"))["script-src"] for _ in range(2))
    assert re.fullmatch(r"'self' 'nonce-[\w-]{16,}'", first)
    assert first != second


def test_signed_in_pages_are_never_stored(client: TestClient) -> None:
    sign_in(client, *PEER)
    for path in ("/", "/account/password"):
        response = client.get(path)
        assert response.status_code == 200
        assert_protected(response)
        assert response.headers["cache-control"] == "no-store"


def test_exports_are_never_stored(client: TestClient) -> None:
    csrf = sign_in(client, *ADMIN)
    program_id = create_programme(client, csrf)
    people = demo_people_csv(4, seed=4)
    assert upload(client, csrf, program_id, people).status_code == 200
    export = client.get(f"/admin/programs/{program_id}/people.csv")
    assert export.status_code == 200 and export.text.count("@example.com") >= 4
    assert export.headers["cache-control"] == "no-store"
    assert export.headers["x-content-type-options"] == "nosniff"


def test_an_invitation_link_is_never_stored_nor_sent_on_as_referrer(
    client: TestClient, session: Session
) -> None:
    csv = "employee_id,name,email,years_experience\nE7,Kim Park,kim@example.com,5\n"
    import_people(session, SYSTEM, "Cohort", csv.encode())
    kim = session.scalar(select(Person).where(Person.employee_id == "E7"))
    assert kim is not None
    page = client.get(f"/invite/{invite_person(session, SYSTEM, kim.id, now())}")
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["referrer-policy"] == "no-referrer"


def test_error_pages_carry_the_headers_too(client: TestClient) -> None:
    missing = client.get("/no/such/page")
    assert missing.status_code == 404
    assert_protected(missing)
    assert missing.headers["cache-control"] == "no-store"

    def broken() -> None:
        raise RuntimeError("a bug")

    client.app.add_api_route("/broken-for-test", broken)  # type: ignore[attr-defined]
    crashing = TestClient(client.app, base_url="https://testserver", raise_server_exceptions=False)
    failed = crashing.get("/broken-for-test")
    assert failed.status_code == 500
    assert_protected(failed)
    assert failed.headers["strict-transport-security"].startswith("max-age=")


def test_hsts_comes_with_secure_cookies_only(client: TestClient) -> None:
    assert "max-age=31536000" in client.get("/login").headers["strict-transport-security"]
    client.app.state.settings = client.app.state.settings.model_copy(  # type: ignore[attr-defined]
        update={"insecure_cookies": True}
    )
    client.app.middleware_stack = None  # type: ignore[attr-defined]  # rebuilt on next call
    assert "strict-transport-security" not in client.get("/login").headers


def test_static_files_may_be_cached_but_not_sniffed(client: TestClient) -> None:
    css = client.get("/static/app.css")
    assert css.status_code == 200
    assert "no-store" not in css.headers.get("cache-control", "")
    assert css.headers["x-content-type-options"] == "nosniff"


def test_api_docs_load_from_this_server_with_nonced_scripts(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    policy = csp(page)
    nonce = re.search(r"'nonce-([\w-]+)'", policy["script-src"])
    assert nonce is not None
    scripts = re.findall(r"<script[^>]*>", page.text)
    assert scripts and all(f'nonce="{nonce.group(1)}"' in tag for tag in scripts)
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert assets and all(url.startswith("/") for url in assets), assets  # no CDN
    for url in assets:
        assert client.get(url).status_code == 200, url
    redoc = client.get("/redoc")
    assert redoc.status_code == 200 and "https://" not in redoc.text
    assert "'unsafe-inline'" not in csp(redoc)["script-src"]


@pytest.mark.parametrize("template", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: p.name)
def test_templates_use_nothing_the_policy_forbids(template: Path) -> None:
    """No inline style, no event-handler attributes, and a nonce on every <script>."""
    html = template.read_text(encoding="utf-8")
    assert not re.search(r"\sstyle\s*=", html)
    assert not re.search(r"\son[a-z]+\s*=", html)
    for tag in re.findall(r"<script[^>]*>", html):
        assert 'nonce="{{ csp_nonce }}"' in tag
