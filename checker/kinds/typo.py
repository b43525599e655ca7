"""typo — a character sequence that is no word, but becomes a common word with one slip undone.

Judged against real data, not a list of errors: jieba's dictionary (about 350,000 words with
frequencies), the present-day words of wordfreq's Chinese list (依规, 维稳, 高危 … that jieba's
2012 dictionary lacks), pinyin (pypinyin), a table of similar-shape characters
(``rules/data/confusables.yaml``) and the genre's own vocabulary (``rules/data/phrases.yaml``,
``rules/data/words.yaml``).

Three passes, one finding per place:

1. **Lonely characters.** A Chinese character that forms no dictionary word with either neighbour
   (neither pair of characters occurs inside any word) is checked for the slip that explains it:
   the character replaced by a same-sound or similar-shape one makes a frequent word (``踪合`` →
   综合, ``办政`` → 办证); without it its neighbours make a word (``硬影件`` → 硬件); two characters in
   the other order make a word (``评好`` → 好评); one character put back makes a word of 3–4
   characters (``矛盾纷`` → 矛盾纠纷). Two competing corrections of similar strength: silence.
   A swap or a same-sound character is taken on the lonely character's word; any other
   correction (a similar shape, an extra or a missing character) must also pass the word-model
   test of pass 2 (凝心铸魂 is no 疑心 although 凝 pairs with nothing).
2. **Slips weighed by a word model.** Over the whole text at once (NumPy lookups), every pair of
   characters that is no word but one same-sound/similar-shape character off a word (``宣转`` →
   宣传, ``满议`` → 满意), a reversed word (``善完`` → 完善), a character typed twice or next to its
   twin (``管理理``, ``工作座``) and a longer word with an inner character dropped (``依行政`` →
   依法行政). Each is kept only if the few characters around it read much better corrected: the
   log-probability of their best segmentation into dictionary words (unigram model over the word
   frequencies, the corrected word kept whole) must gain at least ``min_gain`` (``same_sound_gain``
   for a character of the same usual reading, what a pinyin input method types; ``swap_gain`` for
   two characters in the wrong order), plus ``used_bonus``
   when the corrected form occurs elsewhere in the document, minus ``taken_penalty`` when the
   correction takes a character from a word it forms on its other side (区级统建 is no 系统).
   A written form that recurs in the document more often than its correction is left alone (a
   local word we do not know), and so are numerals and the most frequent function characters.
3. **A function character typed twice** (``我们的的工作``, ``在在全镇``): one of the most frequent
   one-character words written twice where the pair is no word, no AABB form (是是非非, 实实在在),
   no unit after a number (2022年|年会), and not the end of one word and the start of the next
   (所有|有关, 为了|了解, 每月|月度).
4. **A word of three or four characters written twice in a row** (``民政局民政局``), a dictionary
   word of at least 50.

The corrected word must be at least ``min_frequency`` in the dictionary (or a word of the genre),
and the written form must not be a word. Never checked: names in the dictionary, text in 《…》
(the ``lexicon`` rules) and in quotation marks, numbers, dates, ASCII, a spot next to a place-name
suffix (镇、乡、村、街道、社区、县、区、市、局 …), where an unknown local name is likelier than a
typo, near a title or verb that goes with a person's name (书记某某, 负责人某某, 某某强调, 某某主持),
right after a number (318件建议, 3.1万羽: a measure word or unit), a measure word said twice after
一 (一份份), inside parallel expressions (学深学透, 学深、学透), two items shortened to a character each
before a joining word (研用结合: option ``joined_by``), the issuer's code before a document number's
year (体规字〔2022〕5号), a name in brackets at a paragraph's end (a byline), a company's name before
集团/公司/银行/医院/学校 …, a unit's suffix before its title or 会议 (审计厅厅长, 常委会会议), a place
suffix after a word (示范市现将), a date unit ending one word and starting the next (每年年中), and a
page in the traditional script (the dictionaries are simplified). A correction is never a number of
numerals alone (每月十企 is no 十七). ``words`` (and the ``words`` key of ``.checker.yaml``)
is a user dictionary: a word listed there is right as written, for good.

The dictionaries are read on first use, once per process, from a disk cache (built once, about
10 s; ``CHECKER_CACHE_DIR`` or the user cache directory).

Options:
  words          list of words that are right as written (a user dictionary)
  min_frequency  least dictionary frequency of the corrected word (default 300)
  joined_by      words that join two items each shortened to one character (学用|结合, 奖惩|并重): the
                 two characters right before one of them are never taken for a mistyped word (研用结合
                 is no 沿用; default none)
  surnames       common surnames: in a list of two or three characters each (吴丽慧、伍建利、陈挺晨),
                 an item that starts with one, beside another that does, is a name (default none)
  place_chars    characters that abbreviate a province or city (冀, 渝, 沪 …): never taken for a mistyped
                 or extra character (冀货出海 is no 期货; default none)
  max_single     a character more frequent than this as a one-character word is never a lonely
                 suspect (default 5000)
  max_findings   at most this many findings per document (default 20)
  min_gain       least evidence, in natural-log units of probability, for a weighed slip (default 9.5)
  used_bonus     evidence added when the corrected form occurs elsewhere in the document (default 2)
  taken_penalty  evidence taken off when the correction breaks a word on its other side (default 2)
  same_sound_gain  least evidence for a character replaced by one of the same usual reading (what a
                 pinyin input method types: 工座 → 工作, 平态 → 平台), instead of min_gain (default 7.5)
  swap_gain      least evidence for two characters in the wrong order (些一 → 一些), instead of
                 min_gain (default 6.5: the written pair is no word and its reverse a common one)
  same_sound_used_bonus  evidence added, besides used_bonus, to a character replaced by one of the same
                 usual reading when the corrected word occurs elsewhere in the document (落使 in a report
                 that writes 落实 elsewhere; default 2)

Placeholders: {found} (as written), {correct} (the corrected text), {problem} (in Chinese).

Passing: ``深入推进综合行政执法改革，在便民服务中心设立办证窗口，加强普法宣传``.
Failing: ``深入推进踪合行政执法改革``; ``设立办政窗口``; ``加强普法宣转工作``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache

from checker.context import Context
from checker.kinds import _slips
from checker.kinds._chars import is_han as _han
from checker.kinds._dictionary import word_ends_at, word_starts_at
from checker.kinds._text import prepared, rule_scope
from checker.kinds._typo_index import TypoIndex, typo_index
from checker.model.normalize import fold
from checker.packs import Rule
from checker.result import Finding

# Proofreading: not run on lines read by OCR (recognition errors are not the writer's).
PROOFREADS = True

OPTIONS = {
    "words": (list, []),
    "min_frequency": (int, 300),
    "max_single": (int, 5000),
    "max_findings": (int, 20),
    "min_gain": (float, 9.5),
    "used_bonus": (float, 2.0),
    "taken_penalty": (float, 2.0),
    "same_sound_gain": (float, 7.5),
    "swap_gain": (float, 6.5),
    "same_sound_used_bonus": (float, 2.0),
    "place_chars": (str, ""),
    "joined_by": (list, []),
    "surnames": (str, ""),
}

_QUOTED = re.compile(r"《[^《》\n]{0,80}》|“[^“”\n]{0,80}”|\"[^\"\n]{0,80}\"|「[^「」\n]{0,80}」")
# also never read: the issuer's code before a document number's year (保政呈〔2017〕3号, 体规字〔2022〕5号)
# and a name in brackets at a paragraph's end (（杨薪颖）, a byline)
_BYLINE = re.compile(r"[（(][\u4e00-\u9fff]{2,4}[)）][ \t\u3000]*$", re.M)  # at a paragraph's end
_NUMBER_YEAR = re.compile(r"[〔\[【(（﹝]\s*(?:19|20)\d\d\s*[〕\]】)）﹞]")
_ISSUER_CODE = 8  # characters before a document number's year read as the issuer's code
# characters only the traditional script writes (們 個 這 說 …): a page in that script is not read
_TRADITIONAL = "們個這說發會國於與為對從來時將區縣鄉鎮書記長門問題實現當經濟開關係應該點還進過員學習熱動際標準權"
TRADITIONAL_CHARS = 10  # this many traditional-only characters in a scope: a page in the traditional script
TRADITIONAL_READ = 20000  # characters read from a scope's start for them


@lru_cache(maxsize=4)
def _code_point_marks(chars: str) -> "np.ndarray":
    """bool, 65,536: True at the code points of ``chars`` (a table read with one ``take`` per text)."""
    import numpy as np

    marks = np.zeros(0x10000, dtype=bool)
    marks[[ord(c) for c in chars]] = True
    return marks


def _traditional_count(codes: "np.ndarray") -> int:
    """How many of the code points (uint32) are of ``_TRADITIONAL`` (those beyond U+FFFF are not)."""
    import numpy as np

    return int(np.count_nonzero(_code_point_marks(_TRADITIONAL).take(codes, mode="clip")))


# a spot this close before one of these characters may be part of a local name
_NAME_SUFFIXES = set("镇乡村县区市省州旗局委办街路巷屯寨组庄湾坪坝岭沟河溪山桥港")
_SUFFIX_CHARS = "".join(sorted(_NAME_SUFFIXES))
# words after a name of a company or an institution (天彩集团, 某某公司)
_ORG_WORDS = ("集团", "公司", "有限", "股份", "银行", "医院", "大学", "中学", "小学", "学校", "协会", "商会",
              "合作社", "研究院", "研究所", "事务所", "工作室", "酒店", "农场")
_PARTNER_MAX = 100000  # see _corrections
_MARGIN = 2.0  # the best correction must be this many times as frequent as the next
# a name usually follows a title or is followed by what people do in reports
_NAME_BEFORE = ("书记", "省长", "市长", "县长", "区长", "镇长", "乡长", "主任", "局长", "部长", "厅长", "处长",
                "科长", "所长", "院长", "主席", "委员", "总理", "同志", "代表", "组长", "队长", "支书",
                "负责人", "记者", "通讯员", "检察长", "庭长", "站长", "律师", "法官", "民警")
_NAME_AFTER = ("同志", "强调", "指出", "表示", "要求", "书记", "主任", "局长", "主持", "主席", "出席", "带队",
               "率队", "讲话", "教授", "博士", "院士", "研究员", "老师")


@dataclass(frozen=True)
class Options:
    words: frozenset[str]
    min_frequency: int
    max_single: int
    weights: _slips.Weights
    same_sound_gain: float
    swap_gain: float
    same_sound_used_bonus: float
    place_chars: frozenset[str] = frozenset()
    joined_by: tuple[str, ...] = ()
    surnames: frozenset[str] = frozenset()


def prepare(options: dict) -> Options:
    words = options.get("words") or []
    if not all(isinstance(w, str) and w for w in words):
        raise ValueError("words 应为非空字符串的列表")
    if not all(isinstance(w, str) and w for w in options.get("joined_by") or ()):
        raise ValueError("joined_by 应为非空字符串的列表")
    weights = _slips.Weights(float(options["min_gain"]), float(options["used_bonus"]),
                             float(options["taken_penalty"]))
    return Options(frozenset(fold(w) for w in words), options["min_frequency"], options["max_single"], weights,
                   float(options["same_sound_gain"]), float(options["swap_gain"]),
                   float(options["same_sound_used_bonus"]),
                   frozenset(options.get("place_chars") or ""), tuple(options.get("joined_by") or ()),
                   frozenset(options.get("surnames") or ""))


def validate(options: dict) -> dict:
    if options["min_frequency"] < 1:
        raise ValueError("min_frequency 应为正整数")
    prepare(options)
    return options


def warm(rule: Rule) -> None:
    """Load the index before the first document (batch workers call this at start)."""
    typo_index()


@lru_cache(maxsize=4)
def _rare_singles(max_single: int) -> "np.ndarray":
    """bool, 65,536: the code points of the Basic Multilingual Plane that are no more frequent than
    ``max_single`` as one-character words (or no such word)."""
    import numpy as np

    rare = np.ones(0x10000, dtype=bool)
    for char, frequency in typo_index().single.items():
        if frequency > max_single and len(char) == 1 and ord(char) < 0x10000:
            rare[ord(char)] = False
    return rare


def suspects(text: str, index: TypoIndex, pairs: _slips.TextPairs | None = None):
    """Positions of Chinese characters that form no dictionary word with either neighbour
    (a NumPy array). ``pairs``: the text's pairs already looked up (``_slips.text_pairs``)."""
    import numpy as np  # imported on first use: loading a pack must stay light

    if len(text) < 3:
        return np.empty(0, dtype=np.int64)
    view = pairs or _slips.text_pairs(text, index)
    # character c (not the first nor the last) in no word with either neighbour: pairs c - 1 and c
    lonely = ~view.inword
    lonely = lonely[:-1] & lonely[1:]
    lonely &= view.han[1:-1]
    return lonely.nonzero()[0] + 1


def _corrections(text: str, p: int, index: TypoIndex, options: Options,
                 covered_left: bool, covered_right: bool) -> list[tuple[int, int, int, str, str, str]]:
    """(frequency, start, end, corrected text, problem, slip kind) for the slips that explain spot ``p``.

    ``covered_left`` / ``covered_right``: the left / right neighbour already forms a word with
    the character on its far side (a correction must not take it from that word)."""
    words, found = index.words, []
    char, left, right = text[p], text[p - 1], text[p + 1]
    confusables = index.confusables

    def frequent(word: str) -> int:
        frequency = words.get(word, 0)
        return frequency if frequency >= options.min_frequency and not words.is_name(word) else 0

    # a correction pairing the character with a neighbour that is a common word on its own
    # (为, 是, 的 …) is weak evidence: 宣传屏|为 is not 评为
    left_free = not covered_left and index.single.get(left, 0) <= _PARTNER_MAX
    right_free = not covered_right and index.single.get(right, 0) <= _PARTNER_MAX
    others = confusables.get(char, "")
    for start, neighbour, free, before in ((p - 1, left, left_free, True), (p, right, right_free, False)):
        if free and _han(neighbour):
            for word, score in _slips.words_with(index, neighbour, others, before, options.min_frequency):
                if _han(word[0]) and _han(word[1]) and not words.is_name(word):
                    found.append((score, start, start + 2, word, f"「{text[start:start + 2]}」疑似「{word}」的错字", "sub"))
    # an extra character typed with the same sound as a neighbour (硬影件) or twice (始始终)
    if _han(left) and _han(right) and (char in (left, right) or char in confusables.get(left, "")
                                       or char in confusables.get(right, "")):
        if (score := frequent(left + right)) and text[p - 1:p + 2] not in words:
            found.append((score, p - 1, p + 2, left + right, f"「{text[p - 1:p + 2]}」疑似多了「{char}」字", "extra"))
    for start, taken in ((p - 1, covered_left), (p, covered_right)):
        pair = text[start:start + 2]
        if not taken and _han(pair[0]) and _han(pair[1]) and pair not in words and (score := frequent(pair[::-1])):
            found.append((score, start, start + 2, pair[::-1], f"「{pair}」疑似「{pair[::-1]}」的字序颠倒", "swap"))
    for start in (p - 2, p - 1, p):
        if start < 0:
            continue
        key = text[start:start + 3]
        word = index.dropped.get(key)
        if word and not _slips.implausible(text, _slips.Slip(start, start + 3, word, "missing"), index) \
                and all(map(_han, key)) and (score := frequent(word)):
            found.append((score, start, start + 3, word, f"「{key}」疑似「{word}」少了一个字", "missing"))
    return found


def _same_sound(written: str, correct: str, index: TypoIndex) -> bool:
    """The characters that differ have the same usual reading (宣转/宣传; not 凝心/疑心)."""
    return all(_slips.same_reading(index, a, b) for a, b in zip(written, correct) if a != b)


_TITLE = re.compile("|".join(_NAME_BEFORE))
_AFTER_NAME = re.compile("|".join(_NAME_AFTER))


# characters that begin no name right after a title (党委书记为第一责任人, 主任要求, 局长带头):
# function words and verbs, none of them a common surname
_NO_NAME_START = frozenset("为是在的和对把将与及等要亲带兼作")
NAME_ZONE_WORD = 100  # a word this frequent (no name) right after a title or before 讲话… leaves no room for a name


def _name_zone(text: str, words) -> set[int]:
    """Positions within a name's length after a title (书记应勇) or before 同志/强调…: where a
    person's name likely stands; not where a common word (no name) stands there instead
    (总书记|系列, 重要|讲话, 目标|要求). Built once per document with two regular expressions."""
    def common(word: str) -> bool:
        return words.get(word, 0) >= NAME_ZONE_WORD and not words.is_name(word)

    zone: set[int] = set()
    for match in _TITLE.finditer(text):
        end = match.end()
        while end < len(text) and text[end] in " \u3000":  # 局长 奥成铭: a signature's spacing
            end += 1
        if text[end:end + 1] in _NO_NAME_START:
            continue  # 书记为…, 主任要…: a function word, no name, follows the title
        room = _name_room(text[end:end + 3])
        if room >= 2 and not any(common(text[end:end + n]) for n in (2, 3, 4)):
            zone.update(range(end, end + room))
    for match in _AFTER_NAME.finditer(text):
        start = match.start()
        room = _name_room(text[max(0, start - 3):start][::-1])
        if room >= 2 and not any(common(text[max(0, start - n):start]) for n in (2, 3, 4) if start >= n):
            zone.update(range(start - room, start))
    return zone


def _name_room(chars: str) -> int:
    """How many of ``chars`` (read from the title or 同志/强调… outwards) can belong to a name: up to
    the first that is no Chinese character or is 的. Fewer than two leave no room for a name
    (人大代表、村民…, 委员会，…, 建设体出的新|要求)."""
    room = 0
    for char in chars:
        if char == "的" or not _han(char):
            break
        room += 1
    return room


def _suffix_marks(codes: "np.ndarray") -> bytes:
    """1 where a text's character (code points, uint32) is one of ``_NAME_SUFFIXES``."""
    return _code_point_marks(_SUFFIX_CHARS).take(codes, mode="clip").tobytes()  # beyond U+FFFF: read as U+FFFF, none


def _before_name_suffix(text: str, start: int, end: int, words, correct: str = "",
                        suffixes: bytes | None = None) -> bool:
    """A place-name suffix (镇, 村, 局 …) in the span after its first character, or in the two
    characters after it (before any punctuation): the span may be part of a local name. Not a
    suffix the correction keeps in place (失委 → 市委), nor one after the span that makes a
    dictionary word with the character before or after it (落实|党委, 工座|办公室), nor one right after
    the span that makes a dictionary word with the correction (终心|组 → 中心组). ``suffixes``:
    ``_suffix_marks`` of the text (none in reach: no loop)."""
    if text.startswith(_ORG_WORDS, end) or text.startswith(_ORG_WORDS, end + 1):
        return True  # 天彩|集团, 某某|公司: a name
    if suffixes is not None and suffixes.find(1, start + 1, min(len(text), end + 2)) < 0:
        return False
    for q in range(start + 1, min(len(text), end + 2)):
        char = text[q]
        if not ("\u4e00" <= char <= "\u9fff"):
            return False
        if char not in _NAME_SUFFIXES:
            continue
        if q < end:
            if correct and len(correct) == end - start and correct[q - start] == char:
                continue
            if correct and len(correct) == end - start - 1 and _extra_keeps(text[start:end], correct, q - start):
                continue
            return True
        if (q > end and words.get(text[q - 1:q + 1], 0) >= _slips.TAKEN) or words.get(text[q:q + 2], 0) >= _slips.TAKEN:
            continue
        if q == end and correct and _suffixed_word(correct + char, words):
            continue  # 终心|组 → 中心组, 自直|区 → 自治区: corrected, the span and the suffix are a known word
        return True
    return False


def _grows_a_word(text: str, start: int, end: int, correct: str, words) -> bool:
    """The correction with the character before or after it is a dictionary word of 3-4 characters
    of TAKEN frequency, no name (区委、区府政 → 区|政府 = 区政府): the item reads as that word, not as
    a coinage made in parallel with its neighbour."""
    return any(_suffixed_word(word, words) for word in (text[start - 1:start] + correct, correct + text[end:end + 1])
               if len(word) > len(correct) and all(map(_han, word)))


def _extra_keeps(written: str, correct: str, at: int) -> bool:
    """The correction (``written`` with one character left out) keeps the character at ``at``, which
    is not the one left out nor one of two alike (社区取 → 社区, 全全镇 → 全镇; not 街街道: 北城街|街道
    is a street's 街 before 街道)."""
    removed = next((i for i, char in enumerate(correct) if written[i] != char), len(correct))
    return at != removed and written[at] not in written[max(0, at - 1):at] + written[at + 1:at + 2]


def _suffixed_word(word: str, words) -> bool:
    """A correction with the place suffix after it is a dictionary word of TAKEN frequency, no name
    (中心组, 自治区, 居委会): the text reads as that word, not as a local name."""
    return len(word) <= 4 and words.get(word, 0) >= _slips.TAKEN and not words.is_name(word)


_LIST_MARKS = "、，,"  # what separates the halves of a parallel expression or two listed coinages


@lru_cache(maxsize=1)
def _list_marks() -> "np.ndarray":
    """bool, 65,536: the code points of ``_LIST_MARKS``."""
    import numpy as np

    marks = np.zeros(0x10000, dtype=bool)
    marks[[ord(c) for c in _LIST_MARKS]] = True
    return marks


def _alike_marks(codes: "np.ndarray") -> bytes:
    """For the code points of a text (uint32, at least three characters), 1 at each i where
    character i + 2 repeats character i (A?A), or character i + 3 does with one of ``_LIST_MARKS``
    at i + 1 or i + 2 (A、?A, A?、A): the only places where ``_parallel`` finds an expression (at
    i), or ``_shared_ending`` two coinages (at i - 1)."""
    alike = codes[:-2] == codes[2:]
    marks = _list_marks().take(codes, mode="clip")  # beyond U+FFFF: read as U+FFFF, no mark
    marked = codes[:-3] == codes[3:]
    marked &= marks[1:-2] | marks[2:-1]
    alike[:-1] |= marked
    return alike.tobytes()


def _parallel(text: str, start: int, end: int, alike: bytes | None = None) -> bool:
    """A character of ``text[start:end]`` (at most five) inside a parallel expression (学深学透, 走深走实,
    常思常新, 学深、学透、学全): A?A? (not a word written twice, 配合配合), also with an enumeration
    comma between the halves. One pass over the places where such an expression can start.
    ``alike``: ``_alike_marks`` of the text (no such place: no pass)."""
    if alike is not None and alike.find(1, max(0, start - 4), min(len(text) - 2, end)) < 0:
        return False
    for j in range(max(0, start - 4), min(len(text) - 2, end)):
        first, third = text[j], text[j + 2]
        if third == first:  # A?A? over the span, not ABAB
            if j >= start - 3 and "\u4e00" <= first <= "\u9fff" and text[j + 1] != text[j + 3:j + 4]:
                return True
        elif third in "、，," and text[j + 3:j + 4] == first and "\u4e00" <= first <= "\u9fff":  # A?、A? over it
            return True
    return False


class _Zones:
    """What one document keeps from the checks, each found on first need: most spots and slips
    fail a cheaper guard first, and many documents never need them."""

    def __init__(self, text: str, words, user_words: frozenset[str]) -> None:
        self.text, self.words, self.user_words = text, words, user_words

    @cached_property
    def protected(self) -> list[tuple[int, int]]:
        """Spans never read: quotations, bylines, issuers' codes before a document number's year and
        the user's words."""
        text = self.text
        return [(m.start(), m.end()) for m in _QUOTED.finditer(text)] + [m.span() for m in _BYLINE.finditer(text)] \
            + [(max(0, m.start() - _ISSUER_CODE), m.start()) for m in _NUMBER_YEAR.finditer(text)] \
            + [(m.start(), m.start() + len(w)) for w in self.user_words for m in re.finditer(re.escape(w), text)]

    @cached_property
    def names(self) -> set[int]:
        """Positions where a person's name likely stands (``_name_zone``)."""
        return _name_zone(self.text, self.words)


def check(ctx: Context, rule: Rule) -> Iterator[Finding]:
    scope = rule_scope(ctx, rule)
    if scope is None:
        return
    options: Options = prepared(rule, prepare)
    index = typo_index()
    text = scope.text
    norm = ctx.document.norm
    pairs = _slips.text_pairs(text, index) if len(text) >= 3 else None
    # a character more frequent than max_single as a word of its own is never a lonely suspect
    lonely = suspects(text, index, pairs)
    spots = lonely[_rare_singles(options.max_single).take(pairs.codes.take(lonely))].tolist() if len(lonely) else []
    # (a text of fewer than three characters has too few; beyond U+FFFF, none: read as U+FFFF)
    if pairs is not None and _traditional_count(pairs.codes[:TRADITIONAL_READ]) >= TRADITIONAL_CHARS:
        return  # the dictionaries are of the simplified script
    zones = _Zones(text, index.words, options.words)
    found: list[tuple[int, int, str, str]] = []  # start, end, corrected text, problem
    if len(index.logp_memo) > 1_000_000:  # a process that read very many documents: start afresh
        index.logp_memo.clear()
    model = _slips.TextModel(_slips.SegmentModel(index, index.logp_memo), text,
                             pairs.inword.tobytes() if pairs is not None else None)
    alike = _alike_marks(pairs.codes) if pairs is not None else None
    suffixes = _suffix_marks(pairs.codes) if pairs is not None else None  # (spots: pairs is not None)
    count_forms = text.count if pairs is None or len(text) <= _COUNT_EARLY else _form_counter(text, pairs.codes)
    last_end = -1
    for p in spots:
        if p < last_end or text[p] in _slips.FORMAL:
            continue
        if suffixes.find(1, p + 1, p + 3) >= 0 or _parallel(text, p, p + 1, alike) \
                or text.startswith(_ORG_WORDS, p + 1) or text.startswith(_ORG_WORDS, p + 2):
            continue
        # a neighbour already forms a word with the character on its far side (合|行政 does not)
        words = index.words
        candidates = _corrections(text, p, index, options, words.get(text[p - 2:p], 0) >= _slips.TAKEN,
                                  words.get(text[p + 1:p + 3], 0) >= _slips.TAKEN)
        if not candidates:
            continue
        candidates.sort(reverse=True)
        best = candidates[0]
        if len(candidates) > 1 and candidates[1][3] != best[3] and candidates[1][0] * _MARGIN > best[0]:
            continue  # two corrections compete: not sure enough
        _, start, end, correct, problem, kind = best
        if (kind == "sub" and _shared_ending(text, start, end, alike)) \
                or _parallel_item(text, start, end, kind, correct):
            continue
        if _recurs(text, text[start:end], correct, count=count_forms) \
                or (kind == "sub" and _numeral_made(text[start:end], correct)) \
                or _joined_items(text, start, end, options.joined_by) \
                or _unit_slip(text, start, end, kind, correct, index.words) \
                or _in_name_list(text, start, end, options.surnames) \
                or _slips.after_number(text, start) \
                or _place_char_taken(text[start:end], _slips.Slip(start, end, correct, kind), options.place_chars):
            continue
        # a swap, or a character replaced by one of the same sound (what an input method types), is
        # taken on the lonely character's word; any other slip (a similar shape, an extra or a
        # missing character) needs the word model's evidence too (凝心铸魂 is no 疑心)
        if not (kind == "swap" or (kind == "sub" and _same_sound(text[start:end], correct, index))):
            slip = _slips.Slip(start, end, correct, kind)
            evidence = _slips.evidence(model.gain(slip), correct in text, _slips.takes_a_word(text, slip, index.words),
                                       options.weights)
            if evidence < options.weights.min_gain:
                continue
        # last, the zones (found on first need): a name's place, a quotation, a user's word
        if p in zones.names or any(s < end and start < e for s, e in zones.protected):
            continue
        found.append((start, end, correct, problem))
        last_end = end
    found += _weighed_slips(text, index, options, zones, found, pairs, model, alike, suffixes, count_forms)
    doubled = _doubled_function_chars(text, index, pairs) + _doubled_words(text, index.words, zones, pairs)
    if doubled:
        taken = [(s, e) for s, e, *_ in found] + zones.protected
        found += [f for f in doubled if not any(s < f[1] and f[0] < e for s, e in taken)]
    found.sort()
    for start, end, correct, problem in found[:rule.options["max_findings"]]:
        orig_start, orig_end = scope.orig(start, end, norm)
        yield ctx.finding(rule, orig_start, orig_end, found=text[start:end], correct=correct, problem=problem)


def _shared_ending(text: str, start: int, end: int, alike: bytes | None = None) -> bool:
    """A character of ``text[start:end]`` (at most five) inside two coinages that share their second
    character, side by side or listed (稳岗扩岗; 限贷、抽贷、断贷; 营造安商、爱商的): each is a word made
    on purpose, not the other with a character mistyped. Only for a replaced character: a character
    typed twice stays a slip (学法守法法). One pass over the places where such a pair can start.
    ``alike``: ``_alike_marks`` of the text (no such place one further: no pass)."""
    if alike is not None and alike.find(1, max(0, start - 4) + 1, min(len(text) - 3, end) + 1) < 0:
        return False
    for j in range(max(0, start - 4), min(len(text) - 3, end)):
        first, second = text[j], text[j + 1]
        if not ("\u4e00" <= second <= "\u9fff") or second == first:
            continue
        third = text[j + 2]
        if text[j + 3] == second and j >= start - 3 and third != first and "\u4e00" <= third <= "\u9fff":
            return True  # ?A?A over the span
        if third in "、，," and text[j + 4:j + 5] == second and "\u4e00" <= text[j + 3] <= "\u9fff":
            return True  # ?A、?A over the span
    return False


_RUN_LONGEST = 8  # characters read on either side of a span or a 、 for list items (``_parallel_item``)
_ITEM_LONGEST = 6  # list items this long or shorter are compared with their neighbours
_PATTERN_LONGEST = 4  # items this long or shorter sharing a character in any one place are made on one pattern


def _parallel_item(text: str, start: int, end: int, kind: str, correct: str = "") -> bool:
    """The span lies in an item of a list (items between 、) made on the same pattern as its
    neighbour: aligned at the 、 (a first item may carry the verb before the list: 做到融入思想、
    铸入灵魂), the two share a character in the same place (以廉为荣、以绩为准; 融入思想、铸入灵魂;
    限贷、抽贷、断贷; items longer than four characters in one of their first two: 钾盐高效利用、
    锂盐量质提升) — coinages, not slips, unless the correction makes the item more like its
    neighbour; and an item as long as its neighbour misses no character and has none too many
    (补短板、强弱项、提质效)."""
    if "、" not in text[max(0, start - _RUN_LONGEST - 1):end + _RUN_LONGEST + 1]:
        return False  # no 、 within reach of the span's item (the quick answer for most spans)

    def run_before(at: int) -> str:  # the Chinese characters right before ``at`` (at most _RUN_LONGEST)
        first = at
        # (is_han written out in these loops: they run for each character of a list item)
        while first > 0 and at - first < _RUN_LONGEST and "\u4e00" <= text[first - 1] <= "\u9fff":
            first -= 1
        return text[first:at]

    def run_after(at: int) -> str:
        stop = at
        while stop < len(text) and stop - at < _RUN_LONGEST and "\u4e00" <= text[stop] <= "\u9fff":
            stop += 1
        return text[at:stop]

    left, right = start - len(run_before(start)), end + len(run_after(end))
    for mark in (left - 1, right):  # a 、 before the span's item, or after it
        if mark < 0 or text[mark:mark + 1] != "、":
            continue
        before, after = run_before(mark), run_after(mark + 1)
        if kind in ("missing", "extra"):
            if len(before) == len(after) and 2 <= len(after) <= _ITEM_LONGEST:
                return True
            continue
        width = min(len(before), len(after))
        # the span within the aligned part: the last ``width`` before the 、, the first after it
        if not 2 <= width <= _ITEM_LONGEST or not (mark + 1 + width >= end if mark < start else mark - width <= start):
            continue
        mine, theirs = (after[:width], before[-width:]) if mark < start else (before[-width:], after[:width])
        offset = start - (mark + 1) if mark < start else start - (mark - width)
        if correct and len(correct) == end - start:
            # the correction makes the item more like its neighbour (依法治疆、依法执政、益法行政): a slip
            fixed = mine[:offset] + correct + mine[offset + len(correct):]
            if sum(x == y for x, y in zip(fixed, theirs)) > sum(x == y for x, y in zip(mine, theirs)):
                continue
        # items of up to four characters sharing any place; longer ones sharing one of their first two
        # (钾盐高效利用、锂盐量质提升), not just an ending (掌上执法率、跨部门监管率)
        shared = [i for i, (x, y) in enumerate(zip(mine, theirs)) if x == y]
        if shared and (width <= _PATTERN_LONGEST or shared[0] < 2):
            return True
    return False


DOUBLED_WORD_FREQUENCY = 50  # a word of three or four characters this frequent written twice in a row


def _doubled_words(text: str, words, zones: _Zones, pairs: _slips.TextPairs | None) -> list[tuple[int, int, str, str]]:
    """A word of three or four characters written twice in a row (民政局民政局, 法治政府法治政府);
    two-character ones are among the slips (配合配合). Not in a name's zone. Found where a pair of
    characters recurs three or four places on (array comparisons), then looked up."""
    if pairs is None:
        return []
    codes = pairs.codes
    found = []
    for length in (3, 4):
        if len(codes) < 2 * length:
            continue
        recurs = codes[:-length] == codes[length:]  # character i recurs ``length`` places on
        same = recurs[:-1] & recurs[1:]  # and so does the next one
        for i in same.nonzero()[0].tolist():
            word = text[i:i + length]
            if i + 2 * length <= len(text) and text[i + length:i + 2 * length] == word \
                    and words.get(word, 0) >= DOUBLED_WORD_FREQUENCY and i not in zones.names \
                    and all(map(_han, word)):
                found.append((i, i + 2 * length, word, f"「{word}{word}」疑似重复（应为「{word}」）"))
    return found


def _doubled_function_chars(text: str, index: TypoIndex,
                            pairs: _slips.TextPairs | None) -> list[tuple[int, int, str, str]]:
    """One of the most frequent function characters typed twice (我们的的工作, 在在全镇, 取得得):
    the pair is no word, no AABB form (是是非非, 实实在在), no unit after a number (2022年|年会),
    and the two are not the end of one word and the start of the next (所有|有关, 为了|了解, 目的|的确)."""
    if pairs is None:
        return []
    single, words = index.single, index.words
    found = []
    for p in pairs.double.nonzero()[0].tolist():
        char = text[p]
        if single.get(char, 0) <= _slips.FUNCTION_FREQUENCY or char in _slips.NUMERALS:
            continue
        # a word of its own, AABB (是是非非, 实实在在), three in a row, or a unit after a number (2022年|年会)
        if char in "年月日" and words.get(text[p - 1:p + 1], 0) >= _slips.TAKEN:
            continue  # 每年|年中, 当月|月底: a date unit ends a word and starts the next
        if words.get(char + char, 0) >= _slips.TAKEN or text[p + 2:p + 3] == text[p + 3:p + 4] != "" \
                or (p > 1 and text[p - 2] == text[p - 1]) or (p > 0 and text[p - 1] == char) \
                or _slips.after_number(text, p):
            continue
        if word_ends_at(text, p + 1, least=10) and word_starts_at(text, p + 1, least=10):
            continue
        found.append((p, p + 2, char, f"「{char}{char}」疑似多了一个「{char}」"))
    return found


def _joined_items(text: str, start: int, end: int, joined_by: tuple[str, ...]) -> bool:
    """The span lies in the two characters right before a joining word (研用|结合, 奖惩|并重): two
    items shortened to one character each, not a word."""
    # the joining word starts at the span's end, or one further for a one-character span
    return end - start <= 2 and any(text.startswith(joined_by, at) for at in range(end, start + 3))


_NAME_LIST_MARKS = "、，, \u3000"


def _in_name_list(text: str, start: int, end: int, surnames: frozenset[str]) -> bool:
    """The span lies in an item of a list of names (吴丽慧、郑敏强、伍建利、陈挺晨): the item has two or
    three Chinese characters, starts with a common surname, and so does an item of the same kind
    next to it."""
    if not surnames:
        return False
    first, stop = start, end  # the item's edges, sought no further than makes it four characters long
    # (is_han written out in the loops below: they run for each character of an item)
    while first > 0 and stop - first <= 3 and "\u4e00" <= text[first - 1] <= "\u9fff":
        first -= 1
    while stop < len(text) and stop - first <= 3 and "\u4e00" <= text[stop] <= "\u9fff":
        stop += 1
    if not 2 <= stop - first <= 3 or text[first] not in surnames:
        return False

    def is_name_at(at: int, step: int) -> bool:  # the neighbouring item, before (step -1) or after (+1)
        if step < 0:
            if at <= 0 or text[at - 1] not in _NAME_LIST_MARKS:
                return False
            b = at - 1
            a = b
            while a > 0 and "\u4e00" <= text[a - 1] <= "\u9fff":
                a -= 1
        else:
            if at >= len(text) or text[at] not in _NAME_LIST_MARKS:
                return False
            a = b = at + 1
            while b < len(text) and "\u4e00" <= text[b] <= "\u9fff":
                b += 1
        return 2 <= b - a <= 3 and text[a] in surnames

    return is_name_at(first, -1) or is_name_at(stop, 1)


def _numeral_made(written: str, correct: str) -> bool:
    """A replaced character makes the correction a number (每月十企座谈 is no 十七): a number of
    numerals alone is never a typo's correction (第宜 → 第一, 义个 → 一个 are)."""
    return all(d in _slips.NUMERALS for d in correct) and any(c != d for c, d in zip(written, correct))


_UNIT_CHARS = _NAME_SUFFIXES | set("厅部处科所院站队会室校社庭")


def _unit_slip(text: str, start: int, end: int, kind: str, correct: str, words) -> bool:
    """The slip undoes a unit's suffix that stands right: the suffix and a title or 会议 after it
    (审计厅|厅长, 常委会|会议: no character typed twice), or a place suffix replaced right after a word
    (示范市|现将 is no 实现)."""
    first = text[start]
    if kind == "extra" and end - start == 3 and text[start + 1] == first and first in _UNIT_CHARS:
        title = text[start + 1:start + 3]
        return (title[1:] == "长" or title in ("会议", "委员")) and words.get(title, 0) >= _slips.TAKEN
    if kind == "sub" and first in _NAME_SUFFIXES and correct[:1] != first and start > 0 and _han(text[start - 1]):
        return True
    return False


def _place_char_taken(written: str, slip: _slips.Slip, place_chars: frozenset[str]) -> bool:
    """The slip takes a place's one-character abbreviation for a mistyped or extra character (冀货出海,
    津融, 莱临: 冀, 津, 莱 name Hebei, Tianjin, Laiwu; no 期货, 金融, 来临)."""
    if not place_chars:
        return False
    if slip.kind == "sub":
        return any(c != d and c in place_chars for c, d in zip(written, slip.correct))
    if slip.kind == "extra":
        return _slips.odd_char(written, slip.correct) in place_chars
    return False


def _inside_a_word(text: str, start: int, end: int, words, inword: bytes | None = None) -> bool:
    """The written span lies inside a longer dictionary word written there (医共 in 医共体, 风肃 in
    正风肃纪): the text reads as that word. ``inword``: 1 for each pair of neighbours that occurs
    inside some dictionary word (``INWORD``); a span with another pair is inside none, and a word
    around it reaches no further than the pairs next to it that do occur in words."""
    first, stop = max(0, end - 4), min(len(text), start + 4)  # the words looked up lie in text[first:stop]
    if inword is not None:
        if inword.find(0, start, end - 1) >= 0:
            return False
        left, right = start, end
        while left > first and inword[left - 1]:
            left -= 1
        while right < stop and inword[right - 1]:
            right += 1
        first, stop = left, right
    return any(words.get_all([text[a:b] for a in range(first, start + 1)
                              for b in range(max(end, a + 3), min(stop, a + 4) + 1)]))


def _recurs(text: str, written: str, correct: str, counts: dict[str, int] | None = None,
            count: Callable[[str], int] | None = None) -> bool:
    """A written form that recurs, more often than its correction, or three times or more: a local
    word we do not know (生态奶源基地 three times is no 能源 mistyped three times). ``counts``: the
    forms counted in the text so far, added to as forms are counted (the correction only when the
    written form occurs more than once); ``count``: ``text.count`` (the default) or the same answer
    sooner (``_form_counter``)."""
    counts = {} if counts is None else counts
    count = text.count if count is None else count
    if written not in counts:
        counts[written] = count(written)
    if counts[written] < 2:
        return False  # written here only: the correction need not be counted
    if correct not in counts:
        counts[correct] = count(correct)
    # a written form inside its correction (法治政 in 法治政府) is counted where it stands alone
    alone = counts[written] - counts[correct] * correct.count(written)
    return alone >= 3 or (alone >= 2 and counts[correct] < alone)


_COUNT_EARLY = 5000  # characters: in a text this short, _weighed_slips counts recurring forms early
# (by str.count); in a longer one, late and mostly with _form_counter


def _form_counter(text: str, codes: "np.ndarray") -> Callable[[str], int]:
    """``text.count`` for a long text (``codes``: its code points, uint32): a form of two different
    characters (most written forms and corrections; they cannot overlap) is counted in a sorted
    array of the text's pairs of neighbours, made on first need, by two binary searches instead of
    a reading of the whole text; other forms by ``text.count``."""
    import numpy as np

    ordered: list = []  # the sorted pairs, once made

    def count(form: str) -> int:
        if len(form) != 2 or form[0] == form[1]:
            return text.count(form)
        if not ordered:
            pairs = codes[:-1].astype(np.uint64)
            pairs <<= np.uint64(32)
            pairs |= codes[1:]
            pairs.sort()
            ordered.append(pairs)
        key = np.uint64(ord(form[0]) << 32 | ord(form[1]))  # (a Python int would cast the whole array)
        return int(ordered[0].searchsorted(key, "right") - ordered[0].searchsorted(key, "left"))

    return count


def _weighed_slips(text: str, index: TypoIndex, options: Options, zones: _Zones,
                   taken: list[tuple[int, int, str, str]],
                   pairs: _slips.TextPairs | None = None,
                   model: _slips.TextModel | None = None, alike: bytes | None = None,
                   suffixes: bytes | None = None,
                   count: Callable[[str], int] | None = None) -> list[tuple[int, int, str, str]]:
    """Slips found over the whole text at once and kept on the word model's evidence (``_slips``).
    ``taken``: the findings of the first pass (a slip overlapping one is dropped); ``model``: the
    word model over ``text`` (made here if not given); ``alike``, ``suffixes``: ``_alike_marks``,
    ``_suffix_marks`` of ``text``, if known; ``count``: counts a form's occurrences in ``text``
    (``_recurs``; made here if not given)."""
    if model is None:
        model = _slips.TextModel(_slips.SegmentModel(index, index.logp_memo), text,
                                 pairs.inword.tobytes() if pairs is not None else None)
    inword = model.inword
    words = index.words
    covered: bytearray | None = None  # 1 where a finding of the first pass, a quotation or a user's word stands
    counts: dict[str, int] = {}
    best: dict[int, tuple[float, _slips.Slip]] = {}
    weights = options.weights
    lowest_bar = min(options.same_sound_gain, options.swap_gain, weights.min_gain)
    # the guards, cheapest and most selective first; the word model (the dearest) after them, and
    # last the document's zones, found on first need (few candidates get that far); the recurring
    # forms are counted early in a short text, after the other common guards in a long one (a
    # count reads the whole text)
    count_early = len(text) <= _COUNT_EARLY
    if count is None:
        count = text.count if count_early or pairs is None else _form_counter(text, pairs.codes)
    for slip in _slips.candidates(text, index, options.min_frequency, pairs=pairs):
        start, end, correct, kind = slip
        written = text[start:end]
        if _slips.implausible(text, slip, index) or (count_early and _recurs(text, written, correct, counts, count)) \
                or _unit_slip(text, start, end, kind, correct, words) \
                or (kind == "sub" and _shared_ending(text, start, end, alike)):
            continue
        # a word written twice (配合配合) is neither a local name nor a parallel expression
        doubled_word = len(written) == 4 and written[:2] == written[2:]
        if (not doubled_word and _parallel(text, start, end, alike) and not _grows_a_word(text, start, end, correct, words)) \
                or _inside_a_word(text, start, end, words, inword) \
                or (not doubled_word and _before_name_suffix(text, start, end, words, correct, suffixes)) \
                or (len(correct) <= 4 and words.is_name(correct)):
            continue
        if (not count_early and _recurs(text, written, correct, counts, count)) \
                or _parallel_item(text, start, end, kind, correct) \
                or (kind == "sub" and _numeral_made(written, correct)) \
                or _place_char_taken(written, slip, options.place_chars) \
                or _joined_items(text, start, end, options.joined_by) \
                or _in_name_list(text, start, end, options.surnames):
            continue
        # the evidence (``_slips.score``); below every bar (most candidates) whether or not the
        # correction is used elsewhere in the document, which then need not be sought
        gain, breaks = model.gain(slip), _slips.takes_a_word(text, slip, words)
        # (the most a same-sound slip whose correction is used elsewhere can get, an upper bound)
        if max(_slips.evidence(gain, True, breaks, weights) + options.same_sound_used_bonus,
               _slips.evidence(gain, False, breaks, weights)) < lowest_bar:
            continue
        used = counts[correct] > 0 if correct in counts else correct in text  # counted by _recurs, or not
        value = _slips.evidence(gain, used, breaks, weights)
        if value + (options.same_sound_used_bonus if used else 0.0) < lowest_bar:  # below every bar
            continue
        if covered is None:
            covered = bytearray(len(text))
            for s, e, *_ in taken + zones.protected:
                e = min(e, len(text))
                covered[s:e] = b"\x01" * max(0, e - s)
        if covered.find(1, start, end) >= 0 or start in zones.names or end - 1 in zones.names:
            continue
        # a character of the same usual reading is what a pinyin input method types: less evidence needed
        same_sound = kind == "sub" and _same_sound(written, correct, index)
        if same_sound and used:
            # the writer uses the word elsewhere in the document: an input method's homophone of it
            # here (落使 for 落实 in a report that writes 落实) needs less evidence from the model
            value += options.same_sound_used_bonus
        bar = options.same_sound_gain if same_sound else options.swap_gain if kind == "swap" \
            else options.weights.min_gain
        if value >= bar and value > best.get(start, (-1e18, None))[0]:
            best[start] = (value, slip)
    kept: list[tuple[int, int, str, str]] = []
    last_end = -1
    for start in sorted(best):
        value, slip = best[start]
        if start < last_end:
            if kept and value > kept[-1][4]:
                kept.pop()
            else:
                continue
        kept.append((slip.start, slip.end, slip.correct, _slips.problem(slip, text[slip.start:slip.end]), value))
        last_end = slip.end
    return [k[:4] for k in kept]
