"""Property: however people ask, answer and withdraw, choosing never breaks a hard
rule, a pause, a block or a capacity, and the run after a window leaves the chosen
pairs as they are. Generated cohorts with management chains, do-not-match lists,
programme rules, blocks, pauses and second-pairing capacity."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from peermentor.domain.errors import DomainError
from peermentor.matching.rules import RuleContext, pair_rule
from peermentor.services import self_match
from peermentor.services.access import SYSTEM
from peermentor.services.matching import program_match_settings, run_match, save_match_settings
from peermentor.services.people import import_people
from peermentor.services.programs import get_program_by_id
from peermentor.store import leave_repo, people_repo
from peermentor.store.models import Pairing, PairingMember, Person
from peermentor.store.self_match_models import SelfMatchRequest
from tests.programs import pid
from tests.store.test_leaving import actor_of

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
HEADER = (
    "employee_id,name,email,manager_id,department,team,level,years_experience,"
    "skills_offered,skills_sought,career_goals,challenges,hours_per_month,do_not_match"
)
SKILLS = ["hiring", "coaching", "pricing", "writing"]
COUNTER = itertools.count()


def people_csv(data: st.DataObject, prefix: str, n: int) -> str:
    rows = []
    for i in range(n):
        manager = data.draw(st.one_of(st.none(), st.integers(0, i - 1))) if i else None
        offered = data.draw(st.lists(st.sampled_from(SKILLS), min_size=1, max_size=3, unique=True))
        sought = data.draw(st.lists(st.sampled_from(SKILLS), min_size=1, max_size=3, unique=True))
        avoid = data.draw(st.lists(st.integers(0, n - 1), max_size=1))
        rows.append(
            ",".join(
                [
                    f"{prefix}{i}",
                    f"Person {prefix}{i}",
                    f"{prefix.lower()}{i}@example.com",
                    f"{prefix}{manager}" if manager is not None else "",
                    data.draw(st.sampled_from(["Sales", "Legal", "Ops"])),
                    data.draw(st.sampled_from(["North", "South"])),
                    str(data.draw(st.integers(2, 6))),
                    str(data.draw(st.integers(1, 20))),
                    ";".join(offered),
                    ";".join(sought),
                    "grow",
                    "delegation",
                    "4",
                    ";".join(f"{prefix}{j}" for j in avoid if j != i),
                ]
            )
        )
    return "\n".join([HEADER, *rows]) + "\n"


def live_groups(session: Session, program_id: int, states: tuple[str, ...]) -> dict[int, set[str]]:
    out: dict[int, set[str]] = {}
    rows = session.execute(
        select(Pairing.id, Person.employee_id)
        .join(PairingMember, PairingMember.pairing_id == Pairing.id)
        .join(Person, Person.id == PairingMember.person_id)
        .where(Pairing.program_id == program_id, Pairing.state.in_(states))
    )
    for pairing_id, e in rows:
        out.setdefault(pairing_id, set()).add(e)
    return out


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.data())
def test_choosing_never_breaks_a_rule_or_a_capacity(session: Session, data: st.DataObject) -> None:
    session.rollback()
    prefix = f"P{next(COUNTER)}x"
    n = data.draw(st.integers(6, 11), label="people")
    name = f"Choosing {prefix}"
    import_people(session, SYSTEM, name, people_csv(data, prefix, n).encode())
    program_id = pid(session, name)
    rules_chosen = {
        "forbid_same_team": data.draw(st.booleans(), label="same team"),
        "max_level_gap": data.draw(st.sampled_from([None, 1, 2]), label="level gap"),
    }
    save_match_settings(session, SYSTEM, program_id, rules_chosen)
    self_match.change_settings(
        session,
        SYSTEM,
        program_id,
        mode="self",
        window_ends=None,
        reply_days=7,
        suggestions=3,
        now=NOW,
    )
    ids = {
        f"{prefix}{i}": people_repo.existing_ids(session, [f"{prefix}{i}"])[f"{prefix}{i}"]
        for i in range(n)
    }
    employee_of = {v: k for k, v in ids.items()}
    paused = data.draw(st.sets(st.sampled_from(sorted(ids)), max_size=2), label="paused")
    two = data.draw(st.sets(st.sampled_from(sorted(ids)), max_size=3), label="open to two")
    blocks = data.draw(
        st.lists(st.tuples(st.sampled_from(sorted(ids)), st.sampled_from(sorted(ids))), max_size=3),
        label="blocks",
    )
    for e in sorted(ids):
        until = (NOW + timedelta(days=30)).date() if e in paused else None
        leave_repo.set_availability(session, program_id, ids[e], until, 2 if e in two else 1, NOW)
    blocked = set()
    for x, y in blocks:
        if x != y:
            leave_repo.add_block(session, ids[x], ids[y], NOW)
            blocked.add(frozenset((x, y)))
    session.commit()

    program = get_program_by_id(session, SYSTEM, program_id)
    records = list(people_repo.enrolled_records(session, program_id))
    ctx = RuleContext.build(records, program_match_settings(program))

    def allowed(a: str, b: str) -> bool:
        return pair_rule(a, b, ctx) is None and frozenset((a, b)) not in blocked

    steps = data.draw(
        st.lists(
            st.tuples(
                st.sampled_from(
                    [
                        "ask best",
                        "ask best",
                        "ask anyone",
                        "accept",
                        "accept",
                        "decline",
                        "withdraw",
                    ]
                ),
                st.sampled_from(sorted(ids)),
                st.sampled_from(sorted(ids)),
            ),
            min_size=4,
            max_size=16,
        ),
        label="steps",
    )
    for action, who, other in steps:
        actor = actor_of(session, who)
        try:
            if action.startswith("ask"):
                view = self_match.my_choosing(session, actor, program_id, NOW)
                for s in view.suggestions:  # nobody is ever suggested against a rule
                    e = employee_of[s.person_id]
                    assert allowed(who, e) and e not in paused and who not in paused
                target = (
                    view.suggestions[0].person_id
                    if action == "ask best" and view.suggestions
                    else ids[other]
                )
                self_match.ask(session, actor, program_id, target, NOW)
            else:  # the asked person answers (or the asker withdraws) an open request
                waiting = session.scalars(
                    select(SelfMatchRequest)
                    .where(
                        SelfMatchRequest.program_id == program_id,
                        SelfMatchRequest.status == "open",
                    )
                    .order_by(SelfMatchRequest.id)
                ).all()
                if not waiting:
                    continue
                r = waiting[sorted(ids).index(other) % len(waiting)]
                if action == "withdraw":
                    self_match.withdraw(
                        session, actor_of(session, employee_of[r.asker_id]), r.id, NOW
                    )
                else:
                    answerer = actor_of(session, employee_of[r.asked_id])
                    self_match.answer(session, answerer, r.id, action == "accept", NOW)
        except DomainError:
            session.rollback()  # a refusal writes nothing
    chosen = live_groups(session, program_id, ("active",))
    event(f"pairings chosen: {min(len(chosen), 2)}+")  # --hypothesis-show-statistics
    per_person = Counter(e for g in chosen.values() for e in g)
    for g in chosen.values():
        a, b = sorted(g)
        assert allowed(a, b), (a, b, pair_rule(a, b, ctx))
        assert not g & paused
    for e, count in per_person.items():
        assert count <= (2 if e in two else 1)
    partners = [frozenset(g) for g in chosen.values()]
    assert len(partners) == len(set(partners))  # never the same two twice

    # The window closes; the run pairs the rest and leaves the chosen pairs as they are.
    self_match.change_settings(
        session,
        SYSTEM,
        program_id,
        mode="both",
        window_ends=NOW.date(),
        reply_days=7,
        suggestions=3,
        now=NOW,
    )
    run_match(session, SYSTEM, program_id, now=NOW + timedelta(days=2))
    assert live_groups(session, program_id, ("active",)) == chosen
    drafts = live_groups(session, program_id, ("draft",))
    load = per_person + Counter(e for g in drafts.values() for e in g)
    for e, count in load.items():
        assert count <= (2 if e in two else 1)
    for g in drafts.values():
        assert frozenset(g) not in partners
