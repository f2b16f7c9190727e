"""The import's job page while it runs: the rows read (or stored) so far and a bar,
then, once done, the programme page. The work here waits for the test to release it,
so the page is seen mid-import whatever the machine's speed (the browser test cannot
promise that: a fast import may finish between two refreshes)."""

from __future__ import annotations

import threading

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from peermentor.store.models import User
from peermentor.web.jobs import IMPORT_STAGES, JobRegistry, Progress
from peermentor.web.pages.people_upload import _rows_progress
from tests.web.conftest import ADMIN, sign_in


def test_the_job_page_shows_rows_read_then_stored_then_sends_to_the_result(
    client: TestClient, session: Session
) -> None:
    sign_in(client, *ADMIN)
    admin_id = session.scalars(select(User.id).where(User.email == ADMIN[0])).one()
    registry = JobRegistry()  # a real thread: the work touches no database
    client.app.state.jobs = registry  # type: ignore[attr-defined]
    steps = [threading.Event() for _ in range(3)]
    reached = [threading.Event() for _ in range(2)]

    def work(progress: Progress) -> str:
        rows = _rows_progress(progress)
        rows("reading", 2000, 5000)
        reached[0].set()
        steps[0].wait(10)
        rows("writing", 4500, 5000)
        reached[1].set()
        steps[1].wait(10)
        return "imported"

    job = registry.start(
        admin_id,
        "Import of people.csv",
        "/admin/programs",
        work,
        stages=IMPORT_STAGES,
        kind="import",
    )
    try:
        assert reached[0].wait(10)
        reading = client.get(f"/admin/jobs/{job.id}")
        assert reading.status_code == 200
        assert "Working: reading… 2,000 of 5,000 rows read" in reading.text
        assert 'value="20"' in reading.text  # 40% of the first of two stages
        steps[0].set()
        assert reached[1].wait(10)
        storing = client.get(f"/admin/jobs/{job.id}")
        assert "Working: writing… 4,500 of 5,000 rows stored" in storing.text
        assert 'value="95"' in storing.text
    finally:
        for step in steps:
            step.set()
    for _ in range(100):
        if job.status != "running":
            break
        threading.Event().wait(0.05)
    done = client.get(f"/admin/jobs/{job.id}", follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/admin/programs"
