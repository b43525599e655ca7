"""`checker template`: a skeleton that passes the structural rules and awaits its content."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from checker import skeleton
from checker.cli import main
from checker.engine import Engine
from checker.levels import LEVELS, pack_for
from checker.model.document import document_from_text

STRUCTURAL = {"required-section", "section-order", "year-consistency", "title", "standard-heading"}


@pytest.fixture(scope="module")
def engines():
    return {level: Engine(pack_for(level)) for level in LEVELS}


@pytest.mark.parametrize("level", list(LEVELS))
@pytest.mark.parametrize("year", [2021, 2024, 2025])
def test_skeleton_is_structurally_clean(engines, level, year):
    engine = engines[level]
    draft = skeleton.build(engine.pack, year, LEVELS[level][2])
    result = engine.check_document(document_from_text(draft.text()))
    kinds = {rule.id: rule.kind for rule in engine.pack.rules}
    structural = [f for f in result.findings if kinds[f.rule] in STRUCTURAL]
    assert not structural, structural
    assert result.report_year == year
    assert [s["id"] for s in result.sections] == [spec.id for spec in engine.pack.sections]
    assert all(row.status == "present" for row in result.checklist)
    assert f"{year + 1}年度推进法治政府建设的主要安排" in draft.text()
    content = [r for r in engine.pack.rules if kinds[r.id] not in STRUCTURAL | skeleton.STRUCTURAL_KINDS
               and r.scope in {spec.id for spec in engine.pack.sections}]
    if content:  # content rules exist: the unfilled skeleton must fail some of them
        assert any(kinds[f.rule] not in STRUCTURAL for f in result.findings)


def test_every_section_says_what_to_cover(national):
    draft = skeleton.build(national, 2025, "某某镇人民政府")
    for section in draft.sections:
        assert section.hints and section.hints[0].startswith("<!-- " + skeleton.HINT)
        assert len(section.hints) >= 2 and all(h.startswith("<!--") and h.endswith("-->") for h in section.hints)


def test_guidance_is_invisible_to_the_checker(engine, national):
    from checker.model.document import document_from_text

    draft = skeleton.build(national, 2025, "某某镇人民政府")
    document = document_from_text(draft.text())
    assert "填写提示" not in document.text and "填写提示" in draft.text()


def test_rule_hints_read_options_generically(national):
    from dataclasses import replace

    rule = replace(national.rules[0], kind="concepts", scope="first-responsible",
                   options={"concepts": [{"name": "学法", "synonyms": ["学法"]}, ["述法", "述职述法"], "出庭应诉"],
                            "min_count": 2})
    assert skeleton.rule_hints(rule) == ["至少写到其中 2 项：学法、述法、出庭应诉"]
    metric = replace(rule, kind="metric", options={"min_chars": 300, "min_facts": 3})
    assert skeleton.rule_hints(metric) == ["篇幅不少于 300 字", "至少写出 3 处具体数字（次、件、人次、%、万元等）"]


def test_cli_writes_docx_and_txt(tmp_path):
    import docx

    runner = CliRunner()
    out = tmp_path / "draft.docx"
    result = runner.invoke(main, ["template", "--year", "2025", "--level", "township", "--issuer", "某某镇人民政府",
                                  "-o", str(out)])
    assert result.exit_code == 0, result.output
    paragraphs = [p.text for p in docx.Document(str(out)).paragraphs]
    assert paragraphs[0] == "某某镇人民政府2025年度法治政府建设情况报告"
    assert "四、2026年度推进法治政府建设的主要安排" in paragraphs
    again = runner.invoke(main, ["template", "--year", "2025", "-o", str(out)])
    assert again.exit_code == 2 and "已存在" in again.output
    txt = tmp_path / "draft.txt"
    assert runner.invoke(main, ["template", "--year", "2024", "--level", "county", "-o", str(txt)]).exit_code == 0
    assert txt.read_text(encoding="utf-8").startswith("某某县人民政府2024年度法治政府建设情况报告")


def test_docx_skeleton_checks_clean_on_structure(engines, tmp_path):
    engine = engines["township"]
    path = tmp_path / "draft.docx"
    skeleton.write_docx(skeleton.build(engine.pack, 2025, "某某镇人民政府"), str(path))
    result = engine.check_path(str(path))
    assert result.error is None, result.error
    kinds = {rule.id: rule.kind for rule in engine.pack.rules}
    assert not [f for f in result.findings if kinds[f.rule] in STRUCTURAL]
    assert result.report_year == 2025 and len(result.sections) == len(engine.pack.sections)
