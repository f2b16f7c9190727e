"""Leaving well: ending a pairing early, reporting a problem, blocking a person.

The reason for leaving and a report's words are for the programme's admins only; the
partner is told kindly that the pairing ended and that a new peer can be found, never
why. Every mail here says what happened and nothing private.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.orm import Session

from peermentor.domain import lifecycle
from peermentor.domain.checkins import NotEnoughData
from peermentor.domain.endings import EndingCounts, ending_counts
from peermentor.mail import kinds
from peermentor.mail.message import MailMessage, Outgoing
from peermentor.services import audit, outbox
from peermentor.services.access import Actor, Forbidden, InvalidInput, NotFound
from peermentor.services.programs import get_program_by_id
from peermentor.services.workspace.access import open_workspace
from peermentor.store import leave_repo, match_repo
from peermentor.store.leave_models import EarlyEnding, Report
from peermentor.store.workspace_repo import lifecycle_of, save_lifecycle

LEAVE_REASONS: dict[str, str] = {
    "no_time": "I do not have the time now",
    "not_a_fit": "We are not a good fit",
    "goals_changed": "My goals have changed",
    "partner_absent": "My partner is rarely available",
    "other": "Something else",
}
REPORT_CATEGORIES: dict[str, str] = {
    "conduct": "Conduct",
    "selling": "Pressure to buy services",
    "safety": "Safety",
    "other": "Something else",
}
MAX_DETAILS = 2000
MAX_NOTE = 2000


def _person_id(member: str) -> int:
    return int(member)


def _mail(kind: str, person_id: int, key: str, subject: str, line: str) -> Outgoing:
    return Outgoing(
        kind=kind,
        person_id=person_id,
        key=key,
        message=MailMessage(subject=subject, text=f"{line}\n", html=f"<p>{line}</p>"),
    )


def end_early(
    session: Session,
    actor: Actor,
    pairing_id: int,
    reason: str,
    details: str,
    now: datetime,
) -> EarlyEnding:
    """A member ends an active or paused pairing; both go back to the pool for a
    rematch (the leaver after the programme's cooldown). Reason and details are kept
    for admins; the lifecycle's own history gets neither."""
    if reason not in LEAVE_REASONS:
        raise InvalidInput(f"one of {', '.join(LEAVE_REASONS)}", field="reason")
    if len(details) > MAX_DETAILS:
        raise InvalidInput(f"at most {MAX_DETAILS} characters", field="details")
    ws = open_workspace(session, actor, pairing_id, lock=True)
    before = lifecycle_of(session, ws.head)
    save_lifecycle(session, ws.id, before, lifecycle.request_rematch(before, ws.me, now, ""))
    me = _person_id(ws.me)
    row = leave_repo.add_early_ending(
        session,
        program_id=ws.program_id,
        pairing_id=ws.id,
        person_id=me,
        reason=reason,
        details=details.strip(),
        created_at=now,
    )
    for partner in ws.partners:
        outbox.queue(
            session,
            _mail(
                kinds.ENDED_EARLY,
                _person_id(partner),
                f"{kinds.ENDED_EARLY}:{partner}:{ws.id}",
                "Your pairing has ended",
                "Your partner has had to end your pairing early. This happens, and it "
                "says nothing about you. You are back in the pool and will be offered a "
                "new peer in the next rematch.",
            ),
            now,
        )
    session.commit()
    return row


def end_pairings_of_erased(session: Session, person_id: int, now: datetime) -> int:
    """Before a person is erased: each live pairing they are in ends (a proposal is
    withdrawn, an active or paused pairing dissolved, through the lifecycle), so no
    partner is left in a pairing with nobody, out of every later match. Each partner
    is told kindly, without why. Returns how many ended; no commit."""
    from peermentor.services.workspace.access import find_head

    ended = 0
    for pairing_id, partners in match_repo.live_pairings_of(session, person_id):
        head = find_head(session, pairing_id, lock=True)
        before = lifecycle_of(session, head)
        if before.state is lifecycle.PairingState.PROPOSED:
            after = lifecycle.withdraw(before, now)
        else:
            after = lifecycle.dissolve(before, now)
        save_lifecycle(session, pairing_id, before, after)
        ended += 1
        for partner in partners:
            outbox.queue(
                session,
                _mail(
                    kinds.ENDED_EARLY,
                    partner,
                    f"{kinds.ENDED_EARLY}:{partner}:{pairing_id}",
                    "Your pairing has ended",
                    "Your partner has left the programme, so your pairing has ended. It "
                    "says nothing about you. You are back in the pool and will be offered "
                    "a new peer in the next rematch.",
                ),
                now,
            )
    return ended


def tell_partners_of_pause(
    session: Session, program_id: int, person_id: int, until: date, now: datetime
) -> None:
    """Partners in a live pairing learn that their peer is away until a date; no commit."""
    for group in match_repo.member_groups(session, program_id, match_repo.LIVE_STATES):
        ids = match_repo.person_ids(session, group)
        if person_id not in ids.values():
            continue
        for partner in (pid for pid in ids.values() if pid != person_id):
            outbox.queue(
                session,
                _mail(
                    kinds.PARTNER_PAUSED,
                    partner,
                    f"{kinds.PARTNER_PAUSED}:{partner}:{person_id}:{until:%Y-%m-%d}",
                    "Your partner is taking a break",
                    f"Your partner is taking a break from the programme until "
                    f"{until:%Y-%m-%d}. Nothing is needed from you until then.",
                ),
                now,
            )


def block_partner(session: Session, actor: Actor, pairing_id: int, now: datetime) -> None:
    """The acting member is never matched with their partner(s) in this pairing again."""
    ws = open_workspace(session, actor, pairing_id)
    for partner in ws.partners:
        leave_repo.add_block(session, _person_id(ws.me), _person_id(partner), now)
    # Who was blocked stays the blocker's own, in the log too: no target, a count.
    details = {"people": len(ws.partners)}
    audit.record(session, actor, "block.added", program_id=ws.program_id, details=details, now=now)
    session.commit()


def my_blocks(session: Session, actor: Actor) -> list[tuple[int, str]]:
    """(person id, name) of the people the participant has blocked; an account with
    no person has none."""
    if actor.person_id is None:
        return []
    return leave_repo.blocked_by(session, actor.person_id)


def require_participant(actor: Actor) -> int:
    if actor.person_id is None:
        raise Forbidden("only a participant has blocks")
    return actor.person_id


def blocked_name(session: Session, actor: Actor, person_id: int) -> str:
    """The name of someone the participant blocked, or NotFound: no one else's name."""
    me = require_participant(actor)
    for blocked_id, name in leave_repo.blocked_by(session, me):
        if blocked_id == person_id:
            return name
    raise NotFound("you have not blocked this person")


def unblock(session: Session, actor: Actor, person_id: int, now: datetime) -> None:
    """The participant may be matched with this person again."""
    blocked_name(session, actor, person_id)
    leave_repo.remove_block(session, require_participant(actor), person_id)
    audit.record(session, actor, "block.removed", now=now)
    session.commit()


def file_report(
    session: Session, actor: Actor, pairing_id: int, category: str, details: str, now: datetime
) -> Report:
    """A member reports a problem in their pairing to the programme's admins."""
    if category not in REPORT_CATEGORIES:
        raise InvalidInput(f"one of {', '.join(REPORT_CATEGORIES)}", field="category")
    if not details.strip() or len(details) > MAX_DETAILS:
        raise InvalidInput(f"1 to {MAX_DETAILS} characters", field="details")
    ws = open_workspace(session, actor, pairing_id)
    subject = _person_id(ws.partners[0]) if len(ws.partners) == 1 else None
    row = leave_repo.add_report(
        session,
        program_id=ws.program_id,
        reporter_id=_person_id(ws.me),
        subject_id=subject,
        pairing_id=ws.id,
        category=category,
        details=details.strip(),
        status="open",
        created_at=now,
    )
    # The entry points at the report; its words stay in the report, for the admins.
    audit.record(
        session,
        actor,
        "report.filed",
        target_kind="report",
        target_id=row.id,
        program_id=ws.program_id,
        now=now,
    )
    session.commit()
    return row


def report_queue(
    session: Session, actor: Actor, program_id: int
) -> list[tuple[Report, str, str | None]]:
    """The programme's reports, open first: its admins only."""
    program = get_program_by_id(session, actor, program_id)
    return leave_repo.reports(session, program.id)


def open_report(session: Session, actor: Actor, program_id: int, report_id: int) -> Report:
    """An open report of the programme, for its admins (to confirm closing it)."""
    program = get_program_by_id(session, actor, program_id)
    row = leave_repo.report(session, report_id)
    if row is None or row.program_id != program.id:
        raise NotFound(f"no report {report_id} in this programme")
    if row.status != "open":
        raise InvalidInput("this report is already closed", field="report_id")
    return row


def check_note(note: str) -> str:
    note = note.strip()
    if not note or len(note) > MAX_NOTE:
        raise InvalidInput(f"1 to {MAX_NOTE} characters", field="note")
    return note


def close_report(
    session: Session, actor: Actor, program_id: int, report_id: int, note: str, now: datetime
) -> None:
    """An admin closes an open report with a note of what was done, kept beside it
    for the programme's admins; the log says who closed which report, not the note."""
    row = open_report(session, actor, program_id, report_id)
    row.status, row.closed_at, row.admin_note = "closed", now, check_note(note)
    audit.record(
        session,
        actor,
        "report.closed",
        target_kind="report",
        target_id=row.id,
        program_id=row.program_id,
        now=now,
    )
    session.commit()


def endings_for_admins(
    session: Session, actor: Actor, program_id: int, start: date, end: date, limit: int = 50
) -> tuple[list[tuple[EarlyEnding, str]], int]:
    """Early endings from `start` to `end` (both days included), newest first, with who
    ended, the reason and the words they wrote for the admins: the programme's admins
    only (the form the member filled in says so), so they can follow up. At most
    `limit`, and how many there are in all."""
    program = get_program_by_id(session, actor, program_id)
    if end < start:
        raise InvalidInput("the last day must not be before the first", field="end")
    return leave_repo.early_endings(
        session,
        program.id,
        datetime.combine(start, time.min, UTC),
        datetime.combine(end + timedelta(days=1), time.min, UTC),
        limit,
    )


def ending_counts_for_admins(
    session: Session, actor: Actor, program_id: int, start: date, end: date
) -> EndingCounts | NotEnoughData:
    """Pairings ended early from `start` to `end` (both days included) by reason, in
    figures over MIN_AGGREGATE_GROUP pairings or more: the programme's admins only."""
    program = get_program_by_id(session, actor, program_id)
    if end < start:
        raise InvalidInput("the last day must not be before the first", field="end")
    counts = leave_repo.ending_reason_counts(
        session,
        program.id,
        datetime.combine(start, time.min, UTC),
        datetime.combine(end + timedelta(days=1), time.min, UTC),
    )
    return ending_counts(counts)
