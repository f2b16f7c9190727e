"""The account page of every signed-in user, with a download of their own data."""

from __future__ import annotations

import json

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from peermentor.mail import kinds
from peermentor.services import mail_preferences, personal_data
from peermentor.services.calendar import feed_created_at
from peermentor.web.deps import Caller, Clock, caller, db_session
from peermentor.web.render import render

router = APIRouter(include_in_schema=False)
# Personal data must not linger in a browser or proxy cache.
NO_STORE = {"cache-control": "no-store"}


FEED_NOTICES = {"feed-revoked": "Your calendar address is revoked: it no longer works."}


def render_account(request: Request, who: Caller, session: Session, **extra: object) -> Response:
    context = {
        "caller": who,
        "mail": mail_preferences.my_preferences(session, who.actor),
        "mail_kinds": kinds.KINDS,
        "mail_saved": request.query_params.get("saved") == "mail",
        # The calendar feed (web/pages/calendar_feed.py): whether one exists, since when.
        "feed_since": feed_created_at(session, who.actor),
        "feed_notice": FEED_NOTICES.get(request.query_params.get("notice", "")),
    } | extra
    page = render(request, "account.html", context)
    page.headers.update(NO_STORE)
    return page


@router.get("/account")
def account_page(
    request: Request, who: Caller = Depends(caller), session: Session = Depends(db_session)
) -> Response:
    return render_account(request, who, session)


@router.get("/account/data.json")
def download_my_data(
    moment: Clock, who: Caller = Depends(caller), session: Session = Depends(db_session)
) -> Response:
    document = personal_data.export_my_data(session, who.actor, moment)
    return Response(
        json.dumps(document, indent=2, ensure_ascii=False) + "\n",
        media_type="application/json",
        headers=NO_STORE
        | {"content-disposition": 'attachment; filename="my-peermentor-data.json"'},
    )
