"""What a user waits for: `people import` and `match run` through the CLI, end to end.

    .venv/bin/python bench/bench_cli.py [--sizes 10000,100000] [--db sqlite,postgres]

On a generated organisation (demo_org: management tree depth 8-10, spans about 7,
free-text goals), each command runs as its own process against a fresh database:
the wall clock is from process start to exit and "peak MiB" that process's own peak
resident memory (wait4). The match run's stage table comes from its --json summary
(the engine's stages, then reading the pool and writing the run). A re-import of the
same file follows the first import: it must write nothing. PostgreSQL uses
PEERMENTOR_TEST_POSTGRES_URL (default postgres@127.0.0.1:5432) and a throwaway database.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BARS = {  # people -> (import s, match run s); the targets
    100_000: (10.0, 25.0),
    10_000: (None, 3.0),
}
STAGES = (
    "pool read",
    "features",
    "scores+candidates",
    "solve",
    "bound",
    "explanations",
    "store write",
)


def _command(args: list[str], url: str) -> tuple[float, float, str]:
    """Wall seconds, peak MiB and stdout of `peermentor ARGS` in its own process."""
    env = dict(os.environ, PEERMENTOR_DATABASE_URL=url, PYTHONHASHSEED="0")
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "peermentor", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    assert child.stdout is not None
    output = child.stdout.read().decode()
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"peermentor {' '.join(args)} failed ({status}): {output[-2000:]}")
    return seconds, usage.ru_maxrss / 1024.0, output


def _postgres_url(name: str) -> str:
    import psycopg

    base = os.environ.get(
        "PEERMENTOR_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    )
    plain = base.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    head, _, _ = base.rpartition("/")
    return f"{head}/{name}"


def measure(n: int, db: str, folder: str) -> dict[str, Any]:
    from peermentor.demo_org import demo_people_csv

    csv_path = Path(folder) / f"people-{n}.csv"
    if not csv_path.exists():
        csv_path.write_text(demo_people_csv(n, seed=1), encoding="utf-8")
    if db == "sqlite":
        url = f"sqlite:///{folder}/bench-{n}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{folder}/bench-{n}.db{suffix}").unlink(missing_ok=True)
    else:
        url = _postgres_url(f"peermentor_bench_{n}")
    _command(["db", "upgrade"], url)  # migrations are not what is measured
    imp_s, imp_mib, _ = _command(["people", "import", str(csv_path), "--program", "Bench"], url)
    again_s, again_mib, again_out = _command(
        ["people", "import", str(csv_path), "--program", "Bench"], url
    )
    run_s, run_mib, run_out = _command(["match", "run", "--program", "Bench", "--json"], url)
    summary = json.loads(run_out)
    return {
        "n": n,
        "db": db,
        "import_s": imp_s,
        "import_mib": imp_mib,
        "reimport_s": again_s,
        "reimport_mib": again_mib,
        "reimport": again_out.strip(),
        "run_s": run_s,
        "run_mib": run_mib,
        "engine_s": summary["seconds"],
        "timings": summary["timings"],
        "gap": summary["gap"],
        "exact": summary["exact"],
        "pairings": summary["pairings"],
    }


def print_table(rows: list[dict[str, Any]]) -> None:
    print()
    print(
        "| people | db | import s | import MiB | re-import s | match run s | run MiB | "
        "engine s | " + " | ".join(STAGES) + " | gap | exact | bars |"
    )
    print("|" + "---|" * (12 + len(STAGES)))
    for r in rows:
        t = r["timings"]
        bar_import, bar_run = BARS.get(r["n"], (None, None))
        bars = []
        if bar_import is not None:
            bars.append(
                f"import {'ok' if r['import_s'] <= bar_import else 'MISSED'} (<= {bar_import:g})"
            )
        if bar_run is not None:
            bars.append(f"run {'ok' if r['run_s'] <= bar_run else 'MISSED'} (<= {bar_run:g})")
        bars.append(f"gap {'ok' if r['gap'] < 0.0005 else 'MISSED'} (< 0.05%)")
        print(
            f"| {r['n']:,} | {r['db']} | {r['import_s']:.1f} | {r['import_mib']:.0f} | "
            f"{r['reimport_s']:.1f} | {r['run_s']:.1f} | {r['run_mib']:.0f} | "
            f"{r['engine_s']:.1f} | "
            + " | ".join(f"{float(t.get(s, float('nan'))):.2f}" for s in STAGES)
            + f" | {100 * float(r['gap']):.3f}% | {r['exact']} | {'; '.join(bars)} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--db", default="sqlite,postgres")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for n in (int(s) for s in args.sizes.split(",")):
            for db in args.db.split(","):
                row = measure(n, db, folder)
                print(json.dumps(row), file=sys.stderr, flush=True)
                rows.append(row)
    print_table(rows)


if __name__ == "__main__":
    main()
