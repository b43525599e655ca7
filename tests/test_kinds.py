"""Rule kinds: focused cases for each kind, and the national pack's rules on real seeds and corpus text."""

from __future__ import annotations

import re
import time
from dataclasses import replace

import pytest

from checker.context import Context
from checker.kinds import KINDS
from checker.model.document import document_from_text
from checker.packs import Rule
from checker.result import Severity
from checker.template import TemplateMatcher
from tests.conftest import CORPUS, seed


@pytest.fixture(scope="module")
def matcher(national):
    return TemplateMatcher(national)


def make_rule(kind: str, scope: str | None = None, severity: str = "warning", message: str = "{problem}",
              **options) -> Rule:
    """A rule built the way the loader builds one: defaults, validate(), prepare()."""
    module = KINDS[kind]
    values = {key: options.get(key, default) for key, (_, default) in module.OPTIONS.items()}
    unknown = set(options) - set(module.OPTIONS)
    assert not unknown, unknown
    if hasattr(module, "validate"):
        values = module.validate(values)
    prepared = module.prepare(values) if hasattr(module, "prepare") else None
    return Rule(id=f"{kind}-test", kind=kind, severity=Severity.parse(severity), weight=1.0, message=message,
                scope=scope, options=values, prepared=prepared)


def run(rule: Rule, text: str, national, matcher):
    document = document_from_text(text)
    return list(KINDS[rule.kind].check(Context(document, national, matcher.match(document)), rule))


def run_pack_rule(rule_id: str, text: str, national, matcher):
    rule = next(r for r in national.rules if r.id == rule_id)
    return run(rule, text, national, matcher)


def findings_of(result, rule_prefix: str):
    return [f for f in result.findings if f.rule.startswith(rule_prefix)]


REPORT = """某某镇2023年度法治政府建设情况报告
一、2023年度推进法治政府建设的主要举措和成效
全年组织学法培训12场，审查规范性文件8件。
二、2023年度推进法治政府建设存在的不足和原因
{shortcomings}
三、2023年度党政主要负责人履行推进法治建设第一责任人职责，加强法治政府建设的有关情况
{first}
四、2024年度推进法治政府建设的主要安排
继续推进依法行政。
"""


def report(first: str = "党政主要负责人高度重视法治政府建设，取得明显成效。",
           shortcomings: str = "一是学法不够深入。二是执法不够规范。") -> str:
    return REPORT.format(first=first, shortcomings=shortcomings)


# ── the shipped pack ───────────────────────────────────────────────────────────────────────

def test_every_kind_documents_itself():
    for name, module in KINDS.items():
        doc = module.__doc__ or ""
        assert doc.split("\n", 1)[0].strip(), name
        assert re.search(r"^Passing", doc, re.M) and re.search(r"^Failing", doc, re.M), name
        for option in module.OPTIONS:
            assert option in doc, f"{name}: option {option} undocumented"


def test_shipped_rule_ids_name_their_kind(national):
    for rule in national.rules:
        assert rule.kind in rule.id, rule.id


def test_complete_seed_keeps_top_grade(seed_results, national):
    result = seed_results["002"]
    assert result.grade == national.grades[0][1]
    assert not [f for f in result.findings if f.severity is Severity.ERROR]


# ── numbering ─────────────────────────────────────────────────────────────────────────────

def test_numbering_seed_findings_at_the_right_lines(seed_results):
    broken = findings_of(seed_results["000"], "numbering")
    assert [(f.line, f.severity.label) for f in broken] == [(12, "warning")]
    assert "(一)" in broken[0].suggestion

    mixed = [f for f in findings_of(seed_results["003"], "numbering") if f.severity is Severity.WARNING]
    assert [(f.line, f.end_line) for f in mixed] == [(20, 20)]  # at （三）, the heading that breaks the style
    assert "（1）" in mixed[0].message and "（三）" in mixed[0].message and "（3）" in mixed[0].suggestion

    starts = findings_of(seed_results["004"], "numbering")
    assert [f.line for f in starts] == [10]
    assert "(二)" in starts[0].message and "(一)" in starts[0].suggestion


def test_numbering_width_mix_is_a_note(seed_results):
    notes = [f for f in findings_of(seed_results["003"], "numbering") if f.severity is Severity.INFO]
    assert len(notes) == 1 and "全角" in notes[0].message


def test_numbering_gap_repeat_and_clean(national, matcher):
    rule = make_rule("numbering", message="{problem}|{fix}")
    clean = "一、甲方面\n（一）子项\n（二）子项\n二、乙方面\n（一）子项\n1.细项\n2.细项\n"
    assert run(rule, clean, national, matcher) == []
    gap = run(rule, "一、甲方面\n（一）子项\n（三）子项\n三、乙方面\n", national, matcher)
    assert [(f.line, f.message.split("|")[1]) for f in gap] == [(3, "（二）"), (4, "二、")]
    repeat = run(rule, "一、甲方面\n一、乙方面\n", national, matcher)
    assert len(repeat) == 1 and "重复" in repeat[0].message and repeat[0].line == 2


def test_numbering_points_at_the_heading_that_is_wrong(national, matcher):
    rule = make_rule("numbering", message="{problem}|{fix}")
    found = run(rule, "一、甲方面\n（1）子项\n（2）子项\n（三）子项\n", national, matcher)
    assert [(f.line, f.end_line, f.message.split("|")[1]) for f in found] == [(4, 4, "（3）")]


def test_numbering_may_run_on_through_the_document(national, matcher):
    rule = make_rule("numbering", message="{problem}|{fix}")
    run_on = "一、甲方面\n（一）子项\n1.细项\n2.细项\n（二）子项\n3.细项\n4.细项\n二、乙方面\n（一）子项\n5.细项\n"
    assert run(rule, run_on, national, matcher) == []
    skipped = "一、甲方面\n（一）子项\n1.细项\n2.细项\n（二）子项\n4.细项\n"
    assert [f.line for f in run(rule, skipped, national, matcher)] == [6]


def test_numbering_ignores_page_numbers_inside_a_sentence(national, matcher):
    rule = make_rule("numbering", message="{problem}|{fix}")
    filler = "全面落实行政执法三项制度，规范行政执法行为，提升执法水平。" * 6
    line = f"（一）强化组织领导。{filler}镇党委坚持依法行政 2、工作例会制度，{filler}（二）规范行政执法。{filler}"
    assert run(rule, "一、甲方面\n" + line + "\n", national, matcher) == []
    listed = f"（一）强化组织领导。{filler}主要措施：1、建立学法制度；3、落实述法制度。{filler}"
    assert [f.message.split("|")[1] for f in run(rule, "一、甲方面\n" + listed + "\n", national, matcher)] == ["2、"]


def test_numbering_inline_enumeration_that_skips_a_number(national, matcher):
    rule = make_rule("numbering", message="{problem}|{fix}")
    found = run(rule, "一、甲方面\n一是加强学习。二是规范执法；四是强化监督。\n", national, matcher)
    assert [(f.matched_text, f.message) for f in found] == [("四是", "「四是」前面缺少「三是」|三是")]
    repeat = run(rule, "一、甲方面\n一是加强学习，二是规范执法，二是强化监督。\n", national, matcher)
    assert len(repeat) == 1 and "重复" in repeat[0].message
    clean = "一、甲方面\n一是加强学习。二是规范执法。三是强化监督。\n二、乙方面\n一是人员少，二是经费少。其中之一是编制，唯一是途径。\n"
    assert run(rule, clean, national, matcher) == []


def test_numbering_bracket_missing_its_opening_half(national, matcher):
    rule = make_rule("numbering", message="{problem}|{fix}")
    found = run(rule, "一、甲方面\n一）强化领导\n二）规范执法\n", national, matcher)
    assert [(f.line, f.message) for f in found] == [(2, "标题编号「一）」缺少左括号|（一）"), (3, "标题编号「二）」缺少左括号|（二）")]


def test_numbering_real_corpus_repeat():
    from checker.engine import Engine
    from checker.packs import load_pack

    result = Engine(load_pack("national")).check_path(str(CORPUS / "007.txt"))
    found = findings_of(result, "numbering")
    assert [f.line for f in found] == [10] and "重复" in found[0].message


# ── punctuation ───────────────────────────────────────────────────────────────────────────

def test_punctuation_seed_000_unbalanced_book_title(seed_results):
    found = [f for f in findings_of(seed_results["000"], "punctuation") if f.line == 18]
    assert len(found) == 1
    assert "《" in found[0].message and "》" in found[0].suggestion
    assert found[0].matched_text.startswith("《民法典")


def test_punctuation_focused(national, matcher):
    rule = make_rule("punctuation")
    assert run(rule, "组织学习《宪法》《民法典》和“八五”普法（试行）。\n1) 第一项\n", national, matcher) == []
    nested = run(rule, "学习《民法典《公务员法》等。", national, matcher)
    assert len(nested) == 1
    doubled = run(rule, "依法行政，，提升能力,、加强监督。。", national, matcher)
    assert len(doubled) == 1 and "共 3 处" in doubled[0].message
    closing = run(rule, "便民”的理念。", national, matcher)
    assert len(closing) == 1 and "“" in closing[0].message


# ── concepts ──────────────────────────────────────────────────────────────────────────────

def test_concepts_first_responsible_on_seeds(seed_results):
    for key in ("002", "003"):
        assert not findings_of(seed_results[key], "concepts-first-responsible"), key


def test_concepts_first_responsible_without_concepts_fails(national, matcher):
    text = seed("002").read_text(encoding="utf-8")
    start = text.index("  三、党政主要负责人履行")
    end = text.index("  四、2023年度")
    hollow = text[:start] + "  三、党政主要负责人履行推进法治建设第一责任人职责情况\n\n  党政主要负责人高度重视法治政府建设，" \
        "认真履行职责，取得明显成效。\n\n" + text[end:]
    found = run_pack_rule("concepts-first-responsible", hollow, national, matcher)
    assert len(found) == 1
    for name in ("学法", "述法", "合法性审查", "法律顾问", "出庭应诉"):
        assert name in found[0].message
    assert found[0].section == "first-responsible"


def test_concepts_causes_heading_does_not_count(national, matcher, seed_results):
    found = run_pack_rule("concepts-shortcomings-causes", report(), national, matcher)
    assert len(found) == 1 and found[0].line == 4
    causes = report(shortcomings="一是学法不够深入。究其原因，主要是培训少。")
    assert run_pack_rule("concepts-shortcomings-causes", causes, national, matcher) == []
    # real text: seed 004 has a 主要原因 sub-heading, seed 002 lists problems only
    assert not findings_of(seed_results["004"], "concepts-shortcomings-causes")
    assert findings_of(seed_results["002"], "concepts-shortcomings-causes")


def test_concepts_min_and_fuzzy(national, matcher):
    concepts = [{"name": "出庭应诉", "synonyms": ["出庭应诉", "行政机关负责人出庭应诉"]}, "宪法宣誓"]
    text = report(first="行政机关负责人出廷应诉3次。")  # one character wrong
    exact = make_rule("concepts", scope="first-responsible", message="{missing}", concepts=concepts, min=1)
    assert run(exact, text, national, matcher)[0].message == "出庭应诉、宪法宣誓"
    fuzzy = make_rule("concepts", scope="first-responsible", concepts=concepts, min=1, fuzzy=True, threshold=85)
    assert run(fuzzy, text, national, matcher) == []
    with pytest.raises(ValueError):
        make_rule("concepts", concepts=concepts, min=3)


def test_concepts_absent_section_is_silent(seed_results):
    assert not findings_of(seed_results["000"], "concepts-first-responsible")


# ── pattern ───────────────────────────────────────────────────────────────────────────────

def test_pattern_template_leftovers_and_heading_years(national, matcher):
    text = "XX镇2023年度法治政府建设情况报告\n一、上一年度推进法治政府建设的主要举措和成效\n完成上一年度任务，张某某案件已办结。\n"
    leftovers = run_pack_rule("pattern-template-leftover", text, national, matcher)
    assert [f.matched_text for f in leftovers] == ["XX"]
    years = run_pack_rule("pattern-heading-placeholder-year", text, national, matcher)
    assert [(f.line, f.matched_text) for f in years] == [(2, "上一年度")]


def test_pattern_outline_years_on_corpus(engine):
    for name, wrong in (("039.txt", "2022—2025"), ("001.txt", "20212025")):
        found = findings_of(engine.check_path(str(CORPUS / name)), "pattern-outline-years")
        assert len(found) == 1 and wrong in found[0].message, name
    right = "深入贯彻《法治政府建设实施纲要（2021－2025年）》和《法治政府建设实施纲要(2015-2020年)》"
    assert run_pack_rule("pattern-outline-years", right, engine.pack, engine.matcher) == []


def test_pattern_required_mode_and_years(national, matcher):
    rule = make_rule("pattern", scope="next-year", message="缺少 {pattern}", patterns=["20\\d\\d年"], mode="required")
    assert len(run(rule, report(), national, matcher)) == 0
    missing = make_rule("pattern", scope="next-year", patterns=["宪法宣誓"], literal=True, mode="required")
    assert len(run(missing, report(), national, matcher)) == 1
    document = document_from_text(report())
    ctx = Context(document, national, matcher.match(document))
    later = replace(make_rule("pattern", patterns=["取得明显成效"]), from_year=2024)
    assert not ctx.in_years(later) and ctx.in_years(replace(later, from_year=2023, until_year=2023))


def test_pattern_outdated_meetings_by_year(engine):
    def found(text: str) -> list:
        return findings_of(engine.check_document(document_from_text(text)), "pattern-outdated-meetings")

    text = "2023年，我镇深入学习贯彻党的十九大精神。\n"
    assert len(found(text)) == 1
    assert found(text.replace("2023", "2021")) == []
    assert found("我镇深入学习贯彻党的十九大精神。\n") == []  # no year: no guess (guess_year is off)
    assert found("2023年，我镇深入学习贯彻党的十九大、党的二十大精神。\n") == []


def test_pattern_catastrophic_regex_cannot_hang(national, matcher):
    rule = make_rule("pattern", patterns=["(a+)+$"], timeout_ms=50)
    text = "一、主要举措和成效\n" + "a" * 50000 + "!\n"
    started = time.perf_counter()
    found = run(rule, text, national, matcher)
    assert time.perf_counter() - started < 2
    assert len(found) == 1 and found[0].severity is Severity.INFO and "超时" in found[0].message


def test_pattern_matching_the_empty_string_is_rejected():
    # A regex that does not compile is refused at load: tests/test_rule_safety.py.
    with pytest.raises(ValueError):
        make_rule("pattern", patterns=["a*"])  # matches the empty string


# ── conditional ───────────────────────────────────────────────────────────────────────────

def test_conditional(national, matcher, seed_results):
    rule = make_rule("conditional", message="{trigger}→{expected}", **{"if": ["出庭应诉"], "then": ["\\d+次"]})
    assert run(rule, report(first="负责人带头出庭应诉3次。"), national, matcher) == []
    found = run(rule, report(first="负责人带头出庭应诉。"), national, matcher)
    assert len(found) == 1 and found[0].message == "出庭应诉→\\d+次" and found[0].line == 7
    assert run(rule, report(), national, matcher) == []  # no trigger, no finding
    # real text: seed 002 describes 重大行政决策合法性审核
    assert not findings_of(seed_results["002"], "conditional-major-decision-review")


# ── metric ────────────────────────────────────────────────────────────────────────────────

def test_metric_counts_facts_not_years(national, matcher):
    rule = make_rule("metric", scope="measures", message="{value}:{examples}", min_facts=5)
    text = report().replace("全年组织学法培训12场，审查规范性文件8件。",
                            "2023年组织培训12场，发放资料10万余份，满意度达98.5%，12345热线。")
    found = run(rule, text, national, matcher)
    assert [f.message for f in found] == ["3:12场、10万余份、98.5%"]


def test_metric_length_and_paragraphs(national, matcher):
    rule = make_rule("metric", scope="next-year", message="{metric}", min_chars=50, max_paragraphs=1)
    assert [f.message for f in run(rule, report(), national, matcher)] == ["chars", "paragraphs"]
    with pytest.raises(ValueError):
        make_rule("metric")


def test_metric_facts_on_seeds(seed_results):
    assert findings_of(seed_results["004"], "metric-facts-measures")  # 0 figures in its measures
    assert not findings_of(seed_results["002"], "metric-facts-measures")


# ── consistency ───────────────────────────────────────────────────────────────────────────

def test_consistency_headings_and_dates(national, matcher, engine):
    rule = next(r for r in national.rules if r.id == "year-consistency")
    assert KINDS[rule.kind] is KINDS["consistency"]
    wrong = report().replace("四、2024年度", "四、2023年度") + "\n某某镇人民政府\n2022年1月10日\n"
    found = run(rule, wrong, national, matcher)
    assert {f.message.split("写")[0] for f in found} == {"「下一年度主要安排」标题", "落款日期"}
    assert run(rule, report(), national, matcher) == []
    # real text: corpus 039 (a 2025 report whose measures heading says 2024)
    real = findings_of(engine.check_path(str(CORPUS / "039.txt")), "year-consistency")
    assert len(real) == 1 and "2024" in real[0].message


# ── lexicon ───────────────────────────────────────────────────────────────────────────────

def test_lexicon_terms_near_misses(national, matcher):
    rule = next(r for r in national.rules if r.id == "lexicon-terms")
    text = "深入学习习近平法制思想，贯彻党的二十届二中全会和二十届三中全会精神，落实行政执法“三项制度”，推进全面依法治区。"
    found = run(rule, text, national, matcher)
    assert [(f.matched_text, f.suggestion) for f in found] == [("习近平法制思想", "改为「习近平法治思想」")]


def test_lexicon_real_typos_in_corpus(engine):
    found = findings_of(engine.check_path(str(CORPUS / "005.txt")), "lexicon")
    assert {f.matched_text for f in found} == {"法治政府建设与责任落实督工作规定",
                                               "党政主负责人履行推进法治建设第一责任人职责规定"}
    variants = findings_of(engine.check_path(str(CORPUS / "003.txt")), "lexicon")
    assert [f.matched_text for f in variants] == ["历届全会"]


def test_lexicon_fixed_phrases_one_slip_away(national, matcher):
    rule = next(r for r in national.rules if r.id == "lexicon-terms")
    cases = {
        "我局持续推荐法治政府建设。": ("推荐法治政府建设", "推进法治政府建设"),  # near sound (IME slip)
        "切实抬高政治站位。": ("抬高政治站位", "提高政治站位"),  # similar shape, first character
        "压实推进法治建设第一责任人职责。": None,
        "全面落实行政执法三项制渡。": ("行政执法三项制渡", "行政执法三项制度"),  # same sound
        "引导群众学法尊法守法用法。": ("学法尊法守法用法", "尊法学法守法用法"),  # order
        "坚持法治国家、法治社会、法治政府一体建设。": ("法治国家、法治社会、法治政府一体建设",
                                         "法治国家、法治政府、法治社会一体建设"),
        "落实谁普法谁执法责任制。": ("谁普法谁执法", "谁执法谁普法"),
    }
    for text, expected in cases.items():
        found = [(f.matched_text, f.suggestion) for f in run(rule, text, national, matcher)]
        assert found == ([] if expected is None else [(expected[0], f"改为「{expected[1]}」")]), text


def test_lexicon_other_wordings_are_not_slips(national, matcher):
    rule = next(r for r in national.rules if r.id == "lexicon-terms")
    text = ("持续推动法治政府建设，加快法治政府建设，推进全面依法治区，优化法治营商环境，"
            "落实党政主要负责人履行推进法治建设第一责任人职责的情况，学法用法，尊法学法、守法用法，"
            "贯彻二十届二中全会精神，建设法治社会、法治政府、法治国家，落实“谁执法谁普法”普法责任制，"
            "法治政府建设示范区创建，综合行政执法大队。")
    assert run(rule, text, national, matcher) == []


def test_lexicon_user_words_silence_a_near_miss(national, matcher):
    text = "积极推荐法治政府建设示范项目。"
    rule = make_rule("lexicon", term_files=["phrases.yaml"])
    assert [f.matched_text for f in run(rule, text, national, matcher)] == ["推荐法治政府建设"]
    quiet = make_rule("lexicon", term_files=["phrases.yaml"], words=["推荐法治政府建设"])
    assert run(quiet, text, national, matcher) == []


def test_lexicon_one_pass_over_hundreds_of_phrases(national, matcher):
    import time

    rule = next(r for r in national.rules if r.id == "lexicon-terms")
    assert len(rule.prepared.terms) >= 300
    text = seed("000").read_text(encoding="utf-8") * 3
    start = time.process_time()
    for _ in range(20):
        run(rule, text, national, matcher)
    per_document = (time.process_time() - start) / 20
    assert per_document < 0.05  # generous: the point is one pass, not one search per phrase


def test_lexicon_rules_used_in_process_still_go_to_workers(national, matcher):
    """A batch pickles its pack for each worker after the parent may have run it: the built
    automata (not picklable) stay behind and each worker builds its own, finding the same."""
    import pickle

    text = "深入学习习近平法制思想，认真落实《行政复义法》，按照中华人民共和国行政处罚法规定。"
    before = {rule.id: [f.matched_text for f in run(rule, text, national, matcher)]
              for rule in national.rules if rule.kind == "lexicon"}
    copy = pickle.loads(pickle.dumps(national))
    after = {rule.id: [f.matched_text for f in run(rule, text, copy, matcher)] for rule in copy.rules if rule.kind == "lexicon"}
    assert after == before and before["lexicon-terms"] == ["习近平法制思想"]


def test_lexicon_laws_near_miss_and_no_false_positive(national, matcher):
    rule = next(r for r in national.rules if r.id == "lexicon-laws")
    found = run(rule, "认真落实《行政复义法》《中华人民共和国行政处罚法》《宪法》。", national, matcher)
    assert [(f.matched_text, f.suggestion.split("，")[0]) for f in found] == [("《行政复义法》", "改为「《行政复议法》」")]
    # every real name in the table, cited, is accepted
    from importlib import resources

    rows = (resources.files("checker.data") / "laws.tsv").read_text(encoding="utf-8").splitlines()[1:]
    names = sorted({name for row in rows for name in row.split("\t")[:2] if name})
    text = "\n".join("学习《" + "》《".join(names[i:i + 20]) + "》。" for i in range(0, len(names), 20))
    rule = make_rule("lexicon", laws=True, max_findings=1000)
    assert run(rule, text, national, matcher) == []


# ── deadline ──────────────────────────────────────────────────────────────────────────────

def test_deadline_on_seeds(seed_results):
    for key in ("000", "001", "002", "003"):
        assert not findings_of(seed_results[key], "deadline"), key
    missing = findings_of(seed_results["004"], "deadline")
    assert [f.severity for f in missing] == [Severity.INFO]


def test_deadline_moved_past(tmp_path, engine):
    text = seed("000").read_text(encoding="utf-8")
    assert "发布时间: 2024-03-20" in text
    late = tmp_path / "late.txt"
    late.write_text(text.replace("发布时间: 2024-03-20", "发布时间: 2024-05-08"), encoding="utf-8")
    found = findings_of(engine.check_path(str(late)), "deadline")
    assert [(f.severity, f.line) for f in found] == [(Severity.ERROR, 5)]
    # Due before 1 April: 31 March is the last day on time, so 8 May is 38 days late.
    assert "2024年4月1日" in found[0].message and "38" in found[0].message


def test_deadline_configurable(national, matcher):
    text = seed("000").read_text(encoding="utf-8")
    march = make_rule("deadline", message="{deadline}", month=3, day=1)
    assert [f.message for f in run(march, text, national, matcher)] == ["2024年3月1日"]
    signed = report() + "\n某某镇人民政府\n二〇二四年一月十九日\n"
    assert run(march, signed, national, matcher) == []
    with pytest.raises(ValueError):
        make_rule("deadline", month=2, day=30)
