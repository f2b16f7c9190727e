"""The account page of every signed-in user, with a download of their own data."""

from __future__ import annotations

import json

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from peermentor.services import personal_data
from peermentor.web.deps import Caller, Clock, caller, db_session
from peermentor.web.render import render

router = APIRouter(include_in_schema=False)
# Personal data must not linger in a browser or proxy cache.
NO_STORE = {"cache-control": "no-store"}


@router.get("/account")
def account_page(request: Request, who: Caller = Depends(caller)) -> Response:
    page = render(request, "account.html", {"caller": who})
    page.headers.update(NO_STORE)
    return page


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
