"""The admin page of leaving well, and a participant's blocks page: who may open them,
closing a report (a note, then a confirmation step), pairings ended early in numbers
over 5 or more only, the rematch cooldown refusing bad input next to its field, and
removing a block after a confirmation step. Each change leaves an audit entry."""

# ruff: noqa: F811 (tests take the imported `pairings` fixture as an argument)
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from peermentor.services.access import SYSTEM
from peermentor.services.availability import cooldown_days
from peermentor.services.users import create_program_admin
from peermentor.store import leave_repo
from peermentor.store.audit_models import AuditEntry
from peermentor.store.leave_models import Block, Report
from peermentor.store.models import Pairing, Program
from tests.store.workspace.factories import make_person, make_program, propose
from tests.web.conftest import sign_in
from tests.web.test_participant_access import activate
from tests.web.test_participant_flow import (
    PASSWORD,
    Browser,
    Pairings,
    pairings,  # noqa: F401 (the fixture)
    text_of,
)

REPORT_WORDS = "he kept selling me his coaching 7a1f"
NOTE_WORDS = "spoke with both, moved on 3e9c"
LEAD, ELSEWHERE = "lead-autumn@example.com", "lead-elsewhere@example.com"


@pytest.fixture
def admins(pairings: Pairings, session: Session) -> Pairings:
    """Plus an admin of the pairings' programme and an admin of another programme."""
    create_program_admin(session, SYSTEM, LEAD, PASSWORD, "Autumn cohort")
    make_program(session, name="Elsewhere")
    create_program_admin(session, SYSTEM, ELSEWHERE, PASSWORD, "Elsewhere")
    session.commit()
    return pairings


def browser(world: Pairings, email: str) -> Browser:
    client = TestClient(world.app, base_url="https://testserver")
    client.__enter__()
    world.browsers.append(client)
    return Browser(client, sign_in(client, email, PASSWORD))


def program_id(world: Pairings, session: Session) -> int:
    pairing = session.get(Pairing, world.pairing_id)
    assert pairing is not None
    return pairing.program_id


def leaving(world: Pairings, session: Session, tail: str = "") -> str:
    return f"/admin/programs/{program_id(world, session)}/leaving" + tail


def actions(session: Session) -> list[str]:
    return [e.action for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id))]


@pytest.fixture
def reported(admins: Pairings, session: Session) -> Report:
    """Ana reported Kim, through the page."""
    activate(admins, session)
    ana = admins.sign_in("ana")
    ana.submit(admins.url("leave/report"), category="selling", details=REPORT_WORDS)
    return session.scalars(select(Report)).one()


def test_the_programmes_admins_read_the_report(
    admins: Pairings, reported: Report, session: Session
) -> None:
    for who in (browser(admins, LEAD), admins.sign_in("admin")):
        page = text_of(who.get(leaving(admins, session)))
        assert "Open reports" in page and "Pressure to buy services" in page
        assert "By Ana Silva" in page and f"#{admins.pairing_id}, with Kim Park" in page
        assert REPORT_WORDS in page
    assert "report.filed" in actions(session)


def test_everyone_else_is_refused(admins: Pairings, reported: Report, session: Session) -> None:
    url = leaving(admins, session)
    for who in (browser(admins, ELSEWHERE), admins.sign_in("kim"), admins.sign_in("ana")):
        for response in (
            who.client.get(url),
            who.post(url + "/close", report_id=str(reported.id), note="x", confirmed="1"),
            who.post(url + "/cooldown", cooldown_days="3"),
        ):
            assert response.status_code == 403
            assert REPORT_WORDS not in response.text
    anonymous = TestClient(admins.app, base_url="https://testserver")
    response = anonymous.get(url, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
    assert session.get(Report, reported.id).status == "open"  # type: ignore[union-attr]


def test_closing_a_report_takes_a_note_then_a_confirmation(
    admins: Pairings, reported: Report, session: Session
) -> None:
    lead = browser(admins, LEAD)
    url = leaving(admins, session, "/close")
    empty = lead.post(url, report_id=str(reported.id), note="  ")
    assert empty.status_code == 422
    assert f'id="note-{reported.id}-error"' in empty.text and "1 to 2000 characters" in empty.text

    ask = lead.post(url, report_id=str(reported.id), note=NOTE_WORDS)
    assert ask.status_code == 200 and "Close this report?" in ask.text
    assert "Yes, close the report" in ask.text and NOTE_WORDS in ask.text
    session.refresh(reported)
    assert reported.status == "open"  # nothing changed yet

    page = lead.submit(url, report_id=str(reported.id), note=NOTE_WORDS, confirmed="1")
    assert "The report is closed; your note is kept with it." in page
    assert "No open reports." in page and NOTE_WORDS in page  # under "Closed reports"
    session.refresh(reported)
    assert (reported.status, reported.admin_note) == ("closed", NOTE_WORDS)
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "report.closed")).one()
    assert (entry.target_kind, entry.target_id) == ("report", reported.id)
    assert NOTE_WORDS not in str(entry.details)

    again = lead.post(url, report_id=str(reported.id), note=NOTE_WORDS, confirmed="1")
    assert again.status_code == 422 and "already closed" in again.text
    assert lead.post(url, report_id="999999", note="x").status_code == 404
    assert lead.post(url, report_id="soon", note="x").status_code == 422


def test_another_programmes_report_is_not_found_here(
    admins: Pairings, reported: Report, session: Session
) -> None:
    elsewhere = session.scalars(select(Program).where(Program.name == "Elsewhere")).one()
    lead = admins.sign_in("admin")  # an organisation admin, who manages both
    response = lead.post(
        f"/admin/programs/{elsewhere.id}/leaving/close", report_id=str(reported.id), note="x"
    )
    assert response.status_code == 404 and REPORT_WORDS not in response.text


def _ended_early(world: Pairings, session: Session, tag: str, reasons: list[str]) -> None:
    program = session.get(Program, program_id(world, session))
    assert program is not None
    now = datetime.now(UTC) - timedelta(days=2)
    for n, reason in enumerate(reasons):
        a = make_person(session, f"Left {tag}{n} A")
        b = make_person(session, f"Left {tag}{n} B")
        pairing = propose(session, program, [a, b], now)
        leave_repo.add_early_ending(
            session,
            program_id=program.id,
            pairing_id=pairing,
            person_id=a.id,
            reason=reason,
            details=f"private words {n}",
            created_at=now,
        )
    session.commit()


def test_endings_show_as_counts_over_five_only(admins: Pairings, session: Session) -> None:
    lead = browser(admins, LEAD)
    _ended_early(admins, session, "a", ["no_time"] * 3)
    page = text_of(lead.get(leaving(admins, session)))
    counts = page.split("Each ending, newest first")[0]
    assert "Fewer than 5 pairings ended early" in counts and "I do not have the time" not in counts

    _ended_early(admins, session, "b", ["no_time"] * 3 + ["not_a_fit"] * 3 + ["other"] * 2)
    page = text_of(lead.get(leaving(admins, session)))
    assert "11 pairings ended early" in page
    assert "I do not have the time now 6" in page
    # 3 and 2 apart would each be under 5: shown together, never one by one.
    assert "Other reasons, together (each fewer than 5) 5" in page
    assert "We are not a good fit" not in page.split("Each ending, newest first")[0]

    today = datetime.now(UTC).date()
    old = lead.get(
        leaving(
            admins,
            session,
            f"?start={today - timedelta(days=400)}&end={today - timedelta(days=300)}",
        )
    )
    assert "Fewer than 5 pairings ended early" in text_of(old)
    bad = lead.client.get(leaving(admins, session, "?start=yesterday"))
    assert bad.status_code == 422 and 'id="start-error"' in bad.text
    backwards = lead.client.get(leaving(admins, session, f"?start={today}&end=2001-01-01"))
    assert backwards.status_code == 422 and "must not be before" in backwards.text


def test_each_ending_with_its_words_is_for_the_programmes_admins(
    admins: Pairings, session: Session
) -> None:
    _ended_early(admins, session, "a", ["not_a_fit", "other"])
    lead = text_of(browser(admins, LEAD).get(leaving(admins, session)))
    assert "Left a1 A ended pairing" in lead and "Left a0 A ended pairing" in lead
    assert "We are not a good fit" in lead and "private words 0" in lead
    assert lead.index("Left a1 A") < lead.index("Left a0 A")  # newest first
    # The counts stay folded while fewer than 5 ended.
    assert "Fewer than 5 pairings ended early" in lead
    elsewhere = browser(admins, ELSEWHERE).client.get(leaving(admins, session))
    assert elsewhere.status_code in (403, 404) and "private words" not in elsewhere.text
    member = admins.sign_in("ana").client.get(leaving(admins, session))
    assert member.status_code in (403, 404) and "private words" not in member.text


def test_the_cooldown_is_shown_changed_and_refused_when_bad(
    admins: Pairings, session: Session
) -> None:
    lead = browser(admins, LEAD)
    url = leaving(admins, session, "/cooldown")
    assert "matched again after 30 days" in text_of(lead.get(leaving(admins, session)))
    for bad in ("", "abc", "-1", "366", "2.5"):
        response = lead.post(url, cooldown_days=bad)
        assert response.status_code == 422, bad
        assert 'id="cooldown_days-error"' in response.text
        assert "A whole number of days from 0 to 365." in response.text
        assert f'value="{bad}"' in response.text  # what was typed, kept
    page = lead.submit(url, cooldown_days="14")
    assert "The rematch cooldown is saved." in page and "after 14 days" in text_of(page)
    program = session.get(Program, program_id(admins, session))
    assert program is not None
    session.refresh(program)
    assert cooldown_days(program) == 14
    entry = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "program.cooldown_changed")
    ).one()
    assert entry.details == {"cooldown_days": 14, "previous_days": 30}


def test_the_programme_pages_link_to_the_leaving_page(admins: Pairings, session: Session) -> None:
    lead = browser(admins, LEAD)
    page = lead.get(f"/admin/programs/{program_id(admins, session)}/settings")
    assert f'href="{leaving(admins, session)}"' in page


# --- a participant's blocks ------------------------------------------------------------


def test_my_blocks_by_name_and_removing_one_asks_first(admins: Pairings, session: Session) -> None:
    activate(admins, session)
    ana = admins.sign_in("ana")
    assert 'href="/account/blocks"' in ana.get("/account")
    assert "You have not blocked anyone." in ana.get("/account/blocks")
    ana.submit(admins.url("leave/block"), confirmed="1")
    page = text_of(ana.get("/account/blocks"))
    assert "Kim Park" in page and "kim.park@example.com" not in page
    kim_id = admins.people["kim"].id

    ask = ana.post("/account/blocks/remove", person_id=str(kim_id))
    assert ask.status_code == 200 and "Remove the block on Kim Park?" in text_of(ask.text)
    assert len(session.scalars(select(Block)).all()) == 1  # nothing changed yet
    page = ana.submit("/account/blocks/remove", person_id=str(kim_id), confirmed="1")
    assert "The block is removed" in page and "You have not blocked anyone." in page
    assert not session.scalars(select(Block)).all()
    assert actions(session)[-2:] == ["block.added", "block.removed"]
    blocks = session.scalars(select(AuditEntry).where(AuditEntry.action.like("block.%"))).all()
    assert all(e.target_id is None for e in blocks)  # who was blocked stays hers


def test_nobody_else_is_told_or_can_unblock(admins: Pairings, session: Session) -> None:
    activate(admins, session)
    admins.sign_in("ana").submit(admins.url("leave/block"), confirmed="1")
    kim = admins.sign_in("kim")
    assert "You have not blocked anyone." in kim.get("/account/blocks")
    ana_id = admins.people["ana"].id
    kim_id = admins.people["kim"].id
    # Kim cannot lift a block on herself, nor learn of one by trying.
    assert kim.post("/account/blocks/remove", person_id=str(ana_id)).status_code == 404
    assert kim.post("/account/blocks/remove", person_id=str(kim_id)).status_code == 404
    assert len(session.scalars(select(Block)).all()) == 1
    lead = browser(admins, LEAD)
    assert "not a participant" in lead.get("/account/blocks")
    assert lead.post("/account/blocks/remove", person_id=str(kim_id)).status_code == 403
    assert kim.post("/account/blocks/remove", person_id="x").status_code == 422
