"""Formula-safe CSV: no exported text cell starts a spreadsheet formula, numbers stay
numbers, and the people import removes exactly the escape, so exports re-import unchanged."""

from __future__ import annotations

import csv
import dataclasses
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from peermentor.csv_safety import FORMULA_STARTS, escape_cell, unescape_cell
from peermentor.demo_org import generate_organisation
from peermentor.domain.people import PersonRecord
from peermentor.people_csv import parse_people_csv, serialize_people_csv
from tests.strategies import people_lists

NUMBER_COLUMNS = {"level", "years_experience", "hours_per_month"}

_prefix = st.sampled_from(["", "'", "''"])
_trigger = st.sampled_from(["", *FORMULA_STARTS])
_core = st.text(
    st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=30
).map(str.strip)
# What a person may type and the import may store: a formula start, apostrophes before
# it, any text after it; the import trims cells, so nothing ends in whitespace.
formula_text = st.builds(lambda *parts: "".join(parts), _prefix, _trigger, _core).filter(
    lambda s: s == s.rstrip()
)
# List items are trimmed one by one, so they may not start with whitespace either.
formula_item = st.builds(
    lambda *parts: "".join(parts), _prefix, st.sampled_from(["", "=", "+", "-", "@"]), _core
).filter(lambda s: s and ";" not in s and s == s.strip())


def cells_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


@given(st.text())
def test_unescape_undoes_escape_for_any_text(text: str) -> None:
    assert unescape_cell(escape_cell(text)) == text


@given(st.text())
def test_an_escaped_cell_never_starts_a_formula(text: str) -> None:
    assert escape_cell(text)[:1] not in FORMULA_STARTS


def test_formula_cells_get_one_apostrophe_and_plain_text_none() -> None:
    assert escape_cell('=HYPERLINK("http://evil.example","click")') == (
        '\'=HYPERLINK("http://evil.example","click")'
    )
    assert [escape_cell(s) for s in ("+1", "-x", "@SUM(A1)", "\tx", "\rx")] == [
        "'+1",
        "'-x",
        "'@SUM(A1)",
        "'\tx",
        "'\rx",
    ]
    assert escape_cell("O'Brien") == "O'Brien"
    assert escape_cell("'quoted'") == "'quoted'"  # unescape would leave it alone too
    assert escape_cell("'=x") == "''=x"  # or the import would read it back as "=x"
    assert unescape_cell("'abc") == "'abc"


def test_people_export_escapes_text_but_never_numbers() -> None:
    [person] = generate_organisation(1, seed=3)
    person = dataclasses.replace(
        person,
        name="=cmd|' /C calc'!A0",
        department="@SUM(1+1)",
        goal_statement="-2+3",
        skills_offered=("+44 phone", "python"),
        level=-3,
        years_experience=0.5,
    )
    header, row = cells_of(serialize_people_csv([person]))
    cell = dict(zip(header, row, strict=True))
    assert cell["name"] == "'=cmd|' /C calc'!A0"
    assert cell["department"] == "'@SUM(1+1)"
    assert cell["goal_statement"] == "'-2+3"
    assert cell["skills_offered"] == "'+44 phone;python"
    assert cell["level"] == "-3"
    assert cell["years_experience"] == "0.5"
    [back] = parse_people_csv(serialize_people_csv([person]).encode()).people
    assert back == person


@st.composite
def formula_people(draw: st.DrawFn) -> list[PersonRecord]:
    """Valid people whose every text column may start a formula or hold apostrophes."""
    id_prefix = draw(st.sampled_from(["=", "+", "@", "'=", "''@", "'"]))
    people = []
    for index, person in enumerate(draw(people_lists())):
        texts = {
            column: draw(formula_text)
            for column in ("department", "team", "job_family", "job_title", "location")
        }
        items = st.lists(formula_item, max_size=3, unique=True).map(tuple)
        people.append(
            dataclasses.replace(
                person,
                employee_id=id_prefix + person.employee_id,
                name=draw(formula_text.filter(bool)),
                email=draw(st.sampled_from(["", "-", "+", "="])) + f"p{index}@example.com",
                manager_id=None if person.manager_id is None else "-" + person.manager_id,
                goal_statement=draw(formula_text),
                skills_offered=draw(items),
                career_goals=draw(items),
                **texts,
            )
        )
    return people


@settings(max_examples=40, deadline=None)
@given(formula_people())
def test_people_export_reimports_unchanged_and_no_cell_starts_a_formula(
    people: list[PersonRecord],
) -> None:
    text = serialize_people_csv(people)
    header, *rows = cells_of(text)
    for row in rows:
        for column, cell in zip(header, row, strict=True):
            if column not in NUMBER_COLUMNS:
                assert cell[:1] not in FORMULA_STARTS, (column, cell)
    result = parse_people_csv(text.encode())
    assert result.errors == []
    assert result.people == people
