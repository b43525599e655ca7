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
    ("加强普法宣转工作，营造良好氛围。", "宣转", "宣传"),  # same sound, second pass (转 pairs with 工)
    ("组织专题讲殊，人民群众满意。", "讲殊", "讲述"),  # same sound
    ("进一步加强和改进管理理工作。", "管理理", "管理"),  # a character typed twice
    ("坚持依法行政。全面推进依行政。", "依行政", "依法行政"),  # a character dropped; the word used elsewhere
    ("建立完善制度，善完督查考核。", "善完", "完善"),  # swapped, second pass
    ("认真学习党的二十届三中全会汇精神。", "全会汇", "全会"),  # a same-sound character after a word
    ("乡党委、政府积极配合配合市上开展督察。", "配合配合", "配合"),  # a word written twice
    ("积极组织权体机关干部参加培训。", "权体", "全体"),  # same usual reading: the lower bar
    ("二是成立法治工座办公室，由街道负责。", "工座", "工作"),  # 办 starts 办公室, no place name
    ("依托网络学院等学习平态,组织广大党员学习。", "平态", "平台"),  # a suffix after punctuation
    ("全面加强我们的的工作。", "的的", "的"),  # a function character typed twice
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
    "深入学习党的二十届三中全会精神，分七期对机关全体干部开展培训。",  # function characters, numerals
    "坚持依规治党，有效预防高危人群违法犯罪，不断夯实维稳基础。",  # present-day words (wordfreq)
    "带头学法，力求学深、学透、学全。",  # parallel expressions with enumeration commas
    "下洋镇坚持以习近平新时代中国特色社会主义思想为指导。下洋镇党委召开会议。",  # a local name
    "多措并举推进法治建设，按期办结率100%。",  # genre vocabulary (words.yaml)
    "组织执法人员培训，区直职能部门参加，理论学习中心组组织学习。",  # a twin that starts the next word
    "进一步更新管理理念，推动全面依法行政。",  # a doubled character that makes the next word
    "坚持依法治农、依法兴农，自学与集中学相结合，认真学习行政处罚法。",  # productive patterns, law names
    "凝心铸魂，放权减证，推动委机关、所属各单位落实。",  # set phrases; an organ's abbreviation
    "成立由党政主要负责人任双组长的领导小组。",  # 任 is a word of its own, not 人 typed twice
    "318件建议提案全部办理，家禽3.1万羽，接种58.82万剂次。",  # measure words after numbers
    "实实在在为了解决问题，所有有关部门在每月月度例会上说明目的的确切含义，2022年年会。",  # doubled across words
    "交出了一份份为民惠民的答卷，一项项举措落地。",  # a measure word said twice after 一
    "就法律援助工作作经验交流，对普法工作作了汇报。",  # a light verb after a word ending in it
    "建设一批中试示范基地。",  # a same-sound twin that makes a (rare) word with its other neighbour
    "深入实施冀货出海行动，推动莱临铁路纳规。",  # places' one-character abbreviations (place_chars)
    "由分管负责人郑红伟主持，记者符安平报道。",  # names after 负责人/记者, before 主持
    "铸牢中华民族共同体意识，以学增智，深学细悟，蹄疾步稳，以进促稳，量质并举。",  # slogans (words.yaml)
])
def test_names_numbers_titles_and_quotes_do_not_trip_it(national, matcher, text):
    assert run(typo_rule(national), text, national, matcher) == []


def test_a_form_the_writer_uses_again_is_not_a_slip(national, matcher):
    """A written form that recurs more often than its correction is a local word we do not know."""
    assert run(typo_rule(national), "开展讲殊活动。讲殊活动受到欢迎。", national, matcher) == []


def test_the_word_model_weighs_the_evidence():
    from checker.kinds import _slips
    from checker.kinds._typo_index import typo_index

    index = typo_index()
    model = _slips.SegmentModel(index)
    text = "加强普法宣转工作"
    slips = [s for s in _slips.candidates(text, index, 300) if text[s.start:s.end] == "宣转"]
    assert [s.correct for s in slips] == ["宣传"]
    assert model.gain(text, slips[0]) > 9.5  # far likelier corrected
    fine = "加重电费负担"  # 重电 is one slip off 重点, but 加重|电费 reads far better
    for slip in _slips.candidates(fine, index, 300):
        assert model.gain(fine, slip) < 0, slip


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


def test_words_with_reads_the_pair_tables_words():
    """`_slips.words_with` looks two-character words up in the word table: the same words, with
    the same frequencies, as the pair table's WORD rows (what it read before), for every character
    the typo rule asks about, with its alike characters, either way round."""
    import numpy as np

    from checker.kinds import _slips
    from checker.kinds._typo_index import FLAGS, FREQUENCY, WORD, typo_index

    index = typo_index()

    def from_pairs(fixed: str, others: str, before: bool, least: int) -> list[tuple[str, int]]:
        number = int(index.char_ids[ord(fixed)]) if ord(fixed) <= 0xFFFF else 0
        if not number or not others:
            return []
        ids = index.char_ids.take(np.minimum(np.frombuffer(others.encode("utf-32-le"), dtype=np.uint32), 0xFFFF))
        ids = ids.astype(np.uint32)
        rows = _slips.records(index, (np.uint32(number << 16) | ids) if before else ((ids << np.uint32(16)) | np.uint32(number)))
        hits = (((rows[:, FLAGS] & WORD) != 0) & (rows[:, FREQUENCY] >= least)).nonzero()[0]
        return [(fixed + others[k] if before else others[k] + fixed, int(rows[k, FREQUENCY])) for k in hits.tolist()]

    chars = sorted(index.confusables)
    for fixed in chars:
        for others in (index.confusables[fixed], "abc\uffff😀" + fixed):
            for before in (True, False):
                assert _slips.words_with(index, fixed, others, before, 300) == from_pairs(fixed, others, before, 300), fixed
