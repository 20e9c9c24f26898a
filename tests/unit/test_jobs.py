"""Jobs without the model: page ranges, the callback allow-list, webhook signing and
retries against a local listener, every refused request, expiry and the queue limit."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import io
import time

import pytest
from PIL import Image
from pydantic import SecretStr

from invoice_ocr.jobs.models import JobRequestError, parse_page_range, select_pages
from invoice_ocr.jobs.webhooks import CallbackPolicy, WebhookSender, sign
from tests.conftest import FakeEngine, png_bytes
from tests.jobs_support import WebhookListener, finished, wait_for

SECRET = "webhook-secret-0123"
IMAGE = png_bytes(Image.new("RGB", (64, 32), "white"))


def tiff(pages: int) -> bytes:
    frames = [Image.new("RGB", (64, 32), "white") for _ in range(pages)]
    buffer = io.BytesIO()
    frames[0].save(buffer, "TIFF", save_all=True, append_images=frames[1:])
    return buffer.getvalue()


# ---------------------------------------------------------------- page ranges


def test_page_ranges_parse_and_select():
    assert parse_page_range("1-5,8") == [(1, 5), (8, 8)]
    assert parse_page_range(" 2 - 3 , 7 ") == [(2, 3), (7, 7)]
    assert select_pages(parse_page_range("3,1-2,2"), 5) == [1, 2, 3]
    assert select_pages(None, 3) == [1, 2, 3]


@pytest.mark.parametrize("text", ["", "0", "5-3", "a", "1-", "-2", "1,,2", "1;2", "1-2-3", "1" * 7, "1," * 150])
def test_bad_page_ranges_are_refused(text):
    with pytest.raises(JobRequestError) as refused:
        parse_page_range(text)
    assert refused.value.code == "invalid_page_range"


def test_a_page_past_the_end_is_refused():
    with pytest.raises(JobRequestError) as refused:
        select_pages(parse_page_range("2-4"), 3)
    assert refused.value.code == "page_out_of_range" and "3 pages" in str(refused.value)


# ---------------------------------------------------------------- allow-list


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://hooks.example.com/any/path", True),
        ("http://hooks.example.com:8080/x", True),
        ("https://HOOKS.example.com/x", True),
        ("https://hooks.example.com.evil.test/x", False),
        ("https://evil.test/?hooks.example.com", False),
        ("https://user:pw@hooks.example.com/x", False),
        ("ftp://hooks.example.com/x", False),
        ("https://api.example.org/ocr/done", True),
        ("https://api.example.org/ocr", True),
        ("https://api.example.org/ocr-other", False),
        ("https://api.example.org/other", False),
        ("http://api.example.org/ocr/done", False),
        ("https://api.example.org:8443/ocr/done", False),
        ("http://127.0.0.1/x", False),
        ("not a url", False),
    ],
)
def test_callback_allow_list(url, allowed):
    policy = CallbackPolicy("hooks.example.com, https://api.example.org/ocr/", SecretStr(SECRET))
    if allowed:
        policy.check(url)
    else:
        with pytest.raises(JobRequestError) as refused:
            policy.check(url)
        assert refused.value.code == "callback_not_allowed"


@pytest.mark.parametrize(("allow", "secret"), [("", SecretStr(SECRET)), ("hooks.example.com", None)])
def test_callbacks_are_off_without_an_allow_list_or_a_secret(allow, secret):
    with pytest.raises(JobRequestError, match="turned off"):
        CallbackPolicy(allow, secret).check("https://hooks.example.com/x")


def test_a_malformed_allow_list_entry_stops_start_up():
    with pytest.raises(ValueError, match="OCR_JOBS_CALLBACK_ALLOW"):
        CallbackPolicy("ftp://files.example.com/", SecretStr(SECRET))


# ---------------------------------------------------------------- webhooks


def test_signature_is_hmac_sha256_of_the_raw_body():
    body = b'{"event":"job.finished"}'
    expected = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert sign(body, SECRET) == f"sha256={expected}"


def deliver(listener: WebhookListener, attempts: int = 3) -> tuple[object, list]:
    policy = CallbackPolicy("127.0.0.1", SecretStr(SECRET))
    waits: list[float] = []

    async def no_sleep(seconds: float) -> None:
        waits.append(seconds)

    sender = WebhookSender(policy, attempts=attempts, backoff_s=0.5, timeout_s=5, sleep=no_sleep)
    seen = []

    async def record(outcome) -> None:
        seen.append(outcome.model_copy())

    outcome = asyncio.run(sender.deliver(listener.url, lambda outcome: b'{"n": %d}' % outcome.attempts, record))
    return outcome, [waits, seen]


def test_a_webhook_refused_by_every_attempt_fails_with_backoff():
    with WebhookListener([500]) as listener:
        outcome, (waits, seen) = deliver(listener, attempts=3)
    assert (outcome.state, outcome.attempts, outcome.last_status_code) == ("failed", 3, 500)
    assert waits == [0.5, 1.0] and len(listener.received) == 3
    assert [step.attempts for step in seen] == [1, 2, 3]


def test_a_client_error_is_not_retried():
    with WebhookListener([404]) as listener:
        outcome, _ = deliver(listener)
    assert (outcome.state, outcome.attempts, outcome.last_error) == ("failed", 1, "HTTP 404")


def test_an_unreachable_listener_is_retried_and_reported():
    with WebhookListener([200]) as listener:
        url = listener.url
    policy = CallbackPolicy("127.0.0.1", SecretStr(SECRET))

    async def no_sleep(_: float) -> None:
        pass

    async def ignore(_) -> None:
        pass

    sender = WebhookSender(policy, attempts=2, backoff_s=0.1, timeout_s=2, sleep=no_sleep)
    outcome = asyncio.run(sender.deliver(url, lambda _: b"{}", ignore))
    assert (outcome.state, outcome.attempts, outcome.last_status_code) == ("failed", 2, None)
    assert outcome.last_error and "Connect" in outcome.last_error


def test_a_finished_job_is_posted_signed_and_retried_after_a_500(fake_client_factory):
    with WebhookListener([500, 200]) as listener:
        client = fake_client_factory(
            orientation=False,
            jobs_callback_allow="127.0.0.1",
            jobs_webhook_secret=SECRET,
            jobs_webhook_backoff_s=0.05,
        )
        response = client.post("/jobs", files={"file": ("a.png", IMAGE)}, params={"callback_url": listener.url})
        assert response.status_code == 202, response.text
        job_id = response.json()["job_id"]
        status = wait_for(client, job_id, lambda body: body["webhook"]["state"] != "pending", timeout=30)
    assert status["webhook"]["state"] == "delivered", status
    assert (status["webhook"]["attempts"], status["webhook"]["last_status_code"]) == (2, 200)
    assert len(listener.received) == 2
    for headers, body in listener.received:
        expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        assert hmac.compare_digest(headers["X-Signature"], expected)
        assert headers["Content-Type"] == "application/json"
    first, second = listener.bodies()
    assert second["event"] == "job.finished" and abs(second["sent_at"] - time.time()) < 60
    assert second["job"]["job_id"] == job_id and second["job"]["status"] == "succeeded"
    assert (first["job"]["webhook"]["attempts"], second["job"]["webhook"]["attempts"]) == (0, 1)


# ---------------------------------------------------------------- refused requests


def post_job(client, data: bytes = IMAGE, name: str = "a.png", **params):
    return client.post("/jobs", files={"file": (name, data)}, params=params)


def assert_refused(response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["success"] is False and body["error"]["code"] == code and body["error"]["message"]


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"pages": "0"}, "invalid_page_range"),
        ({"pages": "3-1"}, "invalid_page_range"),
        ({"pages": "one"}, "invalid_page_range"),
        ({"pages": "1-3,x"}, "invalid_page_range"),
        ({"pages": "1," * 150}, "invalid_request"),  # longer than the parameter allows
        ({"pages": "4"}, "page_out_of_range"),
        ({"kind": "pdf"}, "invalid_request"),
        ({"callback_url": "https://hooks.example.com/x"}, "callback_not_allowed"),
        ({"force_ocr": "maybe"}, "invalid_request"),
    ],
)
def test_bad_job_requests_get_422_and_the_service_answers_the_next(fake_client_factory, params, code):
    client = fake_client_factory(orientation=False)
    assert_refused(post_job(client, tiff(3), "scan.tif", **params), 422, code)
    assert post_job(client).status_code == 202


def test_callbacks_outside_the_allow_list_are_refused(fake_client_factory):
    client = fake_client_factory(orientation=False, jobs_callback_allow="127.0.0.1", jobs_webhook_secret=SECRET)
    for url in ("http://localhost/x", "http://127.0.0.1.example.com/x", "http://10.0.0.1/x", "file:///etc/passwd"):
        assert_refused(post_job(client, callback_url=url), 422, "callback_not_allowed")
    assert post_job(client, callback_url="http://127.0.0.1:9/x").status_code == 202


@pytest.mark.parametrize(
    ("data", "overrides", "status", "code"),
    [
        (b"", {}, 400, "empty_file"),
        (b"plain text, no document", {}, 415, "unsupported_media_type"),
        (tiff(3), {"jobs_max_pages": 2}, 413, "too_many_pages"),
        (IMAGE, {"jobs_max_upload_bytes": 100}, 413, "too_large"),
    ],
)
def test_bad_documents_are_refused_at_submission(fake_client_factory, data, overrides, status, code):
    client = fake_client_factory(orientation=False, **overrides)
    assert_refused(post_job(client, data), status, code)
    assert client.get("/health").status_code == 200


def test_a_job_document_may_be_larger_than_a_synchronous_one(fake_client_factory):
    client = fake_client_factory(orientation=False, max_pages=2, jobs_max_pages=3)
    assert_refused(client.post("/ocr/", files={"file": ("scan.tif", tiff(3))}), 413, "too_many_pages")
    accepted = post_job(client, tiff(3), "scan.tif")
    assert accepted.status_code == 202 and accepted.json()["pages_total"] == 3


@pytest.mark.parametrize(("method", "suffix"), [("GET", ""), ("GET", "/result"), ("DELETE", "")])
@pytest.mark.parametrize("job_id", ["0" * 32, "not-an-id", "../../etc"])
def test_unknown_jobs_get_404(fake_client_factory, method, suffix, job_id):
    client = fake_client_factory(orientation=False)
    response = client.request(method, f"/jobs/{job_id}{suffix}")
    assert response.status_code == 404
    assert response.json()["error"]["code"] in ("job_not_found", "not_found")
    assert post_job(client).status_code == 202


def test_results_in_the_output_formats_and_an_unknown_one_refused(fake_client_factory):
    client = fake_client_factory(orientation=False)
    job_id = post_job(client).json()["job_id"]
    wait_for(client, job_id, finished, timeout=30)
    assert_refused(client.get(f"/jobs/{job_id}/result", params={"format": "docx"}), 422, "invalid_format")
    text = client.get(f"/jobs/{job_id}/result", params={"format": "txt"})
    assert text.headers["content-type"].startswith("text/plain") and "FAKE TEXT" in text.text
    assert client.get(f"/jobs/{job_id}/result", params={"format": "json"}).status_code == 200


def test_an_expired_job_says_so(fake_client_factory):
    client = fake_client_factory(orientation=False)
    job_id = post_job(client).json()["job_id"]
    wait_for(client, job_id, finished, timeout=30)
    store = client.app.state.service.jobs.store
    client.portal.call(store.finish, job_id, "succeeded", -1.0)  # as if its TTL had run out
    assert_refused(client.get(f"/jobs/{job_id}"), 404, "job_expired")
    assert_refused(client.get(f"/jobs/{job_id}/result"), 404, "job_expired")
    assert client.portal.call(store.purge) == 1
    assert client.portal.call(store.result, job_id) is None and client.portal.call(store.input, job_id) is None


def test_too_many_queued_jobs_get_503(fake_client_factory):
    client = fake_client_factory(FakeEngine(delay=0.5), orientation=False, jobs_max_queued=1, jobs_concurrency=1)
    first = post_job(client).json()["job_id"]
    wait_for(client, first, lambda body: body["status"] == "running", timeout=30)
    assert post_job(client).status_code == 202  # queued behind the first
    refused = post_job(client)
    assert_refused(refused, 503, "too_many_jobs")
    assert int(refused.headers["Retry-After"]) >= 1


class BrokenEngine(FakeEngine):
    def recognize(self, images):
        raise RuntimeError("the model exploded")


def test_a_failed_job_reports_its_error(fake_client_factory):
    client = fake_client_factory(BrokenEngine(), orientation=False)
    status = wait_for(client, post_job(client).json()["job_id"], finished, timeout=30)
    assert status["status"] == "failed" and status["error"]["code"] == "internal_error"
    assert "the model exploded" not in status["error"]["message"]  # no internals for the client
    assert_refused(client.get(f"/jobs/{status['job_id']}/result"), 409, "job_failed")
