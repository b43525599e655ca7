"""Agreement of the outline and template matching with a hand-labelled corpus.

Usage: ``python -m checker.corpus_eval [CORPUS_DIR]`` (default: tests/data/corpus). The corpus
holds report texts and a ``labels.yaml`` (see tests/data/corpus/README.md). Four figures are
printed: the share of documents whose title, report year, set of template sections among the
top-level headings, and report/not-report decision (``is_report``, default true) agree with the
labels; and, over the documents whose label gives ``published``, the share whose publication
date agrees (where the corpus has an ``index.tsv`` with a ``published`` column, also the share of
the dates found that agree with it). Several directories may be given: ``python -m checker.corpus_eval tests/data/corpus
tests/data/hard`` (the second holds non-reports and hard openings).
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


def _index_dates(corpus: Path) -> dict[str, str]:
    """file -> publication date (YYYY-MM-DD or YYYY-MM) from the corpus's index.tsv, if it has one."""
    path = corpus / "index.tsv"
    if not path.exists():
        return {}
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()]
    if not rows or "published" not in rows[0]:
        return {}
    at = rows[0].index("published")
    return {row[0]: row[at].strip() for row in rows[1:] if len(row) > at and row[at].strip()}


def evaluate(corpus: Path) -> tuple[dict[str, float], list[Disagreement], int]:
    labels = yaml.safe_load((corpus / "labels.yaml").read_text(encoding="utf-8"))
    index = _index_dates(corpus)
    indexed = indexed_agree = 0
    engine = Engine(load_pack("national"))
    agree = {"title": 0, "report_year": 0, "sections": 0, "is_report": 0}
    dated = dated_agree = 0
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
            "is_report": (label.get("is_report", True) == result.is_report, label.get("is_report", True),
                          result.is_report),
        }
        found_published = (result.published or {}).get("date")
        if found_published and index.get(label["file"]):
            indexed += 1  # precision against the publication dates recorded when the pages were saved
            if found_published.startswith(index[label["file"]]):
                indexed_agree += 1
            else:
                misses.append(Disagreement(label["file"], "published (index.tsv)", index[label["file"]],
                                           found_published))
        if label.get("published"):
            dated += 1
            found_date = (result.published or {}).get("date")
            if found_date == label["published"]:
                dated_agree += 1
            else:
                misses.append(Disagreement(label["file"], "published", label["published"], found_date))
        for name, (ok, expected, found) in checks.items():
            if ok:
                agree[name] += 1
            else:
                misses.append(Disagreement(label["file"], name, expected, found))
    total = len(labels)
    figures = {name: count / total for name, count in agree.items()}
    if dated:
        figures[f"published ({dated} dated)"] = dated_agree / dated
    if indexed:
        figures[f"published, where found, vs index.tsv ({indexed} found)"] = indexed_agree / indexed
    return figures, misses, total


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    corpora = [Path(a) for a in argv] or [Path(__file__).resolve().parent.parent / "tests" / "data" / "corpus"]
    for corpus in corpora:
        figures, misses, total = evaluate(corpus)
        print(f"== {corpus}")
        for miss in misses:
            print(f"{miss.file}\t{miss.field}\texpected={miss.expected!r}\tfound={miss.found!r}")
        print(f"documents: {total}")
        for name, share in figures.items():
            print(f"{name}: {share:.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
