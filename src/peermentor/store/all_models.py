"""Every table, imported in one place so Alembic and the tests see the whole schema."""

from peermentor.store import (
    audit_models,
    auth_models,
    calendar_models,
    circles_models,
    data_version,
    insight_models,
    jobs_models,
    leave_models,
    mail_models,
    models,
    outcomes_models,
    self_match_models,
    workspace_models,
)

__all__ = [
    "audit_models",
    "auth_models",
    "calendar_models",
    "circles_models",
    "data_version",
    "insight_models",
    "jobs_models",
    "leave_models",
    "mail_models",
    "models",
    "outcomes_models",
    "self_match_models",
    "workspace_models",
]
