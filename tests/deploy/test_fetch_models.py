"""scripts/fetch_models.py: dry run, checksum verification, safe unpacking, offline install."""

from __future__ import annotations

import hashlib
import importlib.util
import io
import json
import re
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from .helpers import REPO

SCRIPT = REPO / "scripts" / "fetch_models.py"


@pytest.fixture(scope="module")
def fm():
    spec = importlib.util.spec_from_file_location("fetch_models", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["fetch_models"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(autouse=True)
def no_network(monkeypatch, request):
    """Any attempt to open a URL fails the test (tests that fake urlopen override this)."""
    if "fake_urlopen" in request.fixturenames:
        return

    def refuse(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr("urllib.request.urlopen", refuse)


def source_of(module: str, relative: str) -> str:
    spec = importlib.util.find_spec(module)
    assert spec and spec.origin, f"{module} not installed"
    return (Path(spec.origin).parent / relative).read_text(encoding="utf-8")


# ---------------------------------------------------------------- dry run


def test_dry_run_lists_urls_destinations_and_checksums(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--dry-run", "--dest", str(tmp_path / "models")],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "https_proxy": "http://127.0.0.1:9", "http_proxy": "http://127.0.0.1:9"},
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    base = "https://paddle-model-ecology.bj.bcebos.com/paddlex/official_inference_model/paddle3.0.0/"
    assert f"{base}PP-OCRv6_medium_det_infer.tar" in out
    assert f"{base}PP-OCRv6_medium_rec_infer.tar" in out
    assert str(tmp_path / "models" / "det") in out and str(tmp_path / "models" / "rec") in out
    assert len(re.findall(r"sha256: [0-9a-f]{64}", out)) == 2
    assert not (tmp_path / "models").exists(), "a dry run writes nothing"


def test_dry_run_marks_unpinned_preset(fm, capsys) -> None:
    assert fm.main(["--dry-run", "--preset", "pp-ocrv5-server"]) == 0
    out = capsys.readouterr().out
    assert "PP-OCRv5_server_det_infer.tar" in out and "/models/rec" in out
    assert out.count("NOT PINNED") == 2


def test_urls_follow_paddlex_official_hosting(fm) -> None:
    """Same host, path and version folder as paddlex's own BOS downloader, same model names."""
    source = source_of("paddlex", "inference/utils/official_models.py")
    base_url = re.search(r'base_url = \(\s*"([^"]+)"\s*\)', source).group(1)
    version = re.search(r'class _BosModelHoster.*?version = "([^"]+)"', source, re.S).group(1)
    assert f"{base_url}/{version}" == fm.BASE_URL
    assert '_infer.tar"' in source
    for archives in fm.PRESETS.values():
        for archive in archives:
            assert f'"{archive.model_name}"' in source, f"{archive.model_name} unknown to paddlex"


def test_default_preset_is_upstream_default(fm) -> None:
    source = source_of("paddleocr", "_pipelines/ocr.py")
    match = re.search(r'if lang is None and ppocr_version is None:\s*return "([^"]+)", "([^"]+)"', source)
    assert match, "paddleocr's default model choice moved; re-check DEFAULT_PRESET"
    names = tuple(archive.model_name for archive in fm.PRESETS[fm.DEFAULT_PRESET])
    assert names == match.groups()
    assert all(archive.sha256 for archive in fm.PRESETS[fm.DEFAULT_PRESET]), "the default preset must be pinned"


# ---------------------------------------------------------------- verify()


def test_verify_accepts_intact_and_rejects_corrupted_file(fm, tmp_path: Path) -> None:
    path = tmp_path / "model.tar"
    data = bytes(range(256)) * 64
    path.write_bytes(data)
    digest = hashlib.sha256(data).hexdigest()
    assert fm.verify(path, digest) == digest
    assert fm.verify(str(path), digest.upper()) == digest

    corrupted = bytearray(data)
    corrupted[1000] ^= 0x01
    path.write_bytes(bytes(corrupted))
    with pytest.raises(fm.ChecksumError) as error:
        fm.verify(path, digest)
    message = str(error.value)
    assert str(path) in message and digest in message and hashlib.sha256(corrupted).hexdigest() in message


def test_verify_rejects_missing_file_and_bad_digest(fm, tmp_path: Path) -> None:
    with pytest.raises(fm.ChecksumError, match="not found"):
        fm.verify(tmp_path / "absent.tar", "0" * 64)
    (tmp_path / "x").write_bytes(b"x")
    with pytest.raises(ValueError):
        fm.verify(tmp_path / "x", "not-a-digest")


# ---------------------------------------------------------------- safe_extract()


def make_tar(path: Path, members: list[tuple[str, bytes | None, bytes]]) -> Path:
    """members: (name, data or None for a folder, type flag)."""
    with tarfile.open(path, "w") as tar:
        for name, data, kind in members:
            info = tarfile.TarInfo(name)
            info.type = kind
            if kind == tarfile.SYMTYPE or kind == tarfile.LNKTYPE:
                info.linkname = data.decode() if data else "target"
                tar.addfile(info)
            elif kind == tarfile.DIRTYPE:
                info.mode = 0o755
                tar.addfile(info)
            else:
                info.size = len(data or b"")
                tar.addfile(info, io.BytesIO(data or b""))
    return path


@pytest.mark.parametrize(
    ("name", "data", "kind", "reason"),
    [
        ("../evil.txt", b"x", tarfile.REGTYPE, "escapes"),
        ("model/../../evil.txt", b"x", tarfile.REGTYPE, "escapes"),
        ("/etc/evil.txt", b"x", tarfile.REGTYPE, "absolute"),
        ("model/link", b"/etc/passwd", tarfile.SYMTYPE, "link"),
        ("model/hard", b"model/inference.yml", tarfile.LNKTYPE, "link"),
        ("model/fifo", None, tarfile.FIFOTYPE, "special"),
    ],
)
def test_safe_extract_refuses_unsafe_members(fm, tmp_path: Path, name, data, kind, reason) -> None:
    archive = make_tar(
        tmp_path / "bad.tar",
        [("model/inference.yml", b"Global:\n  model_name: X\n", tarfile.REGTYPE), (name, data, kind)],
    )
    dest = tmp_path / "out"
    with pytest.raises(fm.UnsafeArchiveError, match=reason):
        fm.safe_extract(archive, dest)
    assert not (tmp_path / "evil.txt").exists()
    assert not list(dest.rglob("*")), "nothing is written when any member is unsafe"


def test_safe_extract_unpacks_plain_archive(fm, tmp_path: Path) -> None:
    archive = make_tar(
        tmp_path / "ok.tar",
        [("./m/", None, tarfile.DIRTYPE), ("./m/inference.yml", b"yml", tarfile.REGTYPE)],
    )
    fm.safe_extract(archive, tmp_path / "out")
    assert (tmp_path / "out" / "m" / "inference.yml").read_bytes() == b"yml"


# ---------------------------------------------------------------- full install, offline


def fake_model_tar(folder: Path, model_name: str, *, yml_name: str | None = None) -> Path:
    top = f"{model_name}_infer"
    yml = f"Global:\n  model_name: {yml_name or model_name}\nPreProcess:\n  transform_ops: []\n".encode()
    return make_tar(
        folder / f"{model_name}_infer.tar",
        [
            (f"{top}/", None, tarfile.DIRTYPE),
            (f"{top}/inference.yml", yml, tarfile.REGTYPE),
            (f"{top}/inference.json", b'{"program": 1}', tarfile.REGTYPE),
            (f"{top}/inference.pdiparams", b"\x00weights\x01", tarfile.REGTYPE),
        ],
    )


@pytest.fixture
def fake_preset(fm, tmp_path: Path, monkeypatch):
    archives_dir = tmp_path / "archives"
    archives_dir.mkdir()
    archives = []
    for role, name in (("det", "Fake_det"), ("rec", "Fake_rec")):
        tar = fake_model_tar(archives_dir, name)
        archives.append(fm.ModelArchive(role, name, hashlib.sha256(tar.read_bytes()).hexdigest(), tar.stat().st_size))
    monkeypatch.setitem(fm.PRESETS, "fake", tuple(archives))
    return archives_dir


def test_install_from_archive_dir(fm, tmp_path: Path, fake_preset: Path) -> None:
    dest = tmp_path / "models"
    assert fm.main(["--preset", "fake", "--dest", str(dest), "--archive-dir", str(fake_preset)]) == 0
    for role in ("det", "rec"):
        assert sorted(p.name for p in (dest / role).iterdir()) == [
            "inference.json",
            "inference.pdiparams",
            "inference.yml",
        ]
        fm.check_model_dir(dest / role, f"Fake_{role}")
    manifest = json.loads((dest / "MODELS.json").read_text())
    assert manifest["preset"] == "fake" and all(model["pinned"] for model in manifest["models"])
    assert not [p for p in dest.iterdir() if p.name.startswith(".fetch-")], "temporary folders are removed"


def test_install_fails_on_checksum_mismatch(fm, tmp_path: Path, fake_preset: Path, capsys) -> None:
    tar = fake_preset / "Fake_det_infer.tar"
    data = bytearray(tar.read_bytes())
    data[600] ^= 0xFF  # inside the first member's data
    tar.write_bytes(bytes(data))
    dest = tmp_path / "models"
    assert fm.main(["--preset", "fake", "--dest", str(dest), "--archive-dir", str(fake_preset)]) == 1
    assert "SHA-256 mismatch" in capsys.readouterr().err
    assert not (dest / "det").exists()


def test_unpinned_archive_needs_explicit_consent(fm, tmp_path: Path, fake_preset: Path, monkeypatch, capsys) -> None:
    det, rec = fm.PRESETS["fake"]
    monkeypatch.setitem(fm.PRESETS, "fake", (fm.ModelArchive("det", det.model_name, None), rec))
    dest = tmp_path / "models"
    args = ["--preset", "fake", "--dest", str(dest), "--archive-dir", str(fake_preset)]
    assert fm.main(args) == 1
    err = capsys.readouterr().err
    computed = hashlib.sha256((fake_preset / "Fake_det_infer.tar").read_bytes()).hexdigest()
    assert computed in err and "--accept-unpinned" in err
    assert not (dest / "det").exists()

    assert fm.main([*args, "--accept-unpinned"]) == 0
    manifest = json.loads((dest / "MODELS.json").read_text())
    assert [model["pinned"] for model in manifest["models"]] == [False, True]
    assert manifest["models"][0]["sha256"] == computed


def test_install_rejects_wrong_or_incomplete_model(fm, tmp_path: Path, monkeypatch) -> None:
    archives_dir = tmp_path / "archives"
    archives_dir.mkdir()
    tar = fake_model_tar(archives_dir, "Fake_det", yml_name="Something_else")
    archive = fm.ModelArchive("det", "Fake_det", hashlib.sha256(tar.read_bytes()).hexdigest())
    with pytest.raises(fm.FetchError, match="model_name is 'Something_else'"):
        fm.install_archive(archive, tmp_path / "models", archive_dir=archives_dir)

    incomplete = tmp_path / "incomplete"
    incomplete.mkdir()
    (incomplete / "inference.yml").write_text("Global:\n  model_name: X\n")
    (incomplete / "inference.json").write_text("{}")
    with pytest.raises(fm.FetchError, match=r"missing inference\.pdiparams"):
        fm.check_model_dir(incomplete)


# ---------------------------------------------------------------- download()


class FakeResponse(io.BytesIO):
    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.headers = {"Content-Length": str(len(data))}

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


@pytest.fixture
def fake_urlopen(monkeypatch):
    calls = []
    payload = {"data": b"archive-bytes" * 1000}

    def urlopen(request, timeout=None):
        calls.append(request.full_url)
        return FakeResponse(payload["data"])

    monkeypatch.setattr("urllib.request.urlopen", urlopen)
    return calls, payload


def test_download_streams_and_hashes(fm, tmp_path: Path, fake_urlopen) -> None:
    calls, payload = fake_urlopen
    target = tmp_path / "a.tar"
    digest = fm.download("https://example.invalid/a.tar", target)
    assert digest == hashlib.sha256(payload["data"]).hexdigest() == fm.sha256_file(target)
    assert calls == ["https://example.invalid/a.tar"]


def test_download_refuses_plain_http_and_oversize(fm, tmp_path: Path, fake_urlopen, monkeypatch) -> None:
    with pytest.raises(fm.FetchError, match="non-HTTPS"):
        fm.download("http://example.invalid/a.tar", tmp_path / "a.tar")
    monkeypatch.setattr(fm, "MAX_ARCHIVE_BYTES", 100)
    with pytest.raises(fm.FetchError, match="too large"):
        fm.download("https://example.invalid/a.tar", tmp_path / "a.tar")
