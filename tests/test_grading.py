"""Grades a reviewer would give: the policy in the pack's `scoring` (score thresholds and caps),
explained in every result (为什么是这个等级)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from checker import skeleton
from checker.cli import main
from checker.engine import Engine
from checker.errors import RuleFileError
from checker.load import Source
from checker.model.document import build_document
from checker.packs import load_pack
from tests.conftest import seed

PACKS = ("township", "county", "department", "national")


@pytest.fixture(scope="module")
def engines():
    return {name: Engine(load_pack(name)) for name in PACKS}


def check_text(engine: Engine, text: str):
    return engine.check_document(build_document(Source(path="t.txt", text=text, format="text")))


# --- the seeds --------------------------------------------------------------------------------------

def test_seed_002_is_excellent_and_says_why(seed_results):
    result = seed_results["002"]
    assert result.grade == "优秀"
    assert result.grade_reason.startswith("优秀。得分 ") and "90 分及以上为优秀" in result.grade_reason


def test_seed_000_missing_first_responsible_needs_revision(seed_results):
    result = seed_results["000"]
    assert result.grade == "需修改"
    assert "缺少必备部分：缺少“党政主要负责人履行第一责任人职责情况”部分" in result.grade_reason
    assert result.grade_caps == ["缺少必备部分"]


def test_other_seeds_are_not_excellent(seed_results):
    # 001: no causes, first-responsible without leaders or counts; 003/004: parts out of order, 004 no title
    assert {key: seed_results[key].grade for key in ("001", "003", "004")} == {"001": "合格", "003": "合格", "004": "合格"}


def test_seed_002_without_its_shortcomings_needs_revision(engine):
    text = seed("002").read_text(encoding="utf-8")
    start = text.index("二、2022年度推进法治政府建设存在的不足和原因")
    cut = text[:start] + text[text.index("三、党政主要负责人", start):]
    result = check_text(engine, cut)
    assert result.grade == "需修改" and "缺少“存在的不足和原因”部分" in result.grade_reason


# --- the skeleton -----------------------------------------------------------------------------------

@pytest.mark.parametrize("pack", PACKS)
@pytest.mark.parametrize("issuer", [None, "城关镇人民政府"])
def test_unfilled_skeleton_needs_revision_in_every_pack(engines, pack, issuer, tmp_path):
    out = tmp_path / "draft.txt"
    args = ["template", "--year", "2024", "--level", pack, "-o", str(out)] + (["--issuer", issuer] if issuer else [])
    assert CliRunner().invoke(main, args).exit_code == 0
    result = engines[pack].check_path(str(out))
    assert result.grade == "需修改", result.grade_reason
    assert "正文过短" in result.grade_reason


def test_docx_skeleton_needs_revision(engines, tmp_path):
    path = tmp_path / "draft.docx"
    skeleton.write_docx(skeleton.build(engines["township"].pack, 2025, "城关镇人民政府"), str(path))
    assert engines["township"].check_path(str(path)).grade == "需修改"


# --- caps and counting ------------------------------------------------------------------------------

# seed 002 with its one wording slip corrected (a reviewer marks 办法（试用） → （试行）; the usage rule
# finds it), so that the cases below start from a report whose only problems are the intended ones
COMPLETE = seed("002").read_text(encoding="utf-8").replace("审核办法(试用)", "审核办法(试行)").replace("责权法定", "权责法定")


def test_an_error_finding_caps_the_grade_at_pass(engine):
    broken = COMPLETE.replace("旧宫镇党政主要负责人听取了", "旧宫镇深入贯彻《法治政府建设实施纲要（2022—2025年）》，党政主要负责人听取了", 1)
    assert broken != COMPLETE
    result = check_text(engine, broken)
    assert any(f.rule == "pattern-outline-years" for f in result.findings)
    assert result.score >= 90 and result.grade == "合格"
    assert "有错误级问题，不能评为优秀" in result.grade_reason and "按得分本为优秀" in result.grade_reason


def test_a_rule_firing_many_times_counts_once_with_its_count(national):
    from checker.grading import grade
    from checker.result import Finding, Severity

    def numbering(n: int) -> list[Finding]:
        return [Finding(rule="numbering", severity=Severity.WARNING, message=f"标题编号错误 {i}", line=i)
                for i in range(n)]

    once, many = grade(national, national.rules, numbering(1)), grade(national, national.rules, numbering(5))
    assert once.score == many.score == 100 - national.rule("numbering").weight * 0.5
    assert "5 处" in many.reason and "5 处" not in once.reason


def test_template_leftover_needs_revision_even_with_a_good_score(engine):
    result = check_text(engine, COMPLETE.replace("旧宫镇人民政府", "XX镇人民政府", 1))
    assert any(f.rule == "pattern-template-leftover" for f in result.findings)
    assert result.grade == "需修改" and "有未替换的模板内容" in result.grade_reason


def test_suppressed_findings_do_not_count(engine):
    text = "<!-- checker-disable required-section-first-responsible: 单列报送 -->\n" + \
        seed("000").read_text(encoding="utf-8")
    result = check_text(engine, text)
    assert "缺少必备部分" not in result.grade_reason and result.grade != "需修改"


# --- first-responsible: leaders and counts, not just the words -------------------------------------

HEAD = ("城关镇2023年度法治政府建设情况报告\n一、2023年度推进法治政府建设的主要举措和成效\n"
        "开展普法宣传20场，审查规范性文件5件，化解矛盾纠纷30起，办理行政复议2件。\n"
        "二、2023年度推进法治政府建设存在的不足和原因\n一是执法力量不足，原因是编制少。\n"
        "三、2023年度党政主要负责人履行推进法治建设第一责任人职责，加强法治政府建设的有关情况\n")
TAIL = "\n四、2024年度推进法治政府建设的主要安排\n一是加强学法。\n"


def _first_responsible_rules(engine, body):
    result = check_text(engine, HEAD + body + TAIL)
    return {f.rule for f in result.findings if f.rule.endswith("first-responsible") or "first-responsible-" in f.rule}


def test_first_responsible_words_without_leaders_or_counts(engine):
    vague = "法治建设纳入重要议事日程，坚持学法、述法，重大决策合法性审查，聘请法律顾问，积极出庭应诉。"
    assert {"concepts-first-responsible-leader", "metric-facts-first-responsible"} <= _first_responsible_rules(engine, vague)


def test_first_responsible_tied_to_leaders_with_counts(engine):
    concrete = "镇党委书记主持专题会议研究法治工作4次，镇长带头出庭应诉1次，年终述法2人次，重大决策全部经合法性审查。"
    assert not _first_responsible_rules(engine, concrete)


# --- the policy is data -----------------------------------------------------------------------------

def test_caps_must_name_existing_rules_and_grades(tmp_path):
    unknown = tmp_path / "unknown.yaml"
    unknown.write_text("extends: national\nscoring:\n  caps:\n    - {grade: 需修改, reason: x, rules: [no-such-rule]}\n",
                       encoding="utf-8")
    with pytest.raises(RuleFileError, match="caps 中的规则 'no-such-rule' 不存在"):
        load_pack(str(unknown))
    bad_grade = tmp_path / "grade.yaml"
    bad_grade.write_text("extends: national\nscoring:\n  caps:\n    - {grade: 很差, reason: x}\n", encoding="utf-8")
    with pytest.raises(RuleFileError, match="不在 grades 中"):
        load_pack(str(bad_grade))


def test_grade_reason_in_json(tmp_path):
    out = tmp_path / "out.json"
    result = CliRunner().invoke(main, ["check", str(seed("000")), "--format", f"json:{out}", "-j", "1"])
    assert result.exit_code in (0, 1), result.output
    document = json.loads(out.read_text(encoding="utf-8"))["documents"][0]
    assert document["grade"] == "需修改" and document["grade_reason"].startswith("需修改。缺少必备部分")
    assert document["grade_caps"] == ["缺少必备部分"]


# --- every output says why --------------------------------------------------------------------------

def test_every_output_explains_the_grade(seed_results, national):
    from checker.render import RenderOptions, render

    results = [seed_results["000"], seed_results["002"]]
    why = "缺少必备部分：缺少“党政主要负责人履行第一责任人职责情况”部分"
    for fmt in ("terminal", "html", "csv", "junit", "sarif", "json"):
        out = render(fmt, results, RenderOptions(pack=national))
        text = out.decode("utf-8") if isinstance(out, bytes) else out
        assert why in text, fmt
    terminal = render("terminal", results, RenderOptions(pack=national))
    assert "为什么是这个等级" in terminal


def test_web_page_explains_the_grade():
    import io

    from checker.web import create_app

    client = create_app(max_bytes=2 * 1024 * 1024).test_client()
    html = client.post("/", data={"level": "national", "file": (io.BytesIO(seed("000").read_bytes()), "a.txt")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert 'id="grade-reason"' in html and "为什么是这个等级：需修改。缺少必备部分" in html


def test_no_title_parts_out_of_order_and_no_figures_is_not_excellent(engine):
    """The reviewer's example: such a report was graded 优秀."""
    import re

    lines = COMPLETE.splitlines()
    body = "\n".join(lines[1:])  # no title
    shortcomings = body[body.index("  二、2022年度推进"):body.index("  三、党政主要负责人")]
    body = body.replace(shortcomings, "")
    body = body.replace("  四、2023年度推进", shortcomings + "  四、2023年度推进")  # after first-responsible
    body = re.sub(r"\d+(?:\.\d+)?(?=余?(?:次|件|场|个|人|名|起|份|项|%|万|家|条|期|户|篇|部|批|处|所|村|宗|天|元))", "若干", body)
    result = check_text(engine, body)
    rules = {f.rule for f in result.findings}
    assert {"title", "section-order", "metric-facts-measures"} <= rules
    assert result.grade != "优秀", result.grade_reason
