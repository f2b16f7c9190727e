"""What is mailed, derived from what is stored: each source looks at a recent window of
state and says who should hear of what (`due_mail(session, now) -> Iterable[Outgoing]`);
`queue_due_mail` collects every source's occasions into the outbox, where their keys make
each one a single mail however often the sources are asked.

No mail says what a pair wrote: it says that something arrived and links to the page that
shows it. A proposal carries the engine's explanation of the match, which is matching
output, not something a person wrote.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, time, timedelta

from sqlalchemy.orm import Session

from peermentor.config import Settings
from peermentor.mail import kinds
from peermentor.mail.compose import simple_message
from peermentor.mail.links import page
from peermentor.mail.message import Outgoing
from peermentor.runtime import Store
from peermentor.services import outbox
from peermentor.store import mail_repo
from peermentor.store import mail_sources_repo as repo

Source = Callable[[Session, datetime], Iterable[Outgoing]]

# Events older than this are not mailed any more (a worker that was down for longer
# does not flood people with old news).
RECENT = timedelta(days=7)
CLOSING_NOTICE = timedelta(days=14)


def proposals(session: Session, now: datetime) -> Iterator[Outgoing]:
    for p in repo.proposals_since(session, now - RECENT):
        answer_by = (p.proposed_at + timedelta(days=p.response_window_days)).date()
        for member in p.members:
            others = [m.name for m in p.members if m.person_id != member.person_id]
            paragraphs = [
                f"Hello {member.name},",
                f"In {p.program}, you are proposed as peers with {_and(others)}.",
            ]
            if member.explanation:
                paragraphs.append(f"Why you were matched: {member.explanation}")
            paragraphs.append(f"Please accept or decline by {answer_by:%d %B %Y}.")
            yield Outgoing(
                kinds.PROPOSAL,
                member.person_id,
                f"{kinds.PROPOSAL}:{member.person_id}:{p.pairing_id}:{p.cycle}",
                simple_message(
                    f"A peer is proposed to you in {p.program}",
                    paragraphs,
                    "See the proposal and answer",
                    page(f"/pairings/{p.pairing_id}"),
                ),
            )


def responses(session: Session, now: datetime) -> Iterator[Outgoing]:
    for e in repo.responses_since(session, now - RECENT):
        verb = "accepted" if e.accepted else "declined"
        after = (
            "Your pairing starts once every member has accepted."
            if e.accepted
            else "The pairing ends here; you can be matched with someone else."
        )
        for recipient in e.recipient_ids:
            yield Outgoing(
                kinds.RESPONSE,
                recipient,
                f"{kinds.RESPONSE}:{recipient}:{e.id}",
                simple_message(
                    f"{e.actor_name} {verb} your pairing",
                    [f"{e.actor_name} {verb} the proposed pairing.", after],
                    "Open your pairing",
                    page(f"/pairings/{e.pairing_id}"),
                ),
            )


def _notice(kind: str, subject: str, line: str, path: str) -> Callable[[repo.Event], Outgoing]:
    def build(e: repo.Event) -> Outgoing:
        recipient = e.recipient_ids[0]
        return Outgoing(
            kind,
            recipient,
            f"{kind}:{recipient}:{e.id}",
            simple_message(
                subject.format(name=e.actor_name),
                [line.format(name=e.actor_name)],
                "Read it on peermentor",
                page(path.format(pairing=e.pairing_id)),
            ),
        )

    return build


_request = _notice(
    kinds.REQUEST,
    "{name} asked you for guidance",
    "{name} asked you for guidance. Their request is waiting for your answer.",
    "/pairings/{pairing}/requests",
)
_answer = _notice(
    kinds.ANSWER,
    "{name} answered your request",
    "{name} answered your guidance request.",
    "/pairings/{pairing}/requests",
)
_feedback = _notice(
    kinds.FEEDBACK,
    "Feedback from {name} arrived",
    "{name} gave you feedback. It is for you only; read and acknowledge it on peermentor.",
    "/pairings/{pairing}/feedback",
)


def requests(session: Session, now: datetime) -> Iterator[Outgoing]:
    return map(_request, repo.requests_since(session, now - RECENT))


def answers(session: Session, now: datetime) -> Iterator[Outgoing]:
    return map(_answer, repo.answers_since(session, now - RECENT))


def feedback(session: Session, now: datetime) -> Iterator[Outgoing]:
    return map(_feedback, repo.feedback_since(session, now - RECENT))


def closing_reminders(session: Session, now: datetime) -> Iterator[Outgoing]:
    today = now.astimezone(UTC).date()
    for c in repo.closing_due(session, today, (now + CLOSING_NOTICE).date()):
        yield Outgoing(
            kinds.CLOSING,
            c.person_id,
            f"{kinds.CLOSING}:{c.person_id}:{c.pairing_id}:{c.cycle}:{c.ends_on.isoformat()}",
            simple_message(
                f"{c.program} ends on {c.ends_on:%d %B %Y}",
                [
                    f"The cycle of {c.program} ends on {c.ends_on:%d %B %Y}.",
                    "Take a moment to reflect on what you gained, then choose to close or "
                    "to renew your pairing.",
                ],
                "Write your closing reflection",
                page(f"/pairings/{c.pairing_id}/closing"),
            ),
        )


def week_start(moment: datetime) -> datetime:
    day = moment.astimezone(UTC).date()
    return datetime.combine(day - timedelta(days=day.weekday()), time(), tzinfo=UTC)


def weekly_digests(session: Session, now: datetime) -> Iterator[Outgoing]:
    """For people who prefer it: one mail in the week after, listing the past week's
    digested mails (their subjects, which never hold private text)."""
    end = week_start(now)
    start = end - timedelta(days=7)
    year, week, _ = start.isocalendar()
    for person_id in mail_repo.digest_people(session):
        rows = mail_repo.digested_between(session, person_id, start, end)
        if not rows:
            continue
        lines = [f"- {row.subject}" for row in rows]
        yield Outgoing(
            kinds.DIGEST,
            person_id,
            f"{kinds.DIGEST}:{person_id}:{year}-W{week:02d}",
            simple_message(
                f"Your week on peermentor: {len(rows)} update{'s' if len(rows) != 1 else ''}",
                [f"What happened in the week of {start:%d %B %Y}:", "\n".join(lines)],
                "Open peermentor",
                page("/"),
            ),
        )


# Others (nudges, calendar, circles) add their sources here.
SOURCES: list[Source] = [
    proposals,
    responses,
    requests,
    answers,
    feedback,
    closing_reminders,
    weekly_digests,
]


def _settings_sources() -> list[Callable[[Settings], Source]]:
    """Sources that need the settings (base URL, sender) to build their mail; imported
    here, not at the top, because they build on services that import this module's kin."""
    from peermentor.services import calendar, circles, nudges

    return [nudges.mail_source, calendar.mail_source, circles.mail_source]


def queue_due_mail(store: Store, settings: Settings, now: datetime) -> int:
    """Queue every source's occasions that are not in the outbox yet; returns how many."""
    sources = [*SOURCES, *(bind(settings) for bind in _settings_sources())]
    return queue_from(store, settings, now, sources)


def queue_from(store: Store, settings: Settings, now: datetime, sources: list[Source]) -> int:
    """Queue the occasions of these sources that are not in the outbox yet."""
    if not settings.mail_enabled():
        return 0
    with store.sessions() as session:
        due = [o for source in sources for o in source(session, now)]
        known = mail_repo.existing_keys(session, (o.key for o in due))
        queued = sum(outbox.queue(session, o, now) for o in due if o.key not in known)
        session.commit()
    return queued


def _and(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names) or "a colleague"
    return ", ".join(names[:-1]) + " and " + names[-1]
