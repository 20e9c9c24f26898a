"""Invoice-field accuracy: synthetic invoices and receipts through the real pipeline, plus
every real set in `../shared/data/` (see `bench.real_sets`), each in a fixed tuning half
and a fixed reporting half.

    python -m bench.fields [--seeds tune|report|tune2|report2] [--n 216] [--engine ocr|truth]
                           [--half tune|report|both] [--examples] [--no-cache] [--json out.json]

`--seeds tune` is the frozen set used while tuning the extractor; `--seeds report` is a
disjoint set run only to report. `--seeds tune2` and `--seeds report2` come from the
extended generator (seeds from `bench.invoice_synth.EXTENDED_FROM` on: more languages,
wordings, layouts and families, written after the extractor): tune2 may be looked at while
tuning; report2 holds the report seeds of the extended generator, frozen on 2026-12-01
before tuning. Use an `--n` that is a multiple of the family count (9 for tune/report, 12
for tune2/report2) for equal families. `--engine truth` feeds the renderer's exact line boxes
(SROIE's box files, a PDF's text layer) to the extractor, skipping OCR; `--engine ocr`
renders each page (with scan damage for half of the image documents), encodes it and runs
the service's own path: `load_pages` (PDFs with a text layer come back as text pages) and
the OCR engine. Prints per-field exact-match accuracy after normalisation and line-item F1
for the synthetic documents, then for the real sets (e-invoice PDFs both by their XML and,
attachments removed, by their layout): per-field accuracy per set and half; calibration of
the fields' confidence and the checks' false alarms on the reporting halves (layout path);
with `--examples`, failures from the tuning halves only (never tune on the reporting half).

OCR results are cached per page image under `bench/.cache/ocr/<preset>-<engine>-space<prior>/<sha1>.json`
(the key is the decoded pixels, so a changed render or scan misses; the engine, `OCR_ENGINE`,
and the recogniser's space prior in use, `OCR_REC_SPACE_PRIOR` or the preset's own, name the
folder too), which makes a rerun after an extractor change take seconds; s/doc then counts
OCR only for pages not in the cache. Delete the folder (or pass `--no-cache`) after changing
the engine in a way these names do not say.
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import io
import json
import logging
import os
import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import zip_longest
from pathlib import Path

import numpy as np

from bench.invoice_synth import FAMILIES, SynthDocument, generate
from bench.metrics import WordScore, word_score
from bench.real_sets import (
    HALVES,
    LIMITS,
    TEXT_FIELDS,
    VERBATIM_FIELDS,
    ReadPath,
    RealDocument,
    Recognize,
    load_sets,
    normalize_field,
    normalize_text,
    page_lines,
)
from bench.render import degrade
from invoice_ocr.documents.loader import load_pages
from invoice_ocr.extraction.amounts import format_money, format_quantity
from invoice_ocr.extraction.einvoice import extract_einvoice
from invoice_ocr.extraction.invoice import InvoiceExtraction, PageLines, extract_invoice
from invoice_ocr.extraction.results import FIELD_NAMES, LineItem
from invoice_ocr.page import OcrLine, OcrPage

SEED_SETS = {"tune": 1000, "report": 50000, "tune2": 70000, "report2": 90000}
CACHE = Path(__file__).resolve().parent / ".cache" / "ocr"
READ_PATHS: tuple[ReadPath, ...] = ("xml", "layout")
AMOUNT_FIELDS = ("subtotal", "tax", "total")
# Lower edges of the confidence bins; the last bin is closed at 1.0.
CONFIDENCE_EDGES = (0.0, 0.5, 0.7, 0.8, 0.9, 0.95)
HIGH_CONFIDENCE = 0.9
EXAMPLES_PER_SET = 5
SHORT_NAMES = {
    "invoice_number": "number",
    "invoice_date": "date",
    "due_date": "due",
    "vendor_name": "vendor",
    "vendor_address": "v_addr",
    "customer_name": "customer",
    "currency": "cur",
    "subtotal": "subtot",
}


@dataclass
class Tally:
    """Per-field counts: correct, wrong value, missed (None), spurious (value where none)."""

    counts: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    items: Counter = field(default_factory=Counter)
    documents: int = 0
    seconds: float = 0.0
    left_out: int = 0

    def add_field(self, name: str, predicted: str | None, expected: str | None) -> None:
        if expected is None:
            self.counts[name]["spurious" if predicted is not None else "absent_ok"] += 1
        elif predicted is None:
            self.counts[name]["missed"] += 1
        else:
            self.counts[name]["correct" if predicted == expected else "wrong"] += 1

    def accuracy(self, name: str) -> float | None:
        count = self.counts[name]
        total = count["correct"] + count["wrong"] + count["missed"] + count["spurious"] + count["absent_ok"]
        return (count["correct"] + count["absent_ok"]) / total if total else None

    def mean_accuracy(self) -> float | None:
        """Mean over the fields scored at all (a real set's annotated fields)."""
        scores = [score for name in FIELD_NAMES if (score := self.accuracy(name)) is not None]
        return sum(scores) / len(scores) if scores else None

    def item_f1(self) -> float | None:
        predicted, expected, matched = self.items["predicted"], self.items["expected"], self.items["matched"]
        if not expected and not predicted:
            return None
        precision = matched / predicted if predicted else 0.0
        recall = matched / expected if expected else 0.0
        return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


# --- OCR cache ----------------------------------------------------------------------------


def _page_to_json(page: OcrPage) -> dict:
    lines = [[line.text, float(line.confidence), [[int(x), int(y)] for x, y in line.polygon]] for line in page.lines]
    return {"width": int(page.width), "height": int(page.height), "rotation": int(page.rotation), "lines": lines}


def _page_from_json(data: dict) -> OcrPage:
    lines = [
        OcrLine(text, confidence, tuple((x, y) for x, y in polygon)) for text, confidence, polygon in data["lines"]
    ]
    return OcrPage(data["width"], data["height"], lines, data["rotation"])


class CachedRecognizer:
    """`Recognize` with each page's OCR kept as JSON under `folder`, keyed by the SHA-1 of
    the page's pixels and shape. The engine is built on the first miss only, so a warm run
    loads no model. A miss returns the page as read back from its JSON, so the extractor
    sees exactly the same values on a cold and a warm run."""

    def __init__(self, folder: Path, build: Callable[[], Recognize]) -> None:
        self.folder = folder
        self._build = build
        self._recognize: Recognize | None = None
        self.hits = 0
        self.misses = 0

    def __call__(self, images: list[np.ndarray]) -> list[OcrPage]:
        return [self._one(image) for image in images]

    def _one(self, image: np.ndarray) -> OcrPage:
        digest = hashlib.sha1(str(image.shape).encode())
        digest.update(np.ascontiguousarray(image).tobytes())
        path = self.folder / f"{digest.hexdigest()}.json"
        if path.is_file():
            self.hits += 1
            return _page_from_json(json.loads(path.read_text()))
        self.misses += 1
        if self._recognize is None:
            self._recognize = self._build()
        data = _page_to_json(self._recognize([image])[0])
        self.folder.mkdir(parents=True, exist_ok=True)
        # Written aside and renamed: an interrupted run leaves no half-written entry, and two
        # runs filling the same cache at once never write into one file.
        partial_path = path.with_suffix(f".{os.getpid()}.tmp")
        partial_path.write_text(json.dumps(data))
        partial_path.replace(path)
        return _page_from_json(data)


# --- synthetic documents ------------------------------------------------------------------


def predicted_value(extraction: InvoiceExtraction, name: str) -> str | None:
    value = extraction.fields[name]
    if value is None:
        return None
    return normalize_text(value.value) if name in TEXT_FIELDS else value.normalized


def _item_key(description: str | None, quantity: str | None, unit: str | None, amount: str | None) -> tuple:
    return (normalize_text(description), quantity, unit, amount)


def _predicted_item_key(item: LineItem) -> tuple:
    """A till line that prints no quantity ("BANANE  1,99") is read with quantity and unit
    price null, and counts as one piece at its amount, as the generator's truth has it."""
    quantity, unit_price, amount = (
        value.normalized if value else None for value in (item.quantity, item.unit_price, item.amount)
    )
    if quantity is None and unit_price is None and amount is not None:
        quantity, unit_price = "1", amount
    return _item_key(item.description.value if item.description else None, quantity, unit_price, amount)


def score_items(tally: Tally, document: SynthDocument, extraction: InvoiceExtraction) -> None:
    expected = Counter(
        _item_key(
            item.description, format_quantity(item.quantity), format_money(item.unit_price), format_money(item.amount)
        )
        for item in document.items
    )
    predicted = Counter(_predicted_item_key(item) for item in extraction.line_items)
    tally.items["expected"] += sum(expected.values())
    tally.items["predicted"] += sum(predicted.values())
    tally.items["matched"] += sum((expected & predicted).values())


def _encoded(document: SynthDocument) -> list[bytes]:
    """The files a client would upload: the PDF, or one image file per page."""
    if document.pdf is not None:
        return [document.pdf]
    files = []
    rng = random.Random(document.seed)
    for page in document.pages:
        image = degrade(page, rng) if document.damaged else page
        buffer = io.BytesIO()
        image.save(buffer, "PNG")
        files.append(buffer.getvalue())
    return files


def ocr_pages(document: SynthDocument, recognize: Recognize) -> list[PageLines]:
    pages: list[PageLines] = []
    for data in _encoded(document):
        pages.extend(page_lines(load_pages(data, LIMITS), recognize, start=len(pages) + 1))
    return pages


def truth_pages(document: SynthDocument) -> list[PageLines]:
    return [
        PageLines(number, image.width, image.height, lines)
        for number, (image, lines) in enumerate(zip(document.pages, document.lines, strict=True), start=1)
    ]


def run_synthetic(seeds: Iterable[int], recognize: Recognize | None) -> dict[str, Tally]:
    """Tallies per family and overall ("all")."""
    tallies: dict[str, Tally] = defaultdict(Tally)
    for seed in seeds:
        document = generate(seed)
        started = time.perf_counter()
        pages = truth_pages(document) if recognize is None else ocr_pages(document, recognize)
        extraction = extract_invoice(pages)
        elapsed = time.perf_counter() - started
        for key in ("all", document.family):
            tally = tallies[key]
            tally.documents += 1
            tally.seconds += elapsed
            for name in FIELD_NAMES:
                expected = document.truth[name]
                expected = normalize_text(expected) if name in TEXT_FIELDS else expected
                tally.add_field(name, predicted_value(extraction, name), expected)
            score_items(tally, document, extraction)
    return tallies


# --- real documents -----------------------------------------------------------------------


@dataclass(frozen=True)
class FieldOutcome:
    field: str
    expected: str | None
    predicted: str | None
    confidence: float | None

    @property
    def correct(self) -> bool:
        return self.predicted == self.expected


@dataclass(frozen=True)
class Outcome:
    """One real document read one way: every annotated field and the checks that failed."""

    document: RealDocument
    path: ReadPath
    fields: list[FieldOutcome]
    failed_checks: list[str]
    seconds: float
    # Annotated fields not scored: the page does not print the XML's value.
    left_out: int = 0
    # The receipt's OCR word counts against its transcript (layout path, OCR engine only).
    words: WordScore | None = None

    @property
    def key(self) -> tuple[str, ReadPath, str]:
        return self.document.set, self.path, self.document.half


def real_value(extraction: InvoiceExtraction, name: str) -> str | None:
    """A field as compared with a real set's ground truth: free text and invoice numbers
    from the value as printed (the e-invoice path leaves them unnormalised), the rest from
    the extractor's own normalised form."""
    value = extraction.fields[name]
    if value is None:
        return None
    return normalize_field(name, value.value) if name in VERBATIM_FIELDS else value.normalized


def extract(document: RealDocument, path: ReadPath, pages: list[PageLines]) -> InvoiceExtraction:
    """The fields one read path gives: `pages` are the layout path's pages."""
    if path == "layout":
        return extract_invoice(pages)
    found = document.einvoice() if document.einvoice else None
    if found is None:  # no readable XML: every field counts as missed
        return InvoiceExtraction()
    # The XML path shows its values on the text-layer pages only, as the service does
    # without OCR; image pages would add nothing the XML does not state.
    return extract_einvoice(found.einvoice, document.load_pages(None))


def receipt_words(document: RealDocument, read: list[PageLines]) -> WordScore | None:
    """How well the engine read a receipt, apart from its fields: word counts (SROIE
    task-2 style, upper-cased) against its box file's lines; None for other sets."""
    if not document.set.startswith("sroie"):
        return None
    text = " ".join(line.text for page in read for line in page.lines)
    expected = " ".join(line.text for page in document.load_pages(None) for line in page.lines)
    return word_score(text, expected, upper=True)


def read_document(document: RealDocument, path: ReadPath, recognize: Recognize | None) -> Outcome:
    started = time.perf_counter()
    pages = document.load_pages(recognize) if path == "layout" else []
    extraction = extract(document, path, pages)
    seconds = time.perf_counter() - started
    fields = []
    expected_values = document.layout_expected() if path == "layout" else document.expected
    for name, expected in expected_values.items():
        value = extraction.fields[name]
        fields.append(FieldOutcome(name, expected, real_value(extraction, name), value and value.confidence))
    failed = [check.name for check in extraction.checks if check.status == "failed"]
    words = receipt_words(document, pages) if path == "layout" and recognize is not None else None
    left_out = len(document.expected) - len(expected_values)
    return Outcome(document, path, fields, failed, seconds, left_out, words)


def run_real(documents: Iterable[RealDocument], recognize: Recognize | None) -> list[Outcome]:
    return [read_document(document, path, recognize) for document in documents for path in document.paths]


def tally_outcomes(outcomes: Iterable[Outcome]) -> dict[tuple[str, ReadPath, str], Tally]:
    """Tallies per set × path × half, in set, path and half order."""
    tallies: dict[tuple[str, ReadPath, str], Tally] = defaultdict(Tally)
    for outcome in outcomes:
        tally = tallies[outcome.key]
        tally.documents += 1
        tally.seconds += outcome.seconds
        tally.left_out += outcome.left_out
        for item in outcome.fields:
            tally.add_field(item.field, item.predicted, item.expected)
    sets = list(dict.fromkeys(key[0] for key in tallies))
    order = {key: (sets.index(key[0]), READ_PATHS.index(key[1]), HALVES.index(key[2])) for key in tallies}
    return dict(sorted(tallies.items(), key=lambda pair: order[pair[0]]))


def calibration(outcomes: Iterable[Outcome]) -> list[dict]:
    """Predicted (non-null) fields per confidence bin, and how many of them are right."""
    bins = [{"low": low, "fields": 0, "correct": 0} for low in CONFIDENCE_EDGES]
    for item in (item for outcome in outcomes for item in outcome.fields if item.predicted is not None):
        chosen = bins[max(bisect.bisect_right(CONFIDENCE_EDGES, item.confidence or 0.0) - 1, 0)]
        chosen["fields"] += 1
        chosen["correct"] += item.correct
    return bins


def _amounts_right(outcome: Outcome) -> bool | None:
    """Whether every amount field the ground truth has is right; None when it has none."""
    amounts = [item for item in outcome.fields if item.field in AMOUNT_FIELDS]
    return all(item.correct for item in amounts) if amounts else None


def check_false_alarms(outcomes: Iterable[Outcome]) -> dict:
    """Among documents whose amounts are all right, those with a failed check anyway."""
    clean = [outcome for outcome in outcomes if _amounts_right(outcome)]
    alarmed = [outcome for outcome in clean if outcome.failed_checks]
    checks = Counter(name for outcome in alarmed for name in set(outcome.failed_checks))
    return {
        "alarmed": [outcome.document.name for outcome in alarmed],
        "documents": len(clean),
        "with_failed_check": len(alarmed),
        "share": len(alarmed) / len(clean) if clean else None,
        "checks": dict(checks.most_common()),
    }


def confident_misses(outcomes: Iterable[Outcome]) -> list[dict]:
    """Fields at confidence ≥ HIGH_CONFIDENCE that are wrong: what calibration must fix."""
    return [
        {"set": outcome.document.set, "path": outcome.path, "document": outcome.document.name, **vars(item)}
        for outcome in outcomes
        for item in outcome.fields
        if item.predicted is not None and (item.confidence or 0.0) >= HIGH_CONFIDENCE and not item.correct
    ]


def examples(outcomes: Sequence[Outcome], tallies: dict[tuple[str, ReadPath, str], Tally]) -> list[dict]:
    """Up to EXAMPLES_PER_SET failures per tuning-half row, taken in turn from its fields,
    worst first, so that the few shown cover the worst fields. Reporting-half documents
    are never shown: nobody may tune on them."""
    shown = []
    for key, tally in tallies.items():
        if key[2] != "tune":
            continue
        failing: dict[str, list[dict]] = defaultdict(list)
        for outcome in (outcome for outcome in outcomes if outcome.key == key):
            for item in (item for item in outcome.fields if not item.correct):
                failing[item.field].append(
                    {"set": key[0], "path": key[1], "document": outcome.document.name, **vars(item)}
                )
        queues = sorted(failing.values(), key=lambda rows: tally.accuracy(rows[0]["field"]) or 0.0)
        in_turn = [row for rows in zip_longest(*queues) for row in rows if row is not None]
        shown.extend(in_turn[:EXAMPLES_PER_SET])
    return shown


# --- tables -------------------------------------------------------------------------------


def _cell(value: float | None) -> str:
    return "   -" if value is None else f"{value:.3f}"


def _field_header(leading: Sequence[str], trailing: Sequence[str]) -> None:
    """A markdown header: the leading columns, one per field, the trailing ones."""
    columns = [*leading, *(SHORT_NAMES.get(name, name) for name in FIELD_NAMES), *trailing]
    print(f"| {' | '.join(columns)} |")
    print("|" + "---|" * len(columns))


def _field_cells(tally: Tally) -> str:
    return " | ".join(_cell(tally.accuracy(name)) for name in FIELD_NAMES)


def print_table(tallies: dict[str, Tally]) -> None:
    rows = [("all", tallies["all"])] + [(family, tallies[family]) for family in FAMILIES if family in tallies]
    _field_header(["set", "docs"], ["items F1", "s/doc"])
    for label, tally in rows:
        seconds = tally.seconds / max(tally.documents, 1)
        print(f"| {label} | {tally.documents} | {_field_cells(tally)} | {_cell(tally.item_f1())} | {seconds:.2f} |")


def print_real_table(tallies: dict[tuple[str, ReadPath, str], Tally], skipped: list[str]) -> None:
    print("\n### Real sets (per set × read path × half; `-` = a field the set does not annotate)\n")
    for reason in skipped:
        print(f"- {reason}")
    _field_header(["set", "path", "half", "docs"], ["mean", "s/doc"])
    for (set_name, path, half), tally in tallies.items():
        seconds = tally.seconds / max(tally.documents, 1)
        mean = _cell(tally.mean_accuracy())
        print(f"| {set_name} | {path} | {half} | {tally.documents} | {_field_cells(tally)} | {mean} | {seconds:.2f} |")
    left_out = {key: tally.left_out for key, tally in tallies.items() if tally.left_out}
    for (set_name, path, half), count in left_out.items():
        print(
            f"\n{set_name} {path} {half}: {count} fields not scored: the pages print another value than the XML, "
            "or the XML states the due date only in its payment terms"
        )


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def high_confidence(bins: list[dict]) -> tuple[int, int]:
    """Fields, and correct ones, at confidence ≥ HIGH_CONFIDENCE (a bin edge)."""
    chosen = [row for row in bins if row["low"] >= HIGH_CONFIDENCE]
    return sum(row["fields"] for row in chosen), sum(row["correct"] for row in chosen)


def print_calibration(bins: list[dict]) -> None:
    print("\n### Calibration (reporting halves, layout path, all real sets pooled)\n")
    print("| confidence | fields | correct | share correct |\n|---|---|---|---|")
    highs = [*CONFIDENCE_EDGES[1:], 1.0]
    for row, high in zip(bins, highs, strict=True):
        closing = "]" if high == 1.0 else ")"
        label = f"[{row['low']:.2f}, {high:.2f}{closing}"
        print(f"| {label} | {row['fields']} | {row['correct']} | {_percent(row['correct'], row['fields'])} |")
    fields, correct = high_confidence(bins)
    print(f"\nconfidence ≥ {HIGH_CONFIDENCE}: {fields} fields, {_percent(correct, fields)} correct (target ≥ 95%)")


def print_false_alarms(alarms: dict, halves: str = "reporting halves") -> None:
    print(f"\n### Check false alarms ({halves}, layout path)\n")
    share = _percent(alarms["with_failed_check"], alarms["documents"])
    print(
        f"{alarms['documents']} documents with every amount field right; {alarms['with_failed_check']} ({share}) "
        "have a failed check anyway (target under 10%)"
    )
    if alarms["checks"]:
        print("\n| check | documents |\n|---|---|")
        for name, count in alarms["checks"].items():
            print(f"| {name} | {count} |")


def _print_failures(title: str, rows: list[dict]) -> None:
    print(f"\n### {title}\n")
    print("| set | path | document | field | expected | got | confidence |\n|---|---|---|---|---|---|---|")
    for row in rows:
        cells = (row[key] for key in ("set", "path", "document", "field", "expected", "predicted", "confidence"))
        print(f"| {' | '.join(map(str, cells))} |")


def print_tuning_examples(tuning: TuningExamples) -> None:
    title = f"Failures, tuning halves only (up to {EXAMPLES_PER_SET} per row, worst fields first)"
    _print_failures(title, tuning.failures)
    _print_failures(f"Wrong at confidence ≥ {HIGH_CONFIDENCE}, tuning halves (layout path)", tuning.confident_misses)
    print_false_alarms(tuning.false_alarms, "tuning halves")
    print("\nalarmed:", ", ".join(tuning.false_alarms["alarmed"]) or "none")


# --- report -------------------------------------------------------------------------------


def _summary(tally: Tally) -> dict:
    return {
        "documents": tally.documents,
        "accuracy": {name: tally.accuracy(name) for name in FIELD_NAMES if tally.accuracy(name) is not None},
        "counts": {name: dict(counts) for name, counts in tally.counts.items()},
        "line_item_f1": tally.item_f1(),
        "mean_accuracy": tally.mean_accuracy(),
        "fields_not_printed": tally.left_out,
        "seconds_per_document": tally.seconds / max(tally.documents, 1),
    }


@dataclass
class TuningExamples:
    """What `--examples` shows, from the tuning halves only."""

    failures: list[dict]
    confident_misses: list[dict]
    false_alarms: dict


@dataclass
class RealReport:
    tallies: dict[tuple[str, ReadPath, str], Tally]
    skipped: list[str]
    calibration: list[dict]
    false_alarms: dict
    examples: TuningExamples | None
    # OCR word F1 per receipt set and half, against the receipts' line transcripts.
    word_f1: dict[tuple[str, str], float] = field(default_factory=dict)


def receipt_word_f1(outcomes: Iterable[Outcome]) -> dict[tuple[str, str], float]:
    """OCR word F1 of the receipts of each set and half (`receipt_words`, pooled)."""
    scores: dict[tuple[str, str], WordScore] = defaultdict(WordScore)
    for outcome in outcomes:
        if outcome.words is not None:
            scores[outcome.document.set, outcome.document.half] += outcome.words
    return {key: score.f1 for key, score in scores.items()}


def print_word_f1(word_f1: dict[tuple[str, str], float]) -> None:
    if not word_f1:
        return
    print("\n### OCR word F1 on the real receipts (against their line transcripts)\n")
    print("| set | half | word F1 |\n|---|---|---|")
    for (set_name, half), f1 in word_f1.items():
        print(f"| {set_name} | {half} | {f1:.3f} |")


def _report(synthetic: dict[str, Tally], real: RealReport, cache: CachedRecognizer | None) -> dict:
    fields, correct = high_confidence(real.calibration)
    rows = [{"set": key[0], "path": key[1], "half": key[2], **_summary(tally)} for key, tally in real.tallies.items()]
    return {
        "synthetic": {key: _summary(value) for key, value in synthetic.items()},
        "real": {
            "rows": rows,
            "skipped": real.skipped,
            "calibration": {
                "bins": real.calibration,
                "high_confidence": {"threshold": HIGH_CONFIDENCE, "fields": fields, "correct": correct},
            },
            "check_false_alarms": real.false_alarms,
            "receipt_word_f1": [{"set": key[0], "half": key[1], "f1": f1} for key, f1 in real.word_f1.items()],
            "tuning_examples": vars(real.examples) if real.examples else None,
        },
        "ocr_cache": {"hits": cache.hits, "misses": cache.misses} if cache else None,
    }


def measure_real(half: str, recognize: Recognize | None, with_examples: bool) -> RealReport:
    documents, skipped = load_sets()
    halves = HALVES if half == "both" else (half,)
    outcomes = run_real((document for document in documents if document.half in halves), recognize)
    by_layout = {
        name: [outcome for outcome in outcomes if outcome.document.half == name and outcome.path == "layout"]
        for name in HALVES
    }
    tallies = tally_outcomes(outcomes)
    tuning = None
    if with_examples:
        tuned = by_layout["tune"]
        tuning = TuningExamples(examples(outcomes, tallies), confident_misses(tuned), check_false_alarms(tuned))
    reported = by_layout["report"]
    word_f1 = receipt_word_f1(outcomes)
    return RealReport(tallies, skipped, calibration(reported), check_false_alarms(reported), tuning, word_f1)


def print_real(real: RealReport) -> None:
    print_real_table(real.tallies, real.skipped)
    print_word_f1(real.word_f1)
    print_calibration(real.calibration)
    print_false_alarms(real.false_alarms)
    if real.examples is not None:
        print_tuning_examples(real.examples)


def _build_recognizer() -> Recognize:
    from invoice_ocr.config import Settings
    from invoice_ocr.engine.paddle import build_engine

    engine, _ = build_engine(Settings())
    return engine.recognize


def _recognizer(use_cache: bool) -> tuple[Recognize, CachedRecognizer | None]:
    if not use_cache:
        return _build_recognizer(), None
    from invoice_ocr.config import Settings
    from invoice_ocr.engine.models import get_preset

    settings = Settings()
    # Each engine and space prior reads a little differently: both are part of the folder's name.
    prior = settings.rec_space_prior or get_preset(settings.model_preset).rec.space_prior
    cache = CachedRecognizer(CACHE / f"{settings.model_preset}-{settings.engine}-space{prior:g}", _build_recognizer)
    return cache, cache


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", choices=sorted(SEED_SETS), default="tune")
    parser.add_argument("--n", type=int, default=216, help="documents (spread evenly over the families)")
    parser.add_argument("--engine", choices=["ocr", "truth"], default="ocr")
    parser.add_argument("--half", choices=["tune", "report", "both"], default="both", help="real-set halves")
    parser.add_argument("--examples", action="store_true", help="print failures from the tuning halves")
    parser.add_argument("--no-cache", action="store_true", help="OCR every page again, neither reading nor writing")
    parser.add_argument("--json", type=Path, help="also write the numbers here")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    started = time.perf_counter()
    recognize, cache = _recognizer(not args.no_cache) if args.engine == "ocr" else (None, None)
    first = SEED_SETS[args.seeds]
    tallies = run_synthetic(range(first, first + args.n), recognize)
    real = measure_real(args.half, recognize, args.examples)
    print(f"seeds={args.seeds} n={args.n} engine={args.engine} half={args.half}")
    print_table(tallies)
    print_real(real)
    if cache is not None:
        print(f"\nOCR cache {cache.folder}: {cache.hits} pages from the cache, {cache.misses} read by the engine")
    print(f"\n{time.perf_counter() - started:.1f} s in all")
    if args.json:
        args.json.write_text(json.dumps(_report(tallies, real, cache), indent=2))


if __name__ == "__main__":
    main()
