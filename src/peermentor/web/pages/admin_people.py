"""Admin pages: a programme's people (search, filters, paging), one person's page, and
the template file to fill in for an import. Thin: services.people_directory decides."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from peermentor.domain.profiles import MISSING_WORDS
from peermentor.services import people_directory as directory
from peermentor.web.deps import PathId, ProgrammeAdmin, db_session, programme_admin
from peermentor.web.render import render

router = APIRouter(prefix="/admin", include_in_schema=False)

SHOW_WORDS = {
    "all": "Everyone enrolled",
    "unmatched": "Not in a pairing",
    "paired": "In a pairing",
    "opted_out": "Opted out",
    "no_account": "No account yet",
    "incomplete": "Incomplete profile",
}


@router.get("/programs/{program_id}/people")
def people_list(
    request: Request,
    q: Annotated[str, Query(max_length=directory.MAX_SEARCH)] = "",
    show: Annotated[str, Query(max_length=20)] = "all",
    page: Annotated[int, Query(ge=1, le=directory.MAX_PAGE)] = 1,
    a: ProgrammeAdmin = Depends(programme_admin),
    session: Session = Depends(db_session),
) -> Response:
    found = directory.list_people(
        session, a.who.actor, a.program.id, search=q, show=show, page=page
    )
    context = {"caller": a.who, "program": a.program, "found": found, "shows": SHOW_WORDS}
    return render(request, "admin/people.html", context)


@router.get("/programs/{program_id}/people/{person_id}")
def person_page(
    request: Request,
    person_id: PathId,
    a: ProgrammeAdmin = Depends(programme_admin),
    session: Session = Depends(db_session),
) -> Response:
    profile = directory.person_profile(session, a.who.actor, a.program.id, person_id)
    missing = [MISSING_WORDS[f] for f in profile.incomplete]
    context = {"caller": a.who, "program": a.program, "profile": profile, "missing": missing}
    return render(request, "admin/person.html", context)


@router.get("/programs/{program_id}/people-template.csv")
def people_template(a: ProgrammeAdmin = Depends(programme_admin)) -> Response:
    return Response(
        directory.template_csv(),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": 'attachment; filename="people-template.csv"'},
    )
