"""Schemathesis fuzzes every operation of the OpenAPI schema: no input may cause a 5xx,
and every response must match the schema (status codes, headers, bodies).

The app runs with API keys and the result cache on, over a fake engine (the HTTP layer
is what is fuzzed here; tests/integration/test_fuzz_documents.py fuzzes the decoder).
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from invoice_ocr.api.app import create_app
from invoice_ocr.config import Settings
from tests.conftest import FakeEngine, fixed_engine_factory

KEY = "fuzz-key-0123456789abcdef"
BATCH_PATHS = {"/ocr/batch", "/invoice/batch"}

app = create_app(
    Settings(device="cpu", warmup=False, api_keys=KEY, request_timeout_s=10),
    engine_factory=fixed_engine_factory(FakeEngine()),
)
# A request Schemathesis thinks breaks the schema can still be a well-formed one over a
# limit (24 files of "true" are 24 files): a 413 is a right refusal too.
CONFIG = schemathesis.Config.from_dict(
    {"checks": {"negative_data_rejection": {"expected-statuses": ["400", "401", "404", "405", "413", "415", "422"]}}}
)
schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=CONFIG)


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
    excluded = [positive_data_acceptance]
    if case.path in BATCH_PATHS:
        # A "schema-violating" file (a number where bytes belong) is still sent as a file
        # part, and a batch answers each file's refusal inside its 200 by design.
        excluded.append(negative_data_rejection)
    case.call_and_validate(excluded_checks=excluded)
