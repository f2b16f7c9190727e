"""Self sign-up through a programme's link (services/signup.py): the form for someone
new, one button for someone signed in, and the admins' page that opens it, limits it
and approves or declines who waits."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from peermentor.domain.errors import NotFound, ValidationError, ValidationErrors
from peermentor.services import signup
from peermentor.services.throttle import TooManyAttempts
from peermentor.web.deps import (
    Caller,
    Clock,
    client_address,
    csrf_protected,
    db_session,
    optional_caller,
)
from peermentor.web.refusals import field_name, status, with_headers
from peermentor.web.render import render, sentence
from peermentor.web.security import (
    anonymous_csrf_token,
    check_anonymous_csrf,
    remember_anonymous_csrf,
)

router = APIRouter(include_in_schema=False)
FormText = Annotated[str, Form()]


def _errors(error: ValidationError) -> dict[str, str]:
    problems = error.problems if isinstance(error, ValidationErrors) else (error,)
    return {field_name(p.field or "email"): sentence(p.message) for p in problems}


def _gone(request: Request, error: NotFound | TooManyAttempts) -> Response:
    page = render(
        request,
        "message.html",
        {"title": "Sign up", "message": str(error)},
        status_code=status(error),
    )
    return with_headers(page, error)


def _form_page(
    request: Request,
    session: Session,
    who: Caller | None,
    link: signup.SignupLink,
    token: str,
    *,
    form: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    settings = request.app.state.settings
    csrf = anonymous_csrf_token(request) if who is None else ""
    context: dict[str, Any] = {
        "caller": who,
        "link": link,
        "token": token,
        "form": form or {},
        "errors": errors or {},
        "csrf_token": csrf if who is None else who.csrf_token,
        "sso_label": settings.oidc_button_label if settings.sso_enabled() else None,
        "passwords_for_admins_only": settings.password_sign_in == "admins",
        "domains": ", ".join("@" + d for d in link.domains),
        # Where a signed-in person already stands in this programme (None: not yet).
        "mine": next(
            (
                e
                for e in (signup.my_enrolments(session, who.actor) if who else [])
                if e.program_id == link.program_id and e.status != "unconfirmed"
            ),
            None,
        ),
    }
    page = render(request, "signup/join.html", context, status_code=status_code)
    page.headers["cache-control"] = "no-store"
    if who is None:
        remember_anonymous_csrf(request, page, csrf)
    return page


@router.get("/join/sent")
def sent(request: Request) -> Response:
    return render(request, "signup/sent.html", {})


@router.get("/join/{token}")
def join_page(
    request: Request,
    token: str,
    who: Caller | None = Depends(optional_caller),
    session: Session = Depends(db_session),
) -> Response:
    try:
        link = signup.open_link(session, token)
    except NotFound as error:
        return _gone(request, error)
    return _form_page(request, session, who, link, token)


@router.post("/join/{token}")
def sign_up(
    request: Request,
    token: str,
    moment: Clock,
    name: FormText = "",
    email: FormText = "",
    years: FormText = "",
    csrf_token: FormText = "",
    session: Session = Depends(db_session),
) -> Response:
    check_anonymous_csrf(request, csrf_token)
    form = {"name": name, "email": email, "years": years}
    try:
        link = signup.open_link(session, token)
        signup.sign_up(
            session,
            token,
            name=name,
            email=email,
            years=years,
            client=client_address(request),
            base_url=request.app.state.settings.base_url,
            now=moment,
        )
    except (NotFound, TooManyAttempts) as error:
        session.rollback()
        return _gone(request, error)
    except ValidationError as error:
        session.rollback()
        return _form_page(
            request,
            session,
            None,
            link,
            token,
            form=form,
            errors=_errors(error),
            status_code=status(error),
        )
    return RedirectResponse("/join/sent", status_code=303)


@router.post("/join/{token}/me")
def join_signed_in(
    request: Request,
    token: str,
    moment: Clock,
    who: Caller = Depends(csrf_protected),
    session: Session = Depends(db_session),
) -> Response:
    try:
        now_status = signup.join(session, who.actor, token, moment)
    except NotFound as error:
        return _gone(request, error)
    notice = "signup-pending" if now_status == "pending" else "joined"
    return RedirectResponse(f"/?notice={notice}", status_code=303)
