"""The proofreading evaluation set and its tools (benchmarks/): data sound, generator deterministic.

No accuracy assertions here: the figures are printed by benchmarks/eval_proofreading.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import proofdata  # noqa: E402
from proofdata import (CLASSES, accepted_spans, clean_documents, line_starts, load_defects, read_text,  # noqa: E402
                       spans)


@pytest.mark.parametrize("which", ["seeds", "corpus"])
def test_every_record_points_at_its_line(which):
    defects = load_defects(which)
    assert defects
    for defect in defects:
        assert defect.cls in CLASSES, defect
        assert defect.quote.strip(), defect
        text = read_text(defect.path)
        found = spans(defect, text)  # raises if the quote is not on its line
        assert all(text[start:end] == defect.quote for start, end in found)
        assert len(accepted_spans(defect, text)) == len(found) + len(defect.also)


def test_corpus_records_cover_every_labelled_defect():
    import yaml

    labels = yaml.safe_load((proofdata.SOURCES["corpus"] / "labels.yaml").read_text(encoding="utf-8"))
    expected = sorted((label["file"], text) for label in labels for text in label.get("defects") or [])
    recorded = sorted((d.file, d.defect) for d in load_defects("corpus") if not d.added)
    assert recorded == expected


def test_clean_copies_are_current_and_keep_line_numbers():
    copies = proofdata.expected_clean_copies()
    on_disk = {path for which in ("seeds", "corpus") for path in (proofdata.CLEAN / which).glob("*.txt")}
    assert set(copies) == on_disk, "run: python benchmarks/eval_proofreading.py --write-clean"
    for path, text in copies.items():
        assert read_text(path) == text, f"{path} is stale: python benchmarks/eval_proofreading.py --write-clean"
        original = read_text(proofdata.SOURCES[path.parent.name] / path.name)
        assert len(line_starts(text)) == len(line_starts(original))


def test_defects_left_in_clean_text_are_still_found_there():
    for document in clean_documents():
        text = read_text(document.path)
        for defect in document.remaining:
            spans(defect, text)


def test_generator_is_deterministic_and_records_real_spans():
    import inject_errors

    documents = clean_documents()[:2]
    first = list(inject_errors.injected_copies(variants=2, documents=documents))
    second = list(inject_errors.injected_copies(variants=2, documents=documents))
    assert first == second
    assert len(first) == 4
    for copy in first:
        assert copy.errors
        assert copy.text != read_text(documents[0].path) or copy.source != "seeds/" + documents[0].file
        starts = line_starts(copy.text)
        for error in copy.errors:
            assert copy.text[error.start:error.end] == error.injected
            if error.also:  # a repeat: the first copy comes just before the second
                first = copy.text[error.also[0]:error.also[1]]
                assert first and first.strip() == error.injected.strip()
            assert starts[error.line - 1] + error.column - 1 == error.start
            assert error.cls in CLASSES


def test_evaluation_runs_on_a_small_subset():
    import eval_proofreading

    report = eval_proofreading.run(variants=1, max_documents=1)
    assert set(report["labelled"]) == {"seeds", "corpus"}
    assert report["injected"]["total"] > 0
    assert report["clean"]["characters"] > 0
    assert '"per_10k"' in eval_proofreading.to_json(report)
