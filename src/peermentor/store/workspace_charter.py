"""Charters: every version kept with its goals, and the agreements to each version."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from peermentor.domain.charter import (
    Agreement,
    Cadence,
    CadenceKind,
    Charter,
    CharterVersion,
    Goal,
    Norms,
)
from peermentor.store.workspace_models import CharterAgreement, CharterGoal, CharterVersionRow
from peermentor.store.workspace_repo import as_utc, member_id, person_id, to_store


def load_charter(session: Session, pairing_id: int, members: tuple[str, ...]) -> Charter | None:
    versions = list(
        session.scalars(
            select(CharterVersionRow)
            .where(CharterVersionRow.pairing_id == pairing_id)
            .order_by(CharterVersionRow.version)
        )
    )
    if not versions:
        return None
    goals: dict[int, list[Goal]] = defaultdict(list)
    for g in session.scalars(
        select(CharterGoal)
        .where(CharterGoal.version_id.in_([v.id for v in versions]))
        .order_by(CharterGoal.version_id, CharterGoal.position)
    ):
        goals[g.version_id].append(Goal(member_id(g.person_id), g.text))
    history = tuple(
        CharterVersion(
            version=v.version,
            purpose=v.purpose,
            goals=tuple(goals[v.id]),
            cadence=Cadence(CadenceKind(v.cadence_kind), v.cadence_every_days),
            norms=Norms(v.norm_confidentiality, v.norm_candour, v.norm_other),
            edited_by=member_id(v.edited_by),
            edited_at=as_utc(v.edited_at),
        )
        for v in versions
    )
    agreements = tuple(
        Agreement(member_id(a.person_id), a.version, as_utc(a.at))
        for a in session.scalars(
            select(CharterAgreement)
            .where(CharterAgreement.pairing_id == pairing_id)
            .order_by(CharterAgreement.id)
        )
    )
    return Charter(members=members, current=history[-1], agreements=agreements, history=history)


def save_charter(session: Session, pairing_id: int, before: Charter | None, after: Charter) -> None:
    """Versions and agreements are only ever added: the history is the record."""
    known = {v.version for v in before.history} if before else set()
    for v in after.history:
        if v.version in known:
            continue
        row = CharterVersionRow(
            pairing_id=pairing_id,
            version=v.version,
            purpose=v.purpose,
            cadence_kind=v.cadence.kind.value,
            cadence_every_days=v.cadence.every_days,
            norm_confidentiality=v.norms.confidentiality,
            norm_candour=v.norms.candour,
            norm_other=v.norms.other,
            edited_by=person_id(v.edited_by),
            edited_at=to_store(v.edited_at),
        )
        session.add(row)
        session.flush()
        session.add_all(
            CharterGoal(
                version_id=row.id, person_id=person_id(g.member_id), position=i, text=g.text
            )
            for i, g in enumerate(v.goals)
        )
    already = len(before.agreements) if before else 0
    session.add_all(
        CharterAgreement(
            pairing_id=pairing_id,
            person_id=person_id(a.member_id),
            version=a.version,
            at=to_store(a.at),
        )
        for a in after.agreements[already:]
    )
    session.flush()
