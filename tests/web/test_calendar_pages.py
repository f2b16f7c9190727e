"""The calendar in the pages: a pair schedules, moves and cancels its sessions, each
downloads their invite (text/calendar) and subscribes to a private feed; nobody else
gets the pair's invite; the dashboard shows the nudges that are due."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from icalendar import Calendar
from sqlalchemy import select
from sqlalchemy.orm import Session

from peermentor.services.workspace.guidance import ask_for_guidance
from peermentor.store.audit_models import AuditEntry
from peermentor.store.models import Program
from tests.store.workspace.factories import participant
from tests.web.test_participant_flow import Pairings, pairings, text_of  # noqa: F401

SCHEDULE = {
    "kind": "session",
    "day": (datetime.now(UTC) + timedelta(days=7)).date().isoformat(),
    "at": "10:00",
    "timezone": "Europe/Paris",
    "minutes": "60",
    "cadence": "weekly",
}


def _event(body: bytes):  # type: ignore[no-untyped-def]
    cal = Calendar.from_ical(body)
    return cal, cal.walk("VEVENT")[0]


def _active(p: Pairings):  # type: ignore[no-untyped-def]
    ana, kim = p.sign_in("ana"), p.sign_in("kim")
    ana.submit(p.url("accept"))
    kim.submit(p.url("accept"))
    return ana, kim


def test_a_pair_schedules_moves_and_cancels_its_sessions(pairings: Pairings) -> None:  # noqa: F811
    ana, kim = _active(pairings)
    page = text_of(ana.submit(pairings.url("calendar"), **SCHEDULE))
    assert "Scheduled: the calendar invites are on their way." in page
    assert "Sessions, every week" in page
    html = kim.get(pairings.url("calendar"))
    found = [part.split('"')[0] for part in html.split('href="')[1:] if ".ics" in part]
    assert len(found) == 1
    link = found[0]

    response = kim.client.get(link)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    assert "method=REQUEST" in response.headers["content-type"]
    cal, event = _event(response.content)
    uid = str(event["UID"])
    assert int(event["SEQUENCE"]) == 0 and event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert str(event["SUMMARY"]) == "Peer mentoring session with Ana"

    ana.submit(pairings.url("calendar"), **(SCHEDULE | {"at": "11:30"}))
    _, event = _event(kim.client.get(link).content)
    assert (str(event["UID"]), int(event["SEQUENCE"])) == (uid, 1)

    bad = ana.post(pairings.url("calendar"), **(SCHEDULE | {"timezone": "Mars/Olympus"}))
    assert bad.status_code == 422
    assert "is not a time zone" in text_of(bad.text)
    assert 'aria-invalid="true"' in bad.text

    series_id = link.rsplit("/", 1)[1].removesuffix(".ics")
    kim.submit(f"{pairings.url('calendar')}/cancel", series_id=series_id)
    cal, event = _event(ana.client.get(link).content)
    assert str(cal["METHOD"]) == "CANCEL" and int(event["SEQUENCE"]) == 2

    # Someone of another pairing: refused here, and unknown through their own pairing.
    omar = pairings.sign_in("omar")
    assert omar.client.get(link, follow_redirects=False).status_code == 403
    theirs = f"/pairings/{pairings.other_pairing_id}/calendar/{series_id}.ics"
    assert omar.client.get(theirs, follow_redirects=False).status_code in (404, 409)


def test_the_private_feed_works_without_a_session_until_revoked(pairings: Pairings) -> None:  # noqa: F811
    ana, _ = _active(pairings)
    ana.submit(pairings.url("calendar"), **SCHEDULE)
    made = ana.post("/account/calendar-feed")
    assert made.status_code == 200
    url = made.text.split('id="feed-url" type="text" readonly value="')[1].split('"')[0]
    assert "/calendar/" in url and url.endswith(".ics")
    path = "/" + url.split("/", 3)[3]
    stranger = TestClient(pairings.app, base_url="https://testserver")
    feed = stranger.get(path)
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("text/calendar")
    assert [str(e["SUMMARY"]) for e in Calendar.from_ical(feed.content).walk("VEVENT")] == [
        "Peer mentoring session with Kim"
    ]
    assert "not shown again" in text_of(ana.get("/account"))
    assert url not in ana.get("/account")

    gone = ana.submit("/account/calendar-feed/revoke")
    assert "no longer works" in text_of(gone)
    assert stranger.get(path).status_code == 404
    assert stranger.get("/calendar/not-a-real-token-at-all.ics").status_code == 404


def test_the_pairing_page_shows_the_nudges_due(
    pairings: Pairings,  # noqa: F811
    session: Session,
) -> None:
    _, kim = _active(pairings)
    ask_for_guidance(
        session, participant(pairings.people["ana"]), pairings.pairing_id,
        datetime.now(UTC) - timedelta(days=4), topic="A private topic",
        recipient_id=pairings.people["kim"].id,
    )  # fmt: skip
    # On the pairing's page (the dashboard stays light: its "What now" lists the steps).
    overview = text_of(kim.get(pairings.url()))
    assert "Ana asked you for guidance 4 days ago and is waiting for your answer." in overview
    assert "A private topic" not in overview


def test_the_health_page_lists_inactive_members_and_sets_the_nudges(
    pairings: Pairings,  # noqa: F811
    session: Session,
) -> None:
    admin = pairings.sign_in("admin")
    html = admin.get("/admin/programs")
    path = html.split('href="/admin/programs/')[1].split('"')[0].split("/")[0]
    page = text_of(admin.get(f"/admin/programs/{path}/health"))
    assert "Inactive members" in page and "Nudge settings" in page
    released = admin.submit(f"/admin/programs/{path}/health/release")
    assert "0 proposals released for rematch." in text_of(released)

    saved = admin.submit(f"/admin/programs/{path}/nudges", request_days="2", proposal_days="0")
    assert "Nudge settings saved." in text_of(saved)
    assert 'id="nudge-request_days" name="request_days"' in saved
    assert 'value="2"' in saved.split('id="nudge-request_days"')[1].split(">")[0]
    program = session.get(Program, int(path))
    assert program is not None
    session.refresh(program)
    assert program.settings["nudges"]["request_days"] == 2
    assert program.settings["nudges"]["no_session_weeks"] == 3  # left as it was
    entry = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "program.nudges_changed")
    ).one()
    assert entry.details["request_days"] == 2

    bad = admin.post(f"/admin/programs/{path}/nudges", request_days="400")
    assert bad.status_code == 422 and "nudges.request_days" in bad.text
    bad = admin.post(f"/admin/programs/{path}/nudges", request_days="soon")
    assert bad.status_code == 422 and "whole number" in bad.text
    session.refresh(program)
    assert program.settings["nudges"]["request_days"] == 2
