"""Erasure reaches the inputs a match run keeps: the erased person's record leaves every
stored run, and so does every other mention of their employee id."""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from peermentor.demo_org import generate_organisation
from peermentor.domain.people import PersonRecord
from peermentor.matching.run_inputs import RunInputs
from peermentor.people_csv import serialize_people_csv
from peermentor.services.access import SYSTEM
from peermentor.services.matching import publish_program_draft, run_match, score_rows
from peermentor.services.people import import_people
from peermentor.services.personal_data import erase_person
from peermentor.store.models import MatchRun, Person
from tests.programs import pid
from tests.store.workspace.factories import NOW, make_person, make_program


def test_an_erased_person_leaves_the_inputs_of_every_run(session: Session) -> None:
    people = generate_organisation(20, seed=7)
    managers = {p.manager_id for p in people}
    gone = next(p for p in people if p.employee_id in managers and p.goal_statement)
    import_people(session, SYSTEM, "Cohort", serialize_people_csv(people).encode())
    outcome = run_match(session, SYSTEM, pid(session, "Cohort"))
    publish_program_draft(session, SYSTEM, pid(session, "Cohort"))
    reports_to_gone = [p.employee_id for p in people if p.manager_id == gone.employee_id]
    assert reports_to_gone
    run = session.get_one(MatchRun, outcome.run_id)
    assert gone.employee_id in json.dumps(run.inputs)

    erasure = erase_person(session, SYSTEM, gone.employee_id, NOW)

    session.expire_all()
    run = session.get_one(MatchRun, outcome.run_id)
    stored = json.dumps(run.inputs)
    for value in (gone.employee_id, gone.name, gone.email, gone.goal_statement):
        assert value not in stored
    assert erasure.counts["match_run_inputs"] == 1
    pool = {r["employee_id"]: r for r in run.inputs["pool"]}
    assert len(pool) == len(people) - 1 and gone.employee_id not in pool
    assert all(pool[e]["manager_id"] is None for e in reports_to_gone)
    # The run's scores are still served, for the people who stay.
    ids = {
        e for a, b, _ in score_rows(session, SYSTEM, pid(session, "Cohort"), run.id) for e in (a, b)
    }
    assert ids and gone.employee_id not in ids


def test_an_id_that_json_escapes_is_found_and_erased(session: Session) -> None:
    program = make_program(session, "Cohort")
    zoe, kim = make_person(session, 'Zoë "Z" Ünal'), make_person(session, "Kim Park")
    records = [
        PersonRecord(employee_id=p.employee_id, name=p.name, email=p.email, years_experience=5)
        for p in (zoe, kim)
    ]
    records[1] = PersonRecord(
        employee_id=kim.employee_id,
        name=kim.name,
        email=kim.email,
        years_experience=5,
        manager_id=zoe.employee_id,
        do_not_match=(zoe.employee_id,),
    )
    inputs = RunInputs.of(records, [frozenset((zoe.employee_id, kim.employee_id))], [])
    session.add(MatchRun(program_id=program.id, inputs=inputs.to_json()))
    session.commit()

    erase_person(session, SYSTEM, zoe.employee_id, NOW)

    session.expire_all()
    stored = session.scalars(select(MatchRun)).one().inputs
    assert stored is not None
    assert [r["employee_id"] for r in stored["pool"]] == [kim.employee_id]
    assert stored["pool"][0]["manager_id"] is None and stored["pool"][0]["do_not_match"] == []
    assert stored["past_partners"] == []
    assert session.get(Person, zoe.id) is None
