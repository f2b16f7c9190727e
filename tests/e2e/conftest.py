"""A real server in a subprocess and Debian's Chromium driven by Playwright.

No skipping: a missing browser is a broken setup, and the tests say so by failing.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.live.server import free_port, wait_until_up

CHROMIUM = os.environ.get("PEERMENTOR_TEST_CHROMIUM", "/usr/bin/chromium")
# Without these Chromium tries to reach Google's services, which this network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass
class Server:
    url: str
    database: Path
    peers: list[tuple[str, str, str]]  # (email, password, name) of one demo pair


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`peermentor demo` builds a fresh database; `peermentor serve` serves it and
    `peermentor worker` runs the jobs started on its pages."""
    folder = tmp_path_factory.mktemp("server")
    database = folder / "e2e.db"
    env = os.environ | {
        "PEERMENTOR_DATABASE_URL": f"sqlite:///{database}",
        "PEERMENTOR_SECRET_KEY_FILE": str(folder / "secret"),
        "PEERMENTOR_INSECURE_COOKIES": "true",
    }
    command = [sys.executable, "-m", "peermentor"]
    built = subprocess.run(
        [*command, "demo", "--people", "60", "--no-serve", "--database", str(database)],
        env=env | {"COLUMNS": "200"},
        cwd=folder,
        check=True,
        capture_output=True,
        text=True,
    )
    peers = re.findall(r"peer\s+(\S+@\S+)\s+password (\S+)\s+\((.+)\)", built.stdout)
    port = free_port()
    log = (folder / "server.log").open("wb")
    process = subprocess.Popen(
        [*command, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        cwd=folder,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    # Match runs and uploads started in the browser are jobs: a worker runs them.
    worker_log = (folder / "worker.log").open("wb")
    worker = subprocess.Popen(
        [*command, "worker", "--interval", "0.2"],
        env=env,
        cwd=folder,
        stdout=worker_log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_until_up(url, process)
        yield Server(url=url, database=database, peers=peers)
    finally:
        for child in (process, worker):
            child.terminate()
        for child in (process, worker):
            child.wait(timeout=30)
        log.close()
        worker_log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no Chromium at {CHROMIUM}: install Debian's chromium package")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()
