"""Choosing one's own peer in Chromium, end to end: an admin sets a programme to
"People choose their own peer" on its Matching settings; a person opens "Choose your
peer" from their start page on a phone, reads why the matching suggests each person
(no score), asks one; the asked person accepts on their phone and lands in the
pairing's workspace. Every page is screenshot at phone and desktop width and checked
with axe-core."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.a11y import check_page
from tests.live.server import free_port, wait_until_up

pytestmark = pytest.mark.e2e
PROGRAM = "Choosing cohort"
ADMIN = ("admin@example.com", "choosing-admin-2026")
PASSWORD = "a-long-and-unusual-passphrase-42"
NAMES = ["Ada Byron", "Brook Stone", "Cleo Marsh", "Dev Anand", "Eli Frost", "Fay Wren"]
DEPARTMENTS = ["Sales", "Finance", "Data", "Product", "People", "Legal"]
PEOPLE = (
    "employee_id,name,email,department,job_title,years_experience,skills_offered,skills_sought\n"
    + "".join(
        f"E{i},{name},{name.split()[0].lower()}@example.com,{DEPARTMENTS[i]},"
        f"Analyst {i},{3 + i},python;sql,negotiation;python\n"
        for i, name in enumerate(NAMES)
    )
)
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
ACCOUNTS = f"""
from peermentor.config import load_settings
from peermentor.runtime import open_store
from peermentor.services.access import SYSTEM
from peermentor.services.users import create_user
from peermentor.store.models import Person

store = open_store(load_settings())
with store.sessions() as session:
    for person in session.query(Person).all():
        create_user(session, SYSTEM, person.email, {PASSWORD!r}, person_id=person.id)
    session.commit()
"""


@dataclass
class ChoosingServer:
    url: str


@pytest.fixture(scope="module")
def choosing_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChoosingServer]:
    """Six imported people with accounts, an admin and the web server."""
    folder = tmp_path_factory.mktemp("choosing")
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    env = os.environ | {
        "PEERMENTOR_DATABASE_URL": f"sqlite:///{folder / 'choosing.db'}",
        "PEERMENTOR_SECRET_KEY_FILE": str(folder / "secret"),
        "PEERMENTOR_INSECURE_COOKIES": "true",
        "PEERMENTOR_BASE_URL": url.rstrip("/"),
        "PEERMENTOR_SMTP_HOST": "",
    }
    (folder / "people.csv").write_text(PEOPLE)
    command = [sys.executable, "-m", "peermentor"]
    for args in (
        ["people", "import", "people.csv", "--program", PROGRAM],
        ["users", "create-admin", ADMIN[0], "--password", ADMIN[1]],
    ):
        subprocess.run([*command, *args], env=env, cwd=folder, check=True, capture_output=True)
    subprocess.run(
        [sys.executable, "-c", ACCOUNTS], env=env, cwd=folder, check=True, capture_output=True
    )
    log = (folder / "server.log").open("wb")
    server = subprocess.Popen(
        [*command, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        cwd=folder,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until_up(url, server)
        yield ChoosingServer(url)
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def signed_in(
    browser: Browser, server: ChoosingServer, email: str, password: str, size: dict[str, int]
) -> Page:
    page = browser.new_context(viewport=size).new_page()  # type: ignore[arg-type]
    page.goto(server.url + "login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    return page


def email_of(name: str) -> str:
    return f"{name.split()[0].lower()}@example.com"


def test_a_person_chooses_their_peer_who_accepts(
    browser: Browser, choosing_server: ChoosingServer, artifacts_dir: Path
) -> None:
    server = choosing_server
    shots = artifacts_dir / "choose-peer"
    shots.mkdir(exist_ok=True)

    # The admin lets the programme's people choose.
    admin = signed_in(browser, server, *ADMIN, DESKTOP)
    admin.get_by_role("link", name=PROGRAM).click()
    nav = admin.get_by_role("navigation", name="Programme")
    nav.get_by_role("link", name="Matching settings").click()
    admin.get_by_label("People choose their own peer").check()
    admin.get_by_label("Suggestions each person sees").fill("3")
    admin.get_by_role("button", name="Save how people are matched").click()
    expect(admin.get_by_text("Saved: People choose their own peer.")).to_be_visible()
    check_page(admin, shots, "01 admin how people are matched")

    # Ada opens her choosing page from the start page, on a phone.
    ada = signed_in(browser, server, email_of(NAMES[0]), PASSWORD, PHONE)
    ada.get_by_role("link", name=f"Choose your peer in {PROGRAM}").click()
    expect(ada.get_by_role("heading", name=f"Choose your peer in {PROGRAM}")).to_be_visible()
    cards = ada.locator("section.card")
    expect(cards).to_have_count(3)
    first = cards.first
    expect(first.get_by_text("Why you two")).to_be_visible()
    first.get_by_text("What they would read").click()  # opens the <details>
    assert "score" not in ada.content().lower()
    check_page(ada, shots, "02 suggestions phone")
    ada.set_viewport_size(DESKTOP)  # type: ignore[arg-type]
    check_page(ada, shots, "03 suggestions desktop")
    ada.set_viewport_size(PHONE)  # type: ignore[arg-type]
    chosen = first.get_by_role("heading").inner_text()
    first.get_by_role("button", name=f"Ask {chosen} to be your peer").click()
    expect(ada.get_by_text("Your request is sent.")).to_be_visible()
    expect(ada.get_by_text("Waiting for an answer")).to_be_visible()
    check_page(ada, shots, "04 asked phone")

    # The one asked accepts on their phone and lands in the pairing's workspace.
    peer = signed_in(browser, server, email_of(chosen), PASSWORD, PHONE)
    peer.get_by_role("link", name=f"Choose your peer in {PROGRAM}").click()
    expect(peer.get_by_text("Asks you to be their peer")).to_be_visible()
    check_page(peer, shots, "05 asked person phone")
    peer.get_by_role("button", name=f"Accept {NAMES[0]} as your peer").click()
    expect(peer.get_by_text("you two are peers now")).to_be_visible()
    check_page(peer, shots, "06 pairing after accept phone")

    # Ada reads it accepted and reaches the same pairing.
    ada.reload()
    expect(ada.get_by_text("Accepted")).to_be_visible()
    ada.get_by_role("link", name=f"Your pairing with {chosen}").click()
    expect(ada.get_by_text(chosen).first).to_be_visible()
    check_page(ada, shots, "07 asker's pairing phone")
