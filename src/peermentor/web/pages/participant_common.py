"""What every participant page shares: who may open it, how a change is answered.

A page handler here authorises (a participant who is a member of the pairing in the
path), calls one workspace use case, and answers with post/redirect/get: 303 back to
the page with a short notice, or the page again with the problem next to the form
(422 for a bad value, 409 for a step that is not possible yet). The services check
membership again; the check up front only makes an outsider's answer the same 403
whatever the form held.
"""

from __future__ import annotations

import asyncio
import inspect
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any, get_type_hints

import anyio
import anyio.to_thread
from fastapi import Depends, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from pydantic import Field, TypeAdapter
from pydantic import ValidationError as PydanticValidationError
from sqlalchemy.orm import Session

from peermentor.domain.errors import DomainError, ValidationError, ValidationErrors
from peermentor.services.workspace.access import Workspace
from peermentor.web import refusals
from peermentor.web.deps import (
    MAX_ID,
    Caller,
    LoginRequired,
    PairingMember,
    _pairing_member,
    db_session,
    now,
    optional_caller,
    pairing_member,
    pairing_member_changing,
)
from peermentor.web.page_cache import kept_or_rendered, kept_page
from peermentor.web.render import render, sentence

# The notices a redirect may ask for, by key: the query string names one of these and
# never carries text of its own, so a link cannot make the page say something else.
NOTICES = {
    "joined": "You have joined. This page says when you are matched.",
    "signup-pending": (
        "Your sign-up is sent: the programme's admins approve it before the next match."
    ),
    "accepted": "You accepted the pairing.",
    "declined": "You declined the pairing. You are back in the pool for the next match.",
    "charter": "Charter saved. Everyone is asked to agree the new version.",
    "goals": "Your goals are saved. Everyone is asked to agree the new version.",
    "agreed": "You agreed the charter.",
    "vision": "Your vision is saved.",
    "gap": "Gap added.",
    "moved": "Gap moved.",
    "gap-status": "Gap status changed.",
    "removed": "Gap removed.",
    "asked": "Your request was sent.",
    "answered": "Your answer was sent.",
    "closed": "Request closed.",
    "withdrawn": "Request withdrawn: it no longer counts as asked.",
    "logged": "Session logged.",
    "contribution": "Your part of the session is saved.",
    "scheduled": "Role-play schedule saved.",
    "planned": "Role-play planned.",
    "completed": "Role-play marked as done.",
    "reflected": "Your reflection is saved.",
    "feedback": "Feedback sent.",
    "acknowledged": "Feedback acknowledged.",
    "checked-in": "Thank you: your check-in is saved.",
    "closing": "Your closing reflection is saved.",
    "ended": "The cycle is closed.",
    "rematch": "You asked for a rematch. You are back in the pool for the next match.",
    "chosen": "You accepted: you two are peers now. This is your shared workspace.",
    "meeting-scheduled": "Scheduled: the calendar invites are on their way.",
    "meeting-cancelled": "Cancelled: the calendars are told.",
    "availability": "Your availability is saved.",
    "ended-early": "The pairing has ended. Your partner is told, never why.",
    "reported": "Your report was sent to the programme's admins.",
    "blocked": "Blocked: you will not be matched with them again.",
}

# The pages of one pairing, in the order of its life (for the in-pairing navigation).
SECTIONS = (
    ("", "Overview"),
    ("charter", "Charter"),
    ("vision", "Vision"),
    ("gaps", "Gaps"),
    ("requests", "Requests"),
    ("sessions", "Sessions"),
    ("calendar", "Calendar"),
    ("roleplays", "Role-plays"),
    ("feedback", "Feedback"),
    ("checkins", "Check-ins"),
    ("closing", "Closing"),
    ("leave", "Availability and leaving"),
)


@dataclass(frozen=True)
class Member:
    """The caller, known to be a member of the pairing in the path."""

    who: Caller
    session: Session
    clock: datetime
    ws: Workspace

    @property
    def pairing_id(self) -> int:
        return self.ws.id

    @property
    def names(self) -> dict[str, str]:
        """Member id -> full name, for every member of the pairing."""
        return self.ws.names

    @property
    def writable(self) -> bool:
        return self.ws.writable


def member(
    found: PairingMember = Depends(pairing_member),
    session: Session = Depends(db_session),
    clock: datetime = Depends(now),
) -> Member:
    return Member(found.who, session, clock, found.workspace)


def member_form(
    found: PairingMember = Depends(pairing_member_changing),
    session: Session = Depends(db_session),
    clock: datetime = Depends(now),
) -> Member:
    return Member(found.who, session, clock, found.workspace)


# --- a page read in one trip through the thread pool (issue 10) ---
#
# Resolved as FastAPI dependencies, a workspace page costs about seven hops through the
# thread pool (the session opened and closed, the clock, the caller, the pairing, the
# member, the handler), each a context switch under load. A page declared with
# `member_page` is an async endpoint instead: FastAPI only reads the request, and ONE
# hop does, in the order the dependencies did, what they did: open the session, read
# the clock, resolve the caller (no valid session: LoginRequired), check the pairing id
# (422), open the pairing as a member (an admin: 403), run the handler, close the
# session.

# How many page bodies run at once in one process. They are mostly Python (SQLAlchemy
# rows, Jinja) holding the GIL, so 32 at once only take turns slower: the thread
# switches cost throughput and stretch the slowest answers. A few more than the cores,
# so one waiting for the database does not hold the others up.
PAGE_THREADS = 6
_limiters: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, anyio.CapacityLimiter] = (
    weakref.WeakKeyDictionary()
)


async def in_page_thread(body: Callable[[], Response]) -> Response:
    """Run a page's blocking body in a worker thread, at most PAGE_THREADS at once (a
    limiter for each event loop: tests run several)."""
    loop = asyncio.get_running_loop()
    limiter = _limiters.get(loop)
    if limiter is None:
        limiter = _limiters[loop] = anyio.CapacityLimiter(PAGE_THREADS)
    return await anyio.to_thread.run_sync(body, limiter=limiter)


_PAIRING_ID: TypeAdapter[int] = TypeAdapter(Annotated[int, Field(ge=1, le=MAX_ID)])


def page_clock(request: Request) -> datetime:
    # Tests move the clock by overriding the `now` dependency; honour that here too.
    return request.app.dependency_overrides.get(now, now)()


def _path_pairing_id(raw: str) -> int:
    """The pairing id of the path, refused as FastAPI refuses a path parameter."""
    try:
        return _PAIRING_ID.validate_python(raw)
    except PydanticValidationError as error:
        problems = [
            {**problem, "loc": ("path", "pairing_id")}
            for problem in error.errors(include_url=False)
        ]
        raise RequestValidationError(problems) from None


def member_page(handler: Callable[..., Response]) -> Callable[..., Any]:
    """Make `handler(request, m: Member, ...)` (a GET page of one pairing) an async
    endpoint that does all its blocking work in one thread-pool hop.

    The endpoint takes the path's pairing id as text and checks it after the caller,
    as the dependency chain did, so someone signed out is sent to the login page
    whatever the id, and a signed-in caller gets the same 422 for a bad one."""
    hints = get_type_hints(handler, include_extras=True)
    signature = inspect.signature(handler)
    if "request" not in signature.parameters or "m" not in signature.parameters:
        raise TypeError(f"{handler.__name__} must take request and m")
    kept = [
        param.replace(kind=inspect.Parameter.KEYWORD_ONLY, annotation=hints.get(name, Any))
        for name, param in signature.parameters.items()
        if name != "m"
    ]
    kept.append(inspect.Parameter("pairing_id", inspect.Parameter.KEYWORD_ONLY, annotation=str))

    async def endpoint(**values: Any) -> Response:
        request: Request = values["request"]
        raw = values.pop("pairing_id")

        def whole() -> Response:
            with request.app.state.store.sessions() as session:
                clock = page_clock(request)
                who = optional_caller(request, clock, session)
                if who is None:
                    raise LoginRequired

                def fresh() -> Response:
                    found = _pairing_member(session, who, _path_pairing_id(raw))
                    return handler(m=Member(found.who, session, clock, found.workspace), **values)

                return kept_or_rendered(request, session, who, clock, fresh)

        return kept_page(request, page_clock(request)) or await in_page_thread(whole)

    endpoint.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=kept, return_annotation=Response
    )
    endpoint.__name__ = handler.__name__
    endpoint.__qualname__ = handler.__qualname__
    endpoint.__doc__ = handler.__doc__
    endpoint.__module__ = handler.__module__
    return endpoint


def page(
    request: Request,
    m: Member,
    template: str,
    section: str,
    context: Mapping[str, Any],
    status_code: int = 200,
) -> Response:
    """Render a page of the pairing with what its layout needs."""
    notice = NOTICES.get(request.query_params.get("notice", ""))
    base = {
        "caller": m.who,
        "pairing": m.ws.head,  # plain data: state, cycle, members with their names
        "pairing_id": m.pairing_id,
        "me": m.ws.me,
        "names": m.names,
        "partners": m.ws.partners,
        "partner_options": [(p, m.names[p]) for p in m.ws.partners],
        "writable": m.writable,
        "section": section,
        "sections": SECTIONS,
        "notice": notice,
        "form_id": None,
        "form": {},
        "errors": {},
        "problem": None,
    }
    return render(request, template, base | dict(context), status_code=status_code)


def done(m: Member, section: str, notice: str, anchor: str = "") -> Response:
    """Post/redirect/get: back to the page, which shows the notice."""
    path = f"/pairings/{m.pairing_id}" + (f"/{section}" if section else "")
    return RedirectResponse(f"{path}?notice={notice}{anchor}", status_code=303)


Redisplay = Callable[[int, dict[str, Any]], Response]


def confirmed(confirm: str, what: str) -> None:
    """A step that cannot be undone goes ahead only with its box ticked: a stray click
    (or a form sent again) changes nothing."""
    if confirm != "yes":
        raise ValidationError("confirm", f"tick the box to confirm that you want to {what}")


def attempt(
    m: Member,
    change: Callable[[], object],
    redisplay: Redisplay,
    form_id: str,
    form: Mapping[str, Any],  # the fields the person filled in, to show again
    success: Callable[[], Response],
    aliases: Mapping[str, str] | None = None,
) -> Response:
    """Run one change; on a refused value show the form again with what was typed.

    A refusal answers with its status from web/refusals.py: a bad value (422) next to
    its field, a step not possible now (409) above the form; any other (not allowed,
    unknown) as the message page of that status.
    Fields are named as refusals.FIELD_NAMES says (as the API names them); aliases
    only where this form is shaped unlike the API body (one textarea holds a list)."""
    try:
        change()
    except DomainError as error:
        m.session.rollback()  # release the pairing's lock and any half-made change
        keep = {"form_id": form_id, "form": dict(form)}
        status = refusals.status(error)
        if isinstance(error, ValidationErrors):
            named: dict[str, str] = {}
            for problem in error.problems:
                one = refusals.field_name(problem.field or "")
                one = (aliases or {}).get(one, one)
                if one in form:
                    named.setdefault(one, sentence(problem.message))
            if named:
                return redisplay(status, keep | {"errors": named})
        if isinstance(error, ValidationError):
            field = refusals.field_name(error.field or "")
            field = (aliases or {}).get(field, field)
            if field in form:
                return redisplay(status, keep | {"errors": {field: sentence(error.message)}})
            # Not a field the person typed (a hidden id, a rule on the whole form):
            # say it above the page, where it is seen whichever form was sent.
            return redisplay(status, keep | {"problem": sentence(error.message)})
        if status == 409:
            return redisplay(status, keep | {"problem": sentence(str(error))})
        raise  # the message page of its status (web/app.py)
    return success()


def whole_number(field: str, text: str) -> int:
    """A number typed into a form; refused with the field named, like any other value."""
    try:
        number = int(text.strip())
    except ValueError:
        raise ValidationError(field, "enter a whole number") from None
    # Every number on these forms is small or an id; a 30-digit one would only reach
    # the database as a value its integer columns cannot compare.
    if abs(number) > MAX_ID:
        raise ValidationError(field, "is too large")
    return number


def optional_number(field: str, text: str) -> int | None:
    return None if not text.strip() else whole_number(field, text)


def lines(text: str) -> list[str]:
    """One item a line (goals, milestones, topics ...); blank lines are skipped."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def chosen_id(field: str, text: str) -> int:
    """The id of the item a small form acts on (a gap, a request ...)."""
    if not text.strip():
        raise ValidationError(field, "choose the item to act on")
    return whole_number(field, text)


def form_date(field: str, text: str) -> date:
    """A date from a date input (browsers send YYYY-MM-DD whatever they display)."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(field, "enter a date as YYYY-MM-DD") from None
