"""The match export writes formula-safe text cells and leaves its numbers alone."""

from __future__ import annotations

import dataclasses

from sqlalchemy.orm import Session

from peermentor.csv_safety import FORMULA_STARTS, unescape_cell
from peermentor.demo_org import generate_organisation
from peermentor.domain.people import PersonRecord
from peermentor.people_csv import serialize_people_csv
from peermentor.services.access import SYSTEM
from peermentor.services.matching import export_rows, run_match
from peermentor.services.people import export_people, import_people
from tests.programs import pid

FORMULA_IDS = ("=1+1", "+cmd", "-2", "@SUM", "'=x")


def formula_people(count: int = 12) -> list[PersonRecord]:
    """People whose ids start formulas: ids flow into every match CSV cell."""
    people = generate_organisation(count, seed=11)
    renamed = {
        p.employee_id: f"{FORMULA_IDS[i % len(FORMULA_IDS)]}{i}" for i, p in enumerate(people)
    }
    return [
        dataclasses.replace(
            p,
            employee_id=renamed[p.employee_id],
            manager_id=renamed.get(p.manager_id or "", p.manager_id),
            do_not_match=tuple(renamed.get(i, i) for i in p.do_not_match),
            name='=HYPERLINK("http://evil.example")',
        )
        for p in people
    ]


def test_match_export_escapes_ids_and_keeps_scores_as_numbers(session: Session) -> None:
    people = formula_people()
    import_people(session, SYSTEM, "Cohort", serialize_people_csv(people).encode())
    run_match(session, SYSTEM, pid(session, "Cohort"))
    rows = list(export_rows(session, SYSTEM, pid(session, "Cohort")))
    assert {unescape_cell(row[0]) for row in rows} == {p.employee_id for p in people}
    for employee_id, partner_ids, pairing_id, score, explanation in rows:
        for text in (employee_id, partner_ids, explanation):
            assert text[:1] not in FORMULA_STARTS, text
        assert employee_id.startswith("'")
        if pairing_id:
            assert pairing_id.isdigit() and float(score) == float(score.lstrip("'"))
            assert not score.startswith("'")
            partners = unescape_cell(partner_ids).split(";")
            assert all(partner in {p.employee_id for p in people} for partner in partners)


def test_people_export_with_formulas_reimports_unchanged(session: Session) -> None:
    people = formula_people(6)
    import_people(session, SYSTEM, "Cohort", serialize_people_csv(people).encode())
    exported = export_people(session, SYSTEM, pid(session, "Cohort"))
    assert "'=HYPERLINK" in exported and "\n=" not in exported and ",=" not in exported
    summary = import_people(session, SYSTEM, "Cohort", exported.encode())
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 6)
    assert export_people(session, SYSTEM, pid(session, "Cohort")) == exported
