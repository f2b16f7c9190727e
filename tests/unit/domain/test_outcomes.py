"""Outcomes of participants against non-participants, on a worked example by hand, and
the outcomes CSV's refusals, each naming its line and column."""

from __future__ import annotations

from datetime import date

import pytest

from peermentor.domain.insight import Hidden, Share
from peermentor.domain.outcomes import CAVEAT, PersonOutcome, outcomes
from peermentor.domain.outcomes_csv import OutcomesFileRefused, parse_outcomes

SINCE, UNTIL = date(2026, 1, 1), date(2026, 12, 31)


def _worked_example() -> list[PersonOutcome]:
    """12 participants: one left before the range (not counted: 11 remain), five promoted
    in it, one promoted before it (not counted), one moved. 20 non-participants: five left
    in the range, five promoted, one leaves after it (still retained)."""
    d = date
    part = [PersonOutcome(True, (("left", d(2025, 12, 1)),))]
    part += [PersonOutcome(True, (("promotion", d(2026, 3, n)),)) for n in range(1, 6)]
    part.append(PersonOutcome(True, (("promotion", d(2025, 6, 1)),)))
    part.append(PersonOutcome(True, (("internal_move", d(2026, 7, 1)),)))
    part += [PersonOutcome(True) for _ in range(4)]
    rest = [PersonOutcome(False, (("left", d(2026, 5, n)),)) for n in range(1, 6)]
    rest += [PersonOutcome(False, (("promotion", d(2026, 9, n)),)) for n in range(1, 6)]
    rest.append(PersonOutcome(False, (("left", d(2027, 1, 1)),)))
    rest += [PersonOutcome(False) for _ in range(9)]
    return part + rest


def test_the_worked_example() -> None:
    found = outcomes(_worked_example(), SINCE, UNTIL)
    part, rest = found.groups
    assert part.people == 11 and rest.people == 20
    assert part.retained == Share(11, 11) and rest.retained == Share(15, 20)
    assert part.promoted == Share(5, 11) and rest.promoted == Share(5, 20)
    assert isinstance(part.moved, Hidden)  # one person moved: hidden
    assert rest.moved == Share(0, 20)
    assert found.events == 16  # the three outside the range are not counted
    assert found.reading == (
        "Participants stayed more often (25 percentage points higher) "
        "between 2026-01-01 and 2026-12-31."
    )
    assert "not causal" in found.caveat.lower() and found.caveat == CAVEAT


def test_a_group_of_four_shows_nothing() -> None:
    people = [PersonOutcome(True, (("promotion", date(2026, 2, 1)),)) for _ in range(4)]
    people += [PersonOutcome(False) for _ in range(30)]
    part, rest = outcomes(people, SINCE, UNTIL).groups
    assert part.people == Hidden(4)
    assert all(isinstance(x, Hidden) for x in (part.retained, part.promoted, part.moved))
    assert rest.people == 30 and rest.retained == Share(30, 30)
    assert outcomes(people, SINCE, UNTIL).reading.startswith("Too few people")


def test_a_range_backwards_is_refused() -> None:
    with pytest.raises(ValueError):
        outcomes([], UNTIL, SINCE)


KNOWN = {"E1", "E2", "E3"}


def _problems(text: str | bytes) -> list[str]:
    data = text.encode() if isinstance(text, str) else text
    with pytest.raises(OutcomesFileRefused) as refused:
        parse_outcomes(data, KNOWN)
    return [str(p) for p in refused.value.problems]


def test_a_good_file_with_a_bom_and_a_repeated_row() -> None:
    data = "\ufeffemployee_id,event,date\nE1,promotion,2026-02-01\n\nE2, left ,2026-03-04\n"
    data += "E1,promotion,2026-02-01\n"
    rows = parse_outcomes(data.encode(), KNOWN)
    assert [(r.line, r.employee_id, r.event, r.day) for r in rows] == [
        (2, "E1", "promotion", date(2026, 2, 1)),
        (4, "E2", "left", date(2026, 3, 4)),
    ]


def test_header_problems_name_their_column() -> None:
    assert _problems("employee_id,event,date,event\n") == [
        "line 1, column event: this column appears twice"
    ]
    assert _problems("employee_id,event,when\n") == [
        "line 1, column when: unknown column; the columns are employee_id, event, date",
        "line 1, column date: missing column",
    ]
    assert _problems("") == ["line 1: the file is empty; a header row is needed"]


def test_bad_rows_name_line_and_column_and_refuse_the_whole_file() -> None:
    data = (
        "date,employee_id,event\n"
        "2026-01-05,E1,promotion\n"
        "2026-02-30,E2,left\n"
        "2026-03-01,E9,promotion\n"
        "2026-03-01,E3,fired\n"
        "2026-03-01,,left\n"
        "01/03/2026,E1,left\n"
        "2026-03-01,E1\n"
    )
    assert _problems(data) == [
        "line 3, column date: '2026-02-30' is not a YYYY-MM-DD date",
        "line 4, column employee_id: 'E9' is not a person of this programme",
        "line 5, column event: 'fired' is not one of promotion, internal_move, left",
        "line 6, column employee_id: must not be empty",
        "line 7, column date: '01/03/2026' is not a YYYY-MM-DD date",
        "line 8: 2 cells, the header has 3",
    ]


def test_text_that_is_not_utf8_names_its_line() -> None:
    data = b"employee_id,event,date\nE1,promotion,2026-01-01\nE\xe9,left,2026-01-01\n"
    assert _problems(data) == ["line 3: not UTF-8 text"]
