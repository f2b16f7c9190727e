"""Participant pages: the dashboard ("what now?") and the pairing workspace."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from peermentor.web.deps import Caller, caller
from peermentor.web.render import render

router = APIRouter(include_in_schema=False)


@router.get("/")
def home(request: Request, who: Caller = Depends(caller)) -> Response:
    if who.actor.is_admin:
        return RedirectResponse("/admin/programs", status_code=303)
    return render(request, "participant_home.html", {"caller": who})
