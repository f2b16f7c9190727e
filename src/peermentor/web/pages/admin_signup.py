"""The admins' sign-up page of a programme: open or close self sign-up, ask for approval
or not, limit it to email domains, make a new link, and approve or decline the
sign-ups that wait, many at once."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from peermentor.domain.errors import ValidationError
from peermentor.services import signup
from peermentor.services.invitations import MailNotConfigured
from peermentor.web.deps import (
    MAX_ID,
    Clock,
    ProgrammeAdmin,
    db_session,
    programme_admin,
    programme_admin_changing,
)
from peermentor.web.refusals import field_name, status
from peermentor.web.render import render, sentence

router = APIRouter(prefix="/admin/programs/{program_id}/signups", include_in_schema=False)
FormText = Annotated[str, Form()]
NOTICES = {
    "settings": "Sign-up settings are saved.",
    "link": "A new sign-up link is made: the old one no longer works.",
}


def _show(
    request: Request,
    a: ProgrammeAdmin,
    session: Session,
    status_code: int = 200,
    **extra: Any,
) -> Response:
    settings = request.app.state.settings
    found = signup.setup(session, a.who.actor, a.program.id, settings.base_url)
    args = request.query_params
    decided = args.get("approved") or args.get("declined")
    notice = NOTICES.get(args.get("saved", ""))
    if decided and decided.isdigit():
        n = int(decided)
        verb = "approved" if args.get("approved") else "declined"
        notice = f"{n} sign-up{'s' if n != 1 else ''} {verb}."
    context = {
        "caller": a.who,
        "program": a.program,
        "setup": found,
        "mail_ready": settings.mail_enabled(),
        "notice": notice,
        "errors": {},
        "form": {},
    } | extra
    return render(request, "admin/signups.html", context, status_code=status_code)


@router.get("")
def signups_page(
    request: Request,
    a: ProgrammeAdmin = Depends(programme_admin),
    session: Session = Depends(db_session),
) -> Response:
    return _show(request, a, session)


@router.post("/settings")
def save_settings(
    request: Request,
    moment: Clock,
    open: FormText = "",
    approval: FormText = "",
    domains: FormText = "",
    new_link: FormText = "",
    confirm: FormText = "",
    a: ProgrammeAdmin = Depends(programme_admin_changing),
    session: Session = Depends(db_session),
) -> Response:
    try:
        if new_link == "yes" and confirm != "yes":
            raise ValidationError(
                "tick the box to confirm: the old link stops working", field="new_link"
            )
        signup.change_settings(
            session,
            a.who.actor,
            a.program.id,
            open=open == "yes",
            approval=approval == "yes",
            domains=domains,
            now=moment,
            mail_ready=request.app.state.settings.mail_enabled(),
            new_link=new_link == "yes",
        )
    except (ValidationError, MailNotConfigured) as error:
        session.rollback()
        name = field_name(error.field or "open")
        errors = {name: sentence(error.message)}
        form = (
            {} if name == "new_link" else {"open": open, "approval": approval, "domains": domains}
        )
        return _show(request, a, session, status(error), errors=errors, form=form)
    saved = "link" if new_link == "yes" else "settings"
    return RedirectResponse(
        f"/admin/programs/{a.program.id}/signups?saved={saved}", status_code=303
    )


@router.post("/decide")
def decide(
    request: Request,
    moment: Clock,
    decision: FormText = "",
    confirm: FormText = "",
    person_id: Annotated[list[str] | None, Form()] = None,
    a: ProgrammeAdmin = Depends(programme_admin_changing),
    session: Session = Depends(db_session),
) -> Response:
    chosen = [int(p) for p in person_id or [] if p.isdigit() and 1 <= int(p) <= MAX_ID]
    try:
        if decision not in ("approve", "decline", "approve-declined"):
            raise ValidationError("choose approve or decline", field="person_ids")
        if decision == "decline" and confirm != "yes":
            raise ValidationError(
                "tick the box to confirm: each declined person is mailed 'not this time'",
                field="confirm",
            )
        moved = signup.decide(
            session,
            a.who.actor,
            a.program.id,
            chosen,
            approve=decision != "decline",
            now=moment,
            base_url=request.app.state.settings.base_url,
            after_all=decision == "approve-declined",
        )
    except ValidationError as error:
        session.rollback()
        errors = {error.field or "person_ids": sentence(error.message)}
        return _show(request, a, session, status(error), errors=errors, form={"chosen": chosen})
    verb = "declined" if decision == "decline" else "approved"
    return RedirectResponse(
        f"/admin/programs/{a.program.id}/signups?{verb}={moved}", status_code=303
    )
