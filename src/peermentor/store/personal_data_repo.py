"""One person's data: read it all out (export) and remove it (erasure).

Erasure keeps what the person's partners wrote and what aggregates count, without
identity: the person's row is replaced, in every row that stays, by a fresh placeholder
person ("Erased person") that holds no data, and every word the person wrote in a row
that stays is replaced by ERASED_TEXT. Rows that only ever held the person's own
writing (vision, gaps, their charter goals, reflections) are deleted. The placeholder
is enrolled nowhere, so no match run ever picks it up.
"""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, String, cast, delete, func, select, update
from sqlalchemy.orm import Session

from peermentor.store.all_models import auth_models
from peermentor.store.models import (
    Base,
    Enrolment,
    MatchRun,
    Pairing,
    PairingMember,
    Person,
    Program,
    User,
)
from peermentor.store.workspace_models import (
    CharterAgreement,
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
    VisionMilestone,
    VisionRow,
)

ERASED_NAME = "Erased person"
ERASED_TEXT = "(erased)"
ERASED_EXPLANATION = "The other member's data was erased, and with it this explanation."
# Never exported: a hash or secret is no information about the person, only a risk.
SECRET_SUFFIXES = ("_hash",)
SECRET_COLUMNS = frozenset({"csrf_token"})

ApiToken = auth_models.ApiToken
Invitation = auth_models.Invitation
LoginAttempt = auth_models.LoginAttempt
UserSession = auth_models.UserSession


def find_person(session: Session, employee_id: str) -> Person | None:
    return session.scalars(select(Person).where(Person.employee_id == employee_id)).first()


def user_of(session: Session, person_id: int) -> User | None:
    return session.scalars(select(User).where(User.person_id == person_id)).first()


def _value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def as_dict(row: Any, *, without: tuple[str, ...] = ()) -> dict[str, Any]:
    """Every column of a row under its column name, secrets left out."""
    return {
        c.key: _value(getattr(row, c.key))
        for c in row.__table__.columns
        if c.key not in without
        and c.key not in SECRET_COLUMNS
        and not c.key.endswith(SECRET_SUFFIXES)
    }


def _all(session: Session, query: Any, **kw: Any) -> list[dict[str, Any]]:
    return [as_dict(row, **kw) for row in session.scalars(query)]


# --- export -------------------------------------------------------------------------


def account_data(session: Session, user: User) -> dict[str, Any]:
    programmes = session.scalars(
        select(Program.name)
        .join(auth_models.ProgramAdmin, auth_models.ProgramAdmin.program_id == Program.id)
        .where(auth_models.ProgramAdmin.user_id == user.id)
        .order_by(Program.name)
    ).all()
    emails = {user.email.lower()}
    return {
        "account": as_dict(user, without=("person_id",)) | {"programmes_administered": programmes},
        "sessions": _all(session, select(UserSession).where(UserSession.user_id == user.id)),
        "api_tokens": _all(session, select(ApiToken).where(ApiToken.user_id == user.id)),
        "invitations": _all(session, select(Invitation).where(Invitation.user_id == user.id)),
        "failed_sign_ins": _all(
            session, select(LoginAttempt).where(func.lower(LoginAttempt.email).in_(emails))
        ),
    }


def person_data(session: Session, person: Person) -> dict[str, Any]:
    enrolments = session.execute(
        select(Program.name, Enrolment)
        .join(Enrolment, Enrolment.program_id == Program.id)
        .where(Enrolment.person_id == person.id)
        .order_by(Enrolment.id)
    )
    pairing_ids = session.scalars(
        select(PairingMember.pairing_id)
        .where(PairingMember.person_id == person.id)
        .order_by(PairingMember.pairing_id)
    ).all()
    return {
        "person": as_dict(person),
        "enrolments": [{"program": name} | as_dict(e) for name, e in enrolments],
        "pairings": [_pairing_data(session, person.id, pid) for pid in pairing_ids],
    }


def _pairing_data(session: Session, me: int, pairing_id: int) -> dict[str, Any]:
    pairing = session.get_one(Pairing, pairing_id)
    program = session.get_one(Program, pairing.program_id)
    members = session.scalars(
        select(PairingMember).where(PairingMember.pairing_id == pairing_id)
    ).all()
    mine = next(m for m in members if m.person_id == me)
    in_pairing: dict[str, Any] = {"pairing_id": pairing_id}
    by_me = {"pairing_id": pairing_id}
    return {
        "pairing": as_dict(pairing, without=("components",)) | {"program": program.name},
        # Partners by employee id and name only: their profile is their own data.
        "partners": [
            {"employee_id": m.person.employee_id, "name": m.person.name}
            for m in members
            if m.person_id != me
        ],
        "explanation": mine.explanation,
        "responses": _all(session, select(PairingResponse).filter_by(**by_me, person_id=me)),
        "transitions": _all(
            session, select(PairingTransition).filter_by(**in_pairing, by_person_id=me)
        ),
        "charter_versions": _all(
            session, select(CharterVersionRow).filter_by(**in_pairing, edited_by=me)
        ),
        "charter_goals": _charter_goals(session, me, pairing_id),
        "charter_agreements": _all(
            session, select(CharterAgreement).filter_by(**in_pairing, person_id=me)
        ),
        "visions": _visions(session, me, pairing_id),
        "gaps": _all(session, select(GapRow).filter_by(**in_pairing, owner_id=me)),
        # Requests both ways: each holds what one side asked and the other answered,
        # all of which both already read in the workspace.
        "guidance_asked": _all(
            session, select(GuidanceRequestRow).filter_by(**in_pairing, asker_id=me)
        ),
        "guidance_received": _all(
            session, select(GuidanceRequestRow).filter_by(**in_pairing, recipient_id=me)
        ),
        "sessions_logged": _all(session, select(SessionLog).filter_by(**in_pairing, logged_by=me)),
        "session_contributions": _all(
            session,
            select(SessionContribution)
            .join(SessionLog, SessionLog.id == SessionContribution.session_id)
            .where(SessionLog.pairing_id == pairing_id, SessionContribution.person_id == me),
        ),
        "roleplays": _roleplays(session, me, pairing_id),
        "roleplay_reflections": _all(
            session,
            select(RolePlayReflection)
            .join(RolePlayRow, RolePlayRow.id == RolePlayReflection.roleplay_id)
            .where(RolePlayRow.pairing_id == pairing_id, RolePlayReflection.person_id == me),
        ),
        "feedback_given": _all(session, select(FeedbackRow).filter_by(**in_pairing, giver_id=me)),
        # What a partner told them: theirs to read (domain.feedback.can_read).
        "feedback_received": _all(
            session, select(FeedbackRow).filter_by(**in_pairing, receiver_id=me)
        ),
        "checkins": _all(session, select(CheckInRow).filter_by(**in_pairing, person_id=me)),
        "closing_reflections": _all(
            session, select(ClosingReflectionRow).filter_by(**in_pairing, person_id=me)
        ),
    }


def _charter_goals(session: Session, me: int, pairing_id: int) -> list[dict[str, Any]]:
    rows = session.execute(
        select(CharterVersionRow.version, CharterGoal)
        .join(CharterGoal, CharterGoal.version_id == CharterVersionRow.id)
        .where(CharterVersionRow.pairing_id == pairing_id, CharterGoal.person_id == me)
        .order_by(CharterVersionRow.version, CharterGoal.position)
    )
    return [{"charter_version": version} | as_dict(goal) for version, goal in rows]


def _visions(session: Session, me: int, pairing_id: int) -> list[dict[str, Any]]:
    result = []
    for vision in session.scalars(select(VisionRow).filter_by(pairing_id=pairing_id, author_id=me)):
        milestones = select(VisionMilestone).filter_by(vision_id=vision.id)
        milestones = milestones.order_by(VisionMilestone.position)
        result.append(as_dict(vision) | {"milestones": _all(session, milestones)})
    return result


def _roleplays(session: Session, me: int, pairing_id: int) -> list[dict[str, Any]]:
    """The role-plays they had a part in, with their role (not who else played what)."""
    result = []
    for rp in session.scalars(select(RolePlayRow).filter_by(pairing_id=pairing_id)):
        roles = [role for person, role in rp.roles if person == me]
        if roles:
            result.append(as_dict(rp, without=("roles",)) | {"my_role": roles[0]})
    return result


# --- erasure ------------------------------------------------------------------------


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
        n += session.execute(
            update(model).where(author == me, column != "").values({name: ERASED_TEXT})
        ).rowcount
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
    emails = {person.email.lower()} | ({user.email.lower()} if user else set())

    # Drafts were never shown to anyone: the admin's next run rebuilds them.
    drafts = (
        select(PairingMember.pairing_id)
        .join(Pairing)
        .where(PairingMember.person_id == me, Pairing.state == "draft")
    )
    counts["draft_pairings"] = session.execute(
        delete(Pairing).where(Pairing.id.in_(drafts.scalar_subquery()))
    ).rowcount
    counts["enrolments"] = session.execute(
        delete(Enrolment).where(Enrolment.person_id == me)
    ).rowcount

    # Their own writing that nothing else depends on.
    for model, author in (
        (VisionRow, VisionRow.author_id),
        (GapRow, GapRow.owner_id),
        (CharterGoal, CharterGoal.person_id),
        (RolePlayReflection, RolePlayReflection.person_id),
        (ClosingReflectionRow, ClosingReflectionRow.person_id),
    ):
        counts[model.__tablename__] = session.execute(delete(model).where(author == me)).rowcount

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
    counts["failed_sign_ins"] = session.execute(
        delete(LoginAttempt).where(func.lower(LoginAttempt.email).in_(emails))
    ).rowcount
    for column in _person_columns():
        session.execute(update(column.table).where(column == me).values({column.name: stand_in.id}))

    # Other people's rows that name them: reporting lines, do-not-match lists, runs.
    counts["manager_links"] = session.execute(
        update(Person).where(Person.manager_id == employee_id).values(manager_id=None)
    ).rowcount
    # A text match narrows the candidates; the list test below decides.
    named = cast(Person.do_not_match, String).contains(employee_id)
    for other in session.scalars(select(Person).where(Person.id != me, named)):
        if employee_id in (other.do_not_match or []):
            other.do_not_match = [e for e in other.do_not_match if e != employee_id]
            counts["do_not_match_lists"] += 1
    for run in session.scalars(select(MatchRun)):
        cleaned = _replace_ids(run.summary, employee_id)
        if cleaned != run.summary:
            run.summary = cleaned
            counts["match_runs"] += 1
    session.delete(person)
    session.flush()
    counts["people"] = 1
    return dict(counts)
