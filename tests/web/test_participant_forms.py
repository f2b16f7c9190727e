"""Forms: a refused value comes back as 422 with the message next to its field and
what was typed kept; a step that is not possible yet is 409 with the reason; and the
pages not walked by the story (sessions, role-plays, closing) do what they say."""

# ruff: noqa: F811 (tests take the imported `pairings` fixture as an argument)
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from tests.web.test_participant_access import activate
from tests.web.test_participant_flow import (
    Browser,
    Pairings,
    pairings,  # noqa: F401 (the fixture)
    text_of,
)


@pytest.fixture
def ana(pairings: Pairings, session: Session) -> Browser:
    activate(pairings, session)
    return pairings.sign_in("ana")


def field_error(html: str, field_id: str) -> str:
    """The error shown for an input, found through the input's aria-describedby."""
    match = re.search(rf'<p class="field-error" id="{field_id}-error">([^<]*)</p>', html)
    assert match, f"no error shown for {field_id}"
    tag = re.search(rf'<(?:input|textarea|select)[^>]*id="{field_id}"[^>]*>', html)
    if tag:  # radio groups tie the error to their fieldset instead
        assert f"{field_id}-error" in tag.group(0) and 'aria-invalid="true"' in tag.group(0)
    return match.group(1)


def test_a_bad_value_is_shown_next_to_its_field_and_the_input_is_kept(
    pairings: Pairings, ana: Browser
) -> None:
    response = ana.post(pairings.url("gaps"), title="   ", category="skill", priority="now")
    assert response.status_code == 422
    assert field_error(response.text, "gap-title") == "Must not be empty."
    assert '<option value="now" selected>' in response.text

    response = ana.post(
        pairings.url("feedback"), dimension="attitude", situation="Standup", behaviour="Late"
    )
    assert response.status_code == 422
    assert field_error(response.text, "fb-impact") == "Must not be empty."
    assert ">Standup</textarea>" in response.text and ">Late</textarea>" in response.text

    future = (datetime.now(UTC) + timedelta(days=3)).date().isoformat()
    response = ana.post(pairings.url("sessions"), held_on=future, duration_minutes="30")
    assert response.status_code == 422
    assert "once it has taken place" in field_error(response.text, "held-on")
    response = ana.post(pairings.url("sessions"), held_on="2026-01-01", duration_minutes="half")
    assert field_error(response.text, "duration") == "Enter a whole number."

    response = ana.post(pairings.url("vision"), horizon_years="7", statement="Lead a guild")
    assert response.status_code == 422
    assert (
        "3, 4 or 5 years" in response.text and 'aria-describedby="horizon-error"' in response.text
    )
    assert ">Lead a guild</textarea>" in response.text

    response = ana.post(pairings.url("checkins"), candour="4", mutual_benefit="4", progress="9")
    assert response.status_code == 422
    assert field_error(response.text, "trust") == "Choose a number from 1 to 5."
    assert 'id="candour-4" name="candour" value="4" checked' in response.text

    response = ana.post(pairings.url("charter"), purpose="x", cadence="every_n_days")
    assert response.status_code == 422
    assert "Is required" in field_error(response.text, "every_days")


def test_a_step_not_possible_yet_says_why_with_409(pairings: Pairings, ana: Browser) -> None:
    response = ana.post(pairings.url("charter/agree"))
    assert response.status_code == 409
    assert "nobody has written it yet" in text_of(response.text)
    ana.submit(pairings.url("charter"), purpose="Grow", cadence="monthly")
    response = ana.post(pairings.url("charter/agree"))
    assert response.status_code == 409 and "at least one goal from every member" in response.text


def test_sessions_role_plays_and_closing(pairings: Pairings, ana: Browser) -> None:
    kim = pairings.sign_in("kim")
    today = datetime.now(UTC).date().isoformat()

    ana.submit(pairings.url("sessions"), held_on=today, duration_minutes="50", gave="Intro")
    page = kim.get(pairings.url("sessions"))
    session_id = re.search(r'name="session_id" value="(\d+)"', page).group(1)  # type: ignore[union-attr]
    page = text_of(
        kim.submit(pairings.url("sessions/contribution"), session_id=session_id, got="Contacts")
    )
    assert "Intro" in page and "Contacts" in page

    # Role-plays: a schedule that started three weeks ago has missed ones, flagged.
    started = (datetime.now(UTC) - timedelta(days=21)).date().isoformat()
    page = text_of(ana.submit(pairings.url("roleplays/schedule"), start=started, cadence="weekly"))
    assert "Overdue:" in page
    page = ana.submit(pairings.url("roleplays"), scenario_id="onboarding-new-hire", sequence="0")
    assert "Your role this time: practising the scenario." in text_of(page)
    assert "Your role this time: the counterpart." in text_of(kim.get(pairings.url("roleplays")))
    roleplay_id = re.search(r'name="roleplay_id" value="(\d+)"', page).group(1)  # type: ignore[union-attr]
    ana.submit(pairings.url("roleplays/complete"), roleplay_id=roleplay_id)
    page = text_of(
        ana.submit(pairings.url("roleplays/reflect"), roleplay_id=roleplay_id, reflection="Calmer")
    )
    assert "Your reflection: Calmer" in page

    # Closing: both reflect and choose; closing completes the pairing.
    response = ana.post(pairings.url("closing"), reflection="A good year")
    assert response.status_code == 422 and field_error(response.text, "choice") is not None
    assert ">A good year</textarea>" in response.text
    ana.submit(pairings.url("closing"), reflection="A good year", choice="complete")
    kim.submit(pairings.url("closing"), reflection="Learnt a lot", choice="renew")
    unticked = ana.post(pairings.url("closing/close"))
    assert unticked.status_code == 422
    assert "Tick the box to confirm" in field_error(unticked.text, "close-confirm")
    assert "Close the cycle" in unticked.text  # nothing closed: the step is still offered
    page = text_of(ana.submit(pairings.url("closing/close"), confirm="yes"))
    assert "The cycle is closed." in page and "pairing completed" in page
    assert "you can read it, not change it" in page


def test_a_rematch_ends_the_pairing(pairings: Pairings, ana: Browser) -> None:
    unticked = ana.post(pairings.url("closing/rematch"), reason="Different goals")
    assert unticked.status_code == 422
    assert "Tick the box to confirm" in field_error(unticked.text, "rematch-confirm")
    assert ">Different goals</textarea>" in unticked.text  # what was typed is kept
    response = ana.post(pairings.url("closing/rematch"), reason="Different goals", confirm="yes")
    assert response.status_code == 303 and response.headers["location"] == "/?notice=rematch"
    assert "ended" in text_of(ana.get("/"))


def test_a_button_form_without_its_item_says_so_above_the_page(
    pairings: Pairings, ana: Browser
) -> None:
    response = ana.post(pairings.url("requests/close"))
    assert response.status_code == 422
    assert '<p class="error" role="alert">Choose the item to act on.</p>' in response.text
    page = ana.submit(pairings.url("gaps"), title="Budgeting", category="skill")
    gap_id = re.search(r'<li id="gap-(\d+)"', page).group(1)  # type: ignore[union-attr]
    response = ana.post(pairings.url("gaps/move"), gap_id=gap_id, to="sideways", index="0")
    assert response.status_code == 422
    assert "is not one of: now, next, backburner" in response.text


def test_a_nul_character_is_refused_not_a_server_error(pairings: Pairings, ana: Browser) -> None:
    response = ana.post(pairings.url("charter"), purpose="Grow\x00together", cadence="weekly")
    assert response.status_code == 422 and "cannot be stored" in response.text


def test_a_huge_id_is_refused_not_sent_to_the_database(pairings: Pairings, ana: Browser) -> None:
    response = ana.post(pairings.url("gaps/remove"), gap_id="9" * 30)
    assert response.status_code == 422 and "Is too large." in response.text
    # An id past the database's integers in the path: 422, as the API answers it.
    assert ana.client.get(pairings.url("gaps", pairing_id=10**30)).status_code == 422


def test_a_request_sent_twice_is_asked_once_and_a_withdrawal_says_so(
    pairings: Pairings, ana: Browser
) -> None:
    ana.submit(pairings.url("requests"), topic="How do you plan a quarter?")
    page = ana.submit(pairings.url("requests"), topic="How do you plan a quarter?")  # back, send
    [request_id] = set(re.findall(r'name="request_id" value="(\d+)"', page))
    page = text_of(ana.submit(pairings.url("requests/close"), request_id=request_id))
    assert "Request withdrawn: it no longer counts as asked." in page
