"""The JSON API under /api: thin adapters over the same services as the pages.

Callers authenticate with the session cookie (then every change must carry the
X-CSRF-Token header) or with `Authorization: Bearer <API token>` (POST /api/me/tokens).
Every route authorises (a dependency), calls one use case, and maps its refusals
(errors.ApiRoute): 403 not allowed, 404 not found, 409 not now, 422 a field named.
"""

from __future__ import annotations

from fastapi import APIRouter

from peermentor.web.api import (
    admin,
    charter,
    checkins,
    choosing,
    circles,
    closing,
    exchange,
    feedback,
    growth,
    matching,
    me,
    pairings,
    practice,
    profile,
    signups,
)

router = APIRouter(prefix="/api")
# In the order of the life of a pairing, so the OpenAPI document reads that way.
AREAS = (
    pairings,
    charter,
    growth,
    exchange,
    feedback,
    practice,
    checkins,
    closing,
    me,
    profile,
    admin,
    matching,
    circles,
    signups,
    choosing,
)
for _area in AREAS:
    router.include_router(_area.router)
