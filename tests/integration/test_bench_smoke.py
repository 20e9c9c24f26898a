"""Every benchmark script runs end to end with tiny settings, prints its table and writes
sane JSON. The figures themselves are not checked here: a loaded test machine says
nothing about speed."""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SHARED_DATA, SROIE

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
    args = ("--renders", "2", "--receipts", "1", "--presets", preset, "--space-priors", "1,16")
    stdout = run_bench("bench.models", *args, "--json", str(out))
    assert "s/page" in stdout and "weighted F1" in stdout and "F1 report" in stdout
    rows = json.loads(out.read_text())
    assert {row["set"] for row in rows} >= {"renders-clean", "renders-damaged"}
    if (SHARED_DATA / "sroie-dev" / "img").is_dir():  # both fixed halves, never mixed
        assert {row["set"] for row in rows} >= {"sroie-dev-tune", "sroie-dev-report"}
    assert all(row["pages"] == 1 for row in rows if row["set"].startswith("sroie"))
    assert {row["preset"] for row in rows} == {f"{preset} x1", f"{preset} x16"}
    assert all(0 <= row["f1"] <= 1 for row in rows)


def test_models_bench_measures_a_cascade_per_threshold(tmp_path: Path) -> None:
    out = tmp_path / "models.json"
    args = ("--renders", "2", "--receipts", "1", "--presets", "pp-ocrv6-cascade", "--cascade-thresholds", "0,0.99")
    run_bench("bench.models", *args, "--json", str(out))
    rows = json.loads(out.read_text())
    assert {row["preset"] for row in rows} == {"pp-ocrv6-cascade @0", "pp-ocrv6-cascade @0.99"}


def test_quantize_probe_says_why_it_cannot_run_without_nncf(tmp_path: Path) -> None:
    """nncf is no project dependency: without it the int8 probe must say so, not fail or
    half-run. nncf is made unimportable (a None entry in sys.modules) even where it is installed."""
    out = tmp_path / "quantize.json"
    hide_nncf = "import runpy, sys; sys.modules['nncf'] = None; runpy.run_module('bench.quantize', run_name='__main__')"
    done = subprocess.run(
        [sys.executable, "-c", hide_nncf, "--json", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "skipped: nncf is not installed" in done.stdout and not out.exists()


def test_fields_scores_synthetic_and_real_sets(tmp_path: Path) -> None:
    from bench.real_sets import HALVES, SETS, half_of

    out = tmp_path / "fields.json"
    stdout = run_bench("bench.fields", "--n", "8", "--engine", "truth", "--examples", "--json", str(out))
    assert "| all | 8 |" in stdout and "items F1" in stdout
    assert "### Real sets" in stdout and "### Calibration" in stdout and "confidence ≥ 0.9:" in stdout
    assert "### Check false alarms" in stdout and "tuning halves only" in stdout
    report = json.loads(out.read_text())
    assert report["synthetic"]["all"]["documents"] == 8 and report["ocr_cache"] is None
    real = report["real"]
    assert len(real["calibration"]["bins"]) == 6
    present = [name for name in SETS if (SHARED_DATA / name).is_dir()]
    if not present:
        assert real["rows"] == [] and len(real["skipped"]) == len(SETS)
        pytest.skip(f"{SHARED_DATA} holds no real set: the real-set rows are not checked")
    paths = {"einvoice-dev": ("xml", "layout"), "einvoice-dev/xml": ("xml",)}
    wanted = {(name, path, half) for name in present for path in paths.get(name, ("layout",)) for half in HALVES}
    rows = {(row["set"], row["path"], row["half"]): row for row in real["rows"]}
    assert set(rows) == wanted
    assert all(f"| {name} | {path} | {half} |" in stdout for name, path, half in wanted)
    assert all(0 <= value <= 1 for row in rows.values() for value in row["accuracy"].values())
    calibrated = sum(row["fields"] for row in real["calibration"]["bins"])
    assert calibrated >= real["calibration"]["high_confidence"]["fields"] > 0
    alarms = real["check_false_alarms"]
    assert 0 <= alarms["with_failed_check"] <= alarms["documents"]
    # Failures are shown from the tuning halves only: nobody may tune on the reporting half.
    tuning = real["tuning_examples"]
    shown = tuning["failures"] + tuning["confident_misses"]
    assert shown and all(half_of(example["set"], example["document"]) == "tune" for example in shown)
    misses = tuning["confident_misses"]
    assert all(row["confidence"] >= 0.9 and row["predicted"] != row["expected"] for row in misses)
    assert tuning["false_alarms"]["with_failed_check"] == len(tuning["false_alarms"]["alarmed"])


def test_layouts_bench_reads_chromium_prints(tmp_path: Path) -> None:
    """Three of the foreign layouts (a wrapped AWS-style key box, a credit note with
    "-€" amounts, a Lidl-style slip named only in its footer) read right end to end."""
    from bench.chromium import CHROMIUM

    if not CHROMIUM.is_file():
        pytest.skip(f"{CHROMIUM} is not installed (Debian: chromium, fonts-dejavu-core)")
    out = tmp_path / "layouts.json"
    stdout = run_bench("bench.layouts", "--only", "02_aws", "09_credit", "28_receipt_lidl", "--json", str(out))
    assert "| 02_aws | 8/8 |" in stdout and "| all | 21 | 21 |" in stdout
    report = json.loads(out.read_text())
    assert report["02_aws"]["invoice_number"] == ["EUINGB26-1839204", "EUINGB26-1839204"]
    assert report["09_credit"]["total"] == ["-98.40", "-98.40"]
    assert report["28_receipt_lidl"]["vendor_name"][1] == "Lidl Vertriebs-GmbH & Co. KG"


def test_real_sets_list_their_fixed_halves() -> None:
    from bench.real_sets import load_sets

    documents, _ = load_sets()
    if not documents:
        pytest.skip(f"{SHARED_DATA} holds no real set: nothing to split")
    stdout = run_bench("bench.real_sets", "--list")
    listed = {}
    for set_name, half, count, names in re.findall(r"^(\S+) (tune|report) \((\d+)\):(.*)$", stdout, re.MULTILINE):
        assert len(names.split()) == int(count)
        listed.update({(set_name, name): half for name in names.split()})
    assert listed == {(document.set, document.name): document.half for document in documents}


def test_a_due_date_only_the_payment_terms_state_is_not_scored_by_layout() -> None:
    """EN16931_Einfach's XML has no due date, but its payment terms (and its page) say
    "Zahlbar innerhalb 30 Tagen netto bis 04.04.2018": the layout path's truth is unknown."""
    from bench.real_sets import load_sets

    documents = {document.name: document for document in load_sets()[0] if document.set == "einvoice-dev"}
    if "EN16931_zugferd_2p1_EN16931_Einfach" not in documents:
        pytest.skip(f"{SHARED_DATA / 'einvoice-dev'} is not there: no e-invoice to check")
    einfach = documents["EN16931_zugferd_2p1_EN16931_Einfach"]
    assert einfach.expected["due_date"] is None and einfach.unknown == {"due_date"}
    assert "due_date" not in einfach.layout_expected() and "invoice_number" in einfach.layout_expected()
    with_due_date = [document for document in documents.values() if document.expected["due_date"]]
    assert with_due_date and all(not document.unknown for document in with_due_date)


def test_jobs_bench_runs_a_small_job(tmp_path: Path) -> None:
    out = tmp_path / "jobs.json"
    stdout = run_bench("bench.jobs", "--pages", "2", "--sync", "1", "--pause", "0.2", "--json", str(out), timeout=400)
    assert "submit → succeeded" in stdout and "while the job runs" in stdout
    report = json.loads(out.read_text())
    assert report["pages"] == 2 and report["job_pages_per_s"] > 0
    assert report["sync_alone"]["n"] == 1 and report["sync_during_job"]["n"] >= 1
