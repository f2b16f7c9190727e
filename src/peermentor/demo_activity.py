"""A year of believable activity for the demo's (and the benchmarks') pairings.

Each proposed pairing is given one story, drawn from a seeded generator: it thrives
(meets every few weeks, checks in high, gives feedback both ways, may renew), fizzles
(two sessions, then silence), goes one-sided (one member gives, the other takes), closes
after half a year, is declined, or is still waiting for an answer. The rows are written
in bulk, straight into the workspace tables, so that 20,000 pairings take seconds; the
words in them are placeholders, since only counts are ever shown to admins.
"""

from __future__ import annotations

import random
from collections.abc import Collection
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from peermentor.domain.roleplay import roles_for
from peermentor.store.bulk import catch_up_id_sequence
from peermentor.store.models import Enrolment, MatchRun, Pairing, PairingMember, Person, Program
from peermentor.store.workspace_models import (
    CharterAgreement,
    CharterVersionRow,
    CheckInRow,
    FeedbackRow,
    GapRow,
    GuidanceRequestRow,
    PairingResponse,
    PairingTransition,
    RolePlayRow,
    RolePlaySchedule,
    SessionContribution,
    SessionLog,
)

STORIES = (
    ("thrive", 0.38),
    ("fizzle", 0.2),
    ("one_sided", 0.14),
    ("close", 0.14),
    ("declined", 0.08),
    ("waiting", 0.06),
)
SCENARIOS = ("onboarding-new-hire", "difficult-feedback")
BATCH = 5_000


class _Rows:
    """Rows to insert, table by table, in batches; ids handed out here."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.rows: dict[type, list[dict[str, Any]]] = {}
        self.next_id: dict[type, int] = {}

    def add(self, table: type, **values: Any) -> int:
        if table not in self.next_id:
            last = self.session.scalar(select(table.id).order_by(table.id.desc()).limit(1))  # type: ignore[attr-defined]
            self.next_id[table] = (last or 0) + 1
        values.setdefault("id", self.next_id[table])
        self.next_id[table] = values["id"] + 1
        self.rows.setdefault(table, []).append(values)
        return int(values["id"])

    def flush(self) -> None:
        for table, rows in self.rows.items():
            for start in range(0, len(rows), BATCH):
                self.session.execute(insert(table), rows[start : start + BATCH])
            # The ids were handed out here: the next ORM insert must not reuse one.
            catch_up_id_sequence(self.session, table.__table__)  # type: ignore[attr-defined]
        self.rows.clear()


def _story(rng: random.Random) -> str:
    roll, total = rng.random(), 0.0
    for name, share in STORIES:
        total += share
        if roll < total:
            return name
    return STORIES[0][0]


def _at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def furnish_year(
    session: Session,
    program_id: int,
    now: datetime,
    seed: int = 11,
    keep: Collection[int] = (),
) -> dict[str, int]:
    """Give every proposed pairing of the programme (but those in `keep`) a story over
    the year before `now`; returns how many pairings got each story. No commit."""
    rng = random.Random(seed)
    members: dict[int, list[int]] = {}
    for pairing_id, person_id in session.execute(
        select(PairingMember.pairing_id, PairingMember.person_id)
        .join(Pairing, Pairing.id == PairingMember.pairing_id)
        .where(Pairing.program_id == program_id, Pairing.state == "proposed")
        .order_by(PairingMember.pairing_id, PairingMember.id)
    ):
        if pairing_id not in keep:
            members.setdefault(pairing_id, []).append(person_id)
    rows = _Rows(session)
    told: dict[str, int] = {}
    year_ago = (now - timedelta(days=365)).date()
    # The match was published a year ago: every pairing was proposed then.
    session.execute(
        update(MatchRun)
        .where(MatchRun.program_id == program_id, MatchRun.status == "published")
        .values(published_at=_at(year_ago), created_at=_at(year_ago))
    )
    heads: list[dict[str, Any]] = []
    for pairing_id, group in members.items():
        story = _story(rng)
        told[story] = told.get(story, 0) + 1
        heads.append(_tell(rows, rng, pairing_id, group, story, year_ago, now))
        if len(rows.rows.get(SessionLog, ())) > BATCH:
            rows.flush()
    rows.flush()
    for start in range(0, len(heads), BATCH):
        session.execute(update(Pairing), heads[start : start + BATCH])
    session.flush()
    return told


def _tell(
    rows: _Rows,
    rng: random.Random,
    pid: int,
    group: list[int],
    story: str,
    year_ago: date,
    now: datetime,
) -> dict[str, Any]:
    proposed = year_ago + timedelta(days=rng.randint(0, 20))
    head: dict[str, Any] = {"id": pid, "proposed_at": _at(proposed)}
    today = now.date()
    if story == "waiting":
        # Proposed lately (a rematch), and one member has not answered yet.
        late = today - timedelta(days=rng.randint(1, 20))
        head["proposed_at"] = _at(late)
        rows.add(
            PairingResponse,
            pairing_id=pid,
            person_id=group[0],
            accepted=True,
            reason="",
            at=_at(late, 12),
        )
        return head
    if story == "declined":
        rows.add(
            PairingResponse,
            pairing_id=pid,
            person_id=group[0],
            accepted=False,
            reason="…",
            at=_at(proposed + timedelta(days=2)),
        )
        rows.add(
            PairingTransition,
            pairing_id=pid,
            action="decline",
            from_state="proposed",
            to_state="dissolved",
            at=_at(proposed + timedelta(days=2)),
            by_person_id=group[0],
            reason="",
        )
        return head | {"state": "dissolved", "ended_at": _at(proposed + timedelta(days=2))}
    accepted = proposed + timedelta(days=rng.randint(1, 9))
    for person in group:
        rows.add(
            PairingResponse,
            pairing_id=pid,
            person_id=person,
            accepted=True,
            reason="",
            at=_at(accepted),
        )
    rows.add(
        PairingTransition,
        pairing_id=pid,
        action="accept",
        from_state="proposed",
        to_state="active",
        at=_at(accepted),
        by_person_id=group[-1],
        reason="",
    )
    head |= {"state": "active", "activated_at": _at(accepted)}

    # How the year goes: how long it lasts, how often they meet, how warm it is.
    span = {"thrive": 340, "fizzle": rng.randint(40, 80), "one_sided": 300, "close": 180}[story]
    every = {
        "thrive": rng.randint(14, 24),
        "fizzle": 25,
        "one_sided": rng.randint(20, 35),
        "close": rng.randint(18, 28),
    }[story]
    warmth = {"thrive": 4.3, "fizzle": 2.6, "one_sided": 3.0, "close": 3.8}[story]
    end = min(accepted + timedelta(days=span), today - timedelta(days=1))
    if story != "fizzle" or rng.random() < 0.7:
        rows.add(
            CharterVersionRow,
            pairing_id=pid,
            version=1,
            purpose="…",
            cadence_kind="monthly",
            cadence_every_days=None,
            norm_confidentiality=True,
            norm_candour=True,
            norm_other="",
            edited_by=group[0],
            edited_at=_at(accepted, 11),
        )
        for person in group:
            rows.add(
                CharterAgreement,
                pairing_id=pid,
                person_id=person,
                version=1,
                at=_at(accepted + timedelta(days=1)),
            )
    givers = group[:1] if story == "one_sided" else group
    day, held = accepted + timedelta(days=rng.randint(3, 10)), 0
    while day <= end and (story != "fizzle" or held < 2):
        sid = rows.add(
            SessionLog,
            pairing_id=pid,
            held_on=day,
            duration_minutes=45,
            topics=[],
            logged_by=group[0],
            logged_at=_at(day, 16),
        )
        for person in group:
            rows.add(
                SessionContribution,
                session_id=sid,
                person_id=person,
                gave=["…"] if person in givers else [],
                got=["…"],
            )
        held += 1
        day += timedelta(days=every + rng.randint(-4, 6))
    # A check-in a month by each member while the pairing lasts; warmth drifts.
    month = accepted + timedelta(days=28)
    while month <= end + timedelta(days=20) and month < today:
        for person in group:
            score = max(1, min(5, round(warmth + rng.uniform(-1.0, 0.9))))
            rows.add(
                CheckInRow,
                pairing_id=pid,
                person_id=person,
                at=_at(month, 9),
                trust=score,
                candour=max(1, score - rng.randint(0, 1)),
                mutual_benefit=score if story != "one_sided" else max(1, score - 2),
                progress=max(1, min(5, score + rng.randint(-1, 1))),
                note="",
            )
        if story == "fizzle":
            warmth = max(1.5, warmth - 0.4)
        month += timedelta(days=30)
    # Guidance: asked by the takers, answered by the givers (mostly, and in a day or two).
    for _ in range({"thrive": 4, "fizzle": 1, "one_sided": 4, "close": 3}[story]):
        asked = accepted + timedelta(days=rng.randint(5, max(6, (end - accepted).days)))
        if asked >= today:
            continue
        asker = group[-1] if story == "one_sided" else rng.choice(group)
        recipient = next(p for p in group if p != asker)
        answered = _at(asked) + timedelta(hours=rng.randint(3, 72))
        done = story != "fizzle" and rng.random() < 0.85 and answered < now
        rows.add(
            GuidanceRequestRow,
            pairing_id=pid,
            asker_id=asker,
            recipient_id=recipient,
            topic="…",
            detail="",
            gap_id=None,
            answer="…" if done else "",
            asked_at=_at(asked),
            answered_at=answered if done else None,
            closed_at=None,
        )
    if story != "fizzle":
        for n in range(rng.randint(1, 4)):
            given = accepted + timedelta(days=rng.randint(20, max(21, (end - accepted).days)))
            if given >= min(end, today):
                continue
            giver = group[0] if story == "one_sided" else group[n % len(group)]
            receiver = next(p for p in group if p != giver)
            rows.add(
                FeedbackRow,
                pairing_id=pid,
                giver_id=giver,
                receiver_id=receiver,
                dimension="behaviour",
                situation="…",
                behaviour="…",
                impact="…",
                suggestion="",
                given_at=_at(given, 15),
                acknowledged_at=None,
            )
        for n, status in enumerate(("closed", "in_progress", "open")[: rng.randint(1, 3)]):
            rows.add(
                GapRow,
                pairing_id=pid,
                owner_id=group[n % len(group)],
                title="…",
                category="skill",
                priority="now",
                position=n,
                status=status if story != "one_sided" or n else "open",
                milestone_key=None,
            )
        start = accepted + timedelta(days=14)
        rows.add(
            RolePlaySchedule,
            pairing_id=pid,
            start=start,
            cadence_kind="monthly",
            cadence_every_days=None,
        )
        kept = {"thrive": 12, "one_sided": 3, "close": 5}[story]
        for n in range(kept):
            on = date(
                start.year + (start.month + n - 1) // 12,
                (start.month + n - 1) % 12 + 1,
                min(start.day, 28),
            )
            if on >= min(end, today):
                break
            rows.add(
                RolePlayRow,
                pairing_id=pid,
                scenario_key=SCENARIOS[n % 2],
                sequence=n,
                scheduled_on=on,
                # A triad's role-plays rotate all three roles, as the workspace's do.
                roles=[
                    [int(m), role.value]
                    for m, role in roles_for(tuple(str(g) for g in group), n).items()
                ],
                completed_at=_at(on, 17),
            )
    if story == "close":
        head |= {"state": "completed", "ended_at": _at(end)}
        rows.add(
            PairingTransition,
            pairing_id=pid,
            action="complete",
            from_state="active",
            to_state="completed",
            at=_at(end),
            by_person_id=None,
            reason="",
        )
    elif story == "thrive" and rng.random() < 0.4:
        renewed = accepted + timedelta(days=180)
        head |= {"cycle": 2}
        rows.add(
            PairingTransition,
            pairing_id=pid,
            action="renew",
            from_state="active",
            to_state="active",
            at=_at(renewed),
            by_person_id=None,
            reason="",
        )
    return head


def generated_programme(
    session: Session, name: str, people: int, now: datetime, seed: int = 5
) -> int:
    """A programme of `people` generated people paired two by two by hand, in bulk (no
    engine: the benchmarks need 20,000 pairings in seconds); its pairings proposed a
    year before `now` under one published run. Returns the programme's id. No commit."""
    rng = random.Random(seed)
    departments = ("Engineering", "Sales", "Finance", "People", "Legal", "Support", "Design")
    locations = ("Paris", "Lisbon", "Berlin", "Toronto", "Remote")
    backgrounds = ("consulting", "startup", "public sector", "academia", "retail")
    program = Program(name=name, status="active", settings={})
    session.add(program)
    session.flush()
    first = (session.scalar(select(Person.id).order_by(Person.id.desc()).limit(1)) or 0) + 1
    person_rows = [
        {"id": first + n, "employee_id": f"G{seed:02d}{n:07d}", "name": f"Person {n}",
         "email": f"p{seed}-{n}@example.org", "department": rng.choice(departments),
         "location": rng.choice(locations), "years_experience": rng.randint(0, 25),
         "background": [rng.choice(backgrounds)], "languages": [], "skills_offered": [],
         "skills_sought": [], "career_goals": [], "challenges": [], "do_not_match": [],
         "created_at": now, "updated_at": now}
        for n in range(people)
    ]  # fmt: skip
    for start in range(0, people, BATCH):
        session.execute(insert(Person), person_rows[start : start + BATCH])
        session.execute(
            insert(Enrolment),
            [{"program_id": program.id, "person_id": r["id"], "status": "enrolled",
              "enrolled_at": now} for r in person_rows[start : start + BATCH]],
        )  # fmt: skip
    catch_up_id_sequence(session, Person.__table__)  # type: ignore[arg-type]
    run = MatchRun(program_id=program.id, status="published", settings={},
                   summary={"pairings": people // 2, "matched_people": people // 2 * 2,
                            "unmatched": people % 2, "gap": 0.004, "blocking_pairs": 3,
                            "quality": {"criterion_share": {"skills": 0.8, "goals": 0.6},
                                        "mean_score": 0.7, "worst_pair": {"score": 0.21}}},
                   created_at=now, published_at=now)  # fmt: skip
    session.add(run)
    session.flush()
    rows = _Rows(session)
    for n in range(people // 2):
        pid = rows.add(Pairing, program_id=program.id, match_run_id=run.id, state="proposed",
                       score=round(rng.uniform(0.2, 1.0), 3), components={}, pinned=False,
                       cycle=1, created_at=now, published_at=now, proposed_at=now)  # fmt: skip
        for person in (first + 2 * n, first + 2 * n + 1):
            rows.add(PairingMember, pairing_id=pid, person_id=person, explanation="")
    rows.flush()
    session.flush()
    return program.id


def furnish_demo(session: Session, program_id: int, logins: Any) -> str:
    """The demo's year: every proposed pairing but the one whose members have logins
    (they accept it themselves), its insight refreshed; returns the admin's landing page."""
    from peermentor.services.insight import refresh_programme

    emails = {email for email, _, _ in logins.participants}
    keep = set(
        session.scalars(
            select(PairingMember.pairing_id)
            .join(Person, Person.id == PairingMember.person_id)
            .where(Person.email.in_(emails))
        )
    )
    now = datetime.now(UTC)
    furnish_year(session, program_id, now, keep=keep)
    from peermentor.demo_outcomes import furnish_outcomes

    furnish_outcomes(session, program_id, now)
    refresh_programme(session, program_id, now)
    session.commit()
    return f"/admin/programs/{program_id}/insight"
