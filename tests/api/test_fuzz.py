"""Schemathesis on the API's own OpenAPI: requests generated from every operation's
schema (valid and invalid ones) never make the API fail with a 5xx, and what it answers
with success matches the response model it documents.

The path ids are those of a furnished pairing (tests/api/test_roles.furnish) and the
caller is its member ana (or the programme admin on admin routes), so that generated
bodies get past the access check and reach the validation and the use cases. Each
call runs in a savepoint, so one example's change does not close the door on the next.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy.orm import Session

from tests.api.conftest import Api
from tests.api.test_roles import furnish
from tests.store.circles.factories import furnish_circle

ADMIN_PATHS = ("/api/programs/", "/withdraw", "/dissolve")
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
EXAMPLES = 25  # per operation and mode: ~2,000 requests in all, under a minute


@pytest.fixture
def fuzz_ids(pair_api: Api, session: Session) -> dict[str, int]:
    made = furnish(pair_api, session)
    return {
        "pairing_id": pair_api.world.pairing_id,
        "program_id": pair_api.world.program.id,
        "token_id": pair_api.token_id(session, "ana"),
        **{f"{name}_id": value for name, value in made.items()},
        **furnish_circle(session, pair_api.world),
    }


def _fuzz(
    operation: Any,
    mode: GenerationMode,
    ids: dict[str, int],
    auth: dict[str, str],
    session: Session,
) -> set[int]:
    """Run one operation's generated requests; raises on the first that fails a check,
    else returns the statuses it got."""
    statuses: set[int] = set()

    @given(case=operation.as_strategy(mode, path_parameters=ids))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case: Any) -> None:
        savepoint = session.connection().begin_nested()
        try:
            response = case.call_and_validate(headers=auth, checks=CHECKS)
            statuses.add(response.status_code)
        finally:
            savepoint.rollback()

    check()
    return statuses


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_request_makes_the_api_fail(
    mode: GenerationMode, pair_api: Api, session: Session, fuzz_ids: dict[str, int]
) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", pair_api.app)
    failures: list[str] = []
    tried, served = 0, 0
    for result in schema.include(path_regex="^/api/").get_all_operations():
        operation = result.ok()
        ids = {p.name: fuzz_ids[p.name] for p in operation.path_parameters}
        if mode is GenerationMode.NEGATIVE and not len(operation.body):
            ids = {}  # nothing else to spoil: let it spoil the ids in the path
        who = "admin" if any(p in operation.path for p in ADMIN_PATHS) else "ana"
        auth = {"Authorization": f"Bearer {pair_api.tokens[who]}"}
        tried += 1
        try:
            served += any(s < 300 for s in _fuzz(operation, mode, ids, auth, session))
        except Unsatisfiable:
            continue  # negative mode, an operation with no input that can be wrong
        except (Exception, FailureGroup) as failure:  # every operation's, not only the first
            failures.append(f"{operation.label}: {failure}")
    assert tried >= 45
    if mode is GenerationMode.POSITIVE:  # valid requests do get through, not all refused
        assert served >= 30, served
    assert not failures, "\n\n".join(failures)
