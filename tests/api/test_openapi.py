"""OpenAPI describes every API endpoint: a summary, a tag, a typed request body where
the route takes one, and a typed response."""

from __future__ import annotations

from typing import Any

from fastapi.routing import APIRoute

from peermentor.web import api as api_package
from tests.api.conftest import Api

CHANGES = {"post", "put", "patch", "delete"}


def _api_routes() -> list[APIRoute]:
    routes: list[APIRoute] = []
    for wrapper in api_package.router.routes:
        router = getattr(wrapper, "original_router", None)
        found = router.routes if router is not None else [wrapper]
        routes += [r for r in found if isinstance(r, APIRoute)]
    return routes


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, op)
        for path, item in spec["paths"].items()
        if path.startswith("/api/")
        for method, op in item.items()
    ]


def _json_schema(part: dict[str, Any]) -> dict[str, Any]:
    return part["content"]["application/json"]["schema"]


def test_every_api_operation_has_a_summary_a_tag_and_a_typed_answer(pair_api: Api) -> None:
    spec = pair_api.app.openapi()
    operations = _operations(spec)
    assert len(operations) == len(_api_routes()) >= 45
    for method, path, op in operations:
        where = f"{method.upper()} {path}"
        assert op.get("summary") and op.get("tags"), where
        success = [code for code in op["responses"] if code.startswith("2")]
        assert success, where
        schema = _json_schema(op["responses"][success[0]])
        assert schema and schema != {}, f"{where}: untyped response"


def test_every_body_the_api_reads_is_described(pair_api: Api) -> None:
    spec = pair_api.app.openapi()
    with_body = {
        (m.lower(), route.path)
        for route in _api_routes()
        if route.body_field
        for m in route.methods
    }
    assert len(with_body) >= 20
    for method, path, op in _operations(spec):
        if (method, path.removeprefix("/api")) in with_body:
            schema = _json_schema(op["requestBody"])
            assert "$ref" in schema or "anyOf" in schema, f"{method} {path}"
            assert "422" in op["responses"], f"{method} {path}: bad input undocumented"
        else:
            assert "requestBody" not in op, f"{method} {path} documents a body it ignores"


def test_request_models_state_their_limits(pair_api: Api) -> None:
    """The limits a client must respect are in the schema, not only in error messages."""
    schemas = pair_api.app.openapi()["components"]["schemas"]
    assert schemas["CheckInIn"]["properties"]["trust"] == {
        "type": "integer",
        "maximum": 5,
        "minimum": 1,
        "title": "Trust",
    }
    assert schemas["VisionIn"]["properties"]["horizon_years"]["enum"] == [3, 4, 5]
    assert schemas["GapIn"]["properties"]["category"]["$ref"].endswith("/GapCategory")
    assert schemas["AskIn"]["properties"]["topic"]["maxLength"] == 200
    assert schemas["AskIn"]["additionalProperties"] is False


def test_changes_are_never_gets(pair_api: Api) -> None:
    for method, path, _ in _operations(pair_api.app.openapi()):
        if method == "get":
            continue
        assert method in CHANGES, f"{method} {path}"
