"""The proofreading evaluation set: labelled defects, corrected ("clean") copies, span matching.

Shared by ``benchmarks/eval_proofreading.py``, ``benchmarks/inject_errors.py`` and the tests.
The data lives in ``tests/data/proofreading/`` (see the README there):

* ``corpus-defects.yaml`` — the reviewer defects of ``tests/data/corpus/labels.yaml`` as records;
* ``seed-defects.yaml`` — the defects of the five seeds (``seeds/``), labelled by hand;
* ``clean/seeds/*.txt``, ``clean/corpus/*.txt`` — copies with every correction applied (line
  numbers unchanged), written by ``python benchmarks/eval_proofreading.py --write-clean``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "proofreading"
SOURCES = {"seeds": ROOT / "seeds", "corpus": ROOT / "tests" / "data" / "corpus"}
RECORDS = {"seeds": DATA / "seed-defects.yaml", "corpus": DATA / "corpus-defects.yaml"}
CLEAN = DATA / "clean"

# Classes whose mechanical defects make up the proofreading recall; the others (structure, year,
# other) are kept and reported per class but belong to other rule families.
PROOFREADING_CLASSES = ("typo", "phrase", "usage", "noise", "repeat", "punctuation")
CLASSES = PROOFREADING_CLASSES + ("year", "structure", "other")


@dataclass(frozen=True)
class Defect:
    set: str  # seeds | corpus
    file: str
    line: int
    quote: str
    cls: str
    mechanical: bool
    defect: str
    correction: str | None = None
    every_occurrence: bool = False  # the same defect wherever the quote occurs in the file
    correctable: bool = True  # False: the file cannot be corrected without rewriting it
    note: str | None = None
    added: bool = False  # not in labels.yaml: found while measuring (a finding on "clean" text was right)
    also: tuple[tuple[int, str], ...] = ()  # other (line, quote) a finding may point at: a repeat's first copy

    @property
    def path(self) -> Path:
        return SOURCES[self.set] / self.file

    @property
    def proofreading(self) -> bool:
        return self.mechanical and self.cls in PROOFREADING_CLASSES


def load_defects(which: str) -> list[Defect]:
    records = yaml.safe_load(RECORDS[which].read_text(encoding="utf-8")) or []
    return [Defect(set=which, file=r["file"], line=int(r["line"]), quote=r["quote"], cls=r["class"],
                   mechanical=bool(r["mechanical"]), defect=r["defect"], correction=r.get("correction"),
                   every_occurrence=r.get("occurrences") == "all", correctable=r.get("correctable", True),
                   note=r.get("note"), added=bool(r.get("added")),
                   also=tuple((int(a["line"]), a["quote"]) for a in r.get("also") or ()))
            for r in records]


def line_starts(text: str) -> list[int]:
    starts = [0]
    index = text.find("\n")
    while index != -1:
        starts.append(index + 1)
        index = text.find("\n", index + 1)
    return starts


def line_of(starts: list[int], offset: int) -> int:
    """1-based line of an offset (binary search over line starts)."""
    low, high = 0, len(starts) - 1
    while low < high:
        middle = (low + high + 1) // 2
        if starts[middle] <= offset:
            low = middle
        else:
            high = middle - 1
    return low + 1


def spans(defect: Defect, text: str, starts: list[int] | None = None) -> list[tuple[int, int]]:
    """Offsets (start, end) of the defect in the text: its quote on its line, or every occurrence.

    Raises ValueError when the quote is not on its line (the records must point at real text)."""
    starts = starts or line_starts(text)
    if defect.every_occurrence:
        found, index = [], text.find(defect.quote)
        while index != -1:
            found.append((index, index + len(defect.quote)))
            index = text.find(defect.quote, index + len(defect.quote))
        if found and any(line_of(starts, s) == defect.line for s, _ in found):
            return found
    else:
        span = _quote_on_line(text, starts, defect.line, defect.quote)
        if span is not None:
            return [span]
    raise ValueError(f"{defect.set}/{defect.file}:{defect.line}: quote {defect.quote!r} not on its line")


def _quote_on_line(text: str, starts: list[int], line: int, quote: str) -> tuple[int, int] | None:
    if not 1 <= line <= len(starts):
        return None
    line_end = starts[line] - 1 if line < len(starts) else len(text)
    column = text.find(quote, starts[line - 1], line_end)
    return (column, column + len(quote)) if column != -1 else None


def accepted_spans(defect: Defect, text: str, starts: list[int] | None = None) -> list[tuple[int, int]]:
    """Where a finding catches the defect: its spans and its `also` places (a repeat's first copy)."""
    starts = starts or line_starts(text)
    found = spans(defect, text, starts)
    for line, quote in defect.also:
        span = _quote_on_line(text, starts, line, quote)
        if span is None:
            raise ValueError(f"{defect.set}/{defect.file}:{line}: also-quote {quote!r} not on its line")
        found.append(span)
    return found


def read_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def corrected(text: str, defects: list[Defect]) -> str:
    """The text with every correction applied; line numbers stay as they are."""
    edits: list[tuple[int, int, str]] = []
    starts = line_starts(text)
    for defect in defects:
        if defect.correction is None:
            continue
        edits.extend((start, end, defect.correction) for start, end in spans(defect, text, starts))
    edits.sort()
    for (_, end, _), (start, _, _) in zip(edits, edits[1:]):
        if start < end:
            raise ValueError("overlapping corrections")
    for start, end, replacement in reversed(edits):
        if "\n" in replacement:
            raise ValueError("a correction may not add a line")
        text = text[:start] + replacement + text[end:]
    return text


def by_file(defects: list[Defect]) -> dict[str, list[Defect]]:
    grouped: dict[str, list[Defect]] = {}
    for defect in defects:
        grouped.setdefault(defect.file, []).append(defect)
    return grouped


@dataclass(frozen=True)
class CleanDocument:
    set: str
    file: str
    path: Path  # the corrected copy, or the original when it needed no correction
    remaining: tuple[Defect, ...]  # labelled defects left in the text (no text correction)
    cut_from: int | None = None  # corpus openings: where the sentence cut off at the end starts


# How a complete report text may end. The corpus openings are the first ~2,000 bytes of a report
# and most stop mid-sentence, which leaves e.g. an unclosed 《 or “ in the last sentence.
_COMPLETE_END = ("。", "：", ":", "！", "？", "”", "》", "）", ")")
_SENTENCE_END = "。！？；"


def cut_from(text: str) -> int | None:
    """Offset where an unfinished last sentence starts (after the last sentence end), else None."""
    stripped = text.rstrip()
    if not stripped or stripped.endswith(_COMPLETE_END):
        return None
    return max(stripped.rfind(mark) for mark in _SENTENCE_END) + 1


def corpus_files() -> list[str]:
    labels = yaml.safe_load((SOURCES["corpus"] / "labels.yaml").read_text(encoding="utf-8"))
    return [label["file"] for label in labels]


def seed_files() -> list[str]:
    return sorted(path.name for path in SOURCES["seeds"].glob("*.txt"))


def clean_documents() -> list[CleanDocument]:
    """The clean text for the false-alarm figure: corrected seeds and corrected corpus openings.

    Corpus files that cannot be corrected in place (traditional script with pinyin debris) are
    left out."""
    documents = []
    for which, files in (("seeds", seed_files()), ("corpus", corpus_files())):
        grouped = by_file(load_defects(which))
        for name in files:
            defects = grouped.get(name, [])
            if not all(d.correctable for d in defects):
                continue
            needs_copy = any(d.correction is not None for d in defects)
            path = CLEAN / which / name if needs_copy else SOURCES[which] / name
            remaining = tuple(d for d in defects if d.correction is None)
            cut = cut_from(read_text(path)) if which == "corpus" else None
            documents.append(CleanDocument(which, name, path, remaining, cut))
    return documents


def expected_clean_copies() -> dict[Path, str]:
    """Every corrected copy as it should be on disk (path -> text)."""
    copies = {}
    for which in ("seeds", "corpus"):
        for name, defects in by_file(load_defects(which)).items():
            if all(d.correctable for d in defects) and any(d.correction is not None for d in defects):
                copies[CLEAN / which / name] = corrected(read_text(SOURCES[which] / name), defects)
    return copies
