"""Admin pages: matching settings and dry run, a match run with progress, review and
hand edits, publish."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from peermentor.domain import self_match as self_rules
from peermentor.domain.errors import ValidationError
from peermentor.matching.settings import CRITERIA, DEFAULT_WEIGHTS
from peermentor.services import jobs as jobs_service
from peermentor.services import match_review, people_directory, self_match
from peermentor.services import matching as matching_service
from peermentor.services.access import InvalidInput, NotFound
from peermentor.web import jobs as web_jobs
from peermentor.web.deps import (
    MAX_ID,
    Caller,
    Clock,
    PairingId,
    ProgrammeAdmin,
    db_session,
    programme_admin,
    programme_admin_changing,
)
from peermentor.web.pages.admin_programs import admin
from peermentor.web.refusals import field_name, status
from peermentor.web.render import render, sentence

router = APIRouter(prefix="/admin", include_in_schema=False)
PAGE_SIZE = 100
MAX_PAGE = MAX_ID // PAGE_SIZE  # keeps the row offset a 32-bit number on every database
FormText = Annotated[str, Form()]


def _settings_from_form(form: dict[str, Any]) -> dict[str, Any]:
    """Form fields to matching settings; a bad number is refused naming its field."""
    changes: dict[str, Any] = {"weights": {}}
    for criterion in CRITERIA:
        raw = str(form.get(f"weight_{criterion}", "")).strip()
        try:
            changes["weights"][criterion] = float(raw) if raw else DEFAULT_WEIGHTS[criterion]
        except ValueError:
            label = criterion.replace("_", " ")
            raise InvalidInput(f"weight of {label}: {raw!r} is not a number") from None
    for flag in ("forbid_same_team", "forbid_same_department", "allow_past_partners"):
        changes[flag] = form.get(flag) == "on"
    gap = str(form.get("max_level_gap", "")).strip()
    try:
        changes["max_level_gap"] = int(gap) if gap else None
    except ValueError:
        raise InvalidInput(f"largest level gap: {gap!r} is not a whole number") from None
    changes["odd_mode"] = form.get("odd_mode", "triad")
    changes["mode"] = form.get("mode", "default")
    return changes


def _settings_page(
    request: Request, a: ProgrammeAdmin, session: Session, moment: datetime, **extra: Any
) -> Response:
    settings = matching_service.program_match_settings(a.program)
    status_code = int(extra.pop("status_code", 200))
    context = {
        "caller": a.who,
        "program": a.program,
        "settings": settings,
        "criteria": CRITERIA,
        "error": None,
        "saved": request.query_params.get("saved") == "settings",
        # How people are matched (services/self_match.py): counts only, never names.
        "choosing": self_match.for_admins(session, a.who.actor, a.program.id, moment),
        "mode_words": list(self_rules.MODE_WORDS.items()),
        "self_match_saved": request.query_params.get("saved") == "self-match",
        "max_reply_days": self_rules.MAX_REPLY_DAYS,
        "max_suggestions": self_rules.MAX_SUGGESTIONS,
        "sm_form": {},
        "sm_errors": {},
    } | extra
    return render(request, "admin/settings.html", context, status_code=status_code)


@router.get("/programs/{program_id}/settings")
def settings_form(
    request: Request,
    moment: Clock,
    a: ProgrammeAdmin = Depends(programme_admin),
    session: Session = Depends(db_session),
) -> Response:
    return _settings_page(request, a, session, moment)


def _whole(field: str, raw: str) -> int:
    text = raw.strip()
    if not text.isdigit() or len(text) > 6:
        raise ValidationError("a whole number", field=field)
    return int(text)


@router.post("/programs/{program_id}/settings/self-match")
def save_self_match(
    request: Request,
    moment: Clock,
    mode: FormText = "",
    window_ends: FormText = "",
    reply_days: FormText = "",
    suggestions: FormText = "",
    a: ProgrammeAdmin = Depends(programme_admin_changing),
    session: Session = Depends(db_session),
) -> Response:
    """How people are matched: by the admins, by choosing, or both (a window first)."""
    try:
        ends = None
        if window_ends.strip():
            try:
                ends = date.fromisoformat(window_ends.strip())
            except ValueError:
                raise ValidationError("a date (YYYY-MM-DD)", field="window_ends") from None
        self_match.change_settings(
            session,
            a.who.actor,
            a.program.id,
            mode=mode,
            window_ends=ends,
            reply_days=_whole("reply_days", reply_days),
            suggestions=_whole("suggestions", suggestions),
            now=moment,
        )
    except ValidationError as error:
        session.rollback()
        form = {
            "mode": mode,
            "window_ends": window_ends,
            "reply_days": reply_days,
            "suggestions": suggestions,
        }
        errors = {field_name(error.field or "mode"): sentence(error.message)}
        return _settings_page(
            request, a, session, moment, status_code=status(error), sm_form=form, sm_errors=errors
        )
    return RedirectResponse(
        f"/admin/programs/{a.program.id}/settings?saved=self-match#self-match", status_code=303
    )


@router.post("/programs/{program_id}/settings")
async def save_settings(
    request: Request,
    moment: Clock,
    a: ProgrammeAdmin = Depends(programme_admin_changing),
    session: Session = Depends(db_session),
) -> Response:
    who, program, program_id = a.who, a.program, a.program.id
    form = dict(await request.form())
    try:
        changes = _settings_from_form(form)
        if form.get("action") == "dry-run":
            job_id = jobs_service.start_dry_run(session, who.actor, program.id, changes)
            return web_jobs.started(request, job_id)
        matching_service.save_match_settings(session, who.actor, program_id, changes)
    except InvalidInput as error:
        return _settings_page(
            request, a, session, moment, error=str(error), status_code=status(error)
        )
    return _settings_page(request, a, session, moment, saved=True)


@router.post("/programs/{program_id}/match")
def start_match(
    request: Request,
    a: ProgrammeAdmin = Depends(programme_admin_changing),
    session: Session = Depends(db_session),
) -> Response:
    job_id = jobs_service.start_match(session, a.who.actor, a.program.id)
    return web_jobs.started(request, job_id)


@router.get("/jobs/{job_id}")
def job_page(
    request: Request,
    job_id: str,
    who: Caller = Depends(admin),
    session: Session = Depends(db_session),
) -> Response:
    job = jobs_service.job_of(session, jobs_service.job_number(job_id), who.user.id)
    if job is None:
        raise NotFound("no such job")
    done_url = web_jobs.done_url(job)
    uploads = (jobs_service.IMPORT, jobs_service.PREVIEW)
    if job.kind in uploads and job.status == "done":  # its result: the programme page
        return RedirectResponse(done_url, status_code=303)
    return render(request, "admin/job.html", {"caller": who, "job": job, "done_url": done_url})


@router.get("/programs/{program_id}/review")
def review(
    request: Request,
    page: int = 1,
    done: str = "",
    q: str = "",
    sort: str = "weakest",
    a: ProgrammeAdmin = Depends(programme_admin),
    session: Session = Depends(db_session),
) -> Response:
    return _review_page(
        request, a, session, page=page, query=q, sort=sort, notice=REVIEW_NOTICES.get(done)
    )


def _review_page(
    request: Request,
    a: ProgrammeAdmin,
    session: Session,
    page: int = 1,
    query: str = "",
    sort: str = "weakest",
    **extra: Any,
) -> Response:
    who, program = a.who, a.program
    strongest = sort == "strongest"
    # Any number in the address gives a page: past the end, the last one (an offset
    # beyond the database's integers would otherwise be an error).
    page = min(max(1, page), MAX_PAGE)

    def one_page(number: int) -> tuple[list[Any], int]:
        return match_review.current_pairings(
            session,
            who.actor,
            program.id,
            offset=(number - 1) * PAGE_SIZE,
            limit=PAGE_SIZE,
            query=query,
            strongest_first=strongest,
        )

    pairings, total = one_page(page)
    last = max(1, -(-total // PAGE_SIZE))
    if page > last:
        page = last
        pairings, total = one_page(page)
    run = match_review.latest_run(session, who.actor, program.id)
    unmatched = (
        [u["employee_id"] for u in (run.summary or {}).get("unmatched_people", [])[:200]]
        if run
        else []
    )
    status_code = int(extra.pop("status_code", 200))
    context = {
        "caller": who,
        "program": program,
        "pairings": pairings,
        "total": total,
        "page": page,
        "pages": max(1, -(-total // PAGE_SIZE)),
        "query": query,
        "sort": "strongest" if strongest else "weakest",
        "run": run,
        "summary": run.summary if run else None,
        "now": match_review.figures_now(session, who.actor, program.id) if run else None,
        "error": None,
        # The hand-edit forms follow the run, not the page: a search may show no draft.
        "has_draft": run is not None and run.status == "draft",
        "names": people_directory.names_of(session, who.actor, program.id, unmatched),
    } | extra
    return render(request, "admin/review.html", context, status_code=status_code)


# What the review page says after each hand edit (?done=...), so a change is confirmed.
REVIEW_NOTICES = {
    "locked": "Lock changed.",
    "unpaired": "Unpaired: both people are back in the pool; pair them by hand below, or "
    "leave them for the next run.",
    "swapped": "Swapped and locked. The figures now are recomputed; the bound and gap "
    "stay the run's.",
    "paired": "Paired by hand and locked.",
    "published": "Published: the members are asked to accept or decline.",
}


def _edit(
    request: Request, a: ProgrammeAdmin, session: Session, change: Any, notice: str
) -> Response:
    try:
        change(a.program.id)
    except InvalidInput as error:
        return _review_page(request, a, session, error=str(error), status_code=status(error))
    return RedirectResponse(f"/admin/programs/{a.program.id}/review?done={notice}", status_code=303)


@router.post("/programs/{program_id}/pairings/{pairing_id}/lock")
def lock(
    request: Request,
    pairing_id: PairingId,
    locked: FormText = "1",
    a: ProgrammeAdmin = Depends(programme_admin_changing),
    session: Session = Depends(db_session),
) -> Response:
    return _edit(
        request,
        a,
        session,
        lambda pid: match_review.set_locked(session, a.who.actor, pid, pairing_id, locked == "1"),
        "locked",
    )


@router.post("/programs/{program_id}/pairings/{pairing_id}/unpair")
def unpair(
    request: Request,
    pairing_id: PairingId,
    moment: Clock,
    confirm: FormText = "",
    a: ProgrammeAdmin = Depends(programme_admin_changing),
    session: Session = Depends(db_session),
) -> Response:
    def change(pid: int) -> None:
        if confirm != "yes":  # a stray click in a long table breaks up nobody
            raise InvalidInput("tick 'Sure' beside Unpair to confirm that you want to unpair them")
        match_review.unpair(session, a.who.actor, pid, pairing_id, moment)

    return _edit(
        request,
        a,
        session,
        change,
        "unpaired",
    )


@router.post("/programs/{program_id}/swap")
def swap(
    request: Request,
    moment: Clock,
    first: FormText = "",
    second: FormText = "",
    a: ProgrammeAdmin = Depends(programme_admin_changing),
    session: Session = Depends(db_session),
) -> Response:
    return _edit(
        request,
        a,
        session,
        lambda pid: match_review.swap(
            session, a.who.actor, pid, first.strip(), second.strip(), moment
        ),
        "swapped",
    )


@router.post("/programs/{program_id}/pair")
def pair(
    request: Request,
    moment: Clock,
    members: FormText = "",
    a: ProgrammeAdmin = Depends(programme_admin_changing),
    session: Session = Depends(db_session),
) -> Response:
    ids = [m for m in members.replace(";", ",").replace(" ", ",").split(",") if m]
    return _edit(
        request,
        a,
        session,
        lambda pid: match_review.pair_by_hand(session, a.who.actor, pid, ids, moment),
        "paired",
    )


@router.post("/programs/{program_id}/publish")
def publish(
    request: Request,
    moment: Clock,
    confirm: FormText = "",
    a: ProgrammeAdmin = Depends(programme_admin_changing),
    session: Session = Depends(db_session),
) -> Response:
    def change(pid: int) -> None:
        if confirm != "yes":  # proposals go out to people: not on a stray click
            raise InvalidInput("tick the box to confirm that the proposals should go out")
        matching_service.publish_program_draft(session, a.who.actor, pid, moment)

    return _edit(
        request,
        a,
        session,
        change,
        "published",
    )


@router.get("/programs/{program_id}/match.csv")
def export_match(
    a: ProgrammeAdmin = Depends(programme_admin), session: Session = Depends(db_session)
) -> Response:
    import csv
    import io

    program = a.program
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["employee_id", "partner_ids", "pairing_id", "score", "explanation"])
    writer.writerows(matching_service.export_rows(session, a.who.actor, program.id))
    return Response(
        buffer.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="match-{program.id}.csv"'},
    )


@router.get("/programs/{program_id}/why-not")
def why_not(
    request: Request,
    a_id: Annotated[str, Query(alias="a", max_length=200)] = "",
    b_id: Annotated[str, Query(alias="b", max_length=200)] = "",
    a: ProgrammeAdmin = Depends(programme_admin),
    session: Session = Depends(db_session),
) -> Response:
    """Ask the engine why two people are not paired; the form alone when nobody is named."""
    context: dict[str, Any] = {
        "caller": a.who,
        "program": a.program,
        "a": a_id,
        "b": b_id,
        "answer": None,
        "error": None,
    }
    status_code = 200
    if a_id.strip() or b_id.strip():
        try:
            if not (a_id.strip() and b_id.strip()):
                raise InvalidInput("name two people, by their employee ids")
            context["answer"] = matching_service.why_not(
                session, a.who.actor, a.program.id, a_id, b_id
            )
        except (InvalidInput, NotFound) as refused:
            context["error"], status_code = str(refused), status(refused)
    return render(request, "admin/why_not.html", context, status_code=status_code)
