"""What the members exchange: guidance requests both ways, the session log, feedback."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from peermentor.domain.feedback import Dimension
from peermentor.domain.guidance import GuidanceRequest
from peermentor.domain.sessions import require_something_said
from peermentor.services.workspace.feedback import (
    acknowledge_feedback,
    feedback_of,
    give_feedback,
)
from peermentor.services.workspace.gaps import gap_boards_of
from peermentor.services.workspace.guidance import (
    answer_request,
    ask_for_guidance,
    close_request,
    requests_of,
)
from peermentor.services.workspace.sessions import log_session, record_contribution, sessions_of
from peermentor.web.pages.participant_common import (
    Member,
    attempt,
    chosen_id,
    done,
    form_date,
    lines,
    member,
    member_form,
    member_page,
    optional_number,
    page,
    whole_number,
)

router = APIRouter(prefix="/pairings/{pairing_id}", include_in_schema=False)

DIMENSIONS = (
    (Dimension.BEHAVIOUR.value, "Behaviour"),
    (Dimension.ATTITUDE.value, "Attitude"),
    (Dimension.PERFORMANCE.value, "Performance"),
)


def _redisplay(show: Any, request: Request, m: Member) -> Any:
    return lambda status, extra: show(request, m, status, **extra)


# --- guidance requests ---


def _show_requests(request: Request, m: Member, status: int = 200, **extra: Any) -> Response:
    board = requests_of(m.session, m.ws, m.clock)
    gaps = gap_boards_of(m.session, m.ws)
    # "Ask for help with this" under one of my gaps: the form starts about that gap.
    wanted = request.query_params.get("gap", "")
    mine = gaps.get(m.ws.me)
    chosen = next((g for g in (mine.gaps if mine else ()) if str(g.gap_id) == wanted), None)
    if chosen is not None and "form_id" not in extra:
        extra = extra | {
            "form_id": "ask",
            "form": {"topic": f"Help with: {chosen.title}", "gap_id": str(chosen.gap_id)},
        }
    context = {
        "heading": "Guidance requests",
        "board": board,
        "gap_titles": {g.gap_id: g.title for b in gaps.values() for g in b.gaps},
        "gap_options": [("", "None")]
        + [(g.gap_id, f"{g.title} ({m.names[b.owner_id]})") for b in gaps.values() for g in b.gaps],
    } | extra
    return page(request, m, "participant/requests.html", "requests", context, status)


@router.get("/requests")
@member_page
def requests_page(request: Request, m: Member = Depends(member)) -> Response:
    return _show_requests(request, m)


@router.post("/requests")
def ask(
    request: Request,
    topic: Annotated[str, Form()] = "",
    detail: Annotated[str, Form()] = "",
    recipient_id: Annotated[str, Form()] = "",
    gap_id: Annotated[str, Form()] = "",
    m: Member = Depends(member_form),
) -> Response:
    def change() -> None:
        ask_for_guidance(
            m.session,
            m.who.actor,
            m.pairing_id,
            m.clock,
            topic=topic,
            detail=detail,
            recipient_id=optional_number("recipient_id", recipient_id),
            gap_id=optional_number("gap_id", gap_id),
        )

    form = {"topic": topic, "detail": detail, "recipient_id": recipient_id, "gap_id": gap_id}
    return attempt(
        m,
        change,
        _redisplay(_show_requests, request, m),
        "ask",
        form,
        lambda: done(m, "requests", "asked"),
    )


@router.post("/requests/answer")
def answer(
    request: Request,
    request_id: Annotated[str, Form()] = "",
    answer: Annotated[str, Form()] = "",
    m: Member = Depends(member_form),
) -> Response:
    def change() -> None:
        rid = chosen_id("request_id", request_id)
        answer_request(m.session, m.who.actor, m.pairing_id, rid, answer, m.clock)

    return attempt(
        m,
        change,
        _redisplay(_show_requests, request, m),
        f"answer-{request_id}",
        {"answer": answer},
        lambda: done(m, "requests", "answered"),
    )


@router.post("/requests/close")
def close(
    request: Request,
    request_id: Annotated[str, Form()] = "",
    m: Member = Depends(member_form),
) -> Response:
    closed: list[GuidanceRequest] = []

    def change() -> None:
        rid = chosen_id("request_id", request_id)
        closed.append(close_request(m.session, m.who.actor, m.pairing_id, rid, m.clock))

    return attempt(
        m,
        change,
        _redisplay(_show_requests, request, m),
        f"close-{request_id}",
        {},
        lambda: done(m, "requests", "withdrawn" if closed[0].was_withdrawn else "closed"),
    )


# --- sessions ---


def _show_sessions(request: Request, m: Member, status: int = 200, **extra: Any) -> Response:
    meetings = sessions_of(m.session, m.ws)
    context = {
        "heading": "Sessions",
        "meetings": tuple(reversed(meetings)),  # newest first
        "today": m.clock.date().isoformat(),
    } | extra
    return page(request, m, "participant/sessions.html", "sessions", context, status)


@router.get("/sessions")
@member_page
def sessions_page(request: Request, m: Member = Depends(member)) -> Response:
    return _show_sessions(request, m)


@router.post("/sessions")
def log(
    request: Request,
    held_on: Annotated[str, Form()] = "",
    duration_minutes: Annotated[str, Form()] = "",
    topics: Annotated[str, Form()] = "",
    gave: Annotated[str, Form()] = "",
    got: Annotated[str, Form()] = "",
    m: Member = Depends(member_form),
) -> Response:
    def change() -> None:
        day = form_date("held_on", held_on)
        minutes = whole_number("duration_minutes", duration_minutes)
        if day <= m.clock.date():  # a future date is refused first, by the domain
            require_something_said(lines(topics), lines(gave), lines(got))
        log_session(
            m.session,
            m.who.actor,
            m.pairing_id,
            m.clock,
            held_on=day,
            duration_minutes=minutes,
            topics=lines(topics),
            gave=lines(gave),
            got=lines(got),
        )

    form = {
        "held_on": held_on,
        "duration_minutes": duration_minutes,
        "topics": topics,
        "gave": gave,
        "got": got,
    }
    return attempt(
        m,
        change,
        _redisplay(_show_sessions, request, m),
        "log",
        form,
        lambda: done(m, "sessions", "logged"),
    )


@router.post("/sessions/contribution")
def contribution(
    request: Request,
    session_id: Annotated[str, Form()] = "",
    gave: Annotated[str, Form()] = "",
    got: Annotated[str, Form()] = "",
    m: Member = Depends(member_form),
) -> Response:
    """A member who did not log the session writes their own gave/got afterwards."""

    def change() -> None:
        sid = chosen_id("session_id", session_id)
        record_contribution(
            m.session, m.who.actor, m.pairing_id, sid, m.clock, gave=lines(gave), got=lines(got)
        )

    return attempt(
        m,
        change,
        _redisplay(_show_sessions, request, m),
        f"contribution-{session_id}",
        {"gave": gave, "got": got},
        lambda: done(m, "sessions", "contribution"),
    )


# --- feedback ---


def _show_feedback(request: Request, m: Member, status: int = 200, **extra: Any) -> Response:
    mine = feedback_of(m.session, m.ws)
    context = {"heading": "Feedback", "feedback": mine, "dimensions": DIMENSIONS} | extra
    return page(request, m, "participant/feedback.html", "feedback", context, status)


@router.get("/feedback")
@member_page
def feedback_page(request: Request, m: Member = Depends(member)) -> Response:
    return _show_feedback(request, m)


@router.post("/feedback")
def give(
    request: Request,
    dimension: Annotated[str, Form()] = "",
    situation: Annotated[str, Form()] = "",
    behaviour: Annotated[str, Form()] = "",
    impact: Annotated[str, Form()] = "",
    suggestion: Annotated[str, Form()] = "",
    receiver_id: Annotated[str, Form()] = "",
    m: Member = Depends(member_form),
) -> Response:
    def change() -> None:
        give_feedback(
            m.session,
            m.who.actor,
            m.pairing_id,
            m.clock,
            dimension=dimension,
            situation=situation,
            behaviour=behaviour,
            impact=impact,
            suggestion=suggestion,
            receiver_id=optional_number("receiver_id", receiver_id),
        )

    form = {
        "dimension": dimension,
        "situation": situation,
        "behaviour": behaviour,
        "impact": impact,
        "suggestion": suggestion,
        "receiver_id": receiver_id,
    }
    return attempt(
        m,
        change,
        _redisplay(_show_feedback, request, m),
        "give",
        form,
        lambda: done(m, "feedback", "feedback"),
    )


@router.post("/feedback/acknowledge")
def acknowledge(
    request: Request,
    feedback_id: Annotated[str, Form()] = "",
    m: Member = Depends(member_form),
) -> Response:
    def change() -> None:
        fid = chosen_id("feedback_id", feedback_id)
        acknowledge_feedback(m.session, m.who.actor, m.pairing_id, fid, m.clock)

    return attempt(
        m,
        change,
        _redisplay(_show_feedback, request, m),
        f"ack-{feedback_id}",
        {},
        lambda: done(m, "feedback", "acknowledged"),
    )
