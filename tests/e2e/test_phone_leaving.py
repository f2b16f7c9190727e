"""On a phone, in a real browser: a peer reports a problem and blocks their partner,
then lifts the block from their account after a confirmation step; the programme's
admin reads the report, closes it with a note after a confirmation step, and sets
the rematch cooldown (an empty one is refused next to its field). Pages are
screenshot and checked with axe-core, and none scrolls sideways."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from peermentor.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD
from tests.e2e.a11y import check_page
from tests.e2e.conftest import Server
from tests.e2e.test_calendar_phone import fits, phone

pytestmark = pytest.mark.e2e
REPORT = "My partner keeps offering me his paid coaching sessions."


def test_a_report_and_a_block_on_a_phone(
    browser: Browser, server: Server, artifacts_dir: Path
) -> None:
    shots = artifacts_dir / "leaving-phone"
    shots.mkdir(exist_ok=True)
    (email, password, _), (_, _, partner) = server.peers
    peer = phone(browser, server, email, password)
    peer.get_by_role("heading", level=2).get_by_role("link").first.click()
    peer.get_by_role("navigation", name="This pairing").get_by_role(
        "link", name="Availability and leaving"
    ).click()
    peer.get_by_label("What kind of problem").select_option("selling")
    peer.get_by_label("What happened").fill(REPORT)
    peer.get_by_role("button", name="Send the report").click()
    expect(peer.get_by_role("status")).to_be_visible()
    peer.get_by_role("button", name="Block this person…").click()
    peer.get_by_role("button", name="Yes, never match us again").click()
    expect(peer.get_by_role("status")).to_contain_text("Blocked")

    peer.get_by_role("navigation", name="Account").get_by_role("link", name="Account").click()
    peer.get_by_role("link", name="People you have blocked").click()
    expect(peer.get_by_role("heading", level=1)).to_have_text("People you have blocked")
    expect(peer.get_by_role("listitem").filter(has_text=partner)).to_be_visible()
    check_page(peer, shots, "01 blocks")
    fits(peer)
    peer.get_by_role("button", name=f"Remove the block on {partner}").click()
    expect(peer.get_by_role("heading", name=f"Remove the block on {partner}?")).to_be_visible()
    check_page(peer, shots, "02 remove a block, confirm")
    fits(peer)
    peer.get_by_role("button", name="Yes, remove the block").click()
    expect(peer.get_by_role("status")).to_contain_text("The block is removed")
    expect(peer.get_by_text("You have not blocked anyone.")).to_be_visible()

    admin = phone(browser, server, DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)
    admin.locator("table a").first.click()
    admin.get_by_role("link", name="Reports and leaving").click()
    report = admin.get_by_role("article").filter(has_text=REPORT)
    expect(report).to_contain_text("Pressure to buy services")
    check_page(admin, shots, "03 admin reports and leaving")
    fits(admin)
    report.get_by_label("Note on what was done").fill("Talked to both; the partner stopped.")
    report.get_by_role("button", name="Close this report…").click()
    expect(admin.get_by_role("heading", name="Close this report?")).to_be_visible()
    check_page(admin, shots, "04 close a report, confirm")
    fits(admin)
    admin.get_by_role("button", name="Yes, close the report").click()
    expect(admin.get_by_role("status")).to_contain_text("The report is closed")

    cooldown = admin.get_by_label("Days before someone who left early can be matched again")
    cooldown.fill("")  # (400 the browser itself refuses: the input says 0 to 365)
    admin.get_by_role("button", name="Save the cooldown").click()
    expect(admin.get_by_text("A whole number of days from 0 to 365.")).to_be_visible()
    check_page(admin, shots, "05 cooldown refused")
    fits(admin)
    admin.get_by_label("Days before someone who left early can be matched again").fill("21")
    admin.get_by_role("button", name="Save the cooldown").click()
    expect(admin.get_by_role("status")).to_contain_text("The rematch cooldown is saved.")
    expect(admin.get_by_text("matched again after 21 days")).to_be_visible()
    check_page(admin, shots, "06 cooldown saved")
    fits(admin)
