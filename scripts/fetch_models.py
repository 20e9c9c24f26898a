#!/usr/bin/env python3
"""Fetch the official PaddleOCR inference models (Paddle format) for the GPU image.

Run at image build time (`RUN python scripts/fetch_models.py --dest /models`), never at
container start: the running service does not touch the network for models. The result is

    <dest>/det/   inference.json  inference.pdiparams  inference.yml
    <dest>/rec/   inference.json  inference.pdiparams  inference.yml
    <dest>/MODELS.json            what was fetched, from where, with which SHA-256

which is what `OCR_DET_MODEL_DIR=/models/det` and `OCR_REC_MODEL_DIR=/models/rec` point at.

Source: PaddlePaddle's own model hosting (Baidu BOS), the same URLs PaddleX 3.7.2 builds in
`paddlex/inference/utils/official_models.py` (`_BosModelHoster`):
    https://paddle-model-ecology.bj.bcebos.com/paddlex/official_inference_model/paddle3.0.0/<model>_infer.tar

Integrity: every archive is hashed while it streams in and compared with the SHA-256 pinned
in `PRESETS` below. A mismatch always fails. An archive whose checksum is not pinned yet
fails too, printing the computed SHA-256 so it can be reviewed and pinned, unless
`--accept-unpinned` is given (trust on first use; the computed hash is still recorded in
MODELS.json). Archives are unpacked by our own code: only plain files and folders, no
absolute paths, no `..`, no links or devices, bounded total size.

Standard library only, so it runs in any Python >= 3.8 before requirements are installed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import sys
import tarfile
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

BASE_URL = "https://paddle-model-ecology.bj.bcebos.com/paddlex/official_inference_model/paddle3.0.0"
DEFAULT_PRESET = "pp-ocrv6-medium"
DEFAULT_DEST = "/models"

MAX_ARCHIVE_BYTES = 1 << 30  # 1 GiB: the largest archive we accept (official ones are < 200 MB)
MAX_EXTRACTED_BYTES = 2 << 30  # 2 GiB: guard against decompression bombs
CHUNK = 1 << 20


class FetchError(RuntimeError):
    """Anything that must stop the build; the message says what and where."""


class ChecksumError(FetchError):
    """A file's SHA-256 differs from the pinned one."""


class UnpinnedChecksumError(FetchError):
    """No SHA-256 is pinned for an archive and --accept-unpinned was not given."""


class UnsafeArchiveError(FetchError):
    """An archive member would escape the target folder or is not a plain file/folder."""


@dataclass(frozen=True)
class ModelArchive:
    """One official inference-model archive and where it goes under --dest."""

    role: str  # "det" or "rec": the folder name under --dest
    model_name: str  # PaddleX model name, also `Global.model_name` in its inference.yml
    sha256: str | None  # pinned SHA-256 of the .tar, or None when not pinned yet
    size: int | None = None  # expected archive size in bytes, when known

    @property
    def url(self) -> str:
        return f"{BASE_URL}/{self.model_name}_infer.tar"

    @property
    def filename(self) -> str:
        return f"{self.model_name}_infer.tar"


# Checksum provenance (be honest about it): the two PP-OCRv6 medium digests and sizes come
# from a public record of the official archives (a project that pinned them after
# downloading them, 2026-08-06); the sizes agree with two further independent public
# records. They were NOT computed in this repository, which has no access to the model host.
# The PP-OCRv5 server archives have no pinned digest: building that preset needs
# --accept-unpinned until someone who has downloaded them pins the printed values here.
PRESETS: dict[str, tuple[ModelArchive, ...]] = {
    # Upstream default: paddleocr 3.7.0 `PaddleOCR()` with no lang/ocr_version, and
    # paddlex 3.7.2 `configs/pipelines/OCR.yaml`, both use PP-OCRv6 medium det + rec.
    "pp-ocrv6-medium": (
        ModelArchive(
            "det",
            "PP-OCRv6_medium_det",
            "144d0621e059566e5086e228829171591c144c2deb07b2dad4962214fbabfcf7",
            62_279_680,
        ),
        ModelArchive(
            "rec",
            "PP-OCRv6_medium_rec",
            "4eecc1c6a4623765042e6fc15446da0da110b7d875b6b72b2d351d2b2dbd4da6",
            76_851_200,
        ),
    ),
    # The previous generation's server pair (upstream default for PP-OCRv5, lang=ch).
    "pp-ocrv5-server": (
        ModelArchive("det", "PP-OCRv5_server_det", None),
        ModelArchive("rec", "PP-OCRv5_server_rec", None),
    ),
}

# What a Paddle-format inference folder must hold (PaddleX 3.x: PIR json program, or the
# older protobuf program) next to its inference.yml.
PADDLE_PROGRAM_FILES = ("inference.json", "inference.pdmodel")
PADDLE_PARAMS_FILE = "inference.pdiparams"
_SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


def log(message: str) -> None:
    print(f"fetch_models: {message}", file=sys.stderr, flush=True)


def sha256_file(path: str | os.PathLike[str]) -> str:
    """The hex SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def verify(path: str | os.PathLike[str], sha256: str) -> str:
    """Check that `path` exists and hashes to `sha256`; return the digest.

    Raises ChecksumError naming the file, the expected and the actual digest.
    """
    expected = sha256.strip().lower()
    if not _SHA256_RE.match(expected):
        raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
    if not os.path.isfile(path):
        raise ChecksumError(f"{path}: file not found, cannot verify SHA-256")
    actual = sha256_file(path)
    if actual != expected:
        raise ChecksumError(f"{path}: SHA-256 mismatch: expected {expected}, got {actual}")
    return actual


def download(url: str, target: Path, *, timeout: float = 60.0, retries: int = 3) -> str:
    """Stream `url` into `target` and return the SHA-256 of what was written.

    HTTPS only; bounded size; a few retries with backoff on network errors.
    """
    if not url.startswith("https://"):
        raise FetchError(f"refusing non-HTTPS model URL: {url}")
    last_error: Exception | None = None
    for attempt in range(1, retries + 1):
        digest = hashlib.sha256()
        written = 0
        try:
            request = urllib.request.Request(url, headers={"User-Agent": "invoice-ocr-fetch-models/1"})
            with urllib.request.urlopen(request, timeout=timeout) as response, open(target, "wb") as out:
                length = response.headers.get("Content-Length")
                if length is not None and int(length) > MAX_ARCHIVE_BYTES:
                    raise FetchError(f"{url}: archive too large ({length} bytes > {MAX_ARCHIVE_BYTES})")
                for block in iter(lambda: response.read(CHUNK), b""):
                    written += len(block)
                    if written > MAX_ARCHIVE_BYTES:
                        raise FetchError(f"{url}: archive too large (> {MAX_ARCHIVE_BYTES} bytes)")
                    digest.update(block)
                    out.write(block)
            log(f"downloaded {url} ({written} bytes)")
            return digest.hexdigest()
        except FetchError:
            raise
        except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as error:
            last_error = error
            if attempt < retries:
                wait = 2**attempt
                log(f"download failed ({error}); retry {attempt}/{retries - 1} in {wait} s")
                time.sleep(wait)
    raise FetchError(f"cannot download {url}: {last_error}")


def _member_target(root: Path, member: tarfile.TarInfo) -> Path:
    """Where a member would land, after refusing anything unsafe."""
    name = member.name
    pure = PurePosixPath(name)
    if not name or name.startswith(("/", "\\")) or pure.is_absolute() or re.match(r"^[A-Za-z]:", name):
        raise UnsafeArchiveError(f"archive member has an absolute path: {name!r}")
    if any(part == ".." for part in pure.parts) or "\\" in name:
        raise UnsafeArchiveError(f"archive member escapes the target folder: {name!r}")
    if not (member.isfile() or member.isdir()):
        kind = "link" if (member.issym() or member.islnk()) else "special file"
        raise UnsafeArchiveError(f"archive member is a {kind}, refusing: {name!r}")
    target = (root / Path(*pure.parts)).resolve()
    if target != root and root not in target.parents:
        raise UnsafeArchiveError(f"archive member escapes the target folder: {name!r}")
    return target


def safe_extract(archive: str | os.PathLike[str], dest: str | os.PathLike[str]) -> None:
    """Unpack a tar archive into `dest`, accepting only plain files and folders inside it.

    Every member is checked before anything is written, so a bad archive leaves `dest`
    untouched. Files are written by this code (no tarfile.extract), without the archive's
    owners, modes or times.
    """
    root = Path(dest).resolve()
    root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive, "r:*") as tar:
        members = tar.getmembers()
        total = 0
        planned: list[tuple[tarfile.TarInfo, Path]] = []
        for member in members:
            target = _member_target(root, member)
            if member.isfile():
                total += member.size
                if total > MAX_EXTRACTED_BYTES:
                    raise UnsafeArchiveError(f"{archive}: unpacks to more than {MAX_EXTRACTED_BYTES} bytes")
            planned.append((member, target))
        for member, target in planned:
            if member.isdir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            source = tar.extractfile(member)
            if source is None:  # pragma: no cover - isfile() members always have data
                raise UnsafeArchiveError(f"cannot read archive member {member.name!r}")
            with source, open(target, "wb") as out:
                shutil.copyfileobj(source, out, CHUNK)
            os.chmod(target, 0o644)


def model_root(extracted: Path) -> Path:
    """The folder holding inference.yml: the archive root or its single top folder."""
    if (extracted / "inference.yml").is_file():
        return extracted
    entries = [entry for entry in extracted.iterdir() if not entry.name.startswith(".")]
    if len(entries) == 1 and entries[0].is_dir():
        return entries[0]
    names = ", ".join(sorted(entry.name for entry in entries)) or "nothing"
    raise FetchError(f"{extracted}: expected one model folder with inference.yml, found {names}")


def yml_model_name(yml: Path) -> str | None:
    """`Global.model_name` from an inference.yml, read without a YAML library."""
    in_global = False
    for raw in yml.read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        if not line.startswith((" ", "\t")):
            in_global = line.strip() == "Global:"
            continue
        match = re.match(r"^\s+model_name:\s*['\"]?([^'\"]+?)['\"]?\s*$", line)
        if in_global and match:
            return match.group(1)
    return None


def check_model_dir(folder: str | os.PathLike[str], model_name: str | None = None) -> None:
    """Raise FetchError unless `folder` is a complete Paddle inference model folder."""
    path = Path(folder)
    missing = []
    if not (path / "inference.yml").is_file():
        missing.append("inference.yml")
    if not any((path / name).is_file() for name in PADDLE_PROGRAM_FILES):
        missing.append(" or ".join(PADDLE_PROGRAM_FILES))
    if not (path / PADDLE_PARAMS_FILE).is_file():
        missing.append(PADDLE_PARAMS_FILE)
    if missing:
        raise FetchError(f"{path}: incomplete model folder, missing {', '.join(missing)}")
    for name in (*PADDLE_PROGRAM_FILES, PADDLE_PARAMS_FILE):
        candidate = path / name
        if candidate.is_file() and candidate.stat().st_size == 0:
            raise FetchError(f"{candidate}: empty model file")
    if model_name is not None:
        found = yml_model_name(path / "inference.yml")
        if found is None:
            raise FetchError(f"{path / 'inference.yml'}: no Global.model_name")
        if found != model_name:
            raise FetchError(f"{path / 'inference.yml'}: model_name is {found!r}, expected {model_name!r}")


def check_digest(archive: ModelArchive, path: Path, computed: str, *, accept_unpinned: bool) -> bool:
    """Compare a computed digest with the pinned one; return whether it was pinned."""
    if archive.sha256 is None:
        log(f"{archive.filename}: no pinned SHA-256; computed {computed}")
        if not accept_unpinned:
            raise UnpinnedChecksumError(
                f"{archive.filename}: SHA-256 not pinned in scripts/fetch_models.py (computed {computed}); "
                "review it and pin it there, or pass --accept-unpinned to trust it on first use"
            )
        return False
    verify(path, archive.sha256)
    if archive.size is not None and path.stat().st_size != archive.size:
        raise ChecksumError(f"{path}: size {path.stat().st_size} bytes, expected {archive.size}")
    if computed != archive.sha256:  # the streamed hash and the file on disk must agree
        raise ChecksumError(f"{path}: SHA-256 mismatch: expected {archive.sha256}, got {computed}")
    return True


def install_archive(
    archive: ModelArchive,
    dest: Path,
    *,
    accept_unpinned: bool = False,
    archive_dir: Path | None = None,
    timeout: float = 60.0,
) -> dict:
    """Fetch (or take from `archive_dir`), verify, unpack and check one model; return its record."""
    dest.mkdir(parents=True, exist_ok=True)
    final = dest / archive.role
    with tempfile.TemporaryDirectory(prefix=f".fetch-{archive.role}-", dir=dest) as work:
        work_dir = Path(work)
        if archive_dir is not None:
            local = archive_dir / archive.filename
            if not local.is_file():
                raise FetchError(f"{local}: archive not found in --archive-dir")
            tar_path = local
            computed = sha256_file(local)
            source = str(local)
        else:
            tar_path = work_dir / archive.filename
            computed = download(archive.url, tar_path, timeout=timeout)
            source = archive.url
        pinned = check_digest(archive, tar_path, computed, accept_unpinned=accept_unpinned)
        extracted = work_dir / "extracted"
        safe_extract(tar_path, extracted)
        root = model_root(extracted)
        check_model_dir(root, archive.model_name)
        if final.exists():
            shutil.rmtree(final)
        shutil.move(str(root), str(final))
    for path in [final, *final.rglob("*")]:
        os.chmod(path, 0o755 if path.is_dir() else 0o644)
    log(f"{archive.model_name} -> {final} (sha256 {computed}, {'pinned' if pinned else 'UNPINNED'})")
    return {
        "role": archive.role,
        "model_name": archive.model_name,
        "source": source,
        "sha256": computed,
        "pinned": pinned,
        "path": str(final),
    }


def plan_lines(preset: str, dest: Path) -> list[str]:
    lines = [f"preset {preset} -> {dest}"]
    for archive in PRESETS[preset]:
        expected = archive.sha256 or "NOT PINNED (needs --accept-unpinned)"
        size = f"{archive.size} bytes" if archive.size else "size unknown"
        lines.append(f"  {archive.role}: {archive.model_name}")
        lines.append(f"    url:    {archive.url}")
        lines.append(f"    dest:   {dest / archive.role}")
        lines.append(f"    sha256: {expected} ({size})")
    return lines


def fetch(
    preset: str,
    dest: Path,
    *,
    accept_unpinned: bool = False,
    archive_dir: Path | None = None,
    timeout: float = 60.0,
) -> list[dict]:
    records = [
        install_archive(archive, dest, accept_unpinned=accept_unpinned, archive_dir=archive_dir, timeout=timeout)
        for archive in PRESETS[preset]
    ]
    manifest = {"preset": preset, "models": records}
    (dest / "MODELS.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    os.chmod(dest / "MODELS.json", 0o644)
    os.chmod(dest, 0o755)
    return records


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description="Fetch and verify the official PaddleOCR inference models for the GPU image."
    )
    parser.add_argument("--preset", choices=sorted(PRESETS), default=DEFAULT_PRESET, help="model pair to fetch")
    parser.add_argument("--dest", default=DEFAULT_DEST, help=f"output folder (default {DEFAULT_DEST})")
    parser.add_argument("--dry-run", action="store_true", help="print URLs, destinations and checksums; no network")
    parser.add_argument(
        "--accept-unpinned",
        action="store_true",
        help="accept archives whose SHA-256 is not pinned yet (prints the computed value)",
    )
    parser.add_argument(
        "--archive-dir",
        type=Path,
        help="use <model>_infer.tar files from this folder instead of downloading (offline builds)",
    )
    parser.add_argument("--timeout", type=float, default=60.0, help="network timeout per read, seconds")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    dest = Path(args.dest)
    if args.dry_run:
        print("\n".join(plan_lines(args.preset, dest)))
        return 0
    try:
        fetch(
            args.preset,
            dest,
            accept_unpinned=args.accept_unpinned,
            archive_dir=args.archive_dir,
            timeout=args.timeout,
        )
    except FetchError as error:
        log(f"ERROR: {error}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
