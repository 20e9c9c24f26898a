"""A confidence cascade of two text recognisers (the `pp-ocrv6-cascade` preset).

The fast recogniser reads every line; the lines it reads with a confidence under the
threshold (`OCR_CASCADE_THRESHOLD`) are read again by the accurate one, and each line
keeps whichever reading has the higher confidence. Most lines of a clean page are read
confidently by the fast model, so the slow one runs on the few that need it.

How it plugs in: `CascadeRecogniser` takes the place of the PaddleX OCR pipeline's
`text_rec_model`, which the pipeline calls with the line crops it has cut from the
detected polygons (and turned, with text-line orientation on). The second recogniser
therefore reads the very same crops, and nothing is cropped twice. A reading is one
PaddleX result (`rec_text`, `rec_score`, ...) and is kept or replaced whole: the text
is engine/spacing.py's `DecodedText`, so the line's words always come from the reading
whose text and confidence the line reports. Each recogniser keeps its own decoder and
so its own space prior.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

logger = logging.getLogger(__name__)

# A PaddleX text-recognition predictor as the OCR pipeline calls it: line crops in, one
# result mapping (`rec_text`, `rec_score`, ...) per crop out, in order.
Recogniser = Callable[..., Iterable[Mapping[str, Any]]]


def better_reading(first: Mapping[str, Any], second: Mapping[str, Any]) -> Mapping[str, Any]:
    """The reading with the higher confidence; a tie keeps the first (it is already there)."""
    return second if second["rec_score"] > first["rec_score"] else first


class CascadeRecogniser:
    """Stands in for the pipeline's text-recognition predictor: same call, same results."""

    def __init__(self, first: Recogniser, second: Recogniser, threshold: float) -> None:
        self.first = first
        self.second = second
        self.threshold = threshold

    def __call__(self, images: Sequence[Any], **kwargs: Any) -> list[Mapping[str, Any]]:
        readings = list(self.first(images, **kwargs))
        doubtful = [index for index, reading in enumerate(readings) if reading["rec_score"] < self.threshold]
        if doubtful:
            rereadings = self.second([images[index] for index in doubtful], **kwargs)
            for index, reading in zip(doubtful, rereadings, strict=True):
                readings[index] = better_reading(readings[index], reading)
        return readings


def install_cascade(pipeline_inner: Any, second: Recogniser, threshold: float) -> bool:
    """Put a cascade in place of the pipeline's recogniser, with `second` re-reading.
    Returns whether it was installed: a pipeline without a recogniser where PaddleX 3.x
    keeps it is left as it is (and logged), reading with its own recogniser alone."""
    first = getattr(pipeline_inner, "text_rec_model", None)
    if first is None:
        logger.warning("no text recogniser found in the pipeline; the cascade's second recogniser is not used")
        return False
    pipeline_inner.text_rec_model = CascadeRecogniser(first, second, threshold)
    return True
