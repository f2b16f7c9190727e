"""Signing in and the first page, as a person meets them in a real browser."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from peermentor.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD, DEMO_PROGRAM
from peermentor.demo_outcomes import LATE_JOINERS
from tests.e2e.conftest import Server

pytestmark = pytest.mark.e2e


def test_admin_signs_in_and_sees_the_demo_programme(
    page: Page, server: Server, artifacts_dir: Path
) -> None:
    page.goto(server.url)
    expect(page).to_have_title("Sign in · peermentor")
    page.screenshot(path=str(artifacts_dir / "login.png"), full_page=True)
    page.get_by_label("Email").fill(DEMO_ADMIN_EMAIL)
    page.get_by_label("Password").fill(DEMO_ADMIN_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_title("Programmes · peermentor")
    row = page.get_by_role("row", name=DEMO_PROGRAM)
    # The 60 generated people and the late joiners who never took part (demo_outcomes).
    expect(row.get_by_role("cell").nth(4)).to_have_text(str(60 + LATE_JOINERS))
    page.screenshot(path=str(artifacts_dir / "home-admin.png"), full_page=True)
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_title("Sign in · peermentor")


def test_wrong_password_is_told_plainly(page: Page, server: Server) -> None:
    page.goto(server.url + "login")
    page.get_by_label("Email").fill(DEMO_ADMIN_EMAIL)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("Email or password is not right.")


def test_skip_link_is_the_first_stop_for_keyboard_users(page: Page, server: Server) -> None:
    page.goto(server.url + "login")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"


def test_account_pages_pass_the_accessibility_check(
    page: Page, server: Server, artifacts_dir: Path
) -> None:
    from tests.e2e.a11y import check_page

    shots = artifacts_dir / "account"
    shots.mkdir(exist_ok=True)
    page.goto(server.url + "login")
    check_page(page, shots, "login")
    page.get_by_label("Email").fill("nobody@example.com")
    page.get_by_label("Password").fill("wrong-password-1")
    page.get_by_role("button", name="Sign in").click()
    check_page(page, shots, "login refused")
    page.goto(server.url + "invite/not-a-real-token")
    check_page(page, shots, "invitation not valid")
    page.goto(server.url + "login")
    page.get_by_label("Email").fill(DEMO_ADMIN_EMAIL)
    page.get_by_label("Password").fill(DEMO_ADMIN_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(server.url + "account/password")
    check_page(page, shots, "change password")


def test_on_a_phone_the_header_is_compact_and_sign_out_is_at_hand(
    page: Page, server: Server, artifacts_dir: Path
) -> None:
    email, password, _ = server.peers[0]
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(server.url + "login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    header = page.locator("header.site")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    expect(header.get_by_role("link", name="Account")).to_be_visible()
    # The email and the password link wait on the account page, one tap away.
    expect(header.get_by_text(email)).to_be_hidden()
    expect(header.get_by_role("link", name="Password")).to_be_hidden()
    box = header.bounding_box()
    assert box is not None and box["height"] <= 90, box  # at most two short lines
    page.screenshot(path=str(artifacts_dir / "header-phone.png"))
    page.get_by_role("link", name="Account").click()
    expect(page.locator("main").get_by_text(email)).to_be_visible()
    expect(page.get_by_role("link", name="Change your password")).to_be_visible()
    # At desktop width both are in the header again.
    page.set_viewport_size({"width": 1280, "height": 800})
    expect(header.get_by_text(email)).to_be_visible()
