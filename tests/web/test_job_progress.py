"""The job page reads the job's row: queued (waiting for a worker), then the rows read
(or stored) so far and a bar as a worker reports them, then, once done, the programme
page. A worker is played here step by step, so the page is seen mid-import whatever
the machine's speed (the browser test cannot promise that)."""

from __future__ import annotations

import io
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from peermentor.services import jobs as jobs_service
from peermentor.services.auth import actor_for
from peermentor.services.job_handlers import rows_progress
from peermentor.services.job_runner import Reporter, utcnow
from peermentor.services.programs import create_program
from peermentor.store import jobs_repo
from peermentor.store.models import User
from tests.web.conftest import ADMIN, PEER, sign_in

LEASE = timedelta(seconds=60)


def test_the_job_page_shows_waiting_then_rows_read_then_stored_then_the_result(
    client: TestClient, session: Session
) -> None:
    sign_in(client, *ADMIN)
    admin = session.scalars(select(User).where(User.email == ADMIN[0])).one()
    program = create_program(session, actor_for(admin), "Progress")
    job_id = jobs_service.start_import(
        session, actor_for(admin), program.id, "people.csv", io.BytesIO(b"employee_id\n")
    )
    page = f"/admin/jobs/{job_id}"

    queued = client.get(page)
    assert queued.status_code == 200
    assert "Import of people.csv into Progress" in queued.text
    assert "Working: queued…" in queued.text
    assert "Waiting for a worker" in queued.text

    assert jobs_repo.claim(session, job_id, "tester", utcnow(), LEASE)
    session.commit()
    store = client.app.state.store  # type: ignore[attr-defined]
    reporter = Reporter(store, job_id, jobs_service.IMPORT, "tester", LEASE, utcnow, inline=True)
    rows = rows_progress(reporter)
    rows("reading", 2000, 5000)
    reading = client.get(page)
    assert "Working: reading… 2,000 of 5,000 rows read" in reading.text
    assert 'value="20"' in reading.text  # 40% of the first of two stages
    assert "Waiting for a worker" not in reading.text
    rows("writing", 4500, 5000)
    storing = client.get(page)
    assert "Working: writing… 4,500 of 5,000 rows stored" in storing.text
    assert 'value="95"' in storing.text

    result = {"filename": "people.csv", "problems": [{"row": 2, "column": "name", "message": "x"}]}
    assert jobs_repo.finish(session, job_id, "tester", utcnow(), result)
    session.commit()
    done = client.get(page, follow_redirects=False)
    assert done.status_code == 303
    assert done.headers["location"] == f"/admin/programs/{program.id}?upload={job_id}"
    assert not jobs_repo.has_file(session, job_id)  # the stored upload went with the job


def test_another_admins_job_is_not_found(client: TestClient, session: Session) -> None:
    admin = session.scalars(select(User).where(User.email == ADMIN[0])).one()
    program = create_program(session, actor_for(admin), "Theirs")
    job_id = jobs_service.start_match(session, actor_for(admin), program.id)
    peer = session.scalars(select(User).where(User.email == PEER[0])).one()
    peer.role = "org_admin"
    session.commit()
    sign_in(client, *PEER)
    assert client.get(f"/admin/jobs/{job_id}").status_code == 404
    assert client.get("/admin/jobs/99999999999").status_code == 404
