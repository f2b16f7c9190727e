"""Company sign-in pages: the link to the provider and the way back.

`GET /login/sso` remembers the state, nonce, PKCE verifier and where to go next in a
short-lived cookie signed with the app's secret, and sends the browser to the
provider; `GET /login/sso/callback` checks that the state came back unchanged (so a
link someone else started cannot sign this browser in), lets web/oidc.py check the
ID token, and services/sso.py decide who it is. Both answer 404 when company sign-in
is not configured. A plain link, not a form: the provider is another origin, and the
content security policy lets forms post only to this one.
"""

from __future__ import annotations

import hmac
import re
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.orm import Session

from peermentor.domain.errors import NotFound
from peermentor.services import sso as sso_service
from peermentor.web.deps import Clock, db_session, session_limits
from peermentor.web.oidc import OidcClient, Start
from peermentor.web.pages.auth import safe_next
from peermentor.web.refusals import page_response
from peermentor.web.security import cookie_flags, set_session_cookie

router = APIRouter(include_in_schema=False)
FLOW_COOKIE = "pm_sso"
FLOW_SECONDS = 600
# Company sign-in started from a programme's sign-up link (web/pages/signup.py).
JOIN_PATH = re.compile(r"/join/([A-Za-z0-9_-]+)")
_STALE = (
    "This company sign-in was started too long ago, in another browser, or was not started "
    "here. Start again from the sign-in page."
)


def _client(request: Request) -> OidcClient:
    client: OidcClient | None = getattr(request.app.state, "oidc", None)
    if client is None:
        raise NotFound("company sign-in is not set up here")
    return client


def _serializer(request: Request) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(request.app.state.secret_key, salt="sso")


def _callback_url(request: Request) -> str:
    return request.app.state.settings.base_url.rstrip("/") + "/login/sso/callback"


def _refused(
    request: Request, error: sso_service.SsoRefused | sso_service.SsoNotCompleted | NotFound
) -> Response:
    page = page_response(request, error)
    page.delete_cookie(FLOW_COOKIE, **cookie_flags(request))  # type: ignore[arg-type]
    return page


@router.get("/login/sso")
def start(request: Request, next: str = "/") -> Response:
    try:
        client = _client(request)
        begun = client.start(_callback_url(request))
    except (NotFound, sso_service.SsoNotCompleted) as error:
        return _refused(request, error)
    flow = {
        "state": begun.state,
        "nonce": begun.nonce,
        "verifier": begun.code_verifier,
        "next": safe_next(next),
    }
    response = RedirectResponse(begun.url, status_code=303)
    response.set_cookie(
        FLOW_COOKIE,
        _serializer(request).dumps(flow),
        max_age=FLOW_SECONDS,
        **cookie_flags(request),  # type: ignore[arg-type]
    )
    return response


def _flow(request: Request, state: str) -> dict[str, Any]:
    try:
        flow = _serializer(request).loads(
            request.cookies.get(FLOW_COOKIE, ""), max_age=FLOW_SECONDS
        )
    except BadSignature:
        raise sso_service.SsoNotCompleted(_STALE) from None
    if not isinstance(flow, dict) or not hmac.compare_digest(str(flow.get("state", "")), state):
        raise sso_service.SsoNotCompleted(_STALE)
    return flow


@router.get("/login/sso/callback")
def callback(
    request: Request,
    moment: Clock,
    state: str = "",
    code: str = "",
    error: str = "",
    session: Session = Depends(db_session),
) -> Response:
    try:
        client = _client(request)
        if error or not code:
            # The person cancelled at the provider, or it refused them (some providers
            # leave the state out then): say so plainly; nothing is signed in.
            raise sso_service.SsoNotCompleted(
                "Company sign-in was cancelled or refused by the sign-in service. "
                "Start again from the sign-in page."
            )
        flow = _flow(request, state)
        started = Start(url="", state=state, nonce=flow["nonce"], code_verifier=flow["verifier"])
        identity = client.finish(_callback_url(request), code, started)
        joining = JOIN_PATH.fullmatch(flow["next"])
        new = sso_service.sign_in(
            session,
            identity,
            client.policy,
            moment,
            session_limits(request),
            join_token=joining.group(1) if joining else None,
        )
    except (NotFound, sso_service.SsoRefused, sso_service.SsoNotCompleted) as refused:
        return _refused(request, refused)
    response = RedirectResponse(flow["next"], status_code=303)
    response.delete_cookie(FLOW_COOKIE, **cookie_flags(request))  # type: ignore[arg-type]
    set_session_cookie(request, response, new.token)
    return response
