"""Admin page: programme health, in numbers only."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from peermentor.domain.checkins import MIN_AGGREGATE_GROUP, NotEnoughData
from peermentor.domain.errors import ValidationError
from peermentor.domain.nudges import SETTING_NAMES
from peermentor.services import match_review
from peermentor.services.access import InvalidInput
from peermentor.services.insight_health import fast_health
from peermentor.services.nudges import (
    SETTING_WORDS,
    nudge_settings,
    release_inactive_proposals,
    update_nudge_settings,
)
from peermentor.web.deps import (
    Clock,
    ProgrammeAdmin,
    db_session,
    programme_admin,
    programme_admin_changing,
)
from peermentor.web.pages.admin_insight import router as insight_router
from peermentor.web.render import render

router = APIRouter(prefix="/admin", include_in_schema=False)


@router.get("/programs/{program_id}/health")
def health(
    request: Request,
    moment: Clock,
    a: ProgrammeAdmin = Depends(programme_admin),
    session: Session = Depends(db_session),
) -> Response:
    # Counters as of the last refresh (the worker's, every few minutes): one query, not
    # every pairing's history (issue 15: 4.2 s at 20,000 pairings before).
    fast = fast_health(session, a.who.actor, a.program.id, moment)
    released = request.query_params.get("released", "")
    return render(
        request,
        "admin/health.html",
        {
            "caller": a.who,
            "program": a.program,
            "health": fast.health,
            "declined_waiting": match_review.declined_waiting(session, a.who.actor, a.program.id),
            "as_of": fast.as_of,
            "not_enough": NotEnoughData,
            "minimum": MIN_AGGREGATE_GROUP,
            # Members gone silent (services.nudges): a section of its own.
            # As of the same refresh, the first 200 listed: the count covers them all.
            "inactive": fast.inactive,
            "inactive_total": fast.inactive_total,
            "nudge_settings": nudge_settings(a.program),
            "released": int(released) if released.isdigit() else None,
            "nudges_saved": request.query_params.get("saved") == "nudges",
            "setting_words": SETTING_WORDS,
        },
    )


@router.post("/programs/{program_id}/nudges")
async def save_nudge_settings(
    request: Request,
    moment: Clock,
    a: ProgrammeAdmin = Depends(programme_admin_changing),
    session: Session = Depends(db_session),
) -> Response:
    """The nudge settings form of the health page: every setting, a whole number each."""
    who, program = a.who, a.program
    form = await request.form()
    values: dict[str, int] = {}
    try:
        for name in SETTING_NAMES:
            raw = form.get(name)
            if isinstance(raw, str) and raw.strip():
                if not raw.strip().isdigit():
                    raise ValidationError(f"nudges.{name}", "must be a whole number")
                values[name] = int(raw.strip())
        update_nudge_settings(session, who.actor, program.id, values, moment)
    except ValidationError as error:
        session.rollback()
        raise InvalidInput(f"{error.field}: {error.message}") from error
    return RedirectResponse(
        f"/admin/programs/{program.id}/health?saved=nudges#nudge-settings", status_code=303
    )


@router.post("/programs/{program_id}/health/release")
def release(
    moment: Clock,
    a: ProgrammeAdmin = Depends(programme_admin_changing),
    session: Session = Depends(db_session),
) -> Response:
    """Release every open proposal waiting for a member inactive past the programme's
    period; both members return to the pool. Audited, one entry a pairing."""
    count = release_inactive_proposals(session, a.who.actor, a.program.id, moment)
    return RedirectResponse(
        f"/admin/programs/{a.program.id}/health?released={count}#inactive", status_code=303
    )


# Programme insight lives beside the health page, under the same /admin prefix.
router.include_router(insight_router)
