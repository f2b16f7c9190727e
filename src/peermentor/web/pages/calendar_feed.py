"""Each person's private calendar address: made, remade and revoked on the account
page, and read by calendar apps without a session (the secret in the path is the key)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from peermentor.services.calendar import create_feed, feed_calendar, feed_url, revoke_feed
from peermentor.web.deps import Caller, csrf_protected, db_session, now
from peermentor.web.pages.account import NO_STORE, render_account

router = APIRouter(include_in_schema=False)


@router.get("/calendar/{token}.ics")
def calendar_feed(request: Request, token: str, session: Session = Depends(db_session)) -> Response:
    base_url = request.app.state.settings.base_url
    data = feed_calendar(session, token, now(), base_url=base_url)
    # The address is the secret: no cache may keep it, no referrer may carry it.
    return Response(
        data,
        media_type="text/calendar; charset=utf-8",
        headers=NO_STORE | {"referrer-policy": "no-referrer"},
    )


@router.post("/account/calendar-feed")
def make_feed(
    request: Request,
    who: Caller = Depends(csrf_protected),
    session: Session = Depends(db_session),
) -> Response:
    """A new address; the old one stops working. Shown once, on this answer only."""
    token = create_feed(session, who.actor, now())
    url = feed_url(request.app.state.settings.base_url, token)
    return render_account(request, who, session, new_feed_url=url)


@router.post("/account/calendar-feed/revoke")
def drop_feed(
    who: Caller = Depends(csrf_protected), session: Session = Depends(db_session)
) -> Response:
    revoke_feed(session, who.actor)
    return RedirectResponse("/account?notice=feed-revoked#calendar-feed", status_code=303)
