"""One person's data, read out whole: what the export of their data is made of.

Rows come out as {column name: value}, secrets and hashes left out, so the keys of
the export are the schema's own names.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from peermentor.store.auth_models import (
    ApiToken,
    Invitation,
    ProgramAdmin,
    SsoIdentity,
    UserSession,
)
from peermentor.store.circles_repo import person_circle_data
from peermentor.store.leave_repo import person_leaving_data
from peermentor.store.models import (
    Enrolment,
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

# Never exported: a hash or secret is no information about the person, only a risk.
SECRET_SUFFIXES = ("_hash",)
SECRET_COLUMNS = frozenset({"csrf_token"})


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
        .join(ProgramAdmin, ProgramAdmin.program_id == Program.id)
        .where(ProgramAdmin.user_id == user.id)
        .order_by(Program.name)
    ).all()
    return {
        "account": as_dict(user, without=("person_id",)) | {"programmes_administered": programmes},
        "sessions": _all(session, select(UserSession).where(UserSession.user_id == user.id)),
        "api_tokens": _all(session, select(ApiToken).where(ApiToken.user_id == user.id)),
        "invitations": _all(session, select(Invitation).where(Invitation.user_id == user.id)),
        "sso_identities": _all(session, select(SsoIdentity).where(SsoIdentity.user_id == user.id)),
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
        "circles": person_circle_data(session, person.id, datetime.now(UTC)),
        "leaving": person_leaving_data(session, person.id),
        "self_match_requests": _self_match_requests(session, person.id),
    }


def _self_match_requests(session: Session, me: int) -> list[dict[str, Any]]:
    """The requests they asked and were asked. What became of one they asked reads as
    they read it on their page: a no, a lapse and an expiry alike."""
    from peermentor.domain.self_match import asker_words
    from peermentor.store.self_match_repo import all_of

    out = []
    for r in all_of(session, me):
        mine = r.asker_id == me
        out.append(
            {
                "program_id": r.program_id,
                "asked_by_me": mine,
                "other": r.asked_name if mine else r.asker_name,
                "status": asker_words(r.status) if mine else r.status,
                "asked_at": _value(r.asked_at),
                "expires_at": _value(r.expires_at),
                "pairing_id": r.pairing_id,
            }
        )
    return out


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
