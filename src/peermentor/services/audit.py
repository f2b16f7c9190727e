"""The audit log: every use case that changes who can do what, or lets data leave the
app, records one entry here, in the caller's transaction.

An entry holds no text anyone wrote and no copy of an email: the actor is an account
id (its email is joined in when read, so an erased account reads "erased account"),
the target is a kind and an id, and the details are numbers, flags and lists of ids,
checked here before anything is stored. Only organisation admins (and the operator at
the command line) read the log; entries older than the retention period
(`PEERMENTOR_AUDIT_RETENTION_DAYS`) are purged by `peermentor audit purge` and when
`peermentor serve` starts.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from peermentor.services.access import Actor, InvalidInput, require_org_admin
from peermentor.store import audit_repo

# Every action the log knows, with what it means; `record` refuses any other name.
ACTIONS: dict[str, str] = {
    "people.imported": "People imported into a programme (created, updated, unchanged)",
    "outcomes.imported": "A programme's outcome events (HR data) replaced by an upload",
    "people.exported": "A programme's people exported as CSV",
    "match.run": "The matching engine ran on a programme and stored a draft",
    "match.published": "Draft pairings proposed to their members",
    "match.exported": "A programme's pairings exported as CSV",
    "match.scores_exported": "The score of every allowed pair exported as CSV",
    "pairing.locked": "A draft pairing locked, so a rerun keeps it",
    "pairing.unlocked": "A draft pairing unlocked",
    "pairing.swapped": "Two people exchanged between draft pairings",
    "pairing.paired_by_hand": "People paired by hand",
    "pairing.unpaired": "A draft pairing removed",
    "pairing.released_inactive": "An open proposal released for rematch: a member was inactive",
    "program.nudges_changed": "A programme's nudge settings changed (the new numbers)",
    "invitation.created": "A one-time link to set a password made for an account",
    "invitation.accepted": "An invitation used to set a password",
    "role.org_admin_granted": "An account made organisation admin (created or promoted)",
    "role.program_admin_granted": "An account made programme admin (created or promoted)",
    "role.program_admin_added": "A programme given to a programme admin",
    "token.created": "A personal API token created",
    "token.revoked": "A personal API token revoked",
    "sign_in": "Signed in",
    "sign_in.failed": "A failed sign-in (the account, when the email is one; with company "
    "sign-in, a flag naming why it was refused)",
    "sign_in.locked": "Sign-in tries paused after repeated failures (the account, when "
    "the email is one; how long, and whether the whole address waits); the tries refused "
    "during the wait are not written one by one",
    "sso.linked": "A company sign-in identity linked to an account at its first use",
    "account.created_at_sign_in": "An account made for an imported person at their first "
    "company sign-in",
    "sign_out": "Signed out",
    "password.changed": "A password changed by its owner",
    "password.locked": "Password changes paused after repeated wrong current passwords",
    "person.data_exported": "Everything stored about one person exported",
    "person.erased": "A person and their account erased",
    "mail.resent": "A mail that had failed queued to be sent again",
    "audit.purged": "Audit entries older than the retention period removed",
    "circle.created": "Circles created (by hand, or from a programme's teams)",
    "circle.member_added": "A person added to a circle",
    "circle.member_removed": "A person taken out of a circle",
    "circle.settings_changed": "A circle's cadence, anonymity or receivers per giver changed",
    "circle.round_started": "A circle's next round started by an admin",
    # Leaving well (services/leaving.py): never a report's words, a note or who was blocked.
    "report.filed": "A member reported a problem in their pairing to the programme's admins",
    "report.closed": "A programme admin closed a report, with a note kept beside it",
    "block.added": "A participant blocked their partner(s) from being matched with them",
    "block.removed": "A participant removed one of their blocks",
    "program.cooldown_changed": "A programme's rematch cooldown changed (the new and old days)",
    # Self sign-up (services/signup.py): never what a person typed.
    "program.signup_changed": "A programme's sign-up opened, closed, or its link or rules changed",
    "signup.requested": "Someone signed up through a programme's link (mailed to confirm)",
    "signup.joined": "A signed-in participant joined a programme through its link",
    "signup.approved": "A programme admin approved waiting sign-ups",
    "signup.declined": "A programme admin declined waiting sign-ups",
    "program.self_match_changed": "How a programme matches changed: by admins, by choice, or both",
    "selfmatch.paired": "Two people chose each other: one asked, the other accepted",
    # Profiles (services/profiles.py): how many fields, never which words.
    "profile.updated": "A participant changed their own profile (how many fields changed)",
}
TARGET_KINDS = frozenset(
    {
        "program",
        "pairing",
        "match_run",
        "user",
        "person",
        "api_token",
        "mail_message",
        "circle",
        "report",
    }
)
ACTOR_LABELS = {"command_line": "command line", "anonymous": "anonymous"}
ERASED_ACCOUNT = "erased account"

DEFAULT_RETENTION_DAYS = 400
MAX_DETAIL_KEYS = 16
MAX_DETAIL_LIST = 100
_DETAIL_KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")
_JSON_SAFE_INT = 2**53


class AuditDetailsRefused(ValueError):
    """Details that are not numbers, flags or lists of ids: a bug in the caller."""


def check_details(details: dict[str, Any] | None) -> dict[str, Any]:
    """The details as stored, or AuditDetailsRefused: a string could carry private text."""
    details = dict(details or {})
    if len(details) > MAX_DETAIL_KEYS:
        raise AuditDetailsRefused(f"at most {MAX_DETAIL_KEYS} details")
    for key, value in details.items():
        if not isinstance(key, str) or not _DETAIL_KEY.fullmatch(key):
            raise AuditDetailsRefused(f"detail name {key!r}: lower-case identifier expected")
        if not _allowed_value(value):
            raise AuditDetailsRefused(
                f"detail {key!r}: only numbers, flags, null and lists of ids are kept, "
                f"not {type(value).__name__}"
            )
    return details


def _is_id(value: Any) -> bool:
    return type(value) is int and abs(value) < _JSON_SAFE_INT


def _allowed_value(value: Any) -> bool:
    if value is None or isinstance(value, bool) or _is_id(value):
        return True
    if type(value) is float:
        return math.isfinite(value)
    if type(value) is list:
        return len(value) <= MAX_DETAIL_LIST and all(_is_id(v) for v in value)
    return False


def account(user_id: int) -> Actor:
    """The actor of an entry known only by its account (signing out): the log keeps
    the account, never the role, so no role is claimed here."""
    return Actor(role="account", user_id=user_id)


def _actor_columns(session: Session, actor: Actor | None) -> tuple[str, int | None]:
    if actor is None:
        return "anonymous", None
    if actor.user_id is not None:
        # An actor whose account is gone (erased meanwhile) is recorded as erased.
        exists = audit_repo.user_exists(session, actor.user_id)
        return "user", actor.user_id if exists else None
    if actor.role == "system":
        return "command_line", None
    return "anonymous", None


def record(
    session: Session,
    actor: Actor | None,
    action: str,
    *,
    target_kind: str | None = None,
    target_id: int | None = None,
    program_id: int | None = None,
    details: dict[str, Any] | None = None,
    now: datetime,
) -> None:
    """Add one entry to the caller's transaction (committed with the change it records).
    `actor` None is someone not signed in."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}; add it to services.audit.ACTIONS")
    if (target_kind is None) != (target_id is None) or (
        target_kind is not None and target_kind not in TARGET_KINDS
    ):
        raise ValueError(f"audit target {target_kind!r} {target_id!r}: a known kind and an id")
    if now.tzinfo is None:
        raise ValueError("now: a timezone-aware datetime")
    actor_kind, actor_user_id = _actor_columns(session, actor)
    audit_repo.add_entry(
        session,
        at=now.astimezone(UTC),
        actor_kind=actor_kind,
        actor_user_id=actor_user_id,
        action=action,
        target_kind=target_kind,
        target_id=target_id,
        program_id=program_id,
        details=check_details(details),
    )


@dataclass(frozen=True, slots=True)
class AuditFilters:
    since: datetime | None = None
    actor_email: str | None = None
    action: str | None = None
    program_id: int | None = None


@dataclass(frozen=True, slots=True)
class AuditEntryView:
    id: int
    at: datetime
    actor: str  # an email, "command line", "anonymous" or "erased account"
    action: str
    description: str
    target_kind: str | None
    target_id: int | None
    program: str | None
    details: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        target = None
        if self.target_kind is not None:
            target = {"kind": self.target_kind, "id": self.target_id}
        return {
            "at": self.at.isoformat(),
            "actor": self.actor,
            "action": self.action,
            "target": target,
            "program": self.program,
            "details": self.details,
        }


def _actor_label(row: audit_repo.EntryRow) -> str:
    if row.actor_kind == "user":
        return row.actor_email or ERASED_ACCOUNT
    return ACTOR_LABELS.get(row.actor_kind, row.actor_kind)


def _view(row: audit_repo.EntryRow) -> AuditEntryView:
    return AuditEntryView(
        id=row.id,
        at=row.at,
        actor=_actor_label(row),
        action=row.action,
        description=ACTIONS.get(row.action, row.action),
        target_kind=row.target_kind,
        target_id=row.target_id,
        program=row.program_name,
        details=row.details,
    )


def list_entries(
    session: Session, actor: Actor, filters: AuditFilters, *, offset: int = 0, limit: int = 50
) -> tuple[list[AuditEntryView], int]:
    """Entries newest first, and how many match the filters in all."""
    require_org_admin(actor)
    if filters.action is not None and filters.action not in ACTIONS:
        raise InvalidInput(f"action: {filters.action!r} is not one of {', '.join(ACTIONS)}")
    if offset < 0 or limit < 1:
        raise InvalidInput("paging: offset from 0 and limit from 1")
    since = filters.since
    if since is not None and since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    rows, total = audit_repo.find_entries(
        session,
        since=since.astimezone(UTC) if since is not None else None,
        actor_email=filters.actor_email or None,
        action=filters.action,
        program_id=filters.program_id,
        offset=offset,
        limit=limit,
    )
    return [_view(row) for row in rows], total


def purge(session: Session, actor: Actor, now: datetime, retention_days: int) -> int:
    """Remove the entries older than the retention period; returns how many went. A
    purge that removed something leaves an entry saying how many."""
    require_org_admin(actor)
    if retention_days < 1:
        raise InvalidInput("retention: at least 1 day")
    removed = audit_repo.purge_older_than(session, now.astimezone(UTC) - timedelta(retention_days))
    if removed:
        details = {"removed": removed, "retention_days": retention_days}
        record(session, actor, "audit.purged", details=details, now=now)
    session.commit()
    return removed
