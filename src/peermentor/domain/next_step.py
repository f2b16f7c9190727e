"""The next useful step of a pairing for one member, and where they are in its life.

The dashboard's "what now" used to list only what was waiting (a request, a due
check-in) and fell silent in between: after the charter it said "nothing is waiting"
although the vision, the gaps and the first session were still ahead. `next_step`
always names one step, in the order of the life of a pairing (product.md): what others
wait for first, then what the member has not done yet, then what keeps the pairing
going. Pure: the facts are read by the caller.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Stage(StrEnum):
    ACCEPT = "accept"
    CHARTER = "charter"
    VISION = "vision"
    GAPS = "gaps"
    SESSIONS = "sessions"
    PRACTICE = "practice"
    FEEDBACK = "feedback"
    CLOSE = "close"


STAGE_WORDS = {
    Stage.ACCEPT: "Accept",
    Stage.CHARTER: "Charter",
    Stage.VISION: "Vision",
    Stage.GAPS: "Gaps",
    Stage.SESSIONS: "First session",
    Stage.PRACTICE: "Role-play",
    Stage.FEEDBACK: "Feedback",
    Stage.CLOSE: "Close or renew",
}


@dataclass(frozen=True, slots=True)
class Progress:
    """What one member has done in one pairing, and what is waiting for them."""

    state: str  # the pairing's lifecycle state
    partner: str  # the other members' names, for the words ("Kim", "Kim and Ali")
    answered: bool = False  # I answered the proposal
    charter_agreed: bool = False  # I agreed the current charter version
    vision_written: bool = False
    gaps_named: bool = False
    sessions_held: int = 0
    roleplay_planned: bool = False  # a role-play schedule exists
    roleplays_done: int = 0
    practising_next: date | None = None  # my next planned role-play where I practise
    feedback_given: bool = False
    request_from: str | None = None  # the asker of the oldest request open to me
    request_overdue: bool = False
    roleplay_missed: bool = False
    check_in_due: bool = False
    closing_started: bool = False  # a partner reflected on this cycle
    reflected: bool = False  # I reflected on this cycle


@dataclass(frozen=True, slots=True)
class Step:
    kind: str
    words: str
    page: str  # the pairing's page that takes it ("" is the overview itself)
    stage: Stage


@dataclass(frozen=True, slots=True)
class StageMark:
    stage: Stage
    done: bool
    current: bool

    @property
    def words(self) -> str:
        return STAGE_WORDS[self.stage]


OPEN = ("active", "paused")


def next_step(p: Progress) -> Step | None:
    """The one step to name first; None when the pairing is over (closed, declined...)."""
    if p.state == "proposed":
        if p.answered:
            return Step("wait_answer", f"Waiting for {p.partner} to answer", "", Stage.ACCEPT)
        return Step("accept", "Accept or decline this pairing", "", Stage.ACCEPT)
    if p.state not in OPEN:
        return None
    # What someone else waits for comes before my own next step.
    if p.request_from is not None:
        late = " (overdue)" if p.request_overdue else ""
        return Step(
            "answer_request", f"Answer {p.request_from}'s request{late}", "requests", Stage.SESSIONS
        )
    if not p.charter_agreed:
        return Step("agree_charter", "Write and agree the charter", "charter", Stage.CHARTER)
    if p.closing_started and not p.reflected:
        return Step("closing_reflection", "Write your closing reflection", "closing", Stage.CLOSE)
    if p.roleplay_missed:
        return Step("catch_up", "Catch up the missed role-play", "roleplays", Stage.PRACTICE)
    if p.check_in_due:
        return Step("check_in", "Your check-in is due", "checkins", Stage.SESSIONS)
    if not p.vision_written:
        return Step("vision", "Write your 3-5 year vision", "vision", Stage.VISION)
    if not p.gaps_named:
        return Step("gaps", "Name your gaps and sort them: now, next or later", "gaps", Stage.GAPS)
    if p.sessions_held == 0:
        return Step(
            "first_session",
            f"Plan your first session with {p.partner}",
            "sessions",
            Stage.SESSIONS,
        )
    if not p.roleplay_planned:
        return Step("plan_roleplay", "Plan regular role-play", "roleplays", Stage.PRACTICE)
    # The first practice comes before the first feedback: it gives something to talk about.
    if p.practising_next is not None and p.roleplays_done == 0:
        return _practise(p.practising_next)
    if not p.feedback_given:
        return Step("feedback", f"Give {p.partner} candid feedback", "feedback", Stage.FEEDBACK)
    if p.practising_next is not None:
        return _practise(p.practising_next)
    return Step(
        "ask",
        f"Ask {p.partner} for guidance on a gap you work on now",
        "requests",
        Stage.SESSIONS,
    )


def _practise(on: date) -> Step:
    when = f"{on.day} {on:%b}"
    return Step("practise", f"It is your turn to practise on {when}", "roleplays", Stage.PRACTICE)


def stages(p: Progress) -> tuple[StageMark, ...]:
    """The progress strip: each stage of the life of a pairing, done or not, and the
    stage the next step belongs to."""
    done = {
        Stage.ACCEPT: p.state != "proposed",
        Stage.CHARTER: p.charter_agreed,
        Stage.VISION: p.vision_written,
        Stage.GAPS: p.gaps_named,
        Stage.SESSIONS: p.sessions_held > 0,
        Stage.PRACTICE: p.roleplays_done > 0,
        Stage.FEEDBACK: p.feedback_given,
        Stage.CLOSE: p.state == "closed",
    }
    step = next_step(p)
    current = step.stage if step is not None else None
    return tuple(StageMark(s, done[s], s is current) for s in Stage)
