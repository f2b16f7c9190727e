"""Choosing one's own peer through the JSON API, on SQLite and PostgreSQL: an admin
sets how the programme matches (refused values in FastAPI's 422 shape), a participant
reads suggestions without a score, asks (201), the asked person accepts and the
pairing is live; a decline reads 'not_taken_up' to the asker; the audit keeps no text."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from peermentor.demo_org import demo_people_csv
from peermentor.services.access import SYSTEM
from peermentor.services.auth import actor_for, create_api_token
from peermentor.services.people import import_people
from peermentor.services.users import create_program_admin, create_user
from peermentor.store.audit_models import AuditEntry
from peermentor.store.models import Pairing, Person, Program
from tests.api.conftest import NOW, Api, Clock
from tests.programs import pid

LEAD = ("lead@example.com", "lead-password-12")


@dataclass
class Choosers(Api):
    """The API with a token for each of the programme's people (by person id) and admin."""

    program_id: int = 0


@pytest.fixture
def api(session: Session, tmp_path: Path) -> Choosers:
    from sqlalchemy.orm import sessionmaker

    from peermentor.config import Settings
    from peermentor.runtime import Store
    from peermentor.web import deps
    from peermentor.web.app import create_app
    from tests.store.workspace.factories import World

    import_people(session, SYSTEM, "Choosers", demo_people_csv(10, seed=5).encode())
    program_id = pid(session, "Choosers")
    people = session.scalars(select(Person).order_by(Person.id)).all()[3:]
    tokens = {}
    for person in people:
        user = create_user(session, SYSTEM, person.email, None, person_id=person.id)
        tokens[str(person.id)] = create_api_token(session, actor_for(user), "script", NOW)
    admin, _ = create_program_admin(session, SYSTEM, *LEAD, "Choosers")
    tokens["admin"] = create_api_token(session, actor_for(admin), "admin's script", NOW)
    session.commit()
    connection = session.connection()
    factory = sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    settings = Settings(database_url="sqlite:///unused.db", secret_key_file=tmp_path / "secret")
    app = create_app(settings, Store(engine=connection.engine, sessions=factory))
    clock = Clock()
    app.dependency_overrides[deps.now] = lambda: clock.now
    # Not the workspace tests' world: the personas here are the programme's people.
    world = World(session.get(Program, program_id), {}, 0, 0)  # type: ignore[arg-type]
    return Choosers(app, world, clock, tokens, program_id=program_id)


def test_an_admin_opens_choosing_and_two_people_pair_by_the_api(
    api: Choosers, session: Session
) -> None:
    program_id = api.program_id
    base = f"/api/programs/{program_id}"
    before = api.ok("admin", "GET", f"{base}/self-match")
    assert before["settings"]["mode"] == "admin" and before["open"] is False
    refused = api.call("admin", "PUT", f"{base}/self-match", {"mode": "both"})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "window_ends"]
    bad = api.call("admin", "PUT", f"{base}/self-match", {"mode": "self", "reply_days": 99})
    assert bad.status_code == 422
    saved = api.ok("admin", "PUT", f"{base}/self-match", {"mode": "self", "suggestions": 3})
    assert saved["settings"] == {
        "mode": "self",
        "mode_words": "People choose their own peer",
        "window_ends": None,
        "reply_days": 7,
        "suggestions": 3,
    }
    assert saved["open"] is True and saved["waiting"] == 0

    asker = next(k for k in api.tokens if k != "admin")
    mine = api.ok(asker, "GET", f"{base}/choosing")
    assert mine["open"] is True and mine["why_not"] == ""
    assert 1 <= len(mine["suggestions"]) <= 3
    assert all("score" not in s for s in mine["suggestions"])
    asked = str(mine["suggestions"][0]["person_id"])
    assert api.call("admin", "GET", f"{base}/choosing").status_code == 403
    made = api.call(asker, "POST", f"{base}/choosing/requests", {"person_id": int(asked)})
    assert made.status_code == 201
    request_id = made.json()["request_id"]
    again = api.call(asker, "POST", f"{base}/choosing/requests", {"person_id": int(asked)})
    assert again.status_code == 409
    # Only the asked person answers; only the asker withdraws.
    assert api.call(asker, "POST", f"/api/choosing/requests/{request_id}/accept").status_code == 404
    withdraw = f"/api/choosing/requests/{request_id}/withdraw"
    assert api.call(asked, "POST", withdraw).status_code == 404
    theirs = api.ok(asked, "GET", f"{base}/choosing")
    [received] = theirs["received"]
    assert received["request_id"] == request_id and received["status"] == "open"
    assert received["person_id"] == int(asker)
    answered = api.ok(asked, "POST", f"/api/choosing/requests/{request_id}/accept")
    pairing = session.get(Pairing, answered["pairing_id"])
    assert pairing is not None
    session.refresh(pairing)
    assert pairing.state == "active"
    [sent] = api.ok(asker, "GET", f"{base}/choosing")["sent"]
    assert sent["status"] == "accepted" and sent["pairing_id"] == pairing.id
    assert api.ok(asker, "GET", f"/api/pairings/{pairing.id}")
    counts = api.ok("admin", "GET", f"{base}/self-match")
    assert (counts["chosen_pairings"], counts["waiting"], counts["closed_without_pair"]) == (
        1,
        0,
        0,
    )
    # The audit keeps flags and numbers, never names or words.
    entries = session.scalars(
        select(AuditEntry).where(
            AuditEntry.action.in_(("program.self_match_changed", "selfmatch.paired"))
        )
    ).all()
    assert {e.action for e in entries} == {"program.self_match_changed", "selfmatch.paired"}
    changed = next(e for e in entries if e.action == "program.self_match_changed")
    assert changed.details["choosing"] is True and changed.details["run_after_window"] is False


def test_a_decline_reads_not_taken_up_to_the_asker(api: Choosers) -> None:
    program_id = api.program_id
    base = f"/api/programs/{program_id}"
    api.ok("admin", "PUT", f"{base}/self-match", {"mode": "self"})
    asker = next(k for k in api.tokens if k != "admin")
    asked = str(api.ok(asker, "GET", f"{base}/choosing")["suggestions"][0]["person_id"])
    made = api.ok(asker, "POST", f"{base}/choosing/requests", {"person_id": int(asked)})
    declined = api.ok(asked, "POST", f"/api/choosing/requests/{made['request_id']}/decline")
    assert declined == {"pairing_id": None}
    after = api.ok(asker, "GET", f"{base}/choosing")
    [sent] = after["sent"]
    assert sent["status"] == "not_taken_up" and sent["words"] == "Not taken up"
    assert int(asked) not in {s["person_id"] for s in after["suggestions"]}
    # Answering again: the request is closed (409).
    again = api.call(asked, "POST", f"/api/choosing/requests/{made['request_id']}/accept")
    assert again.status_code == 409
