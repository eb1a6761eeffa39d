"""/api/v1/docs/ tells partners how to authenticate and what the auth endpoints answer."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    response = client.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_both_authentication_schemes_are_described(schema):
    schemes = schema["components"]["securitySchemes"]

    assert schemes["bearerToken"]["type"] == "http"
    assert schemes["bearerToken"]["scheme"] == "bearer"
    assert schemes["apiKey"] == {
        "type": "apiKey",
        "in": "header",
        "name": "X-Api-Key",
        "description": "Khóa API của một hệ thống tích hợp: congso_<tiền tố>_<bí mật>.",
    }


def test_the_auth_endpoints_are_documented(schema):
    token = schema["paths"]["/api/v1/auth/token/"]
    me = schema["paths"]["/api/v1/auth/me/"]

    assert set(token) == {"post", "delete"}
    assert token["post"]["summary"] == "Lấy mã truy cập (bearer token)"
    assert {"200", "400", "429"} <= set(token["post"]["responses"])
    assert {"bearerToken": []} in me["get"]["security"]
    assert {"apiKey": []} in me["get"]["security"]
    assert me["get"]["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Me"
    }


def test_the_schema_generates_without_a_warning(tmp_path):
    """Every endpoint documents itself: a name collision or an undocumented view fails here, so
    /api/v1/docs/ stays true to the code."""
    from django.core.management import call_command

    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert out.stat().st_size > 10_000
