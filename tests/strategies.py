"""Hypothesis strategies shared by the CSV and the store tests."""

from __future__ import annotations

import zoneinfo

from hypothesis import strategies as st

from peermentor.domain.people import PersonRecord

# Any text a person might type, trimmed as the parser trims it.
_text = st.text(
    st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=40
).map(str.strip)
_item = _text.filter(lambda s: s != "" and ";" not in s)
_items = st.lists(_item, max_size=4, unique=True).map(tuple)
_number = st.floats(min_value=0, allow_nan=False, allow_infinity=False)


@st.composite
def people_lists(draw: st.DrawFn) -> list[PersonRecord]:
    ids = draw(st.lists(_item, min_size=0, max_size=6, unique=True))
    zones = sorted(zoneinfo.available_timezones())
    people = []
    for index, employee_id in enumerate(ids):
        people.append(
            PersonRecord(
                employee_id=employee_id,
                name=draw(_text.filter(bool)),
                email=f"person.{index}@example.com",
                years_experience=draw(_number),
                # Outside the file, so no cycles: "mgr:" never starts a generated id.
                manager_id=draw(st.none() | _text.map(lambda s: "mgr:" + s)),
                department=draw(_text),
                team=draw(_text),
                job_family=draw(_text),
                job_title=draw(_text),
                location=draw(_text),
                level=draw(st.none() | st.integers(-(2**31), 2**31 - 1)),
                timezone=draw(st.just("") | st.sampled_from(zones)),
                languages=draw(_items),
                skills_offered=draw(_items),
                skills_sought=draw(_items),
                career_goals=draw(_items),
                goal_statement=draw(_text),
                challenges=draw(_items),
                background=draw(_items),
                hours_per_month=draw(st.none() | _number),
                opt_out=draw(st.booleans()),
                do_not_match=draw(_items.map(lambda ids: tuple(f"x:{i}" for i in ids))),
            )
        )
    return people
