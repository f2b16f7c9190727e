"""Mail pages: the unsubscribe link of every mail, each person's preferences, and the
admin's view of what was sent to a programme."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from peermentor.mail import kinds
from peermentor.services import mail_admin, mail_preferences
from peermentor.web.deps import MAX_ID, Caller, ProgramId, csrf_protected, db_session, now
from peermentor.web.pages.admin_programs import admin, admin_form
from peermentor.web.render import render

router = APIRouter(include_in_schema=False)
NO_STORE = {"cache-control": "no-store"}


@router.get("/mail/unsubscribe/{token}")
def unsubscribe_page(request: Request, token: str) -> Response:
    """A button, not an unsubscribe on GET: link checkers and previews open links."""
    _, kind = mail_preferences.read_token(request.app.state.secret_key, token)
    page = render(
        request,
        "mail/unsubscribe.html",
        {"token": token, "label": kinds.label(kind), "done": False},
    )
    page.headers.update(NO_STORE)
    return page


@router.post("/mail/unsubscribe/{token}")
def unsubscribe(request: Request, token: str, session: Session = Depends(db_session)) -> Response:
    """The page's button and RFC 8058 one-click (List-Unsubscribe-Post) both land here.
    No sign-in and no CSRF token: the signed link is the permission, and it can stop
    only its own kind of mail for its own person."""
    kind = mail_preferences.unsubscribe(session, request.app.state.secret_key, token, now())
    page = render(
        request, "mail/unsubscribe.html", {"token": token, "label": kinds.label(kind), "done": True}
    )
    page.headers.update(NO_STORE)
    return page


@router.post("/account/mail")
async def save_preferences(
    request: Request,
    weekly_digest: Annotated[str, Form()] = "",
    who: Caller = Depends(csrf_protected),
    session: Session = Depends(db_session),
) -> Response:
    form = await request.form()
    wanted = {str(v) for v in form.getlist("kind")}
    mail_preferences.set_my_preferences(session, who.actor, wanted, weekly_digest == "on", now())
    return RedirectResponse("/account?saved=mail", status_code=303)


@router.get("/admin/programs/{program_id}/mail")
def program_mail(
    request: Request,
    program_id: ProgramId,
    who: Caller = Depends(admin),
    session: Session = Depends(db_session),
) -> Response:
    report = mail_admin.program_mail(session, who.actor, program_id)
    settings = request.app.state.settings
    folder = settings.mail_folder()
    return render(
        request,
        "admin/mail.html",
        {
            "caller": who,
            "program": {"id": report.program_id, "name": report.program},
            "report": report,
            "delivery": "SMTP" if settings.smtp_host else folder and folder.resolve(),
        },
    )


@router.post("/admin/programs/{program_id}/mail/{message_id}/resend")
def resend(
    program_id: ProgramId,
    message_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    who: Caller = Depends(admin_form),
    session: Session = Depends(db_session),
) -> Response:
    mail_admin.resend(session, who.actor, program_id, message_id, now())
    return RedirectResponse(f"/admin/programs/{program_id}/mail?resent=1", status_code=303)
