"""Company sign-in in a real browser: the button on the login page, the provider's own
page (a real OpenID provider on loopback), and back signed in, on a phone too."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.a11y import check_page
from tests.live.server import free_port, running_server
from tests.web.oidc_provider import running_provider, set_user

pytestmark = pytest.mark.e2e

PEOPLE = (
    "employee_id,name,email,years_experience\n"
    "E1,Kim Park,kim@example.com,5\n"
    "E2,Lee Chan,lee@example.com,3\n"
)
LABEL = "Sign in with Example Corp"


@pytest.fixture(scope="module")
def app_with_sso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    folder = tmp_path_factory.mktemp("sso-server")
    database = f"sqlite:///{folder / 'sso.db'}"
    people = folder / "people.csv"
    people.write_text(PEOPLE)
    env = os.environ | {
        "PEERMENTOR_DATABASE_URL": database,
        "PEERMENTOR_SECRET_KEY_FILE": str(folder / "secret"),
    }
    subprocess.run(
        [sys.executable, "-m", "peermentor", "people", "import", str(people), "--program", "Pilot"],
        env=env,
        cwd=folder,
        check=True,
        capture_output=True,
    )
    with running_provider() as issuer:
        sso = {
            "PEERMENTOR_OIDC_ISSUER": issuer,
            "PEERMENTOR_OIDC_CLIENT_ID": "peermentor-e2e",
            "PEERMENTOR_OIDC_CLIENT_SECRET": "any",
            "PEERMENTOR_OIDC_ALLOWED_DOMAINS": "example.com",
            "PEERMENTOR_OIDC_BUTTON_LABEL": LABEL,
        }
        # The callback URL is built on the base URL, so the port is chosen first.
        port = free_port()
        sso["PEERMENTOR_BASE_URL"] = f"http://127.0.0.1:{port}"
        with running_server(database, folder, sso, port=port) as url:
            yield url, issuer


def test_a_participant_signs_in_with_the_company_account(
    browser: Browser, app_with_sso: tuple[str, str], artifacts_dir: Path
) -> None:
    url, issuer = app_with_sso
    set_user(issuer, "kim-at-example", email="kim@example.com", email_verified=True)
    shots = artifacts_dir / "company-sign-in"
    shots.mkdir(exist_ok=True)
    for width, height in ((1280, 800), (390, 844)):
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        page.goto(url + "login")
        button = page.get_by_role("link", name=LABEL)
        expect(button).to_be_visible()
        check_page(page, shots, f"login-{width}")
        button.click()
        # The provider's own page: say who you are there.
        page.locator("input[name=sub]").fill("kim-at-example")
        page.get_by_role("button", name="Authorize").click()
        expect(page.get_by_role("button", name="Sign out")).to_be_visible()
        assert page.url.startswith(url)
        check_page(page, shots, f"signed-in-{width}")
        context.close()


def test_someone_outside_the_people_data_is_told_what_to_do(
    browser: Browser, app_with_sso: tuple[str, str], artifacts_dir: Path
) -> None:
    url, issuer = app_with_sso
    set_user(issuer, "newcomer", email="newcomer@example.com", email_verified=True)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(url + "login")
    page.get_by_role("link", name=LABEL).click()
    page.locator("input[name=sub]").fill("newcomer")
    page.get_by_role("button", name="Authorize").click()
    expect(page.get_by_role("heading", name="Company sign-in")).to_be_visible()
    expect(page.get_by_text("not in any programme here yet")).to_be_visible()
    check_page(page, artifacts_dir / "company-sign-in", "refused-390")
    context.close()
