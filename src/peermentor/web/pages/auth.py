"""Sign in, sign out, invitations, password change.

The three forms that check a secret answer 429 with Retry-After while the throttle
says wait (services/throttle.py); every refusal takes its status (and headers) from
web/refusals.py. The clock is the `now` dependency, so tests move it.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from peermentor.services import auth as auth_service
from peermentor.services.access import InvalidInput
from peermentor.services.throttle import TooManyAttempts
from peermentor.web.deps import (
    Caller,
    Clock,
    caller,
    client_address,
    csrf_protected,
    db_session,
    session_limits,
)
from peermentor.web.refusals import status, with_headers
from peermentor.web.render import render
from peermentor.web.security import (
    SESSION_COOKIE,
    anonymous_csrf_token,
    check_anonymous_csrf,
    clear_session_cookie,
    remember_anonymous_csrf,
    set_session_cookie,
)

router = APIRouter(include_in_schema=False)
FormText = Annotated[str, Form()]


def safe_next(target: str | None) -> str:
    """Only local paths: never send someone off-site after login."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


def _login_page(
    request: Request,
    *,
    error: str | None = None,
    email: str = "",
    next_url: str = "/",
    status: int = 200,
) -> Response:
    token = anonymous_csrf_token(request)
    settings = request.app.state.settings
    sso = {
        "sso_label": settings.oidc_button_label if settings.sso_enabled() else None,
        "sso_link": "/login/sso?" + urlencode({"next": next_url}),
        "admins_only": settings.password_sign_in == "admins",
    }
    page = render(
        request,
        "login.html",
        {"error": error, "email": email, "next": next_url, "csrf_token": token, **sso},
        status_code=status,
    )
    remember_anonymous_csrf(request, page, token)
    return page


@router.get("/login")
def login_form(request: Request, next: str = "/") -> Response:
    return _login_page(request, next_url=safe_next(next))


@router.post("/login")
def login(
    request: Request,
    email: FormText = "",
    password: FormText = "",
    csrf_token: FormText = "",
    next: FormText = "/",
    *,
    moment: Clock,
    session: Session = Depends(db_session),
) -> Response:
    check_anonymous_csrf(request, csrf_token)
    page = {"email": email, "next_url": safe_next(next)}
    try:
        new = auth_service.login(
            session,
            email,
            password,
            client_address(request),
            moment,
            session_limits(request),
            participant_passwords=request.app.state.settings.password_sign_in == "everyone",
        )
    except (TooManyAttempts, auth_service.LoginFailed) as refused:
        shown = _login_page(request, error=str(refused), status=status(refused), **page)
        return with_headers(shown, refused)
    response = RedirectResponse(safe_next(next), status_code=303)
    set_session_cookie(request, response, new.token)
    return response


@router.post("/logout")
def logout(
    request: Request,
    moment: Clock,
    who: Caller = Depends(csrf_protected),
    session: Session = Depends(db_session),
) -> Response:
    """Ends this browser's session. API tokens live on: they belong to scripts that run
    while their owner is away, and end by expiry, revocation or a password change."""
    auth_service.logout(session, request.cookies.get(SESSION_COOKIE), moment)
    response = RedirectResponse("/login", status_code=303)
    clear_session_cookie(request, response)
    return response


def _company_only(request: Request) -> str | None:
    """The company button's label when participants may not have passwords: an
    invitation then leads to the company sign-in instead of setting one."""
    settings = request.app.state.settings
    return settings.oidc_button_label if settings.password_sign_in == "admins" else None


@router.get("/invite/{token}")
def invitation_form(
    request: Request, token: str, moment: Clock, session: Session = Depends(db_session)
) -> Response:
    try:
        _, user = auth_service.open_invitation(session, token, client_address(request), moment)
    except (auth_service.InvalidToken, TooManyAttempts) as error:
        return _invitation_refused(request, error)
    csrf = anonymous_csrf_token(request)
    page = render(
        request,
        "invite.html",
        {
            "email": user.email,
            "token": token,
            "csrf_token": csrf,
            "error": None,
            "company_only": _company_only(request),
        },
    )
    remember_anonymous_csrf(request, page, csrf)
    return page


def _invitation_refused(
    request: Request, error: auth_service.InvalidToken | TooManyAttempts
) -> Response:
    page = render(
        request,
        "message.html",
        {"title": "Invitation", "message": str(error)},
        status_code=status(error),
    )
    return with_headers(page, error)


@router.post("/invite/{token}")
def accept_invitation(
    request: Request,
    token: str,
    password: FormText = "",
    repeat: FormText = "",
    csrf_token: FormText = "",
    *,
    moment: Clock,
    session: Session = Depends(db_session),
) -> Response:
    check_anonymous_csrf(request, csrf_token)
    try:
        _, user = auth_service.open_invitation(session, token, client_address(request), moment)
        if _company_only(request):
            raise InvalidInput("participants sign in with their company account here")
        if password != repeat:
            raise InvalidInput("password: the two entries differ")
        new = auth_service.accept_invitation(
            session, token, password, moment, session_limits(request)
        )
    except (auth_service.InvalidToken, TooManyAttempts) as error:
        return _invitation_refused(request, error)
    except InvalidInput as error:
        return render(
            request,
            "invite.html",
            {
                "email": user.email,
                "token": token,
                "csrf_token": csrf_token,
                "error": str(error),
                "company_only": _company_only(request),
            },
            status_code=status(error),
        )
    response = RedirectResponse("/", status_code=303)
    set_session_cookie(request, response, new.token)
    return response


@router.get("/account/password")
def password_form(request: Request, who: Caller = Depends(caller)) -> Response:
    return render(request, "password.html", {"caller": who, "error": None, "done": False})


@router.post("/account/password")
def change_password(
    request: Request,
    current: FormText = "",
    new: FormText = "",
    repeat: FormText = "",
    *,
    moment: Clock,
    who: Caller = Depends(csrf_protected),
    session: Session = Depends(db_session),
) -> Response:
    try:
        if new != repeat:
            raise InvalidInput("new password: the two entries differ")
        fresh = auth_service.change_password(
            session,
            who.actor,
            current,
            new,
            moment,
            client=client_address(request),
            limits=session_limits(request),
        )
    except (InvalidInput, TooManyAttempts) as error:
        page = render(
            request,
            "password.html",
            {"caller": who, "error": str(error), "done": False},
            status_code=status(error),
        )
        return with_headers(page, error)
    response = render(
        request,
        "password.html",
        {"caller": Caller(fresh.user, who.actor, fresh.csrf_token), "error": None, "done": True},
    )
    set_session_cookie(request, response, fresh.token)
    return response
