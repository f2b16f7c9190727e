"""Nudges: what the rules in domain.nudges find due, said to the member it is for.

The same nudges appear in three places: on the pair's pages (`nudges_for_pairing`), in
mail (`due_mail`, a source the outbox polls on every worker tick; the outbox sends each
key once), and, for inactive members, on the admin's health page with the release of
their open proposal (`inactive_members`, `release_inactive_proposals`,
`release_task` for the worker). No nudge carries what anybody wrote: it says what is
due and links to the page where it is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from html import escape
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from peermentor.config import Settings
from peermentor.domain import lifecycle
from peermentor.domain import nudges as rules
from peermentor.domain.nudges import Kind, Nudge, NudgeSettings, PairingFacts
from peermentor.mail.message import MailMessage, Outgoing
from peermentor.runtime import Store
from peermentor.services import audit
from peermentor.services.access import SYSTEM, Actor, NotFound, require_admin
from peermentor.services.programs import require_program_admin
from peermentor.services.workspace.access import Workspace, find_pairing, open_workspace, timing_of
from peermentor.services.workspace.balance import report_of
from peermentor.store import leave_repo
from peermentor.store.models import Person, Program
from peermentor.store.nudges_repo import (
    NUDGING_STATES,
    Loaded,
    load_facts,
    pairing_chunks,
    people,
    programmes,
)
from peermentor.store.workspace_counts import Exchange
from peermentor.store.workspace_heads import load_head
from peermentor.store.workspace_repo import lifecycle_of, member_id, person_id, save_lifecycle

RELEASE_REASON = "released for rematch: a member did not answer and was inactive"
COMPONENT_WORDS = {
    "sessions": "bringing something to your sessions",
    "guidance": "answering requests",
    "feedback": "giving feedback",
    "roleplay": "playing the supporting role in role-plays",
}


# What each setting means, for the admin's form (the domain's docstring has the table).
SETTING_WORDS = {
    "request_days": "Days a guidance request waits before its partner is reminded",
    "request_escalate_days": "Days more before both are reminded",
    "no_session_weeks": "Weeks without a logged session before a reminder",
    "roleplay_grace_days": "Days a role-play may be late before a reminder",
    "checkin_late_days": "Days after a check-in falls due before a reminder (0: that day)",
    "one_sided_weeks": "Weeks between reminders that the exchange leans one way",
    "proposal_days": "Days a proposal waits before a reminder to answer",
    "inactive_weeks": "Weeks without any activity before a member counts as inactive",
    "release_after_weeks": "Weeks more before their open proposal may be released",
}


def nudge_settings(program: Program) -> NudgeSettings:
    """The programme's nudge settings (its settings' "nudges" entry) over the defaults."""
    return rules.settings_from((program.settings or {}).get("nudges"))


@dataclass(frozen=True, slots=True)
class NudgeView:
    kind: str
    text: str  # one sentence, no private text
    path: str  # the page where what is due is done, e.g. /pairings/7/requests


def _first(name: str) -> str:
    return (name.split() or [name])[0]


def _with(names: list[str]) -> str:
    return " and ".join(names) if names else "your peer"


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _days(n: Nudge, now: datetime) -> int:
    return 0 if n.since is None else max(0, (now - n.since).days)


def describe(n: Nudge, pairing_id: int, names: dict[str, str], now: datetime) -> NudgeView:
    """What one nudge says to its member. `names`: member id -> first name."""
    others = [names.get(m, "your peer") for m in names if m != n.to_member]
    about = names.get(n.about, "your peer")
    base = f"/pairings/{pairing_id}"
    days = _days(n, now)
    if n.kind is Kind.REQUEST_UNANSWERED:
        text = (
            f"{about} asked you for guidance {_count(days, 'day')} ago "
            "and is waiting for your answer."
        )
        return NudgeView(n.kind, text, f"{base}/requests")
    if n.kind is Kind.REQUEST_STILL_UNANSWERED:
        if n.role == "asked":
            text = f"{about}'s request has waited {_count(days, 'day')} for your answer."
        elif n.role == "asker":
            text = (
                f"Your request to {about} has waited {_count(days, 'day')}; "
                f"{about} was reminded again."
            )
        else:
            text = f"A request to {about} has waited {_count(days, 'day')} for an answer."
        return NudgeView(n.kind, text, f"{base}/requests")
    if n.kind is Kind.NO_SESSION:
        weeks = _count(days // 7, "week")
        text = f"No session with {_with(others)} logged for {weeks}: plan your next one."
        return NudgeView(n.kind, text, f"{base}/calendar")
    if n.kind is Kind.ROLEPLAY_OVERDUE:
        text = (
            f"Role-play number {int(n.about) + 1} with {_with(others)} was due "
            f"{_count(days, 'day')} ago: catch up or move the schedule."
        )
        return NudgeView(n.kind, text, f"{base}/roleplays")
    if n.kind is Kind.CHECKIN_DUE:
        return NudgeView(n.kind, "Your check-in is due: four quick ratings.", f"{base}/checkins")
    if n.kind is Kind.ONE_SIDED:
        what = COMPONENT_WORDS.get(n.about, "the exchange")
        who = _with(others)
        verb = "give" if len(others) > 1 else "gives"
        text = f"Your exchange with {who} leans one way on {what}: {who} {verb} more than you."
        return NudgeView(n.kind, text, base)
    if n.kind is Kind.PROPOSAL_UNANSWERED:
        text = (
            f"Your proposed pairing with {_with(others)} has waited {_count(days, 'day')} "
            "for your answer."
        )
        return NudgeView(n.kind, text, base)
    weeks = _count(days // 7, "week")
    text = f"Nothing from you in your pairing with {_with(others)} for {weeks}."
    return NudgeView(n.kind, text, base)


def _with_balance(loaded: Loaded) -> PairingFacts:
    if loaded.row.state != "active":
        return loaded.facts
    return replace(loaded.facts, balance=report_of(loaded.facts.members, loaded.exchange))


def _settings_and_pulse(session: Session, rows: list) -> tuple[dict[int, Program], dict]:
    progs = programmes(session, sorted({r.program_id for r in rows}))
    return progs, {pid: timing_of(p).pulse_interval for pid, p in progs.items()}


def _names(session: Session, ids: set[int]) -> dict[int, Person]:
    return people(session, sorted(ids))


def nudges_for_pairing(
    session: Session, actor: Actor, pairing_id: int, now: datetime
) -> tuple[NudgeView, ...]:
    """The nudges due for the acting member in one of their pairings (members only)."""
    return nudges_for_pairings(session, actor, [pairing_id], now)[pairing_id]


def nudges_for_pairings(
    session: Session, actor: Actor, pairing_ids: list[int], now: datetime
) -> dict[int, tuple[NudgeView, ...]]:
    """The same for several of the member's pairings at once (the dashboard): the facts
    of all of them are read together, so the statements do not grow with the pairings."""
    return due_in_workspaces(
        session, [open_workspace(session, actor, pid) for pid in pairing_ids], now
    )


def due_in_workspaces(
    session: Session,
    spaces: Sequence[Workspace],
    now: datetime,
    read: tuple[Mapping[int, Exchange], Mapping[int, Any]] | None = None,
) -> dict[int, tuple[NudgeView, ...]]:
    """The nudges due for each workspace's own member, in workspaces the caller has
    already opened (so the member's access is checked). `read`: their exchange and
    role-play schedules if the caller has read them already (see load_facts)."""
    found: dict[int, tuple[NudgeView, ...]] = {ws.id: () for ws in spaces}
    spaces = [ws for ws in spaces if ws.state in NUDGING_STATES]
    if not spaces:
        return found
    rows = [find_pairing(session, ws.id) for ws in spaces]  # facts read from the rows
    progs, pulse = _settings_and_pulse(session, rows)
    loaded_all = load_facts(session, rows, pulse, read=read)
    for ws, loaded in zip(spaces, loaded_all, strict=True):
        names = {m: _first(name) for m, name in ws.head.names.items()}
        found[ws.id] = tuple(
            describe(n, ws.id, names, now)
            for n in rules.due_nudges(
                _with_balance(loaded), nudge_settings(progs[ws.program_id]), now
            )
            if n.to_member == ws.me
        )
    return found


def _mail(view: NudgeView, to: Person, base_url: str) -> MailMessage:
    link = base_url.rstrip("/") + view.path
    hello = f"Hello {_first(to.name)},"
    footer = "You get this because you take part in a peer mentoring programme."
    subject = "Peer mentoring: " + view.text.split(":")[0].rstrip(".")
    text = f"{hello}\n\n{view.text}\n\n{link}\n\n-- \n{footer}\n"
    html = (
        f"<p>{escape(hello)}</p><p>{escape(view.text)}</p>"
        f'<p><a href="{escape(link)}">{escape(link)}</a></p><p><small>{escape(footer)}</small></p>'
    )
    return MailMessage(subject=subject[:150], text=text, html=html)


def due_mail(session: Session, now: datetime, base_url: str | None = None) -> Iterator[Outgoing]:
    """Every nudge due at `now` in every proposed or active pairing, as a mail each.
    Keys are kind + recipient + pairing + occasion, so polling again queues nothing new.
    base_url: where people reach the app (PEERMENTOR_BASE_URL by default)."""
    url = base_url if base_url is not None else Settings().base_url
    # A pairing with a paused member is silent until the pause ends (services/availability.py).
    paused = leave_repo.paused_person_ids(session, now.date())
    for rows in pairing_chunks(session):
        progs, pulse = _settings_and_pulse(session, rows)
        loaded = load_facts(session, rows, pulse)
        who = _names(session, {person_id(m) for x in loaded for m in x.facts.members})
        for x in loaded:
            if paused and any(person_id(m) in paused for m in x.facts.members):
                continue
            settings = nudge_settings(progs[x.row.program_id])
            names = {m: _first(who[person_id(m)].name) for m in x.facts.members}
            for n in rules.due_nudges(_with_balance(x), settings, now):
                to = who[person_id(n.to_member)]
                view = describe(n, x.row.id, names, now)
                yield Outgoing(
                    kind=f"nudge.{n.kind.value}",
                    person_id=to.id,
                    key=rules.key_of(n, to.id, x.row.id),
                    message=_mail(view, to, url),
                )


def update_nudge_settings(
    session: Session, actor: Actor, program_id: int, values: dict[str, int], now: datetime
) -> NudgeSettings:
    """Set some of a programme's nudge settings (admins of the programme); the others
    keep their value. A bad name or number is refused with the setting named (a
    domain ValidationError), and nothing is written. Audited with the new numbers."""
    program = _program(session, actor, program_id)
    current = (program.settings or {}).get("nudges") or {}
    chosen = rules.settings_from({**current, **values})
    stored = {name: getattr(chosen, name) for name in rules.SETTING_NAMES}
    program.settings = dict(program.settings or {}) | {"nudges": stored}
    audit.record(
        session,
        actor,
        "program.nudges_changed",
        target_kind="program",
        target_id=program.id,
        program_id=program.id,
        details=stored,
        now=now,
    )
    session.commit()
    return chosen


# --- inactive members (the admin's health page) ---


@dataclass(frozen=True, slots=True)
class InactiveMember:
    person_id: int
    name: str
    pairing_id: int
    state: str
    since: datetime  # last activity (or the proposal, when they never did anything)
    releasable: bool  # their open proposal may now be released for rematch


def _program(session: Session, actor: Actor, program_id: int) -> Program:
    require_admin(actor)
    program = session.get(Program, program_id)
    if program is None:
        raise NotFound(f"no programme {program_id}")
    return require_program_admin(session, actor, program)


def _inactive(session: Session, program: Program, now: datetime) -> list[InactiveMember]:
    settings = nudge_settings(program)
    found = []
    pulse = {program.id: timing_of(program).pulse_interval}
    for rows in pairing_chunks(session, program_id=program.id):
        loaded = load_facts(session, rows, pulse, activity_only=True)
        who = _names(session, {person_id(m) for x in loaded for m in x.facts.members})
        for x in loaded:
            for m in x.facts.members:
                since = rules.inactive_since(x.facts, m)
                if not rules.is_inactive(since, now, settings):
                    continue
                releasable = (
                    x.row.state == "proposed"
                    and m in x.facts.awaiting
                    and rules.may_release(since, now, settings)
                )
                p = who[person_id(m)]
                found.append(InactiveMember(p.id, p.name, x.row.id, x.row.state, since, releasable))
    found.sort(key=lambda i: (i.since, i.person_id))
    return found


def inactive_members(
    session: Session, actor: Actor, program_id: int, now: datetime
) -> tuple[InactiveMember, ...]:
    """Members of the programme's proposed and active pairings who have done nothing for
    the programme's `inactive_weeks`, longest silent first (admins of the programme)."""
    return tuple(_inactive(session, _program(session, actor, program_id), now))


def _release(session: Session, actor: Actor, program: Program, now: datetime) -> int:
    targets: dict[int, list[int]] = {}
    for i in _inactive(session, program, now):
        if i.releasable:
            targets.setdefault(i.pairing_id, []).append(i.person_id)
    released = 0
    for pairing_id, inactive in sorted(targets.items()):
        row = find_pairing(session, pairing_id, lock=True)
        if row.state != "proposed":
            continue  # answered meanwhile
        head = load_head(session, row.id)
        assert head is not None  # found and locked just above
        before = lifecycle_of(session, head)
        if not set(map(member_id, inactive)) & set(before.awaiting):
            continue
        save_lifecycle(session, row.id, before, lifecycle.withdraw(before, now, RELEASE_REASON))
        audit.record(
            session,
            actor,
            "pairing.released_inactive",
            target_kind="pairing",
            target_id=pairing_id,
            program_id=program.id,
            details={"inactive_people": sorted(inactive)},
            now=now,
        )
        released += 1
    return released


def release_inactive_proposals(
    session: Session, actor: Actor, program_id: int, now: datetime
) -> int:
    """Release (withdraw) every open proposal of the programme that waits for a member
    inactive past `inactive_weeks` + `release_after_weeks`; both members return to the
    pool for the next match. One audit entry a pairing. Returns how many."""
    program = _program(session, actor, program_id)
    released = _release(session, actor, program, now)
    session.commit()
    return released


def release_task(store: Store, settings: Settings, now: datetime) -> int:
    """The same release for every programme, as a periodic task of the worker."""
    with store.sessions() as session:
        total = 0
        for program in session.scalars(select(Program).order_by(Program.id)):
            total += _release(session, SYSTEM, program, now)
        session.commit()
        return total


def mail_source(settings: Settings) -> Callable[[Session, datetime], Iterator[Outgoing]]:
    """due_mail bound to the settings' base URL, for the outbox's list of sources."""

    def source(session: Session, now: datetime) -> Iterator[Outgoing]:
        return due_mail(session, now, settings.base_url)

    return source
