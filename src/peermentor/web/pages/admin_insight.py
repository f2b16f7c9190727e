"""Admin pages: programme insight (charts with their tables), its CSV, and the report.

Mounted under /admin by web/pages/admin_health.py's router; programme admins only."""

from __future__ import annotations

from datetime import date, datetime

from fastapi import APIRouter, Depends, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from peermentor.domain.insight import MIN_GROUP
from peermentor.domain.outcomes_csv import TEMPLATE, OutcomesFileRefused, Problem
from peermentor.services.access import InvalidInput
from peermentor.services.insight_view import Insight, programme_insight, refresh_now
from peermentor.services.outcomes import programme_outcomes, upload_outcomes
from peermentor.web.deps import (
    Clock,
    ProgrammeAdmin,
    db_session,
    programme_admin,
    programme_admin_changing,
)
from peermentor.web.pages.insight_charts import Figure, figures, figures_csv
from peermentor.web.pages.outcomes_figure import outcomes_figure
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


def _every_figure(
    request: Request, session: Session, a: ProgrammeAdmin, moment: datetime
) -> tuple[Insight, list[Figure]]:
    """The cached figures of the counters, then outcomes (read live: a small table)."""
    since, until = _day(request, "since"), _day(request, "until")
    if since and until and since > until:
        raise InvalidInput("until: must not be before since")
    report = programme_insight(session, a.who.actor, a.program.id, moment, since, until)
    found = programme_outcomes(session, a.who.actor, a.program.id, moment, since, until)
    return report, [*figures(report), outcomes_figure(found.figures, found.stored_events)]


def _insight_page(
    request: Request,
    session: Session,
    a: ProgrammeAdmin,
    moment: datetime,
    *,
    status_code: int = 200,
    problems: tuple[Problem, ...] = (),
    problems_total: int = 0,
    uploaded: int | None = None,
) -> Response:
    report, items = _every_figure(request, session, a, moment)
    wanted = request.query_params.get("figure", "")
    if wanted:
        # "runs": every match run's figures (funnel, quality, how pairs fared by score).
        items = [f for f in items if f.key == wanted or (wanted == "runs" and "-run-" in f.key)]
    return render(
        request,
        "admin/insight.html",
        {
            "caller": a.who,
            "program": a.program,
            "insight": report,
            "figures": items,
            "wanted": wanted,
            "minimum": MIN_GROUP,
            "refreshed": request.query_params.get("refreshed") == "1",
            "problems": problems,
            "problems_total": problems_total,
            "uploaded": uploaded,
        },
        status_code=status_code,
    )


@router.get("/programs/{program_id}/insight")
def insight(
    request: Request,
    moment: Clock,
    a: ProgrammeAdmin = Depends(programme_admin),
    session: Session = Depends(db_session),
) -> Response:
    """Every figure, or the one named by ?figure= (a run's figures: ?figure=runs)."""
    uploaded = request.query_params.get("uploaded", "")
    return _insight_page(
        request, session, a, moment, uploaded=int(uploaded) if uploaded.isdigit() else None
    )


@router.post("/programs/{program_id}/insight/outcomes")
def insight_outcomes_upload(
    request: Request,
    moment: Clock,
    file: UploadFile | None = None,
    a: ProgrammeAdmin = Depends(programme_admin_changing),
    session: Session = Depends(db_session),
) -> Response:
    """Replace the programme's outcome events with the uploaded CSV's, all or nothing.

    The body limit (web/limits.py) has refused a file that is too large before this runs."""
    data = file.file.read() if file is not None else b""
    if file is None or not (file.filename or data):
        problem = Problem(1, "", "choose a CSV file to upload")
        return _insight_page(request, session, a, moment, status_code=422, problems=(problem,))
    try:
        stored = upload_outcomes(session, a.who.actor, a.program.id, data, moment)
    except OutcomesFileRefused as refused:
        session.rollback()
        return _insight_page(
            request,
            session,
            a,
            moment,
            status_code=422,
            problems=refused.problems,
            problems_total=refused.total,
        )
    return RedirectResponse(
        f"/admin/programs/{a.program.id}/insight?figure=outcomes&uploaded={stored}",
        status_code=303,
    )


@router.get("/programs/{program_id}/insight/outcomes-template.csv")
def insight_outcomes_template(a: ProgrammeAdmin = Depends(programme_admin)) -> Response:
    """The outcomes CSV's header and two example rows, to fill in from HR data."""
    return Response(
        TEMPLATE,
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": 'attachment; filename="outcomes-template.csv"'},
    )


@router.get("/programs/{program_id}/insight.csv")
def insight_csv(
    request: Request,
    moment: Clock,
    a: ProgrammeAdmin = Depends(programme_admin),
    session: Session = Depends(db_session),
) -> Response:
    """Every figure (or the one named by ?figure=), one value a line."""
    _, items = _every_figure(request, session, a, moment)
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
    report, items = _every_figure(request, session, a, moment)
    return render(
        request,
        "admin/insight_report.html",
        {
            "caller": a.who,
            "program": a.program,
            "insight": report,
            "figures": items,
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
