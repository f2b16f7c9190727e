"""On a phone, in a real browser: a peer opens the pairing's calendar and makes a
private calendar address that a calendar app reads without signing in, then revokes
it; an admin sets the programme's nudge settings. Pages are screenshot and checked
with axe-core, and none scrolls sideways."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from peermentor.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD
from tests.e2e.a11y import check_page
from tests.e2e.conftest import Server

pytestmark = pytest.mark.e2e
PHONE = {"width": 390, "height": 844}


def phone(browser: Browser, server: Server, email: str, password: str) -> Page:
    page = browser.new_context(viewport=PHONE).new_page()
    page.goto(server.url + "login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    return page


def fits(page: Page) -> None:
    wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    # Name what sticks out, so a failure says where to look.
    culprits = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
            .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                + (e.className ? '.' + e.className : ''))"""
    )
    assert wide <= 1, f"{page.url} scrolls sideways by {wide}px on a phone: {culprits}"


def test_a_peer_and_an_admin_on_a_phone(
    browser: Browser, server: Server, artifacts_dir: Path
) -> None:
    shots = artifacts_dir / "calendar-phone"
    shots.mkdir(exist_ok=True)
    email, password, _ = server.peers[0]
    peer = phone(browser, server, email, password)
    peer.get_by_role("heading", level=2).get_by_role("link").first.click()
    peer.get_by_role("navigation", name="This pairing").get_by_role("link", name="Calendar").click()
    expect(peer.get_by_role("heading", level=1)).to_have_text("Calendar")
    check_page(peer, shots, "01 calendar of a proposed pairing")
    fits(peer)

    peer.get_by_role("navigation", name="Account").get_by_role("link", name="Account").click()
    peer.get_by_role("button", name="Make my calendar address").click()
    address = peer.get_by_label("Your calendar address").input_value()
    assert re.fullmatch(r"https?://.+/calendar/[A-Za-z0-9_-]+\.ics", address)
    check_page(peer, shots, "02 new calendar address")
    fits(peer)
    feed_path = "calendar/" + address.rsplit("/calendar/", 1)[1]
    anonymous = browser.new_context().request
    answer = anonymous.get(server.url + feed_path)
    assert answer.status == 200 and answer.headers["content-type"].startswith("text/calendar")
    assert answer.text().startswith("BEGIN:VCALENDAR")
    peer.get_by_role("button", name="Revoke the address").click()
    expect(peer.get_by_role("status")).to_contain_text("no longer works")
    assert anonymous.get(server.url + feed_path).status == 404

    admin = phone(browser, server, DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)
    admin.locator("table a").first.click()
    admin.get_by_role("link", name="Health").click()
    expect(admin.get_by_role("heading", name="Inactive members")).to_be_visible()
    admin.get_by_label("Days a guidance request waits before its partner is reminded").fill("2")
    admin.get_by_role("button", name="Save the nudge settings").click()
    expect(admin.get_by_role("status")).to_contain_text("Nudge settings saved.")
    expect(
        admin.get_by_label("Days a guidance request waits before its partner is reminded")
    ).to_have_value("2")
    check_page(admin, shots, "03 health with nudge settings")
    fits(admin)
