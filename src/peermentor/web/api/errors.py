"""How the API answers when a rule refuses: the table of web/refusals.py, on every route.

The mapping lives in the routers' route class (ApiRoute) rather than only in app-wide
exception handlers, so the API answers the same whatever the app around it installs.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

from peermentor.domain.errors import DomainError
from peermentor.web.refusals import api_response


class ApiRoute(APIRoute):
    """An API route that turns every refusal into its answer.

    Dependencies run inside the handler too, so an access check in a dependency is
    mapped the same way as one inside the use case."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()

        async def handler(request: Request) -> Response:
            try:
                return await handle(request)
            except DomainError as error:
                return api_response(error)

        return handler
