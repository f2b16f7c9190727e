"""Programme insight pages: every chart has its table and CSV, the report prints a date
range, and no choice of range brings out a figure over fewer than 5 people."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from peermentor.demo_activity import furnish_year, generated_programme
from tests.web.conftest import ADMIN, sign_in

NOW = datetime.now(UTC)
COUNT_COLUMNS = {"People", "Pairings", "Pairings counted", "Dropped since the step before"}


@pytest.fixture
def programme(session: Session) -> int:
    program_id = generated_programme(session, "Insight cohort", 80, NOW)
    furnish_year(session, program_id, NOW, seed=3)
    session.commit()
    return program_id


def _counts(text: str) -> list[tuple[str, str, int]]:
    """Every whole-number cell of a count column of the CSV."""
    found = []
    for row in csv.DictReader(io.StringIO(text)):
        if row["column"] in COUNT_COLUMNS and row["value"].replace(",", "").isdigit():
            found.append((row["figure"], row["row"], int(row["value"].replace(",", ""))))
    return found


def test_every_chart_has_its_table_and_its_csv(client: TestClient, programme: int) -> None:
    sign_in(client, *ADMIN)
    page = client.get(f"/admin/programs/{programme}/insight")
    assert page.status_code == 200
    charts = re.findall(
        r'<section class="insight-figure" aria-labelledby="fig-([\w-]+)">', page.text
    )
    assert {"funnel", "sessions", "checkins", "exchange", "balance", "risk", "diversity"} <= set(
        charts
    )
    for key in charts:
        assert f'data-figure="{key}"' in page.text, key
        assert f"insight.csv?figure={key}" in page.text, key
    assert page.text.count("<svg") >= 7 and "<script" not in page.text.split("</main>")[0]
    # The funnel starts from everyone enrolled: 80 generated people.
    assert re.search(r"<th scope=\"row\">Enrolled</th><td>80</td>", page.text)
    one = client.get(f"/admin/programs/{programme}/insight.csv?figure=funnel")
    assert one.headers["content-type"].startswith("text/csv")
    assert {r["figure"] for r in csv.DictReader(io.StringIO(one.text))} == {"funnel"}


def test_the_report_prints_one_range(client: TestClient, programme: int) -> None:
    sign_in(client, *ADMIN)
    since = (NOW - timedelta(days=120)).date()
    report = client.get(f"/admin/programs/{programme}/insight/report?since={since}")
    assert report.status_code == 200
    assert f"from {since}" in report.text and "Save as PDF" in report.text
    assert "/static/insight.css" in report.text
    bad = client.get(f"/admin/programs/{programme}/insight/report?since=2026-13-01")
    assert bad.status_code == 422


def test_no_range_isolates_fewer_than_five(client: TestClient, programme: int) -> None:
    """An admin who narrows the range day by day, to find one pairing's figures, only
    ever sees counts of 0 or of 5 and more."""
    sign_in(client, *ADMIN)
    year_ago = (NOW - timedelta(days=365)).date()
    ranges = [("", "")] + [
        (str(year_ago + timedelta(days=d)), str(year_ago + timedelta(days=d + width)))
        for d in range(0, 30, 3)
        for width in (0, 1, 2)
    ]
    ranges.append((str(NOW.date() - timedelta(days=20)), str(NOW.date())))  # the late ones
    seen = 0
    for since, until in ranges:
        text = client.get(
            f"/admin/programs/{programme}/insight.csv?since={since}&until={until}"
        ).text
        for figure, row, n in _counts(text):
            assert n == 0 or n >= 5, (since, until, figure, row, n)
            seen += 1
    assert seen > 100


def test_the_health_page_reads_the_counters(client: TestClient, programme: int) -> None:
    sign_in(client, *ADMIN)
    health = client.get(f"/admin/programs/{programme}/health").text
    assert "Check-ins, balance and role-plays as of" in health
    assert "Average check-in (1 to 5) over" in health
    assert "active pairings by how balanced they are" in health


def test_refresh_now_recomputes(client: TestClient, programme: int) -> None:
    csrf = sign_in(client, *ADMIN)
    client.get(f"/admin/programs/{programme}/insight")
    done = client.post(
        f"/admin/programs/{programme}/insight/refresh",
        data={"csrf_token": csrf},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"].endswith("insight?refreshed=1")
    assert "(just refreshed)" in client.get(done.headers["location"]).text
