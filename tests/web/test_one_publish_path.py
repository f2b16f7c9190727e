"""Publishing is one use case: the review page's Publish button and the API's POST
publish leave the same trace (issue #10). Before, the API proposed the pairings but
left the match run marked draft, and wrote its audit entry without the run."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from peermentor.demo_org import demo_people_csv
from peermentor.services.access import SYSTEM
from peermentor.services.auth import actor_for, create_api_token
from peermentor.services.matching import run_match
from peermentor.services.people import import_people
from peermentor.store.audit_models import AuditEntry
from peermentor.store.models import MatchRun, Pairing, Program, User
from tests.programs import pid
from tests.web.conftest import ADMIN, sign_in


def _publish_with_the_page(client: TestClient, session: Session, program_id: int) -> None:
    csrf = sign_in(client, *ADMIN)
    response = client.post(
        f"/admin/programs/{program_id}/publish", data={"csrf_token": csrf, "confirm": "yes"}
    )
    assert response.status_code == 200 and "proposed" in response.text


def _publish_with_the_api(client: TestClient, session: Session, program_id: int) -> None:
    admin = session.scalars(select(User).where(User.email == ADMIN[0])).one()
    token = create_api_token(session, actor_for(admin), "admin's script", datetime.now(UTC))
    response = client.post(
        f"/api/programs/{program_id}/publish", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200, response.text
    assert response.json()["published"] > 0


@pytest.mark.parametrize(
    "publish", [_publish_with_the_page, _publish_with_the_api], ids=["page", "api"]
)
def test_page_and_api_publish_the_same_way(client: TestClient, session: Session, publish) -> None:  # type: ignore[no-untyped-def]
    import_people(session, SYSTEM, "Cohort", demo_people_csv(20, seed=3).encode())
    outcome = run_match(session, SYSTEM, pid(session, "Cohort"))
    run = session.get_one(MatchRun, outcome.run_id)
    program_id = run.program_id

    publish(client, session, program_id)

    session.expire_all()
    run = session.get_one(MatchRun, outcome.run_id)
    assert run.status == "published" and run.published_at is not None
    assert session.get_one(Program, program_id).status == "active"  # no longer "enrolling"
    assert run.summary["published"] is True
    states = session.scalars(select(Pairing.state).where(Pairing.match_run_id == run.id)).all()
    assert len(states) == len(outcome.result.pairings) and set(states) == {"proposed"}
    entries = session.scalars(
        select(AuditEntry).where(
            AuditEntry.action == "match.published", AuditEntry.program_id == program_id
        )
    ).all()
    assert [(e.target_kind, e.target_id, e.details) for e in entries] == [
        ("match_run", run.id, {"pairings": len(states)})
    ]


def test_api_publish_without_a_draft_is_refused_like_the_page(
    client: TestClient, session: Session
) -> None:
    import_people(session, SYSTEM, "Cohort", demo_people_csv(6, seed=3).encode())
    run_match(session, SYSTEM, pid(session, "Cohort"), publish=True)
    program_id = session.scalars(select(MatchRun.program_id)).first()
    admin = session.scalars(select(User).where(User.email == ADMIN[0])).one()
    token = create_api_token(session, actor_for(admin), "admin's script", datetime.now(UTC))
    response = client.post(
        f"/api/programs/{program_id}/publish", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 422
    assert "no draft match to publish" in response.text
