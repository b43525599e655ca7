"""Pages that are not annual reports; hard openings (metadata, covering letter, split and run-in titles)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from checker.corpus_eval import evaluate
from checker.engine import Engine
from checker.model.document import document_from_text
from checker.packs import load_pack
from checker.render import RenderOptions, render
from checker.render.summary import BatchSummary

ROOT = Path(__file__).resolve().parent.parent
HARD = ROOT / "tests" / "data" / "hard"


@pytest.fixture(scope="module")
def engine():
    return Engine(load_pack("national"))


def test_hard_set_agrees_with_labels():
    figures, misses, total = evaluate(HARD)
    assert total >= 17
    assert all(share == 1.0 for share in figures.values()), misses


def test_corpus_pages_are_all_reports():
    figures, misses, _ = evaluate(ROOT / "tests" / "data" / "corpus")
    assert figures["is_report"] == 1.0, [m for m in misses if m.field == "is_report"]
    assert figures["title"] >= 0.97 and figures["report_year"] >= 0.97 and figures["sections"] >= 0.97, misses


def test_seeds_are_reports(engine):
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        result = engine.check_path(str(path))
        assert result.is_report and result.not_report_reason is None, path
        assert not [f for f in result.findings if f.rule == "not-report"], path


def test_policy_interpretation_is_not_report(engine):
    text = ("《某县法治政府建设实施方案》政策解读\n发布时间：2022-03-15\n一、起草背景\n为贯彻落实纲要，制定本方案。\n"
            "二、主要内容\n方案明确了主要任务。\n")
    result = engine.check_document(document_from_text(text))
    assert result.is_report is False
    assert "政策解读" in result.not_report_reason
    assert [f.rule for f in result.findings] == ["not-report"]
    assert (result.title, result.report_year, result.sections, result.score, result.grade) == (None, None, [], None, None)
    assert result.findings[0].line == 1


def test_not_report_can_be_overruled_in_the_document(engine):
    text = ("<!-- checker-disable not-report -->\n某县法治政府建设工作要点解读\n一、起草背景\n二、主要内容\n")
    result = engine.check_document(document_from_text(text))
    assert result.is_report is True
    assert [f.suppressed is not None for f in result.findings if f.rule == "not-report"] == [True]


def test_report_using_plan_and_news_words_stays_a_report(engine):
    result = engine.check_path(str(HARD / "r07-news-words-in-report.txt"))
    assert result.is_report and result.score is not None


def test_json_and_summaries_list_non_reports_apart(engine):
    results = [engine.check_path(str(HARD / name)) for name in
               ("r08-department-march.txt", "n01-policy-interpretation.txt", "n05-news.txt")]
    options = RenderOptions(pack=engine.pack)
    documents = json.loads(render("json", results, options))["documents"]
    assert [d["is_report"] for d in documents] == [True, False, False]
    report, interpretation = documents[0], documents[1]
    assert report["not_report_reason"] is None and report["published"]["date"] == "2024-03-20"
    assert report["signed_date"] == "2024-03-18" and report["issuer"] == "某市生态环境局"
    assert interpretation["title"] is None and interpretation["report_year"] is None
    assert interpretation["sections"] == [] and interpretation["score"] is None and interpretation["grade"] is None
    assert "政策解读" in interpretation["not_report_reason"]
    assert [f["rule"] for f in interpretation["findings"]] == ["not-report"]
    # The news item was published on its dateline (4月8日), before the page date 2024-04-10.
    assert documents[2]["published"]["date"] == "2024-04-08"

    summary = BatchSummary(engine.pack)
    for result in results:
        summary.add(result)
    assert [row.path for row in summary.ranked()] == [results[0].path]
    assert sum(summary.grades.values()) == 1
    assert [row.path for row in summary.not_reports] == [results[1].path, results[2].path]

    for fmt in ("terminal", "html"):
        text = render(fmt, results, options)
        assert "不是法治政府建设年度报告" in text, fmt
    csv_text = render("csv", results, options)
    assert csv_text.count("不是法治政府建设年度报告：") == 2


def test_xlsx_marks_non_reports(engine):
    from openpyxl import load_workbook

    results = [engine.check_path(str(HARD / "n02-gov-info-disclosure.txt"))]
    data = render("xlsx", results, RenderOptions(pack=engine.pack))
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    cells = [cell.value for row in sheet.iter_rows() for cell in row if cell.value]
    assert any(str(v).startswith("不是法治政府建设年度报告：") for v in cells)


@pytest.mark.parametrize("name, title, year", [
    ("r01-metadata-block.txt", "某县司法局2023年度法治政府建设情况报告", 2023),
    ("r02-covering-letter.txt", "某县2023年度法治政府建设情况报告", 2023),
    ("r03-split-title.txt", "某市某区人民政府关于2023年度法治政府建设情况的报告", 2023),
    ("r04-run-in-title.txt", "某镇2023年度法治政府建设工作报告", 2023),
    ("r05-year-in-opening.txt", None, 2022),
    ("r06-bracket-date-no-title-year.txt", "某乡法治政府建设工作报告", 2023),
])
def test_hard_openings(name, title, year):
    outline = document_from_text((HARD / name).read_text(encoding="utf-8")).outline
    assert (outline.title.text if outline.title else None, outline.report_year) == (title, year)


def test_run_in_title_body_starts_after_title():
    text = "某镇2023年度法治政府建设工作报告2023年，我镇扎实推进依法行政。现将有关情况报告如下：一、主要举措和成效（一）加强领导。"
    document = document_from_text(text)
    outline = document.outline
    assert outline.title.text == "某镇2023年度法治政府建设工作报告"
    assert document.body_text.startswith("2023年，我镇")
    assert [e.source for e in outline.years][:2] == ["title", "opening"]
