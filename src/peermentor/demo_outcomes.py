"""Outcome events for a generated programme, so the insight page's outcomes figure shows
something: a few late joiners who never took part (the comparison group), then a year of
promotions, internal moves and leavers, a little kinder to participants (made-up data;
the figure itself says a difference is not causal). No commit."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from peermentor.store import outcomes_repo
from peermentor.store.models import Enrolment, Person

# Chances over the year: (promotion, internal_move, left).
CHANCES = {True: (0.16, 0.08, 0.05), False: (0.09, 0.06, 0.13)}


def _late_joiners(session: Session, program_id: int, count: int, now: datetime) -> None:
    first = (session.scalar(select(Person.id).order_by(Person.id.desc()).limit(1)) or 0) + 1
    rows = [
        {"id": first + n, "employee_id": f"L{program_id:03d}{n:05d}", "name": f"Late joiner {n}",
         "email": f"late-{program_id}-{n}@example.org", "department": "Operations",
         "location": "Remote", "years_experience": 3 + n % 12, "background": [],
         "languages": [], "skills_offered": [], "skills_sought": [], "career_goals": [],
         "challenges": [], "do_not_match": [], "created_at": now, "updated_at": now}
        for n in range(count)
    ]  # fmt: skip
    session.execute(insert(Person), rows)
    session.execute(
        insert(Enrolment),
        [{"program_id": program_id, "person_id": r["id"], "status": "enrolled",
          "enrolled_at": now} for r in rows],
    )  # fmt: skip


# People enrolled after the match who never took part: the outcomes figure compares
# participants with them (so the demo enrols this many more than --people).
LATE_JOINERS = 40


def furnish_outcomes(
    session: Session,
    program_id: int,
    now: datetime,
    seed: int = 13,
    late_joiners: int = LATE_JOINERS,
) -> int:
    """Late joiners enrolled, then the programme's outcome events; returns how many."""
    if late_joiners:
        _late_joiners(session, program_id, late_joiners, now)
    rng = random.Random(seed)
    took_part = outcomes_repo.participants(session, program_id)
    events = []
    for person_id in sorted(outcomes_repo.people_by_employee_id(session, program_id).values()):
        for kind, chance in zip(
            ("promotion", "internal_move", "left"), CHANCES[person_id in took_part], strict=True
        ):
            if rng.random() < chance:
                day = (now - timedelta(days=rng.randint(1, 360))).date()
                events.append((person_id, kind, day))
    outcomes_repo.replace_events(session, program_id, events, now)
    return len(events)
