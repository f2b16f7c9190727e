"""A pair goes through its workspace in the pages: accept, charter (both agree, in two
browsers), vision, a gap moved on the board, a request answered, feedback
acknowledged, a check-in; and the dashboard answers "what now?" at each step."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from peermentor.config import Settings
from peermentor.runtime import Store
from peermentor.services.access import SYSTEM
from peermentor.services.users import create_admin, create_user
from peermentor.store.models import Person
from peermentor.web.app import create_app
from tests.store.workspace.factories import make_person, make_program, propose
from tests.web.conftest import sign_in

PASSWORD = "participant-pass-1"
ADMIN_EMAIL = "lead@example.com"


@dataclass
class Browser:
    """One signed-in person in their own browser (cookie jar)."""

    client: TestClient
    csrf: str

    def get(self, path: str) -> str:
        response = self.client.get(path)
        assert response.status_code == 200, (path, response.status_code, response.text[:500])
        return response.text

    def post(self, path: str, **form: str) -> httpx.Response:
        return self.client.post(
            path, data={"csrf_token": self.csrf, **form}, follow_redirects=False
        )

    def submit(self, path: str, **form: str) -> str:
        """Post a form, expect post/redirect/get, follow it and return the page."""
        response = self.post(path, **form)
        assert response.status_code == 303, (path, response.status_code, response.text[:2000])
        return self.get(response.headers["location"])


@dataclass
class Pairings:
    app: FastAPI
    pairing_id: int  # ana and kim, proposed
    other_pairing_id: int  # omar and sam, proposed
    people: dict[str, Person]
    browsers: list[TestClient] = field(default_factory=list)

    def sign_in(self, who: str) -> Browser:
        client = TestClient(self.app, base_url="https://testserver")
        client.__enter__()
        self.browsers.append(client)
        email = ADMIN_EMAIL if who == "admin" else self.people[who].email
        return Browser(client, sign_in(client, email, PASSWORD))

    def url(self, tail: str = "", pairing_id: int | None = None) -> str:
        return f"/pairings/{pairing_id or self.pairing_id}" + (f"/{tail}" if tail else "")


@pytest.fixture
def pairings(session: Session, settings: Settings) -> Iterator[Pairings]:
    """ana + kim and omar + sam, proposed an hour ago; each has an account; an admin."""
    program = make_program(session, name="Autumn cohort")
    people = {
        key: make_person(session, name)
        for key, name in [
            ("ana", "Ana Silva"),
            ("kim", "Kim Park"),
            ("omar", "Omar Said"),
            ("sam", "Sam Ito"),
        ]
    }
    people["ana"].timezone, people["kim"].timezone = "Europe/London", "Europe/Berlin"
    an_hour_ago = datetime.now(UTC) - timedelta(hours=1)
    mine = propose(session, program, [people["ana"], people["kim"]], an_hour_ago)
    other = propose(session, program, [people["omar"], people["sam"]], an_hour_ago)
    for person in people.values():
        create_user(session, SYSTEM, person.email, PASSWORD, person_id=person.id)
    create_admin(session, SYSTEM, ADMIN_EMAIL, PASSWORD)
    session.commit()
    factory = sessionmaker(
        bind=session.connection(), join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    app = create_app(settings, Store(engine=session.connection().engine, sessions=factory))
    app.state.jobs_inline = True  # one shared connection: jobs run in the request
    world = Pairings(app, mine, other, people)
    yield world
    for client in world.browsers:
        client.__exit__(None, None, None)


def text_of(html: str) -> str:
    """The page as a reader sees it: tags dropped, spaces folded."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def next_step(browser: Browser) -> str:
    """What the dashboard names as the next step, as a reader sees it."""
    found = re.search(r'<p class="next-step">(.*?)</p>', browser.get("/"), re.S)
    assert found, "the dashboard names no next step"
    return html.unescape(text_of(found.group(1))).replace("Next", "", 1).strip()


def current_stage(browser: Browser) -> str:
    found = re.search(r'aria-current="step">(.*?)</li>', browser.get("/"), re.S)
    assert found, "the progress strip marks no stage"
    return text_of(found.group(1)).replace("now:", "").strip()


def test_member_goes_through_the_life_of_a_pairing(pairings: Pairings) -> None:
    ana, kim = pairings.sign_in("ana"), pairings.sign_in("kim")

    # The dashboard: the partner, why both ways, and the proposal to answer right there.
    home = text_of(ana.get("/"))
    assert "With Kim Park" in home
    assert "why Ana Silva was matched" in home and "why Kim Park was matched" in home
    assert "Accept or decline this pairing" in home
    assert next_step(ana) == "Accept or decline this pairing" and current_stage(ana) == "Accept"
    assert "kim.park@example.com" not in home  # contact details once both said yes
    assert f'action="/pairings/{pairings.pairing_id}/accept"' in ana.get("/")

    ana.submit(pairings.url("accept"))
    assert next_step(ana) == "Waiting for Kim to answer"
    page = text_of(kim.submit(pairings.url("accept")))
    assert "You accepted the pairing." in page and "pairing active" in page
    assert "Write and agree the charter" in text_of(ana.get("/"))
    assert next_step(ana) == "Write and agree the charter" and current_stage(ana) == "Charter"
    # Once the pairing is open: how to reach the partner, and when both are at work.
    home = text_of(ana.get("/"))
    assert "How to reach Kim Park" in home and "kim.park@example.com · Europe/Berlin" in home
    assert "Your working hours overlap 09:00–16:00 your time (7 h)." in home
    assert "overlap 10:00–17:00 your time (7 h)" in text_of(kim.get("/"))

    # Charter: ana writes the shared parts, each writes their goals, both agree.
    page = ana.submit(
        pairings.url("charter"),
        purpose="Both of us grow into leading teams",
        cadence="fortnightly",
        confidentiality="1",
        candour="1",
        other_norms="Cameras on",
    )
    assert "Both of us grow into leading teams" in page
    ana.submit(pairings.url("charter/goals"), goals="Lead a team\nSpeak up in reviews")
    kim.submit(pairings.url("charter/goals"), goals="Negotiate scope")
    page = text_of(ana.submit(pairings.url("charter/agree")))
    assert "You: agreed version 4" in page and "Kim Park: not agreed yet" in page
    page = text_of(kim.submit(pairings.url("charter/agree")))
    assert "Everyone has agreed version 4." in page
    # An edit asks everyone to agree again.
    page = text_of(kim.submit(pairings.url("charter/goals"), goals="Negotiate scope\nMentor"))
    assert "You: not agreed yet" in page and "Ana Silva: not agreed yet" in page
    ana.submit(pairings.url("charter/agree"))
    kim.submit(pairings.url("charter/agree"))
    assert "Write and agree the charter" not in text_of(ana.get("/"))
    # After the charter the dashboard does not fall silent: the vision is next.
    assert next_step(ana) == "Write your 3-5 year vision" and current_stage(ana) == "Vision"

    # Vision: ana writes hers; kim reads it, without a form to change it.
    ana.submit(
        pairings.url("vision"),
        horizon_years="5",
        statement="Head of platform engineering",
        milestones="Lead a team of five\nSpeak at a conference",
    )
    assert next_step(ana) == "Name your gaps and sort them: now, next or later"
    kim_view = kim.get(pairings.url("vision"))
    assert "Head of platform engineering" in kim_view
    assert text_of(kim_view).count("Save your vision") == 1  # only kim's own form

    # Gaps: add two to "next", move the second up, then one to "now".
    ana.submit(pairings.url("gaps"), title="Hiring experience", category="experience")
    page = ana.submit(
        pairings.url("gaps"), title="Public speaking", category="skill", milestone_id="m2"
    )
    ids = re.findall(r'<li id="gap-(\d+)"', page)
    assert len(ids) == 2
    page = ana.submit(pairings.url("gaps/move"), gap_id=ids[1], to="next", index="0")
    assert re.findall(r'<li id="gap-(\d+)"', page) == [ids[1], ids[0]]
    page = ana.submit(pairings.url("gaps/move"), gap_id=ids[0], to="now", index="10000")
    now_column = page.split(f'id="col-{pairings.people["ana"].id}-now"')[1].split("</section>")[0]
    assert "Hiring experience" in now_column and "Public speaking" not in now_column
    assert "Hiring experience" in kim.get(pairings.url("gaps"))  # the peer reads the board
    assert next_step(ana) == "Plan your first session with Kim"
    assert current_stage(ana) == "First session"

    # A request from ana to kim, answered by kim, closed by ana.
    ana.submit(pairings.url("requests"), topic="How do you prepare a talk?", gap_id=ids[1])
    assert "1 open request to you" in text_of(kim.get("/"))
    assert next_step(kim) == "Answer Ana's request"  # what someone waits for comes first
    page = kim.get(pairings.url("requests"))
    request_id = re.search(r'name="request_id" value="(\d+)"', page).group(1)  # type: ignore[union-attr]
    kim.submit(pairings.url("requests/answer"), request_id=request_id, answer="Rehearse twice")
    page = text_of(ana.get(pairings.url("requests")))
    assert "Answer from Kim Park" in page and "Rehearse twice" in page
    page = text_of(ana.submit(pairings.url("requests/close"), request_id=request_id))
    assert "Request closed." in page and "· closed" in page

    # Feedback from kim to ana; ana acknowledges it.
    kim.submit(
        pairings.url("feedback"),
        dimension="behaviour",
        situation="Monday planning",
        behaviour="You summarised every decision",
        impact="Everyone left knowing the plan",
        suggestion="Write it down too",
    )
    page = ana.get(pairings.url("feedback"))
    feedback_id = re.search(r'name="feedback_id" value="(\d+)"', page).group(1)  # type: ignore[union-attr]
    assert "You summarised every decision" in page
    page = text_of(ana.submit(pairings.url("feedback/acknowledge"), feedback_id=feedback_id))
    assert "Feedback acknowledged." in page and "Acknowledged" in page
    assert "Acknowledged" in kim.get(pairings.url("feedback"))

    # A check-in: four radio groups and a note.
    page = text_of(
        ana.submit(
            pairings.url("checkins"),
            trust="5",
            candour="4",
            mutual_benefit="4",
            progress="3",
            note="Good start",
        )
    )
    assert "your check-in is saved" in page and "Good start" in page
    assert "Kim Park has not checked in yet." in page
    # Kim sees that ana checked in, and when; never what she answered.
    page = text_of(kim.get(pairings.url("checkins")))
    assert re.search(r"Ana Silva last checked in on \d+ \w+ \d{4}\.", page)
    assert "Good start" not in page

    # The session log and the balance: kim brought something, ana took it away.
    kim.submit(
        pairings.url("sessions"),
        held_on=datetime.now(UTC).date().isoformat(),
        duration_minutes="45",
        topics="Talks",
        gave="Tips on slides",
    )
    assert next_step(ana) == "Plan regular role-play"
    page = text_of(ana.get(pairings.url()))
    assert "Balance (from taking to giving)" in page
    assert "You are receiving more than you give." in page
    # The scale's marker sits on the taking side of centre for ana, the giving side for kim.
    marker = r'<path d="M([\d.]+) 30'
    assert float(re.search(marker, ana.get(pairings.url())).group(1)) < 150  # type: ignore[union-attr]
    assert float(re.search(marker, kim.get(pairings.url())).group(1)) > 150  # type: ignore[union-attr]

    # Before closing, the cycle in numbers, from each side.
    page = text_of(ana.get(pairings.url("closing")))
    assert "This cycle in numbers" in page
    assert "Together: 1 session held (45 minutes) and 0 role-plays done." in page
    assert "What You Kim" in page and "Requests asked 1 0" in page
    assert "Requests answered 0 1" in page and "Feedback given 0 1" in page
    assert "Requests asked 0 1" in text_of(kim.get(pairings.url("closing")))


def test_a_member_who_declines_returns_to_the_dashboard(pairings: Pairings) -> None:
    ana = pairings.sign_in("ana")
    unticked = ana.post(pairings.url("decline"), reason="Not the right time")
    assert unticked.status_code == 422 and "Tick the box to confirm" in unticked.text
    assert "Not the right time</textarea>" in unticked.text
    assert "Accept or decline this pairing" in text_of(ana.get("/"))  # still proposed
    response = ana.post(pairings.url("decline"), reason="Not the right time", confirm="yes")
    assert response.status_code == 303 and response.headers["location"] == "/?notice=declined"
    home = text_of(ana.get(response.headers["location"]))
    assert "You are back in the pool" in home and "ended" in home


def test_a_participant_without_a_pairing_is_told_so(pairings: Pairings, session: Session) -> None:
    loner = make_person(session, "Lou Reed")
    create_user(session, SYSTEM, loner.email, PASSWORD, person_id=loner.id)
    session.commit()
    pairings.people["lou"] = loner
    page = text_of(pairings.sign_in("lou").get("/"))
    assert "You have no pairing yet." in page
