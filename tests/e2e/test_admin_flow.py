"""An admin in a real browser: upload a CSV, see the malformed row, fix it, run the
match, swap a pair, publish. Every page is screenshot and checked with axe-core."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from peermentor.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD
from peermentor.demo_org import demo_people_csv
from tests.e2e.a11y import check_page
from tests.e2e.conftest import Server

pytestmark = pytest.mark.e2e


def sign_in(page: Page, server: Server, email: str, password: str) -> None:
    page.goto(server.url + "login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_admin_uploads_fixes_matches_swaps_and_publishes(
    page: Page, server: Server, artifacts_dir: Path, tmp_path: Path
) -> None:
    shots = artifacts_dir / "admin-flow"
    shots.mkdir(exist_ok=True)
    sign_in(page, server, DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)
    expect(page).to_have_title("Programmes · peermentor")
    check_page(page, shots, "01 programmes")

    page.get_by_label("Name").fill("Autumn pilot")
    page.get_by_role("button", name="Create programme").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Autumn pilot")
    check_page(page, shots, "02 new programme")

    # People of their own (ids and addresses the demo organisation does not use): the
    # other browser tests share this server and rely on the demo's pairs as they are.
    good = demo_people_csv(40, seed=21).replace(",E0000", ",E9000").replace("\nE0000", "\nE9000")
    good = good.replace("@example.com", "@autumn.example.com")
    lines = good.splitlines()
    lines[5] = re.sub(r",(\d+(\.\d+)?),([A-Z][a-z]+/)", r",-3,\3", lines[5], count=1)
    broken = tmp_path / "people-broken.csv"
    broken.write_text("\n".join(lines) + "\n")
    page.get_by_label(re.compile("People CSV")).set_input_files(str(broken))
    page.get_by_role("button", name="Upload and import").click()
    expect(page.get_by_role("alert")).to_contain_text("Nothing was imported")
    problems = page.locator("#problems tbody tr")
    expect(problems.first).to_contain_text("years_experience")
    expect(problems.first.locator("td").first).to_have_text("6")
    expect(page.get_by_text("0 people enrolled")).to_be_visible()
    check_page(page, shots, "03 upload rejected")

    fixed = tmp_path / "people.csv"
    fixed.write_text(good)
    page.get_by_label(re.compile("People CSV")).set_input_files(str(fixed))
    # First a preview: what the file would add and change, nothing written.
    page.get_by_role("button", name="Preview what changes").click()
    expect(page.get_by_role("heading", name="What importing people.csv would do")).to_be_visible(
        timeout=30_000
    )
    expect(page.get_by_role("status")).to_contain_text("40 would join this programme")
    expect(page.get_by_text("0 people enrolled")).to_be_visible()
    check_page(page, shots, "03b upload previewed")
    page.get_by_role("button", name="Apply the import").click()
    expect(page.get_by_role("status")).to_contain_text("Imported 40 people", timeout=30_000)
    expect(page.get_by_role("status")).to_contain_text("40 newly enrolled")
    check_page(page, shots, "04 upload accepted")

    page.get_by_role("button", name="Run the match").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Match of Autumn pilot")
    expect(page.get_by_text("Done.")).to_be_visible(timeout=60_000)
    check_page(page, shots, "05 match done")
    page.get_by_role("link", name="Continue").click()
    expect(page.get_by_role("heading", name="Pairings, weakest first")).to_be_visible()
    check_page(page, shots, "06 review")

    ids = re.findall(r"\((E\d{6}), ", page.content())
    swapped = False
    for first, second in zip(ids[::2], ids[3::2], strict=False):
        page.get_by_label("Swap this person (employee id)").fill(first)
        page.get_by_label("with this person").fill(second)
        page.get_by_role("button", name="Swap", exact=True).click()
        if page.get_by_role("alert").count() == 0:
            swapped = True
            break
        expect(page.get_by_role("alert")).to_contain_text("hard rule")
    assert swapped, "no swap was allowed"
    expect(page.get_by_text("draft · locked").first).to_be_visible()
    check_page(page, shots, "07 after swap")

    page.get_by_label(re.compile("^Yes, send the proposals")).check()
    page.get_by_role("button", name=re.compile("^Publish")).click()
    expect(page.get_by_role("status")).to_contain_text("Published")
    expect(page.get_by_text("proposed").first).to_be_visible()
    check_page(page, shots, "08 published")
    page.get_by_role("link", name="Health").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Programme health")
    check_page(page, shots, "09 health")
    page.get_by_role("link", name="Matching settings").click()
    check_page(page, shots, "10 settings")


def test_login_works_by_keyboard_alone(page: Page, server: Server) -> None:
    page.goto(server.url + "login")
    page.keyboard.press("Tab")  # skip link
    page.keyboard.press("Tab")  # brand link
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_ADMIN_EMAIL)
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_ADMIN_PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_title("Programmes · peermentor")
