"""standard-heading: silent on wording that only differs in 年/年度, connectors, 情况 or years;
when it speaks it names the difference and quotes a concrete year, never a placeholder."""

from checker.engine import Engine
from checker.kinds.standard_heading import OPTIONS, difference
from checker.model.document import build_document
from checker.load import Source
from checker.packs import load_pack

IGNORE = OPTIONS["ignore"][1]
MEASURES = "{year}年度推进法治政府建设的主要举措和成效"
SHORTCOMINGS = "{year}年度推进法治政府建设存在的不足和原因"


def test_equivalent_wordings_are_silent():
    for written in ("2023年推进法治政府建设的主要举措及成效", "2023年度推进法治政府建设主要举措与成效情况",
                    "上一年度推进法治政府建设的主要举措和成效", "推进法治政府建设的主要举措和成效"):
        assert difference(written, MEASURES, IGNORE, 3) is None, written
    first = "{year}年度党政主要负责人履行推进法治建设第一责任人职责，加强法治政府建设的有关情况"
    assert difference("2023年党政主要负责人履行推进法治建设第一责任人职责、加强法治政府建设情况",
                      first, IGNORE, 3) is None


def test_the_note_names_what_differs():
    assert difference("2023年度推荐法治政府建设的主要举措和成效", MEASURES, IGNORE, 3) == "「推荐」应为「推进」"
    assert difference("2023年度推进法治政府建设存在的不足", SHORTCOMINGS, IGNORE, 3) == "少了「原因」"
    assert difference("2024年主要举措和突出成效", MEASURES, IGNORE, 3) == "少了「推进法治政府建设」；多了「突出」"
    assert difference("下一步工作打算", "{next_year}年度推进法治政府建设的主要安排", IGNORE, 3) == "措辞与标准表述差别较大"


def _check(text: str, pack: str = "national"):
    engine = Engine(load_pack(pack))
    return engine.check_document(build_document(Source(path="t.txt", text=text, format="text")))


def test_no_placeholder_year_is_suggested_when_the_year_is_unknown():
    result = _check("法治政府建设情况报告\n一、工作开展情况\n开展普法宣传20场。\n二、存在的不足\n人员不足。\n")
    notes = [f for f in result.findings if f.rule == "standard-heading"]
    assert notes and all("上一年度" not in f.suggestion and "下一年度" not in f.suggestion for f in notes)
    missing = [f for f in result.findings if f.rule.startswith("required-section")]
    assert all("上一年度" not in (f.suggestion or "") for f in missing)


def test_garbled_marker_is_not_copied_into_the_suggestion():
    result = _check("某镇2022年度法治政府建设情况报告\n一,、法治建设第一责任人履职情况\n镇长出庭应诉1次。\n")
    notes = [f for f in result.findings if f.rule == "standard-heading"]
    assert notes and notes[0].suggestion.startswith("建议改为「一、2022年度")
