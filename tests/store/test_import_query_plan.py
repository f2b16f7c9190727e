"""After a large import writes its new people, the database plans its lookups by
employee id knowing how many people there now are. On PostgreSQL the planner kept the
table's statistics from before the import (nearly empty) for the rest of it: 100,000
people took 190 s to import instead of 9 (bench/bench_cli.py); the import now refreshes
them (ANALYZE, inside its transaction)."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from peermentor.demo_org import demo_people_csv
from peermentor.services import people as people_service
from peermentor.services.access import SYSTEM


def test_a_large_import_leaves_the_planner_knowing_the_people_table(session: Session) -> None:
    people_service.import_people(session, SYSTEM, "Plans", demo_people_csv(5000, seed=4).encode())
    stored = int(session.execute(text("SELECT count(*) FROM people")).scalar_one())
    assert stored >= 5000
    if session.get_bind().dialect.name == "postgresql":
        believed = float(
            session.execute(
                text("SELECT reltuples FROM pg_class WHERE relname = 'people'")
            ).scalar_one()
        )
        assert believed >= stored / 2, (believed, stored)
    else:  # SQLite plans an indexed column's IN-list on its index without statistics
        ids = ", ".join(
            f"'{e}'" for (e,) in session.execute(text("SELECT employee_id FROM people LIMIT 2000"))
        )
        query = f"SELECT employee_id, id FROM people WHERE employee_id IN ({ids})"
        plan = " ".join(str(r[-1]) for r in session.execute(text("EXPLAIN QUERY PLAN " + query)))
        assert "INDEX" in plan, plan
