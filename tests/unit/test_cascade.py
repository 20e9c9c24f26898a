"""The confidence cascade's merge: which reading each line keeps, words kept with their
text, and what the second recogniser is asked to read. Fake recognisers stand in for
PaddleX's: line crops in, one result mapping per crop out."""

from __future__ import annotations

import types
from typing import Any

from invoice_ocr.engine.cascade import CascadeRecogniser, install_cascade
from invoice_ocr.engine.normalize import lines_from_result
from invoice_ocr.engine.spacing import DecodedText, WordSpan


def reading(text: str, score: float) -> dict[str, Any]:
    """A PaddleX-shaped reading whose text carries its words, as our decoder makes it."""
    words = text.split(" ")
    share = 1 / len(words)
    spans = tuple(WordSpan(word, index * share, (index + 1) * share, score) for index, word in enumerate(words))
    return {"rec_text": DecodedText(text, spans), "rec_score": score, "vis_font": None}


class FakeRecogniser:
    """Reads each crop (a name) as `readings` says; records every call's crops and kwargs."""

    def __init__(self, readings: dict[str, dict[str, Any]]) -> None:
        self.readings = readings
        self.calls: list[tuple[list[str], dict[str, Any]]] = []

    def __call__(self, images: list[str], **kwargs: Any):
        self.calls.append((list(images), kwargs))
        return (self.readings[image] for image in images)  # a generator, as PaddleX's predictor returns


FIRST = FakeRecogniser(
    {
        "total": reading("TOTAL 39.80", 0.99),
        "vendor": reading("LIGHTR0OM GALLERY", 0.80),
        "date": reading("20/11/2017", 0.90),
        "tie": reading("CASH", 0.70),
    }
)
SECOND = FakeRecogniser(
    {
        "total": reading("TOTAL 99.99", 1.0),
        "vendor": reading("LIGHTROOM GALLERY SDN BHD", 0.95),
        "date": reading("2O/11/2O17", 0.60),
        "tie": reading("CA5H", 0.70),
    }
)


def cascade(threshold: float) -> tuple[CascadeRecogniser, FakeRecogniser, FakeRecogniser]:
    first, second = FakeRecogniser(FIRST.readings), FakeRecogniser(SECOND.readings)
    return CascadeRecogniser(first, second, threshold), first, second


def test_only_lines_under_the_threshold_are_read_again() -> None:
    recogniser, first, second = cascade(0.95)
    recogniser(["total", "vendor", "date", "tie"], return_word_box=False)
    assert first.calls == [(["total", "vendor", "date", "tie"], {"return_word_box": False})]
    # One call for all doubtful lines, in the pipeline's order, with the same options.
    assert second.calls == [(["vendor", "date", "tie"], {"return_word_box": False})]


def test_each_line_keeps_its_more_confident_reading() -> None:
    recogniser, _, _ = cascade(0.95)
    texts = [result["rec_text"] for result in recogniser(["total", "vendor", "date", "tie"])]
    # total: confident, never re-read (the second would have read it otherwise);
    # vendor: the second is surer; date: the first is surer; tie: the first stays.
    assert texts == ["TOTAL 39.80", "LIGHTROOM GALLERY SDN BHD", "20/11/2017", "CASH"]


def test_a_kept_reading_brings_its_confidence_and_words_to_the_line() -> None:
    recogniser, _, _ = cascade(0.95)
    results = recogniser(["total", "vendor", "date"])
    page = {
        "rec_texts": [result["rec_text"] for result in results],
        "rec_scores": [result["rec_score"] for result in results],
        "rec_polys": [[[0, 10 * row], [400, 10 * row], [400, 10 * row + 8], [0, 10 * row + 8]] for row in range(3)],
    }
    lines = lines_from_result(page, width=500, height=100)
    assert [(line.text, line.confidence) for line in lines] == [
        ("TOTAL 39.80", 0.99),
        ("LIGHTROOM GALLERY SDN BHD", 0.95),
        ("20/11/2017", 0.90),
    ]
    for line in lines:
        assert " ".join(word.text for word in line.words) == line.text
        assert {word.confidence for word in line.words} == {line.confidence}  # the fakes' words carry it


def test_threshold_zero_never_calls_the_second_recogniser() -> None:
    recogniser, _, second = cascade(0.0)
    assert [result["rec_score"] for result in recogniser(["vendor", "tie"])] == [0.80, 0.70]
    assert second.calls == []


def test_the_cascade_takes_the_pipeline_s_recogniser_s_place() -> None:
    first, second = FakeRecogniser(FIRST.readings), FakeRecogniser(SECOND.readings)
    inner = types.SimpleNamespace(text_rec_model=first)
    assert install_cascade(inner, second, 0.97)
    assert isinstance(inner.text_rec_model, CascadeRecogniser)
    assert inner.text_rec_model.first is first and inner.text_rec_model.second is second


def test_a_pipeline_without_a_recogniser_is_left_as_it_is() -> None:
    inner = types.SimpleNamespace()
    assert not install_cascade(inner, FakeRecogniser({}), 0.97)
    assert not hasattr(inner, "text_rec_model")
