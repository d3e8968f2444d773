"""A bounded schemathesis run against the app's own OpenAPI schema with every built-in check
(server errors, schema and status conformance, valid data accepted and invalid data rejected,
headers, content types, ...). Bounded: a fixed number of examples per operation, no network."""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, settings  # noqa: E402

from bot.api import create_app  # noqa: E402
from bot.settings import Settings  # noqa: E402
from tests.conftest import RULES  # noqa: E402

app = create_app(Settings(storage_url="sqlite://:memory:", rules_dir=RULES, rate_limit_per_minute=1_000_000), watch=False)
schema = schemathesis.openapi.from_asgi("/openapi.json", app)


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_conforms_to_its_schema(case):
    case.call_and_validate()  # every built-in check
