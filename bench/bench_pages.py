"""Participant pages against a bare FastAPI endpoint (issue 10): req/s, p50, p99, SQL.

On a generated demo organisation (5,000 people by default, matched and published) one
pairing is given the history of a year through the services: charter, visions, gaps,
guidance requests and answers, sessions, feedback, check-ins, role-plays. Then
`peermentor serve` (one uvicorn process) and a bare FastAPI endpoint (bench/bare_app.py,
another uvicorn process) are loaded in turn with wrk, 32 connections, the member's session
cookie sent with every request: the bare endpoint, the dashboard and each page of the
pairing's workspace. The table gives each page's req/s, median and 99th percentile
latency, its throughput as a share of the bare endpoint's, and the SQL statements one
request of it runs (counted in a separate process on the same database, with a
`before_cursor_execute` listener on the engine).

    .venv/bin/python bench/bench_pages.py [--database sqlite|postgresql|both]
        [--people 5000] [--seconds 5] [--connections 32] [--before-src DIR]

Each page is loaded twice: as served (a page viewed again is the one kept for the
session until anything it shows changes: web/page_cache.py) and with
PEERMENTOR_PAGE_CACHE_MB=0, every request rendered afresh (what a first view, or a
view after any write, costs).

`--before-src DIR` serves (and counts) with another checkout's code too (one that
knows the schema's newest migration), e.g.
`git archive <commit> src | tar -x -C /tmp/before` then `--before-src /tmp/before/src`.
Issue 10's bar: every page at least 25% of bare and p99 under 150 ms; the goal 60%.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from rich.console import Console
from rich.table import Table
from sqlalchemy import create_engine, select, text, update

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))  # the live tests' server helpers

from tests.live.server import free_port, running_server  # noqa: E402

POSTGRES_ADMIN = os.environ.get(
    "PEERMENTOR_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
WRK = shutil.which("wrk") or "/usr/bin/wrk"
SECTIONS = (
    "",
    "charter",
    "vision",
    "gaps",
    "requests",
    "sessions",
    "roleplays",
    "feedback",
    "checkins",
    "closing",
)
WEEKS = 52


# --- the database: a demo organisation and one pairing's year ---


Code = tuple[str, str | None, dict[str, str]]  # label, src/ folder, environment


@dataclass(frozen=True)
class Furnished:
    pairing_id: int
    email: str
    password: str
    history: dict[str, int]


def build(database_url: str, folder: Path, people: int) -> Furnished:
    from peermentor.config import Settings
    from peermentor.demo import build_demo
    from peermentor.runtime import open_store

    settings = Settings(
        database_url=database_url, secret_key_file=folder / "secret", insecure_cookies=True
    )
    store = open_store(settings)
    try:
        with store.sessions() as session:
            logins = build_demo(session, people=people, seed=7)
            (email, password, _), (partner_email, _, _) = logins.participants[:2]
            furnished = furnish(session, email, partner_email)
        return Furnished(furnished[0], email, password, furnished[1])
    finally:
        store.close()


def furnish(session, email: str, partner_email: str) -> tuple[int, dict[str, int]]:  # type: ignore[no-untyped-def]
    """A year in the life of the pairing of these two, every step a use case."""
    from peermentor.services import auth
    from peermentor.services.workspace import (
        charter,
        checkins,
        feedback,
        gaps,
        guidance,
        roleplay,
        sessions,
        vision,
    )
    from peermentor.services.workspace.proposals import accept_proposal
    from peermentor.store.models import Pairing, PairingMember, User

    users = {u.email: u for u in session.scalars(select(User))}
    a, b = (auth.actor_for(users[e]) for e in (email, partner_email))
    pid = session.scalar(
        select(PairingMember.pairing_id).where(PairingMember.person_id == a.person_id)
    )
    now = datetime.now(UTC)
    start = now - timedelta(days=365)
    # Published a year ago: the match ran then.
    session.execute(
        update(Pairing)
        .where(Pairing.id == pid)
        .values(proposed_at=start - timedelta(days=1), published_at=start - timedelta(days=1))
    )
    session.commit()
    for actor in (a, b):
        accept_proposal(session, actor, pid, start)
    day = start + timedelta(days=1)
    charter.edit_charter(
        session, a, pid, day, purpose="Both of us grow into leading teams", cadence="fortnightly"
    )
    for actor, mine in ((a, "Lead a team"), (b, "Speak at a conference")):
        charter.set_my_goals(session, actor, pid, [mine, "Negotiate better"], day)
    for actor in (a, b):
        charter.agree_charter(session, actor, pid, day)
    counts = dict.fromkeys(("gaps", "requests", "sessions", "feedback", "checkins", "roleplays"), 0)
    for actor in (a, b):
        assert actor.person_id is not None
        vision.write_vision(
            session,
            actor,
            pid,
            actor.person_id,
            day,
            horizon_years=5,
            statement="Leading a product group, known for growing people.",
            milestones=["First team", "A talk", "A mentee promoted"],
        )
        for i, (category, priority) in enumerate(
            [("skill", "now"), ("experience", "next"), ("network", "backburner")] * 2
        ):
            gaps.add_gap(
                session,
                actor,
                pid,
                day,
                title=f"Gap {i + 1}: something to learn",
                category=category,
                priority=priority,
                milestone_id="m1" if i % 2 else None,
            )
            counts["gaps"] += 1
    roleplay.set_schedule(
        session, a, pid, start + timedelta(days=7), start=(start + timedelta(days=7)).date(),
        cadence="fortnightly",
    )  # fmt: skip
    pair = (a, b)
    for week in range(WEEKS):
        moment = start + timedelta(days=7 * week + 3)
        asker, other = pair[week % 2], pair[1 - week % 2]
        if week % 2 == 0:
            sessions.log_session(
                session,
                asker,
                pid,
                moment,
                held_on=(moment - timedelta(days=1)).date(),
                duration_minutes=45,
                topics=["Delegation", "A hard conversation"],
                gave=["An approach to delegating"],
                got=["A way to open the talk"],
            )
            counts["sessions"] += 1
        req = guidance.ask_for_guidance(
            session,
            asker,
            pid,
            moment,
            topic=f"How would you handle week {week}?",
            detail="The context, in a few lines of text.",
        )
        counts["requests"] += 1
        if week < WEEKS - 2:  # the last ones still open
            guidance.answer_request(
                session, other, pid, int(req.request_id), "What I would try.", moment
            )
            if week % 3 == 0:
                guidance.close_request(session, asker, pid, int(req.request_id), moment)
        if week % 2 == 1:
            fb = feedback.give_feedback(
                session,
                asker,
                pid,
                moment,
                dimension=("behaviour", "attitude", "performance")[week % 3],
                situation="In the review",
                behaviour="You summarised the decision",
                impact="Everyone left knowing the next step",
                suggestion="Do it at the start too",
            )
            counts["feedback"] += 1
            feedback.acknowledge_feedback(session, other, pid, int(fb.feedback_id), moment)
        if week % 2 == 0 and week < WEEKS - 6:  # fortnightly, the last few missed
            rp = roleplay.plan_roleplay(session, asker, pid, "difficult-feedback", moment)
            roleplay.complete_roleplay(session, asker, pid, int(rp.roleplay_id), moment)
            for actor in pair:
                roleplay.reflect_on_roleplay(
                    session, actor, pid, int(rp.roleplay_id), "It went better.", moment
                )
            counts["roleplays"] += 1
        if week % 2 == 1:
            for actor in pair:
                checkins.check_in(
                    session,
                    actor,
                    pid,
                    moment,
                    trust=4,
                    candour=4,
                    mutual_benefit=5,
                    progress=3,
                    note="A good fortnight.",
                )
                counts["checkins"] += 1
    return int(pid), counts


# --- serving and loading ---


def postgres_database() -> tuple[str, str] | None:
    try:
        admin = create_engine(POSTGRES_ADMIN, isolation_level="AUTOCOMMIT")
        name = f"peermentor_bench_{os.getpid()}_{int(time.time())}"
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
    except Exception as error:  # no server: say so and go on with SQLite
        print(f"PostgreSQL skipped: {str(error).splitlines()[0]}")
        return None
    return name, POSTGRES_ADMIN.rsplit("/", 1)[0] + f"/{name}"


def drop_postgres(name: str) -> None:
    admin = create_engine(POSTGRES_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def sign_in(base: str, email: str, password: str) -> str:
    with httpx.Client(base_url=base) as client:
        form = client.get("/login").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', form)
        assert token, "login page has no CSRF field"
        client.post(
            "/login",
            data={"email": email, "password": password, "csrf_token": token.group(1)},
        )
        cookie = client.cookies.get("pm_session")
    assert cookie, "sign-in gave no session cookie"
    return f"pm_session={cookie}"


@dataclass(frozen=True)
class Load:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int  # non-2xx answers, socket errors and timeouts


def _ms(value: str) -> float:
    found = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", value)
    if found is None:  # wrk prints e.g. -nan when no request finished
        return float("nan")
    number, unit = found.groups()
    return float(number) * {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 6e4, "h": 3.6e6}[unit]


def load(url: str, cookie: str, seconds: int, connections: int) -> Load:
    # One request first, as a person's first view: the timed run measures pages viewed
    # again (otherwise its 32 connections all miss the kept page at the same instant,
    # a herd no real session makes: each person has pages of their own). The cost of a
    # first view is the "rendered afresh" rows.
    name, value = cookie.split("=", 1)
    assert httpx.get(url, cookies={name: value}, timeout=30).status_code == 200, url
    done = subprocess.run(
        [
            WRK,
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "--timeout",
            "10s",
            "-H",
            f"Cookie: {cookie}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", done).group(1))  # type: ignore[union-attr]
    # The latency distribution's own lines (a "67.50%" elsewhere must not match).
    p50 = re.search(r"^\s+50%\s+(\S+)", done, re.M).group(1)  # type: ignore[union-attr]
    p99 = re.search(r"^\s+99%\s+(\S+)", done, re.M).group(1)  # type: ignore[union-attr]
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", done))
    socket = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", done
    )
    errors += sum(int(n) for n in socket.groups()) if socket else 0
    result = Load(rps, _ms(p50), _ms(p99), errors)
    if result.p50_ms != result.p50_ms or result.p99_ms != result.p99_ms:  # NaN: show why
        print(done)
    return result


class BareServer:
    """bench/bare_app.py under uvicorn, with the options `peermentor serve` uses."""

    def __init__(self, folder: Path) -> None:
        self.port = free_port()
        self.log = (folder / "bare.log").open("wb")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "bare_app:app",
                "--app-dir",
                str(BENCH),
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--no-proxy-headers",
                "--no-server-header",
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.url = f"http://127.0.0.1:{self.port}/"

    def __enter__(self) -> str:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(self.url, timeout=2)
                return self.url
            except httpx.HTTPError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError("the bare server did not start") from None
                time.sleep(0.2)

    def __exit__(self, *_: object) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)
        self.log.close()


# --- SQL per request, counted in a process of its own ---


def count_queries(database_url: str, folder: Path, cookie: str, paths: list[str]) -> None:
    """Run in a subprocess (the code under test on its PYTHONPATH): prints a JSON object
    path -> statements of one request, the second of two (the first warms caches)."""
    from fastapi.testclient import TestClient
    from sqlalchemy import event

    from peermentor.config import Settings
    from peermentor.runtime import open_store
    from peermentor.web.app import create_app

    settings = Settings(
        database_url=database_url, secret_key_file=folder / "secret", insecure_cookies=True
    )
    store = open_store(settings, migrate=False)
    statements: list[str] = []
    event.listen(store.engine, "before_cursor_execute", lambda *a, **k: statements.append(a[2]))
    result = {}
    name, value = cookie.split("=", 1)
    with TestClient(create_app(settings, store), cookies={name: value}) as client:
        for path in paths:
            assert client.get(path).status_code == 200, path
            statements.clear()
            assert client.get(path).status_code == 200, path
            result[path] = len(statements)
    print(json.dumps(result))


def counted(
    database_url: str,
    folder: Path,
    cookie: str,
    paths: list[str],
    src: str | None,
    extra: dict[str, str],
) -> dict[str, int]:
    env = os.environ | ({"PYTHONPATH": src} if src else {}) | extra
    out = subprocess.run(
        [sys.executable, __file__, "--count-queries", database_url, str(folder), cookie, *paths],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


# --- the run ---


def measure(
    kind: str,
    database_url: str,
    folder: Path,
    furnished: Furnished,
    codes: list[Code],
    args: argparse.Namespace,
) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    with BareServer(folder) as bare_url:
        bare = load(bare_url, "x=1", args.seconds, args.connections)
    rows.append((kind, "-", "bare endpoint", *_cells(bare, bare.rps), "0"))
    paths = ["/"] + [f"/pairings/{furnished.pairing_id}" + (f"/{s}" if s else "") for s in SECTIONS]
    for label, src, extra in codes:
        env = ({"PYTHONPATH": src} if src else {}) | extra
        with running_server(database_url, folder, env) as base:
            cookie = sign_in(base, furnished.email, furnished.password)
            queries = counted(database_url, folder, cookie, paths, src, extra)
            for path in paths:
                result = load(base.rstrip("/") + path, cookie, args.seconds, args.connections)
                rows.append(
                    (kind, label, _page(path), *_cells(result, bare.rps), str(queries[path]))
                )
    return rows


def _page(path: str) -> str:
    if path == "/":
        return "dashboard"
    return "workspace " + (path.split("/")[3] if path.count("/") > 2 else "overview")


def _cells(result: Load, bare_rps: float) -> tuple[str, ...]:
    flag = f" ({result.errors} errors)" if result.errors else ""
    return (
        f"{result.rps:,.0f}{flag}",
        f"{result.p50_ms:.1f}",
        f"{result.p99_ms:.1f}",
        f"{result.rps / bare_rps:.0%}",
    )


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--count-queries":
        database_url, folder, cookie, *paths = sys.argv[2:]
        count_queries(database_url, Path(folder), cookie, paths)
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="sqlite")
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--seconds", type=int, default=5, help="wrk's run per page")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--before-src", help="src/ folder of the code to compare with")
    args = parser.parse_args()
    # The same code twice: pages kept until they change (web/page_cache.py: what a
    # person viewing a page again gets), and every page rendered afresh (what the
    # first view, and any view after a write, costs).
    codes: list[Code] = [
        ("now", None, {}),
        ("now, rendered afresh", None, {"PEERMENTOR_PAGE_CACHE_MB": "0"}),
    ]
    if args.before_src:
        codes.insert(0, ("before", args.before_src, {}))
    kinds = ("sqlite", "postgresql") if args.database == "both" else (args.database,)
    table = Table(
        title=f"Participant pages, {args.people:,}-person demo, one uvicorn process, "
        f"wrk {args.connections} connections x {args.seconds} s"
    )
    for column in ("database", "code", "page", "req/s", "p50 ms", "p99 ms", "of bare", "SQL/req"):
        table.add_column(
            column, justify="left" if column in ("database", "code", "page") else "right"
        )
    history = ""
    for kind in kinds:
        with tempfile.TemporaryDirectory() as name:
            folder = Path(name)
            created = None
            if kind == "sqlite":
                database_url = f"sqlite:///{folder / 'bench.db'}"
            else:
                created = postgres_database()
                if created is None:
                    continue
                database_url = created[1]
            try:
                started = time.perf_counter()
                furnished = build(database_url, folder, args.people)
                built = time.perf_counter() - started
                history = ", ".join(f"{n} {k}" for k, n in furnished.history.items())
                print(f"{kind}: demo and a year of history built in {built:.0f} s ({history})")
                for row in measure(kind, database_url, folder, furnished, codes, args):
                    table.add_row(*row)
            finally:
                if created:
                    drop_postgres(created[0])
    table.caption = f"The furnished pairing holds {history}."
    Console(width=110).print(table)


if __name__ == "__main__":
    main()
