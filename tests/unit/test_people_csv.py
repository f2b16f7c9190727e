"""The people CSV contract: every problem named by row and column, and a lossless export."""

from __future__ import annotations

import pytest
from email_validator import validate_email
from hypothesis import given, settings
from hypothesis import strategies as st

from peermentor.domain.people import CSV_COLUMNS, PersonRecord
from peermentor.people_csv import (
    CsvProblem,
    ParseResult,
    parse_people_csv,
    serialize_people_csv,
)
from peermentor.people_csv_cells import _SIMPLE_EMAIL, _is_plainly_valid_email
from tests.strategies import people_lists

HEADER = "employee_id,name,email,years_experience,manager_id,timezone,opt_out,level"
ANNA = "E1,Anna Smith,anna@example.com,5,,Europe/Paris,false,3"
BEN = "E2,Ben Okafor,ben@example.com,7.5,E1,America/New_York,no,4"


def parse(*lines: str) -> ParseResult:
    return parse_people_csv(("\n".join(lines) + "\n").encode("utf-8"))


def where(result: ParseResult) -> list[tuple[int | None, str | None]]:
    return [(e.row, e.column) for e in result.errors]


# ---- a good file --------------------------------------------------------------------


def test_valid_file_gives_people_and_no_errors() -> None:
    result = parse(HEADER, ANNA, BEN)
    assert result.ok and result.errors == []
    anna, ben = result.people
    assert anna == PersonRecord(
        employee_id="E1",
        name="Anna Smith",
        email="anna@example.com",
        years_experience=5.0,
        timezone="Europe/Paris",
        level=3,
    )
    assert ben.manager_id == "E1" and ben.years_experience == 7.5


def test_header_without_rows_is_a_valid_empty_file() -> None:
    result = parse(HEADER)
    assert result.ok and result.people == []


def test_byte_order_mark_is_ignored() -> None:
    data = ("\ufeff" + HEADER + "\r\n" + ANNA + "\r\n").encode("utf-8")
    result = parse_people_csv(data)
    assert result.ok and result.people[0].employee_id == "E1"


def test_columns_in_any_order_and_optional_ones_absent() -> None:
    result = parse("years_experience, EMAIL ,name,employee_id", "2,c@example.com,Cleo,E9")
    assert result.ok
    assert result.people == [PersonRecord("E9", "Cleo", "c@example.com", 2.0)]


def test_list_cells_are_trimmed_deduplicated_and_keep_order() -> None:
    result = parse(
        "employee_id,name,email,years_experience,skills_offered,languages",
        'E1,Anna,a@example.com,1," SQL ; system design;;SQL ; ",English',
    )
    assert result.people[0].skills_offered == ("SQL", "system design")
    assert result.people[0].languages == ("English",)


def test_values_are_stripped() -> None:
    result = parse(HEADER, "  E1 , Anna ,  anna@example.com , 5 ,, Europe/Paris , TRUE , 3 ")
    person = result.people[0]
    assert (person.employee_id, person.name, person.opt_out) == ("E1", "Anna", True)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("true", True),
        ("YES", True),
        ("1", True),
        ("False", False),
        ("no", False),
        ("0", False),
        ("", False),
    ],
)
def test_opt_out_accepts_the_usual_spellings(text: str, expected: bool) -> None:
    result = parse(HEADER, f"E1,Anna,a@example.com,5,,,{text},")
    assert result.people[0].opt_out is expected


def test_manager_and_do_not_match_may_name_people_outside_the_file() -> None:
    result = parse(
        "employee_id,name,email,years_experience,manager_id,do_not_match",
        "E1,Anna,a@example.com,5,X99,X1;X2",
    )
    assert result.ok and result.people[0].do_not_match == ("X1", "X2")


def test_quoted_cells_keep_commas_quotes_and_line_breaks() -> None:
    result = parse(
        "employee_id,name,email,years_experience,goal_statement",
        'E1,"Smith, Anna",a@example.com,5,"Say ""hi"",\nthen lead"',
        "E2,Ben,a@example.com,1,",
    )
    assert result.people[0].name == "Smith, Anna"
    assert result.people[0].goal_statement == 'Say "hi",\nthen lead'
    # The quoted line break is inside row 2, so the next record is row 3, as in a sheet.
    assert where(result) == [(3, "email")]


def test_progress_is_reported_every_thousand_rows_and_at_the_end() -> None:
    rows = [f"E{i},P{i},p{i}@example.com,1,,,," for i in range(2500)]
    calls: list[tuple[int, int]] = []
    result = parse_people_csv(
        ("\n".join([HEADER, *rows]) + "\n").encode(),
        progress=lambda done, total: calls.append((done, total)),
    )
    assert result.ok and len(result.people) == 2500
    assert calls == [(1000, 2500), (2000, 2500), (2500, 2500)]


# ---- each kind of problem, with its row and column ---------------------------------


def test_missing_required_column() -> None:
    result = parse("employee_id,name,years_experience", "E1,Anna,5")
    assert where(result) == [(1, "email")]
    assert "required column" in result.errors[0].message


def test_unknown_column() -> None:
    result = parse(HEADER + ",favourite_colour", ANNA + ",blue")
    assert where(result) == [(1, "favourite_colour")]


def test_duplicate_employee_id() -> None:
    result = parse(HEADER, ANNA, "E1,Ben,ben@example.com,2,,,,")
    assert where(result) == [(3, "employee_id")]
    assert "row 2" in result.errors[0].message


def test_duplicate_email_ignores_case() -> None:
    result = parse(HEADER, ANNA, "E2,Ben,ANNA@Example.com,2,,,,")
    assert where(result) == [(3, "email")]


def test_invalid_email() -> None:
    result = parse(HEADER, "E1,Bob,bob@,5,,,,")
    assert where(result) == [(2, "email")]
    assert str(result.errors[0]).startswith('row 2, column email: "bob@" is not a valid email')


def test_missing_required_value() -> None:
    result = parse(HEADER, "E1,,anna@example.com,5,,,,")
    assert where(result) == [(2, "name")]


def test_negative_years_of_experience() -> None:
    result = parse(HEADER, "E1,Anna,a@example.com,-1,,,,")
    assert where(result) == [(2, "years_experience")]


@pytest.mark.parametrize("years", ["ten", "nan", "inf", "1,5", "1_000"])
def test_non_numeric_years_of_experience(years: str) -> None:
    result = parse(HEADER, f'E1,Anna,a@example.com,"{years}",,,,')
    assert where(result) == [(2, "years_experience")]


def test_non_integer_level() -> None:
    result = parse(HEADER, "E1,Anna,a@example.com,1,,,,3.5")
    assert where(result) == [(2, "level")]


@pytest.mark.parametrize("hours", ["-2", "lots"])
def test_bad_hours_per_month(hours: str) -> None:
    result = parse(
        "employee_id,name,email,years_experience,hours_per_month",
        f"E1,Anna,a@example.com,1,{hours}",
    )
    assert where(result) == [(2, "hours_per_month")]


def test_unknown_time_zone() -> None:
    result = parse(HEADER, "E1,Anna,a@example.com,1,,Mars/Olympus_Mons,,")
    assert where(result) == [(2, "timezone")]


def test_manager_cycle_reports_every_row_in_it() -> None:
    result = parse(
        HEADER,
        "E0,Top,t@example.com,1,E1,,,",
        "E1,A,a@example.com,1,E2,,,",
        "E2,B,b@example.com,1,E1,,,",
    )
    # E0 reports into the loop but is not part of it.
    assert sorted(where(result)) == [(3, "manager_id"), (4, "manager_id")]
    assert "E1 → E2 → E1" in result.errors[0].message


def test_own_manager_is_a_cycle() -> None:
    result = parse(HEADER, "E1,Anna,a@example.com,1,E1,,,")
    assert where(result) == [(2, "manager_id")]


def test_bad_boolean() -> None:
    result = parse(HEADER, "E1,Anna,a@example.com,1,,,maybe,")
    assert where(result) == [(2, "opt_out")]


def test_do_not_match_naming_oneself() -> None:
    result = parse(
        "employee_id,name,email,years_experience,do_not_match", "E1,Anna,a@example.com,1,E2;E1"
    )
    assert where(result) == [(2, "do_not_match")]


def test_list_separator_inside_an_employee_id() -> None:
    result = parse(HEADER, "E1;E2,Anna,a@example.com,1,,,,")
    assert where(result) == [(2, "employee_id")]


def test_undecodable_bytes_name_their_row() -> None:
    data = (HEADER + "\n" + ANNA + "\n").encode() + b"E2,Jos\xe9,j@example.com,1,,,,\n"
    result = parse_people_csv(data)
    assert where(result) == [(3, "name")]
    assert "UTF-8" in result.errors[0].message
    assert [p.employee_id for p in result.people] == ["E1"]


def test_undecodable_bytes_in_the_header() -> None:
    result = parse_people_csv(b"employee_id,n\xffme,email,years_experience\n")
    assert (1, None) in where(result)


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\n\n", b"\r\n"])
def test_empty_file(data: bytes) -> None:
    result = parse_people_csv(data)
    assert where(result) == [(1, None)]
    assert "empty" in result.errors[0].message


def test_row_with_more_cells_than_the_header() -> None:
    result = parse(HEADER, ANNA + ",surprise")
    assert where(result) == [(2, None)]


def test_all_problems_of_a_file_are_reported_together() -> None:
    result = parse(
        HEADER,
        "E1,Anna,anna@,5,,,,",
        "E2,Ben,b@example.com,-3,,,,",
        "E3,Cleo,c@example.com,1,,Atlantis/Capital,,",
    )
    assert where(result) == [(2, "email"), (3, "years_experience"), (4, "timezone")]
    assert result.people == []


def test_several_problems_in_one_row_are_all_reported() -> None:
    result = parse(HEADER, "E1,,x,-1,,Nowhere,perhaps,one")
    assert sorted(c or "" for _, c in where(result)) == sorted(
        ["name", "email", "years_experience", "timezone", "opt_out", "level"]
    )


def test_problem_reads_as_row_column_message() -> None:
    assert str(CsvProblem(7, "email", '"bob@" is bad')) == 'row 7, column email: "bob@" is bad'
    assert str(CsvProblem(3, None, "too long")) == "row 3: too long"
    assert str(CsvProblem(None, None, "odd")) == "odd"


# ---- export ---------------------------------------------------------------------------


def test_export_writes_the_contract_columns_in_order() -> None:
    text = serialize_people_csv(
        [
            PersonRecord(
                "E1",
                "Anna",
                "a@example.com",
                3.0,
                hours_per_month=2.5,
                opt_out=True,
                languages=("English", "French"),
            )
        ]
    )
    header, row = text.splitlines()
    assert header.split(",") == list(CSV_COLUMNS)
    assert row.split(",")[:4] == ["E1", "Anna", "a@example.com", ""]
    assert row.endswith(",English;French,,,,,,,2.5,true,")
    assert ",3," in row  # a whole number of years without ".0"


def test_export_refuses_a_list_item_holding_the_separator() -> None:
    with pytest.raises(ValueError, match="contains"):
        serialize_people_csv(
            [PersonRecord("E1", "A", "a@example.com", 1.0, skills_offered=("a;b",))]
        )


def test_values_longer_than_the_store_holds_are_refused_by_row_and_column() -> None:
    result = parse(
        "employee_id,name,email,years_experience,level,skills_offered",
        f"E1,{'x' * 201},a@example.com,1,,",
        f"E2,Ben,b@example.com,1,{2**40},",
        f"E3,Cy,c@example.com,1,,{'y' * 201}",
    )
    assert where(result) == [(2, "name"), (3, "level"), (4, "skills_offered")]
    assert "at most 200" in str(result.errors[0])


def test_a_nul_character_is_refused() -> None:
    result = parse("employee_id,name,email,years_experience", "E1,An\x00na,a@example.com,1")
    assert where(result) == [(2, "name")]


# ---- properties ---------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(people_lists())
def test_export_then_import_gives_back_the_same_people(people: list[PersonRecord]) -> None:
    result = parse_people_csv(serialize_people_csv(people).encode("utf-8"))
    assert result.errors == []
    assert result.people == people


@settings(max_examples=200, deadline=None)
@given(st.from_regex(_SIMPLE_EMAIL, fullmatch=True))
def test_fast_email_check_never_accepts_what_the_library_refuses(address: str) -> None:
    if _is_plainly_valid_email(address):
        validate_email(address, check_deliverability=False)


def test_a_cell_too_large_to_read_is_reported_with_its_row() -> None:
    huge = "x" * 200_000
    result = parse(
        "employee_id,name,email,years_experience,goal_statement",
        "E1,Anna,a@example.com,1,fine",
        f"E2,Ben,b@example.com,1,{huge}",
    )
    assert where(result) == [(3, None)]


def test_each_person_comes_with_their_spreadsheet_row() -> None:
    result = parse(
        "employee_id,name,email,years_experience,goal_statement",
        'E1,Anna,a@example.com,1,"two\nlines"',
        "",
        "E2,Ben,b@example.com,1,",
    )
    assert [p.employee_id for p in result.people] == ["E1", "E2"]
    assert result.rows == [2, 4]
