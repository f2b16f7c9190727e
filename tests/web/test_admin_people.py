"""A programme's people for its admins: search, filters and paging; a person's page
(HR fields and pairing states, never what a pair wrote); a template that imports."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from peermentor.people_csv import parse_people_csv
from peermentor.services.access import SYSTEM
from peermentor.services.matching import publish_program_draft, run_match
from peermentor.services.people import import_people
from peermentor.services.people_directory import PAGE_SIZE
from peermentor.services.users import create_user
from peermentor.store.models import Person
from tests.programs import pid
from tests.web.conftest import ADMIN, sign_in

HEADER = "employee_id,name,email,department,location,years_experience,opt_out\n"


def _cohort(session: Session, size: int) -> int:
    rows = [
        f"P{n:03d},Person {n:03d},p{n:03d}@cohort.example,{'Sales' if n % 2 else 'Ops'},"
        f"{'Oslo' if n % 3 else 'Rome'},{3 + n % 7},{'true' if n % 10 == 0 else 'false'}\n"
        for n in range(1, size + 1)
    ]
    rows.append("Q001,Quinn Rivers,quinn@cohort.example,Legal,Paris,9,false\n")
    import_people(session, SYSTEM, "Cohort", (HEADER + "".join(rows)).encode())
    return pid(session, "Cohort")


def _names(page: str) -> list[str]:
    return re.findall(r'<a href="/admin/programs/\d+/people/\d+">([^<]+)</a>', page)


def test_search_filters_and_paging(client: TestClient, session: Session) -> None:
    program_id = _cohort(session, 60)
    sign_in(client, *ADMIN)
    url = f"/admin/programs/{program_id}/people"
    first = client.get(url).text
    assert "61 people · page 1 of 2" in first
    assert len(_names(first)) == PAGE_SIZE and _names(first)[0] == "Person 001"
    second = client.get(url, params={"page": 2}).text
    assert _names(second)[-1] == "Quinn Rivers" and 'rel="prev"' in second
    assert "page 2 of 2" in client.get(url, params={"page": 99}).text  # past the end: last

    for query in ("quinn", "Q001", "QUINN@cohort"):
        found = client.get(url, params={"q": query}).text
        assert _names(found) == ["Quinn Rivers"], query
    assert _names(client.get(url, params={"q": "%"}).text) == []  # a literal %, no wildcard
    opted = client.get(url, params={"show": "opted_out"}).text
    assert _names(opted) == [f"Person {n:03d}" for n in (10, 20, 30, 40, 50, 60)]
    assert "6 people · opted out" in html.unescape(opted)
    assert len(_names(client.get(url, params={"show": "paired"}).text)) == 0
    assert "55 people" in client.get(url, params={"show": "unmatched"}).text
    refused = client.get(url, params={"show": "sideways"})
    assert refused.status_code == 422 and "is not one of" in html.unescape(refused.text)


def test_pairing_and_account_filters_follow_the_programme(
    client: TestClient, session: Session
) -> None:
    program_id = _cohort(session, 12)
    run_match(session, SYSTEM, program_id)
    publish_program_draft(session, SYSTEM, program_id, datetime.now(UTC))
    quinn = session.scalars(select(Person).where(Person.employee_id == "Q001")).one()
    create_user(session, SYSTEM, quinn.email, "quinn-password-1", person_id=quinn.id)
    session.commit()
    sign_in(client, *ADMIN)
    url = f"/admin/programs/{program_id}/people"
    paired = _names(client.get(url, params={"show": "paired"}).text)
    unmatched = _names(client.get(url, params={"show": "unmatched"}).text)
    assert len(paired) >= 2 and not set(paired) & set(unmatched)
    assert len(paired) + len(unmatched) == 13 - 1  # everyone not opted out (Person 010)
    no_account = _names(client.get(url, params={"show": "no_account"}).text)
    assert len(no_account) == 12 and "Quinn Rivers" not in no_account


def test_a_person_page_shows_the_file_and_pairing_states(
    client: TestClient, session: Session
) -> None:
    program_id = _cohort(session, 4)
    sign_in(client, *ADMIN)
    listing = client.get(f"/admin/programs/{program_id}/people", params={"q": "Quinn"}).text
    href = re.search(r'href="(/admin/programs/\d+/people/\d+)"', listing).group(1)  # type: ignore[union-attr]
    page = html.unescape(client.get(href).text)
    assert "<h1>Quinn Rivers</h1>" in page and "quinn@cohort.example" in page
    assert "Legal" in page and "Not paired yet" in page
    assert client.get(f"/admin/programs/{program_id}/people/999999").status_code == 404


def test_the_template_has_an_example_row_that_imports(client: TestClient, session: Session) -> None:
    program_id = _cohort(session, 2)
    sign_in(client, *ADMIN)
    overview = client.get(f"/admin/programs/{program_id}").text
    assert "the columns are in the README" not in overview
    assert "What each column holds" in overview and "<code>do_not_match</code>" in overview
    template = client.get(f"/admin/programs/{program_id}/people-template.csv")
    assert template.status_code == 200
    assert template.headers["content-type"].startswith("text/csv")
    parsed = parse_people_csv(template.content)
    assert parsed.errors == [] and len(parsed.people) == 1
    assert parsed.people[0].languages == ("Portuguese", "English")
