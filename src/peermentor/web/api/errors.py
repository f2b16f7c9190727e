"""How the API answers when a rule refuses: one mapping for every route.

| raised | HTTP | body |
| --- | --- | --- |
| domain ValidationError, service InvalidInput | 422 | FastAPI's own shape, the field named |
| NotAMember, NotAllowed, Forbidden | 403 | {"detail": message} |
| domain or service NotFound | 404 | {"detail": message} |
| NotReady, InvalidTransition | 409 | {"detail": message} |

The mapping lives in the routers' route class (ApiRoute) rather than in app-wide
exception handlers, so the API answers the same whatever the app around it installs,
and the pages keep their own error pages.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute

from peermentor.domain import errors as domain
from peermentor.services import access as service

# Where the domain's name for a field differs from the API body's name for it.
FIELD_IN_BODY = {
    "norms.other": "other_norms",
    "receiver": "receiver_id",
    "recipient": "recipient_id",
}
# A service's InvalidInput message starts with the field when it has one: "email: ...".
_FIELD_PREFIX = re.compile(r"^([a-z_][a-z0-9_.]*): (.+)$", re.DOTALL)


def invalid(field: str | None, message: str) -> JSONResponse:
    """A 422 in FastAPI's own shape, so a client handles one kind of validation error."""
    loc: list[str] = ["body"]
    if field:
        loc += FIELD_IN_BODY.get(field, field).split(".")
    return JSONResponse(
        {"detail": [{"loc": loc, "msg": message, "type": "value_error"}]}, status_code=422
    )


def _detail(status: int, error: Exception) -> JSONResponse:
    return JSONResponse({"detail": str(error)}, status_code=status)


def error_response(error: Exception) -> JSONResponse | None:
    """The answer for a refused rule, or None when the error is not a refusal."""
    if isinstance(error, domain.ValidationError):
        return invalid(error.field, error.message)
    if isinstance(error, service.InvalidInput):
        found = _FIELD_PREFIX.match(str(error))
        return invalid(found.group(1), found.group(2)) if found else invalid(None, str(error))
    if isinstance(error, domain.NotAMember | domain.NotAllowed | service.Forbidden):
        return _detail(403, error)
    if isinstance(error, domain.NotFound | service.NotFound):
        return _detail(404, error)
    if isinstance(error, domain.NotReady | domain.InvalidTransition):
        return _detail(409, error)
    return None


class ApiRoute(APIRoute):
    """An API route that turns the domain's and the services' refusals into answers.

    Dependencies run inside the handler too, so an access check in a dependency is
    mapped the same way as one inside the use case."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()

        async def handler(request: Request) -> Response:
            try:
                return await handle(request)
            except (domain.DomainError, service.ServiceError) as error:
                answer = error_response(error)
                if answer is None:
                    raise
                return answer

        return handler
