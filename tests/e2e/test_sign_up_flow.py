"""Self sign-up in Chromium, end to end: an admin opens a programme's sign-up; a person
opens the link on a phone, signs up, confirms through the mail the worker delivers to
the mail folder, fills in their profile, waits; the admin approves them and runs the
match, which pairs them; they pause, and the next run leaves them out. Every page is
screenshot and checked with axe-core."""

from __future__ import annotations

import mailbox
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.a11y import check_page
from tests.live.server import free_port, wait_until_up

pytestmark = pytest.mark.e2e
PROGRAM = "Spring cohort"
ADMIN = ("admin@example.com", "sign-up-admin-2026")
NEWCOMER = ("Robin Quay", "robin.quay@example.com")
PASSWORD = "a-long-and-unusual-passphrase-42"
PEOPLE = "employee_id,name,email,years_experience,skills_offered,skills_sought\n" + "".join(
    f"E{i},Person {i},person{i}@example.com,{4 + i % 3},python;sql,negotiation\n"
    for i in range(1, 6)
)
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@dataclass
class SignupServer:
    url: str
    mail_dir: Path


@pytest.fixture(scope="module")
def signup_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SignupServer]:
    """Five imported people, an admin, the web server and a worker (jobs and mail)."""
    folder = tmp_path_factory.mktemp("signup")
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    env = os.environ | {
        "PEERMENTOR_DATABASE_URL": f"sqlite:///{folder / 'signup.db'}",
        "PEERMENTOR_SECRET_KEY_FILE": str(folder / "secret"),
        "PEERMENTOR_INSECURE_COOKIES": "true",
        "PEERMENTOR_BASE_URL": url.rstrip("/"),
        "PEERMENTOR_MAIL_DIR": str(folder / "mail"),
        "PEERMENTOR_SMTP_HOST": "",
    }
    (folder / "people.csv").write_text(PEOPLE)
    command = [sys.executable, "-m", "peermentor"]
    for args in (
        ["people", "import", "people.csv", "--program", PROGRAM],
        ["users", "create-admin", ADMIN[0], "--password", ADMIN[1]],
    ):
        subprocess.run([*command, *args], env=env, cwd=folder, check=True, capture_output=True)
    logs = [(folder / name).open("wb") for name in ("server.log", "worker.log")]
    children = [
        subprocess.Popen(
            [*command, *args], env=env, cwd=folder, stdout=log, stderr=subprocess.STDOUT
        )
        for args, log in (
            (["serve", "--host", "127.0.0.1", "--port", str(port)], logs[0]),
            (["worker", "--interval", "0.2"], logs[1]),
        )
    ]
    try:
        wait_until_up(url, children[0])
        yield SignupServer(url, folder / "mail")
    finally:
        for child in children:
            child.terminate()
        for child in children:
            child.wait(timeout=30)
        for log in logs:
            log.close()


def mailed_link(server: SignupServer, to: str, path: str, wait: float = 30) -> str:
    """The link under `path` in the newest mail to `to`, once the worker has sent it."""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if server.mail_dir.exists():
            for message in mailbox.Maildir(server.mail_dir, create=False):
                if to in str(message["To"]):
                    body = message.get_payload(0).get_payload(decode=True).decode()
                    found = re.search(rf"{re.escape(server.url.rstrip('/'))}{path}\S+", body)
                    if found:
                        return found.group(0)
        time.sleep(0.2)
    raise AssertionError(f"no mail to {to} with a {path} link within {wait} s")


def signed_in(
    browser: Browser, server: SignupServer, email: str, password: str, size: dict[str, int]
) -> Page:
    page = browser.new_context(viewport=size).new_page()  # type: ignore[arg-type]
    page.goto(server.url + "login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    return page


def run_the_match(admin: Page) -> None:
    admin.get_by_role("navigation", name="Programme").get_by_role("link", name="Overview").click()
    admin.get_by_role("button", name="Run the match").click()
    expect(admin.get_by_text("Done.")).to_be_visible(timeout=60_000)
    admin.get_by_role("link", name="Continue").click()
    expect(admin.get_by_role("heading", name="Pairings, weakest first")).to_be_visible()


def test_a_person_signs_up_is_approved_matched_pauses_and_is_left_out(
    browser: Browser, signup_server: SignupServer, artifacts_dir: Path
) -> None:
    server = signup_server
    shots = artifacts_dir / "sign-up-flow"
    shots.mkdir(exist_ok=True)

    # The admin opens sign-up, with approval, for example.com addresses.
    admin = signed_in(browser, server, *ADMIN, DESKTOP)
    admin.get_by_role("link", name=PROGRAM).click()
    admin.get_by_role("navigation", name="Programme").get_by_role("link", name="Sign-ups").click()
    check_page(admin, shots, "01 sign-ups closed")
    admin.get_by_label("Open: anyone with the link may sign up").check()
    admin.get_by_label("An admin approves each sign-up").check()
    admin.get_by_label("Email domains that may sign up").fill("example.com")
    admin.get_by_role("button", name="Save the sign-up settings").click()
    expect(admin.get_by_role("status")).to_have_text("Sign-up settings are saved.")
    link = admin.locator("code").filter(has_text="/join/").inner_text()
    check_page(admin, shots, "02 sign-ups open")

    # The newcomer, on a phone: a wrong domain is refused by its field, then signs up.
    person = browser.new_context(viewport=PHONE).new_page()  # type: ignore[arg-type]
    person.goto(link)
    expect(person.get_by_role("heading", level=1)).to_have_text(f"Join {PROGRAM}")
    check_page(person, shots, "03 join page phone")
    person.get_by_label("Your name").fill(NEWCOMER[0])
    person.get_by_label("Work email").fill("robin@elsewhere.org")
    person.get_by_label("Years of work experience").fill("5")
    person.get_by_role("button", name="Sign up").click()
    expect(person.locator("#email-error")).to_contain_text("@example.com only")
    expect(person.get_by_label("Your name")).to_have_value(NEWCOMER[0])
    check_page(person, shots, "04 join refused phone")
    person.get_by_label("Work email").fill(NEWCOMER[1])
    person.get_by_role("button", name="Sign up").click()
    expect(person.get_by_role("heading", level=1)).to_have_text("Check your mail")
    check_page(person, shots, "05 check your mail phone")

    # The mail's link confirms the address and sets a password.
    person.goto(mailed_link(server, NEWCOMER[1], "/invite/"))
    person.get_by_label("Password (at least 10 characters").fill(PASSWORD)
    person.get_by_label("Repeat the password").fill(PASSWORD)
    person.get_by_role("button", name="Set password and sign in").click()
    expect(
        person.get_by_text(f"Your sign-up to {PROGRAM}: Waiting for the programme")
    ).to_be_visible()
    check_page(person, shots, "06 waiting for approval phone")

    # The start page asks for the profile; the newcomer fills it in.
    person.get_by_role("link", name="Fill in your profile").click()
    expect(person.get_by_role("heading", level=1)).to_have_text("Your profile")
    expect(person.get_by_label("Years of work experience")).to_have_value("5")
    person.get_by_label("Skills you can offer").fill("negotiation, public speaking")
    person.get_by_label("Skills you want to learn").fill("python, sql")
    person.get_by_label("Career goals").fill("lead a team")
    person.get_by_label("Challenges you face").fill("giving feedback")
    person.get_by_label("Background").fill("retail")
    person.get_by_role("button", name="Save your profile").click()
    expect(person.get_by_role("status")).to_have_text(
        "Your profile is saved. The next match uses it."
    )
    expect(person.get_by_label("Skills you want to learn")).to_have_value("python, sql")
    expect(person.get_by_text("None yet: HR's people data gives you one")).to_be_visible()
    check_page(person, shots, "06b profile saved phone")

    # The admin approves; the match pairs the newcomer.
    admin.reload()
    admin.get_by_label(f"Choose {NEWCOMER[0]}").check()
    check_page(admin, shots, "07 one waits")
    admin.get_by_role("button", name="Approve the chosen").click()
    expect(admin.get_by_role("status")).to_have_text("1 sign-up approved.")
    run_the_match(admin)
    expect(admin.locator("table.pairings")).to_contain_text(NEWCOMER[0])
    check_page(admin, shots, "08 review with the newcomer")

    # The newcomer pauses from their start page (they have no pairing yet).
    person.goto(server.url)
    expect(person.get_by_role("heading", name="Your programmes")).to_be_visible()
    person.get_by_role("link", name=f"Availability in {PROGRAM}").click()
    until = (date.today() + timedelta(days=30)).isoformat()
    person.get_by_label("Pause until").fill(until)
    person.get_by_role("button", name="Save availability").click()
    expect(person.get_by_role("status")).to_have_text("Your availability is saved.")
    expect(person.get_by_text(f"{PROGRAM}: matching paused until {until}")).to_be_visible()
    check_page(person, shots, "09 paused phone")

    # The next run leaves them out; the five others are matched.
    run_the_match(admin)
    pairings = admin.locator("table.pairings")
    expect(pairings).to_contain_text("Person 1")
    expect(pairings).not_to_contain_text(NEWCOMER[0])
    check_page(admin, shots, "10 review without the paused newcomer")
