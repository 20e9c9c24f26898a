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
