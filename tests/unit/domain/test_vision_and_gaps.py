import pytest

from peermentor.domain import gaps as gp
from peermentor.domain import vision as vs
from peermentor.domain.errors import NotAllowed, NotAMember, NotFound, ValidationError
from peermentor.domain.gaps import Priority
from tests.unit.domain.personas import ANA, KIM, NOW, OUTSIDER, PAIR, later

MILESTONES = (vs.Milestone("m1", "Lead a team of five"), vs.Milestone("m2", "Publish a talk"))


def ana_vision() -> vs.Vision:
    return vs.write_vision(
        PAIR, ANA, NOW, horizon_years=5, statement="Run my own product area", milestones=MILESTONES
    )


@pytest.mark.parametrize("horizon", [2, 6, 0, True, "5"])
def test_vision_horizon_is_three_four_or_five_years(horizon: object) -> None:
    with pytest.raises(ValidationError) as err:
        vs.write_vision(PAIR, ANA, NOW, horizon_years=horizon, statement="x")  # type: ignore[arg-type]
    assert err.value.field == "horizon_years"


def test_only_the_author_edits_a_vision() -> None:
    v = ana_vision()
    with pytest.raises(NotAllowed, match="belongs to ana"):
        vs.edit_vision(v, KIM, NOW, statement="Ana should stay put")
    edited = vs.edit_vision(v, ANA, later(days=1), horizon_years=3)
    assert (edited.horizon_years, edited.statement) == (3, "Run my own product area")


def test_outsider_cannot_write_a_vision_in_a_pairing() -> None:
    with pytest.raises(NotAMember):
        vs.write_vision(PAIR, OUTSIDER, NOW, horizon_years=3, statement="x")


def test_milestone_ids_must_be_unique() -> None:
    twice = (vs.Milestone("m1", "a"), vs.Milestone("m1", "b"))
    with pytest.raises(ValidationError, match="unique"):
        vs.write_vision(PAIR, ANA, NOW, horizon_years=4, statement="x", milestones=twice)


def board_with(*specs: tuple[str, Priority]) -> gp.GapBoard:
    board = gp.GapBoard(ANA)
    for gap_id, priority in specs:
        board = gp.add_gap(board, ANA, gap_id, title=gap_id, category="skill", priority=priority)
    return board


def ids(board: gp.GapBoard, priority: Priority) -> list[str]:
    return [g.gap_id for g in board.column(priority)]


def test_new_gaps_go_to_the_end_of_their_column() -> None:
    b = board_with(("a", Priority.NOW), ("b", Priority.NOW), ("c", Priority.NEXT))
    assert ids(b, Priority.NOW) == ["a", "b"]
    assert [g.position for g in b.column(Priority.NOW)] == [0, 1]
    assert ids(b, Priority.NEXT) == ["c"]


def test_moving_a_gap_between_priorities_renumbers_both_columns() -> None:
    b = board_with(("a", Priority.NOW), ("b", Priority.NOW), ("c", Priority.NOW))
    b = gp.add_gap(b, ANA, "x", title="x", category="network", priority="backburner")
    b = gp.move_gap(b, ANA, "b", Priority.BACKBURNER, 0)
    assert ids(b, Priority.NOW) == ["a", "c"]
    assert ids(b, Priority.BACKBURNER) == ["b", "x"]
    for p in Priority:
        assert [g.position for g in b.column(p)] == list(range(len(b.column(p))))
    assert b.get("b").priority is Priority.BACKBURNER


def test_moving_within_a_column_and_past_its_end() -> None:
    b = board_with(("a", Priority.NOW), ("b", Priority.NOW), ("c", Priority.NOW))
    assert ids(gp.move_gap(b, ANA, "c", "now", 0), Priority.NOW) == ["c", "a", "b"]
    assert ids(gp.move_gap(b, ANA, "a", "now", 99), Priority.NOW) == ["b", "c", "a"]


def test_reorder_sets_a_whole_column_and_refuses_a_partial_list() -> None:
    b = board_with(("a", Priority.NEXT), ("b", Priority.NEXT), ("c", Priority.NEXT))
    assert ids(gp.reorder(b, ANA, "next", ("c", "a", "b")), Priority.NEXT) == ["c", "a", "b"]
    with pytest.raises(ValidationError) as err:
        gp.reorder(b, ANA, "next", ("c", "a"))
    assert err.value.field == "gap_ids"


def test_removing_a_gap_closes_the_hole() -> None:
    b = gp.remove_gap(board_with(("a", Priority.NOW), ("b", Priority.NOW)), ANA, "a")
    assert [(g.gap_id, g.position) for g in b.column(Priority.NOW)] == [("b", 0)]


def test_peer_cannot_change_someone_elses_gaps() -> None:
    b = board_with(("a", Priority.NOW))
    with pytest.raises(NotAllowed, match="belong to ana"):
        gp.move_gap(b, KIM, "a", Priority.NEXT, 0)
    with pytest.raises(NotAllowed):
        gp.add_gap(b, KIM, "k", title="k", category="skill")


def test_gap_fields_are_validated_with_the_field_named() -> None:
    b = gp.GapBoard(ANA)
    with pytest.raises(ValidationError) as err:
        gp.add_gap(b, ANA, "g", title="t", category="charisma")
    assert err.value.field == "category" and "skill" in err.value.message
    with pytest.raises(ValidationError) as err:
        gp.add_gap(b, ANA, "g", title="t", category="skill", priority="someday")
    assert err.value.field == "priority"


def test_gap_links_only_a_milestone_of_the_owners_vision() -> None:
    b = gp.add_gap(
        gp.GapBoard(ANA),
        ANA,
        "g",
        title="Hiring",
        category="experience",
        milestone_id="m1",
        vision=ana_vision(),
    )
    assert b.get("g").milestone_id == "m1"
    with pytest.raises(ValidationError, match="not a milestone"):
        gp.link_milestone(b, ANA, "g", "m9", ana_vision())
    assert gp.link_milestone(b, ANA, "g", None, None).get("g").milestone_id is None


def test_status_moves_through_open_in_progress_closed() -> None:
    b = board_with(("a", Priority.NOW))
    b = gp.update_gap(b, ANA, "a", status="in_progress")
    assert b.get("a").status is gp.GapStatus.IN_PROGRESS
    with pytest.raises(NotFound):
        gp.update_gap(b, ANA, "zzz", status="closed")
