"""Schemathesis fuzzes every operation of the OpenAPI schema: no input may cause a 5xx,
and every response must match the schema (status codes, headers, bodies).

The app runs with API keys and the result cache on, over a fake engine (the HTTP layer
is what is fuzzed here; tests/integration/test_fuzz_documents.py fuzzes the decoder).
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from invoice_ocr.api.app import create_app
from invoice_ocr.config import Settings
from tests.conftest import FakeEngine, fixed_engine_factory

KEY = "fuzz-key-0123456789abcdef"

app = create_app(
    Settings(device="cpu", warmup=False, api_keys=KEY, request_timeout_s=10),
    engine_factory=fixed_engine_factory(FakeEngine()),
)
schema = schemathesis.openapi.from_asgi("/openapi.json", app)


@schema.auth()
class ApiKeyAuth:
    """Sends the configured key, so Schemathesis also probes that missing or wrong keys get 401."""

    def get(self, case, ctx) -> str:
        return KEY

    def set(self, case, data: str, ctx) -> None:
        case.headers = {**(case.headers or {}), "X-API-Key": data}


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_input_causes_a_server_error(case):
    # Schema-valid bytes are not a valid document: refusing them (400/415) is correct here.
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
