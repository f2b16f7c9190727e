"""The people upload is a job a worker runs: on a real server with a worker beside it,
/healthz answers while a 5,000-row import is still under way; the result is right, and
neither the stored upload nor the worker's temporary copy is left behind."""

from __future__ import annotations

import re
import socket
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from sqlalchemy import func, select

from peermentor.config import Settings
from peermentor.demo_org import demo_people_csv
from peermentor.runtime import open_store
from peermentor.services.access import SYSTEM
from peermentor.services.users import create_admin
from peermentor.services.worker import Worker
from peermentor.store import jobs_repo
from peermentor.store.jobs_models import JobFile
from peermentor.web.app import create_app
from tests.web.conftest import ADMIN, csrf_of


@pytest.fixture
def uploads_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Temporary files of this test (the upload's copy among them) go here."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def live(tmp_path: Path, uploads_dir: Path) -> Iterator[tuple[httpx.Client, Any]]:
    """A real uvicorn server in a thread and a worker in another, as the demo runs them."""
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'live.db'}",
        secret_key_file=tmp_path / "secret",
        insecure_cookies=True,
    )
    store = open_store(settings)
    with store.sessions() as session:
        create_admin(session, SYSTEM, *ADMIN)
        session.commit()
    app = create_app(settings, store)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    worker = Worker(store, settings)
    worker_thread = worker.start_thread(interval=0.1)
    with httpx.Client(
        base_url=f"http://127.0.0.1:{port}", timeout=30, follow_redirects=True
    ) as client:
        for _ in range(200):
            if server.started:
                break
            threading.Event().wait(0.05)
        yield client, store
    worker.stop.set()
    worker_thread.join(timeout=30)
    server.should_exit = True
    thread.join(timeout=10)
    store.close()


def state_of(store: Any, job_id: int) -> str:
    with store.sessions() as session:
        job = jobs_repo.get(session, job_id)
        assert job is not None
        return job.state


def wait_until_over(store: Any, job_id: int) -> None:
    for _ in range(6000):
        if state_of(store, job_id) in ("done", "failed"):
            return
        threading.Event().wait(0.05)
    raise AssertionError("the import job did not end")


def nothing_stored_for_jobs(store: Any) -> bool:
    with store.sessions() as session:
        return session.scalar(select(func.count()).select_from(JobFile)) == 0


def test_healthz_answers_while_a_5000_row_import_runs(
    live: tuple[httpx.Client, Any], uploads_dir: Path
) -> None:
    client, store = live
    login = client.get("/login")
    client.post(
        "/login",
        data={"email": ADMIN[0], "password": ADMIN[1], "csrf_token": csrf_of(login.text)},
    )
    csrf = csrf_of(client.get("/admin/programs").text)
    created = client.post("/admin/programs", data={"name": "Big", "csrf_token": csrf})
    program_id = int(str(created.url).rsplit("/", 1)[1])
    csv_text = demo_people_csv(5000, seed=12)
    started = client.post(
        f"/admin/programs/{program_id}/people",
        data={"csrf_token": csrf},
        files={"file": ("big.csv", csv_text.encode(), "text/csv")},
        follow_redirects=False,
    )
    assert started.status_code == 303
    job_id = int(started.headers["location"].rsplit("/", 1)[1])

    health = client.get("/healthz")
    assert health.status_code == 200 and health.json() == {"status": "ok"}
    assert state_of(store, job_id) != "done", "healthz had to wait for the import"
    progress = client.get(started.headers["location"])
    assert progress.status_code == 200 and "Working:" in progress.text

    wait_until_over(store, job_id)
    done = client.get(started.headers["location"])
    assert done.status_code == 200, done.text
    assert "Imported 5000 people: 5000 new" in done.text
    assert "5,000 people enrolled" in done.text
    assert list(uploads_dir.iterdir()) == []  # the worker's temporary copy is removed
    assert nothing_stored_for_jobs(store)  # and so is the upload stored with the job


def test_a_rejected_upload_shows_every_problem_and_leaves_no_file(
    live: tuple[httpx.Client, Any], uploads_dir: Path
) -> None:
    client, store = live
    login = client.get("/login")
    client.post(
        "/login",
        data={"email": ADMIN[0], "password": ADMIN[1], "csrf_token": csrf_of(login.text)},
    )
    csrf = csrf_of(client.get("/admin/programs").text)
    created = client.post("/admin/programs", data={"name": "Bad", "csrf_token": csrf})
    program_id = int(str(created.url).rsplit("/", 1)[1])
    lines = demo_people_csv(50, seed=3).splitlines()
    lines[10] = lines[10].replace("@example.com", "-at-example.com", 1)
    started = client.post(
        f"/admin/programs/{program_id}/people",
        data={"csrf_token": csrf},
        files={"file": ("bad.csv", ("\n".join(lines) + "\n").encode(), "text/csv")},
        follow_redirects=False,
    )
    wait_until_over(store, int(started.headers["location"].rsplit("/", 1)[1]))
    page = client.get(started.headers["location"])
    assert page.status_code == 422
    assert "Nothing was imported" in page.text
    assert re.search(r"<td>11</td><td>email</td>", page.text)
    assert "0 people enrolled" in page.text
    assert list(uploads_dir.iterdir()) == []
    assert nothing_stored_for_jobs(store)
