"""A secret planted in every private field of a pairing reaches its members and no
one else: crawl every page and API response each other role can reach, and every
export, and look for it."""

from __future__ import annotations

import email
import email.policy
import mailbox
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from peermentor.config import Settings
from peermentor.runtime import Store
from peermentor.services import calendar, nudges
from peermentor.services.access import SYSTEM
from peermentor.services.matching import export_rows, run_match, score_rows
from peermentor.services.people import export_people
from peermentor.services.periodic import TASKS
from peermentor.services.users import create_admin, create_program_admin, create_user
from peermentor.store import leave_repo
from peermentor.store.calendar_models import MeetingSeriesRow
from peermentor.store.models import Pairing
from peermentor.web.app import create_app
from tests.programs import pid
from tests.store.workspace.factories import NOW, later, make_program, make_world
from tests.store.workspace.test_story import live_the_story
from tests.web.access_matrix import MATRIX
from tests.web.conftest import csrf_of

SECRET = "PLANTED-c0ffee-5ecret"
# Kim's report about Ana and the words Kim gave when ending the pairing early are
# written to the programme's admins: their leaving page, and no other page, shows them.
REPORT_SECRET = "REPORTED-b10c-5ecret"
ENDING_SECRET = "LEAVING-e4d1-5ecret"
# Ana's goal in her own words (her profile): hers to read and change, and seen by her
# programme's admins where they already saw it (her person page, the people export).
GOAL_SECRET = "MY-GOAL-9a7e-5ecret"
PASSWORD = "crawl-password-1"
MAX_PAGES = 400


@dataclass
class Crawl:
    clients: dict[str, TestClient]
    params: dict[str, str]
    program_name: str
    mail_dir: Path


def _sign_in(client: TestClient, email: str) -> None:
    form = client.get("/login")
    response = client.post(
        "/login",
        data={"email": email, "password": PASSWORD, "csrf_token": csrf_of(form.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303


@pytest.fixture
def crawl(session: Session, tmp_path: Path) -> Iterator[Crawl]:
    world = make_world(session, active=False)
    live_the_story(world, session, ["ana", "kim"], SECRET)
    # A real engine run as the latest, so the review page and every export (scores of
    # the run included) show what an admin would see after matching the rest.
    run_match(session, SYSTEM, pid(session, world.program.name), now=NOW)
    make_program(session, name="Another programme")
    kim, ana = world.people["kim"].id, world.people["ana"].id
    for repo_add, values in (
        (
            leave_repo.add_report,
            {"reporter_id": kim, "subject_id": ana, "category": "conduct"},
        ),
        (leave_repo.add_early_ending, {"person_id": kim, "reason": "not_a_fit"}),
    ):
        report = repo_add is leave_repo.add_report
        repo_add(
            session,
            program_id=world.program.id,
            pairing_id=world.pairing_id,
            details=REPORT_SECRET if report else ENDING_SECRET,
            # The leaving page lists the endings of the last 90 days of the real clock.
            created_at=NOW if report else datetime.now(UTC) - timedelta(days=1),
            **values,
        )
    leave_repo.add_block(session, kim, ana, NOW)
    world.people["ana"].goal_statement = GOAL_SECRET
    # A meeting in the planted pairing's calendar: its page and its invite are crawled.
    series = MeetingSeriesRow(
        pairing_id=world.pairing_id,
        uid="crawl@peermentor",
        kind="session",
        starts_at=NOW,
        timezone="Europe/Paris",
        minutes=60,
        cadence_kind="weekly",
        sequence=0,
        updated_at=NOW,
    )
    session.add(series)
    session.flush()
    for key in ("ana", "outsider"):
        person = world.people[key]
        create_user(session, SYSTEM, person.email, PASSWORD, person_id=person.id)
    create_program_admin(session, SYSTEM, "lead@example.com", PASSWORD, world.program.name)
    create_program_admin(session, SYSTEM, "elsewhere@example.com", PASSWORD, "Another programme")
    create_admin(session, SYSTEM, "org@example.com", PASSWORD)
    session.commit()
    factory = sessionmaker(
        bind=session.connection(), join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    settings = Settings(
        database_url="sqlite:///unused.db",
        secret_key_file=tmp_path / "secret",
        mail_dir=str(tmp_path / "mail"),
    )
    store = Store(engine=session.connection().engine, sessions=factory)
    # Everything the story would mail (proposals, answers, requests, feedback ...),
    # written to the mail folder, so the crawl also walks the admin's mail page.
    for task in TASKS:
        task(store, settings, later(days=3))
    app = create_app(settings, store)
    app.state.jobs_inline = True  # one shared connection: jobs run in the request
    emails = {
        "member": world.people["ana"].email,
        "other_participant": world.people["outsider"].email,
        "program_admin": "lead@example.com",
        "other_program_admin": "elsewhere@example.com",
        "org_admin": "org@example.com",
    }
    clients = {}
    for role in ("anonymous", *emails):
        client = TestClient(app, base_url="https://testserver")
        client.__enter__()
        if role in emails:
            _sign_in(client, emails[role])
        clients[role] = client
    yield Crawl(
        clients,
        {
            "program_id": str(world.program.id),
            "pairing_id": str(world.pairing_id),
            "series_id": str(series.id),
            "person_id": str(ana),
        },
        world.program.name,
        tmp_path / "mail",
    )
    for client in clients.values():
        client.__exit__(None, None, None)


def _seeds(params: dict[str, str]) -> list[str]:
    """Every GET route of the app with the planted pairing and programme filled in."""
    seeds = []
    for method, template in MATRIX:
        if method != "GET":
            continue
        path = template
        for name, value in params.items():
            path = path.replace("{" + name + "}", value)
        if "{" not in path:
            seeds.append(path)
    return seeds


def _links(body: str, base: str) -> list[str]:
    found = []
    for href in re.findall(r'href="([^"#]+)"', body):
        url = urljoin(base, href)
        parts = urlsplit(url)
        if parts.netloc in ("", "testserver") and not parts.path.startswith("/static"):
            found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def crawl_as(client: TestClient, seeds: list[str]) -> dict[str, str]:
    """GET the seeds and every same-site link found on the way (GET only: no side
    effects), return url -> body."""
    seen: dict[str, str] = {}
    queue = list(seeds)
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen or path.startswith("/logout"):
            continue
        response = client.get(path)
        seen[path] = response.text
        if "html" in response.headers.get("content-type", ""):
            queue += [
                p for p in _links(response.text, "https://testserver" + path) if p not in seen
            ]
    return seen


def test_the_member_sees_the_secret_so_the_crawl_can_find_it(crawl: Crawl) -> None:
    bodies = crawl_as(crawl.clients["member"], _seeds(crawl.params))
    assert any(SECRET in body for body in bodies.values()), sorted(bodies)
    # The calendar page and its invite were reached, and the invite holds no secret.
    invite = f"/pairings/{crawl.params['pairing_id']}/calendar/{crawl.params['series_id']}.ics"
    assert invite in bodies and "BEGIN:VCALENDAR" in bodies[invite]
    assert SECRET not in bodies[invite]


def test_no_nudge_invite_or_feed_holds_the_secret(crawl: Crawl, session: Session) -> None:
    """Every mail the nudge and calendar sources would queue over three months, and the
    member's feed, carry none of what the pair wrote."""
    # Reopened, so every rule looks at the planted pairing (a closed one nudges nobody
    # and leaves the feeds).
    pairing = session.get(Pairing, int(crawl.params["pairing_id"]))
    assert pairing is not None
    pairing.state = "active"
    session.flush()
    texts = []
    for day in range(0, 90, 3):
        for source in (nudges.due_mail, calendar.due_mail):
            for o in source(session, later(days=day), "https://example.org"):  # type: ignore[operator]
                m = o.message
                texts += [m.subject, m.text, m.html, *(a.data.decode() for a in m.attachments)]
    assert len(texts) > 20, "the sources queued little: the check would be empty"
    assert all(SECRET not in t for t in texts)
    client = crawl.clients["member"]
    token = csrf_of(client.get("/account").text)
    made = client.post("/account/calendar-feed", data={"csrf_token": token})
    url = made.text.split('id="feed-url" type="text" readonly value="')[1].split('"')[0]
    feed = crawl.clients["anonymous"].get("/" + url.split("/", 3)[3])
    assert feed.status_code == 200 and "BEGIN:VEVENT" in feed.text
    assert SECRET not in feed.text


@pytest.mark.parametrize(
    "role",
    ["anonymous", "other_participant", "program_admin", "other_program_admin", "org_admin"],
)
def test_no_one_else_ever_sees_the_secret(crawl: Crawl, role: str) -> None:
    bodies = crawl_as(crawl.clients[role], _seeds(crawl.params))
    leaks = [url for url, body in bodies.items() if SECRET in body]
    assert not leaks, f"{role} saw the secret at {leaks}"
    assert len(bodies) >= 5


def test_no_export_holds_the_secret(crawl: Crawl, session: Session) -> None:
    exports = [
        export_people(session, SYSTEM, pid(session, crawl.program_name)),
        "\n".join(
            ",".join(r) for r in export_rows(session, SYSTEM, pid(session, crawl.program_name))
        ),
        "\n".join(
            f"{a},{b},{s}"
            for a, b, s in score_rows(session, SYSTEM, pid(session, crawl.program_name))
        ),
    ]
    assert all(SECRET not in text for text in exports)


def test_no_mail_holds_the_secret(crawl: Crawl) -> None:
    box = list(mailbox.Maildir(crawl.mail_dir, create=False))
    subjects = " | ".join(str(m["Subject"]) for m in box)
    # Requests and feedback in which the secret was planted, and more besides.
    assert "asked you for guidance" in subjects and "Feedback from" in subjects, subjects
    assert "answered your request" in subjects and "accepted your pairing" in subjects
    for mail in box:
        parsed = email.message_from_bytes(mail.as_bytes(), policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        decoded = [str(part.get_content()) for part in parsed.walk() if not part.is_multipart()]
        assert SECRET not in str(parsed["Subject"]) + "".join(decoded)
        assert "".join(decoded).count("/pairings/") >= 1  # a link, where the text is


@pytest.mark.parametrize("role", ["program_admin", "org_admin"])
def test_with_mail_invitations_hold_no_secret_and_no_admin_sees_a_link(
    crawl: Crawl, role: str
) -> None:
    client = crawl.clients[role]
    page = client.get("/account/password").text
    response = client.post(
        f"/admin/programs/{crawl.params['program_id']}/invitations",
        data={"csrf_token": csrf_of(page)},
    )
    assert SECRET not in response.text
    assert response.status_code == 200 and "/invite/" not in response.text


def test_only_the_members_own_download_holds_what_the_pair_wrote(crawl: Crawl) -> None:
    """The crawl reaches /account/data.json for every role (it is in the matrix); this
    says outright that the copy is each caller's own."""
    downloads = {role: c.get("/account/data.json") for role, c in crawl.clients.items()}
    assert SECRET in downloads["member"].text
    for role, response in downloads.items():
        if role not in ("member", "anonymous"):
            assert response.status_code == 200 and SECRET not in response.text, role


@pytest.mark.parametrize(
    "role",
    ["anonymous", "member", "other_participant", "program_admin", "other_program_admin"],
)
def test_a_report_reaches_its_programmes_admins_only(crawl: Crawl, role: str) -> None:
    """Ana (the member) is the one Kim reported and blocked: she never learns of it,
    nor anyone but the programme's admins; nor the words of Kim's early ending."""
    bodies = crawl_as(crawl.clients[role], _seeds(crawl.params))
    leaving = f"/admin/programs/{crawl.params['program_id']}/leaving"
    for secret in (REPORT_SECRET, ENDING_SECRET):
        seen = [url for url, body in bodies.items() if secret in body]
        if role == "program_admin":
            assert seen == [leaving], secret
        else:
            assert not seen, f"{role} saw {secret} at {seen}"
    if role == "member":
        assert "You have not blocked anyone." in bodies["/account/blocks"]
        assert REPORT_SECRET not in bodies["/account/data.json"]


@pytest.mark.parametrize(
    "role",
    [
        "anonymous",
        "member",
        "other_participant",
        "program_admin",
        "other_program_admin",
        "org_admin",
    ],
)
def test_a_goal_in_a_persons_words_reaches_them_and_their_programmes_admins_only(
    crawl: Crawl, role: str
) -> None:
    """Ana's profile page and her own download show it; her programme's admins see it
    where they did before profiles (her person page, the people export); nobody else."""
    bodies = crawl_as(crawl.clients[role], _seeds(crawl.params))
    seen = sorted(url for url, body in bodies.items() if GOAL_SECRET in body)
    program = f"/admin/programs/{crawl.params['program_id']}"
    as_admin = [f"{program}/people.csv", f"{program}/people/{crawl.params['person_id']}"]
    expected = {
        "member": ["/account/data.json", "/account/profile", "/api/me/profile"],
        "program_admin": as_admin,
        "org_admin": as_admin,  # an organisation admin is an admin of every programme
    }
    assert seen == expected.get(role, []), f"{role} saw the goal at {seen}"
