"""Acceptance: the five seeds saved as .docx, .html, .pdf and GBK .txt give the same template
sections and the same findings (rule ids and messages, line references aside) as the text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from checker.load import load
from checker.model.document import build_document
from tests.conftest import SEEDS
from tests.makedocs import write_docx, write_html, write_pdf

FORMATS = ("docx", "html", "pdf", "gbk.txt")
_LINE_REF = re.compile(r"第 ?\d+ ?行")


def _write(fmt: str, text: str, path: Path) -> Path:
    if fmt == "docx":
        return write_docx(text, path)
    if fmt == "html":
        return write_html(text, path, pub_date=None)
    if fmt == "pdf":
        return write_pdf(text, path)
    path.write_bytes(text.replace("\xa0", " ").encode("gbk"))  # GBK has no NO-BREAK SPACE
    return path


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    folder = tmp_path_factory.mktemp("formats")
    return {(seed.name[:3], fmt): _write(fmt, seed.read_text(encoding="utf-8"), folder / f"{seed.stem}.{fmt}")
            for seed in sorted(SEEDS.glob("*.txt")) for fmt in FORMATS}


def _comparable(result):
    return ([s["id"] for s in result.sections],
            [(f.rule, f.severity, _LINE_REF.sub("第#行", f.message)) for f in result.findings])


@pytest.mark.parametrize("fmt", FORMATS)
def test_seed_in_every_format_gives_same_sections_and_findings(fmt, converted, seed_results, engine):
    for key, original in seed_results.items():
        result = engine.check_path(str(converted[(key, fmt)]))
        assert result.error is None, (key, result.error)
        assert result.format == ("text" if fmt == "gbk.txt" else fmt)
        assert _comparable(result) == _comparable(original), (key, fmt)
        assert result.sections, key


def test_gbk_text_is_decoded_as_gb18030(converted):
    source = load(str(converted[("002", "gbk.txt")]))
    assert source.encoding == "gb18030"


def test_pdf_locations_name_pages(converted):
    source = load(str(converted[("000", "pdf")]))
    assert set(source.locations.values()) >= {"第1页", "第2页"}
    assert "XX县人民政府文件" not in source.text and "— 1 —" not in source.text


def test_traditional_report_matched_and_findings_point_at_original_text(tmp_path, engine, seed_results):
    from opencc import OpenCC

    original = next(SEEDS.glob("000_*.txt")).read_text(encoding="utf-8")
    traditional = OpenCC("s2t").convert(original)
    assert traditional != original
    path = tmp_path / "traditional.txt"
    path.write_text(traditional, encoding="utf-8")
    result = engine.check_path(str(path))
    simplified = seed_results["000"]
    assert [s["id"] for s in result.sections] == [s["id"] for s in simplified.sections]
    assert [f.rule for f in result.findings] == [f.rule for f in simplified.findings]
    document = build_document(load(str(path)))
    placed = [f for f in result.findings if f.start is not None and f.end is not None and f.end > f.start]
    assert placed
    for finding in placed:
        assert document.text[finding.start:finding.end] == finding.matched_text
        assert finding.matched_text in traditional
    headings = [s["heading"] for s in result.sections]
    assert any(heading not in original for heading in headings)  # shown as written (traditional)
