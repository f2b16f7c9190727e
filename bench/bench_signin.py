"""Parallel sign-ins against the real server (issue 9, finding 3): 5xx count and times.

Each round releases CROWD sign-ins at once (threads behind a barrier) at `peermentor
serve` on a fresh database, SQLite and PostgreSQL. `--before-src DIR` also serves the
same crowd with another checkout's code (e.g. `git archive <commit> src | tar -x -C
DIR`), for a before/after table. Usage:
    python bench/bench_signin.py [--crowd 32] [--rounds 3] [--before-src /tmp/old]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
from rich.console import Console
from rich.table import Table
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the live tests' crowd and server helpers

from tests.live.crowd import all_at_once, build_cohort, prepared_sign_in  # noqa: E402
from tests.live.server import running_server  # noqa: E402

POSTGRES_ADMIN = os.environ.get(
    "PEERMENTOR_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def timed_sign_in(client: httpx.Client, email: str):  # type: ignore[no-untyped-def]
    post = prepared_sign_in(client, email)

    def run() -> tuple[int, float]:
        started = time.perf_counter()
        status = post().status_code
        return status, time.perf_counter() - started

    return run


def measure(
    database_url: str, folder: Path, crowd: int, rounds: int, src: str | None
) -> tuple[list[int], list[float], list[float]]:
    """Statuses and times of every sign-in, and the wall time of each round."""
    members = build_cohort(database_url, crowd // 2)
    env = {"PYTHONPATH": src} if src else {}
    statuses: list[int] = []
    latencies: list[float] = []
    walls: list[float] = []
    with running_server(database_url, folder, env) as base:
        for _ in range(rounds):
            clients = [httpx.Client(base_url=base, timeout=300) for _ in members]
            jobs = [timed_sign_in(c, m.email) for c, m in zip(clients, members, strict=True)]
            started = time.perf_counter()
            results = all_at_once(jobs)
            walls.append(time.perf_counter() - started)
            for client in clients:
                client.close()
            statuses += [s for s, _ in results]
            latencies += [t for _, t in results]
    return statuses, latencies, walls


def postgres_database() -> tuple[str, str] | None:
    """A fresh database on the local server, or None when there is none."""
    try:
        admin = create_engine(POSTGRES_ADMIN, isolation_level="AUTOCOMMIT")
        name = f"peermentor_bench_{uuid.uuid4().hex[:10]}"
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
    except Exception as error:  # no server: the table says so
        print(f"PostgreSQL skipped: {str(error).splitlines()[0]}")
        return None
    return name, POSTGRES_ADMIN.rsplit("/", 1)[0] + f"/{name}"


def drop_postgres(name: str) -> None:
    admin = create_engine(POSTGRES_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--crowd", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--before-src", help="src/ folder of the code to compare with")
    args = parser.parse_args()
    codes = [("this checkout", None)]
    if args.before_src:
        codes.insert(0, ("before", args.before_src))
    table = Table(title=f"{args.crowd} parallel sign-ins x {args.rounds} rounds, real server")
    for column in ("database", "code", "sign-ins", "5xx", "median s", "max s", "round s"):
        table.add_column(column, justify="right" if column[0] in "s5mr" else "left")
    for kind in ("sqlite", "postgresql"):
        for label, src in codes:
            with tempfile.TemporaryDirectory() as folder:
                created = None
                if kind == "sqlite":
                    database_url = f"sqlite:///{Path(folder) / 'bench.db'}"
                else:
                    created = postgres_database()
                    if created is None:
                        continue
                    database_url = created[1]
                try:
                    statuses, latencies, walls = measure(
                        database_url, Path(folder), args.crowd, args.rounds, src
                    )
                finally:
                    if created:
                        drop_postgres(created[0])
            table.add_row(
                kind,
                label,
                str(len(statuses)),
                str(sum(s >= 500 for s in statuses)),
                f"{statistics.median(latencies):.2f}",
                f"{max(latencies):.2f}",
                f"{statistics.median(walls):.2f}",
            )
    Console().print(table)


if __name__ == "__main__":
    main()
