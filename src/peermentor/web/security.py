"""Cookies and CSRF.

Signed-in forms carry the session's own CSRF token (synchronizer token). Forms shown
before sign-in (login, invitation) use a double-submit token signed with the app's
secret (itsdangerous), so a cookie planted by a sibling site cannot forge one.
"""

from __future__ import annotations

import hmac
import secrets

from fastapi import Request, Response
from itsdangerous import BadSignature, URLSafeSerializer

SESSION_COOKIE = "pm_session"
ANON_CSRF_COOKIE = "pm_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


class CsrfFailed(Exception):
    """A state-changing request without the right CSRF token."""


def cookie_flags(request: Request) -> dict[str, object]:
    secure = not request.app.state.settings.insecure_cookies
    return {"httponly": True, "samesite": "lax", "secure": secure, "path": "/"}


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    # The browser may forget the cookie when the server stops honouring the session.
    max_age = request.app.state.settings.session_max_hours * 3600
    response.set_cookie(SESSION_COOKIE, token, max_age=max_age, **cookie_flags(request))  # type: ignore[arg-type]


def clear_session_cookie(request: Request, response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, **cookie_flags(request))  # type: ignore[arg-type]


def _anon_serializer(request: Request) -> URLSafeSerializer:
    return URLSafeSerializer(request.app.state.secret_key, salt="anonymous-csrf")


def anonymous_csrf_token(request: Request) -> str:
    """The token for a form shown before sign-in: the visitor's own, or a new one."""
    existing = request.cookies.get(ANON_CSRF_COOKIE)
    if existing:
        try:
            _anon_serializer(request).loads(existing)
            return existing
        except BadSignature:
            pass
    return _anon_serializer(request).dumps(secrets.token_urlsafe(16))


def remember_anonymous_csrf(request: Request, response: Response, token: str) -> None:
    if request.cookies.get(ANON_CSRF_COOKIE) != token:
        response.set_cookie(ANON_CSRF_COOKIE, token, **cookie_flags(request))  # type: ignore[arg-type]


def check_anonymous_csrf(request: Request, submitted: str | None) -> None:
    cookie = request.cookies.get(ANON_CSRF_COOKIE)
    if not cookie or not submitted or not hmac.compare_digest(cookie, submitted):
        raise CsrfFailed
    try:
        _anon_serializer(request).loads(cookie)
    except BadSignature:
        raise CsrfFailed from None


def check_session_csrf(expected: str, submitted: str | None) -> None:
    if not submitted or not hmac.compare_digest(expected, submitted):
        raise CsrfFailed
