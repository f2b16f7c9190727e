"""/healthz latency while a people upload is imported, on a real uvicorn server.

    .venv/bin/python bench/bench_upload_latency.py [--rows 5000]

Signs in, uploads the generated file through the page and asks /healthz every 20 ms
until the import job ends; prints the slowest and the median answer and the import's
wall time, for the first upload of the process and for a second one. Before the upload
ran as a job, the import held the event loop and /healthz waited for all of it (2 s at
5,000 rows).
"""

from __future__ import annotations

import argparse
import re
import socket
import statistics
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from rich.console import Console
from rich.table import Table

from peermentor.config import Settings
from peermentor.demo_org import demo_people_csv
from peermentor.runtime import open_store
from peermentor.services.access import SYSTEM
from peermentor.services.users import create_admin
from peermentor.web.app import create_app

EMAIL, PASSWORD = "bench@example.com", "bench-password-1"


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found
    return found.group(1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5000)
    rows = parser.parse_args().rows
    folder = Path(tempfile.mkdtemp())
    settings = Settings(
        database_url=f"sqlite:///{folder / 'bench.db'}",
        secret_key_file=folder / "secret",
        insecure_cookies=True,
    )
    store = open_store(settings)
    with store.sessions() as session:
        create_admin(session, SYSTEM, EMAIL, PASSWORD)
        session.commit()
    app = create_app(settings, store)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    data = demo_people_csv(rows, seed=5).encode()
    table = Table(title=f"/healthz during a {rows:,}-row upload ({len(data) / 2**20:.1f} MiB)")
    for column in ("upload", "import s", "healthz asks", "median ms", "slowest ms", "slow during"):
        table.add_column(column, justify="right")
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", follow_redirects=True) as client:
        login = client.get("/login")
        client.post(
            "/login", data={"email": EMAIL, "password": PASSWORD, "csrf_token": _csrf(login.text)}
        )
        # The first upload of a process pays one-off costs (imports, caches); the second not.
        for label in ("first of the process", "second"):
            table.add_row(label, *_measure(client, app, data, label))
    server.should_exit = True
    Console().print(table)


def _measure(client: httpx.Client, app: Any, data: bytes, name: str) -> list[str]:
    csrf = _csrf(client.get("/admin/programs").text)
    created = client.post("/admin/programs", data={"name": name, "csrf_token": csrf})
    program_id = str(created.url).rsplit("/", 1)[1]
    start = time.perf_counter()
    started = client.post(
        f"/admin/programs/{program_id}/people",
        data={"csrf_token": csrf},
        files={"file": ("bench.csv", data, "text/csv")},
        follow_redirects=False,
    )
    job = app.state.jobs.get(started.headers["location"].rsplit("/", 1)[1], 1)
    latencies: list[float] = []
    slow_stages: set[str] = set()
    while job.status == "running":
        asked = time.perf_counter()
        stage_before = job.stage
        client.get("/healthz")
        latencies.append(time.perf_counter() - asked)
        if latencies[-1] > 0.25:
            slow_stages.add(f"{stage_before}->{job.stage}")
        time.sleep(0.02)
    assert job.status == "done", job.message
    return [
        f"{time.perf_counter() - start:.2f}",
        str(len(latencies)),
        f"{1000 * statistics.median(latencies):.1f}" if latencies else "-",
        f"{1000 * max(latencies):.1f}" if latencies else "-",
        ", ".join(sorted(slow_stages)),
    ]


if __name__ == "__main__":
    main()
