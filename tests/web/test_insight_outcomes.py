"""Outcomes on the insight page: an admin uploads HR outcome events and sees retention
and promotion of participants against non-participants; a bad file is refused whole,
naming its line and column, and what was stored before stays."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from peermentor.demo_activity import furnish_year, generated_programme
from peermentor.services import audit
from peermentor.services.access import SYSTEM
from peermentor.store import outcomes_repo
from peermentor.store.outcomes_models import OutcomeEvent
from tests.web.conftest import ADMIN, sign_in

NOW = datetime.now(UTC)


@pytest.fixture
def programme(session: Session) -> int:
    program_id = generated_programme(session, "Outcomes cohort", 80, NOW)
    furnish_year(session, program_id, NOW, seed=5)
    session.commit()
    return program_id


def _good_file(session: Session, program_id: int) -> bytes:
    """Ten promotions among participants; every one of the others (5 or more) left."""
    ids = outcomes_repo.people_by_employee_id(session, program_id)
    took_part = outcomes_repo.participants(session, program_id)
    part = sorted(e for e, pid in ids.items() if pid in took_part)
    rest = sorted(e for e, pid in ids.items() if pid not in took_part)
    assert len(part) >= 10 and len(rest) >= 5
    day = (NOW - timedelta(days=60)).date()
    lines = ["\ufeffemployee_id,event,date"]
    lines += [f"{e},promotion,{day}" for e in part[:10]]
    lines += [f"{e},left,{day}" for e in rest]
    return ("\n".join(lines) + "\n").encode()


def _upload(client: TestClient, csrf: str, program_id: int, data: bytes) -> object:
    return client.post(
        f"/admin/programs/{program_id}/insight/outcomes",
        data={"csrf_token": csrf},
        files={"file": ("outcomes.csv", data, "text/csv")},
        follow_redirects=False,
    )


def _stored(session: Session, program_id: int) -> int:
    session.expire_all()
    return int(
        session.scalar(select(func.count()).where(OutcomeEvent.program_id == program_id)) or 0
    )


def test_a_good_file_shows_both_groups_with_their_sizes(
    client: TestClient, session: Session, programme: int
) -> None:
    csrf = sign_in(client, *ADMIN)
    before = client.get(f"/admin/programs/{programme}/insight?figure=outcomes")
    assert "No outcome events uploaded yet" in before.text
    data = _good_file(session, programme)
    events = len(data.splitlines()) - 1
    done = _upload(client, csrf, programme, data)
    assert done.status_code == 303  # type: ignore[attr-defined]
    page = client.get(done.headers["location"])  # type: ignore[attr-defined]
    assert page.status_code == 200 and f"{events} outcome events stored" in page.text
    assert 'data-figure="outcomes"' in page.text and "<svg" in page.text
    assert 'data-figure="funnel"' not in page.text  # ?figure= shows that figure only
    assert "Not causal" in page.text
    row = re.search(
        r'<th scope="row">Participants</th><td>(\d+)</td><td>100% \((\d+) of (\d+)\)</td>'
        r"<td>\d+% \(10 of (\d+)\)</td>",
        page.text,
    )
    assert row, page.text
    assert len({row.group(n) for n in (1, 2, 3, 4)}) == 1  # nobody left, all counted
    assert re.search(
        rf'<th scope="row">Non-participants</th><td>{events - 10}</td><td>0% \(0 of', page.text
    )
    assert _stored(session, programme) == events
    exported = client.get(f"/admin/programs/{programme}/insight.csv?figure=outcomes").text
    assert {r["figure"] for r in csv.DictReader(io.StringIO(exported))} == {"outcomes"}
    found, _ = audit.list_entries(session, SYSTEM, audit.AuditFilters(), limit=100)
    [entry] = [e for e in found if e.action == "outcomes.imported"]
    assert entry.details == {"events": events} and entry.target_id == programme


def test_a_bad_file_is_refused_whole_naming_line_and_column(
    client: TestClient, session: Session, programme: int
) -> None:
    csrf = sign_in(client, *ADMIN)
    data = _good_file(session, programme)
    _upload(client, csrf, programme, data)
    good = data.decode().splitlines()
    bad = [good[0], good[1], good[2].rsplit(",", 1)[0] + ",2026-02-30", "nobody,left,2026-01-01"]
    refused = _upload(client, csrf, programme, "\n".join(bad).encode())
    assert refused.status_code == 422  # type: ignore[attr-defined]
    text = refused.text  # type: ignore[attr-defined]
    assert "2 problems in the file. Nothing was stored." in text
    assert "<td>3</td><td>date</td>" in text and "<td>4</td><td>employee_id</td>" in text
    assert _stored(session, programme) == len(good) - 1  # the earlier upload stays whole
    empty = _upload(client, csrf, programme, b"")
    assert empty.status_code == 422  # type: ignore[attr-defined]


def test_the_template_is_a_file_the_upload_takes(client: TestClient, programme: int) -> None:
    sign_in(client, *ADMIN)
    template = client.get(f"/admin/programs/{programme}/insight/outcomes-template.csv")
    assert template.headers["content-type"].startswith("text/csv")
    assert template.text.splitlines()[0] == "employee_id,event,date"


def test_match_runs_have_their_own_figure(client: TestClient, programme: int) -> None:
    sign_in(client, *ADMIN)
    page = client.get(f"/admin/programs/{programme}/insight?figure=runs")
    keys = set(re.findall(r'data-figure="([\w-]+)"', page.text))
    assert keys and all("-run-" in k for k in keys)
    assert any(k.startswith("fared-run-") for k in keys)
