"""The organisation admin reads the audit log on a phone: reached from the nav, the
filters work, the page never scrolls sideways (the table scrolls in its own box)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from peermentor.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD
from tests.e2e.a11y import check_page
from tests.e2e.conftest import Server

pytestmark = pytest.mark.e2e
PHONE = {"width": 390, "height": 844}


def test_admin_reads_and_filters_the_audit_log_on_a_phone(
    browser: Browser, server: Server, artifacts_dir: Path
) -> None:
    shots = artifacts_dir / "audit-page"
    shots.mkdir(exist_ok=True)
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(server.url + "login")
        page.get_by_label("Email").fill(DEMO_ADMIN_EMAIL)
        page.get_by_label("Password").fill(DEMO_ADMIN_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("link", name="Audit log").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Audit log")
        rows = page.locator("table.audit tbody tr")
        expect(rows.first).to_contain_text(DEMO_ADMIN_EMAIL)
        expect(rows.first).to_contain_text("Signed in")
        check_page(page, shots, "01 audit log on a phone")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

        page.get_by_label("Action").select_option("people.imported")
        page.get_by_role("button", name="Filter").click()
        expect(rows.first).to_contain_text("People imported")
        # The demo's own import ran from the command line; other browser tests sharing
        # this server may have uploaded people since, as the admin.
        expect(page.locator("table.audit")).to_contain_text("command line")
        for text in rows.all_inner_texts():
            assert "People imported" in text
        expect(page.locator("table.audit")).not_to_contain_text("Signed in")
        check_page(page, shots, "02 filtered by action")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()
