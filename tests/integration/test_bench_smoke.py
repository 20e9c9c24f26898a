"""Every benchmark script runs end to end with tiny settings, prints its table and writes
sane JSON. The figures themselves are not checked here: a loaded test machine says
nothing about speed."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SROIE

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]


def run_bench(module: str, *args: str, timeout: float = 180) -> str:
    done = subprocess.run(
        [sys.executable, "-m", module, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    return done.stdout


def test_throughput_runs_raw_loop_and_server(tmp_path: Path) -> None:
    out = tmp_path / "throughput.json"
    stdout = run_bench(
        "bench.throughput", "--seconds", "1", "--levels", "1", "--pages", "2", "--no-peers", "--json", str(out)
    )
    assert "pages/s" in stdout and "p95 s" in stdout and "peak RSS MB" in stdout
    report = json.loads(out.read_text())
    raw, service = report["presets"][0]["raw"], report["presets"][0]["service"]
    assert raw["pages"] >= 2 and raw["pages_per_s"] > 0 and 0 < raw["f1"] <= 1
    (level,) = service["levels"]
    assert level["concurrency"] == 1 and level["requests_ok"] >= 1
    assert level["statuses"] == {"200": level["requests_ok"]}
    assert level["peak_rss_mb"] > 50 and 0 < service["f1"] <= 1
    assert "real F1" in stdout
    if (SROIE / "img").is_dir():  # the real receipts are scored beside the renders
        assert raw["real_f1"] > 0.5 and service["real_f1"] > 0.5
    else:
        assert raw["real_f1"] is None and service["real_f1"] is None
    assert report["peers"] == [] and any(check["check"].startswith("service p95") for check in report["targets"])


def test_peers_report_a_reason_when_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    from bench import peers

    monkeypatch.setattr(peers.shutil, "which", lambda _: None)
    reader = peers.tesseract_reader()
    measured = peers.measure(reader, peers.bench_pages(2))
    assert reader.read is None and "not found" in measured.skipped and measured.summary()["pages"] == 0


def test_soak_counts_statuses_and_rss(tmp_path: Path) -> None:
    out = tmp_path / "soak.json"
    stdout = run_bench("bench.soak", "--requests", "12", "--warmup", "4", "--every", "4", "--json", str(out))
    assert "RSS start" in stdout and "growth" in stdout and "peak under load" in stdout
    report = json.loads(out.read_text())
    assert report["requests"] == 12 and sum(report["statuses"].values()) == 12
    assert sorted(int(done) for done in report["rss_checkpoints_mb"]) == [0, 4, 8, 12]
    assert report["rss_peak_under_load_mb"] > 50
    assert report["unexpected"] == []
    assert report["rss_start_mb"] > 50 and math.isfinite(report["growth_after_warmup_mb"])


def test_tuning_runs_the_defaults_and_batching(tmp_path: Path) -> None:
    out = tmp_path / "tuning.json"
    args = ("--pages", "2", "--no-sroie", "--sweeps", "batching", "--seconds", "1", "--concurrency", "2")
    stdout = run_bench("bench.tuning", *args, "--json", str(out))
    assert "wall s/p" in stdout and "max_b" in stdout
    report = json.loads(out.read_text())
    (defaults,) = report["engine"]
    assert defaults["variant"] == "defaults" and 0 < defaults["renders"]["f1"] <= 1
    assert [row["max_batch"] for row in report["batching"]] == [1, 4, 8]
    assert all(row["pages"] >= 1 for row in report["batching"])


def test_models_bench_runs_one_preset(tmp_path: Path) -> None:
    from invoice_ocr.config import Settings

    out = tmp_path / "models.json"
    preset = Settings.model_fields["model_preset"].default
    args = ("--renders", "2", "--presets", preset, "--space-priors", "1,16")
    stdout = run_bench("bench.models", *args, "--json", str(out))
    assert "s/page" in stdout and "weighted F1" in stdout
    rows = json.loads(out.read_text())
    assert {row["set"] for row in rows} >= {"renders-clean", "renders-damaged"}
    assert {row["preset"] for row in rows} == {f"{preset} x1", f"{preset} x16"}
    assert all(0 <= row["f1"] <= 1 for row in rows)
