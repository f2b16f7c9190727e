"""The real server, `peermentor serve` in a subprocess on a free port, for the live tests.

In-process clients hide what matters here: threads, the connection pool, SQLite's file
locks and the headers that uvicorn itself adds.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(url + "healthz", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("server did not start in time")


@contextmanager
def running_server(
    database_url: str,
    folder: Path,
    extra_env: dict[str, str] | None = None,
    port: int | None = None,
) -> Iterator[str]:
    """Serve the database; yields the base URL (ending in /). The log stays in `folder`.
    A caller that must know the address beforehand (for PEERMENTOR_BASE_URL) picks the port."""
    env = os.environ | {
        "PEERMENTOR_DATABASE_URL": database_url,
        "PEERMENTOR_SECRET_KEY_FILE": str(folder / "secret"),
        "PEERMENTOR_INSECURE_COOKIES": "true",
        **(extra_env or {}),
    }
    port = port or free_port()
    log_path = folder / "server.log"
    with log_path.open("wb") as log:
        command = [sys.executable, "-m", "peermentor", "serve", "--host", "127.0.0.1"]
        process = subprocess.Popen(
            [*command, "--port", str(port)],
            env=env,
            cwd=folder,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}/"
        try:
            wait_until_up(url, process)
            yield url
        finally:
            process.terminate()
            process.wait(timeout=20)
