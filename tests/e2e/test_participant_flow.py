"""Two peers in two browsers: see why they were matched, accept, co-write and agree
the charter, add a vision and a gap, ask for and give guidance, give feedback.
Every page is screenshot and checked with axe-core."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.a11y import check_page
from tests.e2e.conftest import Server

pytestmark = pytest.mark.e2e


def signed_in(browser: Browser, server: Server, email: str, password: str) -> Page:
    page = browser.new_context().new_page()
    page.goto(server.url + "login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your peer mentoring")
    return page


def open_section(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="This pairing").get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def what_now(page: Page, server: Server, step: str, stage: str) -> None:
    """The dashboard names `step` as the next one and marks `stage` on its strip; then
    back to where the page was."""
    was = page.url
    page.goto(server.url)
    expect(page.locator(".next-step")).to_contain_text(step)
    expect(page.locator('.stages [aria-current="step"]')).to_contain_text(stage)
    page.goto(was)


def test_two_peers_live_the_first_weeks_of_their_pairing(
    browser: Browser, server: Server, artifacts_dir: Path
) -> None:
    shots = artifacts_dir / "participant-flow"
    shots.mkdir(exist_ok=True)
    assert len(server.peers) == 2, server.peers
    (ana_email, password, ana_name), (kim_email, _, kim_name) = server.peers
    ana_first, kim_first = ana_name.split()[0], kim_name.split()[0]

    ana = signed_in(browser, server, ana_email, password)
    expect(ana.get_by_role("heading", name=f"With {kim_name}")).to_be_visible()
    expect(ana.get_by_text("Why you were matched")).to_be_visible()
    expect(ana.get_by_text(re.compile(f"{kim_first} (can help you|has)"))).not_to_have_count(0)
    what_now(ana, server, "Accept or decline this pairing", "Accept")
    check_page(ana, shots, "01 dashboard before accepting")
    ana.get_by_role("button", name="Accept").click()
    expect(ana.get_by_role("status")).to_be_visible()
    check_page(ana, shots, "02 accepted")
    what_now(ana, server, f"Waiting for {kim_first} to answer", "Accept")

    kim = signed_in(browser, server, kim_email, password)
    kim.get_by_role("button", name="Accept").click()
    expect(kim.get_by_text(f"With {ana_name} · pairing active")).to_be_visible()
    what_now(ana, server, "Write and agree the charter", "Charter")

    open_section(ana, "Charter")
    ana.get_by_label("Purpose: why are you doing this together?").fill(
        "Grow as leaders by practising the conversations we find hardest."
    )
    ana.get_by_label("What you want from this pairing, one goal a line").fill(
        "Negotiate scope with confidence"
    )
    ana.get_by_role("button", name="Save the charter").click()
    check_page(ana, shots, "03 charter written")

    open_section(kim, "Charter")
    kim.get_by_label("What you want from this pairing, one goal a line").fill(
        "Present to executives without notes"
    )
    kim.get_by_role("button", name="Save the charter").click()
    kim.get_by_role("button", name=re.compile("^Agree version")).click()
    ana.reload()
    ana.get_by_role("button", name=re.compile("^Agree version")).click()
    expect(ana.get_by_text(re.compile("agreed", re.I)).first).to_be_visible()
    check_page(ana, shots, "04 charter agreed")
    what_now(ana, server, "Write your 3-5 year vision", "Vision")

    open_section(ana, "Vision")
    ana.get_by_label("4 years").check()
    ana.get_by_label("Your vision", exact=True).fill("Lead a product group of three teams.")
    ana.get_by_label("Milestones on the way, one a line (optional)").fill("Run a team of my own")
    ana.get_by_role("button", name="Save your vision").click()
    expect(ana.get_by_text("Lead a product group of three teams.").first).to_be_visible()
    check_page(ana, shots, "05 vision")
    what_now(ana, server, "Name your gaps", "Gaps")

    open_section(ana, "Gaps")
    ana.get_by_label("What is missing").fill("Hiring experience")
    ana.get_by_label("Column").select_option("now")
    ana.get_by_role("button", name="Add the gap").click()
    expect(ana.get_by_text("Hiring experience").first).to_be_visible()
    check_page(ana, shots, "06 gaps")
    what_now(ana, server, f"Plan your first session with {kim_first}", "First session")

    open_section(ana, "Requests")
    ana.get_by_label("What do you need help with?").fill("How do you prepare an interview loop?")
    ana.get_by_role("button", name="Send the request").click()
    check_page(ana, shots, "07 request sent")
    what_now(kim, server, f"Answer {ana_first}'s request", "First session")
    open_section(kim, "Requests")
    kim.get_by_label(re.compile("^Your answer to")).fill(
        "Write the scorecard first, then pick the questions."
    )
    kim.get_by_role("button", name="Send the answer").click()
    check_page(kim, shots, "08 request answered")
    ana.reload()
    expect(ana.get_by_text("Write the scorecard first").first).to_be_visible()

    open_section(ana, "Feedback")
    ana.get_by_label("Situation: when and where").fill("Tuesday's planning meeting")
    ana.get_by_label("Behaviour: what you saw or heard").fill(
        "You summarised both options before giving your view"
    )
    ana.get_by_label("Impact: what it did").fill("The team decided in ten minutes")
    ana.get_by_role("button", name="Send the feedback").click()
    expect(ana.get_by_text("Tuesday's planning meeting").first).to_be_visible()
    check_page(ana, shots, "09 feedback given")
    open_section(kim, "Feedback")
    expect(kim.get_by_text("Tuesday's planning meeting").first).to_be_visible()
    check_page(kim, shots, "10 feedback received")

    in_pairing = ana.url
    ana.goto(server.url)
    check_page(ana, shots, "10b dashboard with the next step")
    ana.goto(in_pairing)
    for section in ("Overview", "Sessions", "Role-plays", "Check-ins", "Closing"):
        open_section(ana, section)
        check_page(ana, shots, f"11 {section}")
    assert ana_first and kim_first
