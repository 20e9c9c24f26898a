"""Page orientation: box mapping back to the uploaded page (pure) and the classifier on real pixels."""

from __future__ import annotations

import numpy as np
import pytest
import yaml
from PIL import Image

from invoice_ocr.engine.orientation import (
    get_orientation_classifier,
    materialize_textline_stage,
    printed_region,
    turn_clockwise,
)
from invoice_ocr.page import OcrLine, line_to_uploaded, point_to_uploaded, uploaded_size
from invoice_ocr.samples import render_sample_invoice
from tests.documents_support import turned_clockwise

ROTATIONS = (0, 90, 180, 270)


@pytest.mark.parametrize("rotation", ROTATIONS)
def test_points_map_back_to_the_same_pixel_of_the_uploaded_page(rotation):
    uploaded = np.zeros((7, 11), dtype=np.uint8)
    marks = [(0, 0), (10, 0), (10, 6), (0, 6), (3, 2)]
    for value, (x, y) in enumerate(marks, start=1):
        uploaded[y, x] = value
    upright = turn_clockwise(uploaded, rotation)
    height, width = upright.shape
    assert uploaded_size(width, height, rotation) == (11, 7)
    for value, expected in enumerate(marks, start=1):
        y, x = np.argwhere(upright == value)[0]
        assert point_to_uploaded((int(x), int(y)), rotation, width, height) == expected


@pytest.mark.parametrize(
    ("rotation", "expected"),
    [
        (0, ((10, 20), (50, 20), (50, 30), (10, 30))),
        # the upright page is 200×100 in every case
        (90, ((20, 189), (20, 149), (30, 149), (30, 189))),
        (180, ((189, 79), (149, 79), (149, 69), (189, 69))),
        (270, ((79, 10), (79, 50), (69, 50), (69, 10))),
    ],
)
def test_line_polygon_keeps_its_reading_order(rotation, expected):
    line = OcrLine("Total", 0.9, ((10, 20), (50, 20), (50, 30), (10, 30)))
    mapped = line_to_uploaded(line, rotation, 200, 100)
    assert mapped.polygon == expected
    assert (mapped.text, mapped.confidence) == ("Total", 0.9)


@pytest.mark.parametrize("turned", ROTATIONS)
def test_classifier_finds_how_to_turn_a_rendered_invoice_upright(turned):
    page = turned_clockwise(render_sample_invoice().image, turned)
    bgr = np.asarray(page)[:, :, ::-1]
    rotation = get_orientation_classifier().rotation(bgr)
    assert (rotation + turned) % 360 == 0


def test_textline_stage_describes_the_wheels_line_classifier(tmp_path):
    stage = materialize_textline_stage(tmp_path / "textline")
    metadata = yaml.safe_load((stage.path / "inference.yml").read_text(encoding="utf-8"))
    operations = {name: options for step in metadata["PreProcess"]["transform_ops"] for name, options in step.items()}
    assert stage.name == metadata["Global"]["model_name"] == "PP-LCNet_x0_25_textline_ori"
    assert operations["ResizeImage"] == {"size": [192, 48]}
    assert operations["NormalizeImage"]["mean"] == operations["NormalizeImage"]["std"] == [0.5, 0.5, 0.5]
    assert metadata["PostProcess"]["Topk"]["label_list"] == ["0_degree", "180_degree"]
    assert (stage.path / "inference.onnx").is_file()


def test_orienting_engine_turns_pages_before_reading_and_records_it():
    from invoice_ocr.engine.base import EngineInfo
    from invoice_ocr.engine.orientation import OrientingEngine
    from invoice_ocr.page import OcrPage

    class ShapeEngine:
        info = EngineInfo("fake", "fake", "cpu", False)

        def recognize(self, images):
            return [OcrPage(width=image.shape[1], height=image.shape[0]) for image in images]

    class FixedClassifier:
        def __init__(self, answers):
            self.answers = iter(answers)

        def rotation(self, image):
            return next(self.answers)

    tall, wide = np.zeros((30, 10, 3), np.uint8), np.zeros((10, 30, 3), np.uint8)
    engine = OrientingEngine(ShapeEngine(), FixedClassifier([90, 0]))
    turned, kept = engine.recognize([tall, wide])
    assert (turned.width, turned.height, turned.rotation) == (30, 10, 90)
    assert (kept.width, kept.height, kept.rotation) == (30, 10, 0)
    assert engine.info.model == "fake"


@pytest.mark.parametrize("turned", ROTATIONS)
def test_classifier_rights_a_page_whose_print_fills_only_its_top(turned):
    """A till slip printed on a long page, a receipt at the top of an A4 scan: the page's
    centre square, all the classifier sees of a page, is blank paper."""
    invoice = render_sample_invoice().image
    page = Image.new("RGB", (invoice.width, invoice.height * 3), "white")
    page.paste(invoice, (0, 0))
    bgr = np.asarray(turned_clockwise(page, turned))[:, :, ::-1]
    rotation = get_orientation_classifier().rotation(bgr)
    assert (rotation + turned) % 360 == 0


def test_a_blank_page_is_its_own_printed_region():
    blank = np.full((40, 30, 3), 255, dtype=np.uint8)
    assert printed_region(blank).shape == blank.shape
