"""Proofreading kinds (usage, noise, repeats, punctuation additions) on real seeds and focused cases."""

from __future__ import annotations

import pytest

from checker import fix as fixing
from checker.model.document import document_from_text
from checker.packs import Rule
from checker.result import Finding, Severity

from tests.conftest import seed


def findings_of(engine, text: str, rule: str):
    return [f for f in engine.check_document(document_from_text(text)).findings if f.rule == rule]


def test_usage_on_a_seed_finds_what_a_reviewer_marked(seed_results):
    found = {f.matched_text for f in seed_results["000"].findings if f.rule == "usage"}
    assert {"截止", "咱们", "2023年来", "很好的达到", "有效的维护", "有针对性的对"} <= found


def test_usage_fix_is_mechanical(engine):
    text = "截止目前，咱们镇组织干部认真的学习《宪法》，全年无发生重大事故。\n"
    plan = fixing.plan(engine, document_from_text(text))
    assert plan.text == "截至目前，我们镇组织干部认真地学习《宪法》，全年未发生重大事故。\n"


def test_usage_message_cites_the_rule(engine):
    [finding] = findings_of(engine, "截止2023年底，共办结案件5件。\n", "usage")
    assert "“截至”表示到某一时间为止" in finding.message and finding.suggestion == "改为「截至」"


def test_usage_without_mechanical_fix_gives_advice(engine):
    [finding] = findings_of(engine, "全年组织培训4余次。\n", "usage")
    assert finding.replacement is None and "10余次" in finding.suggestion


@pytest.mark.parametrize("entry, problem", [
    ({"regex": "截止", "because": "x"}, "replace"),
    ({"regex": "截止", "replace": "截至"}, "because"),
    ({"regex": "(a)", "replace": "\\2", "because": "x"}, "组"),
    ({"regex": "(", "replace": "x", "because": "x"}, "有误"),
])
def test_usage_entries_are_validated(entry, problem):
    from checker.kinds import usage

    with pytest.raises(ValueError, match=problem):
        usage.validate({"entries": [entry], "timeout_ms": 200, "max_findings": 50})


# ── noise ─────────────────────────────────────────────────────────────────────────────────

def test_noise_is_reported_once_per_category_with_its_count(engine):
    from tests.conftest import CORPUS

    result = engine.check_path(str(CORPUS / "014.txt"))
    noise = [f for f in result.findings if f.rule == "noise"]
    assert sorted(f.message.split("：")[0] for f in noise) == ["乱码", "字后残留的拼音"]
    pinyin = next(f for f in noise if f.message.startswith("字后残留的拼音"))
    assert pinyin.count > 20 and len(pinyin.places) == pinyin.count and "共" in pinyin.full_message


def test_noise_fix_removes_pinyin_debris_everywhere(engine):
    text = "加強黨對法治政府建設(shè)的領(lǐng)導，扎实推进依法行政(xíng zhèng)。\n"
    plan = fixing.plan(engine, document_from_text(text))
    assert plan.text == "加強黨對法治政府建設的領導，扎实推进依法行政。\n"


def test_noise_placeholders_spare_years_names_and_enforcement(engine):
    text = "自二〇〇八年起，依法查处张某某非法经营案，严厉打击地下六合彩和网上赌场，登录www.gov.cn查询。\n"
    assert not findings_of(engine, text, "noise") and not findings_of(engine, text, "pattern-template-leftover")
    spam = findings_of(engine, "全年开展普法活动。百家乐娱乐城 http://www.bet-example.com\n", "noise")
    assert len(spam) == 1 and spam[0].count == 2


# ── punctuation additions ─────────────────────────────────────────────────────────────────

def test_ascii_marks_are_one_finding_and_fixed(engine):
    text = '深入开展"八五"普法，推进依法行政.\n全年办结率达99.5%，详见www.gov.cn。\n坚持"谁执法谁普法".\n'
    [finding] = findings_of(engine, text, "punctuation-ascii")
    assert finding.count == 6 and [p.line for p in finding.places] == [1, 1, 1, 3, 3, 3]
    plan = fixing.plan(engine, document_from_text(text))
    assert plan.text == '深入开展“八五”普法，推进依法行政。\n全年办结率达99.5%，详见www.gov.cn。\n坚持“谁执法谁普法”。\n'


def test_enumeration_item_gets_the_paragraphs_mark(engine):
    text = "一是加强领导。二是完善制度。积极解决回应三是强化监督。\n"
    [finding] = findings_of(engine, text, "punctuation-enumeration")
    assert finding.matched_text == "三是" and finding.replacement == "。三是"
    assert fixing.plan(engine, document_from_text(text)).text == "一是加强领导。二是完善制度。积极解决回应。三是强化监督。\n"


def test_stray_spaces_on_a_seed(seed_results):
    [finding] = [f for f in seed_results["004"].findings if f.rule == "punctuation-spaces"]
    assert finding.count == 2


def test_mixed_date_styles_report_the_minority(engine):
    text = "2023年3月1日召开会议，2023年6月5日开展督查，2023.11.2开展检查，2023.12.5组织培训。\n"
    [finding] = findings_of(engine, text, "punctuation-dates")
    assert finding.count == 2 and finding.matched_text == "2023.11.2" and "2023年11月2日" in finding.suggestion


def test_split_word_spaces_need_the_word_elsewhere(engine):
    text = "深入推进依法行政，深 入开展普法。\n全年深入基层调研。\n存在的不足和原因 我镇在法治政府建设中仍有差距。\n"
    [finding] = findings_of(engine, text, "punctuation-spaces")
    assert finding.count == 1 and finding.line == 1


def test_a_space_inside_a_common_word_is_stray_but_not_between_words_or_in_a_name(engine):
    text = "全面落实主 体责任，明确负责 人。\n组长 副组长 成员各司其职。\n签发人：王 强\n"
    [finding] = findings_of(engine, text, "punctuation-spaces")
    assert finding.count == 2 and finding.line == 1


def test_a_line_broken_inside_a_word_is_stray_but_not_a_new_paragraph(engine):
    head = "某某区2023年法治政府建设情况报告\n"
    broken = "今年以来，局党委坚持把深入学习宣传贯\n彻习近平法治思想作为首要政治任务。\n"
    [finding] = findings_of(engine, head + broken, "punctuation-spaces")
    assert finding.line == 2 and "贯⏎彻" in finding.message
    new_paragraph = "今年以来，我镇健全法治建设工作机制\n成立了以镇党委书记为组长的领导小组。\n"
    assert not findings_of(engine, head + new_paragraph, "punctuation-spaces")


def test_a_cut_off_last_paragraph_is_not_judged_for_open_marks(engine):
    assert not findings_of(engine, "全年办结案件12件。\n认真落实《重庆市生态环境局法治政府建设实施方案(2021", "punctuation")
    assert findings_of(engine, "全年办结案件12件。\n认真落实《重庆市法治政府建设实施方案。\n", "punctuation")


# ── repeat ────────────────────────────────────────────────────────────────────────────────

def test_repeated_sentences_on_a_seed(seed_results):
    [finding] = [f for f in seed_results["004"].findings if f.rule == "repeat"]
    assert finding.line == 13 and "第 7 行" in finding.message


def test_title_written_twice_in_a_row_but_not_page_title_and_document_title(engine):
    from tests.conftest import CORPUS

    [finding] = [f for f in engine.check_path(str(CORPUS / "043.txt")).findings if f.rule == "repeat"]
    assert finding.line == 2
    assert not [f for f in engine.check_path(str(CORPUS / "020.txt")).findings if f.rule == "repeat"]


def test_web_page_text_inside_the_body_is_noise_but_not_at_its_edges(engine):
    text = ("金城镇2023年度法治政府建设情况报告\n扫一扫在手机打开当前页\n一、主要举措和成效\n全年开展普法12场。\n"
            "扫一扫在手机打开当前页\n全年办结案件3件。\n")
    [finding] = findings_of(engine, text, "noise")
    assert finding.line == 5 and finding.count == 1


@pytest.mark.parametrize("unit", ["一是加强三是", "扫一扫在手机打开当前页\n正文全年开展普法。\n", "深 入", "依法行政.",
                                  "截止目前认真的学习", "注重矛盾纠纷排查梳理工作抓早抓小严防各类纠纷激化和升级\n"])
def test_proofreading_stays_linear_on_floods(engine, unit):
    import time

    text = unit * (200_000 // len(unit))
    started = time.process_time()
    engine.check_document(document_from_text(text))
    assert time.process_time() - started < 4  # quadratic behaviour took 7-30 s here


def test_lines_read_by_ocr_are_not_proofread(engine):
    """Proofreading kinds say nothing on lines read by OCR (the recogniser's slips are not the
    writer's); the same text typed is proofread, and structure rules still see OCR lines."""
    import dataclasses

    from checker.kinds import KINDS

    text = seed("000").read_text(encoding="utf-8")
    typed = engine.check_document(document_from_text(text))
    kinds = {rule.id: rule.kind for rule in engine.pack.rules}
    proofread = [f for f in typed.findings if f.line and getattr(KINDS[kinds[f.rule]], "PROOFREADS", False)]
    assert {kinds[f.rule] for f in proofread} >= {"usage", "punctuation"}
    document = document_from_text(text)
    scanned = dataclasses.replace(document, ocr_lines=frozenset(range(1, len(document.line_starts) + 1)))
    read = engine.check_document(scanned)
    assert not [f for f in read.findings if f.line and getattr(KINDS[kinds[f.rule]], "PROOFREADS", False)]
    assert {f.rule for f in read.findings if f.rule.startswith("required-section")} == \
        {f.rule for f in typed.findings if f.rule.startswith("required-section")}


# ── judgements checked on held-out report text ────────────────────────────────────────────

def test_a_meeting_short_name_is_no_near_miss(engine):
    text = "某某区2023年法治政府建设情况报告\n坚持区政府常务会会前学法，党组会集中学法。\n"
    assert not findings_of(engine, text, "lexicon-terms")


def test_law_review_usage_only_where_the_three_systems_are_meant(engine):
    head = "某某区2023年法治政府建设情况报告\n"
    assert not findings_of(engine, head + "推行基层法治审核，乡镇法治审核全覆盖。\n", "usage")
    [finding] = findings_of(engine, head + "严格落实执法法治审核。\n", "usage")
    assert finding.matched_text == "法治"


@pytest.mark.parametrize("line, rule, count", [
    ("执法资格考试通过率达100%.\n全年增长3.5%。", "punctuation-ascii", 1),  # after a percentage, not 3.5
    ("锚定 “法治政府” 目标，推进法治建设。", "punctuation-spaces", 2),  # outside Chinese quotation marks
])
def test_grouped_punctuation_additions(engine, line, rule, count):
    [finding] = findings_of(engine, "某某区2023年法治政府建设情况报告\n" + line + "\n", rule)
    assert finding.count == count


def test_a_run_in_title_never_ends_inside_quotation_marks(engine):
    text = "会议提出“实行法治建设年度报告制度”，以及市直部门的任务。\n全年开展普法12场。\n"
    assert not findings_of(engine, text, "punctuation")


def test_a_run_in_title_never_ends_inside_book_title_marks(engine):
    text = "根据办公室《关于报送2025年度法治政府建设工作情况报告的通知》要求，现予公布。\n全年开展普法12场。\n"
    assert not findings_of(engine, text, "punctuation")


def test_de_for_de_after_obtain_but_not_after_take(engine):
    head = "某某区2023年法治政府建设情况报告\n"
    found = findings_of(engine, head + "各项工作取的重要进展，增强群众获的感。\n", "usage")
    assert sum(f.count for f in found) == 2
    assert not findings_of(engine, head + "采取的重要措施，听取的意见，获取的数据，收获的成果。\n", "usage")


def test_a_cited_regulation_takes_book_title_marks(engine):
    head = "某某区2023年法治政府建设情况报告\n"
    text = head + "按照法治政府建设与责任落实督察工作规定等要求，开展自查。\n"
    [finding] = findings_of(engine, text, "lexicon-laws")
    assert finding.matched_text == "法治政府建设与责任落实督察工作规定"
    assert "按照《法治政府建设与责任落实督察工作规定》等要求" in fixing.plan(engine, document_from_text(text)).text
    # merely mentioned, inside 《…》 or in quotation marks: a reviewer's call, not reported
    assert not findings_of(engine, head + "严格落实党政主要负责人履行推进法治建设第一责任人职责规定。学习"
                           "《中华人民共和国行政复议法实施条例》和“信访工作条例”。\n", "lexicon-laws")


def test_dropped_words_of_fixed_expressions(engine):
    head = "某某区2023年法治政府建设情况报告\n"
    found = {f.matched_text: f.replacement for f in findings_of(engine, head + "党委书记为第一责任，全年成功化98起纠纷，"
                                                               "绿化3处。\n", "usage")}
    assert found == {"第一责任": "第一责任人", "化": "化解"}
    [finding] = findings_of(engine, head + "一是加强领导。二是完善制度。是加大宣传。是否到位有待检验。\n",
                            "pattern-enumeration-ordinal")
    assert finding.matched_text == "是"
    # items as paragraphs: one that starts with 是 right after one that starts with 一是
    [finding] = findings_of(engine, head + "一是疫情防控精准高效。\n\n是发展动能不断积蓄。\n是否到位有待检验。\n",
                            "pattern-enumeration-ordinal")
    assert (finding.line, finding.matched_text) == (4, "是")


def test_a_near_copy_is_a_repeat_but_not_one_with_other_numbers(engine):
    head = "某某区2023年法治政府建设情况报告\n"
    para = "注重矛盾纠纷排查梳理工作，抓早、抓小，严防各类纠纷激化和升级，全年调处各类纠纷12件。"
    near = para.replace("排查梳理", "排查疏理")
    [finding] = findings_of(engine, head + para + "\n全年开展普法。\n" + near + "\n", "repeat")
    assert finding.line == 4
    other = para.replace("12件", "15件")
    assert not findings_of(engine, head + para + "\n全年开展普法。\n" + other + "\n", "repeat")


def test_print_stamps_source_lines_and_bare_urls_inside_the_body_are_debris(engine):
    text = ("某某区2023年法治政府建设情况报告\n来源：某某区人民政府 发布时间：2024-03-28\n一、主要举措和成效\n全年开展普法12场。\n"
            "打印时间：2023-10-23\n全年办结案件3件。\nhttps://m.example.org\n以上就是好范文为大家整理的报告，欢迎下载。\n"
            "二、存在的不足和原因\n人员不足。\n")
    found = {f.message.split("：")[0]: f.count for f in findings_of(engine, text, "noise")}
    assert found == {"正文中夹带的网页文字": 2, "范文网站的文字": 2}  # 为大家整理的, 欢迎下载


def test_short_terms_with_two_neighbours_swapped(engine):
    head = "某某区2023年法治政府建设情况报告\n"
    found = {f.matched_text: f.suggestion for f in findings_of(
        engine, head + "推进依行法政，办理行政议复案件3件，加强人民解调工作。\n", "lexicon-terms")}
    assert found == {"依行法政": "改为「依法行政」", "行政议复": "改为「行政复议」", "人民解调": "改为「人民调解」"}
    # the swapped form read across words: 全面依法治国中 holds 法治国中 (法治中国)
    assert not findings_of(engine, head + "把握法治政府建设在全面依法治国中的地位，在依法治国中发挥作用。\n",
                           "lexicon-terms")


def test_terms_with_one_character_dropped(engine):
    head = "某某区2023年法治政府建设情况报告\n"
    found = {f.matched_text: f.suggestion for f in findings_of(
        engine, head + "深入贯彻落，全省治政府建设，提高依法行的能力，落实第责任人职责，政务开要求。\n",
        "lexicon-terms")}
    assert found == {"贯彻落": "改为「贯彻落实」", "治政府建设": "改为「法治政府建设」", "依法行": "改为「依法行政」",
                     "第责任人": "改为「第一责任人」", "政务开": "改为「政务公开」"}


@pytest.mark.parametrize("text", [
    "坚持依法行使职权，纠正违法行政行为，推动政策贯彻落地。",  # a word across the rest's edge
    "开展宪法宣传，推进全面依法治，述职述廉报告，依法治疆。",  # the rest ends a word / runs on into another ending
    "推进法治化建设，召开3次政府常务会。",  # a word across the gap (法治化); 会 for 会议
    "深入推进依\n法行政。",  # the dropped character just across a line break
    "推行“马上办、网上办、就近办、一次办”。",  # a parallel form in a list, not 一次办好
    "深入推进法律进机关、进学校，树立生态文明法治观。",  # a numeral is no drop (法律八进); a suffix ends the rest
    "推行居务公开、院务公开，贯彻省委六次、八次全会精神。",  # compounds the dictionary lacks; another number
    "加强规范性文件管理，注重发挥法律顾",  # a copy cut off mid-word
])
def test_terms_with_one_character_dropped_not_where_the_text_reads_otherwise(engine, text):
    assert not findings_of(engine, "某某区2023年法治政府建设情况报告\n" + text + "\n", "lexicon-terms")


def test_a_slogan_order_binds_the_slogan_not_a_longer_list(engine):
    head = "某某区2023年法治政府建设情况报告\n"
    [finding] = findings_of(engine, head + "引导群众学法、用法、守法、尊法，营造氛围。\n", "lexicon-terms")
    assert finding.suggestion == "改为「尊法、学法、守法、用法」"
    assert not findings_of(engine, head + "引导群众学法、用法、尊法、守法、普法。\n", "lexicon-terms")


# ── letter spacing, each place's own context ─────────────────────────────────────────────

def test_a_letter_spaced_title_is_layout_not_stray_spaces(engine):
    text = "政 府 工 作 报 告\n某某县2023年法治政府建设情况报告\n全面落实主 体责任，推进依法行政。\n"
    [finding] = findings_of(engine, text, "punctuation-spaces")
    assert finding.count == 1 and finding.line == 3
    assert not findings_of(engine, "各位代表：\n政 府 工 作 报 告 如 下。\n", "punctuation-spaces")


def test_each_place_of_grouped_spaces_quotes_its_own_context(engine):
    from checker.render.json import finding_dict

    text = "某某区2023年法治政府建设情况报告\n锚定 “法治政府” 目标。\n全年开展 “谁执法谁普法” 活动。\n"
    [finding] = findings_of(engine, text, "punctuation-spaces")
    messages = [place.message for place in finding.each()]
    assert finding.count == 4 and len(set(messages)) == 4 and messages[0] == finding.message
    assert "锚定 “法" in messages[0] and "年开展 “谁" in messages[2]
    assert [o["message"] for o in finding_dict(finding)["occurrences"]] == messages


# ── one problem, one finding; 法制 in old reports and cited titles ─────────────────────────

REPORT_2023 = "某县2023年度法治政府建设情况报告\n一、2023年度推进法治政府建设的主要举措和成效\n"


def wording(engine, text: str) -> list[tuple[str, str]]:
    result = engine.check_document(document_from_text(text))
    return sorted((f.rule, f.matched_text) for f in result.findings
                  if f.rule.startswith(("pattern-outdated", "usage", "lexicon", "typo")))


def test_two_rules_on_one_span_are_one_finding(engine):
    # lexicon-terms (near miss of 法治宣传教育) and the outdated pattern (法制宣传): the pattern says why
    assert wording(engine, REPORT_2023 + "扎实开展法制宣传教育，发放资料3000份。\n") == [
        ("pattern-outdated-terms", "法制宣传")]
    assert wording(engine, REPORT_2023 + "开展青少年法制教育，组织模拟法庭2场。\n") == [
        ("usage-rule-of-law", "法制")]


def test_wording_of_its_time_and_cited_titles_are_not_reported(engine):
    old = "某县教育局2011年普法和依法治理工作总结\n深入开展法制宣传教育，编印青少年法制教育读本。\n"
    assert wording(engine, old) == []
    undated = "关于行政审判工作情况的报告\n现将我院2008年以来的工作报告如下。\n2010年，把行政审判纳入法制轨道，开展法制宣传教育。\n"
    assert wording(engine, undated) == []
    assert wording(engine, "关于法治工作情况的汇报\n开展法制讲座，增强法制意识。\n") == [
        ("usage-rule-of-law", "法制")]  # no year named: checked (one finding, two places)
    cited = REPORT_2023 + "重温《关于在公民中开展法制宣传教育的第六个五年规划》，举办法制讲座2场。\n"
    assert wording(engine, cited) == [("usage-rule-of-law", "法制")]
    # a canonical title misquoted as a whole is still wrong: the title, not the wording of its time
    misquoted = REPORT_2023 + "认真贯彻落实《法制政府建设实施纲要（2021—2025年）》。\n"
    assert wording(engine, misquoted) == [("lexicon-terms", "法制政府建设实施纲要（2021—2025年）")]


def _at(rule: str, start: int, end: int, severity: Severity = Severity.WARNING) -> Finding:
    return Finding(rule=rule, severity=severity, message=rule, start=start, end=end, line=1, column=start + 1,
                   matched_text="x" * (end - start))


def test_one_finding_per_problem_is_deterministic():
    import random

    from checker.result import one_finding_per_problem

    rank = {"p": 2, "u": 2, "lex": 1, "typo": 1}
    findings = [_at("lex", 10, 16), _at("p", 10, 14, Severity.INFO),  # nested: the pattern stays
                _at("typo", 30, 32), _at("lex", 28, 36),  # equal rank: the shorter span stays
                _at("u", 50, 52), _at("u", 51, 53),  # one rule's own overlaps are its business
                _at("lex", 60, 62), _at("typo", 61, 64),  # overlapping, neither inside the other: both
                _at("noise", 70, 75), _at("typo", 71, 73)]  # not a wording rule: untouched
    expected = [(f.rule, f.start) for f in findings if (f.rule, f.start) not in {("lex", 10), ("lex", 28)}]
    for seed in range(5):
        shuffled = findings[:]
        random.Random(seed).shuffle(shuffled)
        kept = one_finding_per_problem(shuffled, rank)
        assert sorted((f.rule, f.start) for f in kept) == sorted(expected)
        assert kept == [f for f in shuffled if (f.rule, f.start) in set(expected)]  # order kept
    # a withdrawn finding (out of its years, in a cited title) takes along a finding around it, not one inside it
    kept = one_finding_per_problem([_at("lex", 10, 16), _at("typo", 20, 22)], rank,
                                   withdrawn=[_at("p", 10, 14), _at("p", 18, 30)])
    assert [(f.rule, f.start) for f in kept] == [("typo", 20)]


@pytest.mark.parametrize("keys, problem", [
    ({"from_year": 2020, "until_year": 2019}, "until_year"),
    ({"guess_year": "yes"}, "guess_year"),
    ({"from_year": "2014"}, "from_year"),
])
def test_rule_year_keys_are_checked_at_load(tmp_path, keys, problem):
    import yaml

    from checker.errors import RuleFileError
    from checker.packs import load_pack

    rule = {"id": "p-test", "kind": "pattern", "message": "m", "patterns": ["x"], **keys}
    path = tmp_path / "pack.yaml"
    path.write_text(yaml.safe_dump({"name": "t", "extends": "national", "rules": [rule]}, allow_unicode=True), encoding="utf-8")
    with pytest.raises(RuleFileError, match=problem):
        load_pack(str(path))
