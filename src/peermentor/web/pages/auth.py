"""Sign in, sign out, invitations, password change."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from peermentor.services import auth as auth_service
from peermentor.services.access import InvalidInput
from peermentor.web.deps import Caller, caller, csrf_protected, db_session, now
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


def _safe_next(target: str | None) -> str:
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
    page = render(
        request,
        "login.html",
        {"error": error, "email": email, "next": next_url, "csrf_token": token},
        status_code=status,
    )
    remember_anonymous_csrf(request, page, token)
    return page


@router.get("/login")
def login_form(request: Request, next: str = "/") -> Response:
    return _login_page(request, next_url=_safe_next(next))


@router.post("/login")
def login(
    request: Request,
    email: FormText = "",
    password: FormText = "",
    csrf_token: FormText = "",
    next: FormText = "/",
    session: Session = Depends(db_session),
) -> Response:
    check_anonymous_csrf(request, csrf_token)
    client = request.client.host if request.client else "unknown"
    try:
        new = auth_service.login(session, email, password, client, now())
    except (auth_service.LoginFailed, auth_service.TooManyAttempts) as error:
        status = 429 if isinstance(error, auth_service.TooManyAttempts) else 401
        return _login_page(
            request, error=str(error), email=email, next_url=_safe_next(next), status=status
        )
    response = RedirectResponse(_safe_next(next), status_code=303)
    set_session_cookie(request, response, new.token)
    return response


@router.post("/logout")
def logout(
    request: Request,
    who: Caller = Depends(csrf_protected),
    session: Session = Depends(db_session),
) -> Response:
    auth_service.logout(session, request.cookies.get(SESSION_COOKIE), now())
    response = RedirectResponse("/login", status_code=303)
    clear_session_cookie(request, response)
    return response


@router.get("/invite/{token}")
def invitation_form(
    request: Request, token: str, session: Session = Depends(db_session)
) -> Response:
    try:
        _, user = auth_service.invitation_user(session, token, now())
    except auth_service.InvalidToken as error:
        return render(
            request, "message.html", {"title": "Invitation", "message": str(error)}, status_code=404
        )
    csrf = anonymous_csrf_token(request)
    page = render(
        request,
        "invite.html",
        {"email": user.email, "token": token, "csrf_token": csrf, "error": None},
    )
    remember_anonymous_csrf(request, page, csrf)
    return page


@router.post("/invite/{token}")
def accept_invitation(
    request: Request,
    token: str,
    password: FormText = "",
    repeat: FormText = "",
    csrf_token: FormText = "",
    session: Session = Depends(db_session),
) -> Response:
    check_anonymous_csrf(request, csrf_token)
    try:
        _, user = auth_service.invitation_user(session, token, now())
        if password != repeat:
            raise InvalidInput("password: the two entries differ")
        new = auth_service.accept_invitation(session, token, password, now())
    except auth_service.InvalidToken as error:
        return render(
            request, "message.html", {"title": "Invitation", "message": str(error)}, status_code=404
        )
    except InvalidInput as error:
        return render(
            request,
            "invite.html",
            {"email": user.email, "token": token, "csrf_token": csrf_token, "error": str(error)},
            status_code=422,
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
    who: Caller = Depends(csrf_protected),
    session: Session = Depends(db_session),
) -> Response:
    try:
        if new != repeat:
            raise InvalidInput("new password: the two entries differ")
        fresh = auth_service.change_password(session, who.actor, current, new, now())
    except InvalidInput as error:
        return render(
            request,
            "password.html",
            {"caller": who, "error": str(error), "done": False},
            status_code=422,
        )
    response = render(
        request,
        "password.html",
        {"caller": Caller(fresh.user, who.actor, fresh.csrf_token), "error": None, "done": True},
    )
    set_session_cookie(request, response, fresh.token)
    return response
