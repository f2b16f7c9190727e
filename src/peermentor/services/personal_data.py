"""A data subject's rights: a copy of everything stored about them, and erasure.

Who may: the operator at the command line (system) and organisation admins for anyone;
every other signed-in user for themselves only (their account page).

The export is one JSON document with these top-level keys (FORMAT names its version):

  format, exported_at       what this is and when it was made
  person                    the person's row (null for an account with no person)
  enrolments                one per programme, with the programme's name
  account                   the login (email, role, ...), never a password hash
  sessions, api_tokens, invitations, failed_sign_ins
                            their metadata only: no token, hash or CSRF secret
  sso_identities            the company sign-in identities linked to the account
                            (issuer, subject, first and last use)
  pairings                  one per pairing: the pairing, partners (employee id and
                            name only), their "why you two", and every workspace row
                            they wrote (responses, transitions, charter_versions,
                            charter_goals, charter_agreements, visions with milestones,
                            gaps, guidance_asked, sessions_logged, session_contributions,
                            roleplays with their role, roleplay_reflections,
                            feedback_given, checkins, closing_reflections), plus what
                            partners wrote to them that they already read there
                            (guidance_received, the answers in guidance_asked,
                            feedback_received)
  circles                   memberships, and the circle notes they wrote or may read
  leaving                   reports_filed (without the admins' note), early_endings
                            (their reason and words), blocked (employee id and name of
                            each person they blocked)

Inside those, each row's keys are its table's column names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from peermentor.services import audit
from peermentor.services.access import Actor, Forbidden, NotFound, require_org_admin
from peermentor.store import accounts_repo, mail_repo
from peermentor.store import personal_data_erase as erasure
from peermentor.store import personal_data_repo as repo
from peermentor.store.models import Person, User

FORMAT = "peermentor-personal-data/1"
ERASED_NAME = erasure.ERASED_NAME  # how partners see an erased member


@dataclass(frozen=True, slots=True)
class Erasure:
    employee_id: str
    counts: dict[str, int]  # what was removed or kept, by kind; never any of the data


def _document(
    session: Session, person: Person | None, user: User | None, now: datetime
) -> dict[str, Any]:
    doc: dict[str, Any] = {"format": FORMAT, "exported_at": now.isoformat()}
    if person is not None:
        doc |= repo.person_data(session, person)
    else:
        doc |= {
            "person": None,
            "enrolments": [],
            "pairings": [],
            "circles": None,
            "leaving": None,
            "self_match_requests": [],
        }
    if user is not None:
        doc |= repo.account_data(session, user)
    else:
        doc |= {
            "account": None,
            "sessions": [],
            "api_tokens": [],
            "invitations": [],
            "sso_identities": [],
            "failed_sign_ins": [],
        }
    if person is not None:
        doc |= mail_repo.person_mail(session, person.id)
    else:
        doc |= {"mail_preferences": None, "mails": []}
    return doc


def _person(session: Session, employee_id: str) -> Person:
    person = repo.find_person(session, employee_id)
    if person is None:
        raise NotFound(f"no person with employee id {employee_id!r}")
    return person


def export_person_data(
    session: Session, actor: Actor, employee_id: str, now: datetime
) -> dict[str, Any]:
    """Everything stored about one person; themselves, or an organisation admin."""
    person = repo.find_person(session, employee_id)
    own = person is not None and actor.person_id == person.id
    if not own:
        require_org_admin(actor)
    person = _person(session, employee_id)
    document = _document(session, person, repo.user_of(session, person.id), now)
    _record_export(session, actor, ("person", person.id), now)
    return document


def _record_export(session: Session, actor: Actor, target: tuple[str, int], now: datetime) -> None:
    """Who took a copy of whose data, and when: the copy itself is never logged."""
    kind, target_id = target
    audit.record(
        session, actor, "person.data_exported", target_kind=kind, target_id=target_id, now=now
    )
    session.commit()


def export_my_data(session: Session, actor: Actor, now: datetime) -> dict[str, Any]:
    """The signed-in user's own data: their person (if any) and their account."""
    if actor.user_id is None:
        raise Forbidden("only a signed-in user has data of their own here")
    user = accounts_repo.user(session, actor.user_id)
    if user is None:
        raise NotFound("no such account")
    person = accounts_repo.person(session, user.person_id) if user.person_id is not None else None
    document = _document(session, person, user, now)
    target = ("person", person.id) if person is not None else ("user", user.id)
    _record_export(session, actor, target, now)
    return document


def find_for_erasure(session: Session, actor: Actor, employee_id: str) -> Person:
    """The person an organisation admin is about to erase (to confirm by name)."""
    require_org_admin(actor)
    return _person(session, employee_id)


def erase_person(session: Session, actor: Actor, employee_id: str, now: datetime) -> Erasure:
    """Remove the person, their account and everything they wrote, in one transaction;
    partners keep their own writing and aggregates keep their counts."""
    require_org_admin(actor)
    person = _person(session, employee_id)
    person_id = person.id
    from peermentor.services.leaving import end_pairings_of_erased

    # Their live pairings end first (each ending is in that pairing's own history).
    ended = end_pairings_of_erased(session, person_id, now)
    counts = erasure.erase(session, person)
    # The entry names the erased row by id only (that id no longer points at anyone)
    # and keeps the counts of what went, never what it held.
    audit.record(
        session,
        actor,
        "person.erased",
        target_kind="person",
        target_id=person_id,
        details=dict(counts),
        now=now,
    )
    session.commit()
    return Erasure(employee_id=employee_id, counts=counts | {"live_pairings_ended": ended})
