"""Property-based fuzz of every API operation in the OpenAPI schema: no body, path or query makes a 500.

schemathesis generates the requests from the schema drf-spectacular serves; they are sent in-process through
Django's test client as a signed-in staff member holding every role, so bodies reach the parsers and
serializers behind the permission checks. Bounded: FUZZ_EXAMPLES per operation and FUZZ_SECONDS in all.
"""
import json
import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings as hypothesis_settings

from suite import roles as R
from tests.factories import UserFactory

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "4"))
SECONDS = float(os.environ.get("FUZZ_SECONDS", "45"))


def api_schema() -> dict:
    from drf_spectacular.generators import SchemaGenerator

    return json.loads(json.dumps(SchemaGenerator().get_schema(request=None, public=True), default=str))


def send(client: Client, case):
    path = case.formatted_path
    query = case.query if isinstance(case.query, dict) else {}
    if query:
        from urllib.parse import urlencode

        path = f"{path}?{urlencode(query, doseq=True)}"
    from schemathesis.core import NotSet

    method = case.method.lower()
    if case.body is None or isinstance(case.body, NotSet) or method in ("get", "delete", "head", "options") and not case.media_type:
        return getattr(client, method)(path)
    media = case.media_type or "application/json"
    if media.startswith("multipart/") or media == "application/x-www-form-urlencoded":
        body = case.body if isinstance(case.body, dict) else {}
        data = {}
        for key, value in body.items():
            if isinstance(value, bytes):
                data[key] = SimpleUploadedFile(f"{key}.txt", value)
            elif isinstance(value, (dict, list)):
                data[key] = json.dumps(value)
            elif value is not None:
                data[key] = value
        if media.startswith("multipart/"):
            return getattr(client, method)(path, data=data)
        from urllib.parse import urlencode

        return getattr(client, method)(path, data=urlencode(data, doseq=True), content_type=media)
    return getattr(client, method)(path, data=json.dumps(case.body), content_type="application/json")


@pytest.mark.slow
def test_no_generated_request_gets_a_500(transactional_db):
    import schemathesis

    from suite.services import role_group

    staff = UserFactory(is_staff=True)
    staff.groups.add(*[role_group(role) for role in R.ALL_ROLES])
    client = Client(raise_request_exception=False)
    client.force_login(staff)
    schema = schemathesis.openapi.from_dict(api_schema())
    started, sent, failures, operations = time.monotonic(), [0], [], 0

    for result in schema.get_all_operations():
        operation = result.ok()
        if time.monotonic() - started > SECONDS:
            break
        operations += 1

        @hypothesis_settings(max_examples=EXAMPLES, deadline=None, database=None, phases=[Phase.generate],
                             suppress_health_check=list(HealthCheck), derandomize=True)
        @given(case=operation.as_strategy())
        def fuzz(case):
            response = send(client, case)
            sent[0] += 1
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path} -> {response.status_code}: {str(case.body)[:200]}")

        fuzz()

    report = {"operations": operations, "requests": sent[0], "server_errors": len(failures),
              "seconds": round(time.monotonic() - started, 1)}
    if os.environ.get("FUZZ_REPORT"):
        with open(os.environ["FUZZ_REPORT"], "w") as handle:
            json.dump(report, handle)
    assert operations >= 20 and sent[0] >= operations
    assert failures == [], "\n".join(failures[:20])
