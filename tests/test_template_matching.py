"""Matching headings to template sections: real variants recognised, thematic headings and
body sentences not; figures on the labelled corpus."""

from __future__ import annotations

import pytest

from checker.corpus_eval import evaluate
from checker.model.document import document_from_text
from tests.conftest import CORPUS

# Heading variants seen in real reports (docs: domain.md), each with its section.
VARIANTS = {
    "measures": ["主要举措和成效", "2023年主要举措及成效", "主要措施和成效", "主要工作及成效", "2023年法治建设主要工作与经验",
                 "工作开展情况", "基本情况和主要成效", "工作完成情况", "法治政府建设主要措施", "2022年法治政府建设工作情况",
                 "推进法治政府建设各项工作开展情况"],
    "shortcomings": ["存在的不足和原因", "存在的问题及原因", "存在的问题与短板", "存在的问题", "问题和不足",
                     "2023年度推进法治政府建设存在的不足和原因"],
    "first-responsible": ["党政主要负责人履行推进法治建设第一责任人职责情况", "区政府主要负责同志履行推进法治建设第一责任人职责情况",
                          "主要负责人带头履行推进法治建设第一责任人职责", "党政主要负责人履行推进法治建设第一责任人职责,加强法治政府建设的有关情况"],
    "next-year": ["下一年度推进法治政府建设的主要安排", "2025年推进法治政府建设的主要安排", "下一步工作打算", "下步工作打算",
                  "下一步法治建设改进措施", "工作计划", "工作思路"],
    "other": ["其他需要报告的情况", "其他事项"],
}
THEMATIC = ["依法全面履行政府职能", "坚持以习总书记系列重要讲话精神为导向,全面部署法治政府建设工作",
            "全面加强党的领导,认真履行主体责任", "以习近平法治思想为统领,不断压实法治建设责任",
            "加强党对法治政府建设的领导,确保法治政府建设正确方向", "积极推进应急管理放管服改革", "强化组织领导",
            "加强数字法治政府建设", "加强法治政府建设", "依法全面履行政府职能情况", "深化行政执法体制改革"]


def top_sections(engine, headings: list[str]) -> list[str | None]:
    text = "某镇2023年度法治政府建设情况报告\n2023年，我镇推进法治政府建设。\n" + "".join(
        f"{'一二三四五六七八'[i]}、{h}\n正文。\n" for i, h in enumerate(headings))
    match = engine.matcher.match(document_from_text(text))
    return [m.section if m else None for _, m in match.top]


@pytest.mark.parametrize("section,heading", [(s, h) for s, hs in VARIANTS.items() for h in hs])
def test_real_heading_variants_are_recognised(engine, section, heading):
    assert top_sections(engine, [heading]) == [section]


@pytest.mark.parametrize("heading", THEMATIC)
def test_thematic_headings_are_not_template_sections(engine, heading):
    assert top_sections(engine, [heading]) == [None]


def test_body_sentences_mentioning_shortcomings_are_not_sections(engine):
    text = ("某镇2023年度法治政府建设情况报告\n一、主要举措和成效\n我镇存在的不足和原因主要是人员少。存在的问题较多。\n"
            "二、下一步工作打算\n正文。\n")
    match = engine.matcher.match(document_from_text(text))
    assert [m.section for m in match.sections] == ["measures", "next-year"]


def test_first_responsible_as_bullet_is_present_in_substance(engine):
    text = ("某镇2023年度法治政府建设情况报告\n一、主要举措和成效\n(一)强化领导。一是加强学习，二是扛牢法治建设第一责任人职责，"
            "三是完善制度。\n二、存在的不足和原因\n正文。\n三、下一步工作打算\n正文。\n")
    result = engine.check_document(document_from_text(text))
    status = {row.id: row.status for row in result.checklist}
    assert status["first-responsible"] == "substance"
    finding = next(f for f in result.findings if f.rule == "required-section-first-responsible")
    assert finding.severity.label == "warning" and "扛牢法治建设第一责任人职责" in finding.message
    assert "first-responsible" not in [s["id"] for s in result.sections]


def test_corpus_agreement_at_least_90_percent():
    figures, misses, total = evaluate(CORPUS)
    assert total >= 39
    assert figures["title"] >= 0.9, misses
    assert figures["report_year"] >= 0.9, misses
    assert figures["sections"] >= 0.9, misses


def test_run_on_versions_of_real_reports_keep_their_sections(engine):
    """Joining every line of a real report (lost line breaks) keeps its sections and year."""
    from tests.conftest import SEEDS

    for path in sorted(SEEDS.glob("*.txt")) + sorted(CORPUS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        run_on = " ".join(line.strip() for line in text.split("\n") if line.strip())
        original = engine.check_document(document_from_text(text))
        joined = engine.check_document(document_from_text(run_on))
        assert [s["id"] for s in joined.sections] == [s["id"] for s in original.sections], path.name
        assert joined.report_year == original.report_year, path.name


def test_similarity_weights_substring_matches_by_length():
    from checker.template import similarity

    weights = [(1.5, 0.9), (2.5, 0.8), (None, 0.6)]
    assert similarity("主要举措和成效", "主要举措和成效", weights) == 100.0
    # a prefix added to an alias keeps most of the substring score
    assert similarity("区政府主要负责同志履行第一责任人职责情况", "主要负责同志履行第一责任人职责情况", weights) >= 85
    # a long heading that merely contains a short alias does not
    assert similarity("坚持以习总书记系列重要讲话精神为导向全面部署工作情况", "工作情况", weights) < 76
