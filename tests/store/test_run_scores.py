"""The scores of a stored match run, also after it was published (issue #10).

Before, `match scores` scored the pool that could be matched *now*: after a publish
everyone is in a live pairing, and the file had a header and nothing else. A run now
keeps what it was computed on, so an auditor gets every allowed pair of run N with its
score and can check the run's total with their own solver.
"""

from __future__ import annotations

import networkx as nx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from peermentor.demo_org import demo_people_csv
from peermentor.services.access import SYSTEM, Forbidden, InvalidInput, NotFound
from peermentor.services.matching import (
    MatchOutcome,
    export_rows,
    publish_program_draft,
    run_match,
    save_match_settings,
    score_rows,
)
from peermentor.services.people import import_people
from peermentor.store.models import MatchRun, Pairing
from tests.programs import pid
from tests.store.test_matching_service import PARTICIPANT


def _published_run(session: Session, name: str, people: int = 20, seed: int = 9) -> MatchOutcome:
    import_people(session, SYSTEM, name, demo_people_csv(people, seed=seed).encode())
    # Pairs only (no triads), so a max-weight matching is the same problem.
    save_match_settings(session, SYSTEM, pid(session, name), {"odd_mode": "waitlist"})
    outcome = run_match(session, SYSTEM, pid(session, name))
    publish_program_draft(session, SYSTEM, pid(session, name))
    return outcome


def _their_optimum(rows: list[tuple[str, str, float]]) -> float:
    graph = nx.Graph()
    graph.add_weighted_edges_from(rows)
    best = nx.max_weight_matching(graph, maxcardinality=True)
    return float(sum(graph[a][b]["weight"] for a, b in best))


def test_scores_after_publish_let_an_auditor_check_the_total(session: Session) -> None:
    outcome = _published_run(session, "Cohort")
    assert set(session.scalars(select(Pairing.state))) == {"proposed"}
    rows = list(score_rows(session, SYSTEM, pid(session, "Cohort")))  # default: the latest run
    assert rows, "the scores of a published run are not empty"
    scores = {frozenset((a, b)): s for a, b, s in rows}
    for pairing in outcome.result.pairings:
        assert scores.get(frozenset(pairing.members)) == pytest.approx(pairing.score, abs=1e-9)
    assert outcome.result.exact
    assert _their_optimum(rows) == pytest.approx(outcome.result.total_score, abs=1e-6)
    assert rows == list(score_rows(session, SYSTEM, pid(session, "Cohort"), outcome.run_id))


def test_an_earlier_run_keeps_its_own_scores_after_a_later_programme(session: Session) -> None:
    # Spring's pairs are past partners by the time Autumn runs on the same people: the
    # Spring run's scores must still allow them (they were allowed when it ran).
    spring = _published_run(session, "Spring", seed=5)
    autumn = _published_run(session, "Autumn", seed=5)
    spring_rows = list(score_rows(session, SYSTEM, pid(session, "Spring"), spring.run_id))
    autumn_rows = list(score_rows(session, SYSTEM, pid(session, "Autumn")))
    spring_pairs = {frozenset(p.members) for p in spring.result.pairings}
    assert spring_pairs <= {frozenset((a, b)) for a, b, _ in spring_rows}
    assert not spring_pairs & {frozenset((a, b)) for a, b, _ in autumn_rows}
    for outcome, rows in ((spring, spring_rows), (autumn, autumn_rows)):
        assert _their_optimum(rows) == pytest.approx(outcome.result.total_score, abs=1e-6)


def test_a_rerun_leaves_the_discarded_runs_scores_readable(session: Session) -> None:
    import_people(session, SYSTEM, "Cohort", demo_people_csv(12, seed=2).encode())
    first = run_match(session, SYSTEM, pid(session, "Cohort"))
    run_match(session, SYSTEM, pid(session, "Cohort"), mode="fair")
    assert session.get_one(MatchRun, first.run_id).status == "discarded"
    assert list(score_rows(session, SYSTEM, pid(session, "Cohort"), first.run_id))
    with pytest.raises(InvalidInput, match="discarded"):
        export_rows(session, SYSTEM, pid(session, "Cohort"), first.run_id)


def test_export_of_a_run_lists_its_pairings_after_publish(session: Session) -> None:
    outcome = _published_run(session, "Cohort", people=21)
    rows = list(export_rows(session, SYSTEM, pid(session, "Cohort"), outcome.run_id))
    assert rows == list(
        export_rows(session, SYSTEM, pid(session, "Cohort"))
    )  # the same pairings, now live
    placed = {r[0] for r in rows if r[1]}
    unmatched = {r[0] for r in rows if not r[1]}
    assert placed == {e for p in outcome.result.pairings for e in p.members}
    assert unmatched == {e for e, _ in outcome.result.unmatched}


def test_unknown_and_other_programmes_runs_are_not_found(session: Session) -> None:
    spring = _published_run(session, "Spring", people=8)
    import_people(session, SYSTEM, "Autumn", demo_people_csv(8, seed=3).encode())
    with pytest.raises(InvalidInput, match="no match run yet"):
        score_rows(session, SYSTEM, pid(session, "Autumn"))
    for run_id in (spring.run_id, spring.run_id + 1000, 0, -1, 2**31, 10**30):
        with pytest.raises(NotFound, match="has no match run"):
            score_rows(session, SYSTEM, pid(session, "Autumn"), run_id)
        with pytest.raises(NotFound, match="has no match run"):
            export_rows(session, SYSTEM, pid(session, "Autumn"), run_id)
    with pytest.raises(Forbidden):
        score_rows(session, PARTICIPANT, pid(session, "Spring"), spring.run_id)


def test_a_run_stored_before_runs_kept_inputs_says_so(session: Session) -> None:
    outcome = _published_run(session, "Cohort", people=8)
    session.get_one(MatchRun, outcome.run_id).inputs = None  # as migration 0007 leaves it
    session.commit()
    with pytest.raises(InvalidInput, match="stored before runs kept their inputs"):
        score_rows(session, SYSTEM, pid(session, "Cohort"))
