""" "Why not these two?" on the review page and in the API: the rule that keeps two
enrolled people apart, or what pairing them would cost; a clear refusal otherwise."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from peermentor.services.access import SYSTEM
from peermentor.services.auth import actor_for, create_api_token
from peermentor.services.matching import run_match
from peermentor.services.people import import_people
from peermentor.store.models import User
from tests.programs import pid
from tests.web.conftest import ADMIN, sign_in

# Ana manages Kim, so they may never be paired; Lee and Max must each take one of them.
TEAM = (
    "employee_id,name,email,manager_id,years_experience\n"
    "E1,Ana Silva,ana@team.example,,12\n"
    "E2,Kim Park,kim@team.example,E1,3\n"
    "E3,Lee Chen,lee@team.example,,7\n"
    "E4,Max Roy,max@team.example,,6\n"
)


def _team(session: Session) -> int:
    import_people(session, SYSTEM, "Team", TEAM.encode())
    program_id = pid(session, "Team")
    run_match(session, SYSTEM, program_id)
    return program_id


def _answer(page: str) -> str:
    found = re.search(r'<p role="status">(.*?)</p>', page, re.S)
    assert found, page[:2000]
    return " ".join(html.unescape(found.group(1)).split())


def test_the_review_page_asks_and_the_answer_page_tells(
    client: TestClient, session: Session
) -> None:
    program_id = _team(session)
    sign_in(client, *ADMIN)
    review = client.get(f"/admin/programs/{program_id}/review").text
    assert f'action="/admin/programs/{program_id}/why-not"' in review

    rule = client.get(f"/admin/programs/{program_id}/why-not", params={"a": "E1", "b": "E2"})
    assert rule.status_code == 200
    assert _answer(rule.text).startswith("Not allowed:") and "reporting line" in rule.text
    cost = client.get(f"/admin/programs/{program_id}/why-not", params={"a": "E3", "b": "E4"})
    assert "Together E3 and E4 would score" in _answer(cost.text)
    # The question stays in the form, to change one name and ask again.
    assert 'value="E3"' in cost.text and 'value="E4"' in cost.text


def test_bad_questions_are_refused_with_the_form_kept(client: TestClient, session: Session) -> None:
    program_id = _team(session)
    sign_in(client, *ADMIN)
    url = f"/admin/programs/{program_id}/why-not"
    unknown = client.get(url, params={"a": "E1", "b": "E99"})
    assert unknown.status_code == 404
    assert "E99" in html.unescape(unknown.text) and "is not enrolled" in unknown.text
    assert 'value="E99"' in unknown.text
    one = client.get(url, params={"a": "E1", "b": ""})
    assert one.status_code == 422 and "name two people" in one.text
    same = client.get(url, params={"a": "E1", "b": "E1"})
    assert same.status_code == 422 and "two different people" in same.text
    blank = client.get(url)  # the form alone
    assert blank.status_code == 200 and 'role="status"' not in blank.text


def test_the_api_answers_the_same(client: TestClient, session: Session) -> None:
    program_id = _team(session)
    admin = session.scalars(select(User).where(User.email == ADMIN[0])).one()
    token = create_api_token(session, actor_for(admin), "audit script", datetime.now(UTC))
    headers = {"Authorization": f"Bearer {token}"}
    url = f"/api/programs/{program_id}/why-not"
    found = client.get(url, params={"a": "E1", "b": "E2"}, headers=headers)
    assert found.status_code == 200
    body = found.json()
    assert (body["a"], body["b"]) == ("E1", "E2") and "reporting line" in body["answer"]
    assert client.get(url, params={"a": "E1", "b": "E99"}, headers=headers).status_code == 404
    assert client.get(url, params={"a": "E1"}, headers=headers).status_code == 422


def test_unmatched_people_are_named_not_bare_ids(client: TestClient, session: Session) -> None:
    # Ana manages both others: nobody may be paired with her, so she is left over.
    team = (
        "employee_id,name,email,manager_id,years_experience\n"
        "M1,Ana Boss,ana.boss@team.example,,12\n"
        "M2,Kim Park,kim.park@team.example,M1,3\n"
        "M3,Lee Chen,lee.chen@team.example,M1,4\n"
    )
    import_people(session, SYSTEM, "Small", team.encode())
    program_id = pid(session, "Small")
    run_match(session, SYSTEM, program_id)
    sign_in(client, *ADMIN)
    review = html.unescape(client.get(f"/admin/programs/{program_id}/review").text)
    assert "1 unmatched, and why" in review
    assert re.search(r'<a href="/admin/programs/\d+/people\?q=M1">Ana Boss</a> \(M1\):', review)
