"""The OpenAPI document, the docs page and the migrations are in order."""
import io

import pytest
import yaml
from django.core.management import call_command
from openapi_spec_validator import validate


def test_openapi_schema_generates_without_warnings_and_validates(tmp_path):
    out = tmp_path / "schema.yml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))

    schema = yaml.safe_load(out.read_text())
    validate(schema)
    assert schema["openapi"].startswith("3.")
    assert "/api/auth/signup/" in schema["paths"]
    assert "/api/chatbot/conversations/{id}/" in schema["paths"]
    assert {"tokenAuth", "cookieAuth"} <= set(schema["components"]["securitySchemes"])


@pytest.mark.django_db
def test_the_schema_is_served_and_the_docs_page_uses_local_assets(client):
    assert client.get("/api/schema/").status_code == 200

    html = client.get("/api/docs/").content.decode()

    assert "swagger-ui" in html
    assert "cdn" not in html.lower() and "https://" not in html


@pytest.mark.django_db
def test_models_and_migrations_agree():
    out = io.StringIO()

    call_command("makemigrations", "--check", "--dry-run", stdout=out)

    assert "No changes detected" in out.getvalue()
