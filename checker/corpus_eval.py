"""Agreement of the outline and template matching with a hand-labelled corpus.

Usage: ``python -m checker.corpus_eval [CORPUS_DIR]`` (default: tests/data/corpus). The corpus
holds report texts and a ``labels.yaml`` (see tests/data/corpus/README.md). Three figures are
printed: the share of documents whose title, report year, and set of template sections among
the top-level headings agree with the labels.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from checker.engine import Engine
from checker.model.normalize import fold
from checker.packs import load_pack

TEMPLATE_IDS = {"measures", "shortcomings", "first-responsible", "next-year", "other"}


@dataclass
class Disagreement:
    file: str
    field: str
    expected: object
    found: object


def _same_title(expected: str | None, found: str | None) -> bool:
    if expected is None or found is None:
        return expected is found
    return "".join(fold(expected).split()) == "".join(fold(found).split())


def evaluate(corpus: Path) -> tuple[dict[str, float], list[Disagreement], int]:
    labels = yaml.safe_load((corpus / "labels.yaml").read_text(encoding="utf-8"))
    engine = Engine(load_pack("national"))
    agree = {"title": 0, "report_year": 0, "sections": 0}
    misses: list[Disagreement] = []
    for label in labels:
        result = engine.check_path(str(corpus / label["file"]))
        expected_sections = sorted({h["section"] for h in label.get("headings") or []} & TEMPLATE_IDS)
        found_sections = sorted({s["id"] for s in result.sections})
        checks = {
            "title": (_same_title(label.get("title"), result.title), label.get("title"), result.title),
            "report_year": (label.get("report_year") == result.report_year, label.get("report_year"),
                            result.report_year),
            "sections": (expected_sections == found_sections, expected_sections, found_sections),
        }
        for name, (ok, expected, found) in checks.items():
            if ok:
                agree[name] += 1
            else:
                misses.append(Disagreement(label["file"], name, expected, found))
    total = len(labels)
    return {name: count / total for name, count in agree.items()}, misses, total


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    corpus = Path(argv[0]) if argv else Path(__file__).resolve().parent.parent / "tests" / "data" / "corpus"
    figures, misses, total = evaluate(corpus)
    for miss in misses:
        print(f"{miss.file}\t{miss.field}\texpected={miss.expected!r}\tfound={miss.found!r}")
    print(f"documents: {total}")
    for name, share in figures.items():
        print(f"{name}: {share:.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
