"""A prior for the space character in the recogniser's CTC decoding.

PP-OCR recognisers are trained mostly on Chinese, where lines have no spaces, and they
under-predict the Latin word space: on blurred or noisy scans `19.30 19.30` comes out as
`19.3019.30` and `Invoice No:` as `InvoiceNo:`, which breaks every amount and label the
invoice extractor looks for. At the time steps between two characters the space is then
usually the runner-up class, just below "blank". Greedy decoding with the space's
probability multiplied by a prior factor recovers most of those spaces.

The factor is per recogniser (`StageModel.space_prior`), chosen with `bench.models`
(word F1 on rendered invoices and the real SROIE receipts, see DOCUMENTATION.md), and
overridable with `OCR_REC_SPACE_PRIOR` (1 turns it off).

The same decoder records each line's words: split at the spaces its text has (so the
words always join, by single spaces, into the line as decoded), each with where it lies
along the line and its characters' mean probability. It is cheap (measured in
DOCUMENTATION.md, "Word boxes"), so it runs on every line.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import numpy as np

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class WordSpan:
    """One word of a decoded line: its text, where it lies along the line's image (start
    and end as shares, 0..1, of the text's width) and the mean probability of its
    characters."""

    text: str
    start: float
    end: float
    confidence: float


class DecodedText(str):
    """A decoded line's text that also carries its words (`WordSpan`s).

    PaddleX hands the recogniser's text on to the pipeline's result untouched, so the
    words travel with it to engine/normalize.py. PaddleX's own `return_word_box` is not
    used: it groups characters by class (letters and digits apart from punctuation, so
    `No:` is two words) rather than at the spaces this decoder chose, lays the words on
    the line's axis-aligned box (wrong for a skewed line or one read upside down), and
    gives no word confidence.
    """

    words: tuple[WordSpan, ...]

    def __new__(cls, text: str, words: tuple[WordSpan, ...]) -> DecodedText:
        decoded = super().__new__(cls, text)
        decoded.words = words
        return decoded


# A character's CTC peak comes about a step after the glyph's left edge and the last
# peak of a word most of a step before its right edge (measured on rendered lines of
# known word boxes): a word spans from a step before its first peak to 1.5 steps after
# its last, never into the word before it.
_LEAD_STEPS, _TAIL_STEPS = 1.0, 1.5


def word_spans(
    indices: np.ndarray, probabilities: np.ndarray, characters: list[str], text_share: float
) -> tuple[WordSpan, ...]:
    """The words of one decoded line (class indices and probabilities per step), split at
    the spaces of its text, with where they lie as shares of the steps the text covers
    (`text_share` of the padded input)."""
    kept = np.ones(len(indices), dtype=bool)
    kept[1:] = indices[1:] != indices[:-1]
    kept &= indices != 0  # CTC blank
    covered = max(len(indices) * text_share, 1.0)
    spans: list[WordSpan] = []
    word: list[int] = []
    for step in [*np.flatnonzero(kept), None]:
        if step is not None and characters[indices[step]] != " ":
            word.append(int(step))
            continue
        if word:
            text = "".join(characters[indices[index]] for index in word)
            start = max((word[0] - _LEAD_STEPS) / covered, spans[-1].end if spans else 0.0)
            end = min((word[-1] + _TAIL_STEPS) / covered, 1.0)
            spans.append(WordSpan(text, min(start, end), end, float(np.mean(probabilities[word]))))
        word = []
    return tuple(spans)


class SpacePriorDecode:
    """Stands in for PaddleX's `CTCLabelDecode`: same call, same output, with the space
    favoured by `factor` (1: plain greedy decoding), each text a `DecodedText` that
    carries its words. `return_word_box` is ignored: the words always come."""

    def __init__(self, decode: Any, space_index: int, factor: float) -> None:
        self._decode = decode
        self._space = space_index
        self.factor = factor

    def __call__(self, pred: Any, **kwargs: Any) -> tuple[list[str], list[float]]:
        indices, probabilities = greedy_with_space_prior(np.asarray(pred[0]), self._space, self.factor)
        decoded = self._decode.decode(indices, probabilities, is_remove_duplicate=True)
        shares = _text_shares(kwargs, len(decoded))
        texts = [
            DecodedText(text, word_spans(row, scores, self._decode.character, share))
            for (text, _), row, scores, share in zip(decoded, indices, probabilities, shares, strict=True)
        ]
        return texts, [score for _, score in decoded]


def _text_shares(kwargs: dict[str, Any], count: int) -> list[float]:
    """How much of the padded recogniser input each line's image fills (PaddleX pads the
    lines of a batch to the widest: `wh_ratio / max_wh_ratio`); 1 when not told."""
    ratios, widest = kwargs.get("wh_ratio_list"), kwargs.get("max_wh_ratio")
    if not ratios or not widest or len(ratios) != count:
        return [1.0] * count
    return [ratio / widest for ratio in ratios]


def greedy_with_space_prior(probs: np.ndarray, space: int, factor: float) -> tuple[np.ndarray, np.ndarray]:
    """Greedy CTC choices for probabilities (batch, steps, classes): the class and its
    probability at every step, except that the space wins wherever its probability times
    `factor` beats the step's best class.

    A space that wins keeps the step's best probability as its score, so line confidences
    stay probabilities and are not inflated. One pass over the (steps × 18 710 classes)
    array, as PaddleX's own argmax: a copy of it per text line would cost more than the
    prior is worth.
    """
    indices = probs.argmax(axis=-1)
    best = np.take_along_axis(probs, indices[..., None], axis=-1)[..., 0]
    wins = probs[..., space] * factor > best
    indices[wins] = space
    return indices, best


def install_space_prior(recogniser: Any, factor: float) -> bool:
    """Put our decoder (the prior, and the words) in front of a PaddleX text-recognition
    predictor's CTC decoder; factor 1 decodes as PaddleX does, words included.

    Returns whether it was installed: a recogniser without a CTC decoder or without a
    space in its dictionary is left as it is (and logged), never broken; its lines then
    come without words.
    """
    decode = getattr(recogniser, "post_op", None)
    characters = getattr(decode, "character", None)
    if not characters:
        # A PaddleOCR release that lays its objects out differently: read without the prior.
        logger.warning("no CTC decoder found in the recogniser; space prior and words not installed")
        return False
    try:
        space = list(characters).index(" ")
    except ValueError:
        logger.warning("the recogniser's dictionary has no space; space prior and words not installed")
        return False
    recogniser.post_op = SpacePriorDecode(decode, space, factor)
    return True
