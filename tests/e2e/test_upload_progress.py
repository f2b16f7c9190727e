"""An admin uploads 5,000 people in a real browser: the job page shows the rows read
and stored while the import runs, then the programme page shows the result. Screenshots
at desktop and phone width; the result page is checked with axe-core."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from peermentor.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD
from peermentor.demo_org import demo_people_csv
from tests.e2e.a11y import check_page
from tests.e2e.conftest import Server
from tests.e2e.test_admin_flow import sign_in

pytestmark = pytest.mark.e2e
WIDTHS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


def people_file(folder: Path) -> Path:
    """5,000 people apart from the demo organisation's (own ids and addresses), so the
    other browser tests still find their demo people unchanged."""
    text = demo_people_csv(5000, seed=31)
    text = re.sub(r"\bE(\d{6})\b", r"U\1", text).replace("@example.com", "@upload.example")
    path = folder / "people-5000.csv"
    path.write_text(text)
    return path


@pytest.mark.parametrize("width", list(WIDTHS))
def test_upload_shows_rows_read_and_stored_then_the_result(
    browser: Browser, server: Server, artifacts_dir: Path, tmp_path: Path, width: str
) -> None:
    shots = artifacts_dir / "upload-progress"
    shots.mkdir(exist_ok=True)
    context = browser.new_context(viewport=WIDTHS[width])
    page = context.new_page()
    try:
        sign_in(page, server, DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)
        page.get_by_label("Name").fill(f"Upload {width}")
        page.get_by_role("button", name="Create programme").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Upload {width}")

        page.get_by_label(re.compile("People CSV")).set_input_files(str(people_file(tmp_path)))
        page.get_by_role("button", name="Upload and import").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Import of people-5000.csv")
        status = page.get_by_role("status")
        # The job page is shown at once, with its bar; which stage it shows first
        # (queued, or rows read/stored) depends on how busy the machine is.
        expect(status).to_contain_text(re.compile(r"Working: (queued|.*of 5,000 rows)"))
        expect(page.get_by_role("progressbar", name="Progress")).to_be_visible()
        # Only a screenshot: the page reloads itself every second, under axe's feet.
        page.screenshot(path=str(shots / f"{width}-01-import-running.png"), full_page=True)

        expect(status).to_contain_text("Imported 5000 people", timeout=180_000)
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Upload {width}")
        expect(page.get_by_text("5,000 people enrolled")).to_be_visible()
        check_page(page, shots, f"{width} 02 import done")
    finally:
        context.close()
