"""Text metrics shared by the benchmarks."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass


@dataclass
class WordScore:
    """Micro-averaged word counts: add scores of several pages, then read P/R/F1."""

    matched: int = 0
    predicted: int = 0
    expected: int = 0

    def __add__(self, other: WordScore) -> WordScore:
        return WordScore(self.matched + other.matched, self.predicted + other.predicted, self.expected + other.expected)

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 0.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def word_score(predicted: str, expected: str, *, upper: bool = False) -> WordScore:
    """SROIE task-2 style: the multisets of white-space separated words, compared."""
    if upper:
        predicted, expected = predicted.upper(), expected.upper()
    got, want = Counter(predicted.split()), Counter(expected.split())
    return WordScore(sum((got & want).values()), sum(got.values()), sum(want.values()))


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")
