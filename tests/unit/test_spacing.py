"""The space prior in CTC decoding (engine/spacing.py), on hand-made probabilities."""

from __future__ import annotations

import numpy as np
import pytest

from invoice_ocr.engine.spacing import (
    DecodedText,
    SpacePriorDecode,
    WordSpan,
    greedy_with_space_prior,
    install_space_prior,
    word_spans,
)

BLANK, SPACE, A, B = 0, 1, 2, 3
CHARACTERS = ["blank", " ", "a", "b"]


def steps(*rows: list[float]) -> np.ndarray:
    return np.array([rows], dtype=np.float32)


def test_space_wins_where_its_scaled_probability_beats_the_best():
    probs = steps([0.1, 0.0, 0.9, 0.0], [0.85, 0.15, 0.0, 0.0], [0.1, 0.0, 0.0, 0.9])
    indices, scores = greedy_with_space_prior(probs, SPACE, factor=8)
    assert indices.tolist() == [[A, SPACE, B]]
    # The winner keeps the step's best probability as its score, so confidences stay ≤ 1.
    assert scores[0].tolist() == pytest.approx([0.9, 0.85, 0.9])


def test_a_weak_space_and_factor_one_change_nothing():
    probs = steps([0.1, 0.0, 0.9, 0.0], [0.97, 0.03, 0.0, 0.0], [0.1, 0.0, 0.0, 0.9])
    assert greedy_with_space_prior(probs, SPACE, factor=8)[0].tolist() == [[A, BLANK, B]]
    assert greedy_with_space_prior(probs, SPACE, factor=1)[0].tolist() == [[A, BLANK, B]]


class FakeDecode:
    """Stands in for PaddleX's CTCLabelDecode: `decode` turns class indices into text,
    calling it runs greedy decoding on the first output."""

    character = CHARACTERS

    def decode(self, indices, probabilities, is_remove_duplicate=False):
        assert is_remove_duplicate
        return [
            ("".join(CHARACTERS[i] for i in row if i != BLANK), float(np.mean(scores)))
            for row, scores in zip(indices, probabilities, strict=True)
        ]

    def __call__(self, pred, **kwargs):
        best = np.asarray(pred[0]).argmax(-1)
        return ["".join(CHARACTERS[i] for i in row if i != BLANK) for row in best], ["plain"]


class FakeRecogniser:
    def __init__(self, decode) -> None:
        self.post_op = decode


def test_installed_prior_changes_the_decoded_text():
    recogniser = FakeRecogniser(FakeDecode())
    assert install_space_prior(recogniser, 8)
    assert isinstance(recogniser.post_op, SpacePriorDecode)
    probs = steps([0.1, 0.0, 0.9, 0.0], [0.85, 0.15, 0.0, 0.0], [0.1, 0.0, 0.0, 0.9])
    texts, scores = recogniser.post_op([probs], return_word_box=False, wh_ratio_list=[3.0], max_wh_ratio=3.0)
    assert texts == ["a b"]
    assert scores == [pytest.approx((0.9 + 0.85 + 0.9) / 3)]
    # The words split at the spaces the prior chose, whatever PaddleX was asked for.
    for asked in (False, True):
        (text,), _ = recogniser.post_op([probs], return_word_box=asked)
        assert isinstance(text, DecodedText)
        assert [word.text for word in text.words] == text.split(" ") == ["a", "b"]


def test_words_lie_where_their_characters_were_read():
    # 10 steps: "ab" at steps 1-2 (b repeated at 3: one character), space at 5, "a" at 7;
    # the text fills half of the padded input, so its 5 steps are the whole line.
    rows = [[0.9, 0, 0, 0]] * 10
    rows[1], rows[2], rows[3] = [0, 0, 0.8, 0], [0, 0, 0, 0.6], [0, 0, 0, 0.9]
    rows[5], rows[7] = [0, 0.9, 0, 0], [0, 0, 0.7, 0]
    probs = np.array(rows, dtype=np.float32)
    spans = word_spans(probs.argmax(-1), probs.max(-1), CHARACTERS, text_share=1.0)
    first, second = spans
    assert (first.text, second.text) == ("ab", "a")
    # A step before the first peak to 1.5 after the last, as shares of the 10 steps.
    assert (first.start, first.end) == pytest.approx((0.0, 0.35))
    assert (second.start, second.end) == pytest.approx((0.6, 0.85))
    assert first.confidence == pytest.approx((0.8 + 0.6) / 2)
    assert second.confidence == pytest.approx(0.7)
    # Half the padded input: the same steps are twice the share of the text, capped at 1.
    assert word_spans(probs.argmax(-1), probs.max(-1), CHARACTERS, text_share=0.5)[1].end == 1.0


def test_factor_one_decodes_as_paddlex_does_and_still_gives_words():
    recogniser = FakeRecogniser(FakeDecode())
    assert install_space_prior(recogniser, 1)
    probs = steps([0.1, 0.0, 0.9, 0.0], [0.85, 0.15, 0.0, 0.0], [0.1, 0.0, 0.0, 0.9])
    (text,), _ = recogniser.post_op([probs])
    assert text == "ab" and [word.text for word in text.words] == ["ab"]
    assert text.words == (WordSpan("ab", 0.0, 1.0, pytest.approx(0.9)),)


def test_nothing_is_installed_when_it_cannot_apply(caplog):
    no_space = FakeDecode()
    no_space.character = ["blank", "a", "b"]
    for recogniser in (FakeRecogniser(no_space), FakeRecogniser(None), None):
        before = getattr(recogniser, "post_op", None)
        assert not install_space_prior(recogniser, 8)
        assert getattr(recogniser, "post_op", None) is before
    # Each case says why in the log: a prior that silently does nothing would go unnoticed.
    assert len([r for r in caplog.records if "space prior and words not installed" in r.getMessage()]) == 3
