"""Import of generated people: wall time and peak memory, beside a no-validation baseline.

The baseline reads the same file with the stdlib csv module and bulk-inserts the rows
with SQLAlchemy Core, with no validation at all: the ratio is what validation and the
all-or-nothing upsert cost. Each measurement runs in a fresh child process so its peak
RSS is its own. Usage: python bench/bench_import.py [--sizes 10000,100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import multiprocessing as mp
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _run_peermentor(csv_path: str, url: str, queue: mp.Queue) -> None:  # type: ignore[type-arg]
    from peermentor.services.access import SYSTEM
    from peermentor.services.people import import_people
    from peermentor.store.db import make_engine, make_session_factory
    from peermentor.store.migrate import upgrade

    engine = make_engine(url)
    upgrade(engine)
    data = Path(csv_path).read_bytes()
    start = time.perf_counter()
    with make_session_factory(engine)() as session:
        summary = import_people(session, SYSTEM, "Bench", data)
    seconds = time.perf_counter() - start
    queue.put({"seconds": seconds, "rss": _peak_rss_mib(), "rows": summary.created})


def _run_baseline(csv_path: str, url: str, queue: mp.Queue) -> None:  # type: ignore[type-arg]
    from sqlalchemy import insert

    from peermentor.store.db import make_engine
    from peermentor.store.migrate import upgrade
    from peermentor.store.models import Person, utcnow

    engine = make_engine(url)
    upgrade(engine)
    start = time.perf_counter()
    text = Path(csv_path).read_text(encoding="utf-8-sig")
    rows = []
    now = utcnow()
    for row in csv.DictReader(io.StringIO(text)):
        record: dict[str, object] = dict(row)
        for column in (
            "languages",
            "skills_offered",
            "skills_sought",
            "career_goals",
            "challenges",
            "background",
            "do_not_match",
        ):
            record[column] = [v for v in str(row[column]).split(";") if v]
        record["years_experience"] = float(row["years_experience"])
        record["level"] = int(row["level"]) if row["level"] else None
        record["hours_per_month"] = (
            float(row["hours_per_month"]) if row["hours_per_month"] else None
        )
        record["opt_out"] = row["opt_out"] == "true"
        record["manager_id"] = row["manager_id"] or None
        record["created_at"] = record["updated_at"] = now
        rows.append(record)
    with engine.begin() as connection:
        for i in range(0, len(rows), 2000):
            connection.execute(insert(Person), rows[i : i + 2000])
    queue.put({"seconds": time.perf_counter() - start, "rss": _peak_rss_mib(), "rows": len(rows)})


def _measure(target, csv_path: str, url: str) -> dict[str, float]:  # type: ignore[no-untyped-def]
    queue: mp.Queue = mp.Queue()  # type: ignore[type-arg]
    child = mp.get_context("fork").Process(target=target, args=(csv_path, url, queue))
    child.start()
    result = queue.get()
    child.join()
    return result  # type: ignore[no-any-return]


def _fresh_sqlite(folder: str, name: str) -> str:
    path = Path(folder) / name
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from peermentor.demo_org import demo_people_csv

    table = Table(title="people import (SQLite file, median of runs)")
    for column in (
        "people",
        "peermentor s",
        "peak RSS MiB",
        "baseline s",
        "baseline RSS MiB",
        "time ratio",
        "target",
    ):
        table.add_column(column, justify="right")
    with tempfile.TemporaryDirectory() as folder:
        for n in (int(s) for s in args.sizes.split(",")):
            csv_path = str(Path(folder) / f"people-{n}.csv")
            Path(csv_path).write_text(demo_people_csv(n, seed=1), encoding="utf-8")
            ours, base = [], []
            for i in range(args.repeat):
                ours.append(_measure(_run_peermentor, csv_path, _fresh_sqlite(folder, f"o{i}.db")))
                base.append(_measure(_run_baseline, csv_path, _fresh_sqlite(folder, f"b{i}.db")))
            med = {k: statistics.median(r[k] for r in ours) for k in ("seconds", "rss")}
            bmed = {k: statistics.median(r[k] for r in base) for k in ("seconds", "rss")}
            table.add_row(
                f"{n:,}",
                f"{med['seconds']:.2f}",
                f"{med['rss']:.0f}",
                f"{bmed['seconds']:.2f}",
                f"{bmed['rss']:.0f}",
                f"{med['seconds'] / bmed['seconds']:.2f}x",
                "< 30 s, < 1024 MiB" if n == 100_000 else "",
            )
            print(json.dumps({"people": n, "ours": ours, "baseline": base}), file=sys.stderr)
    Console(width=120).print(table)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
