"""Participant pages: the dashboard ("what now?") and the pairing workspace.

This module holds the dashboard, a pairing's overview and the answer to a proposal;
the workspace pages live in the participant_* modules included below, so the app
includes one router for all of them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from peermentor.domain.balance import NUDGE_THRESHOLD
from peermentor.services.nudges import due_in_workspaces
from peermentor.services.profiles import profile_incomplete
from peermentor.services.self_match import choosing_open_in
from peermentor.services.signup import my_enrolments
from peermentor.services.workspace.overview import card_of, my_overview
from peermentor.services.workspace.proposals import (
    accept_proposal,
    decline_proposal,
    pairing_view,
)
from peermentor.web.deps import Caller, LoginRequired, optional_caller
from peermentor.web.page_cache import kept_or_rendered, kept_page
from peermentor.web.pages import (
    participant_calendar,
    participant_charter,
    participant_exchange,
    participant_growth,
    participant_leaving,
    participant_practice,
)
from peermentor.web.pages.participant_common import (
    NOTICES,
    Member,
    attempt,
    confirmed,
    done,
    in_page_thread,
    member,
    member_form,
    member_page,
    page,
    page_clock,
)
from peermentor.web.pages.profile import missing_words
from peermentor.web.render import render

router = APIRouter(include_in_schema=False)
for pages in (participant_charter, participant_growth, participant_exchange, participant_practice):
    router.include_router(pages.router)
router.include_router(participant_calendar.router)
router.include_router(participant_leaving.router)

STATE_WORDS = {
    "proposed": "proposed: waiting for everyone's answer",
    "active": "active",
    "paused": "paused",
    "completed": "completed",
    "dissolved": "ended",
}
# The meter reads "leaning" where the domain starts nudging: one side gives about
# twice what the other does.
BALANCE_LEAN = round(NUDGE_THRESHOLD, 3)
COMPONENT_WORDS = {
    "sessions": "Sessions where you brought something",
    "guidance": "Requests answered",
    "feedback": "Feedback given",
    "roleplay": "Role-plays played as counterpart",
}


@router.get("/")
async def home(request: Request) -> Response:
    # Async, its blocking work in one thread-pool hop (see member_page): the session,
    # the clock, the caller (signed out: the login page), then the dashboard.
    def whole() -> Response:
        with request.app.state.store.sessions() as session:
            clock = page_clock(request)
            who = optional_caller(request, clock, session)
            if who is None:
                raise LoginRequired
            return kept_or_rendered(
                request, session, who, clock, lambda: _home(request, who, session, clock)
            )

    return kept_page(request, page_clock(request)) or await in_page_thread(whole)


def _home(request: Request, who: Caller, session: Session, clock: datetime) -> Response:
    if who.actor.is_admin:
        return RedirectResponse("/admin/programs", status_code=303)
    overview = my_overview(session, who.actor, clock)
    enrolments = my_enrolments(session, who.actor)
    context = {
        "caller": who,
        "overview": overview,
        "state_words": STATE_WORDS,
        "balance_lean": BALANCE_LEAN,
        "notice": NOTICES.get(request.query_params.get("notice", "")),
        # Sign-ups still on their way (unconfirmed, waiting, declined), and where the
        # person is enrolled (each with its own pause): one query for both.
        "signups": [e for e in enrolments if e.status != "enrolled"],
        "programmes": [e for e in enrolments if e.status == "enrolled"],
        "today": clock.date(),
        # Where people choose their own peer today: a link to choose.
        "choosing": choosing_open_in(enrolments, clock),
        # What the matching would like to know and the profile does not say yet.
        "profile_missing": missing_words(profile_incomplete(session, who.actor)),
    }
    return render(request, "participant_home.html", context)


def _overview(request: Request, m: Member, status: int = 200, **extra: object) -> Response:
    summary, report, reads = card_of(m.session, m.ws, m.clock)
    proposed = m.ws.state == "proposed"
    context = {
        "heading": "Your pairing",
        "p": summary,
        "answers": pairing_view(m.session, m.ws.head, m.clock).members if proposed else (),
        "report": report,
        "state_words": STATE_WORDS,
        "balance_lean": BALANCE_LEAN,
        "component_words": COMPONENT_WORDS,
        "pairing_nudges": due_in_workspaces(m.session, [m.ws], m.clock, reads),
    } | extra
    return page(request, m, "participant/overview.html", "", context, status)


@router.get("/pairings/{pairing_id}")
@member_page
def pairing_overview(request: Request, m: Member = Depends(member)) -> Response:
    return _overview(request, m)


@router.post("/pairings/{pairing_id}/accept")
def accept(request: Request, m: Member = Depends(member_form)) -> Response:
    return attempt(
        m,
        lambda: accept_proposal(m.session, m.who.actor, m.pairing_id, m.clock),
        lambda status, extra: _overview(request, m, status, **extra),
        "accept",
        {},
        lambda: done(m, "", "accepted"),
    )


@router.post("/pairings/{pairing_id}/decline")
def decline(
    request: Request,
    reason: Annotated[str, Form()] = "",
    confirm: Annotated[str, Form()] = "",
    m: Member = Depends(member_form),
) -> Response:
    def change() -> None:
        confirmed(confirm, "decline this pairing")
        decline_proposal(m.session, m.who.actor, m.pairing_id, m.clock, reason=reason)

    return attempt(
        m,
        change,
        lambda status, extra: _overview(request, m, status, **extra),
        "decline",
        {"reason": reason, "confirm": confirm},
        # The pairing is over for them; the dashboard is where they go next.
        lambda: RedirectResponse("/?notice=declined", status_code=303),
    )
