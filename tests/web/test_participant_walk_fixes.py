"""What a first walk through the participant pages found (issue 13), each pinned:
the charter form keeps the goals typed in its box, refuses an empty save and names
people, not ids; an empty session log is refused; a feedback form with three blank
parts names all three; the wording reads as sentences."""

# ruff: noqa: F811 (tests take the imported `pairings` fixture as an argument)
from __future__ import annotations

import re
from datetime import UTC, datetime

from tests.web.test_participant_flow import (
    Browser,
    Pairings,
    pairings,  # noqa: F401 (the fixture)
    text_of,
)
from tests.web.test_participant_forms import ana, field_error  # noqa: F401 (the fixture)


def test_goals_typed_in_the_box_are_saved_with_the_charter(
    pairings: Pairings, ana: Browser
) -> None:
    page = text_of(
        ana.submit(pairings.url("charter"), purpose="Grow", cadence="monthly", goals="Lead\nCoach")
    )
    assert "Your goals" in page and "Lead" in page and "Coach" in page
    assert "Goals of you" not in page


def test_an_empty_charter_save_is_refused_and_nothing_is_written(
    pairings: Pairings, ana: Browser
) -> None:
    response = ana.post(pairings.url("charter"), purpose="  ", cadence="fortnightly")
    assert response.status_code == 422
    assert "nothing was saved" in field_error(response.text, "purpose")
    assert "Nobody has written the charter yet" in text_of(ana.get(pairings.url("charter")))


def test_a_one_sided_charter_refusal_names_the_person(pairings: Pairings, ana: Browser) -> None:
    ana.submit(pairings.url("charter"), purpose="Grow", cadence="monthly", goals="Lead")
    response = ana.post(pairings.url("charter/agree"))
    assert response.status_code == 409
    page = text_of(response.text)
    assert re.search(r"none yet from [A-Z][a-z]+ [A-Z]", page), page
    assert not re.search(r"none yet from \d", page)


def test_an_empty_session_log_is_refused(pairings: Pairings, ana: Browser) -> None:
    today = datetime.now(UTC).date().isoformat()
    response = ana.post(pairings.url("sessions"), held_on=today, duration_minutes="60")
    assert response.status_code == 422
    assert "nothing was logged" in field_error(response.text, "topics")
    assert "60 minutes" not in text_of(ana.get(pairings.url("sessions")))


def test_three_blank_feedback_parts_are_three_problems_each_marked(
    pairings: Pairings, ana: Browser
) -> None:
    response = ana.post(pairings.url("feedback"), dimension="behaviour")
    assert response.status_code == 422
    assert "3 problems" in text_of(response.text)
    for field_id in ("fb-situation", "fb-behaviour", "fb-impact"):
        assert field_error(response.text, field_id) == "Must not be empty."


def test_the_wording_reads_as_sentences(pairings: Pairings, ana: Browser) -> None:
    feedback = text_of(ana.get(pairings.url("feedback")))
    assert "About their" not in feedback and "What the feedback is about" in feedback
    home = text_of(ana.get(pairings.url()))
    assert "What you read" not in home


def test_the_balance_says_nothing_yet_before_anything_happened(
    pairings: Pairings, ana: Browser
) -> None:
    page = text_of(ana.get(pairings.url()))
    assert "Nothing given or taken yet" in page
    assert "about balanced" not in page and "index +0.00" not in page


def test_a_gap_leads_to_a_request_for_help_with_it(pairings: Pairings, ana: Browser) -> None:
    page = ana.submit(pairings.url("gaps"), title="Public speaking", category="skill")
    assert "may offer help" not in page  # no promise the page cannot keep
    link = re.search(
        r'href="(/pairings/\d+/requests\?gap=(\d+))#ask-topic">Ask for help with this', page
    )
    assert link, page
    form = ana.get(link.group(1))
    assert 'value="Help with: Public speaking"' in form
    assert re.search(rf'<option value="{link.group(2)}" selected>Public speaking', form)
    asked = ana.submit(
        pairings.url("requests"), topic="Help with: Public speaking", gap_id=link.group(2)
    )
    assert "Public speaking" in text_of(asked)
    # Someone else's gap id in the address starts a blank form.
    blank = ana.get(pairings.url("requests") + "?gap=999999")
    assert 'value="Help with:' not in blank
