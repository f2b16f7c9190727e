"""An admin sends the demo programme's invitations by mail (the demo has no SMTP host:
they go to its mail folder) and reads the programme's mail page, in a real browser on a
phone-sized screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from peermentor.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD, DEMO_PROGRAM
from tests.e2e.a11y import check_page
from tests.e2e.conftest import Server

pytestmark = pytest.mark.e2e


def test_an_admin_sends_invitations_by_mail_and_sees_them_counted(
    page: Page, server: Server, artifacts_dir: Path
) -> None:
    shots = artifacts_dir / "admin-mail"
    shots.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(server.url + "login")
    page.get_by_label("Email").fill(DEMO_ADMIN_EMAIL)
    page.get_by_label("Password").fill(DEMO_ADMIN_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name=DEMO_PROGRAM).click()
    page.get_by_role("button", name="Send invitations by mail").click()
    expect(page.get_by_role("status")).to_contain_text("sent by mail, 0 links created")
    expect(page.locator("#invitation-links")).to_have_count(0)
    page.get_by_role("navigation", name="Programme").get_by_role("link", name="Mail").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Mail sent to {DEMO_PROGRAM}")
    expect(page.get_by_text("mail is written to the mail folder")).to_be_visible()
    table = page.get_by_role("table").filter(has_text="Mails by kind and state")
    expect(table.get_by_role("row").filter(has_text="Invitation to set a password")).to_be_visible()
    expect(page.get_by_text("No mail failed.")).to_be_visible()
    check_page(page, shots, "programme mail on a phone")
