"""Programme admins ask the matching engine: why are these two people not paired?

The same use case as `peermentor match why-not` and the review page's question: the
hard rule that keeps two enrolled people apart, or what pairing them would cost
against their current (draft or live) partners.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query
from pydantic import Field

from peermentor.services import matching as matching_service
from peermentor.web.api.common import Db, Out, PathId, api_router, programme_admin_reading
from peermentor.web.deps import Caller

router = api_router("programme admin")
ProgrammeAdmin = Annotated[Caller, Depends(programme_admin_reading)]
EmployeeId = Annotated[str, Query(min_length=1, max_length=200, description="an employee id")]


class WhyNotOut(Out):
    a: str
    b: str
    answer: str = Field(description="the rule that keeps them apart, or what pairing them costs")


@router.get(
    "/programs/{program_id}/why-not",
    response_model=WhyNotOut,
    summary="Why are these two enrolled people not paired?",
)
def why_not(
    program_id: PathId, who: ProgrammeAdmin, session: Db, a: EmployeeId, b: EmployeeId
) -> WhyNotOut:
    answer = matching_service.why_not(session, who.actor, program_id, a, b)
    return WhyNotOut(a=a.strip(), b=b.strip(), answer=answer)
