"""Team circles in Chromium: an admin creates circles from the demo organisation's
teams, keeps three members in one and starts a round; the three, each in their own
browser, give their note and receive one; the lead's page shows participation only.
Every page is screenshot at desktop and phone widths and checked with axe-core."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from peermentor.config import Settings
from peermentor.demo_org import demo_people_csv
from peermentor.runtime import open_store
from peermentor.services.access import SYSTEM
from peermentor.services.users import create_user
from peermentor.store.models import Person
from tests.e2e.a11y import check_page
from tests.live.server import free_port, wait_until_up

pytestmark = pytest.mark.e2e

PROGRAM = "Circles demo"
ADMIN = ("admin@example.com", "circles-admin-2026")
PASSWORD = "circles-peer-2026"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@dataclass
class CircleServer:
    url: str
    env: dict[str, str]
    folder: Path


@pytest.fixture(scope="module")
def circle_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CircleServer]:
    """The demo organisation's people imported into a programme with no circles yet."""
    folder = tmp_path_factory.mktemp("circles")
    env = os.environ | {
        "PEERMENTOR_DATABASE_URL": f"sqlite:///{folder / 'circles.db'}",
        "PEERMENTOR_SECRET_KEY_FILE": str(folder / "secret"),
        "PEERMENTOR_INSECURE_COOKIES": "true",
        "COLUMNS": "200",
    }
    (folder / "people.csv").write_text(demo_people_csv(60, seed=7))
    command = [sys.executable, "-m", "peermentor"]
    for args in (
        ["people", "import", "people.csv", "--program", PROGRAM],
        ["users", "create-admin", ADMIN[0], "--password", ADMIN[1]],
    ):
        subprocess.run([*command, *args], env=env, cwd=folder, check=True, capture_output=True)
    port = free_port()
    log = (folder / "server.log").open("wb")
    process = subprocess.Popen(
        [*command, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        cwd=folder,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_until_up(url, process)
        yield CircleServer(url, env, folder)
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def _cli(server: CircleServer, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "peermentor", *args],
        env=server.env,
        cwd=server.folder,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def _logins(server: CircleServer, employee_ids: list[str]) -> dict[str, tuple[str, str]]:
    """Accounts for these people (as an invitation would make): employee id -> (email, name)."""
    store = open_store(
        Settings(
            database_url=server.env["PEERMENTOR_DATABASE_URL"],
            secret_key_file=server.folder / "secret",
        )
    )
    found = {}
    try:
        with store.sessions() as session:
            for employee_id in employee_ids:
                person = session.query(Person).filter_by(employee_id=employee_id).one()
                create_user(session, SYSTEM, person.email, PASSWORD, person_id=person.id)
                found[employee_id] = (person.email, person.name)
            session.commit()
    finally:
        store.close()
    return found


def _sign_in(browser: Browser, server: CircleServer, email: str, password: str) -> Page:
    page = browser.new_context(viewport=DESKTOP).new_page()
    page.goto(server.url + "login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    return page


def _check_both_widths(page: Page, shots: Path, name: str) -> None:
    page.set_viewport_size(DESKTOP)
    check_page(page, shots, f"{name} desktop")
    page.set_viewport_size(PHONE)
    check_page(page, shots, f"{name} phone")
    page.set_viewport_size(DESKTOP)


def test_an_admin_makes_circles_and_three_members_give_and_receive_a_round(
    browser: Browser, circle_server: CircleServer, artifacts_dir: Path
) -> None:
    shots = artifacts_dir / "circles-flow"
    shots.mkdir(exist_ok=True)
    server = circle_server

    admin = _sign_in(browser, server, *ADMIN)
    admin.get_by_role("link", name=PROGRAM).click()
    admin.get_by_role("navigation", name="Programme").get_by_role("link", name="Circles").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text(f"Circles: {PROGRAM}")
    admin.get_by_role("button", name="Create circles from the teams").click()
    expect(admin.get_by_role("status")).to_have_text("Circles created.")
    _check_both_widths(admin, shots, "01 admin circles created")

    listed = json.loads(_cli(server, "circles", "list", "--program", PROGRAM, "--json"))
    circle = next(c for c in listed if c["lead"] and len(c["members"]) >= 3)
    keep, drop = circle["members"][:3], circle["members"][3:]
    admin.get_by_role("link", name=circle["name"], exact=True).click()
    expect(admin.get_by_role("heading", level=1)).to_have_text(f"Circle: {circle['name']}")
    for _ in drop:  # keep three, so that they give to each other
        admin.get_by_role("button", name="Remove").last.click()
        expect(admin.get_by_role("status")).to_contain_text("Member removed")
    expect(admin.get_by_role("heading", name="Members (3)")).to_be_visible()
    admin.get_by_role("button", name="Start the next round now").click()
    expect(admin.get_by_role("status")).to_have_text("The next round has started.")
    _check_both_widths(admin, shots, "02 admin circle round started")

    people = _logins(server, [*keep, circle["lead"]])
    members = []
    for employee_id in keep:
        email, name = people[employee_id]
        page = _sign_in(browser, server, email, PASSWORD)
        page.get_by_role("navigation", name="Main").get_by_role("link", name="My circles").click()
        page.get_by_role("link", name=circle["name"]).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Circle: {circle['name']}")
        members.append((page, name))

    for i, (page, _name) in enumerate(members):
        form = page.locator("form", has=page.get_by_role("button", name="Send the note to"))
        form.get_by_label("Situation: when and where").fill(f"Planning meeting, note {i}")
        form.get_by_label("Behaviour: what you saw or heard").fill("You summarised the options")
        form.get_by_label("Impact: what it did").fill(
            f"SECRET-circle-note-{i}: we decided in minutes"
        )
        if i == 0:
            check_page(page, shots, "03 member writing a note")
        form.get_by_role("button", name="Send the note to").click()
        expect(page.get_by_role("status")).to_have_text("Your note was sent.")

    for i, (page, _name) in enumerate(members):
        page.reload()
        received = page.locator("article.item", has=page.get_by_role("heading", name="note from"))
        expect(received).to_have_count(1)
        expect(received).to_contain_text("SECRET-circle-note-")
        received.get_by_role("button", name="Acknowledge").click()
        expect(page.get_by_role("status")).to_have_text("Note acknowledged.")
        if i == 0:
            _check_both_widths(page, shots, "04 member notes received")

    lead_email, _ = people[circle["lead"]]
    lead = _sign_in(browser, server, lead_email, PASSWORD)
    lead.goto(server.url + "circles")
    lead.get_by_role("link", name=circle["name"]).click()
    expect(lead.get_by_role("heading", level=1)).to_have_text(f"Participation: {circle['name']}")
    expect(lead.get_by_role("table")).to_contain_text("Fewer than 5 people: not shown")
    expect(lead.get_by_text("SECRET-circle-note-")).to_have_count(0)
    _check_both_widths(lead, shots, "05 lead participation")
    response = lead.goto(server.url + f"circles/{circle['circle']}")
    assert response is not None and response.status == 403  # no member page for the lead
    for page, _ in [*members, (admin, ""), (lead, "")]:
        page.context.close()
