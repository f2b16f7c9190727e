"""The dashboard and every workspace page read a bounded number of SQL statements, and
the same number whatever the pairing's history: a pair with one of everything and a
pair with thirty sessions, requests, feedback, check-ins and role-plays cost the same.

(Speed itself is measured by bench/bench_pages.py; here we count what a request asks
of the database, which is what made the pages slow as a pairing's history grew.)
"""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from peermentor.config import Settings
from peermentor.runtime import Store
from peermentor.services.access import SYSTEM
from peermentor.services.users import create_user
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
from peermentor.store.models import Person
from peermentor.web.app import create_app
from peermentor.web.deps import now
from tests.store.workspace.factories import later, make_cohort, participant
from tests.web.conftest import sign_in

PASSWORD = "queries-pass-123"
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
# What one page may read: the session and its account, the pairing (one joined query),
# then its own few tables. The dashboard (and the pairing's overview, which shows the
# dashboard's card) reads each of its tables once for all pairings.
MOST_FOR_A_PAGE = 10
# +2: the person's programmes with their sign-ups and pauses (one query for all),
# and the caller's own record, to ask for what their profile is missing.
MOST_FOR_THE_DASHBOARD = 18
# The pairing's overview also shows the nudges due (services.nudges), read from the
# pair's activity facts: a fixed number of statements more, whatever the history. The
# exchange and role-play schedule the card has read are not read again for them.
NUDGE_FACTS = 7
# The closing page also shows the cycle in numbers (sessions, requests, feedback,
# role-plays, gaps, each table once): a fixed number more, whatever the history.
CYCLE_SUMMARY = 4
LONG = 30  # items of each kind in the long history
CLOCK = later(days=7 * LONG + 10)


def furnish(session: Session, first: Person, second: Person, pairing_id: int, n: int) -> None:
    """A charter, visions and gaps, then n of every kind of exchange, a week apart."""
    a, b = participant(first), participant(second)
    charter.edit_charter(session, a, pairing_id, later(), purpose="Grow", cadence="weekly")
    for actor in (a, b):
        charter.set_my_goals(session, actor, pairing_id, ["Lead a team"], later())
    for actor, person in ((a, first), (b, second)):
        charter.agree_charter(session, actor, pairing_id, later())
        vision.write_vision(
            session,
            actor,
            pairing_id,
            person.id,
            later(),
            horizon_years=5,
            statement="Leading",
            milestones=["First team"],
        )
        gaps.add_gap(session, actor, pairing_id, later(), title="Delegation", category="skill")
    roleplay.set_schedule(session, a, pairing_id, later(), start=later().date(), cadence="weekly")
    for i in range(n):
        at = later(days=7 * i + 1)
        sessions.log_session(
            session,
            a,
            pairing_id,
            at,
            held_on=at.date(),
            duration_minutes=30,
            topics=["Topic"],
            gave=["Gave"],
            got=["Got"],
        )
        asked = guidance.ask_for_guidance(session, a, pairing_id, at, topic="How?")
        guidance.answer_request(session, b, pairing_id, int(asked.request_id), "So.", at)
        given = feedback.give_feedback(
            session,
            b,
            pairing_id,
            at,
            dimension="behaviour",
            situation="S",
            behaviour="B",
            impact="I",
        )
        feedback.acknowledge_feedback(session, a, pairing_id, int(given.feedback_id), at)
        for actor in (a, b):
            checkins.check_in(
                session, actor, pairing_id, at, trust=4, candour=4, mutual_benefit=4, progress=4
            )
        played = roleplay.plan_roleplay(session, a, pairing_id, "difficult-feedback", at)
        roleplay.complete_roleplay(session, a, pairing_id, int(played.roleplay_id), at)
        roleplay.reflect_on_roleplay(
            session, b, pairing_id, int(played.roleplay_id), "Went well", at + timedelta(hours=1)
        )


class Counter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, _conn: object, _cursor: object, statement: str, *_: object) -> None:
        self.statements.append(statement)


def _count(session: Session, client: TestClient, path: str) -> int:
    assert client.get(path).status_code == 200, path  # warm: the first may differ
    counter = Counter()
    engine = session.connection().engine
    event.listen(engine, "before_cursor_execute", counter)
    try:
        response = client.get(path)
    finally:
        event.remove(engine, "before_cursor_execute", counter)
    assert response.status_code == 200, (path, response.text[:300])
    return len(counter.statements)


def test_pages_read_a_bounded_number_of_statements_whatever_the_history(
    session: Session, settings: Settings
) -> None:
    _, cohort = make_cohort(session, 2)
    clients = []
    for (first, second, pairing_id), n in zip(cohort, (1, LONG), strict=True):
        furnish(session, first, second, pairing_id, n)
        create_user(session, SYSTEM, first.email, PASSWORD, person_id=first.id)
    session.commit()
    factory = sessionmaker(
        bind=session.connection(), join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    # Rendered afresh each time: a kept page (web/page_cache.py) reads 3 statements
    # whatever the page; what is counted here is what rendering it costs.
    uncached = settings.model_copy(update={"page_cache_mb": 0})
    app = create_app(uncached, Store(engine=session.connection().engine, sessions=factory))
    app.state.jobs_inline = True
    app.dependency_overrides[now] = lambda: CLOCK
    try:
        for first, _, _ in cohort:
            client = TestClient(app, base_url="https://testserver")
            client.__enter__()
            clients.append(client)
            sign_in(client, first.email, PASSWORD)
        short, long = clients
        short_id, long_id = (p for _, _, p in cohort)
        counts = {"dashboard": (_count(session, short, "/"), _count(session, long, "/"))}
        for section in SECTIONS:
            tail = f"/{section}" if section else ""
            counts[section or "overview"] = (
                _count(session, short, f"/pairings/{short_id}{tail}"),
                _count(session, long, f"/pairings/{long_id}{tail}"),
            )
    finally:
        for client in clients:
            client.__exit__(None, None, None)
    grew = {page: c for page, c in counts.items() if c[0] != c[1]}
    assert not grew, f"statements grew with the history (1 vs {LONG} of each): {grew}"
    cards = ("dashboard", "overview")  # the overview page shows the dashboard's card
    assert counts["dashboard"][0] <= MOST_FOR_THE_DASHBOARD, counts
    assert counts["overview"][0] <= MOST_FOR_THE_DASHBOARD + NUDGE_FACTS, counts
    assert counts["closing"][0] <= MOST_FOR_A_PAGE + CYCLE_SUMMARY, counts
    cards = (*cards, "closing")
    too_many = {p: c[0] for p, c in counts.items() if p not in cards and c[0] > MOST_FOR_A_PAGE}
    assert not too_many, f"pages reading more than {MOST_FOR_A_PAGE} statements: {too_many}"
