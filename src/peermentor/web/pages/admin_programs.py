"""Admin pages: programmes, people upload and export, invitations."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from peermentor.services import invitations
from peermentor.services import jobs as jobs_service
from peermentor.services import people as people_service
from peermentor.services import programs as programs_service
from peermentor.services.access import Forbidden, InvalidInput
from peermentor.services.invitations import InvitationMailer
from peermentor.services.match_review import latest_run
from peermentor.services.people_directory import COLUMN_GUIDE
from peermentor.web import jobs as web_jobs
from peermentor.web.deps import (
    Caller,
    Clock,
    ProgrammeAdmin,
    caller,
    csrf_protected,
    db_session,
    programme_admin,
    programme_admin_changing,
)
from peermentor.web.pages.people_upload import finished_upload, start_import
from peermentor.web.refusals import status
from peermentor.web.render import render

router = APIRouter(prefix="/admin", include_in_schema=False)


def admin(who: Caller = Depends(caller)) -> Caller:
    """Any admin (the pages of one programme ask for deps.programme_admin instead)."""
    if not who.actor.is_admin:
        raise Forbidden("this page is for programme admins")
    return who


def admin_form(who: Caller = Depends(csrf_protected)) -> Caller:
    return admin(who)


@router.get("/programs")
def programs(
    request: Request, who: Caller = Depends(admin), session: Session = Depends(db_session)
) -> Response:
    items = programs_service.list_programs(session, who.actor)
    return render(request, "admin/programs.html", {"caller": who, "programs": items, "error": None})


def _form_date(field: str, text: str) -> date | None:
    """A date typed into the form (YYYY-MM-DD), or None when left empty."""
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"{field}: {text.strip()!r} is not a date (YYYY-MM-DD)") from None


@router.post("/programs")
def create_program(
    request: Request,
    name: Annotated[str, Form()] = "",
    description: Annotated[str, Form()] = "",
    starts_on: Annotated[str, Form()] = "",
    ends_on: Annotated[str, Form()] = "",
    who: Caller = Depends(admin_form),
    session: Session = Depends(db_session),
) -> Response:
    try:
        program = programs_service.create_program(
            session,
            who.actor,
            name,
            description=description,
            starts_on=_form_date("starts_on", starts_on),
            ends_on=_form_date("ends_on", ends_on),
        )
        session.commit()
    except InvalidInput as error:
        session.rollback()
        items = programs_service.list_programs(session, who.actor)
        typed = {"name": name, "description": description, "starts_on": starts_on}
        return render(
            request,
            "admin/programs.html",
            {
                "caller": who,
                "programs": items,
                "error": str(error),
                "form": typed | {"ends_on": ends_on},
            },
            status_code=status(error),
        )
    return RedirectResponse(f"/admin/programs/{program.id}", status_code=303)


def _overview(request: Request, a: ProgrammeAdmin, session: Session, **extra: object) -> Response:
    who, program = a.who, a.program
    enrolled = next(
        p.enrolled for p in programs_service.list_programs(session, who.actor) if p.id == program.id
    )
    run = latest_run(session, who.actor, program.id)
    status = int(extra.pop("status_code", 200))  # type: ignore[call-overload]
    context = {
        "caller": who,
        "program": program,
        "enrolled": enrolled,
        "run": run,
        "problems": None,
        "imported": None,
        "invitations": None,
        "invitation_error": None,
        # Without mail, only an organisation admin may hold invitation links.
        "invitations_by_mail": _mailer(request) is not None,
        "may_see_links": invitations.may_see_links(who.actor),
        "mail_needed": invitations.MAIL_NEEDED,
        "column_guide": COLUMN_GUIDE,
    } | extra
    return render(request, "admin/program.html", context, status_code=status)


@router.get("/programs/{program_id}")
def program_overview(
    request: Request,
    upload: str | None = None,
    a: ProgrammeAdmin = Depends(programme_admin),
    session: Session = Depends(db_session),
) -> Response:
    outcome = upload and finished_upload(session, upload, a.who.user.id, a.program.id)
    if not outcome:
        return _overview(request, a, session)
    if outcome.problems is not None:
        return _overview(
            request,
            a,
            session,
            status_code=422,
            problems=outcome.problems,
            filename=outcome.filename,
        )
    if outcome.preview is not None:
        return _overview(
            request,
            a,
            session,
            preview=outcome.preview,
            preview_job=outcome.job_id,
            filename=outcome.filename,
        )
    return _overview(request, a, session, imported=outcome.summary)


@router.post("/programs/{program_id}/people/apply")
def apply_checked_upload(
    request: Request,
    job: Annotated[str, Form()] = "",
    a: ProgrammeAdmin = Depends(programme_admin_changing),
    session: Session = Depends(db_session),
) -> Response:
    """Import the file a check kept (its preview was just shown): no second upload."""
    try:
        job_id = jobs_service.start_import_of_preview(
            session, a.who.actor, a.program.id, jobs_service.job_number(job)
        )
    except jobs_service.PreviewGone as gone:
        return _overview(request, a, session, status_code=status(gone), upload_error=str(gone))
    return web_jobs.started(request, job_id)


@router.post("/programs/{program_id}/people")
def upload_people(
    request: Request,
    file: UploadFile | None = None,
    action: Annotated[str, Form()] = "",
    a: ProgrammeAdmin = Depends(programme_admin_changing),
    session: Session = Depends(db_session),
) -> Response:
    """Start the import as a job (its page shows progress), with the file in the database.

    The body limit (web/limits.py, PEERMENTOR_MAX_UPLOAD_BYTES) has refused a file that
    is too large before this runs."""
    who, program = a.who, a.program
    if file is None:
        return _overview(
            request,
            a,
            session,
            status_code=422,
            upload_error="Choose a CSV file to upload.",
        )
    job_id = start_import(
        session,
        who.actor,
        program_id=program.id,
        filename=file.filename or "the file",
        upload=file.file,
        preview=action == "preview",
    )
    return web_jobs.started(request, job_id)


@router.get("/programs/{program_id}/people.csv")
def export_people(
    a: ProgrammeAdmin = Depends(programme_admin), session: Session = Depends(db_session)
) -> Response:
    program = a.program
    text = people_service.export_people(session, a.who.actor, program.id)
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="people-{program.id}.csv"'},
    )


def _mailer(request: Request) -> InvitationMailer | None:
    """The invitation sender the mail issue installs on the app (none until then)."""
    mailer: InvitationMailer | None = getattr(request.app.state, "invitation_mailer", None)
    return mailer


@router.post("/programs/{program_id}/invitations")
def invite_everyone(
    request: Request,
    moment: Clock,
    a: ProgrammeAdmin = Depends(programme_admin_changing),
    session: Session = Depends(db_session),
) -> Response:
    """Invitations for enrolled people who cannot sign in yet: sent by mail, or (no mail,
    organisation admins only) links shown once, here."""
    base_url = request.app.state.settings.base_url
    try:
        outcome = invitations.invite_program(
            session, a.who.actor, a.program.name, base_url, moment, _mailer(request)
        )
    except invitations.MailNotConfigured as refused:
        return _overview(
            request, a, session, status_code=status(refused), invitation_error=str(refused)
        )
    return _overview(request, a, session, invitations=outcome)
