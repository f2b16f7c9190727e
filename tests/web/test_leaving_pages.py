"""The availability and leaving page of a pairing: pause and resume, capacity, end
early after a confirmation step, report a problem, block after a confirmation step.
The partner hears that the pairing ended, never why; a report's words reach no page
of the pairing, the writer's or the partner's."""

# ruff: noqa: F811 (tests take the imported `pairings` fixture as an argument)
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from peermentor.store.leave_models import Block, EarlyEnding, Report
from peermentor.store.mail_models import OutboxMessage
from tests.web.test_participant_access import activate
from tests.web.test_participant_flow import (
    Browser,
    Pairings,
    pairings,  # noqa: F401 (the fixture)
    text_of,
)

REASON_WORDS = "my manager moved me to nights 5c1e"
REPORT_WORDS = "kept selling me a course 9b2d"


@pytest.fixture
def ana(pairings: Pairings, session: Session) -> Browser:
    activate(pairings, session)
    return pairings.sign_in("ana")


def test_pause_until_a_date_then_resume_and_capacity(pairings: Pairings, ana: Browser) -> None:
    page = ana.get(pairings.url("leave"))
    assert "You are available to be matched." in text_of(page)
    until = (datetime.now(UTC) + timedelta(days=20)).date().isoformat()
    page = ana.submit(pairings.url("leave/availability"), paused_until=until, capacity="2")
    assert "Your availability is saved." in page
    assert f"You have paused matching until {until}." in text_of(page)
    assert '<option value="2" selected>' in page
    # The partner is told of the break, not why (there is no why to tell).
    kim = pairings.sign_in("kim")
    assert "paused matching" not in kim.get(pairings.url("leave"))

    page = ana.submit(
        pairings.url("leave/availability"), paused_until=until, capacity="2", resume="1"
    )
    assert "You are available to be matched." in text_of(page)


def test_a_past_date_or_bad_capacity_is_refused_next_to_its_field(
    pairings: Pairings, ana: Browser
) -> None:
    response = ana.post(pairings.url("leave/availability"), paused_until="2001-01-01")
    assert response.status_code == 422
    assert 'id="paused_until-error"' in response.text and "A date from today on." in response.text
    assert 'value="2001-01-01"' in response.text
    response = ana.post(pairings.url("leave/availability"), capacity="7")
    assert response.status_code == 422 and 'id="capacity-error"' in response.text
    response = ana.post(pairings.url("leave/availability"), paused_until="soon")
    assert response.status_code == 422 and "YYYY-MM-DD" in response.text


def test_ending_early_asks_first_and_the_partner_never_sees_why(
    pairings: Pairings, ana: Browser, session: Session
) -> None:
    first = ana.post(pairings.url("leave/end"), reason="no_time", details=REASON_WORDS)
    assert first.status_code == 200
    assert "End this pairing early?" in first.text and "Yes, end the pairing" in first.text
    assert not session.scalars(select(EarlyEnding)).all()  # nothing changed yet

    response = ana.post(pairings.url("leave/end"), reason="", details="")
    assert response.status_code == 422 and 'id="reason-error"' in response.text

    page = ana.submit(
        pairings.url("leave/end"), reason="no_time", details=REASON_WORDS, confirmed="1"
    )
    assert "The pairing has ended." in page
    ending = session.scalars(select(EarlyEnding)).one()
    assert ending.reason == "no_time" and ending.details == REASON_WORDS
    kim = pairings.sign_in("kim")
    for tail in ("", "leave", "closing", "charter"):
        for who in (kim, ana):
            html = who.get(pairings.url(tail))
            assert REASON_WORDS not in html and "I do not have the time" not in html
    assert kim.get("/").count(REASON_WORDS) == 0
    mails = session.scalars(select(OutboxMessage)).all()
    assert mails and all(REASON_WORDS not in m.text_body + m.html_body for m in mails)


def test_a_report_goes_to_admins_only(pairings: Pairings, ana: Browser, session: Session) -> None:
    response = ana.post(pairings.url("leave/report"), category="selling", details="  ")
    assert response.status_code == 422 and 'id="report-details-error"' in response.text
    page = ana.submit(pairings.url("leave/report"), category="selling", details=REPORT_WORDS)
    assert "Your report was sent" in page and REPORT_WORDS not in page
    assert session.scalars(select(Report)).one().details == REPORT_WORDS
    kim = pairings.sign_in("kim")
    for tail in ("", "leave"):
        assert REPORT_WORDS not in kim.get(pairings.url(tail))


def test_blocking_asks_first(pairings: Pairings, ana: Browser, session: Session) -> None:
    first = ana.post(pairings.url("leave/block"))
    assert first.status_code == 200 and "Yes, never match us again" in first.text
    assert "Block Kim Park?" in text_of(first.text)
    assert not session.scalars(select(Block)).all()
    page = ana.submit(pairings.url("leave/block"), confirmed="1")
    assert "Blocked: you will not be matched with them again." in page
    assert len(session.scalars(select(Block)).all()) == 1
