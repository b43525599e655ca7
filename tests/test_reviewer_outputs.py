"""Reviewer outputs: csv (BOM, re-read), xlsx (re-read with openpyxl), html (parsed; nothing from a
document can run), terminal batch summary."""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser

import pytest

from checker.render import RenderOptions, render
from tests.conftest import SEEDS

HOSTILE = """<script>alert("x")</script>关于2023年法治政府建设情况的报告
县人民政府：
一、2023年度推进法治政府建设的主要举措和成效
我们把 <img src=x onerror=alert(1)> 与 "onerror= 以及 javascript:alert(1) 都写进了报告。
=HYPERLINK("http://evil.example","点我")
二、存在的不足和原因
不足 </pre></details><script>alert(2)</script>
"""


@pytest.fixture(scope="module")
def results(engine, tmp_path_factory):
    folder = tmp_path_factory.mktemp("docs")
    hostile = folder / "<script>alert(3)<\\script>.txt"
    hostile.write_text(HOSTILE, encoding="utf-8")
    empty = folder / "empty.txt"
    empty.write_bytes(b"")
    paths = [*sorted(SEEDS.glob("*.txt")), hostile, empty]
    return [engine.check_path(str(p), keep_text=True) for p in paths]


def test_csv_has_bom_and_one_row_per_document(results, national):
    data = render("csv", results, RenderOptions(pack=national))
    assert data.startswith("\ufeff文件,")
    rows = list(csv.DictReader(io.StringIO(data[1:])))
    assert len(rows) == len(results)
    for row, result in zip(rows, results):
        assert row["文件"] == result.path
        if result.error:
            assert row["无法检查原因"] == result.error and row["得分"] == ""
        else:
            assert float(row["得分"]) == result.score and row["等级"] == result.grade
            assert row["等级原因"] == result.grade_reason and row["等级原因"].startswith(result.grade)
            for item in result.checklist:
                assert row[item.name] == {"present": "✓", "substance": "~", "missing": "✗"}[item.status]
            assert len([line for line in row["问题"].split("\n") if line]) == len(
                [f for f in result.findings if not f.suppressed])
    # nothing a spreadsheet would run as a formula
    for row in rows:
        assert not any(value.startswith(("=", "+", "-", "@")) for value in row.values())


def test_xlsx_summary_and_findings_sheets(results, national, tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "out.xlsx"
    path.write_bytes(render("xlsx", results, RenderOptions(pack=national)))
    book = load_workbook(path)
    assert book.sheetnames == ["汇总", "问题"]
    summary = list(book["汇总"].iter_rows(values_only=True))
    header = summary[0]
    assert header[:6] == ("文件", "标题", "报告年度", "得分", "等级", "等级原因")
    assert [spec.name for spec in national.sections] == list(header[9:9 + len(national.sections)])
    assert len(summary) == 1 + len(results)
    by_path = {row[0]: row for row in summary[1:]}
    for result in results:
        row = by_path[result.path]
        if result.error:
            assert row[-1] == result.error
        else:
            assert row[3] == result.score and row[4] == result.grade and row[5] == result.grade_reason
    fills = {book["汇总"].cell(row=i, column=4).fill.start_color.rgb for i in range(2, len(results) + 2)}
    assert len(fills) >= 2  # coloured by grade
    findings = list(book["问题"].iter_rows(values_only=True))
    assert len(findings) - 1 == sum(len([f for f in r.findings if not f.suppressed]) for r in results)
    for row in book["汇总"].iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f"  # no formulas, even from '=HYPERLINK(' in a report


class Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def test_html_is_self_contained_and_inert(results, national):
    page = render("html", results, RenderOptions(pack=national))
    parser = Collector()
    parser.feed(page)
    tags = [tag for tag, _ in parser.tags]
    assert "script" not in tags and "iframe" not in tags and "img" not in tags
    for tag, attrs in parser.tags:
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        for name in ("href", "src"):
            value = attrs.get(name)
            assert value is None or value.startswith("#"), (tag, attrs)  # only in-page links, no network
    csp = [attrs for tag, attrs in parser.tags if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy"]
    assert csp and "default-src 'none'" in csp[0]["content"] and "script-src" not in csp[0]["content"]
    text = "".join(parser.text)
    assert '<script>alert("x")</script>' in text  # shown as text, escaped in the source
    assert "<img src=x onerror=alert(1)>" in text and "javascript:alert(1)" in text
    assert "&lt;script&gt;alert(3)&lt;\\script&gt;.txt" in page
    # every document appears, with its findings highlighted in its text
    assert page.count('<section class="doc"') == len(results)
    assert page.count("<mark") >= 3
    assert "无法检查" in page


def test_html_highlights_at_finding_offsets(engine):
    from checker.render.html import highlight

    result = engine.check_path(str(next(SEEDS.glob("000_*.txt"))), keep_text=True)
    active = [f for f in result.findings if not f.suppressed and f.start is not None and f.end is not None]
    assert active
    marked, anchors = highlight(result.text, active, "d")
    import html as html_lib
    import re

    for index, finding in enumerate(active):
        if finding.end > finding.start:
            anchor = anchors[index]
            span = re.search(rf'<mark class="\w+" id="{anchor}"[^>]*>(.*?)</mark>', marked, re.S)
            assert span and result.text[finding.start:finding.end].startswith(html_lib.unescape(span.group(1)))


def test_overlapping_and_point_findings_do_not_break_markup():
    from checker.render.html import highlight
    from checker.result import Finding, Severity

    text = "abcdefghij<&>"
    findings = [Finding("a", Severity.ERROR, "m1", start=0, end=5), Finding("b", Severity.INFO, "m2", start=3, end=8),
                Finding("c", Severity.WARNING, "m3", start=4, end=4), Finding("d", Severity.INFO, "m4", start=9, end=99),
                Finding("e", Severity.INFO, "m5")]
    marked, anchors = highlight(text, findings, "x")
    parser = Collector()
    parser.feed(marked)
    shown = "".join(parser.text)
    assert shown == text  # highlighting never changes the text itself
    assert set(anchors) == {0, 1, 2, 3}
    assert marked.count("<mark") == marked.count("</mark>")


def test_terminal_batch_summary_ranks_and_lists_unreadable(results, national):
    out = render("terminal", results, RenderOptions(pack=national, color=False, extras={"details": False}))
    assert "文件得分排名" in out and "等级分布" in out and "最常见的问题" in out and "无法检查或跳过的文件" in out
    scores = [r.score for r in results if r.error is None]
    first_row = [line for line in out.splitlines() if line.startswith("│ 1 ")][0]
    assert f"{min(scores):g}" in first_row
    assert "empty.txt" in out


def test_xlsx_has_filters_and_coloured_section_marks(results, national, tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "out.xlsx"
    path.write_bytes(render("xlsx", results, RenderOptions(pack=national)))
    book = load_workbook(path)
    assert book["汇总"].auto_filter.ref == f"A1:{chr(ord('A') + 9 + len(national.sections))}{len(results) + 1}"
    assert book["问题"].auto_filter.ref.startswith("A1:I")
    marks = {cell.value: cell.font.color.rgb for row in book["汇总"].iter_rows(min_row=2, min_col=10, max_col=14)
             for cell in row if cell.value}
    assert marks["✓"].endswith("1A7F37") and marks["✗"].endswith("CF222E")
