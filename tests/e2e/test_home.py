"""The first page, as a person meets it in a real browser."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Server

pytestmark = pytest.mark.e2e


def test_home_page_lists_the_demo_programme(
    page: Page, server: Server, artifacts_dir: Path
) -> None:
    page.goto(server.url)
    expect(page).to_have_title("Programmes · peermentor")
    row = page.get_by_role("row", name="Demo cohort 2026")
    expect(row).to_be_visible()
    expect(row.get_by_role("cell").nth(4)).to_have_text("60")
    page.screenshot(path=str(artifacts_dir / "home.png"), full_page=True)


def test_skip_link_is_the_first_stop_for_keyboard_users(page: Page, server: Server) -> None:
    page.goto(server.url)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to content"
