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
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np

logger = logging.getLogger(__name__)


class SpacePriorDecode:
    """Stands in for PaddleX's `CTCLabelDecode`: same call, same output, with the space
    favoured by `factor`. Word-box decoding (`return_word_box`, which the service never
    asks for) goes to the wrapped decoder unchanged."""

    def __init__(self, decode: Any, space_index: int, factor: float) -> None:
        self._decode = decode
        self._space = space_index
        self.factor = factor

    def __call__(self, pred: Any, **kwargs: Any) -> tuple[list[str], list[float]]:
        if kwargs.get("return_word_box"):
            return self._decode(pred, **kwargs)
        indices, probabilities = greedy_with_space_prior(np.asarray(pred[0]), self._space, self.factor)
        decoded = self._decode.decode(indices, probabilities, is_remove_duplicate=True)
        return [text for text, _ in decoded], [score for _, score in decoded]


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
    """Put the prior in front of a PaddleX text-recognition predictor's CTC decoder.

    Returns whether it was installed: a recogniser without a CTC decoder or without a
    space in its dictionary is left as it is (and logged), never broken.
    """
    if factor == 1:
        return False
    decode = getattr(recogniser, "post_op", None)
    characters = getattr(decode, "character", None)
    if not characters:
        # A PaddleOCR release that lays its objects out differently: read without the prior.
        logger.warning("no CTC decoder found in the recogniser; space prior not installed")
        return False
    try:
        space = list(characters).index(" ")
    except ValueError:
        logger.warning("the recogniser's dictionary has no space; space prior not installed")
        return False
    recogniser.post_op = SpacePriorDecode(decode, space, factor)
    return True
