"""Profiles people keep: reading, changing with the importer's rules, HR's fields
refused, the audit entry, suggestions from the programme, and the next match using
what changed."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from peermentor.demo_org import demo_people_csv
from peermentor.domain.errors import ValidationError, ValidationErrors
from peermentor.domain.profiles import COMPLETENESS_FIELDS, incomplete_fields
from peermentor.services import match_review
from peermentor.services.access import SYSTEM, Actor, Forbidden
from peermentor.services.matching import run_match, score_rows
from peermentor.services.people import export_people, import_people
from peermentor.services.profiles import my_profile, update_my_profile
from peermentor.store import profiles_repo
from peermentor.store.audit_models import AuditEntry
from peermentor.store.models import Pairing, PairingMember, Person
from peermentor.store.people_repo import stored_records
from tests.programs import pid

NOW = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)
SECRET = "PLANTED-profile-words-5e1f"


def _cohort(session: Session, n: int = 16, seed: int = 4) -> int:
    import_people(session, SYSTEM, "Cohort", demo_people_csv(n, seed=seed).encode())
    return pid(session, "Cohort")


def _first_person(session: Session) -> Person:
    person = session.scalars(select(Person).order_by(Person.id)).first()
    assert person is not None
    return person


def _actor(person: Person) -> Actor:
    return Actor(role="participant", user_id=None, person_id=person.id)


def _entries(session: Session) -> list[AuditEntry]:
    return list(session.scalars(select(AuditEntry).where(AuditEntry.action == "profile.updated")))


def test_my_profile_reads_my_record_with_the_programmes_tags(session: Session) -> None:
    _cohort(session)
    person = _first_person(session)
    profile = my_profile(session, _actor(person))
    assert (profile.name, profile.email, profile.employee_id) == (
        person.name,
        person.email,
        person.employee_id,
    )
    assert profile.skills_offered == tuple(person.skills_offered)
    assert profile.years_experience == person.years_experience
    # Suggestions: tags others in the programme use, most used first, not mine.
    everyone = stored_records(session, session.scalars(select(Person.id)))
    for column, suggested in profile.suggestions.items():
        assert len(suggested) <= 30
        mine = set(getattr(profile, column))
        assert not mine & set(suggested)
        used = {t: sum(t in getattr(r, column) for r in everyone.values()) for t in suggested}
        counts = [used[t] for t in suggested]
        assert counts == sorted(counts, reverse=True)
        assert all(c >= 1 for c in counts)
    assert any(profile.suggestions.values()), "a demo cohort shares some tags"


def test_an_account_without_a_person_is_told_it_has_no_profile(session: Session) -> None:
    admin = Actor(role="org_admin", user_id=1, person_id=None)
    with pytest.raises(Forbidden, match="only a participant has a profile"):
        my_profile(session, admin)
    with pytest.raises(Forbidden, match="only a participant has a profile"):
        update_my_profile(session, admin, {"skills_offered": ["x"]}, NOW)


def test_an_update_changes_the_record_and_is_audited_without_its_words(
    session: Session,
) -> None:
    _cohort(session)
    person = _first_person(session)
    actor = _actor(person)
    changed = update_my_profile(
        session,
        actor,
        {
            "skills_offered": ["Negotiation", " pricing ", "", "Negotiation"],
            "goal_statement": f"  {SECRET}  ",
            "timezone": "Europe/Paris",
            "hours_per_month": "6.5",
            "opt_out": False if person.opt_out else person.opt_out,
            "languages": ["English; French"],  # ";" separates two, as in a CSV cell
        },
        NOW,
    )
    session.expire_all()
    stored = session.get(Person, person.id)
    assert stored is not None
    assert stored.skills_offered == ["Negotiation", "pricing"]
    assert stored.goal_statement == SECRET
    assert stored.timezone == "Europe/Paris"
    assert stored.hours_per_month == 6.5
    assert stored.languages == ["English", "French"]
    assert "opt_out" not in changed
    assert set(changed) <= {
        "skills_offered",
        "goal_statement",
        "timezone",
        "hours_per_month",
        "languages",
    }
    [entry] = _entries(session)
    assert entry.target_kind == "person" and entry.target_id == person.id
    assert entry.details == {"fields_changed": len(changed)}
    assert SECRET not in json.dumps(entry.details)
    # The same again changes nothing and records nothing.
    assert update_my_profile(session, actor, {"goal_statement": SECRET}, NOW) == ()
    assert len(_entries(session)) == 1
    # An export re-imports unchanged: the profile's values are the importer's.
    csv_text = export_people(session, SYSTEM, pid(session, "Cohort"))
    assert SECRET in csv_text


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"hours_per_month": "-2"}, "hours_per_month"),
        ({"hours_per_month": "nan"}, "hours_per_month"),
        ({"hours_per_month": float("inf")}, "hours_per_month"),
        ({"opt_out": "maybe"}, "opt_out"),
        ({"skills_sought": ["x" * 201]}, "skills_sought"),
        ({"skills_sought": [f"tag {i}" for i in range(101)]}, "skills_sought"),
        ({"goal_statement": "g" * 5_001}, "goal_statement"),
        ({"goal_statement": "nul \x00 inside"}, "goal_statement"),
        ({"background": "not a list"}, "background"),
        ({"name": "A new name"}, "name"),
        ({"years_experience": 30}, "years_experience"),
        ({"do_not_match": ["E1"]}, "do_not_match"),
        ({"favourite_colour": "blue"}, "favourite_colour"),
    ],
)
def test_a_bad_value_is_refused_by_field_and_nothing_is_written(
    session: Session, changes: dict[str, object], field: str
) -> None:
    _cohort(session, n=6)
    person = _first_person(session)
    before = profiles_repo.record_of(session, person.id)
    with pytest.raises(ValidationError) as refused:
        update_my_profile(session, _actor(person), {"skills_offered": ["kept?"]} | changes, NOW)
    assert refused.value.field == field
    session.rollback()
    assert profiles_repo.record_of(session, person.id) == before
    assert _entries(session) == []


def test_an_hr_field_is_refused_by_name_with_whom_to_ask(session: Session) -> None:
    _cohort(session, n=6)
    person = _first_person(session)
    with pytest.raises(ValidationError) as refused:
        update_my_profile(session, _actor(person), {"department": "Sales"}, NOW)
    assert refused.value.field == "department"
    assert "kept by HR" in refused.value.message


def test_every_refused_value_is_named_at_once(session: Session) -> None:
    _cohort(session, n=6)
    person = _first_person(session)
    with pytest.raises(ValidationErrors) as refused:
        update_my_profile(
            session,
            _actor(person),
            {"timezone": "Nowhere", "hours_per_month": "lots", "level": 3},
            NOW,
        )
    assert {p.field for p in refused.value.problems} == {"timezone", "hours_per_month", "level"}


def test_the_incomplete_rule_and_its_sql_agree(session: Session) -> None:
    program_id = _cohort(session, n=12, seed=7)
    people = session.scalars(select(Person).order_by(Person.id)).all()
    # Make some incomplete by their own hand, one field each.
    for person, column in zip(people[:5], COMPLETENESS_FIELDS, strict=True):
        update_my_profile(session, _actor(person), {column: []}, NOW)
    records = stored_records(session, [p.id for p in people])
    expected = sum(bool(incomplete_fields(r)) for r in records.values())
    assert expected >= 5
    assert profiles_repo.incomplete_count(session, program_id) == (expected, len(people))
    flagged = set(session.scalars(select(Person.id).where(profiles_repo.incomplete_condition())))
    assert flagged == {pk for pk, r in records.items() if incomplete_fields(r)}


def test_a_profile_edit_changes_the_next_matchs_scores_and_explanations(
    session: Session,
) -> None:
    program_id = _cohort(session, n=20, seed=11)
    run_match(session, SYSTEM, program_id, now=NOW)
    pairing = session.scalars(
        select(Pairing).where(Pairing.program_id == program_id).order_by(Pairing.id)
    ).first()
    assert pairing is not None
    members = session.scalars(
        select(PairingMember)
        .where(PairingMember.pairing_id == pairing.id)
        .order_by(PairingMember.id)
    ).all()
    me, them = members[0].person, members[1].person
    # Locked, so the rerun keeps the pair and says again why they were matched.
    match_review.set_locked(session, SYSTEM, program_id, pairing.id, True)

    def pair_score() -> float:
        key = frozenset((me.employee_id, them.employee_id))
        for a, b, score in score_rows(session, SYSTEM, program_id):
            if frozenset((a, b)) == key:
                return score
        raise AssertionError("the pair is allowed")

    def explanation() -> str:
        session.expire_all()
        mine = session.scalars(
            select(PairingMember)
            .join(Pairing, Pairing.id == PairingMember.pairing_id)
            .where(
                Pairing.program_id == program_id,
                Pairing.state == "draft",
                PairingMember.person_id == me.id,
            )
        ).one()
        return mine.explanation

    score_before, why_before = pair_score(), explanation()
    # What I want to learn is what my partner offers, and I offer what they seek: the
    # two-way value counts the direction that helps least, so both are needed.
    offered = tuple(them.skills_offered)
    sought = tuple(them.skills_sought)
    assert offered and sought, "the demo gives everyone skills"
    update_my_profile(
        session,
        _actor(me),
        {"skills_sought": list(offered), "skills_offered": list(sought)},
        NOW,
    )
    run_match(session, SYSTEM, program_id, now=NOW)
    score_after, why_after = pair_score(), explanation()
    assert score_after > score_before
    assert why_after != why_before
    assert any(skill in why_after for skill in offered)


def test_a_later_import_keeps_what_the_person_saved_and_brings_hrs_changes(
    session: Session,
) -> None:
    program_id = _cohort(session, n=6)
    person = _first_person(session)
    update_my_profile(
        session, _actor(person), {"skills_sought": ["Negotiation"], "timezone": "Asia/Tokyo"}, NOW
    )
    untouched = session.scalars(select(Person).order_by(Person.id.desc())).first()
    assert untouched is not None and untouched.id != person.id

    # HR's next file: new job titles for everyone, and its own (older) skills.
    rows = list(csv.DictReader(io.StringIO(demo_people_csv(6, seed=4))))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows([row | {"job_title": "Principal Analyst"} for row in rows])
    changed = buffer.getvalue().splitlines()
    summary = import_people(session, SYSTEM, "Cohort", ("\n".join(changed) + "\n").encode())
    assert summary.updated == 6 and program_id
    session.expire_all()
    kept = session.get(Person, person.id)
    assert kept is not None
    assert kept.job_title == "Principal Analyst"  # HR's field: the file's
    assert (kept.skills_sought, kept.timezone) == (["Negotiation"], "Asia/Tokyo")  # theirs
    other = session.get(Person, untouched.id)
    assert other is not None and other.job_title == "Principal Analyst"

    # The same file again changes nothing, the kept profile included.
    again = import_people(session, SYSTEM, "Cohort", ("\n".join(changed) + "\n").encode())
    assert (again.updated, again.unchanged) == (0, 6)
