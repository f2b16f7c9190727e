"""The participant's profile page and API: what they keep, with the programme's tags
as suggestions, refused values next to their field with what was typed kept, HR's
fields read-only; an account with no person is told it has none; the admins see
which profiles are incomplete."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from peermentor.demo_org import demo_people_csv
from peermentor.services.access import SYSTEM, Actor
from peermentor.services.people import import_people
from peermentor.services.profiles import update_my_profile
from peermentor.services.users import create_program_admin, create_user
from peermentor.store.audit_models import AuditEntry
from peermentor.store.models import Person
from tests.programs import pid
from tests.web.conftest import ADMIN, sign_in

NOW = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)
PASSWORD = "profile-password-1"
LEAD = "lead.profiles@example.com"


@dataclass
class Cohort:
    program_id: int
    person: Person  # has an account, signed in as the client's first user
    csrf: str


def text_of(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def _form(page: str) -> dict[str, str]:
    """The profile form's fields as the browser would send them."""
    fields = dict(
        re.findall(
            r'<input id="profile-[a-z-]+" name="([a-z_]+)" type="text" value="([^"]*)"', page
        )
    )
    fields = {k: html.unescape(v) for k, v in fields.items()}
    goal = re.search(r'name="goal_statement"[^>]*>([^<]*)</textarea>', page)
    assert goal is not None
    fields["goal_statement"] = html.unescape(goal.group(1))
    if re.search(r'name="opt_out" value="yes" checked', page):
        fields["opt_out"] = "yes"
    return fields


@pytest.fixture
def cohort(client: TestClient, session: Session) -> Cohort:
    import_people(session, SYSTEM, "Cohort", demo_people_csv(12, seed=3).encode())
    person = session.scalars(select(Person).order_by(Person.id)).first()
    assert person is not None
    create_user(session, SYSTEM, person.email, PASSWORD, person_id=person.id)
    create_program_admin(session, SYSTEM, LEAD, PASSWORD, "Cohort")
    session.commit()
    csrf = sign_in(client, person.email, PASSWORD)
    return Cohort(pid(session, "Cohort"), person, csrf)


def test_the_page_shows_my_fields_hr_fields_and_the_programmes_tags(
    client: TestClient, cohort: Cohort
) -> None:
    response = client.get("/account/profile")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    page = response.text
    me = cohort.person
    form = _form(page)
    assert form["skills_offered"] == ", ".join(me.skills_offered)
    assert form["timezone"] == me.timezone
    assert "Used in your programme:" in page
    words = text_of(page)
    assert "Kept by HR" in words and "ask your HR team or your programme's admin" in words
    hr = page[page.index('id="hr"') :]
    assert me.name in hr and me.email in hr and me.department in hr
    # HR's fields are shown, never as inputs.
    assert 'name="department"' not in page and 'name="name"' not in page
    # The account page links to it.
    assert 'href="/account/profile"' in client.get("/account").text


def test_saving_changes_the_record_says_so_and_is_audited(
    client: TestClient, cohort: Cohort, session: Session
) -> None:
    form = _form(client.get("/account/profile").text)
    form |= {"skills_sought": "negotiation, public speaking ,, negotiation", "hours_per_month": "7"}
    response = client.post(
        "/account/profile", data={"csrf_token": cohort.csrf, **form}, follow_redirects=False
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/account/profile?notice=saved"
    page = client.get(response.headers["location"]).text
    assert (
        '<p class="notice" role="status">Your profile is saved. The next match uses it.</p>' in page
    )
    assert _form(page)["skills_sought"] == "negotiation, public speaking"
    session.expire_all()
    stored = session.get(Person, cohort.person.id)
    assert stored is not None
    assert stored.skills_sought == ["negotiation", "public speaking"]
    assert stored.hours_per_month == 7
    [entry] = session.scalars(select(AuditEntry).where(AuditEntry.action == "profile.updated"))
    assert entry.details == {"fields_changed": 2}
    # Sent again unchanged: nothing written, and the page says so.
    again = client.post(
        "/account/profile", data={"csrf_token": cohort.csrf, **_form(page)}, follow_redirects=False
    )
    assert again.headers["location"] == "/account/profile?notice=unchanged"
    assert (
        len(session.scalars(select(AuditEntry).where(AuditEntry.action == "profile.updated")).all())
        == 1
    )


def test_a_refused_value_is_shown_next_to_its_field_with_everything_typed_kept(
    client: TestClient, cohort: Cohort, session: Session
) -> None:
    form = _form(client.get("/account/profile").text)
    typed = form | {
        "timezone": "Mars/Olympus",
        "hours_per_month": "lots",
        "skills_offered": "kept typing, this too",
        "goal_statement": "A goal <b>typed</b> here",
    }
    response = client.post("/account/profile", data={"csrf_token": cohort.csrf, **typed})
    assert response.status_code == 422
    page = response.text
    assert 'id="profile-timezone-error"' in page and "is not a known IANA time zone" in page
    assert 'id="profile-hours-per-month-error"' in page and "is not a number" in page
    assert 'aria-invalid="true"' in page
    assert "2 problems, shown next to the field" in page
    kept = _form(page)
    for name in ("timezone", "hours_per_month", "skills_offered", "goal_statement"):
        assert kept[name] == typed[name], name
    assert "<b>typed</b>" not in page  # escaped, as everything else
    session.expire_all()
    stored = session.get(Person, cohort.person.id)
    assert stored is not None and stored.timezone == cohort.person.timezone
    assert stored.skills_offered == list(cohort.person.skills_offered)


def test_an_account_without_a_person_is_refused_clearly(client: TestClient) -> None:
    sign_in(client, *ADMIN)
    page = client.get("/account/profile")
    assert page.status_code == 403
    assert "Only a participant has a profile" in text_of(page.text)
    api = client.get("/api/me/profile")
    assert api.status_code == 403 and "only a participant has a profile" in api.json()["detail"]
    assert 'href="/account/profile"' not in client.get("/account").text


def test_the_api_reads_and_changes_the_same_profile(
    client: TestClient, cohort: Cohort, session: Session
) -> None:
    found = client.get("/api/me/profile")
    assert found.status_code == 200
    body = found.json()
    assert body["person_id"] == cohort.person.id
    assert body["hr"]["name"] == cohort.person.name
    assert body["skills_offered"] == list(cohort.person.skills_offered)
    assert set(body["suggestions"]) == {
        "skills_offered",
        "skills_sought",
        "career_goals",
        "challenges",
        "background",
        "languages",
    }
    headers = {"x-csrf-token": cohort.csrf}
    changed = client.put(
        "/api/me/profile",
        json={
            "career_goals": ["lead a team", "lead a team; speak at a conference"],
            "opt_out": True,
        },
        headers=headers,
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["career_goals"] == ["lead a team", "speak at a conference"]
    assert changed.json()["opt_out"] is True
    session.expire_all()
    stored = session.get(Person, cohort.person.id)
    assert stored is not None and stored.opt_out is True
    # HR's field is refused by name, with every other refused value, nothing written.
    refused = client.put(
        "/api/me/profile",
        json={"department": "Sales", "timezone": "Nowhere", "opt_out": False},
        headers=headers,
    )
    assert refused.status_code == 422
    problems = {tuple(p["loc"]): p["msg"] for p in refused.json()["detail"]}
    assert set(problems) == {("body", "department"), ("body", "timezone")}
    assert "kept by HR" in problems[("body", "department")]
    session.expire_all()
    stored = session.get(Person, cohort.person.id)
    assert stored is not None and stored.opt_out is True
    # Without the CSRF header a session may not change it.
    assert client.put("/api/me/profile", json={"opt_out": False}).status_code == 403


def test_the_home_page_asks_for_a_missing_profile_until_it_is_complete(
    client: TestClient, cohort: Cohort
) -> None:
    form = _form(client.get("/account/profile").text)
    emptied = form | {"challenges": "", "background": ""}
    client.post("/account/profile", data={"csrf_token": cohort.csrf, **emptied})
    home = text_of(client.get("/").text)
    assert "Your profile is missing your challenges and background" in home
    filled = form | {"challenges": "giving feedback", "background": "physics degree"}
    client.post("/account/profile", data={"csrf_token": cohort.csrf, **filled})
    assert "Your profile is missing" not in text_of(client.get("/").text)


def test_the_admins_see_which_profiles_are_incomplete(
    client: TestClient, cohort: Cohort, session: Session
) -> None:
    form = _form(client.get("/account/profile").text)
    client.post(
        "/account/profile",
        data={"csrf_token": cohort.csrf, **form, "skills_offered": "", "career_goals": ""},
    )
    enrolled = session.scalars(select(Person)).all()
    session.expire_all()
    incomplete = [
        p
        for p in session.scalars(select(Person)).all()
        if not all((p.skills_offered, p.skills_sought, p.career_goals, p.challenges, p.background))
    ]
    assert cohort.person.id in {p.id for p in incomplete}
    client.cookies.clear()
    sign_in(client, LEAD, PASSWORD)
    url = f"/admin/programs/{cohort.program_id}/people"
    words = text_of(client.get(url).text)
    assert f"{len(incomplete)} of {len(enrolled)} profiles are incomplete" in words
    listed = client.get(url, params={"show": "incomplete"}).text
    names = re.findall(r'<a href="/admin/programs/\d+/people/\d+">([^<]+)</a>', listed)
    assert sorted(html.unescape(n) for n in names) == sorted(p.name for p in incomplete)
    assert listed.count("Incomplete profile</span>") == len(incomplete)
    person = text_of(client.get(f"{url}/{cohort.person.id}").text)
    assert "Incomplete: no skills offered, career goals yet" in person


def test_a_tag_holding_a_comma_stays_one_tag_when_the_form_is_saved(
    client: TestClient, cohort: Cohort, session: Session
) -> None:
    # An import may bring one (a quoted CSV cell); the form shows it comma-joined.
    actor = Actor(role="participant", person_id=cohort.person.id)
    update_my_profile(session, actor, {"background": ["Sales, EMEA", "law degree"]}, NOW)
    form = _form(client.get("/account/profile").text)
    assert form["background"] == "Sales, EMEA, law degree"
    response = client.post(
        "/account/profile", data={"csrf_token": cohort.csrf, **form}, follow_redirects=False
    )
    assert response.headers["location"] == "/account/profile?notice=unchanged"
    form["background"] += ", Sales"
    client.post("/account/profile", data={"csrf_token": cohort.csrf, **form})
    session.expire_all()
    stored = session.get(Person, cohort.person.id)
    assert stored is not None and stored.background == ["Sales, EMEA", "law degree", "Sales"]
