"""The insight refresh on a worked example: six pairs, what each did, counted by hand."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from peermentor.domain.insight import Hidden
from peermentor.services.insight import refresh_programme
from peermentor.services.insight_view import programme_insight
from peermentor.services.workspace.checkins import check_in
from peermentor.services.workspace.guidance import answer_request, ask_for_guidance
from peermentor.services.workspace.sessions import log_session
from peermentor.store import insight_repo
from tests.store.workspace.factories import ADMIN, NOW, make_cohort, participant

LATER = NOW + timedelta(days=5)


def test_counters_and_funnel_by_hand(session: Session) -> None:
    program, pairs = make_cohort(session, 6)
    # Pairs 0-3 meet: pair n holds n + 1 sessions (1, 2, 3, 4); pairs 4 and 5 never do.
    for n, (a, _b, pid) in enumerate(pairs[:4]):
        for k in range(n + 1):
            log_session(session, participant(a), pid, LATER, held_on=date(2026, 3, 2 + k),
                        duration_minutes=30, gave=["notes"])  # fmt: skip
    # Every pair checks in once: trust 4, candour 4, mutual 2, progress 2 (mean 3).
    for a, _b, pid in pairs:
        check_in(session, participant(a), pid, NOW, trust=4, candour=4, mutual_benefit=2,
                 progress=2)  # fmt: skip
    # Pair 0 asks and is answered 6 hours later.
    a, b, pid = pairs[0]
    req = ask_for_guidance(session, participant(a), pid, NOW, topic="Help")
    answer_request(session, participant(b), pid, int(req.request_id), "Sure",
                   NOW + timedelta(hours=6))  # fmt: skip
    session.commit()

    assert refresh_programme(session, program.id, LATER) == 6
    t = insight_repo.totals(session, program.id)
    assert t["pairings"] == 6 and t["matched"] == 12 and t["accepted"] == 12
    assert t["sessions"] == 1 + 2 + 3 + 4
    assert t["first_session"] == 8 and t["three_sessions"] == 4  # people: 4 pairs, 2 pairs
    assert t["checkins"] == 6 and t["requests_asked"] == 1 and t["requests_answered"] == 1
    assert t["answer_hours_sum"] == 6.0
    health = insight_repo.health_figures(session, program.id)
    assert health["checkin_pairings"] == 6 and health["trust"] == 4.0
    assert health["mutual_benefit"] == 2.0

    insight = programme_insight(session, ADMIN, program.id, LATER)
    steps = {s.key: s for s in insight.funnel}
    # Nobody agreed a charter (0), yet 8 people met: no drop-off from the step before.
    assert steps["charter"].people == 0
    assert steps["first_session"].people == 8 and steps["first_session"].dropped == 0
    assert steps["three_sessions"].people == Hidden(4)
    # March: 10 sessions over the 6 open pairings.
    [march] = [p for p in insight.sessions_per_month if p.period == date(2026, 3, 1)]
    assert (march.pairings, march.value) == (6, 10 / 6)
    # One pair asked: a share of 1 in 6 names too few to show.
    assert isinstance(dict(insight.exchange)["Asked for guidance"], Hidden)
    assert insight.answer_hours == Hidden(1)
