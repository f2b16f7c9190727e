"""The CSV downloads of the admin pages are formula-safe, like the command line's."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from peermentor.csv_safety import FORMULA_STARTS
from peermentor.people_csv import serialize_people_csv
from peermentor.services.access import SYSTEM
from peermentor.services.matching import run_match
from peermentor.services.people import import_people
from peermentor.services.programs import get_program
from tests.programs import pid
from tests.store.test_csv_exports import formula_people
from tests.web.conftest import ADMIN, sign_in


def test_people_and_match_downloads_never_start_a_formula(
    client: TestClient, session: Session
) -> None:
    import_people(session, SYSTEM, "Cohort", serialize_people_csv(formula_people(8)).encode())
    run_match(session, SYSTEM, pid(session, "Cohort"))
    program_id = get_program(session, "Cohort").id
    sign_in(client, *ADMIN)
    for name in ("people.csv", "match.csv"):
        response = client.get(f"/admin/programs/{program_id}/{name}")
        assert response.status_code == 200
        header, *rows = list(csv.reader(io.StringIO(response.text, newline="")))
        assert len(rows) == 8
        for row in rows:
            cells = dict(zip(header, row, strict=True))
            assert cells["employee_id"].startswith("'")
            texts = [v for k, v in cells.items() if k not in {"level", "years_experience"}]
            assert all(value[:1] not in FORMULA_STARTS for value in texts), row
