"""The space prior in CTC decoding (engine/spacing.py), on hand-made probabilities."""

from __future__ import annotations

import numpy as np

from invoice_ocr.engine.spacing import SpacePriorDecode, favour_space, install_space_prior

BLANK, SPACE, A, B = 0, 1, 2, 3
CHARACTERS = ["blank", " ", "a", "b"]


def steps(*rows: list[float]) -> np.ndarray:
    return np.array([rows], dtype=np.float32)


def test_space_wins_where_its_scaled_probability_beats_the_best():
    probs = steps([0.1, 0.0, 0.9, 0.0], [0.85, 0.15, 0.0, 0.0], [0.1, 0.0, 0.0, 0.9])
    favoured = favour_space(probs, SPACE, factor=8)
    assert favoured.argmax(-1).tolist() == [[A, SPACE, B]]
    # The winner takes the step's old best probability, so confidences stay ≤ 1.
    assert favoured[0, 1, SPACE] <= 0.85 + 1e-5


def test_a_weak_space_and_factor_one_change_nothing():
    probs = steps([0.1, 0.0, 0.9, 0.0], [0.97, 0.03, 0.0, 0.0], [0.1, 0.0, 0.0, 0.9])
    assert favour_space(probs, SPACE, factor=8).argmax(-1).tolist() == [[A, BLANK, B]]
    assert favour_space(probs, SPACE, factor=1) is probs


class FakeDecode:
    """Stands in for PaddleX's CTCLabelDecode: greedy decoding of the first output."""

    character = CHARACTERS

    def __call__(self, pred, **kwargs):
        best = np.asarray(pred[0]).argmax(-1)
        return ["".join(CHARACTERS[i] for i in row if i != BLANK) for row in best], kwargs


class FakeRecogniser:
    def __init__(self, decode) -> None:
        self.post_op = decode


def test_installed_prior_changes_the_decoded_text_and_passes_arguments_on():
    recogniser = FakeRecogniser(FakeDecode())
    assert install_space_prior(recogniser, 8)
    assert isinstance(recogniser.post_op, SpacePriorDecode)
    probs = steps([0.1, 0.0, 0.9, 0.0], [0.85, 0.15, 0.0, 0.0], [0.1, 0.0, 0.0, 0.9])
    texts, kwargs = recogniser.post_op([probs], return_word_box=False)
    assert texts == ["a b"]
    assert kwargs == {"return_word_box": False}


def test_nothing_is_installed_when_it_cannot_apply():
    no_space = FakeDecode()
    no_space.character = ["blank", "a", "b"]
    for recogniser in (FakeRecogniser(no_space), FakeRecogniser(None), None):
        before = getattr(recogniser, "post_op", None)
        assert not install_space_prior(recogniser, 8)
        assert getattr(recogniser, "post_op", None) is before
    off = FakeRecogniser(FakeDecode())
    assert not install_space_prior(off, 1)
    assert isinstance(off.post_op, FakeDecode)
