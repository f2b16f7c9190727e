"""Properties that hold for any data, not just the worked examples."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from peermentor.domain import balance as bl
from peermentor.domain import gaps as gp
from peermentor.domain import roleplay as rp
from peermentor.domain import sessions as ss
from tests.unit.domain.personas import ANA, KIM, LEE, NOW, PAIR, TRIAD

bringers = st.lists(st.sets(st.sampled_from(TRIAD)), max_size=12)


def sessions_of(members: tuple[str, ...], who: list[set[str]]) -> list[ss.Session]:
    result = []
    for i, group in enumerate(who):
        s = ss.log_session(f"s{i}", members, members[0], NOW, held_on=date(2026, 1, 1),
                           duration_minutes=30)  # fmt: skip
        for m in group & set(members):
            s = ss.record_contribution(s, m, gave=("x",), got=())
        result.append(s)
    return result


@given(bringers)
def test_pair_index_is_in_range_and_antisymmetric(who: list[set[str]]) -> None:
    report = bl.balance(PAIR, sessions=sessions_of(PAIR, who))
    swapped = bl.balance((KIM, ANA), sessions=sessions_of((KIM, ANA), who))
    assert -1 <= report.index <= 1
    assert report.index_of(ANA) == -report.index_of(KIM)
    assert swapped.index_of(ANA) == report.index_of(ANA)


@given(bringers)
def test_triad_index_is_in_range_and_the_largest_member_lean(who: list[set[str]]) -> None:
    report = bl.balance(TRIAD, sessions=sessions_of(TRIAD, who))
    assert -1 <= report.index <= 1
    assert abs(report.index) == max(abs(i) for _, i in report.member_indices)
    assert (report.leaning_member is None) == (report.index == 0)


@given(st.integers(min_value=0, max_value=50), st.sampled_from([PAIR, TRIAD]))
def test_every_member_plays_every_role_within_one_rotation(start: int, members: tuple) -> None:
    for m in members:
        played = {rp.roles_for(members, n)[m] for n in range(start, start + len(members))}
        assert played == set(rp.ROTATION[len(members)])


moves = st.lists(
    st.tuples(st.integers(0, 5), st.sampled_from(list(gp.Priority)), st.integers(0, 7)),
    max_size=20,
)


@given(moves)
def test_any_sequence_of_moves_keeps_columns_numbered_without_holes(steps: list) -> None:
    board = gp.GapBoard(LEE)
    for i, p in enumerate(["now", "now", "next", "next", "backburner", "now"]):
        board = gp.add_gap(board, LEE, f"g{i}", title=f"gap {i}", category="skill", priority=p)
    for gap_index, to, index in steps:
        board = gp.move_gap(board, LEE, f"g{gap_index}", to, index)
    assert len(board.gaps) == 6
    for p in gp.Priority:
        assert [g.position for g in board.column(p)] == list(range(len(board.column(p))))
