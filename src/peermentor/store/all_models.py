"""Every table, imported in one place so Alembic and the tests see the whole schema."""

from peermentor.store import auth_models, models, workspace_models

__all__ = ["auth_models", "models", "workspace_models"]
