"""The typo kind: real slips found with the dictionary, names/numbers/titles/quotes left alone,
the user dictionary, the false-alarm rate on the clean seeds and corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.config import build_pack, load_config
from checker.context import Context
from checker.kinds import typo
from checker.model.document import document_from_text
from checker.template import TemplateMatcher
from tests.test_kinds import make_rule, run

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def matcher(national):
    return TemplateMatcher(national)


def typo_rule(national):
    return next(r for r in national.rules if r.id == "typo")


@pytest.mark.parametrize("text, found, correct", [
    ("深入推进踪合行政执法改革。", "踪合", "综合"),  # same sound
    ("获得群众一致评好。", "评好", "好评"),  # swapped
    ("化解矛盾纷纠。", "纷纠", "纠纷"),  # swapped
])
def test_typos_found_with_the_correction(national, matcher, text, found, correct):
    findings = run(typo_rule(national), text, national, matcher)
    assert [(f.matched_text, f.suggestion) for f in findings] == [(found, f"改为「{correct}」")]


@pytest.mark.parametrize("text", [
    "省委书记应勇强调，要学深学透、走深走实。",  # a name after a title; parallel expressions
    "学习《踪合执法条例》，“踪合”一词另有所指。",  # book titles and quotations
    "2023年受理案件98起，调解成功率99%，网址 www.example.gov.cn。",  # numbers, ASCII
    "北洋镇、金龙街道、綦江区文龙街道、棣棠乡的同志参加。",  # place names
    "召开法治政府建设报告会暨学习大讲堂，主要负责人负总责。",  # formal function words, genre words
])
def test_names_numbers_titles_and_quotes_do_not_trip_it(national, matcher, text):
    assert run(typo_rule(national), text, national, matcher) == []


def test_user_dictionary_silences_a_word(national, matcher, tmp_path, monkeypatch):
    text = "深入推进踪合行政执法改革。"
    quiet = make_rule("typo", words=["踪合"])
    assert run(quiet, text, national, matcher) == []
    config = tmp_path / ".checker.yaml"
    config.write_text("words: [踪合]\n", encoding="utf-8")
    pack = build_pack(load_config(config))
    rule = next(r for r in pack.rules if r.id == "typo")
    assert "踪合" in rule.options["words"]
    document = document_from_text(text)
    assert list(typo.check(Context(document, pack, TemplateMatcher(pack).match(document)), rule)) == []


def test_clean_seeds_and_corpus_raise_no_typo(engine):
    """The corrected copies of the seeds and corpus (tests/data/proofreading/clean): no finding."""
    clean = sorted((ROOT / "tests" / "data" / "proofreading" / "clean").rglob("*.txt"))
    assert clean
    chars = 0
    raised = []
    for path in clean:
        chars += len(path.read_text(encoding="utf-8"))
        raised += [(path.name, f.matched_text) for f in engine.check_path(str(path)).findings
                   if f.rule in ("typo", "lexicon-terms")]
    assert len(raised) <= chars / 10_000, raised  # at most one per 10,000 characters
