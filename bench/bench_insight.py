"""Programme insight at scale (issue 15): the health, analytics and report pages and the
CSV of every figure, on a generated programme of 20,000 pairings with a year of activity.

For each database (SQLite, PostgreSQL) the programme is generated in bulk
(demo_activity.generated_programme, then furnish_year), its insight refreshed once as
the worker would (timed), then `peermentor serve` is started and each page gets one
warm-up request and 20 sequential ones (the CSV: 5); the table gives median and p99.
Beside them: the old health computation (services.workspace.health, walking every
pairing's history, the page's work before this change) timed in-process on the same
data, and the issue's own figures for the old page (4.2 s SQLite, 7 s PostgreSQL).

    .venv/bin/python bench/bench_insight.py [--database sqlite|postgresql|both]
        [--pairings 20000] [--requests 20]      (BENCH_SKIP_BEFORE=1: skip the old health)

Bar: every page median < 300 ms and p99 < 1 s; the CSV < 2 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from tests.live.server import running_server  # noqa: E402

from bench_pages import drop_postgres, postgres_database, sign_in  # noqa: E402

ADMIN = ("bench-admin@example.com", "bench-admin-password-1")
ISSUE_BEFORE = {"sqlite": "4.2 s", "postgresql": "7 s"}


def build(database_url: str, folder: Path, pairings: int) -> tuple[int, dict[str, float]]:
    from peermentor.config import Settings
    from peermentor.demo_activity import furnish_year, generated_programme
    from peermentor.demo_outcomes import furnish_outcomes
    from peermentor.runtime import open_store
    from peermentor.services.access import SYSTEM
    from peermentor.services.insight import refresh_programme
    from peermentor.services.nudges import inactive_members
    from peermentor.services.users import create_admin
    from peermentor.services.workspace.health import programme_health

    settings = Settings(
        database_url=database_url, secret_key_file=folder / "secret", insecure_cookies=True
    )
    store = open_store(settings)
    now = datetime.now(UTC)
    timings: dict[str, float] = {}
    try:
        with store.sessions() as session:
            started = time.perf_counter()
            program_id = generated_programme(session, "Bench insight", 2 * pairings, now)
            told = furnish_year(session, program_id, now)
            told["outcome_events"] = furnish_outcomes(session, program_id, now)
            create_admin(session, SYSTEM, *ADMIN)
            session.commit()
            timings["generate"] = time.perf_counter() - started
            print(f"  generated in {timings['generate']:.1f} s: {told}")
            started = time.perf_counter()
            refresh_programme(session, program_id, now)
            session.commit()
            timings["refresh"] = time.perf_counter() - started
            print(f"  insight refreshed in {timings['refresh']:.1f} s")
            runs = []
            for _ in range(0 if os.environ.get("BENCH_SKIP_BEFORE") else 1):
                started = time.perf_counter()
                programme_health(session, SYSTEM, program_id, now)
                inactive_members(session, SYSTEM, program_id, now)
                runs.append(time.perf_counter() - started)
                session.rollback()
            timings["old_health"] = min(runs, default=float("nan"))
            print(f"  old health computation: {timings['old_health']:.2f} s (one run)")
        return program_id, timings
    finally:
        store.close()


def _p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


def measure(base: str, cookie: str, path: str, n: int) -> tuple[float, float, int]:
    with httpx.Client(base_url=base, headers={"cookie": cookie}, timeout=120) as client:
        warm = client.get(path)
        assert warm.status_code == 200, (path, warm.status_code, warm.text[:300])
        times = []
        for _ in range(n):
            started = time.perf_counter()
            response = client.get(path)
            times.append(time.perf_counter() - started)
            assert response.status_code == 200
    return statistics.median(times), _p99(times), len(warm.content)


def run(kind: str, database_url: str, pairings: int, n: int) -> list[tuple[str, ...]]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(f"{kind}: building {pairings:,} pairings ...")
        program_id, timings = build(database_url, folder, pairings)
        with running_server(
            database_url, folder, {"PEERMENTOR_SECRET_KEY_FILE": str(folder / "secret")}
        ) as base:
            cookie = sign_in(base, *ADMIN)
            rows: list[tuple[str, ...]] = []
            insight = f"/admin/programs/{program_id}/insight"
            pages = (
                ("health", f"/admin/programs/{program_id}/health", n, 0.3, 1.0),
                ("health JSON (API)", f"/api/programs/{program_id}/health", n, 0.3, 1.0),
                ("analytics", f"/admin/programs/{program_id}/insight", n, 0.3, 1.0),
                ("report", f"/admin/programs/{program_id}/insight/report", n, 0.3, 1.0),
                ("outcomes figure", f"{insight}?figure=outcomes", n, 0.3, 1.0),
                ("runs figure", f"{insight}?figure=runs", n, 0.3, 1.0),
                ("CSV, every figure", f"/admin/programs/{program_id}/insight.csv", 5, 2.0, 2.0),
            )
            for name, path, count, bar_median, bar_p99 in pages:
                median, p99, size = measure(base, cookie, path, count)
                ok = median < bar_median and p99 < bar_p99
                before = (
                    f"{timings['old_health']:.2f} s here; issue: {ISSUE_BEFORE[kind]}"
                    if name.startswith("health")
                    else "—"
                )
                rows.append(
                    (kind, name, f"{median * 1000:.0f} ms", f"{p99 * 1000:.0f} ms",
                     f"{size / 1024:.0f} KiB", before, "yes" if ok else "NO")
                )  # fmt: skip
            rows.append((kind, "refresh (worker)", f"{timings['refresh']:.1f} s", "", "", "—", ""))
        return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--pairings", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()
    rows: list[tuple[str, ...]] = []
    if args.database in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as tmp:
            rows += run("sqlite", f"sqlite:///{tmp}/bench.db", args.pairings, args.requests)
    if args.database in ("postgresql", "both"):
        made = postgres_database()
        if made:
            name, url = made
            try:
                rows += run("postgresql", url, args.pairings, args.requests)
            finally:
                drop_postgres(name)
    table = Table(title=f"Programme insight, {args.pairings:,} pairings with a year of activity")
    for header in ("database", "page", "median", "p99", "size", "before (health)", "bar met"):
        table.add_column(header)
    for row in rows:
        table.add_row(*row)
    Console(width=140).print(table)
    os.environ.pop("PEERMENTOR_DATABASE_URL", None)


if __name__ == "__main__":
    main()
