"""Property-based tests: arbitrary text never crashes the model, the engine or a renderer, and
every position they report points inside the document's text.

Budgets come from the hypothesis profile (tests/conftest.py): `ci` by default, `long` by hand.
"""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, note
from hypothesis import strategies as st

from checker.model.document import document_from_text
from checker.model.normalize import _DELETIONS, _deletion_spans, fold, fold_chars, normalize, translate_table
from checker.model.outline import (_BOILERPLATE_BY_FIRST, _BOILERPLATE_PHRASES, _INLINE_START, _YEAR, _inline_starts,
                                    _year_matches)
from checker.render import FORMATS, RenderOptions, render
from checker.result import DocumentResult
from checker.template import _BULLET, bullets

# Every code point, control characters and lone surrogates included.
ANY_CHAR = st.characters(codec=None, exclude_categories=())

# Pieces real reports are made of, and the ones that stress the parser: numbering markers of every
# style (full- and half-width, broken), template headings, years in all spellings, web boilerplate,
# closing lines, pinyin debris, traditional characters, odd whitespace and line breaks.
FRAGMENTS = [
    "一、", "二、", "十一、", "九十九、", "一,、", "（一）", "(二)", "()", "( 三 )", "1.", "1、", "12.", "（1）", "(12)",
    "一是", "二是", "一、(一)1.(1)", "2.5%", "3.",
    "主要举措和成效", "存在的不足和原因", "存在的问题", "主要原因", "党政主要负责人履行推进法治建设第一责任人职责情况",
    "2024年度推进法治政府建设的主要安排", "下一步工作打算", "其他需要报告的情况", "强化组织领导",
    "扛牢法治建设第一责任人职责", "推进依法行政", "2023年", "2023 年度", "二〇二三年", "二○二四年", "1999年",
    "2021—2025年", "《法治政府建设实施纲要（2021－2025年）》", "《民法典《", "》",
    "XX镇2023年度法治政府建设工作报告", "关于2022年度法治政府建设情况的报告", "县委、县政府：", "如下：",
    "中共金城乡委员会", "2024年1月19日", "二〇二四年一月十九日", "回到首页", "当前位置：", "发布时间：2024-01-02",
    "打印本页 | 关闭窗口", "— 3 —", "-12-", "索引号", "2024年3月1日 星期五",
    "。", "；", "：", "！", "？", "|", "，", "、", ".", ",", "•", "·", " ", "  ", "\u3000", "\t", "\u00a0", "\ufeff",
    "設(shè)", "領(lǐng)", "發展", "（", "）", "(", ")", "—", "－", "％", "０１２", "ＡＢＣ",
    "\x00", "\x1b[31m", "\x7f", "\u200b", "\u202e", "\ufffd", "\ud800", "\udfff", "\ud83d\ude00", "😀", "{year}", "{0}",
    "{name}", "%s", "<script>alert(1)</script>", "\"onerror=", "javascript:", "&amp;", "=cmd|' /C calc'!A0",
]
NEWLINES = ["\n", "\r\n", "\r", "\n\n", "\u2028", "\x0b", "\x0c", "\x85"]

fragment = st.one_of(st.sampled_from(FRAGMENTS), st.sampled_from(NEWLINES), st.text(ANY_CHAR, max_size=6))
repeated = st.builds(lambda piece, times: piece * times, fragment, st.integers(2, 300))
long_run = st.builds(lambda piece, times: piece * times, fragment, st.integers(300, 6000))
report_text = st.lists(st.one_of(fragment, fragment, fragment, repeated, long_run), max_size=40).map("".join)
# Mostly-structure: lines of numbered headings, the kind of text that exercises the outline.
heading_line = st.builds(lambda m, t, end: m + t + end, st.sampled_from(FRAGMENTS[:20]), st.sampled_from(FRAGMENTS),
                         st.sampled_from(NEWLINES + ["。", " ", ""]))
structured_text = st.lists(st.one_of(heading_line, fragment), max_size=80).map("".join)
any_text = st.one_of(report_text, structured_text, st.text(ANY_CHAR, max_size=300))


def assert_outline_inside(doc) -> None:
    n = len(doc.text)
    outline = doc.outline
    lines = len(doc.line_starts)
    assert 0 <= outline.body[0] <= outline.body[1] <= n
    for line in [outline.title, outline.addressee, *outline.closing, *outline.boilerplate]:
        if line is None:
            continue
        assert 0 <= line.start <= line.end <= n
        assert 1 <= line.line <= lines
        assert doc.position(line.start) == (line.line, 1)
    previous = -1
    for heading in outline.headings:
        assert 0 <= heading.start <= heading.text_start <= heading.end <= n, heading
        assert doc.position(heading.start) == (heading.line, heading.column), heading
        assert heading.start >= previous, "headings out of document order"
        previous = heading.start
        assert heading.key and doc.norm.text[heading.key_start:heading.key_start + len(heading.key)] == heading.key
        assert heading.level >= 1
    for year in outline.years:
        assert 0 <= year.start < year.end <= n
        assert doc.position(year.start)[0] == year.line
        assert 1900 <= year.year <= 2099
    assert outline.report_year is None or 1899 <= outline.report_year <= 2099


@given(any_text)
def test_array_folding_is_the_translate_table(text):
    assert fold_chars(text) == text.translate(translate_table())
    assert fold_chars(text * 40) == (text * 40).translate(translate_table())  # the array path


# The deletions of checker.model.normalize, spelled the obvious way (look-behind first).
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
READABLE_DELETIONS = re.compile(rf"(?<=[\u4e00-\u9fff])\((?=[a-zü{_TONED}]*[{_TONED}])[a-zü{_TONED}]{{1,8}}\)|(?<=[ ]) +")


@given(st.lists(st.sampled_from(["設", "(", ")", "shè", "ā", "a", " ", "  ", "x", "\n"]), max_size=40).map("".join))
def test_deletions_are_the_readable_ones(text):
    assert [m.span() for m in _DELETIONS.finditer(text)] == [m.span() for m in READABLE_DELETIONS.finditer(text)]
    # normalize finds them with two literal-led regexes, merged
    assert _deletion_spans(text) == [m.span() for m in READABLE_DELETIONS.finditer(text)]


# Literal-led scans the model uses instead of a character-class regex, against that regex.
scan_text = st.lists(st.sampled_from(["一", "二", "十", "是", "(", "1", "12", "٣", "。", ";", ":", "|", ",", " ", "  ",
                                      "中文", "一是加强", "二是", "。一、", " (二)"]), max_size=60).map("".join)


year_text = st.lists(st.sampled_from(["0", "1", "2", "9", " ", "年", "一", "二", "〇", "○", "O", "x", "2023年", "二〇二三年",
                                      "1999 年", "年年"]), max_size=30).map("".join)


@given(st.one_of(year_text, any_text))
def test_year_matches_are_the_regex_ones(text):
    assert [(m.span(), m.groupdict()) for m in _year_matches(text)] == [(m.span(), m.groupdict())
                                                                        for m in _YEAR.finditer(text)]


@given(scan_text, st.integers(0, 70))
def test_inline_starts_are_the_regex_ones(text, pos):
    assert _inline_starts(text, pos) == [m.start() for m in _INLINE_START.finditer(text, pos)]


# The web furniture the outline drops, as the regex it was written as.
READABLE_BOILERPLATE = re.compile(
    r"^(?:回到首页|返回首页|网站首页|首页|(?:您|你)?(?:当前|现在)?(?:的|所在)?位置[:>]|打印本页|关闭窗口|"
    r"\[?打印本页|\[?关闭窗口|【?打印|【?关闭|分享到|无障碍|简体|繁体|字号|【?字体|"
    r"索引号|发布机构|发布单位|发文机关|发文字号|成文日期|发布日期|发布时间|公开方式|公开范围|公开时限|主题分类|"
    r"文号|文件编号|信息来源|来源|浏览次数|访问次数|点击数|阅读次数|作者|责任编辑|编辑|扫一扫|相关链接|上一篇|下一篇)"
)
furniture_text = st.lists(st.one_of(st.sampled_from(_BOILERPLATE_PHRASES),
                                    st.sampled_from(sorted(set("".join(_BOILERPLATE_PHRASES)) | set("x:>[]【】")))),
                          max_size=6).map("".join)


@given(furniture_text)
def test_boilerplate_phrases_are_the_readable_regex(text):
    phrases = _BOILERPLATE_BY_FIRST.get(text[:1])
    assert (phrases is not None and text.startswith(phrases)) == bool(READABLE_BOILERPLATE.match(text))


# Regexes rewritten to start with a character (searched by skipping to it) instead of a
# look-behind (tried at every position), against the look-behind-first form they replace.
digits_text = st.lists(st.sampled_from(["0", "1", "9", "٣", "１", ".", ",", "。", "、", ";", ":", " ", "次", "万", "余", "多",
                                        "亿", "元", "%", "人次", "年", "a", "\n"]), max_size=30).map("".join)
FACTS_BEFORE = re.compile(r"(?<![\d.])\d+(?:\.\d+)?[ ]?(?:余|多)?(?:万|亿)?(?:余|多)?(?:人次|万元|亿元|小时|次|件|场|%|元|个|"
                          r"起|份|人|名|家|条|项|期|户|篇|部|批|处|所|村|宗|天)")
DOUBLED_BEFORE = re.compile(r"(?<!\d)[,。、;:][ ]?[,。、;:](?!\d)")
ENUMERATION_BEFORE = re.compile(r"(?:^|(?<=[。;:,!?\s]))(?P<n>[一二三四五六七八九十]{1,3})是")
enumeration_text = st.lists(st.sampled_from(["一", "二", "十", "是", "一是", "二是", "十一是", "。", ";", ":", ",", "!", "?", " ",
                                             "\n", "\u3000", "\t", "加强", "x", "第"]), max_size=30).map("".join)


@given(st.one_of(digits_text, any_text))
def test_rewritten_lookbehind_regexes_match_as_before(text):
    from checker.kinds.metric import prepare
    from checker.kinds.punctuation import _DOUBLED

    facts = prepare({"units": None})
    assert [(m.span(), m.group()) for m in facts.finditer(text)] == \
        [(m.span(), m.group()) for m in FACTS_BEFORE.finditer(text)]
    for line in text.split("\n"):  # the punctuation rule reads one paragraph at a time
        assert [m.span() for m in _DOUBLED.finditer(line)] == [m.span() for m in DOUBLED_BEFORE.finditer(line)]


@given(st.one_of(enumeration_text, any_text))
def test_rewritten_enumeration_regex_matches_as_before(text):
    from checker.kinds.numbering import _ENUMERATION

    assert [(m.span(), m.group("n")) for m in _ENUMERATION.finditer(text)] == \
        [(m.span(), m.group("n")) for m in ENUMERATION_BEFORE.finditer(text)]


@given(st.one_of(scan_text, any_text))
def test_bullets_are_the_regex_ones(text):
    assert [(m.span(), m.group(1)) for m in bullets(text)] == [(m.span(), m.group(1)) for m in _BULLET.finditer(text)]


@given(any_text)
def test_normaliser_maps_every_offset_back_inside_and_in_order(text):
    norm = normalize(text)
    table = translate_table()
    previous = -1
    for index in range(len(norm.text)):
        original = norm.to_original(index)
        assert previous < original < len(text)
        assert norm.text[index] == text[original].translate(table)
        previous = original
    assert norm.to_original(len(norm.text)) == len(text)
    for start in range(0, len(norm.text) + 1, max(1, len(norm.text) // 7)):
        a, b = norm.span_to_original(start, start + 3)
        assert 0 <= a <= b <= len(text)


@given(any_text)
def test_outline_never_raises_and_points_inside(text):
    doc = document_from_text(text)
    assert_outline_inside(doc)
    assert "\r" not in doc.text
    assert not any("\ud800" <= ch <= "\udfff" for ch in doc.text), "lone surrogates reach the model"


def assert_result_inside(doc, result: DocumentResult) -> None:
    n = len(doc.text)
    lines = len(doc.line_starts)
    assert result.error is None
    assert 0 <= result.score <= 100 and result.grade
    for finding in result.findings:
        assert not finding.message.startswith("规则运行出错"), finding.message
        if finding.start is None:
            continue
        assert 0 <= finding.start <= finding.end <= n, finding
        assert (finding.line, finding.column) == doc.position(finding.start)
        assert (finding.end_line, finding.end_column) == doc.position(finding.end)
        assert finding.matched_text == doc.text[finding.start:finding.end]
    for row in result.checklist:
        assert row.line is None or 1 <= row.line <= lines
    for section in result.sections:
        assert 1 <= section["line"] <= lines


@given(any_text)
def test_engine_never_raises_and_findings_point_inside(engine, text):
    doc = document_from_text(text)
    result = engine.check_document(doc)
    assert_result_inside(doc, result)


@pytest.fixture(scope="module")
def pack_engines():
    from checker.engine import Engine
    from checker.packs import bundled_pack_names, load_pack

    return [Engine(load_pack(name)) for name in bundled_pack_names()]


@given(any_text)
def test_every_bundled_pack_never_raises_and_findings_point_inside(pack_engines, text):
    doc = document_from_text(text)
    for each in pack_engines:
        assert_result_inside(doc, each.check_document(doc))


# Paths as a batch meets them: spaces, CJK, markup, and undecodable bytes (surrogate-escaped).
paths = st.one_of(st.sampled_from(["报告.txt", "a b/c.docx", "<script>x</script>.html", "\udcff\udcfe.txt",
                                   "=HYPERLINK(\"x\").txt", "-x.txt"]), st.text(st.characters(codec=None), min_size=1, max_size=20),
               st.binary(min_size=1, max_size=12).map(lambda b: b.decode("utf-8", "surrogateescape")))


@pytest.mark.parametrize("name", sorted(FORMATS))
@given(text=any_text, path=paths)
def test_every_renderer_accepts_any_result(engine, national, name, text, path):
    doc = document_from_text(text, path=path)
    result = engine.check_document(doc, keep_text=True)
    broken = DocumentResult(path=path, error=f"无法读取文件（{doc.text[:40]}）")
    output = render(name, [result, broken], RenderOptions(pack=national, color=False))
    note(repr(output[:2000]))
    if isinstance(output, str):
        output.encode("utf-8", "surrogateescape")  # writable to a UTF-8 stream (paths may carry escapes)
    if name == "json":
        data = json.loads(output)
        assert len(data["documents"]) == 2


def test_a_run_in_title_with_nothing_after_it_keeps_the_body_inside():
    """Found by the property above: a title running into a last line that is no body text left
    the body ending before it starts."""
    doc = document_from_text("XX镇2023年度法治政府建设工作报告javascript:")
    assert_outline_inside(doc)


# lexicon's bare titles: the automaton finds every place a title is written, as a brute-force
# comparison of every span with every title does
def _law_names():
    from checker.kinds.lexicon import LawNames

    return LawNames(("法治政府建设与责任落实督察工作规定",))


LAWS = _law_names()
TITLE_BY_KEY = {fold(title): title for title in LAWS.title_finder()[1]}
TITLE_KEYS = sorted(TITLE_BY_KEY)
title_text = st.lists(st.one_of(st.sampled_from(TITLE_KEYS), st.sampled_from(TITLE_KEYS).map(lambda k: k[:-1]),
                                st.sampled_from(["按照", "根据", "依据", "对照", "《", "》", "“", "”", "等要求", "，", "。",
                                                 "\n", "中华人民共和国", "条例", "按照《"])),
                      max_size=12).map("".join)


@given(title_text)
def test_titles_in_finds_every_title_written(text):
    every = {(start, end, TITLE_BY_KEY[text[start:end]]) for start in range(len(text))
             for end in range(start + 6, len(text) + 1) if text[start:end] in TITLE_BY_KEY}
    assert sorted(LAWS.titles_in(text)) == sorted(every)


@given(st.lists(st.tuples(st.integers(0, 40), st.integers(1, 12), st.integers(0, 3)), max_size=12),
       st.integers(0, 60))
def test_drop_inside_keeps_the_drops_starting_before_the_term(raw, start):
    from checker.kinds.lexicon import _drop_inside

    drops = sorted(((s, s + n, i) for s, n, i in raw), key=lambda drop: drop[1])  # by stop, as the scan finds them
    kept = [drop for drop in drops if drop[0] < start]
    _drop_inside(drops, start)
    assert drops == kept


spaced_text = st.lists(st.sampled_from(["政", "府", "工", "作", " ", "\u3000", "\xa0", "  ", "a", "1", "。", "\n", "报告"]),
                       max_size=40).map("".join)


@given(st.one_of(spaced_text, any_text), st.integers(0, 12), st.integers(0, 60))
def test_letter_spaced_spans_are_the_regex_ones(text, start, length):
    from checker.kinds.punctuation import _LETTER_SPACED, _SPACES, letter_spaced

    end = min(len(text), start + length)
    start = min(start, end)
    runs = [m.span() for m in _SPACES.finditer(text, start, end)]
    assert letter_spaced(text, start, end, runs) == [m.span() for m in _LETTER_SPACED.finditer(text, start, end)]


marked_text = st.lists(st.sampled_from(["《", "》", "“", "”", "(", ")", "【", "】", "法", "1", "、", " ", "。"]),
                       max_size=70).map("".join)


nested_marks = st.recursive(
    st.sampled_from(["", "法", "1、", "》", "("]),
    lambda inner: st.one_of(
        st.tuples(st.sampled_from(["《》", "“”", "()", "【】"]), inner).map(lambda pair: pair[0][0] + pair[1] + pair[0][1]),
        st.lists(inner, max_size=3).map("".join)),
    max_leaves=20)


@given(st.one_of(marked_text, nested_marks), st.sampled_from([["《》", "“”", "()", "【】"], ["《》", "()"], ["“”", "()"], ["()", ")("], ["《》", "《)"]]))
def test_paired_marks_known_well_paired_are_those_the_walk_passes(line, pairs):
    from checker.kinds.punctuation import _pair_problems, _plain_pairs, prepare

    openers, closers, marks = prepare({"pairs": pairs})
    plain = _plain_pairs(openers, closers)
    assert _pair_problems(line, openers, closers, marks, 30, plain) == _pair_problems(line, openers, closers, marks, 30)


def test_first_kept_character_is_the_first_of_the_repeat_key():
    from checker.kinds.repeat import _MARKS, _NOT_TEXT, _first_kept, _key

    # _MARKS and white space are exactly the characters the key drops
    every = "".join(chr(code) for code in range(0x110000) if not 0xD800 <= code <= 0xDFFF)
    assert "".join(ch for ch in every if ch.isspace() or ch in _MARKS) == "".join(_NOT_TEXT.findall(every))
    # _SPACES (with _MARKS, the repeat keys' table of dropped characters) is every white space character
    from checker.kinds.repeat import _SPACES, _dropped_table

    assert _SPACES == "".join(ch for ch in every if ch.isspace())
    assert "".join(chr(code) for code in _dropped_table().nonzero()[0].tolist()) ==         "".join(ch for ch in every if ord(ch) < 0x10000 and (ch.isspace() or ch in _MARKS))
    for line in ["  （一）加强领导。", "——“法治”", "，。 ", "", "\u3000\xa0第1条", "一是。二是"]:
        assert _first_kept(line) == _key(line)[:1]


@given(st.one_of(any_text, st.text(st.sampled_from(" \u3000，。“”()-法治1a"), max_size=20)))
def test_first_kept_character_property(line):
    from checker.kinds.repeat import _first_kept, _key

    assert _first_kept(line) == _key(line)[:1]
