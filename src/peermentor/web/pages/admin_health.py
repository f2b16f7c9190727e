"""Admin page: programme health, in numbers only."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from peermentor.domain.checkins import MIN_AGGREGATE_GROUP, NotEnoughData
from peermentor.services.workspace.health import programme_health
from peermentor.web.deps import Clock, ProgrammeAdmin, db_session, programme_admin
from peermentor.web.render import render

router = APIRouter(prefix="/admin", include_in_schema=False)


@router.get("/programs/{program_id}/health")
def health(
    request: Request,
    moment: Clock,
    a: ProgrammeAdmin = Depends(programme_admin),
    session: Session = Depends(db_session),
) -> Response:
    report = programme_health(session, a.who.actor, a.program.id, moment)
    return render(
        request,
        "admin/health.html",
        {
            "caller": a.who,
            "program": a.program,
            "health": report,
            "not_enough": NotEnoughData,
            "minimum": MIN_AGGREGATE_GROUP,
        },
    )
