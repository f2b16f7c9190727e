"""The demo's admin lands on the programme's insight: every chart has its table, the
page and the printable report pass axe-core, at desktop and phone widths."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from peermentor.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD
from tests.e2e.a11y import check_page
from tests.e2e.conftest import Server

pytestmark = pytest.mark.e2e
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def _every_chart_has_its_table(page: Page) -> int:
    sections = page.locator("section.insight-figure:has(figure.chart)")
    count = sections.count()
    for n in range(count):
        section = sections.nth(n)
        expect(section.locator("table caption")).to_contain_text("the numbers")
        assert section.locator("tbody tr").count() >= 1
        expect(section.get_by_role("link", name="as CSV")).to_be_visible()
    return count


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_admin_lands_on_insight_and_prints_the_report(
    browser: Browser, server: Server, artifacts_dir: Path, width: str
) -> None:
    shots = artifacts_dir / "insight-pages"
    shots.mkdir(exist_ok=True)
    context = browser.new_context(viewport=WIDTHS[width])
    page = context.new_page()
    try:
        page.goto(server.url + "login?next=/admin/programs/1/insight")
        page.get_by_label("Email").fill(DEMO_ADMIN_EMAIL)
        page.get_by_label("Password").fill(DEMO_ADMIN_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Programme insight")
        assert _every_chart_has_its_table(page) >= 7
        expect(page.locator("#fig-funnel + figure svg")).to_be_visible()
        check_page(page, shots, f"01 insight {width}")

        for n, figure in enumerate(("outcomes", "runs")):
            page.goto(server.url + f"admin/programs/1/insight?figure={figure}")
            assert _every_chart_has_its_table(page) >= 1
            wanted = (
                '[data-figure="outcomes"]' if figure == "outcomes" else '[data-figure*="-run-"]'
            )
            expect(page.locator(f"table{wanted}").first).to_be_visible()
            if figure == "outcomes":
                expect(page.get_by_text("Not causal")).to_be_visible()
                expect(page.get_by_label("Outcomes CSV")).to_be_visible()
            check_page(page, shots, f"0{n + 1}b {figure} {width}")
        page.goto(server.url + "admin/programs/1/insight")

        page.get_by_role("link", name="Printable report").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("programme report")
        assert _every_chart_has_its_table(page) >= 7
        check_page(page, shots, f"02 report {width}")
        page.emulate_media(media="print")
        expect(page.locator("header.site")).to_be_hidden()
        page.screenshot(path=str(shots / f"03-report-print-{width}.png"), full_page=True)
    finally:
        context.close()
