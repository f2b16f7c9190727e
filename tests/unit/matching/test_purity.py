"""The matching engine is pure: every one of its modules, the solvers included, imports
without a web framework or an ORM (numpy is its own business)."""

from __future__ import annotations

from tests.unit.domain.test_purity import imported_and_forbidden


def test_every_matching_module_imports_no_web_framework_and_no_orm() -> None:
    count, bad = imported_and_forbidden(
        "matching", ("fastapi", "sqlalchemy", "starlette", "alembic")
    )
    assert count >= 23  # the solver modules included
    assert bad == ""
