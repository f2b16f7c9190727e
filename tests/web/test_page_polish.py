"""Small things a first walk through the pages found (issue 13): an admin sees which
of a programme's pages they are on, and a page points only to forms that are there."""

# ruff: noqa: F811 (tests take the imported `pairings` fixture as an argument)
from __future__ import annotations

import re

from tests.web.test_participant_flow import (
    Pairings,
    pairings,  # noqa: F401 (the fixture)
    text_of,
)


def test_the_tab_of_the_page_shown_is_marked_current(pairings: Pairings) -> None:
    admin = pairings.sign_in("admin")
    found = re.search(r'href="/admin/programs/(\d+)"', admin.get("/admin/programs"))
    assert found
    base = f"/admin/programs/{found.group(1)}"
    for tail, label in [
        ("", "Overview"),
        ("/people", "People"),
        ("/settings", "Matching settings"),
    ]:
        page = admin.get(base + tail)
        current = re.findall(r'<a href="([^"]+)" aria-current="page">([^<]+)</a>', page)
        assert current == [(base + tail, label)], (tail, current)


def test_a_proposed_pairings_charter_does_not_point_to_a_form_that_is_not_there(
    pairings: Pairings,
) -> None:
    page = text_of(pairings.sign_in("ana").get(pairings.url("charter")))
    assert "Nobody has written the charter yet." in page
    assert "Start it below" not in page and "Answer the proposal" in page
