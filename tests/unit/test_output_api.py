"""`POST /ocr/`'s `words` and `format` over a fake engine: the HTTP side (media types, cache,
OpenAPI, batch); the real-engine checks are in tests/integration/test_output_formats.py."""

from __future__ import annotations

from PIL import Image

from invoice_ocr.output import FORMATS
from tests.conftest import FakeEngine, png_bytes

IMAGE = png_bytes(Image.new("RGB", (120, 40), "white"))


def post(client, **params):
    return client.post("/ocr/", files={"file": ("a.png", IMAGE)}, params=params)


def test_every_format_has_its_media_type_and_is_answered_from_the_cached_pages(fake_client_factory):
    engine = FakeEngine()
    client = fake_client_factory(engine)
    assert post(client).headers["X-Cache"] == "miss"
    for fmt, kind in FORMATS.items():
        response = post(client, format=fmt)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == kind.media_type
        assert response.headers["X-Cache"] == "hit"
    assert post(client, words="true").headers["X-Cache"] == "hit"
    assert engine.calls == 1  # one OCR for the JSON, the words and every format


def test_words_of_an_engine_without_word_boxes_are_shared_out_along_the_line(fake_client_factory):
    line = post(fake_client_factory(cache_max_entries=0), words="true").json()["results"][0]
    assert [word["text"] for word in line["words"]] == ["FAKE", "TEXT"]
    assert line["words"][0]["bounding_box"][0] == line["bounding_box"][0]
    assert line["words"][1]["bounding_box"][1] == line["bounding_box"][1]


def test_batch_takes_words_too(fake_client_factory):
    client = fake_client_factory()
    response = client.post("/ocr/batch", files=[("files", ("a.png", IMAGE))], params={"words": "true"})
    (line,) = response.json()["files"][0]["result"]["results"]
    assert " ".join(word["text"] for word in line["words"]) == line["text"]


def test_openapi_lists_the_formats_and_their_media_types(fake_client_factory):
    operation = fake_client_factory().get("/openapi.json").json()["paths"]["/ocr/"]["post"]
    parameters = {parameter["name"]: parameter["schema"] for parameter in operation["parameters"]}
    assert parameters["format"]["enum"] == ["json", "txt", "hocr", "pdf"]
    assert parameters["words"]["type"] == "boolean"
    content = operation["responses"]["200"]["content"]
    assert {"application/json", *(kind.media_type for kind in FORMATS.values())} <= set(content)
