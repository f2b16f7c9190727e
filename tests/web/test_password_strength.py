"""Easy passwords are refused on every form that sets one, and the form says why
(zxcvbn's feedback); the minimum length still holds."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from peermentor.demo import DEMO_ADMIN_PASSWORD, DEMO_PARTICIPANT_PASSWORD
from peermentor.services.access import SYSTEM, InvalidInput
from peermentor.services.auth import invite_person
from peermentor.services.passwords import check_password_policy
from peermentor.services.people import import_people
from peermentor.store.models import Person
from peermentor.web.deps import now
from tests.web.conftest import ADMIN, PEER, csrf_of, sign_in


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("password12", "very common password"),
        ("qwertyuiop", "top-100 common password"),
        ("1234567890", "top-100 common password"),
        ("aaaaaaaaaaaa", "Repeats"),
        ("iloveyou12345", "similar to a commonly used password"),
    ],
)
def test_common_and_patterned_passwords_are_refused_with_the_reason(
    password: str, why: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_password_policy(password)
    assert "too easy to guess" in str(refused.value) and why in str(refused.value)


def test_a_password_made_of_the_persons_own_name_is_refused() -> None:
    check_password_policy("kim.park2026")  # fine for someone else
    with pytest.raises(InvalidInput, match="too easy to guess"):
        check_password_policy("kim.park2026", user_inputs=["kim.park@example.com", "kim.park"])


def test_short_passwords_are_still_refused_for_their_length() -> None:
    with pytest.raises(InvalidInput, match="at least 10 characters"):
        check_password_policy("x7#Lq!")


@pytest.mark.parametrize(
    "password", [DEMO_ADMIN_PASSWORD, DEMO_PARTICIPANT_PASSWORD, ADMIN[1], PEER[1]]
)
def test_the_demo_and_fixture_passwords_pass(password: str) -> None:
    check_password_policy(password)


def test_the_password_form_says_why_a_password_is_refused(client: TestClient) -> None:
    csrf = sign_in(client, *PEER)
    answer = client.post(
        "/account/password",
        data={"current": PEER[1], "new": "password12", "repeat": "password12", "csrf_token": csrf},
    )
    assert answer.status_code == 422
    assert "too easy to guess" in answer.text and "very common password" in answer.text
    client.cookies.clear()
    sign_in(client, *PEER)  # the old password still works


def test_the_invitation_form_says_why_a_password_is_refused(
    client: TestClient, session: Session
) -> None:
    csv = "employee_id,name,email,years_experience\nE7,Kim Park,kim@example.com,5\n"
    import_people(session, SYSTEM, "Cohort", csv.encode())
    kim = session.scalar(select(Person).where(Person.employee_id == "E7"))
    assert kim is not None
    token = invite_person(session, SYSTEM, kim.id, now())
    page = client.get(f"/invite/{token}")
    answer = client.post(
        f"/invite/{token}",
        data={
            "password": "password12",
            "repeat": "password12",
            "csrf_token": csrf_of(page.text),
        },
    )
    assert answer.status_code == 422 and "too easy to guess" in answer.text
    assert client.get(f"/invite/{token}").status_code == 200  # the link still works
