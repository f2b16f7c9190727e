"""Choosing one's own peer: suggestions from the engine, asking, answering.

A participant of a programme open for choosing sees their best few suggestions, the
same scores and hard rules as a run (the pool is services/matching.py's pool_of, so
pauses, capacity, cooldowns, blocks and management chains hold exactly as there), each
with the two-way explanation; they ask one, and the other accepts or declines before
the request's deadline. A yes makes the pairing live at once, rechecked against every
rule at that moment under a lock; every other open request of a person who is then at
capacity lapses. Nothing here tells anyone who declined whom: the one who asked reads
"not taken up" for a no, a lapse or an expiry alike, and no admin page or audit entry
names either side of a request (the pairing a yes makes is audited, as any is).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from peermentor.config import Settings
from peermentor.domain import self_match as rules
from peermentor.domain.errors import NotAllowed, NotFound, NotReady
from peermentor.domain.people import PersonRecord
from peermentor.domain.self_match import SelfMatchSettings
from peermentor.mail import kinds, links
from peermentor.mail.compose import simple_message
from peermentor.mail.message import Outgoing
from peermentor.runtime import Store
from peermentor.services import audit, outbox
from peermentor.services.access import Actor
from peermentor.services.availability import require_enrolled
from peermentor.services.matching import past_partners_of, pool_of, program_match_settings
from peermentor.services.programs import get_program_by_id
from peermentor.store import programs_repo, self_match_repo
from peermentor.store.models import Person, Program
from peermentor.store.self_match_repo import Closed, RequestRow

if TYPE_CHECKING:
    from peermentor.services.signup import MyEnrolment


@dataclass(frozen=True, slots=True)
class Suggestion:
    person_id: int
    name: str
    department: str
    job_title: str
    score: float
    for_me: str  # "why you two", as I would read it
    for_them: str  # as they would read it


@dataclass(frozen=True, slots=True)
class RequestView:
    id: int
    other_id: int
    other_name: str
    mine: bool  # I asked
    status: str  # as of now (an open one past its deadline reads expired)
    words: str  # what I read of it
    expires_at: datetime
    pairing_id: int | None


@dataclass(frozen=True, slots=True)
class Choosing:
    """One participant's view of choosing in a programme."""

    program_id: int
    program: str
    settings: SelfMatchSettings
    open: bool
    why_not: str  # why they cannot ask now ("" when they can)
    suggestions: tuple[Suggestion, ...]
    sent: tuple[RequestView, ...]
    received: tuple[RequestView, ...]


@dataclass(frozen=True, slots=True)
class ChoosingForAdmins:
    settings: SelfMatchSettings
    open: bool
    chosen_pairings: int  # requests that became a pairing
    waiting: int  # open requests
    closed_without_pair: int  # declined, withdrawn, expired or lapsed, all together


_YEAR = timedelta(days=366)  # later than any reply time: deadline() then gives the window's


def settings_of(program: Program) -> SelfMatchSettings:
    return SelfMatchSettings.of(program.settings)


def for_admins(session: Session, actor: Actor, program_id: int, now: datetime) -> ChoosingForAdmins:
    program = get_program_by_id(session, actor, program_id)
    s = settings_of(program)
    counts = self_match_repo.counts(session, program.id)
    return ChoosingForAdmins(
        s,
        s.open_on(now.date()),
        counts.get(rules.ACCEPTED, 0),
        counts.get(rules.OPEN, 0),
        sum(n for status, n in counts.items() if status not in (rules.ACCEPTED, rules.OPEN)),
    )


def change_settings(
    session: Session,
    actor: Actor,
    program_id: int,
    *,
    mode: str,
    window_ends: date | None,
    reply_days: int,
    suggestions: int,
    now: datetime,
) -> SelfMatchSettings:
    """How the programme matches. Closing choosing (back to admins only) ends every
    open request; the people who asked are told their request was not taken up."""
    program = get_program_by_id(session, actor, program_id)
    before = settings_of(program)
    after = rules.validated(mode, window_ends, reply_days, suggestions, now.date())
    program.settings = dict(program.settings) | {"self_match": after.stored()}
    if after.mode == rules.ADMIN and before.mode != rules.ADMIN:
        closed = self_match_repo.close_all_open(session, program.id, rules.LAPSED, now)
        _tell_askers(session, closed, now)
    if after.window_ends is not None:  # what was asked before ends with the window too
        self_match_repo.cap_open_deadlines(session, program.id, after.deadline(now + _YEAR))
    audit.record(
        session,
        actor,
        "program.self_match_changed",
        target_kind="program",
        target_id=program.id,
        program_id=program.id,
        details={  # the audit keeps numbers and flags, never words
            "choosing": after.mode != rules.ADMIN,
            "run_after_window": after.mode == rules.BOTH,
            "window_days": (after.window_ends - now.date()).days if after.window_ends else None,
            "reply_days": after.reply_days,
            "suggestions": after.suggestions,
            "was_choosing": before.mode != rules.ADMIN,
        },
        now=now,
    )
    session.commit()
    return after


def _program_for(session: Session, actor: Actor, program_id: int) -> tuple[Program, int]:
    person_id = require_enrolled(session, actor, program_id, "choose a peer")
    program = programs_repo.program(session, program_id)
    if program is None:
        raise NotFound("no such programme")
    return program, person_id


def _employee_id(session: Session, person_id: int) -> str:
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound("no such person")
    return person.employee_id


def _why_not_choosing(s: SelfMatchSettings, now: datetime) -> str:
    if s.mode == rules.ADMIN:
        return "This programme's admins match everyone: there is no choosing here."
    if not s.open_on(now.date()):
        return "Choosing closed with the window; the admins' match pairs everyone still unpaired."
    return ""


def _pool_records(session: Session, program: Program, now: datetime) -> dict[str, PersonRecord]:
    return {p.employee_id: p for p in pool_of(session, program, now)}


def my_choosing(session: Session, actor: Actor, program_id: int, now: datetime) -> Choosing:
    program, me = _program_for(session, actor, program_id)
    s = settings_of(program)
    requests = [_view(r, me, now) for r in self_match_repo.requests_of(session, program.id, me)]
    why = _why_not_choosing(s, now)
    found: tuple[Suggestion, ...] = ()
    if not why:
        pool = _pool_records(session, program, now)
        mine = pool.get(_employee_id(session, me))
        if mine is None:
            why = (
                "You are in a pairing (or paused, or taking a break after one): "
                "nobody to choose now."
            )
        elif mine.opt_out:
            why = "Your profile says you opted out of matching."
        elif any(r.mine and r.status == rules.OPEN for r in requests):
            why = "You have asked someone: wait for their answer or withdraw it to ask another."
        if mine is not None and not mine.opt_out:
            found = _suggestions(session, program, me, mine, pool, s.suggestions, requests)
    return Choosing(
        program.id,
        program.name,
        s,
        s.open_on(now.date()),
        why,
        found,
        tuple(r for r in requests if r.mine),
        tuple(r for r in requests if not r.mine),
    )


def _view(r: RequestRow, me: int, now: datetime) -> RequestView:
    mine = r.asker_id == me
    status = rules.status_now(r.status, r.expires_at, now)
    if mine:
        words = rules.asker_words(status)
    else:
        words = {
            rules.OPEN: "Asks you to be their peer",
            rules.ACCEPTED: "You accepted",
            rules.DECLINED: "You declined",
        }.get(status, "Closed")
    return RequestView(
        r.id,
        r.asked_id if mine else r.asker_id,
        r.asked_name if mine else r.asker_name,
        mine,
        status,
        words,
        r.expires_at,
        r.pairing_id,
    )


def _suggestions(
    session: Session,
    program: Program,
    me: int,
    mine: PersonRecord,
    pool: dict[str, PersonRecord],
    how_many: int,
    requests: list[RequestView],
) -> tuple[Suggestion, ...]:
    """The best `how_many` allowed partners in the pool by the run's own score, minus
    the people a declined or open request already stands between."""
    import numpy as np

    from peermentor.matching.explain import explain_pairing
    from peermentor.services.cohort_cache import cohort_of

    settings = program_match_settings(program)
    records = list(pool.values())
    co = cohort_of(records, settings, past_partners_of(session))
    if mine.employee_id not in co.feats.index:
        return ()
    ids = dict(zip((p.employee_id for p in records), _person_ids(session, records), strict=True))
    left_out = self_match_repo.declined_with(session, program.id, me) | {
        r.other_id for r in requests if r.status == rules.OPEN
    }
    i = co.feats.index[mine.employee_id]
    everyone = np.arange(co.n)
    scores = co.scorer(np.float64).scores(np.full(co.n, i), everyone)
    order = [int(j) for j in np.argsort(-scores, kind="stable") if np.isfinite(scores[j])]
    out = []
    for j in order:
        other = co.feats.people[j]
        if j == i or ids[other.employee_id] in left_out:
            continue
        why = explain_pairing([mine, other], settings)
        out.append(
            Suggestion(
                ids[other.employee_id],
                other.name,
                other.department,
                other.job_title,
                float(scores[j]),
                why[mine.employee_id],
                why[other.employee_id],
            )
        )
        if len(out) == how_many:
            break
    return tuple(out)


def _person_ids(session: Session, records: list[PersonRecord]) -> list[int]:
    from peermentor.store.match_repo import person_ids

    found = person_ids(session, [p.employee_id for p in records])
    return [found[p.employee_id] for p in records]


def _allowed_now(
    session: Session, program: Program, a: int, b: int, now: datetime
) -> tuple[float, dict[str, float], dict[int, str]]:
    """The pair's score, components and explanations if every rule of a run allows it
    now; otherwise the refusal says what is in the way, without naming who blocked."""
    import numpy as np

    from peermentor.matching.explain import explain_pairing
    from peermentor.matching.settings import CRITERIA
    from peermentor.services.cohort_cache import cohort_of

    pool = _pool_records(session, program, now)
    ea, eb = _employee_id(session, a), _employee_id(session, b)
    if ea not in pool or eb not in pool:
        raise NotReady("one of you is in a pairing, paused, or taking a break after one now")
    settings = program_match_settings(program)
    co = cohort_of(list(pool.values()), settings, past_partners_of(session))
    ia, ib = co.feats.index.get(ea), co.feats.index.get(eb)
    if ia is None or ib is None:
        raise NotReady("one of you opted out of matching")
    score = float(co.scorer(np.float64).scores([ia], [ib])[0])
    if not np.isfinite(score):
        raise NotAllowed("this programme's rules do not allow you two to be paired")
    comps, _ = co.scorer(np.float64).components(np.array([ia]), np.array([ib]))
    why = explain_pairing([pool[ea], pool[eb]], settings)
    components = {c: float(comps[0][k]) for k, c in enumerate(CRITERIA)}
    return score, components, {a: why[ea], b: why[eb]}


def ask(session: Session, actor: Actor, program_id: int, person_id: int, now: datetime) -> int:
    """Ask `person_id` to be the caller's peer; returns the request's id. The asked
    person is mailed (their name and the caller's, nothing else)."""
    program, me = _program_for(session, actor, program_id)
    s = settings_of(program)
    why = _why_not_choosing(s, now)
    if why:
        raise NotReady(why)
    if person_id == me:
        raise NotAllowed("choose someone other than yourself")
    if self_match_repo.open_asked_by(session, program.id, me, now):
        raise NotReady("you have asked someone already: wait for their answer or withdraw it")
    if self_match_repo.open_between(session, program.id, me, person_id, now):
        raise NotReady("there is an open request between you two already")
    if person_id in self_match_repo.declined_with(session, program.id, me):
        raise NotAllowed("this person is not among your suggestions")
    _allowed_now(session, program, me, person_id, now)
    request_id = self_match_repo.add(session, program.id, me, person_id, now, s.deadline(now))
    asker = session.get(Person, me)
    asked = session.get(Person, person_id)
    assert asker is not None and asked is not None
    outbox.queue(session, _asked_mail(program, request_id, asker.name, asked), now)
    session.commit()
    return request_id


def _asked_mail(program: Program, request_id: int, asker: str, asked: Person) -> Outgoing:
    return Outgoing(
        kinds.SELF_MATCH_ASKED,
        asked.id,
        f"{kinds.SELF_MATCH_ASKED}:{request_id}",
        simple_message(
            f"{asker} would like to be your peer",
            [
                f"Hello {asked.name},",
                f"{asker} would like to be your peer in {program.name}. See why the matching "
                "suggests you two, and accept or decline, on your choosing page.",
                "Nobody else is told what you answer.",
            ],
            "Answer",
            links.page(f"programmes/{program.id}/choose"),
        ),
    )


def answer(
    session: Session, actor: Actor, request_id: int, accept: bool, now: datetime
) -> int | None:
    """The asked person's yes or no; a yes returns the live pairing's id."""
    from peermentor.services.workspace.proposals import create_chosen_pairing

    row = self_match_repo.request(session, request_id, lock=True)
    if row is None or actor.person_id is None or row.asked_id != actor.person_id:
        raise NotFound("no such request")
    program, me = _program_for(session, actor, row.program_id)
    if rules.status_now(row.status, row.expires_at, now) != rules.OPEN:
        raise NotReady("this request is closed: it was withdrawn, expired or answered")
    if not accept:
        self_match_repo.close(session, row.id, rules.DECLINED, now)
        _tell_askers(session, [(row.id, program.id, row.asker_id, me)], now)
        session.commit()
        return None
    why = _why_not_choosing(settings_of(program), now)
    if why:
        raise NotReady(why)
    self_match_repo.lock_people(session, [row.asker_id, me])
    score, components, explanations = _allowed_now(session, program, row.asker_id, me, now)
    pairing_id = create_chosen_pairing(
        session, program.id, [row.asker_id, me], score, components, explanations, now
    )
    self_match_repo.close(session, row.id, rules.ACCEPTED, now, pairing_id)
    if program.status in ("draft", "enrolling", "matching"):
        program.status = "active"  # it has a live pairing now
    # Whoever is now at capacity is no longer free to ask or be asked.
    still_free = _pool_records(session, program, now)
    full = [p for p in (row.asker_id, me) if _employee_id(session, p) not in still_free]
    lapsed = self_match_repo.lapse_open_involving(session, program.id, full, now)
    _tell_askers(session, lapsed, now)
    asker = session.get(Person, row.asker_id)
    assert asker is not None
    outbox.queue(session, _accepted_mail(program, row.id, asker, actor, session), now)
    audit.record(
        session,
        actor,
        "selfmatch.paired",
        target_kind="pairing",
        target_id=pairing_id,
        program_id=program.id,
        now=now,
    )
    session.commit()
    return pairing_id


def _accepted_mail(
    program: Program, request_id: int, asker: Person, actor: Actor, session: Session
) -> Outgoing:
    partner = session.get(Person, actor.person_id)
    name = partner.name if partner else "Your peer"
    return Outgoing(
        kinds.SELF_MATCH_ANSWERED,
        asker.id,
        f"{kinds.SELF_MATCH_ANSWERED}:{request_id}",
        simple_message(
            f"{name} is your peer",
            [
                f"Hello {asker.name},",
                f"{name} accepted: you two are peers in {program.name}. Your start page opens "
                "your shared workspace.",
            ],
            "Your peer mentoring",
            links.page("/"),
        ),
    )


def _tell_askers(session: Session, closed: list[Closed], now: datetime) -> None:
    """One mail to each asker whose request closed without a pair, the same words
    whatever closed it."""
    for request_id, program_id, asker_id, _ in closed:
        person = session.get(Person, asker_id)
        program = programs_repo.program(session, program_id)
        if person is None or program is None:
            continue
        outbox.queue(
            session,
            Outgoing(
                kinds.SELF_MATCH_ANSWERED,
                asker_id,
                f"{kinds.SELF_MATCH_ANSWERED}:{request_id}",
                simple_message(
                    f"Your request in {program.name} was not taken up",
                    [
                        f"Hello {person.name},",
                        f"Your request to be someone's peer in {program.name} was not taken "
                        "up. Your choosing page has more suggestions.",
                    ],
                    "See your suggestions",
                    links.page(f"programmes/{program_id}/choose"),
                ),
            ),
            now,
        )


def withdraw(session: Session, actor: Actor, request_id: int, now: datetime) -> None:
    row = self_match_repo.request(session, request_id, lock=True)
    if row is None or actor.person_id is None or row.asker_id != actor.person_id:
        raise NotFound("no such request")
    if rules.status_now(row.status, row.expires_at, now) != rules.OPEN:
        raise NotReady("this request is closed already")
    self_match_repo.close(session, row.id, rules.WITHDRAWN, now)
    session.commit()


def expire_task(store: Store, settings: Settings, now: datetime) -> int:
    """Periodic task: requests past their deadline close, and their askers are told."""
    with store.sessions() as session:
        closed = self_match_repo.expire_due(session, now)
        _tell_askers(session, closed, now)
        session.commit()
    return len(closed)


def choosing_open_in(enrolments: Sequence[MyEnrolment], now: datetime) -> set[int]:
    """Of the caller's enrolments (the start page has read them, settings and all),
    the programmes where people may choose today: no query of its own."""
    return {
        e.program_id
        for e in enrolments
        if e.status == "enrolled" and SelfMatchSettings.of(e.program_settings).open_on(now.date())
    }
