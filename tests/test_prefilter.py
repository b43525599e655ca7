"""The regex prefilter (checker/kinds/_prefilter.py) never skips a search that would have found something."""

from __future__ import annotations

from pathlib import Path

import pytest
import regex
from hypothesis import given
from hypothesis import strategies as st

from checker.engine import Engine
from checker.kinds import KINDS
from checker.kinds._prefilter import may_match, required_literals
from checker.kinds._text import prepared
from checker.packs import bundled_pack_names, load_pack

ROOT = Path(__file__).resolve().parent.parent
TEXTS = sorted((ROOT / "seeds").glob("*.txt")) + sorted((ROOT / "tests/data/corpus").glob("*.txt")) \
    + sorted((ROOT / "tests/data/hard").glob("*.txt"))


@pytest.mark.parametrize(("source", "literals"), [
    (r"截止(?=目前|今年)", ("截止",)),
    (r"法制(?:政府|宣传)", ("法制",)),
    (r"(?:年来|以来)", ("以来", "年来")),
    (r"(?<![\d])(?:19|20)\d{2}[ ]?年", ("19", "20")),  # the longest shortest literal wins over 年
    (r"(?:贯彻|落实)[^。]{0,4}党的十九大", ("党的十九大",)),
    (r"ab(cd)+ef", ("ab",)),
    (r"(?:ab)?cd", ("cd",)),
    (r"x*", None),  # no literal every match needs
    (r"(?i)abc", ("abc",)),  # case-insensitive: looked for in the lower-cased text
    (r"(?i)(?:https?://|www\.)x", ("http", "www.")),
    (r"(?i)法制ak", ("法制a",)),  # k also matches the Kelvin sign K: not in a literal
    (r"(?i)COPYRIGHT", ("copyr",)),  # nor i (İ) nor s (ſ)
    (r"(?i)[ab]x", ("x",)),
    (r"(?i:ab)cd", ("cd",)),
    (r"abc{e<=1}", None),  # a fuzzy match of the regex library
    (r"[[:alpha:]]x", None),  # a POSIX class of the regex library
    (r"[[:^digit:]]x", None),
    (r"(?:来源|发布时间)[:：]\d", ("发布时间", "来源")),  # a set that starts with a colon is no POSIX class
    (r"\p{Han}法制", ("法制",)),  # a Unicode property is one character, never a literal
    (r"(?<=\p{Han})[(（]x?", ("(", "（")),  # a class of listed characters
    (r"[^(（]x", ("x",)),
    (r"\\p{Han}x", None),  # an escaped backslash
    (r"(?<!得到|进行了)认真的", ("认真的",)),  # a variable-width look-behind (regex library only)
    (r"(?<=\p{Han}{1,3})的(?=x)", ("的",)),
    (r"[(?<!]x", None),  # look-behind signs inside a class
    (r"\(?<!x\)y", None),  # an escaped bracket before them
    (r"(?<name>ab)", None),  # a named group of the regex library
])
def test_required_literals(source, literals):
    assert required_literals(source) == literals


def _patterns():
    """Every compiled pattern of every bundled pack, with the text it is searched in."""
    for name in bundled_pack_names():
        pack = load_pack(name)
        for rule in pack.rules:
            kind = KINDS[rule.kind]
            if rule.kind == "usage":
                yield from ((e.pattern, "folded") for e in prepared(rule, kind.prepare))
            elif rule.kind == "noise":
                yield from ((p, "text") for c in prepared(rule, kind.prepare).categories for p in c.patterns)
            elif rule.kind == "pattern":
                yield from ((c.pattern, "folded") for c in prepared(rule, kind.prepare))
            elif rule.kind == "conditional":
                yield from ((c.pattern, "folded") for part in prepared(rule, kind.prepare) for c in part)


def test_bundled_patterns_are_never_skipped_where_they_match():
    engine = Engine(load_pack("national"))
    documents = [engine.read(str(path))[1] for path in TEXTS]
    patterns = list(_patterns())
    skipped = 0
    for pattern, where in patterns:
        for document in documents:
            text = document.norm.text if where == "folded" else document.text
            if not may_match(pattern, text):
                skipped += 1
                assert pattern.search(text) is None, pattern.pattern
    assert skipped > len(documents)  # the prefilter does skip searches


@given(st.lists(st.sampled_from(["法制", "政府", "宣传", "年来", "以来", "截止", "目前", "a", "b", "2023", "19"]),
                max_size=12).map("".join))
def test_prefiltered_search_finds_what_the_search_finds(text):
    for source in [r"法制(?:政府|宣传)", r"(?:年来|以来)", r"截止(?=目前)", r"(?<!\d)(?:19|20)\d\d", r"(?:ab)+法制"]:
        pattern = regex.compile(source)
        assert may_match(pattern, text) or pattern.search(text) is None


def test_caseless_characters_match_only_themselves_when_case_is_ignored():
    from checker.kinds._prefilter import caseless

    every = "".join(chr(code) for code in range(0x110000) if not 0xD800 <= code <= 0xDFFF)
    marked = "".join(ch for ch in every if caseless(ch))
    assert all(caseless(ch) for ch in ":/.法“、") and not any(caseless(ch) for ch in "aKＡſ")
    # every character the regex library matches case-insensitively to a caseless one is that one
    for flags in (regex.IGNORECASE, regex.IGNORECASE | regex.FULLCASE, regex.IGNORECASE | regex.V1):
        found = regex.findall(r"[\x00-\x40\x5b-\x60\x7b-\x7f\u2000-\u206f\u3000-\u303f\u3400-\u9fff]", every, flags)
        assert "".join(found) == marked


def test_folded_letters_match_only_their_two_cases_when_case_is_ignored():
    from checker.kinds._prefilter import _FOLDED_LETTERS

    every = "".join(chr(code) for code in range(0x110000) if not 0xD800 <= code <= 0xDFFF)
    assert _FOLDED_LETTERS == {case(letter) for letter in _FOLDED_LETTERS for case in (str.lower, str.upper)}
    for flags in (regex.IGNORECASE, regex.IGNORECASE | regex.FULLCASE, regex.IGNORECASE | regex.V1):
        assert set(regex.findall("[" + "".join(sorted(_FOLDED_LETTERS)) + "]", every, flags)) == _FOLDED_LETTERS


def test_only_a_folded_letter_and_its_upper_case_lower_to_it():
    """may_match looks for a Folded literal's characters in the text as written (a letter in either
    case) before lowering the text: right only if nothing else lowers to such a character."""
    from checker.kinds._prefilter import _FOLDED_LETTERS, caseless

    for code in range(0x110000):
        char = chr(code)
        if 0xD800 <= code <= 0xDFFF:
            continue
        for lowered in set(char.lower()) - {char}:
            assert not caseless(lowered), hex(code)
            assert lowered not in _FOLDED_LETTERS or char == lowered.upper(), hex(code)


@given(st.lists(st.sampled_from(["copyright", "COPYRIGHT", "CopyRight", "copyrİght", "copyrıght", "ſ", "K", "k",
                                 "ask", "ASK", "aſK", "http://", "HTTP://", "www.", "WWW.", "版权", "©", "x"]),
                max_size=8).map("".join))
def test_case_insensitive_prefilter_finds_what_the_search_finds(text):
    for source in [r"(?i)copyright", r"(?i:copyright)[^\n]{0,80}|©", r"(?i)ask", r"(?i)(?:https?://|www\.)[a-z]+",
                   r"(?i)a[ſs]k", r"x(?i:ASK)"]:
        pattern = regex.compile(source, regex.MULTILINE)
        assert may_match(pattern, text) or pattern.search(text) is None, source


def test_every_required_part_is_looked_for():
    from checker.kinds._prefilter import required_parts

    assert required_parts(r"合法(?:合规)?性审[查核]") == (("合法",), ("性审",), ("查", "核"))
    assert required_parts(r"(?<![0-9])(?:19|20)[Xx×]{2}(?=年)") == (("19", "20"), ("X", "x", "×"))
    assert required_parts(r"x*") is None
    # the most selective part is the one required_literals names
    assert required_literals(r"合法(?:合规)?性审[查核]") == ("合法",)
    pattern = regex.compile(r"(?<![0-9])(?:19|20)[Xx×]{2}(?=年)")
    assert not may_match(pattern, "2023年工作") and may_match(pattern, "20XX年")  # 20 is there, no X
    assert pattern.search("2023年工作") is None


def test_literal_scan_answers_as_may_match():
    """One Aho-Corasick scan for all patterns (LiteralScan) gives may_match's answers, Folded
    literals and texts it cannot scan (a lone surrogate) included."""
    from checker.kinds._prefilter import LiteralScan

    engine = Engine(load_pack("national"))
    texts = [engine.read(str(path))[1].text for path in TEXTS]
    texts += ["Copyright 2023 某网站", "访问 HTTP://x.com 或 WWW.abc", "小编\ud800供大家参考", ""]
    patterns = [pattern for pattern, _where in _patterns()]
    scan = LiteralScan(patterns)
    for text in texts:
        found = scan.found(text)
        for pattern in patterns:
            assert scan.may_match(pattern, text, found) == may_match(pattern, text), pattern.pattern
