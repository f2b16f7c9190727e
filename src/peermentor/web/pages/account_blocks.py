"""The people a participant has blocked (name only), and removing a block after a
confirmation step. Each their own: nobody learns who blocked them."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from peermentor.domain.errors import ValidationError
from peermentor.services.leaving import blocked_name, my_blocks, require_participant, unblock
from peermentor.web.deps import MAX_ID, Caller, Clock, caller, csrf_protected, db_session
from peermentor.web.pages.account import NO_STORE
from peermentor.web.render import render

router = APIRouter(prefix="/account/blocks", include_in_schema=False)


def _show(request: Request, who: Caller, session: Session, **extra: Any) -> Response:
    context = {
        "caller": who,
        "participant": who.actor.person_id is not None,
        "blocks": my_blocks(session, who.actor),
        "removed": request.query_params.get("removed") == "1",
        "confirm": None,
    } | extra
    page = render(request, "account_blocks.html", context)
    page.headers.update(NO_STORE)
    return page


@router.get("")
def blocks_page(
    request: Request, who: Caller = Depends(caller), session: Session = Depends(db_session)
) -> Response:
    return _show(request, who, session)


@router.post("/remove")
def remove_block(
    request: Request,
    moment: Clock,
    person_id: Annotated[str, Form()] = "",
    confirmed: Annotated[str, Form()] = "",
    who: Caller = Depends(csrf_protected),
    session: Session = Depends(db_session),
) -> Response:
    """First post: the confirmation step (nothing changes); with `confirmed`: removed."""
    # Whose blocks first (an account with no person has none), then which one.
    require_participant(who.actor)
    if not person_id.isdigit() or not 1 <= int(person_id) <= MAX_ID:
        raise ValidationError("choose a person you have blocked", field="person_id")
    if not confirmed:
        name = blocked_name(session, who.actor, int(person_id))
        return _show(request, who, session, confirm=(int(person_id), name))
    unblock(session, who.actor, int(person_id), moment)
    return RedirectResponse("/account/blocks?removed=1", status_code=303)
