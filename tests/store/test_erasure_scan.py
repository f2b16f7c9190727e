"""THE erasure test: a unique string planted in every column that can hold the person's
data, on SQLite and PostgreSQL; after erasure no table of the database holds any of
them, the partner's own writing is still there, and the programme's counts are the same.

The planting walks the schema, so a table or column added later is planted too: a new
column that cannot hold text (a vocabulary with a CHECK) must be named in VOCABULARY.
"""

from __future__ import annotations

import itertools
import uuid
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import JSON, MetaData, String, Table, Text, func, select, update
from sqlalchemy.orm import Session

from peermentor.services.access import SYSTEM, NotFound
from peermentor.services.auth import actor_for, create_api_token, start_session
from peermentor.services.personal_data import ERASED_NAME, erase_person, export_person_data
from peermentor.services.users import create_user
from peermentor.services.workspace.feedback import list_feedback
from peermentor.services.workspace.guidance import list_requests
from peermentor.services.workspace.health import programme_health
from peermentor.services.workspace.proposals import get_pairing
from peermentor.services.workspace.vision import get_visions
from peermentor.store.auth_models import Invitation
from peermentor.store.models import Base, Enrolment, MatchRun, Pairing, PairingMember, Person, User
from peermentor.store.personal_data_erase import ERASED_EXPLANATION, ERASED_TEXT
from peermentor.store.workspace_models import RolePlayRow
from tests.store.workspace.factories import ADMIN, NOW, World, later, make_world
from tests.store.workspace.test_story import live_the_story

# Columns that hold a fixed vocabulary (CHECK constraints or domain enums), not words
# anyone wrote, and roleplays.roles, which holds member ids (checked on its own below).
VOCABULARY = {
    ("users", "role"),
    ("enrolments", "status"),
    ("pairing_transitions", "action"),
    ("pairing_transitions", "from_state"),
    ("pairing_transitions", "to_state"),
    ("charter_versions", "cadence_kind"),
    ("gaps", "category"),
    ("gaps", "priority"),
    ("gaps", "status"),
    ("gaps", "milestone_key"),
    ("vision_milestones", "key"),
    ("roleplays", "scenario_key"),
    ("roleplays", "roles"),
    ("closing_reflections", "choice"),
    ("feedback", "dimension"),
    ("outcome_events", "event"),
    # The audit log is append-only (triggers refuse updates), and holds no words anyone
    # wrote: action names, actor and target kinds from registries, details of numbers
    # only (services.audit refuses strings). Its cells are still scanned after erasure.
    ("audit_entries", "actor_kind"),
    ("audit_entries", "action"),
    ("audit_entries", "target_kind"),
    ("audit_entries", "details"),
}
# Rows that two people share: which column names the author of which text.
AUTHOR_OF = {
    "guidance_requests": {"topic": "asker_id", "detail": "asker_id", "answer": "recipient_id"},
    "feedback": {
        "situation": "giver_id",
        "behaviour": "giver_id",
        "impact": "giver_id",
        "suggestion": "giver_id",
    },
    "charter_versions": {"purpose": "edited_by", "norm_other": "edited_by"},
    "session_logs": {"topics": "logged_by"},
    "pairing_transitions": {"reason": "by_person_id"},
}
TEXT_TYPES = (String, Text, JSON)
STORY = "-story"  # in what everyone wrote while living the story


def _text_columns(table: Table) -> list[str]:
    return [
        c.name
        for c in table.columns
        if isinstance(c.type, TEXT_TYPES) and (table.name, c.name) not in VOCABULARY
    ]


def _refs(table: Table) -> list[tuple[str, str]]:
    """(column, referenced table) of every foreign key."""
    return [(c.name, fk.column.table.name) for c in table.columns for fk in c.foreign_keys]


class Planter:
    def __init__(self) -> None:
        self.counter = itertools.count()
        self.token = uuid.uuid4().hex[:6]
        self.planted: dict[str, str] = {}  # string -> table.column it went into

    def new(self, where: str) -> str:
        value = f"Q{next(self.counter):03d}{self.token}"  # fits String(20)
        self.planted[value] = where
        return value


def plant_everywhere(session: Session, person_id: int, user_id: int, p: Planter) -> set[str]:
    """Every text cell of every row that is the person's; returns the columns planted."""
    owned: dict[str, set[Any]] = {"people": {person_id}, "users": {user_id}}
    planted_columns: set[str] = set()
    for table in Base.metadata.sorted_tables:  # parents before children
        pk = next(iter(table.primary_key.columns))
        texts = _text_columns(table)
        for row in session.execute(select(table)).mappings().all():
            if table.name in AUTHOR_OF:
                columns = [
                    c for c, author in AUTHOR_OF[table.name].items() if row[author] == person_id
                ]
            elif table.name in owned and row[pk.name] in owned[table.name]:
                columns = texts
            elif any(row[col] in owned.get(ref, ()) for col, ref in _refs(table)):
                owned.setdefault(table.name, set()).add(row[pk.name])
                columns = texts
            else:
                continue
            values: dict[str, Any] = {}
            for c in columns:
                value = p.new(f"{table.name}.{c}")
                values[c] = [value] if isinstance(table.c[c].type, JSON) else value
                planted_columns.add(f"{table.name}.{c}")
            if values:
                session.execute(update(table).where(pk == row[pk.name]).values(values))
    session.flush()
    session.expire_all()
    return planted_columns


def scan(session: Session, strings: set[str]) -> list[str]:
    """Every planted string still in any cell of any table of the database."""
    reflected = MetaData()
    reflected.reflect(bind=session.connection())
    found = []
    for table in reflected.sorted_tables:
        for row in session.execute(select(table)).all():
            cells = " ".join(str(v) for v in row)
            found += [f"{table.name}: {s}" for s in strings if s in cells]
    return found


@pytest.fixture
def erased_world(session: Session) -> tuple[World, Planter, set[str]]:
    w = make_world(session, active=False)
    live_the_story(w, session, ["ana", "kim"], STORY)
    ana, kim = w.people["ana"], w.people["kim"]
    user = create_user(session, SYSTEM, ana.email, "ana-password-12", person_id=ana.id)
    start_session(session, user, NOW)
    create_api_token(session, actor_for(user), "ana's script", NOW)
    session.add(
        Invitation(token_hash="x" * 64, user_id=user.id, expires_at=NOW + timedelta(days=7))
    )
    session.flush()
    p = Planter()
    columns = plant_everywhere(session, ana.id, user.id, p)
    ana = session.get_one(Person, ana.id)
    user = session.get_one(User, user.id)
    # What names her from elsewhere: reporting lines, do-not-match
    # lists, a match run that left her unmatched.
    kim.manager_id = ana.employee_id
    w.people["outsider"].do_not_match = [ana.employee_id, "E-nobody"]
    session.add(
        MatchRun(
            program_id=w.program.id,
            summary={"unmatched_people": [{"employee_id": ana.employee_id, "reason": "odd"}]},
        )
    )
    session.flush()
    return w, p, columns


def test_erasure_leaves_no_planted_string_in_any_table(
    session: Session, erased_world: tuple[World, Planter, set[str]]
) -> None:
    w, p, columns = erased_world
    # The walk reached the person's row, account, sessions and every workspace table.
    assert {
        "people.name",
        "people.email",
        "people.skills_offered",
        "users.email",
        "users.password_hash",
        "user_sessions.csrf_token",
        "api_tokens.name",
        "invitations.token_hash",
        "pairing_members.explanation",
        "pairing_responses.reason",
        "charter_versions.purpose",
        "charter_goals.text",
        "visions.statement",
        "vision_milestones.title",
        "gaps.title",
        "guidance_requests.topic",
        "guidance_requests.answer",
        "session_logs.topics",
        "session_contributions.gave",
        "roleplay_reflections.text",
        "feedback.situation",
        "checkins.note",
        "closing_reflections.text",
    } <= columns
    strings = set(p.planted)
    assert len(scan(session, strings)) >= len(strings)  # the scan sees every plant
    ana = session.get_one(Person, w.pid("ana"))
    erase_person(session, SYSTEM, ana.employee_id, later(days=70))
    session.expire_all()
    assert scan(session, strings) == []
    roles = session.scalars(select(RolePlayRow.roles)).all()
    assert roles and all(pid != w.pid("ana") for rs in roles for pid, _ in rs)


def test_the_partner_keeps_their_own_writing(
    session: Session, erased_world: tuple[World, Planter, set[str]]
) -> None:
    w, _, _ = erased_world
    kim, kim_id = w.kim, w.mid("kim")
    erase_person(session, SYSTEM, session.get_one(Person, w.pid("ana")).employee_id, later(70))
    session.expire_all()
    view = get_pairing(session, kim, w.pairing_id, later(days=70))
    assert sorted(m.name for m in view.members) == [ERASED_NAME, "Kim Park"]
    # Kim's "why you two" told of Ana's profile: it goes too.
    assert {m.explanation for m in view.members} == {ERASED_EXPLANATION}
    assert get_visions(session, kim, w.pairing_id)[kim_id].statement == f"Vision of kim {STORY}"
    feedback = list_feedback(session, kim, w.pairing_id)
    assert [f.situation for f in feedback.given] == [f"Situation {STORY}"]
    assert [f.situation for f in feedback.received] == [ERASED_TEXT]
    board = list_requests(session, kim, w.pairing_id, later(days=70))
    mine = [r for r in board.requests if r.asker == kim_id]
    theirs = [r for r in board.requests if r.asker != kim_id]
    assert [(r.topic, r.answer) for r in mine] == [(f"Topic {STORY}", ERASED_TEXT)]
    assert [(r.topic, r.answer) for r in theirs] == [(ERASED_TEXT, f"Answer {STORY}")]


def test_counts_on_aggregates_are_unchanged(
    session: Session, erased_world: tuple[World, Planter, set[str]]
) -> None:
    w, _, _ = erased_world
    at = later(days=70)
    before = programme_health(session, ADMIN, w.program.id, at)
    pairings = session.scalars(select(func.count()).select_from(Pairing)).one()
    erase_person(session, SYSTEM, session.get_one(Person, w.pid("ana")).employee_id, at)
    session.expire_all()
    assert programme_health(session, ADMIN, w.program.id, at) == before
    assert before.by_state["completed"] == 1
    assert session.scalars(select(func.count()).select_from(Pairing)).one() == pairings
    members = session.scalars(
        select(func.count()).where(PairingMember.pairing_id == w.pairing_id)
    ).one()
    assert members == 2


def test_export_of_an_erased_person_is_not_found(
    session: Session, erased_world: tuple[World, Planter, set[str]]
) -> None:
    w, _, _ = erased_world
    employee_id = session.get_one(Person, w.pid("ana")).employee_id
    erase_person(session, SYSTEM, employee_id, later(days=70))
    with pytest.raises(NotFound):
        export_person_data(session, SYSTEM, employee_id, later(days=70))
    with pytest.raises(NotFound):
        erase_person(session, SYSTEM, employee_id, later(days=70))


def test_erasing_one_member_of_a_triad_leaves_the_other_two_working(session: Session) -> None:
    w = make_world(session, triad=True, active=False)
    live_the_story(w, session, ["ana", "kim", "lee"], STORY)
    at = later(days=70)
    before = programme_health(session, ADMIN, w.program.id, at)
    erase_person(session, SYSTEM, w.people["lee"].employee_id, at)
    session.expire_all()
    for actor in (w.ana, w.kim):
        names = sorted(m.name for m in get_pairing(session, actor, w.pairing_id, at).members)
        assert names == ["Ana Silva", ERASED_NAME, "Kim Park"]
        list_requests(session, actor, w.pairing_id, at)
    assert programme_health(session, ADMIN, w.program.id, at) == before
    # The stand-in is in no programme, so no match run can ever pick it.
    stand_in = session.scalars(select(Person).where(Person.name == ERASED_NAME)).one()
    assert not session.scalars(select(Enrolment).where(Enrolment.person_id == stand_in.id)).all()
