"""The charter: both members' goals before agreement, versions, agreement again after an edit."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from peermentor.domain.errors import InvalidTransition, NotReady, ValidationError
from peermentor.services.access import Forbidden
from peermentor.services.workspace.charter import (
    agree_charter,
    edit_charter,
    get_charter,
    set_my_goals,
)
from tests.store.workspace.factories import NOW, World, later


def write_agreeable_charter(w: World, session: Session) -> None:
    edit_charter(session, w.ana, w.pairing_id, NOW, purpose="Grow as leads", cadence="weekly")
    set_my_goals(session, w.ana, w.pairing_id, ["Lead a team of eight"], NOW)
    set_my_goals(session, w.kim, w.pairing_id, ["Speak at a conference"], NOW)


def test_there_is_no_charter_until_a_member_writes_one(pair: World, session: Session) -> None:
    assert get_charter(session, pair.kim, pair.pairing_id) is None
    with pytest.raises(NotReady):
        agree_charter(session, pair.kim, pair.pairing_id, NOW)


def test_a_charter_without_a_goal_from_each_member_cannot_be_agreed(
    pair: World, session: Session
) -> None:
    edit_charter(session, pair.ana, pair.pairing_id, NOW, purpose="Grow as leads")
    set_my_goals(session, pair.ana, pair.pairing_id, ["Lead a team"], NOW)
    with pytest.raises(NotReady, match=r"none yet from [A-Z]") as refused:
        agree_charter(session, pair.ana, pair.pairing_id, NOW)
    assert pair.mid("kim") not in str(refused.value)  # a name, not an internal id


def test_both_members_agree_and_the_partner_reads_it(pair: World, session: Session) -> None:
    write_agreeable_charter(pair, session)
    agree_charter(session, pair.ana, pair.pairing_id, later(hours=1))
    charter = agree_charter(session, pair.kim, pair.pairing_id, later(hours=2))
    assert charter.is_agreed
    stored = get_charter(session, pair.kim, pair.pairing_id)
    assert stored is not None and stored.is_agreed
    assert stored.goals_of(pair.mid("ana")) == ("Lead a team of eight",)
    assert stored.current.cadence.kind.value == "weekly"
    assert stored.current.edited_at == NOW


def test_an_edit_after_agreement_needs_agreement_again_and_keeps_history(
    pair: World, session: Session
) -> None:
    write_agreeable_charter(pair, session)
    agree_charter(session, pair.ana, pair.pairing_id, NOW)
    agree_charter(session, pair.kim, pair.pairing_id, NOW)
    edit_charter(
        session, pair.kim, pair.pairing_id, later(days=1), candour=False, other_norms="No phones"
    )
    charter = get_charter(session, pair.ana, pair.pairing_id)
    assert charter is not None and not charter.is_agreed
    assert charter.current.norms.other == "No phones" and not charter.current.norms.candour
    assert [v.version for v in charter.history] == [1, 2, 3, 4, 5]
    assert charter.history[-2].norms.candour  # the agreed words are still on record


def test_saving_the_same_words_keeps_the_agreement(pair: World, session: Session) -> None:
    write_agreeable_charter(pair, session)
    agree_charter(session, pair.ana, pair.pairing_id, NOW)
    agree_charter(session, pair.kim, pair.pairing_id, NOW)
    edit_charter(session, pair.ana, pair.pairing_id, later(days=1), purpose="Grow as leads")
    charter = get_charter(session, pair.kim, pair.pairing_id)
    assert charter is not None and charter.is_agreed


def test_bad_cadence_names_the_field(pair: World, session: Session) -> None:
    with pytest.raises(ValidationError) as caught:
        edit_charter(session, pair.ana, pair.pairing_id, NOW, cadence="hourly")
    assert caught.value.field == "cadence"
    with pytest.raises(ValidationError) as caught:
        edit_charter(session, pair.ana, pair.pairing_id, NOW, cadence="every_n_days")
    assert caught.value.field == "every_days"


def test_triad_charter_needs_goals_from_all_three(triad: World, session: Session) -> None:
    write_agreeable_charter(triad, session)
    with pytest.raises(NotReady, match=r"none yet from [A-Z]"):
        agree_charter(session, triad.lee, triad.pairing_id, NOW)
    set_my_goals(session, triad.lee, triad.pairing_id, ["Move into product"], NOW)
    for who in (triad.ana, triad.kim, triad.lee):
        charter = agree_charter(session, who, triad.pairing_id, NOW)
    assert charter.is_agreed


def test_outsider_and_admin_cannot_read_or_write_the_charter(pair: World, session: Session) -> None:
    write_agreeable_charter(pair, session)
    for actor in (pair.outsider, pair.admin):
        with pytest.raises(Forbidden):
            get_charter(session, actor, pair.pairing_id)
        with pytest.raises(Forbidden):
            edit_charter(session, actor, pair.pairing_id, NOW, purpose="hijack")
        with pytest.raises(Forbidden):
            agree_charter(session, actor, pair.pairing_id, NOW)


def test_a_charter_is_written_only_once_the_pairing_is_active(
    proposed: World, session: Session
) -> None:
    with pytest.raises(InvalidTransition):
        edit_charter(session, proposed.ana, proposed.pairing_id, NOW, purpose="Too early")
