"""Admin page: programme health, in numbers only."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from peermentor.domain.checkins import MIN_AGGREGATE_GROUP, NotEnoughData
from peermentor.services import programs as programs_service
from peermentor.services.workspace.health import programme_health
from peermentor.web.deps import Caller, ProgramId, db_session, now
from peermentor.web.pages.admin_programs import admin
from peermentor.web.render import render

router = APIRouter(prefix="/admin", include_in_schema=False)


@router.get("/programs/{program_id}/health")
def health(
    request: Request,
    program_id: ProgramId,
    who: Caller = Depends(admin),
    session: Session = Depends(db_session),
) -> Response:
    program = programs_service.get_program_by_id(session, who.actor, program_id)
    report = programme_health(session, who.actor, program.id, now())
    return render(
        request,
        "admin/health.html",
        {
            "caller": who,
            "program": program,
            "health": report,
            "not_enough": NotEnoughData,
            "minimum": MIN_AGGREGATE_GROUP,
        },
    )
