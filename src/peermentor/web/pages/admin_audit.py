"""Admin page: the audit log, for organisation admins only."""

from __future__ import annotations

from datetime import UTC, date, datetime
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from peermentor.services import audit as audit_service
from peermentor.services.access import InvalidInput, require_org_admin
from peermentor.web.deps import Caller, db_session
from peermentor.web.pages.admin_programs import admin
from peermentor.web.refusals import status
from peermentor.web.render import render

router = APIRouter(prefix="/admin", include_in_schema=False)
PAGE_SIZE = 50
MAX_PAGE = 1_000_000  # far past any log; keeps the SQL offset a small number


def _since(value: str) -> datetime | None:
    if not value.strip():
        return None
    try:
        return datetime.combine(date.fromisoformat(value.strip()), datetime.min.time(), tzinfo=UTC)
    except ValueError:
        raise InvalidInput(f"since: {value!r} is not a date (YYYY-MM-DD)") from None


def _page(value: str) -> int:
    if not value.strip().isdigit() or not 1 <= int(value) <= MAX_PAGE:
        raise InvalidInput(f"page: a whole number from 1 to {MAX_PAGE:,}")
    return int(value)


@router.get("/audit")
def audit_log(
    request: Request,
    action: str = "",
    actor: str = "",
    since: str = "",
    page: str = "1",
    who: Caller = Depends(admin),
    session: Session = Depends(db_session),
) -> Response:
    require_org_admin(who.actor)  # programme admins manage programmes, not the server
    filters = {"action": action, "actor": actor.strip(), "since": since.strip()}
    error, code, total, number = None, 200, 0, 1
    entries: list[audit_service.AuditEntryView] = []
    try:
        number = _page(page)
        entries, total = audit_service.list_entries(
            session,
            who.actor,
            audit_service.AuditFilters(
                since=_since(since), actor_email=actor.strip() or None, action=action or None
            ),
            offset=(number - 1) * PAGE_SIZE,
            limit=PAGE_SIZE,
        )
    except InvalidInput as refused:
        error, code = str(refused), status(refused)
    kept = {key: value for key, value in filters.items() if value}
    return render(
        request,
        "admin/audit.html",
        {
            "caller": who,
            "entries": entries,
            "total": total,
            "page": number,
            "pages": max(1, -(-total // PAGE_SIZE)),
            "filters": filters,
            "actions": audit_service.ACTIONS,
            "error": error,
            "page_link": lambda n: "?" + urlencode(kept | {"page": n}),
        },
        status_code=code,
    )
