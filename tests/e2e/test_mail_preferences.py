"""A participant chooses what peermentor mails them, on their account page, in a real
browser (and on a phone-sized screen)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.a11y import check_page
from tests.e2e.conftest import Server

pytestmark = pytest.mark.e2e


def test_a_participant_stops_one_kind_of_mail_and_takes_the_weekly_digest(
    page: Page, server: Server, artifacts_dir: Path
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    email, password, _ = server.peers[1]
    page.goto(server.url + "login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.goto(server.url + "account")
    feedback = page.get_by_label("Feedback arrives for you")
    digest = page.get_by_label("One weekly digest", exact=False)
    expect(feedback).to_be_checked()
    expect(digest).not_to_be_checked()
    feedback.uncheck()
    digest.check()
    page.get_by_role("button", name="Save mail preferences").click()
    expect(page.get_by_role("status")).to_have_text("Your mail preferences are saved.")
    expect(page.get_by_label("Feedback arrives for you")).not_to_be_checked()
    expect(page.get_by_label("One weekly digest", exact=False)).to_be_checked()
    expect(page.get_by_label("Your partner asks you for guidance")).to_be_checked()
    shots = artifacts_dir / "mail"
    shots.mkdir(exist_ok=True)
    check_page(page, shots, "mail preferences on a phone")
