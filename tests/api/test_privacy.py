"""A secret planted through the API in every private field never reaches anyone outside
the pairing: not a participant of another pairing, not the programme admin, not a
stranger; not in any answer, error answers included, admin endpoints included."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from tests.api.conftest import Api
from tests.api.story import close_the_cycle, live_the_story
from tests.web.test_access_matrix import all_routes

SECRET = "PLANTED-5e2b81"
OUTSIDE = ("outsider", "admin", "anonymous")


def _every_request(api: Api, ids: dict[str, Any]) -> list[tuple[str, str]]:
    """(method, path) of every API route, its path filled with real ids of the story."""
    values = {
        "{pairing_id}": api.world.pairing_id,
        "{program_id}": api.world.program.id,
        "{gap_id}": ids["gaps"][0],
        "{request_id}": ids["requests"][0],
        "{session_id}": ids["session"],
        "{feedback_id}": ids["feedback"],
        "{roleplay_id}": ids["roleplay"],
        "{token_id}": ids["token"],
        # No circle in this story (tests/web/test_circles_privacy.py crawls circles).
        "{circle_id}": 999999,
        "{note_id}": 999999,
        "{person_id}": 999999,
    }
    found = []
    for method, template in sorted(all_routes(api.app.routes)):
        if not template.startswith("/api/"):
            continue
        path = template
        for name, value in values.items():
            path = path.replace(name, str(value))
        assert "{" not in path, f"no id to fill {template}"
        found.append((method, path))
        if "{pairing_id}" in template:  # the outsider's own pairing: served, and clean
            found.append(
                (method, template.replace("{pairing_id}", str(api.world.other_pairing_id)))
            )
    return found


def _crawl(api: Api, session: Session, ids: dict[str, Any]) -> dict[str, int]:
    """Ask everything as everyone outside; returns how many answers each got served."""
    served = dict.fromkeys(OUTSIDE, 0)
    for method, path in _every_request(api, ids | {"token": api.token_id(session, "ana")}):
        for who in OUTSIDE:
            savepoint = session.connection().begin_nested()  # a change asked is undone
            try:
                response = api.call(who, method, path, None if method == "GET" else {})
            finally:
                savepoint.rollback()
            assert SECRET not in response.text, f"{method} {path} as {who} leaked the secret"
            served[who] += response.status_code < 300
    return served


def test_a_planted_secret_never_reaches_anyone_outside_the_pairing(
    proposed_api: Api, session: Session
) -> None:
    api = proposed_api
    ids = live_the_story(api, ["ana", "kim"], SECRET, close=False)
    api.ok("ana", "POST", api.pairing("/pause"), {"reason": SECRET})
    api.ok("kim", "POST", api.pairing("/resume"))
    # The members do read it (so the crawl below looks for something that is there).
    assert SECRET in api.call("kim", "GET", api.pairing("/feedback")).text
    assert SECRET in api.call("ana", "GET", api.pairing("/charter")).text

    served = _crawl(api, session, ids)
    close_the_cycle(api, ["ana", "kim"], SECRET)
    served_after = _crawl(api, session, ids)

    # Not a vacuous pass: the outsider reads their own pairing and overview, the admin
    # the programme's health, and neither was refused everything.
    assert served["outsider"] > 10 and served["admin"] >= 3
    assert served_after["outsider"] > 10 and served["anonymous"] == 0


def test_the_admin_reads_numbers_of_the_pairing_not_its_words(
    proposed_api: Api,
) -> None:
    api = proposed_api
    live_the_story(api, ["ana", "kim"], SECRET, close=False)
    health = api.ok("admin", "GET", f"/api/programs/{api.world.program.id}/health")
    counts = {row["state"]: row["pairings"] for row in health["by_state"]}
    assert counts["active"] == 1 and counts["proposed"] == 1  # ours, and the outsider's
    # One pairing checked in: fewer than five, so no averages at all.
    assert health["checkins"]["enough_data"] is False and health["checkins"]["trust"] is None
