"""The one table from a refusal to its HTTP status, used by pages and API alike.

| refusal (domain/errors.py and its service subclasses) | HTTP | page title |
| --- | --- | --- |
| ValidationError (InvalidInput, InvitationRefused) | 422 | Please check |
| ImportRejected (every problem of a people file) | 422 | Nothing was imported |
| NotAMember, NotAllowed (Forbidden) | 403 | Not allowed |
| NotFound | 404 | Not found |
| InvalidToken (an invitation link used, expired or unknown) | 404 | Invitation |
| NotReady | 409 | Not possible yet |
| InvalidTransition | 409 | Not possible now |
| MailNotConfigured | 409 | Mail is needed |
| LoginFailed | 401 | Sign in |
| SsoRefused (a company identity that may not sign in here) | 403 | Company sign-in |
| SsoNotCompleted (the provider refused, a stale or forged return) | 400 | Company sign-in |
| TooManyAttempts | 429, with Retry-After | Please wait |
| any other DomainError | 409 | Not possible |

The API answers `{"detail": message}`; a refused value answers in FastAPI's own 422
shape, `{"detail": [{"loc": ["body", field], "msg": message, "type": "value_error"}]}`,
so a client handles one kind of validation error; several refused values at once
(ValidationErrors) list one entry each. A page shows the message with the
same status; a form page shows a refused value next to its input instead
(participant_common.attempt), under the input's name from FIELD_NAMES.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request
from fastapi.responses import JSONResponse, Response

from peermentor.domain.errors import (
    DomainError,
    InvalidTransition,
    NotAllowed,
    NotAMember,
    NotFound,
    NotReady,
    ValidationError,
    ValidationErrors,
)
from peermentor.services.auth import InvalidToken, LoginFailed
from peermentor.services.invitations import MailNotConfigured
from peermentor.services.people import ImportRejected
from peermentor.services.sso import SsoNotCompleted, SsoRefused
from peermentor.services.throttle import TooManyAttempts
from peermentor.web.deps import caller_outside_routes
from peermentor.web.render import render, sentence


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    title: str  # the heading of the page that says it


TABLE: dict[type[DomainError], Answer] = {
    DomainError: Answer(409, "Not possible"),
    ValidationError: Answer(422, "Please check"),
    ImportRejected: Answer(422, "Nothing was imported"),
    NotAMember: Answer(403, "Not allowed"),
    NotAllowed: Answer(403, "Not allowed"),
    NotFound: Answer(404, "Not found"),
    InvalidToken: Answer(404, "Invitation"),
    NotReady: Answer(409, "Not possible yet"),
    InvalidTransition: Answer(409, "Not possible now"),
    MailNotConfigured: Answer(409, "Mail is needed"),
    LoginFailed: Answer(401, "Sign in"),
    SsoRefused: Answer(403, "Company sign-in"),
    SsoNotCompleted: Answer(400, "Company sign-in"),
    TooManyAttempts: Answer(429, "Please wait"),
}

# Where the domain's name for a field differs from the name of the form input and of
# the API body's key that carry it.
FIELD_NAMES = {
    "norms.other": "other_norms",
    "receiver": "receiver_id",
    "recipient": "recipient_id",
}


def answer(error: DomainError) -> Answer:
    """The nearest entry of the table: a subclass answers as its family does."""
    for kind in type(error).__mro__:
        if kind in TABLE:
            return TABLE[kind]
    raise AssertionError("DomainError is in the table")  # pragma: no cover


def status(error: DomainError) -> int:
    return answer(error).status


def headers(error: DomainError) -> dict[str, str]:
    if isinstance(error, TooManyAttempts):
        return {"Retry-After": str(error.retry_after)}
    return {}


def field_name(field: str) -> str:
    """The name of the input (or body key) that holds the domain's field."""
    return FIELD_NAMES.get(field, field)


def _problem(field: str | None, message: str) -> dict[str, object]:
    loc = ["body", *field_name(field).split(".")] if field else ["body"]
    return {"loc": loc, "msg": message, "type": "value_error"}


def invalid(field: str | None, message: str) -> JSONResponse:
    """A 422 in FastAPI's own shape, the field named in its loc."""
    return JSONResponse({"detail": [_problem(field, message)]}, status_code=422)


def api_response(error: DomainError) -> JSONResponse:
    if isinstance(error, ValidationErrors):  # every refused value, as FastAPI lists them
        problems = [_problem(p.field, p.message) for p in error.problems]
        return JSONResponse({"detail": problems}, status_code=422)
    if isinstance(error, ValidationError):
        return invalid(error.field, error.message)
    return JSONResponse({"detail": str(error)}, status_code=status(error), headers=headers(error))


def message_page(request: Request, title: str, message: str, status_code: int) -> Response:
    """A page that says one thing (a refusal, say), under the header of whoever is
    signed in, with a way back to the start page."""
    with caller_outside_routes(request) as who:
        return render(
            request,
            "message.html",
            {"title": title, "message": sentence(message), "caller": who},
            status_code=status_code,
        )


def page_response(request: Request, error: DomainError) -> Response:
    found = answer(error)
    page = message_page(request, found.title, str(error), found.status)
    page.headers.update(headers(error))
    return page


def with_headers(response: Response, error: DomainError) -> Response:
    """A page of its own (a form shown again) that answers a refusal: its headers too."""
    response.headers.update(headers(error))
    return response
