import pytest
from pydantic import ValidationError

from invoice_ocr.config import MIB, Settings


def test_defaults_are_cpu_friendly_and_offline(monkeypatch):
    for name in ("OCR_PORT", "PORT", "OCR_DEVICE", "OCR_ENGINE", "OCR_MODEL_PRESET"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings()
    assert settings.port == 8080
    assert settings.engine == "onnxruntime"
    assert settings.device == "auto"
    assert settings.max_upload_bytes == 20 * MIB
    assert settings.text_normalization is True


def test_environment_prefix(monkeypatch):
    monkeypatch.setenv("OCR_QUEUE_SIZE", "3")
    monkeypatch.setenv("OCR_DEVICE", "cpu")
    monkeypatch.setenv("OCR_TEXT_NORMALIZATION", "false")
    settings = Settings()
    assert (settings.queue_size, settings.device, settings.text_normalization) == (3, "cpu", False)


def test_port_from_ocr_port_or_port(monkeypatch):
    monkeypatch.delenv("OCR_PORT", raising=False)
    monkeypatch.setenv("PORT", "9000")
    assert Settings().port == 9000
    monkeypatch.setenv("OCR_PORT", "9100")
    assert Settings().port == 9100


@pytest.mark.parametrize(
    ("name", "value"),
    [("OCR_DEVICE", "tpu"), ("OCR_ENGINE", "torch"), ("OCR_QUEUE_SIZE", "0"), ("OCR_PORT", "70000")],
)
def test_invalid_values_are_refused(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError):
        Settings()


def test_model_dir_must_exist(tmp_path):
    with pytest.raises(ValidationError, match="not a folder"):
        Settings(det_model_dir=tmp_path / "missing")


def test_cpu_threads_defaults_to_available_cores():
    assert Settings(inference_threads=0).cpu_threads >= 1
    assert Settings(inference_threads=3).cpu_threads == 3


def cgroup(tmp_path, v2: str | None = None, v1: tuple[str, str] | None = None):
    tmp_path.mkdir()
    if v2 is not None:
        (tmp_path / "cpu.max").write_text(v2 + "\n")
    if v1 is not None:
        (tmp_path / "cpu").mkdir()
        (tmp_path / "cpu" / "cpu.cfs_quota_us").write_text(v1[0] + "\n")
        (tmp_path / "cpu" / "cpu.cfs_period_us").write_text(v1[1] + "\n")
    return tmp_path


def test_cgroup_cpu_quota_is_read_from_v2_and_v1_files(tmp_path):
    from invoice_ocr.config import cgroup_cpu_limit

    assert cgroup_cpu_limit(cgroup(tmp_path / "a", v2="150000 100000")) == 1.5
    assert cgroup_cpu_limit(cgroup(tmp_path / "b", v2="max 100000")) is None
    assert cgroup_cpu_limit(cgroup(tmp_path / "c", v1=("200000", "100000"))) == 2.0
    assert cgroup_cpu_limit(cgroup(tmp_path / "d", v1=("-1", "100000"))) is None
    assert cgroup_cpu_limit(tmp_path / "missing") is None


def test_available_cpus_is_capped_by_the_quota_never_below_one(tmp_path):
    from invoice_ocr.config import available_cpus

    unlimited = available_cpus(tmp_path / "missing")
    assert unlimited >= 1
    assert available_cpus(cgroup(tmp_path / "half", v2="50000 100000")) == 1
    assert available_cpus(cgroup(tmp_path / "huge", v2="6400000 100000")) == unlimited


def test_cores_are_shared_out_among_engines():
    from invoice_ocr.config import available_cpus

    assert Settings(engines=2).cpu_threads == max(1, available_cpus() // 2)
    assert Settings(engines=16).cpu_threads >= 1
    assert Settings(engines=2, inference_threads=3).cpu_threads == 3
