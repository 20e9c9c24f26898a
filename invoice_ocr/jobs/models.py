"""What a job is, as both stores keep it: one `JobRecord` per job, its page results as
`RecognizedPage` JSON, and the page-range syntax of `POST /jobs`."""

from __future__ import annotations

import re
import time
import uuid
from typing import Literal

from pydantic import BaseModel, TypeAdapter

from invoice_ocr.pipeline import RecognizedPage

JobKind = Literal["ocr", "invoice"]
JobState = Literal["queued", "running", "succeeded", "failed", "cancelled"]
# Job ids are uuid4 hex: anything else is unknown without asking a store.
JOB_ID = re.compile(r"^[0-9a-f]{32}$")
# A page range is short: "1-5,8,10-12". Longer text is refused before it is parsed.
MAX_PAGE_RANGE_CHARS = 200
_RANGE_PART = re.compile(r"^\s*(\d{1,6})\s*(?:-\s*(\d{1,6})\s*)?$")

PAGE_CODEC: TypeAdapter[RecognizedPage] = TypeAdapter(RecognizedPage)


class JobError(BaseModel):
    """Why a job failed: the error envelope's code and message."""

    code: str
    message: str


class WebhookOutcome(BaseModel):
    """Where the delivery of a job's webhook stands."""

    state: Literal["pending", "delivered", "failed"] = "pending"
    attempts: int = 0
    last_status_code: int | None = None
    last_error: str | None = None
    last_attempt_at: float | None = None


class JobRecord(BaseModel):
    """One job's state. Times are Unix seconds."""

    id: str
    kind: JobKind
    force_ocr: bool = False
    # The document's page numbers the job reads (1-based, ascending); empty for a bare e-invoice XML.
    pages: list[int]
    status: JobState = "queued"
    pages_done: int = 0
    created_at: float
    started_at: float | None = None
    finished_at: float | None = None
    expires_at: float | None = None
    # Redis: until when the replica running the job holds it; past it another may take the job over.
    lease_until: float | None = None
    cancel_requested: bool = False
    error: JobError | None = None
    callback_url: str | None = None
    webhook: WebhookOutcome | None = None

    @classmethod
    def new(cls, kind: JobKind, pages: list[int], *, force_ocr: bool, callback_url: str | None) -> JobRecord:
        return cls(
            id=uuid.uuid4().hex,
            kind=kind,
            force_ocr=force_ocr,
            pages=pages,
            created_at=time.time(),
            callback_url=callback_url,
            webhook=WebhookOutcome() if callback_url else None,
        )

    @property
    def pages_total(self) -> int:
        return len(self.pages)

    def expired(self, now: float | None = None) -> bool:
        return self.expires_at is not None and (now or time.time()) >= self.expires_at


class JobRequestError(ValueError):
    """A job request the service refuses (422), with the error code to answer."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def parse_page_range(text: str) -> list[tuple[int, int]]:
    """`"1-5,8"` → `[(1, 5), (8, 8)]`; raises `JobRequestError` (`invalid_page_range`)."""
    if len(text) > MAX_PAGE_RANGE_CHARS:
        raise JobRequestError("invalid_page_range", f"the page range is longer than {MAX_PAGE_RANGE_CHARS} characters")
    ranges = []
    for part in text.split(","):
        match = _RANGE_PART.match(part)
        if match is None:
            raise JobRequestError(
                "invalid_page_range", f"{part.strip()!r} is not a page or a range like 3-7 (pages are 1-based)"
            )
        first = int(match[1])
        last = int(match[2] or first)
        if first < 1 or last < first:
            raise JobRequestError("invalid_page_range", f"{part.strip()!r}: pages start at 1 and ranges go upwards")
        ranges.append((first, last))
    return ranges


def select_pages(ranges: list[tuple[int, int]] | None, count: int) -> list[int]:
    """The page numbers of `ranges` in a document of `count` pages (all of them for None);
    raises `JobRequestError` (`page_out_of_range`) for a page past the end."""
    if ranges is None:
        return list(range(1, count + 1))
    if (last := max(end for _, end in ranges)) > count:
        raise JobRequestError(
            "page_out_of_range", f"page {last} was asked for; the document has {count} page{'s' * (count != 1)}"
        )
    return sorted({number for first, end in ranges for number in range(first, end + 1)})
