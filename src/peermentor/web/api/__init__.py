"""The JSON API under /api: thin adapters over the same services as the pages.

Callers authenticate with the session cookie (then every change must carry the
X-CSRF-Token header) or with `Authorization: Bearer <API token>`.
"""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api")
