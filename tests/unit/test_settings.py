import pytest
from pydantic import ValidationError

from invoice_ocr.config import MIB, Settings


def test_defaults_are_cpu_friendly_and_offline(monkeypatch):
    for name in ("OCR_PORT", "PORT", "OCR_DEVICE", "OCR_ENGINE", "OCR_MODEL_PRESET"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings()
    assert settings.port == 8080
    assert settings.engine == "openvino"
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


# --- API keys (OCR_API_KEYS / OCR_API_KEYS_FILE) and trusted proxies (OCR_TRUSTED_PROXIES) ---

SECRET = "Zm9v/YmFy+base64key=="


def _clear_key_env(monkeypatch) -> None:
    for name in ("OCR_API_KEYS", "OCR_API_KEYS_FILE", "OCR_TRUSTED_PROXIES", "OCR_DET_MODEL_DIR"):
        monkeypatch.delenv(name, raising=False)


def test_a_key_with_a_slash_is_a_key_not_a_path(monkeypatch):
    _clear_key_env(monkeypatch)
    monkeypatch.setenv("OCR_API_KEYS", f"{SECRET}, second-key")
    assert Settings().api_key_list == (SECRET, "second-key")


@pytest.mark.parametrize("value", ["", None])
def test_unset_or_empty_keys_mean_no_authentication(monkeypatch, value):
    _clear_key_env(monkeypatch)
    if value is not None:
        monkeypatch.setenv("OCR_API_KEYS", value)
        monkeypatch.setenv("OCR_API_KEYS_FILE", value)
    assert Settings().api_key_list == ()


@pytest.mark.parametrize("value", [" , ", ",", "   ", " ,\t, "])
def test_keys_set_but_empty_after_parsing_stop_the_start_up(monkeypatch, value):
    _clear_key_env(monkeypatch)
    monkeypatch.setenv("OCR_API_KEYS", value)
    with pytest.raises(ValidationError, match="OCR_API_KEYS is set but holds no key"):
        Settings()


def test_keys_file_one_per_line_with_comments(tmp_path):
    keys_file = tmp_path / "keys.txt"
    keys_file.write_text(f"# production\n{SECRET}\n\n  other-key  \n# old-key\n", encoding="utf-8")
    assert Settings(api_keys_file=keys_file).api_key_list == (SECRET, "other-key")


@pytest.mark.parametrize("content", ["# only a comment\n", "", "\n  \n# a\n"])
def test_keys_file_without_a_key_stops_the_start_up(tmp_path, content):
    keys_file = tmp_path / "keys.txt"
    keys_file.write_text(content, encoding="utf-8")
    with pytest.raises(ValidationError, match="holds no key"):
        Settings(api_keys_file=keys_file)


def test_missing_keys_file_or_both_sources_stop_the_start_up(tmp_path):
    with pytest.raises(ValidationError, match="cannot be read") as missing:
        Settings(api_keys_file=tmp_path / "missing.txt")
    assert "missing.txt" in str(missing.value)
    keys_file = tmp_path / "keys.txt"
    keys_file.write_text("k1\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="not both"):
        Settings(api_keys="k2", api_keys_file=keys_file)


def _full_error_text(error: BaseException) -> str:
    import traceback

    return "".join(traceback.format_exception(error)) + repr(getattr(error, "errors", lambda: "")())


def test_no_key_appears_in_validation_errors_or_tracebacks(monkeypatch, tmp_path):
    _clear_key_env(monkeypatch)
    monkeypatch.setenv("OCR_API_KEYS", SECRET)
    # Another setting's error used to print the whole input, keys included.
    monkeypatch.setenv("OCR_DET_MODEL_DIR", str(tmp_path / "missing"))
    with pytest.raises(ValidationError) as other_field:
        Settings()
    assert "not a folder" in str(other_field.value)
    assert SECRET not in _full_error_text(other_field.value)
    monkeypatch.delenv("OCR_DET_MODEL_DIR")
    keys_file = tmp_path / "keys.txt"
    keys_file.write_text(SECRET + "\n", encoding="utf-8")
    monkeypatch.setenv("OCR_API_KEYS_FILE", str(keys_file))
    with pytest.raises(ValidationError) as both:
        Settings()
    assert SECRET not in _full_error_text(both.value)


def test_keys_are_masked_in_the_settings_repr():
    settings = Settings(api_keys=SECRET)
    assert settings.api_key_list == (SECRET,)
    assert SECRET not in repr(settings) and SECRET not in str(settings)
    assert SECRET not in settings.model_dump_json()


def test_trusted_proxies_are_ips_or_networks(monkeypatch):
    _clear_key_env(monkeypatch)
    assert Settings().trusted_proxies == ""
    monkeypatch.setenv("OCR_TRUSTED_PROXIES", " 127.0.0.1, 10.0.0.0/8 ,::1,, 192.168.1.7/24")
    assert Settings().trusted_proxies == "127.0.0.1,10.0.0.0/8,::1,192.168.1.0/24"


@pytest.mark.parametrize("value", ["localhost", "*", "10.0.0.0/33", "127.0.0.1;10.0.0.1"])
def test_malformed_trusted_proxies_stop_the_start_up(value):
    with pytest.raises(ValidationError, match="OCR_TRUSTED_PROXIES"):
        Settings(trusted_proxies=value)
