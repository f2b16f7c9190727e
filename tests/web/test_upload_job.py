"""The people upload runs off the event loop: on a real server, /healthz answers while a
5,000-row import is still running; the result is right and the temporary copy is gone."""

from __future__ import annotations

import re
import socket
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn

from peermentor.config import Settings
from peermentor.demo_org import demo_people_csv
from peermentor.runtime import open_store
from peermentor.services.access import SYSTEM
from peermentor.services.users import create_admin
from peermentor.web.app import create_app
from peermentor.web.jobs import Job
from tests.web.conftest import ADMIN, csrf_of


@pytest.fixture
def uploads_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Temporary files of this test (the upload's copy among them) go here."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def live(tmp_path: Path, uploads_dir: Path) -> Iterator[tuple[httpx.Client, object]]:
    """A real uvicorn server in a thread, jobs in their own threads as in production."""
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
    with httpx.Client(
        base_url=f"http://127.0.0.1:{port}", timeout=30, follow_redirects=True
    ) as client:
        for _ in range(200):
            if server.started:
                break
            threading.Event().wait(0.05)
        yield client, app
    server.should_exit = True
    thread.join(timeout=10)
    store.close()


def wait_until_over(job: Job | None) -> None:
    assert job is not None
    for _ in range(6000):
        if job.status != "running":
            return
        threading.Event().wait(0.05)
    raise AssertionError("the import job did not end")


def test_healthz_answers_while_a_5000_row_import_runs(
    live: tuple[httpx.Client, object], uploads_dir: Path
) -> None:
    client, app = live
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
    job_id = started.headers["location"].rsplit("/", 1)[1]
    job = app.state.jobs.get(job_id, 1)  # type: ignore[attr-defined]
    assert job is not None

    health = client.get("/healthz")
    assert health.status_code == 200 and health.json() == {"status": "ok"}
    assert job.status == "running", "healthz had to wait for the import"
    progress = client.get(started.headers["location"])
    assert progress.status_code == 200 and "Working:" in progress.text

    wait_until_over(job)
    done = client.get(started.headers["location"])
    assert done.status_code == 200, done.text
    assert "Imported 5000 people: 5000 new" in done.text
    assert "5,000 people enrolled" in done.text
    assert list(uploads_dir.iterdir()) == []  # the upload's temporary copy is removed


def test_a_rejected_upload_shows_every_problem_and_leaves_no_file(
    live: tuple[httpx.Client, object], uploads_dir: Path
) -> None:
    client, app = live
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
    job_id = started.headers["location"].rsplit("/", 1)[1]
    wait_until_over(app.state.jobs.get(job_id, 1))  # type: ignore[attr-defined]
    page = client.get(started.headers["location"])
    assert page.status_code == 422
    assert "Nothing was imported" in page.text
    assert re.search(r"<td>11</td><td>email</td>", page.text)
    assert "0 people enrolled" in page.text
    assert list(uploads_dir.iterdir()) == []
