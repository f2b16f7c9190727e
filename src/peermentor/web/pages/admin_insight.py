"""Admin pages: programme insight (charts with their tables), its CSV, and the report.

Mounted under /admin by web/pages/admin_health.py's router; programme admins only."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from peermentor.domain.insight import MIN_GROUP
from peermentor.services.access import InvalidInput
from peermentor.services.insight_view import programme_insight, refresh_now
from peermentor.web.deps import (
    Clock,
    ProgrammeAdmin,
    db_session,
    programme_admin,
    programme_admin_changing,
)
from peermentor.web.pages.insight_charts import figures, figures_csv
from peermentor.web.render import render

router = APIRouter(include_in_schema=False)


def _day(request: Request, name: str) -> date | None:
    raw = request.query_params.get(name, "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(f"{name}: a date as YYYY-MM-DD, not {raw[:20]!r}") from None


@router.get("/programs/{program_id}/insight")
def insight(
    request: Request,
    moment: Clock,
    a: ProgrammeAdmin = Depends(programme_admin),
    session: Session = Depends(db_session),
) -> Response:
    report = programme_insight(session, a.who.actor, a.program.id, moment)
    return render(
        request,
        "admin/insight.html",
        {
            "caller": a.who,
            "program": a.program,
            "insight": report,
            "figures": figures(report),
            "minimum": MIN_GROUP,
            "refreshed": request.query_params.get("refreshed") == "1",
        },
    )


@router.get("/programs/{program_id}/insight.csv")
def insight_csv(
    request: Request,
    moment: Clock,
    a: ProgrammeAdmin = Depends(programme_admin),
    session: Session = Depends(db_session),
) -> Response:
    """Every figure (or the one named by ?figure=), one value a line."""
    report = programme_insight(
        session, a.who.actor, a.program.id, moment, _day(request, "since"), _day(request, "until")
    )
    items = figures(report)
    wanted = request.query_params.get("figure", "")
    if wanted:
        items = [f for f in items if f.key == wanted]
    name = f"insight-{a.program.id}{'-' + wanted if items and wanted else ''}.csv"
    return Response(
        figures_csv(items),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{name}"'},
    )


@router.get("/programs/{program_id}/insight/report")
def insight_report(
    request: Request,
    moment: Clock,
    a: ProgrammeAdmin = Depends(programme_admin),
    session: Session = Depends(db_session),
) -> Response:
    """One programme over one date range, laid out to print (or save as PDF)."""
    since, until = _day(request, "since"), _day(request, "until")
    if since and until and since > until:
        raise InvalidInput("until: must not be before since")
    report = programme_insight(session, a.who.actor, a.program.id, moment, since, until)
    return render(
        request,
        "admin/insight_report.html",
        {
            "caller": a.who,
            "program": a.program,
            "insight": report,
            "figures": figures(report),
            "minimum": MIN_GROUP,
            "since": since,
            "until": until,
            "today": moment.date(),
        },
    )


@router.post("/programs/{program_id}/insight/refresh")
def insight_refresh(
    moment: Clock,
    a: ProgrammeAdmin = Depends(programme_admin_changing),
    session: Session = Depends(db_session),
) -> Response:
    """Recompute the programme's figures now instead of waiting for the worker."""
    refresh_now(session, a.who.actor, a.program.id, moment)
    return RedirectResponse(f"/admin/programs/{a.program.id}/insight?refreshed=1", status_code=303)
