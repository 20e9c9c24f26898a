"""Service settings: one object, every knob read from `OCR_*` environment variables.

Each field's description is the documentation: the README's configuration table lists
the same names and defaults.
"""

from __future__ import annotations

import ipaddress
import math
import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from limits import parse_many
from pydantic import AliasChoices, Field, PrivateAttr, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

MIB = 1024 * 1024
# Multipart framing around one uploaded file: boundary and part headers.
MULTIPART_OVERHEAD_BYTES = 64 * 1024


class Settings(BaseSettings):
    """All configuration of the service. Environment variables use the `OCR_` prefix."""

    model_config = SettingsConfigDict(env_prefix="OCR_", env_file=None, extra="ignore", frozen=True)

    host: str = Field("0.0.0.0", description="Interface the server binds to.")
    port: int = Field(
        8080,
        ge=1,
        le=65535,
        validation_alias=AliasChoices("OCR_PORT", "PORT"),
        description="TCP port; `PORT` is honoured too (PaaS convention).",
    )
    engine: Literal["onnxruntime", "openvino", "paddle"] = Field(
        "openvino",
        description="Inference engine: `openvino` (CPU default: the ONNX models compiled by OpenVINO, bf16 where "
        "the CPU has it; falls back to onnxruntime if it cannot start), `onnxruntime` (the same models: less "
        "memory, slower where the CPU has bf16) or `paddle` (Paddle Inference, the GPU image's engine).",
    )
    openvino_precision: Literal["auto", "bf16", "f32"] = Field(
        "auto",
        description="Numeric precision of the `openvino` engine's text recogniser: `auto` is bf16 where the CPU has "
        "it (AVX512-BF16 or AMX), else f32. Detection always runs f32 (bf16 lost words on damaged scans).",
    )
    device: Literal["auto", "gpu", "cpu"] = Field(
        "auto",
        description="`auto` tries the GPU first and falls back to the CPU; `gpu` fails "
        "startup without one; `cpu` never touches a GPU.",
    )
    model_preset: str = Field(
        "pp-ocrv6-tiny-det-small-rec",
        description="Model preset (see DOCUMENTATION.md); ignored for a stage whose custom model folder is set.",
    )
    det_model_dir: Path | None = Field(
        None, description="Custom detection model folder (inference.onnx/.json + inference.yml)."
    )
    rec_model_dir: Path | None = Field(
        None, description="Custom recognition model folder (inference.onnx/.json + inference.yml)."
    )
    max_upload_bytes: int = Field(20 * MIB, gt=0, description="Largest accepted upload, bytes (413 past it).")
    max_image_pixels: int = Field(
        50_000_000,
        gt=0,
        description="Largest accepted page, width × height (413 past it, checked before decoding).",
    )
    max_page_side: int = Field(
        20_000,
        ge=64,
        description="Longest accepted page side, pixels (413 `page_side_too_long` past it, read from the image "
        "header before decoding); a PDF page is rendered at a lower DPI to fit instead.",
    )
    max_aspect_ratio: float = Field(
        50.0,
        ge=1,
        description="Most times a page's long side may exceed its short side (413 `aspect_ratio_too_large` past "
        "it, before decoding): a 100000×10 image is no invoice and costs gigabytes in every resize.",
    )
    max_document_pixels: int = Field(
        200_000_000,
        gt=0,
        description="Most pixels all pages of one document may hold together, summed from the headers and PDF "
        "page boxes at their render scale before anything is decoded (413 `document_too_many_pixels` past it).",
    )
    decode_sandbox: bool = Field(
        True,
        description="Decode uploads (images, PDF pages and text layers, e-invoice XML) in worker processes with "
        "a memory and time limit, so a decompression bomb or a hanging decoder costs a child, not the server; "
        "`false` decodes in the server process (tests, trusted input).",
    )
    decode_workers: int = Field(
        2, ge=1, le=64, description="Decode sandbox: worker processes (documents decoded at once)."
    )
    decode_memory_mb: int = Field(
        1536,
        ge=256,
        description="Decode sandbox: address-space limit of each worker process, MB (about 350 of it is the "
        "decoders themselves); a document needing more gets 413 `decode_memory_exceeded`.",
    )
    decode_timeout_s: float = Field(
        30,
        gt=0,
        description="Decode sandbox: longest one decoding step may take; past it the worker is killed and "
        "replaced and the request gets 504 `timeout`.",
    )
    queue_size: int = Field(16, ge=1, description="Pages waiting for inference before new requests get 503.")
    max_batch: int = Field(
        1, ge=1, le=64, description="Dynamic batching: most pages sent through the engine in one call."
    )
    batch_wait_ms: float = Field(
        0.0, ge=0, le=1000, description="Dynamic batching: how long the worker waits for more pages to batch."
    )
    engines: int = Field(
        1,
        ge=1,
        le=16,
        description="Engine instances reading pages in parallel, each on its own thread with its own copy of the "
        "models (60-130 MB more RSS each, measured); the cores are shared out among them.",
    )
    inference_threads: int = Field(
        0,
        ge=0,
        description="CPU threads per engine; 0 shares out the cores this process may run on (CPU affinity, "
        "capped by a container CPU quota) among the `engines`.",
    )
    det_limit_side_len: int = Field(
        960, ge=32, description="Detection input: longest page side is scaled down to this (pixels)."
    )
    rec_batch_size: int = Field(
        1,
        ge=1,
        le=64,
        description="Text lines the recogniser reads per model call; lines of a batch are padded to the widest, "
        "which on CPU cost accuracy and time (see bench/tuning.py).",
    )
    rec_space_prior: float | None = Field(
        None,
        ge=1,
        le=10_000,
        description="Factor on the word space's probability when decoding recognised lines (recovers spaces "
        "PP-OCR drops on noisy scans); unset uses the preset's measured value, 1 turns it off.",
    )
    cascade_threshold: float = Field(
        0.97,
        ge=0,
        le=1,
        description="Cascade presets (`pp-ocrv6-cascade`): a line the fast recogniser reads with a confidence "
        "under this is read again by the accurate one, and the more confident reading is kept. 0 never re-reads; "
        "higher re-reads more lines, slower.",
    )
    ort_memory_arena: bool = Field(
        False,
        description="onnxruntime CPU memory arena and memory pattern for the OCR models. Off (default) keeps RSS "
        "from creeping up with every new page size; on may be a little faster for fixed-size inputs.",
    )
    heap_trim: bool = Field(
        True,
        description="Hand freed heap memory back to the OS (glibc `malloc_trim`) once the inference worker has "
        "been idle for half a second, so RSS after a burst of large pages falls back instead of staying at the "
        "burst's peak.",
    )
    text_normalization: bool = Field(
        True,
        description="Apply Unicode NFKC to recognised text (full-width `：` becomes `:`).",
    )
    warmup: bool = Field(True, description="Run a warm-up inference at startup before reporting ready.")
    log_level: str = Field("INFO", description="Python logging level.")

    # Documents: PDFs, multi-page TIFFs, page orientation, batches.
    max_pages: int = Field(
        20, ge=1, description="Most pages (PDF pages, TIFF frames) per document; 413 past it, counted before decoding."
    )
    pdf_dpi: int = Field(
        200,
        ge=36,
        le=600,
        description="DPI PDF pages are rendered at for OCR (and text-layer boxes are reported in); lowered for a "
        "page that would exceed `max_image_pixels`.",
    )
    pdf_text_layer: bool = Field(
        True,
        description="Read PDF pages that have a usable text layer from it (exact text, no OCR); "
        "`force_ocr=true` on a request overrides it.",
    )
    max_page_chars: int = Field(
        250_000,
        ge=1,
        description="Most characters in one PDF page's text layer (413 `too_many_characters` past it, counted "
        "before any character is read).",
    )
    einvoice: bool = Field(
        True,
        description="Read e-invoices from their XML: Factur-X / ZUGFeRD / XRechnung attachments of PDFs and bare "
        "UBL or CII uploads to `POST /invoice/`; `false` reads every PDF by its layout only.",
    )
    einvoice_max_bytes: int = Field(
        10 * MIB,
        gt=0,
        description="Largest e-invoice XML accepted, bytes, whether uploaded bare or embedded in a PDF.",
    )
    orientation: bool = Field(
        True,
        description="Detect pages scanned at 90/180/270 degrees and read them upright (a few ms per page).",
    )
    textline_orientation: bool = Field(
        False,
        description="Also classify every text line as upright or upside down (0/180) and turn it before "
        "recognition: for pages mixing directions; whole turned pages are handled by `orientation`. "
        "Costs about 25% more time per page.",
    )
    batch_max_files: int = Field(
        10, ge=1, description="Most files in one `POST /ocr/batch` or `/invoice/batch` request (413 past it)."
    )

    # Production hardening: each of these is off (or permissive) until configured.
    api_keys: SecretStr | None = Field(
        None,
        description="API keys for the OCR endpoints, comma-separated; a key is any text without a comma or "
        "surrounding blanks (`/`, `+`, `=` included). Unset or empty, and no `OCR_API_KEYS_FILE`: no "
        "authentication. Set but holding no key (only commas or blanks): the start-up stops.",
    )
    api_keys_file: Path | None = Field(
        None,
        description="Instead of `OCR_API_KEYS`: a file with one API key per line (blank lines and lines starting with "
        "`#` ignored). Missing, unreadable or holding no key: the start-up stops.",
    )
    auth_protect_metrics: bool = Field(
        False, description="Require an API key for `GET /metrics` too; health endpoints always stay open."
    )
    rate_limit: str = Field(
        "",
        description="Requests allowed per API key (per client IP without keys), e.g. `60/minute` or "
        "`5/second;300/hour`. Empty: no limit.",
    )
    trusted_proxies: str = Field(
        "",
        description="Comma-separated IPs or CIDR networks of reverse proxies whose `X-Forwarded-For` and "
        "`X-Forwarded-Proto` are believed: the client address (rate limits, access log) is then the one the proxy "
        "saw. Empty: no proxy is trusted, not even 127.0.0.1.",
    )
    redis_url: str | None = Field(
        None,
        description="Redis (`redis://host:6379/0`) holding the result cache, rate-limit counters and jobs (their "
        "queue, state and results), shared by replicas. Unset: all live in the process (jobs in SQLite under "
        "`OCR_DATA_DIR`).",
    )
    redis_timeout_s: float = Field(
        0.25, gt=0, description="Socket timeout of Redis calls; on a Redis error the cache and limits step aside."
    )
    cache_max_entries: int = Field(
        256,
        ge=0,
        description="Results kept by the in-process result cache (LRU); 0 turns result caching off, Redis included.",
    )
    cache_max_bytes: int = Field(
        64 * MIB, gt=0, description="Bytes of serialised results the in-process cache may hold."
    )
    cache_ttl_s: int = Field(86_400, ge=1, description="How long Redis keeps a cached result, seconds.")
    request_timeout_s: float = Field(
        120, gt=0, description="Longest a request may spend decoding, queued and in OCR before a 504."
    )
    shutdown_grace_s: float = Field(
        30, ge=0, description="On shutdown, how long queued OCR work may take to finish, seconds."
    )
    cors_origins: str = Field("", description="Comma-separated origins CORS allows (`*`: any). Empty: no CORS headers.")

    # Async jobs (`/jobs`): see DOCUMENTATION.md "Jobs".
    data_dir: Path = Field(
        Path("data"),
        description="Folder of the embedded job store (`jobs.sqlite3`: queued and finished jobs, their inputs and "
        "page results), created at start; a relative path is resolved from the working directory. Unused when "
        "`OCR_REDIS_URL` is set: jobs then live in Redis.",
    )
    jobs_worker: bool = Field(
        True,
        description="Run jobs in this process. With `OCR_REDIS_URL`, `false` makes a replica that only accepts "
        "and answers jobs while others (the worker Deployment) run them; without Redis it must stay `true`.",
    )
    jobs_max_pages: int = Field(
        500, ge=1, description="Most pages in a job's document (413 `too_many_pages` past it, counted before decoding)."
    )
    jobs_max_upload_bytes: int = Field(
        64 * MIB, gt=0, description="Largest document accepted by `POST /jobs`, bytes (413 past it)."
    )
    jobs_max_queued: int = Field(
        100,
        ge=1,
        description="Jobs waiting to run at once; `POST /jobs` answers 503 `too_many_jobs` past it (stored inputs "
        "are bounded by this times `jobs_max_upload_bytes`).",
    )
    jobs_concurrency: int = Field(2, ge=1, le=64, description="Jobs one process runs at the same time.")
    jobs_pages_in_flight: int = Field(
        2,
        ge=1,
        le=64,
        description="Fair share: most job pages one process has decoding, queued or in inference at once (all its "
        "jobs together). Job pages go through the inference worker's background lane, behind every synchronous "
        "page.",
    )
    jobs_result_ttl_s: int = Field(
        86_400,
        ge=60,
        description="How long a finished job (result, pages, input) is kept, seconds; `GET /jobs/{id}` answers "
        "404 `job_expired` afterwards.",
    )
    jobs_callback_allow: str = Field(
        "",
        description="Comma-separated hosts (`hooks.example.com`) or URL prefixes (`https://example.com/ocr/`) a "
        "job's `callback_url` may point to. Empty: callbacks are refused (422 `callback_not_allowed`).",
    )
    jobs_webhook_secret: SecretStr | None = Field(
        None,
        description="Key of the webhooks' HMAC-SHA256 signature (`X-Signature`). Unset: callbacks are refused "
        "(422 `callback_not_allowed`).",
    )
    jobs_webhook_attempts: int = Field(
        5, ge=1, le=20, description="Webhook deliveries tried per job (exponential backoff between them)."
    )
    jobs_webhook_backoff_s: float = Field(
        1.0, gt=0, description="Wait before the second webhook attempt, seconds; doubled before each further one."
    )
    jobs_webhook_timeout_s: float = Field(10.0, gt=0, description="Timeout of one webhook request, seconds.")

    @model_validator(mode="after")
    def _check_model_dirs(self) -> Settings:
        for name in ("det_model_dir", "rec_model_dir"):
            folder = getattr(self, name)
            if folder is not None and not folder.is_dir():
                raise ValueError(f"OCR_{name.upper()} is not a folder: {folder}")
        return self

    @model_validator(mode="after")
    def _check_jobs_worker(self) -> Settings:
        if not self.jobs_worker and self.redis_url is None:
            raise ValueError("OCR_JOBS_WORKER=false needs OCR_REDIS_URL: without Redis no other process runs the jobs")
        return self

    _api_keys: tuple[str, ...] = PrivateAttr(())

    @model_validator(mode="before")
    @classmethod
    def _mask_api_keys_input(cls, data: Any) -> Any:
        # A model-level error (another setting's) prints and returns the whole input, keys included.
        # Wrapped in place: pydantic reports this very dict as that error's `input`; a copy would not help.
        if isinstance(data, dict) and isinstance(data.get("api_keys"), str):
            data["api_keys"] = SecretStr(data["api_keys"])
        return data

    @field_validator("api_keys_file", mode="before")
    @classmethod
    def _empty_keys_file_is_unset(cls, value: object) -> object:
        # `OCR_API_KEYS_FILE=` (an empty line in an env file) means "no file", not the current folder.
        return None if value == "" else value

    @model_validator(mode="after")
    def _load_api_keys(self) -> Settings:
        self._api_keys = parse_api_keys(self.api_keys, self.api_keys_file)
        return self

    @field_validator("trusted_proxies")
    @classmethod
    def _check_trusted_proxies(cls, value: str) -> str:
        return ",".join(_proxy_entry(entry) for part in value.split(",") if (entry := part.strip()))

    @field_validator("rate_limit")
    @classmethod
    def _check_rate_limit(cls, value: str) -> str:
        if value.strip():
            parse_many(value)  # raises ValueError on a malformed rule, so startup fails early
        return value.strip()

    @property
    def api_key_list(self) -> tuple[str, ...]:
        """The configured keys, from `api_keys` or `api_keys_file` (read once, when the settings are built)."""
        return self._api_keys

    @property
    def cors_origin_list(self) -> list[str]:
        return [origin for part in self.cors_origins.split(",") if (origin := part.strip())]

    @property
    def max_batch_request_bytes(self) -> int:
        """Request body limit of `POST /ocr/batch`: every file at the upload limit, plus framing."""
        return self.batch_max_files * (self.max_upload_bytes + MULTIPART_OVERHEAD_BYTES)

    @property
    def cpu_threads(self) -> int:
        """The thread count engines should use: the setting, or the cores we may run on."""
        return self.inference_threads or max(1, available_cpus() // self.engines)


def parse_api_keys(value: SecretStr | None, path: Path | None) -> tuple[str, ...]:
    """The keys of `OCR_API_KEYS` or `OCR_API_KEYS_FILE`; () when neither is set. A source that is set
    but yields no key is an error: serving without authentication must never be an accident. No
    message quotes a key."""
    text = value.get_secret_value() if value is not None else ""
    if text and path is not None:
        raise ValueError("set OCR_API_KEYS or OCR_API_KEYS_FILE, not both")
    if path is not None:
        keys = _keys_from_file(path)
        if not keys:
            raise ValueError(f"OCR_API_KEYS_FILE {path} holds no key (only blank or `#` comment lines)")
        return keys
    keys = tuple(key for part in text.split(",") if (key := part.strip()))
    if text and not keys:
        raise ValueError(
            "OCR_API_KEYS is set but holds no key after parsing (only commas or blanks); "
            "unset it to run without authentication"
        )
    return keys


def _keys_from_file(path: Path) -> tuple[str, ...]:
    try:
        lines = path.expanduser().read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        # The reason only: a decode error's text would quote bytes of the file.
        reason = getattr(error, "strerror", None) or type(error).__name__
        raise ValueError(f"OCR_API_KEYS_FILE {path} cannot be read: {reason}") from None
    return tuple(key for line in lines if (key := line.strip()) and not key.startswith("#"))


def _proxy_entry(entry: str) -> str:
    """One `OCR_TRUSTED_PROXIES` entry, normalised (`10.1.2.3/8` -> `10.0.0.0/8`). uvicorn's proxy
    middleware would silently keep a malformed entry as a name that never matches: refuse it."""
    try:
        if "/" in entry:
            return str(ipaddress.ip_network(entry, strict=False))
        return str(ipaddress.ip_address(entry))
    except ValueError:
        raise ValueError(f"OCR_TRUSTED_PROXIES: {entry!r} is not an IP address or CIDR network") from None


CGROUP_ROOT = Path("/sys/fs/cgroup")


def cgroup_cpu_limit(root: Path = CGROUP_ROOT) -> float | None:
    """CPUs the container's CFS quota allows (cgroup v2 `cpu.max`, else v1's quota and
    period), or None when there is no quota or no cgroup file to read."""
    try:
        quota, period = (root / "cpu.max").read_text().split()[:2]
    except (OSError, ValueError):
        try:
            quota = (root / "cpu" / "cpu.cfs_quota_us").read_text().strip()
            period = (root / "cpu" / "cpu.cfs_period_us").read_text().strip()
        except OSError:
            return None
    if quota in ("max", "-1"):
        return None
    try:
        return int(quota) / int(period)
    except (ValueError, ZeroDivisionError):
        return None


def available_cpus(cgroup_root: Path = CGROUP_ROOT) -> int:
    """Cores this process may use: its CPU affinity, capped by a container CPU quota
    (`docker run --cpus 2`, a Kubernetes CPU limit). Thread pools sized by the host's core
    count instead oversubscribe a limited container and get throttled."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    limit = cgroup_cpu_limit(cgroup_root)
    return max(1, min(cores, math.ceil(limit))) if limit else cores


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read from the environment once."""
    return Settings()


def _env_name(name: str, field) -> str:
    alias = field.validation_alias
    if isinstance(alias, AliasChoices):
        return " / ".join(f"`{choice}`" for choice in alias.choices)
    return f"`OCR_{name.upper()}`"


def settings_table() -> str:
    """The configuration table of README.md, generated so the two cannot drift apart."""
    rows = ["| Variable | Default | Description |", "|---|---|---|"]
    for name, field in Settings.model_fields.items():
        default = {None: "unset", "": "empty"}.get(field.default, f"`{field.default}`")
        rows.append(f"| {_env_name(name, field)} | {default} | {field.description} |")
    return "\n".join(rows)


if __name__ == "__main__":
    print(settings_table())
