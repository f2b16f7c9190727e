"""Erasing one person: the right to be forgotten.

Erasure keeps what the person's partners wrote and what aggregates count, without
identity: the person's row is replaced, in every row that stays, by a fresh placeholder
person ("Erased person") that holds no data, and every word the person wrote in a row
that stays is replaced by ERASED_TEXT. Rows that only ever held the person's own
writing (vision, gaps, their charter goals, reflections) are deleted. The placeholder
is enrolled nowhere, so no match run ever picks it up.
"""

from __future__ import annotations

import json
import uuid
from collections import Counter
from typing import Any

from sqlalchemy import Column, String, cast, delete, or_, select, update
from sqlalchemy.orm import Session

import peermentor.store.all_models  # noqa: F401  (every table: none may keep the person)
from peermentor.matching import run_inputs
from peermentor.store import mail_repo
from peermentor.store.calendar_models import CalendarFeed
from peermentor.store.models import Base, Enrolment, MatchRun, Pairing, PairingMember, Person
from peermentor.store.personal_data_repo import user_of
from peermentor.store.workspace_models import (
    CharterGoal,
    CharterVersionRow,
    CheckInRow,
    ClosingReflectionRow,
    FeedbackRow,
    GapRow,
    GuidanceRequestRow,
    PairingResponse,
    PairingTransition,
    RolePlayReflection,
    RolePlayRow,
    SessionContribution,
    SessionLog,
    VisionRow,
)

ERASED_NAME = "Erased person"
ERASED_TEXT = "(erased)"
ERASED_EXPLANATION = "The other member's data was erased, and with it this explanation."


def _touched(session: Session, statement: Any) -> int:
    """How many rows a bulk DELETE or UPDATE touched."""
    return int(getattr(session.execute(statement), "rowcount", 0) or 0)


def _placeholder(session: Session) -> Person:
    key = uuid.uuid4().hex[:16]
    stand_in = Person(
        employee_id=f"erased-{key}",
        name=ERASED_NAME,
        email=f"erased-{key}@erased.invalid",
        years_experience=0,
        opt_out=True,
    )
    session.add(stand_in)
    session.flush()
    return stand_in


def _person_columns() -> list[Column[Any]]:
    """Every column of every table that points at a person: erasure must leave none."""
    return [
        column
        for table in Base.metadata.sorted_tables
        for column in table.columns
        if any(fk.column.table.name == "people" for fk in column.foreign_keys)
    ]


def _blank(session: Session, model: Any, author: Any, me: int, *columns: str) -> int:
    """Replace what `me` wrote in these columns; empty cells stay empty."""
    n = 0
    for name in columns:
        column = getattr(model, name)
        n += _touched(
            session, update(model).where(author == me, column != "").values({name: ERASED_TEXT})
        )
    return n


def _blank_lists(session: Session, rows: Any, *columns: str) -> int:
    n = 0
    for row in rows:
        for name in columns:
            if getattr(row, name):
                # One marker, not an empty list: balance counts that something was given.
                setattr(row, name, [ERASED_TEXT])
                n += 1
    return n


def _replace_ids(value: Any, employee_id: str) -> Any:
    """A JSON value with every string equal to the employee id replaced."""
    if isinstance(value, str):
        return ERASED_TEXT if value == employee_id else value
    if isinstance(value, list):
        return [_replace_ids(v, employee_id) for v in value]
    if isinstance(value, dict):
        return {k: _replace_ids(v, employee_id) for k, v in value.items()}
    return value


def erase(session: Session, person: Person) -> dict[str, int]:
    """Remove the person and everything they wrote; returns counts (no data)."""
    me, employee_id = person.id, person.employee_id
    counts: Counter[str] = Counter()
    user = user_of(session, me)

    # Drafts were never shown to anyone: the admin's next run rebuilds them.
    drafts = (
        select(PairingMember.pairing_id)
        .join(Pairing)
        .where(PairingMember.person_id == me, Pairing.state == "draft")
    )
    counts["draft_pairings"] = _touched(
        session, delete(Pairing).where(Pairing.id.in_(drafts.scalar_subquery()))
    )
    counts["enrolments"] = _touched(session, delete(Enrolment).where(Enrolment.person_id == me))
    # Their calendar address goes: kept for the stand-in, it would still serve the pair.
    counts["calendar_feeds"] = _touched(
        session, delete(CalendarFeed).where(CalendarFeed.person_id == me)
    )

    # Their own writing that nothing else depends on.
    for model, author in (
        (VisionRow, VisionRow.author_id),
        (GapRow, GapRow.owner_id),
        (CharterGoal, CharterGoal.person_id),
        (RolePlayReflection, RolePlayReflection.person_id),
        (ClosingReflectionRow, ClosingReflectionRow.person_id),
    ):
        counts[model.__tablename__] = _touched(session, delete(model).where(author == me))

    # Rows that stay for the partner or for counts: their words go, the facts stay.
    blanked = 0
    blanked += _blank(session, PairingResponse, PairingResponse.person_id, me, "reason")
    blanked += _blank(session, PairingTransition, PairingTransition.by_person_id, me, "reason")
    blanked += _blank(
        session, CharterVersionRow, CharterVersionRow.edited_by, me, "purpose", "norm_other"
    )
    blanked += _blank(
        session, GuidanceRequestRow, GuidanceRequestRow.asker_id, me, "topic", "detail"
    )
    blanked += _blank(session, GuidanceRequestRow, GuidanceRequestRow.recipient_id, me, "answer")
    blanked += _blank(
        session,
        FeedbackRow,
        FeedbackRow.giver_id,
        me,
        "situation",
        "behaviour",
        "impact",
        "suggestion",
    )
    blanked += _blank(session, CheckInRow, CheckInRow.person_id, me, "note")
    blanked += _blank_lists(
        session, session.scalars(select(SessionLog).filter_by(logged_by=me)), "topics"
    )
    blanked += _blank_lists(
        session, session.scalars(select(SessionContribution).filter_by(person_id=me)), "gave", "got"
    )
    counts["texts_erased"] = blanked

    stand_in = _placeholder(session)
    pairings = select(PairingMember.pairing_id).where(PairingMember.person_id == me)
    # "Why you two" names the erased person and their profile, for every member.
    session.execute(
        update(PairingMember)
        .where(PairingMember.pairing_id.in_(pairings.scalar_subquery()))
        .values(explanation=ERASED_EXPLANATION)
    )
    counts["pairings_kept"] = len(session.scalars(pairings).all())
    for rp in session.scalars(
        select(RolePlayRow).where(RolePlayRow.pairing_id.in_(pairings.scalar_subquery()))
    ):
        rp.roles = [[stand_in.id if p == me else p, role] for p, role in rp.roles]
    session.flush()

    if user is not None:
        # Sessions, tokens, invitations and programme-admin grants go with the account.
        session.delete(user)
        counts["accounts"] = 1
        session.flush()
    # Mail: theirs goes (nothing more is sent to them), others' names them no more.
    counts["mails"] = mail_repo.erase_person_mail(session, me, person.name, ERASED_NAME)
    # Throttle counters need nothing: they are keyed by digests and hold no address.
    for column in _person_columns():
        session.execute(update(column.table).where(column == me).values({column.name: stand_in.id}))

    # Other people's rows that name them: reporting lines, do-not-match lists, runs.
    counts["manager_links"] = _touched(
        session, update(Person).where(Person.manager_id == employee_id).values(manager_id=None)
    )
    # A text match narrows the candidates; the list test below decides.
    named = cast(Person.do_not_match, String).contains(employee_id, autoescape=True)
    for other in session.scalars(select(Person).where(Person.id != me, named)):
        if employee_id in (other.do_not_match or []):
            other.do_not_match = [e for e in other.do_not_match if e != employee_id]
            counts["do_not_match_lists"] += 1
    for run in session.scalars(select(MatchRun)):
        cleaned = _replace_ids(run.summary, employee_id)
        if cleaned != run.summary:
            run.summary = cleaned
            counts["match_runs"] += 1
    # A run's inputs hold the person's whole record (to serve the run's scores later):
    # the record leaves, as do the other records' links to them. That run's scores are
    # then those of the people who stay.
    # The narrowing looks for the id as JSON writes it too (escaped quotes, non-ASCII).
    as_text = cast(MatchRun.inputs, String)
    in_inputs = or_(
        as_text.contains(employee_id, autoescape=True),
        as_text.contains(json.dumps(employee_id)[1:-1], autoescape=True),
    )
    for run in session.scalars(select(MatchRun).where(in_inputs)):
        inputs = run_inputs.without_person(run.inputs or {}, employee_id)
        if inputs != run.inputs:
            run.inputs = inputs
            counts["match_run_inputs"] += 1
    session.delete(person)
    session.flush()
    counts["people"] = 1
    return dict(counts)
